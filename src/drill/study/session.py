"""The review queue: what to study next, rating, undo, burying, suspending and daily limits.

Both shells drive study through `ReviewSession`; neither runs SQL or FSRS itself. Every
method that depends on time takes `now` (aware UTC). Each rating is one IMMEDIATE
transaction that re-reads the card, so two processes studying at once never overwrite each
other, and a crash loses at most the card on screen.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlite_utils import Database

from drill.core import clock, deadline
from drill.core.config import StudyConfig
from drill.core.model import CardKind, CardRecord, CardState, Question, Rating
from drill.core.scheduling import preview, review, scheduler_for
from drill.errors import DrillError
from drill.storage import repo
from drill.storage.sqlite import write_transaction

# When nothing else is left today, learning cards due this soon are shown early rather than
# making the user wait for a ten-minute step (Anki's "learn ahead limit").
LEARN_AHEAD = timedelta(minutes=20)

_ELIGIBLE_NO_BURY = (
    "c.suspended = 0 AND c.retired = 0 AND (c.buried_until IS NULL OR c.buried_until <= :now_ms)"
)
_SIBLING_FREE = (
    "NOT EXISTS (SELECT 1 FROM cards s WHERE s.deck_id = c.deck_id "
    "AND s.question_id = c.question_id AND s.id != c.id AND s.last_review >= :day_ms)"
)
_ELIGIBLE = (
    _ELIGIBLE_NO_BURY + " "
    # Siblings are buried: once any card of a question was answered this study day, the
    # question's other cards wait until tomorrow (the same card's learning steps go on).
    "AND NOT EXISTS (SELECT 1 FROM cards s WHERE s.deck_id = c.deck_id "
    "AND s.question_id = c.question_id AND s.id != c.id AND s.last_review >= :day_ms)"
)


class SessionError(DrillError):
    pass


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
class Rated:
    card_id: int
    rating: Rating
    record: CardRecord
    review_id: int


@dataclass(frozen=True, slots=True)
class Undone:
    card_id: int
    rating: Rating
    record: CardRecord


def rotated_prompt(question: Question, kind: CardKind, reps: int) -> tuple[str, int]:
    """The phrasing shown on the card's n-th review: rehearse cards cycle through variants."""
    if kind != CardKind.REHEARSE:
        return question.question, 0
    phrasings = question.phrasings
    index = reps % len(phrasings)
    return phrasings[index], index


