"""Query shapes that keep drill flat as collections grow (not timed: scripts/bench.py times).

Each test pins what makes a hot path independent of size: the index a query reads, or a
count kept up to date instead of recounted. The counts a session keeps are checked against
counting afresh after every step of a random study day.
"""

from __future__ import annotations

import random
import sqlite3
from datetime import timedelta

import pytest

from drill.core.model import Rating
from drill.library.importing import import_decks
from drill.progress import overview
from drill.storage import queue, repo
from drill.storage.db import open_database
from drill.study.session import ReviewSession
from tests.helpers import NOW, parse
from tests.test_session import deck_text

MINUTE = timedelta(minutes=1)


def plan(db, sql, params=()):
    return " | ".join(row[3] for row in db.execute("EXPLAIN QUERY PLAN " + sql, params))


def capture(db):
    """Every SQL statement run on the connection from now on."""
    seen: list[str] = []
    db.conn.set_trace_callback(seen.append)
    return seen


@pytest.fixture
def decks(db):
    import_decks(db, [parse(deck_text(f"Deck {i}", 4)) for i in range(6)], NOW)
    repo.set_config(db, None, "new_per_day", "3")
    return db


def test_per_deck_counts_read_the_deck_state_due_index(decks):
    session = ReviewSession(decks)
    seen = capture(decks)
    session.counts(NOW)
    decks.conn.set_trace_callback(None)
    counting = [sql for sql in seen if "count(*)" in sql and "state IN (1, 3)" in sql]
    assert counting, seen
    for sql in counting + [sql for sql in seen if "c.state = 2" in sql and "count" in sql]:
        # Bound parameters are inlined in the trace; the plan is what matters.
        detail = plan(decks, sql)
        assert "USING INDEX cards_deck_due (deck_id=? AND state=? AND due<?)" in detail, detail


def test_the_overview_of_many_decks_asks_each_deck_once(decks):
    seen = capture(decks)
    rows = overview.deck_summaries(decks, NOW)
    decks.conn.set_trace_callback(None)
    assert len(rows) == 6
    # A few reads of the settings and the deck list, however many decks (the old overview
    # built a session per deck, each reading the settings, the decks and today's reviews).
    assert sum("FROM decks" in sql for sql in seen) <= 2
    assert sum("FROM settings" in sql for sql in seen) <= 4
    assert sum("FROM reviews" in sql for sql in seen) == 1


def test_the_overview_matches_each_deck_studied_alone(decks):
    session = ReviewSession(decks)
    for _ in range(7):
        card = session.next_card(NOW)
        session.rate(card.card_id, Rating.AGAIN, NOW)
    for row in overview.deck_summaries(decks, NOW):
        alone = ReviewSession(decks, row.id).counts(NOW)
        assert (row.new_today, row.learning_today, row.review_today) == (
            alone.new,
            alone.learning,
            alone.review,
        )


def test_counts_kept_through_ratings_equal_counting_afresh(decks):
    rng = random.Random(3)
    # Deadline mode in one deck: its siblings are not buried, its new-card limit rises.
    repo.set_config(decks, "deck-2", "interview_date", (NOW + timedelta(days=3)).date().isoformat())
    session = ReviewSession(decks)
    now = NOW
    for day in range(4):
        repo.set_config(decks, "deck-1", "reviews_per_day", str(rng.choice((1, 2, 50))))
        for _ in range(25):
            card = session.next_card(now)
            kept = session.counts(now)
            assert kept == ReviewSession(decks).counts(now), (day, now)
            if card is None:
                break
            session.rate(card.card_id, Rating(rng.choice((1, 2, 3, 3, 4))), now)
            now += MINUTE * rng.choice((1, 3, 12))
        now = NOW + timedelta(days=day + 1, hours=rng.choice((0, 5)))


def test_counts_are_counted_again_after_another_program_writes(tmp_path):
    path = tmp_path / "drill.db"
    db = open_database(path)
    import_decks(db, [parse(deck_text("Alpha", 3))], NOW)
    session = ReviewSession(db)
    before = session.counts(NOW)
    other = sqlite3.connect(path)
    other.execute("UPDATE cards SET suspended = 1 WHERE question_id = 'q1'")
    other.commit()
    other.close()
    assert session.counts(NOW).new == before.new - 1
    db.close()


def test_counts_are_counted_again_after_a_write_on_the_same_connection(decks):
    repo.set_config(decks, None, "new_per_day", "10")
    session = ReviewSession(decks)
    before = session.counts(NOW)
    ReviewSession(decks).suspend_question("deck-0", "q1")
    assert session.counts(NOW).new == before.new - 1


