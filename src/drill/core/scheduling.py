"""FSRS through py-fsrs: schedulers built from StudyConfig, and conversion to and from rows.

A stored card is a `CardRecord`; FSRS works on `fsrs.Card`. Nothing here touches the database.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Any

from fsrs import Card, Scheduler, State
from fsrs import Rating as FsrsRating

from drill.core.clock import from_ms, to_ms
from drill.core.config import StudyConfig
from drill.core.model import CardRecord, CardState, Rating


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


def scheduler_for(config: StudyConfig, *, fuzz: bool | None = None) -> Scheduler:
    """The (cached) py-fsrs scheduler for these settings; `fuzz` overrides the setting."""
    return _scheduler(
        config.fsrs_parameters,
        config.desired_retention,
        config.learning_steps,
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


def review(
    scheduler: Scheduler,
    card_id: int,
    record: CardRecord,
    rating: Rating,
    now: datetime,
    duration_ms: int | None = None,
) -> CardRecord:
    """The card's state after rating it at `now` (a new record; `record` is unchanged)."""
    card, _ = scheduler.review_card(
        to_fsrs(card_id, record), FsrsRating(int(rating)), now, duration_ms
    )
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
) -> CardRecord:
    """The card's state after rating it, with Hard, Good and Easy kept apart (`_spread`).

    Used for every rating made now; `preview` shows the same intervals (without fuzz).
    Replaying history uses it too, so a replay gives the state studying gave.
    """
    after = review(scheduler, card_id, record, rating, now, duration_ms)
    if rating == Rating.AGAIN or after.state != CardState.REVIEW:
        return after  # nothing to keep apart: the card stays in (re)learning steps
    # The ratings below it bound it only when they schedule in days too.
    outcomes: dict[Rating, CardRecord] = {rating: after}
    for lower in reversed([r for r in _PASSING if r < rating]):
        below = review(scheduler, card_id, record, lower, now, duration_ms)
        if below.state != CardState.REVIEW:
            break
        outcomes[lower] = below
    return _spread(outcomes, now, scheduler.maximum_interval)[rating]


def preview(
    config: StudyConfig, card_id: int, record: CardRecord, now: datetime
) -> dict[Rating, timedelta]:
    """The interval each rating would give now, without fuzz (so the preview is stable).

    With fuzz off, `rate` gives exactly these intervals.
    """
    scheduler = scheduler_for(config, fuzz=False)
    outcomes = {rating: review(scheduler, card_id, record, rating, now) for rating in Rating}
    outcomes = _spread(outcomes, now, scheduler.maximum_interval)
    return {rating: from_ms(after.due or 0) - now for rating, after in outcomes.items()}


def retrievability(config: StudyConfig, record: CardRecord, now: datetime) -> float | None:
    """Probability of recall now, or None for a card never reviewed."""
    if record.state == CardState.NEW or record.stability is None:
        return None
    return float(scheduler_for(config).get_card_retrievability(to_fsrs(0, record), now))
