"""Opening the database: our files only, known schemas only, never modifying what we refuse."""

from __future__ import annotations

import sqlite3

import pytest

from drill.storage.db import open_database
from drill.storage.migrations import KNOWN
from drill.storage.sqlite import APPLICATION_ID, StorageError


def test_new_database_is_wal_with_foreign_keys_and_marked_ours(tmp_path):
    db = open_database(tmp_path / "sub" / "drill.db")
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert db.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    assert db.execute("PRAGMA user_version").fetchone()[0] == len(KNOWN)
    assert {"decks", "questions", "cards", "reviews", "answers", "settings"} <= set(table_names(db))
    db.close()
    again = open_database(tmp_path / "sub" / "drill.db")
    assert again.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID


def test_a_new_database_has_large_pages_and_an_old_one_keeps_its_own(tmp_path):
    """New databases are made with PAGE_SIZE pages (fewer pages to write in a bulk import);
    a database made before keeps its size: nothing rewrites a user's collection."""
    from drill.storage.db import PAGE_SIZE

    db = open_database(tmp_path / "new.db")
    assert db.execute("PRAGMA page_size").fetchone()[0] == PAGE_SIZE == 16384
    db.close()
    old = tmp_path / "old.db"
    conn = sqlite3.connect(old)
    conn.execute("PRAGMA page_size = 4096")
    conn.execute("VACUUM")
    conn.close()
    db = open_database(old)
    assert db.execute("PRAGMA page_size").fetchone()[0] == 4096
    assert db.execute("PRAGMA user_version").fetchone()[0] == len(KNOWN)
    db.close()


def test_newer_schema_is_refused_untouched(tmp_path):
    path = tmp_path / "drill.db"
    db = open_database(path)
    db.execute(
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) VALUES ('drill', 'm999_future', 'x')"
    )
    db.close()
    before = path.read_bytes()
    with pytest.raises(StorageError, match="written by a newer drill"):
        open_database(path)
    assert path.read_bytes() == before


def test_foreign_sqlite_file_is_refused_untouched(tmp_path):
    path = tmp_path / "anki.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE notes (id)")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(StorageError, match="not a drill database"):
        open_database(path)
    assert path.read_bytes() == before
    assert not (tmp_path / "anki.db-wal").exists()


def test_empty_file_becomes_a_database(tmp_path):
    path = tmp_path / "empty.db"
    path.touch()
    db = open_database(path)
    assert "cards" in table_names(db)


def test_directory_instead_of_a_file(tmp_path):
    with pytest.raises(StorageError, match="is a directory"):
        open_database(tmp_path)


def test_folder_that_cannot_be_created_gives_a_clear_error(tmp_path):
    blocker = tmp_path / "notes.txt"
    blocker.write_text("a file where the data folder should be")
    with pytest.raises(StorageError, match="cannot create the data directory"):
        open_database(blocker / "drill" / "drill.db")
    assert blocker.read_text() == "a file where the data folder should be"


def test_deleting_a_deck_cascades_to_everything(db):
    from drill.core.model import Rating
    from drill.library.importing import import_decks, remove_deck
    from drill.study.session import ReviewSession
    from tests.helpers import NOW, SAMPLE_DECK, parse

    import_decks(db, [parse(SAMPLE_DECK)], NOW)
    session = ReviewSession(db)
    session.rate(session.next_card(NOW).card_id, Rating.GOOD, NOW)
    assert remove_deck(db, "sample-deck", NOW) == (3, 1)
    for table in ("questions", "cards", "reviews", "answers"):
        assert db.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == 0


def test_a_database_before_the_question_bank_v2_gains_its_columns_and_keeps_everything(tmp_path):
    """m005 adds the v2 columns with empty defaults; old rows read back as before, and a
    v2 import then fills them without touching progress.
    """
    from sqlite_utils import Database
    from sqlite_utils.migrations import Migrations

    from drill.library.exports import load_deck
    from drill.library.importing import import_decks
    from drill.storage import migrations as schema
    from tests.helpers import NOW, parse

    path = tmp_path / "old.db"
    before_v2 = Migrations("drill")
    for name in schema.KNOWN[: schema.KNOWN.index("m005_question_bank_v2")]:
        before_v2()(getattr(schema, name))
    db = Database(sqlite3.connect(path, isolation_level=None))
    db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    before_v2.apply(db)
    db.execute("INSERT INTO decks (id, name, position, created_at) VALUES ('d', 'D', 0, 0)")
    db.execute("INSERT INTO questions (deck_id, id, position, question) VALUES ('d', 'q', 0, 'Q?')")
    db.execute(
        "INSERT INTO cards (deck_id, question_id, kind, new_order, state, reps) "
        "VALUES ('d', 'q', 'rehearse', 0, 2, 7)"
    )
    db.close()

    db = open_database(path)
    [question] = load_deck(db, "d").questions
    assert (question.type, question.length, question.follow_ups) == ("", None, [])
    import_decks(
        db, [parse("# D\n## Q?\nid: q\ntype: motivation\n\n### Follow-ups\n- And?\n")], NOW
    )
    [question] = load_deck(db, "d").questions
    assert (question.type, question.follow_ups) == ("motivation", ["And?"])
    assert db.execute("SELECT state, reps FROM cards").fetchall() == [(2, 7)]


def table_names(db):
    return [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]


def test_lists_are_stored_as_json_dumps_writes_them():
    """The direct join for plain string lists gives json.dumps' text byte for byte."""
    import json
    import random

    from drill.storage.repo import _list_json

    rng = random.Random(1)
    alphabet = ["a", " ", '"', "\\", "\n", "\x01", "é", "日", "\x7f", "\u2028", "/", "'", "\t"]
    for _ in range(5000):
        items = [
            "".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 6)))
            for _ in range(rng.randrange(0, 4))
        ]
        assert _list_json(items) == (json.dumps(items, ensure_ascii=False) if items else "[]")
    assert _list_json([{"label": "x", "text": 'a "b"'}]) == '[{"label": "x", "text": "a \\"b\\""}]'
    from drill.core.model import Example
    from drill.storage.repo import _examples_json

    for _ in range(3000):
        examples = [
            Example(
                *("".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 5))) for _ in "lt")
            )
            for _ in range(rng.randrange(0, 3))
        ]
        want = [{"label": e.label, "text": e.text} for e in examples]
        assert _examples_json(examples) == (json.dumps(want, ensure_ascii=False) if want else "[]")
