"""Backups: automatic and rotating (five kept), before migrations, prunes and history merges;
`drill restore` checks the file, backs up the current database and restores into it live.
"""

from __future__ import annotations

import sqlite3
from datetime import timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from drill.cli.main import cli
from drill.storage import migrations as schema
from drill.storage.backup import KEEP, automatic_backup, automatic_backups, backup_dir
from drill.storage.db import open_database
from drill.storage.sqlite import APPLICATION_ID, StorageError
from tests.helpers import NOW, SAMPLE_DECK

NOW_ENV = "2026-01-05T10:00:00+00:00"


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "drill.db"


@pytest.fixture
def run(db_path: Path):
    runner = CliRunner()
    env = {"DRILL_DB": str(db_path), "DRILL_NOW": NOW_ENV, "DRILL_NO_BUNDLED": "1"}

    def invoke(*args: str, input: str | None = None, now: str | None = None):
        extra = {"DRILL_NOW": now} if now else {}
        return runner.invoke(cli, list(args), env={**env, **extra}, input=input)

    return invoke


@pytest.fixture
def studied(run, tmp_path: Path):
    """A collection with the sample deck and one rating."""
    deck = tmp_path / "sample.md"
    deck.write_text(SAMPLE_DECK, encoding="utf-8")
    assert run("import", str(deck)).exit_code == 0
    assert run("config", "fuzz", "off").exit_code == 0
    result = run("rate", "1", "good")
    assert result.exit_code == 0, result.output
    return run


def rows(path: Path, sql: str) -> list[tuple]:
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def reviews_in(path: Path) -> list[tuple]:
    return rows(path, "SELECT card_id, review_time, rating FROM reviews ORDER BY id")


def applied_migrations(path: Path) -> list[str]:
    return [r[0] for r in rows(path, "SELECT name FROM _sqlite_migrations ORDER BY id")]


def files_in(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir()} if folder.exists() else set()


# -- rotation ---------------------------------------------------------------------------------


def test_rotation_keeps_exactly_the_newest_five(db_path: Path) -> None:
    db = open_database(db_path)
    made = [automatic_backup(db, db_path, "prune", NOW + timedelta(minutes=i)) for i in range(8)]
    kept = automatic_backups(db_path)
    assert len(kept) == KEEP == 5
    assert kept == made[-5:]
    assert all(not path.exists() for path in made[:3])


def test_backups_at_the_same_instant_do_not_replace_each_other(db_path: Path) -> None:
    db = open_database(db_path)
    first = automatic_backup(db, db_path, "prune", NOW)
    db.execute("INSERT INTO settings (key, value) VALUES ('marker', 'changed')")
    second = automatic_backup(db, db_path, "prune", NOW)
    assert first != second and first.exists() and second.exists()
    assert rows(first, "SELECT value FROM settings WHERE key = 'marker'") == []
    assert rows(second, "SELECT value FROM settings WHERE key = 'marker'") == [("changed",)]
    for _ in range(6):
        automatic_backup(db, db_path, "prune", NOW)
    assert len(automatic_backups(db_path)) == KEEP


def test_a_backup_dated_before_the_others_is_still_kept(db_path: Path) -> None:
    db = open_database(db_path)
    for day in range(1, 6):
        automatic_backup(db, db_path, "merge", NOW + timedelta(days=day))
    older = automatic_backup(db, db_path, "prune", NOW)  # e.g. DRILL_NOW set in the past
    assert older.exists()
    assert len(automatic_backups(db_path)) == KEEP


def test_rotation_leaves_other_files_and_other_databases_backups_alone(db_path: Path) -> None:
    folder = backup_dir(db_path)
    folder.mkdir(parents=True)
    others = ["drill-old-20200101T000000000000Z-manual.db", "notes.txt", "drill.db.partial"]
    for name in others:
        (folder / name).write_text("not ours to delete")
    db = open_database(db_path)
    for i in range(7):
        automatic_backup(db, db_path, "remove", NOW + timedelta(seconds=i))
    assert set(others) <= files_in(folder)
    assert len(automatic_backups(db_path)) == KEEP


