"""The Markdown deck format: `# Deck`, `## Question`, `### Section` (see docs/deck-format.md).

Parsing uses pyromark (pulldown-cmark) so that fenced code, continuation lines and nested
lists mean what they mean in every Markdown editor. Section bodies are kept as the raw
Markdown the author wrote; only the structure comes from the parser.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable
from typing import Any

from drill.core.limits import too_many_questions
from drill.core.model import Deck, Example, Question, slugify
from drill.core.vocabulary import DECK_KEYS, VocabularyError, format_length
from drill.errors import DeckError, Problem
from drill.io.markdown.blocks import Block, blocks
from drill.io.markdown.fast import scan
from drill.io.markdown.sections import (
    LIST_SECTIONS,
    METADATA_KEYS,
    SECTION_FIELDS,
    section_name,
    unknown_section_hint,
)
from drill.io.metadata import apply_deck_metadata, apply_question_metadata, join_tags
from drill.io.source import Source

_META_LINE = re.compile(r"^\s*([A-Za-z][\w-]*)\s*:(.*)$")
_ATX_OPENING = re.compile(r"^ {0,3}#{1,6}(?:[ \t]+|$)")
# The optional closing sequence: '#'s after a space (or alone), not an escaped '\\#'.
_ATX_CLOSING = re.compile(r"(?:^|[ \t]+)#+[ \t]*$")
_ITEM_MARKER = re.compile(r"^[ \t]*(?:[-*+]|\d{1,9}[.)])(?:[ \t]+|$)")
_SPACES = re.compile(r"\s+")
_NEWLINE = re.compile(b"\n")


class _Parser:
    def __init__(self, source: Source) -> None:
        self.source = source
        self.file = source.file
        self.data = source.text.encode("utf-8")
        self.line_starts = [0] + [m.end() for m in _NEWLINE.finditer(self.data)]
        self.problems: list[Problem] = []
        self.deck_name: str | None = None
        self.deck_line = 0
        # What the lines under `# Name` say (id, license, version); the id stays "" unless set.
        self.deck_meta = Deck(id="", name="")
        self.awaiting_deck_metadata = False
        self.description: list[Block] = []
        self.questions: list[Question] = []
        self.ids: dict[str, int] = {}
        # Per question / section state.
        self.question: Question | None = None
        self.explicit_id_line = 0
        self.seen_sections: set[str] = set()
        self.section: str | None = None
        self.section_label = ""
        self.section_line = 0
        self.section_blocks: list[Block] = []
        self.awaiting_metadata = False

    # -- helpers ---------------------------------------------------------------------------
    def line_of(self, offset: int) -> int:
        return bisect_right(self.line_starts, offset)

    def raw(self, start: int, end: int) -> str:
        return self.data[start:end].decode("utf-8")

    def error(
        self, offset_or_line: int, message: str, hint: str = "", *, is_line: bool = False
    ) -> None:
        line = offset_or_line if is_line else self.line_of(offset_or_line)
        self.problems.append(Problem(self.file, line, message, hint))

    def heading_text(self, block: Block) -> str:
        # From the heading's own line(s), not its inline events: an escape's event starts
        # after its backslash, so "\\\\#" would lose one.
        raw = self.raw(block.start, block.end).rstrip("\n")
        opening = _ATX_OPENING.match(raw)
        if opening is not None:
            text = _ATX_CLOSING.sub("", raw[opening.end() :])
        else:  # a setext heading: its text, then a line of = or -
            text = raw.rpartition("\n")[0]
        return unescape_heading(_SPACES.sub(" ", text).strip())

    # -- driving -----------------------------------------------------------------------------
    def parse(self) -> Deck:
        for block in blocks(self.source.text):
            self.feed(block)
        self.finish_question()
        self.finish_deck_metadata()
        if self.deck_name is None and not any(p.line == 1 for p in self.problems):
            self.problems.insert(
                0,
                Problem(self.file, 1, "missing deck heading", "start the file with '# Deck name'"),
            )
        if self.problems:
            raise DeckError(self.problems)
        assert self.deck_name is not None
        meta = self.deck_meta
        return Deck(
            id=meta.id or slugify(self.deck_name),
            name=self.deck_name,
            description=self.body_text(self.description, joined=True),
            questions=self.questions,
            source=self.file,
            license=meta.license,
            version=meta.version,
        )

    def feed(self, block: Block) -> None:
        if block.kind == "Heading" and block.level <= 3:
            self.finish_section()
            self.finish_deck_metadata()
            {1: self.on_deck_heading, 2: self.on_question, 3: self.on_section}[block.level](block)
            return
        if block.kind in ("SoftBreak", "HardBreak"):
            return
        if self.awaiting_deck_metadata:
            found = block.kind == "Paragraph" and self.try_deck_metadata(block)
            self.finish_deck_metadata()
            if found:
                return
        if self.awaiting_metadata:
            self.awaiting_metadata = False
            if block.kind == "Paragraph" and self.try_metadata(block):
                return
        if self.section is not None:
            self.section_blocks.append(block)
        elif self.question is not None:
            self.error(
                block.start,
                f"text under question '{self.question.question}' is outside any section",
                "put it under a section heading such as '### Approach'",
            )
        elif self.deck_name is not None:
            self.description.append(block)
        else:
            self.error(block.start, "text before the deck heading", "start with '# Deck name'")

    def on_deck_heading(self, block: Block) -> None:
        self.finish_question()
        name = self.heading_text(block)
        if self.deck_name is not None:
            self.error(
                block.start,
                "a second deck heading: one deck per file",
                f"the deck '{self.deck_name}' starts at line {self.deck_line}; "
                "use '##' for questions",
            )
            return
        if self.questions:
            self.error(block.start, "the deck heading must come before the questions")
        if not name:
            self.error(block.start, "empty deck heading", "write the deck name after '# '")
            name = ""
        self.deck_name = name
        self.deck_line = self.line_of(block.start)
        # Whether the name needs letters for an id depends on an `id:` line under it.
        self.awaiting_deck_metadata = True

    def finish_deck_metadata(self) -> None:
        if not self.awaiting_deck_metadata:
            return
        self.awaiting_deck_metadata = False
        name = self.deck_name or ""
        if name and not self.deck_meta.id and not slugify(name):
            self.error(
                self.deck_line,
                f"deck name '{name}' has no letters or digits for an id",
                "add an 'id:' line under it",
                is_line=True,
            )

    def on_question(self, block: Block) -> None:
        self.finish_question()
        text = self.heading_text(block)
        line = self.line_of(block.start)
        if self.deck_name is None and not self.questions:
            self.error(
                block.start, "question before the deck heading", "start the file with '# Deck name'"
            )
        if not text:
            self.error(block.start, "empty question heading", "write the question after '## '")
        self.question = Question(id=slugify(text), question=text, line=line)
        self.explicit_id_line = 0
        self.seen_sections = set()
        self.awaiting_metadata = True

    def on_section(self, block: Block) -> None:
        heading = self.heading_text(block)
        line = self.line_of(block.start)
        self.awaiting_metadata = False
        name, label = section_name(heading)
        if name is None:
            hint = unknown_section_hint(heading)
            self.error(line, f"unknown section '{heading}'", hint, is_line=True)
            self.section, self.section_blocks = "?", []
            return
        if self.question is None:
            self.error(
                line,
                f"section '{heading}' needs a question above it",
                "add a '## Question?' heading before it",
                is_line=True,
            )
            self.section, self.section_blocks = "?", []
            return
        if name != "Example" and name in self.seen_sections:
            self.error(
                line,
                f"section '{name}' appears twice in question '{self.question.question}'",
                "merge the two sections",
                is_line=True,
            )
        self.seen_sections.add(name)
        self.section, self.section_label, self.section_line = name, label, line
        self.section_blocks = []

    def metadata_lines(self, block: Block, keys: tuple[str, ...]) -> list[tuple[int, str, str]]:
        """(line, key, value) of each `key: value` line of a paragraph that opens with one of
        `keys`; [] if the paragraph is not metadata. Lines that are not `key: value` are
        reported here.
        """
        text = self.raw(block.start, block.end)
        lines = text.rstrip("\n").split("\n")
        first = _META_LINE.match(lines[0])
        if not first or first.group(1).lower() not in keys:
            return []
        first_line = self.line_of(block.start)
        out = []
        for offset, raw_line in enumerate(lines):
            number = first_line + offset
            match = _META_LINE.match(raw_line)
            if not match:
                self.error(
                    number,
                    f"expected a 'key: value' metadata line, got '{raw_line.strip()}'",
                    "leave a blank line after the metadata lines",
                    is_line=True,
                )
                continue
            out.append((number, match.group(1).lower(), match.group(2).strip()))
        return out

    def apply_lines(
        self, lines: list[tuple[int, str, str]], apply: Callable[[int, str, str], None]
    ) -> None:
        seen: dict[str, int] = {}
        for number, key, value in lines:
            if key in seen:
                self.error(
                    number,
                    f"'{key}' appears twice (first at line {seen[key]})",
                    "keep one of the two lines",
                    is_line=True,
                )
                continue
            try:
                apply(number, key, value)
            except VocabularyError as exc:
                self.error(number, exc.message, exc.hint, is_line=True)
                continue
            seen[key] = number

    def try_deck_metadata(self, block: Block) -> bool:
        """Read `id:`, `license:` and `version:` lines right under the deck heading."""
        lines = self.metadata_lines(block, DECK_KEYS)
        if not lines:
            return False
        meta = self.deck_meta
        self.apply_lines(lines, lambda _, key, value: apply_deck_metadata(meta, key, value))
        return True

    def try_metadata(self, block: Block) -> bool:
        """Read `key: value` lines right under a question; False if the paragraph isn't that."""
        question = self.question
        assert question is not None
        lines = self.metadata_lines(block, METADATA_KEYS)
        if not lines:
            return False

        def apply(number: int, key: str, value: str) -> None:
            apply_question_metadata(question, key, value)
            if key == "id":
                self.explicit_id_line = number

        self.apply_lines(lines, apply)
        return True

    def finish_section(self) -> None:
        name, blocks = self.section, self.section_blocks
        self.section, self.section_blocks = None, []
        if name is None or name == "?" or self.question is None:
            return
        q = self.question
        if name in LIST_SECTIONS:
            items = self.list_items(name, blocks)
            if name == "Variants":
                items = [_SPACES.sub(" ", item) for item in items]
            setattr(q, SECTION_FIELDS[name], items)
            return
        text = self.body_text(blocks)
        if name == "Example":
            if not text:
                self.error(self.section_line, "empty example", is_line=True)
            q.examples.append(Example(self.section_label, text))
        else:
            setattr(q, SECTION_FIELDS[name], text)

    def body_text(self, blocks: list[Block], *, joined: bool = False) -> str:
        """A text section's raw Markdown; a lone `verbatim` fence gives its content exactly.

        The deck description (`joined`) is its blocks, each stripped, a blank line apart.
        """
        if not blocks:
            return ""
        if len(blocks) == 1 and blocks[0].kind == "CodeBlock":
            text = verbatim_content(self.raw(blocks[0].start, blocks[0].end))
            if text is not None:
                return text
        if joined:
            return "\n\n".join(self.raw(b.start, b.end).strip() for b in blocks).strip()
        return self.raw(blocks[0].start, blocks[-1].end).strip()

    def list_items(self, name: str, blocks: list[Block]) -> list[str]:
        items: list[str] = []
        for block in blocks:
            if block.kind != "List":
                self.error(
                    block.start,
                    f"section '{name}' must be a list, found text that is not a list item",
                    "write each item on its own line starting with '- '",
                )
                continue
            for start, end in block.items:
                item = self.item_text(start, end)
                if item:
                    items.append(item)
        if not blocks:
            self.error(
                self.section_line,
                f"section '{name}' holds no list",
                "write each item on its own line starting with '- '",
                is_line=True,
            )
        return items

    def item_text(self, start: int, end: int) -> str:
        raw = self.raw(start, end)
        first, _, rest = raw.partition("\n")
        marker = _ITEM_MARKER.match(first)
        width = marker.end() if marker else 0
        head = first[width:]
        if not rest.strip():
            return head.strip()
        # Continuation lines are indented to the item's content column; remove that indent
        # (and no more) so nested lists, code and paragraphs keep their relative shape.
        lines = [_dedent_line(line, width) for line in rest.split("\n")]
        if _VERBATIM_OPEN.match(head):
            text = verbatim_content("\n".join([head, *lines]))
            if text is not None:
                return text
        return (head.strip() + "\n" + "\n".join(lines)).strip()

    def finish_question(self) -> None:
        self.finish_section()
        q = self.question
        self.question = None
        self.awaiting_metadata = False
        if q is None:
            return
        if not q.question:
            return  # already reported
        if not q.id:
            self.error(
                q.line,
                f"question '{q.question}' has no letters or digits for an id",
                "add an 'id:' line under it",
                is_line=True,
            )
            return
        if q.id in self.ids:
            where = self.explicit_id_line or q.line
            self.error(
                where,
                f"duplicate question id '{q.id}' (first used at line {self.ids[q.id]})",
                "give one of them a different 'id:' line",
                is_line=True,
            )
            return
        self.ids[q.id] = self.explicit_id_line or q.line
        self.questions.append(q)


