"""Mock interviews as they happened: each question asked, answered or not, how long it took,
and the rating it got in the mock review (for the progress report).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from drill.storage.sqlite import Database


@dataclass(frozen=True, slots=True)
class MockRow:
    """One mock's totals (over the answers in the scope asked for)."""

    id: int
    started_ms: int
    deck_id: str | None
    limit_ms: int  # the time allowed for all its answers together
    asked: int
    answered: int
    in_time: int
    ratings: tuple[int, int, int, int]  # Again, Hard, Good, Easy
    time_ms: int


def start_mock(db: Database, started_ms: int, deck_id: str | None, questions: int) -> int:
    cursor = db.execute(
        "INSERT INTO mocks (started_at, deck_id, questions) VALUES (?, ?, ?)",
        [started_ms, deck_id, questions],
    )
    assert cursor.lastrowid is not None
    return cursor.lastrowid


def add_answer(
    db: Database,
    mock_id: int,
    position: int,
    deck_id: str,
    question_id: str,
    answered: bool,
    duration_ms: int,
    limit_ms: int,
) -> None:
    db.execute(
        "INSERT OR REPLACE INTO mock_answers "
        "(mock_id, position, deck_id, question_id, answered, duration_ms, limit_ms) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        [mock_id, position, deck_id, question_id, 1 if answered else 0, duration_ms, limit_ms],
    )


def set_rating(db: Database, mock_id: int, position: int, rating: int) -> None:
    db.execute(
        "UPDATE mock_answers SET rating = ? WHERE mock_id = ? AND position = ?",
        [rating, mock_id, position],
    )


def recent(db: Database, deck_id: str | None, limit: int) -> tuple[int, list[MockRow]]:
    """(mocks in all, the newest `limit` of them), counting only answers of `deck_id`'s
    questions when given; a mock with none of them is left out.
    """
    params: list[object] = []
    where = ""
    if deck_id is not None:
        where = " WHERE a.deck_id = ?"
        params.append(deck_id)
    grouped = (
        "SELECT m.id, m.started_at, m.deck_id, sum(a.limit_ms), count(*), sum(a.answered), "
        "sum(a.duration_ms <= a.limit_ms), "
        "sum(a.rating = 1), sum(a.rating = 2), sum(a.rating = 3), sum(a.rating = 4), "
        "sum(a.duration_ms) "
        f"FROM mocks m JOIN mock_answers a ON a.mock_id = m.id{where} GROUP BY m.id"
    )
    total = db.execute(f"SELECT count(*) FROM ({grouped})", params).fetchone()[0]
    rows = db.execute(
        grouped + " ORDER BY m.started_at DESC, m.id DESC LIMIT ?", [*params, limit]
    ).fetchall()
    return int(total), [
        MockRow(
            r[0],
            r[1],
            r[2],
            r[3],
            r[4],
            r[5] or 0,
            r[6] or 0,
            (r[7] or 0, r[8] or 0, r[9] or 0, r[10] or 0),
            r[11] or 0,
        )
        for r in rows
    ]
