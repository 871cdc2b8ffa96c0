"""FSRS through drill reproduces py-fsrs exactly with the default settings."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from drill.core import clock
from drill.core.config import StudyConfig
from drill.core.format import interval as format_interval
from drill.core.model import CardRecord, Rating
from drill.core.scheduling import preview, review, scheduler_for
from drill.study.session import ReviewSession
from tests.helpers import NOW


def test_intervals_at_due_times_match_reference_vector():
    scheduler = scheduler_for(StudyConfig(fuzz=False))
    record, now, intervals = CardRecord(), NOW, []
    for grade in [3] * 6 + [1] * 2 + [3] * 5:
        record = review(scheduler, 1, record, Rating(grade), now)
        due = clock.from_ms(record.due)
        intervals.append((due - now).days)
        now = due
    assert intervals == [0, 2, 11, 46, 163, 498, 0, 0, 2, 4, 7, 12, 21]


def test_memory_state_after_again_then_good_matches_py_fsrs():
    scheduler = scheduler_for(StudyConfig(fuzz=False))
    record, now = CardRecord(), NOW
    for grade, gap in zip([1, 3, 3, 3, 3, 3], [0, 0, 1, 3, 8, 21], strict=True):
        now += timedelta(days=gap)
        record = review(scheduler, 1, record, Rating(grade), now)
    assert record.stability == pytest.approx(53.6269, abs=1e-4)
    assert record.difficulty == pytest.approx(6.3575, abs=1e-4)


def test_same_vector_through_the_session_and_database(sample_db):
    session = ReviewSession(sample_db)
    card = session.next_card(NOW)
    now, intervals = NOW, []
    for grade in [3] * 6 + [1] * 2 + [3] * 5:
        rated = session.rate(card.card_id, Rating(grade), now)
        due = clock.from_ms(rated.record.due)
        intervals.append((due - now).days)
        now = due
    assert intervals == [0, 2, 11, 46, 163, 498, 0, 0, 2, 4, 7, 12, 21]


def test_lapses_and_reps_are_counted():
    scheduler = scheduler_for(StudyConfig(fuzz=False))
    record, now = CardRecord(), NOW
    for grade in (3, 3, 1, 3):
        record = review(scheduler, 1, record, Rating(grade), now)
        now = clock.from_ms(record.due)
    assert (record.reps, record.lapses) == (4, 1)


def test_preview_is_unfuzzed_and_ordered():
    config = StudyConfig(fuzz=True)
    shown = preview(config, 1, CardRecord(), NOW)
    assert shown[Rating.AGAIN] == timedelta(minutes=1)
    assert shown[Rating.GOOD] == timedelta(minutes=10)
    assert shown[Rating.AGAIN] < shown[Rating.HARD] < shown[Rating.GOOD] < shown[Rating.EASY]
    assert preview(config, 1, CardRecord(), NOW) == shown


def test_custom_steps_and_parameters_are_used():
    config = StudyConfig(learning_steps=(300,), fuzz=False)
    assert preview(config, 1, CardRecord(), NOW)[Rating.AGAIN] == timedelta(minutes=5)


def test_clock_going_backwards_never_gives_a_negative_interval():
    scheduler = scheduler_for(StudyConfig(fuzz=False))
    record = review(scheduler, 1, CardRecord(), Rating.GOOD, NOW)
    record = review(scheduler, 1, record, Rating.GOOD, NOW + timedelta(days=1))
    earlier = NOW - timedelta(days=3)
    after = review(scheduler, 1, record, Rating.GOOD, earlier)
    assert clock.from_ms(after.due) > earlier


@pytest.mark.parametrize(
    ("delta", "text"),
    [
        (timedelta(seconds=30), "30s"),
        (timedelta(seconds=59.9995), "1m"),
        (timedelta(minutes=10), "10m"),
        (timedelta(hours=5), "5h"),
        (timedelta(days=3), "3d"),
        (timedelta(days=60), "2mo"),
        (timedelta(days=400), "1.1y"),
    ],
)
def test_format_interval(delta, text):
    assert format_interval(delta) == text


def test_drill_now_overrides_the_clock():
    assert clock.now({"DRILL_NOW": "2026-03-01T09:30:00+01:00"}) == datetime(
        2026, 3, 1, 8, 30, tzinfo=UTC
    )


# -- issue 18: Hard, Good and Easy stay apart ----------------------------------------------------


def _studied_states(seed: int = 1, count: int = 300):
    """(record, now) pairs across every state: new, learning at each step, review at many
    stabilities (reviewed early, on time and late), relearning.
    """
    import random

    scheduler = scheduler_for(StudyConfig(fuzz=False))
    rng = random.Random(seed)
    out = [(CardRecord(), NOW)]
    gaps = [1, 10, 60, 60 * 24, 60 * 24 * 3, 60 * 24 * 10, 60 * 24 * 60]
    for _ in range(count):
        record, now = CardRecord(), NOW
        for _ in range(rng.randint(1, 8)):
            record = review(scheduler, 1, record, Rating(rng.choice([1, 2, 3, 3, 4])), now)
            now += timedelta(minutes=rng.choice(gaps))
        out.append((record, now))
    return out


def test_hard_good_easy_stay_ordered_in_every_state():
    # Before: a review card of low stability showed "2 Hard 1d · 3 Good 1d · 4 Easy 1d", and a
    # learning card graduating showed Good 1d and Easy 1d.
    from drill.core.model import CardState

    config = StudyConfig(fuzz=False)
    day = timedelta(days=1)
    states = {CardState(record.state) for record, _ in _studied_states()}
    assert states == set(CardState)
    for record, now in _studied_states():
        shown = preview(config, 1, record, now)
        hard, good, easy = shown[Rating.HARD], shown[Rating.GOOD], shown[Rating.EASY]
        assert shown[Rating.AGAIN] <= hard <= good < easy, (record, shown)
        if good >= day:
            assert easy >= good + day, (record, shown)
        if record.state == CardState.REVIEW:
            # As Anki does for review cards: each passing rating a day past the one below.
            assert hard >= day and good >= hard + day, (record, shown)


def test_the_rating_gives_what_the_preview_showed():
    from drill.core.scheduling import rate

    config = StudyConfig(fuzz=False)
    scheduler = scheduler_for(config)
    for record, now in _studied_states(seed=2, count=150):
        shown = preview(config, 1, record, now)
        for rating in Rating:
            after = rate(scheduler, 1, record, rating, now)
            assert clock.from_ms(after.due) - now == shown[rating], (record, rating)


def test_the_session_rates_what_its_preview_shows(sample_db):
    from drill.storage import repo

    repo.set_config(sample_db, None, "fuzz", "off")
    session = ReviewSession(sample_db)
    card = session.next_card(NOW)
    now = NOW
    for grade in (3, 3, 2, 1, 3, 4, 2, 3):
        card = session.study_card(card.card_id)
        shown = session.preview(card, now)
        rated = session.rate(card.card_id, Rating(grade), now)
        assert clock.from_ms(rated.record.due) - now == shown[Rating(grade)]
        now = clock.from_ms(rated.record.due) - timedelta(hours=12)  # a little early
