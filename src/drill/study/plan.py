"""The prep plan: each day from today to the interview, simulated on the real collection.

`forecast` copies the active cards into memory and plays each day as the review app would:
learning cards, due reviews, then new questions as the daily budget admits them (the live
session's own rule, core/budget.py), each rating going through the FSRS scheduler with the
deck's settings (fuzz included). Ratings are drawn at random: a card in review is forgotten
as often as FSRS predicts, and first views follow your own mix of ratings once there is
enough history. Each card view takes your own median time for its kind. A few fixed seeds
make the same collection always give the same plan; each day's figures are their average,
and the verdict takes their median.

Nothing is written: choices (decks, date, minutes) can be tried before they are made.
"""

from __future__ import annotations

import random
import statistics
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from drill.core import budget, clock, deadline
from drill.core.budget import Candidate, Day, Estimates
from drill.core.config import StudyConfig
from drill.core.format import short_date
from drill.core.model import KIND_ORDER, CardKind, CardRecord, CardState, Deck, Rating
from drill.core.scheduling import fuzzed_days, rate, retrievability, scheduler_for
from drill.storage import queue, repo, reviews, workload
from drill.storage.plan_cards import plan_cards
from drill.storage.upcoming import UpcomingSet, upcoming_sets
from drill.study import intake

if TYPE_CHECKING:
    from drill.storage.sqlite import Database

SEEDS = (1, 2, 3)
# Above this many active cards the home screen does not work the plan out by itself (the
# plan screen and `drill plan` still do): the simulation holds every card in memory.
HOME_CARDS = 20_000
DEFAULT_DAYS = 14
# How far the plan looks for the day every question has been seen, without an interview.
MAX_DAYS = 180
# The largest budget tried when looking for the one that covers every question in time.
MOST_MINUTES = 240
# A simulated day's sitting starts this long after the study day does (18:00 with days
# starting at 4:00).
SITTING = timedelta(hours=14)
LEARN_AHEAD = timedelta(minutes=20)  # as the session (study/session.py)
# Ratings before there is a history of the user's own (MIX_MINIMUM ratings of that kind).
FIRST_MIX = (0.20, 0.10, 0.62, 0.08)  # a new card's first view: again, hard, good, easy
LEARNING_MIX = (0.10, 0.05, 0.85, 0.0)  # a learning card's next view
PASSED_MIX = (0.15, 0.75, 0.10)  # a review card recalled: hard, good, easy
MIX_MINIMUM = 50


# -- what the plan is about ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Choices:
    """What to plan for: the decks studied (the others as if paused), the collection's
    interview date, and the minutes a day (None: no budget). `Choices.current` reads them
    from the collection; `dataclasses.replace` tries others.
    """

    decks: frozenset[str]
    interview: date | None
    daily_minutes: int | None

    @classmethod
    def current(cls, db: Database) -> Choices:
        config = repo.collection_config(db)
        studied = frozenset(d.id for d in repo.decks(db) if not d.paused)
        return cls(studied, config.interview_date, config.daily_minutes)


@dataclass(frozen=True, slots=True)
class JobSet:
    """A job's set as the plan takes it: the job, its questions by deck, its interview."""

    id: int
    members: Mapping[str, frozenset[str]]
    interview: date | None


@dataclass(frozen=True, slots=True)
class PlanDay:
    """One day of the forecast: minutes of study, card views of cards already studied
    (`reviews`), and questions seen for the first time (`new_questions`).
    """

    date: date
    minutes: float
    reviews: int
    new_questions: int

    def to_json(self) -> dict[str, Any]:
        return {
            "date": self.date.isoformat(),
            "minutes": round(self.minutes, 1),
            "reviews": self.reviews,
            "new_questions": self.new_questions,
        }


@dataclass(frozen=True, slots=True)
class SetForecast:
    """A job's set with its interview within the plan: its questions (in the decks studied)
    and how many will have been rehearsed before the interview.
    """

    job_id: int
    name: str
    interview: date
    questions: int
    seen: int

    def to_json(self) -> dict[str, Any]:
        return {
            "job": self.job_id,
            "name": self.name,
            "interview": self.interview.isoformat(),
            "questions": self.questions,
            "seen_by_interview": self.seen,
        }


