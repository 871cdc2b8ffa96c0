"""Time: the current instant (overridable with DRILL_NOW), epoch milliseconds, study days.

The core never reads the clock itself: shells call `now()` once and pass the result down.
"""

from __future__ import annotations

import os
from datetime import UTC, date, datetime, timedelta

from drill.core.limits import RangeError, check_instant, time_range_text
from drill.errors import DrillError

ENV_NOW = "DRILL_NOW"


def now(environ: dict[str, str] | None = None) -> datetime:
    """The current time as aware UTC, or DRILL_NOW (ISO-8601 with an offset) when set."""
    env = os.environ if environ is None else environ
    value = env.get(ENV_NOW, "").strip()
    if not value:
        return datetime.now(UTC)
    return check_instant(parse_instant(value, what=ENV_NOW), ENV_NOW)


def parse_instant(value: str, *, what: str = "time") -> datetime:
    """Parse ISO-8601 with an offset (or Z) into aware UTC; DrillError otherwise."""
    shown = value if len(value) <= 40 else value[:37] + "..."
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        raise DrillError(
            f"{what}: cannot read '{shown}' as a time (use ISO-8601, e.g. 2026-01-31T09:00:00Z)"
        ) from None
    if parsed.tzinfo is None:
        raise DrillError(f"{what}: '{shown}' needs a UTC offset, e.g. 2026-01-31T09:00:00+01:00")
    try:
        return parsed.astimezone(UTC)
    except OverflowError:  # 0001-01-01 with a positive offset is before year 1 in UTC
        raise RangeError(
            f"{what}: {shown} is outside the times drill handles ({time_range_text()})"
        ) from None


def to_ms(moment: datetime) -> int:
    """Milliseconds since the Unix epoch."""
    return int(moment.timestamp() * 1000)


def from_ms(ms: int) -> datetime:
    """The moment `ms` (milliseconds since 1970, UTC) names.

    Every time drill stores is in range; one that is not was written outside drill (a
    database edited by hand; `drill restore` refuses such backups), so it is one line saying
    so, not a traceback.
    """
    try:
        return datetime.fromtimestamp(ms / 1000, tz=UTC)
    except (ValueError, OverflowError, OSError):
        raise DrillError(
            f"the database is damaged: a stored time ({ms} ms since 1970) is outside any "
            "calendar (restore a backup: drill restore FILE)"
        ) from None


def study_date(moment: datetime, day_starts_at: int) -> date:
    """The local calendar date of the study day `moment` falls in (days begin at the hour given)."""
    local = moment.astimezone()
    if local.hour < day_starts_at:
        return (local - timedelta(days=1)).date()
    return local.date()


def day_start(moment: datetime, day_starts_at: int) -> datetime:
    """When the study day containing `moment` began, as aware UTC."""
    return start_of(study_date(moment, day_starts_at), day_starts_at)


def start_of(day: date, day_starts_at: int) -> datetime:
    """When study day `day` begins, as aware UTC.

    A naive datetime's `astimezone()` applies the system's zone rules for that date, so a
    day that crosses a DST change still starts at the configured local hour.
    """
    naive = datetime(day.year, day.month, day.day, day_starts_at)
    early, late = sorted(naive.replace(fold=f).astimezone().astimezone(UTC) for f in (0, 1))
    if study_date(early, day_starts_at) == day:
        return early
    # The clocks jumped over the start hour that day: the day starts at the jump, which
    # lies between the two readings of the missing hour. Find it by bisection.
    low, high = early, late
    while high - low > timedelta(milliseconds=1):
        middle = low + (high - low) / 2
        low, high = (low, middle) if study_date(middle, day_starts_at) == day else (middle, high)
    whole = high.replace(microsecond=0)
    return whole if study_date(whole, day_starts_at) == day else high


def next_day_start(moment: datetime, day_starts_at: int) -> datetime:
    return start_of(study_date(moment, day_starts_at) + timedelta(days=1), day_starts_at)
