"""Metadata lines of a question or deck, checked against core/vocabulary.

Every reader that takes metadata (the Markdown parser and its fast path, the Anki readers)
applies it through these functions, so they all accept exactly the same values.
"""

from __future__ import annotations

import re

from drill.core import vocabulary
from drill.core.model import Deck, Question, slugify
from drill.core.vocabulary import DECK_KEYS, QUESTION_KEYS, VocabularyError

# The ids a deck file may give a question or a deck (also the JSON format's).
ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")


def check_id(value: str, what: str = "id") -> str:
    if not ID_PATTERN.match(value):
        suggestion = slugify(value) or "my-question"
        raise VocabularyError(
            f"invalid {what} '{value}'",
            f"use letters, digits, '-', '_' or '.', e.g. '{suggestion}'",
        )
    return value


def split_tags(value: str) -> list[str]:
    """The tags of a `tags:` line: comma-separated, where `\\,` is a comma inside a tag and
    `\\\\` a backslash (how the writer keeps a tag such as "a, b" whole).
    """
    if "\\" not in value:
        return [t.strip() for t in value.split(",") if t.strip()]
    tags, current = [], []
    chars = iter(value)
    for char in chars:
        if char == "\\":
            following = next(chars, "")
            if following in (",", "\\"):
                current.append(following)
            else:
                current.append(char + following)
        elif char == ",":
            tags.append("".join(current))
            current = []
        else:
            current.append(char)
    tags.append("".join(current))
    return [t.strip() for t in tags if t.strip()]


def join_tags(tags: list[str]) -> str:
    """A `tags:` line's value that `split_tags` reads back as `tags`."""
    return ", ".join(t.replace("\\", "\\\\").replace(",", "\\,") for t in tags)


def apply_question_metadata(question: Question, key: str, value: str) -> None:
    """Set one `key: value` line under a question (`key` lower-case, `value` stripped).

    Raises VocabularyError for a value outside the vocabulary; both parsers share this, so
    they accept exactly the same lines.
    """
    if key == "id":
        question.id = check_id(value)
    elif key == "tags":
        question.tags = split_tags(value)
    elif key == "type":
        question.type = vocabulary.parse_type(value)
    elif key == "competencies":
        question.competencies = vocabulary.parse_competencies(value)
    elif key == "level":
        question.level = vocabulary.parse_level(value)
    elif key == "length":
        question.length = vocabulary.parse_length(value)
    elif key == "reviewed":
        question.reviewed = vocabulary.parse_reviewed(value)
    else:
        raise VocabularyError(f"unknown metadata '{key}'", "known: " + ", ".join(QUESTION_KEYS))


def apply_deck_metadata(deck: Deck, key: str, value: str) -> None:
    """Set one `key: value` line under the deck heading (see apply_question_metadata)."""
    if key == "id":
        deck.id = check_id(value, "deck id")
    elif key in ("license", "version"):
        setattr(deck, key, vocabulary.parse_label(key, value))
    else:
        raise VocabularyError(
            f"unknown deck metadata '{key}'", "known under '# Name': " + ", ".join(DECK_KEYS)
        )
