"""Consistent copies of the database through SQLite's online backup API, and restoring them."""

from __future__ import annotations

import re
import sqlite3
from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlite_utils import Database

from drill.storage.migrations import KNOWN, migrate
from drill.storage.sqlite import (
    APPLICATION_ID,
    SQLITE_MAGIC,
    StorageError,
    describe_error,
    holds_data,
)

KEEP = 5
_STAMP = "%Y%m%dT%H%M%S%fZ"
# <stem>-<stamp>[.<n>]-<reason>.db: n tells apart backups made at the same instant (a fixed
# DRILL_NOW), so one never replaces another.
_NAME = re.compile(r"-(?P<stamp>\d{8}T\d{12}Z)(?:\.(?P<n>\d+))?-(?P<reason>[a-z]+)\.db")


def backup_to(db: Database, target: Path) -> Path:
    """Write a consistent copy of `db` to `target` (which must not be the live file).

    A target that exists but is not a regular file (/dev/null, a pipe) is refused: the copy
    is renamed over the target, which would replace the device itself.
    """
    if target.exists() and not target.is_file():
        raise StorageError(f"{target}: not a regular file (give a file name for the backup)")
    tmp = target.with_name(target.name + ".partial")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        dest = sqlite3.connect(str(tmp))
        try:
            db.conn.backup(dest)
        finally:
            dest.close()
        tmp.replace(target)
    except (OSError, sqlite3.Error) as exc:
        with suppress(OSError):
            tmp.unlink(missing_ok=True)
        reason = describe_error(exc) if isinstance(exc, sqlite3.Error) else exc.strerror or exc
        raise StorageError(f"{target}: backup failed: {reason}") from None
    return target


def backup_dir(db_path: Path) -> Path:
    return db_path.parent / "backups"


def _sort_key(path: Path, stem: str) -> tuple[str, int] | None:
    if not path.name.startswith(stem + "-"):
        return None
    match = _NAME.fullmatch(path.name, len(stem))
    if match is None:
        return None
    return match["stamp"], int(match["n"] or 1)


def automatic_backups(db_path: Path) -> list[Path]:
    """This database's automatic backups, oldest first."""
    folder = backup_dir(db_path)
    if not folder.is_dir():
        return []
    keyed = []
    for path in folder.iterdir():
        key = _sort_key(path, db_path.stem)
        if key is not None:
            keyed.append((key, path))
    return [path for _, path in sorted(keyed)]


def automatic_backup(db: Database, db_path: Path | None, reason: str, now: datetime) -> Path | None:
    """Back up before a risky change, keeping the newest KEEP automatic backups.

    The backup just made is always kept, even when `now` (DRILL_NOW) is older than the
    others. In-memory databases (tests) have nothing to protect and return None.
    """
    if db_path is None:
        return None
    folder = backup_dir(db_path)
    stamp = now.strftime(_STAMP)
    target = folder / f"{db_path.stem}-{stamp}-{reason}.db"
    number = 1
    while target.exists():
        number += 1
        target = folder / f"{db_path.stem}-{stamp}.{number}-{reason}.db"
    backup_to(db, target)
    others = [path for path in automatic_backups(db_path) if path != target]
    for old in others[: max(0, len(others) - (KEEP - 1))]:
        old.unlink(missing_ok=True)
    return target


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
        with path.open("rb") as handle:
            header = handle.read(100)
    except FileNotFoundError:
        raise StorageError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise StorageError(f"{path}: is a directory, not a drill database") from None
    except OSError as exc:
        raise StorageError(f"{path}: cannot read: {exc.strerror or exc}") from None
    if len(header) < 100 or not header.startswith(SQLITE_MAGIC):
        raise StorageError(f"{path}: not a drill database (not an SQLite file)")
    # The application id sits at byte 68 of the header: foreign files are refused unopened.
    if int.from_bytes(header[68:72], "big") != APPLICATION_ID:
        raise StorageError(f"{path}: not a drill database (it belongs to another program)")
    # A backup has no -wal file; read it as immutable so SQLite creates nothing beside it.
    # A copied live database may have one holding recent changes, so then read through it.
    wal = path.with_name(path.name + "-wal")
    mode = "mode=ro" if wal.exists() and wal.stat().st_size else "mode=ro&immutable=1"
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
    except sqlite3.DatabaseError as exc:
        raise StorageError(f"{path}: {describe_error(exc)}") from None
    if problems != ["ok"]:
        raise StorageError(f"{path}: the backup is damaged ({problems[0]}); choose another")


def restore_into(
    db: Database, db_path: Path, source: sqlite3.Connection, now: datetime
) -> Path | None:
    """Replace the contents of the live database with `source` (from `open_backup`).

    The current contents are backed up first (when there are any); the copy goes through the
    backup API into the open database, so its -wal and -shm files stay consistent and other
    programs see the change at their next read. Returns the backup of the old contents.
    """
    saved = automatic_backup(db, db_path, "restore", now) if holds_data(db) else None
    try:
        source.backup(db.conn)
    except sqlite3.Error as exc:
        raise StorageError(
            f"{db_path}: restore failed ({describe_error(exc)}); the database was left as it was"
        ) from None
    migrate(db)
    return saved
