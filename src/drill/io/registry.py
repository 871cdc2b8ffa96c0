"""Input formats by name, with detection from a file's name and first bytes.

A format's reader turns one file into a `Loaded`: decks, review history, or both (an Anki
package carries both). New formats plug in with `register`.
"""

from __future__ import annotations

import gc
import importlib
import re
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from drill.core.model import Deck, HistoryReview
from drill.errors import DeckError, Problem
from drill.files import read_head
from drill.io.source import Source


@dataclass(slots=True)
class Loaded:
    """What one input file holds, with the warnings met while reading it."""

    file: str
    decks: list[Deck] = field(default_factory=list)
    # A ReviewHistory (columns) from history files; a plain list from other readers.
    history: Sequence[HistoryReview] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)


# A reader gets the path and the --deck name (or None) and raises DeckError on any problem.
Reader = Callable[[Path, str | None], Loaded]


@dataclass(frozen=True, slots=True)
class Format:
    """An input format, chosen by name (--format) or detected from suffix and content."""

    name: str
    suffixes: tuple[str, ...]
    description: str
    read: Reader
    # Given the first bytes of the file, does it look like this format? Formats without a
    # sniffer are the fallback for their suffixes.
    sniff: Callable[[bytes], bool] | None = None
    # Suffixes this format is the fallback for even though it has a sniffer.
    fallback_for: tuple[str, ...] = ()
    # Keyword options (e.g. "columns") that `read` accepts, passed through from read_file.
    options: tuple[str, ...] = ()


def text_reader(parse: Callable[[Source, str | None], Deck]) -> Reader:
    """A Reader for a text deck format from a `(Source, deck_name) -> Deck` parser."""

    def read(path: Path, deck_name: str | None) -> Loaded:
        source = Source.read(path)
        deck = parse(source, deck_name)
        return Loaded(source.file, decks=[deck], warnings=source.warnings)

    return read


def text_sniffer(test: Callable[[str], bool]) -> Callable[[bytes], bool]:
    def sniff(head: bytes) -> bool:
        return test(head.decode("utf-8", errors="replace"))

    return sniff


_FORMATS: dict[str, Format] = {}


def register(fmt: Format) -> None:
    _FORMATS[fmt.name] = fmt


def names() -> list[str]:
    _load_builtin()
    return list(_FORMATS)


def get(name: str) -> Format:
    _load_builtin()
    return _FORMATS[name]


def detect(path: Path, head: bytes) -> Format | None:
    """The format of `path`: by content sniffing among formats claiming its suffix."""
    _load_builtin()
    suffix = path.suffix.lower()
    candidates = [f for f in _FORMATS.values() if suffix in f.suffixes]
    for fmt in candidates:
        if fmt.sniff is not None and fmt.sniff(head):
            return fmt
    fallback = [f for f in candidates if f.sniff is None or suffix in f.fallback_for]
    return fallback[0] if fallback else None


def read_file(
    path: Path,
    fmt_name: str = "auto",
    deck_name: str | None = None,
    options: dict[str, Any] | None = None,
) -> Loaded:
    """Read one input file in the given (or detected) format; DeckError on any problem.

    `options` are format-specific (e.g. "columns" for Anki text); unset ones are None/False.
    """
    _load_builtin()
    if fmt_name == "auto":
        fmt = detect(path, read_head(path))
        if fmt is None:
            known = sorted({s for f in _FORMATS.values() for s in f.suffixes})
            raise DeckError.at(
                str(path), 0, "unknown file type", f"use --format, or one of: {', '.join(known)}"
            )
    else:
        fmt = get(fmt_name)
    given = {k: v for k, v in (options or {}).items() if v is not None and v is not False}
    unsupported = sorted(set(given) - set(fmt.options))
    if unsupported:
        raise DeckError.at(
            str(path), 0, f"--{unsupported[0].replace('_', '-')} does not apply to {fmt.name} files"
        )
    with paused_gc():
        return fmt.read(path, deck_name, **given) if given else fmt.read(path, deck_name)


def expand(paths: Sequence[str]) -> list[Path]:
    """Files named directly, plus the deck files (.md, .json) inside named folders and their
    subfolders (hidden ones skipped), a folder's own files before its subfolders'.
    """
    out: list[Path] = []
    for raw in paths:
        if not raw.strip():
            raise DeckError.at(repr(raw), 0, "no file named (an empty path)")
        path = Path(raw)
        if path.is_dir():
            found = sorted(
                (
                    p
                    for p in path.rglob("*")
                    if p.suffix.lower() in (".md", ".json")
                    and not any(part.startswith(".") for part in p.relative_to(path).parts)
                    and p.is_file()
                ),
                key=lambda p: (len(p.relative_to(path).parts), p.relative_to(path).parts),
            )
            if not found:
                raise DeckError.at(raw, 0, "no deck files (.md, .json) in this folder")
            out.extend(found)
        else:
            out.append(path)
    return out


