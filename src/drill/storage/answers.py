"""The answer bank's table (every version of the user's own answer to each question), and
the notes typed on Why and Dos cards, which are not answers.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from drill.core.limits import capped_duration

if TYPE_CHECKING:
    from drill.storage.sqlite import Database


def question_exists(db: Database, deck_id: str, question_id: str) -> bool:
    row = db.execute(
        "SELECT 1 FROM questions WHERE deck_id = ? AND id = ?", [deck_id, question_id]
    ).fetchone()
    return row is not None


def add_version(
    db: Database,
    deck_id: str,
    question_id: str,
    text: str,
    created_ms: int,
    source: str,
    duration_ms: int | None = None,
    follow_up: str | None = None,
) -> None:
    """Store an answer; with `follow_up` (the follow-up question), an answer to that instead,
    which is kept apart from the versions of the question's own answer.
    """
    db.execute(
        "INSERT INTO answers "
        "(deck_id, question_id, text, created_at, source, duration_ms, follow_up) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        [
            deck_id,
            question_id,
            text,
            created_ms,
            source,
            capped_duration(duration_ms),
            follow_up,
        ],
    )


def follow_ups(
    db: Database, deck_id: str, question_id: str
) -> list[tuple[str, str, int, int | None]]:
    """(follow-up question, text, created ms, duration ms) of a question's follow-up answers,
    newest first.
    """
    rows = db.execute(
        "SELECT follow_up, text, created_at, duration_ms FROM answers "
        "WHERE deck_id = ? AND question_id = ? AND follow_up IS NOT NULL "
        "ORDER BY created_at DESC, id DESC",
        [deck_id, question_id],
    )
    return [(r[0], r[1], r[2], r[3]) for r in rows]


def versions(
    db: Database, deck_id: str, question_id: str, limit: int | None = None
) -> list[tuple[str, int, str, int | None]]:
    """(text, created ms, source, duration ms) of a question's answers, newest first."""
    sql = (
        "SELECT text, created_at, source, duration_ms FROM answers "
        "WHERE deck_id = ? AND question_id = ? AND follow_up IS NULL "
        "ORDER BY created_at DESC, id DESC"
    )
    params: list[object] = [deck_id, question_id]
    if limit is not None:
        sql += " LIMIT ?"
        params.append(limit)
    return [(r[0], r[1], r[2], r[3]) for r in db.execute(sql, params)]


def iter_latest(db: Database, deck_id: str | None) -> Iterator[tuple[str, str, str, str, int]]:
    """(deck, question id, question text, answer, created ms): the newest answer of every
    question that has one, in deck and file order.
    """
    sql = (
        "SELECT a.deck_id, a.question_id, q.question, a.text, a.created_at FROM answers a "
        "JOIN questions q ON q.deck_id = a.deck_id AND q.id = a.question_id "
        "JOIN decks d ON d.id = a.deck_id "
        "WHERE a.id = (SELECT b.id FROM answers b WHERE b.deck_id = a.deck_id "
        "AND b.question_id = a.question_id AND b.follow_up IS NULL "
        "ORDER BY b.created_at DESC, b.id DESC LIMIT 1)"
    )
    params: list[object] = []
    if deck_id is not None:
        sql += " AND a.deck_id = ?"
        params.append(deck_id)
    yield from db.execute(sql + " ORDER BY d.position, q.position", params)


def iter_versions_since(
    db: Database, deck_id: str | None, since_ms: int
) -> Iterator[tuple[str, str, str, int]]:
    """(deck, question id, text, created ms) of every version saved since `since_ms`, oldest
    first, by the (deck_id, question_id, created_at) index or a scan of the answers table,
    which holds what one person typed.
    """
    sql = "SELECT deck_id, question_id, text, created_at FROM answers WHERE created_at >= ?"
    params: list[object] = [since_ms]
    if deck_id is not None:
        sql += " AND deck_id = ?"
        params.append(deck_id)
    yield from db.execute(sql + " ORDER BY created_at, id", params)


def answered_questions(db: Database, deck_id: str | None) -> int:
    """How many questions have at least one saved answer."""
    sql = (
        "SELECT COUNT(*) FROM (SELECT DISTINCT a.deck_id, a.question_id FROM answers a "
        "JOIN questions q ON q.deck_id = a.deck_id AND q.id = a.question_id"
    )
    params: list[object] = []
    if deck_id is not None:
        sql += " WHERE a.deck_id = ?"
        params.append(deck_id)
    return int(db.execute(sql + ")", params).fetchone()[0])


def add_note(
    db: Database,
    deck_id: str,
    question_id: str,
    kind: str,
    text: str,
    created_ms: int,
    duration_ms: int | None = None,
) -> None:
    db.execute(
        "INSERT INTO card_notes (deck_id, question_id, kind, text, created_at, duration_ms) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        [deck_id, question_id, kind, text, created_ms, duration_ms],
    )


def notes(
    db: Database, deck_id: str, question_id: str, kind: str | None = None, limit: int | None = None
) -> list[tuple[str, str, int, int | None]]:
    """(kind, text, created ms, duration ms) of a question's card notes (one kind's, if
    given), newest first.
    """
    sql = (
        "SELECT kind, text, created_at, duration_ms FROM card_notes "
        "WHERE deck_id = ? AND question_id = ?"
    )
    params: list[object] = [deck_id, question_id]
    if kind is not None:
        sql += " AND kind = ?"
        params.append(kind)
    sql += " ORDER BY created_at DESC, id DESC"
    if limit is not None:
        sql += " LIMIT ?"
        params.append(limit)
    return [(r[0], r[1], r[2], r[3]) for r in db.execute(sql, params)]
