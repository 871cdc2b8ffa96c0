"""Review history: merging reviews from files, and recomputing cards by replaying them.

A card's state is a function of its reviews: replaying them in time order through the deck's
scheduler (without fuzz, so the result is reproducible) gives the same memory state py-fsrs's
`Scheduler.reschedule_card` computes (`core/replay.py`, equal bit for bit), and the due dates
studying gives (Hard, Good and Easy a day apart, `core.scheduling.rate`). Merging reviews is
therefore just adding the ones not yet present and replaying each card that got any. The
same time on the same card is one review, so importing a file twice changes nothing.

Built for a million reviews in one import: the files stay in columns (`ReviewHistory`),
each review is one integer while they are sorted, cards are resolved once for all files and
replayed once, and the reviews are written in id order without their state before (undo and
exports recompute it from the reviews: `state_before`, `replay`).
"""

from __future__ import annotations

from array import array
from bisect import bisect_right
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass
from datetime import datetime
from itertools import groupby, repeat
from operator import add, itemgetter, lshift, mul, or_
from typing import TYPE_CHECKING

from drill.core import clock
from drill.core.config import StudyConfig
from drill.core.history import NONE, ReviewHistory
from drill.core.model import CardKind, CardRecord, HistoryReview, Rating
from drill.errors import DeckError, Problem
from drill.storage import repo
from drill.storage import reviews as review_log

if TYPE_CHECKING:
    from drill.core.replay import Replayer
    from drill.storage.sqlite import Database

# A review while sorting: ((time * span + card) << _SHIFT) | its index among all reviews.
_SHIFT = 32
_MASK = (1 << _SHIFT) - 1


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


def merge_reviews(
    db: Database, reviews: Sequence[HistoryReview], now: datetime, *, file: str
) -> MergeResult:
    """`merge_histories` of one file."""
    return merge_histories(db, [(file, reviews)], now)[0]


def merge_histories(
    db: Database, files: Sequence[tuple[str, Sequence[HistoryReview]]], now: datetime
) -> list[MergeResult]:
    """Add the reviews not yet present and recompute every card that got one, once.

    Must run inside an open write transaction (the caller's), so that any error leaves the
    database as it was. Cards are resolved once for all the files; unknown cards and reviews
    in the future raise one DeckError listing each. A review already present (the same card
    at the same time, stored or earlier in the files) is counted as skipped by its file.
    """
    histories = [ReviewHistory.of(reviews, file) for file, reviews in files]
    results = [MergeResult(h.file or file) for h, (file, _) in zip(histories, files, strict=True)]
    if not any(histories):
        return results
    index = _CardIndex(db)
    cards = index.resolve(histories, now)
    merge = _Merge(db, histories, cards, index)
    del index  # the name lookups are the biggest structure; the decks and resets stay
    merge.sort_and_pick(results)
    merge.replay_and_write()
    return results