def test_drill_backup_keeps_every_manual_backup(studied, db_path: Path) -> None:
    from drill.storage.backup import manual_backups

    # Manual backups were rotated with the automatic ones, so five automatic backups could
    # delete the copy a user made on purpose. Rotation now never touches them.
    for day in range(1, 8):
        result = studied("backup", now=f"2026-02-{day:02d}T09:00:00+00:00")
        assert result.exit_code == 0, result.output
    names = sorted(files_in(backup_dir(db_path)))
    assert len(names) == 7
    assert names[0].startswith("drill-20260201T090000")
    assert names[-1].startswith("drill-20260207T090000")
    for name in names:
        assert reviews_in(backup_dir(db_path) / name) == reviews_in(db_path)
    assert len(manual_backups(db_path)) == 7 and automatic_backups(db_path) == []


def test_rotation_never_deletes_a_manual_backup(db_path: Path) -> None:
    from drill.storage.backup import manual_backups

    db = open_database(db_path)
    mine = automatic_backup(db, db_path, "manual", NOW - timedelta(days=30))
    for i in range(KEEP + 3):
        automatic_backup(db, db_path, "prune", NOW + timedelta(minutes=i))
    assert mine.exists()
    assert manual_backups(db_path) == [mine]
    assert len(automatic_backups(db_path)) == KEEP


def test_a_failed_change_keeps_every_older_backup(db_path: Path) -> None:
    from drill.storage.backup import backup_before

    db = open_database(db_path)
    older = [automatic_backup(db, db_path, "prune", NOW + timedelta(minutes=i)) for i in range(5)]
    for attempt in range(5):
        with pytest.raises(RuntimeError), backup_before(db, db_path, "merge", NOW):
            raise RuntimeError(f"attempt {attempt} rejected")
    assert automatic_backups(db_path) == older
    with backup_before(db, db_path, "merge", NOW + timedelta(hours=1)) as made:
        db.execute("INSERT INTO settings (key, value) VALUES ('changed', '1')")
    assert made is not None and made.exists()
    assert automatic_backups(db_path) == [*older[1:], made]


# -- automatic backups before risky changes -----------------------------------------------------


def first_release_database(path: Path) -> None:
    """A database as the first drill wrote it (only the first migration), holding data."""
    first = Migrations("drill")
    first()(schema.m001_initial)
    path.parent.mkdir(parents=True, exist_ok=True)
    db = Database(sqlite3.connect(path, isolation_level=None))
    db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    db.execute("PRAGMA journal_mode = WAL")
    first.apply(db)
    db.execute(
        "INSERT INTO decks (id, name, position, created_at) VALUES ('old', 'Old deck', 0, 0)"
    )
    db.close()


@pytest.mark.skipif(len(schema.KNOWN) < 2, reason="needs a second migration")
def test_migrating_a_database_with_data_backs_it_up_first(db_path: Path) -> None:
    first_release_database(db_path)
    db = open_database(db_path, now=NOW)
    assert schema.migrations.applied(db) == schema.KNOWN
    backups = automatic_backups(db_path)
    assert [p.name for p in backups] == ["drill-20260105T100000000000Z-migrate.db"]
    # The backup is the database as it was: old schema, same data.
    assert applied_migrations(backups[0]) == schema.KNOWN[:1]
    assert rows(backups[0], "SELECT name FROM decks") == [("Old deck",)]
    db.close()
    open_database(db_path, now=NOW + timedelta(days=1)).close()
    assert len(automatic_backups(db_path)) == 1, "an up-to-date database is not backed up"


def test_new_and_empty_databases_are_not_backed_up(db_path: Path) -> None:
    open_database(db_path, now=NOW).close()
    open_database(db_path, now=NOW).close()
    assert automatic_backups(db_path) == []


