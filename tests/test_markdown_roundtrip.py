"""Any deck drill can hold exports to Markdown and imports back equal.

"Can hold" is what an import keeps (core.model.normalize_deck: headings on one line, text
trimmed); within that, text is arbitrary, including Markdown that would otherwise be read as
structure ("## " lines, setext underlines, unclosed fences), tags with commas, indented text.
"""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from drill.core import vocabulary
from drill.core.model import Deck, Example, Question, normalize_deck
from drill.io.json_deck import dump_json, parse_json
from drill.io.markdown.deck import dump_markdown, parse_markdown
from drill.io.source import Source
from drill.library.exports import load_deck
from drill.library.importing import import_decks
from drill.storage.db import open_database
from tests.helpers import NOW

# Characters that mean something to Markdown or to drill's format, weighted in.
SPECIAL = [
    *"#=-*+_>~`<[]()!|\\:,.0123456789 \t\n",
    "## ",
    "### ",
    "\n## Next?\n",
    "\n---\n",
    "\n===\n",
    "```",
    "~~~",
    "~~~verbatim",
    "<!--",
    "<div>",
    "[a]: /url",
    "    ",
    "- ",
    "1. ",
    "id: x",
    "tags: a, b",
    "\xa0",
    "\u2028",
    "é",
    "日本",
    "🙂",
]
TEXT = st.lists(
    st.one_of(
        st.sampled_from(SPECIAL),
        st.text(
            alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\r"),
            max_size=6,
        ),
    ),
    max_size=12,
).map("".join)
LINE = TEXT.map(lambda t: t.replace("\n", " "))
ID = st.from_regex(r"[a-z0-9][a-z0-9_.-]{0,12}", fullmatch=True)


@st.composite
def questions(draw, qid: str) -> Question:
    question = draw(LINE.filter(lambda t: t.strip()))
    length = draw(st.none() | st.sampled_from([(30, 60), (60, 150), (90, 120)]))
    return Question(
        id=qid,
        question=question,
        variants=draw(st.lists(LINE, max_size=3)),
        why=draw(TEXT),
        approach=draw(TEXT),
        dos=draw(st.lists(TEXT, max_size=3)),
        donts=draw(st.lists(TEXT, max_size=3)),
        examples=draw(st.lists(st.builds(Example, LINE, TEXT), max_size=3)),
        bad_example=draw(TEXT),
        tips=draw(st.lists(TEXT, max_size=3)),
        tags=draw(st.lists(LINE, max_size=3)),
        type=draw(st.sampled_from(["", *vocabulary.QUESTION_TYPES])),
        competencies=sorted(set(draw(st.lists(st.sampled_from(vocabulary.COMPETENCIES))))),
        level=draw(st.sampled_from(["", *vocabulary.LEVELS])),
        length=length,
        reviewed=draw(st.sampled_from(["", "2026-01-31"])),
        short_answer=draw(TEXT),
        follow_ups=draw(st.lists(TEXT, max_size=2)),
        red_flags=draw(st.lists(TEXT, max_size=2)),
        key_phrases=draw(st.lists(TEXT, max_size=2)),
    )


@st.composite
def decks(draw) -> Deck:
    ids = draw(st.lists(ID, min_size=1, max_size=4, unique=True))
    deck = Deck(
        id=draw(ID),
        name=draw(LINE.filter(lambda t: t.strip())),
        description=draw(TEXT),
        questions=[draw(questions(qid)) for qid in ids],
        license=draw(st.sampled_from(["", "CC-BY-4.0"])),
        version=draw(st.sampled_from(["", "2.1"])),
    )
    return normalize_deck(deck)


def content(deck: Deck) -> tuple:
    return (
        deck.id,
        deck.name,
        deck.description,
        deck.license,
        deck.version,
        [replace(q, line=0, import_key=None) for q in deck.questions],
    )


def roundtrip(deck: Deck) -> Deck:
    return parse_markdown(Source.from_text(dump_markdown(deck), "deck.md"))


@pytest.mark.slow
@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(decks())
def test_any_deck_reads_back_equal(deck):
    assert content(roundtrip(deck)) == content(deck)


@pytest.mark.slow
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(decks())
def test_a_json_deck_imported_exports_to_markdown_and_back(deck):
    # Through the JSON edge and the database, as `drill import deck.json` then
    # `drill export deck ID` (the JSON edge may clean more, so compare with what was stored).
    db = open_database(":memory:")
    parsed = parse_json(Source.from_text(dump_json(deck), "deck.json"))
    import_decks(db, [parsed], NOW)
    stored = load_deck(db, parsed.id)
    assert content(roundtrip(stored)) == content(stored)
    db.close()


# -- the cases of issue 17, explicitly -------------------------------------------------------------

RT = {
    "deck": {"id": "rt", "name": "Round trip", "description": ""},
    "questions": [
        {"id": "q1", "question": "One?", "approach": "Intro\n## Not a question\nmore"},
        {"id": "q2", "question": "Two?", "bad_example": "    I would just wing it."},
        {"id": "q3", "question": "Three?", "tags": ["a, b", "c"]},
    ],
}


def test_the_reported_json_deck_round_trips(db):
    parsed = parse_json(Source.from_text(json.dumps(RT), "rt.json"))
    import_decks(db, [parsed], NOW)
    stored = load_deck(db, "rt")
    back = roundtrip(stored)
    assert back.id == "rt"  # not "round-trip"
    assert [q.id for q in back.questions] == ["q1", "q2", "q3"]  # not four questions
    assert back.questions[0].approach == "Intro\n## Not a question\nmore"
    assert back.questions[1].bad_example == "I would just wing it."  # not dropped
    assert back.questions[2].tags == ["a, b", "c"]  # not split in three
    assert content(back) == content(stored)


@pytest.mark.parametrize(
    "text",
    [
        "## Heading inside",
        "Title\n===",
        "Title\n---",
        "```python\nunclosed = True",
        "<!-- never closed",
        "[ref]: https://example.com",
        "~~~verbatim\nnot ours\n~~~",
        "a\n\n\n\nb",
        "# one\n## two\n### three",
    ],
)
def test_structure_in_a_section_is_escaped(text):
    deck = normalize_deck(
        Deck(
            id="d",
            name="D",
            description=text,
            questions=[
                Question(
                    id="q",
                    question="Q?",
                    approach=text,
                    dos=[text],
                    examples=[Example("label", text)],
                    tips=["end"],
                )
            ],
        )
    )
    back = roundtrip(deck)
    assert content(back) == content(deck)


@pytest.mark.parametrize("question", ["What is C #", "###", "Back\\slash #", "Ends with \\"])
def test_headings_that_end_in_hashes_or_hold_backslashes(question):
    deck = Deck(id="d", name=question, questions=[Question(id="q", question=question)])
    assert content(roundtrip(deck)) == content(deck)
