"""The Markdown deck format: every section, alias and error, with its line."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from drill.core.model import CardKind, Example
from drill.errors import DeckError
from drill.io.markdown.deck import dump_markdown
from drill.io.markdown.sections import LIST_SECTIONS, SECTION_ALIASES
from drill.io.source import Source
from tests.helpers import SAMPLE_DECK, V2_DECK, parse


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
    body = "- item one" if field in LIST_SECTIONS else "Some text."
    deck = parse(f"# D\n\n## Q?\n\n### {heading.upper()}:\n{body}\n")
    q = deck.questions[0]
    value = {
        "Variants": q.variants,
        "Why they ask": q.why,
        "Approach": q.approach,
        "Short answer": q.short_answer,
        "Do": q.dos,
        "Don't": q.donts,
        "Red flags": q.red_flags,
        "Example": [e.text for e in q.examples],
        "Bad example": q.bad_example,
        "Follow-ups": q.follow_ups,
        "Key phrases": q.key_phrases,
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
    assert errors("# D\n## Q?\nid: ok\ncolour: red\n") == [
        "deck.md:4: unknown metadata 'colour' "
        "(known: id, tags, type, competencies, level, length, reviewed)"
    ]


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


def test_deck_and_question_metadata_and_the_new_sections():
    deck = parse(V2_DECK)
    assert (deck.id, deck.name, deck.license, deck.version) == (
        "se-pack",
        "Software engineering",
        "CC-BY-4.0",
        "2.1",
    )
    assert deck.description == "For engineers."
    q = deck.questions[0]
    assert (q.id, q.type, q.level, q.length, q.reviewed) == (
        "se-incident",
        "behavioral",
        "experienced",
        (90, 150),
        "2026-03-01",
    )
    assert q.competencies == ["ownership", "communication"]
    assert q.short_answer.startswith('"Last spring')
    assert q.red_flags == [
        'Blames others ("it wasn\'t my fault").',
        'No measure of impact ("it went fine").',
    ]
    assert q.follow_ups == ["What would you do differently?", "Who did you tell, and when?"]
    assert q.key_phrases == ['"I owned the rollback."']
    assert q.target_seconds == (90, 150)


def test_the_deck_id_line_wins_over_the_name_and_survives_an_export():
    deck = parse("# Renamed deck\nid: old-id\n\n## Q?\n")
    assert deck.id == "old-id"
    again = parse(dump_markdown(deck))
    assert (again.id, again.name) == ("old-id", "Renamed deck")
    # A name with no letters is fine when the id is given.
    assert parse("# ???\nid: marks\n").id == "marks"


def test_a_description_that_only_looks_like_metadata_stays_a_description():
    deck = parse("# D\nNote: read this first.\n\n## Q?\n")
    assert (deck.id, deck.description) == ("d", "Note: read this first.")


def test_without_type_or_length_the_default_target_applies():
    q = parse("# D\n## Q?\ntype: logistics\n").questions[0]
    assert q.length is None and q.target_seconds == (20, 60)
    assert parse("# D\n## Q?\n").questions[0].target_seconds == (45, 120)


def test_single_length_and_case_are_accepted():
    q = parse("# D\n## Q?\ntype: Behavioral\nlength: 90s\ncompetencies: Data, data\n").questions[0]
    assert (q.type, q.length, q.competencies) == ("behavioral", (90, 90), ["data"])


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("type: behavioural", "unknown type 'behavioural' (did you mean 'behavioral'?)"),
        ("type: story", "unknown type 'story' (use one of: behavioral, hypothetical, "
         "self-assessment, motivation, logistics, technical, ask-them)"),
        ("level: senior", "unknown level 'senior' (use one of: entry, experienced, manager, any)"),
        ("competencies: ownership, prioritisation",
         "unknown competency 'prioritisation' (did you mean 'prioritization'? "
         "(docs/deck-format.md lists them all))"),
        ("competencies: ,", "empty competencies (name one or more, e.g. 'ownership, data')"),
        ("length: two minutes", "invalid length 'two minutes' (write it as LOW-HIGHs, e.g. '60-150s')"),
        ("length: 150-60s", "length '150-60s' ends before it starts (write it as LOW-HIGHs, e.g. '60-150s')"),
        ("length: 1-9999s", "length '1-9999s' is out of range (keep it within 5-1800s)"),
        ("reviewed: 2026-13-01", "invalid reviewed date '2026-13-01' (write it as YYYY-MM-DD, e.g. '2026-03-01')"),
        ("reviewed: March 2026", "invalid reviewed date 'March 2026' (write it as YYYY-MM-DD, e.g. '2026-03-01')"),
    ],
)  # fmt: skip
def test_metadata_outside_the_vocabulary_is_reported_with_its_line_and_a_hint(line, message):
    assert errors(f"# D\n\n## Q?\nid: q\n{line}\n") == [f"deck.md:5: {message}"]


def test_repeated_metadata_is_reported():
    assert errors("# D\n## Q?\ntype: behavioral\ntype: motivation\n") == [
        "deck.md:4: 'type' appears twice (first at line 3) (keep one of the two lines)"
    ]


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        ("id: bad id", "deck.md:2: invalid deck id 'bad id' (use letters, digits, '-', '_' or '.', e.g. 'bad-id')"),
        ("id: x\nauthor: me", "deck.md:3: unknown deck metadata 'author' (known under '# Name': id, license, version)"),
        ("license:", "deck.md:2: empty license (write the license after 'license:' or drop the line)"),
        ("version: 1\nversion: 2", "deck.md:3: 'version' appears twice (first at line 2) (keep one of the two lines)"),
        ("id: x\nplain text", "deck.md:3: expected a 'key: value' metadata line, got 'plain text' "
         "(leave a blank line after the metadata lines)"),
    ],
)  # fmt: skip
def test_deck_metadata_errors(lines, message):
    assert errors(f"# D\n{lines}\n\n## Q?\n") == [message]


def test_a_name_without_letters_needs_an_id_line():
    assert errors("# ???\n\n## Q?\n") == [
        "deck.md:1: deck name '???' has no letters or digits for an id (add an 'id:' line under it)"
    ]


def test_dump_writes_every_new_part_and_reads_it_back():
    deck = parse(V2_DECK)
    text = dump_markdown(deck)
    assert text.startswith(
        "# Software engineering\nid: se-pack\nlicense: CC-BY-4.0\nversion: 2.1\n"
    )
    assert "length: 90-150s\nreviewed: 2026-03-01\n" in text
    again = parse(text)
    assert again.questions == deck.questions
    assert (again.id, again.license, again.version) == (deck.id, deck.license, deck.version)


@pytest.mark.slow
@settings(derandomize=True, max_examples=500, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            ["a", "é", "\n", "\r\n", "\r", "\t", "\x00", "\x07", "\x1b", "\x7f", "\x85",
             "\x9b", "\xa0", "\u00c2", "\ufeff", "\u202e", "#", " "]
        ),
        max_size=20,
    ).map("".join)
)  # fmt: skip
def test_reading_bytes_cleans_as_reading_text(text: str) -> None:
    """The byte-level shortcut (no control byte, nothing to clean) reads what the text
    path reads: the same text and the same warnings."""
    data = text.encode("utf-8")
    assert Source.from_bytes(data, "f") == Source.from_text(text, "f")