class ReviewSession:
    """Study of one deck, or of all decks when `deck_id` is None."""

    def __init__(self, db: Database, deck_id: str | None = None) -> None:
        self.db = db
        self.deck_id = deck_id
        if deck_id is not None:
            repo.decks(db, deck_id)  # raises UnknownDeck early, with the list of decks

    # -- scope and limits ------------------------------------------------------------------
    def _decks(self) -> list[repo.DeckInfo]:
        return repo.decks(self.db, self.deck_id)

    def _day_starts_at(self) -> int:
        return repo.collection_config(self.db).day_starts_at

    def _bounds(self, now: datetime) -> tuple[datetime, datetime]:
        hour = self._day_starts_at()
        return clock.day_start(now, hour), clock.next_day_start(now, hour)

    def _done_today(self, day_ms: int) -> dict[str, tuple[int, int]]:
        # Only today's rows should be read. Left alone, the planner prefers the
        # (deck_id, review_time) index for the GROUP BY and scans the whole history.
        params: list[object] = [day_ms]
        if self.deck_id is None:
            sql = (
                "SELECT deck_id, SUM(review_state = 0), SUM(review_state = 2) "
                "FROM reviews INDEXED BY reviews_time WHERE review_time >= ?"
            )
        else:
            sql = (
                "SELECT deck_id, SUM(review_state = 0), SUM(review_state = 2) "
                "FROM reviews WHERE review_time >= ? AND deck_id = ?"
            )
            params.append(self.deck_id)
        rows = self.db.execute(sql + " GROUP BY deck_id", params).fetchall()
        return {r[0]: (r[1] or 0, r[2] or 0) for r in rows}

    def new_limit(self, deck: repo.DeckInfo, now: datetime, new_done: int = 0) -> int:
        """Today's new-card limit for a deck, with any extra granted by `learn_more`.

        Before an interview date the limit rises so every new card is seen in time.
        """
        hour = self._day_starts_at()
        limit = deck.config.new_per_day
        if deadline.active(deck.config, now, hour):
            waiting = self.db.execute(
                "SELECT count(*) FROM cards c WHERE c.deck_id = ? AND c.state = 0 "
                f"AND c.suspended = 0 AND c.retired = 0{self._kind_filter(deck)}",
                [deck.id],
            ).fetchone()[0]
            limit = deadline.new_limit(deck.config, waiting + new_done, now, hour)
        today = clock.study_date(now, hour).isoformat()
        if deck.extra_new_day == today:
            limit += deck.extra_new
        return limit

    def _remaining(self, now: datetime, day_ms: int) -> list[tuple[repo.DeckInfo, int, int]]:
        done = self._done_today(day_ms)
        out = []
        for deck in self._decks():
            new_done, reviews_done = done.get(deck.id, (0, 0))
            out.append(
                (
                    deck,
                    max(0, self.new_limit(deck, now, new_done) - new_done),
                    max(0, deck.config.reviews_per_day - reviews_done),
                )
            )
        return out

    def _eligible(self, decks: list[repo.DeckInfo], now: datetime) -> str:
        """The eligibility condition; decks in deadline mode don't bury siblings.

        Before an interview there may be too few days to study a question's cards on separate
        days, and the last day must be free to rehearse every question.
        """
        hour = self._day_starts_at()
        rushed = [d.id for d in decks if deadline.active(d.config, now, hour)]
        if not rushed:
            return _ELIGIBLE
        exempt = ", ".join(_quote(deck_id) for deck_id in rushed)
        return f"{_ELIGIBLE_NO_BURY} AND (c.deck_id IN ({exempt}) OR {_SIBLING_FREE})"

    @staticmethod
    def _kind_filter(deck: repo.DeckInfo) -> str:
        if deck.config.card_kinds == frozenset(CardKind):
            return ""
        kinds = ",".join(f"'{k.value}'" for k in CardKind if k in deck.config.card_kinds)
        return f" AND c.kind IN ({kinds})"

    def _scope(self, decks: list[repo.DeckInfo]) -> str:
        """SQL restricting cards to the given decks and each deck's card kinds."""
        if not decks:
            return " AND 0"
        parts = []
        for deck in decks:
            parts.append(f"(c.deck_id = {_quote(deck.id)}{self._kind_filter(deck)})")
        return " AND (" + " OR ".join(parts) + ")"

    # -- the queue ---------------------------------------------------------------------------
    def next_card(self, now: datetime) -> StudyCard | None:
        """The card to study now, or None when nothing is left today."""
        card_id = self._next_card_id(now)
        return self.study_card(card_id) if card_id is not None else None

    def _next_card_id(self, now: datetime) -> int | None:
        day_start, day_end = self._bounds(now)
        params = {
            "now_ms": clock.to_ms(now),
            "day_ms": clock.to_ms(day_start),
            "end_ms": clock.to_ms(day_end),
        }
        remaining = self._remaining(now, params["day_ms"])
        scope = self._scope([d for d, _, _ in remaining])
        eligible = self._eligible([d for d, _, _ in remaining], now)
        row = self.db.execute(
            f"SELECT c.id FROM cards c WHERE c.state IN (1, 3) AND c.due <= :now_ms{scope} "
            f"AND {eligible} ORDER BY c.due, c.id LIMIT 1",
            params,
        ).fetchone()
        if row:
            return row[0]
        review_scope = self._scope([d for d, _, rev in remaining if rev > 0])
        row = self.db.execute(
            f"SELECT c.id FROM cards c WHERE c.state = 2 AND c.due < :end_ms{review_scope} "
            # A review card answered today waits for tomorrow even if its due date was
            # shortened to today (deadline mode).
            f"AND (c.last_review IS NULL OR c.last_review < :day_ms) "
            f"AND {eligible} ORDER BY c.due, c.id LIMIT 1",
            params,
        ).fetchone()
        if row:
            return row[0]
        for deck, new_left, _ in remaining:
            if new_left <= 0:
                continue
            row = self.db.execute(
                f"SELECT c.id FROM cards c WHERE c.deck_id = :deck AND c.state = 0"
                f"{self._kind_filter(deck)} AND {eligible} ORDER BY c.new_order LIMIT 1",
                {**params, "deck": deck.id},
            ).fetchone()
            if row:
                return row[0]
        params["ahead_ms"] = clock.to_ms(now + LEARN_AHEAD)
        row = self.db.execute(
            f"SELECT c.id FROM cards c WHERE c.state IN (1, 3) AND c.due <= :ahead_ms{scope} "
            f"AND {eligible} ORDER BY c.due, c.id LIMIT 1",
            params,
        ).fetchone()
        return row[0] if row else None

    def counts(self, now: datetime) -> Counts:
        """What is left today (new and review capped by the daily limits)."""
        day_start, day_end = self._bounds(now)
        params: dict[str, object] = {
            "now_ms": clock.to_ms(now),
            "day_ms": clock.to_ms(day_start),
            "end_ms": clock.to_ms(day_end),
        }
        new = learning = reviews = 0
        eligible = self._eligible(self._decks(), now)
        for deck, new_left, rev_left in self._remaining(now, int(params["day_ms"])):  # type: ignore[arg-type]
            scope = f" AND c.deck_id = :deck{self._kind_filter(deck)}"
            p = {**params, "deck": deck.id}
            learning += self.db.execute(
                f"SELECT count(*) FROM cards c WHERE c.state IN (1, 3) AND c.due < :end_ms"
                f"{scope} AND {eligible}",
                p,
            ).fetchone()[0]
            # Only one card per question is studied a day (siblings are buried), so count
            # questions, and stop counting once the daily limit is reached.
            if rev_left:
                reviews += self.db.execute(
                    "SELECT count(*) FROM (SELECT DISTINCT c.question_id FROM cards c "
                    f"WHERE c.state = 2 AND c.due < :end_ms{scope} "
                    "AND (c.last_review IS NULL OR c.last_review < :day_ms) "
                    f"AND {eligible} LIMIT :lim)",
                    {**p, "lim": rev_left},
                ).fetchone()[0]
            if new_left:
                # Through the new-card index: only the deck's new cards are read, not all.
                new += self.db.execute(
                    "SELECT count(*) FROM (SELECT DISTINCT c.question_id FROM cards c "
                    f"INDEXED BY cards_new WHERE c.state = 0{scope} AND {eligible} LIMIT :lim)",
                    {**p, "lim": new_left},
                ).fetchone()[0]
        return Counts(new, learning, reviews)

    def next_due(self, now: datetime) -> datetime | None:
        """When the next card becomes available, for when nothing is left now."""
        scope = self._scope(self._decks())
        hour = self._day_starts_at()
        _, day_end = self._bounds(now)
        candidates = []
        learning = self.db.execute(
            "SELECT min(c.due) FROM cards c WHERE c.state IN (1, 3) AND c.suspended = 0 "
            f"AND c.retired = 0 AND c.due > :now{scope}",
            {"now": clock.to_ms(now)},
        ).fetchone()[0]
        if learning is not None:
            candidates.append(clock.from_ms(learning))
        review_due = self.db.execute(
            "SELECT min(c.due) FROM cards c WHERE c.state = 2 AND c.suspended = 0 "
            f"AND c.retired = 0{scope}"
        ).fetchone()[0]
        if review_due is not None:
            # Review cards are due for their whole study day; one due today but held back
            # (daily limit, burying) waits for tomorrow.
            due = clock.from_ms(review_due)
            candidates.append(day_end if due < day_end else clock.day_start(due, hour))
        has_new = self.db.execute(
            "SELECT 1 FROM cards c WHERE c.state = 0 AND c.suspended = 0 "
            f"AND c.retired = 0{scope} LIMIT 1"
        ).fetchone()
        if has_new:
            candidates.append(day_end)  # held back by today's limit or by burying
        return min(candidates) if candidates else None

    def new_available(self) -> int:
        """New cards in scope that are not suspended (for "learn more today")."""
        scope = self._scope(self._decks())
        return self.db.execute(
            f"SELECT count(*) FROM cards c WHERE c.state = 0 AND c.suspended = 0 "
            f"AND c.retired = 0{scope}"
        ).fetchone()[0]

    def learn_more(self, now: datetime) -> int:
        """Raise today's new-card limit of every deck in scope by its `new_per_day`.

        Returns how many more new cards that allows in total (as Anki's custom study).
        """
        today = clock.study_date(now, self._day_starts_at()).isoformat()
        added = 0
        with write_transaction(self.db):
            for deck in self._decks():
                extra = deck.extra_new if deck.extra_new_day == today else 0
                step = deck.config.new_per_day or 10
                self.db.execute(
                    "UPDATE decks SET extra_new_day = ?, extra_new = ? WHERE id = ?",
                    [today, extra + step, deck.id],
                )
                added += step
        return added

    # -- cards ---------------------------------------------------------------------------------
    def study_card(self, card_id: int) -> StudyCard:
        row = self.db.execute(
            f"SELECT c.deck_id, d.name, c.question_id, c.kind, {_prefixed(repo.CARD_COLUMNS)} "
            "FROM cards c JOIN decks d ON d.id = c.deck_id WHERE c.id = ?",
            [card_id],
        ).fetchone()
        if row is None:
            raise SessionError(f"no card {card_id} (see `drill next` for the card to study)")
        deck_id, deck_name, question_id, kind = row[:4]
        record = repo.record_from_row(row[4:])
        question = repo.get_question(self.db, deck_id, question_id)
        assert question is not None  # the foreign key guarantees it
        kind = CardKind(kind)
        prompt, index = rotated_prompt(question, kind, record.reps)
        return StudyCard(card_id, deck_id, deck_name, kind, record, question, prompt, index)

    def config_for(self, deck_id: str) -> StudyConfig:
        return repo.decks(self.db, deck_id)[0].config

    def preview(self, card: StudyCard, now: datetime) -> dict[Rating, timedelta]:
        """The interval each rating would give this card now."""
        config = self.config_for(card.deck_id)
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
        with write_transaction(self.db):
            info = repo.get_card(self.db, card_id)
            if info is None:
                raise SessionError(f"no card {card_id}")
            if self.deck_id is not None and info.deck_id != self.deck_id:
                raise SessionError(f"card {card_id} is not in deck '{self.deck_id}'")
            config = self.config_for(info.deck_id)
            before = info.record
            after = review(scheduler_for(config), card_id, before, rating, now, duration_ms)
            after = deadline.clamp(after, info.kind, config, now, self._day_starts_at())
            repo.write_card(self.db, card_id, after)
            cursor = self.db.execute(
                "INSERT INTO reviews (card_id, deck_id, review_time, rating, review_state, "
                "duration_ms, card_before) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [
                    card_id,
                    info.deck_id,
                    clock.to_ms(now),
                    int(rating),
                    before.state,
                    duration_ms,
                    json.dumps(before.to_dict()),
                ],
            )
            review_id = cursor.lastrowid
        assert review_id is not None
        return Rated(card_id, rating, after, review_id)

    def undo(self) -> Undone | None:
        """Revert the most recently recorded rating in scope; None when there is none."""
        with write_transaction(self.db):
            sql = "SELECT id, card_id, rating, card_before FROM reviews"
            params: list[object] = []
            if self.deck_id is not None:
                sql += " WHERE deck_id = ?"
                params.append(self.deck_id)
            row = self.db.execute(sql + " ORDER BY id DESC LIMIT 1", params).fetchone()
            if row is None:
                return None
            review_id, card_id, rating, before_json = row
            reset_at = self.db.execute(
                "SELECT reset_at FROM cards WHERE id = ?", [card_id]
            ).fetchone()[0]
            if reset_at is not None and reset_at >= self._review_time(review_id):
                raise SessionError(
                    "the last rating was made before its card was reset; nothing to undo"
                )
            if before_json is None:
                raise SessionError(
                    "the last review was imported from a history file and cannot be undone"
                )
            record = CardRecord.from_dict(json.loads(before_json))
            repo.write_card(self.db, card_id, record)
            self.db.execute("DELETE FROM reviews WHERE id = ?", [review_id])
        return Undone(card_id, Rating(rating), record)

    def _review_time(self, review_id: int) -> int:
        return self.db.execute(
            "SELECT review_time FROM reviews WHERE id = ?", [review_id]
        ).fetchone()[0]

    def suspend(self, card_id: int, suspended: bool = True) -> None:
        with write_transaction(self.db):
            self.db.execute(
                "UPDATE cards SET suspended = ? WHERE id = ?", [1 if suspended else 0, card_id]
            )

    def suspend_question(self, deck_id: str, question_id: str, suspended: bool = True) -> int:
        """Suspend (or unsuspend) every card of a question at once; returns cards changed."""
        with write_transaction(self.db):
            cursor = self.db.execute(
                "UPDATE cards SET suspended = ? WHERE deck_id = ? AND question_id = ? "
                "AND retired = 0",
                [1 if suspended else 0, deck_id, question_id],
            )
        return cursor.rowcount

    def reset_question(self, deck_id: str, question_id: str, now: datetime) -> int:
        """Start every card of a question afresh, as new; returns cards reset.

        The reviews stay (they happened, and stats count them), but the cards' schedule
        begins again now: a later history merge replays only reviews after the reset, and
        undo does not reach back past it.
        """
        fresh = CardRecord()
        with write_transaction(self.db):
            cursor = self.db.execute(
                "UPDATE cards SET state = ?, step = NULL, stability = NULL, difficulty = NULL, "
                "due = NULL, last_review = NULL, reps = 0, lapses = 0, buried_until = NULL, "
                "reset_at = ? WHERE deck_id = ? AND question_id = ?",
                [fresh.state, clock.to_ms(now), deck_id, question_id],
            )
        return cursor.rowcount

    def bury_question(self, card_id: int, now: datetime) -> None:
        """Hide every card of this card's question until the next study day."""
        _, day_end = self._bounds(now)
        with write_transaction(self.db):
            self.db.execute(
                "UPDATE cards SET buried_until = ? WHERE (deck_id, question_id) = "
                "(SELECT deck_id, question_id FROM cards WHERE id = ?)",
                [clock.to_ms(day_end), card_id],
            )


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _prefixed(columns: str) -> str:
    return ", ".join(f"c.{c.strip()}" for c in columns.split(","))
