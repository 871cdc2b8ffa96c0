"""A review session keeps today's counts and the budget's figures through its own ratings
(study/session.py, study/intake.py `Figures`): what it shows must always be what counting
afresh gives, and it must really keep them (not count again) while nothing else writes.

Each test rates through study days with the daily budget on: learning re-views, new
questions coming in, timed and untimed reviews, a rollover to the next study day with the
clock given as `DRILL_NOW` gives it, other programs rating in between, and burials ending.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

import pytest

from drill.core import clock
from drill.core.model import Rating
from drill.library.importing import import_decks
from drill.storage import repo
from drill.storage.db import open_database
from drill.study import intake
from drill.study.session import ReviewSession
from tests.helpers import NOW, parse
from tests.test_session import deck_text

KEPT = ("timed_ms", "untimed", "estimates", "owed", "started", "done")


@pytest.fixture
def path(tmp_path):
    file = tmp_path / "drill.db"
    db = open_database(file)
    repo.set_config(db, None, "fuzz", "off")
    import_decks(db, [parse(deck_text(f"Deck {i}", 8)) for i in range(3)], NOW)
    repo.set_config(db, None, "daily_minutes", "25")
    repo.set_config(db, None, "new_per_day", "6")
    # Deadline mode in one deck: siblings not buried, the new-card limit and the cap rise.
    repo.set_config(db, "deck-2", "interview_date", (NOW + timedelta(days=4)).date().isoformat())
    db.close()
    return file


def same_as_fresh(session: ReviewSession, now: datetime) -> None:
    """Everything the session shows equals a new session's count, and so do its figures."""
    fresh = ReviewSession(session.db, session.deck_id, only=session.only)
    assert session.counts(now) == fresh.counts(now), now
    assert session.deck_counts(now) == fresh.deck_counts(now), now
    assert session.today_plan(now) == fresh.today_plan(now), now
    assert session.new_available(now) == fresh.new_available(now), now
    kept, counted = session._today(now), fresh._today(now)
    assert kept.left == counted.left, now
    for name in KEPT:
        assert getattr(kept.figures, name) == getattr(counted.figures, name), (name, now)
    # The look-ahead's forecast, kept by horizon once asked for.
    today = clock.study_date(now, kept.figures.config.day_starts_at)
    for horizon, views in kept.figures.ahead.items():
        assert views == counted.figures._views(session.db, today, horizon), (horizon, now)


def study_days(
    path, days: int, seed: int, *, only=None, elsewhere: bool = True
) -> tuple[int, int, int]:
    """Rate through `days` study days, checking after every rating; returns how many ratings
    the session made, through how many it kept its counts (rather than counting again), and
    how many of those with the look-ahead's forecast kept too.
    """
    rng = random.Random(seed)
    db = open_database(path)
    other = open_database(path)  # another program: `drill rate` in a second terminal
    session = ReviewSession(db, only=only)
    kept_through = ratings = forecasts = 0
    now = NOW
    for day in range(days):
        for step in range(30):
            card = session.next_card(now)
            same_as_fresh(session, now)
            if card is None:
                break
            today = session._today(now)
            duration = rng.choice((None, rng.randrange(2_000, 200_000), 900_000))
            session.rate(card.card_id, Rating(rng.choice((1, 2, 3, 3, 3, 4))), now, duration)
            ratings += 1
            # Kept, not counted again: the same figures, brought up to date.
            kept_through += session._snap is not None and session._snap.today is today
            forecasts += bool(today.figures.ahead)
            same_as_fresh(session, now)
            if elsewhere and step % 9 == 4:
                theirs = ReviewSession(other).next_card(now)
                if theirs is not None:
                    ReviewSession(other).rate(theirs.card_id, Rating.GOOD, now, 30_000)
                    same_as_fresh(session, now)
            now += timedelta(minutes=rng.choice((1, 4, 11)))
        # The next study day begins at 04:00: some days just after, some late.
        now = NOW + timedelta(days=day + 1, hours=rng.choice((-5, 0, 7)))
    db.close()
    other.close()
    return ratings, kept_through, forecasts


def test_counts_kept_through_study_days_equal_counting_afresh(path):
    ratings, kept, forecasts = study_days(path, 5, seed=1)
    assert kept >= 0.8 * ratings  # it really kept them: most ratings
    assert forecasts


def test_counts_kept_without_a_budget_equal_counting_afresh(path):
    db = open_database(path)
    repo.set_config(db, None, "daily_minutes", "off")
    repo.set_config(db, None, "new_per_day", "9999")
    db.close()
    ratings, kept, _ = study_days(path, 3, seed=2)
    assert kept >= 0.8 * ratings


def test_counts_kept_for_a_job_set_equal_counting_afresh(path):
    only = {"deck-0": frozenset({"q1", "q3", "q4"}), "deck-2": frozenset({"q2", "q5"})}
    ratings, kept, _ = study_days(path, 3, seed=3, only=only, elsewhere=False)
    assert kept >= 0.8 * ratings


