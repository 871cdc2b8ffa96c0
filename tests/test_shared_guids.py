"""Notes that share a GUID are never merged: the first keeps the GUID, the others become
questions of their own, and a warning says so (docs/limits.md, shared GUIDs).
"""

from __future__ import annotations

import sqlite3

import pytest
from click.testing import CliRunner

from drill.cli.main import cli
from tests.test_anki_apkg import BASIC, build_collection, package

NOW_ENV = "2026-01-05T10:00:00+00:00"
T0 = 1_767_000_000_000


@pytest.fixture
def env(tmp_path):
    return {"DRILL_DB": str(tmp_path / "drill.db"), "DRILL_NOW": NOW_ENV, "DRILL_NO_BUNDLED": "1"}


@pytest.fixture
def run(env):
    runner = CliRunner()
    return lambda *args: runner.invoke(cli, list(args), env=env)


def query(env, sql):
    conn = sqlite3.connect(env["DRILL_DB"])
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def test_six_notes_with_one_guid_stay_six_questions_with_their_own_histories(run, env, tmp_path):
    notes = [(10 + i, "same-guid", BASIC, "", [f"Question {i}?", f"Answer {i}"]) for i in range(6)]
    cards = [(100 + i, 10 + i, 1, 0) for i in range(6)]
    revlog = [(T0 + 1000 * i, 100 + i, 3, 1000, 0) for i in range(6)]
    col = build_collection(tmp_path / "c.anki2", notes, cards, revlog)
    apkg = package(tmp_path / "shared.apkg", {"collection.anki2": col})

    result = run("import", str(apkg))
    assert result.exit_code == 0, result.output
    assert "6 notes share the GUID 'same-guid'" in result.output
    assert "only the first keeps the GUID" in result.output
    questions = query(env, "SELECT question FROM questions ORDER BY position")
    assert questions == [(f"Question {i}?",) for i in range(6)]
    per_card = query(
        env,
        "SELECT q.question, count(r.id) FROM cards c JOIN questions q "
        "ON q.deck_id = c.deck_id AND q.id = c.question_id "
        "LEFT JOIN reviews r ON r.card_id = c.id GROUP BY c.id ORDER BY q.position",
    )
    assert per_card == [(f"Question {i}?", 1) for i in range(6)]

    again = run("import", "--prune", str(apkg))
    assert again.exit_code == 0, again.output
    assert "removed" not in again.output
    assert query(env, "SELECT question FROM questions ORDER BY position") == questions
    assert query(env, "SELECT count(*) FROM reviews") == [(6,)]


def test_anki_text_rows_with_one_guid_are_not_merged(run, env, tmp_path):
    path = tmp_path / "cards.txt"
    path.write_text(
        "#separator:tab\n#guid column:1\n"
        "dup\tFirst question?\tone\n"
        "dup\tSecond question?\ttwo\n"
        "other\tThird question?\tthree\n"
        "dup\tFourth question?\tfour\n",
        encoding="utf-8",
    )
    result = run("import", str(path))
    assert result.exit_code == 0, result.output
    assert "rows on lines 3, 4, 6 share the GUID 'dup'" in result.output
    texts = [r[0] for r in query(env, "SELECT question FROM questions ORDER BY position")]
    assert texts == ["First question?", "Second question?", "Third question?", "Fourth question?"]
    again = run("import", "--prune", str(path))
    assert again.exit_code == 0 and "removed" not in again.output
    assert [r[0] for r in query(env, "SELECT question FROM questions ORDER BY position")] == texts
    approaches = query(env, "SELECT approach FROM questions ORDER BY position")
    assert approaches == [("one",), ("two",), ("three",), ("four",)]