def read_all(
    paths: Sequence[Path],
    fmt_name: str = "auto",
    deck_name: str | None = None,
    options: dict[str, Any] | None = None,
) -> list[Loaded]:
    """Read every file; collect every problem before failing, so one run shows them all."""
    loaded, problems = [], []
    for path in paths:
        try:
            loaded.append(read_file(path, fmt_name, deck_name, options))
        except DeckError as exc:
            problems.extend(exc.problems)
    if problems:
        raise DeckError(problems)
    return loaded


@contextmanager
def paused_gc() -> Iterator[None]:
    """No cyclic garbage collection while a file's objects are built.

    Reading builds hundreds of thousands of objects that all stay alive; each collection
    would walk every one of them again, which costs a quarter of parsing a large deck.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


_loaded = False

_HEADING = re.compile(r"^ {0,3}(#{1,6})[ \t]+\S")


def looks_like_markdown_deck(text: str) -> bool:
    """True when the text has a deck's shape: a `# Deck` title or a `## Question` heading,
    and at least two headings in all (a list of questions has none).
    """
    levels = [len(m.group(1)) for m in map(_HEADING.match, text.splitlines()) if m is not None]
    return len(levels) >= 2 and (1 in levels or 2 in levels)


def _lazy(module: str, name: str) -> Callable[..., Any]:
    """`module.name`, imported on its first call: reading a Markdown deck should not load the
    Anki, CSV and JSON readers (together about 40 ms) nor they the Markdown parser.
    """

    def call(*args: Any, **kwargs: Any) -> Any:
        return getattr(importlib.import_module(module), name)(*args, **kwargs)

    return call


def _load_builtin() -> None:
    global _loaded
    if _loaded:
        return
    _loaded = True
    from drill.core.model import slugify

    def renamed(parse: Callable[[Source], Deck]) -> Callable[[Source, str | None], Deck]:
        def read(source: Source, deck_name: str | None) -> Deck:
            deck = parse(source)
            if deck_name:
                deck.name, deck.id = deck_name, slugify(deck_name)
            return deck

        return read

    parse_article = _lazy("drill.io.article", "parse_article")
    parse_list = _lazy("drill.io.plain_list", "parse_list")
    # A Markdown deck saved as .txt is still a Markdown deck: its headings say so. Sniffed
    # before the article and list readers, which would take each heading for a question.
    register(
        Format(
            "md",
            (".md", ".markdown", ".txt"),
            "Markdown deck",
            text_reader(renamed(_lazy("drill.io.markdown.deck", "parse_markdown"))),
            text_sniffer(looks_like_markdown_deck),
            fallback_for=(".md", ".markdown"),
        )
    )
    register(
        Format(
            "article",
            (".txt",),
            "interview-question article",
            text_reader(lambda s, n: parse_article(s, deck_name=n)),
            text_sniffer(_lazy("drill.io.article", "looks_like_article")),
        )
    )
    register(
        Format(
            "list",
            (".txt", ".list"),
            "one question per line",
            text_reader(lambda s, n: parse_list(s, deck_name=n)),
        )
    )
    register(
        Format(
            "json",
            (".json",),
            "drill JSON deck",
            text_reader(renamed(_lazy("drill.io.json_deck", "parse_json"))),
        )
    )
    register(
        Format(
            "reviews",
            (".csv", ".json"),
            "review history (drill export reviews)",
            _lazy("drill.io.reviews_csv", "read_reviews"),
            _lazy("drill.io.reviews_csv", "looks_like_reviews"),
        )
    )
    # After the review-history sniffer (.csv) and the article sniffer (.txt); plain lists stay
    # the .txt fallback, Anki text the .csv/.tsv one.
    register(
        Format(
            "apkg",
            (".apkg", ".colpkg"),
            "Anki package",
            _lazy("drill.io.anki.package", "read_apkg"),
        )
    )
    register(
        Format(
            "anki-txt",
            (".txt", ".csv", ".tsv"),
            "Anki text export, or CSV/TSV of questions",
            _lazy("drill.io.anki.text", "read_anki_text"),
            _lazy("drill.io.anki.text", "looks_like_anki_text"),
            fallback_for=(".csv", ".tsv"),
            options=("columns", "skip_bad_rows"),
        )
    )
