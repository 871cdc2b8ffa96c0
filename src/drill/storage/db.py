"""Opening the database safely: refuse foreign files and newer schemas, migrate, set pragmas."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from datetime import UTC, datetime
from pathlib import Path

from sqlite_utils import Database

from drill.errors import DrillError
from drill.storage.migrations import KNOWN, migrations

# PRAGMA application_id marks a file as ours ("DRIL"), so we never touch another program's db.
APPLICATION_ID = 0x4452494C
SQLITE_MAGIC = b"SQLite format 3\x00"
# How long a write waits for another program's write to finish before giving up.
BUSY_TIMEOUT_S = 10.0


class StorageError(DrillError):
    """The database cannot be opened or written safely."""


def _check_file(path: Path) -> bool:
    """True if `path` holds data; raise StorageError if that data is not an SQLite file."""
    if not path.exists():
        return False
    if path.is_dir():
        raise StorageError(f"{path}: is a directory, not a drill database")
    try:
        with path.open("rb") as handle:
            header = handle.read(len(SQLITE_MAGIC))
    except OSError as exc:
        raise StorageError(f"{path}: cannot read: {exc.strerror or exc}") from None
    if not header:
        return False
    if header != SQLITE_MAGIC:
        raise StorageError(
            f"{path}: not a drill database (not an SQLite file); it was left untouched"
        )
    return True


def _connect(path: Path | str) -> sqlite3.Connection:
    # isolation_level=None: sqlite3 must not open transactions behind our back; every write
    # goes through `write_transaction` or sqlite-utils' own atomic().
    conn = sqlite3.connect(
        str(path), timeout=BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=False
    )
    conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
    conn.execute("PRAGMA foreign_keys = ON")
    return conn


def open_database(
    path: Path | str, *, create: bool = True, now: datetime | None = None
) -> Database:
    """Open (creating and migrating if needed) the drill database at `path`.

    Raises StorageError for a file that is not ours, a schema newer than this program, or a
    location that cannot be written. A foreign file is never modified. Before migrating a
    database that holds data, an automatic backup is made (named after `now`).
    """
    if str(path) == ":memory:":
        db = Database(_connect(":memory:"), execute_plugins=False)
        _initialise(db)
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
        conn = _connect(path)
        db = Database(conn, execute_plugins=False)
        if existed:
            _verify_ours(db, path)
        _use_wal(db)
        # NORMAL is durable across process crashes in WAL mode; only power loss can drop the
        # last commits, and an fsync per rating would cost more than the rating itself.
        db.execute("PRAGMA synchronous = NORMAL")
        if existed and migrations.pending(db) and holds_data(db):
            _backup_before_migrating(db, path, now or datetime.now(UTC))
        _initialise(db)
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


def describe_error(exc: sqlite3.Error) -> str:
    """What a storage error means for the user, in one line."""
    text = str(exc)
    if "readonly" in text or "read-only" in text:
        return "the database is read-only (check the file and folder permissions)"
    if "unable to open" in text:
        return "cannot open the database file (does the folder exist and is it writable?)"
    if "disk is full" in text:
        return "the disk is full; free some space and try again (nothing was saved)"
    if "disk I/O error" in text:
        return "cannot write the database (disk I/O error: is the disk full?); nothing was saved"
    if "locked" in text or "busy" in text:
        return "the database is busy (another drill is writing); try again (nothing was saved)"
    if "not a database" in text or "malformed" in text:
        return "the database file is damaged; restore a backup with `drill restore`"
    return text


def holds_data(db: Database) -> bool:
    """True when any of the database's own tables has a row (so a migration risks data)."""
    tables = [
        row[0]
        for row in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' "
            "AND name NOT LIKE 'sqlite%' AND name != '_sqlite_migrations'"
        )
    ]
    return any(
        db.execute(f'SELECT EXISTS (SELECT 1 FROM "{name}")').fetchone()[0] for name in tables
    )


def _backup_before_migrating(db: Database, path: Path, now: datetime) -> None:
    from drill.storage.backup import automatic_backup

    try:
        automatic_backup(db, path, "migrate", now)
    except StorageError as exc:
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
    applied = [m.name for m in migrations.applied(db)]
    unknown = [name for name in applied if name not in KNOWN]
    if unknown:
        db.close()
        raise StorageError(
            f"{path}: this database was written by a newer drill (schema {len(applied)}, "
            f"this drill knows {len(KNOWN)}); upgrade drill to open it"
        )


def _initialise(db: Database) -> None:
    """Mark the file as ours and apply pending migrations, in one IMMEDIATE transaction.

    The write lock is taken before looking again, so two programs opening a new database at
    the same moment don't both create its tables (the second would fail).
    """
    if not _needs_setup(db):
        return
    with write_transaction(db):
        if not _needs_setup(db):
            return
        if db.execute("PRAGMA application_id").fetchone()[0] != APPLICATION_ID:
            db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        if migrations.pending(db):
            migrations.apply(db)
            db.execute(f"PRAGMA user_version = {len(KNOWN)}")


def _needs_setup(db: Database) -> bool:
    ours = db.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    return not ours or bool(migrations.pending(db))


def needs_migration(db: Database) -> bool:
    return bool(migrations.pending(db))


def migrate(db: Database) -> None:
    """Bring an open database (e.g. one just restored from an old backup) up to date."""
    try:
        _initialise(db)
    except sqlite3.DatabaseError as exc:
        raise StorageError(describe_error(exc)) from None


@contextmanager
def write_transaction(db: Database) -> Iterator[Database]:
    """One IMMEDIATE transaction: the write lock is taken before anything is read.

    Reading a card and writing its new state inside one such transaction means a second
    process rating at the same moment waits (busy_timeout) instead of overwriting our state
    with stale data. Nested sqlite-utils atomic() blocks become savepoints inside it.
    """
    conn = db.conn
    if conn.in_transaction:
        with db.atomic():
            yield db
        return
    try:
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as exc:
        raise _storage_error(db, exc) from None
    try:
        yield db
    except BaseException as exc:
        _rollback(conn)
        if isinstance(exc, sqlite3.OperationalError) and _is_storage_failure(exc):
            raise _storage_error(db, exc) from None
        raise
    try:
        conn.execute("COMMIT")
    except sqlite3.OperationalError as exc:
        _rollback(conn)
        raise _storage_error(db, exc) from None


def _rollback(conn: sqlite3.Connection) -> None:
    # SQLite may already have rolled back (e.g. after an I/O error).
    if conn.in_transaction:
        with suppress(sqlite3.Error):
            conn.execute("ROLLBACK")


def _is_storage_failure(exc: sqlite3.Error) -> bool:
    """A failure of the disk or the file (full, read-only, locked), not of our SQL."""
    return describe_error(exc) != str(exc)


def _storage_error(db: Database, exc: sqlite3.Error) -> Exception:
    """A one-line StorageError for a disk or file failure; other errors pass through."""
    if not _is_storage_failure(exc):
        return exc
    try:
        row = db.execute("PRAGMA database_list").fetchone()
        place = f"{row[2]}: " if row and row[2] else ""
    except sqlite3.Error:
        place = ""
    return StorageError(f"{place}{describe_error(exc)}")
