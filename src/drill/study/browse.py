"""Every question with its cards and history, for browsing and searching a collection."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from drill.core import clock
from drill.core.model import CardInfo, CardKind, Question, Rating
from drill.core.scheduling import retrievability
from drill.storage import repo, reviews

if TYPE_CHECKING:
    from drill.storage.sqlite import Database


@dataclass(frozen=True, slots=True)
class BrowseRow:
    """A question with its deck and its (not retired) cards, for the browser."""

    deck_id: str
    deck_name: str
    question: Question
    cards: list[CardInfo]

    @property
    def key(self) -> str:
        return f"{self.deck_id}/{self.question.id}"

    @property
    def lapses(self) -> int:
        return sum(card.record.lapses for card in self.cards)

    @property
    def suspended(self) -> bool:
        """True when every card of the question is suspended."""
        return bool(self.cards) and all(card.suspended for card in self.cards)

    def card(self, kind: CardKind) -> CardInfo | None:
        return next((card for card in self.cards if card.kind == kind), None)

    def matches(self, query: str) -> bool:
        """Case-insensitive match of every word against question text, variants and tags."""
        haystack = " ".join(
            [self.question.question, *self.question.variants, *self.question.tags]
        ).casefold()
        return all(word in haystack for word in query.casefold().split())


def browse_rows(db: Database) -> list[BrowseRow]:
    """Every question of every deck in display order, with its cards (two queries)."""
    cards: dict[tuple[str, str], list[CardInfo]] = {}
    for info in repo.iter_cards(db):
        cards.setdefault((info.deck_id, info.question_id), []).append(info)
    names = {deck.id: deck.name for deck in repo.decks(db)}
    return [
        BrowseRow(
            deck_id, names.get(deck_id, deck_id), question, cards.get((deck_id, question.id), [])
        )
        for deck_id, question in repo.iter_questions_of_all(db)
    ]


def browse_row(db: Database, deck_id: str, question_id: str) -> BrowseRow | None:
    """One question of the browser, fresh from the database."""
    question = repo.get_question(db, deck_id, question_id)
    if question is None:
        return None
    name = repo.decks(db, deck_id)[0].name
    return BrowseRow(deck_id, name, question, repo.question_cards(db, deck_id, question_id))


@dataclass(frozen=True, slots=True)
class ReviewEntry:
    """One past rating of a card of a question."""

    time: datetime
    kind: CardKind
    rating: Rating
    state: int
    duration_ms: int | None


def question_reviews(db: Database, deck_id: str, question_id: str) -> list[ReviewEntry]:
    """Every review of the question's cards, newest first."""
    return [
        ReviewEntry(clock.from_ms(time), CardKind(kind), Rating(rating), state, duration)
        for time, kind, rating, state, duration in reviews.question_reviews(
            db, deck_id, question_id
        )
    ]


def recall_now(db: Database, row: BrowseRow, now: datetime) -> dict[int, float | None]:
    """{card id: probability of recall now} for the question's cards (None: never reviewed)."""
    config = repo.decks(db, row.deck_id)[0].config
    return {card.id: retrievability(config, card.record, now) for card in row.cards}
