"""Input formats by name, with detection from a file's name and first bytes.

Each deck format is a reader `(Source, deck_name) -> Deck`. Later formats (review
history, Anki) plug in here with `register`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from drill.io.errors import DeckError, Problem
from drill.io.source import Source
from drill.model import Deck

DeckReader = Callable[[Source, str | None], Deck]


@dataclass(frozen=True, slots=True)
class Format:
    """An input format: `kind` is "deck" (read into decks) or "history" (reviews)."""

    name: str
    kind: str
    suffixes: tuple[str, ...]
    description: str
    read: Callable[..., object]
    # Given the first few KB of text, does the file look like this format?
    sniff: Callable[[str], bool] | None = None


_FORMATS: dict[str, Format] = {}


def register(fmt: Format) -> None:
    _FORMATS[fmt.name] = fmt


def names() -> list[str]:
    _load_builtin()
    return list(_FORMATS)


def get(name: str) -> Format:
    _load_builtin()
    return _FORMATS[name]


def detect(path: Path, head: str) -> Format | None:
    """The format of `path`: by content sniffing among formats claiming its suffix."""
    _load_builtin()
    suffix = path.suffix.lower()
    candidates = [f for f in _FORMATS.values() if suffix in f.suffixes]
    for fmt in candidates:
        if fmt.sniff is not None and fmt.sniff(head):
            return fmt
    fallback = [f for f in candidates if f.sniff is None]
    return fallback[0] if fallback else None


def read_deck(
    path: Path, fmt_name: str = "auto", deck_name: str | None = None
) -> tuple[Deck, list[Problem]]:
    """Read one deck file in the given (or detected) format, with its warnings.

    Raises DeckError on any problem. `deck_name` places the questions in that deck.
    """
    source = Source.read(path)
    fmt = get(fmt_name) if fmt_name != "auto" else detect(path, source.text[:4096])
    if fmt is None:
        known = ", ".join(s for f in _FORMATS.values() for s in f.suffixes)
        raise DeckError.at(str(path), 0, "unknown file type", f"use --format, or one of: {known}")
    if fmt.kind != "deck":
        raise DeckError.at(str(path), 0, f"is a {fmt.name} file, not a deck")
    deck = fmt.read(source, deck_name)
    assert isinstance(deck, Deck)
    return deck, source.warnings


_loaded = False


def _load_builtin() -> None:
    global _loaded
    if _loaded:
        return
    _loaded = True
    # Imported lazily: the Markdown parser is a compiled extension not every command needs.
    from drill.io import article, json_deck, markdown_deck, plain_list
    from drill.model import slugify

    def md(source: Source, deck_name: str | None) -> Deck:
        deck = markdown_deck.parse_markdown(source)
        if deck_name:
            deck.name, deck.id = deck_name, slugify(deck_name)
        return deck

    def js(source: Source, deck_name: str | None) -> Deck:
        deck = json_deck.parse_json(source)
        if deck_name:
            deck.name, deck.id = deck_name, slugify(deck_name)
        return deck

    register(Format("md", "deck", (".md", ".markdown"), "Markdown deck", md))
    register(
        Format(
            "article",
            "deck",
            (".txt",),
            "interview-question article",
            lambda s, n: article.parse_article(s, deck_name=n),
            article.looks_like_article,
        )
    )
    register(
        Format(
            "list",
            "deck",
            (".txt", ".list"),
            "one question per line",
            lambda s, n: plain_list.parse_list(s, deck_name=n),
        )
    )
    register(Format("json", "deck", (".json",), "drill JSON deck", js))
