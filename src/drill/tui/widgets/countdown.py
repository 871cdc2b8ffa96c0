"""A countdown for one mock-interview answer: m:ss, a warning colour near the end, then overtime."""

from __future__ import annotations

import math
from collections.abc import Callable

from textual.content import Content
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Static

from drill.core.format import clock_time
from drill.study.mock import WARNING_SECONDS


def format_mss(seconds: int) -> str:
    """Whole seconds as m:ss (95 -> 1:35)."""
    return clock_time(seconds)


def format_countdown(remaining: float) -> str:
    """Time left as m:ss, rounded up (2:00 at the start, 0:00 only when time is up); past
    the limit, the overtime as +m:ss.
    """
    if remaining > 0:
        return format_mss(math.ceil(remaining - 1e-9))
    over = int(-remaining)
    return "0:00" if over == 0 else "+" + format_mss(over)


class Countdown(Static):
    """Counts down from `limit_s` on `timer` (seconds). Classes `-warning` in the last
    `warn_s` seconds and `-over` once time is up, when it also posts `TimeUp` (once).

    `live=False` (a test clock) starts no interval: call `tick()` to redraw.
    """

    DEFAULT_CSS = """
    Countdown { width: auto; text-style: bold; }
    Countdown.-warning { color: $text-warning; }
    Countdown.-over { color: $text-error; }
    """

    class TimeUp(Message):
        """The time limit was reached (the answer goes on: this only announces it)."""

    def __init__(
        self,
        limit_s: int,
        timer: Callable[[], float],
        *,
        live: bool,
        warn_s: int = WARNING_SECONDS,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.limit_s = limit_s
        self.warn_s = warn_s
        self._timer = timer
        self._live = live
        self._started = timer()
        self._announced = False
        self._ticker: Timer | None = None

    def on_mount(self) -> None:
        if self._live:
            # Four times a second, so the display never lags a second behind the truth.
            self._ticker = self.set_interval(0.25, self.tick)
        self.tick()

    @property
    def remaining(self) -> float:
        return self.limit_s - (self._timer() - self._started)

    def restart(self, limit_s: int | None = None) -> None:
        """Start again from the full limit (for the next question)."""
        if limit_s is not None:
            self.limit_s = limit_s
        self._started = self._timer()
        self._announced = False
        self.tick()

    def tick(self) -> None:
        remaining = self.remaining
        self.update(Content(format_countdown(remaining)))
        over = remaining <= 0
        self.set_class(over, "-over")
        self.set_class(not over and remaining <= self.warn_s, "-warning")
        if over and not self._announced:
            self._announced = True
            self.post_message(self.TimeUp())
