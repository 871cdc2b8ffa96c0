"""Turning deck and user text into things safe to draw, and formatting numbers for people.

Deck text is data: it is never parsed as Rich or Textual markup, and control characters are
removed before it reaches the terminal.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from rich.cells import cell_len
from rich.text import Text
from textual.content import Content

from drill.core.format import interval as format_interval
from drill.core.format import moment, plural
from drill.core.sanitize import terminal_text

if TYPE_CHECKING:
    from drill.library.jobs import JobSummary
from drill.library.jobs import JobSummary


def clean(text: str) -> str:
    """Text without control characters or bidi overrides (tab and newline survive)."""
    return terminal_text(text)


def plain(text: str) -> Content:
    """Literal content for a Static or Label: `[bold]` stays `[bold]`."""
    return Content(clean(text))


def cell(text: str, style: str = "", *, justify: str = "left") -> Text:
    """A literal DataTable cell (DataTable parses plain str cells as markup)."""
    return Text(clean(text), style=style, no_wrap=True, overflow="ellipsis", justify=justify)  # type: ignore[arg-type]


def number(value: int, style: str = "") -> Text:
    """A right-aligned count for a table; zero is dimmed so the work stands out."""
    return Text(str(value), style=style if value else "dim", justify="right")


def format_clock(seconds: float) -> str:
    """An elapsed time as mm:ss (hours roll into minutes: 75:00)."""
    seconds = max(0, int(seconds))
    return f"{seconds // 60:02d}:{seconds % 60:02d}"


def format_when(moment: datetime, now: datetime) -> str:
    """A future moment in local time, relative and absolute: "in 3h (today 14:00)"."""

    local, today = moment.astimezone(), now.astimezone().date()
    if local.date() == today:
        day = "today"
    elif local.date() == today + timedelta(days=1):
        day = "tomorrow"
    else:
        day = local.strftime("%a %d %b")
    delta = moment - now
    relative = "now" if delta.total_seconds() <= 0 else f"in {format_interval(delta)}"
    return f"{relative} ({day} {local:%H:%M})"


def format_moment(when: datetime) -> str:
    """A past moment in local time, compact and sortable: 2026-01-05 10:00."""
    return moment(when)


def learn_more_line(step: int, waiting: int) -> Content:
    """ "Press n to learn 1 more new card (2 can still come today)."""
    more = plural(step, "more new card")
    return Content.assemble(
        "Press ", ("n", "bold reverse"), f" to learn {more} ({waiting:,} can still come today)."
    )


def countdown(summary: JobSummary) -> str:
    """A job's interview, short: "in 12 days", "tomorrow", "today", "past" or "no date"."""
    if summary.interview is None:
        return "no date"
    left = summary.days_left
    if left is None:
        return "past"
    return {0: "today", 1: "tomorrow"}.get(left, f"in {left} days")


def wrap(text: str, width: int) -> list[str]:
    """`text` in lines of at most `width` cells, broken at spaces (a longer word is cut).

    Whitespace runs become one space. The browser wraps every question with it, so it is
    the plain greedy rule, and for ASCII a few C string searches per line (Rich's wrapping
    would take seconds for fifty thousand questions).
    """
    width = max(1, width)
    if "  " in text or "\n" in text or "\t" in text or text != text.strip():
        text = " ".join(text.split())
    if len(text) <= width and text.isascii():
        return [text]
    if text.isascii():
        lines = []
        start, end = 0, len(text)
        while end - start > width:
            cut = text.rfind(" ", start, start + width + 1)
            if cut <= start:  # no space to break at: cut the word
                lines.append(text[start : start + width])
                start += width
            else:
                lines.append(text[start:cut])
                start = cut + 1
        lines.append(text[start:])
        return lines
    lines = []
    line: list[str] = []
    used = 0
    for word in text.split():
        size = cell_len(word)
        while size > width:  # a word longer than the line: cut it, filling the line
            if line:
                lines.append(" ".join(line))
                line, used = [], 0
            head, word = _cut(word, width)
            lines.append(head)
            size = cell_len(word)
        if line and used + 1 + size > width:
            lines.append(" ".join(line))
            line, used = [], 0
        used += size + (1 if line else 0)
        line.append(word)
    if line or not lines:
        lines.append(" ".join(line))
    return lines


def _cut(word: str, width: int) -> tuple[str, str]:
    """The longest head of `word` that fits in `width` cells (at least one character)."""
    if word.isascii():
        return word[:width], word[width:]
    used = 0
    for index, char in enumerate(word):
        used += cell_len(char)
        if used > width:
            return word[: max(1, index)], word[max(1, index) :]
    return word, ""
