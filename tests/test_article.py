"""Tests of the "Tough Interview Question" article reader."""

from __future__ import annotations

from pathlib import Path

import pytest

from drill.core.model import Example, Question
from drill.errors import DeckError
from drill.io.article import (
    classify_sentence,
    derive_dos_donts,
    looks_like_article,
    parse_article,
    split_sentences,
)
from drill.io.source import Source

DATA = Path(__file__).parent / "data"
SAMPLE = DATA / "article_sample.txt"
SEEDS = Path(__file__).parents[2] / "shared" / "seeds"
SEED_QUESTION = "What goals do you have in your career?"

SAMPLE_DOS = [
    "Pick one real disagreement that ended well, e.g. a debate about a deadline or a design "
    "choice.",
    "Explain how you raised the concern privately (in a one-on-one, not in front of the team. "
    "That matters.) and what data you brought.",
    "You should mention what you learned from the outcome.",
    "Be brief: two minutes is plenty.",
    "Then close with the result.",
]
SAMPLE_DONTS = [
    "Don't criticize your manager or make it sound personal.",
    "Avoid stories where you simply gave in without saying anything.",
    "Keep the focus on the shared goal rather than on who was right.",
]


def sample_text() -> str:
    return SAMPLE.read_text(encoding="utf-8")


def parse_text(text: str, file: str = "sample.txt", **kwargs: str) -> Question:
    deck = parse_article(Source.from_text(text, file), **kwargs)
    assert len(deck.questions) == 1
    return deck.questions[0]


def error_of(text: str, file: str = "bad.txt") -> tuple[int, str, str]:
    with pytest.raises(DeckError) as info:
        parse_article(Source.from_text(text, file))
    [problem] = info.value.problems
    assert problem.file == file
    return problem.line, problem.message, problem.hint


# --- the sample article -------------------------------------------------------------------


def test_sample_deck_and_question() -> None:
    deck = parse_article(Source.read(SAMPLE))
    assert deck.name == "article_sample"
    assert deck.id == "article-sample"
    assert deck.description == ""
    assert deck.source == str(SAMPLE)
    [question] = deck.questions
    assert question.question == "How do you handle disagreements with your manager?"
    assert question.id == "how-do-you-handle-disagreements-with-your-manager"
    assert question.line == 1


def test_sample_variants_verbatim_and_repeat_dropped() -> None:
    question = parse_text(sample_text())
    assert question.variants == [
        "Tell me about a time you disagreed with your boss.",
        "What do you do when you think your manager is wrong",
        "How do you push back on a decision from above?",
    ]


def test_sample_why_and_approach() -> None:
    question = parse_text(sample_text())
    assert question.why == (
        "Every team has friction, and managers want to know whether you will raise concerns or "
        "let them fester.\nThe way you describe a past conflict also shows how much you respect "
        "the people you work for."
    )
    assert question.approach.startswith("Pick one real disagreement that ended well, e.g.")
    assert question.approach.endswith(
        "make better decisions.\n\nBe brief: two minutes is plenty. Then close with the result."
    )


def test_sample_examples_bad_example_and_tips() -> None:
    question = parse_text(sample_text())
    assert [e.label for e in question.examples] == [
        "experienced candidates",
        "entry level candidates",
    ]
    assert question.examples[0].text.startswith('"Last year my manager wanted')
    assert question.examples[0].text.endswith('without a single rollback."')
    assert question.examples[1] == Example(
        "entry level candidates",
        '"During my internship my supervisor asked me to hand-enter survey results. I suggested '
        "a small script instead, showed him a sample on ten rows, and he let me use it for the "
        'rest."',
    )
    assert question.bad_example == (
        '"Honestly, my last boss had no idea what he was doing, so I just did things my own way '
        'and told the team to ignore him."'
    )
    assert question.tips == [
        "Choose a story in which the disagreement was about work, not personalities, and finish "
        "on what changed afterwards.",
        "Practice the story out loud until it takes under two minutes.",
    ]


