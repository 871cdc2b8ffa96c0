"""Deadline mode: study for an interview on a known date.

With `interview_date` set and still ahead, a deck raises its intake of new questions (and
its new-card limit) so every question is seen before the day (the daily time budget still
holds: see core/budget.py),
leaves the last day before it free of new questions, and lets a question's cards be studied
on the same day. Intervals are FSRS's own: a card due after the interview is, by FSRS's
definition, still at `desired_retention` or better on the day. Once the date has passed, the
deck is scheduled normally again.

Earlier drills also pulled every interval that crossed the interview onto the last day and
made that day a run-through of every rehearse card. With 58 questions that was two hours on
one day; practice (`drill review --practice`) now runs through the weakest questions on any
day without rescheduling anything.
"""

from __future__ import annotations

import math
from datetime import date, datetime

from drill.core import clock
from drill.core.config import StudyConfig


def days_left(config: StudyConfig, now: datetime, day_starts_at: int) -> int | None:
    """Study days from today (inclusive) to the interview (exclusive); None if no deadline."""
    return days_until(config.interview_date, now, day_starts_at)


def days_until(interview: date | None, now: datetime, day_starts_at: int) -> int | None:
    """Study days from today (inclusive) to `interview` (exclusive); None if none is ahead."""
    if interview is None:
        return None
    left = (interview - clock.study_date(now, day_starts_at)).days
    return left if left > 0 else None


def active(config: StudyConfig, now: datetime, day_starts_at: int) -> bool:
    return days_left(config, now, day_starts_at) is not None


def questions_needed(unseen: int, left: int) -> int:
    """New questions a day that see `unseen` questions before the last day of `left` days.

    The last day before the interview takes none (it is for what is due, and practice);
    on that day itself, whatever is still unseen.
    """
    if unseen <= 0:
        return 0
    return math.ceil(unseen / max(1, left - 1))


def new_card_limit(config: StudyConfig, new_at_day_start: int, left: int) -> int:
    """A deck's new-card limit (`new_per_day`) before the interview, raised so that every new
    card fits the days before the last one. `new_at_day_start` counts the deck's new cards
    as they were when today began, so the limit holds through the day.
    """
    return max(config.new_per_day, math.ceil(new_at_day_start / max(1, left - 1)))


def countdown(
    config: StudyConfig, now: datetime, day_starts_at: int
) -> tuple[date, int, datetime] | None:
    """(interview date, days left, when the interview day starts), or None."""
    left = days_left(config, now, day_starts_at)
    if left is None:
        return None
    interview: date = config.interview_date  # type: ignore[assignment]
    return interview, left, clock.start_of(interview, day_starts_at)