@pytest.mark.skipif(len(schema.KNOWN) < 2, reason="needs a second migration")
def test_no_migration_without_a_backup(db_path: Path) -> None:
    first_release_database(db_path)
    backup_dir(db_path).write_text("a file where the backups folder should be")
    before = db_path.read_bytes()
    with pytest.raises(StorageError, match=r"backup failed.*was not upgraded"):
        open_database(db_path, now=NOW)
    assert db_path.read_bytes() == before
    assert applied_migrations(db_path) == schema.KNOWN[:1]


def test_prune_import_backs_up_the_questions_it_removes(studied, db_path: Path, tmp_path) -> None:
    smaller = tmp_path / "smaller.md"
    smaller.write_text(SAMPLE_DECK.split("## Tell me about yourself.")[0], encoding="utf-8")
    result = studied("import", "--prune", str(smaller))
    assert result.exit_code == 0, result.output
    assert "2 removed" in result.output
    [backup] = automatic_backups(db_path)
    assert backup.name.endswith("-prune.db")
    assert rows(backup, "SELECT count(*) FROM questions") == [(3,)]
    assert rows(db_path, "SELECT count(*) FROM questions") == [(1,)]


def test_history_merge_backs_up_first(studied, db_path: Path, tmp_path) -> None:
    exported = tmp_path / "reviews.csv"
    assert studied("export", "reviews", "-o", str(exported)).exit_code == 0
    assert studied("undo").exit_code == 0
    result = studied("import", str(exported))
    assert result.exit_code == 0, result.output
    [backup] = automatic_backups(db_path)
    assert backup.name.endswith("-merge.db")
    assert reviews_in(backup) == []
    assert len(reviews_in(db_path)) == 1


def test_a_backup_taken_after_a_history_import_restores(studied, db_path, tmp_path) -> None:
    """A replayed review keeps no state before it (NULL card_before): the restore's value
    check must take that as drill's own, not as a damaged backup (SQLite before 3.45 says
    json_valid(NULL) is 0)."""
    exported = tmp_path / "reviews.csv"
    assert studied("export", "reviews", "-o", str(exported)).exit_code == 0
    assert studied("undo").exit_code == 0
    assert studied("import", str(exported)).exit_code == 0
    assert rows(db_path, "SELECT card_before IS NULL FROM reviews") == [(1,)]
    kept = tmp_path / "after-history.db"
    assert studied("backup", "-o", str(kept)).exit_code == 0
    result = studied("restore", str(kept), "--yes")
    assert result.exit_code == 0, result.output
    assert len(reviews_in(db_path)) == 1


def test_a_history_import_that_adds_nothing_keeps_no_backup(studied, db_path, tmp_path) -> None:
    """Importing the same history again changes nothing, so it must not rotate a good backup
    away for a copy of the unchanged database."""
    exported = tmp_path / "reviews.csv"
    assert studied("export", "reviews", "-o", str(exported)).exit_code == 0
    good = [automatic_backup(open_database(db_path), db_path, "prune", NOW) for _ in range(KEEP)]
    for _ in range(3):
        result = studied("import", str(exported))
        assert result.exit_code == 0, result.output
        assert "0 reviews added, 1 already present" in result.output
    assert automatic_backups(db_path) == good


# -- drill restore ----------------------------------------------------------------------------


@pytest.fixture
def saved(studied, tmp_path: Path) -> Path:
    """A `drill backup -o` copy taken after the first rating."""
    path = tmp_path / "saved.db"
    assert studied("backup", "-o", str(path)).exit_code == 0
    return path


