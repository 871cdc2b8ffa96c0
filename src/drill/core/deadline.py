"""Deadline mode: study for an interview on a known date.

With `interview_date` set and still ahead, a deck introduces every new card before the day,
schedules nothing on or after it, and makes the last day before it a run-through of the
rehearse cards. Once the date has passed, the deck is scheduled normally again.
"""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import date, datetime, timedelta

from drill.core import clock
from drill.core.config import StudyConfig
from drill.core.model import CardKind, CardRecord

# A card due "before the interview" is due late on the last study day, not at its start, so
# it is reviewed on that day after the rehearse run-through.
_BEFORE = timedelta(minutes=1)


def days_left(config: StudyConfig, now: datetime, day_starts_at: int) -> int | None:
    """Study days from today (inclusive) to the interview (exclusive); None if no deadline."""
    if config.interview_date is None:
        return None
    left = (config.interview_date - clock.study_date(now, day_starts_at)).days
    return left if left > 0 else None


def active(config: StudyConfig, now: datetime, day_starts_at: int) -> bool:
    return days_left(config, now, day_starts_at) is not None


def new_limit(config: StudyConfig, new_at_day_start: int, now: datetime, day_starts_at: int) -> int:
    """Today's new-card limit: enough to see every new card before the last day.

    `new_at_day_start` counts the deck's new cards as they were when today began (those
    still new plus those introduced today), so the limit holds steady through the day.
    """
    left = days_left(config, now, day_starts_at)
    if left is None:
        return config.new_per_day
    return max(config.new_per_day, math.ceil(new_at_day_start / max(1, left - 1)))


def clamp(
    record: CardRecord,
    kind: CardKind,
    config: StudyConfig,
    now: datetime,
    day_starts_at: int,
) -> CardRecord:
    """Shorten an interval that would land on or after the interview so it lands before it.

    Rehearse cards rated before the last day are due on the last day (the run-through).
    """
    if record.due is None or not active(config, now, day_starts_at):
        return record
    interview: date = config.interview_date  # type: ignore[assignment]
    interview_start = clock.start_of(interview, day_starts_at)
    last_day_start = clock.start_of(interview - timedelta(days=1), day_starts_at)
    due = clock.from_ms(record.due)
    if kind == CardKind.REHEARSE and now < last_day_start and due > last_day_start:
        return replace(record, due=clock.to_ms(last_day_start))
    if due >= interview_start:
        return replace(record, due=clock.to_ms(max(now, interview_start - _BEFORE)))
    return record


def countdown(
    config: StudyConfig, now: datetime, day_starts_at: int
) -> tuple[date, int, datetime] | None:
    """(interview date, days left, when the interview day starts), or None."""
    left = days_left(config, now, day_starts_at)
    if left is None:
        return None
    interview: date = config.interview_date  # type: ignore[assignment]
    return interview, left, clock.start_of(interview, day_starts_at)
