"""The review log: recording and taking back ratings, and reading history back."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from drill.core.limits import capped_duration
from drill.core.model import CardKind, CardRecord, Rating
from drill.storage.sqlite import indexes_rebuilt

if TYPE_CHECKING:
    from drill.storage.sqlite import Database


@dataclass(frozen=True, slots=True)
class LoggedReview:
    """A stored review, with the card's state before it (None for a replayed review: the
    reviews before it give it, see library.history.state_before).
    """

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


def card_index(db: Database) -> Iterator[tuple[int, str, str, str, str | None, int | None]]:
    """(card id, deck, question, kind, the question's import key, reset time) of every card."""
    yield from db.execute(
        "SELECT c.id, c.deck_id, c.question_id, c.kind, q.import_key, c.reset_at FROM cards c "
        "JOIN questions q ON q.deck_id = c.deck_id AND q.id = c.question_id"
    )


def any_reviews(db: Database) -> bool:
    return db.execute("SELECT 1 FROM reviews LIMIT 1").fetchone() is not None


def next_review_id(db: Database) -> int:
    return int(db.execute("SELECT coalesce(max(id), 0) + 1 FROM reviews").fetchone()[0])


def stored_times(db: Database, card_ids: Sequence[int]) -> Iterator[tuple[int, int]]:
    """(card, time) of every stored review of these cards (from the card-time index)."""
    for chunk in _chunks(sorted(card_ids)):
        marks = ",".join("?" * len(chunk))
        yield from db.execute(
            f"SELECT card_id, review_time FROM reviews WHERE card_id IN ({marks})", chunk
        )


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


def card_histories(
    db: Database, deck_ids: Sequence[str] | None = None
) -> Iterator[tuple[int, int, int, int, int]]:
    """(card, review id, time, rating, state before) of every review of these decks (all
    when None), card by card in time order: one pass over the (card, time, rating, state)
    index, never the review rows.
    """
    sql = "SELECT card_id, id, review_time, rating, review_state FROM reviews"
    params: list[object] = []
    if deck_ids is not None:
        if not deck_ids:
            return
        sql += (
            " WHERE card_id IN (SELECT id FROM cards WHERE deck_id IN "
            f"({','.join('?' * len(deck_ids))}))"
        )
        params.extend(deck_ids)
    yield from db.execute(sql + " ORDER BY card_id, review_time, id", params)


def histories_of(db: Database, card_ids: Iterable[int]) -> Iterator[tuple[int, int, int, int, int]]:
    """`card_histories` of these cards only."""
    for chunk in _chunks(sorted(set(card_ids))):
        marks = ",".join("?" * len(chunk))
        yield from db.execute(
            "SELECT card_id, id, review_time, rating, review_state FROM reviews "
            f"WHERE card_id IN ({marks}) ORDER BY card_id, review_time, id",
            chunk,
        )


def card_history(db: Database, card_id: int) -> list[tuple[int, int, int]]:
    """(review id, time, rating) of one card's reviews, in time order."""
    return [
        (r[0], r[1], r[2])
        for r in db.execute(
            "SELECT id, review_time, rating FROM reviews WHERE card_id = ? "
            "ORDER BY review_time, id",
            [card_id],
        )
    ]


def reviewed_cards(db: Database, deck_ids: Sequence[str] | None = None) -> list[int]:
    """Ids of the cards that have at least one review (in these decks, if given)."""
    sql = "SELECT DISTINCT card_id FROM reviews"
    if deck_ids is None:
        return [r[0] for r in db.execute(sql)]
    out: list[int] = []
    for deck_id in deck_ids:
        out.extend(r[0] for r in db.execute(sql + " WHERE deck_id = ?", [deck_id]))
    return out


def card_decks_and_resets(
    db: Database, card_ids: list[int]
) -> dict[int, tuple[str, int | None, CardKind]]:
    """{card: (deck, reset time or None, kind)}."""
    out: dict[int, tuple[str, int | None, CardKind]] = {}
    for chunk in _chunks(sorted(card_ids)):
        marks = ",".join("?" * len(chunk))
        for card_id, deck_id, reset_at, kind in db.execute(
            f"SELECT id, deck_id, reset_at, kind FROM cards WHERE id IN ({marks})", chunk
        ):
            out[card_id] = (deck_id, reset_at, CardKind(kind))
    return out


# Below this many rows, writing goes through the indexes; above, dropping them and building
# them again afterwards is several times faster (the rows come in an order the indexes don't
# have, so each write lands on a random page).
_BULK_ROWS = 20_000


def insert_reviews(db: Database, rows: Iterable[tuple[object, ...]], count: int) -> None:
    """Add `count` replayed reviews: (id, card, deck, time, rating, state before, duration).

    Their state before is not stored: replaying the card gives it (undo does), and writing
    it for a million reviews cost more than the replay itself. Rows in id order (time order)
    make the table and its time indexes grow at their ends. A big import into a smaller
    table builds the table's indexes again afterwards: the (card, time) index would
    otherwise take the rows in random order.
    """
    sql = (
        "INSERT INTO reviews (id, card_id, deck_id, review_time, rating, review_state, "
        "duration_ms) VALUES (?, ?, ?, ?, ?, ?, ?)"
    )
    if count < _BULK_ROWS or count < db.execute("SELECT count(*) FROM reviews").fetchone()[0]:
        db.conn.executemany(sql, rows)
        return
    with indexes_rebuilt(db, "reviews"):
        db.conn.executemany(sql, rows)


def delete_card_reviews(db: Database, card_ids: Iterable[int]) -> None:
    for chunk in _chunks(sorted(card_ids)):
        marks = ",".join("?" * len(chunk))
        db.execute(f"DELETE FROM reviews WHERE card_id IN ({marks})", chunk)


def set_review_states(db: Database, rows: Iterable[tuple[int, int]]) -> None:
    """(state before, review id): a replay found a different state before these reviews."""
    db.conn.executemany("UPDATE reviews SET review_state = ? WHERE id = ?", rows)


def forget_states_before(db: Database, card_ids: Iterable[int] | None) -> None:
    """Drop the stored state before each review of these cards (all when None): a replay
    changed them, and undo recomputes them from the reviews.
    """
    if card_ids is None:
        db.execute("UPDATE reviews SET card_before = NULL WHERE card_before IS NOT NULL")
        return
    for chunk in _chunks(sorted(card_ids)):
        marks = ",".join("?" * len(chunk))
        db.execute(
            "UPDATE reviews INDEXED BY reviews_undo SET card_before = NULL "
            f"WHERE card_before IS NOT NULL AND card_id IN ({marks})",
            chunk,
        )


def card_places(
    db: Database, deck_ids: Sequence[str] | None = None
) -> dict[int, tuple[str, int | None, CardKind]]:
    """{card: (deck, reset time or None, kind)} of every card of these decks (all when None)."""
    sql = "SELECT id, deck_id, reset_at, kind FROM cards"
    params: list[object] = []
    if deck_ids is not None:
        sql += f" WHERE deck_id IN ({','.join('?' * len(deck_ids))})"
        params.extend(deck_ids)
    decks: dict[str, str] = {}
    kinds = {kind.value: kind for kind in CardKind}
    return {
        card_id: (decks.setdefault(deck_id, deck_id), reset_at, kinds[kind])
        for card_id, deck_id, reset_at, kind in db.execute(sql, params)
    }


# The card indexes a replay's new states move (the unique one keeps its columns).
_STATE_INDEXES = ("cards_due", "cards_deck_due", "cards_new", "cards_memory")


def write_cards(db: Database, rows: Sequence[tuple[object, ...]]) -> None:
    """Card states from a replay: the CardRecord fields followed by the card id. Many at
    once rebuild the due and new-card indexes afterwards (each new due date would move an
    entry to a random page).
    """
    sql = (
        "UPDATE cards SET state = ?, step = ?, stability = ?, difficulty = ?, due = ?, "
        "last_review = ?, reps = ?, lapses = ? WHERE id = ?"
    )
    if len(rows) < _BULK_ROWS:
        db.conn.executemany(sql, rows)
        return
    with indexes_rebuilt(db, "cards", _STATE_INDEXES):
        db.conn.executemany(sql, rows)
