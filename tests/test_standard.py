"""The content standard's checks catch what they claim to, each naming file, line, question and
part; and `drill check --standard` reports them for any deck.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

from drill.cli.main import cli
from drill.core import standard
from drill.core.model import Deck, Example, Question
from drill.io.markdown.deck import dump_markdown, parse_markdown
from drill.io.source import Source

ROOT = Path(__file__).resolve().parents[1]
GOOD_FILE = ROOT / "decks" / "behavioral-challenges.md"


@pytest.fixture(scope="module")
def good_deck() -> Deck:
    return parse_markdown(Source.read(GOOD_FILE, display="good.md"))


@pytest.fixture
def good(good_deck) -> Question:
    question = good_deck.questions[0]
    assert question.type == "behavioral"
    assert standard.check_question(question, "good.md") == []
    return replace(question)


def messages(question: Question) -> list[str]:
    return [str(f) for f in standard.check_question(question, "good.md")]


def only(question: Question) -> str:
    [message] = messages(question)
    return message


def test_a_finding_names_file_line_question_and_part(good):
    message = only(replace(good, follow_ups=good.follow_ups[:2]))
    assert message == f"good.md:{good.line}: '{good.question}': Follow-ups: needs at least 3, has 2"


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"type": ""}, "type: missing 'type:'"),
        ({"level": ""}, "level: missing 'level:'"),
        ({"tags": []}, "tags: missing 'tags:'"),
        ({"competencies": []}, "competencies: needs 1-4, has 0"),
        ({"id": "Bad_Id"}, "id: 'Bad_Id' is not a lowercase slug"),
        ({"short_answer": "Too short."}, "Short answer: needs 50-90 words, has 2"),
        ({"bad_example": ""}, "Bad example: missing"),
        ({"tips": []}, "Tips: missing"),
        ({"approach": " "}, "Approach: missing"),
    ],
)
def test_missing_parts_are_named(good, change, expected):
    assert only(replace(good, **change)).endswith(expected)


def test_variants_dos_donts_and_red_flags_counts(good):
    assert only(replace(good, variants=good.variants[:2])).endswith(
        "Variants: needs at least 3, has 2"
    )
    assert only(replace(good, dos=good.dos[:2])).endswith("Do: needs 3-6 items, has 2")
    assert only(replace(good, donts=[*good.donts, *good.donts, "x"])).endswith(
        f"Don't: needs 3-6 items, has {2 * len(good.donts) + 1}"
    )
    assert only(replace(good, red_flags=good.red_flags[:1])).endswith(
        "Red flags: needs at least 2, has 1"
    )


def test_a_red_flag_needs_a_quoted_cue_phrase(good):
    flags = [*good.red_flags[:-1], "Rambles on."]
    assert only(replace(good, red_flags=flags)).endswith(
        "Red flags: 'Rambles on.' has no quoted cue phrase"
    )
    assert standard.cue_phrases(
        'Blames others ("not my fault", \u201cthey let me down.\u201d).'
    ) == [
        "not my fault",
        "they let me down",
    ]


def test_an_example_may_not_say_its_own_cards_red_flag(good):
    flags = [*good.red_flags, 'Shrugs it off ("it wasn\'t a big deal").']
    text = good.examples[0].text + " Honestly it wasn\u2019t  a big deal."
    examples = [Example(good.examples[0].label, text), *good.examples[1:]]
    changed = replace(good, red_flags=flags, examples=examples)
    assert messages(changed)[-1].endswith(
        f"Example: {good.examples[0].label}: says its own card's red flag \"it wasn't a big deal\""
    )


def test_preparation_steps_are_not_dos(good):
    dos = [*good.dos[:-1], "Rehearse the story out loud twice."]
    assert "is a preparation step, not something an answer shows" in only(replace(good, dos=dos))


def test_example_length_follows_the_type(good):
    short = [Example("experienced", "word " * 140), *good.examples[1:]]
    assert only(replace(good, examples=short)).endswith(
        "Example: experienced: needs 150-300 words, has 140"
    )
    # The same 140 words are a fine hypothetical answer (120-280).
    assert messages(replace(good, examples=short, type="hypothetical")) == []
    entry_only = [e for e in good.examples if e.label != "experienced"]
    assert only(replace(good, examples=entry_only)).endswith("Example: experienced: missing")


def test_the_worn_why_formula_and_british_spelling_are_caught(good):
    why = "The interviewer wants proof. They check your judgment."
    assert only(replace(good, why=why)).endswith(
        "Why they ask: uses the worn formula 'the interviewer wants'"
    )
    assert only(replace(good, why=good.why + " It shows your behaviour.")).endswith(
        "Why they ask: British spelling 'behaviour' (the bank uses US English)"
    )
    assert only(replace(good, why="One sentence only.")).endswith(
        "Why they ask: needs 2-4 sentences, has 1"
    )


def test_pay_and_legal_cards_need_a_date_regions_and_the_disclaimer(good):
    legal = replace(good, tags=[*good.tags, "salary"])
    found = messages(legal)
    assert any(
        m.endswith("reviewed: a pay or legal card needs 'reviewed: YYYY-MM-DD'") for m in found
    )
    assert any("names its regions (US, UK, EU)" in m for m in found)
    assert any(m.endswith(f"ends its tips with: {standard.DISCLAIMER}") for m in found)
    fixed = replace(
        legal,
        reviewed="2026-12-01",
        approach=legal.approach + " In the US this differs.",
        tips=[*legal.tips, standard.DISCLAIMER],
    )
    assert messages(fixed) == []


def test_a_deck_needs_license_version_and_varied_counts(good_deck):
    same = replace(good_deck, license="", questions=[
        replace(q, dos=q.dos[:3], donts=q.donts[:3]) for q in good_deck.questions
    ])  # fmt: skip
    found = [str(f) for f in standard.check_deck(same)]
    assert "good.md:1: license: missing 'license:' under '# Behavioral challenges'" in found
    assert "good.md:1: Do: every question has the same count: vary it" in found
    assert "good.md:1: Don't: every question has the same count: vary it" in found


def test_bank_variety_catches_a_repeated_opening_and_phrase():
    worn = "A good answer shows calm under pressure. A good answer names the result."
    decks = []
    for name in ("behavioral-challenges", "behavioral-teamwork-and-leadership"):
        deck = parse_markdown(Source.read(ROOT / "decks" / f"{name}.md"))
        decks.append(replace(deck, questions=[replace(q, why=worn) for q in deck.questions]))
    total = sum(len(deck.questions) for deck in decks)
    assert total >= standard.VARIETY_FROM
    found = [str(f) for f in standard.check_bank(decks)]
    assert (
        f"Why they ask: 'a good answer…' opens a sentence in {total} of {total} sections (at most 10%)"
        in found
    )
    assert any("'a good answer shows calm' appears" in f for f in found)
    # A small deck of a user's own is too small for shares to mean anything.
    small = replace(decks[0], questions=decks[0].questions[:3])
    assert not any("opens a sentence" in str(f) for f in standard.check_bank([small]))


def test_bank_catches_a_phrasing_asked_twice(good_deck):
    first, second = good_deck.questions[:2]
    twin = replace(second, variants=[*second.variants, first.question.upper()])
    deck = replace(good_deck, questions=[first, twin, *good_deck.questions[2:]])
    [finding] = standard.check_bank([deck])
    assert finding.question == second.question and finding.part == "Variants"
    assert f"is also asked at good.md:{first.line}" in finding.message


def test_drill_check_standard_reports_each_problem(tmp_path, good_deck):
    weak = replace(good_deck.questions[0], short_answer="", follow_ups=[])
    path = tmp_path / "mine.md"
    path.write_text(dump_markdown(replace(good_deck, questions=[weak])), encoding="utf-8")
    runner = CliRunner()
    result = runner.invoke(cli, ["check", "--standard", str(path)], env={"DRILL_NO_BUNDLED": "1"})
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert any(line.endswith("Short answer: needs 50-90 words, has 0") for line in lines)
    assert any(line.endswith("Follow-ups: needs at least 3, has 0") for line in lines)
    assert all(line.startswith(f"{path}:") for line in lines), lines
    # The shipped decks pass, general decks and packs together.
    ok = runner.invoke(cli, ["check", "--standard", str(ROOT / "decks")])
    assert ok.exit_code == 0, ok.stderr
    assert "most repeated five-word phrases" in ok.stdout
