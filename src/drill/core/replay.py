"""Replaying a card's reviews: py-fsrs's `review_card` arithmetic, without its objects.

A card's state is a function of its reviews (see `library/history.py`). py-fsrs computes it
one review at a time through `Card` copies, datetimes and enums, about 16 µs a review: a
million reviews took longer than everything else an import does. `Replayer` runs the same
formulas, in the same order of operations on the same floats, on plain numbers; only the
due date of the card's last state goes through datetimes, exactly as `review` does. The
results are equal bit for bit to `fsrs.Scheduler.reschedule_card` with fuzzing off
(`tests/test_replay.py` holds it to that on random histories and settings).

fsrs-rs-python's `historical_memory_state_batch` computes the same memory states in Rust,
but in 32-bit floats (relative error about 5e-6 in stability, measured against py-fsrs), so
an interval near a half day rounds the other way and a card falls due a day apart from the
scheduler that rates it. Exact equality is worth the microsecond a review it would save.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import timedelta

from fsrs import Scheduler

from drill.core.clock import from_ms, to_ms
from drill.core.model import CardRecord, CardState

DAY_MS = 86_400_000
STABILITY_MIN = 0.001  # py-fsrs's STABILITY_MIN
_NEW, _LEARNING, _REVIEW, _RELEARNING = (int(s) for s in CardState)


class Replayer:
    """The replay of reviews under one scheduler's settings (fuzz never applies)."""

    def __init__(self, scheduler: Scheduler) -> None:
        w = tuple(float(p) for p in scheduler.parameters)
        self._w = w
        self._decay = scheduler._DECAY
        self._factor = scheduler._FACTOR
        self._retention = scheduler.desired_retention
        self._maximum = scheduler.maximum_interval
        self._learning = tuple(scheduler.learning_steps)
        self._relearning = tuple(scheduler.relearning_steps)
        # Each constant is a subexpression py-fsrs evaluates the same way every time.
        self._e_w8 = math.e ** w[8]
        self._forget_short = math.e ** (w[17] * w[18])
        # _initial_difficulty(Easy, clamp=False), the target of mean reversion.
        self._easy_d = w[4] - (math.e ** (w[5] * (4 - 1))) + 1
        self._interval_scale = (self._retention ** (1 / self._decay)) - 1

    # -- the formulas, as py-fsrs writes them ---------------------------------------------------
    def _interval_days(self, stability: float) -> int:
        days = round((stability / self._factor) * self._interval_scale)
        return min(max(days, 1), self._maximum)

    def _difficulty(self, difficulty: float, rating: int) -> float:
        delta = -(self._w[6] * (rating - 3))
        damped = difficulty + (10.0 - difficulty) * delta / 9.0
        reverted = self._w[7] * self._easy_d + (1 - self._w[7]) * damped
        return min(max(reverted, 1.0), 10.0)

    def _short_term(self, stability: float, rating: int) -> float:
        w = self._w
        increase = (math.e ** (w[17] * (rating - 3 + w[18]))) * (stability ** -w[19])
        if rating > 1 and increase < 1.0:
            increase = 1.0
        return max(stability * increase, STABILITY_MIN)

    def _long_term(self, stability: float, difficulty: float, days: int, rating: int) -> float:
        w = self._w
        recall = (1 + self._factor * days / stability) ** self._decay
        if rating == 1:
            long = (
                w[11]
                * (difficulty ** -w[12])
                * (((stability + 1) ** (w[13])) - 1)
                * (math.e ** ((1 - recall) * w[14]))
            )
            short = stability / self._forget_short
            return max(min(long, short), STABILITY_MIN)
        hard = w[15] if rating == 2 else 1
        easy = w[16] if rating == 4 else 1
        grown = stability * (
            1
            + self._e_w8
            * (11 - difficulty)
            * (stability ** -w[9])
            * ((math.e ** ((1 - recall) * w[10])) - 1)
            * hard
            * easy
        )
        return max(grown, STABILITY_MIN)

    # -- a card's history ---------------------------------------------------------------------
    def replay(
        self,
        times: Sequence[int],
        ratings: Sequence[int],
        *,
        befores: list[CardRecord] | None = None,
    ) -> tuple[bytearray, CardRecord]:
        """(each review's state before it, the card's final record) for reviews at `times`
        (epoch ms, increasing) rated `ratings`, starting from a new card.

        With `befores`, the full record before each review is appended to it (for undo and
        exports; it costs a datetime per review).
        """
        w = self._w
        learning, relearning = self._learning, self._relearning
        states = bytearray(len(times))
        state, step = _NEW, 0
        stability = difficulty = 0.0
        last = 0
        reps = lapses = 0
        interval: timedelta | None = None
        due: int | None = None
        for index, (time, rating) in enumerate(zip(times, ratings, strict=True)):
            states[index] = state
            if befores is not None:
                if interval is not None:
                    due = to_ms(from_ms(last) + interval)
                befores.append(
                    CardRecord(
                        state,
                        None if state in (_NEW, _REVIEW) else step,
                        None if state == _NEW else stability,
                        None if state == _NEW else difficulty,
                        due,
                        last if reps else None,
                        reps,
                        lapses,
                    )
                )
            if state == _REVIEW and rating == 1:
                lapses += 1
            # Memory: stability and difficulty.
            if state == _NEW:
                stability = max(w[rating - 1], STABILITY_MIN)
                difficulty = min(max(w[4] - (math.e ** (w[5] * (rating - 1))) + 1, 1.0), 10.0)
            else:
                days = (time - last) // DAY_MS
                if days < 1:
                    stability = self._short_term(stability, rating)
                else:
                    stability = self._long_term(stability, difficulty, days, rating)
                difficulty = self._difficulty(difficulty, rating)
            # Where the card goes next: a learning step or a review in whole days.
            if state == _REVIEW:
                if rating == 1 and relearning:
                    state, step, interval = _RELEARNING, 0, relearning[0]
                else:
                    interval = None
            else:
                steps = relearning if state == _RELEARNING else learning
                if state == _NEW:
                    state, step = _LEARNING, 0
                if not steps or (step >= len(steps) and rating > 1):
                    state, interval = _REVIEW, None
                elif rating == 1:
                    step, interval = 0, steps[0]
                elif rating == 2:
                    if step == 0 and len(steps) == 1:
                        interval = steps[0] * 1.5
                    elif step == 0:
                        interval = (steps[0] + steps[1]) / 2.0
                    else:
                        interval = steps[step]
                elif rating == 3:
                    if step + 1 == len(steps):
                        state, interval = _REVIEW, None
                    else:
                        step += 1
                        interval = steps[step]
                else:
                    state, interval = _REVIEW, None
            if interval is None:
                interval = timedelta(days=self._interval_days(stability))
            last = time
            reps += 1
        if not reps:
            return states, CardRecord()
        assert interval is not None
        return states, CardRecord(
            state,
            None if state == _REVIEW else step,
            stability,
            difficulty,
            to_ms(from_ms(last) + interval),
            last,
            reps,
            lapses,
        )
