"""Numbers, times and dates for people: one spelling each, shared by the CLI, TUI and reports."""

from __future__ import annotations

import math
from datetime import date, datetime, timedelta

from drill.core.clock import from_ms

DASH = "–"


def percent(value: float | None) -> str:
    """0.8312 as "83.1%"; None as a dash."""
    return DASH if value is None else f"{value * 100:.1f}%"


def duration(ms: int | None) -> str:
    """Time spent: "45s", "3m 20s", "1h 05m"; None (not recorded) as "—"."""
    if ms is None:
        return "—"
    seconds = max(0, round(ms / 1000))
    if seconds < 60:
        return f"{seconds}s"
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes}m {seconds:02d}s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h {minutes:02d}m"


def clock_time(seconds: int) -> str:
    """Whole seconds as m:ss, as a countdown shows them (95 -> "1:35")."""
    seconds = max(0, seconds)
    return f"{seconds // 60}:{seconds % 60:02d}"


def speaking_time(low: int, high: int) -> str:
    """A target answer length: (60, 150) -> "1:00–2:30"; one figure when low == high."""
    return clock_time(low) if low == high else f"{clock_time(low)}{DASH}{clock_time(high)}"


def interval(delta: timedelta) -> str:
    """A short human interval: 45s, 10m, 3h, 4d, 2.5mo, 1.2y."""
    # Whole seconds first, so 59.9995 s reads "1m", not "60s".
    seconds = float(max(0, round(delta.total_seconds())))
    if seconds < 60:
        return f"{round(seconds)}s"
    if seconds < 3600:
        return f"{round(seconds / 60)}m"
    if seconds < 86400:
        return f"{round(seconds / 3600)}h"
    days = seconds / 86400
    if days < 30:
        return f"{round(days)}d"
    if days < 365:
        return f"{days / 30:.1f}mo".replace(".0mo", "mo")
    return f"{days / 365:.1f}y".replace(".0y", "y")


def compact(n: int) -> str:
    """A count short enough for a tile: 12,345, 207k, 1.2M."""
    if n < 100_000:
        return f"{n:,}"
    if n < 1_000_000:
        return f"{n / 1000:.0f}k"
    return f"{n / 1_000_000:.1f}M"


def plural(count: int, noun: str, nouns: str | None = None) -> str:
    """ "1 day", "3 days" (or the irregular plural given)."""
    return f"{count:,} {noun if count == 1 else (nouns or noun + 's')}"


def day_label(day: date) -> str:
    """A day on a chart axis: "Jan 5"."""
    return f"{day:%b} {day.day}"


def monday(day: date) -> date:
    """The Monday of the week `day` falls in."""
    return day - timedelta(days=day.weekday())


def long_date(day: date) -> str:
    """A date for a sentence: "Thursday 15 January 2026"."""
    return f"{day:%A} {day.day} {day:%B %Y}"


def long_moment(when: datetime) -> str:
    """A moment for a sentence, in local time: "Monday 5 January 2026 at 10:00"."""
    local = when.astimezone()
    return f"{long_date(local.date())} at {local:%H:%M}"


def moment(when: datetime) -> str:
    """A past moment in local time, compact and sortable: 2026-01-05 10:00."""
    return f"{when.astimezone():%Y-%m-%d %H:%M}"


def iso_utc(moment: datetime) -> str:
    """An aware time as ISO-8601 in UTC with a Z: 2026-01-05T10:00:00Z."""
    return moment.isoformat().replace("+00:00", "Z")


def iso_ms(ms: int | None) -> str | None:
    """Epoch milliseconds as ISO-8601 UTC with a Z, or None."""
    return iso_utc(from_ms(ms)) if ms is not None else None


def nice_ticks(top: float, count: int = 4, *, integer: bool = True) -> list[float]:
    """Round axis ticks from 0 to at least `top` (about `count` steps)."""
    if top <= 0:
        return [0, 1]
    raw = top / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    if integer:
        step = max(1, math.ceil(step))
    return [i * step for i in range(math.ceil(top / step - 1e-9) + 1)]
