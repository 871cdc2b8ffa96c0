"""Fitting a chart's range to the data, so a new user's few days are not a sliver at the edge
of twelve empty weeks.

A history starts at its first day with reviews (or enough days before today to make the
minimum); a forecast ends at its last day with something due (or the minimum). Every report
and the stats screen use these, so they agree on what they show.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import TypeVar

from drill.core.format import monday
from drill.progress.stats import WeekRetention

T = TypeVar("T")

MIN_DAYS = 14  # two weeks: short enough to fill, long enough to see a rhythm


def from_first(items: Sequence[T], active: Callable[[T], bool], minimum: int) -> list[T]:
    """The items from the first active one on, keeping at least the last `minimum`."""
    first = next((i for i, item in enumerate(items) if active(item)), len(items))
    return list(items[min(first, max(0, len(items) - minimum)) :])


def until_last(items: Sequence[T], active: Callable[[T], bool], minimum: int) -> list[T]:
    """The items up to the last active one, keeping at least the first `minimum`."""
    last = max((i for i, item in enumerate(items) if active(item)), default=-1)
    return list(items[: max(last + 1, min(minimum, len(items)))])


def history(
    days: Sequence[tuple[date, int]], minimum: int = MIN_DAYS, *, whole_weeks: bool = False
) -> list[tuple[date, int]]:
    """Reviews per day from the first day with reviews (at least the last `minimum` days);
    `whole_weeks` starts earlier to make a whole number of weeks up to today, for charts
    titled in weeks.
    """
    count = len(from_first(days, lambda day: day[1] > 0, minimum))
    if whole_weeks:
        count = min(len(days), -(-count // 7) * 7)
    return list(days[len(days) - count :])


def forecast(days: Sequence[tuple[date, int]], minimum: int = MIN_DAYS) -> list[tuple[date, int]]:
    """Cards due per day up to the last day with any (at least `minimum` days)."""
    return until_last(days, lambda day: day[1] > 0, minimum)


def weeks(
    weekly: Sequence[WeekRetention], heatmap: Sequence[tuple[date, int]]
) -> list[WeekRetention]:
    """The weeks since the week of the first review in `heatmap` (the current week at least):
    weeks before someone started studying are not weeks of 0% or missing retention.
    """
    first = next((day for day, n in heatmap if n), None)
    if first is None:
        return list(weekly[-1:])
    start = monday(first)
    return [w for w in weekly if w.week >= start] or list(weekly[-1:])
