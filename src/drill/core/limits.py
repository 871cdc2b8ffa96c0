"""The ranges drill accepts for numbers and times, checked where they come in (docs/limits.md).

A value outside its range is refused at the edge (a file, an option, a setting) with one line
saying the range, so nothing stored can later overflow a date, a timestamp or an SQLite
integer. Review durations are the exception: a long one is real (the card was left open), so
it is counted as at most MAX_DURATION_MS instead of refused.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from drill.errors import DrillError

# Times drill stores and schedules: reviews, DRILL_NOW, the interview date. Python's dates
# end in 9999 and scheduling adds up to maximum_interval (100 years), so the range ends in
# 2099 with room to spare.
EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
LATEST = datetime(2100, 1, 1, tzinfo=UTC)  # exclusive
EARLIEST_MS = 946_684_800_000
LATEST_MS = 4_102_444_800_000
FIRST_DATE = date(2000, 1, 1)
LAST_DATE = date(2099, 12, 31)
# A review counts as at most an hour: longer means the card was left open.
MAX_DURATION_MS = 3_600_000
# SQLite integers (card ids, stored numbers) are signed 64-bit.
MAX_INT64 = 2**63 - 1
# More digits than any int64 has: parsed no further (Python refuses 4,300 digits anyway).
MAX_DIGITS = 19
# Questions in one deck file (or notes in one Anki package). Each costs some 1 KB in memory
# however short its line ('## Q?' is 6 bytes), so a 64 MiB file of them would be gigabytes;
# an interview deck holds hundreds.
MAX_QUESTIONS = 100_000
# Reviews in one history file or Anki package: a review costs some 1 KB by the time it is
# merged (1,000,000 of them, a 67 MB CSV: 1 GB), and twenty years of daily study are far
# fewer.
MAX_REVIEWS = 2_000_000


def too_many_reviews(hint: str) -> str:
    return f"more than {MAX_REVIEWS:,} reviews in one file; {hint}"


def too_many_questions(count: int) -> str | None:
    """The problem with a file holding `count` questions (or at least that many), if any."""
    if count <= MAX_QUESTIONS:
        return None
    return (
        f"more than {MAX_QUESTIONS:,} questions in one file (found {count:,}); "
        "split it, or import only the decks you study"
    )


class RangeError(DrillError):
    """A number or time outside the range drill accepts for it."""


def whole_number(text: str) -> int | None:
    """`text` as an int64 if it is one (optional sign, at most 19 digits), else None."""
    text = text.strip()
    digits = text[1:] if text[:1] in "+-" else text
    if not digits.isascii() or not digits.isdigit() or len(digits.lstrip("0")) > MAX_DIGITS:
        return None
    value = int(text)
    return value if -MAX_INT64 - 1 <= value <= MAX_INT64 else None


def time_range_text() -> str:
    return f"{EARLIEST.date().isoformat()} to {LAST_DATE.isoformat()}"


def in_time_range(ms: int) -> bool:
    return EARLIEST_MS <= ms < LATEST_MS


def check_instant(moment: datetime, what: str) -> datetime:
    """`moment` if it lies in 2000-2099 (UTC); RangeError naming `what` otherwise."""
    if not EARLIEST <= moment < LATEST:
        raise RangeError(
            f"{what}: {moment.isoformat()} is outside the times drill handles ({time_range_text()})"
        )
    return moment


def check_date(day: date, what: str) -> date:
    if not FIRST_DATE <= day <= LAST_DATE:
        raise RangeError(f"{what}: {day.isoformat()} is outside {time_range_text()}")
    return day


def capped_duration(ms: int | None) -> int | None:
    """A review's duration as stored: None (unknown) or 0 to MAX_DURATION_MS."""
    if ms is None:
        return None
    return min(max(0, ms), MAX_DURATION_MS)
