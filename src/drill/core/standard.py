"""The standard for an excellent question-bank entry (docs/content-standard.md), as checks.

Every rule a program can check is here, over parsed decks: the shipped decks are held to it by
tests/test_bundled_decks.py, and `drill check --standard` holds any deck to it. What only a
reader can judge (is the indirect variant really indirect, does the story ring true) is left to
the reviewer. Each finding names the file, the line, the question and the part.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from drill.core.model import Deck, Question

VARIANTS = 3
FOLLOW_UPS = 3
RED_FLAGS = 2
LIST_ITEMS = (3, 6)  # dos and don'ts each
COMPETENCIES = (1, 4)
WHY_SENTENCES = (2, 4)
SHORT_ANSWER_WORDS = (50, 90)
# Example words by type, at 140 words a minute (docs/content-standard.md, "Target length").
EXAMPLE_WORDS: dict[str, tuple[int, int]] = {
    "behavioral": (150, 300),
    "hypothetical": (120, 280),
    "self-assessment": (100, 280),
    "motivation": (90, 210),
    "technical": (120, 350),
    "logistics": (45, 140),
    "ask-them": (45, 140),
}
ENTRY_BEHAVIORAL_WORDS = (120, 300)
REQUIRED_EXAMPLES = ("experienced", "entry level")
# Variety across the bank.
MAX_OPENING_SHARE = 0.10  # of "Why they ask" sections opening a sentence the same way
VARIETY_FROM = 20  # questions: below this, a share says nothing about a bank
MAX_PHRASE_REPEATS = 5  # times one five-word phrase may appear across the bank
PHRASE_WORDS = 5
MAX_PAIR_SHARE = 0.25  # of questions with one (dos, don'ts) count pair
MAX_SCHOOL_SHARE = 0.40  # of a deck's entry-level examples set in classes or internships
MIN_REFLECTIVE_SHARE = 0.20  # of behavioral stories ending on a result and what was learned
# Cards about pay or the law: they name their regions, carry `reviewed:` and end their tips
# with the disclaimer.
LEGAL_TAGS = frozenset({"salary", "legal", "pay history"})
REGIONS = re.compile(r"\b(?:US|UK|EU|United States|United Kingdom|European Union)\b")
DISCLAIMER = "This is general information, not legal advice; check the rules where you live."
BANNED_WHY = ("the interviewer wants", "they also want to see")
# A "do" must be something the answer shows; these open preparation steps, which go in Tips.
PREPARATION = re.compile(
    r"^(?:research|rehearse|practi[cs]e|prepare|memori[sz]e|study|send|read up|look up|"
    r"write down|review your|check your (?:contract|notes|resume))\b",
    re.IGNORECASE,
)
SCHOOL = re.compile(
    r"\b(?:class(?:es)?|classmates?|professor|lecturer|universit(?:y|ies)|college|"
    r"intern(?:ship)?s?|semester|course ?work|capstone|dissertation|thesis|campus|seminar|"
    r"school project|group project)\b",
    re.IGNORECASE,
)
REFLECTION = re.compile(
    r"\b(?:differently|next time|i learned|i've learned|lesson|in hindsight|should have|"
    r"i'd now|i would now|wish i|partly|partial|mixed|didn't fully|not fully|fell short|"
    r"missed|wasn't enough|since then|these days|now i)\b",
    re.IGNORECASE,
)
# British spellings the bank has used; one spelling (US) throughout.
UK_SPELLINGS = re.compile(
    r"\b(?:behaviour\w*|organis\w*|prioritis\w*|recognis\w*|realis(?:e|ed|es|ing)|"
    r"analys(?:e|ed|ing)|apologis\w*|emphasis(?:e|ed|ing)|summaris\w*|colour\w*|favour\w*|"
    r"honour\w*|labour\w*|centre[sd]?|licence[sd]?|travell(?:ed|ing|er)|cancell(?:ed|ing)|"
    r"modell(?:ed|ing)|judgement)\b",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'\u201d\u2019)]*\s+(?=\S)")
_QUOTED = re.compile(r"[\"\u201c]([^\"\u201c\u201d]+)[\"\u201d]")
_WORD = re.compile(r"[a-z0-9']+")
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@dataclass(frozen=True, slots=True)
class Finding:
    """One way a deck falls short of the standard, and where."""

    file: str
    line: int
    question: str  # the question's text, "" for a deck or the whole bank
    part: str  # the section or metadata at fault
    message: str

    def __str__(self) -> str:
        place = f"{self.file}:{self.line}: " if self.line else f"{self.file}: " if self.file else ""
        where = f"'{self.question}': " if self.question else ""
        part = f"{self.part}: " if self.part else ""
        return f"{place}{where}{part}{self.message}"


def sentences(text: str) -> list[str]:
    return [part for part in _SENTENCE_END.split(text.strip()) if part.strip()]


def word_count(text: str) -> int:
    return len(text.split())


def _normal(text: str) -> str:
    text = text.replace("\u2019", "'").replace("\u2018", "'").lower()
    return re.sub(r"\s+", " ", text)


def words(text: str) -> list[str]:
    return _WORD.findall(_normal(text))


def cue_phrases(red_flag: str) -> list[str]:
    """The quoted phrasings of a red flag: `Blames others ("not my fault").` -> ["not my fault"]."""
    return [cue.strip(" .,!?\u2026") for cue in _QUOTED.findall(red_flag) if cue.strip(" .,!?")]


def contains_cue(text: str, cue: str) -> bool:
    """Does `text` say `cue`, ignoring case, curly quotes and spacing?"""
    return _normal(cue) in _normal(text)


def example_range(q: Question, label: str) -> tuple[int, int]:
    if q.type == "behavioral" and "entry" in label.lower():
        return ENTRY_BEHAVIORAL_WORDS
    return EXAMPLE_WORDS.get(q.type, (45, 350))


def is_legal(q: Question) -> bool:
    return bool(LEGAL_TAGS & {t.lower() for t in q.tags})


def check_question(q: Question, file: str) -> list[Finding]:
    """What one question lacks against the standard."""
    out: list[Finding] = []

    def fail(part: str, message: str) -> None:
        out.append(Finding(file, q.line, q.question, part, message))

    if not _SLUG.match(q.id):
        fail("id", f"'{q.id}' is not a lowercase slug")
    for key, value in (("tags", q.tags), ("type", q.type), ("level", q.level)):
        if not value:
            fail(key, f"missing '{key}:'")
    low, high = COMPETENCIES
    if not low <= len(q.competencies) <= high:
        fail("competencies", f"needs {low}-{high}, has {len(q.competencies)}")
    if len(q.variants) < VARIANTS:
        fail("Variants", f"needs at least {VARIANTS}, has {len(q.variants)}")
    low, high = WHY_SENTENCES
    count = len(sentences(q.why))
    if not low <= count <= high:
        fail("Why they ask", f"needs {low}-{high} sentences, has {count}")
    for banned in BANNED_WHY:
        if banned in _normal(q.why):
            fail("Why they ask", f"uses the worn formula '{banned}'")
    if not q.approach.strip():
        fail("Approach", "missing")
    low, high = SHORT_ANSWER_WORDS
    count = word_count(q.short_answer)
    if not low <= count <= high:
        fail("Short answer", f"needs {low}-{high} words, has {count}")
    low, high = LIST_ITEMS
    for part, items in (("Do", q.dos), ("Don't", q.donts)):
        if not low <= len(items) <= high:
            fail(part, f"needs {low}-{high} items, has {len(items)}")
    for item in q.dos:
        if PREPARATION.match(item):
            fail("Do", f"'{item}' is a preparation step, not something an answer shows (Tips)")
    if len(q.red_flags) < RED_FLAGS:
        fail("Red flags", f"needs at least {RED_FLAGS}, has {len(q.red_flags)}")
    for flag in q.red_flags:
        if not cue_phrases(flag):
            fail("Red flags", f"'{flag}' has no quoted cue phrase")
    labels = [e.label.strip().lower() for e in q.examples]
    for label in REQUIRED_EXAMPLES:
        if label not in labels:
            fail(f"Example: {label}", "missing")
    for example in q.examples:
        low, high = example_range(q, example.label)
        count = word_count(example.text)
        if not low <= count <= high:
            fail(f"Example: {example.label}", f"needs {low}-{high} words, has {count}")
    cues = [cue for flag in q.red_flags for cue in cue_phrases(flag)]
    spoken = [(f"Example: {e.label}", e.text) for e in q.examples]
    spoken.append(("Short answer", q.short_answer))
    for part, text in spoken:
        for cue in cues:
            if contains_cue(text, cue):
                fail(part, f'says its own card\'s red flag "{cue}"')
    if not q.bad_example.strip():
        fail("Bad example", "missing")
    if len(q.follow_ups) < FOLLOW_UPS:
        fail("Follow-ups", f"needs at least {FOLLOW_UPS}, has {len(q.follow_ups)}")
    if not q.tips:
        fail("Tips", "missing")
    if is_legal(q):
        if not q.reviewed:
            fail("reviewed", "a pay or legal card needs 'reviewed: YYYY-MM-DD'")
        if not REGIONS.search(" ".join([q.approach, *q.tips])):
            fail("Approach", "a pay or legal card names its regions (US, UK, EU)")
        if not q.tips or q.tips[-1] != DISCLAIMER:
            fail("Tips", f"a pay or legal card ends its tips with: {DISCLAIMER}")
    for part, text in parts(q):
        for match in UK_SPELLINGS.finditer(text):
            fail(part, f"British spelling '{match.group()}' (the bank uses US English)")
    return out


def parts(q: Question) -> Iterable[tuple[str, str]]:
    """Every part of a question a reader sees, with its name."""
    yield "question", q.question
    for part, items in (
        ("Variants", q.variants),
        ("Do", q.dos),
        ("Don't", q.donts),
        ("Red flags", q.red_flags),
        ("Follow-ups", q.follow_ups),
        ("Key phrases", q.key_phrases),
        ("Tips", q.tips),
    ):
        for item in items:
            yield part, item
    yield "Why they ask", q.why
    yield "Approach", q.approach
    yield "Short answer", q.short_answer
    for example in q.examples:
        yield f"Example: {example.label}", example.text
    yield "Bad example", q.bad_example


def check_deck(deck: Deck) -> list[Finding]:
    """The deck's metadata, each of its questions, and the variety within the deck."""
    file = deck.source
    out: list[Finding] = []
    for key in ("license", "version"):
        if not getattr(deck, key):
            out.append(Finding(file, 1, "", key, f"missing '{key}:' under '# {deck.name}'"))
    if not deck.description.strip():
        out.append(Finding(file, 1, "", "description", "missing"))
    for q in deck.questions:
        out += check_question(q, file)
    if len(deck.questions) >= 5:
        for part, counts in (
            ("Do", Counter(len(q.dos) for q in deck.questions)),
            ("Don't", Counter(len(q.donts) for q in deck.questions)),
        ):
            if len(counts) < 2:
                out.append(Finding(file, 1, "", part, "every question has the same count: vary it"))
    entry = [e for q in deck.questions for e in q.examples if "entry" in e.label.lower()]
    school = [e for e in entry if SCHOOL.search(e.text)]
    if len(entry) >= 5 and len(school) > MAX_SCHOOL_SHARE * len(entry):
        out.append(
            Finding(
                file,
                1,
                "",
                "Example: entry level",
                f"{len(school)} of {len(entry)} come from classes, university or internships "
                f"(at most {MAX_SCHOOL_SHARE:.0%})",
            )
        )
    return out