@dataclass(frozen=True, slots=True)
class Plan:
    """The forecast and what it means.

    `days` runs from today to the day before the interview (or `--days`). "By the
    interview" means by the end of those days. `questions_seen` and `questions_twice` count
    questions rehearsed at least once, and on at least two days, by then. `all_seen_on` is
    the day the last question is first seen (looking up to MAX_DAYS ahead; None beyond).
    `minutes_needed` is the smallest budget that sees every question by the interview when
    this one does not (None when it does, or when even MOST_MINUTES does not).
    """

    today: date
    daily_minutes: int | None
    interview: date | None
    deck: str | None
    days: list[PlanDay]
    questions_total: int
    questions_seen: int
    questions_twice: int
    all_seen_on: date | None
    minutes_needed: int | None
    estimates: Estimates
    # Why some questions never come in whatever the budget (a limit set to 0), or None.
    blocked: str | None = None
    verdict: str = ""
    job: int | None = None  # a job's set, planned as `drill review --job` studies it
    sets: tuple[SetForecast, ...] = ()  # jobs' sets with their interview within the plan

    @property
    def covers_all(self) -> bool:
        return self.questions_seen >= self.questions_total

    @property
    def peak_minutes(self) -> float:
        return max((d.minutes for d in self.days), default=0.0)

    def to_json(self) -> dict[str, Any]:
        return {
            "daily_minutes": self.daily_minutes,
            "interview": self.interview.isoformat() if self.interview else None,
            "deck": self.deck,
            "job": self.job,
            "jobs": [s.to_json() for s in self.sets],
            "days": [d.to_json() for d in self.days],
            "questions_total": self.questions_total,
            "questions_seen_by_interview": self.questions_seen,
            "questions_twice_by_interview": self.questions_twice,
            "covers_all": self.covers_all,
            "all_seen_on": self.all_seen_on.isoformat() if self.all_seen_on else None,
            "minutes_needed": self.minutes_needed,
            "blocked": self.blocked,
            "card_seconds": self.estimates.to_json(),
            "verdict": self.verdict,
        }


# -- the collection, read once -----------------------------------------------------------------


@dataclass(slots=True)
class _Card:
    id: int
    deck: str
    question: int  # index into the questions
    kind: CardKind
    record: CardRecord
    buried_until: int | None


@dataclass(frozen=True, slots=True)
class _Mixes:
    first: tuple[float, ...]
    learning: tuple[float, ...]
    passed: tuple[float, ...]


@dataclass(slots=True)
class _Input:
    now: datetime
    hour: int
    collection: StudyConfig
    decks: list[repo.DeckInfo]
    cards: list[_Card]  # in deck and queue order
    questions: list[tuple[str, str]]  # (deck, question id) by index
    rehearsal: list[int]  # each question's rehearsal card (its first), by index
    estimates: Estimates
    mixes: _Mixes
    spent: float  # seconds studied today so far
    reviews_today: int
    started_today: int
    started_today_by_deck: dict[str, int]
    new_today: dict[str, int]
    rehearsed: dict[int, tuple[int, date]]  # question: (study days rehearsed, up to 2; last)
    extra: intake.Extra
    deck: str | None
    job: int | None = None
    # The sets of jobs with an interview ahead (outside a job's own plan): their questions
    # come in first, at their interview's pace, as in the session (study/intake.py).
    job_sets: list[UpcomingSet] = field(default_factory=list)


def _mix(counts: Sequence[int], default: tuple[float, ...]) -> tuple[float, ...]:
    total = sum(counts)
    if total < MIX_MINIMUM:
        return default
    # Add-one smoothing: a rating never pressed yet is still possible.
    return tuple((n + 1) / (total + len(counts)) for n in counts)


def _load(
    db: Database,
    now: datetime,
    deck_id: str | None,
    extra: Sequence[Deck] = (),
    only: Mapping[str, frozenset[str]] | None = None,
) -> _Input:
    collection = repo.collection_config(db)
    hour = collection.day_starts_at
    decks = repo.decks(db, deck_id)
    if only is not None:
        decks = [d for d in decks if only.get(d.id)]
    kinds = {d.id: d.config.card_kinds for d in decks}
    ids = [d.id for d in decks]
    day_ms = clock.to_ms(clock.day_start(now, hour))
    cards: list[_Card] = []
    questions: list[tuple[str, str]] = []
    index: dict[tuple[str, str], int] = {}
    rehearsal: list[int] = []
    for row in plan_cards(db, ids):
        if row.kind not in kinds[row.deck_id]:
            continue
        if only is not None and row.question_id not in only[row.deck_id]:
            continue
        key = (row.deck_id, row.question_id)
        if key not in index:
            index[key] = len(questions)
            questions.append(key)
            rehearsal.append(-1)
        q = index[key]
        card = _Card(row.card_id, row.deck_id, q, row.kind, row.record, row.buried_until)
        first = rehearsal[q]
        if first < 0 or KIND_ORDER[row.kind] < KIND_ORDER[cards[first].kind]:
            rehearsal[q] = len(cards)
        cards.append(card)
    # Decks not in the collection yet (a role pack the welcome offers): new cards, with the
    # collection's settings, as an import would make them.
    position = max((d.position for d in decks), default=0)
    for deck in extra:
        position += 1
        decks.append(
            repo.DeckInfo(deck.id, deck.name, deck.description, position, collection, None, 0)
        )
        for question in deck.questions:
            offered = [k for k in question.kinds() if k in collection.card_kinds]
            if not offered:
                continue
            questions.append((deck.id, question.id))
            rehearsal.append(len(cards))
            for card_kind in offered:
                q = len(questions) - 1
                cards.append(_Card(-1 - len(cards), deck.id, q, card_kind, CardRecord(), None))
    counts = reviews.rating_counts(db, deck_id)
    mixes = _Mixes(
        _mix([counts.get((0, r), 0) for r in (1, 2, 3, 4)], FIRST_MIX),
        LEARNING_MIX,
        _mix([counts.get((2, r), 0) for r in (2, 3, 4)], PASSED_MIX),
    )
    estimates = intake.load_estimates(db, day_ms)
    today_rows = workload.reviews_since(db, day_ms)
    spent = sum(budget.capped_ms(ms, kind, estimates) for _, kind, _, ms in today_rows) / 1000
    firsts = workload.first_review_times(db, ids)
    started = workload.questions_started_since(db, day_ms)
    rehearsed: dict[int, tuple[int, date]] = {}
    for q, c in enumerate(rehearsal):
        record = cards[c].record
        if record.last_review is None:
            continue
        last = clock.study_date(clock.from_ms(record.last_review), hour)
        first_ms = firsts.get(cards[c].id)
        days = 1
        if first_ms is not None and clock.study_date(clock.from_ms(first_ms), hour) != last:
            days = 2
        rehearsed[q] = (days, last)
    return _Input(
        now=now,
        hour=hour,
        collection=collection,
        decks=decks,
        cards=cards,
        questions=questions,
        rehearsal=rehearsal,
        estimates=estimates,
        mixes=mixes,
        spent=spent,
        reviews_today=sum(1 for _, _, state, _ in today_rows if state != 0),
        started_today=sum(started.values()),
        started_today_by_deck=started,
        new_today={deck: n for deck, (n, _) in queue.done_today(db, day_ms, None).items()},
        rehearsed=rehearsed,
        extra=intake.Extra.load(db, clock.study_date(now, hour)),
        deck=deck_id,
        job_sets=[] if only is not None else upcoming_sets(db, clock.study_date(now, hour)),
    )


