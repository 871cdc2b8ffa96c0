"""Every command through Click's CliRunner, as a script would use it."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from drill.cli.main import cli
from tests.helpers import SAMPLE_DECK

NOW_ENV = "2026-01-05T10:00:00+00:00"


@pytest.fixture
def env(tmp_path):
    return {"DRILL_DB": str(tmp_path / "drill.db"), "DRILL_NOW": NOW_ENV, "DRILL_NO_BUNDLED": "1"}


@pytest.fixture
def run(env):
    runner = CliRunner()

    def invoke(*args, input=None, extra_env=None):
        return runner.invoke(cli, list(args), env={**env, **(extra_env or {})}, input=input)

    return invoke


@pytest.fixture
def deck_file(tmp_path):
    path = tmp_path / "sample.md"
    path.write_text(SAMPLE_DECK, encoding="utf-8")
    return path


@pytest.fixture
def imported(run, deck_file):
    result = run("import", str(deck_file))
    assert result.exit_code == 0, result.output
    assert run("config", "fuzz", "off").exit_code == 0
    return run


def test_help_lists_commands(run):
    result = run("--help")
    assert result.exit_code == 0
    for name in ("import", "check", "next", "rate", "undo", "decks", "config", "export", "review"):
        assert name in result.output


def test_import_prints_one_line_per_deck(run, deck_file):
    result = run("import", str(deck_file))
    assert result.exit_code == 0
    assert result.output == "Sample deck: 3 added, 0 updated, 0 unchanged (5 cards)\n"
    again = run("import", str(deck_file), "--json")
    assert json.loads(again.output) == [
        {
            "deck": "sample-deck",
            "name": "Sample deck",
            "added": 0,
            "updated": 0,
            "unchanged": 3,
            "removed": 0,
            "cards": 5,
            # Which questions, by id (issue 18: --dry-run lists them).
            "added_questions": [],
            "updated_questions": [],
            "missing_questions": [],
            "reworded": [],
            "created": True,
            "elsewhere": [],
        }
    ]


def test_import_is_all_or_nothing_across_files(run, deck_file, tmp_path):
    bad = tmp_path / "bad.md"
    bad.write_text("# Bad\n\n## Q?\n\n### Whyy they ask\nx\n", encoding="utf-8")
    result = run("import", str(deck_file), str(bad))
    assert result.exit_code == 1
    assert (
        result.stderr.strip()
        == f"{bad}:5: unknown section 'Whyy they ask' (did you mean 'Why they ask'?)"
    )
    assert json.loads(run("decks", "--json").output) == []


def test_import_dry_run(run, deck_file):
    result = run("import", str(deck_file), "--dry-run")
    assert result.exit_code == 0
    assert "(dry run: nothing was written)" in result.output
    assert json.loads(run("decks", "--json").output) == []


def test_import_article_and_list_with_deck_name(run, tmp_path):
    article = tmp_path / "goals.txt"
    article.write_text(
        "Tough Interview Question - Where do you see yourself in five years?\n\n"
        "Why the interviewer is asking this question:\nThey want ambition.\n\n"
        "The best approach to answering this question:\nFocus on growth. Never mention leaving.\n",
        encoding="utf-8",
    )
    listing = tmp_path / "more.txt"
    listing.write_text("- Why this company?\n2. Why now?\n", encoding="utf-8")
    result = run("import", str(article), "--deck", "Articles")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Articles: 1 added")
    result = run("import", str(listing))
    assert result.output.startswith("more: 2 added")
    decks = {d["id"]: d for d in json.loads(run("decks", "--json").output)}
    assert decks["articles"]["cards"] == 3
    assert decks["more"]["questions"] == 2


def test_import_missing_file(run, tmp_path):
    result = run("import", str(tmp_path / "nope.md"))
    assert result.exit_code == 1
    assert result.stderr.strip() == f"{tmp_path / 'nope.md'}: no such file"


def test_check_reports_ok_and_errors(run, deck_file, tmp_path):
    result = run("check", str(deck_file))
    assert (result.exit_code, result.output) == (0, f"ok: {deck_file}: 3 questions\n")
    bad = tmp_path / "bad.md"
    bad.write_text("# D\n## \n", encoding="utf-8")
    result = run("check", str(deck_file), str(bad))
    assert result.exit_code == 1
    assert f"{bad}:2: empty question heading" in result.stderr


def test_decks_json_shape(imported):
    [deck] = json.loads(imported("decks", "--json").output)
    assert deck == {
        "id": "sample-deck",
        "name": "Sample deck",
        "questions": 3,
        "cards": 5,
        "new": 5,
        "learning": 0,
        "review": 0,
        "due": 0,
        "learning_today": 0,
        "review_today": 0,
        "new_today": 3,
        "suspended": 0,
        "interview": None,
        "paused": False,
    }


def test_next_rate_undo_cycle(imported):
    card = json.loads(imported("next", "--json").output)
    assert card == {
        "card_id": card["card_id"],
        "deck": "sample-deck",
        "question_id": "career-goals",
        "kind": "rehearse",
        "prompt": "What goals do you have in your career?",
        "state": "new",
        "due": None,
    }
    rated = json.loads(
        imported("rate", str(card["card_id"]), "good", "--duration-ms", "4200", "--json").output
    )
    # A rehearse card has no learning step: Good makes it a review card, due in two days.
    assert rated["state"] == "review"
    assert rated["due"] == "2026-01-07T10:00:00Z"
    # "leech" says whether this rating made the question a leech (issue 15).
    assert set(rated) == {
        "card_id",
        "rating",
        "state",
        "due",
        "stability",
        "difficulty",
        "leech",
    }
    assert rated["leech"] is False
    assert rated["rating"] == "good"
    nxt = json.loads(imported("next", "--json").output)
    assert nxt["question_id"] == "about-you"
    undone = imported("undo")
    assert undone.exit_code == 0 and "Undid Good" in undone.output
    assert json.loads(imported("next", "--json").output)["card_id"] == card["card_id"]
    result = imported("undo")
    assert (result.exit_code, result.stderr.strip()) == (1, "error: nothing to undo")


def test_rate_accepts_numbers_and_rejects_bad_ratings(imported):
    card = json.loads(imported("next", "--json").output)
    assert imported("rate", str(card["card_id"]), "4").exit_code == 0
    bad = imported("rate", str(card["card_id"]), "great")
    assert bad.exit_code == 2
    missing = imported("rate", "9999", "good")
    assert (missing.exit_code, missing.stderr.startswith("error: no card 9999")) == (1, True)


def test_next_when_nothing_is_due(imported):
    for _ in range(3):
        card = json.loads(imported("next", "--json").output)
        imported("rate", str(card["card_id"]), "easy")
    assert imported("next", "--json").output.strip() == "null"
    text = imported("next").output
    assert text.startswith("Nothing due now. Next card in")


def test_next_text_mode_and_unknown_deck(imported):
    result = imported("next")
    assert "What goals do you have in your career?" in result.output
    assert "drill rate" in result.output
    bad = imported("next", "--deck", "nope")
    assert bad.exit_code == 1
    assert bad.stderr.strip() == "error: no deck 'nope' (decks: sample-deck)"


def test_config_show_set_and_validate(imported):
    assert imported("config", "new_per_day", "3").exit_code == 0
    assert imported("config", "new_per_day").output == "new_per_day = 3\n"
    assert imported("config", "--deck", "sample-deck", "desired_retention", "0.85").exit_code == 0
    data = json.loads(imported("config", "--deck", "sample-deck", "--json").output)
    assert data["desired_retention"] == 0.85 and data["new_per_day"] == 3
    assert (data["rehearse_steps"], data["why_steps"], data["dos_steps"]) == ("none", "10m", "10m")
    # learning_steps sets every kind's steps at once, and shows them.
    assert imported("config", "learning_steps", "1m 10m").exit_code == 0
    assert imported("config", "learning_steps").output == (
        "rehearse_steps = 1m 10m\nwhy_steps = 1m 10m\ndos_steps = 1m 10m\n"
    )
    bad = imported("config", "desired_retention", "1.5")
    assert (bad.exit_code, bad.stderr.strip()) == (
        1,
        "error: desired_retention: 1.5 is outside 0.70-0.99",
    )
    assert (
        imported("config", "--deck", "sample-deck", "desired_retention", "--unset").exit_code == 0
    )
    data = json.loads(imported("config", "--deck", "sample-deck", "--json").output)
    assert data["desired_retention"] == 0.9


def test_export_progress_csv_and_json(imported, tmp_path):
    card = json.loads(imported("next", "--json").output)
    imported("rate", str(card["card_id"]), "good")
    out = tmp_path / "progress.csv"
    assert imported("export", "progress", "-o", str(out)).exit_code == 0
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert list(rows[0]) == [
        "deck",
        "question_id",
        "kind",
        "card_id",
        "state",
        "due",
        "stability",
        "difficulty",
        "retrievability",
        "reps",
        "lapses",
        "last_review",
        "suspended",
    ]
    assert len(rows) == 5
    assert (rows[0]["state"], rows[0]["reps"], rows[0]["due"]) == (
        "review",
        "1",
        "2026-01-07T10:00:00Z",
    )
    data = json.loads(imported("export", "progress", "--format", "json").output)
    assert data[1]["state"] == "new" and data[1]["due"] is None


def test_export_reviews(imported):
    card = json.loads(imported("next", "--json").output)
    imported("rate", str(card["card_id"]), "again", "--duration-ms", "1500")
    text = imported("export", "reviews").output
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows == [
        {
            "card_id": str(card["card_id"]),
            "review_time": "1767607200000",
            "review_rating": "1",
            "review_state": "0",
            "review_duration": "1500",
            "deck": "sample-deck",
            "question_id": "career-goals",
            "kind": "rehearse",
        }
    ]
    assert (
        json.loads(imported("export", "reviews", "--format", "json").output)[0]["review_rating"]
        == 1
    )


def test_export_deck_md_round_trips_through_import(imported, tmp_path):
    out = tmp_path / "exported.md"
    assert imported("export", "deck", "sample-deck", "-o", str(out)).exit_code == 0
    result = imported("import", str(out))
    assert result.output == "Sample deck: 0 added, 0 updated, 3 unchanged (5 cards)\n"
    as_json = json.loads(imported("export", "deck", "sample-deck", "--format", "json").output)
    assert as_json["deck"]["id"] == "sample-deck"
    js = tmp_path / "exported.json"
    js.write_text(json.dumps(as_json), encoding="utf-8")
    assert imported("import", str(js)).output.endswith("3 unchanged (5 cards)\n")


def test_decks_remove(imported):
    assert imported("decks", "remove", "sample-deck", input="n\n").exit_code == 1
    assert len(json.loads(imported("decks", "--json").output)) == 1
    result = imported("decks", "remove", "sample-deck", "--yes")
    assert result.exit_code == 0 and "Removed Sample deck" in result.output
    assert json.loads(imported("decks", "--json").output) == []


def test_bare_drill_prints_overview_when_not_a_terminal(imported):
    result = imported()
    assert result.exit_code == 0
    assert "Sample deck" in result.output
    assert "Due now: 3 new, 0 learning, 0 review." in result.output


def test_bundled_decks_are_installed_on_first_use(run):
    result = run("decks", "--json", extra_env={"DRILL_NO_BUNDLED": "0"})
    decks = json.loads(result.output)
    assert "career-and-goals" in {d["id"] for d in decks}
    # Removing a bundled deck sticks: it is not reinstalled on the next start.
    assert (
        run(
            "decks", "remove", "career-and-goals", "--yes", extra_env={"DRILL_NO_BUNDLED": "0"}
        ).exit_code
        == 0
    )
    again = json.loads(run("decks", "--json", extra_env={"DRILL_NO_BUNDLED": "0"}).output)
    assert "career-and-goals" not in {d["id"] for d in again}


def test_check_reads_a_folder_and_its_subfolders_but_not_hidden_ones(run, tmp_path):
    folder = tmp_path / "mine"
    (folder / "packs").mkdir(parents=True)
    (folder / ".git").mkdir()
    (folder / "b.md").write_text("# B\n## Q?\n", encoding="utf-8")
    (folder / "packs" / "a.md").write_text("# A\n## Q?\n", encoding="utf-8")
    (folder / ".git" / "x.md").write_text("not a deck", encoding="utf-8")
    (folder / "packs" / "bad.md").write_text("# C\n## Q?\ntype: story\n", encoding="utf-8")
    result = run("check", str(folder))
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        f"ok: {folder / 'b.md'}: 1 question",
        f"ok: {folder / 'packs' / 'a.md'}: 1 question",
    ]
    assert result.stderr == (
        f"{folder / 'packs' / 'bad.md'}:3: unknown type 'story' (use one of: behavioral, "
        "hypothetical, self-assessment, motivation, logistics, technical, ask-them)\n"
    )


def test_bad_drill_now(run):
    result = run("decks", extra_env={"DRILL_NOW": "yesterday"})
    assert result.exit_code == 1
    assert "DRILL_NOW: cannot read 'yesterday' as a time" in result.stderr


def test_not_a_drill_database_is_left_untouched(run, tmp_path):
    other = tmp_path / "other.db"
    import sqlite3

    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE notes (x)")
    conn.commit()
    conn.close()
    before = other.read_bytes()
    result = run("--db", str(other), "decks")
    assert result.exit_code == 1
    assert "not a drill database" in result.stderr
    assert other.read_bytes() == before
    text_file = tmp_path / "notes.txt"
    text_file.write_text("hello")
    result = run("--db", str(text_file), "decks")
    assert result.exit_code == 1 and "not an SQLite file" in result.stderr
    assert text_file.read_text() == "hello"


def test_output_never_carries_escape_sequences(run, tmp_path):
    evil = tmp_path / "evil.md"
    evil.write_text("# Evil\x1b]0;pwned\x07\n## Ring\x07 the bell?\n", encoding="utf-8")
    result = run("import", str(evil))
    assert result.exit_code == 0
    assert "\x1b" not in result.output and "\x07" not in result.output
    assert "removed control characters" in result.stderr
    shown = run("next")
    assert "\x07" not in shown.output and "Ring the bell?" in shown.output


def test_default_database_location_uses_platformdirs(monkeypatch):
    from drill.storage.paths import resolve_db_path

    monkeypatch.delenv("DRILL_DB", raising=False)
    path = resolve_db_path(None)
    assert path.name == "drill.db" and "drill" in str(path.parent)
    monkeypatch.setenv("DRILL_DB", "/tmp/x.db")
    assert resolve_db_path(None) == Path("/tmp/x.db")
    assert resolve_db_path("/tmp/y.db") == Path("/tmp/y.db")


def test_backup_writes_a_working_copy(imported, tmp_path, env):
    target = tmp_path / "copy.db"
    result = imported("backup", "-o", str(target))
    assert result.exit_code == 0 and str(target) in result.output
    copy = imported("--db", str(target), "decks", "--json")
    assert json.loads(copy.output)[0]["id"] == "sample-deck"
    auto = imported("backup")
    assert auto.exit_code == 0
    assert list((tmp_path / "backups").glob("drill-*-manual.db"))
    same = imported("backup", "-o", env["DRILL_DB"])
    assert same.exit_code == 1 and "must not overwrite" in same.stderr


def test_next_names_an_ask_them_card_for_what_it_is(run, tmp_path):
    deck = tmp_path / "ask.md"
    deck.write_text(
        "# Ask\n\n## The hiring manager asks: any questions for me?\nid: ask\ntype: ask-them\n\n"
        "### Why they ask\nYou learn what the job is. You show you thought about it.\n",
        encoding="utf-8",
    )
    assert run("import", str(deck)).exit_code == 0
    assert run("config", "card_kinds", "why").exit_code == 0
    result = run("next")
    assert "· Why you ask (new)" in result.output
    assert "Why ask at this moment, and what do you need to find out?" in result.output


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["rate", "99999999999999999999", "good"], "Invalid value for 'CARD_ID'"),
        (["frobnicate"], "No such command 'frobnicate'"),
        (["stats", "--days", "x"], "Invalid value for '--days'"),
    ],
)
def test_a_usage_error_is_one_line_with_where_the_help_is(tmp_path, args, says):
    # Issue 17: bad input is one line and exit 2, as every other error is one line.
    result = CliRunner().invoke(
        cli, args, env={"DRILL_DB": str(tmp_path / "d.db"), "DRILL_NO_BUNDLED": "1"}
    )
    assert result.exit_code == 2
    assert result.stderr.startswith("error: ") and says in result.stderr
    assert "--help)" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
