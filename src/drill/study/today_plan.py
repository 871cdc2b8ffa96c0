"""Today under the daily budget, in figures and in words (`TodayPlan`), as the intake works
it out (study/intake.py) for home, the review header and `drill plan`.

Apart from study/intake.py so that showing a card (`drill next`, a cold start), which asks
the intake for no plan, does not create this class (each dataclass costs its generated
methods' compile).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from drill.core.format import minutes, plural


@dataclass(frozen=True, slots=True)
class TodayPlan:
    """Today under the budget: time spent, what is left (due cards and the new questions
    that still fit) and what that costs, in seconds.

    `reviews` counts due cards still to show (learning and review); `new_questions` the new
    questions still coming in today and `new_cards` every new card (a started question's why
    and dos cards too). `refused` says why no further question fits ("budget", "cap",
    "ahead", or None when none was refused).
    """

    budget_minutes: int | None
    spent: float
    owed: float
    reviews: int
    new_questions: int
    new_cards: int
    new_seconds: float
    refused: str | None
    extra_questions: int
    extra_seconds: float

    @property
    def left(self) -> float:
        return self.owed + self.new_seconds

    @property
    def total(self) -> float:
        return self.spent + self.left

    @property
    def done(self) -> bool:
        return self.reviews == 0 and self.new_cards == 0

    @property
    def over(self) -> float:
        """Seconds the day goes past the budget (0 without a budget or when within it)."""
        if self.budget_minutes is None:
            return 0.0
        return max(0.0, self.total - self.budget_minutes * 60)

    def line(self) -> str:
        """Today's plan in words: "≈ 18 min today: 9 reviews, 2 new questions"."""
        if self.done:
            return f"Today's plan is done ({minutes(self.spent)})."
        work = []
        if self.reviews:
            work.append(plural(self.reviews, "review"))
        if self.new_questions:
            work.append(plural(self.new_questions, "new question"))
        # The why and dos cards of questions already started, met for the first time.
        follow = self.new_cards - self.new_questions
        if follow > 0:
            work.append(plural(follow, "why/dos card"))
        if self.spent >= 30:
            # "11 of 13 min left" says what is done without a bare number: "(2 done)" beside
            # "5 new questions" read as two questions done. (As short, so it fits at 60x20.)
            left, spent = round(self.left / 60), round(self.spent / 60)
            text = f"≈ {left} of {left + spent} min left: {', '.join(work)}"
        else:
            text = f"≈ {minutes(self.left)} today: {', '.join(work)}"
        if self.over >= 60:
            text += f"; {minutes(self.over)} over your {self.budget_minutes}-minute budget"
        return text + "."

    def to_json(self) -> dict[str, Any]:
        return {
            "daily_minutes": self.budget_minutes,
            "spent_minutes": round(self.spent / 60, 1),
            "left_minutes": round(self.left / 60, 1),
            "reviews": self.reviews,
            "new_questions": self.new_questions,
            "new_cards": self.new_cards,
            "done": self.done,
        }
