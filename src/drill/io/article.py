"""Read one "Tough Interview Question" article: a title line, then headed blocks of prose.

    Tough Interview Question - What goals do you have in your career?
    Similar interview questions:
    Why the interviewer is asking this question:
    The best approach to answering this question:
    An example of how to best answer this question for <label>:
    An example of how you should not answer this question:

The paragraphs after the first one of the last block are closing tips. Dos and don'ts are
not written out in the article; they are derived from the approach, sentence by sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from drill.core.model import Deck, Example, Question, slugify
from drill.errors import DeckError, Problem
from drill.io.source import Source

TITLE_HINT = "start the file with a line like: Tough Interview Question - <question>"
_TITLE_SCAN = 5  # a title may follow a few stray lines (a site header, a date)

_TITLE = re.compile(
    r"^tough\s+interview\s+question(?:\s*[-–—:]+\s*(?P<question>.*)|\s*)$", re.IGNORECASE
)
_SPACES = re.compile(r"[ \t\u00a0\u2007\u202f\u2000-\u200a\u3000]+")
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "`": "'"})

VARIANTS, WHY, APPROACH, EXAMPLE, BAD = "variants", "why", "approach", "example", "bad"
_HEADERS: list[tuple[str, re.Pattern[str]]] = [
    (VARIANTS, re.compile(r"similar\s+interview\s+questions?")),
    (WHY, re.compile(r"why\s+the\s+interviewer\s+(?:is\s+asking|asks)\s+this\s+question")),
    (APPROACH, re.compile(r"(?:the\s+)?best\s+approach\s+to\s+answering\s+this\s+question")),
    (
        BAD,
        re.compile(
            r"an\s+example\s+of\s+how\s+you\s+(?:should\s+not|shouldn't)\s+answer\s+this"
            r"\s+question"
        ),
    ),
    (
        EXAMPLE,
        re.compile(
            r"an\s+example\s+of\s+how\s+to\s+best\s+answer\s+this\s+question"
            r"(?:\s+for\s+(?P<label>[^:]*?))?"
        ),
    ),
]
_HEADER_TAIL = r"\s*(?::\s*(?P<inline>.*))?"
_HEADER_PATTERNS = [
    (kind, re.compile(rf"^{pattern.pattern}{_HEADER_TAIL}$", re.IGNORECASE))
    for kind, pattern in _HEADERS
]

_BULLET = re.compile(r"^(?:[-*•]\s+)")
_OPEN_QUOTES = "\"“„'‘«"
_CLOSE_QUOTES = "\"”'’»"


@dataclass(slots=True)
class _Block:
    kind: str
    line: int
    label: str = ""
    lines: list[str] = field(default_factory=list)

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.label.casefold()}" if self.kind == EXAMPLE else self.kind


def clean_spaces(text: str) -> str:
    """Collapse runs of spaces, tabs and non-breaking spaces into one space, and trim."""
    return _SPACES.sub(" ", text).strip()


def _title_question(line: str) -> str | None:
    """The question of a title line ("" if it has none), or None if it is not a title."""
    match = _TITLE.match(clean_spaces(line))
    if match is None:
        return None
    return (match.group("question") or "").strip()


def looks_like_article(text: str) -> bool:
    """True when one of the first few non-blank lines is a `Tough Interview Question -` title."""
    seen = 0
    for line in text.lstrip("\ufeff").splitlines():
        if not clean_spaces(line):
            continue
        if _title_question(line) is not None:
            return True
        seen += 1
        if seen >= _TITLE_SCAN:
            return False
    return False


def _match_header(line: str) -> tuple[str, str, str] | None:
    """(kind, label, inline text) when `line` is a block header, else None."""
    written = clean_spaces(line)
    # The translation is one character for one, so spans found in it hold in `written`.
    text = written.translate(_APOSTROPHES)
    for kind, pattern in _HEADER_PATTERNS:
        match = pattern.match(text)
        if match:
            label = _span(written, match, "label") if kind == EXAMPLE else ""
            return kind, label, _span(written, match, "inline")
    return None


def _span(text: str, match: re.Match[str], group: str) -> str:
    start, end = match.span(group)
    return text[start:end].strip() if start >= 0 else ""


def _paragraphs(lines: list[str]) -> list[list[str]]:
    """Group lines into paragraphs separated by blank lines; each line space-cleaned."""
    paragraphs: list[list[str]] = []
    current: list[str] = []
    for line in lines:
        cleaned = clean_spaces(line)
        if cleaned:
            current.append(cleaned)
        elif current:
            paragraphs.append(current)
            current = []
    if current:
        paragraphs.append(current)
    return paragraphs


def _join(paragraphs: list[list[str]]) -> str:
    return "\n\n".join("\n".join(p) for p in paragraphs)


def _body_length(paragraphs: list[list[str]]) -> int:
    """How many paragraphs the last block owns: the first, or a quoted answer's paragraphs."""
    if not paragraphs:
        return 0
    first = paragraphs[0][0]
    if first[0] not in _OPEN_QUOTES or paragraphs[0][-1][-1] in _CLOSE_QUOTES:
        return 1
    # A quoted answer spanning paragraphs runs on to the paragraph that closes the quote.
    for index, paragraph in enumerate(paragraphs[1:], start=2):
        if paragraph[-1][-1] in _CLOSE_QUOTES:
            return index
    return 1


