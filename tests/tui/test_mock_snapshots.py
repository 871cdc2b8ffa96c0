"""Screenshots of the mock interview at 80x24 and 120x40: a question with its countdown, the
warning colour in the last 20 s, time's up, the end review with its checklist, the summary.

The clock is a test clock: the countdown only moves when a test sets the time and ticks it.
"""

from __future__ import annotations

import pytest

from drill.tui.app import make_app
from drill.tui.widgets.countdown import Countdown
from tests.tui.helpers import DECK, Clock, make_db
from tests.tui.test_mock import plan_for

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]


def mock_app(clock: Clock, *ids: str, seconds: int = 120, phrasing: int = 0):
    db = make_db(DECK)
    plan = plan_for(db, *ids, seconds=seconds, phrasing=phrasing)
    return make_app(db, start="mock", mock=plan, now=clock.now, timer=clock.timer)


def at(clock: Clock, seconds: float):
    """A `run_before` that moves the test clock and redraws the countdown."""

    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await pilot.pause()
        clock.seconds = seconds
        pilot.app.screen.query_one(Countdown).tick()
        await pilot.pause()

    return run_before


def typed(text: str) -> list[str]:
    return ["space" if c == " " else c for c in text]


@pytest.mark.parametrize("size", SIZES)
def test_mock_question(snap_compare, size):
    clock = Clock()
    app = mock_app(clock, "about-yourself", "weakness", phrasing=1)
    press = typed("I run the night shift.")
    assert snap_compare(app, press=press, run_before=at(clock, 35), terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_mock_warning(snap_compare, size):
    clock = Clock()
    app = mock_app(clock, "weakness", "about-yourself")
    assert snap_compare(app, run_before=at(clock, 104.5), terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_mock_times_up(snap_compare, size):
    clock = Clock()
    app = mock_app(clock, "weakness", "about-yourself")
    press = typed("I used to avoid")
    assert snap_compare(app, press=press, run_before=at(clock, 127), terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_mock_review_checklist(snap_compare, size):
    clock = Clock()
    app = mock_app(clock, "about-yourself", "weakness", phrasing=1)

    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await pilot.press(*typed("I am a nurse with nine years in emergency care."))
        clock.seconds = 95
        await pilot.press("ctrl+s")
        clock.seconds = 95 + 130
        await pilot.press(*typed("Public speaking."), "ctrl+s")

    # Tick the first do: half the dos, no don't, so Good.
    assert snap_compare(app, run_before=run_before, press=["space"], terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_mock_summary(snap_compare, size):
    clock = Clock()
    app = mock_app(clock, "about-yourself", "why-this-job")

    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await pilot.press(*typed("I am a nurse."))
        clock.seconds = 95
        await pilot.press("ctrl+s")
        clock.seconds = 95 + 40
        await pilot.press("ctrl+s")

    press = ["space", "down", "space", "enter", "2"]
    assert snap_compare(app, run_before=run_before, press=press, terminal_size=size)
