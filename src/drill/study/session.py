"""The review queue: what to study next, rating, undo, burying, suspending and daily limits.

Both shells drive study through `ReviewSession`; neither runs SQL or FSRS itself. Every
method that depends on time takes `now` (aware UTC). Each rating is one IMMEDIATE
transaction that re-reads the card, so two processes studying at once never overwrite each
other, and a crash loses at most the card on screen.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from drill.core import clock, deadline
from drill.core.config import StudyConfig
from drill.core.leech import became_leech
from drill.core.model import CardKind, CardRecord, CardState, Question, Rating
from drill.errors import DrillError, Missing
from drill.storage import jobs, queue, repo, reviews
from drill.storage.sqlite import change_mark, write_transaction
from drill.study.undo import Action, Change, capture

if TYPE_CHECKING:
    # Re-exported for the TUI, which holds the handle but must not import storage.
    from drill.storage.sqlite import Database as Database

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


@dataclass(frozen=True, slots=True)
class LearnMore:
    """The "learn more" offer: `step` new cards now, of `waiting` that can still come today."""

    step: int
    waiting: int


# No daily limit: for counting what could still come today.
_UNLIMITED = 1_000_000


@dataclass(frozen=True, slots=True)
class Rated:
    card_id: int
    rating: Rating
    record: CardRecord
    review_id: int
    change: Change  # for the screen's undo
    leech: bool = False  # this rating made the question a leech (see core.leech)
    suspended: bool = False  # ...and the card was suspended for it (leech_action suspend)


def rotated_prompt(question: Question, kind: CardKind, reps: int) -> tuple[str, int]:
    """The phrasing shown on the card's n-th review: rehearse cards cycle through variants."""
    if kind != CardKind.REHEARSE:
        return question.question, 0
    phrasings = question.phrasings
    index = reps % len(phrasings)
    return phrasings[index], index


@dataclass(slots=True)
class _Snapshot:
    """What a session read from the database, reused for as long as nothing else wrote to it.

    `version` is (PRAGMA data_version, the connection's total_changes): the first moves when
    another connection commits, the second when this one writes. `left` holds each deck's
    uncapped `queue.deck_counts` for the study day `day_ms` (with the scope they were
    counted in); the session keeps it current through its own ratings.
    """

    version: tuple[int, int]
    hour: int
    decks: list[repo.DeckInfo]
    day_ms: int | None = None
    done: dict[str, tuple[int, int]] = field(default_factory=dict)
    left: dict[str, tuple[int, int, int]] | None = None
    shapes: dict[str, queue.DeckScope] = field(default_factory=dict)


