"""The review queue: what to study next, rating, undo, burying, suspending and daily limits.

Both shells drive study through `ReviewSession`; neither runs SQL or FSRS itself. Every
method that depends on time takes `now` (aware UTC). Each rating is one IMMEDIATE
transaction that re-reads the card, so two processes studying at once never overwrite each
other, and a crash loses at most the card on screen.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from drill.core import clock, deadline
from drill.core.budget import Estimates, question_cost
from drill.core.config import StudyConfig
from drill.core.model import CardKind, CardRecord, CardState, Question, Rating
from drill.errors import DrillError, Missing
from drill.storage import queue, repo
from drill.storage.sqlite import change_mark, write_transaction
from drill.study import intake

if TYPE_CHECKING:
    # Re-exported for the TUI, which holds the handle but must not import storage.
    from drill.storage.sqlite import Database as Database
    from drill.study.outcomes import LearnMore, Rated
    from drill.study.today_plan import TodayPlan
    from drill.study.undo import Action, Change

# Writing (rating, suspending, burying: undo, the review log, leeches) is loaded by the
# methods that write, so showing a card (`drill next`, a cold start) does not load it.

# When nothing else is left today, learning cards due this soon are shown early rather than
# making the user wait for a ten-minute step (Anki's "learn ahead limit").
LEARN_AHEAD = timedelta(minutes=20)


class SessionError(DrillError):
    pass


class UnknownCard(SessionError, Missing):
    """No card with this id (or not any more)."""


@dataclass(frozen=True, slots=True)
class StudyCard:
    """A card ready to show: its question, the phrasing to ask, and its scheduling state."""

    card_id: int
    deck_id: str
    deck_name: str
    kind: CardKind
    record: CardRecord
    question: Question
    prompt: str
    phrasing_index: int

    @property
    def state(self) -> CardState:
        return CardState(self.record.state)

    @property
    def question_id(self) -> str:
        return self.question.id


@dataclass(frozen=True, slots=True)
class Counts:
    """Cards left to study today: new, learning and review."""

    new: int
    learning: int
    review: int

    @property
    def total(self) -> int:
        return self.new + self.learning + self.review


def rotated_prompt(question: Question, kind: CardKind, reps: int) -> tuple[str, int]:
    """The phrasing shown on the card's n-th review: rehearse cards cycle through variants."""
    if kind != CardKind.REHEARSE:
        return question.question, 0
    phrasings = question.phrasings
    index = reps % len(phrasings)
    return phrasings[index], index


@dataclass(slots=True)
class _Today:
    """Today as a session counted it: the intake's figures, and each deck's uncapped
    `queue.deck_counts` (`left`, counted with `shapes`).

    They hold for the study day they were counted on, from `since_ms` to `until_ms` (the
    burials ending around the moment they were counted: in between, what was buried stays
    buried), and the session keeps them through its own ratings.
    """

    figures: intake.Figures
    left: dict[str, tuple[int, int, int]]
    shapes: dict[str, queue.DeckScope]
    since_ms: int | None
    until_ms: int | None

    def holds(self, window: queue.Window) -> bool:
        return (
            window.day_ms == self.figures.day_ms
            and (self.since_ms is None or window.now_ms >= self.since_ms)
            and (self.until_ms is None or window.now_ms < self.until_ms)
        )


@dataclass(slots=True)
class _Snapshot:
    """What a session read from the database, reused for as long as nothing else wrote to it.

    `version` is `change_mark` (PRAGMA data_version, the connection's total_changes): the
    first moves when another connection commits, the second when this one writes; a rating
    of the session's own moves it on after bringing `today` up to date.
    """

    version: tuple[int, int]
    config: StudyConfig  # the collection's settings
    every: list[repo.DeckInfo]  # every deck, in display order
    decks: list[repo.DeckInfo]  # the decks in scope
    today: _Today | None = None

    @property
    def hour(self) -> int:
        return self.config.day_starts_at


