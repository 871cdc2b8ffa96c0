"""The study queue's queries: which card is next, what is left today, when more falls due.

The session decides the limits (new cards, reviews, deadline mode); these queries apply them
as given in `DeckScope`s, so every SQL statement of the queue lives here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from drill.core.model import CardKind

if TYPE_CHECKING:
    from drill.storage.sqlite import Database

_ELIGIBLE_NO_BURY = (
    "c.suspended = 0 AND c.retired = 0 AND (c.buried_until IS NULL OR c.buried_until <= :now_ms)"
)
# Siblings are buried: once any card of a question was answered this study day, the
# question's other cards wait until tomorrow (the same card's learning steps go on).
_SIBLING_FREE = (
    "NOT EXISTS (SELECT 1 FROM cards s WHERE s.deck_id = c.deck_id "
    "AND s.question_id = c.question_id AND s.id != c.id AND s.last_review >= :day_ms)"
)
_ALL_KINDS = frozenset(CardKind)


@dataclass(frozen=True, slots=True)
class DeckScope:
    """One deck as the queue sees it today: the kinds it studies and what is left of its
    daily limits. `bury_siblings` is False in deadline mode, when there may be too few days
    to study a question's cards on separate days.
    """

    deck_id: str
    kinds: frozenset[CardKind] = _ALL_KINDS
    new_left: int = 0
    reviews_left: int = 0
    bury_siblings: bool = True
    # Only these questions of the deck (a job's set), or all of them when None.
    questions: frozenset[str] | None = None
    # New questions to bring in before the others: those of a job's set with an interview
    # ahead (the rest keep the deck's order).
    first: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Window:
    """The instants (epoch ms) the queue compares due dates with."""

    now_ms: int
    day_ms: int  # when the current study day began
    end_ms: int  # when it ends

    def params(self) -> dict[str, object]:
        return {"now_ms": self.now_ms, "day_ms": self.day_ms, "end_ms": self.end_ms}


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _kind_filter(kinds: frozenset[CardKind]) -> str:
    if kinds == _ALL_KINDS:
        return ""
    names = ",".join(f"'{k.value}'" for k in CardKind if k in kinds)
    return f" AND c.kind IN ({names})"


def new_card_order(first: frozenset[str]) -> str:
    """ORDER BY for new cards: the questions in `first` (a set with an interview ahead)
    before the rest, each in the deck's order.
    """
    if not first:
        return "c.new_order"
    names = ", ".join(_quote(q) for q in sorted(first))
    return f"c.question_id NOT IN ({names}), c.new_order"


def _question_filter(questions: frozenset[str] | None) -> str:
    if questions is None:
        return ""
    if not questions:
        return " AND 0"
    return f" AND c.question_id IN ({', '.join(_quote(q) for q in sorted(questions))})"


def _deck_filter(scope: DeckScope) -> str:
    """A deck's card kinds and, for a job's set, its questions."""
    return _kind_filter(scope.kinds) + _question_filter(scope.questions)


def _scope(scopes: Sequence[DeckScope]) -> str:
    """SQL restricting cards to the given decks, each deck's card kinds and questions."""
    if not scopes:
        return " AND 0"
    parts = [f"(c.deck_id = {_quote(s.deck_id)}{_deck_filter(s)})" for s in scopes]
    return " AND (" + " OR ".join(parts) + ")"


def _eligible(scopes: Sequence[DeckScope]) -> str:
    """Not suspended, retired or buried; siblings buried except in decks that don't bury."""
    exempt = [s.deck_id for s in scopes if not s.bury_siblings]
    if not exempt:
        return f"{_ELIGIBLE_NO_BURY} AND {_SIBLING_FREE}"
    ids = ", ".join(_quote(deck_id) for deck_id in exempt)
    return f"{_ELIGIBLE_NO_BURY} AND (c.deck_id IN ({ids}) OR {_SIBLING_FREE})"


def done_today(db: Database, day_ms: int, deck_id: str | None) -> dict[str, tuple[int, int]]:
    """{deck: (new cards introduced, review-state cards reviewed)} since `day_ms`."""
    # Only today's rows should be read. Left alone, the planner prefers the
    # (deck_id, review_time) index for the GROUP BY and scans the whole history.
    params: list[object] = [day_ms]
    if deck_id is None:
        sql = (
            "SELECT deck_id, SUM(review_state = 0), SUM(review_state = 2) "
            "FROM reviews INDEXED BY reviews_time WHERE review_time >= ?"
        )
    else:
        sql = (
            "SELECT deck_id, SUM(review_state = 0), SUM(review_state = 2) "
            "FROM reviews WHERE review_time >= ? AND deck_id = ?"
        )
        params.append(deck_id)
    rows = db.execute(sql + " GROUP BY deck_id", params).fetchall()
    return {r[0]: (r[1] or 0, r[2] or 0) for r in rows}


