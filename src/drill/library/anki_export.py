"""Exporting a stored deck for Anki: its questions, and with history its cards and reviews."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from drill.files import output_binary, protected_files
from drill.io.anki.writer import ApkgSummary, write_apkg
from drill.library.exports import load_deck
from drill.library.history import with_states_before
from drill.storage import repo, reviews
from drill.storage.backup import database_path

if TYPE_CHECKING:
    from drill.storage.sqlite import Database


def export_apkg(
    db: Database, deck_id: str, target: Path, now: datetime, *, with_history: bool = False
) -> ApkgSummary:
    """Write deck `deck_id` as an Anki package at `target` (written by drill.files:
    atomically, never over the database).

    With `with_history`, cards carry their scheduling state and the review log is included;
    otherwise every card is new.
    """
    deck = load_deck(db, deck_id)
    info = repo.decks(db, deck_id)[0]
    cards = list(repo.iter_cards(db, deck_id)) if with_history else []
    history = with_states_before(db, reviews.deck_reviews(db, deck_id)) if with_history else None
    with output_binary(target, protect=protected_files(database_path(db))) as out:
        return write_apkg(
            deck, out, now, cards=cards, reviews=history, retention=info.config.desired_retention
        )
