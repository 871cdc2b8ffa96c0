"""Leeches: questions the user keeps failing.

A rehearse card that has lapsed `leech_threshold` times (Anki's default is 8) is a leech.
drill flags it and offers help (rewrite the answer from the approach, link a story,
practise it); with `leech_action` set to suspend it also suspends the card, as Anki can.
Only rehearse cards count: they are the question itself, said out loud.
"""

from __future__ import annotations

from drill.core.config import StudyConfig
from drill.core.model import CardKind, CardRecord


def is_leech(config: StudyConfig, kind: CardKind, record: CardRecord) -> bool:
    threshold = config.leech_threshold
    return kind == CardKind.REHEARSE and threshold > 0 and record.lapses >= threshold


def became_leech(
    config: StudyConfig, kind: CardKind, before: CardRecord, after: CardRecord
) -> bool:
    """Whether this rating made the card a leech (it was not one before)."""
    return is_leech(config, kind, after) and not is_leech(config, kind, before)
