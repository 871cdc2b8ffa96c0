"""Aggregate queries behind the progress figures: each returns sums, never review rows.

Every query reads an index range (see the index notes on each), so figures stay fast over a
million reviews. Results are keyed by deck id, or by `ALL` when not split by deck.
"""

from __future__ import annotations

import itertools
import math
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from drill.core.limits import MAX_DURATION_MS

if TYPE_CHECKING:
    from drill.storage.sqlite import Database


ALL = "*"  # the group key when results are not split by deck


@dataclass(slots=True)
class ReviewTotals:
    """Sums over one deck's reviews in a stretch of time (usually a study day)."""

    reviews: int = 0
    new: int = 0
    again: int = 0
    time_ms: int = 0
    review_state: int = 0  # reviews of cards in the review state
    passed: int = 0  # ... of which not rated Again

    def add(self, other: ReviewTotals) -> None:
        self.reviews += other.reviews
        self.new += other.new
        self.again += other.again
        self.time_ms += other.time_ms
        self.review_state += other.review_state
        self.passed += other.passed


@dataclass(frozen=True, slots=True)
class CardTotals:
    """A deck's cards: counts by state, summed recall, and stability below each bound."""

    new: int
    learning: int
    review: int
    relearning: int
    suspended: int
    recall_sum: float
    recall_count: int
    buckets: tuple[int, ...]


def deck_filter(deck_id: str | None, params: list[object]) -> str:
    """` AND deck_id = ?` (with its parameter) for one deck, nothing for all."""
    if deck_id is None:
        return ""
    params.append(deck_id)
    return " AND deck_id = ?"


def _group(by_deck: bool, column: str = "deck_id") -> tuple[str, str]:
    return (column, f" GROUP BY {column}") if by_deck else (f"'{ALL}'", "")


def has_reviews(db: Database, start_ms: int, end_ms: int, deck_id: str | None) -> bool:
    """Whether any review falls in [start_ms, end_ms): one indexed probe."""
    params: list[object] = [start_ms, end_ms]
    where = deck_filter(deck_id, params)
    sql = f"SELECT 1 FROM reviews WHERE review_time >= ? AND review_time < ?{where} LIMIT 1"
    return db.execute(sql, params).fetchone() is not None


def review_totals(
    db: Database,
    start_ms: int,
    end_ms: int,
    deck_id: str | None,
    by_deck: bool,
    *,
    light: bool = False,
) -> dict[str, ReviewTotals]:
    """{deck or ALL: sums} of reviews with start_ms <= review_time < end_ms.

    By deck, each deck's reviews are one range of the covering (deck_id, review_time, ...)
    index, read deck after deck: no table reads, and no sort for the grouping. `light`
    sums only what retention and the calendar need (reviews, and reviews of cards in the
    review state with those passed): the cost is per row and aggregate, and a stats window
    reads a million rows.
    """
    key, group = _group(by_deck)
    params: list[object] = []
    if deck_id is not None:
        index, where = "", "deck_id = ? AND "
        params.append(deck_id)
    else:
        # All decks, summed or not: each deck's range of the covering index (the time index
        # alone would read every review row for its state and rating).
        index, where = " INDEXED BY reviews_deck_time", "deck_id IN (SELECT id FROM decks) AND "
    params += [start_ms, end_ms]
    some = (
        "0, 0, 0"
        if light
        else (
            "count(*) FILTER (WHERE review_state = 0), count(*) FILTER (WHERE rating = 1), "
            # Capped as stored: a database from an older drill may hold absurd durations,
            # whose sum would overflow SQLite's integers.
            f"coalesce(sum(min(max(duration_ms, 0), {MAX_DURATION_MS})), 0)"
        )
    )
    # count(*) FILTER skips the aggregate's step for the rows it leaves out: about a third
    # faster than sum(condition) over a million rows.
    sql = (
        f"SELECT {key}, count(*), {some}, "
        "count(*) FILTER (WHERE review_state = 2), "
        "count(*) FILTER (WHERE review_state = 2 AND rating > 1) "
        f"FROM reviews{index} WHERE {where}review_time >= ? AND review_time < ?{group}"
    )
    return {row[0]: ReviewTotals(*row[1:]) for row in db.execute(sql, params) if row[1]}


def review_count(db: Database, start_ms: int, end_ms: int, deck_id: str | None) -> int:
    """Reviews with start_ms <= review_time < end_ms: counted in the time index alone (the
    calendar on the home screen asks this for each of twelve weeks' days).
    """
    params: list[object] = []
    where = deck_filter(deck_id, params)
    index = " INDEXED BY reviews_time" if deck_id is None else " INDEXED BY reviews_deck_time"
    row = db.execute(
        f"SELECT count(*) FROM reviews{index} WHERE review_time >= ? AND review_time < ?{where}",
        [start_ms, end_ms, *params],
    ).fetchone()
    return int(row[0])


