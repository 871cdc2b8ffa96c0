"""The cards the prep plan's simulation starts from (`drill plan`, home's plan).

Apart from storage/workload.py, whose other queries the daily budget runs at every start-up
(`drill next`), so that start-up does not create this class.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from drill.core.model import CardKind, CardRecord
from drill.storage.workload import deck_list

if TYPE_CHECKING:
    from drill.storage.sqlite import Database


@dataclass(frozen=True, slots=True)
class PlanCard:
    """A card as the plan's simulation starts from it."""

    card_id: int
    deck_id: str
    question_id: str
    kind: CardKind
    record: CardRecord
    new_order: int
    buried_until: int | None


def plan_cards(db: Database, deck_ids: Sequence[str]) -> Iterator[PlanCard]:
    """The active cards (not suspended or retired) of these decks, in deck and queue order."""
    for row in db.execute(
        "SELECT c.id, c.deck_id, c.question_id, c.kind, c.state, c.step, c.stability, "
        "c.difficulty, c.due, c.last_review, c.reps, c.lapses, c.new_order, c.buried_until "
        "FROM cards c JOIN decks d ON d.id = c.deck_id "
        f"WHERE c.suspended = 0 AND c.retired = 0 AND c.deck_id IN {deck_list(deck_ids)} "
        "ORDER BY d.position, d.id, c.new_order"
    ):
        yield PlanCard(
            row[0], row[1], row[2], CardKind(row[3]), CardRecord(*row[4:12]), row[12], row[13]
        )
