"""What must hold of a collection after any crash: integrity, and cards that agree with logs."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from drill.core.model import CardRecord
from drill.library.history import replay
from drill.storage import repo
from drill.storage.db import open_database


def stored_reviews(db_path: Path, columns: str) -> set[tuple]:
    """`PRAGMA integrity_check` is ok; then the given columns of every stored review."""
    conn = sqlite3.connect(db_path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        return set(conn.execute(f"SELECT {columns} FROM reviews").fetchall())
    finally:
        conn.close()


def assert_cards_agree_with_logs(db_path: Path, deck_id: str) -> int:
    """Every card equals its review log replayed through FSRS: reps, state, last review, and
    the state before each review (what undo restores). Returns the number of reviews stored.
    """
    db = open_database(db_path)
    try:
        config = repo.decks(db, deck_id)[0].config
        for (card_id,) in db.execute("SELECT id FROM cards").fetchall():
            info = repo.get_card(db, card_id)
            record = info.record
            # Ratings at a fixed DRILL_NOW can share a time: order by id after time.
            log = db.execute(
                "SELECT review_time, rating, card_before FROM reviews WHERE card_id = ? "
                "ORDER BY review_time, id",
                [card_id],
            ).fetchall()
            assert record.reps == len(log), (card_id, record, log)
            assert (record.state == 0) == (not log), f"card {card_id}: NEW iff never reviewed"
            if not log:
                assert record == CardRecord(), f"card {card_id} changed without a review"
                continue
            assert record.last_review == log[-1][0]
            befores, replayed = replay(config, card_id, [(t, r) for t, r, _ in log], info.kind)
            assert record == replayed, f"card {card_id} disagrees with its review log"
            assert [CardRecord.from_dict(json.loads(b)) for _, _, b in log] == befores
        return db.execute("SELECT count(*) FROM reviews").fetchone()[0]
    finally:
        db.close()
