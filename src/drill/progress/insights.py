"""Insights on the user's answers: one answer against its question, the trend across every
saved version, and a one-line summary per version for `drill answer --history`.

Nothing here writes: analysing an answer never saves it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from drill.core import format
from drill.core.coach.insights import Insights, JobTerms, analyse
from drill.core.coach.rubric import SelfCheck
from drill.core.model import Question
from drill.errors import DrillError
from drill.storage import repo
from drill.study import answers
from drill.study.answers import AnswerVersion

if TYPE_CHECKING:
    from drill.storage.sqlite import Database


def question_for(db: Database, deck_id: str, question_id: str) -> Question:
    """The stored question, or a one-line error naming what is missing."""
    repo.decks(db, deck_id)  # an unknown deck is its own error
    question = repo.get_question(db, deck_id, question_id)
    if question is None:
        raise DrillError(f"no question '{question_id}' in deck '{deck_id}'")
    return question


@dataclass(frozen=True, slots=True)
class VersionInsights:
    """One saved version of an answer and what the coach finds in it."""

    created_at: datetime
    source: str
    insights: Insights

    def to_json(self) -> dict[str, object]:
        return {
            "created_at": format.iso_utc(self.created_at),
            "source": self.source,
            **summary_json(self.insights),
        }


def summary_json(found: Insights) -> dict[str, object]:
    """The figures of one answer worth following from version to version."""
    rubric = found.rubric
    return {
        "words": found.words,
        "speaking_seconds": found.speaking_seconds,
        "length": found.length,
        "filler_count": found.filler_count,
        "hedge_count": found.hedge_count,
        "star": found.star.found,
        "action_share": found.star.action_share,
        "result_measured": found.star.result_measured,
        "pronouns": {"i": found.pronouns[0], "we": found.pronouns[1]},
        "red_flags": len(found.red_flags),
        "rubric": {"total": rubric.total, "out_of": rubric.out_of},
        "suggested_rating": found.suggested_rating.label.lower(),
    }


@dataclass(frozen=True, slots=True)
class AnswerInsights:
    """Insights on one answer: the one given, or the latest saved; and the saved trend."""

    deck_id: str
    question: Question
    origin: str  # "text", "file" or "saved"
    version: AnswerVersion | None  # the saved version analysed (origin "saved")
    insights: Insights
    trend: tuple[VersionInsights, ...]  # every saved version, oldest first

    def to_json(self) -> dict[str, object]:
        answer: dict[str, object] = {"origin": self.origin}
        if self.version is not None:
            answer["created_at"] = format.iso_utc(self.version.created_at)
            answer["source"] = self.version.source
        return {
            "deck": self.deck_id,
            "question_id": self.question.id,
            "question": self.question.question,
            "answer": answer,
            **self.insights.to_json(),
            "trend": [point.to_json() for point in self.trend],
        }


def trend(db: Database, deck_id: str, question: Question) -> tuple[VersionInsights, ...]:
    """Every saved version of the answer with its insights, oldest first."""
    versions = answers.history(db, deck_id, question.id)
    return tuple(
        VersionInsights(v.created_at, v.source, analyse(question, v.text))
        for v in reversed(versions)
    )


def job_terms_in(db: Database, job_id: int, text: str) -> JobTerms:
    """Which of a job posting's key terms `text` uses and misses (library.jobs)."""
    from drill.library.jobs import terms_in_text

    use = terms_in_text(db, job_id, text)
    return JobTerms(tuple(use.used), tuple(use.missing))


def answer_insights(
    db: Database,
    deck_id: str,
    question_id: str,
    text: str | None = None,
    *,
    origin: str = "text",
    job_id: int | None = None,
) -> AnswerInsights:
    """Insights on `text` (already checked), or on the latest saved answer if None; with
    `job_id`, also the posting's terms the answer uses and misses (the "fit" row).
    """
    question = question_for(db, deck_id, question_id)
    points = trend(db, deck_id, question)
    version = None
    if text is None:
        version = answers.latest_answer(db, deck_id, question_id)
        if version is None:
            raise DrillError(
                f"no saved answer to '{deck_id}/{question_id}' yet: give --text or --file, "
                f"or write one with `drill answer {deck_id}/{question_id} --edit`"
            )
        text, origin = version.text, "saved"
    terms = job_terms_in(db, job_id, text) if job_id is not None else None
    found = analyse(question, text, job_terms=terms)
    return AnswerInsights(deck_id, question, origin, version, found, points)