def parse_article(source: Source, *, deck_name: str | None = None) -> Deck:
    """Parse an article file into a deck of one question; raise DeckError if it is unusable."""
    lines = source.text.split("\n")
    title_index = _find_title(lines)
    if title_index is None:
        raise DeckError.at(source.file, 1, "no 'Tough Interview Question' title line", TITLE_HINT)
    for index in range(title_index):
        if clean_spaces(lines[index]):
            source.warnings.append(
                Problem(source.file, index + 1, "ignored text before the title line")
            )
    question_text = _title_question(lines[title_index]) or ""
    if not question_text:
        raise DeckError.at(source.file, title_index + 1, "no question after the dash", TITLE_HINT)
    question_id = slugify(question_text)
    if not question_id:
        raise DeckError.at(
            source.file, title_index + 1, "the question has no letters or digits", TITLE_HINT
        )

    preamble, blocks = _split_blocks(source, lines, title_index + 1)
    question = Question(id=question_id, question=question_text, line=title_index + 1)
    _apply_preamble(source, question, preamble)
    for position, block in enumerate(blocks):
        paragraphs = _paragraphs(block.lines)
        if position == len(blocks) - 1:
            owned = _body_length(paragraphs)
            question.tips = [" ".join(p) for p in paragraphs[owned:]]
            paragraphs = paragraphs[:owned]
        _apply_block(question, block, paragraphs)
    question.dos, question.donts = derive_dos_donts(question.approach)

    name = deck_name if deck_name is not None else Path(source.file).stem
    deck_id = slugify(name)
    if not deck_id:
        # Every such file would otherwise land in one deck named "deck".
        raise DeckError.at(
            source.file,
            0,
            f"deck name '{name}' has no letters or digits for an id",
            "name the deck with --deck NAME",
        )
    return Deck(id=deck_id, name=name, questions=[question], source=source.file)


def _find_title(lines: list[str]) -> int | None:
    seen = 0
    for index, line in enumerate(lines):
        if not clean_spaces(line):
            continue
        if _title_question(line) is not None:
            return index
        seen += 1
        if seen >= _TITLE_SCAN:
            return None
    return None


