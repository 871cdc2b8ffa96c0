"""The daily time budget: how long cards take, and which new questions fit today.

Pure: the study session gathers today's figures from the database (study/intake.py) and the
plan gathers them from its simulation (study/plan.py); both decide with `admit`.

The rule, for a budget of `daily_minutes`:
- Due cards are always shown: they are owed.
- New cards of questions already started (why and dos cards, which wait a day after their
  question's rehearse card) come next, while today's estimate still fits the budget.
- A new question is introduced only while
  1. fewer than the day's cap of new questions (`new_questions_per_day`) came in today,
  2. today's estimate with the question's first day still fits the budget, and
  3. looking ahead, the reviews it adds on its first review days keep the forecast for each
     of those days at or under a share of the budget (LOOKAHEAD_SHARE in the coming week,
     LOOKAHEAD_SHARE_FAR after). The forecast places each card where studying will (the
     scheduler's intervals through `scheduling.rate`, in study days). Cards introduced together
     come due together; judged on today alone, a budget holds for ten days and then breaks
     (docs/plan.md shows the simulation).

Today's estimate is the time already spent today, plus the due cards left (with the
learning re-views still to come today), plus what the admitted new cards cost today.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from typing import Any

from drill.core.clock import study_date
from drill.core.config import StudyConfig
from drill.core.model import CardKind, CardRecord, Rating

# Seconds a card takes, before the user has a history of their own: a rehearse card is
# answered out loud (about two minutes with reading the model answer), a why or dos card is
# recalled in a sentence or a short list.
DEFAULT_SECONDS: Mapping[CardKind, float] = {
    CardKind.REHEARSE: 120.0,
    CardKind.WHY: 40.0,
    CardKind.DOS: 50.0,
}
# The user's own median replaces a default once this many reviews of the kind were timed;
# only the most recent RECENT_SAMPLES count, so the estimate follows them as they get faster.
MIN_SAMPLES = 5
RECENT_SAMPLES = 50
# A card left open longer than this (the user walked away) counts as this long.
LONGEST_MS = 10 * 60_000
# Share of first views rated Again or Hard (each brings a re-view today), before there are
# MIN_FIRST_RATINGS first ratings of the user's own.
FAIL_FIRST = 0.3
MIN_FIRST_RATINGS = 20
# The forecast of a new question's first review days must stay at or under a share of the
# budget: LOOKAHEAD_SHARE for the days of the coming week, LOOKAHEAD_SHARE_FAR from FAR_DAYS
# ahead on. The rest of a day is for what the forecast cannot know yet: that day's own new
# questions, and the lapses of a forecast that assumes every answer is Good. A day a week or
# two ahead will still gain the reviews of every question introduced until then (the
# simulation measured the forecast made 13 days ahead ~10 minutes short, the one made the
# day before ~2 minutes short), so its share is smaller. Both tuned with
# scripts/simulate_plan.py over 100 seeds (docs/plan.md).
LOOKAHEAD_SHARE = 0.85
FAR_DAYS = 7
LOOKAHEAD_SHARE_FAR = 0.6
# Reviews of a new card's that the look-ahead counts (the first, then the second).
LOOKAHEAD_REVIEWS = 2
# A card's next review is answered Again or Hard about this often; a young card so answered
# comes back the next day. The look-ahead adds this share of the card's time to the day after.
SPILL = 0.25


@dataclass(frozen=True, slots=True)
class Estimates:
    """Seconds per card view by kind, and the share of first views that need a re-view."""

    seconds: Mapping[CardKind, float]
    measured: frozenset[CardKind] = frozenset()  # kinds timed from the user's own reviews
    fail_first: float = FAIL_FIRST

    def of(self, kind: CardKind) -> float:
        return self.seconds[kind]

    @classmethod
    def default(cls) -> Estimates:
        return cls(dict(DEFAULT_SECONDS))

    @classmethod
    def from_history(
        cls, durations: Mapping[CardKind, Sequence[int]], first_ratings: Mapping[Rating, int]
    ) -> Estimates:
        """From the user's recent timed reviews per kind (ms, newest first, any number) and
        the ratings of their first views so far.
        """
        seconds = dict(DEFAULT_SECONDS)
        measured = set()
        for kind, values in durations.items():
            recent = [min(v, LONGEST_MS) for v in values[:RECENT_SAMPLES] if v > 0]
            if len(recent) >= MIN_SAMPLES:
                # statistics (with fractions, decimal and random) is loaded only when there
                # are enough timed reviews to take a median of: not on every start-up.
                import statistics

                seconds[kind] = statistics.median(recent) / 1000
                measured.add(kind)
        total = sum(first_ratings.values())
        fail = FAIL_FIRST
        if total >= MIN_FIRST_RATINGS:
            failed = first_ratings.get(Rating.AGAIN, 0) + first_ratings.get(Rating.HARD, 0)
            fail = failed / total
        return cls(seconds, frozenset(measured), fail)

    def to_json(self) -> dict[str, Any]:
        return {
            kind.value: {
                "per_view": round(self.seconds[kind], 1),
                "source": "yours" if kind in self.measured else "default",
            }
            for kind in CardKind
        }


def capped_ms(duration_ms: int | None, kind: CardKind, estimates: Estimates) -> float:
    """Time a review took, for time spent today: the estimate when it was not timed."""
    if duration_ms is None:
        return estimates.of(kind) * 1000
    return float(min(max(0, duration_ms), LONGEST_MS))


# -- views: how many times a card is shown on a day -------------------------------------------


def new_views(steps: Sequence[int], fail: float) -> float:
    """Expected views of a new card on its first day: one per learning step, and a re-view
    for each first view rated Again or Hard; one without steps (a failed card comes back
    the next day).
    """
    return len(steps) * (1 + fail) if steps else 1.0


def review_views(config: StudyConfig) -> float:
    """Expected views of a review card on its due day: one, plus the relearning steps of a
    lapse (likely 1 - desired_retention of the time).
    """
    return 1 + (1 - config.desired_retention) * len(config.relearning_steps)


def learning_views(steps: Sequence[int], step: int | None) -> int:
    """Views still to come of a learning card at `step` if every answer is Good."""
    return max(1, len(steps) - (step or 0))


# -- a new question's first days -------------------------------------------------------------


@lru_cache(maxsize=1 << 16)
def _good(
    config: StudyConfig,
    kind: CardKind,
    state: int,
    step: int | None,
    stability: float | None,
    difficulty: float | None,
    elapsed: int,
) -> tuple[int, int | None, float | None, float | None, float]:
    """(state, step, stability, difficulty, interval in days) after a Good answer given
    `elapsed` study days after the last one, as studying gives it (`scheduling.rate`: Good
    a day after Hard); memoised, as forecasts ask the same often.
    """
    from drill.core.scheduling import rate_after, scheduler_for

    record = CardRecord(
        state=state,
        step=step,
        stability=stability,
        difficulty=difficulty,
        last_review=None if state == 0 else 0,
    )
    scheduler = scheduler_for(config, kind, fuzz=False)
    after, interval = rate_after(
        scheduler, record, Rating.GOOD, elapsed, day_starts_at=config.day_starts_at
    )
    return after.state, after.step, after.stability, after.difficulty, interval / timedelta(days=1)


def _walk(
    config: StudyConfig,
    kind: CardKind,
    record: CardRecord,
    due_day: int,
    last_day: int,
    horizon: int,
) -> list[int]:
    """Days (from 1 to `horizon` - 1) a card is shown on, from its view on `due_day`
    onwards, if every answer is Good. Days are counted from today (0).
    """
    state, step = record.state, record.step
    stability, difficulty = record.stability, record.difficulty
    out: list[int] = []
    for _ in range(64):  # learning steps are finite; this only guards against a loop
        if due_day >= horizon:
            break
        if due_day >= 1:
            out.append(due_day)
        if state == 2 and (stability or 0.0) >= horizon:
            break  # the next interval reaches past the horizon
        state, step, stability, difficulty, days = _good(
            config, kind, state, step, stability, difficulty, due_day - last_day
        )
        last_day = due_day
        due_day += round(days) if days >= 1 else 0  # a step under a day stays on the day
    return out


def projected_reviews(
    record: CardRecord, kind: CardKind, config: StudyConfig, today: date, horizon: int
) -> list[int]:
    """Days from today (1 to `horizon` - 1) on which a studied card is shown, if every
    answer from now on is Good: its due day, then the scheduler's intervals (no fuzz).

    A card due today (owed today) is not counted today, only its views after that.
    """
    if record.due is None:
        return []
    hour = config.day_starts_at
    due = datetime.fromtimestamp(record.due / 1000, tz=UTC)
    due_day = max(0, (study_date(due, hour) - today).days)
    if due_day >= horizon:
        return []
    last_day = 0
    if record.last_review is not None:
        last = datetime.fromtimestamp(record.last_review / 1000, tz=UTC)
        last_day = min(0, (study_date(last, hour) - today).days)
    return _walk(config, kind, record, due_day, last_day, horizon)


def weighted(days: Sequence[int]) -> list[tuple[int, float]]:
    """Projected views as (day, share of a view): each day in full, and SPILL of the first
    on the day after it, for the chance it is missed and comes back.
    """
    out = [(day, 1.0) for day in days]
    if days:
        out.append((days[0] + 1, SPILL))
    return out


@lru_cache(maxsize=256)
def first_reviews(config: StudyConfig, kind: CardKind) -> tuple[int, ...]:
    """Days after its first view on which a new card's first LOOKAHEAD_REVIEWS reviews fall
    (on distinct days), when every answer is Good (no fuzz): the scheduler's own intervals.
    """
    days = _walk(config, kind, CardRecord(), 0, 0, 400)
    return tuple(sorted(set(days)))[:LOOKAHEAD_REVIEWS]


@dataclass(frozen=True, slots=True)
class QuestionCost:
    """What a new question costs: `today` (seconds on its first day) and `ahead` ((days
    from today, seconds) of the reviews it brings on its first review days).
    """

    today: float
    ahead: tuple[tuple[int, float], ...]


def question_cost(
    kinds: Sequence[CardKind],
    config: StudyConfig,
    estimates: Estimates,
    *,
    together: bool,
) -> QuestionCost:
    """The cost of introducing a question with these cards (first one first).

    Its first card is seen today and the others one a day after it, as a question's cards
    wait for the next day once one of them was answered, unless `together` (deadline mode)
    brings them all in today. Those later first views are not counted ahead: they are new
    cards, shown only when they fit their day.
    """
    today = 0.0
    ahead: dict[int, float] = {}
    for index, kind in enumerate(kinds):
        cost = estimates.of(kind)
        start = 0 if together else index
        if start == 0:
            today += new_views(config.steps(kind), estimates.fail_first) * cost
        if not config.steps(kind):  # a first view missed comes back the next day
            ahead[start + 1] = ahead.get(start + 1, 0.0) + estimates.fail_first * cost
        for offset, share in weighted(first_reviews(config, kind)):
            day = start + offset
            ahead[day] = ahead.get(day, 0.0) + share * review_views(config) * cost
    return QuestionCost(today, tuple(sorted(ahead.items())))


# -- the rule ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Candidate:
    """A new card the queue would show next, in queue order.

    `starts_question` when no card of its question was studied yet (it is a new question);
    `today` its cost today, `ahead` what it adds on days ahead (see `question_cost`).
    """

    deck_id: str
    starts_question: bool
    today: float
    ahead: tuple[tuple[int, float], ...] = ()
    # Days from today on or after which the look-ahead does not count (the interview).
    horizon: int | None = None


@dataclass(frozen=True, slots=True)
class Day:
    """Today's figures, in seconds. `budget` None: no time budget. `cap` None: no cap on
    new questions. `ahead` is the owed review time on days ahead (days from today).
    `extra_questions` and `extra_seconds` are what "learn more" granted past the rule today.
    """

    budget: float | None
    spent: float
    owed: float
    introduced: int = 0
    cap: int | None = None
    ahead: Mapping[int, float] = field(default_factory=dict)
    extra_questions: int = 0
    extra_seconds: float = 0.0


@dataclass(frozen=True, slots=True)
class Admission:
    """Which candidates come in today (`admitted`, in order), what they cost today, how
    many are new questions, and why the first refused new question was refused ("budget",
    "cap" or "ahead"; None when none was).
    """

    admitted: tuple[bool, ...]
    seconds: float
    questions: int
    refused: str | None

    @property
    def cards(self) -> int:
        return sum(self.admitted)


def admit(candidates: Sequence[Candidate], day: Day) -> Admission:
    """Decide which candidate new cards come in today (see the module's rule).

    A deck's new cards come in queue order, so once one of a deck's is refused, that deck's
    later ones are refused too; other decks' may still come in.
    """
    budget = None if day.budget is None else day.budget + day.extra_seconds
    cap = None if day.cap is None else day.cap + day.extra_questions - day.introduced
    # "Learn more" is an explicit choice to go past the plan: the look-ahead yields to it.
    look_ahead = day.budget is not None and day.extra_questions == 0
    limit = (LOOKAHEAD_SHARE * (day.budget or 0.0), LOOKAHEAD_SHARE_FAR * (day.budget or 0.0))
    total = day.spent + day.owed
    added: dict[int, float] = {}
    blocked: set[str] = set()
    admitted: list[bool] = []
    seconds = 0.0
    questions = 0
    refused: str | None = None
    for candidate in candidates:
        reason = None
        if candidate.deck_id in blocked:
            reason = "order"
        elif budget is not None and total + candidate.today > budget:
            reason = "budget"
        elif candidate.starts_question:
            if cap is not None and questions >= cap:
                reason = "cap"
            elif look_ahead and not _fits_ahead(candidate, day.ahead, added, limit):
                reason = "ahead"
        if reason is not None:
            blocked.add(candidate.deck_id)
            admitted.append(False)
            if candidate.starts_question and refused is None and reason != "order":
                refused = reason
            continue
        admitted.append(True)
        total += candidate.today
        seconds += candidate.today
        if candidate.starts_question:
            questions += 1
            for offset, cost in candidate.ahead:
                added[offset] = added.get(offset, 0.0) + cost
    return Admission(tuple(admitted), seconds, questions, refused)


def _fits_ahead(
    candidate: Candidate,
    ahead: Mapping[int, float],
    added: Mapping[int, float],
    limit: tuple[float, float],
) -> bool:
    for offset, cost in candidate.ahead:
        if candidate.horizon is not None and offset >= candidate.horizon:
            continue
        share = limit[0] if offset < FAR_DAYS else limit[1]
        if ahead.get(offset, 0.0) + added.get(offset, 0.0) + cost > share:
            return False
    return True