def test_restore_brings_back_the_backup_and_saves_the_current_database(
    studied, saved: Path, db_path: Path
) -> None:
    assert studied("rate", "2", "easy").exit_code == 0
    assert studied("rate", "1", "again", now="2026-01-05T10:20:00+00:00").exit_code == 0
    current = reviews_in(db_path)
    assert len(current) == 3
    result = studied("restore", str(saved), "--yes")
    assert result.exit_code == 0, result.output
    assert "Restored" in result.output and "1 review" in result.output
    assert reviews_in(db_path) == reviews_in(saved)
    assert rows(db_path, "SELECT reps FROM cards WHERE id = 1") == [(1,)]
    assert rows(db_path, "SELECT reps FROM cards WHERE id = 2") == [(0,)]
    [previous] = automatic_backups(db_path)
    assert previous.name.endswith("-restore.db")
    assert str(previous) in result.output
    assert reviews_in(previous) == current
    # Still a sound WAL database that drill opens and studies from.
    assert rows(db_path, "PRAGMA journal_mode") == [("wal",)]
    assert rows(db_path, "PRAGMA integrity_check") == [("ok",)]
    assert studied("rate", "2", "good").exit_code == 0


def test_restore_asks_first_and_no_changes_nothing(studied, saved: Path, db_path: Path) -> None:
    assert studied("rate", "2", "easy").exit_code == 0
    before = reviews_in(db_path)
    result = studied("restore", str(saved), input="n\n")
    assert result.exit_code == 1
    assert "Replace" in result.stderr and "2 reviews" in result.stderr
    assert reviews_in(db_path) == before
    assert automatic_backups(db_path) == []
    result = studied("restore", str(saved), input="y\n")
    assert result.exit_code == 0, result.output
    assert reviews_in(db_path) == reviews_in(saved)


def test_restore_is_seen_by_a_program_that_has_the_database_open(
    studied, saved: Path, db_path: Path
) -> None:
    """The copy goes through the live database (backup API), not around it by copying files."""
    assert studied("rate", "2", "easy").exit_code == 0
    other = open_database(db_path)  # e.g. the review app, running in another terminal
    assert other.execute("SELECT count(*) FROM reviews").fetchone()[0] == 2
    assert studied("restore", str(saved), "--yes").exit_code == 0
    assert other.execute("SELECT count(*) FROM reviews").fetchone()[0] == 1
    assert other.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    other.close()


def test_restoring_a_backup_from_an_older_drill_upgrades_it(studied, db_path, tmp_path) -> None:
    old = tmp_path / "old.db"
    first_release_database(old)
    result = studied("restore", str(old), "--yes")
    assert result.exit_code == 0, result.output
    assert rows(db_path, "SELECT name FROM decks") == [("Old deck",)]
    assert applied_migrations(db_path) == schema.KNOWN


def test_restore_into_a_new_location(run, saved: Path, tmp_path: Path) -> None:
    fresh = tmp_path / "elsewhere" / "drill.db"
    result = CliRunner().invoke(
        cli,
        ["--db", str(fresh), "restore", str(saved), "--yes"],
        env={"DRILL_NOW": NOW_ENV, "DRILL_NO_BUNDLED": "1"},
    )
    assert result.exit_code == 0, result.output
    assert reviews_in(fresh) == reviews_in(saved)
    assert automatic_backups(fresh) == [], "an empty database needs no backup"


def foreign(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, flds TEXT)")
    conn.execute("INSERT INTO notes (flds) VALUES ('hello')")
    conn.commit()
    conn.close()


def newer(path: Path) -> None:
    db = open_database(path)
    db.execute(
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
        "VALUES ('drill', 'm999_future', 'x')"
    )
    db.close()


def damaged(path: Path) -> None:
    db = open_database(path)
    db.execute("CREATE TABLE filler (x)")
    db.conn.executemany("INSERT INTO filler VALUES (?)", [("x" * 500,)] * 200)
    db.close()
    data = bytearray(path.read_bytes())
    data[4096 * 3 : 4096 * 3 + 200] = b"\xff" * 200  # scribble over a b-tree page
    path.write_bytes(bytes(data))


