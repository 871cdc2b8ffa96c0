"""Every question with its cards and history, for browsing and searching a collection.

The browser lists `BrowseEntry`s: a question's text and what search matches, nothing more,
so fifty thousand of them load in a fraction of a second and take a few megabytes. A
question's cards are read when its row is drawn (`entry_cards`), and its full content when
its page opens (`browse_row`).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from drill.core import clock
from drill.core.model import CardInfo, CardKind, Question, Rating
from drill.core.scheduling import retrievability
from drill.storage import repo, reviews

if TYPE_CHECKING:
    from drill.storage.sqlite import Database


@dataclass(frozen=True, slots=True)
class BrowseRow:
    """A question with its deck and its (not retired) cards, for the browser."""

    deck_id: str
    deck_name: str
    question: Question
    cards: list[CardInfo]

    @property
    def key(self) -> str:
        return f"{self.deck_id}/{self.question.id}"

    @property
    def lapses(self) -> int:
        return sum(card.record.lapses for card in self.cards)

    @property
    def suspended(self) -> bool:
        """True when every card of the question is suspended."""
        return bool(self.cards) and all(card.suspended for card in self.cards)

    def card(self, kind: CardKind) -> CardInfo | None:
        return next((card for card in self.cards if card.kind == kind), None)

    def matches(self, query: str) -> bool:
        """Case-insensitive match of every word against question text, variants and tags."""
        haystack = " ".join(
            [self.question.question, *self.question.variants, *self.question.tags]
        ).casefold()
        return all(word in haystack for word in query.casefold().split())


@dataclass(frozen=True, slots=True)
class BrowseEntry:
    """A question as the browser lists it: its deck, id and text, and `search`, the
    question, its variants and its tags in one casefolded line.
    """

    deck_id: str
    deck_name: str
    question_id: str
    text: str
    search: str

    @property
    def key(self) -> str:
        return f"{self.deck_id}/{self.question_id}"


def browse_entries(db: Database) -> list[BrowseEntry]:
    """Every question of every deck, in display order (one query)."""
    decks = {deck.id: (deck.id, deck.name) for deck in repo.decks(db)}
    out = []
    for deck_id, question_id, text, variants, tags in repo.browse_index(db):
        # Every entry of a deck shares the deck's two strings.
        shared_id, name = decks.setdefault(deck_id, (deck_id, deck_id))
        search = f"{text} {_words(variants)} {_words(tags)}".casefold()
        out.append(BrowseEntry(shared_id, name, question_id, text, search))
    return out


def _words(stored: str) -> str:
    """A stored JSON list of strings as its items joined by spaces.

    Without a backslash the JSON holds no escape, so no item holds a quote and the items
    are the text between `["` and `"]` split at `", "` (json.dumps' separator): a
    replacement, where json.loads would take longer than everything else the browser does.
    """
    if stored == "[]":
        return ""
    if "\\" not in stored and stored.startswith('["') and stored.endswith('"]'):
        return stored[2:-2].replace('", "', " ")
    return " ".join(str(item) for item in json.loads(stored))


def search_words(query: str) -> list[str]:
    """The words of a search, casefolded: a question matches when it holds every one."""
    return query.casefold().split()


def matching(
    entries: Sequence[BrowseEntry], words: Sequence[str], among: Iterable[int] | None = None
) -> list[int]:
    """Indexes of the entries (of `among`, if given) whose text, variants or tags contain
    every word, in order.
    """
    indexes = range(len(entries)) if among is None else among
    if not words:
        return list(indexes)
    return [i for i in indexes if all(word in entries[i].search for word in words)]


def entry_cards(db: Database, deck_id: str, question_id: str) -> list[CardInfo]:
    """A question's cards that are not retired, in card order."""
    return repo.question_cards(db, deck_id, question_id)


def browse_row(db: Database, deck_id: str, question_id: str) -> BrowseRow | None:
    """One question of the browser, fresh from the database."""
    question = repo.get_question(db, deck_id, question_id)
    if question is None:
        return None
    name = repo.decks(db, deck_id)[0].name
    return BrowseRow(deck_id, name, question, repo.question_cards(db, deck_id, question_id))


@dataclass(frozen=True, slots=True)
class ReviewEntry:
    """One past rating of a card of a question."""

    time: datetime
    kind: CardKind
    rating: Rating
    state: int
    duration_ms: int | None


def question_reviews(db: Database, deck_id: str, question_id: str) -> list[ReviewEntry]:
    """Every review of the question's cards, newest first."""
    return [
        ReviewEntry(clock.from_ms(time), CardKind(kind), Rating(rating), state, duration)
        for time, kind, rating, state, duration in reviews.question_reviews(
            db, deck_id, question_id
        )
    ]


def recall_now(db: Database, row: BrowseRow, now: datetime) -> dict[int, float | None]:
    """{card id: probability of recall now} for the question's cards (None: never reviewed)."""
    config = repo.decks(db, row.deck_id)[0].config
    return {card.id: retrievability(config, card.record, now) for card in row.cards}