# `~~~verbatim` (or a longer fence): drill's export writes text the format would otherwise read
# as structure (a "## " line, a setext underline, an unclosed fence) this way, and the
# content between the fences is the text, exactly (docs/deck-format.md, Escaping).
VERBATIM = "verbatim"
_VERBATIM_OPEN = re.compile(r"^( {0,3})(~{3,}|`{3,})[ \t]*verbatim[ \t]*$")


def verbatim_content(raw: str) -> str | None:
    """The text inside a `verbatim` fenced block (its raw Markdown), or None if it is not one."""
    lines = raw.split("\n")
    opening = _VERBATIM_OPEN.match(lines[0])
    if opening is None:
        return None
    indent, fence = len(opening.group(1)), opening.group(2)
    closing = re.compile(rf"^ {{0,3}}{re.escape(fence[0])}{{{len(fence)},}}[ \t]*$")
    body: list[str] = []
    for line in lines[1:]:
        if closing.match(line):
            break
        body.append(_dedent_line(line, indent))
    return "\n".join(body)


def _dedent_line(line: str, width: int) -> str:
    """`line` without up to `width` leading spaces."""
    stripped = len(line) - len(line.lstrip(" "))
    return line[min(stripped, width) :]


_HEADING_ESCAPE = re.compile(r"\\([\\#])")


