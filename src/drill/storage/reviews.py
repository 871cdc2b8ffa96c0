"""The review log: recording and taking back ratings, and reading history back."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from drill.core.limits import capped_duration
from drill.core.model import CardRecord, Rating

if TYPE_CHECKING:
    from sqlite_utils import Database


@dataclass(frozen=True, slots=True)
class LoggedReview:
    """A stored review, with the card's state before it (None for imported history)."""

    id: int
    card_id: int
    time_ms: int
    rating: Rating
    before: CardRecord | None


def before_json(record: CardRecord) -> str:
    """A card's state before a review, as the review row stores it (for exact undo)."""
    return json.dumps(
        {
            "state": record.state,
            "step": record.step,
            "stability": record.stability,
            "difficulty": record.difficulty,
            "due": record.due,
            "last_review": record.last_review,
            "reps": record.reps,
            "lapses": record.lapses,
        }
    )


def record_review(
    db: Database,
    *,
    card_id: int,
    deck_id: str,
    time_ms: int,
    rating: Rating,
    before: CardRecord,
    duration_ms: int | None,
) -> int:
    """Append one review; returns its id. The duration is stored capped (core.limits)."""
    duration = capped_duration(duration_ms)
    cursor = db.execute(
        "INSERT INTO reviews (card_id, deck_id, review_time, rating, review_state, "
        "duration_ms, card_before) VALUES (?, ?, ?, ?, ?, ?, ?)",
        [card_id, deck_id, time_ms, int(rating), before.state, duration, before_json(before)],
    )
    assert cursor.lastrowid is not None
    return cursor.lastrowid


def latest_review(db: Database, deck_id: str | None = None) -> LoggedReview | None:
    """The most recently recorded review (of one deck, if given)."""
    sql = "SELECT id, card_id, review_time, rating, card_before FROM reviews"
    params: list[object] = []
    if deck_id is not None:
        sql += " WHERE deck_id = ?"
        params.append(deck_id)
    row = db.execute(sql + " ORDER BY id DESC LIMIT 1", params).fetchone()
    if row is None:
        return None
    before = CardRecord.from_dict(json.loads(row[4])) if row[4] is not None else None
    return LoggedReview(row[0], row[1], row[2], Rating(row[3]), before)


def review_exists(db: Database, review_id: int) -> bool:
    return db.execute("SELECT 1 FROM reviews WHERE id = ?", [review_id]).fetchone() is not None


def delete_review(db: Database, review_id: int) -> None:
    db.execute("DELETE FROM reviews WHERE id = ?", [review_id])


def question_reviews(
    db: Database, deck_id: str, question_id: str
) -> list[tuple[int, str, int, int, int | None]]:
    """(time ms, kind, rating, state before, duration ms) of every review of a question's
    cards, newest first.
    """
    return [
        (r[0], r[1], r[2], r[3], r[4])
        for r in db.execute(
            "SELECT r.review_time, c.kind, r.rating, r.review_state, r.duration_ms "
            "FROM reviews r JOIN cards c ON c.id = r.card_id "
            "WHERE c.deck_id = ? AND c.question_id = ? ORDER BY r.review_time DESC, r.id DESC",
            [deck_id, question_id],
        )
    ]


def iter_export_rows(db: Database, deck_id: str | None) -> Iterator[tuple[object, ...]]:
    """(card, time, rating, state, duration, deck, question, kind) per review, oldest first."""
    sql = (
        "SELECT r.card_id, r.review_time, r.rating, r.review_state, r.duration_ms, "
        "c.deck_id, c.question_id, c.kind FROM reviews r JOIN cards c ON c.id = r.card_id"
    )
    params: list[object] = []
    if deck_id is not None:
        sql += " WHERE r.deck_id = ?"
        params.append(deck_id)
    yield from db.execute(sql + " ORDER BY r.review_time, r.id", params)


def iter_card_ratings(
    db: Database, deck_ids: Sequence[str] | None
) -> Iterator[tuple[int, int, int]]:
    """(card id, time ms, rating) of every review in these decks (all when None), card by
    card in time order.
    """
    sql = "SELECT card_id, review_time, rating FROM reviews"
    params: list[object] = []
    if deck_ids is not None:
        if not deck_ids:
            return
        sql += f" WHERE deck_id IN ({','.join('?' * len(deck_ids))})"
        params.extend(deck_ids)
    yield from db.execute(sql + " ORDER BY card_id, review_time, id", params)


def rating_counts(db: Database, deck_id: str | None) -> dict[tuple[int, int], int]:
    """{(state before, rating): reviews} for first reviews (state 0) and reviews in review."""
    sql = "SELECT review_state, rating, count(*) FROM reviews WHERE review_state IN (0, 2)"
    params: list[object] = []
    if deck_id is not None:
        sql += " AND deck_id = ?"
        params.append(deck_id)
    return {(s, r): n for s, r, n in db.execute(sql + " GROUP BY 1, 2", params)}


