"""Anki fields in the shapes drill's export writes are read without html.parser, identically.

`from_html`, `items_from_html` and `examples_from_html` skip the HTML parser for plain text,
a flat `<ul>` of plain items, and drill's labelled example blocks. On every input they must
return what the parser-based path returns.
"""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from drill.core.model import Example
from drill.io.anki import fields as anki_html

SETTINGS = settings(derandomize=True, max_examples=300, deadline=None)
TEXT = st.lists(
    st.sampled_from(
        ["a", "b", " ", "  ", "<", ">", "&", "&amp;", "[", "[sound:x.mp3]", "\t", "\n", "\xa0",
         "\u2003", "\ue000", "\x07", "é", "<b>", "</li>", "<br>", '"', "*", "|", "\u200b",
         "\x85", "<li>"]
    ),
    max_size=12,
).map("".join)  # fmt: skip


def ul(items: list[str]) -> str:
    return "<ul>" + "".join(f"<li>{item}</li>" for item in items) + "</ul>"


def blocks(examples: list[tuple[str, str]]) -> str:
    return "".join(
        '<div class="drill-example">'
        + (f'<div class="drill-label">{label}</div>' if label else "")
        + f'<div class="drill-text">{text}</div></div>'
        for label, text in examples
    )


FIELDS = st.one_of(
    TEXT,
    st.lists(TEXT, max_size=4).map(ul),
    st.lists(st.tuples(TEXT, TEXT), min_size=1, max_size=3).map(blocks),
    st.lists(TEXT, max_size=3).map(lambda items: anki_html.items_to_html(items)),
    st.lists(st.builds(Example, TEXT, TEXT), max_size=3).map(anki_html.examples_to_html),
    TEXT.map(anki_html.text_to_html),
)


@pytest.mark.slow
@SETTINGS
@given(FIELDS)
def test_every_field_reads_as_the_parser_reads_it(fragment: str) -> None:
    fast: Counter[str] = Counter()
    slow: Counter[str] = Counter()
    assert anki_html.from_html(fragment, fast) == anki_html.render(
        anki_html.parse(fragment, slow).children
    )
    assert anki_html.items_from_html(fragment, fast) == anki_html._items_parsed(fragment, slow)
    assert anki_html.examples_from_html(fragment, fast) == anki_html._examples_parsed(
        fragment, slow
    )
    assert fast == slow  # media counted alike


def test_the_shortcuts_are_taken_for_drills_own_export(monkeypatch) -> None:
    def no_parser(*args: object) -> None:
        raise AssertionError("html.parser was used")

    monkeypatch.setattr(anki_html, "parse", no_parser)
    assert anki_html.from_html("Use STAR: situation, task. ") == "Use STAR: situation, task."
    assert anki_html.items_from_html(anki_html.items_to_html(["Be specific.", "Ramble."])) == [
        "Be specific.",
        "Ramble.",
    ]
    examples = [Example("experienced", "I led it."), Example("", "I helped.")]
    assert anki_html.examples_from_html(anki_html.examples_to_html(examples)) == examples