def unescape_heading(text: str) -> str:
    """`\\#` and `\\\\` in a heading's text read as `#` and `\\` (the writer escapes them)."""
    return _HEADING_ESCAPE.sub(r"\1", text) if "\\" in text else text


def parse_markdown(source: Source) -> Deck:
    """Parse a Markdown deck; raise DeckError listing every problem with its line."""
    # Counted before anything is built: every question starts a line with '## ' (a fenced
    # '## ' line counts too, which only errs on the safe side).
    text = source.text
    too_many = too_many_questions(text.count("\n## ") + text.startswith("## "))
    if too_many:
        raise DeckError.at(source.file, 1, too_many)
    deck = scan(source)
    if deck is None:
        deck = _Parser(source).parse()
    return deck


# -- writing ---------------------------------------------------------------------------------
#
# Text is written as it is when the format reads it back unchanged; otherwise it is escaped:
# a heading's backslashes and closing '#' with a backslash, a tag's commas as '\,', and a
# section body (or list item, or the description) the parser would read as structure (a
# "## " line, a setext underline, an unclosed fence or HTML block, a link definition) in a
# `verbatim` fence. Whether plain text reads back is decided by a quick look for anything
# that could start a block, and only then by parsing a small deck holding just that text.

# A line that could start a Markdown block other than a paragraph, or text the parser trims.
_SPECIAL_LINE = re.compile(r"(?m)^(?:[ \t]|[#=\-*+_>~`<\[|0-9])")
# Spaces that end a line are a hard break, which the parser trims from an item's first line.
_TRAILING_SPACE = re.compile(r"[^\S\n]\n")


