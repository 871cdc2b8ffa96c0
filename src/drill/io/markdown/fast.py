"""A fast path for well-formed Markdown decks in the plain subset drill itself writes.

The full parser (`markdown_deck`) walks every pulldown-cmark event, about 80 Python objects
per question, which makes a 5,000-question import take half a second. Most large decks are
written by tools (`drill export deck`, scripts) and use only ATX headings, paragraphs and
single-level `-`/`*`/`+` lists, with nothing indented. For that subset the CommonMark block
structure can be read straight off the lines, so this module splits the text on its headings
with one regular expression and never builds an event.

The contract, enforced by a differential test against the full parser on generated
documents: `scan` returns exactly the Deck `parse_markdown` would, or None. It returns None
for any line that could start another CommonMark construct (indentation, fences, quotes,
HTML, ordered lists, setext underlines, thematic breaks, link definitions, tabs) and for any
deck the full parser would reject, so every error message still comes from one place.
"""

from __future__ import annotations

import re

from drill.core.model import Deck, Example, Question, slugify
from drill.core.vocabulary import DECK_KEYS, QUESTION_KEYS, VocabularyError
from drill.io.markdown.blocks import description_of
from drill.io.markdown.sections import (
    LIST_SECTIONS,
    SECTION_FIELDS,
    section_name,
)
from drill.io.metadata import apply_deck_metadata, apply_question_metadata
from drill.io.source import Source

# A quick screen, a few milliseconds on a 5 MB deck: a line starting with one of these may be
# outside the subset. Only if one does, the exact check (_UNSAFE, ten times slower) runs.
_SUSPECT = re.compile(
    r"""\n(?:
      [\ <>\[`~0-9=_*+]
    | \#(?:\#{6} | \#{0,5}[^\#\ \n] | \#{0,5}\ *(?:\n|\Z) | \#{0,5}\ [^\n]*\#\ *(?:\n|\Z))
    | -(?:\ *(?:\n|\Z) | - | \ +[-*+><\[\#=`~0-9_] | \ {5})
    )""",
    re.VERBOSE,
)
# Lines that may start a block this module does not model. If any occurs, the full parser
# runs instead. Tabs are excluded before this search.
_UNSAFE = re.compile(
    r"""
      ^\                                    # indented: code, continuations, nested lists, blank-ish
    | ^(?:>|<|\[|```|~~~)                   # quotes, HTML blocks, link definitions, fences
    | ^\d{1,9}[.)](?:\ |$)                  # ordered lists
    | ^\#{7}                                # seven hashes: a paragraph, not a heading
    | ^\#{1,6}[^\#\ \n]                     # '#word': a paragraph, not a heading
    | ^\#{1,3}\ *$                          # an empty deck, question or section heading
    | ^\#{1,6}\ .*\#\ *$                    # a closing hash sequence
    | ^(?:=+|-+)\ *$                        # setext underlines, and '-' alone (an empty item)
    | ^(?:(?:\*\ *){3,}|(?:_\ *){3,})$      # thematic breaks ('---' is caught above)
    | ^[-*+](?:\ *$|\ {5})                  # empty items, items opening with indented code
    | ^[-*+]\ +(?:[-*+](?:\ |$)|[><\[\#=]|```|~~~|\d{1,9}[.)](?:\ |$)|[-*_\ ]+$)  # blocks in items
    """,
    re.MULTILINE | re.VERBOSE,
)
_ITEM = re.compile(r"\n[-*+] +")
_SPACES = re.compile(r"\s+")


class _Bail(Exception):
    """The text leaves the fast subset, or is an error the full parser must report."""


def scan(source: Source) -> Deck | None:
    """The deck in `source` if it is in the fast subset and valid; None otherwise."""
    # A leading newline lets every search below find the first line as "\n...".
    text = "\n" + source.text
    if "\t" in text or (_SUSPECT.search(text) and _UNSAFE.search(text)):
        return None
    try:
        return _scan(text, source.file)
    except _Bail:
        return None


def _heading(text: str) -> str:
    if "\\" in text:
        # The full parser takes heading text from pulldown-cmark's inline ranges, which start
        # after a leading escape ("\\# x" reads "# x"); escapes in headings are left to it.
        raise _Bail
    # The full parser collapses whitespace in headings. \s matches only whitespace, and every
    # whitespace character but ' ' is unprintable, so most headings need no regex.
    if "  " in text or not text.isprintable():
        return _SPACES.sub(" ", text).strip()
    return text.strip()


