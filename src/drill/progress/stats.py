"""Progress numbers, all computed by SQL aggregation over indexed tables.

Days are study days in local time: they begin at `day_starts_at`, as in the queue. Reviews
are never loaded into Python: every query returns aggregates, at most one row per deck and
day. `collect` gathers everything `drill stats --json` shows, per deck too, with one grouped
query per kind of figure rather than one query per deck.

Conventions:
- True retention is the share of reviews of cards in the review state (FSRS state 2 before
  the rating) that were not rated Again.
- Card counts leave out retired cards; suspended cards are counted only under `suspended`,
  so the state counts are what can be studied (as in `drill decks`).
- Retrievability follows py-fsrs: elapsed time since the last review in whole days.
"""

from __future__ import annotations

import itertools
import math
import sqlite3
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlite_utils import Database

from drill.core import clock
from drill.storage import repo

DAY_MS = 86_400_000
# FSRS-6's default w20: the forgetting curve's decay is -w20.
DEFAULT_W20 = 0.1542
MASTERED_DAYS = 21.0
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
_ALL = "*"  # the group key when results are not split by deck


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


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def _ratio(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _deck_filter(deck_id: str | None, params: list[object]) -> str:
    if deck_id is None:
        return ""
    params.append(deck_id)
    return " AND deck_id = ?"


def _hour(db: Database) -> int:
    return repo.collection_config(db).day_starts_at


# -- today, streak, heatmap (used by the TUI's home screen) -----------------------------------


def today(db: Database, now: datetime, deck_id: str | None = None) -> Today:
    """Reviews since the current study day began."""
    params: list[object] = [clock.to_ms(clock.day_start(now, _hour(db)))]
    where = _deck_filter(deck_id, params)
    index = "" if deck_id else " INDEXED BY reviews_time"
    row = db.execute(
        "SELECT count(*), coalesce(sum(review_state = 0), 0), coalesce(sum(rating = 1), 0), "
        f"coalesce(sum(duration_ms), 0) FROM reviews{index} WHERE review_time >= ?{where}",
        params,
    ).fetchone()
    return Today(*row)


def _has_reviews(db: Database, day: date, hour: int, deck_id: str | None) -> bool:
    start, end = clock.start_of(day, hour), clock.start_of(day + timedelta(1), hour)
    params: list[object] = [clock.to_ms(start), clock.to_ms(end)]
    where = _deck_filter(deck_id, params)
    sql = f"SELECT 1 FROM reviews WHERE review_time >= ? AND review_time < ?{where} LIMIT 1"
    return db.execute(sql, params).fetchone() is not None


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
    rows = _window(db, hour, first, last, deck_id, by_deck=False).get(_ALL, {})
    return _fill_days(first, days, {day: row.reviews for day, row in rows.items()})


def _fill_days(first: date, days: int, counts: dict[date, int]) -> list[tuple[date, int]]:
    return [(first + timedelta(i), counts.get(first + timedelta(i), 0)) for i in range(days)]


# -- retention ----------------------------------------------------------------------------------


def _retention_since(
    db: Database, since_ms: int | None, deck_id: str | None, by_deck: bool
) -> dict[str, tuple[int, int]]:
    """{deck or "*": (reviews in the review state, passed)} since `since_ms` (None: all)."""
    key, group = ("deck_id", " GROUP BY deck_id") if by_deck else (f"'{_ALL}'", "")
    params: list[object] = []
    where = "review_state = 2"
    if since_ms is not None:
        where += " AND review_time >= ?"
        params.append(since_ms)
    where += _deck_filter(deck_id, params)
    sql = (
        f"SELECT {key}, count(*), coalesce(sum(rating > 1), 0) "
        f"FROM reviews{_review_index(db, since_ms, deck_id)} WHERE {where}{group}"
    )
    return {r[0]: (r[1], r[2]) for r in db.execute(sql, params) if r[1]}


def _review_index(db: Database, since_ms: int | None, deck_id: str | None) -> str:
    """Which index to read reviews through, when the planner's own choice is slow.

    A time window reads the time index. All of history reads the covering
    (review_state, deck_id, rating) index, never the wide review rows.
    """
    if since_ms is not None:
        return "" if deck_id is not None else " INDEXED BY reviews_time"
    return " INDEXED BY reviews_state"


def true_retention(
    db: Database, now: datetime, days: int | None = None, deck_id: str | None = None
) -> float | None:
    """Share of reviews of cards in the review state not rated Again.

    Counts reviews with `review_time >= now - days` (all of them when `days` is None);
    None when there are none.
    """
    since = None if days is None else clock.to_ms(now) - days * DAY_MS
    reviews, passed = _retention_since(db, since, deck_id, by_deck=False).get(_ALL, (0, 0))
    return _ratio(passed, reviews)


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def weekly_retention(
    db: Database, now: datetime, weeks: int = 12, deck_id: str | None = None
) -> list[WeekRetention]:
    """True retention per week (Monday to Sunday), the last `weeks` weeks, oldest first.

    The last week is the current one, so far.
    """
    hour = _hour(db)
    last = clock.study_date(now, hour)
    first = _monday(last) - timedelta(weeks=weeks - 1)
    window = _window(db, hour, first, last, deck_id, by_deck=False)
    return _weeks(window.get(_ALL, {}), first, weeks)


def _weeks(days: dict[date, _DayRow], first: date, weeks: int) -> list[WeekRetention]:
    totals: dict[date, list[int]] = defaultdict(lambda: [0, 0])
    for day, row in days.items():
        if day >= first:
            total = totals[_monday(day)]
            total[0] += row.review_state
            total[1] += row.passed
    return [
        WeekRetention(week, *totals.get(week, (0, 0)))
        for week in (first + timedelta(weeks=i) for i in range(weeks))
    ]


# -- one pass over recent reviews ------------------------------------------------------------


@dataclass(slots=True)
class _DayRow:
    """Aggregates of one deck's reviews over a stretch of time (usually a study day)."""

    reviews: int = 0
    new: int = 0
    again: int = 0
    time_ms: int = 0
    review_state: int = 0
    passed: int = 0

    def add(self, other: _DayRow) -> None:
        self.reviews += other.reviews
        self.new += other.new
        self.again += other.again
        self.time_ms += other.time_ms
        self.review_state += other.review_state
        self.passed += other.passed


def _range(
    db: Database, start_ms: int, end_ms: int, deck_id: str | None, by_deck: bool
) -> dict[str, _DayRow]:
    """{deck or "*": aggregates} of reviews with start_ms <= review_time < end_ms.

    By deck, each deck's reviews are one range of the covering (deck_id, review_time, ...)
    index, read deck after deck: no table reads, and no sort for the grouping.
    """
    key, group = ("deck_id", " GROUP BY deck_id") if by_deck else (f"'{_ALL}'", "")
    params: list[object] = []
    if deck_id is not None:
        index, where = "", "deck_id = ? AND "
        params.append(deck_id)
    elif by_deck:
        index, where = " INDEXED BY reviews_deck_time", "deck_id IN (SELECT id FROM decks) AND "
    else:
        index, where = " INDEXED BY reviews_time", ""
    params += [start_ms, end_ms]
    sql = (
        f"SELECT {key}, count(*), coalesce(sum(review_state = 0), 0), "
        "coalesce(sum(rating = 1), 0), coalesce(sum(duration_ms), 0), "
        "coalesce(sum(review_state = 2), 0), coalesce(sum(review_state = 2 AND rating > 1), 0) "
        f"FROM reviews{index} WHERE {where}review_time >= ? AND review_time < ?{group}"
    )
    return {row[0]: _DayRow(*row[1:]) for row in db.execute(sql, params) if row[1]}


def _window(
    db: Database, hour: int, first: date, last: date, deck_id: str | None, by_deck: bool
) -> dict[str, dict[date, _DayRow]]:
    """{deck or "*": {study day: aggregates}} for the study days `first` to `last`.

    One query per day, each an index range: grouping a whole window at once would sort
    every review in it, which is several times slower than many small groups.
    """
    out: dict[str, dict[date, _DayRow]] = defaultdict(dict)
    day = first
    start = clock.to_ms(clock.start_of(day, hour))
    while day <= last:
        end = clock.to_ms(clock.start_of(day + timedelta(days=1), hour))
        for key, row in _range(db, start, end, deck_id, by_deck).items():
            out[key][day] = row
        day, start = day + timedelta(days=1), end
    return out


def _since(
    db: Database,
    hour: int,
    since_ms: int,
    window: dict[str, dict[date, _DayRow]],
    deck_id: str | None,
) -> dict[str, tuple[int, int]]:
    """{deck: (reviews in the review state, passed)} since `since_ms`, from the window's days.

    Whole days after the one `since_ms` falls in come from `window`; only the rest of
    that day is queried.
    """
    day = clock.study_date(clock.from_ms(since_ms), hour)
    end = clock.to_ms(clock.start_of(day + timedelta(days=1), hour))
    partial = _range(db, since_ms, end, deck_id, by_deck=True)
    out = {}
    for key in window.keys() | partial.keys():
        total = partial.get(key, _DayRow())
        rows = [r for d, r in window.get(key, {}).items() if d > day]
        out[key] = (
            total.review_state + sum(r.review_state for r in rows),
            total.passed + sum(r.passed for r in rows),
        )
    return out


# -- cards ------------------------------------------------------------------------------------


def _ensure_pow(db: Database) -> None:
    """SQLite has pow() only when built with math functions; otherwise supply Python's."""
    try:
        db.execute("SELECT pow(2, 3)").fetchone()
    except sqlite3.OperationalError:
        db.conn.create_function("pow", 2, math.pow, deterministic=True)


def _curve(decks: Iterable[repo.DeckInfo]) -> list[tuple[str, float, float]]:
    """(deck, decay, factor) of each deck's FSRS-6 forgetting curve."""
    out = []
    for deck in decks:
        params = deck.config.fsrs_parameters
        w20 = params[20] if params and len(params) > 20 else DEFAULT_W20
        decay = -w20
        out.append((deck.id, decay, 0.9 ** (1 / decay) - 1))
    return out


@dataclass(slots=True)
class _CardRow:
    counts: CardCounts
    r_sum: float
    r_count: int
    buckets: tuple[int, ...]


def _cards(
    db: Database, now: datetime, decks: list[repo.DeckInfo], by_deck: bool
) -> dict[str, _CardRow]:
    """Card counts, summed retrievability and stability buckets, per deck or in total.

    Two passes, each with few aggregates: the cost is per aggregate and row, so the state
    counts read every card and the rest only the reviewed, active ones.
    """
    if not decks:
        return {}
    _ensure_pow(db)
    key, group = ("c.deck_id", " GROUP BY c.deck_id") if by_deck else (f"'{_ALL}'", "")
    marks = ", ".join("?" for _ in decks)
    counts = {
        row[0]: CardCounts(*row[1:])
        for row in db.execute(
            f"SELECT {key}, "
            + ", ".join(f"coalesce(sum(c.suspended = 0 AND c.state = {s}), 0)" for s in range(4))
            + ", coalesce(sum(c.suspended != 0), 0) "
            f"FROM cards c WHERE c.retired = 0 AND c.deck_id IN ({marks}){group}",
            [deck.id for deck in decks],
        )
    }
    curve = _curve(decks)
    values = ", ".join("(?, ?, ?)" for _ in curve)
    params: list[object] = [v for row in curve for v in row]
    params.append(clock.to_ms(now))
    # Stability below each bucket's upper bound (the buckets are contiguous from 0); a
    # bucket's count is the difference of two of these.
    uppers = [high for _, _, high in STABILITY_BUCKETS if high is not None]
    below = "".join(f", coalesce(sum(c.stability < {high!r}), 0)" for high in uppers)
    reviewed: dict[str, tuple[float, int, tuple[int, ...]]] = {}
    for row in db.execute(
        f"WITH curve(deck_id, decay, factor) AS (VALUES {values}) "
        f"SELECT {key}, coalesce(sum(pow(1 + curve.factor * "
        "max(0, (? - c.last_review) / 86400000) / c.stability, curve.decay)), 0.0), "
        f"count(*){below} "
        "FROM cards c JOIN curve ON curve.deck_id = c.deck_id "
        "WHERE c.retired = 0 AND c.suspended = 0 AND c.state != 0 AND c.stability > 0 "
        f"AND c.last_review IS NOT NULL{group}",
        params,
    ):
        cumulative = [0, *row[3:], row[2]]
        buckets = tuple(b - a for a, b in itertools.pairwise(cumulative))
        reviewed[row[0]] = (row[1], row[2], buckets)
    empty = (0.0, 0, (0,) * len(STABILITY_BUCKETS))
    return {
        k: _CardRow(counts.get(k, CardCounts()), *reviewed.get(k, empty))
        for k in counts.keys() | reviewed.keys()
    }


def card_counts(db: Database, deck_id: str | None = None) -> CardCounts:
    """Cards by state (retired left out, suspended counted apart), in one deck or all."""
    row = _cards(db, clock.from_ms(0), repo.decks(db, deck_id), by_deck=False).get(_ALL)
    return row.counts if row else CardCounts()


def mean_retrievability(db: Database, now: datetime, deck_id: str | None = None) -> float | None:
    """Mean probability of recall now over reviewed, active cards; None if there are none.

    Uses each deck's FSRS parameters (its w20) when set.
    """
    row = _cards(db, now, repo.decks(db, deck_id), by_deck=False).get(_ALL)
    return row.r_sum / row.r_count if row and row.r_count else None


def stability_distribution(db: Database, deck_id: str | None = None) -> list[StabilityBucket]:
    """Reviewed, active cards by stability (days), in STABILITY_BUCKETS."""
    row = _cards(db, clock.from_ms(0), repo.decks(db, deck_id), by_deck=False).get(_ALL)
    counts = row.buckets if row else (0,) * len(STABILITY_BUCKETS)
    return _buckets(counts)


def _buckets(counts: Iterable[int]) -> list[StabilityBucket]:
    return [
        StabilityBucket(label, low, high, n)
        for (label, low, high), n in zip(STABILITY_BUCKETS, counts, strict=True)
    ]


def _mastered(db: Database, deck_id: str | None, by_deck: bool) -> dict[str, int]:
    params: list[object] = []
    where = _deck_filter(deck_id, params)
    params.append(MASTERED_DAYS)
    key, group = ("deck_id", " GROUP BY deck_id") if by_deck else (f"'{_ALL}'", "")
    sql = (
        f"SELECT {key}, count(*) FROM (SELECT deck_id FROM cards "
        f"WHERE retired = 0 AND suspended = 0{where} "
        "GROUP BY deck_id, question_id HAVING min(coalesce(stability, 0)) >= ?)"
        f"{group}"
    )
    return {r[0]: r[1] for r in db.execute(sql, params) if r[1]}


def mastered_questions(db: Database, deck_id: str | None = None) -> int:
    """Questions all of whose active cards (not retired or suspended) have stability ≥ 21 days."""
    return _mastered(db, deck_id, by_deck=False).get(_ALL, 0)


def _questions(db: Database, deck_id: str | None) -> dict[str, int]:
    params: list[object] = []
    where = _deck_filter(deck_id, params)
    sql = f"SELECT deck_id, count(*) FROM questions WHERE 1{where} GROUP BY deck_id"
    return dict(db.execute(sql, params).fetchall())


def _forecast(
    db: Database, now: datetime, days: int, deck_id: str | None, by_deck: bool
) -> dict[str, dict[date, int]]:
    """Cards due per deck and study day, overdue ones on today.

    One index range of due times per day: cheaper than working out each card's local date
    in SQL (a time-zone conversion per card) and sorting them all by it.
    """
    hour = _hour(db)
    today_ = clock.study_date(now, hour)
    key, group = ("deck_id", " GROUP BY deck_id") if by_deck else (f"'{_ALL}'", "")
    where = _deck_filter(deck_id, [])
    sql = (
        f"SELECT {key}, count(*) FROM cards WHERE state IN (1, 2, 3) AND due < ? "
        f"AND due >= ? AND suspended = 0 AND retired = 0{where}{group}"
    )
    out: dict[str, dict[date, int]] = defaultdict(dict)
    low: int | None = None  # today also holds everything overdue
    for offset in range(days):
        day = today_ + timedelta(days=offset)
        high = clock.to_ms(clock.start_of(day + timedelta(days=1), hour))
        params: list[object] = [high, -(2**63) if low is None else low]
        _deck_filter(deck_id, params)
        for key_, n in db.execute(sql, params):
            if n:
                out[key_][day] = n
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
    counts = _forecast(db, now, days, deck_id, by_deck=False).get(_ALL, {})
    return _fill_days(clock.study_date(now, hour), days, counts)


# -- everything, for `drill stats` and the report ---------------------------------------------


def collect(
    db: Database,
    now: datetime,
    *,
    deck_id: str | None = None,
    days: int = 84,
    forecast_days: int = 30,
    weeks: int = 12,
) -> dict[str, Any]:
    """Every figure of `drill stats --json`, for the collection (or one deck) and per deck.

    Each kind of figure is one query grouped by deck; the collection's figures are the sums.
    """
    if days < 1 or forecast_days < 1 or weeks < 1:
        raise ValueError("days, forecast_days and weeks must be at least 1")
    hour = _hour(db)
    decks = repo.decks(db, deck_id)
    today_ = clock.study_date(now, hour)
    first_day = today_ - timedelta(days=days - 1)
    first_week = _monday(today_) - timedelta(weeks=weeks - 1)
    oldest_window = clock.study_date(
        now - timedelta(days=max(d for _, d in RETENTION_WINDOWS)), hour
    )
    window_first = min(first_day, first_week, oldest_window)
    window = _window(db, hour, window_first, today_, deck_id, by_deck=True)
    recent = {
        name: _since(db, hour, clock.to_ms(now) - days_ * DAY_MS, window, deck_id)
        for name, days_ in RETENTION_WINDOWS
    }
    history = _retention_since(db, None, deck_id, by_deck=True)
    totals = _total_reviews(db, deck_id)
    cards = _cards(db, now, decks, by_deck=True)
    mastered = _mastered(db, deck_id, by_deck=True)
    questions = _questions(db, deck_id)
    due = _forecast(db, now, forecast_days, deck_id, by_deck=True)

    def figures(ids: list[str], has_reviews: Callable[[date], bool]) -> dict[str, Any]:
        merged: dict[date, _DayRow] = defaultdict(_DayRow)
        for i in ids:
            for day, row in window.get(i, {}).items():
                merged[day].add(row)
        card_rows = [cards[i] for i in ids if i in cards]
        counts = sum((c.counts for c in card_rows), CardCounts())
        r_sum = sum(c.r_sum for c in card_rows)
        r_count = sum(c.r_count for c in card_rows)
        buckets = [sum(col) for col in zip(*(c.buckets for c in card_rows), strict=True)]
        review_all = sum(history.get(i, (0, 0))[0] for i in ids)
        passed_all = sum(history.get(i, (0, 0))[1] for i in ids)
        today_row = merged.get(today_, _DayRow())
        retention: dict[str, float | None] = {}
        for name, _ in RETENTION_WINDOWS:
            reviews = sum(recent[name].get(i, (0, 0))[0] for i in ids)
            passed = sum(recent[name].get(i, (0, 0))[1] for i in ids)
            retention[name] = _round(_ratio(passed, reviews))
        retention["all"] = _round(_ratio(passed_all, review_all))
        due_days: dict[date, int] = defaultdict(int)
        for i in ids:
            for day, n in due.get(i, {}).items():
                due_days[day] += n

        def reviewed_on(day: date) -> bool:
            # Days inside the window are known; older ones are probed through the index.
            if day >= window_first:
                return day in merged and merged[day].reviews > 0
            return has_reviews(day)

        return {
            "total_reviews": sum(totals.get(i, 0) for i in ids),
            "today": Today(
                today_row.reviews, today_row.new, today_row.again, today_row.time_ms
            ).to_json(),
            "streak_days": _streak(today_, reviewed_on),
            "true_retention": retention,
            "questions": sum(questions.get(i, 0) for i in ids),
            "mastered_questions": sum(mastered.get(i, 0) for i in ids),
            "cards": counts.to_json(),
            "mean_retrievability": _round(r_sum / r_count if r_count else None),
            "stability": [b.to_json() for b in _buckets(buckets or (0,) * len(STABILITY_BUCKETS))],
            "forecast": [
                {"date": d.isoformat(), "due": n}
                for d, n in _fill_days(today_, forecast_days, due_days)
            ],
            "heatmap": [
                {"date": d.isoformat(), "reviews": n}
                for d, n in _fill_days(first_day, days, {d: r.reviews for d, r in merged.items()})
            ],
            "weekly_retention": [w.to_json() for w in _weeks(merged, first_week, weeks)],
        }

    ids = [d.id for d in decks]
    out: dict[str, Any] = {
        "generated_at": now.isoformat().replace("+00:00", "Z"),
        "study_day": today_.isoformat(),
        "day_starts_at": hour,
        "deck": deck_id,
        "days": days,
        **figures(ids, lambda d: _has_reviews(db, d, hour, deck_id)),
        "decks": [
            {
                "id": deck.id,
                "name": deck.name,
                **figures([deck.id], lambda d, i=deck.id: _has_reviews(db, d, hour, i)),
            }
            for deck in decks
        ],
    }
    return out


def _total_reviews(db: Database, deck_id: str | None) -> dict[str, int]:
    # (deck_id, review_time) covers this: an index-only scan, no table reads.
    params: list[object] = []
    where = _deck_filter(deck_id, params)
    sql = f"SELECT deck_id, count(*) FROM reviews WHERE 1{where} GROUP BY deck_id"
    return dict(db.execute(sql, params).fetchall())


def true_retention_today(db: Database, now: datetime, deck_id: str | None = None) -> float | None:
    """Share of this study day's reviews of cards in the review state not rated Again."""
    hour = repo.collection_config(db).day_starts_at
    params: list[object] = [clock.to_ms(clock.day_start(now, hour))]
    where = _deck_filter(deck_id, params)
    total, passed = db.execute(
        "SELECT count(*), coalesce(sum(rating != 1), 0) FROM reviews "
        f"WHERE review_time >= ? AND review_state = 2{where}",
        params,
    ).fetchone()
    return passed / total if total else None