# -- one simulated run ---------------------------------------------------------------------------


@dataclass(slots=True)
class _Result:
    days: list[PlanDay]
    seen: int  # questions seen by the end of the planned days
    twice: int  # ... and rehearsed on two days or more
    all_seen: int | None  # the day (from today, 0) the last question was first seen
    total: int
    # Per job set with an interview ahead: (questions in the decks studied, seen by the day
    # before its interview, or None when that day is past the plan).
    sets: list[tuple[int, int | None]] = field(default_factory=list)


class _Ahead(Mapping[int, float]):
    """The projected review time on days ahead, as seen from day `day` of the run."""

    def __init__(self, load: dict[int, float], day: int) -> None:
        self._load = load
        self._day = day

    def __getitem__(self, offset: int) -> float:
        return self._load.get(self._day + offset, 0.0)

    def get(self, offset: int, default: float | None = 0.0) -> float:  # type: ignore[override]
        return self._load.get(self._day + offset, default or 0.0)

    def __iter__(self) -> Iterator[int]:
        return (d - self._day for d in self._load if d > self._day)

    def __len__(self) -> int:
        return sum(1 for d in self._load if d > self._day)


def _draw(rng: random.Random, weights: Sequence[float]) -> int:
    x = rng.random() * sum(weights)
    for index, weight in enumerate(weights):
        x -= weight
        if x < 0:
            return index
    return len(weights) - 1


# Days ahead a card's projected reviews are counted, from the day it was last answered: the
# look-ahead asks about a new question's first two review days, about two weeks ahead.
_PROJECTION_DAYS = 32