def ours_without_tables(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.execute("CREATE TABLE something (x)")
    conn.commit()
    conn.close()


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (foreign, "not a drill database (it belongs to another program)"),
        (newer, "written by a newer drill"),
        (damaged, "damaged"),
        (ours_without_tables, "not a drill database (it has no drill tables)"),
        (lambda p: p.write_text("# A deck\n"), "not a drill database (not an SQLite file)"),
        (lambda p: p.write_bytes(b""), "not a drill database (not an SQLite file)"),
        (lambda p: None, "no such file"),
        (lambda p: p.mkdir(), "is a directory"),
    ],
    ids=["foreign", "newer", "damaged", "no-tables", "text", "empty", "missing", "directory"],
)
def test_restore_refuses_anything_but_a_sound_drill_database(
    studied, db_path: Path, tmp_path: Path, make, message: str
) -> None:
    candidate = tmp_path / "candidate.db"
    make(candidate)
    snapshot = candidate.read_bytes() if candidate.is_file() else None
    neighbours = files_in(tmp_path)
    before = db_path.read_bytes(), reviews_in(db_path)
    result = studied("restore", str(candidate), "--yes")
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1 and message in result.stderr, result.stderr
    assert "Traceback" not in result.output
    # Everything untouched: the candidate, its folder (no -wal, -shm), the database.
    if snapshot is not None:
        assert candidate.read_bytes() == snapshot
    assert files_in(tmp_path) == neighbours
    assert (db_path.read_bytes(), reviews_in(db_path)) == before
    assert automatic_backups(db_path) == []


def test_restore_refuses_the_database_itself(studied, db_path: Path) -> None:
    result = studied("restore", str(db_path), "--yes")
    assert result.exit_code == 1
    assert "is the database itself" in result.stderr
    assert automatic_backups(db_path) == []


def test_restore_reads_a_copied_live_database_with_its_wal(studied, db_path, tmp_path) -> None:
    """A copy of drill.db taken with its -wal file includes the changes still in the WAL."""
    holder = sqlite3.connect(db_path)  # keeps the WAL from being checkpointed away
    holder.execute("SELECT count(*) FROM reviews").fetchone()
    assert studied("rate", "2", "easy").exit_code == 0
    copy = tmp_path / "copy.db"
    copy.write_bytes(db_path.read_bytes())
    wal = Path(str(db_path) + "-wal")
    assert wal.stat().st_size > 0
    Path(str(copy) + "-wal").write_bytes(wal.read_bytes())
    holder.close()
    assert studied("undo").exit_code == 0
    result = studied("restore", str(copy), "--yes")
    assert result.exit_code == 0, result.output
    assert len(reviews_in(db_path)) == 2


def test_restore_is_listed_in_help(run) -> None:
    result = run("--help")
    assert "restore" in result.output
    result = run("restore", "--help")
    assert result.exit_code == 0 and "--yes" in result.output


# -- issue 17: restore accepts only drill's own schema; failures never cost a backup -------------


def _drill_copy(source: Path, target: Path, *statements: str) -> Path:
    """A copy of the drill database `source` with some SQL run on it (as an attacker would)."""
    conn = sqlite3.connect(source)
    dest = sqlite3.connect(target)
    conn.backup(dest)
    conn.close()
    for sql in statements:
        dest.execute(sql)
    dest.commit()
    dest.close()
    return target


@pytest.mark.parametrize(
    ("statement", "kind"),
    [
        (
            "CREATE TRIGGER wipe AFTER INSERT ON reviews BEGIN "
            "UPDATE questions SET question = 'pwned'; DELETE FROM answers; END",
            "trigger",
        ),
        ("CREATE VIEW v AS SELECT * FROM cards", "view"),
        ("CREATE INDEX extra ON cards(lapses)", "index"),
        ("CREATE TABLE stash (x)", "table"),
    ],
    ids=["trigger", "view", "index", "table"],
)
def test_restore_refuses_schema_objects_drill_never_creates(
    studied, db_path: Path, tmp_path: Path, statement: str, kind: str
) -> None:
    hostile = _drill_copy(db_path, tmp_path / "hostile.db", statement)
    before = reviews_in(db_path), rows(db_path, "SELECT question FROM questions")
    result = studied("restore", str(hostile), "--yes")
    assert result.exit_code == 1
    assert f"refused: it holds a {kind} drill never creates" in result.stderr
    assert result.stderr.count("\n") == 1
    assert (reviews_in(db_path), rows(db_path, "SELECT question FROM questions")) == before
    assert automatic_backups(db_path) == [], "a refused restore makes no backup"
    # and the next rating still leaves the questions alone
    assert studied("rate", "2", "good").exit_code == 0
    assert ("pwned",) not in rows(db_path, "SELECT question FROM questions")


