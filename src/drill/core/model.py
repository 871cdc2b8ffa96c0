"""The deck model: decks, questions and the cards made from them.

Pure data with no I/O, so every parser, exporter and the storage layer agree on one shape.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import asdict, dataclass, field, fields
from enum import IntEnum, StrEnum
from typing import Any

from drill.core.vocabulary import DEFAULT_SECONDS, FALLBACK_SECONDS


class CardKind(StrEnum):
    """What a card asks of the user. Order of definition is the order new siblings are shown."""

    REHEARSE = "rehearse"
    WHY = "why"
    DOS = "dos"

    @property
    def heading(self) -> str:
        return _KIND_TITLES[self]

    @property
    def task(self) -> str:
        return _KIND_TASKS[self]


_KIND_TITLES = {
    CardKind.REHEARSE: "Rehearse: answer out loud",
    CardKind.WHY: "Why they ask",
    CardKind.DOS: "Dos and don'ts",
}
_KIND_TASKS = {
    CardKind.REHEARSE: "Answer out loud, as you would in the interview.",
    CardKind.WHY: "Why do interviewers ask this?",
    CardKind.DOS: "What should you do, and what should you avoid?",
}
KIND_ORDER = {kind: index for index, kind in enumerate(CardKind)}
# An `ask-them` question turns the card model around: its prompt is the moment the interviewer
# hands you the floor, and its "why" is why *you* ask then.
_ASK_THEM_TITLES = {
    CardKind.REHEARSE: "Rehearse: ask your questions out loud",
    CardKind.WHY: "Why you ask",
}
_ASK_THEM_TASKS = {
    CardKind.REHEARSE: "Ask your questions out loud, as you would in the interview.",
    CardKind.WHY: "Why ask at this moment, and what do you need to find out?",
}


class Rating(IntEnum):
    """The four FSRS grades, numbered as Anki and FSRS number them."""

    AGAIN = 1
    HARD = 2
    GOOD = 3
    EASY = 4

    @classmethod
    def parse(cls, text: str | int) -> Rating:
        """Accept 1-4 or again/hard/good/easy (any case); raise ValueError otherwise."""
        value = str(text).strip().lower()
        if value.isdigit() and 1 <= int(value) <= 4:
            return cls(int(value))
        try:
            return cls[value.upper()]
        except KeyError:
            raise ValueError(
                f"invalid rating {text!r}: use again, hard, good, easy or 1-4"
            ) from None

    @property
    def label(self) -> str:
        return self.name.capitalize()


class CardState(IntEnum):
    """Card states as in FSRS revlogs (0 is a card never reviewed)."""

    NEW = 0
    LEARNING = 1
    REVIEW = 2
    RELEARNING = 3

    @property
    def label(self) -> str:
        return self.name.lower()


@dataclass(slots=True)
class CardRecord:
    """The scheduling state of one card as stored (times in epoch ms)."""

    state: int = CardState.NEW
    step: int | None = None
    stability: float | None = None
    difficulty: float | None = None
    due: int | None = None
    last_review: int | None = None
    reps: int = 0
    lapses: int = 0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> CardRecord:
        return cls(**{f.name: data[f.name] for f in fields(cls) if f.name in data})


@dataclass(frozen=True, slots=True)
class CardInfo:
    """A stored card: which question and kind it is, its scheduling state, and whether the
    user suspended it.
    """

    id: int
    deck_id: str
    question_id: str
    kind: CardKind
    record: CardRecord
    suspended: bool

    @property
    def state(self) -> CardState:
        return CardState(self.record.state)


@dataclass(frozen=True, slots=True)
class CardSnapshot:
    """Everything about a card that studying or browsing can change, for undo to restore.

    `buried_until` and `reset_at` are epoch ms (None when not buried, never reset).
    """

    card_id: int
    record: CardRecord
    suspended: bool
    buried_until: int | None
    reset_at: int | None


@dataclass(frozen=True, slots=True)
class Example:
    """A good example answer; `label` says for whom (e.g. "experienced")."""

    label: str
    text: str


@dataclass(slots=True)
class Question:
    """One interview question with everything a deck file can say about it."""

    id: str
    question: str
    variants: list[str] = field(default_factory=list)
    why: str = ""
    approach: str = ""
    dos: list[str] = field(default_factory=list)
    donts: list[str] = field(default_factory=list)
    examples: list[Example] = field(default_factory=list)
    bad_example: str = ""
    tips: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    # Metadata and sections of the question bank v2 (docs/content-standard.md); all optional.
    type: str = ""  # one of vocabulary.QUESTION_TYPES, or "" when the deck does not say
    competencies: list[str] = field(default_factory=list)
    level: str = ""
    length: tuple[int, int] | None = None  # target speaking time in seconds, low and high
    reviewed: str = ""  # ISO date a legal or pay card's facts were last checked
    short_answer: str = ""
    follow_ups: list[str] = field(default_factory=list)
    red_flags: list[str] = field(default_factory=list)
    key_phrases: list[str] = field(default_factory=list)
    # Not deck content: an answer to seed the answer bank with, and a foreign key
    # (an Anki note GUID) that lets a re-import find this question again.
    my_answer: str = ""
    import_key: str | None = None
    line: int = field(default=0, compare=False)

    @property
    def phrasings(self) -> list[str]:
        """The main question followed by its variants."""
        return [self.question, *self.variants]

    @property
    def asks_them(self) -> bool:
        """A question the candidate asks the interviewer (`type: ask-them`)."""
        return self.type == "ask-them"

    @property
    def why_title(self) -> str:
        """The "why" section's title: why they ask, or for ask-them cards why you do."""
        return _ASK_THEM_TITLES[CardKind.WHY] if self.asks_them else _KIND_TITLES[CardKind.WHY]

    def card_heading(self, kind: CardKind) -> str:
        """What a card of this question is, as its screen title says."""
        if self.asks_them and kind in _ASK_THEM_TITLES:
            return _ASK_THEM_TITLES[kind]
        return kind.heading

    def card_task(self, kind: CardKind) -> str:
        """What a card of this question asks of the user."""
        if self.asks_them and kind in _ASK_THEM_TASKS:
            return _ASK_THEM_TASKS[kind]
        return kind.task

    @property
    def target_seconds(self) -> tuple[int, int]:
        """How long a spoken answer should take: the question's own `length`, else its
        type's default, else a general one.
        """
        if self.length is not None:
            return self.length
        return DEFAULT_SECONDS.get(self.type, FALLBACK_SECONDS)

    def kinds(self) -> list[CardKind]:
        """The card kinds this question yields, in the order new cards are introduced."""
        kinds = [CardKind.REHEARSE]
        if self.why.strip():
            kinds.append(CardKind.WHY)
        if self.dos or self.donts:
            kinds.append(CardKind.DOS)
        return kinds

    def content_dict(self) -> dict[str, Any]:
        """The deck content as JSON-able data (the shape of `drill export deck --format json`)."""
        return {
            "id": self.id,
            "question": self.question,
            "variants": list(self.variants),
            "why": self.why,
            "approach": self.approach,
            "dos": list(self.dos),
            "donts": list(self.donts),
            "examples": [{"label": e.label, "text": e.text} for e in self.examples],
            "bad_example": self.bad_example,
            "tips": list(self.tips),
            "tags": list(self.tags),
            "type": self.type,
            "competencies": list(self.competencies),
            "level": self.level,
            "length": list(self.length) if self.length is not None else None,
            "reviewed": self.reviewed,
            "short_answer": self.short_answer,
            "follow_ups": list(self.follow_ups),
            "red_flags": list(self.red_flags),
            "key_phrases": list(self.key_phrases),
        }

    @classmethod
    def from_content_dict(cls, data: dict[str, Any], *, line: int = 0) -> Question:
        """Inverse of `content_dict`; missing keys mean empty parts."""
        return cls(
            id=data["id"],
            question=data["question"],
            variants=list(data.get("variants") or []),
            why=data.get("why") or "",
            approach=data.get("approach") or "",
            dos=list(data.get("dos") or []),
            donts=list(data.get("donts") or []),
            examples=[Example(e.get("label") or "", e["text"]) for e in data.get("examples") or []],
            bad_example=data.get("bad_example") or "",
            tips=list(data.get("tips") or []),
            tags=list(data.get("tags") or []),
            type=data.get("type") or "",
            competencies=list(data.get("competencies") or []),
            level=data.get("level") or "",
            length=_length(data.get("length")),
            reviewed=data.get("reviewed") or "",
            short_answer=data.get("short_answer") or "",
            follow_ups=list(data.get("follow_ups") or []),
            red_flags=list(data.get("red_flags") or []),
            key_phrases=list(data.get("key_phrases") or []),
            line=line,
        )