def _one_line(text: str) -> str:
    return _SPACES.sub(" ", text).strip()


def _heading(text: str) -> str:
    """Heading text that reads back as `text` (one line): backslashes and a closing '#'
    escaped."""
    text = _one_line(text)
    if "\\" in text:
        text = text.replace("\\", "\\\\")
    if text.endswith("#"):
        text = text[:-1] + "\\#"
    return text


def _plain_body(text: str) -> bool:
    return (
        text == text.strip()
        and "\\" not in text
        and not _SPECIAL_LINE.search(text)
        and not _TRAILING_SPACE.search(text)
    )


def _reads_back(document: str, check: Callable[[Deck], bool]) -> bool:
    try:
        return check(parse_markdown(Source.from_text(document, "<check>")))
    except DeckError:
        return False


_PROBE_HEAD = "# D\nid: d\n\n## Q\nid: q\n\n"


def _fence(text: str, indent: str = "") -> str:
    """`text` in a `verbatim` fence longer than any run of tildes that starts a line in it."""
    runs = [len(m.group(1)) for m in re.finditer(r"(?m)^ {0,3}(~+)", text)]
    fence = "~" * max(3, max(runs, default=0) + 1)
    lines = [f"{fence}{VERBATIM}", *text.split("\n"), fence]
    return "\n".join(lines[:1] + [f"{indent}{line}" if line else "" for line in lines[1:]])


