"""Undo: taking back what a screen did, newest first, exactly as it was.

A screen keeps an `UndoStack` of the `Change`s it made (ratings, burying, suspending,
resetting) and undoes only those: never a rating made on another screen, in another window
or from the command line. Each change carries the state of every card it touched before and
after; undo restores the before-state only while the cards are still as the change left them,
so it never overwrites something done elsewhere since.

The command line has no screen to remember for it: `drill undo` takes back the newest rating
in the database (`undo_latest_rating`).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from drill.core.leech import became_leech
from drill.core.model import CardKind, CardRecord, CardSnapshot, Rating
from drill.errors import DrillError
from drill.storage import repo, reviews
from drill.storage.sqlite import write_transaction

if TYPE_CHECKING:
    from drill.storage.sqlite import Database

# Long questions are cut in messages: a toast is a line or two, not the whole question.
QUOTE_LIMIT = 60


class UndoError(DrillError):
    pass


class Action(StrEnum):
    """What a change did."""

    RATE = "rate"
    BURY = "bury"
    SUSPEND = "suspend"
    UNSUSPEND = "unsuspend"
    RESET = "reset"


def quote(text: str, limit: int = QUOTE_LIMIT) -> str:
    """A question in quotes, cut to `limit` characters: “Tell me about yourself.”"""
    text = " ".join(text.split())
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return f"“{text}”"


@dataclass(frozen=True, slots=True)
class Change:
    """One thing done to a question's cards, with their state before and after.

    `kind` is the card acted on when the change was to one card (a rating, suspending a card
    in review); None when it was to the whole question (burying, browse's suspend, reset).
    `card_id` is the card to show again after undoing it.
    """

    action: Action
    deck_id: str
    question_id: str
    question: str
    card_id: int
    kind: CardKind | None
    before: tuple[CardSnapshot, ...]
    after: tuple[CardSnapshot, ...]
    rating: Rating | None = None
    review_id: int | None = None

    @property
    def cards(self) -> int:
        """How many cards the change touched."""
        return len(self.after)

    @property
    def label(self) -> str:
        """ "Good", "bury", "suspend"..."""
        if self.action == Action.RATE and self.rating is not None:
            return self.rating.label
        return self.action.value

    def _on(self) -> str:
        where = quote(self.question)
        return f"{where} ({self.kind.value} card)" if self.kind is not None else where

    def undone_message(self) -> str:
        """What undo says it did: "Undid Good on “Tell me about yourself.” (rehearse card)"."""
        joiner = "on" if self.action == Action.RATE else "of"
        return f"Undid {self.label} {joiner} {self._on()}"


def capture(db: Database, card_ids: list[int]) -> tuple[CardSnapshot, ...]:
    """The cards' state now (run inside the change's transaction, before and after it)."""
    return repo.snapshot_cards(db, card_ids)


def undo_change(db: Database, change: Change) -> None:
    """Restore the cards to their state before `change`, in one transaction.

    Raises UndoError, changing nothing, when the cards are no longer as the change left them
    (rated, suspended or reset since, in another window or process).
    """
    with write_transaction(db):
        now = repo.snapshot_cards(db, [snap.card_id for snap in change.after])
        stale = now != change.after
        if change.review_id is not None and not reviews.review_exists(db, change.review_id):
            stale = True
        if stale:
            joiner = "on" if change.action == Action.RATE else "of"
            raise UndoError(
                f"can't undo {change.label} {joiner} {change._on()}: its cards have changed "
                "since (studied in another window?)"
            )
        if change.review_id is not None:
            reviews.delete_review(db, change.review_id)
        repo.restore_cards(db, change.before)


class UndoStack:
    """A screen's own changes, newest last. Undo takes them back one at a time."""

    def __init__(self) -> None:
        self._changes: list[Change] = []

    def __len__(self) -> int:
        return len(self._changes)

    def push(self, change: Change) -> None:
        self._changes.append(change)

    def undo(self, db: Database) -> Change | None:
        """Take back the newest change and return it; None when there is nothing to undo.

        A change that can no longer be undone (UndoError) is forgotten: it never could be.
        """
        if not self._changes:
            return None
        change = self._changes.pop()
        undo_change(db, change)
        return change


# -- the command line's undo ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Undone:
    """A rating taken back by `drill undo`, and the card's restored state."""

    card_id: int
    rating: Rating
    record: CardRecord
    deck_id: str
    question_id: str
    question: str
    kind: CardKind

    def message(self) -> str:
        """ "Undid Good on card 1: “What goals…?” (rehearse card)."""
        return (
            f"Undid {self.rating.label} on card {self.card_id}: {quote(self.question)} "
            f"({self.kind.value} card)."
        )


def undo_latest_rating(db: Database, deck_id: str | None = None) -> Undone | None:
    """Revert the newest rating in the database (of one deck, if given); None when none."""
    with write_transaction(db):
        last = reviews.latest_review(db, deck_id)
        if last is None:
            return None
        reset_at = repo.card_reset_at(db, last.card_id)
        if reset_at is not None and reset_at >= last.time_ms:
            raise UndoError("the last rating was made before its card was reset; nothing to undo")
        before = last.before
        if before is None:
            # Replayed reviews (history imports, new FSRS parameters) don't keep the state
            # before them: the reviews before this one give it.
            from drill.library.history import state_before

            before = state_before(db, last.card_id, last.id)
        info = repo.get_card(db, last.card_id)
        assert info is not None  # a review's card is never deleted without it
        if info.suspended:
            # A rating that suspended a leech is undone with its suspension.
            config = repo.decks(db, info.deck_id)[0].config
            if config.leech_action == "suspend" and became_leech(
                config, info.kind, before, info.record
            ):
                repo.set_suspended(db, last.card_id, False)
        repo.write_card(db, last.card_id, before)
        reviews.delete_review(db, last.id)
        question = repo.question_text(db, info.deck_id, info.question_id)
    return Undone(
        last.card_id, last.rating, before, info.deck_id, info.question_id, question, info.kind
    )
