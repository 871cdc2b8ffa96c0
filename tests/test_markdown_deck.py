"""The Markdown deck format: every section, alias and error, with its line."""

from __future__ import annotations

import pytest

from drill.core.model import CardKind, Example
from drill.errors import DeckError
from drill.io.markdown.deck import dump_markdown
from drill.io.markdown.sections import SECTION_ALIASES
from drill.io.source import Source
from tests.helpers import SAMPLE_DECK, parse


def errors(text: str) -> list[str]:
    with pytest.raises(DeckError) as info:
        parse(text)
    return [str(p) for p in info.value.problems]


def test_full_question_is_read_section_by_section():
    deck = parse(SAMPLE_DECK)
    assert (deck.id, deck.name, deck.description) == (
        "sample-deck",
        "Sample deck",
        "A deck for tests.",
    )
    q = deck.questions[0]
    assert q.id == "career-goals"
    assert q.question == "What goals do you have in your career?"
    assert q.tags == ["career", "motivation"]
    assert q.variants == [
        "What direction are you seeking to take with your career?",
        "What are you seeking to accomplish in your career",
    ]
    assert q.why == "They want to know whether you plan ahead."
    assert q.approach == "Talk about the next two years."
    assert q.dos == ["Focus on the near term."]
    assert q.donts == ["Aim for the president's chair."]
    assert q.examples == [Example("experienced", "I am finishing a certification.")]
    assert q.bad_example == "I take it one day at a time."
    assert q.tips == ["Use STAR."]
    assert q.kinds() == [CardKind.REHEARSE, CardKind.WHY, CardKind.DOS]


def test_question_without_sections_gets_slug_id_and_one_card():
    deck = parse(SAMPLE_DECK)
    last = deck.questions[2]
    assert last.id == "why-should-we-hire-you"
    assert last.kinds() == [CardKind.REHEARSE]
    assert deck.questions[1].kinds() == [CardKind.REHEARSE]


@pytest.mark.parametrize(
    ("heading", "field"),
    [(alias, name) for name, aliases in SECTION_ALIASES.items() for alias in aliases],
)
def test_every_alias_in_any_case_with_colon(heading, field):
    body = "- item one" if field in ("Variants", "Do", "Don't", "Tips") else "Some text."
    deck = parse(f"# D\n\n## Q?\n\n### {heading.upper()}:\n{body}\n")
    q = deck.questions[0]
    value = {
        "Variants": q.variants,
        "Why they ask": q.why,
        "Approach": q.approach,
        "Do": q.dos,
        "Don't": q.donts,
        "Example": [e.text for e in q.examples],
        "Bad example": q.bad_example,
        "Tips": q.tips,
        "My answer": q.my_answer,
    }[field]
    assert value in (["item one"], "Some text.", ["Some text."])


def test_curly_apostrophe_in_section_name():
    deck = parse("# D\n## Q?\n### Don’ts\n- x\n")
    assert deck.questions[0].donts == ["x"]


def test_several_labelled_examples_keep_order():
    deck = parse(
        "# D\n## Q?\n### Example: experienced\nA\n### Good example\nB\n### Example: entry level\nC\n"
    )
    assert deck.questions[0].examples == [
        Example("experienced", "A"),
        Example("", "B"),
        Example("entry level", "C"),
    ]


def test_list_items_star_numbered_continuation_and_nesting():
    text = "# D\n## Q?\n### Do\n* one\n  continued here\n* two\n  - nested\n### Tips\n1. first\n2. second\n"
    q = parse(text).questions[0]
    assert q.dos == ["one\ncontinued here", "two\n- nested"]
    assert q.tips == ["first", "second"]


def test_fenced_code_is_not_structure():
    text = "# D\n## Q?\n### Approach\nBefore\n\n```\n## not a question\n### Not a section\n```\n"
    deck = parse(text)
    assert len(deck.questions) == 1
    assert "## not a question" in deck.questions[0].approach


def test_markup_like_text_is_kept_verbatim():
    deck = parse(
        "# D\n## Is [bold]this[/bold] literal?\n### Approach\n[link=http://x]click[/link]\n"
    )
    q = deck.questions[0]
    assert q.question == "Is [bold]this[/bold] literal?"
    assert q.approach == "[link=http://x]click[/link]"


