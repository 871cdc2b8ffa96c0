"""Practice without rescheduling: the weakest questions first, ratings kept apart.

A practice session walks a fixed order of questions, one card each (the question's first
card: normally its rehearse card): the weakest first (the lowest predicted recall now, then
the most lapses), then the questions not studied yet, in deck order. Ratings go to the
practice log and never touch the card: no due date, stability or review changes, so FSRS,
the optimizer, true retention and `drill export progress` never see them. Typed answers
still go to the answer bank. Paused decks are left out unless asked for by name.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from drill.core import clock
from drill.core.model import KIND_ORDER, CardInfo, CardKind, CardRecord, Rating
from drill.core.scheduling import retrievability
from drill.errors import DrillError
from drill.storage import practice as practice_log
from drill.storage import repo
from drill.storage.sqlite import write_transaction
from drill.study.session import Counts, StudyCard, load_study_card, rotated_prompt

if TYPE_CHECKING:
    from datetime import timedelta

    from drill.storage.sqlite import Database


class PracticeError(DrillError):
    pass


@dataclass(frozen=True, slots=True)
class PracticeItem:
    """A question to practise: the card shown, its recall now (None: never studied) and
    the lapses of all the question's cards.
    """

    card_id: int
    deck_id: str
    question_id: str
    kind: CardKind
    prompt: str
    recall: float | None
    lapses: int

    def to_json(self) -> dict[str, Any]:
        return {
            "card_id": self.card_id,
            "deck": self.deck_id,
            "question_id": self.question_id,
            "kind": self.kind.value,
            "prompt": self.prompt,
            "recall": None if self.recall is None else round(self.recall, 4),
            "lapses": self.lapses,
        }


def practice_order(
    db: Database,
    now: datetime,
    *,
    deck_id: str | None = None,
    weakest: int | None = None,
    only: Mapping[str, frozenset[str]] | None = None,
) -> list[PracticeItem]:
    """The questions of a deck (or of every deck not paused), weakest first; the first
    `weakest` of them when given. `only` keeps to some questions of each deck (a job's set,
    which names its questions: their decks count even when paused).
    """
    if weakest is not None and weakest < 1:
        raise PracticeError("--weakest: give a number of questions, 1 or more")
    studied: list[tuple[float, int, int, PracticeItem]] = []
    fresh: list[PracticeItem] = []
    for deck in repo.decks(db, deck_id):
        if only is not None and not only.get(deck.id):
            continue
        if deck.paused and deck_id is None and only is None:
            continue
        by_question: dict[str, list[CardInfo]] = {}
        for card in repo.iter_cards(db, deck.id, active_only=True):
            if card.kind in deck.config.card_kinds:
                by_question.setdefault(card.question_id, []).append(card)
        for question in repo.iter_questions(db, deck.id):
            if only is not None and question.id not in only[deck.id]:
                continue
            cards = by_question.get(question.id)
            if not cards:
                continue
            first = min(cards, key=lambda c: KIND_ORDER[c.kind])
            prompt, _ = rotated_prompt(question, first.kind, first.record.reps)
            recall = retrievability(deck.config, first.record, now)
            lapses = sum(c.record.lapses for c in cards)
            item = PracticeItem(first.id, deck.id, question.id, first.kind, prompt, recall, lapses)
            if recall is None:
                fresh.append(item)
            else:
                studied.append((recall, -lapses, len(studied), item))
    studied.sort(key=lambda entry: entry[:3])
    order = [entry[3] for entry in studied] + fresh
    return order[:weakest] if weakest is not None else order


@dataclass(frozen=True, slots=True)
class Practised:
    practice_id: int
    card_id: int
    rating: Rating


def practise(
    db: Database, card_id: int, rating: Rating, now: datetime, duration_ms: int | None = None
) -> Practised:
    """Keep a practice rating of a card; the card itself is not changed."""
    with write_transaction(db):
        info = repo.get_card(db, card_id)
        if info is None:
            raise PracticeError(f"no card {card_id} (see `drill practice` for the order)")
        practice_id = practice_log.record(
            db,
            card_id=card_id,
            deck_id=info.deck_id,
            time_ms=clock.to_ms(now),
            rating=rating,
            duration_ms=duration_ms,
        )
    return Practised(practice_id, card_id, rating)


@dataclass(frozen=True, slots=True)
class PracticeUndone:
    """A practice rating taken back (the card itself was never changed)."""

    card_id: int
    rating: Rating
    record: CardRecord


@dataclass(slots=True)
class PracticeSession:
    """A practice sitting over `items`, in order, for the review screen: the same calls as
    `ReviewSession` (next card, counts, rate, undo), none of which reschedules anything.
    """

    db: Database
    items: list[PracticeItem]
    position: int = 0
    done: list[Practised] = field(default_factory=list)

    @property
    def left(self) -> int:
        return max(0, len(self.items) - self.position)

    def next_card(self, now: datetime) -> StudyCard | None:
        while self.position < len(self.items):
            item = self.items[self.position]
            card = repo.get_card(self.db, item.card_id)
            if card is not None and not card.suspended:
                return load_study_card(self.db, item.card_id)
            self.position += 1  # suspended (or gone) since the order was made
        return None

    def counts(self, now: datetime) -> Counts:
        return Counts(0, 0, self.left)

    def preview(self, card: StudyCard, now: datetime) -> dict[Rating, timedelta]:
        return {}  # nothing is rescheduled: no intervals to show

    def rate(
        self, card_id: int, rating: Rating, now: datetime, duration_ms: int | None = None
    ) -> Practised:
        done = practise(self.db, card_id, rating, now, duration_ms)
        self.done.append(done)
        self.position += 1
        return done

    def undo(self) -> PracticeUndone | None:
        """Take back this sitting's last practice rating and go back to its card."""
        if not self.done:
            return None
        last = self.done.pop()
        with write_transaction(self.db):
            practice_log.delete(self.db, last.practice_id)
        self.position = max(0, self.position - 1)
        card = load_study_card(self.db, last.card_id)
        return PracticeUndone(last.card_id, last.rating, card.record)

    def study_card(self, card_id: int) -> StudyCard:
        return load_study_card(self.db, card_id)

    def skip(self, card_id: int) -> None:
        """Move past this card without rating it."""
        if self.position < len(self.items) and self.items[self.position].card_id == card_id:
            self.position += 1

    def suspend(self, card_id: int, suspended: bool = True) -> None:
        with write_transaction(self.db):
            repo.set_suspended(self.db, card_id, suspended)
        self.skip(card_id)

    def bury_question(self, card_id: int, now: datetime) -> None:
        self.skip(card_id)  # practice has no schedule to bury from: just move on
