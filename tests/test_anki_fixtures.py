"""Packages and text files produced by Anki itself (read in place; skipped when absent)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from drill.cli.main import cli
from drill.errors import DeckError
from drill.io.registry import detect, read_file
from drill.library.importing import import_files
from tests.helpers import NOW

FIXTURES = Path(__file__).resolve().parents[2] / "shared" / "fixtures" / "anki"

pytestmark = pytest.mark.skipif(not FIXTURES.is_dir(), reason="shared Anki fixtures not present")


def fixture(name: str) -> Path:
    path = FIXTURES / name
    if not path.exists():
        pytest.skip(f"{name} not present")
    return path


def questions(db):
    return db.execute(
        "SELECT deck_id, id, question, approach, import_key FROM questions ORDER BY deck_id, id"
    ).fetchall()


def test_update_packages(db):
    first = read_file(fixture("update1.apkg"))
    assert first.warnings == [] and first.history == []
    import_files(db, [first], NOW)
    assert questions(db) == [("default", "hello", "hello", "world", "cU1%zNUzk1")]
    report = import_files(db, [read_file(fixture("update2.apkg"))], NOW)
    assert (report.decks[0].added, report.decks[0].updated) == (0, 1)
    assert questions(db) == [("default", "hello", "goodbye", "world", "cU1%zNUzk1")]


def test_media_package_writes_nothing(db, tmp_path, monkeypatch):
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setattr("tempfile.tempdir", str(scratch))
    work = tmp_path / "cwd"
    work.mkdir()
    monkeypatch.chdir(work)
    path = fixture("media.apkg")
    loaded = read_file(path)
    assert [str(w) for w in loaded.warnings] == [
        f"{path}: dropped 1 sound (drill shows text only; media is not imported); "
        "1 question without text now read '(sound)'"
    ]
    import_files(db, [loaded], NOW)
    assert questions(db) == [("default", "sound", "(sound)", "", "L;*}1M{l6|")]
    assert list(scratch.iterdir()) == [] and list(work.iterdir()) == []
    assert not list(tmp_path.rglob("foo.wav"))


@pytest.mark.parametrize("name", ["diffmodeltemplates-1.apkg", "diffmodeltemplates-2.apkg"])
def test_custom_note_type(db, name):
    loaded = read_file(fixture(name))
    assert [(d.id, d.name) for d in loaded.decks] == [("testdeck", "testdeck")]
    (q,) = loaded.decks[0].questions
    assert (q.id, q.question, q.approach, q.import_key) == (
        "question",
        "question?",
        "answer!",
        "CjMTh;(#|6",
    )
    import_files(db, [loaded], NOW)
    assert len(questions(db)) == 1


def test_both_custom_note_type_versions_are_one_question(db):
    for name in ("diffmodeltemplates-1.apkg", "diffmodeltemplates-2.apkg"):
        import_files(db, [read_file(fixture(name))], NOW)
    assert len(questions(db)) == 1


def test_two_field_text_mirrors_anki(tmp_path):
    path = fixture("text-2fields.txt")
    assert detect(path, path.read_bytes()).name == "anki-txt"
    # Anki refuses the row with too many fields, the one with too few and the empty front.
    with pytest.raises(DeckError) as caught:
        read_file(path)
    assert [str(p) for p in caught.value.problems] == [
        f"{path}:7: too many fields: 3, expected 2",
        f"{path}:8: too few fields: 1, expected 2",
        f"{path}:10: empty question (the first field) "
        "(fix these rows, or import the others with --skip-bad-rows)",
    ]
    # With --skip-bad-rows: the five notes Anki imports; the duplicate is skipped as Anki does,
    # the empty back is fine, the comment line is ignored, non-ASCII text is kept.
    loaded = read_file(path, options={"skip_bad_rows": True})
    got = [(q.question, q.approach) for q in loaded.decks[0].questions]
    assert got == [
        ("食べる", "to eat"),
        ("飲む", "to drink"),
        ("テスト", "test"),
        ("to eat", "食べる"),
        ("遊ぶ", ""),
    ]
    assert [str(w) for w in loaded.warnings] == [
        f"{path}:6: same question as line 3; skipped (as Anki does)",
        f"{path}:7: skipped row: too many fields: 3, expected 2",
        f"{path}:8: skipped row: too few fields: 1, expected 2",
        f"{path}:10: skipped row: empty question (the first field)",
    ]
    ids = [q.id for q in loaded.decks[0].questions]
    assert len(set(ids)) == 5 and "to-eat" in ids


def test_tags_text():
    loaded = read_file(fixture("text-tags.txt"))
    got = [(q.question, q.approach, q.tags) for q in loaded.decks[0].questions]
    assert got == [("foo", "bar", ["baz", "qux"]), ("foo2", "bar2", ["baz2"])]


def test_update_text(db, tmp_path):
    earlier = tmp_path / "earlier.txt"
    earlier.write_text("1\toriginal\n2\tkept\n", encoding="utf-8")
    import_files(db, [read_file(earlier, deck_name="Numbers")], NOW)
    report = import_files(db, [read_file(fixture("text-update.txt"), deck_name="Numbers")], NOW)
    assert (report.decks[0].added, report.decks[0].updated) == (0, 1)
    rows = [(r[1], r[3]) for r in questions(db)]
    assert rows == [("1", "x"), ("2", "kept")]


def test_cli_imports_every_fixture(tmp_path):
    env = {
        "DRILL_DB": str(tmp_path / "drill.db"),
        "DRILL_NOW": "2026-01-05T10:00:00+00:00",
        "DRILL_NO_BUNDLED": "1",
    }
    runner = CliRunner()
    names = ["update1.apkg", "diffmodeltemplates-1.apkg", "text-tags.txt", "text-update.txt"]
    result = runner.invoke(cli, ["import", *(str(fixture(n)) for n in names), "--json"], env=env)
    assert result.exit_code == 0, result.output
    added = {d["deck"]: d["added"] for d in json.loads(result.stdout)}
    assert added == {"default": 1, "testdeck": 1, "text-tags": 2, "text-update": 1}
    media = runner.invoke(cli, ["import", str(fixture("media.apkg"))], env=env)
    assert media.exit_code == 0 and media.stderr.count("warning: ") == 1
    bad = runner.invoke(cli, ["import", str(fixture("text-2fields.txt"))], env=env)
    assert bad.exit_code == 1 and bad.stderr.count("\n") == 3
