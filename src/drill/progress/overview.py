"""Per-deck summaries for `drill decks` and the home screen."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlite_utils import Database

from drill.core import deadline
from drill.progress import stats
from drill.storage import repo
from drill.study.session import ReviewSession


def deck_summaries(db: Database, now: datetime) -> list[dict[str, Any]]:
    """For each deck: card totals by state, and what is left to study today.

    `new`, `learning`, `review` and `suspended` count cards in that state; `due` is what
    is due today (`learning_today` plus `review_today`, within the daily limit) and
    `new_today` the new cards today's limit still allows. `interview` is the countdown of a
    deck with an interview date ahead, else None.
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
    hour = repo.collection_config(db).day_starts_at
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
                "learning_today": counts.learning,
                "review_today": counts.review,
                "new_today": counts.new,
                "suspended": suspended or 0,
                "interview": interview_countdown(db, deck, now, hour),
            }
        )
    return out


def interview_countdown(
    db: Database, deck: repo.DeckInfo, now: datetime, day_starts_at: int
) -> dict[str, Any] | None:
    """For a deck with an interview ahead: the date, days left, the share of questions seen
    so far, and the mean predicted recall of its studied cards on the interview day.
    """
    countdown = deadline.countdown(deck.config, now, day_starts_at)
    if countdown is None:
        return None
    day, left, starts = countdown
    total, seen = db.execute(
        "SELECT count(*), sum(EXISTS (SELECT 1 FROM cards c WHERE c.deck_id = q.deck_id "
        "AND c.question_id = q.id AND c.state != 0)) FROM questions q WHERE q.deck_id = ?",
        [deck.id],
    ).fetchone()
    recall = stats.mean_retrievability(db, starts, deck.id)
    return {
        "date": day.isoformat(),
        "days_left": left,
        "seen": round((seen or 0) / total, 4) if total else 0.0,
        "retrievability": round(recall, 4) if recall is not None else None,
    }
