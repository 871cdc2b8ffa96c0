"""Exporting a stored deck for Anki: its questions, and with history its cards and reviews."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from drill.io.anki.writer import ApkgSummary, write_apkg
from drill.library.exports import load_deck
from drill.library.history import with_states_before
from drill.storage import repo, reviews

if TYPE_CHECKING:
    from drill.storage.sqlite import Database


def export_apkg(
    db: Database, deck_id: str, target: Path, now: datetime, *, with_history: bool = False
) -> ApkgSummary:
    """Write deck `deck_id` as an Anki package at `target` (replaced atomically).

    With `with_history`, cards carry their scheduling state and the review log is included;
    otherwise every card is new.
    """
    deck = load_deck(db, deck_id)
    info = repo.decks(db, deck_id)[0]
    return write_apkg(
        deck,
        target,
        now,
        cards=list(repo.iter_cards(db, deck_id)) if with_history else (),
        reviews=with_states_before(db, reviews.deck_reviews(db, deck_id)) if with_history else None,
        retention=info.config.desired_retention,
    )