def retention_since(
    db: Database, since_ms: int | None, deck_id: str | None, by_deck: bool
) -> dict[str, tuple[int, int]]:
    """{deck or ALL: (reviews in the review state, passed)} since `since_ms` (None: all).

    A time window reads the time index; all of history reads the covering
    (review_state, deck_id, rating) index, never the wide review rows.
    """
    key, group = _group(by_deck)
    params: list[object] = []
    where = "review_state = 2"
    if since_ms is not None:
        where += " AND review_time >= ?"
        params.append(since_ms)
    where += deck_filter(deck_id, params)
    if since_ms is None:
        index = " INDEXED BY reviews_state"
    else:
        index = "" if deck_id is not None else " INDEXED BY reviews_time"
    sql = (
        f"SELECT {key}, count(*), count(*) FILTER (WHERE rating > 1) "
        f"FROM reviews{index} WHERE {where}{group}"
    )
    return {r[0]: (r[1], r[2]) for r in db.execute(sql, params) if r[1]}


def total_reviews(db: Database, deck_id: str | None) -> dict[str, int]:
    """{deck: reviews}: (deck_id, review_time) covers this, an index-only scan."""
    params: list[object] = []
    where = deck_filter(deck_id, params)
    sql = f"SELECT deck_id, count(*) FROM reviews WHERE 1{where} GROUP BY deck_id"
    return {r[0]: r[1] for r in db.execute(sql, params)}


def questions_per_deck(db: Database, deck_id: str | None = None) -> dict[str, int]:
    params: list[object] = []
    where = deck_filter(deck_id, params)
    sql = f"SELECT deck_id, count(*) FROM questions WHERE 1{where} GROUP BY deck_id"
    return {r[0]: r[1] for r in db.execute(sql, params)}


def mastered_questions(
    db: Database, deck_id: str | None, by_deck: bool, min_stability: float
) -> dict[str, int]:
    """{deck or ALL: questions all of whose active cards have stability >= min_stability}."""
    params: list[object] = []
    where = deck_filter(deck_id, params)
    params.append(min_stability)
    key, group = _group(by_deck)
    sql = (
        f"SELECT {key}, count(*) FROM (SELECT deck_id FROM cards INDEXED BY cards_memory "
        f"WHERE retired = 0 AND suspended = 0{where} "
        "GROUP BY deck_id, question_id HAVING min(coalesce(stability, 0)) >= ?)"
        f"{group}"
    )
    return {r[0]: r[1] for r in db.execute(sql, params) if r[1]}


def due_between(
    db: Database, low_ms: int | None, high_ms: int, deck_id: str | None, by_deck: bool
) -> dict[str, int]:
    """{deck or ALL: active learning and review cards due in [low_ms, high_ms)}."""
    key, group = _group(by_deck)
    params: list[object] = [high_ms, -(2**63) if low_ms is None else low_ms]
    where = deck_filter(deck_id, params)
    sql = (
        f"SELECT {key}, count(*) FROM cards WHERE state IN (1, 2, 3) AND due < ? "
        f"AND due >= ? AND suspended = 0 AND retired = 0{where}{group}"
    )
    return {k: n for k, n in db.execute(sql, params) if n}


def _ensure_pow(db: Database) -> None:
    """SQLite has pow() only when built with math functions; otherwise supply Python's."""
    try:
        db.execute("SELECT pow(2, 3)").fetchone()
    except sqlite3.OperationalError:
        db.conn.create_function("pow", 2, math.pow, deterministic=True)