@dataclass(frozen=True, slots=True)
class Variety:
    """Bank-wide figures: how varied the writing is."""

    questions: int
    openings: list[tuple[str, int]]  # sentence openings of "Why they ask", by sections using them
    phrases: list[tuple[str, int]]  # five-word phrases by times used
    pairs: list[tuple[tuple[int, int], int]]  # (dos, don'ts) counts by questions
    behavioral_stories: int
    reflective_stories: int
    entry_examples: int
    school_examples: int


def why_openings(questions: list[Question]) -> Counter[str]:
    """For each sentence opening (first three words), how many "Why they ask" sections use it."""
    counts: Counter[str] = Counter()
    for q in questions:
        counts.update({" ".join(words(s)[:3]) for s in sentences(q.why) if words(s)})
    return counts


def phrase_counts(questions: list[Question], size: int = PHRASE_WORDS) -> Counter[str]:
    """Every `size`-word phrase of the bank's prose by times used (the required legal
    disclaimer and quoted key phrases aside).
    """
    counts: Counter[str] = Counter()
    for q in questions:
        texts = [q.why, q.approach, q.short_answer, *(e.text for e in q.examples)]
        texts += [tip for tip in q.tips if tip != DISCLAIMER]
        for text in texts:
            tokens = words(text)
            counts.update(" ".join(tokens[i : i + size]) for i in range(len(tokens) - size + 1))
    return counts