class _CardIndex:
    """Every card by (deck, question, kind) and by (import key, kind), with its deck and
    reset time: one query for the whole import, however many files it has.
    """

    def __init__(self, db: Database) -> None:
        # Names as one string each ("deck\0question\0kind"): a tuple of three strings per
        # card would take twice the memory for a big collection.
        self.by_name: dict[str, int] = {}
        self.by_key: dict[str, int] = {}
        self.deck_of: dict[int, str] = {}
        self.reset_of: dict[int, int] = {}
        # Each card's kind: learning steps differ by kind, so the replay does too.
        self.kind_of: dict[int, CardKind] = {}
        kinds = {kind.value: kind for kind in CardKind}
        decks: dict[str, str] = {}
        for card_id, deck_id, question_id, kind, key, reset_at in review_log.card_index(db):
            deck_id = decks.setdefault(deck_id, deck_id)
            self.by_name[f"{deck_id}\0{question_id}\0{kind}"] = card_id
            if key is not None:
                self.by_key.setdefault(f"{key}\0{kind}", card_id)
            self.deck_of[card_id] = deck_id
            self.kind_of[card_id] = kinds[kind]
            if reset_at is not None:
                self.reset_of[card_id] = reset_at

    def resolve(self, histories: list[ReviewHistory], now: datetime) -> list[array[int]]:
        """Each file's reviews as card ids; DeckError naming every unknown card and every
        review in the future, in file and line order.
        """
        latest = clock.to_ms(now) + 86_400_000  # a day of slack for clocks that disagree
        problems: list[Problem] = []
        out = []
        for history in histories:
            ids = []
            for number, (deck, question_id, kind, import_key) in enumerate(history.keys):
                if import_key is not None:
                    card_id = self.by_key.get(f"{import_key}\0{kind.value}")
                    what = f"no card with import key {import_key} ({kind.value})"
                else:
                    card_id = self.by_name.get(f"{deck}\0{question_id}\0{kind.value}")
                    what = f"no card {deck}/{question_id}/{kind.value}"
                if card_id is None:
                    first = history.card.index(number)
                    uses = history.card.count(number)
                    more = f" ({uses} reviews)" if uses > 1 else ""
                    problems.append(
                        Problem(
                            history.file,
                            history.line[first],
                            f"{what} in the collection{more}",
                            "import the deck first",
                        )
                    )
                ids.append(card_id or 0)
            if history and max(history.time) > latest:
                for at, time in enumerate(history.time):
                    if time > latest and ids[history.card[at]]:
                        problems.append(
                            Problem(
                                history.file,
                                history.line[at],
                                f"review at {clock.from_ms(time).isoformat()} is in the future",
                                "check the clock of the machine that exported it",
                            )
                        )
            out.append(array("q", map(ids.__getitem__, history.card)))
        if problems:
            problems.sort(key=lambda p: (p.file, p.line))
            raise DeckError(problems)
        return out