def _scan(text: str, file: str) -> Deck:
    # After the checks above every line starting with '#' is a well-formed ATX heading, so
    # "\n## " and "\n### " find exactly the question and section headings.
    chunks = text.split("\n## ")
    preamble = chunks[0]
    start = len(preamble) - len(preamble.lstrip("\n"))
    if not preamble.startswith("# ", start) or "\n### " in preamble:
        raise _Bail  # text before the deck heading, or a section before any question
    title, _, description = preamble[start + 2 :].partition("\n")
    name = _heading(title)
    if not name or text.find("\n# ", start + 1) != -1:
        raise _Bail  # an empty deck name, or a second deck heading
    deck = Deck(id="", name=name, source=file)
    description = _deck_metadata(deck, description)
    if not deck.id:
        deck.id = slugify(name)
        if not deck.id:
            raise _Bail  # no letters for an id
    questions: list[Question] = []
    ids: set[str] = set()
    names: dict[str, tuple[str, str, str, int]] = {}
    line = preamble.count("\n")
    for chunk in chunks[1:]:
        line += 1
        here = line
        line += chunk.count("\n")
        parts = chunk.split("\n### ")
        heading, _, meta = parts[0].partition("\n")
        title = _heading(heading)
        if not title:
            raise _Bail
        question = Question(id="", question=title, line=here)
        if meta.strip("\n"):
            _metadata(question, meta)
        if not question.id:
            question.id = slugify(title)
        if not question.id or question.id in ids:
            raise _Bail  # no letters for an id, or a duplicate id
        ids.add(question.id)
        questions.append(question)
        seen: set[str] = set()
        for part in parts[1:]:
            heading, _, body = part.partition("\n")
            known = names.get(heading)
            if known is None:
                known = names[heading] = _section(heading)
            section, label, attribute, shape = known
            if section in seen:
                if section != "Example":
                    raise _Bail  # a repeated section
            else:
                seen.add(section)
            if shape == _TEXT:
                setattr(question, attribute, body.strip())
                continue
            if shape == _EXAMPLE:
                value = body.strip()
                if not value:
                    raise _Bail
                question.examples.append(Example(label, value))
                continue
            body = body.rstrip("\n")
            if body.startswith("- ") and body.count("\n") == body.count("\n- "):
                # The common case, read here (a call per section costs a tenth of reading
                # a deck): one '- ' item a line, nothing else.
                items = body.split("\n- ")
                items[0] = items[0][2:]
                items = [item.strip() for item in items]
            else:
                items = _items(body)
            if shape == _LIST:
                setattr(question, attribute, items)
            else:
                question.variants = [
                    item if item.isprintable() and "  " not in item else _SPACES.sub(" ", item)
                    for item in items
                ]
    deck.description = description_of(description) if description.strip() else ""
    deck.questions = questions
    # Headings are one line and sections and items trimmed above, as drill keeps them
    # (tests/test_markdown_fast.py holds every deck this returns to normalize_question).
    deck.normalized = True
    return deck


# How a section's body is read into its Question attribute.
_LIST, _TEXT, _VARIANTS, _EXAMPLE = range(4)


def _section(heading: str) -> tuple[str, str, str, int]:
    """(section, example label, Question attribute, shape) of an H3 heading, looked up once
    per spelling; _Bail for a heading that names no section."""
    section, label = section_name(_heading(heading))
    if section is None:
        raise _Bail  # an unknown section
    if section == "Example":
        return section, label, "examples", _EXAMPLE
    if section == "Variants":
        return section, label, "variants", _VARIANTS
    shape = _LIST if section in LIST_SECTIONS else _TEXT
    return section, label, SECTION_FIELDS[section], shape


def _deck_metadata(deck: Deck, text: str) -> str:
    """Apply the metadata paragraph under `# Name`, if there is one; the rest of `text`."""
    body = text.lstrip("\n")
    paragraph, blank, rest = body.partition("\n\n")
    key = paragraph.partition(":")[0].rstrip(" ")
    if key not in DECK_KEYS:
        if key.lower() in DECK_KEYS:
            raise _Bail  # "ID:" is metadata to the full parser
        return text
    seen: set[str] = set()
    for line in paragraph.rstrip("\n").split("\n"):
        key, colon, value = line.partition(":")
        key = key.rstrip(" ")
        if not colon or key not in DECK_KEYS or key in seen:
            raise _Bail  # not a metadata line, or a repeated one: the full parser says so
        seen.add(key)
        try:
            apply_deck_metadata(deck, key, value.strip())
        except VocabularyError:
            raise _Bail from None
    return rest if blank else ""


def _metadata(question: Question, body: str) -> None:
    """Apply the metadata lines under a question; anything unusual is for the full parser."""
    seen: list[str] = []
    for line in body.strip("\n").split("\n"):
        # str.partition, not a regex: this runs for every question.
        key, colon, value = line.partition(":")
        key = key.rstrip(" ")
        if not colon or key not in QUESTION_KEYS or key in seen:
            raise _Bail  # a blank line, text outside any section, unknown or repeated metadata
        seen.append(key)
        try:
            apply_question_metadata(question, key, value.strip())
        except VocabularyError:
            raise _Bail from None


def _items(body: str) -> list[str]:
    """The items of a section that must hold only a list (its text after the heading's line,
    trailing newlines removed); _Bail if it holds anything else."""
    body = "\n" + body
    if "\n#" in body:
        raise _Bail  # a level 4-6 heading in a list section
    pieces = _ITEM.split(body)
    if pieces[0].strip("\n") or len(pieces) == 1:
        raise _Bail  # text before the first item, or no list at all
    items = []
    for piece in pieces[1:]:
        piece = piece.rstrip("\n")
        if "\n" not in piece:
            item = piece.strip()
        else:
            if "\n\n" in piece:
                raise _Bail  # a paragraph after a blank line ends the list
            # Lazy continuation lines; the full parser strips the first line on its own.
            first, _, rest = piece.partition("\n")
            item = (first.strip() + "\n" + rest).strip() if rest.strip() else first.strip()
        if item:
            items.append(item)
    return items
