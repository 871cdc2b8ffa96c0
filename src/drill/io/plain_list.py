"""Read a plain list of questions: one per line, bullets and numbering optional."""

from __future__ import annotations

import re
from pathlib import Path

from drill.core.limits import too_many_questions
from drill.core.model import Deck, Question, slugify
from drill.errors import DeckError, Problem
from drill.io.source import Source

# A marker counts only when whitespace follows, so "1.5 years ..." or "-based" keep their text.
_MARKER = re.compile(r"^(?:[-*+•‣◦▪]|\(?\d{1,4}[.)])\s+")
_SPACES = re.compile(r"[ \t\u00a0\u2007\u202f\u2000-\u200a\u3000]+")
# A Markdown heading ("# Deck", "## Question", "### Tips"): a sign the file is a Markdown
# deck read with the wrong format, never a question to ask.
_HEADING = re.compile(r"^#{1,6}\s")


def parse_list(source: Source, *, deck_name: str | None = None) -> Deck:
    """Parse one question per line into a deck; raise DeckError listing every bad line."""
    problems: list[Problem] = []
    questions: list[Question] = []
    used_ids: set[str] = set()
    next_suffix: dict[str, int] = {}
    first_seen: dict[str, int] = {}
    # One question a line: counted before anything is built (blank lines count too).
    too_many = too_many_questions(source.text.count("\n"))
    if too_many:
        raise DeckError.at(source.file, 1, too_many)
    for number, raw in enumerate(source.text.split("\n"), start=1):
        text = _SPACES.sub(" ", raw).strip()
        if not text:
            continue
        if _HEADING.match(text):
            problems.append(
                Problem(
                    source.file,
                    number,
                    "a Markdown heading, not a question",
                    "a Markdown deck? import it with --format md",
                )
            )
            continue
        text = _MARKER.sub("", text).strip()
        base = slugify(text)
        if not base:
            problems.append(
                Problem(
                    source.file,
                    number,
                    f"not a question: {raw.strip()!r}",
                    "a question needs letters or digits",
                )
            )
            continue
        folded = text.casefold()
        if folded in first_seen:
            source.warnings.append(
                Problem(source.file, number, f"same question as line {first_seen[folded]}")
            )
        else:
            first_seen[folded] = number
        question_id = base
        # Resume from the last suffix tried for this base (those below it are all taken), so
        # a file repeating one line thousands of times stays linear.
        suffix = next_suffix.get(base, 2)
        while question_id in used_ids:
            question_id = f"{base}-{suffix}"
            suffix += 1
        next_suffix[base] = suffix
        used_ids.add(question_id)
        questions.append(Question(id=question_id, question=text, line=number))
    if problems:
        raise DeckError(problems)
    if not questions:
        raise DeckError.at(source.file, 1, "no questions found", "write one question per line")
    name = deck_name if deck_name is not None else Path(source.file).stem
    deck_id = slugify(name)
    if not deck_id:
        # Every such file would otherwise land in one deck named "deck".
        raise DeckError.at(
            source.file,
            0,
            f"deck name '{name}' has no letters or digits for an id",
            "name the deck with --deck NAME",
        )
    return Deck(id=deck_id, name=name, questions=questions, source=source.file)
