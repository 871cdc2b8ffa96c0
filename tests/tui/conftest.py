"""Fixtures for the TUI tests: a small deck in an in-memory database and a fixed clock."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime

import pytest
from sqlite_utils import Database

# Study days are local days: pin the zone so dates and "today" are the same everywhere.
os.environ["TZ"] = "UTC"
time.tzset()

from drill.importing import import_decks  # noqa: E402
from drill.io.markdown_deck import parse_markdown  # noqa: E402
from drill.io.source import Source  # noqa: E402
from drill.storage import repo  # noqa: E402
from drill.storage.db import open_database  # noqa: E402
from drill.tui.app import DrillApp, make_app  # noqa: E402

NOW = datetime(2026, 1, 5, 10, tzinfo=UTC)

DECK = """\
# Interview basics
Questions every interview starts with.

## Tell me about yourself.
id: about-yourself
tags: intro, opener

### Variants
- Walk me through your resume.

### Why they ask
They want a **quick, relevant** picture of you, and to see how you communicate.

### Approach
Present, past, future: what you do now, how you got here, why this role.

### Do
- Open with your current role and one *quantified* achievement.
- End with why you want this role.

### Don't
- Don't recite your resume line by line.

### Example: experienced
"I'm a nurse with nine years in emergency care..."

### Example: entry level
"I've just graduated in business administration..."

### Bad example
"Well, I was born in a small town..."

### Tips
- Aim for two minutes.

## Why do you want this job?
id: why-this-job
tags: motivation

### Why they ask
To see if you researched the company and want *this* job, not any job.

## What is your greatest weakness?
id: weakness
tags: self-awareness

### Do
- Pick a real weakness you are working on.

### Don't
- Don't say "I'm a perfectionist".

### Bad example
"I work too hard."
"""

# Deck text that must be shown literally: Rich markup, a link tag and an escape sequence.
HOSTILE = """\
# Hostile [bold]deck[/]
Markup that must not be interpreted.

## Why [bold red]now[/] at [link=https://evil.example]ACME[/link]?
id: hostile

### Why they ask
Keep it [b]literal[/b] \x1b[31mred\x1b[0m <company> too.

### Approach
Mention [i]this[/i] and <company>.
"""


def make_db(*decks: str, now: datetime = NOW) -> Database:
    """An in-memory database holding the given Markdown decks, fuzz off."""
    db = open_database(":memory:")
    parsed = [parse_markdown(Source.from_text(text, f"deck{i}.md")) for i, text in enumerate(decks)]
    import_decks(db, parsed, now)
    repo.set_config(db, None, "fuzz", "off")
    return db


class Clock:
    """A settable test clock: `now()` for scheduling, `timer()` for durations."""

    def __init__(self, now: datetime = NOW) -> None:
        self.current = now
        self.seconds = 0.0

    def now(self) -> datetime:
        return self.current

    def timer(self) -> float:
        return self.seconds


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def db() -> Iterator[Database]:
    database = make_db(DECK)
    yield database
    database.close()


@pytest.fixture
def app_factory(db: Database, clock: Clock) -> Callable[..., DrillApp]:
    def factory(**kwargs: object) -> DrillApp:
        kwargs.setdefault("now", clock.now)
        kwargs.setdefault("timer", clock.timer)
        return make_app(db, **kwargs)  # type: ignore[arg-type]

    return factory