def test_control_characters_are_removed_with_a_warning():
    source = Source.from_text("# D\n## Q\x1b]0;owned\x07?\n### Approach\nok\x1b[2J\n", "x.md")
    from drill.io.markdown.deck import parse_markdown

    deck = parse_markdown(source)
    assert deck.questions[0].question == "Q]0;owned?"
    assert deck.questions[0].approach == "ok[2J"
    assert [str(w) for w in source.warnings] == [
        "x.md:2: removed control characters",
        "x.md:4: removed control characters",
    ]


def test_crlf_and_bom():
    source = Source.from_bytes(b"\xef\xbb\xbf# D\r\n## Q?\r\n### Approach\r\nText\r\n", "w.md")
    from drill.io.markdown.deck import parse_markdown

    deck = parse_markdown(source)
    assert deck.name == "D"
    assert deck.questions[0].approach == "Text"


def test_unknown_section_suggests_the_closest():
    text = "# D\n\n## Q?\n\n### Approach\nx\n\n### Whyy they ask\ny\n"
    assert errors(text) == [
        "deck.md:8: unknown section 'Whyy they ask' (did you mean 'Why they ask'?)"
    ]


def test_section_before_any_question():
    problems = errors("# D\n\n### Approach\ntext\n")
    assert len(problems) == 1
    assert problems[0].startswith("deck.md:3: section 'Approach' needs a question above it")


def test_empty_question_heading():
    assert errors("# D\n## \n")[0].startswith("deck.md:2: empty question heading")


def test_duplicate_id_points_at_second_id_line_and_names_it():
    text = "# D\n## A?\nid: same\n\n## B?\nid: same\n"
    assert errors(text) == [
        "deck.md:6: duplicate question id 'same' (first used at line 3) "
        "(give one of them a different 'id:' line)"
    ]


def test_duplicate_default_id_points_at_heading():
    text = "# D\n## Same?\n## Same!\n"
    assert errors(text)[0].startswith("deck.md:3: duplicate question id 'same'")


def test_list_section_without_list():
    assert errors("# D\n## Q?\n### Do\n")[0].startswith("deck.md:3: section 'Do' holds no list")
    assert errors("# D\n## Q?\n### Tips\nJust prose.\n")[0].startswith(
        "deck.md:4: section 'Tips' must be a list"
    )


def test_not_utf8_reports_the_line():
    with pytest.raises(DeckError) as info:
        Source.from_bytes(b"# D\n## Q?\n\xff\xfe\n", "bad.md")
    assert str(info.value) == "bad.md:3: file is not UTF-8 text (save it as UTF-8 and try again)"


def test_missing_deck_heading():
    assert errors("## Q?\n")[0].startswith("deck.md:1: question before the deck heading")
    assert errors("")[0].startswith("deck.md:1: missing deck heading")


def test_second_deck_heading():
    assert errors("# A\n## Q?\n# B\n")[0].startswith("deck.md:3: a second deck heading")


def test_repeated_section():
    assert errors("# D\n## Q?\n### Approach\na\n### Approach\nb\n")[0].startswith(
        "deck.md:5: section 'Approach' appears twice"
    )


def test_metadata_errors():
    assert errors("# D\n## Q?\nid: has space\n")[0].startswith("deck.md:3: invalid id 'has space'")
    assert errors("# D\n## Q?\nid: ok\nlevel: 3\n")[0].startswith(
        "deck.md:4: unknown metadata 'level' (known: id, tags)"
    )


def test_stray_text_under_question():
    assert errors("# D\n## Q?\n\nSome notes.\n")[0].startswith(
        "deck.md:4: text under question 'Q?' is outside any section"
    )


def test_all_errors_reported_together():
    text = "# D\n## Q?\n### Whyy\nx\n## \n### Do\n"
    assert len(errors(text)) == 3


def test_dump_round_trips():
    deck = parse(SAMPLE_DECK)
    again = parse(dump_markdown(deck))
    assert again.questions == deck.questions
    assert (again.id, again.name, again.description) == (deck.id, deck.name, deck.description)


def test_line_numbers_with_multibyte_text():
    text = "# Déjà vu\n## Été?\n### Whyy\nx\n"
    assert errors(text)[0].startswith("deck.md:3: unknown section 'Whyy'")