def test_restore_refuses_a_changed_table(studied, db_path: Path, tmp_path: Path) -> None:
    # A table of drill's name but another definition (a generated column that calls code).
    conn = sqlite3.connect(db_path)
    conn.backup(dest := sqlite3.connect(tmp_path / "changed.db"))
    conn.close()
    dest.executescript(
        "DROP TABLE answers; CREATE TABLE answers (id INTEGER PRIMARY KEY, deck_id TEXT, "
        "question_id TEXT, text TEXT, created_at INTEGER, source TEXT, duration_ms INTEGER, "
        "big TEXT GENERATED ALWAYS AS (zeroblob(1000000000)) VIRTUAL);"
        "CREATE INDEX answers_question ON answers(deck_id, question_id, created_at);"
    )
    dest.close()
    result = studied("restore", str(tmp_path / "changed.db"), "--yes")
    assert result.exit_code == 1
    assert "drill never creates" in result.stderr or "missing or changed" in result.stderr


@pytest.mark.parametrize("page_size", [1024, 65536])
def test_restore_of_another_page_size_works(studied, db_path, tmp_path, page_size) -> None:
    saved = tmp_path / "saved.db"
    assert studied("backup", "-o", str(saved)).exit_code == 0
    rebuilt = tmp_path / f"page-{page_size}.db"
    conn = sqlite3.connect(saved, isolation_level=None)
    conn.execute(f"VACUUM INTO '{rebuilt}'")
    conn.close()
    conn = sqlite3.connect(rebuilt, isolation_level=None)
    conn.execute(f"PRAGMA page_size = {page_size}")
    conn.execute("VACUUM")
    assert conn.execute("PRAGMA page_size").fetchone()[0] == page_size
    conn.close()
    assert studied("rate", "2", "good").exit_code == 0  # differ from the backup
    result = studied("restore", str(rebuilt), "--yes")
    assert result.exit_code == 0, result.output
    assert "read-only" not in result.output
    assert reviews_in(db_path) == reviews_in(saved)
    assert len(automatic_backups(db_path)) == 1


def test_failed_restores_never_rotate_backups_away(studied, db_path, tmp_path) -> None:
    from drill.storage.backup import manual_backups

    made = []
    for day in range(1, 6):
        result = studied("backup", now=f"2026-02-{day:02d}T09:00:00+00:00")
        assert result.exit_code == 0
        made.append(sorted(manual_backups(db_path))[-1])
    good = [automatic_backup(open_database(db_path), db_path, "prune", NOW) for _ in range(5)]
    hostile = _drill_copy(db_path, tmp_path / "hostile.db", "CREATE VIEW v AS SELECT 1")
    for _ in range(5):
        assert studied("restore", str(hostile), "--yes").exit_code == 1
    assert manual_backups(db_path) == made
    assert automatic_backups(db_path) == good


def test_rejected_history_imports_never_rotate_backups_away(studied, db_path, tmp_path) -> None:
    good = [automatic_backup(open_database(db_path), db_path, "prune", NOW) for _ in range(5)]
    history = tmp_path / "history.csv"
    history.write_text(
        "card_id,review_time,review_rating,review_state,review_duration,deck,question_id,kind\n"
        "1,1767607200000,3,2,1000,no-such-deck,q,rehearse\n",
        encoding="utf-8",
    )
    for _ in range(5):
        result = studied("import", str(history))
        assert result.exit_code == 1 and "no card no-such-deck/q/rehearse" in result.stderr
    assert automatic_backups(db_path) == good