def _split_blocks(
    source: Source, lines: list[str], start: int
) -> tuple[list[tuple[int, str]], list[_Block]]:
    """Lines before the first header (with numbers), and the headed blocks in file order."""
    preamble: list[tuple[int, str]] = []
    blocks: list[_Block] = []
    first_line: dict[str, int] = {}
    for index in range(start, len(lines)):
        line = lines[index]
        header = _match_header(line)
        if header is None:
            if blocks:
                blocks[-1].lines.append(line)
            else:
                preamble.append((index + 1, line))
            continue
        kind, label, inline = header
        block = _Block(kind, index + 1, label, [inline] if inline else [])
        if block.key in first_line:
            raise DeckError.at(
                source.file,
                block.line,
                f"section given twice: {clean_spaces(line)}",
                f"first given on line {first_line[block.key]}; merge the two",
            )
        first_line[block.key] = block.line
        blocks.append(block)
    return preamble, blocks


def _apply_preamble(source: Source, question: Question, preamble: list[tuple[int, str]]) -> None:
    """Drop the usual repeat of the question; keep other question lines as variants."""
    wanted = question.question.casefold()
    for number, line in preamble:
        text = clean_spaces(line)
        if not text or text.casefold() == wanted:
            continue
        if text.endswith("?"):
            _add_variant(question, text)
        else:
            source.warnings.append(
                Problem(source.file, number, "ignored text before the first section")
            )


def _add_variant(question: Question, text: str) -> None:
    folded = text.casefold()
    if folded != question.question.casefold() and folded not in (
        v.casefold() for v in question.variants
    ):
        question.variants.append(text)


def _apply_block(question: Question, block: _Block, paragraphs: list[list[str]]) -> None:
    if block.kind == VARIANTS:
        for paragraph in paragraphs:
            for line in paragraph:
                variant = _BULLET.sub("", line).strip()
                if variant:
                    _add_variant(question, variant)
    elif block.kind == WHY:
        question.why = _join(paragraphs)
    elif block.kind == APPROACH:
        question.approach = _join(paragraphs)
    elif block.kind == EXAMPLE:
        text = _join(paragraphs)
        if text:
            question.examples.append(Example(block.label, text))
    elif block.kind == BAD:
        question.bad_example = _join(paragraphs)


# --- dos and don'ts -------------------------------------------------------------------------


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_NEGATIVE = re.compile(
    r"\b(?:should\s+not|shouldn't|must\s+not|mustn't|do\s+not|don't|never|avoid\w*|rather\s+than)\b",
    re.IGNORECASE,
)
DO_VERBS = _words(
    """
    focus keep pick use explain spend name state be make show give prepare mention talk
    describe highlight share stay start tie choose emphasize emphasise practice practise
    remember answer tell ask offer cover think consider demonstrate research connect relate
    include limit frame stick try discuss provide acknowledge outline express select
    identify align close conclude finish wrap walk follow
    """
)
# "Research shows ...", "Practice makes ...": the first word is a noun, not an order.
_NOT_IMPERATIVE_NEXT = _words(
    """
    is are was were has have had can could will would may might shows show suggests suggest
    makes means indicates helps tells
    """
)
_LEAD_IN = re.compile(
    r"^(?:(?:also|instead|first|second|third|then|next|finally|always|simply|just|so|and|but|"
    r"again|rather|ideally|above\s+all|most\s+importantly|in\s+short|for\s+example|"
    r"for\s+instance|in\s+general|overall|therefore),?\s+)+",
    re.IGNORECASE,
)
_YOU_MODAL = re.compile(
    r"^you\s+(?:can|should|could|must|need\s+to|(?:will|may|might)\s+want\s+to)\s+",
    re.IGNORECASE,
)
_ADVERBS = _words("also always still instead then first really definitely simply just")
_WORD = re.compile(r"[A-Za-z]+(?:'[A-Za-z]+)?")

# "no." and "co." also end ordinary sentences ("... just say no."), so they are not here.
_ABBREVIATIONS = _words("e.g i.e vs cf viz etc approx mr mrs ms dr prof sr jr st inc ltd dept")
_TERMINATORS = ".!?…"
_NON_SPACE = re.compile(r"\S")
_CLOSERS = ")]\"”'’»"


