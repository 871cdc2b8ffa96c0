"""FSRS through py-fsrs: schedulers built from StudyConfig, and conversion to and from rows.

A stored card is a `CardRecord`; FSRS works on `fsrs.Card`. Nothing here touches the database.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import Any

from fsrs import Card, Scheduler, State
from fsrs import Rating as FsrsRating
from fsrs.scheduler import FUZZ_RANGES

from drill.core.clock import from_ms, study_date, to_ms
from drill.core.config import StudyConfig
from drill.core.model import CardKind, CardRecord, CardState, Rating


@lru_cache(maxsize=64)
def _scheduler(
    parameters: tuple[float, ...] | None,
    retention: float,
    learning: tuple[int, ...],
    relearning: tuple[int, ...],
    maximum_interval: int,
    fuzz: bool,
) -> Scheduler:
    kwargs: dict[str, Any] = {}
    if parameters is not None:
        kwargs["parameters"] = parameters
    return Scheduler(
        desired_retention=retention,
        learning_steps=tuple(timedelta(seconds=s) for s in learning),
        relearning_steps=tuple(timedelta(seconds=s) for s in relearning),
        maximum_interval=maximum_interval,
        enable_fuzzing=fuzz,
        **kwargs,
    )


def scheduler_for(
    config: StudyConfig, kind: CardKind | None = None, *, fuzz: bool | None = None
) -> Scheduler:
    """The (cached) py-fsrs scheduler for these settings and a card kind's learning steps;
    `fuzz` overrides the setting. Without a kind (recall only, where steps don't matter),
    the rehearse steps.
    """
    return _scheduler(
        config.fsrs_parameters,
        config.desired_retention,
        config.steps(kind or CardKind.REHEARSE),
        config.relearning_steps,
        config.maximum_interval,
        config.fuzz if fuzz is None else fuzz,
    )


def to_fsrs(card_id: int, record: CardRecord) -> Card:
    """A py-fsrs Card for a stored card; a new card is FSRS's fresh Learning card."""
    if record.state == CardState.NEW:
        return Card(card_id=card_id, state=State.Learning, step=0, due=from_ms(record.due or 0))
    return Card(
        card_id=card_id,
        state=State(record.state),
        step=record.step,
        stability=record.stability,
        difficulty=record.difficulty,
        due=from_ms(record.due or 0),
        last_review=from_ms(record.last_review) if record.last_review is not None else None,
    )


def _in_study_days(card: Card, now: datetime, day_starts_at: int | None) -> Card:
    """The card with its last review moved to whole study days before `now`.

    py-fsrs counts the days since the last review as whole 24-hour periods, so a card
    answered at 18:30 and again at 18:05 the next evening has had "0 days" and gets a
    same-day update: its stability barely grows and it is due again the next day, over and
    over. drill's days are study days (a review card is due for its whole day, and the
    optimizer counts study days, as fsrs-rs and Anki do), so the elapsed time FSRS sees is
    the number of study days between the two reviews. Without `day_starts_at` the card is
    left as py-fsrs would count it (only replays checked against py-fsrs ask for that).
    """
    if card.last_review is None or day_starts_at is None:
        return card
    days = (study_date(now, day_starts_at) - study_date(card.last_review, day_starts_at)).days
    card.last_review = now - timedelta(days=max(0, days))
    return card


def review(
    scheduler: Scheduler,
    card_id: int,
    record: CardRecord,
    rating: Rating,
    now: datetime,
    duration_ms: int | None = None,
    *,
    day_starts_at: int | None,
) -> CardRecord:
    """The card's state after rating it at `now` (a new record; `record` is unchanged).

    Time since the last review counts in study days (days begin at `day_starts_at`).
    """
    card = _in_study_days(to_fsrs(card_id, record), now, day_starts_at)
    card, _ = scheduler.review_card(card, FsrsRating(int(rating)), now, duration_ms)
    lapse = record.state == CardState.REVIEW and rating == Rating.AGAIN
    return CardRecord(
        state=int(card.state),
        step=card.step,
        stability=card.stability,
        difficulty=card.difficulty,
        due=to_ms(card.due),
        last_review=to_ms(now),
        reps=record.reps + 1,
        lapses=record.lapses + (1 if lapse else 0),
    )


DAY_MS = 86_400_000
_PASSING: tuple[Rating, ...] = (Rating.HARD, Rating.GOOD, Rating.EASY)


def _spread(
    outcomes: dict[Rating, CardRecord], now: datetime, maximum_interval: int
) -> dict[Rating, CardRecord]:
    """Keep Hard, Good and Easy apart, as Anki does: a passing rating that schedules the card
    in days gives at least a day more than the passing rating below it (when that one is in
    days too), up to the maximum interval.

    FSRS rounds short intervals up to a day, so without this a young review card shows
    "Hard 1d · Good 1d · Easy 1d", and a learning card graduates to 1d with Good or Easy.
    The memory state (stability, difficulty) is FSRS's; only the due date moves.
    """
    now_ms = to_ms(now)
    out = dict(outcomes)
    below: int | None = None  # the days of the passing rating below, when in days
    for rating in _PASSING:
        record = out.get(rating)
        if record is None:
            continue
        if record.state != CardState.REVIEW or record.due is None:
            below = None
            continue
        days = max(1, round((record.due - now_ms) / DAY_MS))
        if below is not None:
            days = max(days, min(below + 1, maximum_interval))
        if record.due != now_ms + days * DAY_MS:
            out[rating] = replace(record, due=now_ms + days * DAY_MS)
        below = days
    return out


def rate(
    scheduler: Scheduler,
    card_id: int,
    record: CardRecord,
    rating: Rating,
    now: datetime,
    duration_ms: int | None = None,
    *,
    day_starts_at: int | None,
) -> CardRecord:
    """The card's state after rating it, with Hard, Good and Easy kept apart (`_spread`).

    Used for every rating made now; `preview` shows the same intervals (without fuzz).
    Replaying history uses it too, so a replay gives the state studying gave.
    """
    after = review(
        scheduler, card_id, record, rating, now, duration_ms, day_starts_at=day_starts_at
    )
    if rating == Rating.AGAIN or after.state != CardState.REVIEW:
        return after  # nothing to keep apart: the card stays in (re)learning steps
    # The ratings below it bound it only when they schedule in days too.
    outcomes: dict[Rating, CardRecord] = {rating: after}
    for lower in reversed([r for r in _PASSING if r < rating]):
        below = review(
            scheduler, card_id, record, lower, now, duration_ms, day_starts_at=day_starts_at
        )
        if below.state != CardState.REVIEW:
            break
        outcomes[lower] = below
    return _spread(outcomes, now, scheduler.maximum_interval)[rating]


def preview(
    config: StudyConfig, kind: CardKind, card_id: int, record: CardRecord, now: datetime
) -> dict[Rating, timedelta]:
    """The interval each rating would give now, without fuzz (so the preview is stable).

    With fuzz off, `rate` gives exactly these intervals.
    """
    scheduler = scheduler_for(config, kind, fuzz=False)
    outcomes = {
        rating: review(scheduler, card_id, record, rating, now, day_starts_at=config.day_starts_at)
        for rating in Rating
    }
    outcomes = _spread(outcomes, now, scheduler.maximum_interval)
    return {rating: from_ms(after.due or 0) - now for rating, after in outcomes.items()}


def retrievability(config: StudyConfig, record: CardRecord, now: datetime) -> float | None:
    """Probability of recall now, or None for a card never reviewed (in study days since
    its last review, as the scheduler counts them).
    """
    if record.state == CardState.NEW or record.stability is None:
        return None
    card = _in_study_days(to_fsrs(0, record), now, config.day_starts_at)
    return float(scheduler_for(config).get_card_retrievability(card, now))


def fuzzed_days(days: int, maximum_interval: int, draw: float) -> int:
    """An interval of `days` fuzzed as py-fsrs fuzzes it, with `draw` (0 <= draw < 1) in place
    of its module-wide random number: for simulations that must not touch global state.
    """
    if days < 2.5:
        return days
    delta = 1.0
    for fuzz_range in FUZZ_RANGES:
        delta += fuzz_range["factor"] * max(
            min(float(days), fuzz_range["end"]) - fuzz_range["start"], 0.0
        )
    low = max(2, round(days - delta))
    high = min(round(days + delta), maximum_interval)
    low = min(low, high)
    return min(round(draw * (high - low + 1) + low), maximum_interval)


def rate_after(
    scheduler: Scheduler,
    record: CardRecord,
    rating: Rating,
    elapsed_days: int,
    *,
    day_starts_at: int,
) -> tuple[CardRecord, timedelta]:
    """The state after a rating given `elapsed_days` whole study days after the card's last
    review, and the interval it gives, exactly as `rate` gives them (Hard, Good and Easy a
    day apart, elapsed time in study days): for forecasts, which work in days, not instants.

    The budget's look-ahead projects reviews with this, so it places a card on the day
    studying will (a young card's Good is a day after its Hard, not FSRS's rounded day).
    """
    at = datetime(2026, 1, 1, 12, tzinfo=UTC)  # noon: a whole number of study days back
    last = None if record.state == CardState.NEW else to_ms(at - timedelta(days=elapsed_days))
    start = replace(record, due=to_ms(at), last_review=last)
    after = rate(scheduler, 0, start, rating, at, day_starts_at=day_starts_at)
    return after, from_ms(after.due or 0) - at