def card_totals(
    db: Database,
    now_ms: int,
    curves: Sequence[tuple[str, float, float]],
    bounds: Sequence[float],
    by_deck: bool,
) -> dict[str, CardTotals]:
    """Card counts, summed retrievability and stability buckets of the decks in `curves`.

    `curves` holds (deck, decay, factor) of each deck's FSRS-6 forgetting curve; `bounds` the
    upper bounds of the stability buckets (the last bucket is open). Nothing reads the wide
    card rows: the counts by state are the (deck, state, due) index minus the few cards set
    aside (their own partial index), and the rest reads the studied cards' memory index.
    """
    if not curves:
        return {}
    _ensure_pow(db)
    key, group = _group(by_deck, "c.deck_id")
    marks = ", ".join("?" for _ in curves)
    deck_ids = [deck for deck, _, _ in curves]
    by = "c.deck_id, " if by_deck else ""
    counts: dict[str, list[int]] = {}
    for deck, state, count in db.execute(
        f"SELECT {key}, c.state, count(*) FROM cards c INDEXED BY cards_deck_due "
        f"WHERE c.deck_id IN ({marks}) GROUP BY {by}c.state",
        deck_ids,
    ):
        counts.setdefault(deck, [0] * 5)[state] += count
    for deck, state, retired, count in db.execute(
        f"SELECT {key}, c.state, c.retired != 0, count(*) FROM cards c INDEXED BY "
        f"cards_set_aside WHERE (c.suspended != 0 OR c.retired != 0) AND c.deck_id IN ({marks}) "
        f"GROUP BY {by}c.state, c.retired != 0",
        deck_ids,
    ):
        # A retired card counts nowhere; a suspended one as suspended, not in its state.
        row = counts[deck]
        row[state] -= count
        if not retired:
            row[4] += count
    # Stability below each bucket's upper bound (the buckets are contiguous from 0); a
    # bucket's count is the difference of two of these.
    below = "".join(f", count(*) FILTER (WHERE c.stability < {high!r})" for high in bounds)
    active = (
        "c.retired = 0 AND c.suspended = 0 AND c.state != 0 AND c.stability > 0 "
        "AND c.last_review IS NOT NULL"
    )
    memory = "cards c INDEXED BY cards_memory"
    if len({(decay, factor) for _, decay, factor in curves}) == 1:
        # One forgetting curve for every deck (the usual case): its numbers as parameters,
        # no join per card.
        _, decay, factor = curves[0]
        params: list[object] = [factor, now_ms, decay, *deck_ids]
        sql = (
            f"SELECT {key}, coalesce(sum(pow(1 + ? * max(0, (? - c.last_review) / 86400000) "
            f"/ c.stability, ?)), 0.0), count(*){below} FROM {memory} "
            f"WHERE c.deck_id IN ({marks}) AND {active}{group}"
        )
    else:
        values = ", ".join("(?, ?, ?)" for _ in curves)
        params = [v for row in curves for v in row]
        params.append(now_ms)
        sql = (
            f"WITH curve(deck_id, decay, factor) AS (VALUES {values}) "
            f"SELECT {key}, coalesce(sum(pow(1 + curve.factor * "
            "max(0, (? - c.last_review) / 86400000) / c.stability, curve.decay)), 0.0), "
            f"count(*){below} "
            f"FROM {memory} JOIN curve ON curve.deck_id = c.deck_id WHERE {active}{group}"
        )
    reviewed: dict[str, tuple[float, int, tuple[int, ...]]] = {}
    for row in db.execute(sql, params):
        cumulative = [0, *row[3:], row[2]]
        buckets = tuple(b - a for a, b in itertools.pairwise(cumulative))
        reviewed[row[0]] = (row[1], row[2], buckets)
    empty: tuple[float, int, tuple[int, ...]] = (0.0, 0, (0,) * (len(bounds) + 1))
    out = {}
    for k in counts.keys() | reviewed.keys():
        new, learning, review, relearning, suspended = counts.get(k, (0, 0, 0, 0, 0))
        recall_sum, recall_count, buckets = reviewed.get(k, empty)
        out[k] = CardTotals(
            new, learning, review, relearning, suspended, recall_sum, recall_count, buckets
        )
    return out


def deck_card_states(db: Database) -> dict[str, tuple[int, int, int, int, int]]:
    """{deck: (cards, new, learning, review, suspended)} over cards that are not retired;
    the state counts leave suspended cards out.

    As `card_totals` counts them: every card by deck and state from the (deck, state, due)
    index, less the few set aside (suspended or retired) from theirs; the card rows are
    never read, so `drill decks` and home cost the same in one deck or two hundred.
    """
    slot = {0: 1, 1: 2, 3: 2, 2: 3}  # state -> new, learning (and relearning), review
    totals: dict[str, list[int]] = {}
    for deck, state, count in db.execute(
        "SELECT deck_id, state, count(*) FROM cards INDEXED BY cards_deck_due "
        "GROUP BY deck_id, state"
    ):
        row = totals.setdefault(deck, [0, 0, 0, 0, 0])
        row[0] += count
        row[slot[state]] += count
    for deck, state, retired, count in db.execute(
        "SELECT deck_id, state, retired != 0, count(*) FROM cards INDEXED BY cards_set_aside "
        "WHERE suspended != 0 OR retired != 0 GROUP BY deck_id, state, retired != 0"
    ):
        row = totals[deck]
        row[slot[state]] -= count
        if retired:
            row[0] -= count  # a retired card counts nowhere
        else:
            row[4] += count
    return {deck: (a, b, c, d, e) for deck, (a, b, c, d, e) in totals.items()}