def test_a_question_share_sums_to_its_deck_count(decks):
    session = ReviewSession(decks)
    for _ in range(9):
        card = session.next_card(NOW)
        session.rate(card.card_id, Rating.HARD, NOW)
    window = session._window(NOW)
    for scope in session._scopes(NOW, window.day_ms):
        total = queue.deck_counts(decks, scope, window, capped=False)
        ids = [
            r[0]
            for r in decks.execute("SELECT id FROM questions WHERE deck_id = ?", [scope.deck_id])
        ]
        shares = [queue.question_counts(decks, scope, q, window) for q in ids]
        assert total == tuple(sum(col) for col in zip(*shares, strict=True))


# -- figures: the calendar, the stats window and the forecast read indexes only ---------------


def statements(db, run):
    seen = capture(db)
    try:
        run()
    finally:
        db.conn.set_trace_callback(None)
    return seen


def studied(decks):
    session = ReviewSession(decks)
    for _ in range(12):
        card = session.next_card(NOW)
        session.rate(card.card_id, Rating.GOOD, NOW)
    return decks


def test_the_calendar_counts_reviews_in_the_time_index_alone(decks):
    from drill.progress import stats

    seen = statements(studied(decks), lambda: stats.heatmap(decks, NOW, days=14))
    counting = [sql for sql in seen if "FROM reviews" in sql]
    assert len(counting) == 14
    for sql in counting:
        assert "USING COVERING INDEX reviews_time" in plan(decks, sql), sql


def test_stats_read_reviews_and_due_cards_from_covering_indexes(decks):
    from drill.progress import stats

    seen = statements(studied(decks), lambda: stats.collect(decks, NOW))
    windows = [sql for sql in seen if "FROM reviews" in sql and "review_time >=" in sql]
    forecast = [sql for sql in seen if "FROM cards" in sql and "due <" in sql]
    assert windows and forecast
    for sql in windows:
        assert "COVERING INDEX reviews_deck_time" in plan(decks, sql), sql
    for sql in forecast:
        assert "COVERING INDEX cards_due" in plan(decks, sql), sql


def test_card_figures_of_every_deck_scan_the_table_once(decks):
    from drill.progress import stats

    seen = statements(studied(decks), lambda: stats.collect(decks, NOW))
    totals = [
        sql for sql in seen if "sum(c.suspended = 0 AND c.state = 0)" in sql or "sum(pow(" in sql
    ]
    assert len(totals) == 2
    for sql in totals:
        # An index lookup per card is several times slower than a scan when all are read.
        assert (
            "SCAN c" in plan(decks, sql)
            and "INDEX" not in plan(decks, sql).split("SCAN c")[1].split("|")[0]
        )


def test_replaying_reads_each_card_history_from_one_index(decks):
    from drill.storage import reviews

    studied(decks)
    sql = "SELECT card_id, id, review_time, rating, review_state FROM reviews ORDER BY card_id, review_time, id"
    assert "COVERING INDEX reviews_card_time" in plan(decks, sql)
    assert list(reviews.card_histories(decks)) == decks.execute(sql).fetchall()


def test_every_deck_counted_at_once_equals_each_deck_counted_alone(decks):
    repo.set_config(decks, "deck-2", "interview_date", (NOW + timedelta(days=3)).date().isoformat())
    repo.set_config(decks, "deck-3", "card_kinds", "rehearse")
    session = ReviewSession(decks)
    for _ in range(10):
        card = session.next_card(NOW)
        session.rate(card.card_id, Rating.AGAIN, NOW)
    window = session._window(NOW)
    scopes = session._scopes(NOW, window.day_ms)
    assert len({(s.kinds, s.bury_siblings) for s in scopes}) == 3
    together = queue.decks_counts(decks, scopes, window)
    assert together == {
        s.deck_id: queue.deck_counts(decks, s, window, capped=False) for s in scopes
    }
    # Three grouped statements per kind of deck, not three per deck.
    seen = statements(decks, lambda: queue.decks_counts(decks, scopes, window))
    assert len(seen) == 3 * 3


def test_counts_kept_for_a_job_set_equal_counting_afresh(decks):
    """A job's set narrows each deck to some questions: kept counts stay equal to fresh ones."""
    only = {"deck-0": frozenset({"q1", "q3"}), "deck-4": frozenset({"q2"})}
    session = ReviewSession(decks, only=only)
    now = NOW
    for _ in range(12):
        card = session.next_card(now)
        assert session.counts(now) == ReviewSession(decks, only=only).counts(now)
        if card is None:
            break
        assert (card.deck_id, card.question_id) in {(d, q) for d, qs in only.items() for q in qs}
        session.rate(card.card_id, Rating.AGAIN, now)
        now += MINUTE * 3