def test_sample_derived_dos_and_donts() -> None:
    question = parse_text(sample_text())
    assert question.dos == SAMPLE_DOS
    assert question.donts == SAMPLE_DONTS


def test_deck_name_argument_overrides_file_stem() -> None:
    deck = parse_article(Source.from_text(sample_text(), "x/y.txt"), deck_name="Conflict Qs")
    assert (deck.name, deck.id) == ("Conflict Qs", "conflict-qs")


def test_crlf_and_bom_parse_like_plain_text() -> None:
    data = b"\xef\xbb\xbf" + sample_text().replace("\n", "\r\n").encode("utf-8")
    deck = parse_article(Source.from_bytes(data, "sample.txt"))
    assert deck.questions[0].content_dict() == parse_text(sample_text()).content_dict()
    assert deck.questions[0].dos == SAMPLE_DOS


def test_non_breaking_spaces_become_spaces() -> None:
    text = sample_text().replace(" ", "\u00a0")
    question = parse_text(text)
    expected = parse_text(sample_text())
    assert question.content_dict() == expected.content_dict()
    assert "\u00a0" not in str(question.content_dict())


def test_curly_quotes_kept_and_recognized() -> None:
    text = (
        sample_text()
        .replace("Don't criticize", "Don’t criticize")
        .replace('"Honestly,', "“Honestly,")
        .replace('ignore him."', "ignore him.”")
        .replace("Pick one real", "“Pick one real")
        .replace("design choice.", "design choice.”")
    )
    question = parse_text(text)
    assert question.bad_example.startswith("“Honestly,")
    assert question.bad_example.endswith("ignore him.”")
    assert "Don’t criticize your manager or make it sound personal." in question.donts
    assert question.dos[0] == (
        "“Pick one real disagreement that ended well, e.g. a debate about a deadline or a design "
        "choice.”"
    )


def test_title_dashes_and_leading_blank_lines() -> None:
    for dash in ("-", "–", "—"):
        question = parse_text(f"\n\n  Tough Interview Question {dash} Why us?\n")
        assert question.question == "Why us?"
        assert question.line == 3
    assert parse_text("tough interview question-Why us?").question == "Why us?"


def test_only_title_is_required() -> None:
    question = parse_text("Tough Interview Question - Why should we hire you?\n")
    assert question.content_dict() == {
        "id": "why-should-we-hire-you",
        "question": "Why should we hire you?",
        "variants": [],
        "why": "",
        "approach": "",
        "dos": [],
        "donts": [],
        "examples": [],
        "bad_example": "",
        "tips": [],
        "tags": [],
        "type": "",
        "competencies": [],
        "level": "",
        "length": None,
        "reviewed": "",
        "short_answer": "",
        "follow_ups": [],
        "red_flags": [],
        "key_phrases": [],
    }


def test_missing_optional_blocks() -> None:
    text = (
        "Tough Interview Question - Why us?\n\n"
        "The best approach to answering this question:\n"
        "Name two things about the company that fit your plans.\n"
    )
    question = parse_text(text)
    assert question.variants == []
    assert question.why == ""
    assert question.examples == []
    assert question.bad_example == ""
    assert question.tips == []
    assert question.dos == ["Name two things about the company that fit your plans."]


def test_headers_are_tolerant() -> None:
    text = (
        "Tough Interview Question - Why us?\n"
        "SIMILAR   INTERVIEW QUESTIONS\n"
        "Why this company?\n"
        "  why the interviewer is asking this question :  \n"
        "To see whether you did your homework.\n"
        "An example of how to best answer this question for Career Changers\n"
        '"I have followed your work for years."\n'
        "An example of how you shouldn’t answer this question:\n"
        '"You were hiring."\n'
    )
    question = parse_text(text)
    assert question.variants == ["Why this company?"]
    assert question.why == "To see whether you did your homework."
    assert question.examples == [
        Example("Career Changers", '"I have followed your work for years."')
    ]
    assert question.bad_example == '"You were hiring."'


