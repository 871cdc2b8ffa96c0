"""Untrusted text never reaches the terminal as an escape sequence: sanitised where it comes in
(answers, --deck), escaped again on every way out (text, exports, JSON).
"""

from __future__ import annotations

import json
import sqlite3

import pytest
from click.testing import CliRunner

from drill.cli.main import cli
from tests.helpers import SAMPLE_DECK

NOW_ENV = "2026-01-05T10:00:00+00:00"
OSC52 = "\x1b]52;c;ZWNobyBwd25lZA==\x07"  # write the clipboard
OSC8 = "\x1b]8;;https://evil.example\x1b\\link\x1b]8;;\x1b\\"
CLEAR = "\x1b[2J"
C1_CSI = "\x9b31m"
HOSTILE = f"Before{OSC52}{OSC8}{CLEAR}{C1_CSI}\u202eafter"
ESCAPES = ("\x1b", "\x07", "\x9b", "\u202e")


@pytest.fixture
def env(tmp_path):
    return {"DRILL_DB": str(tmp_path / "drill.db"), "DRILL_NOW": NOW_ENV, "DRILL_NO_BUNDLED": "1"}


@pytest.fixture
def run(env, tmp_path):
    runner = CliRunner()
    deck = tmp_path / "sample.md"
    deck.write_text(SAMPLE_DECK, encoding="utf-8")

    def invoke(*args):
        return runner.invoke(cli, list(args), env=env)

    assert invoke("import", str(deck)).exit_code == 0
    return invoke


def clean(output: str) -> bool:
    return not any(char in output for char in ESCAPES)


def poison_database(env) -> None:
    """What a restored database from elsewhere may hold: escapes in every text column."""
    conn = sqlite3.connect(env["DRILL_DB"])
    conn.execute(
        "UPDATE decks SET name = ?, description = ?, license = ?, version = ?, source = ?",
        [HOSTILE] * 5,
    )
    conn.execute(
        "UPDATE questions SET question = ?, approach = ?, why = ?, bad_example = ?, "
        "short_answer = ?, level = ?, type = ?, reviewed = ?, tags = ?, variants = ?",
        [*[HOSTILE] * 8, json.dumps([HOSTILE]), json.dumps([HOSTILE])],
    )
    conn.execute(
        "INSERT INTO answers (deck_id, question_id, text, created_at, source) "
        "SELECT deck_id, id, ?, 1767607200000, ? FROM questions",
        [HOSTILE, "cli" + HOSTILE],
    )
    conn.commit()
    conn.close()


def test_an_answer_is_sanitised_when_saved(run, env):
    result = run("answer", "sample-deck/career-goals", "--text", HOSTILE)
    assert result.exit_code == 0
    conn = sqlite3.connect(env["DRILL_DB"])
    [(stored,)] = conn.execute("SELECT text FROM answers").fetchall()
    conn.close()
    assert "\x1b" not in stored and "\x9b" not in stored and "\x07" not in stored
    assert stored.startswith("Before") and stored.endswith("after")


@pytest.mark.parametrize(
    "args",
    [
        ("export", "answers"),
        ("export", "answers", "--format", "json"),
        ("export", "deck", "sample-deck"),
        ("export", "deck", "sample-deck", "--format", "json"),
        ("export", "deck", "sample-deck", "--format", "anki-txt"),
        ("export", "progress"),
        ("export", "reviews", "--format", "json"),
        ("export", "stats", "--format", "md"),
        ("export", "stats", "--format", "html"),
        ("export", "stats", "--format", "json"),
        ("answer", "sample-deck/career-goals", "--history"),
        ("answer", "sample-deck/career-goals", "--history", "--json"),
        ("decks",),
        ("decks", "--json"),
        ("next",),
        ("next", "--json"),
        ("stats",),
        ("stats", "--json"),
        (),
    ],
    ids=lambda a: "-".join(a) or "overview",
)
def test_text_from_a_restored_database_is_escaped_on_every_way_out(run, env, args):
    poison_database(env)
    result = run(*args)
    assert result.exit_code == 0, result.output
    assert clean(result.output), repr(result.output[:500])


