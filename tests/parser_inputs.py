"""Inputs that once took quadratic time to parse, at any scale.

Shared by tests/test_fuzz_parsers.py (scale 1: each parses whole, with unique ids) and
scripts/bench.py (scales 1 and 4: the time ratio says linear, about 4, or quadratic, about
16). Speed is measured only in the bench: a wall-clock limit in a test fails on a busy
machine and says nothing on an idle one.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import NamedTuple

SAMPLE_ARTICLE = (Path(__file__).parent / "data" / "article_sample.txt").read_text("utf-8")


class ParserInput(NamedTuple):
    fmt: str  # the format drill is told to read it as
    suffix: str
    text: str
    questions: int  # how many questions it holds
    size: str  # what it has many of, for people


def once_quadratic(scale: int = 1) -> list[ParserInput]:
    """Each input at `scale` times its base size (tens of seconds each when quadratic)."""
    # Questions stay under the 100,000 a file may hold at the bench's 4x (core/limits.MAX_QUESTIONS).
    lines, sentences, questions = 20_000 * scale, 100_000 * scale, 20_000 * scale
    return [
        # The same line again and again: every copy searched its id suffix from -2 upwards.
        ParserInput("list", ".txt", "Why us?\n" * lines, lines, f"{lines:,} lines"),
        # Sentence splitting sliced off the rest of the approach at every full stop.
        ParserInput(
            "article",
            ".txt",
            SAMPLE_ARTICLE.split("The best approach")[0]
            + "The best approach to answering this question:\n"
            + "Stay calm. and " * sentences,
            1,
            f"{sentences:,} sentences",
        ),
        # Every question's line number was found by rescanning the file from the top.
        ParserInput(
            "json",
            ".json",
            json.dumps(
                {
                    "deck": {"name": "D"},
                    "questions": [{"question": f"Question {i}?"} for i in range(questions)],
                },
                indent=1,
            ),
            questions,
            f"{questions:,} questions",
        ),
    ]
