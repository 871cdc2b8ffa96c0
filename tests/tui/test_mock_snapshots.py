"""Screenshots of the mock interview at 80x24 and 120x40: a question with its countdown, the
warning colour in the last 20 s, time's up, the end review with its checklist, the summary.

The clock is a test clock: the countdown only moves when a test sets the time and ticks it.
"""

from __future__ import annotations

import dataclasses

import pytest

from drill.tui.app import make_app
from drill.tui.widgets.countdown import Countdown
from tests.tui.helpers import DECK, Clock, make_db
from tests.tui.test_mock import plan_for

COACH_DECK = """\
# Coach deck

## Tell me about a time you failed.
id: failed

### Approach
Own it, give the cost, and say what you changed.

### Do
- Give the cost in numbers.
- Say what you learned.

### Don't
- Don't blame "the other team" or the client.
"""
# The question bank v2's metadata and red flags, on the question the mock asks.
RED_FLAGS = ['Blames others ("it wasn\'t my fault", "the client kept changing their mind").']
FLAGGED = (
    "Um, so, last year we lost a website project at the studio. The client kept changing "
    "their mind, and honestly it wasn't my fault, I did everything they asked. I learned that "
    "some clients just don't know what they want."
)

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]
# The coach's panel sits beside the approach when wide and above it when narrow.
ALL_SIZES = [pytest.param((60, 20), id="60x20"), *SIZES]


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


@pytest.mark.parametrize("size", ALL_SIZES)
def test_mock_review_checklist(snap_compare, size):
    clock = Clock()
    app = mock_app(clock, "about-yourself", "weakness", phrasing=1)

    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await pilot.press(*typed("I am a nurse with nine years in emergency care."))
        clock.seconds = 95
        await pilot.press("ctrl+s")
        clock.seconds = 95 + 130
        await pilot.press(*typed("Public speaking."), "ctrl+s")
        await pilot.press("space")
        # Space scrolls the self-check into view, animated; the picture is of where it ends
        # (the scroll is finished without animation, so the picture never catches it midway).
        from drill.tui.widgets.checklist import Checklist

        await pilot.pause()
        pilot.app.screen.query_one(Checklist).scroll_visible(animate=False)
        await pilot.pause()
        await pilot.wait_for_scheduled_animations()
        await pilot.pause()

    # The coach found the first do ("nine years" is a figure) and ticked it; space unticks
    # it. Its panel (a short answer) sits beside or above the approach.
    assert snap_compare(app, run_before=run_before, terminal_size=size)


@pytest.mark.parametrize("size", ALL_SIZES)
def test_mock_review_red_flag(snap_compare, size):
    """A typed answer with fillers and a red flag: found, pre-ticked in the self-check."""
    clock = Clock()
    db = make_db(COACH_DECK)
    plan = plan_for(db, "failed", seconds=120, deck_id="coach-deck")
    item = plan.questions[0]
    question = dataclasses.replace(item.question, type="behavioral", red_flags=RED_FLAGS)
    plan = dataclasses.replace(plan, questions=[dataclasses.replace(item, question=question)])
    app = make_app(db, start="mock", mock=plan, now=clock.now, timer=clock.timer)

    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        pilot.app.screen.query_one("#mock-answer").insert(FLAGGED)
        clock.seconds = 70
        await pilot.press("ctrl+s")

    assert snap_compare(app, run_before=run_before, terminal_size=size)


@pytest.mark.parametrize("size", ALL_SIZES)
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