class _Sim:
    """One run of the plan: the cards' states in memory, played day by day."""

    def __init__(self, inp: _Input, choices: Choices, seed: int) -> None:
        self.inp = inp
        self.rng = random.Random(seed)
        self.hour = inp.hour
        self.today = clock.study_date(inp.now, inp.hour)
        self.collection = replace(
            inp.collection, daily_minutes=choices.daily_minutes, interview_date=choices.interview
        )
        self.configs: dict[str, StudyConfig] = {}
        for deck in inp.decks:
            if deck.id in choices.decks:
                config = deck.config
                if not deck.own_interview:
                    config = replace(config, interview_date=choices.interview)
                self.configs[deck.id] = config
        # Jobs' sets with an interview ahead: (interview, question indices), in decks studied
        # without an interview of their own by then.
        index = {key: q for q, key in enumerate(inp.questions)}
        self.job_groups: list[tuple[date, set[int]]] = []
        # Every job set with an interview ahead, over the decks studied: for the verdict.
        self.set_groups: list[tuple[UpcomingSet, set[int]]] = []
        self.first: set[int] = set()
        soonest: dict[str, int] = {}
        for upcoming in inp.job_sets:
            day, members = upcoming.interview, upcoming.members
            group = set()
            for deck_id, ids in members.items():
                studied = self.configs.get(deck_id)
                if studied is None:
                    continue
                own = studied.interview_date
                if own is not None and self.today < own <= day:
                    continue
                group |= {index[(deck_id, q)] for q in ids if (deck_id, q) in index}
                left = deadline.days_until(day, inp.now, inp.hour) or 1
                soonest[deck_id] = min(soonest.get(deck_id, left), left)
            self.job_groups.append((day, group))
            self.first |= group
            in_decks = {
                index[(deck_id, q)]
                for deck_id, ids in members.items()
                if deck_id in self.configs
                for q in ids
                if (deck_id, q) in index
            }
            self.set_groups.append((upcoming, in_decks))
        self.job_soonest = soonest

        def deck_key(d: str) -> int:
            days = [deadline.days_left(self.configs[d], inp.now, inp.hour), soonest.get(d)]
            return min((x for x in days if x is not None), default=1_000_000)

        self.order = sorted(self.configs, key=deck_key)
        self.extra_cards = {
            d.id: d.extra_new
            for d in inp.decks
            if d.extra_new_day == self.today.isoformat() and d.id in self.configs
        }
        cards = inp.cards
        self.records = [replace(c.record) for c in cards]
        self.active = [i for i, c in enumerate(cards) if c.deck in self.configs]
        self.q_cards: dict[int, list[int]] = {}
        for i in self.active:
            self.q_cards.setdefault(cards[i].question, []).append(i)
        self.started = {
            q: any(self.records[i].state != 0 for i in ids) for q, ids in self.q_cards.items()
        }
        self.unseen = {d: 0 for d in self.configs}
        for q, began in self.started.items():
            if not began:
                self.unseen[inp.questions[q][0]] += 1
        self.rehearsed = {q: inp.rehearsed.get(q, (0, self.today))[0] for q in self.q_cards}
        self.rehearsed_on = {
            q: (last - self.today).days
            for q, (_, last) in inp.rehearsed.items()
            if q in self.q_cards
        }
        self.new_lists: dict[str, list[int]] = {d: [] for d in self.configs}
        for i in self.active:
            if self.records[i].state == 0:
                self.new_lists[cards[i].deck].append(i)
        for listed in self.new_lists.values():
            # A set's questions first, each part in deck order (the queue's ORDER BY).
            listed.sort(key=lambda i: cards[i].question not in self.first)
        self.pointer = {d: 0 for d in self.configs}
        self.learning = {i for i in self.active if self.records[i].state in (1, 3)}
        self.costs: dict[tuple[str, tuple[CardKind, ...], bool], budget.QuestionCost] = {}
        self.projection: dict[int, list[tuple[int, float]]] = {}
        self.load: dict[int, float] = {}
        self.just_started: set[int] = set()  # the question the last answer started, if any
        for i in self.active:
            if self.records[i].state != 0:
                self._project(i, 0)

    # -- the look-ahead ----------------------------------------------------------------------
    def _project(self, i: int, day: int) -> None:
        """Replace card i's projected reviews (from day `day` of the run) in the load."""
        card = self.inp.cards[i]
        config = self.configs[card.deck]
        cost = budget.review_views(config) * self.inp.estimates.of(card.kind)
        for d, share in self.projection.get(i, ()):
            self.load[d] -= share * cost
        days = budget.projected_reviews(
            self.records[i],
            card.kind,
            config,
            self.today + timedelta(days=day),
            _PROJECTION_DAYS,
        )
        weighted = [(day + offset, share) for offset, share in budget.weighted(days)]
        self.projection[i] = weighted
        for d, share in weighted:
            self.load[d] = self.load.get(d, 0.0) + share * cost

    # -- a day -------------------------------------------------------------------------------
    def day(self, k: int) -> PlanDay:
        inp, records, cards = self.inp, self.records, self.inp.cards
        date_k = self.today + timedelta(days=k)
        day_start = clock.start_of(date_k, self.hour)
        self.day_ms = clock.to_ms(day_start)
        self.end_ms = clock.to_ms(clock.start_of(date_k + timedelta(days=1), self.hour))
        first = k == 0
        self.k = k
        self.at = inp.now if first else day_start + SITTING
        self.spent = inp.spent if first else 0.0
        self.introduced = inp.started_today if first else 0
        self.new_done = dict(inp.new_today) if first else {}
        self.extra = inp.extra if first else intake.Extra(date_k.isoformat(), 0, 0.0)
        self.together = {
            d for d in self.configs if deadline.active(self.configs[d], self.at, self.hour)
        }
        # Unseen questions and new cards as the day began (deadline paces hold all day).
        self.new_cards_at_start = {
            d: sum(1 for i in cards_ if records[i].state == 0)
            + (inp.new_today.get(d, 0) if first else 0)
            for d, cards_ in self.new_lists.items()
        }
        self.unseen_at_start = dict(self.unseen)
        self.group_unseen_at_start = [
            sum(1 for q in group if not self.started[q]) for _, group in self.job_groups
        ]
        self.set_new_at_start = {
            d: sum(1 for i in cards_ if records[i].state == 0 and cards[i].question in self.first)
            for d, cards_ in self.new_lists.items()
            if d in self.job_soonest
        }
        if first:
            for deck, n in inp.started_today_by_deck.items():
                if deck in self.unseen_at_start:
                    self.unseen_at_start[deck] += n
        self.answered: dict[int, set[int]] = {}  # question: its cards answered today
        if first:
            for i in self.active:
                last = records[i].last_review
                if last is not None and last >= self.day_ms:
                    self.answered.setdefault(cards[i].question, set()).add(i)
        reviewed = inp.reviews_today if first else 0
        new_questions = inp.started_today if first else 0
        due = sorted(
            (
                i
                for i in self.active
                if records[i].state == 2
                and (records[i].due or 0) < self.end_ms
                and (records[i].last_review or 0) < self.day_ms
            ),
            key=lambda i: (records[i].due or 0, cards[i].id),
        )
        position = 0
        while True:
            now_ms = clock.to_ms(self.at)
            pick = self._learning(now_ms, now_ms)
            while pick is None and position < len(due):
                i = due[position]
                position += 1
                if (records[i].last_review or 0) < self.day_ms and self._eligible(i, now_ms):
                    pick = i
            if pick is None:
                pick = self._new(now_ms)
            if pick is None:
                pick = self._learning(clock.to_ms(self.at + LEARN_AHEAD), now_ms)
            if pick is None:
                later = [
                    records[i].due or 0
                    for i in self.learning
                    if now_ms < (records[i].due or 0) < self.end_ms
                ]
                if not later:
                    break
                self.at = clock.from_ms(min(later))  # back for a learning card later today
                continue
            before = records[pick].state
            self._answer(pick)
            if before != CardState.NEW:
                reviewed += 1
            elif cards[pick].question in self.just_started:
                new_questions += 1
        return PlanDay(date_k, self.spent / 60, reviewed, new_questions)

    def _eligible(self, i: int, now_ms: int) -> bool:
        card = self.inp.cards[i]
        if card.buried_until is not None and card.buried_until > now_ms:
            return False
        if card.deck in self.together:
            return True
        others = self.answered.get(card.question)
        return not others or others <= {i}

    def _learning(self, until_ms: int, now_ms: int) -> int | None:
        records = self.records
        ready = [
            i
            for i in self.learning
            if (records[i].due or 0) <= until_ms and self._eligible(i, now_ms)
        ]
        if not ready:
            return None
        return min(ready, key=lambda i: (records[i].due or 0, self.inp.cards[i].id))

    def _new(self, now_ms: int) -> int | None:
        """The new card the budget admits now, as the session's queue would pick it."""
        inp, records, est = self.inp, self.records, self.inp.estimates
        candidates: list[Candidate] = []
        picks: list[int] = []
        for_interview: list[bool] = []  # as in study/intake.py
        for deck in self.order:
            config = self.configs[deck]
            cards = self.new_lists[deck]
            while self.pointer[deck] < len(cards) and records[cards[self.pointer[deck]]].state:
                self.pointer[deck] += 1
            left = deadline.days_until(config.interview_date, self.at, self.hour)
            limit = config.new_per_day + self.extra_cards.get(deck, 0) * (self.k == 0)
            if left is not None:
                waiting = self.new_cards_at_start[deck]
                limit = max(limit, deadline.new_card_limit(config, waiting, left))
            job_left = self.job_soonest.get(deck)
            if job_left is not None:
                waiting = self.set_new_at_start[deck]  # as the day began: the pace holds
                limit = max(limit, deadline.new_card_limit(config, waiting, job_left))
            limit -= self.new_done.get(deck, 0)
            starting: set[int] = set()
            for i in cards[self.pointer[deck] :]:
                if limit <= 0:
                    break
                if records[i].state != 0 or not self._eligible(i, now_ms):
                    continue
                card = inp.cards[i]
                # One card of a question a day where siblings wait for the next day; in
                # deadline mode a new question's cost already counts its other cards.
                burying = deck not in self.together
                if card.question in starting and (burying or not self.started[card.question]):
                    continue
                starting.add(card.question)
                limit -= 1
                picks.append(i)
                for_interview.append(left is not None or card.question in self.first)
                if self.started[card.question]:
                    views = budget.new_views(config.steps(card.kind), est.fail_first)
                    candidates.append(Candidate(deck, False, views * est.of(card.kind)))
                    continue
                kinds = tuple(
                    inp.cards[j].kind for j in self.q_cards[card.question] if records[j].state == 0
                )
                key = (deck, kinds, deck in self.together)
                cost = self.costs.get(key)
                if cost is None:
                    cost = budget.question_cost(kinds, config, est, together=key[2])
                    self.costs[key] = cost
                candidates.append(Candidate(deck, True, cost.today, cost.ahead, left))
        if not candidates:
            return None
        if self.first and not all(for_interview):
            # What an interview asks for first, as the session's intake orders it
            # (study/intake.py): a job's set before the other questions of its decks.
            order = sorted(range(len(picks)), key=lambda n: not for_interview[n])
            picks = [picks[n] for n in order]
            candidates = [candidates[n] for n in order]
        owed = 0.0
        for i in self.learning:
            if (records[i].due or 0) < self.end_ms:
                card = inp.cards[i]
                config = self.configs[card.deck]
                steps = (
                    config.relearning_steps if records[i].state == 3 else config.steps(card.kind)
                )
                owed += budget.learning_views(steps, records[i].step) * est.of(card.kind)
        admission = budget.admit(
            candidates,
            Day(
                budget=None
                if self.collection.daily_minutes is None
                else self.collection.daily_minutes * 60.0,
                spent=self.spent,
                owed=owed,
                introduced=self.introduced,
                cap=self._cap(),
                ahead=_Ahead(self.load, self.k),
                extra_questions=self.extra.questions,
                extra_seconds=self.extra.seconds,
            ),
        )
        for i, admitted in zip(picks, admission.admitted, strict=True):
            if admitted:
                return i
        return None

    def _cap(self) -> int | None:
        cap = self.collection.question_cap
        if cap is None:
            return None
        groups: dict[date, tuple[int, int]] = {}
        for deck, config in self.configs.items():
            left = deadline.days_until(config.interview_date, self.at, self.hour)
            if left is None or config.interview_date is None:
                continue
            count, _ = groups.get(config.interview_date, (0, left))
            groups[config.interview_date] = (count + self.unseen_at_start[deck], left)
        for (day, _), unseen in zip(self.job_groups, self.group_unseen_at_start, strict=True):
            left = deadline.days_until(day, self.at, self.hour)
            if left is None:
                continue
            count, _ = groups.get(day, (0, left))
            groups[day] = (count + unseen, left)
        need = sum(deadline.questions_needed(n, left) for n, left in groups.values())
        return max(cap, need)

    def _answer(self, i: int) -> None:
        inp, rng = self.inp, self.rng
        card = inp.cards[i]
        config = self.configs[card.deck]
        record = self.records[i]
        before = record.state
        if before == CardState.NEW:
            rating = Rating(1 + _draw(rng, inp.mixes.first))
        elif before == CardState.REVIEW:
            recall = retrievability(config, record, self.at) or 0.0
            rating = (
                Rating.AGAIN if rng.random() > recall else Rating(2 + _draw(rng, inp.mixes.passed))
            )
        else:
            rating = Rating(1 + _draw(rng, inp.mixes.learning))
        scheduler = scheduler_for(config, card.kind, fuzz=False)
        # As studying rates it (Hard, Good and Easy a day apart), then fuzzed as py-fsrs would.
        after = rate(scheduler, card.id, record, rating, self.at, day_starts_at=self.hour)
        if config.fuzz and after.state == CardState.REVIEW and after.due is not None:
            days = round((clock.from_ms(after.due) - self.at) / timedelta(days=1))
            fuzzed = fuzzed_days(days, config.maximum_interval, rng.random())
            after.due = clock.to_ms(self.at + timedelta(days=fuzzed))
        self.records[i] = after
        self.at += timedelta(seconds=inp.estimates.of(card.kind))
        self.spent += inp.estimates.of(card.kind)
        self.answered.setdefault(card.question, set()).add(i)
        if after.state in (1, 3):
            self.learning.add(i)
        else:
            self.learning.discard(i)
        self.just_started = set()
        if before == CardState.NEW:
            self.new_done[card.deck] = self.new_done.get(card.deck, 0) + 1
            if not self.started[card.question]:
                self.started[card.question] = True
                self.unseen[card.deck] -= 1
                self.introduced += 1
                self.just_started = {card.question}
        if i == inp.rehearsal[card.question] and self.rehearsed_on.get(card.question) != self.k:
            self.rehearsed_on[card.question] = self.k
            self.rehearsed[card.question] += 1
        self._project(i, self.k)

    # -- the whole run -------------------------------------------------------------------------
    def run(self, planned: int, extend: bool) -> _Result:
        """Play `planned` days (then on, up to MAX_DAYS, until every question is seen when
        `extend`).
        """
        days: list[PlanDay] = []
        seen = twice = 0
        all_seen = 0 if all(self.started.values()) else None
        # A set's last day is the day before its interview; those past the plan go unseen.
        last = [(upcoming.interview - self.today).days - 1 for upcoming, _ in self.set_groups]
        sets_seen: list[int | None] = [None] * len(self.set_groups)
        for k in range(max(planned, MAX_DAYS if extend else 0)):
            day = self.day(k)
            if k < planned:
                days.append(day)
            for n, (_, group) in enumerate(self.set_groups):
                if k == last[n] and k < planned:
                    sets_seen[n] = sum(1 for q in group if self.started[q])
            if k == planned - 1:
                seen = sum(self.started.values())
                twice = sum(1 for n in self.rehearsed.values() if n >= 2)
            if all_seen is None and all(self.started.values()):
                all_seen = k
            if k >= planned - 1 and (all_seen is not None or not extend):
                break
        sets = [(len(group), sets_seen[n]) for n, (_, group) in enumerate(self.set_groups)]
        return _Result(days, seen, twice, all_seen, len(self.q_cards), sets)


