"""Job postings: pasted text, Markdown or HTML, read into a `Posting` (sections and
requirement lines).

A posting is untrusted text from a web page. It is read with a bound, must be UTF-8 text,
and is never interpreted: HTML tags only tell where lines and headings are (a posting with a
script is refused, since that is a page's source, not a posting), and control characters
are removed. Every refusal is one line saying what to do instead.
"""

from __future__ import annotations

import functools
import html
import re
from html.parser import HTMLParser
from importlib import resources
from pathlib import Path
from typing import BinaryIO

from drill.core.phrasing import leading_verb
from drill.core.posting import (
    IGNORED_KINDS,
    REQUIREMENT_KINDS,
    Posting,
    Requirement,
    Section,
    SectionKind,
)
from drill.core.sanitize import CONTROL_CHARS, normalize_newlines
from drill.core.terms import Background
from drill.errors import DeckError, DrillError
from drill.files import read_input

# A long posting is 10-20 KB of text, its pasted HTML a few times that. Anything near a
# megabyte is a whole web page or the wrong file.
MAX_BYTES = 256 * 1024
# More lines than any posting lists; the rest would be noise (and slow to rank).
MAX_REQUIREMENTS = 80
MAX_REQUIREMENT_CHARS = 400


class PostingError(DrillError):
    """A posting drill cannot use; nothing was stored."""


# -- reading ----------------------------------------------------------------------------------


def read_posting_file(path: Path | str) -> str:
    """The text of a posting file: a regular file of UTF-8 text under MAX_BYTES.

    Opened through drill.files, like every input: a FIFO or a device (which would block or
    never end) is refused before a byte is read, and no more than MAX_BYTES are read.
    """
    try:
        data = read_input(path, limit=MAX_BYTES)
    except DeckError as exc:
        problem = exc.problems[0]
        if problem.message.startswith("larger than"):
            raise _too_big(str(path)) from None
        hint = " (give a text file, or - for stdin)" if "regular file" in problem.message else ""
        raise PostingError(f"{problem.file}: {problem.message}{hint}") from None
    return decode_posting(data, str(path))


def read_posting_stream(stream: BinaryIO, name: str = "stdin") -> str:
    """The text of a posting piped in (at most MAX_BYTES + 1 bytes are read)."""
    return decode_posting(stream.read(MAX_BYTES + 1), name)


def _too_big(name: str) -> PostingError:
    return PostingError(
        f"{name}: the posting is over {MAX_BYTES // 1024} KB "
        "(paste only the posting's text, not a whole page)"
    )


def decode_posting(data: bytes, name: str) -> str:
    """Bytes to clean text, or a one-line PostingError: too big, binary, not UTF-8, empty."""
    if len(data) > MAX_BYTES:
        raise _too_big(name)
    if b"\x00" in data:
        raise PostingError(f"{name}: this is a binary file, not a posting (give text or HTML)")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise PostingError(
            f"{name}:{line}: the posting is not UTF-8 text (save it as UTF-8 and try again)"
        ) from None
    text = CONTROL_CHARS.sub("", normalize_newlines(text))
    if not text.strip():
        raise PostingError(f"{name}: the posting is empty (paste the job description's text)")
    return text


# -- HTML to lines --------------------------------------------------------------------------


def _word_set(text: str) -> frozenset[str]:
    return frozenset(text.split())


_HTML_TAG = re.compile(
    r"<(?:p|div|li|ul|ol|h[1-6]|br|span|strong|b|em|i|table|tr|td|section|article|body|html|"
    r"header|footer|main|a|meta|head|title|style|script|noscript|iframe)\b[^>]*>",
    re.IGNORECASE,
)
_SCRIPT = re.compile(r"<\s*script\b|\bjavascript\s*:|<[^>]+\son[a-z]+\s*=", re.IGNORECASE)
_BLOCK_TAGS = _word_set(
    """
    p div section article header footer main ul ol table tr h1 h2 h3 h4 h5 h6 br li blockquote
    dd dt dl hr pre form fieldset aside nav
    """
)
_SKIPPED_TAGS = _word_set(
    """
    style head title noscript template svg iframe object embed
    """
)


def looks_like_html(text: str) -> bool:
    return len(_HTML_TAG.findall(text, 0, 20_000)) >= 2


