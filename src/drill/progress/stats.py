"""Progress figures: typed results over SQL aggregates (storage/figures.py).

Days are study days in local time: they begin at `day_starts_at`, as in the queue. Reviews
are never loaded into Python: every query returns aggregates, at most one row per deck and
day. `collect` gathers everything `drill stats --json` shows, per deck too, with one grouped
query per kind of figure rather than one query per deck. Figures stay typed (dates are
dates) until `to_json`, at the edge.

Conventions:
- True retention is the share of reviews of cards in the review state (FSRS state 2 before
  the rating) that were not rated Again.
- Card counts leave out retired cards; suspended cards are counted only under `suspended`,
  so the state counts are what can be studied (as in `drill decks`).
- Retrievability follows py-fsrs: elapsed time since the last review in whole days.
- Ratios in the collected figures are rounded to four decimals, as they are reported.
- Practice ratings (`drill review --practice`) are not reviews: they are counted apart, in
  `practice`, and no other figure sees them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from drill.core import clock, deadline
from drill.core.format import iso_utc, monday
from drill.progress.leeches import Leech, leeches
from drill.storage import figures as q
from drill.storage import mocks as mock_log
from drill.storage import practice as practice_log
from drill.storage import repo
from drill.storage.figures import ALL, ReviewTotals

if TYPE_CHECKING:
    from drill.progress.insights import AnswerFigures
    from drill.storage.sqlite import Database

DAY_MS = 86_400_000
# FSRS-6's default w20: the forgetting curve's decay is -w20.
DEFAULT_W20 = 0.1542
MASTERED_DAYS = 21.0
WEAKEST = 5  # weakest questions reported, for the scope and for each deck
RECENT_MOCKS = 10
RETENTION_WINDOWS = (("7d", 7), ("30d", 30))
# (label, lower bound inclusive, upper bound exclusive) in days of stability.
STABILITY_BUCKETS: tuple[tuple[str, float, float | None], ...] = (
    ("<1d", 0.0, 1.0),
    ("1-7d", 1.0, 7.0),
    ("7-21d", 7.0, 21.0),
    ("21-90d", 21.0, 90.0),
    ("90-365d", 90.0, 365.0),
    ("365d+", 365.0, None),
)
_UPPER_BOUNDS = [high for _, _, high in STABILITY_BUCKETS if high is not None]


@dataclass(frozen=True, slots=True)
class Today:
    reviewed: int
    new_learned: int
    again: int
    time_ms: int

    def to_json(self) -> dict[str, int]:
        return {
            "reviewed": self.reviewed,
            "new_learned": self.new_learned,
            "again": self.again,
            "time_ms": self.time_ms,
        }


@dataclass(frozen=True, slots=True)
class Practice:
    """Practice ratings (outside the schedule): today, their time today, in all, and the
    study days in a row with some (a streak of its own: review streaks never count them).
    """

    today: int = 0
    today_time_ms: int = 0
    total: int = 0
    streak_days: int = 0

    def to_json(self) -> dict[str, int]:
        return {
            "today": self.today,
            "today_time_ms": self.today_time_ms,
            "total": self.total,
            "streak_days": self.streak_days,
        }


@dataclass(frozen=True, slots=True)
class Countdown:
    """An interview ahead: the date, study days left, the share of questions seen so far,
    and the mean predicted recall of the studied cards when the interview day starts.
    """

    date: date
    days_left: int
    seen: float  # rounded to 4 decimals, as reported
    retrievability: float | None

    def to_json(self) -> dict[str, Any]:
        return {
            "date": self.date.isoformat(),
            "days_left": self.days_left,
            "seen": self.seen,
            "retrievability": self.retrievability,
        }


@dataclass(frozen=True, slots=True)
class CardCounts:
    """Cards by state; suspended cards only under `suspended`; retired cards nowhere."""

    new: int = 0
    learning: int = 0
    review: int = 0
    relearning: int = 0
    suspended: int = 0

    def __add__(self, other: CardCounts) -> CardCounts:
        return CardCounts(
            self.new + other.new,
            self.learning + other.learning,
            self.review + other.review,
            self.relearning + other.relearning,
            self.suspended + other.suspended,
        )

    def to_json(self) -> dict[str, int]:
        return {
            "new": self.new,
            "learning": self.learning,
            "review": self.review,
            "relearning": self.relearning,
            "suspended": self.suspended,
        }


@dataclass(frozen=True, slots=True)
class WeekRetention:
    """True retention over one week of study days (Monday to Sunday)."""

    week: date
    reviews: int  # reviews of cards in the review state
    passed: int  # ... of which not rated Again

    @property
    def retention(self) -> float | None:
        return self.passed / self.reviews if self.reviews else None

    def to_json(self) -> dict[str, Any]:
        return {
            "week": self.week.isoformat(),
            "reviews": self.reviews,
            "passed": self.passed,
            "retention": _round(self.retention),
        }


@dataclass(frozen=True, slots=True)
class StabilityBucket:
    label: str
    min_days: float
    max_days: float | None
    cards: int

    def to_json(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "min_days": self.min_days,
            "max_days": self.max_days,
            "cards": self.cards,
        }


@dataclass(frozen=True, slots=True)
class Retention:
    """True retention over the last 7 and 30 days and over all history (None: no reviews)."""

    last_7d: float | None
    last_30d: float | None
    all: float | None

    def to_json(self) -> dict[str, float | None]:
        return {"7d": self.last_7d, "30d": self.last_30d, "all": self.all}


@dataclass(frozen=True, slots=True)
class Interview:
    """The interview a scope works towards: a deck's countdown (for many decks, the
    soonest).
    """

    deck: str
    name: str
    countdown: Countdown

    def to_json(self) -> dict[str, Any]:
        return {"deck": self.deck, "name": self.name, **self.countdown.to_json()}


@dataclass(frozen=True, slots=True)
class WeakQuestion:
    """A question that needs work: its cards' lapses and lowest recall now, and whether
    there is a written answer to it.
    """

    deck: str
    question_id: str
    question: str
    lapses: int
    retrievability: float
    answered: bool

    def to_json(self) -> dict[str, Any]:
        return {
            "deck": self.deck,
            "question_id": self.question_id,
            "question": self.question,
            "lapses": self.lapses,
            "retrievability": round(self.retrievability, 4),
            "answered": self.answered,
        }


@dataclass(frozen=True, slots=True)
class MockResult:
    """How one mock interview went (over the questions in the scope): questions asked,
    answered (something typed), answered within the time, and the ratings given.
    """

    started_at: datetime
    deck: str | None  # the deck the mock drew from; None for all decks
    limit_ms: int  # the time allowed for its answers, together
    questions: int
    answered: int
    in_time: int
    ratings: tuple[int, int, int, int]  # Again, Hard, Good, Easy
    time_ms: int

    @property
    def rated(self) -> int:
        return sum(self.ratings)

    @property
    def mean_time_ms(self) -> int:
        return round(self.time_ms / self.questions) if self.questions else 0

    @property
    def mean_limit_ms(self) -> int:
        return round(self.limit_ms / self.questions) if self.questions else 0

    def to_json(self) -> dict[str, Any]:
        again, hard, good, easy = self.ratings
        return {
            "started_at": iso_utc(self.started_at),
            "deck": self.deck,
            "questions": self.questions,
            "answered": self.answered,
            "in_time": self.in_time,
            "rated": self.rated,
            "ratings": {"again": again, "hard": hard, "good": good, "easy": easy},
            "mean_time_ms": self.mean_time_ms,
            "mean_limit_ms": self.mean_limit_ms,
        }


@dataclass(frozen=True, slots=True)
class Mocks:
    """Mock interviews: how many, and the most recent ones, newest first."""

    count: int
    recent: list[MockResult]

    def to_json(self) -> dict[str, Any]:
        return {"count": self.count, "recent": [m.to_json() for m in self.recent]}


@dataclass(frozen=True, slots=True)
class Figures:
    """Every figure of one scope: the collection, one deck, or a deck in a collection."""

    total_reviews: int
    today: Today
    streak_days: int
    true_retention: Retention
    questions: int
    mastered_questions: int
    cards: CardCounts
    mean_retrievability: float | None
    stability: list[StabilityBucket]
    forecast: list[tuple[date, int]]  # cards due per study day, today first
    heatmap: list[tuple[date, int]]  # reviews per study day, oldest first
    weekly_retention: list[WeekRetention]
    # For a coach (issue 18): the interview ahead, the weakest questions, and how many
    # questions have a written answer.
    interview: Interview | None = None
    weakest: list[WeakQuestion] = field(default_factory=list)
    answers_written: int = 0
    practice: Practice = Practice()

    @property
    def due_next_7_days(self) -> int:
        return sum(n for _, n in self.forecast[:7])

    def to_json(self) -> dict[str, Any]:
        return {
            "total_reviews": self.total_reviews,
            "today": self.today.to_json(),
            "streak_days": self.streak_days,
            "true_retention": self.true_retention.to_json(),
            "questions": self.questions,
            "mastered_questions": self.mastered_questions,
            "cards": self.cards.to_json(),
            "mean_retrievability": self.mean_retrievability,
            "stability": [b.to_json() for b in self.stability],
            "forecast": [{"date": d.isoformat(), "due": n} for d, n in self.forecast],
            "heatmap": [{"date": d.isoformat(), "reviews": n} for d, n in self.heatmap],
            "weekly_retention": [w.to_json() for w in self.weekly_retention],
            "interview": self.interview.to_json() if self.interview else None,
            "weakest": [w.to_json() for w in self.weakest],
            "answers_written": self.answers_written,
            "practice": self.practice.to_json(),
        }


@dataclass(frozen=True, slots=True)
class DeckFigures:
    id: str
    name: str
    figures: Figures

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, **self.figures.to_json()}


@dataclass(frozen=True, slots=True)
class Stats:
    """What `drill stats` reports: the scope's figures, and each deck's."""

    generated_at: datetime
    study_day: date
    day_starts_at: int
    deck: str | None  # the deck asked for, or None for all decks
    days: int
    figures: Figures
    decks: list[DeckFigures]
    leeches: list[Leech] = field(default_factory=list)
    # The report's "Answers" section; computed only for reports (see `collect`), and kept
    # out of the JSON, which is what `drill stats --json` prints.
    answers: AnswerFigures | None = None
    mocks: Mocks = field(default_factory=lambda: Mocks(0, []))
    # The one interview of the scope, if ahead (the collection's date, or a deck's own). In
    # the JSON it is the figures' `interview`, which also names the deck.
    interview: Countdown | None = None

    @property
    def scope(self) -> str:
        """What the figures cover, for a title: "deck <name>" or "all decks"."""
        if self.deck and self.decks:
            return f"deck {self.decks[0].name}"
        return "all decks"

    def to_json(self) -> dict[str, Any]:
        return {
            "generated_at": iso_utc(self.generated_at),
            "study_day": self.study_day.isoformat(),
            "day_starts_at": self.day_starts_at,
            "deck": self.deck,
            "days": self.days,
            **self.figures.to_json(),
            "mocks": self.mocks.to_json(),
            "decks": [d.to_json() for d in self.decks],
            "leeches": [leech.to_json() for leech in self.leeches],
        }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def _ratio(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _hour(db: Database) -> int:
    return repo.collection_config(db).day_starts_at


def _day_bounds(day: date, hour: int) -> tuple[int, int]:
    return (
        clock.to_ms(clock.start_of(day, hour)),
        clock.to_ms(clock.start_of(day + timedelta(1), hour)),
    )


# -- today, streak, heatmap (used by the TUI's home screen) -----------------------------------


def study_day(db: Database, now: datetime) -> date:
    """The study day `now` falls in (days begin at the collection's `day_starts_at`)."""
    return clock.study_date(now, _hour(db))


def today(db: Database, now: datetime, deck_id: str | None = None) -> Today:
    """Reviews since the current study day began."""
    hour = _hour(db)
    start = clock.to_ms(clock.day_start(now, hour))
    end = clock.to_ms(clock.next_day_start(now, hour))
    row = q.review_totals(db, start, end, deck_id, by_deck=False).get(ALL, ReviewTotals())
    return Today(row.reviews, row.new, row.again, row.time_ms)


def _has_reviews(db: Database, day: date, hour: int, deck_id: str | None) -> bool:
    return q.has_reviews(db, *_day_bounds(day, hour), deck_id)


def _streak(today_: date, has_reviews: Callable[[date], bool]) -> int:
    """Consecutive days with a review up to today; today may still be to come."""
    day = today_ if has_reviews(today_) else today_ - timedelta(days=1)
    streak = 0
    while has_reviews(day):
        streak += 1
        day -= timedelta(days=1)
    return streak


def streak_days(db: Database, now: datetime, deck_id: str | None = None) -> int:
    """Consecutive study days with a review, up to today (today may still be to come)."""
    hour = _hour(db)
    # One indexed probe per day: cheap even over millions of reviews.
    return _streak(clock.study_date(now, hour), lambda d: _has_reviews(db, d, hour, deck_id))


def heatmap(
    db: Database, now: datetime, days: int = 84, deck_id: str | None = None
) -> list[tuple[date, int]]:
    """Reviews per study day for the last `days` days, oldest first (zeros included)."""
    hour = _hour(db)
    last = clock.study_date(now, hour)
    first = last - timedelta(days=days - 1)
    counts = {}
    start = clock.to_ms(clock.start_of(first, hour))
    for offset in range(days):
        day = first + timedelta(days=offset)
        end = clock.to_ms(clock.start_of(day + timedelta(days=1), hour))
        # A count per day, from the time index alone: never the review rows.
        counts[day] = q.review_count(db, start, end, deck_id)
        start = end
    return _fill_days(first, days, counts)


def _fill_days(first: date, days: int, counts: dict[date, int]) -> list[tuple[date, int]]:
    return [(first + timedelta(i), counts.get(first + timedelta(i), 0)) for i in range(days)]


# -- retention ----------------------------------------------------------------------------------


def true_retention(
    db: Database, now: datetime, days: int | None = None, deck_id: str | None = None
) -> float | None:
    """Share of reviews of cards in the review state not rated Again.

    Counts reviews with `review_time >= now - days` (all of them when `days` is None);
    None when there are none.
    """
    since = None if days is None else clock.to_ms(now) - days * DAY_MS
    reviews, passed = q.retention_since(db, since, deck_id, by_deck=False).get(ALL, (0, 0))
    return _ratio(passed, reviews)


def true_retention_today(db: Database, now: datetime, deck_id: str | None = None) -> float | None:
    """Share of this study day's reviews of cards in the review state not rated Again."""
    start = clock.to_ms(clock.day_start(now, _hour(db)))
    reviews, passed = q.retention_since(db, start, deck_id, by_deck=False).get(ALL, (0, 0))
    return _ratio(passed, reviews)


def weekly_retention(
    db: Database, now: datetime, weeks: int = 12, deck_id: str | None = None
) -> list[WeekRetention]:
    """True retention per week (Monday to Sunday), the last `weeks` weeks, oldest first.

    The last week is the current one, so far.
    """
    hour = _hour(db)
    last = clock.study_date(now, hour)
    first = monday(last) - timedelta(weeks=weeks - 1)
    window = _window(db, hour, first, last, deck_id, by_deck=False, full_from=None)
    return _weeks(window.get(ALL, {}), first, weeks)


def _weeks(days: dict[date, ReviewTotals], first: date, weeks: int) -> list[WeekRetention]:
    totals: dict[date, list[int]] = defaultdict(lambda: [0, 0])
    for day, row in days.items():
        if day >= first:
            total = totals[monday(day)]
            total[0] += row.review_state
            total[1] += row.passed
    return [
        WeekRetention(week, *totals.get(week, (0, 0)))
        for week in (first + timedelta(weeks=i) for i in range(weeks))
    ]


# -- one pass over recent reviews ------------------------------------------------------------


def _window(
    db: Database,
    hour: int,
    first: date,
    last: date,
    deck_id: str | None,
    by_deck: bool,
    *,
    full_from: date | None,
) -> dict[str, dict[date, ReviewTotals]]:
    """{deck or ALL: {study day: sums}} for the study days `first` to `last`.

    One query per day, each an index range: grouping a whole window at once would sort
    every review in it, which is several times slower than many small groups. Days before
    `full_from` (all of them when None) get the light sums: counts and retention.
    """
    out: dict[str, dict[date, ReviewTotals]] = defaultdict(dict)
    day = first
    start = clock.to_ms(clock.start_of(day, hour))
    while day <= last:
        end = clock.to_ms(clock.start_of(day + timedelta(days=1), hour))
        light = full_from is None or day < full_from
        for key, row in q.review_totals(db, start, end, deck_id, by_deck, light=light).items():
            out[key][day] = row
        day, start = day + timedelta(days=1), end
    return out


def _since(
    db: Database,
    hour: int,
    since_ms: int,
    window: dict[str, dict[date, ReviewTotals]],
    deck_id: str | None,
) -> dict[str, tuple[int, int]]:
    """{deck: (reviews in the review state, passed)} since `since_ms`, from the window's days.

    Whole days after the one `since_ms` falls in come from `window`; only the rest of
    that day is queried.
    """
    day = clock.study_date(clock.from_ms(since_ms), hour)
    end = clock.to_ms(clock.start_of(day + timedelta(days=1), hour))
    partial = q.review_totals(db, since_ms, end, deck_id, by_deck=True)
    out = {}
    for key in window.keys() | partial.keys():
        total = partial.get(key, ReviewTotals())
        rows = [r for d, r in window.get(key, {}).items() if d > day]
        out[key] = (
            total.review_state + sum(r.review_state for r in rows),
            total.passed + sum(r.passed for r in rows),
        )
    return out


def _all_time(
    db: Database,
    hour: int,
    first: date,
    last: date,
    window: dict[str, dict[date, ReviewTotals]],
    deck_id: str | None,
) -> dict[str, ReviewTotals]:
    """{deck: sums over all its reviews}: the window's days (`first` to `last`) as summed
    already, and only the reviews before and after them read again.
    """
    start = clock.to_ms(clock.start_of(first, hour))
    end = clock.to_ms(clock.start_of(last + timedelta(days=1), hour))
    out: dict[str, ReviewTotals] = defaultdict(ReviewTotals)
    outside = (
        q.review_totals(db, _EARLIEST_MS, start, deck_id, by_deck=True, light=True),
        q.review_totals(db, end, _LATEST_MS, deck_id, by_deck=True, light=True),
    )
    for part in outside:
        for deck, row in part.items():
            out[deck].add(row)
    for deck, days in window.items():
        for row in days.values():
            out[deck].add(row)
    return out


_EARLIEST_MS, _LATEST_MS = -(2**63), 2**63 - 1


# -- cards ------------------------------------------------------------------------------------


def _curve(decks: Iterable[repo.DeckInfo]) -> list[tuple[str, float, float]]:
    """(deck, decay, factor) of each deck's FSRS-6 forgetting curve."""
    out = []
    for deck in decks:
        params = deck.config.fsrs_parameters
        w20 = params[20] if params and len(params) > 20 else DEFAULT_W20
        decay = -w20
        out.append((deck.id, decay, 0.9 ** (1 / decay) - 1))
    return out


def _cards(
    db: Database, now: datetime, decks: list[repo.DeckInfo], by_deck: bool
) -> dict[str, q.CardTotals]:
    return q.card_totals(db, clock.to_ms(now), _curve(decks), _UPPER_BOUNDS, by_deck)


def _counts(row: q.CardTotals) -> CardCounts:
    return CardCounts(row.new, row.learning, row.review, row.relearning, row.suspended)


def card_counts(db: Database, deck_id: str | None = None) -> CardCounts:
    """Cards by state (retired left out, suspended counted apart), in one deck or all."""
    row = _cards(db, clock.from_ms(0), repo.decks(db, deck_id), by_deck=False).get(ALL)
    return _counts(row) if row else CardCounts()


def mean_retrievability(db: Database, now: datetime, deck_id: str | None = None) -> float | None:
    """Mean probability of recall now over reviewed, active cards; None if there are none.

    Uses each deck's FSRS parameters (its w20) when set.
    """
    row = _cards(db, now, repo.decks(db, deck_id), by_deck=False).get(ALL)
    return row.recall_sum / row.recall_count if row and row.recall_count else None


def stability_distribution(db: Database, deck_id: str | None = None) -> list[StabilityBucket]:
    """Reviewed, active cards by stability (days), in STABILITY_BUCKETS."""
    row = _cards(db, clock.from_ms(0), repo.decks(db, deck_id), by_deck=False).get(ALL)
    return _buckets(row.buckets if row else (0,) * len(STABILITY_BUCKETS))


def _buckets(counts: Iterable[int]) -> list[StabilityBucket]:
    return [
        StabilityBucket(label, low, high, n)
        for (label, low, high), n in zip(STABILITY_BUCKETS, counts, strict=True)
    ]


def mastered_questions(db: Database, deck_id: str | None = None) -> int:
    """Questions all of whose active cards (not retired or suspended) have stability ≥ 21 days."""
    return q.mastered_questions(db, deck_id, False, MASTERED_DAYS).get(ALL, 0)


def _forecast(
    db: Database, now: datetime, days: int, deck_id: str | None, by_deck: bool
) -> dict[str, dict[date, int]]:
    """Cards due per deck and study day, overdue ones on today.

    One index range of due times per day: cheaper than working out each card's local date
    in SQL (a time-zone conversion per card) and sorting them all by it.
    """
    hour = _hour(db)
    today_ = clock.study_date(now, hour)
    out: dict[str, dict[date, int]] = defaultdict(dict)
    low: int | None = None  # today also holds everything overdue
    for offset in range(days):
        day = today_ + timedelta(days=offset)
        high = clock.to_ms(clock.start_of(day + timedelta(days=1), hour))
        for key, n in q.due_between(db, low, high, deck_id, by_deck).items():
            out[key][day] = n
        low = high
    return out


def forecast(
    db: Database, now: datetime, days: int = 30, deck_id: str | None = None
) -> list[tuple[date, int]]:
    """Cards due per study day for the next `days` days, today first (zeros included).

    Learning, relearning and review cards, not suspended; cards overdue now count on
    today. Daily limits are not applied: this is what falls due, not what will be shown.
    """
    hour = _hour(db)
    counts = _forecast(db, now, days, deck_id, by_deck=False).get(ALL, {})
    return _fill_days(clock.study_date(now, hour), days, counts)


# -- for a coach: the interview, the weakest questions, answers, mocks ------------------------


def interview_countdown(
    db: Database, deck: repo.DeckInfo, now: datetime, day_starts_at: int
) -> Countdown | None:
    """The countdown of a deck with an interview ahead, else None."""
    countdown = deadline.countdown(deck.config, now, day_starts_at)
    if countdown is None:
        return None
    day, left, starts = countdown
    total, seen = q.questions_seen(db, deck.id)
    recall = mean_retrievability(db, starts, deck.id)
    return Countdown(
        date=day,
        days_left=left,
        seen=round(seen / total, 4) if total else 0.0,
        retrievability=round(recall, 4) if recall is not None else None,
    )


def mock_results(db: Database, deck_id: str | None = None, limit: int = RECENT_MOCKS) -> Mocks:
    """Mock interviews (answers of one deck's questions, if given), newest first."""
    count, rows = mock_log.recent(db, deck_id, limit)
    return Mocks(
        count,
        [
            MockResult(
                clock.from_ms(r.started_ms),
                r.deck_id,
                r.limit_ms,
                r.asked,
                r.answered,
                r.in_time,
                r.ratings,
                r.time_ms,
            )
            for r in rows
        ],
    )


# -- everything, for `drill stats` and the report ---------------------------------------------


def _prober(db: Database, hour: int, deck_id: str) -> Callable[[date], bool]:
    """Whether a deck has reviews on a study day, one indexed probe per call."""
    return lambda day: _has_reviews(db, day, hour, deck_id)


def collect(
    db: Database,
    now: datetime,
    *,
    deck_id: str | None = None,
    days: int = 84,
    forecast_days: int = 30,
    weeks: int = 12,
    with_answers: bool = False,
) -> Stats:
    """Every figure of `drill stats`, for the collection (or one deck) and per deck.

    Each kind of figure is one query grouped by deck; the collection's figures are the sums.
    `with_answers` adds the report's figures on the answers, which analyses each version
    saved in the last `weeks` weeks.
    """
    if days < 1 or forecast_days < 1 or weeks < 1:
        raise ValueError("days, forecast_days and weeks must be at least 1")
    hour = _hour(db)
    decks = repo.decks(db, deck_id)
    today_ = clock.study_date(now, hour)
    first_day = today_ - timedelta(days=days - 1)
    first_week = monday(today_) - timedelta(weeks=weeks - 1)
    oldest_window = clock.study_date(
        now - timedelta(days=max(d for _, d in RETENTION_WINDOWS)), hour
    )
    window_first = min(first_day, first_week, oldest_window)
    # Only today's row needs every sum (new cards, lapses, time); the other days feed the
    # calendar and retention.
    window = _window(db, hour, window_first, today_, deck_id, by_deck=True, full_from=today_)
    recent = {
        name: _since(db, hour, clock.to_ms(now) - days_ * DAY_MS, window, deck_id)
        for name, days_ in RETENTION_WINDOWS
    }
    all_time = _all_time(db, hour, window_first, today_, window, deck_id)
    history = {deck: (row.review_state, row.passed) for deck, row in all_time.items()}
    totals = {deck: row.reviews for deck, row in all_time.items()}
    cards = _cards(db, now, decks, by_deck=True)
    mastered = q.mastered_questions(db, deck_id, True, MASTERED_DAYS)
    questions = q.questions_per_deck(db, deck_id)
    due = _forecast(db, now, forecast_days, deck_id, by_deck=True)
    answered = q.answered_questions(db, deck_id)
    weak_rows = q.weakest_questions(db, clock.to_ms(now), _curve(decks), WEAKEST)
    interviews: dict[str, Interview] = {}
    for deck in decks:
        countdown = interview_countdown(db, deck, now, hour)
        if countdown is not None:
            interviews[deck.id] = Interview(deck.id, deck.name, countdown)
    day_start, day_end = _day_bounds(today_, hour)
    practised_today = practice_log.totals(db, day_start, day_end, deck_id, by_deck=True)
    practised = practice_log.totals(db, None, None, deck_id, by_deck=True)

    def practice_streak(deck: str | None) -> int:
        return _streak(today_, lambda d: practice_log.has_practice(db, *_day_bounds(d, hour), deck))

    def figures(
        ids: list[str], has_reviews: Callable[[date], bool], deck: str | None = deck_id
    ) -> Figures:
        merged: dict[date, ReviewTotals] = defaultdict(ReviewTotals)
        for i in ids:
            for day, row in window.get(i, {}).items():
                merged[day].add(row)
        card_rows = [cards[i] for i in ids if i in cards]
        counts = sum((_counts(c) for c in card_rows), CardCounts())
        r_sum = sum(c.recall_sum for c in card_rows)
        r_count = sum(c.recall_count for c in card_rows)
        buckets = [sum(col) for col in zip(*(c.buckets for c in card_rows), strict=True)]
        review_all = sum(history.get(i, (0, 0))[0] for i in ids)
        passed_all = sum(history.get(i, (0, 0))[1] for i in ids)
        today_row = merged.get(today_, ReviewTotals())
        windows: dict[str, float | None] = {}
        for name, _ in RETENTION_WINDOWS:
            reviews = sum(recent[name].get(i, (0, 0))[0] for i in ids)
            passed = sum(recent[name].get(i, (0, 0))[1] for i in ids)
            windows[name] = _round(_ratio(passed, reviews))
        due_days: dict[date, int] = defaultdict(int)
        for i in ids:
            for day, n in due.get(i, {}).items():
                due_days[day] += n

        soonest = [interviews[i] for i in ids if i in interviews]
        weak = [WeakQuestion(*row) for row in weak_rows if row[0] in ids][:WEAKEST]

        def reviewed_on(day: date) -> bool:
            # Days inside the window are known; older ones are probed through the index.
            if day >= window_first:
                return day in merged and merged[day].reviews > 0
            return has_reviews(day)

        return Figures(
            total_reviews=sum(totals.get(i, 0) for i in ids),
            today=Today(today_row.reviews, today_row.new, today_row.again, today_row.time_ms),
            streak_days=_streak(today_, reviewed_on),
            true_retention=Retention(
                windows["7d"], windows["30d"], _round(_ratio(passed_all, review_all))
            ),
            questions=sum(questions.get(i, 0) for i in ids),
            mastered_questions=sum(mastered.get(i, 0) for i in ids),
            cards=counts,
            mean_retrievability=_round(r_sum / r_count if r_count else None),
            stability=_buckets(buckets or (0,) * len(STABILITY_BUCKETS)),
            forecast=_fill_days(today_, forecast_days, due_days),
            heatmap=_fill_days(first_day, days, {d: r.reviews for d, r in merged.items()}),
            weekly_retention=_weeks(merged, first_week, weeks),
            interview=min(soonest, key=lambda i: i.countdown.date, default=None),
            weakest=weak,
            answers_written=sum(answered.get(i, 0) for i in ids),
            practice=Practice(
                sum(practised_today.get(i, (0, 0))[0] for i in ids),
                sum(practised_today.get(i, (0, 0))[1] for i in ids),
                sum(practised.get(i, (0, 0))[0] for i in ids),
                practice_streak(deck) if any(practised.get(i) for i in ids) else 0,
            ),
        )

    return Stats(
        generated_at=now,
        study_day=today_,
        day_starts_at=hour,
        deck=deck_id,
        days=days,
        interview=interview(db, now, deck_id),
        figures=figures([d.id for d in decks], lambda d: _has_reviews(db, d, hour, deck_id)),
        decks=[
            DeckFigures(
                deck.id,
                deck.name,
                figures([deck.id], _prober(db, hour, deck.id), deck.id),
            )
            for deck in decks
        ],
        leeches=leeches(db, deck_id),
        answers=_answers(db, now, deck_id, weeks, hour) if with_answers else None,
        mocks=mock_results(db, deck_id),
    )


def _answers(
    db: Database, now: datetime, deck_id: str | None, weeks: int, hour: int
) -> AnswerFigures:
    # Imported here: the coach is needed only by reports, not by `drill stats`.
    from drill.progress.insights import answer_figures

    return answer_figures(db, now, deck_id=deck_id, weeks=weeks, hour=hour)


# -- practice and the interview ------------------------------------------------------------------


def practice_today(db: Database, now: datetime, deck_id: str | None = None) -> Practice:
    """Practice ratings since the current study day began, and in all."""
    start, end = _day_bounds(clock.study_date(now, _hour(db)), _hour(db))
    count, time_ms = practice_log.totals(db, start, end, deck_id, by_deck=False).get(ALL, (0, 0))
    total = practice_log.totals(db, None, None, deck_id, by_deck=False).get(ALL, (0, 0))[0]
    hour = _hour(db)
    streak = _streak(
        clock.study_date(now, hour),
        lambda d: practice_log.has_practice(db, *_day_bounds(d, hour), deck_id),
    )
    return Practice(count, time_ms, total, streak if total else 0)


def countdown(
    db: Database,
    now: datetime,
    decks: list[repo.DeckInfo],
    day: date | None,
    *,
    hour: int | None = None,
) -> Countdown | None:
    """The countdown to `day` over these decks: questions seen, recall on the day. `hour`
    (when study days start) saves asking the database once per deck.
    """
    if day is None or not decks:
        return None
    if hour is None:
        hour = _hour(db)
    left = deadline.days_until(day, now, hour)
    if left is None or day is None or not decks:
        return None
    total = seen = 0
    for deck in decks:
        deck_total, deck_seen = q.questions_seen(db, deck.id)
        total += deck_total
        seen += deck_seen
    starts = clock.start_of(day, hour)
    row_sum = row_count = 0.0
    for row in _cards(db, starts, decks, by_deck=False).values():
        row_sum += row.recall_sum
        row_count += row.recall_count
    recall = row_sum / row_count if row_count else None
    return Countdown(
        date=day,
        days_left=left,
        seen=round(seen / total, 4) if total else 0.0,
        retrievability=round(recall, 4) if recall is not None else None,
    )


def interview(db: Database, now: datetime, deck_id: str | None = None) -> Countdown | None:
    """The one countdown of a scope: a deck's own (or the collection's, which it follows),
    or the collection's, over the decks not paused that follow it.
    """
    if deck_id is not None:
        deck = repo.decks(db, deck_id)[0]
        return countdown(db, now, [deck], deck.config.interview_date)
    day = repo.collection_config(db).interview_date
    following = [d for d in repo.decks(db) if not d.paused and not d.own_interview]
    return countdown(db, now, following, day)