def questions_seen(db: Database, deck_id: str) -> tuple[int, int]:
    """(questions, questions with any card studied) of a deck."""
    total, seen = db.execute(
        "SELECT count(*), sum(EXISTS (SELECT 1 FROM cards c WHERE c.deck_id = q.deck_id "
        "AND c.question_id = q.id AND c.state != 0)) FROM questions q WHERE q.deck_id = ?",
        [deck_id],
    ).fetchone()
    return int(total), int(seen or 0)


def leech_cards(
    db: Database, deck_id: str, threshold: int
) -> list[tuple[int, str, str, int, bool]]:
    """(card id, question id, question text, lapses, suspended) of a deck's rehearse cards
    that lapsed at least `threshold` (1 or more) times, most lapses first. Reads only those
    cards, by the (deck, kind, lapses) index of the cards that lapsed.
    """
    rows = db.execute(
        "SELECT c.id, c.question_id, q.question, c.lapses, c.suspended "
        "FROM cards c INDEXED BY cards_lapsed "
        "JOIN questions q ON q.deck_id = c.deck_id AND q.id = c.question_id "
        "WHERE c.deck_id = ? AND c.kind = 'rehearse' AND c.lapses > 0 AND c.lapses >= ? "
        "AND c.retired = 0 ORDER BY c.lapses DESC, q.position",
        [deck_id, max(1, threshold)],
    )
    return [(r[0], r[1], r[2], r[3], bool(r[4])) for r in rows]


def studied_questions(db: Database, deck_id: str | None) -> int:
    """How many questions have a card that was reviewed at least once."""
    sql = "SELECT COUNT(*) FROM (SELECT DISTINCT deck_id, question_id FROM cards WHERE reps > 0"
    params: list[object] = []
    if deck_id is not None:
        sql += " AND deck_id = ?"
        params.append(deck_id)
    return int(db.execute(sql + ")", params).fetchone()[0])


def weakest_questions(
    db: Database,
    now_ms: int,
    curves: Sequence[tuple[str, float, float]],
    per_deck: int,
) -> list[tuple[str, str, str, int, float, bool]]:
    """(deck, question id, question, lapses, lowest recall now, has an answer) of each
    deck's `per_deck` weakest reviewed questions: most lapses, then lowest recall.

    Over the active, reviewed cards of the decks in `curves` (see `card_totals`): each
    deck's range of `cards_memory`, grouped by question in index order, its weakest kept by
    a top-N sort, so only those are looked up.
    """
    if not curves:
        return []
    _ensure_pow(db)
    out: list[tuple[str, str, str, int, float, bool]] = []
    for deck_id, decay, factor in curves:
        rows = db.execute(
            "WITH per_question AS (SELECT c.deck_id, c.question_id, sum(c.lapses) AS lapses, "
            "min(pow(1 + :factor * max(0, (:now - c.last_review) / 86400000) / c.stability, "
            ":decay)) AS recall FROM cards c INDEXED BY cards_memory "
            "WHERE c.deck_id = :deck AND c.retired = 0 AND c.suspended = 0 AND c.state != 0 "
            "AND c.stability > 0 AND c.last_review IS NOT NULL "
            "GROUP BY c.deck_id, c.question_id "
            "ORDER BY lapses DESC, recall ASC, c.question_id LIMIT :n) "
            "SELECT r.deck_id, r.question_id, q.question, r.lapses, r.recall, "
            "EXISTS (SELECT 1 FROM answers a WHERE a.deck_id = r.deck_id "
            "AND a.question_id = r.question_id AND a.follow_up IS NULL) "
            "FROM per_question r JOIN questions q ON q.deck_id = r.deck_id "
            "AND q.id = r.question_id",
            {"deck": deck_id, "decay": decay, "factor": factor, "now": now_ms, "n": per_deck},
        )
        out += [(r[0], r[1], r[2], int(r[3]), float(r[4]), bool(r[5])) for r in rows]
    out.sort(key=lambda row: (-row[3], row[4], row[0], row[1]))
    return out


def answered_questions(db: Database, deck_id: str | None = None) -> dict[str, int]:
    """{deck: questions with at least one written answer} (answers to a mock's follow-up
    questions are not answers to the question).
    """
    params: list[object] = []
    where = deck_filter(deck_id, params)
    sql = (
        "SELECT deck_id, count(*) FROM (SELECT DISTINCT deck_id, question_id FROM answers "
        f"WHERE follow_up IS NULL{where}) GROUP BY deck_id"
    )
    return {r[0]: r[1] for r in db.execute(sql, params)}