def test_a_deleted_wal_is_noticed_before_the_next_write(db_path: Path) -> None:
    from drill.storage import repo
    from drill.storage.sqlite import WalReplaced, write_transaction

    db = open_database(db_path)
    with write_transaction(db):
        repo.set_setting(db, "a", "1")
    wal = db_path.with_name(db_path.name + "-wal")
    assert wal.exists()
    wal.unlink()  # another program "cleans up"
    replaced = pytest.raises(WalReplaced, match="write-ahead log was deleted or replaced")
    with replaced, write_transaction(db):
        repo.set_setting(db, "a", "2")
    db.close()


def test_a_replaced_wal_is_noticed_through_the_cli(studied, db_path: Path) -> None:
    from drill.storage import repo
    from drill.storage.sqlite import write_transaction

    holder = open_database(db_path)  # a review app left open
    with write_transaction(holder):
        repo.set_setting(holder, "held", "1")
    wal = db_path.with_name(db_path.name + "-wal")
    data = wal.read_bytes()
    wal.unlink()
    wal.write_bytes(data)  # a copy: another file
    with pytest.raises(StorageError, match="write-ahead log"), write_transaction(holder):
        repo.set_setting(holder, "held", "2")
    holder.close()


def test_a_database_whose_migrations_ran_out_of_number_order_backs_up_and_restores(tmp_path):
    """A database made before m006 landed (m008 already applied) gets m006 last: its
    backups are still drill's, and restore accepts them.
    """
    from drill.storage.backup import open_backup

    path = tmp_path / "early.db"
    early = Database(path)
    schema.migrations.apply(early, only=frozenset(schema.KNOWN) - {"m006_scale_indexes"})
    early.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    early.conn.commit()
    early.close()
    db = open_database(path, now=NOW)  # applies m006, after m008
    applied = schema.migrations.applied(db)
    assert applied[-1] == "m006_scale_indexes" and sorted(applied) == sorted(schema.KNOWN)
    target = tmp_path / "copy.db"
    from drill.storage.backup import backup_to

    backup_to(db, target)
    db.close()
    open_backup(target).close()  # raised "not a drill database" when order was checked
    env = {"DRILL_DB": str(tmp_path / "other.db"), "DRILL_NO_BUNDLED": "1"}
    result = CliRunner().invoke(cli, ["restore", str(target), "--yes"], env=env)
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize(
    ("statement", "found"),
    [
        ("UPDATE questions SET tags = '[\"a\"' ", "questions.tags is not a JSON list of texts"),
        ("UPDATE questions SET variants = '[1, 2]'", "questions.variants is not a JSON list"),
        ("UPDATE questions SET examples = '[\"x\"]'", "questions.examples is not a JSON list"),
        ("UPDATE questions SET question = x'00ff'", "questions.question holds a value that is"),
        ("UPDATE reviews SET rating = 9", "reviews.rating holds a value drill never writes"),
        ("UPDATE reviews SET rating = 0", "reviews.rating holds a value drill never writes"),
        ("UPDATE reviews SET review_state = 2.5", "reviews.review_state holds a value that is"),
        ("UPDATE questions SET tips = '[\"a\", []]'", "questions.tips is not a JSON list"),
        ("UPDATE reviews SET card_before = '{'", "reviews.card_before is not a JSON object"),
        (
            "UPDATE cards SET kind = 'poem' WHERE id = 1",
            "cards.kind holds a value drill never writes",
        ),
        ("UPDATE cards SET due = 'soon' WHERE id = 1", "cards.due holds a value that is not"),
        ("UPDATE cards SET due = 9223372036854775807", "cards.due holds a time no calendar has"),
        ("UPDATE decks SET config = '[1]'", "decks.config is not a JSON object"),
        (
            "INSERT INTO jobs (title, interview, posting, size, created_at, updated_at) "
            "VALUES ('t', '2026-99-99', 'p', 20, 0, 0)",
            "jobs.interview is not a date from 2000-01-01 to 2099-12-31",
        ),
        (
            "INSERT INTO answers (deck_id, question_id, text, created_at, source) "
            "SELECT deck_id, id, 'hi', 0, 'cli' || char(27) || ']52;c;eA==' FROM questions",
            "answers.source holds a value drill never writes",
        ),
        (
            "INSERT INTO settings (key, value) VALUES ('config', '{not json') "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            "the setting 'config' is not a JSON object",
        ),
    ],
    ids=[
        "tags",
        "variants",
        "examples",
        "blob",
        "rating",
        "rating-0",
        "state-real",
        "tips-nested",
        "card_before",
        "kind",
        "due",
        "due-int64",
        "deck-config",
        "job-interview",
        "answer-source",
        "settings",
    ],
)
def test_restore_refuses_values_drill_never_writes(
    studied, db_path: Path, tmp_path: Path, statement: str, found: str
) -> None:
    """A backup laid out by drill but holding values drill never writes would pass the
    schema check and then fail the first command that reads them, with the collection
    already replaced: it is refused before anything changes."""
    # (as a program that ignores CHECK constraints would write it)
    damaged = _drill_copy(
        db_path, tmp_path / "damaged.db", "PRAGMA ignore_check_constraints = ON", statement
    )
    before = db_path.read_bytes(), reviews_in(db_path)
    result = studied("restore", str(damaged), "--yes")
    assert result.exit_code == 1
    assert f"the backup is damaged ({found}" in result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.output
    assert (db_path.read_bytes(), reviews_in(db_path)) == before
    assert automatic_backups(db_path) == []


