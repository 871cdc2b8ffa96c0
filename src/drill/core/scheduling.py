"""FSRS through py-fsrs: schedulers built from StudyConfig, and conversion to and from rows.

A stored card is a `CardRecord`; FSRS works on `fsrs.Card`. Nothing here touches the database.
"""

from __future__ import annotations

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


def preview(
    config: StudyConfig, card_id: int, record: CardRecord, now: datetime
) -> dict[Rating, timedelta]:
    """The interval each rating would give now, without fuzz (so the preview is stable)."""
    scheduler = scheduler_for(config, fuzz=False)
    out = {}
    for rating in Rating:
        after = review(scheduler, card_id, record, rating, now)
        out[rating] = from_ms(after.due or 0) - now
    return out


def retrievability(config: StudyConfig, record: CardRecord, now: datetime) -> float | None:
    """Probability of recall now, or None for a card never reviewed."""
    if record.state == CardState.NEW or record.stability is None:
        return None
    return float(scheduler_for(config).get_card_retrievability(to_fsrs(0, record), now))
