"""Streaming exports of progress, review history and decks.

Rows are produced from a cursor one at a time and written as they come, so exporting a
million reviews uses constant memory.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import IO, Any

from sqlite_utils import Database

from drill.core import clock
from drill.core.model import CardState, Deck
from drill.core.scheduling import retrievability
from drill.io.reviews_csv import COLUMNS
from drill.storage import repo

PROGRESS_COLUMNS = (
    "deck",
    "question_id",
    "kind",
    "card_id",
    "state",
    "due",
    "stability",
    "difficulty",
    "retrievability",
    "reps",
    "lapses",
    "last_review",
    "suspended",
)
# The first five are the FSRS optimizer's revlog columns (the reviews format owns them).
REVIEW_COLUMNS = COLUMNS


def _iso(ms: int | None) -> str | None:
    return clock.from_ms(ms).isoformat().replace("+00:00", "Z") if ms is not None else None


def progress_rows(
    db: Database, now: datetime, deck_id: str | None = None
) -> Iterator[dict[str, Any]]:
    """One row per card (retired cards excluded), in deck and file order."""
    configs = {d.id: d.config for d in repo.decks(db, deck_id)}
    sql = (
        f"SELECT c.deck_id, c.question_id, c.kind, c.id, c.suspended, {repo.CARD_COLUMNS} "
        "FROM cards c JOIN decks d ON d.id = c.deck_id WHERE c.retired = 0"
    )
    params: list[Any] = []
    if deck_id is not None:
        sql += " AND c.deck_id = ?"
        params.append(deck_id)
    for row in db.execute(sql + " ORDER BY d.position, c.new_order", params):
        record = repo.record_from_row(row[5:])
        r = retrievability(configs[row[0]], record, now)
        yield {
            "deck": row[0],
            "question_id": row[1],
            "kind": row[2],
            "card_id": row[3],
            "state": CardState(record.state).label,
            "due": _iso(record.due),
            "stability": record.stability,
            "difficulty": record.difficulty,
            "retrievability": round(r, 6) if r is not None else None,
            "reps": record.reps,
            "lapses": record.lapses,
            "last_review": _iso(record.last_review),
            "suspended": bool(row[4]),
        }


def review_rows(db: Database, deck_id: str | None = None) -> Iterator[dict[str, Any]]:
    """One row per review, oldest first, in the FSRS optimizer's revlog shape plus names."""
    sql = (
        "SELECT r.card_id, r.review_time, r.rating, r.review_state, r.duration_ms, "
        "c.deck_id, c.question_id, c.kind FROM reviews r JOIN cards c ON c.id = r.card_id"
    )
    params: list[Any] = []
    if deck_id is not None:
        repo.decks(db, deck_id)
        sql += " WHERE r.deck_id = ?"
        params.append(deck_id)
    for row in db.execute(sql + " ORDER BY r.review_time, r.id", params):
        yield dict(zip(REVIEW_COLUMNS, row, strict=True))


def write_csv(rows: Iterable[dict[str, Any]], columns: tuple[str, ...], out: IO[str]) -> int:
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    count = 0
    for row in rows:
        writer.writerow({k: ("" if v is None else v) for k, v in row.items()})
        count += 1
    return count


def write_json_array(rows: Iterable[dict[str, Any]], out: IO[str]) -> int:
    """A JSON array written one object at a time."""
    count = 0
    out.write("[")
    for row in rows:
        out.write(",\n  " if count else "\n  ")
        out.write(json.dumps(row, ensure_ascii=False))
        count += 1
    out.write("\n]\n" if count else "]\n")
    return count


def load_deck(db: Database, deck_id: str) -> Deck:
    """A stored deck as a model Deck (for export)."""
    info = repo.decks(db, deck_id)[0]
    return Deck(
        id=info.id,
        name=info.name,
        description=info.description,
        questions=list(repo.iter_questions(db, deck_id)),
    )
