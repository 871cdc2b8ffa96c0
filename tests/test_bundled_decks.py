"""The shipped question bank meets docs/content-standard.md.

The rules a program can check live in `drill.core.standard` (also behind `drill check
--standard`); here every general deck (`decks/*.md`) and role pack (`decks/packs/*.md`) is
held to them, with what only the shipped bank must have: its size, its packs, the ids earlier
releases shipped (progress is matched by id), the legal and pay cards, and the seed article's
variants. Each failure names the file, the question and the part, and every check collects
all its failures so one run shows everything that needs fixing.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest

from drill.core import standard
from drill.core.model import Deck
from drill.errors import DeckError
from drill.io.markdown.deck import parse_markdown
from drill.io.source import Source

DECKS_DIR = Path(__file__).parents[1] / "decks"
GENERAL_FILES = sorted(DECKS_DIR.glob("*.md"))
PACK_FILES = sorted((DECKS_DIR / "packs").glob("*.md"))
DECK_FILES = GENERAL_FILES + PACK_FILES
SEEDS = Path(__file__).parents[2] / "shared" / "seeds"

MIN_QUESTIONS = 200
MIN_PACK_QUESTIONS = 15
# Each pack, by deck id, with the prefix of its question ids.
PACKS = {
    "software-engineering": "se-",
    "product-management": "pm-",
    "data-science-and-analytics": "data-",
    "sales": "sales-",
    "customer-success": "cs-",
    "people-management": "mgr-",
    "new-graduate": "grad-",
    "career-changer": "switch-",
}
# Every question id drill has shipped, by deck: never dropped or renamed, or progress is lost.
RELEASED_IDS = {
    "about-you": "tell-me-about-yourself greatest-achievement employment-gap why-this-career "
    "last-job-likes outside-work",
    "behavioral-challenges": "conflict-with-coworker disagree-with-manager "
    "tell-me-about-a-failure working-under-pressure difficult-customer adapting-to-change "
    "ethical-dilemma",
    "behavioral-teamwork-and-leadership": "teamwork-example leadership-example taking-initiative "
    "persuading-others learning-quickly helping-struggling-teammate difficult-decision",
    "career-and-goals": "career-goals five-year-plan why-leaving what-motivates-you "
    "define-success career-change",
    "fit-and-why-us": "why-this-company why-this-role why-hire-you what-you-know-about-us "
    "overqualified first-ninety-days",
    "questions-to-ask-the-interviewer": "questions-for-us ask-about-the-team ask-about-success "
    "ask-about-challenges ask-the-manager ask-about-concerns ask-about-next-steps",
    "salary-and-logistics": "salary-expectations current-salary responding-to-offer "
    "notice-period other-interviews willing-to-relocate working-hours",
    "strengths-and-weaknesses": "greatest-strength greatest-weakness how-others-describe-you "
    "three-words handling-criticism keeping-skills-current",
    "work-style-and-management": "ideal-work-environment preferred-manager prioritizing-work "
    "alone-or-team management-style remote-work",
}
# The common questions the coach found missing, by id: each must be in the general decks.
ADDED_IDS = [
    "giving-difficult-feedback",
    "handling-ambiguity",
    "missed-deadline",
    "time-you-were-wrong",
    "risk-you-took",
    "data-driven-decision",
    "manager-would-improve",
    "saying-no",
    "explaining-complex",
    "repetitive-work",
    "job-hopping",
    "were-you-fired",
    "anything-else",
    "work-authorization",
    "illegal-questions",
    "lower-pay",
]
# Cards about pay and the law: they must stay tagged so the standard's legal rules reach them.
LEGAL_IDS = [
    "salary-expectations",
    "current-salary",
    "responding-to-offer",
    "lower-pay",
    "notice-period",
    "work-authorization",
    "illegal-questions",
]

CAREER_DECK = "career-and-goals.md"
CAREER_NAME = "Career and goals"
CAREER_QUESTION = "What goals do you have in your career?"
CAREER_ID = "career-goals"

_ID_LINE = re.compile(r"^id:\s*\S")


def _name(path: Path) -> str:
    return str(path.relative_to(DECKS_DIR))


@cache
def load(path: Path) -> Deck:
    return parse_markdown(Source.read(path, display=f"decks/{_name(path)}"))


def loaded_decks() -> list[Deck]:
    """Every shipped deck, or a test failure listing every file that does not parse."""
    decks, problems = [], []
    for path in DECK_FILES:
        try:
            decks.append(load(path))
        except DeckError as exc:
            problems.append(str(exc))
    if problems:
        pytest.fail("shipped decks do not parse:\n" + "\n".join(problems))
    return decks


def listing(findings: list[standard.Finding]) -> str:
    return f"{len(findings)} problem(s):\n" + "\n".join(map(str, findings))


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


def test_the_bank_has_200_questions_in_general_decks_and_eight_packs() -> None:
    decks = loaded_decks()
    total = sum(len(deck.questions) for deck in decks)
    counts = ", ".join(f"{deck.id}: {len(deck.questions)}" for deck in decks)
    assert total >= MIN_QUESTIONS, f"need {MIN_QUESTIONS} questions, have {total} ({counts})"
    packs = {load(path).id: load(path) for path in PACK_FILES}
    assert set(packs) == set(PACKS), f"packs: {sorted(packs)}"
    failures = []
    for deck_id, prefix in PACKS.items():
        deck = packs[deck_id]
        if len(deck.questions) < MIN_PACK_QUESTIONS:
            failures.append(f"{deck.source}: {len(deck.questions)} questions, need 15")
        failures += [
            f"{deck.source}:{q.line}: '{q.question}': id '{q.id}' must start with '{prefix}'"
            for q in deck.questions
            if not q.id.startswith(prefix)
        ]
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("path", DECK_FILES, ids=_name)
def test_every_question_meets_the_standard(path: Path) -> None:
    try:
        deck = load(path)
    except DeckError as exc:
        pytest.fail(f"decks/{_name(path)} does not parse:\n{exc}")
    findings = standard.check_deck(deck)
    assert not findings, listing(findings)


def test_the_bank_is_varied() -> None:
    """Unique ids and phrasings, and the variety figures: the report is in the message."""
    decks = loaded_decks()
    findings = standard.check_bank(decks)
    figures = standard.variety(decks)
    report = (
        f"most used 'Why they ask' sentence openings (of {figures.questions} sections): "
        f"{figures.openings[:5]}\n"
        f"most repeated five-word phrases (at most {standard.MAX_PHRASE_REPEATS}): "
        f"{figures.phrases[:10]}"
    )
    print(report)
    assert not findings, listing(findings) + "\n" + report
    # The two headline figures, asserted directly so the thresholds can't drift apart.
    assert figures.openings[0][1] <= standard.MAX_OPENING_SHARE * figures.questions, report
    assert figures.phrases[0][1] <= standard.MAX_PHRASE_REPEATS, report


@pytest.mark.parametrize("path", DECK_FILES, ids=_name)
def test_every_question_has_an_explicit_id(path: Path) -> None:
    missing = questions_without_id_line(path.read_text(encoding="utf-8"))
    assert not missing, f"decks/{_name(path)}: questions without an 'id:' line:\n" + "\n".join(
        missing
    )


def test_every_released_id_is_kept_in_its_deck() -> None:
    by_deck = {deck.id: {q.id for q in deck.questions} for deck in loaded_decks()}
    failures = [
        f"deck '{deck_id}' lost question id '{qid}'"
        for deck_id, ids in RELEASED_IDS.items()
        for qid in ids.split()
        if qid not in by_deck.get(deck_id, set())
    ]
    assert not failures, "\n".join(failures)


def test_the_missing_common_questions_were_added_to_the_general_decks() -> None:
    general = {q.id for path in GENERAL_FILES for q in load(path).questions}
    missing = [qid for qid in ADDED_IDS if qid not in general]
    assert not missing, f"not in the general decks: {missing}"


def test_legal_and_pay_cards_are_held_to_the_legal_rules() -> None:
    questions = {q.id: (deck, q) for deck in loaded_decks() for q in deck.questions}
    failures = []
    for qid in LEGAL_IDS:
        deck, q = questions[qid]
        if not standard.is_legal(q):
            failures.append(f"{deck.source}:{q.line}: '{q.question}': tag it 'salary' or 'legal'")
        if not q.reviewed:
            failures.append(f"{deck.source}:{q.line}: '{q.question}': needs 'reviewed:'")
    assert not failures, "\n".join(failures)
    pay_history = questions["current-salary"][1]
    assert "2023/970" in pay_history.approach  # the EU Pay Transparency Directive
    assert "at-will" in questions["notice-period"][1].approach


def test_ask_them_cards_are_situations_the_interviewer_opens() -> None:
    deck = load(DECKS_DIR / "questions-to-ask.md")
    assert deck.id == "questions-to-ask-the-interviewer"
    failures = [
        f"{deck.source}:{q.line}: '{q.question}': "
        + (
            "needs 'type: ask-them'"
            if q.type != "ask-them"
            else "heading is not 'situation: words'"
        )
        for q in deck.questions
        if q.type != "ask-them" or ":" not in q.question
    ]
    assert not failures, "\n".join(failures)


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


def as_question(text: str) -> str:
    """The seed's wording as a question: its missing "?" added, nothing else changed."""
    return text if text.endswith(("?", ".", "!")) else text + "?"


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
        if as_question(variant) not in first.variants:
            problems.append(f"variant missing or reworded: '{as_question(variant)}'")
    assert not problems, f"decks/{CAREER_DECK}: '{first.question}': " + "; ".join(problems)


