"""The replay kernel against py-fsrs: equal bit for bit, on random histories and settings.

`core.replay.Replayer` is what history import, the optimizer and undo use to recompute a
card from its reviews; py-fsrs (`Scheduler.reschedule_card`, and drill's own `review`, which
rates a card live) is the reference. Equality is exact: the same floats, the same due
millisecond, the same learning step.

Studying keeps Hard, Good and Easy a day apart (`core.scheduling.rate`), which moves due
dates only: so the memory state and learning step are held to py-fsrs, and the whole record
(due dates included, before every review and after the last) to drill's live `rate`.
"""

from __future__ import annotations

import random
from datetime import timedelta

import pytest
from fsrs import Card, ReviewLog, Scheduler
from fsrs import Rating as FsrsRating
from fsrs.scheduler import DEFAULT_PARAMETERS, LOWER_BOUNDS_PARAMETERS, UPPER_BOUNDS_PARAMETERS

from drill.core.clock import from_ms, study_date, to_ms
from drill.core.config import StudyConfig
from drill.core.model import CardRecord, Rating
from drill.core.replay import DAY_MS, Replayer, StudyDays
from drill.core.scheduling import rate, review, scheduler_for
from tests.test_clock_edges import local_zone

T0 = 1_767_607_200_123  # 2026-01-05T10:00:00.123Z: milliseconds that are not round
GAPS_MS = (
    1,
    59_000,
    60_000,
    600_000,
    3_600_000,
    DAY_MS - 1,
    DAY_MS,
    DAY_MS + 1,
    2 * DAY_MS - 1,
    3 * DAY_MS,
    17 * DAY_MS + 12_345,
    120 * DAY_MS,
    900 * DAY_MS,
)
STEPS = ((), (60,), (60, 600), (30, 600, 3600, 86_400), (86_400 * 2,))
RELEARNING = ((), (600,), (600, 3600), (90, 1800, 7200))


def random_parameters(rng: random.Random) -> tuple[float, ...]:
    if rng.random() < 0.3:
        return tuple(DEFAULT_PARAMETERS)
    out = []
    for default, low, high in zip(
        DEFAULT_PARAMETERS, LOWER_BOUNDS_PARAMETERS, UPPER_BOUNDS_PARAMETERS, strict=True
    ):
        value = default * rng.uniform(0.5, 1.6) if rng.random() < 0.7 else rng.uniform(low, high)
        out.append(round(min(max(value, low), high), 4))
    return tuple(out)


def random_scheduler(rng: random.Random) -> Scheduler:
    return Scheduler(
        parameters=random_parameters(rng),
        desired_retention=rng.choice((0.7, 0.8, 0.85, 0.9, 0.95, 0.97)),
        learning_steps=tuple(timedelta(seconds=s) for s in rng.choice(STEPS)),
        relearning_steps=tuple(timedelta(seconds=s) for s in rng.choice(RELEARNING)),
        maximum_interval=rng.choice((7, 60, 365, 36500)),
        enable_fuzzing=False,
    )


def random_history(rng: random.Random, length: int) -> tuple[list[int], list[int]]:
    times, ratings, at = [], [], T0 + rng.randrange(DAY_MS)
    for _ in range(length):
        times.append(at)
        ratings.append(rng.choices((1, 2, 3, 4), weights=(20, 15, 50, 15))[0])
        gap = rng.choice(GAPS_MS) if rng.random() < 0.7 else rng.randrange(1, 400 * DAY_MS)
        at += gap
    return times, ratings


def py_fsrs(scheduler: Scheduler, times: list[int], ratings: list[int]) -> Card:
    logs = [
        ReviewLog(card_id=1, rating=FsrsRating(r), review_datetime=from_ms(t), review_duration=None)
        for t, r in zip(times, ratings, strict=True)
    ]
    return scheduler.reschedule_card(Card(card_id=1, due=from_ms(times[0])), logs)


def live(scheduler: Scheduler, times: list[int], ratings: list[int], hour: int | None = None):
    """drill's own rating path, review by review: what studying these reviews gives (with
    `hour`, the time since the last review in study days starting then, as drill counts it).
    """
    record, befores = CardRecord(), []
    for t, r in zip(times, ratings, strict=True):
        befores.append(record)
        record = rate(scheduler, 1, record, Rating(r), from_ms(t), day_starts_at=hour)
        record.last_review = t
    return befores, record


def check(rng: random.Random, cases: int, longest: int) -> None:
    for case in range(cases):
        scheduler = random_scheduler(rng)
        times, ratings = random_history(rng, rng.randrange(1, longest))
        befores: list[CardRecord] = []
        states, final = Replayer(scheduler).replay(times, ratings, befores=befores)
        reference = py_fsrs(scheduler, times, ratings)
        context = (case, scheduler.to_dict(), times, ratings)
        assert final.state == int(reference.state), context
        assert final.step == reference.step, context
        assert final.stability == reference.stability, context
        assert final.difficulty == reference.difficulty, context
        # The due date is py-fsrs's, or whole days later when the rating below gave as many
        # days (then counted from the review's millisecond, which py-fsrs's datetime sum can
        # miss by one).
        if final.state == 2:
            days = round((final.due - times[-1]) / DAY_MS)
            assert days >= round((to_ms(reference.due) - times[-1]) / DAY_MS), context
        else:
            assert final.due == to_ms(reference.due), context
        assert final.last_review == times[-1], context
        expected_befores, expected_final = live(scheduler, times, ratings)
        assert befores == expected_befores, context
        assert final == expected_final, context
        assert list(states) == [b.state for b in expected_befores], context
        # In study days, as drill studies and replays: equal to rating live, review by review.
        hour = rng.randrange(24)
        befores = []
        states, final = Replayer(scheduler, hour).replay(times, ratings, befores=befores)
        expected_befores, expected_final = live(scheduler, times, ratings, hour)
        assert (befores, final) == (expected_befores, expected_final), (*context, hour)
        assert Replayer(scheduler, hour).replay(times, ratings)[1] == final, (*context, hour)


