"""Consistent copies of the database through SQLite's online backup API, and restoring them."""

from __future__ import annotations

import re
import sqlite3
import sys
import tempfile
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from drill.errors import DeckError
from drill.files import open_input, output_path, protected_files
from drill.storage.migrations import KNOWN, expected_schema, migrate, schema_objects
from drill.storage.sqlite import (
    APPLICATION_ID,
    SQLITE_MAGIC,
    Database,
    StorageError,
    describe_error,
    holds_data,
)
from drill.storage.stored_values import unsound_value

KEEP = 5
_STAMP = "%Y%m%dT%H%M%S%fZ"
# <stem>-<stamp>[.<n>]-<reason>.db: n tells apart backups made at the same instant (a fixed
# DRILL_NOW), so one never replaces another.
_NAME = re.compile(r"-(?P<stamp>\d{8}T\d{12}Z)(?:\.(?P<n>\d+))?-(?P<reason>[a-z]+)\.db")


def backup_to(db: Database, target: Path) -> Path:
    """Write a consistent copy of `db` to `target` (never the live database or its -wal).

    The copy is written beside the target and renamed over it when complete (drill.files),
    so a failed backup leaves any older file at `target` as it was.
    """
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with output_path(target, protect=protected_files(database_path(db))) as tmp:
            dest = sqlite3.connect(str(tmp))
            try:
                db.conn.backup(dest)
            finally:
                dest.close()
    except (OSError, sqlite3.Error) as exc:
        reason = describe_error(exc) if isinstance(exc, sqlite3.Error) else exc.strerror or exc
        raise StorageError(f"{target}: backup failed: {reason}") from None
    return target


def backup_dir(db_path: Path) -> Path:
    return db_path.parent / "backups"


MANUAL = "manual"


def _sort_key(path: Path, stem: str) -> tuple[str, int, str] | None:
    if not path.name.startswith(stem + "-"):
        return None
    match = _NAME.fullmatch(path.name, len(stem))
    if match is None:
        return None
    return match["stamp"], int(match["n"] or 1), match["reason"]


def _backups(db_path: Path) -> list[tuple[Path, str]]:
    """This database's backups in its backups folder, oldest first, with their reasons."""
    folder = backup_dir(db_path)
    if not folder.is_dir():
        return []
    keyed = []
    for path in folder.iterdir():
        key = _sort_key(path, db_path.stem)
        if key is not None:
            keyed.append((key, path))
    return [(path, key[2]) for key, path in sorted(keyed)]


def automatic_backups(db_path: Path) -> list[Path]:
    """This database's automatic backups (made before a risky change), oldest first.

    Manual backups (`drill backup`) are not among them: rotation never deletes those.
    """
    return [path for path, reason in _backups(db_path) if reason != MANUAL]


def manual_backups(db_path: Path) -> list[Path]:
    """The backups `drill backup` made, oldest first; drill never deletes them."""
    return [path for path, reason in _backups(db_path) if reason == MANUAL]


def make_backup(db: Database, db_path: Path, reason: str, now: datetime) -> Path:
    """A new backup in the backups folder, named after `now` and `reason`; none is deleted."""
    folder = backup_dir(db_path)
    stamp = now.strftime(_STAMP)
    target = folder / f"{db_path.stem}-{stamp}-{reason}.db"
    number = 1
    while target.exists():
        number += 1
        target = folder / f"{db_path.stem}-{stamp}.{number}-{reason}.db"
    return backup_to(db, target)


def rotate(db_path: Path, keep: Path) -> None:
    """Delete the oldest automatic backups so that KEEP remain, `keep` among them.

    `keep` (the backup just made) stays even when `now` (DRILL_NOW) is older than the
    others. Manual backups are never deleted.
    """
    others = [path for path in automatic_backups(db_path) if path != keep]
    for old in others[: max(0, len(others) - (KEEP - 1))]:
        old.unlink(missing_ok=True)


def automatic_backup(db: Database, db_path: Path | None, reason: str, now: datetime) -> Path | None:
    """Back up now, keeping the newest KEEP automatic backups (a manual one is just kept).

    In-memory databases (tests) have nothing to protect and return None. Before a change
    that can fail, use `backup_before`, which rotates only once the change succeeded.
    """
    if db_path is None:
        return None
    target = make_backup(db, db_path, reason, now)
    if reason != MANUAL:
        rotate(db_path, target)
    return target


