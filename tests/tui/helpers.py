"""Decks, databases and a settable clock for the TUI tests."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlite_utils import Database
from textual.app import App
from textual.widgets import Static
from textual.widgets.markdown import MarkdownBlock

from drill.io.markdown.deck import parse_markdown
from drill.io.source import Source
from drill.library.importing import import_decks
from drill.storage import repo
from drill.storage.db import open_database
from drill.tui.widgets.hanging import HangingLines

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


def add_deck(db: Database, text: str, now: datetime = NOW) -> None:
    """Import one more Markdown deck."""
    import_decks(db, [parse_markdown(Source.from_text(text, "added.md"))], now)


class Clock:
    """A settable test clock: `now()` for scheduling, `timer()` for durations."""

    def __init__(self, now: datetime = NOW) -> None:
        self.current = now
        self.seconds = 0.0

    def now(self) -> datetime:
        return self.current

    def timer(self) -> float:
        return self.seconds


def screen_text(app: App[object]) -> str:
    """The plain text of every Static and Markdown block on the current screen."""
    parts = []
    for widget in app.screen.query("*"):
        if isinstance(widget, MarkdownBlock):
            parts.append(widget._content.plain)
        elif isinstance(widget, Static):
            parts.append(str(widget.visual))
        elif isinstance(widget, HangingLines):
            # Each entry unwrapped: its mark, then its text.
            parts.extend(mark.plain + text.plain for mark, text in widget.entries)
    return "\n".join(parts)


def toasts(app: App[object]) -> list[str]:
    """The messages of the notifications (toasts) the app has shown and not yet expired."""
    return [str(notification.message) for notification in app._notifications]


def coach_text(app: App[object]) -> str:
    """The coach's panel as it reads on screen: each row's label, padded, then its finding."""
    from drill.tui.widgets.insights import InsightsRow

    return "\n".join(
        f"{row.row.label:<10}{row.row.value.plain}" for row in app.screen.query(InsightsRow)
    )
