"""Today's intake of new cards under the daily time budget, from the database.

The rule itself is core/budget.py; this module gathers its figures (time spent today, what is
owed, what falls due ahead, the new cards the queue would show next) and turns the decision
into each deck's `new_left` for the queue. The budget is the collection's: time spent and
cards owed in every deck count, whichever deck is being studied. Paused decks count for
nothing.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from drill.core import budget, clock, deadline
from drill.core.budget import Admission, Candidate, Day, Estimates
from drill.core.config import StudyConfig
from drill.core.limits import capped_duration
from drill.core.model import CardKind, CardRecord, Rating
from drill.storage import queue, repo, upcoming, workload

if TYPE_CHECKING:
    from drill.storage.sqlite import Database
    from drill.study.today_plan import TodayPlan

LEARN_MORE_KEY = "learn_more"
# New questions one "learn more" adds today.
LEARN_MORE_QUESTIONS = 2


def load_estimates(db: Database, day_ms: int) -> Estimates:
    """Seconds per card view by kind (the user's own medians, else the defaults), from the
    reviews before the study day that starts at `day_ms`.

    Fixed for the day: today's plan, `drill next` in a new process and a session that keeps
    its counts all weigh today's new questions at the same prices, and a slow or fast answer
    this morning does not re-price the rest of the day's intake (tomorrow's estimates
    include it).
    """
    durations = {
        kind: workload.recent_durations(db, kind, budget.RECENT_SAMPLES, day_ms)
        for kind in CardKind
    }
    return Estimates.from_history(durations, workload.first_ratings(db, day_ms))


@dataclass(frozen=True, slots=True)
class Extra:
    """What "learn more" granted past the plan today."""

    day: str
    questions: int
    seconds: float

    @classmethod
    def load(cls, db: Database, today: date) -> Extra:
        text = repo.get_setting(db, LEARN_MORE_KEY)
        if text:
            try:
                data = json.loads(text)
                if data.get("day") == today.isoformat():
                    return cls(data["day"], int(data["questions"]), float(data["seconds"]))
            except (ValueError, KeyError, TypeError):
                pass  # a hand-edited value: grant nothing rather than fail
        return cls(today.isoformat(), 0, 0.0)

    def save(self, db: Database) -> None:
        repo.set_setting(
            db,
            LEARN_MORE_KEY,
            json.dumps({"day": self.day, "questions": self.questions, "seconds": self.seconds}),
        )


@dataclass(frozen=True, slots=True)
class Intake:
    """Each deck's new cards allowed now (`new_left`), the questions each deck brings in
    before its others (`first`: a job's set with an interview ahead), and today's plan
    (None when not asked for: see `compute`).
    """

    new_left: dict[str, int]
    first: dict[str, frozenset[str]]
    order: tuple[str, ...]  # the decks in the order their new cards come
    today: TodayPlan | None


@dataclass(frozen=True, slots=True)
class JobSets:
    """The sets of the jobs with an interview ahead, as the intake takes them: each an
    interview like `interview_date`, for some questions only.
    """

    interviews: list[tuple[date, dict[str, frozenset[str]]]]
    first: dict[str, frozenset[str]]
    soonest: dict[str, int]  # per deck, study days to its soonest job interview

    @classmethod
    def load(cls, db: Database, now: datetime, hour: int) -> JobSets:
        interviews = [
            (upcoming.interview, upcoming.members)
            for upcoming in upcoming.upcoming_sets(db, clock.study_date(now, hour))
        ]
        first: dict[str, frozenset[str]] = {}
        soonest: dict[str, int] = {}
        for day, members in interviews:
            left = deadline.days_until(day, now, hour) or 1
            for deck_id, ids in members.items():
                first[deck_id] = first.get(deck_id, frozenset()) | ids
                soonest[deck_id] = min(soonest.get(deck_id, left), left)
        return cls(interviews, first, soonest)


NO_JOBS = JobSets([], {}, {})


def deck_order(
    decks: Sequence[repo.DeckInfo],
    now: datetime,
    hour: int,
    soonest: Mapping[str, int] | None = None,
) -> list[repo.DeckInfo]:
    """Decks in the order their new cards come: those with the soonest interview first (their
    own or the collection's, or a job's whose set holds some of their questions: `soonest`),
    so a raised intake goes to them, then the rest in display order.
    """

    def key(deck: repo.DeckInfo) -> int:
        left = deadline.days_left(deck.config, now, hour)
        days = [d for d in (left, (soonest or {}).get(deck.id)) if d is not None]
        return min(days, default=1_000_000)

    return sorted(decks, key=key)  # stable: display order within each


# Counts of a deck's questions or new cards (of some kinds, of some questions or all), asked
# by the intake in deadline mode: `unseen` questions and `waiting` new cards.
Counter = Callable[[str, frozenset[CardKind], frozenset[str] | None], int]


def questions_cap(
    config: StudyConfig,
    active: Sequence[repo.DeckInfo],
    now: datetime,
    hour: int,
    started_today: Mapping[str, frozenset[str]],
    unseen: Counter,
    only: Mapping[str, frozenset[str]] | None = None,
    job_sets: JobSets = NO_JOBS,
) -> int | None:
    """Today's cap on new questions: the setting, raised before an interview to the pace
    that sees every question of its decks (or of a job's set, `only`) before the last day.
    The pace counts the questions unseen when the day began (those started today too), so it
    holds through the day. A job's interview counts for its set's questions, in decks
    without an interview of their own by then. `unseen` counts a deck's unseen questions
    (`workload.unseen_questions`).
    """
    cap = config.question_cap
    if cap is None:
        return None
    today = clock.study_date(now, hour)
    counts: dict[date, tuple[int, int]] = {}
    for deck in active:
        left = deadline.days_left(deck.config, now, hour)
        if left is None or deck.config.interview_date is None:
            continue
        count, _ = counts.get(deck.config.interview_date, (0, left))
        questions = None if only is None else only.get(deck.id, frozenset())
        count += unseen(deck.id, deck.config.card_kinds, questions)
        started = started_today.get(deck.id, frozenset())
        count += len(started if questions is None else started & questions)
        counts[deck.config.interview_date] = (count, left)
    by_id = {deck.id: deck for deck in active}
    for day, members in job_sets.interviews:
        left = deadline.days_until(day, now, hour)
        if left is None:
            continue
        count, _ = counts.get(day, (0, left))
        for deck_id, ids in members.items():
            holder = by_id.get(deck_id)
            if holder is None:
                continue  # a paused deck
            own = holder.config.interview_date
            if own is not None and today < own <= day:
                continue  # its own interview comes first and counts these questions
            count += unseen(deck_id, holder.config.card_kinds, ids)
            count += len(started_today.get(deck_id, frozenset()) & ids)
        counts[day] = (count, left)
    need = sum(deadline.questions_needed(count, left) for count, left in counts.values())
    return max(cap, need)


# Views projected ahead: {(day from today, deck, kind, share of a view): views}. Whole
# numbers, so a rating's share is taken out and put back exactly.
Views = dict[tuple[int, str, str, float], int]


def views_ahead(
    rows: Iterable[tuple[str, CardKind, CardRecord]],
    configs: Mapping[str, StudyConfig],
    today: date,
    horizon: int,
) -> Views:
    """The views on each of the next `horizon` - 1 days of these studied cards, if every
    answer is Good (see `budget.projected_reviews` and `budget.weighted`).
    """
    out: Views = {}
    for deck_id, kind, record in rows:
        days = budget.projected_reviews(record, kind, configs[deck_id], today, horizon)
        for offset, share in budget.weighted(days):
            key = (offset, deck_id, kind.value, share)
            out[key] = out.get(key, 0) + 1
    return out


def ahead_seconds(
    views: Views, configs: Mapping[str, StudyConfig], est: Estimates
) -> dict[int, float]:
    """Seconds of reviews owed on each day ahead, summed in one fixed order."""
    out: dict[int, float] = {}
    for (offset, deck_id, kind, share), count in sorted(views.items()):
        cost = budget.review_views(configs[deck_id]) * est.of(CardKind(kind))
        out[offset] = out.get(offset, 0.0) + count * share * cost
    return out


def _ahead_end(configs: Mapping[str, StudyConfig], today: date, horizon: int) -> int:
    hour = next(iter(configs.values())).day_starts_at if configs else 4
    return clock.to_ms(clock.start_of(today + timedelta(days=horizon), hour))


def forecast_ahead(
    db: Database,
    deck_ids: Sequence[str],
    configs: dict[str, StudyConfig],
    est: Estimates,
    today: date,
    horizon: int,
) -> dict[int, float]:
    """Seconds of reviews owed on each of the next `horizon` - 1 days by the cards already
    studied, if every answer is Good (see `budget.projected_reviews`).
    """
    end = _ahead_end(configs, today, horizon)
    views = views_ahead(workload.due_before(db, deck_ids, end), configs, today, horizon)
    return ahead_seconds(views, configs, est)


class _Forecast(Mapping[int, float]):
    """`forecast_ahead`, worked out when the budget's look-ahead first asks for a day: when
    today's budget is spent before any new question is weighed, it never is.
    """

    def __init__(self, work: Callable[[], dict[int, float]]) -> None:
        self._work: Callable[[], dict[int, float]] | None = work
        self._days: dict[int, float] = {}

    def _done(self) -> dict[int, float]:
        if self._work is not None:
            self._days, self._work = self._work(), None
        return self._days

    def __getitem__(self, offset: int) -> float:
        return self._done()[offset]

    def __iter__(self) -> Iterator[int]:
        return iter(self._done())

    def __len__(self) -> int:
        return len(self._done())


# New questions a deck's candidates are first listed for, under a budget or a cap (more
# only while all of them come in).
_FIRST_CANDIDATES = 16

# Owed cards by (deck, kind, state, step; -1 for review cards, which have none).
OwedKey = tuple[str, str, int, int]
CountKey = tuple[str, str, frozenset[CardKind], frozenset[str] | None]


def _add_owed(owed: dict[OwedKey, int], rows: Iterable[workload.Owed], sign: int) -> None:
    for row in rows:
        key = (row.deck_id, row.kind.value, row.state, -1 if row.step is None else row.step)
        cards = owed.get(key, 0) + sign * row.cards
        if cards:
            owed[key] = cards
        else:
            owed.pop(key, None)


@dataclass(frozen=True, slots=True)
class Shares:
    """One question's share of the figures, read before a rating of one of its cards."""

    owed: dict[OwedKey, int]
    counted: dict[CountKey, int]
    ahead: dict[int, Views]


@dataclass(slots=True)
class Figures:
    """What today's intake is decided from, read from the database once: the settings and
    decks, today's reviews (time spent, new and review cards done, the questions started),
    the cards still owed today, the user's recent card times and first ratings, what "learn
    more" granted, the jobs' sets, and the deadline counts asked so far.

    A session reads them once a study day and then keeps them through its own ratings:
    `shares` before a rating and `rated` after it re-read only the rated question's share,
    so deciding the intake costs the same with ten thousand cards due as with ten. What is
    kept equals what `read` gives afterwards (tests/test_session_counts.py), and derived
    figures (time spent, time owed) are summed in one fixed order from whole numbers, so a
    kept and a fresh read give the same bits.
    """

    config: StudyConfig
    active: list[repo.DeckInfo]  # decks whose owed cards count (the scope's own configs)
    together: frozenset[str]  # active decks in deadline mode: siblings not buried
    now_ms: int
    day_ms: int
    end_ms: int
    timed_ms: int  # today's timed reviews, each capped as `budget.capped_ms` caps it
    untimed: dict[CardKind, int]  # today's reviews without a time, by kind
    estimates: Estimates  # fixed for the day (load_estimates)
    owed: dict[OwedKey, int]
    started: dict[str, frozenset[str]]
    done: dict[str, tuple[int, int]]
    extra: Extra
    job_sets: JobSets
    counted: dict[CountKey, int] = field(default_factory=dict)
    ahead: dict[int, Views] = field(default_factory=dict)  # by horizon, as asked so far

    @classmethod
    def read(
        cls,
        db: Database,
        now: datetime,
        scope: Sequence[repo.DeckInfo],
        only: Mapping[str, frozenset[str]] | None = None,
        *,
        config: StudyConfig | None = None,
        decks: Sequence[repo.DeckInfo] | None = None,
    ) -> Figures:
        """Today's figures; `config` and `decks` (the collection's settings and every deck)
        are read unless given.
        """
        config = config if config is not None else repo.collection_config(db)
        hour = config.day_starts_at
        now_ms = clock.to_ms(now)
        day_ms = clock.to_ms(clock.day_start(now, hour))
        end_ms = clock.to_ms(clock.next_day_start(now, hour))
        # The scope's decks as given: a job's session gives them the job's interview date,
        # and its set names its questions, so their decks count even when paused.
        scoped = {d.id: d for d in scope}
        every = decks if decks is not None else repo.decks(db)
        active = [scoped.get(d.id, d) for d in every if not d.paused or d.id in scoped]
        together = frozenset(d.id for d in active if deadline.active(d.config, now, hour))
        # Time spent and questions started today count in every deck, paused since or not:
        # it is the day's time either way.
        timed = 0
        untimed: dict[CardKind, int] = {}
        # The same rows give the new and review cards done today (`queue.done_today`).
        done: dict[str, tuple[int, int]] = {}
        for deck_id, kind, state, ms in workload.reviews_since(db, day_ms):
            if ms is None:
                untimed[kind] = untimed.get(kind, 0) + 1
            else:
                timed += min(max(0, ms), budget.LONGEST_MS)
            new, reviewed = done.get(deck_id, (0, 0))
            done[deck_id] = (new + (state == 0), reviewed + (state == 2))
        ids = [d.id for d in active]
        owed: dict[OwedKey, int] = {}
        burying = [d for d in ids if d not in together]
        _add_owed(owed, workload.owed_today(db, ids, burying, now_ms, day_ms, end_ms), 1)
        today = clock.study_date(now, hour)
        return cls(
            config=config,
            active=active,
            together=together,
            now_ms=now_ms,
            day_ms=day_ms,
            end_ms=end_ms,
            timed_ms=timed,
            untimed=untimed,
            estimates=load_estimates(db, day_ms),
            owed=owed,
            started=workload.started_questions_since(db, day_ms),
            done=done,
            extra=Extra.load(db, today),
            # A job's session already studies its set towards its interview (the scope's
            # configs).
            job_sets=NO_JOBS if only is not None else JobSets.load(db, now, hour),
        )

    def spent(self, est: Estimates) -> float:
        """Seconds spent today (a review without a time counts as its kind's estimate)."""
        ms = float(self.timed_ms)
        for kind in CardKind:
            ms += self.untimed.get(kind, 0) * budget.capped_ms(None, kind, est)
        return ms / 1000

    def owed_time(self, est: Estimates) -> tuple[float, int]:
        """(seconds, cards) of what is still owed today, in one fixed order."""
        configs = {d.id: d.config for d in self.active}
        seconds, cards = 0.0, 0
        for (deck_id, kind_value, state, step), count in sorted(self.owed.items()):
            kind, config = CardKind(kind_value), configs[deck_id]
            if state == 2:
                views: float = budget.review_views(config)
            elif state == 3:
                views = budget.learning_views(config.relearning_steps, step)
            else:
                views = budget.learning_views(config.steps(kind), None if step < 0 else step)
            seconds += count * views * est.of(kind)
            cards += count
        return seconds, cards

    def counter(self, db: Database, which: str) -> Counter:
        """`workload.unseen_questions` ("unseen") or `queue.waiting_new` ("waiting"),
        remembered (and kept through ratings) for the day.
        """

        def count(
            deck_id: str, kinds: frozenset[CardKind], questions: frozenset[str] | None
        ) -> int:
            key = (which, deck_id, kinds, questions)
            value = self.counted.get(key)
            if value is None:
                value = self.counted[key] = _count(db, key, questions)
            return value

        return count

    def forecast(self, db: Database, est: Estimates, today: date, horizon: int) -> dict[int, float]:
        """`forecast_ahead` of the active decks, its views kept for the day (by horizon)."""
        configs = {d.id: d.config for d in self.active}
        views = self.ahead.get(horizon)
        if views is None:
            views = self.ahead[horizon] = self._views(db, today, horizon)
        return ahead_seconds(views, configs, est)

    def _views(
        self, db: Database, today: date, horizon: int, question: tuple[str, str] | None = None
    ) -> Views:
        configs = {d.id: d.config for d in self.active}
        end = _ahead_end(configs, today, horizon)
        if question is None:
            rows = workload.due_before(db, list(configs), end)
        elif question[0] in configs:
            rows = workload.due_before(db, [question[0]], end, question[1])
        else:
            return {}
        return views_ahead(rows, configs, today, horizon)

    def shares(self, db: Database, deck_id: str, question_id: str) -> Shares:
        """One question's share of the owed cards and of the deadline counts (read before and
        after a rating of one of its cards: nothing else's can change).
        """
        owed: dict[OwedKey, int] = {}
        if any(d.id == deck_id for d in self.active):
            burying = [] if deck_id in self.together else [deck_id]
            rows = workload.owed_today(
                db, [deck_id], burying, self.now_ms, self.day_ms, self.end_ms, question_id
            )
            _add_owed(owed, rows, 1)
        counted = {
            key: _count(db, key, frozenset({question_id}))
            for key in self.counted
            if key[1] == deck_id and (key[3] is None or question_id in key[3])
        }
        today = clock.study_date(clock.from_ms(self.day_ms), self.config.day_starts_at)
        ahead = {
            horizon: self._views(db, today, horizon, (deck_id, question_id))
            for horizon in self.ahead
        }
        return Shares(owed, counted, ahead)

    def rated(
        self,
        db: Database,
        before: Shares,
        *,
        deck_id: str,
        question_id: str,
        kind: CardKind,
        state: int,
        rating: Rating,
        duration_ms: int | None,
    ) -> None:
        """Bring the figures up to date after this session rated a card of the question
        (a card in `state` before, now written with its review row, today).
        """
        after = self.shares(db, deck_id, question_id)
        _add_owed(self.owed, _rows(before.owed), -1)
        _add_owed(self.owed, _rows(after.owed), 1)
        for key, value in after.counted.items():
            self.counted[key] += value - before.counted.get(key, 0)
        for horizon, views in self.ahead.items():
            _add_views(views, before.ahead.get(horizon, {}), -1)
            _add_views(views, after.ahead.get(horizon, {}), 1)
        stored = capped_duration(duration_ms)
        if stored is None:
            self.untimed[kind] = self.untimed.get(kind, 0) + 1
        else:
            self.timed_ms += min(stored, budget.LONGEST_MS)
        new, reviewed = self.done.get(deck_id, (0, 0))
        self.done[deck_id] = (new + (state == 0), reviewed + (state == 2))
        if state == 0:
            started = self.started.get(deck_id, frozenset())
            if question_id not in started and workload.question_started_since(
                db, deck_id, question_id, self.day_ms
            ):
                self.started[deck_id] = started | {question_id}


def _count(db: Database, key: CountKey, questions: frozenset[str] | None) -> int:
    which, deck_id, kinds, among = key
    if questions is not None and among is not None:
        questions &= among
    if which == "unseen":
        return workload.unseen_questions(db, deck_id, kinds, questions)
    return queue.waiting_new(db, deck_id, kinds, questions)


def _add_views(views: Views, share: Views, sign: int) -> None:
    for key, count in share.items():
        total = views.get(key, 0) + sign * count
        if total:
            views[key] = total
        else:
            views.pop(key, None)


def _rows(owed: Mapping[OwedKey, int]) -> list[workload.Owed]:
    return [
        workload.Owed(deck, CardKind(kind), state, None if step < 0 else step, cards)
        for (deck, kind, state, step), cards in owed.items()
    ]


def compute(
    db: Database,
    now: datetime,
    scope: Sequence[repo.DeckInfo],
    *,
    figures: Figures | None = None,
    only: Mapping[str, frozenset[str]] | None = None,
    new_waiting: Mapping[str, int] | None = None,
    with_plan: bool = True,
) -> Intake:
    """Today's intake for the decks in `scope` (the collection's budget applies), or for
    some questions of them (`only`: a job's set, whose interview the scope's configs carry).

    `figures` are today's (read afresh when not given). `new_waiting` is what the queue
    counts of each deck's new questions today, uncapped; with it, and no plan asked for
    (`with_plan` False), a deck that neither a budget nor a cap can refuse anything gets
    `min(room, waiting)` new cards without listing them (every candidate would be admitted).
    """
    figs = figures if figures is not None else Figures.read(db, now, scope, only)
    config = figs.config
    hour = config.day_starts_at
    now_ms = clock.to_ms(now)
    day_ms = figs.day_ms
    today = clock.study_date(now, hour)
    est = figs.estimates
    scoped = {d.id: d for d in scope}
    active = figs.active
    together = figs.together

    spent = figs.spent(est)
    owed, reviews = figs.owed_time(est)
    extra = figs.extra
    started_today = figs.started
    job_sets = figs.job_sets
    cap = questions_cap(
        config,
        [d for d in active if d.id in scoped] if only else active,
        now,
        hour,
        started_today,
        figs.counter(db, "unseen"),
        only,
        job_sets,
    )
    waiting_new = figs.counter(db, "waiting")
    # Nothing can be refused: no budget, no cap on new questions.
    admits_all = config.daily_minutes is None and cap is None
    done = figs.done
    counted: dict[str, int] = {}
    rooms: dict[str, int] = {}
    in_scope = [d for d in scope if not d.paused or only is not None]
    ordered = deck_order(in_scope, now, hour, job_sets.soonest)
    listed: list[repo.DeckInfo] = []
    for deck in ordered:
        new_done = done.get(deck.id, (0, 0))[0]
        limit = deck.config.new_per_day + (
            deck.extra_new if deck.extra_new_day == today.isoformat() else 0
        )
        left = deadline.days_left(deck.config, now, hour)
        questions = None if only is None else only.get(deck.id, frozenset())
        if left is not None:
            waiting = waiting_new(deck.id, deck.config.card_kinds, questions) + new_done
            limit = max(limit, deadline.new_card_limit(deck.config, waiting, left))
        job_left = job_sets.soonest.get(deck.id)
        if job_left is not None:
            # A job's set in this deck, with its interview ahead: enough of the deck's new
            # cards to learn the set in time (new cards done today counted as waiting).
            in_set = job_sets.first[deck.id]
            waiting = waiting_new(deck.id, deck.config.card_kinds, in_set) + new_done
            limit = max(limit, deadline.new_card_limit(deck.config, waiting, job_left))
        room = max(0, limit - new_done)
        if admits_all and deck.id not in together and not with_plan and new_waiting is not None:
            # Every candidate would come in, one card per question: as many as the room
            # and the questions waiting allow (the queue's own count of them).
            counted[deck.id] = min(room, new_waiting.get(deck.id, 0))
            continue
        rooms[deck.id] = room
        listed.append(deck)

    def listing(
        deck: repo.DeckInfo, most: int
    ) -> tuple[list[int], list[Candidate], bool, list[str]]:
        """The card ids and candidates of the deck's first `most` questions the queue would
        bring in, whether more could follow, and the cards' question ids.
        """
        buries = deck.id not in together
        left = deadline.days_left(deck.config, now, hour)
        starting: set[str] = set()
        ids: list[int] = []
        qids: list[str] = []
        out: list[Candidate] = []
        # Siblings are skipped below, so read enough rows to find `most` candidates.
        for card in workload.next_new_cards(
            db,
            deck.id,
            deck.config.card_kinds,
            most * len(CardKind),
            now_ms=now_ms,
            day_ms=day_ms,
            bury_siblings=buries,
            questions=None if only is None else only.get(deck.id, frozenset()),
            first=job_sets.first.get(deck.id, frozenset()),
        ):
            if len(starting) >= most:
                break
            # One card of a question a day where siblings wait for the next day; in deadline
            # mode a new question's cost already counts its other cards.
            if card.question_id in starting and (buries or not card.started):
                continue
            starting.add(card.question_id)
            ids.append(card.card_id)
            qids.append(card.question_id)
            if card.started:
                cost = budget.new_views(deck.config.steps(card.kind), est.fail_first)
                out.append(Candidate(deck.id, False, cost * est.of(card.kind)))
                continue
            qcost = budget.question_cost(card.new_kinds, deck.config, est, together=not buries)
            out.append(Candidate(deck.id, True, qcost.today, qcost.ahead, left))
        return ids, out, len(starting) >= most, qids

    def horizon() -> int:
        """Days the look-ahead covers: as far as any candidate's first reviews reach (every
        candidate of every deck, as far as today's room goes).
        """
        return 1 + max(
            (
                offset
                for deck in listed
                for candidate in listing(deck, rooms[deck.id])[1]
                for offset, _ in candidate.ahead
            ),
            default=0,
        )

    # Worked out only if the look-ahead weighs a new question (budget.admit).
    ahead = _Forecast(lambda: figs.forecast(db, est, today, horizon()))
    day = Day(
        budget=None if config.daily_minutes is None else config.daily_minutes * 60.0,
        spent=spent,
        owed=owed,
        introduced=sum(len(ids) for ids in started_today.values()),
        cap=cap,
        ahead=ahead,
        extra_questions=extra.questions,
        extra_seconds=extra.seconds,
    )
    candidates: list[Candidate] = []
    cards: list[tuple[str, int]] = []
    # The candidates admitted so far, in order. budget.admit decides each candidate from the
    # ones admitted before it (and its own deck's refusals), so they decide a deck's as all
    # the candidates before would, and stay few under a budget.
    taken: list[Candidate] = []
    if not with_plan and day.budget is not None and spent + owed >= day.budget + extra.seconds:
        # Today's budget is spent: every candidate costs time, so none comes in.
        listed = []
    if job_sets.first:
        # What an interview asks for before every other new question: a deck that holds part
        # of a job's set comes first (its soonest interview), but its other questions wait
        # for the rest of the set in the next decks, or a day's budget goes to questions the
        # interview will not ask. The decks keep their order (soonest interview first), and
        # each deck its cards' (its set first), as the queue serves them. Every deck's
        # room is listed: the order spans decks.
        rows: list[tuple[bool, str, int, Candidate]] = []
        for deck in listed:
            card_ids, more, _, qids = listing(deck, rooms[deck.id])
            by_date = deadline.days_left(deck.config, now, hour) is not None
            in_set = job_sets.first.get(deck.id, frozenset())
            rows += [
                (by_date or question_id in in_set, deck.id, card_id, candidate)
                for card_id, candidate, question_id in zip(card_ids, more, qids, strict=True)
            ]
        rows.sort(key=lambda row: not row[0])  # stable: each deck's order kept
        cards = [(deck_id, card_id) for _, deck_id, card_id, _ in rows]
        candidates = [candidate for *_, candidate in rows]
        listed = []
    for deck in listed:
        room = rooms[deck.id]
        # A deck's candidates after its first refused one are refused too and change
        # nothing (budget.admit): list a few, and more only while all of them come in.
        most = room if admits_all else min(room, _FIRST_CANDIDATES)
        while True:
            card_ids, more, maybe, _ = listing(deck, most)
            if admits_all:
                decided = [True] * len(more)
                break
            decided = list(budget.admit(taken + more, day).admitted[len(taken) :])
            if not maybe or most >= room or not all(decided):
                break
            most = min(room, most * 4)
        taken += [c for c, came_in in zip(more, decided, strict=True) if came_in]
        cards += [(deck.id, card_id) for card_id in card_ids]
        candidates += more
    admission: Admission = budget.admit(candidates, day)
    new_left: dict[str, int] = {deck.id: 0 for deck in scope}
    new_left.update(counted)
    counting = {deck.id: True for deck in scope}
    for (deck_id, _), admitted in zip(cards, admission.admitted, strict=True):
        if admitted and counting[deck_id]:
            new_left[deck_id] += 1
        else:
            counting[deck_id] = False
    plan = None
    if with_plan:
        from drill.study.today_plan import TodayPlan

        plan = TodayPlan(
            budget_minutes=config.daily_minutes,
            spent=spent,
            owed=owed,
            reviews=reviews,
            new_questions=admission.questions,
            new_cards=admission.cards,
            new_seconds=admission.seconds,
            refused=admission.refused,
            extra_questions=extra.questions,
            extra_seconds=extra.seconds,
        )
    return Intake(new_left, job_sets.first, tuple(d.id for d in ordered), plan)
