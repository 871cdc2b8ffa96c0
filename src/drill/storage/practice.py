"""The practice log: ratings given outside the schedule.

Kept apart from `reviews` so that nothing which reads reviews (FSRS state, undo of reviews,
the optimizer, true retention, exports of progress and reviews) ever sees them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from drill.core.model import Rating

if TYPE_CHECKING:
    from drill.storage.sqlite import Database


@dataclass(frozen=True, slots=True)
class PracticeRow:
    id: int
    card_id: int
    time_ms: int
    rating: Rating


def record(
    db: Database,
    *,
    card_id: int,
    deck_id: str,
    time_ms: int,
    rating: Rating,
    duration_ms: int | None,
) -> int:
    """Append one practice rating; returns its id."""
    cursor = db.execute(
        "INSERT INTO practice (card_id, deck_id, practice_time, rating, duration_ms) "
        "VALUES (?, ?, ?, ?, ?)",
        [card_id, deck_id, time_ms, int(rating), duration_ms],
    )
    assert cursor.lastrowid is not None
    return cursor.lastrowid


def get(db: Database, practice_id: int) -> PracticeRow | None:
    row = db.execute(
        "SELECT id, card_id, practice_time, rating FROM practice WHERE id = ?", [practice_id]
    ).fetchone()
    return PracticeRow(row[0], row[1], row[2], Rating(row[3])) if row else None


def delete(db: Database, practice_id: int) -> None:
    db.execute("DELETE FROM practice WHERE id = ?", [practice_id])


def has_practice(db: Database, start_ms: int, end_ms: int, deck_id: str | None) -> bool:
    """Whether any practice rating falls in [start_ms, end_ms): one indexed probe."""
    sql = "SELECT 1 FROM practice WHERE practice_time >= ? AND practice_time < ?"
    params: list[object] = [start_ms, end_ms]
    if deck_id is not None:
        sql += " AND deck_id = ?"
        params.append(deck_id)
    return db.execute(sql + " LIMIT 1", params).fetchone() is not None


def totals(
    db: Database, start_ms: int | None, end_ms: int | None, deck_id: str | None, by_deck: bool
) -> dict[str, tuple[int, int]]:
    """{deck, or "*" when not split: (practice ratings, ms spent)} in [start_ms, end_ms)."""
    key, group = ("deck_id", " GROUP BY deck_id") if by_deck else ("'*'", "")
    where: list[str] = ["1"]
    params: list[object] = []
    if start_ms is not None:
        where.append("practice_time >= ?")
        params.append(start_ms)
    if end_ms is not None:
        where.append("practice_time < ?")
        params.append(end_ms)
    if deck_id is not None:
        where.append("deck_id = ?")
        params.append(deck_id)
    sql = (
        f"SELECT {key}, count(*), coalesce(sum(duration_ms), 0) FROM practice "
        f"WHERE {' AND '.join(where)}{group}"
    )
    return {row[0]: (row[1], row[2]) for row in db.execute(sql, params) if row[1]}
