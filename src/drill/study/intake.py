"""Today's intake of new cards under the daily time budget, from the database.

The rule itself is core/budget.py; this module gathers its figures (time spent today, what is
owed, what falls due ahead, the new cards the queue would show next) and turns the decision
into each deck's `new_left` for the queue. The budget is the collection's: time spent and
cards owed in every deck count, whichever deck is being studied. Paused decks count for
nothing.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from drill.core import budget, clock, deadline
from drill.core.budget import Admission, Candidate, Day, Estimates
from drill.core.config import StudyConfig
from drill.core.format import minutes, plural
from drill.core.model import CardKind
from drill.storage import jobs, queue, repo, workload

if TYPE_CHECKING:
    from drill.storage.sqlite import Database

LEARN_MORE_KEY = "learn_more"
# New questions one "learn more" adds today.
LEARN_MORE_QUESTIONS = 2


def load_estimates(db: Database) -> Estimates:
    """Seconds per card view by kind (the user's own medians, else the defaults)."""
    durations = {
        kind: workload.recent_durations(db, kind, budget.RECENT_SAMPLES) for kind in CardKind
    }
    return Estimates.from_history(durations, workload.first_ratings(db))


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
class TodayPlan:
    """Today under the budget: time spent, what is left (due cards and the new questions
    that still fit) and what that costs, in seconds.

    `reviews` counts due cards still to show (learning and review); `new_questions` the new
    questions still coming in today and `new_cards` every new card (a started question's why
    and dos cards too). `refused` says why no further question fits ("budget", "cap",
    "ahead", or None when none was refused).
    """

    budget_minutes: int | None
    spent: float
    owed: float
    reviews: int
    new_questions: int
    new_cards: int
    new_seconds: float
    refused: str | None
    extra_questions: int
    extra_seconds: float

    @property
    def left(self) -> float:
        return self.owed + self.new_seconds

    @property
    def total(self) -> float:
        return self.spent + self.left

    @property
    def done(self) -> bool:
        return self.reviews == 0 and self.new_cards == 0

    @property
    def over(self) -> float:
        """Seconds the day goes past the budget (0 without a budget or when within it)."""
        if self.budget_minutes is None:
            return 0.0
        return max(0.0, self.total - self.budget_minutes * 60)

    def line(self) -> str:
        """Today's plan in words: "≈ 18 min today: 9 reviews, 2 new questions"."""
        if self.done:
            return f"Today's plan is done ({minutes(self.spent)})."
        work = []
        if self.reviews:
            work.append(plural(self.reviews, "review"))
        if self.new_questions:
            work.append(plural(self.new_questions, "new question"))
        # The why and dos cards of questions already started, met for the first time.
        follow = self.new_cards - self.new_questions
        if follow > 0:
            work.append(plural(follow, "why/dos card"))
        when = f"left ({round(self.spent / 60)} done)" if self.spent >= 30 else "today"
        text = f"≈ {minutes(self.left)} {when}: {', '.join(work)}"
        if self.over >= 60:
            text += f"; {minutes(self.over)} over your {self.budget_minutes}-minute budget"
        return text + "."

    def to_json(self) -> dict[str, Any]:
        return {
            "daily_minutes": self.budget_minutes,
            "spent_minutes": round(self.spent / 60, 1),
            "left_minutes": round(self.left / 60, 1),
            "reviews": self.reviews,
            "new_questions": self.new_questions,
            "new_cards": self.new_cards,
            "done": self.done,
        }


@dataclass(frozen=True, slots=True)
class Intake:
    """Each deck's new cards allowed now (`new_left`), the questions each deck brings in
    before its others (`first`: a job's set with an interview ahead), and today's plan.
    """

    new_left: dict[str, int]
    first: dict[str, frozenset[str]]
    order: tuple[str, ...]  # the decks in the order their new cards come
    today: TodayPlan


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
            for upcoming in jobs.upcoming_sets(db, clock.study_date(now, hour))
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


def questions_cap(
    db: Database,
    config: StudyConfig,
    active: Sequence[repo.DeckInfo],
    now: datetime,
    hour: int,
    started_today: Mapping[str, frozenset[str]] | None = None,
    only: Mapping[str, frozenset[str]] | None = None,
    job_sets: JobSets = NO_JOBS,
) -> int | None:
    """Today's cap on new questions: the setting, raised before an interview to the pace
    that sees every question of its decks (or of a job's set, `only`) before the last day.
    The pace counts the questions unseen when the day began (those started today too), so it
    holds through the day. A job's interview counts for its set's questions, in decks
    without an interview of their own by then.
    """
    cap = config.question_cap
    if cap is None:
        return None
    today = clock.study_date(now, hour)
    if started_today is None:
        day_ms = clock.to_ms(clock.day_start(now, hour))
        started_today = workload.started_questions_since(db, day_ms)
    unseen: dict[date, tuple[int, int]] = {}
    for deck in active:
        left = deadline.days_left(deck.config, now, hour)
        if left is None or deck.config.interview_date is None:
            continue
        count, _ = unseen.get(deck.config.interview_date, (0, left))
        questions = None if only is None else only.get(deck.id, frozenset())
        count += workload.unseen_questions(db, deck.id, deck.config.card_kinds, questions)
        started = started_today.get(deck.id, frozenset())
        count += len(started if questions is None else started & questions)
        unseen[deck.config.interview_date] = (count, left)
    by_id = {deck.id: deck for deck in active}
    for day, members in job_sets.interviews:
        left = deadline.days_until(day, now, hour)
        if left is None:
            continue
        count, _ = unseen.get(day, (0, left))
        for deck_id, ids in members.items():
            holder = by_id.get(deck_id)
            if holder is None:
                continue  # a paused deck
            own = holder.config.interview_date
            if own is not None and today < own <= day:
                continue  # its own interview comes first and counts these questions
            count += workload.unseen_questions(db, deck_id, holder.config.card_kinds, ids)
            count += len(started_today.get(deck_id, frozenset()) & ids)
        unseen[day] = (count, left)
    need = sum(deadline.questions_needed(count, left) for count, left in unseen.values())
    return max(cap, need)


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
    hour = next(iter(configs.values())).day_starts_at if configs else 4
    end = clock.to_ms(clock.start_of(today + timedelta(days=horizon), hour))
    out: dict[int, float] = {}
    for deck_id, kind, record in workload.due_before(db, deck_ids, end):
        config = configs[deck_id]
        cost = budget.review_views(config) * est.of(kind)
        days = budget.projected_reviews(record, kind, config, today, horizon)
        for offset, share in budget.weighted(days):
            out[offset] = out.get(offset, 0.0) + share * cost
    return out


def compute(
    db: Database,
    now: datetime,
    scope: Sequence[repo.DeckInfo],
    *,
    estimates: Estimates | None = None,
    only: Mapping[str, frozenset[str]] | None = None,
) -> Intake:
    """Today's intake for the decks in `scope` (the collection's budget applies), or for
    some questions of them (`only`: a job's set, whose interview the scope's configs carry).
    """
    config = repo.collection_config(db)
    hour = config.day_starts_at
    now_ms = clock.to_ms(now)
    day_start = clock.day_start(now, hour)
    day_ms, end_ms = clock.to_ms(day_start), clock.to_ms(clock.next_day_start(now, hour))
    today = clock.study_date(now, hour)
    est = estimates or load_estimates(db)
    # The scope's decks as given: a job's session gives them the job's interview date, and
    # its set names its questions, so their decks count even when paused.
    scoped = {d.id: d for d in scope}
    active = [scoped.get(d.id, d) for d in repo.decks(db) if not d.paused or d.id in scoped]
    configs = {d.id: d.config for d in active}
    ids = [d.id for d in active]
    together = {d.id for d in active if deadline.active(d.config, now, hour)}

    # Time spent and questions started today count in every deck, paused since or not: it
    # is the day's time either way.
    spent = sum(
        budget.capped_ms(ms, kind, est) for _, kind, _, ms in workload.reviews_since(db, day_ms)
    )
    spent /= 1000
    owed = 0.0
    reviews = 0
    burying = [d for d in ids if d not in together]
    for row in workload.owed_today(db, ids, burying, now_ms, day_ms, end_ms):
        deck_config = configs[row.deck_id]
        if row.state == 2:
            views: float = budget.review_views(deck_config)
        elif row.state == 3:
            views = budget.learning_views(deck_config.relearning_steps, row.step)
        else:
            views = budget.learning_views(deck_config.steps(row.kind), row.step)
        owed += row.cards * views * est.of(row.kind)
        reviews += row.cards

    extra = Extra.load(db, today)
    started_today = workload.started_questions_since(db, day_ms)
    # A job's session already studies its set towards its interview (the scope's configs).
    job_sets = NO_JOBS if only is not None else JobSets.load(db, now, hour)
    cap = questions_cap(
        db,
        config,
        [d for d in active if d.id in scoped] if only else active,
        now,
        hour,
        started_today,
        only,
        job_sets,
    )
    done = queue.done_today(db, day_ms, None)
    candidates: list[Candidate] = []
    cards: list[tuple[str, int]] = []
    # Whether an interview brings the card in: its deck's own (or the collection's), or a
    # job's whose set holds its question.
    for_interview: list[bool] = []
    in_scope = [d for d in scope if not d.paused or only is not None]
    ordered = deck_order(in_scope, now, hour, job_sets.soonest)
    for deck in ordered:
        new_done = done.get(deck.id, (0, 0))[0]
        limit = deck.config.new_per_day + (
            deck.extra_new if deck.extra_new_day == today.isoformat() else 0
        )
        left = deadline.days_left(deck.config, now, hour)
        questions = None if only is None else only.get(deck.id, frozenset())
        if left is not None:
            waiting = queue.waiting_new(db, deck.id, deck.config.card_kinds, questions)
            waiting += new_done
            limit = max(limit, deadline.new_card_limit(deck.config, waiting, left))
        job_left = job_sets.soonest.get(deck.id)
        if job_left is not None:
            # A job's set in this deck, with its interview ahead: enough of the deck's new
            # cards to learn the set in time (new cards done today counted as waiting).
            in_set = job_sets.first[deck.id]
            waiting = queue.waiting_new(db, deck.id, deck.config.card_kinds, in_set) + new_done
            limit = max(limit, deadline.new_card_limit(deck.config, waiting, job_left))
        room = max(0, limit - new_done)
        starting: set[str] = set()
        # Siblings are skipped below, so read enough rows to find `room` candidates.
        for card in workload.next_new_cards(
            db,
            deck.id,
            deck.config.card_kinds,
            room * len(CardKind),
            now_ms=now_ms,
            day_ms=day_ms,
            bury_siblings=deck.id not in together,
            questions=questions,
            first=job_sets.first.get(deck.id, frozenset()),
        ):
            if len(starting) >= room:
                break
            # One card of a question a day where siblings wait for the next day; in deadline
            # mode a new question's cost already counts its other cards.
            buries = deck.id not in together
            if card.question_id in starting and (buries or not card.started):
                continue
            starting.add(card.question_id)
            cards.append((deck.id, card.card_id))
            for_interview.append(
                left is not None or card.question_id in job_sets.first.get(deck.id, ())
            )
            if card.started:
                cost = budget.new_views(deck.config.steps(card.kind), est.fail_first)
                candidates.append(Candidate(deck.id, False, cost * est.of(card.kind)))
                continue
            qcost = budget.question_cost(
                card.new_kinds, deck.config, est, together=deck.id in together
            )
            candidates.append(Candidate(deck.id, True, qcost.today, qcost.ahead, left))

    if job_sets.first and not all(for_interview):
        # What an interview asks for before every other new question: a deck that holds part
        # of a job's set comes first (its soonest interview), but its other questions wait
        # for the rest of the set in the next decks, or a day's budget goes to questions the
        # interview will not ask. The decks keep their order (soonest interview first), and
        # each deck its cards' (its set first), as the queue serves them.
        order = sorted(range(len(cards)), key=lambda i: not for_interview[i])
        cards = [cards[i] for i in order]
        candidates = [candidates[i] for i in order]

    ahead: dict[int, float] = {}
    if config.daily_minutes is not None and any(c.starts_question for c in candidates):
        horizon = 1 + max(offset for c in candidates for offset, _ in c.ahead)
        ahead = forecast_ahead(db, ids, configs, est, today, horizon)

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
    admission: Admission = budget.admit(candidates, day)
    new_left: dict[str, int] = {deck.id: 0 for deck in scope}
    counting = {deck.id: True for deck in scope}
    for (deck_id, _), admitted in zip(cards, admission.admitted, strict=True):
        if admitted and counting[deck_id]:
            new_left[deck_id] += 1
        else:
            counting[deck_id] = False
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