# -- the plan ----------------------------------------------------------------------------------


def _runs(inp: _Input, choices: Choices, planned: int, extend: bool) -> list[_Result]:
    return [_Sim(inp, choices, seed).run(planned, extend) for seed in SEEDS]


def _covers(inp: _Input, choices: Choices, planned: int) -> bool:
    results = _runs(inp, choices, planned, extend=False)
    return statistics.median(r.seen for r in results) >= results[0].total


def _minutes_needed(inp: _Input, choices: Choices, planned: int) -> int | None:
    """The smallest budget (whole minutes) that sees every question in `planned` days, in
    the median run; None when even MOST_MINUTES does not.
    """
    low = choices.daily_minutes or 0  # does not cover
    high = None
    guess = max(low + 5, round(low * 1.5))
    while guess <= MOST_MINUTES:
        if _covers(inp, replace(choices, daily_minutes=guess), planned):
            high = guess
            break
        low, guess = guess, min(MOST_MINUTES, guess * 2) if guess < MOST_MINUTES else guess + 1
    if high is None:
        return None
    while high - low > 1:
        middle = (low + high) // 2
        if _covers(inp, replace(choices, daily_minutes=middle), planned):
            high = middle
        else:
            low = middle
    return high


def fingerprint(db: Database, now: datetime) -> tuple[object, ...]:
    """What the plan depends on, cheaply: the study day, the latest review, the settings and
    the decks (so a screen can keep a plan until one of them changes).
    """
    config = repo.collection_config(db)
    latest = reviews.latest_review(db)
    decks = tuple((d.id, d.paused, d.config) for d in repo.decks(db))
    return (
        clock.study_date(now, config.day_starts_at),
        latest.id if latest else None,
        repo.get_setting(db, intake.LEARN_MORE_KEY),
        config,
        decks,
        repo.count_active_cards(db),
    )


