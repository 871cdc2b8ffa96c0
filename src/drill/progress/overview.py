"""Per-deck summaries for `drill decks` and the home screen, and the interview countdowns.

An interview date set for the whole collection is one interview: one countdown, over the
decks that follow it. A deck with a date of its own (a second interview) has its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from drill.progress import stats
from drill.progress.stats import Countdown
from drill.storage import figures, repo
from drill.study.session import Counts, ReviewSession

if TYPE_CHECKING:
    from sqlite_utils import Database


@dataclass(frozen=True, slots=True)
class DeckSummary:
    """A deck's cards by state, and what is left to study today.

    `new`, `learning`, `review` and `suspended` count cards in that state; `due` is what is
    due today (`learning_today` plus `review_today`, within the daily limit) and `new_today`
    the new cards today's limit still allows. `interview` is the countdown of a deck with an
    interview date ahead (its own, or the collection's it follows), else None. A paused deck
    shows nothing today and introduces nothing.
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
    paused: bool = False
    own_interview: bool = False

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
            "paused": self.paused,
        }


def deck_summaries(db: Database, now: datetime) -> list[DeckSummary]:
    """Every deck, in display order, with its cards and today's work."""
    totals = figures.deck_card_states(db)
    questions = figures.questions_per_deck(db)
    hour = repo.collection_config(db).day_starts_at
    # One plan for the collection: the budget shares new questions out between the decks.
    today = ReviewSession(db).deck_counts(now)
    out = []
    for deck in repo.decks(db):
        cards, new, learning, review, suspended = totals.get(deck.id, (0, 0, 0, 0, 0))
        counts = today.get(deck.id, Counts(0, 0, 0))
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
                paused=deck.paused,
                own_interview=deck.own_interview,
            )
        )
    return out


def interview_countdown(
    db: Database, deck: repo.DeckInfo, now: datetime, day_starts_at: int
) -> Countdown | None:
    """The countdown of a deck with an interview ahead, else None."""
    return stats.countdown(db, now, [deck], deck.config.interview_date)


@dataclass(frozen=True, slots=True)
class Interviews:
    """What to count down to: the collection's interview (one countdown, over the decks
    studied that follow it), and each studied deck with a date of its own that differs.
    """

    collection: Countdown | None
    decks: list[tuple[str, str, Countdown]]  # (deck id, name, countdown)

    @property
    def count(self) -> int:
        return len(self.decks) + (self.collection is not None)


def interviews(db: Database, now: datetime) -> Interviews:
    collection = repo.collection_config(db).interview_date
    own = []
    for deck in repo.decks(db):
        if deck.paused or not deck.own_interview or deck.config.interview_date == collection:
            continue
        countdown = stats.countdown(db, now, [deck], deck.config.interview_date)
        if countdown is not None:
            own.append((deck.id, deck.name, countdown))
    own.sort(key=lambda entry: entry[2].days_left)
    return Interviews(stats.interview(db, now), own)