def _length(value: Any) -> tuple[int, int] | None:
    """A `length` as JSON has it ([low, high] or null) as the model's tuple."""
    if value is None:
        return None
    low, high = value
    return int(low), int(high)


@dataclass(slots=True)
class Deck:
    """A named, ordered collection of questions read from one file."""

    id: str
    name: str
    description: str = ""
    questions: list[Question] = field(default_factory=list)
    source: str = ""
    license: str = ""
    version: str = ""
    # Set by a reader whose questions are already as drill keeps them (normalize_question
    # would change none of them), so an import need not visit every field again: a tenth of
    # importing a large deck. Only a reader held to that by a test may set it.
    normalized: bool = field(default=False, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class HistoryReview:
    """One past review read from a file, to be merged into the matching card.

    The card is found by (deck, question_id, kind), or by (import_key, kind) when the
    question is known by a foreign key such as an Anki note GUID. `card_id` is only a hint.
    """

    deck: str
    question_id: str
    kind: CardKind
    review_time: int  # ms since the epoch, UTC
    rating: Rating
    duration_ms: int | None = None
    card_id: int | None = None
    import_key: str | None = None
    file: str = ""
    line: int = 0


_SPACES = re.compile(r"\s+")


def one_line(text: str) -> str:
    """`text` on one line: runs of whitespace (new lines included) become one space."""
    # Every whitespace character but ' ' is unprintable: most text needs no regex.
    if text.isprintable() and "  " not in text and text == text.strip():
        return text
    return _SPACES.sub(" ", text).strip()


def normalize_question(question: Question) -> Question:
    """The question as drill keeps it, in place: headings and tags on one line, text and
    items trimmed, empty items, tags and examples dropped.

    Every format can hold a question in this form (the Markdown deck format reads headings
    as one line and trims sections), so what is imported from any file exports to Markdown
    and reads back equal.
    """
    # An import normalises every question, so this is written out field by field (getattr
    # and setattr by name cost twice as much): empty lists, most of them, are skipped, each
    # item is stripped once, and an example already in shape is kept as it is.
    question.question = one_line(question.question)
    if question.variants:
        question.variants = [v for v in map(one_line, question.variants) if v]
    if question.dos:
        question.dos = _trimmed(question.dos)
    if question.donts:
        question.donts = _trimmed(question.donts)
    if question.tips:
        question.tips = _trimmed(question.tips)
    if question.follow_ups:
        question.follow_ups = _trimmed(question.follow_ups)
    if question.red_flags:
        question.red_flags = _trimmed(question.red_flags)
    if question.key_phrases:
        question.key_phrases = _trimmed(question.key_phrases)
    question.why = question.why.strip()
    question.approach = question.approach.strip()
    question.bad_example = question.bad_example.strip()
    question.short_answer = question.short_answer.strip()
    question.my_answer = question.my_answer.strip()
    if question.examples:
        question.examples = [_normal_example(e) for e in question.examples if e.text.strip()]
    if question.tags:
        question.tags = [t for t in map(one_line, question.tags) if t]
    return question


def _trimmed(items: list[str]) -> list[str]:
    return [item for item in map(str.strip, items) if item]


def _normal_example(example: Example) -> Example:
    label, text = one_line(example.label), example.text.strip()
    if label == example.label and text == example.text:
        return example
    return Example(label, text)


def normalize_deck(deck: Deck) -> Deck:
    """The deck as drill keeps it, in place (see normalize_question)."""
    deck.name = one_line(deck.name)
    deck.description = deck.description.strip()
    if not deck.normalized:
        for question in deck.questions:
            normalize_question(question)
    return deck


_NON_SLUG = re.compile(r"[^a-z0-9]+")


def slugify(text: str) -> str:
    """Lower-case ASCII words joined by hyphens: "Career & Goals!" -> "career-goals"."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return _NON_SLUG.sub("-", ascii_text.lower()).strip("-")


def check_deck_ref(text: str, *, name: bool = False) -> str:
    """A deck named on the command line (`--deck`), once it can name one; ValueError if not.

    Refused: an empty or blank value (it would silently mean "every deck", or a deck with
    no id), control and invisible characters (U+202E, U+200B: what is printed would not be
    what was typed), and, for a new deck's name, one with no letters or digits for an id, as
    the Markdown format refuses it. The value is returned without surrounding spaces.
    """
    from drill.core.sanitize import invisible_characters

    value = text.strip()
    if not value:
        raise ValueError("is empty: name a deck")
    hidden = invisible_characters(value)
    if hidden:
        raise ValueError(f"contains an invisible or control character ({hidden[0]})")
    if name and not slugify(value):
        raise ValueError(f"deck name '{value}' has no letters or digits for an id")
    return value
