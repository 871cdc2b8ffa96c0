"""Study settings: validated values with defaults that reproduce py-fsrs exactly.

Settings are layered: built-in defaults, then the collection-wide values, then a deck's own.
Each layer stores only the keys the user set, as JSON of the raw (text-form) values.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields, replace
from datetime import date
from typing import Any

from drill.core.limits import FIRST_DATE, LAST_DATE, time_range_text, whole_number
from drill.core.model import CardKind
from drill.errors import DrillError


class ConfigError(DrillError):
    """A setting name or value that is not valid."""


_STEP = re.compile(r"^(\d+(?:\.\d+)?)([smhd])$")
# A learning step is at most a year (a longer one is an interval, not a step), and a card
# has at most 20 of them (docs/limits.md).
MAX_STEP_SECONDS = 365 * 86400
MAX_STEPS = 20
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def _parse_steps(text: str) -> tuple[int, ...]:
    text = text.strip()
    if text.lower() in ("", "none"):
        return ()
    steps = []
    for part in re.split(r"[\s,]+", text):
        shown = part if len(part) <= 20 else part[:17] + "..."
        match = _STEP.match(part.lower())
        if not match:
            raise ValueError(
                f"'{shown}' is not a step; use numbers with s, m, h or d, e.g. '1m 10m'"
            )
        seconds = float(match.group(1)) * _UNIT_SECONDS[match.group(2)]
        if seconds < 1:
            raise ValueError(f"step '{shown}' is shorter than a second")
        if seconds > MAX_STEP_SECONDS:
            raise ValueError(f"step '{shown}' is longer than {MAX_STEP_SECONDS // 86400} days")
        steps.append(int(seconds))
        if len(steps) > MAX_STEPS:
            raise ValueError(f"more than {MAX_STEPS} steps")
    return tuple(steps)


def format_steps(steps: tuple[int, ...]) -> str:
    if not steps:
        return "none"
    out = []
    for seconds in steps:
        for unit in "dhm":
            if seconds % _UNIT_SECONDS[unit] == 0:
                out.append(f"{seconds // _UNIT_SECONDS[unit]}{unit}")
                break
        else:
            out.append(f"{seconds}s")
    return " ".join(out)


def _parse_bool(text: str) -> bool:
    value = text.strip().lower()
    if value in ("on", "true", "yes", "1"):
        return True
    if value in ("off", "false", "no", "0"):
        return False
    raise ValueError(f"'{text}' is not on or off")


def _int_range(low: int, high: int) -> Callable[[str], int]:
    def parse(text: str) -> int:
        value = whole_number(text)
        if value is None:
            shown = text if len(text) <= 30 else text[:27] + "..."
            raise ValueError(f"'{shown}' is not a whole number from {low} to {high}")
        if not low <= value <= high:
            raise ValueError(f"{value} is outside {low}-{high}")
        return value

    return parse


def _parse_retention(text: str) -> float:
    try:
        value = float(text.strip())
    except ValueError:
        raise ValueError(f"'{text}' is not a number") from None
    if not 0.70 <= value <= 0.99:
        raise ValueError(f"{value} is outside 0.70-0.99")
    return value


def _parse_parameters(text: str) -> tuple[float, ...] | None:
    if text.strip().lower() in ("", "default", "none"):
        return None
    try:
        values = tuple(float(part) for part in re.split(r"[\s,]+", text.strip()) if part)
    except ValueError:
        raise ValueError("parameters must be 21 comma-separated numbers") from None
    if not all(math.isfinite(v) for v in values):
        raise ValueError("parameters must be finite numbers (not nan or inf)")
    from fsrs import Scheduler

    try:
        Scheduler(parameters=values)
    except ValueError as exc:
        raise ValueError(str(exc).replace("\n", "; ")) from None
    return values


def _parse_kinds(text: str) -> frozenset[CardKind]:
    names = [part for part in re.split(r"[\s,]+", text.strip().lower()) if part]
    if not names:
        raise ValueError("name at least one of rehearse, why, dos")
    try:
        return frozenset(CardKind(name) for name in names)
    except ValueError:
        bad = next(n for n in names if n not in {k.value for k in CardKind})
        raise ValueError(f"unknown card kind '{bad}' (use rehearse, why, dos)") from None


def _parse_date(text: str) -> date | None:
    if text.strip().lower() in ("", "none", "off"):
        return None
    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(f"'{text}' is not a date (use YYYY-MM-DD, or none)") from None
    if not FIRST_DATE <= day <= LAST_DATE:
        raise ValueError(f"{day.isoformat()} is outside {time_range_text()}")
    return day


def _parse_leech_action(text: str) -> str:
    value = text.strip().lower()
    if value not in ("flag", "suspend"):
        raise ValueError(f"'{text}' is not flag or suspend")
    return value


@dataclass(frozen=True, slots=True)
class StudyConfig:
    """Effective settings of one deck (or the collection defaults)."""

    desired_retention: float = 0.90
    new_per_day: int = 10
    reviews_per_day: int = 200
    learning_steps: tuple[int, ...] = (60, 600)
    relearning_steps: tuple[int, ...] = (600,)
    maximum_interval: int = 36500
    fuzz: bool = True
    day_starts_at: int = 4
    fsrs_parameters: tuple[float, ...] | None = None
    card_kinds: frozenset[CardKind] = frozenset(CardKind)
    interview_date: date | None = None
    # A rehearse card that lapsed this many times is a leech (Anki's default is 8; 0: never).
    leech_threshold: int = 8
    leech_action: str = "flag"  # "flag" only, or "suspend" the card too
    # A mock asks a question's follow-up after the main answer, as interviewers do.
    mock_follow_ups: bool = True

    def with_raw(self, raw: Mapping[str, str]) -> StudyConfig:
        """Apply stored text values; raises ConfigError naming the bad key."""
        changes = {key: parse_value(key, value) for key, value in raw.items()}
        return replace(self, **changes)

    def display(self) -> dict[str, str]:
        """Every setting as the text a user would type."""
        return {f.name: format_value(f.name, getattr(self, f.name)) for f in fields(self)}

    def to_json(self) -> dict[str, Any]:
        values = self.display()
        out: dict[str, Any] = dict(values)
        out["desired_retention"] = self.desired_retention
        for key in ("new_per_day", "reviews_per_day", "maximum_interval", "day_starts_at"):
            out[key] = getattr(self, key)
        out["fuzz"] = self.fuzz
        out["mock_follow_ups"] = self.mock_follow_ups
        out["fsrs_parameters"] = list(self.fsrs_parameters) if self.fsrs_parameters else None
        out["card_kinds"] = [k.value for k in CardKind if k in self.card_kinds]
        out["interview_date"] = self.interview_date.isoformat() if self.interview_date else None
        out["leech_threshold"] = self.leech_threshold
        return out


_PARSERS: dict[str, Callable[[str], Any]] = {
    "desired_retention": _parse_retention,
    "new_per_day": _int_range(0, 9999),
    "reviews_per_day": _int_range(0, 99999),
    "learning_steps": _parse_steps,
    "relearning_steps": _parse_steps,
    "maximum_interval": _int_range(1, 36500),
    "fuzz": _parse_bool,
    "day_starts_at": _int_range(0, 23),
    "fsrs_parameters": _parse_parameters,
    "card_kinds": _parse_kinds,
    "interview_date": _parse_date,
    "leech_threshold": _int_range(0, 99),
    "leech_action": _parse_leech_action,
    "mock_follow_ups": _parse_bool,
}
KEYS = tuple(_PARSERS)


def parse_value(key: str, text: str) -> Any:
    """Validate one setting given as text; ConfigError with a one-line reason otherwise."""
    if key not in _PARSERS:
        import difflib

        close = difflib.get_close_matches(key, KEYS, n=1)
        hint = f" (did you mean '{close[0]}'?)" if close else f" (known: {', '.join(KEYS)})"
        raise ConfigError(f"unknown setting '{key}'{hint}")
    try:
        return _PARSERS[key](str(text))
    except ValueError as exc:
        raise ConfigError(f"{key}: {exc}") from None


def format_value(key: str, value: Any) -> str:
    if key in ("learning_steps", "relearning_steps"):
        return format_steps(value)
    if key in ("fuzz", "mock_follow_ups"):
        return "on" if value else "off"
    if key == "fsrs_parameters":
        return "default" if value is None else ",".join(f"{v:g}" for v in value)
    if key == "card_kinds":
        return ",".join(k.value for k in CardKind if k in value)
    if key == "interview_date":
        return value.isoformat() if value else "none"
    return str(value)


def load_raw(text: str | None) -> dict[str, str]:
    """Read a stored layer; unknown keys from a newer drill are kept but ignored."""
    if not text:
        return {}
    try:
        data = json.loads(text)
    except ValueError:
        data = None
    if not isinstance(data, dict):
        # A layer damaged outside drill reads as no layer, as a value that no longer
        # validates does (storage.repo): studying goes on with the defaults, and the next
        # `drill config` writes a sound layer again.
        return {}
    return {k: str(v) for k, v in data.items() if k in _PARSERS}


def effective(global_raw: Mapping[str, str], deck_raw: Mapping[str, str]) -> StudyConfig:
    return StudyConfig().with_raw(global_raw).with_raw(deck_raw)
