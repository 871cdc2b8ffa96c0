"""Consistent copies of the database through SQLite's online backup API."""

from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path

from sqlite_utils import Database

from drill.storage.db import StorageError

KEEP = 5


def backup_to(db: Database, target: Path) -> Path:
    """Write a consistent copy of `db` to `target` (which must not be the live file)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(target.name + ".partial")
    try:
        dest = sqlite3.connect(str(tmp))
        try:
            db.conn.backup(dest)
        finally:
            dest.close()
        tmp.replace(target)
    except (OSError, sqlite3.Error) as exc:
        tmp.unlink(missing_ok=True)
        raise StorageError(f"{target}: backup failed: {exc}") from None
    return target


def backup_dir(db_path: Path) -> Path:
    return db_path.parent / "backups"


def automatic_backup(db: Database, db_path: Path | None, reason: str, now: datetime) -> Path | None:
    """Back up before a risky change, keeping the newest KEEP automatic backups.

    In-memory databases (tests) have nothing to protect and return None.
    """
    if db_path is None:
        return None
    folder = backup_dir(db_path)
    stamp = now.strftime("%Y%m%dT%H%M%S%fZ")
    target = backup_to(db, folder / f"{db_path.stem}-{stamp}-{reason}.db")
    backups = sorted(folder.glob(f"{db_path.stem}-*-*.db"))
    for old in backups[:-KEEP]:
        old.unlink(missing_ok=True)
    return target


def database_path(db: Database) -> Path | None:
    """The file behind `db`, or None for an in-memory database."""
    row = db.execute("PRAGMA database_list").fetchone()
    return Path(row[2]) if row and row[2] else None
