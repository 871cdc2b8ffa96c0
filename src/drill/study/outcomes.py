"""What the review session's writes report back: a rating (`Rated`) and "learn more"
(`LearnMore`).

Apart from study/session.py so that showing a card (`drill next`, a cold start) does not
create these classes (each dataclass costs its generated methods' compile).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from drill.core.model import CardRecord, Rating
    from drill.study.undo import Change


@dataclass(frozen=True, slots=True)
class LearnMore:
    """What "learn more" did: new questions now let in today, and seconds past the budget
    today now goes (0 within it, or without a budget).
    """

    questions: int
    over: float
    budget_minutes: int | None


@dataclass(frozen=True, slots=True)
class Rated:
    """What a rating did: the card's new state, its review's id and how to undo it."""

    card_id: int
    rating: Rating
    record: CardRecord
    review_id: int
    change: Change  # for the screen's undo
    leech: bool = False  # this rating made the question a leech (see core.leech)
    suspended: bool = False  # ...and the card was suspended for it (leech_action suspend)
