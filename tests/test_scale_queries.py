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
    # The deck limits decide here, not the time budget (issue 13), as in the other tests of
    # how counts are read.
    repo.set_config(db, None, "daily_minutes", "off")
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
    def reads(db):
        seen = capture(db)
        rows = overview.deck_summaries(db, NOW)
        db.conn.set_trace_callback(None)
        return rows, [
            sum(t in sql for sql in seen) for t in ("FROM decks", "FROM settings", "FROM reviews")
        ]

    rows, many = reads(decks)
    assert len(rows) == 6
    one = open_database(":memory:")
    import_decks(one, [parse(deck_text("Deck 0", 4))], NOW)
    repo.set_config(one, None, "new_per_day", "3")
    repo.set_config(one, None, "daily_minutes", "off")
    _, single = reads(one)
    # The deck list once, the settings three times (the collection's, the decks' and what
    # "learn more" granted) and the reviews once for each figure of the budget's (time
    # spent with the cards done, the three kinds' recent times, questions started) and twice
    # for first ratings (all, less today's: the day's estimates leave today out), the same
    # for six decks as for one: the old overview built a session per deck, each reading the
    # settings, the decks and today's reviews.
    assert many == single and many[0] <= 1 and many[1] <= 3 and many[2] <= 7, (many, single)


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
    for scope in session._scopes(NOW):
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


def test_card_figures_read_narrow_indexes_never_the_card_rows(decks):
    from drill.progress import stats

    studied(decks)
    # Set aside a few cards, so the counts subtract something.
    decks.execute("UPDATE cards SET suspended = 1 WHERE id IN (1, 2)")
    decks.execute("UPDATE cards SET retired = 1 WHERE id = 3")
    seen = statements(decks, lambda: stats.collect(decks, NOW))
    # The card counts, memory, mastered and weakest questions and the leeches (each names
    # the index it reads; the studied questions' count still reads card rows).
    cards = [sql for sql in seen if "FROM cards" in sql and "INDEXED BY cards_" in sql]
    plans = {sql: plan(decks, sql) for sql in cards}
    # The wide card rows are several times slower to read than these indexes' entries.
    for sql, detail in plans.items():
        steps = [
            step
            for step in detail.split(" | ")
            if step.split()[0] in ("SCAN", "SEARCH") and step.split()[1] in ("c", "cards")
        ]
        assert steps and all("COVERING INDEX" in step for step in steps), (sql, detail)
    used = " | ".join(plans.values())
    for index in ("cards_deck_due", "cards_set_aside", "cards_memory"):
        assert f"COVERING INDEX {index}" in used, used
    by_state = dict(
        decks.execute(
            "SELECT state, count(*) FROM cards WHERE retired = 0 AND suspended = 0 GROUP BY state"
        ).fetchall()
    )
    counted = stats.card_counts(decks)
    assert (counted.new, counted.learning, counted.review, counted.relearning) == tuple(
        by_state.get(state, 0) for state in range(4)
    )
    assert counted.suspended == 2


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
    scopes = session._scopes(NOW)
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


def test_deck_card_counts_read_indexes_and_equal_counting_the_rows(decks):
    from drill.storage import figures

    studied(decks)
    decks.execute("UPDATE cards SET suspended = 1 WHERE id IN (1, 2, 30)")
    decks.execute("UPDATE cards SET retired = 1 WHERE id IN (3, 30, 31)")  # 30 is both
    seen = statements(decks, lambda: figures.deck_card_states(decks))
    for sql in seen:
        steps = [s for s in plan(decks, sql).split(" | ") if s.split()[0] in ("SCAN", "SEARCH")]
        assert steps and all("COVERING INDEX" in s for s in steps), (sql, steps)
    direct = {
        row[0]: tuple(row[1:])
        for row in decks.execute(
            "SELECT deck_id, count(*), count(*) FILTER (WHERE state = 0 AND suspended = 0), "
            "count(*) FILTER (WHERE state IN (1, 3) AND suspended = 0), "
            "count(*) FILTER (WHERE state = 2 AND suspended = 0), "
            "count(*) FILTER (WHERE suspended != 0) FROM cards WHERE retired = 0 GROUP BY deck_id"
        )
    }
    assert figures.deck_card_states(decks) == direct
    assert sum(row[4] for row in direct.values()) == 2


def test_a_rating_counts_again_only_its_own_question(decks):
    """A session that keeps its counts re-reads, for a rating, only the rated question's
    cards (by the (deck, question, kind) key) and the latest reviews: never a range of
    every due or new card of a deck, nor a whole table.
    """
    repo.set_config(decks, None, "daily_minutes", "30")
    session = ReviewSession(decks)
    for _ in range(3):
        card = session.next_card(NOW)
        session.rate(card.card_id, Rating.AGAIN, NOW, 20_000)
    card = session.next_card(NOW)
    session.counts(NOW)
    today = session._today(NOW)
    seen = statements(decks, lambda: session.rate(card.card_id, Rating.GOOD, NOW, 20_000))
    assert session._snap.today is today  # kept, not counted again
    reads = [sql for sql in seen if sql.lstrip().upper().startswith("SELECT")]
    assert any("question_id = " in sql and "c.due < " in sql for sql in reads), reads
    for sql in reads:
        detail = plan(decks, sql)
        for step in detail.split(" | "):
            words = step.split()
            if words[0] == "SCAN" and "LIMIT" not in sql:
                assert words[1] not in ("c", "cards", "r", "reviews", "s"), (sql, detail)
            for wide in ("cards_deck_due", "cards_due ", "cards_new"):
                assert f"INDEX {wide}" not in step + " ", (sql, detail)


