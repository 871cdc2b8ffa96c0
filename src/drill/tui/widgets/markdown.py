"""Markdown for deck text: no raw HTML, no followed links, no control characters.

Textual's Markdown widget builds its text as Content, so Rich markup such as `[bold]` in a
deck stays literal. Two things still need care: with HTML enabled, markdown-it drops inline
tags, so "Why <company>?" would lose a word; and links would open a browser on click.
"""

from __future__ import annotations

from markdown_it import MarkdownIt
from textual.widgets import Markdown

from drill.tui.text import clean


def _parser() -> MarkdownIt:
    return MarkdownIt("gfm-like", {"html": False})


class DeckMarkdown(Markdown):
    """Markdown from a deck or the user, rendered as text only."""

    def __init__(self, markdown: str = "", *, id: str | None = None, classes: str = "") -> None:
        super().__init__(
            clean(markdown), id=id, classes=classes, parser_factory=_parser, open_links=False
        )


class CheckList(DeckMarkdown):
    """A "Do" list: each item ticked."""

    # Textual's Markdown reads BULLETS as an instance attribute: no ClassVar here.
    BULLETS = ["✓ "]  # noqa: RUF012


class CrossList(DeckMarkdown):
    """A "Don't" list: each item crossed."""

    BULLETS = ["✗ "]  # noqa: RUF012


class FlagList(DeckMarkdown):
    """A "Red flags" list: what sinks an answer outright."""

    BULLETS = ["⚑ "]  # noqa: RUF012


def bullets(items: list[str]) -> str:
    """Markdown bullet items, one per entry (each entry may itself hold inline Markdown)."""
    return "\n".join(f"- {' '.join(item.split())}" for item in items)