def test_exported_files_are_escaped_too(run, env, tmp_path):
    poison_database(env)
    for fmt in ("md", "json"):
        target = tmp_path / f"answers.{fmt}"
        assert run("export", "answers", "--format", fmt, "-o", str(target)).exit_code == 0
        assert clean(target.read_text(encoding="utf-8"))


def test_json_keeps_the_text_but_escapes_what_a_terminal_would_act_on(run, env):
    poison_database(env)
    result = run("decks", "--json")
    assert "\\u009b" in result.output and "\\u202e" in result.output
    # C0 controls are escaped by JSON itself; the data decodes to what is stored
    assert json.loads(result.output)[0]["name"] == HOSTILE


def test_json_text_escapes_c1_and_invisible_characters_losslessly():
    from drill.core.sanitize import json_text

    for text in ("\x85\x9b\x7f", "a\u200bb\u2028c\ufeff", "\u202e\u2066", "é 🙂 日本"):
        out = json_text({"t": text})
        assert json.loads(out) == {"t": text}
        assert all(not (0x7F <= ord(c) <= 0x9F) for c in out)
    assert json_text("é 🙂 日本") == '"é 🙂 日本"'


def test_terminal_text_keeps_ordinary_text():
    from drill.core.sanitize import terminal_text

    assert terminal_text("Ünïcödé, 日本語, عربي\u200f, tabs\tand\nlines") == (
        "Ünïcödé, 日本語, عربي\u200f, tabs\tand\nlines"
    )
    assert (
        terminal_text(HOSTILE)
        == "Before]52;c;ZWNobyBwd25lZA==]8;;https://evil.example\\link]8;;\\[2J31mafter"
    )


# -- --deck ---------------------------------------------------------------------------------------

DECK_COMMANDS = [
    ("next", "--deck"),
    ("review", "--deck"),
    ("stats", "--deck"),
    ("mock", "--deck"),
    ("optimize", "--deck"),
    ("config", "--deck"),
    ("export", "progress", "--deck"),
    ("export", "reviews", "--deck"),
    ("export", "answers", "--deck"),
    ("export", "stats", "--deck"),
    ("export", "deck"),
    ("decks", "remove"),
    ("decks", "add"),
]


@pytest.mark.parametrize("command", DECK_COMMANDS, ids=lambda c: "-".join(c))
@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("", "is empty"),
        ("   ", "is empty"),
        ("sample\u202e-deck", "U+202E RIGHT-TO-LEFT OVERRIDE"),
        ("sample\u200b-deck", "U+200B ZERO WIDTH SPACE"),
        ("sample\x1b[2J", "invisible or control character"),
    ],
    ids=["empty", "blank", "rlo", "zwsp", "escape"],
)
def test_every_deck_id_is_checked_in_one_place(run, env, command, value, message):
    result = run(*command, value)
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert clean(result.output)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("", "is empty"),
        ("   ", "is empty"),
        ("🙂", "has no letters or digits for an id"),
        ("Mine\u202e", "U+202E"),
        ("Mine\u200b", "U+200B"),
    ],
)
def test_import_deck_names_are_refused_as_the_markdown_format_refuses_them(
    run, env, tmp_path, value, message
):
    deck = tmp_path / "list.txt"
    deck.write_text("What is your greatest strength?\n", encoding="utf-8")
    before = run("decks", "--json").output
    result = run("import", "--format", "list", str(deck), "--deck", value)
    assert result.exit_code == 2 and message in result.output
    assert run("decks", "--json").output == before


def test_a_file_name_without_letters_does_not_become_the_deck_deck(run, tmp_path):
    for name in ("🙂.txt", "😀.txt"):
        path = tmp_path / name
        path.write_text("What is your greatest strength?\n", encoding="utf-8")
        result = run("import", "--format", "list", str(path))
        assert result.exit_code == 1
        assert "has no letters or digits for an id" in result.output
        assert "--deck NAME" in result.output
