"""The queries behind the daily time budget: time spent, what is owed, what falls due ahead,
and the new cards the queue would show next.

Each reads today's reviews or an index range of cards; none reads the whole history.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from drill.core.model import KIND_ORDER, CardKind, CardRecord, Rating
from drill.storage.queue import new_card_order

if TYPE_CHECKING:
    from drill.storage.sqlite import Database

_ACTIVE = (
    "c.suspended = 0 AND c.retired = 0 AND (c.buried_until IS NULL OR c.buried_until <= :now_ms)"
)
_SIBLING_REVIEWED_TODAY = (
    "EXISTS (SELECT 1 FROM cards s WHERE s.deck_id = c.deck_id AND s.question_id = c.question_id "
    "AND s.id != c.id AND s.last_review >= :day_ms)"
)


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def deck_list(deck_ids: Sequence[str]) -> str:
    """These decks as an SQL list of quoted ids, `(NULL)` (matching none) when empty."""
    return "(" + ", ".join(_quote(d) for d in deck_ids) + ")" if deck_ids else "(NULL)"


def _only(questions: frozenset[str] | None) -> str:
    """SQL keeping to some questions of a deck (a job's set), or nothing for None."""
    if questions is None:
        return ""
    if not questions:
        return " AND 0"
    return f" AND c.question_id IN ({', '.join(_quote(q) for q in sorted(questions))})"


def recent_durations(db: Database, kind: CardKind, limit: int, before_ms: int) -> list[int]:
    """The durations (ms) of the latest `limit` timed reviews of this kind made before
    `before_ms`, newest first.
    """
    return [
        r[0]
        for r in db.execute(
            "SELECT r.duration_ms FROM reviews r INDEXED BY reviews_time "
            "JOIN cards c ON c.id = r.card_id "
            "WHERE r.review_time < ? AND c.kind = ? AND r.duration_ms IS NOT NULL "
            "ORDER BY r.review_time DESC LIMIT ?",
            [before_ms, kind.value, limit],
        )
    ]


def first_ratings(db: Database, before_ms: int) -> dict[Rating, int]:
    """How often each rating was given to a card's first view before `before_ms`: all of them
    from the covering state index, less the few since (by the time index).
    """
    counts = {
        Rating(r): n
        for r, n in db.execute(
            "SELECT rating, count(*) FROM reviews INDEXED BY reviews_state "
            "WHERE review_state = 0 GROUP BY rating"
        )
    }
    for r, n in db.execute(
        "SELECT rating, count(*) FROM reviews INDEXED BY reviews_time "
        "WHERE review_time >= ? AND review_state = 0 GROUP BY rating",
        [before_ms],
    ):
        counts[Rating(r)] -= n
    return {rating: n for rating, n in counts.items() if n}


def reviews_since(db: Database, since_ms: int) -> list[tuple[str, CardKind, int, int | None]]:
    """(deck, kind, state before, duration ms or None) of every review since `since_ms`
    (today's, in practice).
    """
    return [
        (deck, CardKind(kind), state, duration)
        for deck, kind, state, duration in db.execute(
            "SELECT r.deck_id, c.kind, r.review_state, r.duration_ms "
            "FROM reviews r INDEXED BY reviews_time "
            "JOIN cards c ON c.id = r.card_id WHERE r.review_time >= ?",
            [since_ms],
        )
    ]


def questions_started_since(db: Database, since_ms: int) -> dict[str, int]:
    """{deck: questions first studied at or after `since_ms`} (see `started_questions_since`)."""
    return {deck: len(ids) for deck, ids in started_questions_since(db, since_ms).items()}


_STARTED_BEFORE = (
    "EXISTS (SELECT 1 FROM cards s JOIN reviews e ON e.card_id = s.id "
    "WHERE s.deck_id = q.deck_id AND s.question_id = q.question_id "
    "AND e.review_time < :since AND e.review_time >= coalesce(s.reset_at, 0))"
)


def started_questions_since(db: Database, since_ms: int) -> dict[str, frozenset[str]]:
    """{deck: ids of the questions first studied at or after `since_ms`}: a card of theirs had
    its first view since then, and none of their cards had a view before (since a reset).
    """
    out: dict[str, set[str]] = {}
    for deck_id, question_id in db.execute(
        "SELECT q.deck_id, q.question_id FROM (SELECT DISTINCT c.deck_id, c.question_id "
        "FROM reviews r INDEXED BY reviews_time JOIN cards c ON c.id = r.card_id "
        "WHERE r.review_time >= :since AND r.review_state = 0) q "
        f"WHERE NOT {_STARTED_BEFORE}",
        {"since": since_ms},
    ):
        out.setdefault(deck_id, set()).add(question_id)
    return {deck: frozenset(ids) for deck, ids in out.items()}


def question_started_since(db: Database, deck_id: str, question_id: str, since_ms: int) -> bool:
    """Whether one question is among `started_questions_since(since_ms)` (its own cards and
    their reviews only: what a session asks after rating one of them).
    """
    row = db.execute(
        "SELECT 1 FROM (SELECT :deck AS deck_id, :question AS question_id) q "
        "WHERE EXISTS (SELECT 1 FROM cards c JOIN reviews r ON r.card_id = c.id "
        "WHERE c.deck_id = q.deck_id AND c.question_id = q.question_id "
        "AND r.review_time >= :since AND r.review_state = 0) "
        f"AND NOT {_STARTED_BEFORE}",
        {"deck": deck_id, "question": question_id, "since": since_ms},
    ).fetchone()
    return row is not None


@dataclass(frozen=True, slots=True)
class Owed:
    """Due cards of one deck and kind: learning cards by (state, step), and review cards."""

    deck_id: str
    kind: CardKind
    state: int
    step: int | None
    cards: int


def owed_today(
    db: Database,
    deck_ids: Sequence[str],
    burying: Sequence[str],
    now_ms: int,
    day_ms: int,
    end_ms: int,
    question_id: str | None = None,
) -> list[Owed]:
    """Cards still to be shown today in these decks: learning cards due before the day ends,
    and review cards due today and not yet answered today. In decks that bury siblings
    (`burying`), one review card per question (the first in queue order), and none of a
    question answered today.

    With `question_id`, only that question's cards (in the one deck given): what a rating of
    one of them can change, since a question's share of these counts is its own.
    """
    params = {"now_ms": now_ms, "day_ms": day_ms, "end_ms": end_ms, "question": question_id}
    # One question's cards are found by the (deck, question, kind) key: the unary + keeps
    # the planner off the state indexes, whose ranges hold every due card of the deck.
    column, one = "c.state", ""
    if question_id is not None:
        column, one = "+c.state", " AND c.question_id = :question"
    out = [
        Owed(deck, CardKind(kind), state, step, n)
        for deck, kind, state, step, n in db.execute(
            "SELECT c.deck_id, c.kind, c.state, c.step, count(*) FROM cards c "
            f"WHERE {column} IN (1, 3) AND c.due < :end_ms AND c.deck_id IN {deck_list(deck_ids)} "
            f"AND {_ACTIVE}{one} GROUP BY 1, 2, 3, 4",
            params,
        )
    ]
    free = [d for d in deck_ids if d not in set(burying)]
    buried = [d for d in deck_ids if d in set(burying)]
    review = (
        f"{column} = 2 AND c.due < :end_ms "
        f"AND (c.last_review IS NULL OR c.last_review < :day_ms) AND {_ACTIVE}{one}"
    )
    rows: list[tuple[str, str, int]] = []
    if free:
        rows += db.execute(
            f"SELECT c.deck_id, c.kind, count(*) FROM cards c WHERE {review} "
            f"AND c.deck_id IN {deck_list(free)} GROUP BY 1, 2",
            params,
        ).fetchall()
    if buried:
        rows += db.execute(
            "SELECT deck_id, kind, count(*) FROM (SELECT c.deck_id, c.kind, row_number() OVER "
            "(PARTITION BY c.deck_id, c.question_id ORDER BY c.due, c.id) AS n FROM cards c "
            f"WHERE {review} AND c.deck_id IN {deck_list(buried)} "
            f"AND NOT {_SIBLING_REVIEWED_TODAY}) WHERE n = 1 GROUP BY 1, 2",
            params,
        ).fetchall()
    out += [Owed(deck, CardKind(kind), 2, None, n) for deck, kind, n in rows]
    return out


def due_between(
    db: Database, deck_ids: Sequence[str], start_ms: int, end_ms: int
) -> list[tuple[str, CardKind, int]]:
    """(deck, kind, cards) of active learning and review cards due in [start_ms, end_ms)."""
    return [
        (deck, CardKind(kind), n)
        for deck, kind, n in db.execute(
            "SELECT deck_id, kind, count(*) FROM cards "
            "WHERE state IN (1, 2, 3) AND due >= ? AND due < ? AND suspended = 0 AND retired = 0 "
            f"AND deck_id IN {deck_list(deck_ids)} GROUP BY 1, 2",
            [start_ms, end_ms],
        )
    ]


@dataclass(frozen=True, slots=True)
class NewCard:
    """A new card in queue order: whether its question was started (another card of it was
    studied), and the kinds of the question's new cards (itself included), in kind order.
    """

    card_id: int
    question_id: str
    kind: CardKind
    started: bool
    new_kinds: tuple[CardKind, ...]


def next_new_cards(
    db: Database,
    deck_id: str,
    kinds: frozenset[CardKind],
    limit: int,
    *,
    now_ms: int,
    day_ms: int,
    bury_siblings: bool,
    questions: frozenset[str] | None = None,
    first: frozenset[str] = frozenset(),
) -> list[NewCard]:
    """The first `limit` new cards the queue would show from this deck (or from those of its
    questions given), in its order (the same eligibility: not suspended, retired or buried,
    siblings answered today wait).
    """
    if limit <= 0:
        return []
    names = ",".join(_quote(k.value) for k in CardKind if k in kinds)
    bury = f" AND NOT {_SIBLING_REVIEWED_TODAY}" if bury_siblings else ""
    rows = db.execute(
        "SELECT c.id, c.question_id, c.kind, EXISTS (SELECT 1 FROM cards s "
        "WHERE s.deck_id = c.deck_id AND s.question_id = c.question_id AND s.state != 0), "
        "(SELECT group_concat(s.kind) FROM cards s WHERE s.deck_id = c.deck_id "
        "AND s.question_id = c.question_id AND s.state = 0 AND s.suspended = 0 "
        f"AND s.retired = 0 AND s.kind IN ({names})) "
        "FROM cards c INDEXED BY cards_new "
        f"WHERE c.deck_id = :deck AND c.state = 0 AND c.kind IN ({names}) AND {_ACTIVE}{bury}"
        f"{_only(questions)} "
        f"ORDER BY {new_card_order(first)} LIMIT :limit",
        {"deck": deck_id, "now_ms": now_ms, "day_ms": day_ms, "limit": limit},
    ).fetchall()
    return [
        NewCard(
            card_id,
            question_id,
            CardKind(kind),
            bool(started),
            tuple(
                sorted(
                    (CardKind(k) for k in (siblings or kind).split(",")),
                    key=lambda k: KIND_ORDER[k],
                )
            ),
        )
        for card_id, question_id, kind, started, siblings in rows
    ]


def unseen_questions(
    db: Database,
    deck_id: str,
    kinds: frozenset[CardKind],
    questions: frozenset[str] | None = None,
) -> int:
    """Questions of a deck (or of those given) with a card that can be studied and no card
    studied yet.
    """
    names = ",".join(_quote(k.value) for k in CardKind if k in kinds)
    row = db.execute(
        "SELECT count(DISTINCT c.question_id) FROM cards c WHERE c.deck_id = ? AND c.state = 0 "
        f"AND c.suspended = 0 AND c.retired = 0 AND c.kind IN ({names}){_only(questions)} "
        "AND NOT EXISTS "
        "(SELECT 1 FROM cards s WHERE s.deck_id = c.deck_id AND s.question_id = c.question_id "
        "AND s.state != 0)",
        [deck_id],
    ).fetchone()
    return int(row[0])


def due_before(
    db: Database, deck_ids: Sequence[str], end_ms: int, question_id: str | None = None
) -> Iterator[tuple[str, CardKind, CardRecord]]:
    """(deck, kind, state) of the active learning and review cards due before `end_ms` (of
    one question of the one deck given, by its key, with `question_id`).
    """
    state, one = "state", ""
    if question_id is not None:
        state, one = "+state", f" AND question_id = {_quote(question_id)}"
    for row in db.execute(
        "SELECT deck_id, kind, state, step, stability, difficulty, due, last_review, reps, "
        f"lapses FROM cards WHERE {state} IN (1, 2, 3) AND due < ? AND suspended = 0 "
        f"AND retired = 0 AND deck_id IN {deck_list(deck_ids)}{one}",
        [end_ms],
    ):
        yield row[0], CardKind(row[1]), CardRecord(*row[2:])


def first_review_times(db: Database, deck_ids: Sequence[str]) -> dict[int, int]:
    """{card: time of its first review since its reset} for cards reviewed twice or more."""
    return dict(
        db.execute(
            "SELECT c.id, (SELECT min(r.review_time) FROM reviews r WHERE r.card_id = c.id "
            "AND r.review_time >= coalesce(c.reset_at, 0)) FROM cards c "
            f"WHERE c.reps >= 2 AND c.retired = 0 AND c.deck_id IN {deck_list(deck_ids)}"
        ).fetchall()
    )