def _body(title: str, text: str, field: Callable[[Question], str]) -> str:
    """A text section's body that reads back as `text` (already stripped)."""
    if _plain_body(text):
        return text
    probe = f"{_PROBE_HEAD}### {title}\n{text}\n\n### Tips\n- end\n"
    if _reads_back(
        probe, lambda d: field(d.questions[0]) == text and d.questions[0].tips == ["end"]
    ):
        return text
    return _fence(text)


def _item(text: str) -> str:
    """One list item ("- ...") that reads back as `text`."""
    first, *rest = text.split("\n")
    plain = "\n".join([f"- {first}", *(f"  {line}" if line else "" for line in rest)])
    if _plain_body(text) or _reads_back(
        f"{_PROBE_HEAD}### Tips\n{plain}\n\n### Do\n- end\n",
        lambda d: d.questions[0].tips == [text] and d.questions[0].dos == ["end"],
    ):
        return plain
    return "- " + _fence(text, indent="  ")


def _description(deck: Deck) -> str:
    text = deck.description.strip()
    probe = f"# D\nid: d\n\n{text}\n\n## Q\nid: q\n"
    if _reads_back(probe, lambda d: d.description == text and len(d.questions) == 1):
        return text
    return _fence(text)


def dump_markdown(deck: Deck) -> str:
    """Write a deck in the Markdown format; `parse_markdown` reads it back unchanged.

    The deck id is always written, so a deck renamed in the file keeps its progress. Any
    deck drill holds (core.model.normalize_deck: one-line headings, trimmed text) reads
    back equal; text the format would read as structure is escaped (see above).
    """
    out: list[str] = [f"# {_heading(deck.name)}", f"id: {deck.id}"]
    for key in ("license", "version"):
        value = _one_line(getattr(deck, key))
        if value:
            out.append(f"{key}: {value}")
    out.append("")
    if deck.description.strip():
        out += [_description(deck), ""]
    for q in deck.questions:
        out.append(f"## {_heading(q.question)}")
        out.append(f"id: {q.id}")
        metadata = [
            ("tags", join_tags(q.tags)),
            ("type", q.type),
            ("competencies", ", ".join(q.competencies)),
            ("level", q.level),
            ("length", format_length(q.length) if q.length is not None else ""),
            ("reviewed", q.reviewed),
        ]
        out += [f"{key}: {value}" for key, value in metadata if value]
        out.append("")
        for title, body, field in _sections(q):
            if not body:
                continue
            if isinstance(body, list):
                text = "\n".join(_item(item) for item in body)
            else:
                text = _body(title, body.strip(), field)
            out += [f"### {title}", text, ""]
    return "\n".join(out).rstrip("\n") + "\n"


def _sections(q: Question) -> list[tuple[str, Any, Callable[[Question], str]]]:
    """(heading, body, how to read the body back from a parsed question), in file order."""

    def attr(name: str) -> Callable[[Question], str]:
        return lambda parsed: str(getattr(parsed, name))

    def first_example(parsed: Question) -> str:
        return parsed.examples[0].text if parsed.examples else ""

    sections: list[tuple[str, Any, Callable[[Question], str]]] = [
        ("Variants", q.variants, attr("variants")),
        ("Why they ask", q.why, attr("why")),
        ("Approach", q.approach, attr("approach")),
        ("Short answer", q.short_answer, attr("short_answer")),
        ("Do", q.dos, attr("dos")),
        ("Don't", q.donts, attr("donts")),
        ("Red flags", q.red_flags, attr("red_flags")),
    ]
    sections += [
        (f"Example: {_heading(e.label)}" if e.label else "Example", e.text, first_example)
        for e in q.examples
    ]
    sections += [
        ("Bad example", q.bad_example, attr("bad_example")),
        ("Follow-ups", q.follow_ups, attr("follow_ups")),
        ("Key phrases", q.key_phrases, attr("key_phrases")),
        ("Tips", q.tips, attr("tips")),
        ("My answer", q.my_answer, attr("my_answer")),
    ]
    return sections
