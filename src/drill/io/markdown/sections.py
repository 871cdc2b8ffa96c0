"""The deck format's sections: their names and spellings, and the Question field each fills.

Shared by the full parser (deck.py) and the fast path (fast.py), so both read one table.
"""

from __future__ import annotations

import difflib
import re
from functools import lru_cache

from drill.core.vocabulary import QUESTION_KEYS

# Canonical section name -> accepted spellings (compared after `_normalize_name`).
SECTION_ALIASES: dict[str, tuple[str, ...]] = {
    "Variants": ("variants", "similar questions", "also asked as"),
    "Why they ask": ("why they ask", "why", "why the interviewer asks", "intent"),
    "Approach": ("approach", "best approach", "how to answer"),
    "Short answer": ("short answer", "short version", "30-second answer", "in 30 seconds"),
    "Do": ("do", "dos", "do's"),
    "Don't": ("don't", "donts", "don'ts", "avoid"),
    "Red flags": ("red flags", "red flag", "deal breakers"),
    "Example": ("example", "good example"),
    "Bad example": ("bad example", "how not to answer", "weak answer"),
    "Follow-ups": (
        "follow-ups",
        "follow ups",
        "followups",
        "follow-up questions",
        "next questions",
    ),
    "Key phrases": ("key phrases", "phrases to use", "scripts"),
    "Tips": ("tips", "notes"),
    "My answer": ("my answer",),
}
_BY_ALIAS = {alias: name for name, aliases in SECTION_ALIASES.items() for alias in aliases}
LIST_SECTIONS = frozenset(
    {"Variants", "Do", "Don't", "Red flags", "Follow-ups", "Key phrases", "Tips"}
)
# The Question attribute each section fills (examples, which accumulate, are apart).
SECTION_FIELDS = {
    "Variants": "variants",
    "Why they ask": "why",
    "Approach": "approach",
    "Short answer": "short_answer",
    "Do": "dos",
    "Don't": "donts",
    "Red flags": "red_flags",
    "Bad example": "bad_example",
    "Follow-ups": "follow_ups",
    "Key phrases": "key_phrases",
    "Tips": "tips",
    "My answer": "my_answer",
}
METADATA_KEYS = QUESTION_KEYS


def _normalize_name(text: str) -> str:
    text = text.replace("\u2019", "'").replace("\u2018", "'").strip().rstrip(":").strip()
    return re.sub(r"\s+", " ", text).lower()


@lru_cache(maxsize=512)
def section_name(heading: str) -> tuple[str | None, str]:
    """Map an H3 heading to (canonical section, example label); (None, "") if unknown."""
    name = _normalize_name(heading)
    if name in _BY_ALIAS:
        return _BY_ALIAS[name], ""
    head, sep, label = heading.partition(":")
    if sep and _BY_ALIAS.get(_normalize_name(head)) == "Example":
        return "Example", label.strip()
    return None, ""


def unknown_section_hint(heading: str) -> str:
    """What to say about a heading that names no section: the closest one, or the list."""
    candidates = difflib.get_close_matches(
        _normalize_name(heading), list(_BY_ALIAS), n=1, cutoff=0.6
    )
    if candidates:
        return f"did you mean '{_BY_ALIAS[candidates[0]]}'?"
    return "known sections: " + ", ".join(SECTION_ALIASES)
