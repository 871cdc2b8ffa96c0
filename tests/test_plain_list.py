"""Tests of the plain one-question-per-line reader."""

from __future__ import annotations

import pytest

from drill.core.model import Deck
from drill.errors import DeckError
from drill.io.plain_list import parse_list
from drill.io.source import Source


def parse(text: str, file: str = "lists/My Questions.txt", **kwargs: str) -> Deck:
    return parse_list(Source.from_text(text, file), **kwargs)


def test_plain_lines_with_line_numbers_and_deck_from_stem() -> None:
    deck = parse("Tell me about yourself.\nWhy do you want this job?\n")
    assert (deck.name, deck.id, deck.description) == ("My Questions", "my-questions", "")
    assert deck.source == "lists/My Questions.txt"
    assert [(q.id, q.question, q.line) for q in deck.questions] == [
        ("tell-me-about-yourself", "Tell me about yourself.", 1),
        ("why-do-you-want-this-job", "Why do you want this job?", 2),
    ]
    assert all(q.why == "" and q.variants == [] for q in deck.questions)


def test_deck_name_argument() -> None:
    deck = parse("Why us?\n", deck_name="Warm-up set")
    assert (deck.name, deck.id) == ("Warm-up set", "warm-up-set")


def test_bullets_numbering_blank_lines_and_whitespace() -> None:
    text = (
        "\n"
        "- Dash question\n"
        "  * Star question  \n"
        "+ Plus question\n"
        "• Dot question\n"
        "\n"
        "   \n"
        "1. Numbered with dot\n"
        "12) Numbered with paren\n"
        "\tTabbed   and   spaced\u00a0out\n"
    )
    deck = parse(text)
    assert [(q.question, q.line) for q in deck.questions] == [
        ("Dash question", 2),
        ("Star question", 3),
        ("Plus question", 4),
        ("Dot question", 5),
        ("Numbered with dot", 8),
        ("Numbered with paren", 9),
        ("Tabbed and spaced out", 10),
    ]


def test_marker_needs_following_space() -> None:
    deck = parse("1.5 years of gaps: explain?\n-based on what?\n")
    assert [q.question for q in deck.questions] == [
        "1.5 years of gaps: explain?",
        "-based on what?",
    ]


def test_crlf_and_bom() -> None:
    deck = parse_list(Source.from_bytes(b"\xef\xbb\xbf- One?\r\n\r\n- Two?\r\n", "q.txt"))
    assert [(q.question, q.line) for q in deck.questions] == [("One?", 1), ("Two?", 3)]


def test_id_collisions_get_suffixes_and_exact_duplicates_warn() -> None:
    source = Source.from_text("Why us?\nWhy us!\n- Why us?\nWhy us 2\n", "q.txt")
    deck = parse_list(source)
    assert [q.id for q in deck.questions] == ["why-us", "why-us-2", "why-us-3", "why-us-2-2"]
    assert [q.question for q in deck.questions] == ["Why us?", "Why us!", "Why us?", "Why us 2"]
    assert [(p.line, p.message) for p in source.warnings] == [(3, "same question as line 1")]


def test_line_without_letters_or_digits_is_an_error() -> None:
    with pytest.raises(DeckError) as info:
        parse("Why us?\n- ???\n!!!\nFine?\n", file="q.txt")
    assert [(p.file, p.line) for p in info.value.problems] == [("q.txt", 2), ("q.txt", 3)]
    assert str(info.value).startswith("q.txt:2: ")


@pytest.mark.parametrize("text", ["", "\n\n", "  \n\t\n"])
def test_no_questions_is_an_error_at_line_1(text: str) -> None:
    with pytest.raises(DeckError) as info:
        parse(text, file="empty.txt")
    [problem] = info.value.problems
    assert (problem.file, problem.line, problem.message) == ("empty.txt", 1, "no questions found")