class _HtmlLines(HTMLParser):
    """Text of an HTML fragment as lines: blocks and `<br>` break lines, list items become
    "- " bullets, headings "#" lines, bold "**". Attributes are never read.
    """

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self.current: list[str] = []
        self.skipping = 0

    def _break(self) -> None:
        line = " ".join("".join(self.current).split())
        if line and line not in ("**", "****"):
            self.lines.append(line)
        self.current = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIPPED_TAGS:
            self.skipping += 1
            return
        if tag in _BLOCK_TAGS:
            self._break()
            if tag == "li":
                self.current.append("- ")
            elif tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
                self.current.append("#" * int(tag[1]) + " ")
        elif tag in ("strong", "b"):
            self.current.append("**")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCK_TAGS:
            self._break()

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED_TAGS:
            self.skipping = max(0, self.skipping - 1)
            return
        if tag in _BLOCK_TAGS:
            self._break()
        elif tag in ("strong", "b"):
            self.current.append("**")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.current.append(data)


def html_to_lines(text: str, name: str) -> list[str]:
    """The lines of a pasted HTML posting; a script (a page's source) is refused."""
    if _SCRIPT.search(text):
        raise PostingError(
            f"{name}: the posting's HTML holds a script "
            "(paste the posting's text, or only the HTML of the posting itself)"
        )
    parser = _HtmlLines()
    parser.feed(text)
    parser.close()
    parser._break()
    return parser.lines


# -- lines to sections ----------------------------------------------------------------------

_BULLET = re.compile(r"^(?:[-*+•·▪◦●○‣⁃–—✓✔➢►>]|\(?[0-9]{1,2}[.)]|\(?[a-z][.)])\s+")
_MD_HEADING = re.compile(r"^#{1,6}\s+")
_EMPHASIS = re.compile(r"\*\*|__|(?<!\w)[*_](?=\S)|(?<=\S)[*_](?!\w)")
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"“(]?[A-Z0-9])")
_SEPARATORS = re.compile(r"\s+[-–—|·•@]\s+|\s+at\s+")

# Heading words, checked in this order (the first that matches decides the section).
_SECTION_WORDS: tuple[tuple[SectionKind, tuple[str, ...]], ...] = (
    (
        SectionKind.NICE_TO_HAVE,
        (
            "nice to have",
            "nice-to-have",
            "bonus",
            "preferred",
            "desirable",
            "pluses",
            "plus if",
            "even better",
            "extra credit",
            "would be great",
            "ideally",
        ),
    ),
    (
        SectionKind.BENEFITS,
        (
            "benefit",
            "perks",
            "we offer",
            "what we give",
            "compensation",
            "salary",
            "pay and",
            "package",
            "reward",
            "why join",
            "why work",
            "in return",
            "what you get",
            "what's in it",
        ),
    ),
    (
        SectionKind.PROCESS,
        (
            "equal opportunit",
            "equal employment",
            "eeo",
            "how to apply",
            "to apply",
            "application",
            "interview process",
            "hiring process",
            "recruitment process",
            "next steps",
            "accommodation",
            "privacy",
            "disclaimer",
            "diversity",
        ),
    ),
    (
        SectionKind.REQUIREMENTS,
        (
            "requirement",
            "qualification",
            "what you bring",
            "what you'll bring",
            "what you will bring",
            "looking for",
            "about you",
            "who you are",
            "you have",
            "you are",
            "you'll have",
            "you will have",
            "your profile",
            "profile",
            "skills",
            "experience",
            "must have",
            "must-have",
            "essential",
            "what you need",
            "you'll need",
            "you will need",
            "ideal candidate",
            "competenc",
            "criteria",
            "good fit",
            "is this you",
            "what it takes",
        ),
    ),
    (
        SectionKind.RESPONSIBILITIES,
        (
            "responsibilit",
            "what you'll do",
            "what you will do",
            "what you'd do",
            "what you'll be doing",
            "what you will be doing",
            "the role",
            "your role",
            "this role",
            "the job",
            "the position",
            "day to day",
            "day-to-day",
            "duties",
            "tasks",
            "your mission",
            "the opportunity",
            "your impact",
            "impact",
            "the work",
            "accountabilit",
            "job involves",
            "you will",
            "you'll",
            "what we need you",
        ),
    ),
    (
        SectionKind.COMPANY,
        (
            "about us",
            "about the company",
            "who we are",
            "our mission",
            "our story",
            "the company",
            "company overview",
            "our values",
            "the team",
            "about the team",
            "about ",
        ),
    ),
)
# Words that make an untitled bullet or sentence read like a requirement.
_REQUIREMENT_CUES = re.compile(
    r"\b(?:you will|you'll|you'd|experience|ability to|able to|responsible|must|should|"
    r"skills?|knowledge|proficien|familiar|years|degree|strong|excellent|proven|track record|"
    r"own|lead|manage|build|design|develop|work with|partner|drive|deliver|support|maintain|"
    r"create|run|handle|improve|analy[sz]e|define|write|review|mentor|coach|negotiate|sell|"
    r"plan|prioriti[sz]e|communicat|measured?|kpis?|metrics|targets)",
    re.IGNORECASE,
)


