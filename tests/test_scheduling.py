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