def _reflective(text: str) -> bool:
    return bool(REFLECTION.search(" ".join(sentences(text)[-3:])))


def variety(decks: list[Deck], top: int = 10) -> Variety:
    questions = [q for deck in decks for q in deck.questions]
    stories = [e.text for q in questions if q.type == "behavioral" for e in q.examples]
    entry = [e.text for q in questions for e in q.examples if "entry" in e.label.lower()]
    return Variety(
        questions=len(questions),
        openings=why_openings(questions).most_common(top),
        phrases=phrase_counts(questions).most_common(top),
        pairs=Counter((len(q.dos), len(q.donts)) for q in questions).most_common(top),
        behavioral_stories=len(stories),
        reflective_stories=sum(map(_reflective, stories)),
        entry_examples=len(entry),
        school_examples=sum(1 for text in entry if SCHOOL.search(text)),
    )


def check_bank(decks: list[Deck]) -> list[Finding]:
    """What no single question shows: ids and phrasings unique across the bank, and variety."""
    out: list[Finding] = []
    ids: dict[str, str] = {}
    phrasings: dict[str, str] = {}
    for deck in decks:
        for q in deck.questions:
            where = f"{deck.source}:{q.line}"
            if q.id in ids:
                out.append(
                    Finding(deck.source, q.line, q.question, "id", f"'{q.id}' also at {ids[q.id]}")
                )
            ids.setdefault(q.id, where)
            for phrasing in q.phrasings:
                key = phrasing_key(phrasing)
                if key in phrasings:
                    out.append(
                        Finding(
                            deck.source,
                            q.line,
                            q.question,
                            "Variants",
                            f"'{phrasing}' is also asked at {phrasings[key]}",
                        )
                    )
                phrasings.setdefault(key, where)
    figures = variety(decks, top=3)
    sections = sum(1 for deck in decks for q in deck.questions if q.why.strip())
    for opening, count in figures.openings:
        if sections >= VARIETY_FROM and count > MAX_OPENING_SHARE * sections:
            out.append(
                Finding(
                    "",
                    0,
                    "",
                    "Why they ask",
                    f"'{opening}…' opens a sentence in {count} of {sections} sections "
                    f"(at most {MAX_OPENING_SHARE:.0%})",
                )
            )
    for phrase, count in figures.phrases:
        if count > MAX_PHRASE_REPEATS:
            out.append(
                Finding(
                    "",
                    0,
                    "",
                    "phrases",
                    f"'{phrase}' appears {count} times (at most {MAX_PHRASE_REPEATS})",
                )
            )
    for pair, count in figures.pairs:
        if figures.questions >= VARIETY_FROM and count > MAX_PAIR_SHARE * figures.questions:
            dos, donts = pair
            out.append(
                Finding(
                    "",
                    0,
                    "",
                    "Do",
                    f"{count} of {figures.questions} questions have {dos} dos and {donts} don'ts "
                    f"(at most {MAX_PAIR_SHARE:.0%}): vary the counts",
                )
            )
    stories = figures.behavioral_stories
    if stories >= 10 and figures.reflective_stories < MIN_REFLECTIVE_SHARE * stories:
        out.append(
            Finding(
                "",
                0,
                "",
                "examples",
                f"{figures.reflective_stories} of {stories} behavioral stories end on a partial "
                f"result or a lesson (at least {MIN_REFLECTIVE_SHARE:.0%})",
            )
        )
    return out


def phrasing_key(text: str) -> str:
    """Phrasings compared case-insensitively, ignoring spacing and trailing punctuation."""
    text = re.sub(r"\s+", " ", text.replace("\u2019", "'")).strip().casefold()
    return re.sub(r"[\s.?!:;,\"']+$", "", text)