def waiting_new(
    db: Database,
    deck_id: str,
    kinds: frozenset[CardKind],
    questions: frozenset[str] | None = None,
) -> int:
    """New cards of a deck (or of those of its questions given) that can still be
    introduced (not suspended or retired).
    """
    row = db.execute(
        "SELECT count(*) FROM cards c WHERE c.deck_id = ? AND c.state = 0 "
        f"AND c.suspended = 0 AND c.retired = 0{_kind_filter(kinds)}"
        f"{_question_filter(questions)}",
        [deck_id],
    ).fetchone()
    return int(row[0])


def next_card_id(
    db: Database, scopes: Sequence[DeckScope], window: Window, ahead_ms: int
) -> int | None:
    """The card to study now: learning cards due, then reviews due today, then new cards in
    deck order, then learning cards due before `ahead_ms` (learn ahead).
    """
    params = window.params()
    scope = _scope(scopes)
    eligible = _eligible(scopes)
    row = db.execute(
        f"SELECT c.id FROM cards c WHERE c.state IN (1, 3) AND c.due <= :now_ms{scope} "
        f"AND {eligible} ORDER BY c.due, c.id LIMIT 1",
        params,
    ).fetchone()
    if row:
        return int(row[0])
    review_scope = _scope([s for s in scopes if s.reviews_left > 0])
    row = db.execute(
        f"SELECT c.id FROM cards c WHERE c.state = 2 AND c.due < :end_ms{review_scope} "
        # A review card answered today waits for tomorrow even if its due date was
        # shortened to today (deadline mode).
        f"AND (c.last_review IS NULL OR c.last_review < :day_ms) "
        f"AND {eligible} ORDER BY c.due, c.id LIMIT 1",
        params,
    ).fetchone()
    if row:
        return int(row[0])
    for deck in scopes:
        if deck.new_left <= 0:
            continue
        row = db.execute(
            f"SELECT c.id FROM cards c WHERE c.deck_id = :deck AND c.state = 0"
            f"{_deck_filter(deck)} AND {eligible} ORDER BY {new_card_order(deck.first)} LIMIT 1",
            {**params, "deck": deck.deck_id},
        ).fetchone()
        if row:
            return int(row[0])
    row = db.execute(
        f"SELECT c.id FROM cards c WHERE c.state IN (1, 3) AND c.due <= :ahead_ms{scope} "
        f"AND {eligible} ORDER BY c.due, c.id LIMIT 1",
        {**params, "ahead_ms": ahead_ms},
    ).fetchone()
    return int(row[0]) if row else None


def counts(db: Database, scopes: Sequence[DeckScope], window: Window) -> tuple[int, int, int]:
    """(new, learning, review) left today, new and review capped by each scope's limits."""
    new = learning = reviews = 0
    for scope in scopes:
        n, lrn, rev = deck_counts(db, scope, window)
        new, learning, reviews = new + n, learning + lrn, reviews + rev
    return new, learning, reviews


def deck_counts(
    db: Database, scope: DeckScope, window: Window, *, capped: bool = True
) -> tuple[int, int, int]:
    """(new, learning, review) left today in one deck; new and review are questions (siblings
    are buried, so one card per question is studied a day), capped by the scope's limits
    unless `capped` is False.

    Each count is one range of a (deck_id, state, ...) index: the deck's own cards only, so
    counting every deck reads each due card once however many decks there are.
    """
    params = {**window.params(), "deck": scope.deck_id}
    where = f"c.deck_id = :deck{_deck_filter(scope)} AND {_eligible([scope])}"
    learning = db.execute(
        "SELECT count(*) FROM cards c INDEXED BY cards_deck_due "
        f"WHERE c.state IN (1, 3) AND c.due < :end_ms AND {where}",
        params,
    ).fetchone()[0]
    # Stop counting once the daily limit is reached (LIMIT -1: no limit).
    reviews = new = 0
    if scope.reviews_left or not capped:
        reviews = db.execute(
            "SELECT count(*) FROM (SELECT DISTINCT c.question_id FROM cards c "
            "INDEXED BY cards_deck_due WHERE c.state = 2 AND c.due < :end_ms "
            f"AND (c.last_review IS NULL OR c.last_review < :day_ms) AND {where} LIMIT :lim)",
            {**params, "lim": scope.reviews_left if capped else -1},
        ).fetchone()[0]
    if scope.new_left or not capped:
        # Through the new-card index: only the deck's new cards are read, not all.
        new = db.execute(
            "SELECT count(*) FROM (SELECT DISTINCT c.question_id FROM cards c "
            f"INDEXED BY cards_new WHERE c.state = 0 AND {where} LIMIT :lim)",
            {**params, "lim": scope.new_left if capped else -1},
        ).fetchone()[0]
    return int(new), int(learning), int(reviews)