# Sentences about pay and perks, wherever they stand: never requirements.
_PERKS = re.compile(
    r"\b(?:salary|we offer|pension|401\(k\)|holiday allowance|days (?:of )?holiday|"
    r"paid time off|pto|health insurance|dental|share options|stock options|"
    r"equal opportunity|per annum|OTE)\b",
    re.IGNORECASE,
)


def section_kind(heading: str) -> SectionKind:
    """What a heading introduces ("What you'll do" -> responsibilities)."""
    folded = " " + " ".join(heading.lower().replace("’", "'").split()).strip(" :.-") + " "
    for kind, words in _SECTION_WORDS:
        if any(word in folded for word in words):
            return kind
    return SectionKind.OTHER


def _plain(line: str) -> str:
    """A line without Markdown emphasis, links or heading marks."""
    line = _LINK.sub(r"\1", line)
    line = _MD_HEADING.sub("", line)
    line = _EMPHASIS.sub("", line)
    return " ".join(html.unescape(line).split())


def _is_bold_line(line: str) -> bool:
    stripped = line.strip()
    return (
        len(stripped) > 4
        and (
            (stripped.startswith("**") and stripped.rstrip(":").endswith("**"))
            or (stripped.startswith("__") and stripped.rstrip(":").endswith("__"))
        )
        and stripped.count("**") <= 2
    )


def _heading_text(line: str) -> str | None:
    """The heading a line is, or None. Markdown and bold lines always are; a short plain
    line is when it ends with a colon or names a known section.
    """
    stripped = line.strip()
    if not stripped:
        return None
    if _MD_HEADING.match(stripped) or _is_bold_line(stripped):
        return _plain(stripped).rstrip(":").strip()
    if _BULLET.match(stripped):
        return None
    plain = _plain(stripped)
    words = plain.split()
    if not words or len(words) > 8 or len(plain) > 70:
        return None
    if plain.endswith(":"):
        return plain.rstrip(":").strip()
    if plain[-1] in ".,;!?" or plain[0].islower():
        return None
    if section_kind(plain) is not SectionKind.OTHER and _short_title(plain):
        return plain
    return None


def _short_title(plain: str) -> bool:
    # "About the role" is a heading; "You will own our reporting" is a sentence.
    words = plain.split()
    return len(words) <= 5 or plain.isupper() or plain.istitle()


def _inline_heading(line: str) -> tuple[str, str] | None:
    """ "Requirements: 3+ years of SQL" -> ("Requirements", "3+ years of SQL")."""
    head, sep, rest = _plain(line).partition(":")
    if not sep or not rest.strip() or len(head.split()) > 5 or _BULLET.match(line.strip()):
        return None
    if section_kind(head) in (SectionKind.OTHER, SectionKind.COMPANY):
        return None
    return head.strip(), rest.strip()


def _split_lines(text: str, name: str) -> list[str]:
    if looks_like_html(text):
        return html_to_lines(text, name)
    return text.split("\n")


def parse_posting(text: str, name: str = "posting") -> Posting:
    """Sections and requirement lines of a posting's text (plain, Markdown or HTML).

    Raises PostingError when no line reads like a requirement.
    """
    lines = _split_lines(text, name)
    title, company = _title_and_company(lines)
    sections = _sections(lines)
    requirements = _requirements(sections)
    if not requirements:
        raise PostingError(
            f"{name}: no requirements found (paste the part of the posting that says what "
            "you would do and what they are looking for)"
        )
    clean = "\n".join(line.rstrip() for line in lines).strip()
    return Posting(clean, title, company, tuple(sections), tuple(requirements))


# A bullet is kept whole as one requirement; a paragraph is split into sentences.
_BULLET_MARK = "\u2022 "


