"""The answer bank: the user's own answers to each question, every version kept."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlite_utils import Database

from drill import clock
from drill.io.errors import DrillError
from drill.storage.db import write_transaction

SOURCES = ("cli", "editor", "review", "mock", "deck")


@dataclass(frozen=True, slots=True)
class AnswerVersion:
    text: str
    created_at: datetime
    source: str
    duration_ms: int | None = None

    def to_json(self) -> dict[str, object]:
        return {
            "text": self.text,
            "created_at": self.created_at.isoformat().replace("+00:00", "Z"),
            "source": self.source,
        }


def save_answer(
    db: Database,
    deck_id: str,
    question_id: str,
    text: str,
    source: str,
    now: datetime,
    duration_ms: int | None = None,
) -> bool:
    """Store a new version unless it equals the latest; True if one was stored."""
    if source not in SOURCES:
        raise ValueError(f"unknown answer source {source!r}")
    text = text.strip()
    if not text:
        return False
    with write_transaction(db):
        exists = db.execute(
            "SELECT 1 FROM questions WHERE deck_id = ? AND id = ?", [deck_id, question_id]
        ).fetchone()
        if not exists:
            raise DrillError(f"no question '{deck_id}/{question_id}'")
        latest = latest_answer(db, deck_id, question_id)
        if latest is not None and latest.text == text:
            return False
        db.execute(
            "INSERT INTO answers (deck_id, question_id, text, created_at, source, duration_ms) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [deck_id, question_id, text, clock.to_ms(now), source, duration_ms],
        )
    return True


def history(db: Database, deck_id: str, question_id: str) -> list[AnswerVersion]:
    """Every version, newest first."""
    rows = db.execute(
        "SELECT text, created_at, source, duration_ms FROM answers "
        "WHERE deck_id = ? AND question_id = ? ORDER BY created_at DESC, id DESC",
        [deck_id, question_id],
    ).fetchall()
    return [AnswerVersion(r[0], clock.from_ms(r[1]), r[2], r[3]) for r in rows]


def latest_answer(db: Database, deck_id: str, question_id: str) -> AnswerVersion | None:
    row = db.execute(
        "SELECT text, created_at, source, duration_ms FROM answers "
        "WHERE deck_id = ? AND question_id = ? ORDER BY created_at DESC, id DESC LIMIT 1",
        [deck_id, question_id],
    ).fetchone()
    return AnswerVersion(row[0], clock.from_ms(row[1]), row[2], row[3]) if row else None
