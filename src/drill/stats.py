"""Progress numbers, all computed by SQL aggregation over indexed tables.

Days are study days in local time: they begin at `day_starts_at`, as in the queue.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlite_utils import Database

from drill import clock
from drill.storage import repo


@dataclass(frozen=True, slots=True)
class Today:
    reviewed: int
    new_learned: int
    again: int
    time_ms: int

    def to_json(self) -> dict[str, int]:
        return {
            "reviewed": self.reviewed,
            "new_learned": self.new_learned,
            "again": self.again,
            "time_ms": self.time_ms,
        }


def _deck_filter(deck_id: str | None, params: list[object]) -> str:
    if deck_id is None:
        return ""
    params.append(deck_id)
    return " AND deck_id = ?"


def today(db: Database, now: datetime, deck_id: str | None = None) -> Today:
    """Reviews since the current study day began."""
    hour = repo.collection_config(db).day_starts_at
    params: list[object] = [clock.to_ms(clock.day_start(now, hour))]
    where = _deck_filter(deck_id, params)
    row = db.execute(
        "SELECT count(*), coalesce(sum(review_state = 0), 0), coalesce(sum(rating = 1), 0), "
        f"coalesce(sum(duration_ms), 0) FROM reviews WHERE review_time >= ?{where}",
        params,
    ).fetchone()
    return Today(*row)


def _has_reviews(db: Database, start: datetime, end: datetime, deck_id: str | None) -> bool:
    params: list[object] = [clock.to_ms(start), clock.to_ms(end)]
    where = _deck_filter(deck_id, params)
    return (
        db.execute(
            f"SELECT 1 FROM reviews WHERE review_time >= ? AND review_time < ?{where} LIMIT 1",
            params,
        ).fetchone()
        is not None
    )


def streak_days(db: Database, now: datetime, deck_id: str | None = None) -> int:
    """Consecutive study days with a review, up to today (today may still be to come)."""
    hour = repo.collection_config(db).day_starts_at
    day = clock.study_date(now, hour)
    streak = 0
    # One indexed probe per day: cheap even over millions of reviews.
    if not _has_reviews(
        db, clock.start_of(day, hour), clock.start_of(day + timedelta(1), hour), deck_id
    ):
        day -= timedelta(days=1)
    while _has_reviews(
        db, clock.start_of(day, hour), clock.start_of(day + timedelta(1), hour), deck_id
    ):
        streak += 1
        day -= timedelta(days=1)
    return streak


def heatmap(
    db: Database, now: datetime, days: int = 84, deck_id: str | None = None
) -> list[tuple[date, int]]:
    """Reviews per study day for the last `days` days, oldest first (zeros included)."""
    hour = repo.collection_config(db).day_starts_at
    last = clock.study_date(now, hour)
    first = last - timedelta(days=days - 1)
    params: list[object] = [hour * 3600, clock.to_ms(clock.start_of(first, hour))]
    where = _deck_filter(deck_id, params)
    rows = db.execute(
        "SELECT date(review_time / 1000 - ?, 'unixepoch', 'localtime') AS day, count(*) "
        f"FROM reviews WHERE review_time >= ?{where} GROUP BY day",
        params,
    ).fetchall()
    counts = {date.fromisoformat(r[0]): r[1] for r in rows}
    return [
        (first + timedelta(days=i), counts.get(first + timedelta(days=i), 0)) for i in range(days)
    ]
