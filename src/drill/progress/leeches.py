"""Leeches: the questions the user keeps failing, and the help the coach offers for each.

A question is a leech when its rehearse card has lapsed `leech_threshold` times (see
core/leech.py). Leeches are listed by `drill stats` (text and JSON), on the stats screen
and in the report, each with three ways out: rewrite the answer starting from the
approach, link a story, or practise it now.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from drill.storage import figures, repo
from drill.storage import stories as story_table

if TYPE_CHECKING:
    from drill.storage.sqlite import Database


@dataclass(frozen=True, slots=True)
class Leech:
    deck_id: str
    deck_name: str
    question_id: str
    question: str
    card_id: int
    lapses: int
    threshold: int
    suspended: bool
    stories: int  # stories linked to the question

    @property
    def ref(self) -> str:
        return f"{self.deck_id}/{self.question_id}"

    @property
    def help(self) -> list[tuple[str, str]]:
        """What to do about it: (what, the command that does it)."""
        out = [("rewrite your answer from the approach", f"drill answer {self.ref} --edit")]
        if not self.stories:
            out.append(("link a story", f"drill story edit ID --link {self.ref}"))
        out.append(("practise it now", f"drill mock --question {self.ref}"))
        return out

    def to_json(self) -> dict[str, object]:
        return {
            "deck": self.deck_id,
            "question_id": self.question_id,
            "question": self.question,
            "card_id": self.card_id,
            "lapses": self.lapses,
            "threshold": self.threshold,
            "suspended": self.suspended,
            "stories": self.stories,
        }


def leeches(db: Database, deck_id: str | None = None) -> list[Leech]:
    """Every leech (of one deck), by deck, most lapses first."""
    out = []
    for deck in repo.decks(db, deck_id):
        threshold = deck.config.leech_threshold
        if threshold <= 0:
            continue
        for card_id, question_id, question, lapses, suspended in figures.leech_cards(
            db, deck.id, threshold
        ):
            linked = len(story_table.stories_for(db, deck.id, question_id))
            out.append(
                Leech(
                    deck.id,
                    deck.name,
                    question_id,
                    question,
                    card_id,
                    lapses,
                    threshold,
                    suspended,
                    linked,
                )
            )
    return out