def decks_counts(
    db: Database, scopes: Sequence[DeckScope], window: Window
) -> dict[str, tuple[int, int, int]]:
    """`deck_counts` of every scope, uncapped, with three grouped queries per kind of scope
    (decks studying the same kinds, burying or not) instead of three per deck: each deck's
    range of the index, grouped in index order.
    """
    out = {scope.deck_id: (0, 0, 0) for scope in scopes}
    Key = tuple[frozenset[CardKind], bool, frozenset[str] | None]
    shapes: dict[Key, list[str]] = {}
    for scope in scopes:
        key = (scope.kinds, scope.bury_siblings, scope.questions)
        shapes.setdefault(key, []).append(scope.deck_id)
    params = window.params()
    for (kinds, bury, questions), ids in shapes.items():
        alike = [DeckScope(d, kinds, bury_siblings=bury, questions=questions) for d in ids]
        decks = ", ".join(_quote(deck_id) for deck_id in ids)
        where = f"c.deck_id IN ({decks}){_deck_filter(alike[0])} AND {_eligible(alike)}"
        learning = dict(
            db.execute(
                "SELECT c.deck_id, count(*) FROM cards c INDEXED BY cards_deck_due "
                f"WHERE c.state IN (1, 3) AND c.due < :end_ms AND {where} GROUP BY c.deck_id",
                params,
            ).fetchall()
        )
        reviews = dict(
            db.execute(
                "SELECT c.deck_id, count(DISTINCT c.question_id) FROM cards c "
                "INDEXED BY cards_deck_due WHERE c.state = 2 AND c.due < :end_ms "
                f"AND (c.last_review IS NULL OR c.last_review < :day_ms) AND {where} "
                "GROUP BY c.deck_id",
                params,
            ).fetchall()
        )
        new = dict(
            db.execute(
                "SELECT c.deck_id, count(DISTINCT c.question_id) FROM cards c "
                f"INDEXED BY cards_new WHERE c.state = 0 AND {where} GROUP BY c.deck_id",
                params,
            ).fetchall()
        )
        for deck_id in ids:
            out[deck_id] = (new.get(deck_id, 0), learning.get(deck_id, 0), reviews.get(deck_id, 0))
    return out


def question_counts(
    db: Database, scope: DeckScope, question_id: str, window: Window
) -> tuple[int, int, int]:
    """What one question adds to its deck's uncapped `deck_counts`: (1 if a new card of it
    can be introduced, its learning cards due today, 1 if a review of it is due).

    A rating changes only its own question's share (siblings are the question's cards), so
    a session keeps its counts by reading this before and after, not every deck again.
    """
    params = {**window.params(), "deck": scope.deck_id, "question": question_id}
    where = f"c.deck_id = :deck AND c.question_id = :question{_deck_filter(scope)}"
    row = db.execute(
        "SELECT coalesce(max(c.state = 0), 0), "
        "coalesce(sum(c.state IN (1, 3) AND c.due < :end_ms), 0), "
        "coalesce(max(c.state = 2 AND c.due < :end_ms "
        "AND (c.last_review IS NULL OR c.last_review < :day_ms)), 0) "
        f"FROM cards c WHERE {where} AND {_eligible([scope])}",
        params,
    ).fetchone()
    return int(row[0]), int(row[1]), int(row[2])


def burial_bounds(db: Database, now_ms: int) -> tuple[int | None, int | None]:
    """(the latest end of a burial at or before `now_ms`, the earliest after it; None where
    there is none): between the two, the cards buried now stay buried and the others free,
    so counts taken now hold for any moment in between (the `cards_buried` index).
    """
    row = db.execute(
        "SELECT (SELECT max(buried_until) FROM cards WHERE buried_until <= :now), "
        "(SELECT min(buried_until) FROM cards WHERE buried_until > :now)",
        {"now": now_ms},
    ).fetchone()
    return row[0], row[1]


def next_due(
    db: Database, scopes: Sequence[DeckScope], now_ms: int
) -> tuple[int | None, int | None, bool]:
    """(earliest learning due after now, earliest review due, whether any new card waits)."""
    scope = _scope(scopes)
    learning = db.execute(
        "SELECT min(c.due) FROM cards c WHERE c.state IN (1, 3) AND c.suspended = 0 "
        f"AND c.retired = 0 AND c.due > :now{scope}",
        {"now": now_ms},
    ).fetchone()[0]
    review = db.execute(
        "SELECT min(c.due) FROM cards c WHERE c.state = 2 AND c.suspended = 0 "
        f"AND c.retired = 0{scope}"
    ).fetchone()[0]
    has_new = db.execute(
        f"SELECT 1 FROM cards c WHERE c.state = 0 AND c.suspended = 0 AND c.retired = 0{scope} "
        "LIMIT 1"
    ).fetchone()
    return learning, review, has_new is not None