def summary(found: Insights, *, rating: bool = True, ticks: SelfCheck | None = None) -> str:
    """One line on an answer: length, structure, fillers, ownership, flags, rubric and (with
    `rating`) the suggested rating. With `ticks` (a self-check), the rubric is the one the
    user saw beside it.
    """
    parts = [
        f"{format.plural(found.words, 'word')} ({format.clock_time(found.speaking_seconds)}, "
        f"{found.length})"
    ]
    if found.star.applies:
        present = found.star.found
        missing = [p for p in ("situation", "task", "action", "result") if p not in present]
        parts.append(f"STAR {len(present)}/4" + (f" (no {', '.join(missing)})" if missing else ""))
    parts.append(format.plural(found.filler_count, "filler"))
    parts.append(f"I {found.pronouns[0]} / we {found.pronouns[1]}")
    if found.red_flags:
        parts.append(format.plural(len(found.red_flags), "red flag"))
    rubric = found.rubric_with(ticks)
    parts.append(f"rubric {rubric.total}/{rubric.out_of}")
    if rating:
        parts.append(found.suggested_rating.label)
    return " · ".join(parts)


# -- the report's "Answers" section ------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class WeekRubric:
    week: date  # its Monday
    answers: int  # versions saved that week
    mean: float | None  # mean rubric share (points over points scored), None without answers


@dataclass(frozen=True, slots=True)
class AnswerGap:
    """A latest answer to a behavioral question with no result, or no "I"."""

    deck_id: str
    question_id: str
    question: str
    missing: tuple[str, ...]  # "a result", "what you did"

    def to_json(self) -> dict[str, object]:
        return {
            "deck": self.deck_id,
            "question_id": self.question_id,
            "question": self.question,
            "missing": list(self.missing),
        }


@dataclass(frozen=True, slots=True)
class AnswerFigures:
    """What the report says about the answers: coverage, rubric by week, habits, gaps."""

    studied: int  # questions with a reviewed card
    answered: int  # questions with a saved answer
    versions: int  # versions saved in the weeks shown
    weeks: tuple[WeekRubric, ...]
    fillers: tuple[tuple[str, int], ...]  # most frequent first, over those versions
    gaps: tuple[AnswerGap, ...]

    def to_json(self) -> dict[str, object]:
        return {
            "studied": self.studied,
            "answered": self.answered,
            "versions": self.versions,
            "weeks": [
                {
                    "week": w.week.isoformat(),
                    "answers": w.answers,
                    "mean_rubric": None if w.mean is None else round(w.mean, 4),
                }
                for w in self.weeks
            ],
            "fillers": [{"text": text, "count": n} for text, n in self.fillers],
            "gaps": [gap.to_json() for gap in self.gaps],
        }


def answer_figures(
    db: Database, now: datetime, *, deck_id: str | None = None, weeks: int = 12, hour: int = 4
) -> AnswerFigures:
    """Figures on the answers of the last `weeks` weeks (and every latest answer's gaps).

    Every version saved in those weeks is analysed again (about a millisecond each), so the
    figures follow the coach's current rules.
    """
    from collections import Counter
    from datetime import timedelta

    from drill.core import clock
    from drill.storage import answers as answer_table
    from drill.storage import figures

    today = clock.study_date(now, hour)
    first_week = format.monday(today) - timedelta(weeks=weeks - 1)
    since = clock.to_ms(clock.start_of(first_week, hour))
    questions: dict[tuple[str, str], Question | None] = {}

    def question(key: tuple[str, str]) -> Question | None:
        if key not in questions:
            questions[key] = repo.get_question(db, *key)
        return questions[key]

    shares: dict[date, list[float]] = {}
    fillers: Counter[str] = Counter()
    versions = 0
    for deck, question_id, text, created in answer_table.iter_versions_since(db, deck_id, since):
        asked = question((deck, question_id))
        if asked is None:
            continue
        found = analyse(asked, text)
        versions += 1
        week = format.monday(clock.study_date(clock.from_ms(created), hour))
        shares.setdefault(week, []).append(found.rubric.share)
        for occurrence in found.fillers:
            fillers[occurrence.text] += occurrence.count
    rows = []
    for n in range(weeks):
        week = first_week + timedelta(weeks=n)
        found_shares = shares.get(week, [])
        mean = sum(found_shares) / len(found_shares) if found_shares else None
        rows.append(WeekRubric(week, len(found_shares), mean))
    gaps = []
    for latest in answers.latest_answers(db, deck_id):
        asked = question((latest.deck, latest.question_id))
        if asked is None:
            continue
        found = analyse(asked, latest.text)
        if not found.star.applies:
            continue
        missing = []
        if not found.star.result.found:
            missing.append("a result")
        if found.no_personal_action:
            missing.append("what you did")
        if missing:
            gaps.append(AnswerGap(latest.deck, latest.question_id, asked.question, tuple(missing)))
    return AnswerFigures(
        studied=figures.studied_questions(db, deck_id),
        answered=answer_table.answered_questions(db, deck_id),
        versions=versions,
        weeks=tuple(rows),
        fillers=tuple(fillers.most_common(5)),
        gaps=tuple(gaps),
    )