@contextmanager
def backup_before(
    db: Database,
    db_path: Path | None,
    reason: str,
    now: datetime,
    *,
    only_if_written: bool = False,
) -> Iterator[Path | None]:
    """Back up, then run the block: the change it makes is what the backup protects against.

    Only when the block succeeds are old automatic backups rotated away. When it fails, the
    database is unchanged (every change is one transaction), so the new backup is deleted
    again and the old ones stay: five failed attempts never cost five good backups.

    `only_if_written`: for a block whose writes are all row changes (a history merge), a run
    that changed no row (every review present already) keeps no backup either: a copy of an
    unchanged database must not rotate a different one away. (Not for restores, which write
    through the backup API, nor migrations, whose DDL changes no row.)
    """
    if db_path is None:
        yield None
        return
    target = make_backup(db, db_path, reason, now)
    changes = db.conn.total_changes
    try:
        yield target
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    if only_if_written and db.conn.total_changes == changes:
        target.unlink(missing_ok=True)
        return
    rotate(db_path, target)


def database_path(db: Database) -> Path | None:
    """The file behind `db`, or None for an in-memory database."""
    row = db.execute("PRAGMA database_list").fetchone()
    return Path(row[2]) if row and row[2] else None


# -- restoring ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Contents:
    """What a drill database holds, to show before replacing one with another."""

    decks: int
    questions: int
    reviews: int
    last_review: int | None  # ms since the epoch, UTC
    jobs: int = 0

    def summary(self) -> str:
        def plural(count: int, word: str) -> str:
            return f"{count} {word}" + ("" if count == 1 else "s")

        parts = [
            plural(self.decks, "deck"),
            plural(self.questions, "question"),
            plural(self.reviews, "review"),
        ]
        if self.jobs:
            parts.append(plural(self.jobs, "job"))
        return ", ".join(parts)


def contents(db: Database | sqlite3.Connection) -> Contents:
    conn = db.conn if isinstance(db, Database) else db

    def one(sql: str) -> int | None:
        value = conn.execute(sql).fetchone()[0]
        return None if value is None else int(value)

    has_jobs = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'jobs'"
    ).fetchone()
    return Contents(
        one("SELECT count(*) FROM decks") or 0,
        one("SELECT count(*) FROM questions") or 0,
        one("SELECT count(*) FROM reviews") or 0,
        one("SELECT max(review_time) FROM reviews"),
        (one("SELECT count(*) FROM jobs") or 0) if has_jobs else 0,
    )


def open_backup(path: Path) -> sqlite3.Connection:
    """Open a backup file read-only after checking it is a sound drill database.

    Refuses (StorageError) anything else: a missing file, another program's database, a
    newer schema, a damaged file. The file is never written, and no -wal or -shm file is
    left next to it.
    """
    try:
        # A regular file only: restoring a FIFO would wait forever for a writer.
        with open_input(path, limit=sys.maxsize) as handle:
            header = handle.read(100)
    except DeckError as exc:
        raise StorageError(str(exc)) from None
    if len(header) < 100 or not header.startswith(SQLITE_MAGIC):
        raise StorageError(f"{path}: not a drill database (not an SQLite file)")
    # The application id sits at byte 68 of the header: foreign files are refused unopened.
    if int.from_bytes(header[68:72], "big") != APPLICATION_ID:
        raise StorageError(f"{path}: not a drill database (it belongs to another program)")
    # A backup has no -wal file; read it as immutable so SQLite creates nothing beside it.
    # A copied live database may have one holding recent changes, so then read through it.
    wal = path.with_name(path.name + "-wal")
    # (A -wal that is not a regular file, a FIFO say, is ignored: opening it would block.)
    mode = "mode=ro" if wal.is_file() and wal.stat().st_size else "mode=ro&immutable=1"
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?{mode}", uri=True)
    except sqlite3.Error as exc:
        raise StorageError(f"{path}: {describe_error(exc)}") from None
    try:
        _check_backup(conn, path)
    except BaseException:
        conn.close()
        raise
    return conn