def test_counts_are_counted_again_when_a_burial_ends(path):
    db = open_database(path)
    session = ReviewSession(db)
    now = NOW
    while not db.execute("SELECT 1 FROM cards WHERE state = 1").fetchone():
        card = session.next_card(now)
        session.rate(card.card_id, Rating.AGAIN, now, 20_000)
    # Another program buried a question in learning until 11:00 today (a change of the
    # day's start hour can leave such a burial behind).
    other = open_database(path)
    other.execute(
        "UPDATE cards SET buried_until = ? WHERE (deck_id, question_id) IN "
        "(SELECT deck_id, question_id FROM cards WHERE state = 1 LIMIT 1)",
        [int((NOW + timedelta(hours=1)).timestamp() * 1000)],
    )
    other.close()
    before = session.counts(now)
    same_as_fresh(session, now)
    later = now + timedelta(hours=1, minutes=5)
    assert session.counts(later).learning == before.learning + 1
    same_as_fresh(session, later)
    # Back before the burial ended (a clock set back): counted as buried again.
    assert session.counts(now) == before
    same_as_fresh(session, now)
    db.close()


def test_a_question_share_of_the_figures_sums_to_them(path):
    """The shares a rating re-reads add up to the whole: no question's share is another's."""
    db = open_database(path)
    session = ReviewSession(db)
    now = NOW
    for _ in range(12):
        card = session.next_card(now)
        session.rate(card.card_id, Rating.AGAIN, now, 10_000)
        now += timedelta(minutes=3)
    figures = intake.Figures.read(db, now, repo.decks(db))
    total: dict = {}
    for deck_id, question_id in db.execute("SELECT deck_id, id FROM questions").fetchall():
        for key, cards in figures.shares(db, deck_id, question_id).owed.items():
            total[key] = total.get(key, 0) + cards
    assert total == figures.owed and sum(total.values()) > 0
    db.close()


@pytest.mark.parametrize(
    ("minutes", "per_day", "cap"),
    [("5", "9999", None), ("60", "9999", None), ("600", "9999", "40"), ("off", "9999", None),
     ("off", "9999", "3"), ("30", "4", None)],
)  # fmt: skip
def test_the_intake_decides_the_same_from_a_few_candidates_as_from_all(
    path, monkeypatch, minutes, per_day, cap
):
    """The intake lists a deck's new cards a few at a time, and more only while all come in
    (later ones cannot change a thing once one is refused), or none at all when nothing
    can be refused: what it decides equals listing every candidate, as issue 13 did.
    """
    db = open_database(path)
    repo.set_config(db, None, "daily_minutes", minutes)
    repo.set_config(db, None, "new_per_day", per_day)
    repo.set_config(db, None, "new_questions_per_day", cap)
    session = ReviewSession(db)
    rng = random.Random(minutes)
    now = NOW
    decided = set()
    for _ in range(45):
        today = session._today(now)
        waiting = {deck_id: left[0] for deck_id, left in today.left.items()}

        def decide(first: int, new_waiting, with_plan: bool, today=today, now=now):
            monkeypatch.setattr(intake, "_FIRST_CANDIDATES", first)
            return intake.compute(
                db,
                now,
                session._decks(),
                figures=today.figures,
                new_waiting=new_waiting,
                with_plan=with_plan,
            )

        every = decide(10**9, None, True)
        for first in (1, 2, 16):
            assert decide(first, None, True) == every
            assert decide(first, waiting, False).new_left == every.new_left
        decided.add(tuple(every.new_left.values()))
        card = session.next_card(now)
        if card is None:
            break
        session.rate(card.card_id, Rating(rng.choice((1, 3, 3, 4))), now, 40_000)
        now += timedelta(minutes=2)
    assert len(decided) >= 2  # the intake changed as the day went on
    db.close()


def test_a_rating_the_database_did_not_take_leaves_no_trace_in_the_counts(path, monkeypatch):
    """A rating whose commit fails, after the session brought its counts up to date, rolls
    back, and so do the counts.
    """
    from contextlib import contextmanager

    from drill.study import session as session_module

    db = open_database(path)
    session = ReviewSession(db)
    for _ in range(3):
        card = session.next_card(NOW)
        session.rate(card.card_id, Rating.AGAIN, NOW, 30_000)
    card = session.next_card(NOW)
    before = session.counts(NOW)
    real = session_module.write_transaction

    @contextmanager
    def failing_commit(database):
        with real(database):
            yield
            raise OSError("disk I/O error")  # the transaction rolls back

    monkeypatch.setattr(session_module, "write_transaction", failing_commit)
    with pytest.raises(OSError):
        session.rate(card.card_id, Rating.GOOD, NOW, 30_000)
    monkeypatch.setattr(session_module, "write_transaction", real)
    assert session.counts(NOW) == before
    same_as_fresh(session, NOW)
    db.close()
