"""Streaming exports of progress, review history and decks.

Rows are produced from a cursor one at a time and written as they come, so exporting a
million reviews uses constant memory.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import IO, TYPE_CHECKING, Any

from drill.core.format import iso_ms
from drill.core.model import CardState, Deck
from drill.core.sanitize import json_text
from drill.core.scheduling import retrievability
from drill.io.reviews_csv import COLUMNS
from drill.storage import repo, reviews

if TYPE_CHECKING:
    from drill.storage.sqlite import Database

PROGRESS_COLUMNS = (
    "deck",
    "question_id",
    "kind",
    "card_id",
    "state",
    "due",
    "stability",
    "difficulty",
    "retrievability",
    "reps",
    "lapses",
    "last_review",
    "suspended",
)
# The first five are the FSRS optimizer's revlog columns (the reviews format owns them).
REVIEW_COLUMNS = COLUMNS


def progress_rows(
    db: Database, now: datetime, deck_id: str | None = None
) -> Iterator[dict[str, Any]]:
    """One row per card (retired cards excluded), in deck and file order."""
    configs = {d.id: d.config for d in repo.decks(db, deck_id)}
    for card in repo.iter_cards(db, deck_id):
        record = card.record
        r = retrievability(configs[card.deck_id], record, now)
        yield {
            "deck": card.deck_id,
            "question_id": card.question_id,
            "kind": card.kind.value,
            "card_id": card.id,
            "state": CardState(record.state).label,
            "due": iso_ms(record.due),
            "stability": record.stability,
            "difficulty": record.difficulty,
            "retrievability": round(r, 6) if r is not None else None,
            "reps": record.reps,
            "lapses": record.lapses,
            "last_review": iso_ms(record.last_review),
            "suspended": card.suspended,
        }


def review_rows(db: Database, deck_id: str | None = None) -> Iterator[dict[str, Any]]:
    """One row per review, oldest first, in the FSRS optimizer's revlog shape plus names."""
    if deck_id is not None:
        repo.decks(db, deck_id)
    for row in reviews.iter_export_rows(db, deck_id):
        yield dict(zip(REVIEW_COLUMNS, row, strict=True))


def write_csv(rows: Iterable[dict[str, Any]], columns: tuple[str, ...], out: IO[str]) -> int:
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    count = 0
    for row in rows:
        writer.writerow({k: ("" if v is None else v) for k, v in row.items()})
        count += 1
    return count


def write_json_array(rows: Iterable[dict[str, Any]], out: IO[str]) -> int:
    """A JSON array written one object at a time."""
    count = 0
    out.write("[")
    for row in rows:
        out.write(",\n  " if count else "\n  ")
        out.write(json_text(row))
        count += 1
    out.write("\n]\n" if count else "]\n")
    return count


def load_deck(db: Database, deck_id: str) -> Deck:
    """A stored deck as a model Deck (for export)."""
    info = repo.decks(db, deck_id)[0]
    return Deck(
        id=info.id,
        name=info.name,
        description=info.description,
        questions=list(repo.iter_questions(db, deck_id)),
        license=info.license,
        version=info.version,
    )