def _check_backup(conn: sqlite3.Connection, path: Path) -> None:
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
        applied = (
            [
                r[0]
                for r in conn.execute(
                    "SELECT name FROM _sqlite_migrations WHERE migration_set = 'drill' "
                    "ORDER BY rowid"
                )
            ]
            if "_sqlite_migrations" in tables
            else []
        )
        unknown = [name for name in applied if name not in KNOWN]
        if unknown:
            raise StorageError(
                f"{path}: written by a newer drill (schema {len(applied)}, this drill knows "
                f"{len(KNOWN)}); upgrade drill to restore it"
            )
        if not applied or not {"decks", "questions", "cards", "reviews"} <= tables:
            raise StorageError(f"{path}: not a drill database (it has no drill tables)")
        problems = [r[0] for r in conn.execute("PRAGMA quick_check")]
        if problems != ["ok"]:
            raise StorageError(f"{path}: the backup is damaged ({problems[0]}); choose another")
        _check_schema(conn, path, applied)
        unsound = unsound_value(conn)
        if unsound is not None:
            raise StorageError(
                f"{path}: the backup is damaged ({unsound}); restore a backup drill made"
            )
    except sqlite3.DatabaseError as exc:
        raise StorageError(f"{path}: {describe_error(exc)}") from None


def _check_schema(conn: sqlite3.Connection, path: Path, applied: list[str]) -> None:
    """Refuse a file whose tables, indexes, triggers or views are not exactly drill's own.

    A trigger in a restored file would run inside drill's next write (and could rewrite or
    delete anything); a view or a changed table is not a database drill made.
    """
    expected = expected_schema(tuple(applied))
    if expected is None:
        raise StorageError(
            f"{path}: not a drill database (its schema versions are not drill's, in order)"
        )
    actual = schema_objects(conn)
    extra = sorted(actual - expected, key=lambda o: (o[0] != "trigger", o[0], o[1]))
    if extra:
        kind, name = extra[0][0], extra[0][1]
        more = f" and {len(extra) - 1} more" if len(extra) > 1 else ""
        raise StorageError(
            f"{path}: refused: it holds a {kind} drill never creates "
            f"('{_shown_name(name)}'{more}); restore a backup drill made"
        )
    missing = sorted(expected - actual)
    if missing:
        raise StorageError(
            f"{path}: not a sound drill database ({missing[0][0]} '{missing[0][1]}' is missing "
            "or changed); choose another backup"
        )


def _shown_name(name: str) -> str:
    text = "".join(c if c.isprintable() else "?" for c in name)
    return text if len(text) <= 60 else text[:57] + "..."


def _page_size(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA page_size").fetchone()[0])


@contextmanager
def _with_page_size(source: sqlite3.Connection, page_size: int) -> Iterator[sqlite3.Connection]:
    """`source`, or a temporary copy of it rebuilt with `page_size`.

    SQLite cannot change the page size of a database in WAL mode, so a backup made with
    another page size (1024, 65536) is copied to a temporary file, rebuilt with VACUUM at
    the live database's page size, and restored from there.
    """
    if _page_size(source) == page_size:
        yield source
        return
    with tempfile.TemporaryDirectory(prefix="drill-restore-") as folder:
        staged = sqlite3.connect(Path(folder) / "restore.db", isolation_level=None)
        try:
            source.backup(staged)
            staged.execute("PRAGMA journal_mode = DELETE")
            staged.execute(f"PRAGMA page_size = {int(page_size)}")
            staged.execute("VACUUM")
            yield staged
        finally:
            staged.close()


def restore_into(
    db: Database, db_path: Path, source: sqlite3.Connection, now: datetime
) -> Path | None:
    """Replace the contents of the live database with `source` (from `open_backup`).

    The current contents are backed up first (when there are any); the copy goes through the
    backup API into the open database, so its -wal and -shm files stay consistent and other
    programs see the change at their next read. Returns the backup of the old contents,
    which is deleted again (and no older backup rotated away) if the restore fails.
    """

    def failed(exc: sqlite3.Error) -> StorageError:
        return StorageError(
            f"{db_path}: restore failed ({describe_error(exc)}); the database was left as it was"
        )

    with ExitStack() as stack:
        try:
            staged = stack.enter_context(_with_page_size(source, _page_size(db.conn)))
        except sqlite3.Error as exc:
            raise failed(exc) from None
        saved = None
        if holds_data(db):
            saved = stack.enter_context(backup_before(db, db_path, "restore", now))
        try:
            staged.backup(db.conn)
        except sqlite3.Error as exc:
            raise failed(exc) from None
        migrate(db)
    return saved
