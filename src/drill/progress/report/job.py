"""A job's readiness in the progress report (`drill export stats --job ID`), for a coach:
the countdown, what is rehearsed and answered, the key terms the answers use, each
requirement with its question or gap, and the set.

The rows are plain text here; html.py and markdown.py escape them for their format.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from drill.library.jobs import JobDetail


@dataclass(frozen=True, slots=True)
class JobReport:
    title: str
    countdown: str
    figures: tuple[tuple[str, str], ...]
    requirements: tuple[tuple[str, str], ...]  # (requirement, its question or "gap: …")
    questions: tuple[tuple[str, str, str, str, str], ...]  # question, why, rehearsed, answer, terms
    never_mentioned: tuple[str, ...]


QUESTION_COLUMNS = ("Question", "Why it is in the set", "Rehearsed", "Answer", "Posting terms")


def job_report(detail: JobDetail) -> JobReport:
    summary = detail.summary
    where = f" at {summary.company}" if summary.company else ""
    if summary.interview is None:
        countdown = "No interview date set."
    elif summary.days_left is None:
        countdown = f"The interview was on {summary.interview.isoformat()}."
    else:
        countdown = (
            f"Interview on {summary.interview.isoformat()}, in {summary.days_left} "
            f"day{'' if summary.days_left == 1 else 's'}."
        )
    r = summary.readiness
    figures = (
        ("Questions in the set", f"{r.questions}"),
        ("Rehearsed at least once", f"{r.rehearsed} of {r.questions}"),
        ("Answers written", f"{r.answered} of {r.questions}"),
        ("Key terms the answers use", f"{r.terms_covered} of {r.terms}"),
        ("Requirements without a question (gaps)", f"{len(detail.gaps)}"),
    )
    requirements = []
    for match in detail.requirements:
        if match.gap:
            terms = f" ({', '.join(match.terms)})" if match.terms else ""
            requirements.append((match.requirement.text, f"gap{terms}"))
        elif match.best:
            requirements.append((match.requirement.text, match.best[0].question))
        else:
            requirements.append((match.requirement.text, "no terms to match"))
    questions = []
    for q in detail.questions:
        if q.term_use is None:
            terms = "no answer yet"
        else:
            parts = []
            if q.term_use.used:
                parts.append("uses " + ", ".join(q.term_use.used))
            if q.term_use.missing:
                parts.append("misses " + ", ".join(q.term_use.missing))
            terms = "; ".join(parts) or "-"
        questions.append(
            (
                q.question,
                q.reason,
                f"{q.reps}×" if q.reps else "not yet",
                "written" if q.answered else "-",
                terms,
            )
        )
    return JobReport(
        f"{summary.title}{where}",
        countdown,
        figures,
        tuple(requirements),
        tuple(questions),
        r.never_mentioned,
    )
