"""Per-deck summaries for `drill decks` and the home screen."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from drill.progress.stats import Countdown, interview_countdown
from drill.storage import figures, repo
from drill.study.session import ReviewSession

if TYPE_CHECKING:
    from drill.storage.sqlite import Database


@dataclass(frozen=True, slots=True)
class DeckSummary:
    """A deck's cards by state, and what is left to study today.

    `new`, `learning`, `review` and `suspended` count cards in that state; `due` is what is
    due today (`learning_today` plus `review_today`, within the daily limit) and `new_today`
    the new cards today's limit still allows. `interview` is the countdown of a deck with an
    interview date ahead, else None.
    """

    id: str
    name: str
    questions: int
    cards: int
    new: int
    learning: int
    review: int
    learning_today: int
    review_today: int
    new_today: int
    suspended: int
    interview: Countdown | None

    @property
    def due(self) -> int:
        return self.learning_today + self.review_today

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "questions": self.questions,
            "cards": self.cards,
            "new": self.new,
            "learning": self.learning,
            "review": self.review,
            "due": self.due,
            "learning_today": self.learning_today,
            "review_today": self.review_today,
            "new_today": self.new_today,
            "suspended": self.suspended,
            "interview": self.interview.to_json() if self.interview else None,
        }


def deck_summaries(db: Database, now: datetime) -> list[DeckSummary]:
    """Every deck, in display order, with its cards and today's work."""
    totals = figures.deck_card_states(db)
    questions = figures.questions_per_deck(db)
    hour = repo.collection_config(db).day_starts_at
    # One session for every deck: each deck's counts are a range of the (deck, state, due)
    # index, so the overview costs the same in one deck or two hundred.
    today = ReviewSession(db).deck_counts(now)
    out = []
    for deck in repo.decks(db):
        cards, new, learning, review, suspended = totals.get(deck.id, (0, 0, 0, 0, 0))
        counts = today[deck.id]
        out.append(
            DeckSummary(
                id=deck.id,
                name=deck.name,
                questions=questions.get(deck.id, 0),
                cards=cards,
                new=new,
                learning=learning,
                review=review,
                learning_today=counts.learning,
                review_today=counts.review,
                new_today=counts.new,
                suspended=suspended,
                interview=interview_countdown(db, deck, now, hour),
            )
        )
    return out
