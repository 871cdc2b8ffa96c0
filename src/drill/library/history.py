"""Review history: merging reviews from a file, and recomputing cards by replaying them.

A card's state is a function of its reviews: replaying them in time order through the deck's
scheduler (without fuzz, so the result is reproducible) gives the same state py-fsrs's
`Scheduler.reschedule_card` computes. Merging reviews is therefore just adding the ones not
yet present and replaying each card that got any. The same time on the same card is one
review, so importing a file twice changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from drill.core import clock
from drill.core.config import StudyConfig
from drill.core.model import CardKind, CardRecord, HistoryReview, Rating
from drill.core.scheduling import review, scheduler_for
from drill.errors import DeckError, Problem
from drill.storage import repo
from drill.storage import reviews as review_log

if TYPE_CHECKING:
    from sqlite_utils import Database


@dataclass(slots=True)
class MergeResult:
    """What merging one file's reviews did."""

    file: str
    added: int = 0
    skipped: int = 0
    cards: int = 0

    def summary(self) -> str:
        return (
            f"{self.file}: {_count(self.added, 'review')} added, "
            f"{self.skipped} already present, {_count(self.cards, 'card')} recomputed"
        )

    def to_json(self) -> dict[str, object]:
        return asdict(self)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


@dataclass(slots=True)
class _Event:
    """One review of a card during replay; `id` is its row id (allocated for new reviews)."""

    time: int
    rating: int
    duration: int | None
    id: int


def merge_reviews(
    db: Database, reviews: Sequence[HistoryReview], now: datetime, *, file: str
) -> MergeResult:
    """Add the reviews not yet present and recompute every card that got one.

    Must run inside an open write transaction (the caller's), so that any error leaves the
    database as it was. Unknown cards raise DeckError listing each one.
    """
    result = MergeResult(file)
    if not reviews:
        return result
    card_of = _resolve(db, reviews, now, file)

    new_by_card: dict[int, list[HistoryReview]] = {}
    for item, card_id in zip(reviews, card_of, strict=True):
        new_by_card.setdefault(card_id, []).append(item)
    existing = _load_events(db, new_by_card)

    added: list[tuple[int, int, HistoryReview]] = []  # (time, card, review) not yet stored
    for card_id, items in new_by_card.items():
        seen = {event.time for event in existing.get(card_id, ())}
        for item in items:
            if item.review_time in seen:
                result.skipped += 1
                continue
            seen.add(item.review_time)
            added.append((item.review_time, card_id, item))
    result.added = len(added)
    if not added:
        return result

    # New rows get ids after every stored one, in time order; _rewrite then hands each card's
    # ids out in time order, so the newest id is always its card's latest review (for undo).
    next_id = review_log.next_review_id(db)
    added.sort(key=lambda entry: (entry[0], entry[1]))
    events = {card_id: list(existing.get(card_id, ())) for _, card_id, _ in added}
    for offset, (time, card_id, item) in enumerate(added):
        events[card_id].append(_Event(time, int(item.rating), item.duration_ms, next_id + offset))
    result.cards = _rewrite(db, events)
    return result


def replay_cards(db: Database, card_ids: Iterable[int]) -> int:
    """Recompute the state of these cards (and their review rows) from their stored reviews.

    Cards without reviews are left as they are. Returns how many cards were recomputed.
    """
    events = _load_events(db, card_ids)
    return _rewrite(db, {card_id: evs for card_id, evs in events.items() if evs})


def reviewed_cards(db: Database, deck_ids: Iterable[str] | None = None) -> list[int]:
    """Ids of the cards that have at least one review (in these decks, if given)."""
    return review_log.reviewed_cards(db, None if deck_ids is None else list(deck_ids))


def replay(
    config: StudyConfig,
    card_id: int,
    events: Iterable[tuple[int, Rating | int]],
    kind: CardKind = CardKind.REHEARSE,
) -> tuple[list[CardRecord], CardRecord]:
    """Each review's state before it, and the final state, for (time ms, rating) in order,
    with the learning steps of the card's kind.
    """
    scheduler = scheduler_for(config, kind, fuzz=False)
    record = CardRecord()
    befores: list[CardRecord] = []
    for time, rating in events:
        befores.append(record)
        record = review(
            scheduler,
            card_id,
            record,
            Rating(rating),
            clock.from_ms(time),
            day_starts_at=config.day_starts_at,
        )
        record.last_review = time
    return befores, record