def small_enough_for_home(db: Database) -> bool:
    return repo.count_active_cards(db) <= HOME_CARDS


@dataclass(frozen=True, slots=True)
class Prepared:
    """What a plan needs from the database, read at once: `run` works on it alone (no
    database), so a screen can read on its own thread and simulate on another.
    """

    inp: _Input
    choices: Choices
    days: int | None

    def run(self) -> Plan:
        inp, choices = self.inp, self.choices
        today = clock.study_date(inp.now, inp.hour)
        interview = _interview(inp, choices, inp.now)
        planned = self.days
        if planned is None:
            planned = (interview - today).days if interview is not None else DEFAULT_DAYS
        planned = max(1, planned)
        results = _runs(inp, choices, planned, extend=interview is None)
        total = results[0].total
        seen = round(statistics.median(r.seen for r in results))
        twice = round(statistics.median(r.twice for r in results))
        plan_days = [
            PlanDay(
                day.date,
                statistics.fmean(r.days[i].minutes for r in results),
                round(statistics.fmean(r.days[i].reviews for r in results)),
                round(statistics.fmean(r.days[i].new_questions for r in results)),
            )
            for i, day in enumerate(results[0].days)
        ]
        # "All of them by" names the latest of the runs: the last few questions come in
        # whenever a day has room, so the day varies a lot between runs (and users).
        latest = max(r.all_seen if r.all_seen is not None else 10**9 for r in results)
        already = all(r.all_seen == 0 for r in results) and _all_started_before(inp, choices)
        all_seen_on = None if latest >= 10**9 or already else today + timedelta(days=latest)
        blocked = _blocked(inp, choices) if total > seen else None
        needed = None
        if (
            interview is not None
            and seen < total
            and choices.daily_minutes is not None
            and blocked is None
        ):
            needed = _minutes_needed(inp, choices, planned)
        plan = Plan(
            blocked=blocked,
            today=today,
            daily_minutes=choices.daily_minutes,
            interview=interview,
            deck=inp.deck,
            days=plan_days,
            questions_total=total,
            questions_seen=seen,
            questions_twice=twice,
            all_seen_on=all_seen_on,
            minutes_needed=needed,
            estimates=inp.estimates,
            job=inp.job,
            sets=tuple(
                SetForecast(
                    upcoming.job_id,
                    upcoming.name,
                    upcoming.interview,
                    results[0].sets[n][0],
                    round(statistics.median(r.sets[n][1] or 0 for r in results)),
                )
                for n, upcoming in enumerate(inp.job_sets)
                if results[0].sets[n][1] is not None and results[0].sets[n][0]
            ),
        )
        return replace(plan, verdict=verdict(plan, already_seen=already))


