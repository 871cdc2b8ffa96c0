"""Per-deck summaries for `drill decks` and the home screen, and the interview countdowns.

An interview date set for the whole collection is one interview: one countdown, over the
decks that follow it. A deck with a date of its own (a second interview) has its own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from drill.core import clock, deadline
from drill.core.scheduling import retrievability
from drill.progress import stats
from drill.progress.stats import Countdown
from drill.storage import figures, jobs, repo
from drill.study.session import Counts, ReviewSession

if TYPE_CHECKING:
    from drill.storage.sqlite import Database


@dataclass(frozen=True, slots=True)
class DeckSummary:
    """A deck's cards by state, and what is left to study today.

    `new`, `learning`, `review` and `suspended` count cards in that state; `due` is what is
    due today (`learning_today` plus `review_today`, within the daily limit) and `new_today`
    the new cards today's limit still allows. `interview` is the countdown of a deck with an
    interview date ahead (its own, or the collection's it follows), else None. A paused deck
    shows nothing today and introduces nothing.
    """

    id: str
    name: str
    questions: int
    cards: int
    new: int
    learning: int
    review: int
    learning_today: int
    review_today: int
    new_today: int
    suspended: int
    interview: Countdown | None
    paused: bool = False
    own_interview: bool = False

    @property
    def due(self) -> int:
        return self.learning_today + self.review_today

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "questions": self.questions,
            "cards": self.cards,
            "new": self.new,
            "learning": self.learning,
            "review": self.review,
            "due": self.due,
            "learning_today": self.learning_today,
            "review_today": self.review_today,
            "new_today": self.new_today,
            "suspended": self.suspended,
            "interview": self.interview.to_json() if self.interview else None,
            "paused": self.paused,
        }


def deck_summaries(db: Database, now: datetime) -> list[DeckSummary]:
    """Every deck, in display order, with its cards and today's work."""
    totals = figures.deck_card_states(db)
    questions = figures.questions_per_deck(db)
    # One session for every deck: each deck's counts are a range of the (deck, state, due)
    # index, so the overview costs the same in one deck or two hundred. One plan for the
    # collection: the budget shares new questions out between the decks. The settings and
    # decks are the ones the session read.
    session = ReviewSession(db)
    today = session.deck_counts(now)
    config, decks = session.collection()
    hour = config.day_starts_at
    out = []
    for deck in decks:
        cards, new, learning, review, suspended = totals.get(deck.id, (0, 0, 0, 0, 0))
        counts = today.get(deck.id, Counts(0, 0, 0))
        out.append(
            DeckSummary(
                id=deck.id,
                name=deck.name,
                questions=questions.get(deck.id, 0),
                cards=cards,
                new=new,
                learning=learning,
                review=review,
                learning_today=counts.learning,
                review_today=counts.review,
                new_today=counts.new,
                suspended=suspended,
                interview=interview_countdown(db, deck, now, hour),
                paused=deck.paused,
                own_interview=deck.own_interview,
            )
        )
    return out


def interview_countdown(
    db: Database, deck: repo.DeckInfo, now: datetime, day_starts_at: int
) -> Countdown | None:
    """The countdown of a deck with an interview ahead, else None."""
    return stats.countdown(db, now, [deck], deck.config.interview_date, hour=day_starts_at)


@dataclass(frozen=True, slots=True)
class Interviews:
    """What to count down to: the collection's interview (one countdown, over the decks
    studied that follow it), each studied deck with a date of its own that differs, and each
    job with an interview ahead on another day (over its set). A job interviewing on the
    collection's day is that interview: its name labels the one countdown (`collection_job`).
    """

    collection: Countdown | None
    decks: list[tuple[str, str, Countdown]]  # (deck id, name, countdown)
    jobs: list[tuple[int, str, Countdown]] = field(default_factory=list)  # (job id, name, ...)
    collection_job: str | None = None

    @property
    def count(self) -> int:
        return len(self.decks) + len(self.jobs) + (self.collection is not None)


def job_name(title: str, company: str) -> str:
    return f"{title} at {company}" if company else title


def job_countdown(db: Database, now: datetime, job: jobs.JobRow) -> Countdown | None:
    """The countdown to a job's interview over its set: the share of its questions seen,
    and the mean predicted recall of their studied cards when the interview day starts.
    """
    hour = repo.collection_config(db).day_starts_at
    left = deadline.days_until(job.interview, now, hour)
    if left is None or job.interview is None:
        return None
    members = jobs.set_members(db, job.id)
    if not members:
        return None
    starts = clock.start_of(job.interview, hour)
    configs = {deck.id: deck.config for deck in repo.decks(db)}
    seen: set[tuple[str, str]] = set()
    recalls: list[float] = []
    for deck_id, ids in members.items():
        wanted = set(ids)
        config = configs[deck_id]
        for card in repo.iter_cards(db, deck_id, active_only=True):
            if card.question_id not in wanted or card.kind not in config.card_kinds:
                continue
            recall = retrievability(config, card.record, starts)
            if recall is not None:
                seen.add((deck_id, card.question_id))
                recalls.append(recall)
    total = sum(len(ids) for ids in members.values())
    return Countdown(
        date=job.interview,
        days_left=left,
        seen=round(len(seen) / total, 4),
        retrievability=round(sum(recalls) / len(recalls), 4) if recalls else None,
    )


def interviews(db: Database, now: datetime) -> Interviews:
    collection = repo.collection_config(db).interview_date
    own = []
    for deck in repo.decks(db):
        if deck.paused or not deck.own_interview or deck.config.interview_date == collection:
            continue
        countdown = stats.countdown(db, now, [deck], deck.config.interview_date)
        if countdown is not None:
            own.append((deck.id, deck.name, countdown))
    own.sort(key=lambda entry: entry[2].days_left)
    counted = stats.interview(db, now)
    labelled = None
    found = []
    for job in jobs.list_jobs(db):  # the soonest interview first
        countdown = job_countdown(db, now, job)
        if countdown is None:
            continue
        name = job_name(job.title, job.company)
        if counted is not None and job.interview == collection:
            labelled = labelled or name
            continue
        found.append((job.id, name, countdown))
    return Interviews(counted, own, found, labelled)
