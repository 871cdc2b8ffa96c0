"""Opening the database safely: refuse foreign files and newer schemas, migrate, set pragmas."""

from __future__ import annotations

import sqlite3
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from drill.errors import DeckError
from drill.files import open_input
from drill.storage.migrations import KNOWN, initialise, migrations
from drill.storage.sqlite import (
    APPLICATION_ID,
    BUSY_TIMEOUT_S,
    SQLITE_MAGIC,
    Database,
    StorageError,
    connect,
    describe_error,
    holds_data,
)

# The page size of a new database. Four times SQLite's default: a large import or history
# replay writes and checkpoints a quarter as many pages (a 50,000-question import 12%
# faster, a 5,000-question one about 20%) and the stats scans read fewer (15% faster at
# 100,000 reviews), for about 5% on a rating (0.04 ms: its few pages are larger).
# Databases made before keep the size they were made with.
PAGE_SIZE = 16384


def _check_file(path: Path) -> bool:
    """True if `path` holds data; raise StorageError if that data is not an SQLite file."""
    if not path.exists():
        return False
    if path.is_dir():
        raise StorageError(f"{path}: is a directory, not a drill database")
    try:
        # Only a regular file can hold the database: /dev/null would look empty and then
        # fail every write, and a FIFO would block opening it.
        with open_input(path, limit=sys.maxsize) as handle:
            header = handle.read(len(SQLITE_MAGIC))
    except DeckError as exc:
        raise StorageError(
            f"{path}: {exc.problems[0].message}; drill keeps its database in a regular file "
            "(choose one with --db or DRILL_DB)"
        ) from None
    if not header:
        return False
    if header != SQLITE_MAGIC:
        raise StorageError(
            f"{path}: not a drill database (not an SQLite file); it was left untouched"
        )
    return True


def open_database(
    path: Path | str, *, create: bool = True, now: datetime | None = None
) -> Database:
    """Open (creating and migrating if needed) the drill database at `path`.

    Raises StorageError for a file that is not ours, a schema newer than this program, or a
    location that cannot be written. A foreign file is never modified. Before migrating a
    database that holds data, an automatic backup is made (named after `now`).
    """
    if str(path) == ":memory:":
        db = Database(connect(":memory:"))
        initialise(db)
        return db
    path = Path(path)
    existed = _check_file(path)
    if not existed:
        if not create:
            raise StorageError(f"{path}: no such database")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StorageError(
                f"{path.parent}: cannot create the data directory: {exc.strerror or exc}"
            ) from None
    conn: sqlite3.Connection | None = None
    try:
        conn = connect(path)
        db = Database(conn)
        if existed:
            _verify_ours(db, path)
        else:
            # Set before the file's first page is written; an existing database keeps its own.
            db.execute(f"PRAGMA page_size = {PAGE_SIZE}")
        _use_wal(db)
        # NORMAL is durable across process crashes in WAL mode; only power loss can drop the
        # last commits, and an fsync per rating would cost more than the rating itself.
        db.execute("PRAGMA synchronous = NORMAL")
        if existed and migrations.pending(db) and holds_data(db):
            with _backup_before_migrating(db, path, now or datetime.now(UTC)):
                initialise(db)
        else:
            initialise(db)
    except StorageError:
        if conn is not None:
            conn.close()
        raise
    except sqlite3.DatabaseError as exc:
        if conn is not None:
            conn.close()
        raise StorageError(f"{path}: {describe_error(exc)}") from None
    return db


def _use_wal(db: Database) -> None:
    """Switch to write-ahead logging, waiting for other programs opening the file too.

    Changing the journal mode needs an exclusive lock, and SQLite reports "locked" at once
    (without the busy timeout) when another connection is starting up on the same new file.
    """
    deadline = time.monotonic() + BUSY_TIMEOUT_S
    while True:
        try:
            db.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.005)


@contextmanager
def _backup_before_migrating(db: Database, path: Path, now: datetime) -> Iterator[None]:
    # Loaded only when a migration is pending: every command opens the database.
    from drill.storage.backup import backup_before

    backed_up = False
    try:
        with backup_before(db, path, "migrate", now):
            backed_up = True
            yield
    except StorageError as exc:
        if backed_up:
            raise
        db.close()
        raise StorageError(f"{exc}; the database was not upgraded and is unchanged") from None


def _verify_ours(db: Database, path: Path) -> None:
    app_id = db.execute("PRAGMA application_id").fetchone()[0]
    if app_id != APPLICATION_ID:
        has_tables = db.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
        if has_tables:
            db.close()
            raise StorageError(
                f"{path}: not a drill database (it belongs to another program); "
                "it was left untouched"
            )
        return
    applied = migrations.applied(db)
    unknown = [name for name in applied if name not in KNOWN]
    if unknown:
        db.close()
        raise StorageError(
            f"{path}: this database was written by a newer drill (schema {len(applied)}, "
            f"this drill knows {len(KNOWN)}); upgrade drill to open it"
        )