def _sections(lines: list[str]) -> list[Section]:
    """Headings and their blocks: bullets (with their continuation lines) and paragraphs.

    Bullet blocks are stored with a leading "• " so requirements can tell them apart.
    """
    sections: list[Section] = []
    heading, kind = "", SectionKind.OTHER
    blocks: list[str] = []
    current: list[str] = []
    in_bullet = False

    def flush_block() -> None:
        nonlocal current
        if current:
            blocks.append((_BULLET_MARK if in_bullet else "") + " ".join(current))
        current = []

    def flush_section() -> None:
        nonlocal blocks
        flush_block()
        if heading or blocks:
            sections.append(Section(heading, kind, tuple(blocks)))
        blocks = []

    for raw in lines:
        stripped = raw.strip()
        if not stripped:
            flush_block()
            in_bullet = False
            continue
        title = _heading_text(stripped)
        if title is not None:
            flush_section()
            heading, kind = title, section_kind(title)
            in_bullet = False
            continue
        inline = _inline_heading(stripped)
        if inline is not None:
            flush_section()
            heading, kind = inline[0], section_kind(inline[0])
            current = [inline[1]]
            in_bullet = False
            continue
        bullet = _BULLET.match(stripped)
        if bullet:
            flush_block()
            current = [_plain(stripped[bullet.end() :])]
            in_bullet = True
            continue
        plain = _plain(stripped)
        if in_bullet and current and _continues(raw, plain, current[-1]):
            current.append(plain)
            continue
        if in_bullet:
            flush_block()
            in_bullet = False
        current.append(plain)
    flush_section()
    return sections


def _continues(raw: str, plain: str, previous: str) -> bool:
    """Whether a text line right after a bullet carries on that bullet."""
    return raw[:1].isspace() or plain[:1].islower() or previous[-1:] not in ".!?:"


def _requirements(sections: list[Section]) -> list[Requirement]:
    found = [
        requirement
        for section in sections
        if section.kind in REQUIREMENT_KINDS
        for requirement in _section_requirements(section, cues_only=False)
    ]
    if not found:
        # No heading drill knows: bullets and sentences that read like requirements,
        # anywhere but the company's story, the benefits and the small print.
        found = [
            requirement
            for section in sections
            if section.kind not in IGNORED_KINDS and section.kind is not SectionKind.COMPANY
            for requirement in _section_requirements(section, cues_only=True)
        ]
    unique: list[Requirement] = []
    seen: set[str] = set()
    for requirement in found:
        key = requirement.text.lower()
        if key not in seen:
            seen.add(key)
            unique.append(requirement)
    return unique[:MAX_REQUIREMENTS]


def _section_requirements(section: Section, *, cues_only: bool) -> list[Requirement]:
    """A section's requirements: each bullet whole, and each sentence of its paragraphs that
    reads like a duty or a requirement (not "Paywise processes payments for 12,000 shops").
    """
    out = []
    for block in section.lines:
        bullet = block.startswith(_BULLET_MARK)
        text = block.removeprefix(_BULLET_MARK)
        for sentence in [text] if bullet else _SENTENCE_END.split(text):
            sentence = sentence.strip()
            if not any(c.isalpha() for c in sentence) or _PERKS.search(sentence):
                continue
            if (cues_only or not bullet) and not _reads_like_requirement(sentence):
                continue
            if len(sentence) > MAX_REQUIREMENT_CHARS:
                sentence = sentence[: MAX_REQUIREMENT_CHARS - 1].rstrip() + "…"
            out.append(Requirement(sentence, section.heading, section.kind))
    return out


def _reads_like_requirement(sentence: str) -> bool:
    return len(sentence.split()) >= 3 and (
        leading_verb(sentence) is not None or _REQUIREMENT_CUES.search(sentence) is not None
    )


def _title_and_company(lines: list[str]) -> tuple[str, str]:
    """What the posting's first lines say its title and company are ("" when unclear)."""
    first = [_plain(line) for line in lines if line.strip()][:3]
    if not first:
        return "", ""
    title_line = first[0]
    if len(title_line) > 100 or section_kind(title_line) is not SectionKind.OTHER:
        return "", ""
    parts = [part.strip() for part in _SEPARATORS.split(title_line) if part.strip()]
    title = parts[0] if parts else title_line
    company = ""
    if len(parts) > 1:
        company = parts[1]
    elif len(first) > 1 and len(first[1]) <= 100:
        second = [part.strip() for part in _SEPARATORS.split(first[1]) if part.strip()]
        if len(second) > 1 and len(second[0].split()) <= 5:
            company = second[0]
    company = re.sub(r"\s*\([^)]*\)\s*$", "", company).strip()
    if title.isupper():
        title = title.title()
    return title[:100], company[:100]


# -- the background of ordinary postings ------------------------------------------------------


@functools.cache
def load_background() -> Background:
    """Document frequencies of the background postings shipped with drill (paragraphs of
    io/data/posting_background.txt; `#` lines are comments).
    """
    text = (resources.files("drill.io") / "data" / "posting_background.txt").read_text("utf-8")
    lines = [line for line in text.split("\n") if not line.startswith("#")]
    documents = [block for block in "\n".join(lines).split("\n\n") if block.strip()]
    return Background.from_documents(documents)