# The weakest questions as one statement over every deck (before issue 19's second pass):
# the new per-deck statements must give exactly its rows.
_WEAKEST_ONE_STATEMENT = (
    "WITH curve(deck_id, decay, factor) AS (VALUES {values}), "
    "per_question AS (SELECT c.deck_id, c.question_id, sum(c.lapses) AS lapses, "
    "min(pow(1 + curve.factor * max(0, (? - c.last_review) / 86400000) / c.stability, "
    "curve.decay)) AS recall "
    "FROM cards c JOIN curve ON curve.deck_id = c.deck_id "
    "WHERE c.retired = 0 AND c.suspended = 0 AND c.state != 0 AND c.stability > 0 "
    "AND c.last_review IS NOT NULL GROUP BY c.deck_id, c.question_id), "
    "ranked AS (SELECT *, row_number() OVER (PARTITION BY deck_id "
    "ORDER BY lapses DESC, recall ASC, question_id) AS rank FROM per_question) "
    "SELECT r.deck_id, r.question_id, q.question, r.lapses, r.recall, "
    "EXISTS (SELECT 1 FROM answers a WHERE a.deck_id = r.deck_id "
    "AND a.question_id = r.question_id AND a.follow_up IS NULL) "
    "FROM ranked r JOIN questions q ON q.deck_id = r.deck_id AND q.id = r.question_id "
    "WHERE r.rank <= ? ORDER BY r.lapses DESC, r.recall ASC, r.deck_id, r.question_id"
)


def test_weakest_questions_and_leeches_read_their_indexes_alone(decks):
    """The two card figures issue 15 and 18 added: the weakest questions group each deck's
    range of cards_memory in index order (no sort of every question, only a top-N one);
    the leeches read the entries of the cards that lapsed. Neither reads a card row, and
    the weakest equal what one statement over every deck gave, row for row.
    """
    from drill.storage import figures

    session = ReviewSession(decks)
    rng = random.Random(5)
    now = NOW
    for _ in range(5):
        for _ in range(20):
            card = session.next_card(now)
            if card is None:
                break
            session.rate(card.card_id, Rating(rng.choice((1, 1, 2, 3))), now)
        now += timedelta(days=2)
    # Some lapses of rehearse cards, past a threshold of 2.
    decks.execute("UPDATE cards SET lapses = id % 4 WHERE kind = 'rehearse' AND state != 0")
    curves = [(f"deck-{i}", -0.5 + i / 100, 19 / 81 + i / 1000) for i in range(6)]
    now_ms = int(now.timestamp() * 1000)
    seen = statements(decks, lambda: figures.weakest_questions(decks, now_ms, curves, 2))
    weakest = [sql for sql in seen if "per_question" in sql]
    assert len(weakest) == len(curves)
    for sql in weakest:
        detail = plan(decks, sql)
        assert "SEARCH c USING COVERING INDEX cards_memory (deck_id=?)" in detail, detail
        assert "TEMP B-TREE FOR GROUP BY" not in detail, detail
    for per_deck in (1, 2, 4, 100):
        values = ", ".join("(?, ?, ?)" for _ in curves)
        params = [v for row in curves for v in row] + [now_ms, per_deck]
        one = [
            (r[0], r[1], r[2], int(r[3]), float(r[4]), bool(r[5]))
            for r in decks.execute(_WEAKEST_ONE_STATEMENT.format(values=values), params)
        ]
        assert figures.weakest_questions(decks, now_ms, curves, per_deck) == one
        assert one
    seen = statements(decks, lambda: figures.leech_cards(decks, "deck-1", 2))
    (leech,) = [sql for sql in seen if "lapses" in sql]
    detail = plan(decks, leech)
    assert "COVERING INDEX cards_lapsed (deck_id=? AND kind=? AND lapses>?)" in detail, detail
    rows = figures.leech_cards(decks, "deck-1", 2)
    direct = decks.execute(
        "SELECT id, lapses FROM cards WHERE deck_id = 'deck-1' AND kind = 'rehearse' "
        "AND retired = 0 AND lapses >= 2"
    ).fetchall()
    assert sorted((r[0], r[3]) for r in rows) == sorted(direct) and direct


def test_a_session_finds_when_its_counts_stop_holding_from_the_buried_cards_alone(decks):
    """Counting afresh, a session asks when the burials around now end (its counts hold until
    then): from the index of the buried cards, not every card row.
    """
    session = ReviewSession(decks)
    card = session.next_card(NOW)
    session.bury_question(card.card_id, NOW)
    seen = statements(decks, lambda: session.counts(NOW))
    (bounds,) = [sql for sql in seen if "buried_until <=" in sql and "max(" in sql]
    detail = plan(decks, bounds)
    assert detail.count("COVERING INDEX cards_buried") == 2, detail
    assert queue.burial_bounds(decks, int(NOW.timestamp() * 1000)) == (
        None,
        decks.execute("SELECT max(buried_until) FROM cards").fetchone()[0],
    )


def test_a_card_owed_now_is_found_without_counting_the_day(decks):
    """`drill next` with a review due: the card, from today's reviews and the queue's first
    range, without counting the day's work (the figures a session keeps are counted when
    asked for the counts or a new card).
    """
    now_ms = int(NOW.timestamp() * 1000)
    decks.execute(
        "UPDATE cards SET state = 2, stability = 3, difficulty = 5, due = ?, last_review = ?, "
        "reps = 1 WHERE id = 5",
        [now_ms - 60_000, now_ms - 3 * 86_400_000],
    )
    session = ReviewSession(decks)
    seen = statements(decks, lambda: session.next_card(NOW))
    assert session.next_card(NOW).card_id == 5
    assert not [sql for sql in seen if "count(" in sql], seen
    assert session._snap.today is None
