"""The tables of job targets: a posting, and the questions chosen for its interview."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from drill.core.limits import FIRST_DATE, LAST_DATE
from drill.core.model import CardKind

if TYPE_CHECKING:
    from drill.storage.sqlite import Database

ORIGINS = ("ranked", "opener", "added", "removed")


@dataclass(frozen=True, slots=True)
class JobRow:
    id: int
    title: str
    company: str
    interview: date | None
    posting: str
    size: int
    created_ms: int
    updated_ms: int


@dataclass(frozen=True, slots=True)
class JobQuestionRow:
    """A question of a job's set; `origin` says how it got there ("removed": taken out by
    hand, kept so a new ranking does not bring it back).
    """

    deck_id: str
    question_id: str
    origin: str
    position: int
    score: float | None
    reason: str


@dataclass(frozen=True, slots=True)
class QuestionProgress:
    """How far a question of a set is: its rehearse card's reviews and the latest answer."""

    deck_id: str
    question_id: str
    reps: int
    suspended: bool
    answer: str | None


_JOB_COLUMNS = "id, title, company, interview, posting, size, created_at, updated_at"


def stored_interview(value: object) -> date | None:
    """A job's interview date as stored; one damaged outside drill (not a date, or outside
    the dates drill takes) reads as none, so the job stays usable until it is set again."""
    if not isinstance(value, str) or not value:
        return None
    try:
        day = date.fromisoformat(value)
    except ValueError:
        return None
    return day if FIRST_DATE <= day <= LAST_DATE else None


def _job(row: tuple[Any, ...]) -> JobRow:
    return JobRow(row[0], row[1], row[2], stored_interview(row[3]), row[4], row[5], row[6], row[7])


def insert_job(
    db: Database,
    *,
    title: str,
    company: str,
    interview: date | None,
    posting: str,
    size: int,
    now_ms: int,
) -> int:
    cursor = db.execute(
        "INSERT INTO jobs (title, company, interview, posting, size, created_at, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        [
            title,
            company,
            interview.isoformat() if interview else None,
            posting,
            size,
            now_ms,
            now_ms,
        ],
    )
    job_id = cursor.lastrowid
    assert job_id is not None
    return int(job_id)


def update_job(db: Database, job_id: int, now_ms: int, **changes: Any) -> None:
    """Change some of title, company, interview (a date or None) and size."""
    allowed = {"title", "company", "interview", "size"}
    assert set(changes) <= allowed, changes
    if not changes:
        return
    values = {
        key: (value.isoformat() if isinstance(value, date) else value)
        for key, value in changes.items()
    }
    assignments = ", ".join(f"{key} = ?" for key in values)
    db.execute(
        f"UPDATE jobs SET {assignments}, updated_at = ? WHERE id = ?",
        [*values.values(), now_ms, job_id],
    )


def get_job(db: Database, job_id: int) -> JobRow | None:
    row = db.execute(f"SELECT {_JOB_COLUMNS} FROM jobs WHERE id = ?", [job_id]).fetchone()
    return _job(row) if row else None


def list_jobs(db: Database) -> list[JobRow]:
    """Every job, the soonest interview first, then those without a date, newest first."""
    rows = db.execute(
        f"SELECT {_JOB_COLUMNS} FROM jobs "
        "ORDER BY interview IS NULL, interview, created_at DESC, id DESC"
    ).fetchall()
    return [_job(row) for row in rows]


def deck_sources(db: Database) -> dict[str, str]:
    """{deck: where it came from} ("bundled" for the decks drill ships)."""
    return {row[0]: row[1] for row in db.execute("SELECT id, source FROM decks")}


def job_ids(db: Database) -> list[int]:
    return [int(r[0]) for r in db.execute("SELECT id FROM jobs ORDER BY id")]


def delete_job(db: Database, job_id: int) -> bool:
    return db.execute("DELETE FROM jobs WHERE id = ?", [job_id]).rowcount > 0


def job_questions(db: Database, job_id: int, *, with_removed: bool = False) -> list[JobQuestionRow]:
    """A job's questions in set order (the removed ones only when asked for)."""
    sql = (
        "SELECT deck_id, question_id, origin, position, score, reason FROM job_questions "
        "WHERE job_id = ?"
    )
    if not with_removed:
        sql += " AND origin != 'removed'"
    rows = db.execute(sql + " ORDER BY position, deck_id, question_id", [job_id]).fetchall()
    return [JobQuestionRow(*row) for row in rows]


def replace_questions(db: Database, job_id: int, rows: Iterable[JobQuestionRow]) -> None:
    """Make `rows` the job's whole question list (set and removed ones)."""
    db.execute("DELETE FROM job_questions WHERE job_id = ?", [job_id])
    db.conn.executemany(
        "INSERT INTO job_questions "
        "(job_id, deck_id, question_id, origin, position, score, reason) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        [(job_id, r.deck_id, r.question_id, r.origin, r.position, r.score, r.reason) for r in rows],
    )


def set_members(db: Database, job_id: int) -> dict[str, list[str]]:
    """{deck: [question ids]} of the questions in a job's set."""
    out: dict[str, list[str]] = {}
    for deck_id, question_id in db.execute(
        "SELECT deck_id, question_id FROM job_questions WHERE job_id = ? "
        "AND origin != 'removed' ORDER BY position",
        [job_id],
    ):
        out.setdefault(deck_id, []).append(question_id)
    return out


def interviews_for(db: Database, deck_id: str, question_id: str) -> list[date]:
    """The interview dates of the jobs whose set holds this question."""
    rows = db.execute(
        "SELECT j.interview FROM job_questions q JOIN jobs j ON j.id = q.job_id "
        "WHERE q.deck_id = ? AND q.question_id = ? AND q.origin != 'removed' "
        "AND j.interview IS NOT NULL",
        [deck_id, question_id],
    ).fetchall()
    return [day for row in rows if (day := stored_interview(row[0])) is not None]


def progress(db: Database, job_id: int) -> list[QuestionProgress]:
    """Each question of the set (in order) with its rehearse card's reviews and the text of
    its latest answer (None without one).
    """
    rows = db.execute(
        "SELECT q.deck_id, q.question_id, coalesce(c.reps, 0), coalesce(c.suspended, 0), "
        "(SELECT a.text FROM answers a WHERE a.deck_id = q.deck_id "
        "AND a.question_id = q.question_id ORDER BY a.created_at DESC, a.id DESC LIMIT 1) "
        "FROM job_questions q LEFT JOIN cards c ON c.deck_id = q.deck_id "
        "AND c.question_id = q.question_id AND c.kind = ? AND c.retired = 0 "
        "WHERE q.job_id = ? AND q.origin != 'removed' ORDER BY q.position",
        [CardKind.REHEARSE.value, job_id],
    ).fetchall()
    return [QuestionProgress(r[0], r[1], int(r[2]), bool(r[3]), r[4]) for r in rows]