def prepare(
    db: Database,
    now: datetime,
    *,
    deck_id: str | None = None,
    days: int | None = None,
    choices: Choices | None = None,
    extra: Sequence[Deck] = (),
    job: JobSet | None = None,
) -> Prepared:
    """Read what the plan needs (see `forecast`). `extra` are decks not in the collection
    yet (role packs about to be added), planned as if they were, with every card new.
    `job` plans a job's set alone, as `drill review --job` studies it: its questions (from
    paused decks too), towards its interview (an earlier one of the collection's still wins).
    """
    inp = _load(db, now, deck_id, extra, job.members if job is not None else None)
    choices = choices or Choices.current(db)
    if deck_id is not None:
        choices = replace(choices, decks=choices.decks & {deck_id})
    if job is not None:
        inp.job = job.id
        dates = [d for d in (choices.interview, job.interview) if d is not None]
        choices = replace(choices, decks=frozenset(job.members), interview=min(dates, default=None))
    return Prepared(inp, choices, days)


def forecast(
    db: Database,
    now: datetime,
    *,
    deck_id: str | None = None,
    days: int | None = None,
    choices: Choices | None = None,
    job: JobSet | None = None,
) -> Plan:
    """The plan from today: to the interview (or `days` days, default 14 without one), for
    the collection's settings or the `choices` given (nothing is written); `job`: a job's
    set alone (see `prepare`).
    """
    return prepare(db, now, deck_id=deck_id, days=days, choices=choices, job=job).run()


