"""Content checks for the decks shipped in `decks/`.

Every bundled question must be complete: variants, why, approach, dos and don'ts, two good
examples of the right length, a bad example, tips, tags and an explicit id. Each check
collects every failure and reports them together, naming the deck file, the question and
the missing part, so one run shows everything that needs fixing.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest

from drill.core.model import Deck, Question
from drill.errors import DeckError
from drill.io.markdown.deck import parse_markdown
from drill.io.source import Source

DECKS_DIR = Path(__file__).parents[1] / "decks"
DECK_FILES = sorted(DECKS_DIR.glob("*.md"))
SEEDS = Path(__file__).parents[2] / "shared" / "seeds"

MIN_DECKS = 8
MIN_QUESTIONS = 50
MIN_VARIANTS = 2
WHY_SENTENCES = (2, 4)
MIN_DOS = 3
MIN_DONTS = 3
EXAMPLE_WORDS = (60, 150)
EXAMPLE_LABELS = ("experienced", "entry level")

CAREER_DECK = "career-and-goals.md"
CAREER_NAME = "Career and goals"
CAREER_QUESTION = "What goals do you have in your career?"
CAREER_ID = "career-goals"

_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'\u201d\u2019)]*\s+(?=\S)")
_ID_LINE = re.compile(r"^id:\s*\S")
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def _name(path: Path) -> str:
    return path.name


@cache
def load(path: Path) -> Deck:
    return parse_markdown(Source.read(path, display=f"decks/{path.name}"))


def loaded_decks() -> list[tuple[Path, Deck]]:
    """Every bundled deck, or a test failure listing every file that does not parse."""
    decks, problems = [], []
    for path in DECK_FILES:
        try:
            decks.append((path, load(path)))
        except DeckError as exc:
            problems.append(str(exc))
    if problems:
        pytest.fail("bundled decks do not parse:\n" + "\n".join(problems))
    return decks


def sentences(text: str) -> list[str]:
    return [part for part in _SENTENCE_END.split(text.strip()) if part.strip()]


def word_count(text: str) -> int:
    return len(text.split())


def phrasing_key(text: str) -> str:
    """Compare phrasings case-insensitively, ignoring spacing and trailing punctuation."""
    text = re.sub(r"\s+", " ", text.replace("\u2019", "'")).strip().casefold()
    return re.sub(r"[\s.?!:;,\"']+$", "", text)


def question_problems(q: Question) -> list[str]:
    """What is missing or out of range in one question, as short phrases."""
    problems = []
    if len(q.variants) < MIN_VARIANTS:
        problems.append(f"needs at least {MIN_VARIANTS} variants, has {len(q.variants)}")
    low, high = WHY_SENTENCES
    count = len(sentences(q.why))
    if not low <= count <= high:
        problems.append(f"'Why they ask' needs {low}-{high} sentences, has {count}")
    if not q.approach.strip():
        problems.append("missing 'Approach'")
    if len(q.dos) < MIN_DOS:
        problems.append(f"needs at least {MIN_DOS} 'Do' items, has {len(q.dos)}")
    if len(q.donts) < MIN_DONTS:
        problems.append(f"needs at least {MIN_DONTS} 'Don't' items, has {len(q.donts)}")
    labels = [e.label.strip().lower() for e in q.examples]
    if not q.examples:
        problems.append("missing a good example")
    for label in EXAMPLE_LABELS:
        if label not in labels:
            problems.append(f"missing 'Example: {label}'")
    low, high = EXAMPLE_WORDS
    for example in q.examples:
        words = word_count(example.text)
        if not low <= words <= high:
            problems.append(f"'Example: {example.label}' needs {low}-{high} words, has {words}")
    if not q.bad_example.strip():
        problems.append("missing 'Bad example'")
    if not q.tips:
        problems.append("missing 'Tips'")
    if not q.tags:
        problems.append("missing 'tags:'")
    if not _SLUG.match(q.id):
        problems.append(f"id '{q.id}' is not a lowercase slug")
    return problems


def questions_without_id_line(text: str) -> list[str]:
    """H2 questions in the raw file not directly followed by an `id:` line."""
    lines = text.split("\n")
    missing, fenced = [], False
    for number, line in enumerate(lines):
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
        if fenced or not line.startswith("## "):
            continue
        following = lines[number + 1 : number + 3]
        if not any(_ID_LINE.match(candidate) for candidate in following):
            missing.append(f"line {number + 1}: '{line[3:].strip()}'")
    return missing


def test_enough_decks_and_questions() -> None:
    decks = loaded_decks()
    total = sum(len(deck.questions) for _, deck in decks)
    counts = ", ".join(f"{path.name}: {len(deck.questions)}" for path, deck in decks)
    found = len(decks)
    assert found >= MIN_DECKS, f"need at least {MIN_DECKS} decks, found {found} ({counts})"
    assert total >= MIN_QUESTIONS, (
        f"need at least {MIN_QUESTIONS} questions, found {total} ({counts})"
    )


@pytest.mark.parametrize("path", DECK_FILES, ids=_name)
def test_deck_parses_with_name_and_description(path: Path) -> None:
    try:
        deck = load(path)
    except DeckError as exc:
        pytest.fail(f"decks/{path.name} does not parse:\n{exc}")
    problems = []
    if not deck.name.strip():
        problems.append("the deck has no name")
    if not deck.description.strip():
        problems.append("the deck has no description paragraph")
    if not deck.questions:
        problems.append("the deck has no questions")
    assert not problems, f"decks/{path.name}: " + "; ".join(problems)


@pytest.mark.parametrize("path", DECK_FILES, ids=_name)
def test_every_question_is_complete(path: Path) -> None:
    try:
        deck = load(path)
    except DeckError as exc:
        pytest.fail(f"decks/{path.name} does not parse:\n{exc}")
    failures = [
        f"decks/{path.name}:{q.line}: '{q.question}': {problem}"
        for q in deck.questions
        for problem in question_problems(q)
    ]
    assert not failures, f"{len(failures)} incomplete part(s):\n" + "\n".join(failures)


@pytest.mark.parametrize("path", DECK_FILES, ids=_name)
def test_every_question_has_an_explicit_id(path: Path) -> None:
    missing = questions_without_id_line(path.read_text(encoding="utf-8"))
    assert not missing, f"decks/{path.name}: questions without an 'id:' line:\n" + "\n".join(
        missing
    )


def test_ids_are_unique_across_decks() -> None:
    seen: dict[str, str] = {}
    failures = []
    for path, deck in loaded_decks():
        for q in deck.questions:
            where = f"decks/{path.name}: '{q.question}'"
            if q.id in seen:
                failures.append(f"id '{q.id}' is used by {where} and by {seen[q.id]}")
            else:
                seen[q.id] = where
    assert not failures, "\n".join(failures)


def test_no_duplicate_phrasings_across_decks() -> None:
    seen: dict[str, str] = {}
    failures = []
    for path, deck in loaded_decks():
        for q in deck.questions:
            for phrasing in q.phrasings:
                key = phrasing_key(phrasing)
                where = f"decks/{path.name}: '{q.question}'"
                if key in seen:
                    failures.append(f"'{phrasing}' appears in {where} and in {seen[key]}")
                else:
                    seen[key] = where
    assert not failures, "duplicate question text:\n" + "\n".join(failures)


def seed_variants(text: str) -> tuple[str, list[str]]:
    """The question and the 'Similar interview questions' lines of a seed article."""
    lines = [line.strip() for line in text.replace("\r\n", "\n").split("\n")]
    start = next(
        i for i, line in enumerate(lines) if line.lower() == "similar interview questions:"
    )
    variants = []
    for line in lines[start + 1 :]:
        if not line:
            break
        variants.append(line)
    question = next(line for line in lines[1:start] if line)
    return question, variants


def test_career_goals_question_carries_the_seed_variants() -> None:
    if not SEEDS.is_dir():
        pytest.skip(f"no seed folder at {SEEDS}")
    seeds = [
        path
        for path in sorted(SEEDS.glob("*.txt"))
        if CAREER_QUESTION in path.read_text(encoding="utf-8")
    ]
    if not seeds:
        pytest.skip(f"no seed for '{CAREER_QUESTION}' in {SEEDS}")
    seed_question, expected = seed_variants(seeds[0].read_text(encoding="utf-8"))
    assert seed_question == CAREER_QUESTION
    assert len(expected) == 3, f"expected three variants in {seeds[0].name}, got {expected}"

    deck = load(DECKS_DIR / CAREER_DECK)
    assert deck.name == CAREER_NAME
    first = deck.questions[0]
    problems = []
    if first.question != CAREER_QUESTION:
        problems.append(f"first question is '{first.question}', not '{CAREER_QUESTION}'")
    if first.id != CAREER_ID:
        problems.append(f"id is '{first.id}', not '{CAREER_ID}'")
    for variant in expected:
        if variant not in first.variants:
            problems.append(f"variant missing or not verbatim: '{variant}'")
    assert not problems, f"decks/{CAREER_DECK}: '{first.question}': " + "; ".join(problems)


def test_helpers() -> None:
    assert sentences("One. Two? Three! Four.") == ["One.", "Two?", "Three!", "Four."]
    assert len(sentences('They say "no." Then stop.')) == 2
    assert word_count(' "Hello there, friend." ') == 3
    assert phrasing_key("Why Us?  ") == phrasing_key("why us")
    text = "# D\n\n## Q one?\nid: q-one\n\n## Q two?\ntags: x\n"
    assert questions_without_id_line(text) == ["line 6: 'Q two?'"]