def test_no_six_words_in_a_row_come_from_the_seed_article() -> None:
    """The project's own words: the seed article's question and variants aside."""
    if not SEEDS.is_dir():
        pytest.skip(f"no seed folder at {SEEDS}")
    seeds = sorted(SEEDS.glob("*.txt"))
    if not seeds:
        pytest.skip(f"no seeds in {SEEDS}")

    def grams(text: str, size: int = 6) -> set[str]:
        tokens = standard.words(text)
        return {" ".join(tokens[i : i + size]) for i in range(len(tokens) - size + 1)}

    failures = []
    for seed in seeds:
        text = seed.read_text(encoding="utf-8")
        quoted = grams(text)
        question, variants = seed_variants(text)
        allowed = set().union(*(grams(line) for line in (question, *variants)))
        for deck in loaded_decks():
            for q in deck.questions:
                for part, body in standard.parts(q):
                    failures += [
                        f"{deck.source}:{q.line}: '{q.question}': {part}: '{gram}' "
                        f"is from {seed.name}"
                        for gram in sorted((grams(body) & quoted) - allowed)
                    ]
    assert not failures, "\n".join(failures)


def test_helpers() -> None:
    assert as_question("What are you seeking") == "What are you seeking?"
    assert as_question("Why us?") == "Why us?"
    text = "# D\n\n## Q one?\nid: q-one\n\n## Q two?\ntags: x\n"
    assert questions_without_id_line(text) == ["line 6: 'Q two?'"]