class _Merge:
    """One merge of every file's reviews: pick the new ones, replay their cards, write."""

    def __init__(
        self,
        db: Database,
        histories: list[ReviewHistory],
        cards: list[array[int]],
        index: _CardIndex,
    ) -> None:
        self.db = db
        self.deck_of, self.reset_of = index.deck_of, index.reset_of
        self.kind_of = index.kind_of
        self.span = max(self.deck_of, default=0) + 1
        if len(histories) == 1:
            (only,) = histories
            self.card, self.time, self.rating = cards[0], only.time, only.rating
            self.duration = only.duration
        else:
            self.card, self.time = array("q"), array("q")
            self.rating, self.duration = bytearray(), array("q")
            for history, card in zip(histories, cards, strict=True):
                self.card.extend(card)
                self.time.extend(history.time)
                self.rating.extend(history.rating)
                self.duration.extend(history.duration)
        self.offsets = [0]
        for history in histories:
            self.offsets.append(self.offsets[-1] + len(history))
        total = self.offsets[-1]
        self.ids = array("q", bytes(8 * total))  # the row id of each review added (0: not)
        self.states = bytearray(total)  # the state before each review added
        self.keys: list[int] = []
        self.new_of: dict[int, array[int]] = {}  # card -> its added reviews, in time order
        self.with_stored: set[int] = set()  # cards that had reviews before this merge
        self.kept = array("I")  # the reviews added, in id (time) order

    def sort_and_pick(self, results: list[MergeResult]) -> None:
        """Sort every review by (time, card) and give each new one a row id, in that order.

        New rows get ids after every stored one, in time order; a card whose new reviews
        interleave with stored ones gets its ids handed out again in time order when it is
        rewritten, so the newest id is always its card's latest review (for undo).
        """
        keys = self.keys
        for start, end in zip(self.offsets, self.offsets[1:], strict=False):
            # In C loops: key = ((time * span + card) << 32) | index.
            scaled = map(
                add, map(mul, self.time[start:end], repeat(self.span)), self.card[start:end]
            )
            keys.extend(map(or_, map(lshift, scaled, repeat(_SHIFT)), range(start, end)))
        keys.sort()  # among equal (time, card), the earlier file and row come first
        stored = self._stored()
        self.with_stored = {moment % self.span for moment in stored}
        next_id = review_log.next_review_id(self.db)
        ids, new_of, span, kept = self.ids, self.new_of, self.span, self.kept
        many = len(results) > 1
        if not many and not stored:
            self._pick_fresh(results[0], next_id)
            return
        added = [0] * len(results)
        skipped = [0] * len(results)
        touched: list[set[int]] = [set() for _ in results]
        offsets = self.offsets
        previous = -1
        for key in keys:
            moment = key >> _SHIFT
            at = key & _MASK
            file = bisect_right(offsets, at) - 1 if many else 0
            if moment == previous or moment in stored:
                skipped[file] += 1
                continue
            previous = moment
            ids[at] = next_id
            next_id += 1
            kept.append(at)
            card = moment % span
            added[file] += 1
            if many:
                touched[file].add(card)
            mine = new_of.get(card)
            if mine is None:
                new_of[card] = array("I", (at,))
            else:
                mine.append(at)
        for result, n_added, n_skipped, cards in zip(results, added, skipped, touched, strict=True):
            result.added, result.skipped = n_added, n_skipped
            result.cards = len(cards) if many else len(new_of)
        self.keys = []  # what is left to write is `kept`

    def _pick_fresh(self, result: MergeResult, next_id: int) -> None:
        """`sort_and_pick` for one file into cards without stored reviews (a first import
        of a history, the million-review case): only a repeat of the same card at the same
        time is skipped, and every count is the file's. The loop of `sort_and_pick` without
        its per-review file and stored-review lookups (a tenth of the import).
        """
        ids, new_of, span = self.ids, self.new_of, self.span
        kept_append, mine_of = self.kept.append, new_of.get
        skipped = 0
        previous = -1
        for key in self.keys:
            moment = key >> _SHIFT
            if moment == previous:
                skipped += 1
                continue
            previous = moment
            at = key & _MASK
            ids[at] = next_id
            next_id += 1
            kept_append(at)
            card = moment % span
            mine = mine_of(card)
            if mine is None:
                new_of[card] = array("I", (at,))
            else:
                mine.append(at)
        result.added, result.skipped, result.cards = len(self.kept), skipped, len(new_of)
        self.keys = []  # what is left to write is `kept`

    def _stored(self) -> set[int]:
        """(time * span + card) of the stored reviews of the cards in these files."""
        if not review_log.any_reviews(self.db):
            return set()
        span = self.span
        return {t * span + c for c, t in review_log.stored_times(self.db, list(set(self.card)))}

    def replay_and_write(self) -> None:
        new_of = self.new_of
        if not new_of:
            return
        replayers = _Replayers(self.db)
        existing = review_log.reviews_of(self.db, [c for c in new_of if c in self.with_stored])
        time, rating, states = self.time, self.rating, self.states
        card_rows: list[tuple[object, ...]] = []
        rewritten: list[tuple[object, ...]] = []
        for card_id in sorted(new_of):
            mine = new_of[card_id]
            deck_id, reset_at = self.deck_of[card_id], self.reset_of.get(card_id)
            replayer = replayers.of(deck_id, self.kind_of[card_id])
            stored = existing.get(card_id)
            if stored:
                final = self._with_stored_reviews(replayer, card_id, mine, stored, rewritten)
            else:
                times = list(map(time.__getitem__, mine))
                got, final = _replay(replayer, times, list(map(rating.__getitem__, mine)), reset_at)
                for at, state in zip(mine, got, strict=True):
                    states[at] = state
            card_rows.append((*_fields(final), card_id))
        rewrite = {int(row[1]) for row in rewritten}  # type: ignore[call-overload]
        review_log.delete_card_reviews(self.db, rewrite)
        order = self.kept
        if rewrite:
            order = array("I", (at for at in order if self.card[at] not in rewrite))
        review_log.insert_reviews(self.db, self._rows(order), len(order))
        rewritten.sort(key=lambda row: row[0])  # type: ignore[arg-type,return-value]
        review_log.insert_reviews(self.db, rewritten, len(rewritten))
        review_log.write_cards(self.db, card_rows)

    def _with_stored_reviews(
        self,
        replayer: Replayer,
        card_id: int,
        mine: array[int],
        stored: list[tuple[int, int, int, int | None]],
        rewritten: list[tuple[object, ...]],
    ) -> CardRecord:
        """Replay a card that already had reviews. New reviews after all of them are only
        added; new ones among them rewrite the card's rows (ids again in time order, and
        the states before forgotten, as they may have changed).
        """
        deck_id, reset_at = self.deck_of[card_id], self.reset_of.get(card_id)
        time, rating, duration = self.time, self.rating, self.duration
        events = [(t, rid, r, d) for rid, t, r, d in stored]
        events += [
            (time[at], self.ids[at], rating[at], None if duration[at] == NONE else duration[at])
            for at in mine
        ]
        events.sort()
        got, final = _replay(replayer, [e[0] for e in events], [e[2] for e in events], reset_at)
        if min(time[at] for at in mine) > max(t for _, t, _, _ in stored):
            for at, state in zip(mine, got[len(stored) :], strict=True):
                self.states[at] = state
            return final
        ids = sorted(e[1] for e in events)
        rewritten.extend(
            (rid, card_id, deck_id, t, r, state, d)
            for rid, (t, _, r, d), state in zip(ids, events, got, strict=True)
        )
        return final

    def _rows(self, order: array[int]) -> Iterator[tuple[object, ...]]:
        """The added reviews at `order`, as insert_reviews takes them: zipped columns, so
        the rows are made in C loops (a million of them).
        """
        if not order:
            return iter(())
        card = array("q", map(self.card.__getitem__, order))
        durations = map(self.duration.__getitem__, order)
        # Ids were handed out one by one along `kept`, so increasing along `order` (which is
        # `kept` or a part of it); first to last in as many steps as rows means every id
        # in between, a range (each id looked up is a fifth of making a row).
        ids = self.ids
        first, last = ids[order[0]], ids[order[-1]]
        id_column: Iterable[int] = (
            range(first, last + 1)
            if last - first == len(order) - 1
            else map(ids.__getitem__, order)
        )
        # A history of one deck (the usual case) needs no lookup per row.
        decks = {self.deck_of[c] for c in self.new_of}
        deck_column: Iterable[str] = (
            repeat(decks.pop(), len(order))
            if len(decks) == 1
            else map(self.deck_of.__getitem__, card)
        )
        return zip(
            id_column,
            card,
            deck_column,
            map(self.time.__getitem__, order),
            map(self.rating.__getitem__, order),
            map(self.states.__getitem__, order),
            # NONE (no duration) becomes None; any other value stays itself.
            map({NONE: None}.get, durations, map(self.duration.__getitem__, order)),
            strict=True,
        )