def test_last_block_quote_spanning_paragraphs_is_not_tips() -> None:
    text = (
        "Tough Interview Question - Why us?\n"
        "An example of how you should not answer this question:\n"
        '"First part of the bad answer.\n\nSecond part of it."\n\n'
        "A closing tip.\n"
    )
    question = parse_text(text)
    assert question.bad_example == '"First part of the bad answer.\n\nSecond part of it."'
    assert question.tips == ["A closing tip."]


def test_tips_come_from_whichever_block_is_last() -> None:
    text = (
        "Tough Interview Question - Why us?\n"
        "Why the interviewer is asking this question:\n"
        "To check your research.\n\n"
        "First tip,\nwrapped over two lines.\n\n"
        "Second tip.\n"
    )
    question = parse_text(text)
    assert question.why == "To check your research."
    assert question.tips == ["First tip, wrapped over two lines.", "Second tip."]


def test_other_question_line_before_blocks_becomes_variant_and_prose_warns() -> None:
    source = Source.from_text(
        "Tough Interview Question - Why us?\nWhy do you want to work here?\nSome intro prose.\n",
        "a.txt",
    )
    question = parse_article(source).questions[0]
    assert question.variants == ["Why do you want to work here?"]
    assert [(p.line, p.message) for p in source.warnings] == [
        (3, "ignored text before the first section")
    ]


# --- errors ----------------------------------------------------------------------------------


def test_error_no_title_line() -> None:
    line, message, hint = error_of("Why us?\nSome text.\n")
    assert line == 1
    assert "title" in message
    assert "Tough Interview Question - <question>" in hint


def test_error_empty_file() -> None:
    assert error_of("")[0] == 1


def test_error_empty_question_after_dash() -> None:
    line, message, _ = error_of("\n\nTough Interview Question —   \nWhy the interviewer...\n")
    assert line == 3
    assert "no question" in message


def test_error_block_given_twice_points_at_second() -> None:
    text = (
        "Tough Interview Question - Why us?\n"
        "Why the interviewer is asking this question:\n"
        "One.\n"
        "\n"
        "why the interviewer is asking this question\n"
        "Two.\n"
    )
    line, message, hint = error_of(text)
    assert line == 5
    assert "twice" in message
    assert "line 2" in hint


def test_error_same_example_label_twice() -> None:
    header = "An example of how to best answer this question for new grads:\n"
    text = f"Tough Interview Question - Why us?\n{header}A.\n{header}B.\n"
    assert error_of(text)[0] == 4


def test_examples_with_different_labels_are_not_duplicates() -> None:
    text = (
        "Tough Interview Question - Why us?\n"
        "An example of how to best answer this question for new grads:\nA.\n"
        "An example of how to best answer this question for managers:\nB.\n"
    )
    assert [e.label for e in parse_text(text).examples] == ["new grads", "managers"]


# --- detection -------------------------------------------------------------------------------


def test_looks_like_article() -> None:
    assert looks_like_article(sample_text())
    assert looks_like_article("\ufeff\r\n\r\nTough Interview Question – Why us?\r\n")
    assert looks_like_article("\ufeffTough Interview Question - Why us?\r\n")
    assert looks_like_article("Site header\nPosted today\n\nTough Interview Question - Why?\n")
    assert not looks_like_article("Why us?\nTell me about yourself.\n")
    assert not looks_like_article("# Deck\n\n## Tough Interview Question - Why?\n")
    assert not looks_like_article("Tough Interview Questions are hard\n")
    assert not looks_like_article("1\n2\n3\n4\n5\nTough Interview Question - Why?\n")
    assert not looks_like_article("")


def test_title_after_a_stray_line_parses_with_warning() -> None:
    source = Source.from_text("Site header\nTough Interview Question - Why us?\n", "a.txt")
    question = parse_article(source).questions[0]
    assert (question.question, question.line) == ("Why us?", 2)
    assert [p.line for p in source.warnings] == [1]