def _resolve(db: Database, reviews: Sequence[HistoryReview], now: datetime, file: str) -> list[int]:
    """The card id of each review; DeckError naming every card not in the collection."""
    by_name: dict[tuple[str, str, str], int] = {}
    by_key: dict[tuple[str, str], int] = {}
    for stored, deck_id, question_id, kind, key in review_log.card_index(db):
        by_name[(deck_id, question_id, kind)] = stored
        if key is not None:
            by_key.setdefault((key, kind), stored)
    latest = clock.to_ms(now) + 86_400_000  # a day of slack for clocks that disagree
    out: list[int] = []
    missing: dict[tuple[str, ...], list[HistoryReview]] = {}
    problems: list[Problem] = []
    for item in reviews:
        kind = item.kind.value
        card_id: int | None
        if item.import_key is not None:
            card_id = by_key.get((item.import_key, kind))
            wanted: tuple[str, ...] = ("key", item.import_key, kind)
        else:
            card_id = by_name.get((item.deck, item.question_id, kind))
            wanted = ("name", item.deck, item.question_id, kind)
        if card_id is None:
            missing.setdefault(wanted, []).append(item)
            continue
        if item.review_time > latest:
            problems.append(
                Problem(
                    item.file or file,
                    item.line,
                    f"review at {clock.from_ms(item.review_time).isoformat()} is in the future",
                    "check the clock of the machine that exported it",
                )
            )
        out.append(card_id)
    for wanted, items in missing.items():
        first = items[0]
        if wanted[0] == "key":
            what = f"no card with import key {wanted[1]} ({wanted[2]})"
        else:
            what = f"no card {'/'.join(wanted[1:])}"
        more = f" ({len(items)} reviews)" if len(items) > 1 else ""
        problems.append(
            Problem(
                first.file or file,
                first.line,
                f"{what} in the collection{more}",
                "import the deck first",
            )
        )
    if problems:
        problems.sort(key=lambda p: (p.file, p.line))
        raise DeckError(problems)
    return out


def _load_events(db: Database, card_ids: Iterable[int]) -> dict[int, list[_Event]]:
    return {
        card_id: [_Event(time, rating, duration, rid) for rid, time, rating, duration in rows]
        for card_id, rows in review_log.reviews_of(db, set(card_ids)).items()
    }


def _rewrite(db: Database, events: dict[int, list[_Event]]) -> int:
    """Replay each card's events; write its state and its review rows (ids in time order)."""
    if not events:
        return 0
    configs = {deck.id: deck.config for deck in repo.decks(db)}
    placed = review_log.card_decks_and_resets(db, list(events))
    review_rows: list[tuple[object, ...]] = []
    card_rows: list[tuple[object, ...]] = []
    for card_id, card_events in events.items():
        deck_id, reset_at, kind = placed[card_id]
        card_events.sort(key=lambda e: (e.time, e.id))
        ids = sorted(e.id for e in card_events)
        config = configs[deck_id]
        if reset_at is None:
            befores, final = replay(
                config, card_id, ((e.time, e.rating) for e in card_events), kind
            )
        else:
            # A reset card starts afresh: reviews before the reset keep their own history,
            # and only the later ones decide its state.
            early = [e for e in card_events if e.time < reset_at]
            late = [e for e in card_events if e.time >= reset_at]
            befores, _ = replay(config, card_id, ((e.time, e.rating) for e in early), kind)
            late_befores, final = replay(config, card_id, ((e.time, e.rating) for e in late), kind)
            befores += late_befores
        for event, review_id, before in zip(card_events, ids, befores, strict=True):
            review_rows.append(
                (
                    review_id,
                    card_id,
                    deck_id,
                    event.time,
                    event.rating,
                    before.state,
                    event.duration,
                    review_log.before_json(before),
                )
            )
        card_rows.append(
            (
                final.state,
                final.step,
                final.stability,
                final.difficulty,
                final.due,
                final.last_review,
                final.reps,
                final.lapses,
                card_id,
            )
        )
    review_log.replace_history(db, list(events), review_rows, card_rows)
    return len(card_rows)
