"""The question sets of jobs with an interview ahead.

Apart from the rest of the job tables (storage/jobs.py) because the daily intake reads them
on every start-up (`drill next`), which needs none of the jobs' other records.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from drill.storage.sqlite import Database


@dataclass(frozen=True, slots=True)
class UpcomingSet:
    """A job with an interview ahead, and its set ({deck: question ids})."""

    job_id: int
    name: str  # "Title at Company"
    interview: date
    members: dict[str, frozenset[str]]


def upcoming_sets(db: Database, after: date) -> list[UpcomingSet]:
    """The sets of the jobs whose interview is after `after`, soonest first."""
    out: dict[int, tuple[str, date, dict[str, set[str]]]] = {}
    for job_id, title, company, interview, deck_id, question_id in db.execute(
        "SELECT j.id, j.title, j.company, j.interview, q.deck_id, q.question_id FROM jobs j "
        "JOIN job_questions q ON q.job_id = j.id "
        "WHERE j.interview > ? AND q.origin != 'removed' ORDER BY j.interview, j.id",
        [after.isoformat()],
    ):
        name = f"{title} at {company}" if company else title
        entry = out.setdefault(job_id, (name, date.fromisoformat(interview), {}))
        entry[2].setdefault(deck_id, set()).add(question_id)
    return [
        UpcomingSet(job_id, name, day, {deck: frozenset(ids) for deck, ids in members.items()})
        for job_id, (name, day, members) in out.items()
    ]