def deck_reviews(
    db: Database, deck_id: str
) -> list[tuple[int, int, int, int, int | None, str | None]]:
    """(card, time, rating, state before, duration, state-before JSON) of a deck's active
    cards, card by card in time order (for an Anki export with history).
    """
    return list(
        db.execute(
            "SELECT r.card_id, r.review_time, r.rating, r.review_state, r.duration_ms, "
            "r.card_before FROM reviews r JOIN cards c ON c.id = r.card_id "
            "WHERE r.deck_id = ? AND c.retired = 0 ORDER BY r.card_id, r.review_time, r.id",
            [deck_id],
        )
    )


# -- history merges and replays ------------------------------------------------------------------

# SQLite's default limit on bound parameters is 32766; stay far below it.
_CHUNK = 500


def _chunks(ids: list[int]) -> Iterator[list[int]]:
    for start in range(0, len(ids), _CHUNK):
        yield ids[start : start + _CHUNK]


def card_index(db: Database) -> Iterator[tuple[int, str, str, str, str | None]]:
    """(card id, deck, question, kind, the question's import key) of every card."""
    yield from db.execute(
        "SELECT c.id, c.deck_id, c.question_id, c.kind, q.import_key FROM cards c "
        "JOIN questions q ON q.deck_id = c.deck_id AND q.id = c.question_id"
    )


def next_review_id(db: Database) -> int:
    return int(db.execute("SELECT coalesce(max(id), 0) + 1 FROM reviews").fetchone()[0])


def reviews_of(
    db: Database, card_ids: Iterator[int] | Sequence[int] | set[int]
) -> dict[int, list[tuple[int, int, int, int | None]]]:
    """{card: [(review id, time, rating, duration)]} for these cards (every card a key)."""
    ids = sorted(set(card_ids))
    out: dict[int, list[tuple[int, int, int, int | None]]] = {card_id: [] for card_id in ids}
    for chunk in _chunks(ids):
        marks = ",".join("?" * len(chunk))
        for card_id, review_id, time, rating, duration in db.execute(
            "SELECT card_id, id, review_time, rating, duration_ms FROM reviews "
            f"WHERE card_id IN ({marks})",
            chunk,
        ):
            out[card_id].append((review_id, time, rating, duration))
    return out


def reviewed_cards(db: Database, deck_ids: Sequence[str] | None = None) -> list[int]:
    """Ids of the cards that have at least one review (in these decks, if given)."""
    sql = "SELECT DISTINCT card_id FROM reviews"
    if deck_ids is None:
        return [r[0] for r in db.execute(sql)]
    out: list[int] = []
    for deck_id in deck_ids:
        out.extend(r[0] for r in db.execute(sql + " WHERE deck_id = ?", [deck_id]))
    return out


def card_decks_and_resets(db: Database, card_ids: list[int]) -> dict[int, tuple[str, int | None]]:
    """{card: (deck, reset time or None)}."""
    out: dict[int, tuple[str, int | None]] = {}
    for chunk in _chunks(sorted(card_ids)):
        marks = ",".join("?" * len(chunk))
        for card_id, deck_id, reset_at in db.execute(
            f"SELECT id, deck_id, reset_at FROM cards WHERE id IN ({marks})", chunk
        ):
            out[card_id] = (deck_id, reset_at)
    return out


def replace_history(
    db: Database,
    card_ids: list[int],
    review_rows: list[tuple[object, ...]],
    card_rows: list[tuple[object, ...]],
) -> None:
    """Replace these cards' reviews and states with replayed ones.

    `review_rows` are (id, card, deck, time, rating, state before, duration, state-before
    JSON); `card_rows` are the CardRecord fields followed by the card id.
    """
    for chunk in _chunks(sorted(card_ids)):
        marks = ",".join("?" * len(chunk))
        db.execute(f"DELETE FROM reviews WHERE card_id IN ({marks})", chunk)
    # In id order (which is time order for merged reviews): the table and its time indexes
    # then grow at their ends instead of at random pages, several times faster for big files.
    review_rows.sort(key=lambda row: row[0])  # type: ignore[arg-type,return-value]
    db.conn.executemany(
        "INSERT INTO reviews (id, card_id, deck_id, review_time, rating, review_state, "
        "duration_ms, card_before) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        review_rows,
    )
    db.conn.executemany(
        "UPDATE cards SET state = ?, step = ?, stability = ?, difficulty = ?, due = ?, "
        "last_review = ?, reps = ?, lapses = ? WHERE id = ?",
        card_rows,
    )
