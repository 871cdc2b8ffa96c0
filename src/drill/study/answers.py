"""The answer bank: the user's own answers to each question, every version kept."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlite_utils import Database

from drill.core import clock
from drill.errors import DrillError
from drill.storage.sqlite import write_transaction

SOURCES = ("cli", "editor", "review", "mock", "deck")


@dataclass(frozen=True, slots=True)
class AnswerVersion:
    text: str
    created_at: datetime
    source: str
    duration_ms: int | None = None

    def to_json(self) -> dict[str, object]:
        return {
            "text": self.text,
            "created_at": self.created_at.isoformat().replace("+00:00", "Z"),
            "source": self.source,
        }


def save_answer(
    db: Database,
    deck_id: str,
    question_id: str,
    text: str,
    source: str,
    now: datetime,
    duration_ms: int | None = None,
) -> bool:
    """Store a new version unless it equals the latest; True if one was stored."""
    if source not in SOURCES:
        raise ValueError(f"unknown answer source {source!r}")
    text = text.strip()
    if not text:
        return False
    with write_transaction(db):
        exists = db.execute(
            "SELECT 1 FROM questions WHERE deck_id = ? AND id = ?", [deck_id, question_id]
        ).fetchone()
        if not exists:
            raise DrillError(f"no question '{deck_id}/{question_id}'")
        latest = latest_answer(db, deck_id, question_id)
        if latest is not None and latest.text == text:
            return False
        db.execute(
            "INSERT INTO answers (deck_id, question_id, text, created_at, source, duration_ms) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [deck_id, question_id, text, clock.to_ms(now), source, duration_ms],
        )
    return True


def history(db: Database, deck_id: str, question_id: str) -> list[AnswerVersion]:
    """Every version, newest first."""
    rows = db.execute(
        "SELECT text, created_at, source, duration_ms FROM answers "
        "WHERE deck_id = ? AND question_id = ? ORDER BY created_at DESC, id DESC",
        [deck_id, question_id],
    ).fetchall()
    return [AnswerVersion(r[0], clock.from_ms(r[1]), r[2], r[3]) for r in rows]


def latest_answer(db: Database, deck_id: str, question_id: str) -> AnswerVersion | None:
    row = db.execute(
        "SELECT text, created_at, source, duration_ms FROM answers "
        "WHERE deck_id = ? AND question_id = ? ORDER BY created_at DESC, id DESC LIMIT 1",
        [deck_id, question_id],
    ).fetchone()
    return AnswerVersion(row[0], clock.from_ms(row[1]), row[2], row[3]) if row else None


STAR_TEMPLATE = """Situation: where and when was this? What was at stake?

Task: what was your responsibility or goal?

Action: what did you do, step by step? (Say "I", not "we".)

Result: what happened, in numbers where you can? What did you learn?
"""


def latest_answers(db: Database, deck_id: str | None = None) -> Iterator[dict[str, Any]]:
    """The newest answer of every question that has one, in deck and file order."""
    sql = (
        "SELECT a.deck_id, a.question_id, q.question, a.text, a.created_at FROM answers a "
        "JOIN questions q ON q.deck_id = a.deck_id AND q.id = a.question_id "
        "JOIN decks d ON d.id = a.deck_id "
        "WHERE a.id = (SELECT b.id FROM answers b WHERE b.deck_id = a.deck_id "
        "AND b.question_id = a.question_id ORDER BY b.created_at DESC, b.id DESC LIMIT 1)"
    )
    params: list[Any] = []
    if deck_id is not None:
        sql += " AND a.deck_id = ?"
        params.append(deck_id)
    for row in db.execute(sql + " ORDER BY d.position, q.position", params):
        yield {
            "deck": row[0],
            "question_id": row[1],
            "question": row[2],
            "text": row[3],
            "created_at": clock.from_ms(row[4]).isoformat().replace("+00:00", "Z"),
        }


def cheat_sheet(db: Database, deck_id: str | None = None) -> str:
    """A printable Markdown sheet: each answered question, its phrasings, your latest answer,
    and the key dos and don'ts.
    """
    from drill.storage import repo

    names = {d.id: d.name for d in repo.decks(db, deck_id)}
    out = ["# My interview answers", ""]
    current = None
    for row in latest_answers(db, deck_id):
        if row["deck"] != current:
            current = row["deck"]
            out += [f"## {names.get(current, current)}", ""]
        question = repo.get_question(db, row["deck"], row["question_id"])
        assert question is not None
        out += [f"### {question.question}", ""]
        if question.variants:
            out += ["*Also asked as:* " + " · ".join(question.variants), ""]
        out += [row["text"].strip(), ""]
        for mark, items in (("Do", question.dos[:3]), ("Don't", question.donts[:3])):
            if items:
                out.append(f"**{mark}:** " + "; ".join(i.replace("\n", " ") for i in items))
        out.append("")
    if current is None:
        out += ["No answers yet: write one with `drill answer DECK/QUESTION --edit`.", ""]
    return "\n".join(out).rstrip() + "\n"
