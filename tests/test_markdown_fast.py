"""The fast path for plain Markdown decks agrees with the full CommonMark parser, or steps aside.

`markdown_fast.scan` reads large generated decks without pulldown-cmark events. It must return
exactly the Deck the full parser returns (question lines included) or None, never a different
deck and never a deck where the full parser reports an error.
"""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from drill.core.model import Deck, normalize_question
from drill.errors import DeckError
from drill.io.markdown.deck import _Parser, dump_markdown, parse_markdown
from drill.io.markdown.fast import scan
from drill.io.markdown.sections import LIST_SECTIONS, SECTION_ALIASES
from drill.io.source import Source

DECKS_DIR = Path(__file__).parent.parent / "decks"
DECKS = sorted(DECKS_DIR.rglob("*.md"))
SETTINGS = settings(
    derandomize=True,
    max_examples=400,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def full_parse(text: str) -> Deck | None:
    try:
        return _Parser(Source.from_text(text, "deck.md")).parse()
    except DeckError:
        return None


def assert_agrees(text: str) -> Deck | None:
    """scan's answer for `text`, after checking it against the full parser's."""
    fast = scan(Source.from_text(text, "deck.md"))
    if fast is not None:
        full = full_parse(text)
        assert full is not None, f"the full parser rejects what the fast path accepted:\n{text}"
        assert fast == full, text
        assert [q.line for q in fast.questions] == [q.line for q in full.questions], text
        assert_normalized(fast, text)
    return fast


def assert_normalized(deck: Deck, text: str) -> None:
    """A deck its reader marks as normalized is one an import need not normalise again."""
    assert deck.normalized, "the fast path marks its decks as already normalized"
    for question in deck.questions:
        assert normalize_question(copy.deepcopy(question)) == question, text


# -- generated documents ---------------------------------------------------------------------

WORDS = st.sampled_from(
    ["Tell", "me", "about", "a", "team", "C#", "é", "[bold]", "`code`", "*em*", "**b**", "_x_",
     "1.", "2)", "#tag", "-x", "+1", "a:b", "&amp;", "\\#", "<b>", "x  y", "q\u00a0r", "{#id}",
     "\\", "<http://x>", "![i](u)", "[l](u)", "\\*", "a\\"]
)  # fmt: skip
TEXT = st.lists(WORDS, min_size=0, max_size=5).map(" ".join)
SECTIONS = [alias for aliases in SECTION_ALIASES.values() for alias in aliases]
SECTION_NAMES = st.sampled_from(
    [*SECTION_ALIASES, *SECTIONS, "Example: entry level", "Whyy", "DO", " Tips ", "Tips:", ""]
)
ID_TEXT = st.sampled_from(["q1", "q2", "Q-1.a", "bad id", "-x", "", "q1 "])
# The bank v2 metadata, valid and not, for questions and for the deck.
METADATA = [
    "type: behavioral", "type: Ask-Them", "type: story", "type:", "competencies: data, ownership",
    "competencies: data,, Data", "competencies: tact", "level: entry", "level: senior",
    "length: 60-120s", "length: 90 s", "length: 120-60s", "length: 2 min", "reviewed: 2026-01-31",
    "reviewed: 2026-02-30", "license: CC-BY-4.0", "version: 2.0", "license:", "LICENSE: x",
    "version : 1", "id: deck-id", "author: me",
]  # fmt: skip

# Every kind of line the scanner must either model exactly or refuse.
LINE = st.one_of(
    st.just(""),
    st.builds(lambda t: f"# {t}", TEXT),
    st.builds(lambda t: f"## {t}", TEXT),
    st.builds(lambda t: f"### {t}", SECTION_NAMES),
    st.builds(lambda n, t: "#" * n + " " + t, st.integers(1, 7), TEXT),
    st.builds(lambda n, t: "#" * n + t, st.integers(1, 3), TEXT),
    st.builds(lambda i: f"id: {i}", ID_TEXT),
    st.builds(lambda t: f"tags: {t}, x", TEXT),
    st.sampled_from(["ID: q9", "tag: a", "id:q3", "id : q4", "foo: bar"]),
    st.sampled_from(METADATA),
    st.builds(lambda m, s, t: f"{m}{s}{t}", st.sampled_from("-*+"), st.sampled_from(["", " ", "  ", "     "]), TEXT),
    st.builds(lambda t: t, TEXT),
    st.builds(lambda n, t: " " * n + t, st.integers(1, 5), TEXT),
    st.sampled_from(["```", "~~~", "    code", "> quote", "<div>", "[x]: /url", "1. one", "3) three",
                     "---", "===", "- - -", "***", "___", "-", "   ", "\t- tab", "text\ttab", "## x ##",
                     "\u00a0", "- ```", "- > q", "- # h", "- 1. n", "- [ ] task", "*  * *"]),
)  # fmt: skip


@pytest.mark.slow
@SETTINGS
@given(st.lists(LINE, min_size=0, max_size=40))
def test_any_document_gets_the_full_parsers_deck_or_none(lines: list[str]) -> None:
    assert_agrees("\n".join(lines))


# Well-formed decks in the fast subset: the fast path must actually take them.
# Text that does not open a block of its own (a nested list, a heading, a link definition).
PLAIN = TEXT.filter(lambda t: t.strip() and not t.startswith(("-", "+", "#", "1.", "2)", "[", "<")))
QUESTION_META = [
    "type: behavioral", "type: ask-them", "competencies: data, ownership", "level: any",
    "length: 60-120s", "length: 45s", "reviewed: 2026-01-31",
]  # fmt: skip
ITEM = st.builds(lambda m, t: f"{m} {t}", st.sampled_from("-*+"), PLAIN)
LAZY = st.lists(PLAIN.filter(lambda t: not t.startswith("*")), max_size=1)


@st.composite
def plain_decks(draw: st.DrawFn) -> str:
    out = ["# " + draw(st.sampled_from(["Deck", "My  deck", "Career & goals", "???"]))]
    deck_meta = draw(st.lists(st.sampled_from(["license: CC-BY-4.0", "version: 1.0"]), unique=True))
    if "?" in out[0] or draw(st.booleans()):
        deck_meta.insert(draw(st.integers(0, len(deck_meta))), "id: my-deck")  # "???" needs one
    out += deck_meta
    out.append("")
    out += draw(st.lists(st.sampled_from(["A description.", "- a listed point", ""]), max_size=3))
    for n in range(draw(st.integers(0, 4))):
        # Escapes in headings are left to the full parser (see markdown_fast._heading).
        out.append(f"## Question {n}: {draw(TEXT.filter(lambda t: chr(92) not in t))}?")
        if draw(st.booleans()):
            out.append(f"id: q{n}")
        if draw(st.booleans()):
            out.append("tags: a, b")
        out += draw(
            st.lists(st.sampled_from(QUESTION_META), unique_by=lambda line: line.split(":")[0])
        )
        out.append("")
        for name in draw(st.lists(st.sampled_from(list(SECTION_ALIASES)), unique=True)):
            out.append(f"### {name}")
            if name in LIST_SECTIONS:
                for _ in range(draw(st.integers(1, 3))):
                    out.append(draw(ITEM))
                    out += draw(LAZY)
                    if draw(st.booleans()):
                        out.append("")
            else:
                out.append(draw(PLAIN.filter(lambda t: not t.startswith("*"))))
                out += draw(st.lists(st.sampled_from(["", "More text.", "- a list", "#### Sub"]), max_size=3))  # fmt: skip
            out.append("")
    return "\n".join(out)


@pytest.mark.slow
@SETTINGS
@given(plain_decks())
def test_well_formed_plain_decks_take_the_fast_path(text: str) -> None:
    deck = assert_agrees(text)
    assert deck is not None, text


@pytest.mark.parametrize("path", DECKS, ids=lambda p: p.name)
def test_bundled_decks_and_their_export_take_the_fast_path(path: Path) -> None:
    text = path.read_text("utf-8")
    deck = assert_agrees(text)
    assert deck is not None
    exported = dump_markdown(deck)
    again = assert_agrees(exported)
    # An export with multi-line list items indents their continuation lines: the full parser's.
    assert (again or full_parse(exported)) == deck


@pytest.mark.parametrize(
    "text",
    [
        # A heading inside a fence belongs to the example, not to the deck structure.
        "# D\n\n## Q?\n### Example\n```\n## Not a question\n```\n",
        # Indented continuation lines and nested lists stay inside their item.
        "# D\n\n## Q?\n### Do\n- first\n  still first\n  - nested\n- second\n",
        # A setext heading would be a question the line scanner cannot see.
        "# D\n\n## Q?\n### Approach\nText\n---\n",
        "# D\n\n## Q?\n### Tips\n1. one\n2. two\n",
    ],
)
def test_constructs_outside_the_subset_go_to_the_full_parser(text: str) -> None:
    assert scan(Source.from_text(text, "deck.md")) is None
    assert parse_markdown(Source.from_text(text, "deck.md")) == full_parse(text)


def test_errors_still_come_from_the_full_parser() -> None:
    text = "# D\n\n## Q?\n### Whyy they ask\nBecause.\n"
    assert scan(Source.from_text(text, "deck.md")) is None
    with pytest.raises(DeckError) as info:
        parse_markdown(Source.from_text(text, "deck.md"))
    assert str(info.value).startswith("deck.md:4: unknown section 'Whyy they ask'")


@st.composite
def mutated_decks(draw: st.DrawFn) -> str:
    """A well-formed deck with a few arbitrary lines inserted: near misses of the subset."""
    lines = draw(plain_decks()).split("\n")
    for _ in range(draw(st.integers(1, 3))):
        lines.insert(draw(st.integers(0, len(lines))), draw(LINE))
    return "\n".join(lines)


@pytest.mark.slow
@SETTINGS
@given(mutated_decks())
def test_near_misses_get_the_full_parsers_deck_or_none(text: str) -> None:
    assert_agrees(text)
