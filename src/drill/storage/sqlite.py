"""SQLite plumbing shared by the storage layer: connections, transactions, and what errors mean.

Nothing here knows drill's schema; `db.py` opens drill databases with it and `backup.py`
copies them.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager, suppress
from itertools import count
from pathlib import Path
from typing import Any

from drill.errors import DrillError

# PRAGMA application_id marks a file as ours ("DRIL"), so we never touch another program's db.
APPLICATION_ID = 0x4452494C
SQLITE_MAGIC = b"SQLite format 3\x00"
# How long a write waits for another program's write to finish before giving up.
BUSY_TIMEOUT_S = 10.0


class StorageError(DrillError):
    """The database cannot be opened or written safely."""


Params = Iterable[Any] | Mapping[str, Any]


class Database:
    """drill's handle on its database: one connection, and the little storage needs on top.

    Services pass it around and hand it back to storage; only storage runs SQL on it. It is a
    plain `sqlite3` connection underneath (autocommit: transactions are explicit, see
    `write_transaction`), so opening a database costs no import beyond `sqlite3`:
    sqlite-utils is loaded only to apply a pending migration.
    """

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def execute(self, sql: str, parameters: Params | None = None) -> sqlite3.Cursor:
        if parameters is None:
            return self.conn.execute(sql)
        return self.conn.execute(sql, parameters)  # type: ignore[arg-type]

    def executescript(self, sql: str) -> None:
        """Several statements; inside a transaction they join it (no implicit COMMIT)."""
        if not self.conn.in_transaction:
            self.conn.executescript(sql)
            return
        for statement in _statements(sql):
            self.conn.execute(statement)

    def close(self) -> None:
        self.conn.close()


def change_mark(db: Database) -> tuple[int, int]:
    """A mark that moves whenever the database changes: (PRAGMA data_version, which moves
    when another connection commits; the connection's total_changes, which moves when this
    one writes). Equal marks mean nothing was written in between.
    """
    return int(db.execute("PRAGMA data_version").fetchone()[0]), db.conn.total_changes


def _statements(script: str) -> Iterator[str]:
    """The complete statements of a script, one at a time."""
    statement = ""
    for line in script.splitlines(keepends=True):
        statement += line
        if sqlite3.complete_statement(statement):
            yield statement
            statement = ""
    if statement.strip():
        yield statement


def connect(path: Path | str) -> sqlite3.Connection:
    # isolation_level=None: sqlite3 must not open transactions behind our back; every write
    # goes through `write_transaction` (migrations through sqlite-utils' own transactions).
    conn = sqlite3.connect(
        str(path), timeout=BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=False
    )
    conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
    conn.execute("PRAGMA foreign_keys = ON")
    return conn


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


# The page cache a bulk write gets (KiB; Anki keeps 40 MiB): SQLite's default of 2 MiB is
# smaller than a large deck's questions, so its cards' foreign keys would read the same
# pages again and again. Taken only as pages are used, and given back afterwards.
BULK_CACHE_KIB = 32 * 1024


@contextmanager
def bulk_cache(db: Database) -> Iterator[None]:
    """A larger page cache for the duration of a bulk write (an import)."""
    before = int(db.execute("PRAGMA cache_size").fetchone()[0])
    db.execute(f"PRAGMA cache_size = {-BULK_CACHE_KIB}")
    try:
        yield
    finally:
        db.execute(f"PRAGMA cache_size = {before}")


@contextmanager
def indexes_rebuilt(db: Database, table: str, names: Iterable[str] | None = None) -> Iterator[None]:
    """Drop the table's indexes (those named, or all but the primary and unique ones) and
    build them again when the block ends, in the caller's transaction.

    For a write that adds more rows than the table held: one sort builds an index faster
    than inserting each row's entry on a random page.
    """
    rows = db.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? "
        "AND sql IS NOT NULL",
        [table],
    ).fetchall()
    wanted = None if names is None else set(names)
    indexes = [(name, sql) for name, sql in rows if wanted is None or name in wanted]
    for name, _ in indexes:
        db.execute(f'DROP INDEX "{name}"')
    yield
    for _, sql in indexes:
        db.execute(sql)


@contextmanager
def foreign_keys_unchecked(db: Database) -> Iterator[None]:
    """Foreign keys not looked up for the duration of a write that cannot break them.

    Only for a write that deletes no row another row refers to (so no cascade is missed)
    and whose every row refers to a row it wrote or read inside the same transaction: an
    import without pruning, whose questions go under the deck it has just stored, whose
    cards are selected from those questions and whose reviews belong to the cards it
    resolved. Looking up each card's question is a sixth of writing a large deck's cards,
    each review's card a tenth of importing a million reviews. SQLite ignores the setting
    inside a transaction, so this must be entered before one; inside one, the keys stay
    checked.
    """
    if db.conn.in_transaction:
        yield
        return
    db.execute("PRAGMA foreign_keys = OFF")
    try:
        yield
    finally:
        db.execute("PRAGMA foreign_keys = ON")


@contextmanager
def write_transaction(db: Database) -> Iterator[Database]:
    """One IMMEDIATE transaction: the write lock is taken before anything is read.

    Reading a card and writing its new state inside one such transaction means a second
    process rating at the same moment waits (busy_timeout) instead of overwriting our state
    with stale data. A nested write_transaction is a savepoint inside it.
    """
    conn = db.conn
    if conn.in_transaction:
        with _savepoint(conn):
            yield db
        return
    try:
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as exc:
        raise _storage_error(db, exc) from None
    try:
        _check_wal(db)
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
    _note_wal(db)


class WalReplaced(StorageError):
    """The -wal file of an open database was deleted or replaced by another program."""


_WAL_ATTR = "_drill_wal"  # on the Database: [the -wal path, its (device, inode) or None]


def _wal_state(db: Database) -> list[object]:
    state: list[object] | None = getattr(db, _WAL_ATTR, None)
    if state is None:
        row = db.conn.execute("PRAGMA database_list").fetchone()
        path = f"{row[2]}-wal" if row and row[2] else ""
        state = [path, None]
        setattr(db, _WAL_ATTR, state)
    return state


def _wal_identity(path: str) -> tuple[int, int] | None:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return info.st_dev, info.st_ino


def _check_wal(db: Database) -> None:
    """Refuse to write when the -wal file this connection uses is no longer the one on disk.

    SQLite keeps using the -wal file it opened; if another program deletes or replaces it,
    commits go to a file nobody else will read, and are lost (a known SQLite hazard). One
    stat per write transaction notices it, before anything more is written.
    """
    path, known = _wal_state(db)
    if not path or known is None:
        return
    if _wal_identity(str(path)) != known:
        raise WalReplaced(
            f"{path}: the database's write-ahead log was deleted or replaced while drill had "
            "it open, so changes saved since may be lost; nothing more was written "
            "(close every drill, then check your data; see docs/limits.md)"
        )


def _note_wal(db: Database) -> None:
    state = _wal_state(db)
    if state[0]:
        state[1] = _wal_identity(str(state[0]))


_savepoints = count(1)


@contextmanager
def _savepoint(conn: sqlite3.Connection) -> Iterator[None]:
    """A nested transaction: undone alone if its block fails, kept if it succeeds."""
    name = f"drill_{next(_savepoints)}"
    conn.execute(f"SAVEPOINT {name}")
    try:
        yield
    except BaseException:
        # A failed statement may have rolled back the whole transaction, savepoint included.
        if conn.in_transaction:
            conn.execute(f"ROLLBACK TO SAVEPOINT {name}")
            conn.execute(f"RELEASE SAVEPOINT {name}")
        raise
    conn.execute(f"RELEASE SAVEPOINT {name}")


def applied_migrations(conn: sqlite3.Connection, migration_set: str) -> list[str]:
    """Names of the migrations applied to a database, oldest first (sqlite-utils' table)."""
    exists = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_sqlite_migrations'"
    ).fetchone()
    if not exists:
        return []
    return [
        row[0]
        for row in conn.execute(
            "SELECT name FROM _sqlite_migrations WHERE migration_set = ? ORDER BY rowid",
            [migration_set],
        )
    ]


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