def test_a_database_damaged_by_hand_is_one_line_not_a_traceback(studied, db_path) -> None:
    """Outside restore (a file edited by hand): damaged settings read as the defaults, so
    studying goes on and `drill config` repairs them; a damaged question is named in one line."""

    def damage(*statements: str) -> None:
        conn = sqlite3.connect(db_path)
        for sql in statements:
            conn.execute(sql)
        conn.commit()
        conn.close()

    upsert = (
        "INSERT INTO settings (key, value) VALUES (?, ?) "
        "ON CONFLICT(key) DO UPDATE SET value = excluded.value"
    )
    damage(
        upsert.replace("?, ?", "'config', '{not json'"),
        upsert.replace("?, ?", "'bundled_removed', '{'"),
    )
    for args in (("next",), ("config",), ("decks",), ("rate", "2", "good")):
        result = studied(*args)
        assert result.exit_code == 0, (args, result.output)
    assert studied("config", "new_per_day", "3").exit_code == 0
    assert "new_per_day = 3" in studied("config").output

    damage("UPDATE cards SET due = 9223372036854775807 WHERE id = 2")
    for args in (("rate", "2", "good"), ("export", "progress")):
        result = studied(*args)
        assert result.exit_code == 1, (args, result.output)
        assert result.stderr.startswith("error: the database is damaged: a stored time (")
        assert result.stderr.count("\n") == 1
    damage("UPDATE cards SET due = NULL WHERE id = 2")

    damage("UPDATE questions SET tags = '[\"unclosed'")
    for args in (("export", "deck", "sample-deck"), ("next",)):
        result = studied(*args)
        assert result.exit_code == 1
        assert result.stderr.startswith("error: the database is damaged: question '")
        assert result.stderr.count("\n") == 1
    assert studied("decks", "remove", "sample-deck", "--yes").exit_code == 0


def test_the_answer_sources_restore_accepts_are_the_ones_drill_writes() -> None:
    from drill.storage.stored_values import _ONE_OF
    from drill.study.answers import SOURCES

    assert _ONE_OF["answers"]["source"] == SOURCES