def test_replay_equals_py_fsrs_on_random_histories():
    check(random.Random(19), cases=300, longest=25)


@pytest.mark.slow
def test_replay_equals_py_fsrs_on_many_random_histories():
    for seed in range(8):
        check(random.Random(1000 + seed), cases=1500, longest=60)


def test_replay_without_befores_gives_the_same_card():
    rng = random.Random(5)
    replayer = Replayer(scheduler_for(StudyConfig(), fuzz=False))
    for _ in range(50):
        times, ratings = random_history(rng, 12)
        plain = replayer.replay(times, ratings)
        full = replayer.replay(times, ratings, befores=[])
        assert plain == full


def test_no_reviews_is_a_new_card():
    replayer = Replayer(scheduler_for(StudyConfig(), fuzz=False))
    assert replayer.replay([], []) == (bytearray(), CardRecord())


def spread_history(rng: random.Random, hour: int, length: int) -> tuple[list[int], list[int]]:
    """A young card's reviews where keeping Hard, Good and Easy a day apart decides the due
    date: mostly passing ratings, a day or two apart, many of them minutes either side of
    the study day's cutoff (`hour`), some on the same study day.
    """
    cutoff = T0 - T0 % DAY_MS + hour * 3_600_000  # a cutoff in UTC; TZ moves it, the mix stays
    times, ratings, at = [], [], cutoff + rng.choice((-1, 1)) * rng.randrange(1, 1_800_000)
    for _ in range(length):
        times.append(at)
        ratings.append(rng.choices((1, 2, 3, 4), weights=(5, 30, 40, 25))[0])
        days = rng.choice((0, 1, 1, 2, 3))
        near = rng.choice((-1, 1)) * rng.randrange(1, 1_800_000)  # within half an hour
        at = max(at + 1, at - at % DAY_MS + days * DAY_MS + hour * 3_600_000 + near)
    return times, ratings


def check_spread(rng: random.Random, cases: int) -> int:
    """The replay's due dates against rating live (`scheduling.rate`, which asks py-fsrs for
    each lower rating); returns how many final due dates the spread moved.
    """
    moved = 0
    for case in range(cases):
        scheduler = Scheduler(
            parameters=random_parameters(rng),
            desired_retention=rng.choice((0.7, 0.8, 0.9, 0.95, 0.97, 0.99)),
            learning_steps=tuple(timedelta(seconds=s) for s in rng.choice(STEPS)),
            relearning_steps=tuple(timedelta(seconds=s) for s in rng.choice(RELEARNING)),
            maximum_interval=rng.choice((1, 2, 3, 7, 36500)),
            enable_fuzzing=False,
        )
        hour = rng.randrange(24)
        times, ratings = spread_history(rng, hour, rng.randrange(1, 12))
        for at_hour in (hour, None):
            befores: list[CardRecord] = []
            replayer = Replayer(scheduler, at_hour)
            _, final = replayer.replay(times, ratings, befores=befores)
            expected_befores, expected_final = live(scheduler, times, ratings, at_hour)
            context = (case, at_hour, scheduler.to_dict(), times, ratings)
            assert befores == expected_befores, context
            assert final == expected_final, context
            assert replayer.replay(times, ratings)[1] == final, context
        unspread = Replayer(scheduler, hour).replay(times[:-1], ratings[:-1])[1]
        plain = review(scheduler, 1, unspread, Rating(ratings[-1]), from_ms(times[-1]),
                       day_starts_at=hour)  # fmt: skip
        moved += plain.due != final.due
    return moved


def test_replay_keeps_ratings_apart_as_studying_does():
    # Hard, Good and Easy around the one-day boundary and study-day cutoffs: the replay's
    # own arithmetic for the lower ratings gives exactly the due dates `rate` gives.
    assert check_spread(random.Random(23), cases=400) > 40


@pytest.mark.slow
def test_replay_keeps_ratings_apart_on_many_histories():
    for seed in range(6):
        assert check_spread(random.Random(2300 + seed), cases=1500) > 150


@pytest.mark.parametrize(
    "zone", ["UTC", "Europe/Berlin", "America/St_Johns", "Asia/Kathmandu", "Australia/Lord_Howe"]
)
def test_study_days_are_studys_own_across_zones_and_clock_changes(zone):
    # Replays and the optimizer count study days by the local offset and arithmetic; studying counts them
    # with `clock.study_date`. Every quarter hour of a year (both DST changes, in the
    # zones that have them; half and quarter-hour offsets) and each cutoff hour agree.
    with local_zone(zone):
        for hour in (0, 3, 23):
            days = StudyDays(hour)
            start = T0 - T0 % DAY_MS
            for ms in range(start, start + 366 * DAY_MS, 900_000 + 7):  # 7 ms drift: bucket edges
                assert days.of(ms) == study_date(from_ms(ms), hour).toordinal(), (
                    zone, hour, ms,
                )  # fmt: skip