class _Replayers:
    """A replayer per deck and card kind (each deck has its own settings, each kind its own
    learning steps).
    """

    def __init__(self, db: Database) -> None:
        self.configs = {deck.id: deck.config for deck in repo.decks(db)}
        self.built: dict[tuple[str, CardKind], Replayer] = {}

    def of(self, deck_id: str, kind: CardKind) -> Replayer:
        replayer = self.built.get((deck_id, kind))
        if replayer is None:
            replayer = self.built[deck_id, kind] = _replayer(self.configs[deck_id], kind)
        return replayer


def _replayer(config: StudyConfig, kind: CardKind) -> Replayer:
    """Replays as studying rates: the kind's learning steps, elapsed time in study days."""
    from drill.core.replay import Replayer
    from drill.core.scheduling import scheduler_for

    return Replayer(scheduler_for(config, kind, fuzz=False), config.day_starts_at)


def _replay(
    replayer: Replayer, times: Sequence[int], ratings: Sequence[int], reset_at: int | None
) -> tuple[bytearray, CardRecord]:
    """States before each review and the final record. A reset card starts afresh: reviews
    before the reset keep their own history, and only the later ones decide its state.
    """
    if reset_at is None or times[0] >= reset_at:
        return replayer.replay(times, ratings)
    split = bisect_right(times, reset_at - 1)
    early, _ = replayer.replay(times[:split], ratings[:split])
    late, final = replayer.replay(times[split:], ratings[split:])
    return early + late, final


def _fields(record: CardRecord) -> tuple[object, ...]:
    return (
        record.state,
        record.step,
        record.stability,
        record.difficulty,
        record.due,
        record.last_review,
        record.reps,
        record.lapses,
    )


# -- replaying stored reviews -------------------------------------------------------------------


