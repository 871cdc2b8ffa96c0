"""Numbers, dates, nesting and sizes at every edge: one line and a non-zero exit outside the
documented range (docs/limits.md), never a traceback, never a changed database.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from drill.cli.main import cli
from tests.helpers import SAMPLE_DECK
from tests.test_anki_apkg import BASIC, build_collection, package

NOW_ENV = "2026-01-05T10:00:00+00:00"
HEADER = "card_id,review_time,review_rating,review_state,review_duration,deck,question_id,kind"
GOOD_TIME = 1_767_600_000_000  # 2026-01-05T08:00:00Z


@pytest.fixture
def env(tmp_path):
    return {"DRILL_DB": str(tmp_path / "drill.db"), "DRILL_NOW": NOW_ENV, "DRILL_NO_BUNDLED": "1"}


@pytest.fixture
def run(env, tmp_path):
    runner = CliRunner()
    deck = tmp_path / "sample.md"
    deck.write_text(SAMPLE_DECK, encoding="utf-8")

    def invoke(*args, extra_env=None, input=None):
        return runner.invoke(cli, list(args), env={**env, **(extra_env or {})}, input=input)

    assert invoke("import", str(deck)).exit_code == 0
    assert invoke("rate", "1", "good").exit_code == 0
    return invoke


def snapshot(env) -> tuple:
    conn = sqlite3.connect(env["DRILL_DB"])
    try:
        return tuple(
            tuple(conn.execute(sql).fetchall())
            for sql in (
                "SELECT * FROM reviews ORDER BY id",
                "SELECT * FROM cards ORDER BY id",
                "SELECT * FROM questions ORDER BY deck_id, id",
                "SELECT * FROM settings ORDER BY key",
            )
        )
    finally:
        conn.close()


def refused(result, *needles: str, code: int = 1) -> None:
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    for needle in needles:
        assert needle in result.output, result.output


# -- review history files -------------------------------------------------------------------------

BIG = "9" * 5000


@pytest.mark.parametrize(
    ("time", "duration", "card", "message"),
    [
        ("100000000000000000", "1000", "1", "is after 2099"),  # 1e17 ms
        ("99999999999999999999", "1000", "1", "out of range"),  # beyond int64
        ("0001-01-01T00:00:00Z", "1000", "1", "before 2000"),
        ("0001-01-01T00:00:00+05:00", "1000", "1", "cannot read review_time"),
        ("9999-12-31T23:59:59Z", "1000", "1", "after 2099"),
        (BIG, "1000", "1", "out of range"),
        (str(GOOD_TIME), BIG, "1", "review_duration"),
        (str(GOOD_TIME), "99999999999999999999", "1", "review_duration"),
        (str(GOOD_TIME), "1000", BIG, "card_id"),
        (str(GOOD_TIME), "-5", "1", "negative"),
    ],
)
def test_history_csv_numbers_out_of_range(run, env, tmp_path, time, duration, card, message):
    before = snapshot(env)
    path = tmp_path / "history.csv"
    path.write_text(
        f"{HEADER}\n{card},{time},3,2,{duration},sample-deck,career-goals,rehearse\n",
        encoding="utf-8",
    )
    result = run("import", str(path))
    refused(result, message)
    assert len(result.output) < 400
    assert snapshot(env) == before


@pytest.mark.parametrize(
    "row",
    [
        {"review_time": 10**17},
        {"review_time": 2**64},
        {"review_time": int("9" * 4000)},
        {"review_duration": 2**70},
        {"review_rating": int("9" * 4000)},
        {"card_id": -(2**70)},
        {"review_time": 1e17},
        {"review_duration": 1e300},
    ],
)
def test_history_json_numbers_out_of_range(run, env, tmp_path, row):
    before = snapshot(env)
    review = {
        "card_id": 1,
        "review_time": GOOD_TIME,
        "review_rating": 3,
        "review_state": 2,
        "review_duration": 1000,
        "deck": "sample-deck",
        "question_id": "career-goals",
        "kind": "rehearse",
        **row,
    }
    path = tmp_path / "history.json"
    path.write_text(json.dumps([review]), encoding="utf-8")
    refused(run("import", str(path)))
    assert snapshot(env) == before


def test_history_json_with_a_number_python_will_not_read(run, env, tmp_path):
    before = snapshot(env)
    path = tmp_path / "history.json"
    path.write_text(
        '[{"review_time": ' + "9" * 5000 + ', "review_rating": 3, "deck": "d", '
        '"question_id": "q", "kind": "rehearse"}]',
        encoding="utf-8",
    )
    refused(run("import", "--format", "reviews", str(path)), "too many digits")
    assert snapshot(env) == before


def test_history_json_nested_100k_deep(run, env, tmp_path):
    before = snapshot(env)
    path = tmp_path / "history.json"
    path.write_text("[" + '{"a": [' * 100_000, encoding="utf-8")
    refused(run("import", "--format", "reviews", str(path)), "nested too deeply")
    refused(run("import", str(path)))  # detection reads the head without failing
    assert snapshot(env) == before


def test_deck_json_nested_100k_deep(run, tmp_path):
    path = tmp_path / "deck.json"
    path.write_text("[" * 100_000, encoding="utf-8")
    refused(run("import", str(path)), "nested too deeply")


def test_deck_json_of_a_million_empty_lists_is_refused_before_it_is_built(run, tmp_path):
    """'[],' is 3 bytes in the file and a 56-byte list in memory: counted, not parsed."""
    from drill.io.json_deck import MAX_CONTAINERS

    path = tmp_path / "bomb.json"
    path.write_text(
        '{"deck": {"id": "b", "name": "B"}, "questions": [' + "[]," * MAX_CONTAINERS + "[]]}"
    )
    refused(run("import", str(path)), "more than 1,000,000 lists and objects")


@pytest.mark.parametrize(
    ("name", "fmt", "write"),
    [
        ("many.md", "md", lambda n: "# Many\n\n" + "".join(f"## Q{i}?\n" for i in range(n))),
        ("many.txt", "list", lambda n: "".join(f"Q{i}?\n" for i in range(n))),
        ("many.txt", "anki-txt", lambda n: "".join(f"Q{i}?\tA\n" for i in range(n))),
        (
            "many.json",
            "json",
            lambda n: (
                '{"deck": {"id": "m", "name": "M"}, "questions": ['
                + ",".join(f'{{"question": "Q{i}?"}}' for i in range(n))
                + "]}"
            ),
        ),
    ],
    ids=["md", "list", "anki-txt", "json"],
)
def test_a_deck_file_of_more_than_100000_questions_is_refused_before_it_is_built(
    run, env, tmp_path, name, fmt, write
):
    """'## Q?' is 6 bytes in a file and some 1 KB as a question: counted, not built."""
    from drill.core.limits import MAX_QUESTIONS

    before = snapshot(env)
    path = tmp_path / name
    path.write_text(write(MAX_QUESTIONS + 1), encoding="utf-8")
    refused(run("import", "--format", fmt, str(path)), "more than 100,000 questions in one file")
    assert snapshot(env) == before


def test_an_anki_package_of_more_than_100000_notes_is_refused_before_they_are_read(
    run, env, tmp_path
):
    from drill.core.limits import MAX_QUESTIONS

    before = snapshot(env)
    path = _apkg(tmp_path)
    conn = sqlite3.connect(tmp_path / "c.anki2")
    conn.execute(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?) "
        "INSERT INTO notes SELECT 1000 + i, 'g' || i, mid, mod, usn, tags, flds, sfld, csum, "
        "flags, data FROM n, (SELECT * FROM notes LIMIT 1)",
        [MAX_QUESTIONS],
    )
    conn.commit()
    conn.close()
    package(path, {"collection.anki2": tmp_path / "c.anki2"})
    refused(run("import", str(path)), "more than 100,000 notes in one file")
    assert snapshot(env) == before


def test_reviews_in_one_file_are_bounded(run, env, tmp_path, monkeypatch):
    """A review costs some 1 KB by the time it is merged: a history file or package of more
    than 2,000,000 is refused while it is read (the cap lowered here to 3 to test the
    mechanism without writing 134 MB)."""
    from drill.core import limits
    from drill.io import reviews_csv
    from drill.io.anki import package as apkg

    assert limits.MAX_REVIEWS == 2_000_000  # the documented figure
    monkeypatch.setattr(reviews_csv, "MAX_REVIEWS", 3)
    monkeypatch.setattr(apkg, "MAX_REVIEWS", 3)
    monkeypatch.setattr(limits, "MAX_REVIEWS", 3)
    before = snapshot(env)
    rows = "".join(
        f"1,{GOOD_TIME + i * 60_000},3,2,1000,sample-deck,career-goals,rehearse\n" for i in range(4)
    )
    history = tmp_path / "history.csv"
    history.write_text(f"{HEADER}\n{rows}", encoding="utf-8")
    refused(run("import", str(history)), "more than 3 reviews in one file; split it")
    history.write_text(f"{HEADER}\n" + "".join(rows.splitlines(True)[:3]), encoding="utf-8")
    assert run("import", "--dry-run", str(history)).exit_code == 0
    pkg = _apkg(tmp_path, revlog=[(GOOD_TIME + i, 100, 3, 1000, 1) for i in range(4)])
    refused(run("import", str(pkg)), "more than 3 reviews in one file; export only")
    assert snapshot(env) == before


def test_a_review_longer_than_an_hour_counts_as_an_hour(run, env, tmp_path):
    path = tmp_path / "history.csv"
    path.write_text(
        f"{HEADER}\n1,{GOOD_TIME},3,2,{10**15},sample-deck,career-goals,why\n", encoding="utf-8"
    )
    result = run("import", str(path))
    assert result.exit_code == 0, result.output
    conn = sqlite3.connect(env["DRILL_DB"])
    durations = [r[0] for r in conn.execute("SELECT duration_ms FROM reviews")]
    conn.close()
    assert max(d for d in durations if d is not None) == 3_600_000
    stats = run("stats", "--json")
    assert stats.exit_code == 0, stats.output


def test_stats_survive_absurd_durations_from_an_old_database(run, env):
    conn = sqlite3.connect(env["DRILL_DB"])
    conn.execute(f"UPDATE reviews SET duration_ms = {2**62}")
    conn.execute(
        "INSERT INTO reviews (card_id, deck_id, review_time, rating, review_state, duration_ms) "
        f"SELECT card_id, deck_id, review_time + 1, rating, review_state, {2**62} FROM reviews"
    )
    conn.commit()
    conn.close()
    for args in (("stats",), ("stats", "--json"), ("export", "stats", "--format", "md")):
        result = run(*args)
        assert result.exit_code == 0, result.output
        assert "overflow" not in result.output


# -- options and settings -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (("rate", "99999999999999999999", "good"), "CARD_ID"),
        (("rate", "0", "good"), "CARD_ID"),
        (("rate", "1", "good", "--duration-ms", "1e20"), "--duration-ms"),
        (("rate", "1", "good", "--duration-ms", "99999999999999999999999"), "--duration-ms"),
        (("rate", "1", "good", "--duration-ms", "3600001"), "--duration-ms"),
    ],
)
def test_rate_refuses_numbers_out_of_range(run, env, args, needle):
    before = snapshot(env)
    refused(run(*args), needle, code=2)
    assert snapshot(env) == before


@pytest.mark.parametrize(
    ("key", "value", "needle"),
    [
        ("learning_steps", "99999999999d", "longer than 365 days"),
        ("relearning_steps", "1" * 5000 + "m", "longer than 365 days"),
        ("learning_steps", " ".join(["1m"] * 21), "more than 20 steps"),
        ("interview_date", "9999-12-31", "outside 2000-01-01 to 2099-12-31"),
        ("interview_date", "0001-01-01", "outside"),
        ("new_per_day", "9" * 5000, "not a whole number"),
        ("maximum_interval", "99999999999999999999", "not a whole number"),
        ("fsrs_parameters", ",".join(["nan"] * 21), "finite"),
        ("desired_retention", "inf", "outside"),
    ],
)
def test_settings_out_of_range_are_refused(run, env, key, value, needle):
    before = snapshot(env)
    result = run("config", key, value)
    refused(result, needle)
    assert len(result.output) < 300
    assert snapshot(env) == before


def test_the_widest_settings_still_rate_and_list(run):
    for key, value in (
        ("learning_steps", "365d"),
        ("interview_date", "2099-12-31"),
        ("maximum_interval", "36500"),
    ):
        assert run("config", key, value).exit_code == 0
    for args in (
        ("decks",),
        ("rate", "2", "good"),
        ("next",),
        ("stats",),
        ("optimize", "--retention", "--json"),  # simulates a year, not 74
        (),
    ):
        result = run(*args, extra_env={"DRILL_NOW": "2099-12-30T10:00:00+00:00"})
        assert result.exit_code == 0, (args, result.output)


@pytest.mark.parametrize(
    "value",
    ["0001-01-01T00:00:00Z", "9999-12-31T23:00:00Z", "0001-01-01T00:00:00+05:00", "1999-12-31"],
)
def test_drill_now_outside_the_range(run, value):
    for args in (("decks",), ("next",), ("stats",)):
        refused(run(*args, extra_env={"DRILL_NOW": value}), "DRILL_NOW")


# -- Anki files -----------------------------------------------------------------------------------


def _apkg(tmp_path: Path, revlog=(), notes=None, extra_sql: str = "") -> Path:
    notes = notes or [(10, "g1", BASIC, "", ["Why this job?", "Because"])]
    col = build_collection(
        tmp_path / "c.anki2", notes, [(100 + i, n[0], 1, 0) for i, n in enumerate(notes)], revlog
    )
    if extra_sql:
        conn = sqlite3.connect(col)
        conn.executescript(extra_sql)
        conn.close()
    return package(tmp_path / "deck.apkg", {"collection.anki2": col})


@pytest.mark.parametrize(
    "review_id", [10**17, 2**63 - 1, -5, 1_000_000_000], ids=["1e17", "int64", "neg", "secs"]
)
def test_apkg_revlog_ids_out_of_range_are_skipped(run, env, tmp_path, review_id):
    path = _apkg(tmp_path, revlog=[(review_id, 100, 3, 1000, 1), (GOOD_TIME, 100, 3, 1000, 1)])
    result = run("import", str(path))
    assert result.exit_code == 0, result.output
    assert "skipped 1 review with an impossible time" in result.output
    conn = sqlite3.connect(env["DRILL_DB"])
    times = [
        r[0] for r in conn.execute("SELECT review_time FROM reviews WHERE deck_id = 'default'")
    ]
    conn.close()
    assert times == [GOOD_TIME]


def test_apkg_revlog_time_1e300_counts_as_an_hour(run, env, tmp_path):
    path = _apkg(tmp_path)
    conn = sqlite3.connect(tmp_path / "c.anki2")
    conn.execute("INSERT INTO revlog VALUES (?, 100, -1, 3, 0, 0, 0, 1e300, 1)", [GOOD_TIME])
    conn.execute("INSERT INTO revlog VALUES (?, 100, -1, 3, 0, 0, 0, 'NaN', 1)", [GOOD_TIME + 1])
    conn.commit()
    conn.close()
    package(path, {"collection.anki2": tmp_path / "c.anki2"})
    result = run("import", str(path))
    assert result.exit_code == 0, result.output
    conn = sqlite3.connect(env["DRILL_DB"])
    durations = [
        r[0] for r in conn.execute("SELECT duration_ms FROM reviews WHERE deck_id='default'")
    ]
    conn.close()
    assert durations == [3_600_000, None]
    assert run("stats").exit_code == 0


def test_apkg_col_models_100k_deep(run, env, tmp_path):
    before = snapshot(env)
    path = _apkg(tmp_path)
    conn = sqlite3.connect(tmp_path / "c.anki2")
    conn.execute("UPDATE col SET models = ?", ['{"1": ' * 100_000 + "1" + "}" * 100_000])
    conn.commit()
    conn.close()
    package(path, {"collection.anki2": tmp_path / "c.anki2"})
    refused(run("import", str(path)), "nested too deeply")
    assert snapshot(env) == before


def test_apkg_col_models_larger_than_16_mib_are_refused_unparsed(run, env, tmp_path):
    """JSON parsed whole costs some 25 times its size ('[],' is a list per 3 bytes), and a
    4 KB zip unpacks to hundreds of MiB of it: note types past 16 MiB are refused by size."""
    import json

    from drill.io.anki.package import MAX_SCHEMA_JSON

    before = snapshot(env)
    path = _apkg(tmp_path)
    conn = sqlite3.connect(tmp_path / "c.anki2")
    models = json.loads(conn.execute("SELECT models FROM col").fetchone()[0])
    for model in models.values():
        model["css"] = "x" * MAX_SCHEMA_JSON  # still a sound collection, just too large
    conn.execute("UPDATE col SET models = ?", [json.dumps(models)])
    conn.commit()
    conn.close()
    package(path, {"collection.anki2": tmp_path / "c.anki2"})
    assert path.stat().st_size < 200_000
    refused(run("import", str(path)), "note types (col.models) take")
    assert snapshot(env) == before


def test_apkg_field_of_50000_nested_divs(run, tmp_path):
    notes = [(10, "g1", BASIC, "", ["Why?" + "<div>" * 50_000 + "deep" + "</div>" * 50_000, "x"])]
    result = run("import", str(_apkg(tmp_path, notes=notes)))
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize(
    ("sql", "needle"),
    [
        (
            "ALTER TABLE notes RENAME TO notes_old; CREATE TABLE notes (id integer primary key, "
            "guid text, mid integer, mod integer, usn integer, tags text, "
            "flds text GENERATED ALWAYS AS (printf('%.*c', 2000000000, 'x')) VIRTUAL, "
            "sfld integer, csum integer, flags integer, data text); "
            "INSERT INTO notes (id, guid, mid, mod, usn, tags, sfld, csum, flags, data) "
            "SELECT id, guid, mid, mod, usn, tags, sfld, csum, flags, data FROM notes_old;",
            "generated column",
        ),
        ("CREATE TRIGGER t AFTER INSERT ON notes BEGIN SELECT 1; END;", "trigger"),
        ("CREATE VIEW v AS SELECT * FROM notes;", "view"),
    ],
    ids=["generated", "trigger", "view"],
)
def test_apkg_schema_objects_anki_never_makes_are_refused(run, env, tmp_path, sql, needle):
    before = snapshot(env)
    refused(run("import", str(_apkg(tmp_path, extra_sql=sql))), needle, "refused")
    assert snapshot(env) == before


def test_apkg_note_over_a_mebibyte_is_skipped(run, tmp_path):
    notes = [
        (10, "g1", BASIC, "", ["Why this job?", "Because"]),
        (11, "g2", BASIC, "", ["Huge?", "x" * (1024 * 1024 + 1)]),
    ]
    result = run("import", str(_apkg(tmp_path, notes=notes)))
    assert result.exit_code == 0, result.output
    assert "skipped 1 note larger than 1 MiB" in result.output
    assert "1 added" in result.output


@pytest.mark.parametrize(
    "header",
    ["#guid column:999999999", "#deck column:50000000", "#tags column:" + "9" * 5000],
)
def test_anki_text_headers_cannot_ask_for_gigabytes(run, env, tmp_path, header):
    before = snapshot(env)
    path = tmp_path / "cards.txt"
    path.write_text(f"#separator:tab\n{header}\nfront\tback\n", encoding="utf-8")
    result = run("import", str(path))
    refused(result, "must be a column number from 1 to 256")
    assert len(result.output) < 300
    assert snapshot(env) == before


def test_anki_text_rows_wider_than_256_fields(run, tmp_path):
    path = tmp_path / "cards.csv"
    path.write_text("front,back\n" + "," * 10_000 + "\n", encoding="utf-8")
    refused(run("import", "--format", "anki-txt", str(path)), "more than 256 fields")


def test_anki_text_field_over_the_cap_is_a_bad_row(run, tmp_path):
    path = tmp_path / "cards.txt"
    path.write_text(f"#separator:tab\nfront\t{'x' * 100_001}\n", encoding="utf-8")
    refused(run("import", str(path)), "longer than 100,000 characters")


def test_history_csv_line_longer_than_a_mebibyte(run, env, tmp_path):
    before = snapshot(env)
    path = tmp_path / "history.csv"
    path.write_text(f"{HEADER}\n" + "," * (1024 * 1024 + 10) + "\n", encoding="utf-8")
    refused(run("import", str(path)), "a line longer than 1,048,576 characters")
    assert snapshot(env) == before


def test_apkg_listing_too_many_files_is_refused_before_reading_them(
    run, env, tmp_path, monkeypatch
):
    from drill.io.anki import package as apkg

    monkeypatch.setattr(apkg, "MAX_ENTRIES", 10)
    path = _apkg(tmp_path)
    import zipfile

    with zipfile.ZipFile(path, "a") as archive:
        for i in range(20):
            archive.writestr(f"{i}", b"")
    refused(run("import", str(path)), "lists 21 files (more than 10)")


@pytest.mark.parametrize(
    "args",
    [
        ("next", "--job", "99999999999999999999"),
        ("review", "--job", "99999999999999999999"),
        ("mock", "--job", "99999999999999999999"),
        ("export", "stats", "--job", "99999999999999999999"),
        ("job", "show", "99999999999999999999"),
        ("job", "remove", "0"),
    ],
)
def test_job_ids_out_of_range(run, args):
    refused(run(*args), "is not in the range 1<=x<=9223372036854775807", code=2)


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01"])
def test_a_job_interview_date_out_of_range(run, env, tmp_path, day):
    posting = tmp_path / "posting.txt"
    posting.write_text(
        "Data analyst\n\nRequirements:\n- Write SQL for reporting.\n- Present to stakeholders.\n",
        encoding="utf-8",
    )
    before = snapshot(env)
    refused(run("job", "add", str(posting), "--interview", day), "outside", code=2)
    assert snapshot(env) == before