def load_study_card(db: Database, card_id: int, reps: int | None = None) -> StudyCard:
    """A card ready to show; `reps` picks the phrasing (default: the card's own reviews)."""
    row = repo.study_card_row(db, card_id)
    if row is None:
        raise UnknownCard(f"no card {card_id} (see `drill next` for the card to study)")
    deck_id, deck_name, question_id, kind, record = row
    question = repo.get_question(db, deck_id, question_id)
    assert question is not None  # the foreign key guarantees it
    prompt, index = rotated_prompt(question, kind, record.reps if reps is None else reps)
    return StudyCard(card_id, deck_id, deck_name, kind, record, question, prompt, index)


class ReviewSession:
    """Study of one deck, or of all decks when `deck_id` is None.

    The settings, decks and today's counts are read once and kept while nothing else writes
    to the database; each rating then updates the counts by its own question, so showing
    the next card costs the same with a hundred reviews due as with ten thousand.

    `only` narrows it to some questions of each deck (a job's set: {deck: question ids}),
    and `interview` is that set's interview date: until then its decks are studied in
    deadline mode, as if their `interview_date` were that day (an earlier one of their own
    still wins), so the daily budget's intake raises its pace for the set (study/intake.py).
    """

    def __init__(
        self,
        db: Database,
        deck_id: str | None = None,
        *,
        only: Mapping[str, frozenset[str]] | None = None,
        interview: date | None = None,
    ) -> None:
        self.db = db
        self.deck_id = deck_id
        self._snap: _Snapshot | None = None
        self.only = dict(only) if only is not None else None
        self.interview = interview
        if deck_id is not None:
            self._decks()  # raises UnknownDeck early, with the list of decks

    # -- what the session read, kept while nothing else writes --------------------------------
    def _version(self) -> tuple[int, int]:
        return change_mark(self.db)

    def _fresh(self) -> _Snapshot:
        version = self._version()
        snap = self._snap
        if snap is None or snap.version != version:
            config = repo.collection_config(self.db)
            every = repo.decks(self.db)
            if self.deck_id is None:
                decks = every
            else:
                decks = [deck for deck in every if deck.id == self.deck_id]
                if not decks:
                    repo.decks(self.db, self.deck_id)  # raises UnknownDeck, with the list
            snap = self._snap = _Snapshot(version, config, every, decks)
        return snap

    def _kept(self, now: datetime) -> _Today | None:
        """Today's figures and counts if they were counted and still hold (no counting)."""
        today = self._fresh().today
        return today if today is not None and today.holds(self._window(now)) else None

    def _shapes(self, now: datetime) -> dict[str, queue.DeckScope]:
        """Each deck in scope as the queue sees it today, without its limits."""
        hour = self._day_starts_at()
        return {
            deck.id: queue.DeckScope(
                deck.id,
                deck.config.card_kinds,
                bury_siblings=not deadline.active(deck.config, now, hour),
                questions=self._questions(deck.id),
            )
            for deck in self._decks()
        }

    def _today(self, now: datetime) -> _Today:
        """Today's figures and counts: counted once a study day (or after another write)."""
        snap = self._fresh()
        window = self._window(now)
        today = self._kept(now)
        if today is None:
            figures = intake.Figures.read(
                self.db, now, self._decks(), self.only, config=snap.config, decks=snap.every
            )
            shapes = self._shapes(now)
            left = queue.decks_counts(self.db, list(shapes.values()), window)
            since, until = queue.burial_bounds(self.db, window.now_ms)
            today = snap.today = _Today(figures, left, shapes, since, until)
        return today

    def collection(self) -> tuple[StudyConfig, list[repo.DeckInfo]]:
        """The collection's settings and every deck, as the session read them."""
        snap = self._fresh()
        return snap.config, snap.every

    def _tracked(self, window: queue.Window) -> _Today | None:
        """Today's counts, if current: counted for this moment's day and nothing else wrote
        since. Called inside a rating's transaction, where no other program can commit.
        """
        snap = self._snap
        if snap is None or snap.today is None or snap.version != self._version():
            return None
        return snap.today if snap.today.holds(window) else None

    # -- scope and limits ------------------------------------------------------------------
    def _decks(self) -> list[repo.DeckInfo]:
        """The decks in scope that are not paused (a paused deck shows nothing); for a job's
        set, those holding its questions, with its interview as their deadline.
        """
        decks = self._fresh().decks
        if self.only is None:
            return [deck for deck in decks if not deck.paused]
        # A job's set names its questions: they are studied even from a paused deck.
        return [self._with_interview(deck) for deck in decks if self.only.get(deck.id)]

    def _questions(self, deck_id: str) -> frozenset[str] | None:
        """The questions of a deck in scope (None: all of them)."""
        return None if self.only is None else self.only.get(deck_id, frozenset())

    def _with_interview(self, deck: repo.DeckInfo) -> repo.DeckInfo:
        """The deck with the set's interview as its deadline, unless its own comes first."""
        config = _with_deadline(deck.config, self.interview)
        return deck if config is deck.config else replace(deck, config=config)

    def _day_starts_at(self) -> int:
        return self._fresh().hour

    def _window(self, now: datetime) -> queue.Window:
        hour = self._day_starts_at()
        return queue.Window(
            clock.to_ms(now),
            clock.to_ms(clock.day_start(now, hour)),
            clock.to_ms(clock.next_day_start(now, hour)),
        )

    def _intake(self, now: datetime, *, with_plan: bool = False) -> intake.Intake:
        """Today's new cards per deck under the daily budget (see study/intake.py)."""
        today = self._today(now)
        return intake.compute(
            self.db,
            now,
            self._decks(),
            figures=today.figures,
            only=self.only,
            new_waiting={deck_id: left[0] for deck_id, left in today.left.items()},
            with_plan=with_plan,
        )

    def today_plan(self, now: datetime) -> TodayPlan:
        """Today under the collection's budget: spent, left, reviews and new questions."""
        plan = self._intake(now, with_plan=True).today
        assert plan is not None
        return plan

    def _scopes(self, now: datetime, *, with_new: bool = True) -> list[queue.DeckScope]:
        """Each deck in scope with what is left of today's limits (new cards: what the
        daily budget admits now; see study/intake.py).

        Decks in deadline mode don't bury siblings: before an interview there may be too few
        days to study a question's cards on separate days.
        """
        # Without new cards (the cards owed now come first), a first card needs only today's
        # reviews so far: `drill next` does not count the whole day.
        today = self._today(now) if with_new else self._kept(now)
        if today is not None:
            done, shapes = today.figures.done, today.shapes
        else:
            day_ms = clock.to_ms(clock.day_start(now, self._day_starts_at()))
            done = queue.done_today(self.db, day_ms, self.deck_id)
            shapes = self._shapes(now)
        taken = self._intake(now) if with_new else None
        new_left = taken.new_left if taken is not None else {}
        first = taken.first if taken is not None else {}
        out = []
        decks = {deck.id: deck for deck in self._decks()}
        # The order the intake took them in (the soonest interview first), so the queue
        # brings in the new cards the budget admitted.
        order = taken.order if taken is not None else tuple(decks)
        for deck in (decks[deck_id] for deck_id in order if deck_id in decks):
            reviews_done = done.get(deck.id, (0, 0))[1]
            shape = shapes[deck.id]
            out.append(
                replace(
                    shape,
                    new_left=new_left.get(deck.id, 0),
                    reviews_left=max(0, deck.config.reviews_per_day - reviews_done),
                    first=first.get(deck.id, frozenset()),
                )
            )
        return out

    # -- the queue ---------------------------------------------------------------------------
    def next_card(self, now: datetime) -> StudyCard | None:
        """The card to study now, or None when nothing is left today."""
        window = self._window(now)
        # Cards owed now come before any new card: only when there are none is the budget
        # worked out.
        owed = queue.next_card_id(self.db, self._scopes(now, with_new=False), window, window.now_ms)
        if owed is not None:
            return self.study_card(owed)
        card_id = queue.next_card_id(
            self.db, self._scopes(now), window, clock.to_ms(now + LEARN_AHEAD)
        )
        return self.study_card(card_id) if card_id is not None else None

    def counts(self, now: datetime) -> Counts:
        """What is left today (new cards as the daily budget admits them, reviews capped by
        the daily limit).
        """
        per_deck = self.deck_counts(now).values()
        return Counts(
            sum(c.new for c in per_deck),
            sum(c.learning for c in per_deck),
            sum(c.review for c in per_deck),
        )

    def deck_counts(self, now: datetime) -> dict[str, Counts]:
        """What is left today in each deck in scope, as one plan: the collection's budget
        decides how many new cards each deck brings (decks earlier in the order first).
        Paused decks are left out.

        Each is the deck's uncapped count kept for the day (`queue.deck_counts`, brought up
        to date by each rating) within what is left of its limits.
        """
        scopes = self._scopes(now)
        left = self._today(now).left
        out = {}
        for scope in scopes:
            new, learning, review = left.get(scope.deck_id, (0, 0, 0))
            out[scope.deck_id] = Counts(
                min(new, scope.new_left), learning, min(review, scope.reviews_left)
            )
        return out

    def next_due(self, now: datetime) -> datetime | None:
        """When the next card becomes available, for when nothing is left now."""
        hour = self._day_starts_at()
        day_end = clock.next_day_start(now, hour)
        scopes = [
            queue.DeckScope(d.id, d.config.card_kinds, questions=self._questions(d.id))
            for d in self._decks()
        ]
        learning, review_due, has_new = queue.next_due(self.db, scopes, clock.to_ms(now))
        candidates = []
        if learning is not None:
            candidates.append(clock.from_ms(learning))
        if review_due is not None:
            # Review cards are due for their whole study day; one due today but held back
            # (daily limit, burying) waits for tomorrow.
            due = clock.from_ms(review_due)
            candidates.append(day_end if due < day_end else clock.day_start(due, hour))
        if has_new:
            candidates.append(day_end)  # held back by today's limit or by burying
        return min(candidates) if candidates else None

    def new_available(self, now: datetime) -> int:
        """New cards that could still come today if more were let in: not suspended, retired
        or buried, and not a sibling of a question studied today (that waits for tomorrow).
        What `learn_more` can really deliver, so the offer of it never promises more.
        """
        left = self._today(now).left
        return sum(
            max(0, left.get(scope.deck_id, (0, 0, 0))[0] - scope.new_left)
            for scope in self._scopes(now)
        )

    def learn_more(self, now: datetime) -> LearnMore:
        """Let more new questions in today, past the plan: LEARN_MORE_QUESTIONS more, with
        the time they take added to today's budget (and each deck's card limit raised to
        match). Returns how many, and how far past the budget today now goes.
        """
        from drill.study.outcomes import LearnMore

        hour = self._day_starts_at()
        today = clock.study_date(now, hour)
        before = self.today_plan(now)
        estimates = self._intake_estimates(now)
        with write_transaction(self.db):
            extra = intake.Extra.load(self.db, today)
            seconds = 0.0
            for deck in self._decks():
                kinds = [k for k in CardKind if k in deck.config.card_kinds]
                cost = question_cost(kinds, deck.config, estimates, together=False).today
                seconds = max(seconds, cost)
            step = intake.LEARN_MORE_QUESTIONS
            intake.Extra(
                today.isoformat(), extra.questions + step, extra.seconds + step * seconds
            ).save(self.db)
            for deck in self._decks():
                extra_cards = deck.extra_new if deck.extra_new_day == today.isoformat() else 0
                repo.set_extra_new(
                    self.db, deck.id, today.isoformat(), extra_cards + step * len(CardKind)
                )
        after = self.today_plan(now)
        return LearnMore(
            questions=after.new_questions - before.new_questions,
            over=after.over,
            budget_minutes=after.budget_minutes,
        )

    def _intake_estimates(self, now: datetime) -> Estimates:
        return self._today(now).figures.estimates

    # -- cards ---------------------------------------------------------------------------------
    def study_card(self, card_id: int) -> StudyCard:
        return load_study_card(self.db, card_id)

    def config_for(self, deck_id: str) -> StudyConfig:
        return repo.decks(self.db, deck_id)[0].config

    def preview(self, card: StudyCard, now: datetime) -> dict[Rating, timedelta]:
        """The interval each rating would give this card now."""
        from drill.core.scheduling import preview  # FSRS is loaded when a card is shown

        return preview(self.config_for(card.deck_id), card.kind, card.card_id, card.record, now)

    def rate(
        self, card_id: int, rating: Rating, now: datetime, duration_ms: int | None = None
    ) -> Rated:
        """Record a rating and the card's new state in one transaction."""
        # FSRS (py-fsrs) is loaded on the first rating: showing a card does not need it.
        from drill.core.leech import became_leech
        from drill.core.scheduling import rate as rate_card
        from drill.core.scheduling import scheduler_for
        from drill.storage import reviews
        from drill.study.outcomes import Rated
        from drill.study.undo import Action, Change, capture

        window = self._window(now)
        try:
            with write_transaction(self.db):
                info = repo.get_card(self.db, card_id)
                if info is None:
                    raise UnknownCard(f"no card {card_id}")
                if self.deck_id is not None and info.deck_id != self.deck_id:
                    raise SessionError(f"card {card_id} is not in deck '{self.deck_id}'")
                # Inside the transaction nobody else can commit: the counts kept are current if
                # nothing wrote since, and stay so once this rating's question is counted again.
                tracked = self._tracked(window)
                shares = self._shares(tracked, info.deck_id, info.question_id, window)
                config = self.config_for(info.deck_id)
                before = info.record
                snap_before = capture(self.db, [card_id])
                after = rate_card(
                    scheduler_for(config, info.kind),
                    card_id,
                    before,
                    rating,
                    now,
                    duration_ms,
                    day_starts_at=config.day_starts_at,
                )
                repo.write_card(self.db, card_id, after)
                leech = became_leech(config, info.kind, before, after)
                suspend = leech and config.leech_action == "suspend" and not info.suspended
                if suspend:
                    repo.set_suspended(self.db, card_id, True)
                review_id = reviews.record_review(
                    self.db,
                    card_id=card_id,
                    deck_id=info.deck_id,
                    time_ms=clock.to_ms(now),
                    rating=rating,
                    before=before,
                    duration_ms=duration_ms,
                )
                change = Change(
                    Action.RATE,
                    info.deck_id,
                    info.question_id,
                    repo.question_text(self.db, info.deck_id, info.question_id),
                    card_id,
                    info.kind,
                    snap_before,
                    capture(self.db, [card_id]),
                    rating=rating,
                    review_id=review_id,
                )
                if tracked is not None and shares is not None:
                    figures, left = shares
                    tracked.figures.rated(
                        self.db,
                        figures,
                        deck_id=info.deck_id,
                        question_id=info.question_id,
                        kind=info.kind,
                        state=before.state,
                        rating=rating,
                        duration_ms=duration_ms,
                    )
                    if left is not None:
                        now_left = queue.question_counts(
                            self.db, tracked.shapes[info.deck_id], info.question_id, window
                        )
                        kept = tracked.left[info.deck_id]
                        tracked.left[info.deck_id] = (
                            kept[0] + now_left[0] - left[0],
                            kept[1] + now_left[1] - left[1],
                            kept[2] + now_left[2] - left[2],
                        )
                    assert self._snap is not None
                    self._snap.version = self._version()
        except BaseException:
            # The counts kept may hold part of a rating the database did not take.
            if self._snap is not None:
                self._snap.today = None
            raise
        return Rated(card_id, rating, after, review_id, change, leech, suspend)

    def _shares(
        self, tracked: _Today | None, deck_id: str, question_id: str, window: queue.Window
    ) -> tuple[intake.Shares, tuple[int, int, int] | None] | None:
        """A question's share of today's figures and of its deck's counts, as kept."""
        if tracked is None:
            return None
        shape = tracked.shapes.get(deck_id)
        left = None
        if shape is not None:
            left = queue.question_counts(self.db, shape, question_id, window)
        return tracked.figures.shares(self.db, deck_id, question_id), left

    def _change(
        self,
        action: Action,
        card_id: int,
        card_ids: list[int],
        apply: Callable[[], object],
        *,
        one_card: bool,
    ) -> Change:
        """Run `apply` in one transaction, recording the cards before and after for undo."""
        from drill.study.undo import Change, capture

        with write_transaction(self.db):
            info = repo.get_card(self.db, card_id)
            if info is None:
                raise UnknownCard(f"no card {card_id}")
            before = capture(self.db, card_ids)
            apply()
            after = capture(self.db, card_ids)
            question = repo.question_text(self.db, info.deck_id, info.question_id)
        kind = info.kind if one_card else None
        return Change(
            action, info.deck_id, info.question_id, question, card_id, kind, before, after
        )

    def suspend(self, card_id: int, suspended: bool = True) -> Change:
        """Suspend (or unsuspend) one card."""
        from drill.study.undo import Action

        return self._change(
            Action.SUSPEND if suspended else Action.UNSUSPEND,
            card_id,
            [card_id],
            lambda: repo.set_suspended(self.db, card_id, suspended),
            one_card=True,
        )

    def _question_cards(self, deck_id: str, question_id: str, *, active: bool) -> list[int]:
        ids = repo.question_card_ids(self.db, deck_id, question_id, active=active)
        if not ids:
            # Missing: another drill may have removed it while a screen showed it.
            raise UnknownCard(f"no question '{deck_id}/{question_id}'")
        return ids

    def suspend_question(self, deck_id: str, question_id: str, suspended: bool = True) -> Change:
        """Suspend (or unsuspend) every card of a question at once."""
        from drill.study.undo import Action

        ids = self._question_cards(deck_id, question_id, active=True)
        return self._change(
            Action.SUSPEND if suspended else Action.UNSUSPEND,
            ids[0],
            ids,
            lambda: repo.suspend_question(self.db, deck_id, question_id, suspended),
            one_card=False,
        )

    def reset_question(self, deck_id: str, question_id: str, now: datetime) -> Change:
        """Start every card of a question afresh, as new.

        The reviews stay (they happened, and stats count them), but the cards' schedule
        begins again now: a later history merge replays only reviews after the reset, and
        `drill undo` does not reach back past it (the screen's own undo can take the reset
        itself back).
        """
        from drill.study.undo import Action

        ids = self._question_cards(deck_id, question_id, active=False)
        return self._change(
            Action.RESET,
            ids[0],
            ids,
            lambda: repo.reset_question(self.db, deck_id, question_id, clock.to_ms(now)),
            one_card=False,
        )

    def bury_question(self, card_id: int, now: datetime) -> Change:
        """Hide every card of this card's question until the next study day."""
        from drill.study.undo import Action

        day_end = clock.next_day_start(now, self._day_starts_at())
        return self._change(
            Action.BURY,
            card_id,
            repo.sibling_ids(self.db, card_id),
            lambda: repo.bury_question(self.db, card_id, clock.to_ms(day_end)),
            one_card=False,
        )


def _with_deadline(config: StudyConfig, interview: date | None) -> StudyConfig:
    """`config` with `interview` as its interview date, unless it has an earlier one."""
    if interview is None:
        return config
    current = config.interview_date
    if current is not None and current <= interview:
        return config
    return replace(config, interview_date=interview)
