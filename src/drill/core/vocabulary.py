"""The words the deck format's metadata may use, and how long an answer should take.

docs/content-standard.md explains each; `io/` validates deck files against these, and the
mock timer, the plan and the answer coach read the target lengths.
"""

from __future__ import annotations

import re
from datetime import date

# What kind of question it is (`type:` in a deck file).
QUESTION_TYPES = (
    "behavioral",
    "hypothetical",
    "self-assessment",
    "motivation",
    "logistics",
    "technical",
    "ask-them",
)

# Who the question is for (`level:`).
LEVELS = ("entry", "experienced", "manager", "any")

# What interviewers probe (`competencies:`): the vocabulary job postings and stories map to.
COMPETENCIES = (
    "ownership",
    "conflict",
    "leadership",
    "influence",
    "failure",
    "customer",
    "data",
    "communication",
    "prioritization",
    "teamwork",
    "learning",
    "ethics",
    "adaptability",
    "ambiguity",
    "feedback",
    "decision-making",
    "stakeholders",
    "delivery",
    "innovation",
    "coaching",
    "negotiation",
    "motivation",
    "self-awareness",
    "technical-depth",
    "planning",
    "resilience",
    "commercial-awareness",
    "product-sense",
    "hiring",
    "strategy",
)

# A calm interview pace: speaking time is estimated from words at this rate.
SPEAKING_WPM = 140

# Target speaking time (seconds, low and high) by question type, when a question sets none.
DEFAULT_SECONDS: dict[str, tuple[int, int]] = {
    "behavioral": (60, 150),
    "hypothetical": (60, 120),
    "self-assessment": (45, 120),
    "motivation": (45, 90),
    "technical": (60, 150),
    "logistics": (20, 60),
    "ask-them": (20, 60),
}
# ...and when the question has no type either.
FALLBACK_SECONDS = (45, 120)

# Bounds of a `length:`: shorter than this is no answer, longer is a speech.
MIN_LENGTH_SECONDS = 5
MAX_LENGTH_SECONDS = 1800

# Question metadata lines, in the order a writer puts them and an export writes them.
QUESTION_KEYS = ("id", "tags", "type", "competencies", "level", "length", "reviewed")
# Deck metadata lines under `# Name`.
DECK_KEYS = ("id", "license", "version")

_LENGTH = re.compile(r"^(\d{1,5})\s*(?:-\s*(\d{1,5})\s*)?s$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_MAX_TEXT = 200  # a license or version is a short label, not a paragraph


class VocabularyError(ValueError):
    """A metadata value outside the vocabulary: what is wrong and a hint to fix it."""

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


def _closest(value: str, choices: tuple[str, ...]) -> str:
    import difflib  # only for a mistake: kept off every command's start-up

    close = difflib.get_close_matches(value, choices, n=1, cutoff=0.6)
    if close:
        return f"did you mean '{close[0]}'?"
    return "use one of: " + ", ".join(choices)


def parse_type(value: str) -> str:
    """A `type:` value, lower-cased; VocabularyError if it names no question type."""
    text = value.strip().lower()
    if text not in QUESTION_TYPES:
        raise VocabularyError(f"unknown type '{value.strip()}'", _closest(text, QUESTION_TYPES))
    return text


def parse_level(value: str) -> str:
    text = value.strip().lower()
    if text not in LEVELS:
        raise VocabularyError(f"unknown level '{value.strip()}'", _closest(text, LEVELS))
    return text


def parse_competencies(value: str) -> list[str]:
    """Comma-separated competencies, lower-cased, duplicates dropped, order kept."""
    out: list[str] = []
    for part in value.split(","):
        name = part.strip().lower()
        if not name:
            continue
        if name not in COMPETENCIES:
            raise VocabularyError(
                f"unknown competency '{part.strip()}'",
                _closest(name, COMPETENCIES) + " (docs/deck-format.md lists them all)",
            )
        if name not in out:
            out.append(name)
    if not out:
        raise VocabularyError("empty competencies", "name one or more, e.g. 'ownership, data'")
    return out


def parse_length(value: str) -> tuple[int, int]:
    """`60-150s` (or `90s`) as (low, high) seconds."""
    match = _LENGTH.match(value.strip().lower())
    hint = "write it as LOW-HIGHs, e.g. '60-150s'"
    if not match:
        raise VocabularyError(f"invalid length '{value.strip()}'", hint)
    low = int(match.group(1))
    high = int(match.group(2) or low)
    if low > high:
        raise VocabularyError(f"length '{value.strip()}' ends before it starts", hint)
    if low < MIN_LENGTH_SECONDS or high > MAX_LENGTH_SECONDS:
        raise VocabularyError(
            f"length '{value.strip()}' is out of range",
            f"keep it within {MIN_LENGTH_SECONDS}-{MAX_LENGTH_SECONDS}s",
        )
    return low, high


def format_length(length: tuple[int, int]) -> str:
    """The `length:` text for (low, high): inverse of parse_length."""
    low, high = length
    return f"{low}s" if low == high else f"{low}-{high}s"


def parse_reviewed(value: str) -> str:
    """A `reviewed:` date, kept as its ISO text."""
    text = value.strip()
    try:
        if not _DATE.match(text):
            raise ValueError
        date.fromisoformat(text)
    except ValueError:
        raise VocabularyError(
            f"invalid reviewed date '{text}'", "write it as YYYY-MM-DD, e.g. '2026-03-01'"
        ) from None
    return text


def parse_label(key: str, value: str) -> str:
    """A deck's `license:` or `version:`: one short line of text."""
    text = value.strip()
    if not text:
        raise VocabularyError(f"empty {key}", f"write the {key} after '{key}:' or drop the line")
    if len(text) > _MAX_TEXT:
        raise VocabularyError(f"{key} is too long", f"keep it under {_MAX_TEXT} characters")
    return text