def split_sentences(text: str) -> list[str]:
    """Split prose into sentences, whitespace-normalized.

    Does not split inside parentheses, after abbreviations such as "e.g.", "i.e." and "vs.",
    or where the next word starts in lower case.
    """
    sentences: list[str] = []
    for paragraph in re.split(r"\n\s*\n", text):
        flat = clean_spaces(paragraph.replace("\n", " "))
        if not flat:
            continue
        parts = _split_flat(flat, track_parens=True)
        if parts is None:  # unbalanced parentheses: they tell us nothing
            parts = _split_flat(flat, track_parens=False) or [flat]
        sentences.extend(parts)
    return sentences


def _split_flat(text: str, *, track_parens: bool) -> list[str] | None:
    sentences: list[str] = []
    depth = 0
    start = 0
    index = 0
    length = len(text)
    while index < length:
        char = text[index]
        if track_parens and char in "([":
            depth += 1
        elif track_parens and char in ")]":
            depth -= 1
            if depth < 0:
                return None
        if char not in _TERMINATORS:
            index += 1
            continue
        end = index + 1
        while end < length and text[end] in _TERMINATORS:
            end += 1
        closing_depth = depth
        while end < length and text[end] in _CLOSERS:
            if track_parens and text[end] in ")]":
                closing_depth -= 1
            end += 1
        if closing_depth < 0:
            return None
        if _ends_sentence(text, start, index, end, closing_depth):
            sentences.append(text[start:end].strip())
            start = end
            depth = closing_depth
            index = end
        else:
            index += 1
    if track_parens and depth != 0:
        return None
    tail = text[start:].strip()
    if tail:
        sentences.append(tail)
    return sentences


def _ends_sentence(text: str, start: int, stop: int, end: int, depth: int) -> bool:
    """Whether the terminator at `stop` (with closers up to `end`) ends a sentence."""
    if depth > 0:
        return False
    if end >= len(text):
        return True
    if not text[end].isspace():
        return False
    # Look at the next word in place: slicing off the rest of the text here made long
    # paragraphs quadratic.
    following = _NON_SPACE.search(text, end)
    if following and following.group().islower():
        return False
    if text[stop] == ".":
        word = text[max(start, text.rfind(" ", start, stop) + 1) : stop]
        word = word.lstrip("(\"“'‘").lower()
        if word in _ABBREVIATIONS or re.fullmatch(r"[a-z]", word):
            return False
    return True


def classify_sentence(sentence: str) -> str | None:
    """Return "dont" for advice against something, "do" for imperative advice, else None."""
    plain = sentence.translate(_APOSTROPHES)
    if _NEGATIVE.search(plain):
        return "dont"
    body = plain.lstrip(_OPEN_QUOTES + "([ ")
    body = _LEAD_IN.sub("", body)
    modal = _YOU_MODAL.match(body)
    words = [w.lower() for w in _WORD.findall(body[modal.end() if modal else 0 :][:80])]
    if not words:
        return None
    if modal:
        # "You can state ...", "You should also mention ...", "You can briefly name ..."
        if words[0] in DO_VERBS:
            return "do"
        adverb = words[0] in _ADVERBS or words[0].endswith("ly")
        return "do" if adverb and len(words) > 1 and words[1] in DO_VERBS else None
    if words[0] not in DO_VERBS or (len(words) > 1 and words[1] in _NOT_IMPERATIVE_NEXT):
        return None
    return "do"


def derive_dos_donts(approach: str) -> tuple[list[str], list[str]]:
    """Dos and don'ts taken sentence by sentence from the approach prose, in order."""
    dos: list[str] = []
    donts: list[str] = []
    for sentence in split_sentences(approach):
        kind = classify_sentence(sentence)
        if kind == "do":
            dos.append(sentence)
        elif kind == "dont":
            donts.append(sentence)
    return dos, donts