def replay_cards(db: Database, card_ids: Iterable[int]) -> int:
    """Recompute the state of these cards (and their reviews' states before) from their
    stored reviews. Cards without reviews are left as they are; returns how many were
    recomputed.
    """
    return _replay_stored(db, review_log.histories_of(db, card_ids), None)


def replay_decks(db: Database, deck_ids: Sequence[str] | None) -> int:
    """`replay_cards` for every reviewed card of these decks (all when None), in one pass
    over the reviews' (card, time, rating, state) index: what saving FSRS parameters does.
    """
    return _replay_stored(db, review_log.card_histories(db, deck_ids), deck_ids)


def _replay_stored(
    db: Database, rows: Iterable[tuple[int, int, int, int, int]], deck_ids: Sequence[str] | None
) -> int:
    """Replay cards from (card, review id, time, rating, state before) rows, card by card.

    The state before a review depends on the learning steps, not on FSRS's parameters, so
    only the few rows whose state changed are written, with each card's new state; the
    stored states before (kept by live ratings, for undo) are forgotten.
    """
    replayers = _Replayers(db)
    placed = review_log.card_places(db, deck_ids)
    card_rows: list[tuple[object, ...]] = []
    changed: list[tuple[int, int]] = []
    for card_id, group in groupby(rows, key=itemgetter(0)):
        # One transposition per card instead of a list per column (a million reviews).
        _, review_ids, times, ratings, stored = zip(*group, strict=True)
        deck_id, reset_at, kind = placed[card_id]
        states, final = _replay(replayers.of(deck_id, kind), times, ratings, reset_at)
        if states != bytes(stored):  # rarely: the states before depend on the steps only
            changed.extend(
                (state, review_id)
                for review_id, state, before in zip(review_ids, states, stored, strict=True)
                if state != before
            )
        card_rows.append((*_fields(final), card_id))
    review_log.set_review_states(db, changed)
    review_log.forget_states_before(db, [row[-1] for row in card_rows])  # type: ignore[misc]
    review_log.write_cards(db, card_rows)
    return len(card_rows)


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
    pairs = list(events)
    befores: list[CardRecord] = []
    _, final = _replayer(config, kind).replay(
        [t for t, _ in pairs], [int(r) for _, r in pairs], befores=befores
    )
    return befores, final


def state_before(db: Database, card_id: int, review_id: int) -> CardRecord:
    """A card's state just before one of its reviews, replayed from the reviews before it
    (for undo, where the review does not keep it).
    """
    history = review_log.card_history(db, card_id)
    at = next(i for i, (rid, _, _) in enumerate(history) if rid == review_id)
    deck_id, reset_at, kind = review_log.card_decks_and_resets(db, [card_id])[card_id]
    earlier = history[:at]
    if reset_at is not None:
        after_reset = history[at][1] >= reset_at
        earlier = [h for h in earlier if (h[1] >= reset_at) == after_reset]
    config = repo.decks(db, deck_id)[0].config
    _, record = _replayer(config, kind).replay([h[1] for h in earlier], [h[2] for h in earlier])
    return record


ReviewRow = tuple[int, int, int, int, int | None, str | None]


def with_states_before(db: Database, rows: list[ReviewRow]) -> list[ReviewRow]:
    """Rows of `storage.reviews.deck_reviews` (card by card, in time order) with every state
    before filled in: replayed reviews don't keep theirs, so their card is replayed here.
    """
    out: list[ReviewRow] = []
    replayers = _Replayers(db)
    for card_id, group in groupby(rows, key=lambda row: row[0]):
        reviews = list(group)
        if all(row[5] is not None for row in reviews):
            out.extend(reviews)
            continue
        deck_id, reset_at, kind = review_log.card_decks_and_resets(db, [card_id])[card_id]
        replayer = replayers.of(deck_id, kind)
        times, ratings = [r[1] for r in reviews], [r[2] for r in reviews]
        befores: list[CardRecord] = []
        split = 0 if reset_at is None else bisect_right(times, reset_at - 1)
        if split:
            replayer.replay(times[:split], ratings[:split], befores=befores)
        replayer.replay(times[split:], ratings[split:], befores=befores)
        out.extend(
            (*row[:5], row[5] if row[5] is not None else review_log.before_json(before))
            for row, before in zip(reviews, befores, strict=True)
        )
    return out
