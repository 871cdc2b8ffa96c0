"""The story bank's tables: stories, every version of their text, and their question links."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from drill.storage.sqlite import Database

# (id, title, competencies as JSON, created ms, latest text, latest ms, versions, links)
StoryRow = tuple[str, str, str, int, str, int, int, int]

_STORY = (
    "SELECT s.id, s.title, s.competencies, s.created_at, v.text, v.created_at, "
    "(SELECT COUNT(*) FROM story_versions c WHERE c.story_id = s.id), "
    "(SELECT COUNT(*) FROM story_links l JOIN questions q "
    "ON q.deck_id = l.deck_id AND q.id = l.question_id WHERE l.story_id = s.id) "
    "FROM stories s JOIN story_versions v ON v.id = ("
    "SELECT w.id FROM story_versions w WHERE w.story_id = s.id "
    "ORDER BY w.created_at DESC, w.id DESC LIMIT 1)"
)


def _row(row: tuple[object, ...]) -> StoryRow:
    return (
        str(row[0]),
        str(row[1]),
        str(row[2]),
        int(row[3]),  # type: ignore[call-overload]
        str(row[4]),
        int(row[5]),  # type: ignore[call-overload]
        int(row[6]),  # type: ignore[call-overload]
        int(row[7]),  # type: ignore[call-overload]
    )


def exists(db: Database, story_id: str) -> bool:
    return db.execute("SELECT 1 FROM stories WHERE id = ?", [story_id]).fetchone() is not None


def ids(db: Database) -> set[str]:
    return {row[0] for row in db.execute("SELECT id FROM stories")}


def insert(
    db: Database, story_id: str, title: str, competencies: list[str], created_ms: int
) -> None:
    db.execute(
        "INSERT INTO stories (id, title, competencies, created_at) VALUES (?, ?, ?, ?)",
        [story_id, title, json.dumps(competencies), created_ms],
    )


def add_version(db: Database, story_id: str, text: str, created_ms: int, source: str) -> None:
    db.execute(
        "INSERT INTO story_versions (story_id, text, created_at, source) VALUES (?, ?, ?, ?)",
        [story_id, text, created_ms, source],
    )


def set_title(db: Database, story_id: str, title: str) -> None:
    db.execute("UPDATE stories SET title = ? WHERE id = ?", [title, story_id])


def set_competencies(db: Database, story_id: str, competencies: list[str]) -> None:
    db.execute(
        "UPDATE stories SET competencies = ? WHERE id = ?", [json.dumps(competencies), story_id]
    )


def delete(db: Database, story_id: str) -> None:
    db.execute("DELETE FROM stories WHERE id = ?", [story_id])


def get(db: Database, story_id: str) -> StoryRow | None:
    row = db.execute(_STORY + " WHERE s.id = ?", [story_id]).fetchone()
    return _row(row) if row else None


def iter_all(db: Database) -> Iterator[StoryRow]:
    """Every story, oldest first."""
    for row in db.execute(_STORY + " ORDER BY s.created_at, s.id"):
        yield _row(row)


def versions(db: Database, story_id: str) -> list[tuple[str, int, str]]:
    """(text, created ms, source) of a story's versions, newest first."""
    return [
        (r[0], r[1], r[2])
        for r in db.execute(
            "SELECT text, created_at, source FROM story_versions WHERE story_id = ? "
            "ORDER BY created_at DESC, id DESC",
            [story_id],
        )
    ]


def link(db: Database, story_id: str, deck_id: str, question_id: str, created_ms: int) -> bool:
    """Link a story to a question; False if it was linked already."""
    cursor = db.execute(
        "INSERT OR IGNORE INTO story_links (story_id, deck_id, question_id, created_at) "
        "VALUES (?, ?, ?, ?)",
        [story_id, deck_id, question_id, created_ms],
    )
    return bool(cursor.rowcount)


def unlink(db: Database, story_id: str, deck_id: str, question_id: str) -> bool:
    cursor = db.execute(
        "DELETE FROM story_links WHERE story_id = ? AND deck_id = ? AND question_id = ?",
        [story_id, deck_id, question_id],
    )
    return bool(cursor.rowcount)


def links(db: Database, story_id: str | None = None) -> list[tuple[str, str, str]]:
    """(story, deck, question) of every link (of one story), in deck and file order."""
    sql = (
        "SELECT l.story_id, l.deck_id, l.question_id FROM story_links l "
        "JOIN questions q ON q.deck_id = l.deck_id AND q.id = l.question_id "
        "JOIN decks d ON d.id = l.deck_id"
    )
    params: list[object] = []
    if story_id is not None:
        sql += " WHERE l.story_id = ?"
        params.append(story_id)
    return [
        (r[0], r[1], r[2]) for r in db.execute(sql + " ORDER BY d.position, q.position", params)
    ]


def stories_for(db: Database, deck_id: str, question_id: str) -> list[str]:
    """The ids of the stories linked to a question, oldest link first."""
    return [
        r[0]
        for r in db.execute(
            "SELECT story_id FROM story_links WHERE deck_id = ? AND question_id = ? "
            "ORDER BY created_at, story_id",
            [deck_id, question_id],
        )
    ]