class ReviewSession:
    """Study of one deck, or of all decks when `deck_id` is None.

    The settings, decks and today's counts are read once and kept while nothing else writes
    to the database; each rating then updates the counts by its own question, so showing
    the next card costs the same with a hundred reviews due as with ten thousand.

    `only` narrows it to some questions of each deck (a job's set: {deck: question ids}),
    and `interview` is that set's interview date: until then its decks are studied in
    deadline mode, as if their `interview_date` were that day (an earlier one of their own
    still wins).
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
            hour = repo.collection_config(self.db).day_starts_at
            snap = self._snap = _Snapshot(version, hour, repo.decks(self.db, self.deck_id))
        return snap

    def _done_today(self, day_ms: int) -> dict[str, tuple[int, int]]:
        snap = self._fresh()
        if snap.day_ms != day_ms:
            snap.day_ms, snap.left = day_ms, None
            snap.done = queue.done_today(self.db, day_ms, self.deck_id)
        return snap.done

    # -- scope and limits ------------------------------------------------------------------
    def _decks(self) -> list[repo.DeckInfo]:
        decks = self._fresh().decks
        if self.only is None:
            return decks
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

    def new_limit(self, deck: repo.DeckInfo, now: datetime, new_done: int = 0) -> int:
        """Today's new-card limit for a deck, with any extra granted by `learn_more`.

        Before an interview date the limit rises so every new card is seen in time.
        """
        hour = self._day_starts_at()
        limit = deck.config.new_per_day
        if deadline.active(deck.config, now, hour):
            waiting = queue.waiting_new(
                self.db, deck.id, deck.config.card_kinds, self._questions(deck.id)
            )
            limit = deadline.new_limit(deck.config, waiting + new_done, now, hour)
        today = clock.study_date(now, hour).isoformat()
        if deck.extra_new_day == today:
            limit += deck.extra_new
        return limit

    def _scopes(self, now: datetime, day_ms: int) -> list[queue.DeckScope]:
        """Each deck in scope with what is left of today's limits.

        Decks in deadline mode don't bury siblings: before an interview there may be too few
        days to study a question's cards on separate days, and the last day must be free to
        rehearse every question.
        """
        done = self._done_today(day_ms)
        hour = self._day_starts_at()
        out = []
        for deck in self._decks():
            new_done, reviews_done = done.get(deck.id, (0, 0))
            out.append(
                queue.DeckScope(
                    deck.id,
                    deck.config.card_kinds,
                    max(0, self.new_limit(deck, now, new_done) - new_done),
                    max(0, deck.config.reviews_per_day - reviews_done),
                    bury_siblings=not deadline.active(deck.config, now, hour),
                    questions=self._questions(deck.id),
                )
            )
        return out

    # -- the queue ---------------------------------------------------------------------------
    def next_card(self, now: datetime) -> StudyCard | None:
        """The card to study now, or None when nothing is left today."""
        window = self._window(now)
        scopes = self._scopes(now, window.day_ms)
        card_id = queue.next_card_id(self.db, scopes, window, clock.to_ms(now + LEARN_AHEAD))
        return self.study_card(card_id) if card_id is not None else None

    def counts(self, now: datetime) -> Counts:
        """What is left today (new and review capped by the daily limits)."""
        per_deck = self.deck_counts(now).values()
        return Counts(
            sum(c.new for c in per_deck),
            sum(c.learning for c in per_deck),
            sum(c.review for c in per_deck),
        )

    def deck_counts(self, now: datetime) -> dict[str, Counts]:
        """What is left today in each deck in scope (as `counts`, which is their sum)."""
        window = self._window(now)
        scopes = self._scopes(now, window.day_ms)
        snap = self._fresh()
        if snap.left is None:
            # Counted once a day (or after another program wrote); ratings keep it current.
            snap.left = queue.decks_counts(self.db, scopes, window)
            snap.shapes = {
                s.deck_id: queue.DeckScope(
                    s.deck_id, s.kinds, bury_siblings=s.bury_siblings, questions=s.questions
                )
                for s in scopes
            }
        out = {}
        for scope in scopes:
            new, learning, review = snap.left.get(scope.deck_id, (0, 0, 0))
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

    def learnable_today(self, now: datetime) -> dict[str, int]:
        """{deck: new cards that could still come today if its new-card limit were raised}.

        Not suspended, retired or buried, and not a sibling of a question studied today (it
        waits for tomorrow): what `learn_more` can really deliver, unlike every new card.
        """
        window = self._window(now)
        out = {}
        for scope in self._scopes(now, window.day_ms):
            unlimited = replace(scope, new_left=_UNLIMITED, reviews_left=0)
            beyond = queue.counts(self.db, [unlimited], window)[0]
            out[scope.deck_id] = max(0, beyond - scope.new_left)
        return out

    def learn_more_offer(self, now: datetime) -> LearnMore:
        """What `learn_more` would add now (the offer) and how many could still come today."""
        learnable = self.learnable_today(now)
        step = sum(min(self._step(deck), learnable.get(deck.id, 0)) for deck in self._decks())
        return LearnMore(step, sum(learnable.values()))

    @staticmethod
    def _step(deck: repo.DeckInfo) -> int:
        return deck.config.new_per_day or 10

    def learn_more(self, now: datetime) -> int:
        """Raise today's new-card limit of every deck in scope by its `new_per_day` (10 when
        that is 0), at most by what can still come today; returns how many more new cards
        that allows in total: exactly what the queue will now show.
        """
        today = clock.study_date(now, self._day_starts_at()).isoformat()
        learnable = self.learnable_today(now)
        added = 0
        with write_transaction(self.db):
            for deck in self._decks():
                step = min(self._step(deck), learnable.get(deck.id, 0))
                if step <= 0:
                    continue
                extra = deck.extra_new if deck.extra_new_day == today else 0
                repo.set_extra_new(self.db, deck.id, today, extra + step)
                added += step
        return added

    # -- cards ---------------------------------------------------------------------------------
    def study_card(self, card_id: int) -> StudyCard:
        row = repo.study_card_row(self.db, card_id)
        if row is None:
            raise UnknownCard(f"no card {card_id} (see `drill next` for the card to study)")
        deck_id, deck_name, question_id, kind, record = row
        question = repo.get_question(self.db, deck_id, question_id)
        assert question is not None  # the foreign key guarantees it
        prompt, index = rotated_prompt(question, kind, record.reps)
        return StudyCard(card_id, deck_id, deck_name, kind, record, question, prompt, index)

    def config_for(self, deck_id: str) -> StudyConfig:
        return repo.decks(self.db, deck_id)[0].config

    def config_for_question(self, deck_id: str, question_id: str, now: datetime) -> StudyConfig:
        """A question's settings, with the deadline of the soonest interview ahead among the
        jobs whose set holds it: rehearsed before that day however it is studied.
        """
        config = _with_deadline(self.config_for(deck_id), self.interview)
        today = clock.study_date(now, self._day_starts_at())
        ahead = [day for day in jobs.interviews_for(self.db, deck_id, question_id) if day > today]
        return _with_deadline(config, min(ahead, default=None))

    def preview(self, card: StudyCard, now: datetime) -> dict[Rating, timedelta]:
        """The interval each rating would give this card now."""
        from drill.core.scheduling import preview

        config = self.config_for_question(card.deck_id, card.question_id, now)
        shown = preview(config, card.card_id, card.record, now)
        if not deadline.active(config, now, self._day_starts_at()):
            return shown
        hour = self._day_starts_at()
        out = {}
        for rating, delta in shown.items():
            due = CardRecord(state=CardState.REVIEW, due=clock.to_ms(now + delta))
            clamped = deadline.clamp(due, card.kind, config, now, hour)
            out[rating] = clock.from_ms(clamped.due or 0) - now
        return out

    def rate(
        self, card_id: int, rating: Rating, now: datetime, duration_ms: int | None = None
    ) -> Rated:
        """Record a rating and the card's new state in one transaction."""
        # FSRS (py-fsrs) is loaded on the first rating: showing a card does not need it.
        from drill.core.scheduling import rate as rate_card
        from drill.core.scheduling import scheduler_for

        window = self._window(now)
        hour = self._day_starts_at()
        with write_transaction(self.db):
            info = repo.get_card(self.db, card_id)
            if info is None:
                raise UnknownCard(f"no card {card_id}")
            if self.deck_id is not None and info.deck_id != self.deck_id:
                raise SessionError(f"card {card_id} is not in deck '{self.deck_id}'")
            # Inside the transaction nobody else can commit: the counts kept are current if
            # the version has not moved, and stay so if this rating's share is applied.
            tracked = self._tracked(info.deck_id, window)
            share = self._share(tracked, info.deck_id, info.question_id, window)
            config = self.config_for_question(info.deck_id, info.question_id, now)
            before = info.record
            snap_before = capture(self.db, [card_id])
            after = rate_card(scheduler_for(config), card_id, before, rating, now, duration_ms)
            after = deadline.clamp(after, info.kind, config, now, hour)
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
            if tracked is not None and tracked.left is not None and share is not None:
                # Only this question's share of its deck's counts can have changed.
                now_share = self._share(tracked, info.deck_id, info.question_id, window)
                assert now_share is not None
                left = tracked.left[info.deck_id]
                tracked.left[info.deck_id] = (
                    left[0] + now_share[0] - share[0],
                    left[1] + now_share[1] - share[1],
                    left[2] + now_share[2] - share[2],
                )
                new_done, reviews_done = tracked.done.get(info.deck_id, (0, 0))
                tracked.done[info.deck_id] = (
                    new_done + (before.state == CardState.NEW),
                    reviews_done + (before.state == CardState.REVIEW),
                )
                tracked.version = self._version()
        return Rated(card_id, rating, after, review_id, change, leech, suspend)

    def _tracked(self, deck_id: str, window: queue.Window) -> _Snapshot | None:
        """The snapshot, if its counts are current for this day and include this deck.

        Called inside the rating's transaction, where no other program can commit.
        """
        snap = self._snap
        if (
            snap is None
            or snap.left is None
            or snap.day_ms != window.day_ms
            or deck_id not in snap.left
            or snap.version != self._version()
        ):
            return None
        return snap

    def _share(
        self, snap: _Snapshot | None, deck_id: str, question_id: str, window: queue.Window
    ) -> tuple[int, int, int] | None:
        """A question's share of its deck's uncapped counts, as the snapshot counted them."""
        if snap is None:
            return None
        return queue.question_counts(self.db, snap.shapes[deck_id], question_id, window)

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