# --- sentences -------------------------------------------------------------------------------


def test_split_sentences_keeps_parentheses_and_abbreviations() -> None:
    text = (
        "Use one story (e.g. a launch. Or a migration.) only. Compare A vs. B carefully, "
        "i.e. The Way It Was. Done! Really?  Yes.\n\nNew   paragraph here"
    )
    assert split_sentences(text) == [
        "Use one story (e.g. a launch. Or a migration.) only.",
        "Compare A vs. B carefully, i.e. The Way It Was.",
        "Done!",
        "Really?",
        "Yes.",
        "New paragraph here",
    ]


def test_split_sentences_closing_paren_and_quote() -> None:
    assert split_sentences('Say "yes." Then stop. (It works.) Next one.') == [
        'Say "yes."',
        "Then stop.",
        "(It works.)",
        "Next one.",
    ]


def test_split_sentences_unbalanced_parenthesis_still_splits() -> None:
    assert split_sentences("Use (this one. Keep it short.") == ["Use (this one.", "Keep it short."]


@pytest.mark.parametrize(
    ("sentence", "kind"),
    [
        ("Focus on the next two years.", "do"),
        ("Keep it short.", "do"),
        ("“Stay calm,” as they say.", "do"),
        ("Also, mention the team.", "do"),
        ("You can state a broader goal.", "do"),
        ("You should also highlight the result.", "do"),
        ("You should not state a title.", "dont"),
        ("Don’t ramble.", "dont"),
        ("Do not ramble.", "dont"),
        ("Never lie.", "dont"),
        ("Avoid jargon.", "dont"),
        ("Talk about results rather than duties.", "dont"),
        ("DON'T guess.", "dont"),
        ("Most interviewers want a story.", None),
        ("Research shows that stories stick.", None),
        ("You can see why this matters.", None),
        ("Focusing is hard.", None),
    ],
)
def test_classify_sentence(sentence: str, kind: str | None) -> None:
    assert classify_sentence(sentence) == kind


def test_derive_dos_donts_keeps_sentences_whitespace_normalized() -> None:
    dos, donts = derive_dos_donts("Keep it\n  short.   Never   ramble. It helps.")
    assert dos == ["Keep it short."]
    assert donts == ["Never ramble."]


# --- the real seed article -------------------------------------------------------------------


def _seed() -> Path:
    if not SEEDS.is_dir():
        pytest.skip("shared seeds folder not present")
    for path in sorted(SEEDS.glob("*.txt")):
        if f"Tough Interview Question - {SEED_QUESTION}" in path.read_text(encoding="utf-8"):
            return path
    pytest.skip("career-goals seed article not present")


def test_seed_article() -> None:
    path = _seed()
    assert looks_like_article(path.read_text(encoding="utf-8"))
    deck = parse_article(Source.read(path))
    assert deck.name == path.stem
    [question] = deck.questions
    assert question.question == SEED_QUESTION
    assert question.id == "what-goals-do-you-have-in-your-career"
    assert question.variants == [
        "What direction are you seeking to take with your career?",
        "What are you seeking to accomplish in your career",
        "What would you like to have said about you at your retirement party?",
    ]
    assert question.why.startswith("The interviewer is seeking to get past the here-and-now")
    assert question.approach.startswith("Focus on the near term")
    assert [e.label for e in question.examples] == [
        "experienced candidates",
        "entry level candidates",
    ]
    assert all(e.text.startswith('"In the near term') for e in question.examples)
    assert question.bad_example.startswith('"Whoo boy')
    assert question.bad_example.endswith('PAR-TEE!"')
    assert "Focus on the near term, covering the next two years." in question.dos
    assert question.donts == [
        "For example, you should not state that you want to be President of the company one day "
        "(or any VP-level or above role, unless you are already at a Director level)."
    ]
    assert len(question.tips) == 1
    assert question.tips[0].startswith("Remember to answer each interview question behaviorally")
    assert "S-T-A-R approach to make the answer a STAR" in question.tips[0]
