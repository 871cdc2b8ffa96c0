"""Per-deck summaries for `drill decks` and the home screen."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlite_utils import Database

from drill.session import ReviewSession
from drill.storage import repo


def deck_summaries(db: Database, now: datetime) -> list[dict[str, Any]]:
    """For each deck: card totals by state, and what is left to study today.

    `new`, `learning`, `review` and `suspended` count cards in that state; `due` is what
    is due today (learning and review, within the daily limit) and `new_today` the new
    cards today's limit still allows.
    """
    totals = {
        row[0]: row[1:]
        for row in db.execute(
            "SELECT deck_id, count(*), "
            "sum(state = 0 AND suspended = 0), sum(state IN (1, 3) AND suspended = 0), "
            "sum(state = 2 AND suspended = 0), sum(suspended) "
            "FROM cards WHERE retired = 0 GROUP BY deck_id"
        )
    }
    questions = dict(
        db.execute("SELECT deck_id, count(*) FROM questions GROUP BY deck_id").fetchall()
    )
    out = []
    for deck in repo.decks(db):
        cards, new, learning, review, suspended = totals.get(deck.id, (0, 0, 0, 0, 0))
        counts = ReviewSession(db, deck.id).counts(now)
        out.append(
            {
                "id": deck.id,
                "name": deck.name,
                "questions": questions.get(deck.id, 0),
                "cards": cards,
                "new": new or 0,
                "learning": learning or 0,
                "review": review or 0,
                "due": counts.learning + counts.review,
                "new_today": counts.new,
                "suspended": suspended or 0,
            }
        )
    return out
