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

Studying keeps Hard, Good and Easy a day apart once a card is scheduled in days
(`core.scheduling.rate`); that moves only due dates, never the memory state. So the replay
runs the formulas above, then gives each due date it reports (the final record's, and each
state before a review when asked) by the same rule, from the state before that review: a
replay ends where studying the same reviews would have.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import timedelta

from fsrs import Scheduler

from drill.core.clock import from_ms, to_ms
from drill.core.model import CardRecord, CardState, Rating
from drill.core.scheduling import rate

DAY_MS = 86_400_000
STABILITY_MIN = 0.001  # py-fsrs's STABILITY_MIN
_NEW, _LEARNING, _REVIEW, _RELEARNING = (int(s) for s in CardState)


class Replayer:
    """The replay of reviews under one scheduler's settings (fuzz never applies)."""

    def __init__(self, scheduler: Scheduler) -> None:
        self._scheduler = scheduler
        w = tuple(float(p) for p in scheduler.parameters)
        self._w = w
        self._decay: float = scheduler._DECAY
        self._factor: float = scheduler._FACTOR
        self._retention = scheduler.desired_retention
        self._maximum = scheduler.maximum_interval
        self._learning = tuple(scheduler.learning_steps)
        self._relearning = tuple(scheduler.relearning_steps)
        # Each constant is a subexpression py-fsrs evaluates the same way every time.
        self._e_w8: float = math.e ** w[8]
        self._forget_short: float = math.e ** (w[17] * w[18])
        # _initial_difficulty(Easy, clamp=False), the target of mean reversion.
        self._easy_d: float = w[4] - (math.e ** (w[5] * (4 - 1))) + 1
        self._interval_scale: float = (self._retention ** (1 / self._decay)) - 1

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
        w, e = self._w, math.e
        decay, factor = self._decay, self._factor
        e_w8, forget_short, easy_d = self._e_w8, self._forget_short, self._easy_d
        learning, relearning = self._learning, self._relearning
        scale, maximum = self._interval_scale, self._maximum
        states = bytearray(len(times))
        state, step = _NEW, 0
        stability = difficulty = 0.0
        last = 0
        reps = lapses = 0
        interval: timedelta | None = None
        due: int | None = None
        final_index = len(times) - 1
        before_last = CardRecord()
        for index, (time, rating) in enumerate(zip(times, ratings, strict=True)):
            states[index] = state
            if index == final_index and befores is None:
                before_last = self._record(
                    state, step, stability, difficulty, last, interval, reps, lapses
                )
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
            # Memory: stability and difficulty, each formula as py-fsrs writes it.
            if state == _NEW:
                stability = max(w[rating - 1], STABILITY_MIN)
                difficulty = min(max(w[4] - (e ** (w[5] * (rating - 1))) + 1, 1.0), 10.0)
            else:
                days = (time - last) // DAY_MS
                if days < 1:  # _short_term_stability
                    increase: float = (e ** (w[17] * (rating - 3 + w[18]))) * (stability ** -w[19])
                    if rating > 1 and increase < 1.0:
                        increase = 1.0
                    stability = max(stability * increase, STABILITY_MIN)
                else:
                    recall: float = (1 + factor * days / stability) ** decay
                    if rating == 1:  # _next_forget_stability
                        long: float = (
                            w[11]
                            * (difficulty ** -w[12])
                            * (((stability + 1) ** (w[13])) - 1)
                            * (e ** ((1 - recall) * w[14]))
                        )
                        stability = max(min(long, stability / forget_short), STABILITY_MIN)
                    else:  # _next_recall_stability
                        hard = w[15] if rating == 2 else 1
                        easy = w[16] if rating == 4 else 1
                        grown: float = stability * (
                            1
                            + e_w8
                            * (11 - difficulty)
                            * (stability ** -w[9])
                            * ((e ** ((1 - recall) * w[10])) - 1)
                            * hard
                            * easy
                        )
                        stability = max(grown, STABILITY_MIN)
                # _next_difficulty: linear damping, then mean reversion to D0(Easy).
                damped = difficulty + (10.0 - difficulty) * -(w[6] * (rating - 3)) / 9.0
                difficulty = min(max(w[7] * easy_d + (1 - w[7]) * damped, 1.0), 10.0)
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
            if interval is None:  # _next_interval: whole days, at least one, at most the maximum
                ideal: float = (stability / factor) * scale
                interval = timedelta(days=min(max(round(ideal), 1), maximum))
            last = time
            reps += 1
        if not reps:
            return states, CardRecord()
        assert interval is not None
        final = CardRecord(
            state,
            None if state == _REVIEW else step,
            stability,
            difficulty,
            to_ms(from_ms(last) + interval),
            last,
            reps,
            lapses,
        )
        if befores is not None:
            start = len(befores) - len(times)
            for index in range(start + 1, len(befores)):
                befores[index] = self._spread(
                    befores[index - 1], times[index - start - 1], ratings[index - start - 1],
                    befores[index],
                )  # fmt: skip
            before_last = befores[-1]
        return states, self._spread(before_last, times[-1], ratings[-1], final)

    def _spread(self, before: CardRecord, time: int, rating: int, after: CardRecord) -> CardRecord:
        """`after` with the due date studying gives it (`scheduling.rate`'s rule)."""
        if rating == 1 or after.state != _REVIEW:
            return after  # in (re)learning steps: nothing to keep apart
        spread = rate(self._scheduler, 0, before, Rating(rating), from_ms(time))
        if spread.due == after.due:
            return after
        return CardRecord(
            after.state, after.step, after.stability, after.difficulty, spread.due,
            after.last_review, after.reps, after.lapses,
        )  # fmt: skip

    @staticmethod
    def _record(
        state: int, step: int, stability: float, difficulty: float, last: int,
        interval: timedelta | None, reps: int, lapses: int,
    ) -> CardRecord:  # fmt: skip
        """The card before a review, as `replay` appends it to `befores`."""
        return CardRecord(
            state,
            None if state in (_NEW, _REVIEW) else step,
            None if state == _NEW else stability,
            None if state == _NEW else difficulty,
            None if interval is None else to_ms(from_ms(last) + interval),
            last if reps else None,
            reps,
            lapses,
        )
