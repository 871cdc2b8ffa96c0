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
(`core.scheduling.rate`); that moves only due dates, never the memory state. So each due date
the replay reports (the final record's, and each state before a review when asked) follows the
same rule, from the state before that review: a replay ends where studying the same reviews
would have. `rate` asks py-fsrs for each lower rating's whole review; an interval depends
only on the stability, so the replay computes just that, with its own formulas
(`Replayer._spread`): asking py-fsrs cost as much as the rest of a million reviews' replay.
`tests/test_replay.py` holds every due date to `rate`, around day boundaries too.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import timedelta
from time import localtime as _localtime
from typing import TYPE_CHECKING

from drill.core.clock import from_ms, to_ms
from drill.core.model import CardRecord, CardState

if TYPE_CHECKING:  # the optimizer counts study days here without loading py-fsrs
    from fsrs import Scheduler

DAY_MS = 86_400_000
QUARTER_HOUR_MS = 900_000
STABILITY_MIN = 0.001  # py-fsrs's STABILITY_MIN
_NEW, _LEARNING, _REVIEW, _RELEARNING = (int(s) for s in CardState)
_EPOCH_ORDINAL = 719_163  # date(1970, 1, 1).toordinal()


class Replayer:
    """The replay of reviews under one scheduler's settings (fuzz never applies)."""

    def __init__(self, scheduler: Scheduler, day_starts_at: int | None = None) -> None:
        self._scheduler = scheduler
        # With `day_starts_at`, time since the last review counts in study days, as studying
        # counts it (`scheduling.review`); without, in whole 24-hour periods (py-fsrs's own
        # `reschedule_card`, which the differential test compares against).
        self._hour = day_starts_at
        self._days = StudyDays(day_starts_at) if day_starts_at is not None else None
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
        # Subexpressions that depend only on the rating, by rating (index 0 unused): a
        # new card's stability and difficulty, the same-day stability factor, and the
        # difficulty's linear damping. Each is evaluated as the loop wrote it, so the
        # results stay bit for bit py-fsrs's.
        ratings = range(5)
        self._first_s = tuple(max(w[r - 1], STABILITY_MIN) for r in ratings)
        self._first_d = tuple(
            min(max(w[4] - (math.e ** (w[5] * (r - 1))) + 1, 1.0), 10.0) for r in ratings
        )
        self._short_gain = tuple(math.e ** (w[17] * (r - 3 + w[18])) for r in ratings)
        self._damping = tuple(-(w[6] * (r - 3)) for r in ratings)
        # Mean reversion: w[7] * easy_d + (1 - w[7]) * damped, with its two constants.
        self._revert_to: float = w[7] * self._easy_d
        self._revert_rest: float = 1 - w[7]

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
        e_w8, forget_short = self._e_w8, self._forget_short
        learning, relearning = self._learning, self._relearning
        scale, maximum = self._interval_scale, self._maximum
        hour, days_of = self._hour, self._days
        first_s, first_d, short_gain = self._first_s, self._first_d, self._short_gain
        damping, revert_to, revert_rest = self._damping, self._revert_to, self._revert_rest
        neg_w9, neg_w12, neg_w19 = -w[9], -w[12], -w[19]
        quarter, day_ms, least = QUARTER_HOUR_MS, DAY_MS, STABILITY_MIN
        new, learning_state, review, relearning_state = _NEW, _LEARNING, _REVIEW, _RELEARNING
        max_, min_, round_ = max, min, round
        study_days = days_of.memo if days_of is not None else {}
        states = bytearray(len(times))
        state, step = _NEW, 0
        stability = difficulty = 0.0
        last = last_day = 0
        reps = lapses = 0
        whole = 0  # the interval in days, when the card is in review
        interval: timedelta | None = None
        due: int | None = None
        final_index = len(times) - 1
        for index, (time, rating) in enumerate(zip(times, ratings, strict=True)):
            states[index] = state
            if befores is not None:
                befores.append(
                    CardRecord(
                        state,
                        None if state in (new, review) else step,
                        None if state == new else stability,
                        None if state == new else difficulty,
                        due,
                        last if reps else None,
                        reps,
                        lapses,
                    )
                )
            if state == review and rating == 1:
                lapses += 1
            # The study day of each review is looked up once (it is the next one's `last`).
            if hour is not None:
                day = study_days.get(time // quarter)
                if day is None:
                    assert days_of is not None
                    day = days_of.of(time)
            else:
                day = 0
            # The state before: the ratings below this one are scheduled from it (`_spread`).
            old_state, old_step, old_stability, old_difficulty = (
                state, step, stability, difficulty
            )  # fmt: skip
            days = 0
            # Memory: stability and difficulty, each formula as py-fsrs writes it.
            if state == new:
                stability = first_s[rating]
                difficulty = first_d[rating]
            else:
                days = (time - last) // day_ms if hour is None else day - last_day
                if days < 1:  # _short_term_stability
                    increase: float = short_gain[rating] * (stability**neg_w19)
                    if rating > 1 and increase < 1.0:
                        increase = 1.0
                    stability = max_(stability * increase, least)
                else:
                    recall: float = (1 + factor * days / stability) ** decay
                    if rating == 1:  # _next_forget_stability
                        long: float = (
                            w[11]
                            * (difficulty**neg_w12)
                            * (((stability + 1) ** (w[13])) - 1)
                            * (e ** ((1 - recall) * w[14]))
                        )
                        stability = max_(min_(long, stability / forget_short), least)
                    else:  # _next_recall_stability
                        hard = w[15] if rating == 2 else 1
                        easy = w[16] if rating == 4 else 1
                        grown: float = stability * (
                            1
                            + e_w8
                            * (11 - difficulty)
                            * (stability**neg_w9)
                            * ((e ** ((1 - recall) * w[10])) - 1)
                            * hard
                            * easy
                        )
                        stability = max_(grown, least)
                # _next_difficulty: linear damping, then mean reversion to D0(Easy).
                damped = difficulty + (10.0 - difficulty) * damping[rating] / 9.0
                difficulty = min_(max_(revert_to + revert_rest * damped, 1.0), 10.0)
            # Where the card goes next: a learning step or a review in whole days.
            if state == review:
                if rating == 1 and relearning:
                    state, step, interval = relearning_state, 0, relearning[0]
                else:
                    interval = None
            else:
                steps = relearning if state == relearning_state else learning
                if state == new:
                    state, step = learning_state, 0
                if not steps or (step >= len(steps) and rating > 1):
                    state, interval = review, None
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
                        state, interval = review, None
                    else:
                        step += 1
                        interval = steps[step]
                else:
                    state, interval = review, None
            if interval is None:  # _next_interval: whole days, at least one, at most the maximum
                ideal: float = (stability / factor) * scale
                whole = min_(max_(round_(ideal), 1), maximum)
                # Left None: the interval is `whole` days (a timedelta only when reported).
            # The due date is only reported before each review (with `befores`) and after
            # the last, so only those pay for datetimes and for keeping the ratings apart.
            if befores is not None or index == final_index:
                moment = from_ms(time)
                if rating > 1 and state == review:
                    if rating > 2:
                        whole = self._spread(
                            old_state, old_step, old_stability, old_difficulty, days, rating,
                            whole,
                        )  # fmt: skip
                    # scheduling._spread counts whole days from the review's millisecond.
                    due = to_ms(moment) + whole * day_ms
                else:
                    due = to_ms(moment + (timedelta(days=whole) if interval is None else interval))
            last, last_day = time, day
            reps += 1
        if not reps:
            return states, CardRecord()
        return states, CardRecord(
            state,
            None if state == _REVIEW else step,
            stability,
            difficulty,
            due,
            last,
            reps,
            lapses,
        )

    def _spread(
        self, state: int, step: int, stability: float, difficulty: float, days: int,
        rating: int, whole: int,
    ) -> int:  # fmt: skip
        """The days a Good or Easy that schedules the card in `whole` days gives, from the
        state before it, with Hard, Good and Easy kept a day apart as `scheduling.rate` keeps
        them: each passing rating below it that schedules in days too sets a floor.

        Only the lower ratings' intervals are needed, and an interval depends only on the
        stability; so this is the replay's arithmetic for those ratings alone, not py-fsrs's
        `review_card` up to twice more per card (which cost as much as the whole replay).
        """
        below: list[int] = []
        for lower in range(rating - 1, 1, -1):  # rate() asks the ratings below, downwards
            lower_days = self._review_days(state, step, stability, difficulty, days, lower)
            if lower_days is None:
                break  # in (re)learning steps: it bounds nothing, nor do the ones below it
            below.append(lower_days)
        floor: int | None = None
        maximum = self._maximum
        for lower_days in reversed(below):  # scheduling._spread, upwards from Hard
            if floor is not None:
                lower_days = max(lower_days, min(floor + 1, maximum))
            floor = lower_days
        if floor is not None:
            whole = max(whole, min(floor + 1, maximum))
        return whole

    def _review_days(
        self, state: int, step: int, stability: float, difficulty: float, days: int, rating: int
    ) -> int | None:
        """The whole days a passing `rating` (Hard or Good) schedules the card in from this
        state, or None when it leaves the card in learning steps: `replay`'s formulas for
        one review, the ones an interval depends on.
        """
        w = self._w
        if state == _NEW:
            stability = self._first_s[rating]
        elif days < 1:  # _short_term_stability
            increase: float = self._short_gain[rating] * (stability ** -w[19])
            if increase < 1.0:
                increase = 1.0
            stability = max(stability * increase, STABILITY_MIN)
        else:  # _next_recall_stability
            recall: float = (1 + self._factor * days / stability) ** self._decay
            hard = w[15] if rating == 2 else 1
            grown: float = stability * (
                1
                + self._e_w8
                * (11 - difficulty)
                * (stability ** -w[9])
                * ((math.e ** ((1 - recall) * w[10])) - 1)
                * hard
            )
            stability = max(grown, STABILITY_MIN)
        if state != _REVIEW:
            steps = self._relearning if state == _RELEARNING else self._learning
            if state == _NEW:
                step = 0
            # Within its steps (every rating here passes), Hard keeps the step and Good moves
            # to the next one, graduating only from the last.
            if step < len(steps) and (rating == 2 or step + 1 < len(steps)):
                return None
        ideal: float = (stability / self._factor) * self._interval_scale
        return min(max(round(ideal), 1), self._maximum)


class StudyDays:
    """The study day epoch milliseconds fall in, as a day number (`clock.study_date`'s
    ordinal), for days that begin at `hour` local time. `memo` maps each quarter hour
    (`ms // QUARTER_HOUR_MS`) seen to its day: every time zone's offset, and so every day
    boundary, falls on a quarter hour. Hot loops look there first and call `of` on a miss.

    A history's reviews rarely share a quarter hour, so most lookups miss; a miss reads the
    local offset at that second as `datetime.astimezone()` reads it (the C library's
    `localtime`, `tm_gmtoff`) and counts days by arithmetic, a fraction of the cost of
    building the local datetime. `tests/test_replay.py` holds it to `study_date` across
    daylight-saving changes and half-hour zones.
    """

    __slots__ = ("hour_ms", "memo")

    def __init__(self, hour: int) -> None:
        self.hour_ms = hour * 3_600_000
        self.memo: dict[int, int] = {}

    def of(self, ms: int) -> int:
        bucket = ms // QUARTER_HOUR_MS
        day = self.memo.get(bucket)
        if day is None:
            offset_ms = _localtime(ms // 1000).tm_gmtoff * 1000
            day = self.memo[bucket] = (ms + offset_ms - self.hour_ms) // DAY_MS + _EPOCH_ORDINAL
        return day