def _blocked(inp: _Input, choices: Choices) -> str | None:
    """What keeps new questions out whatever the budget: a limit of 0."""
    if inp.collection.new_questions_per_day == 0:
        return "new_questions_per_day is 0"
    closed = [d for d in inp.decks if d.id in choices.decks and d.config.new_per_day == 0]
    if not closed:
        return None
    if len(closed) == 1:
        return f"new_per_day is 0 in {closed[0].name}"
    return f"new_per_day is 0 in {len(closed)} decks"


def _all_started_before(inp: _Input, choices: Choices) -> bool:
    started: dict[int, bool] = {}
    for card in inp.cards:
        if card.deck in choices.decks:
            started[card.question] = started.get(card.question, False) or card.record.state != 0
    return bool(started) and all(started.values())


def _interview(inp: _Input, choices: Choices, now: datetime) -> date | None:
    """The interview the plan leads to: the deck's own with --deck, else the collection's,
    else the soonest of the studied decks' own dates; only one still ahead.
    """
    dates = []
    for deck in inp.decks:
        if deck.id not in choices.decks:
            continue
        date_ = deck.config.interview_date if deck.own_interview else choices.interview
        if inp.deck is not None or date_ == choices.interview or date_ is not None:
            dates.append(date_)
    if inp.deck is None and choices.interview is not None:
        dates = [choices.interview]
    ahead = [d for d in dates if d is not None and deadline.days_until(d, now, inp.hour)]
    return min(ahead) if ahead else None


def verdict(plan: Plan, *, already_seen: bool = False) -> str:
    """The plan in plain words: one sentence, then one per job whose interview falls within
    it ("Data Analyst at Freightline: all 24 of its questions before 14 Dec.").
    """
    text = _verdict(plan, already_seen=already_seen)
    for forecast in [f for f in plan.sets if not _said(plan, f)][:2]:
        day = short_date(forecast.interview)
        if forecast.seen >= forecast.questions:
            its = (
                "its question"
                if forecast.questions == 1
                else f"all {forecast.questions} of its questions"
            )
            text += f" {forecast.name}: {its} before {day}."
        else:
            text += (
                f" {forecast.name}: {forecast.seen} of its {forecast.questions} questions "
                f"before {day}."
            )
    return text


def _said(plan: Plan, forecast: SetForecast) -> bool:
    """Whether the plan's own sentence already covers a job's set: every question seen
    before a day no later than the job's interview.
    """
    if plan.interview is not None:
        return plan.covers_all and plan.interview <= forecast.interview
    return plan.all_seen_on is not None and plan.all_seen_on < forecast.interview


def _verdict(plan: Plan, *, already_seen: bool = False) -> str:
    total = plan.questions_total
    if total == 0:
        return "Nothing to plan: no questions to study (every deck is paused, or none is imported)."
    pace = (
        f"at {plan.daily_minutes} min a day"
        if plan.daily_minutes is not None
        else "with no daily time budget"
    )
    questions = "question" if total == 1 else "questions"
    narrow = (
        "narrow the set (pause decks)"
        if plan.job is None
        else f"narrow the set (drill job edit {plan.job} --size N)"
    )
    if plan.interview is not None:
        day = short_date(plan.interview)
        if plan.covers_all:
            if plan.questions_twice >= total:
                return (
                    f"All {total} {questions} will be rehearsed at least twice before {day} {pace}."
                )
            once = total - plan.questions_twice
            return (
                f"All {total} {questions} will be rehearsed before {day} {pace}, "
                f"{once} of them only once."
            )
        missing = total - plan.questions_seen
        head = f"{_capital(pace)}, {missing} of {total} {questions} will not be seen before {day}"
        if plan.blocked is not None and plan.minutes_needed is None:
            return f"{head}: they never come in while {plan.blocked} (drill config)."
        if plan.minutes_needed is not None:
            return f"{head}: {plan.minutes_needed} min a day covers them, or {narrow}."
        return f"{head}, and even {MOST_MINUTES} min a day would not cover them: {narrow}."
    if already_seen:
        return f"All {total} {questions} have been rehearsed; {pace} keeps them fresh."
    horizon = plan.days[-1].date if plan.days else plan.today
    if plan.all_seen_on is not None and plan.all_seen_on <= horizon:
        return (
            f"All {total} {questions} will be rehearsed by {short_date(plan.all_seen_on)} {pace}."
        )
    span = f"in {len(plan.days)} day{'s' if len(plan.days) != 1 else ''}"
    seen = plan.questions_seen
    head = f"{_capital(pace)}, {seen} of {total} {questions} will have been rehearsed {span}"
    if plan.all_seen_on is not None:
        return f"{head}, and all of them by {short_date(plan.all_seen_on)}."
    if plan.blocked is not None:
        return f"{head}; the rest never come in while {plan.blocked} (drill config)."
    return f"{head}; not all of them within {MAX_DAYS} days: raise the budget or narrow the set."


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]
