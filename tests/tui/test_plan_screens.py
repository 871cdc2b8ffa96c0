"""The plan in the review app: today's plan and the verdict on home, the plan screen, the
first-run welcome, and practice from home.
"""

from __future__ import annotations

from datetime import date

import pytest
from textual.widgets import Input, SelectionList

from drill.core.model import Rating
from drill.storage import repo
from drill.study import setup
from drill.study.plan import Choices
from drill.tui.app import make_app
from drill.tui.screens.home import HomeScreen
from drill.tui.screens.plan import PlanScreen
from drill.tui.screens.review import ReviewScreen
from drill.tui.screens.summary import SummaryScreen
from drill.tui.screens.welcome import WelcomeScreen
from drill.tui.widgets.charts import PlanChart
from tests.tui.helpers import DECK, NOW, Clock, make_db, screen_text

SIZES = [
    pytest.param((80, 24), id="80x24"),
    pytest.param((120, 40), id="120x40"),
    pytest.param((60, 20), id="60x20"),
]

SECOND = """\
# Behavioral questions

## Tell me about a time you failed.
id: failed

### Why they ask
To see whether you own mistakes.

## Describe a conflict with a coworker.
id: conflict
"""


def app_for(db, **kwargs):  # type: ignore[no-untyped-def]
    clock = Clock()
    return make_app(db, now=clock.now, timer=clock.timer, **kwargs)


# -- home ---------------------------------------------------------------------------------------


async def test_home_shows_todays_plan_and_the_verdict():
    db = make_db(DECK, SECOND)
    app = app_for(db)
    async with app.run_test(size=(80, 24)):
        text = screen_text(app)
        # Five questions at two minutes each fit one day: all of them today.
        assert "≈ 10 min today: 5 new questions." in text
        assert "Plan All 5 questions will be rehearsed by 5 Jan at 20 min a day." in text


async def test_one_countdown_for_the_collections_interview():
    db = make_db(DECK, SECOND)
    repo.set_config(db, None, "interview_date", "2026-01-19")
    app = app_for(db)
    async with app.run_test(size=(80, 24)):
        text = screen_text(app)
        assert text.count("Interview in 14 days") == 1
        assert "Interview basics" not in text.split("Interview in 14 days")[1].split("\n")[0]


async def test_f_opens_the_plan_and_escape_returns():
    app = app_for(make_db(DECK, SECOND))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f")
        assert isinstance(app.screen, PlanScreen)
        chart = app.screen.query_one(PlanChart)
        assert len(chart.values) == 14 and chart.has_data
        assert "All 5 questions will be rehearsed" in screen_text(app)
        await pilot.press("escape")
        assert isinstance(app.screen, HomeScreen)


async def test_p_practises_without_rescheduling():
    db = make_db(DECK)
    app = app_for(db)
    before = db.execute("SELECT * FROM cards ORDER BY id").fetchall()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("p")
        assert isinstance(app.screen, ReviewScreen)
        assert app.screen.practice is not None
        assert "practice · 3 left" in str(app.screen.query_one("#counts").visual)
        await pilot.press("space", "1", "space", "4", "q")
        assert isinstance(app.screen, SummaryScreen)
        text = screen_text(app)
        assert "Practice ended" in text and "no card was rescheduled" in text
    assert db.execute("SELECT * FROM cards ORDER BY id").fetchall() == before
    assert db.execute("SELECT count(*) FROM reviews").fetchone()[0] == 0
    assert db.execute("SELECT rating FROM practice ORDER BY id").fetchall() == [(1,), (4,)]


async def test_a_paused_deck_says_so_instead_of_reviewing():
    db = make_db(DECK, SECOND)
    repo.set_paused(db, "interview-basics", True)
    app = app_for(db)
    async with app.run_test(size=(80, 24)) as pilot:
        # The cursor starts on the first deck with work; the paused deck is above it.
        await pilot.press("up", "enter")
        assert isinstance(app.screen, HomeScreen)


# -- the welcome ------------------------------------------------------------------------------


async def test_the_welcome_opens_on_a_first_start_and_esc_keeps_the_defaults():
    db = make_db(DECK, SECOND)
    app = app_for(db, welcome=True)
    async with app.run_test(size=(80, 24)) as pilot:
        assert isinstance(app.screen, WelcomeScreen)
        assert "Plan All 5 questions will be rehearsed" in screen_text(app)
        await pilot.press("escape")
        assert isinstance(app.screen, HomeScreen)
    assert not setup.needs_welcome(db)
    assert Choices.current(db) == Choices(
        frozenset({"interview-basics", "behavioral-questions"}), None, 20
    )
    again = app_for(db, welcome=True)
    async with again.run_test(size=(80, 24)):
        assert isinstance(again.screen, HomeScreen)


@pytest.mark.parametrize("start", ["review", "mock"])
async def test_the_welcome_never_stands_in_front_of_review_or_mock(start):
    from drill.study import mock

    db = make_db(DECK)
    plan = None
    if start == "mock":
        import random

        plan = mock.MockPlan(mock.draw_questions(db, NOW, 1, rng=random.Random(1)), 60)
    app = app_for(db, welcome=True, start=start, mock=plan)
    async with app.run_test(size=(80, 24)):
        assert not isinstance(app.screen, WelcomeScreen)
    assert setup.needs_welcome(db)


async def test_choices_in_the_welcome_become_the_plan():
    db = make_db(DECK, SECOND)
    app = app_for(db, welcome=True)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        assert isinstance(screen, WelcomeScreen)
        decks = screen.query_one("#welcome-decks", SelectionList)
        decks.deselect("behavioral-questions")
        await pilot.pause()
        assert "All 3 questions" in screen_text(app)
        screen.query_one("#welcome-date", Input).value = "2026-01-01"
        await pilot.pause()
        text = screen_text(app)
        assert "2026-01-01 is in the past" in text
        assert "Fix the choice above" in text
        screen.query_one("#welcome-date", Input).value = "2026-01-12"
        screen.query_one("#welcome-minutes", Input).value = "30"
        await pilot.pause()
        text = screen_text(app)
        assert "Monday 12 Jan" in text
        assert "before 12 Jan at 30 min a day" in text
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, HomeScreen)
    assert Choices.current(db) == Choices(frozenset({"interview-basics"}), date(2026, 1, 12), 30)
    assert repo.decks(db, "behavioral-questions")[0].paused


async def test_w_reopens_the_welcome_from_home():
    db = make_db(DECK)
    setup.skip_welcome(db)
    app = app_for(db, welcome=True)
    async with app.run_test(size=(80, 24)) as pilot:
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("w")
        assert isinstance(app.screen, WelcomeScreen)
        assert app.screen.first_run is False
        await pilot.press("escape")
        assert isinstance(app.screen, HomeScreen)


async def test_no_deck_chosen_cannot_start():
    db = make_db(DECK)
    app = app_for(db, welcome=True)
    async with app.run_test(size=(80, 24)) as pilot:
        app.screen.query_one("#welcome-decks", SelectionList).deselect_all()
        await pilot.pause()
        assert "Pick at least one deck." in screen_text(app)
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, WelcomeScreen)


# -- snapshots ---------------------------------------------------------------------------------


@pytest.mark.parametrize("size", SIZES)
def test_welcome_snapshot(snap_compare, size):
    db = make_db(DECK, SECOND)
    assert snap_compare(app_for(db, welcome=True), terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_plan_screen_snapshot(snap_compare, size):
    db = make_db(DECK, SECOND)
    repo.set_config(db, None, "interview_date", "2026-01-16")
    assert snap_compare(app_for(db), press=["f"], terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_home_with_a_plan_and_one_countdown(snap_compare, size):
    from drill.study.session import ReviewSession

    db = make_db(DECK, SECOND)
    repo.set_config(db, None, "interview_date", "2026-01-19")
    session = ReviewSession(db)
    card = session.next_card(NOW)
    session.rate(card.card_id, Rating.GOOD, NOW, 95_000)
    assert snap_compare(app_for(db), terminal_size=size)


@pytest.mark.parametrize("size", SIZES[:2])
def test_practice_snapshot(snap_compare, size):
    assert snap_compare(app_for(make_db(DECK)), press=["p", "space"], terminal_size=size)


async def test_a_role_pack_ticked_in_the_welcome_is_added():
    from drill.library.bundled import packs_to_add

    db = make_db(DECK)
    pack = packs_to_add(db)[0]
    app = app_for(db, welcome=True)
    async with app.run_test(size=(80, 24)) as pilot:
        listed = app.screen.query_one("#welcome-decks", SelectionList)
        assert pack.id in [listed.get_option_at_index(i).value for i in range(listed.option_count)]
        assert pack.id not in listed.selected  # offered, not chosen
        listed.select(pack.id)
        await pilot.pause()
        total = 3 + len(pack.questions)
        assert f"of {total} questions" in screen_text(app) or f"All {total}" in screen_text(app)
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, HomeScreen)
    assert {d.id for d in repo.decks(db) if not d.paused} == {"interview-basics", pack.id}


POSTING = """Customer Support Lead

Responsibilities:
- Handle conflict with coworkers and customers calmly and constructively.
- Learn from failure: own your mistakes and explain what you changed.
"""


async def test_a_posting_pasted_in_the_welcome_ticks_its_decks_and_sets_its_date():
    from textual.widgets import Button, TextArea

    from drill.library.jobs import job_scope
    from drill.tui.screens.add_job import AddJobScreen

    db = make_db(DECK, SECOND)
    app = app_for(db, welcome=True)
    async with app.run_test(size=(80, 24)) as pilot:
        welcome = app.screen
        assert isinstance(welcome, WelcomeScreen)
        welcome.query_one("#welcome-posting", Button).press()
        await pilot.pause()
        assert isinstance(app.screen, AddJobScreen)
        app.screen.query_one(TextArea).text = POSTING
        app.screen.query_one("#add-job-date", Input).value = "2026-01-19"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is welcome
        scope = job_scope(db, 1)
        ticked = {deck for deck, ids in scope.members.items() if ids}
        listed = welcome.query_one("#welcome-decks", SelectionList)
        # The set's decks are ticked, whatever was before; the job's date is the plan's.
        assert set(listed.selected) == ticked
        assert welcome.query_one("#welcome-date", Input).value == "2026-01-19"
        assert "Job 1: 1 question from 1 deck, ticked above" in screen_text(app)
        assert ticked == {"behavioral-questions"}  # interview-basics is not in the set
        assert "before 19 Jan" in screen_text(app)
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, HomeScreen)
    assert {d.id for d in repo.decks(db) if not d.paused} == ticked
    assert repo.collection_config(db).interview_date == date(2026, 1, 19)


@pytest.mark.parametrize("size", SIZES)
def test_welcome_after_a_posting_snapshot(snap_compare, size):
    from drill.library.jobs import add_job

    db = make_db(DECK, SECOND)

    async def paste(pilot):  # type: ignore[no-untyped-def]
        # As the add-job modal would: the job stored, then handed to the welcome.
        screen = pilot.app.screen
        job = add_job(db, POSTING, NOW, name="the posting", interview=date(2026, 1, 19))
        screen._job_added(job.id)
        await pilot.pause()

    assert snap_compare(app_for(db, welcome=True), run_before=paste, terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("posting", [False, True], ids=["fresh", "after-a-posting"])
async def test_the_welcome_shows_every_choice_and_the_verdict_without_scrolling(size, posting):
    """The date, the minutes and the verdict are on screen at once at every size (the
    minutes once needed a scroll at 80x24), even with a job's note and every role pack listed.
    """
    from drill.library.jobs import add_job

    db = make_db(DECK, SECOND)
    app = app_for(db, welcome=True)
    async with app.run_test(size=size) as pilot:
        welcome = app.screen
        assert isinstance(welcome, WelcomeScreen)
        if posting:
            job = add_job(db, POSTING, NOW, name="the posting", interview=date(2026, 1, 19))
            welcome._job_added(job.id)
        await pilot.pause()
        for selector in ("#welcome-date", "#welcome-minutes", "#welcome-verdict"):
            widget = welcome.query_one(selector)
            region = widget.region
            assert region.height >= 1, selector
            assert region.bottom <= size[1], selector
            # Nothing covers it and no container clips it: the widget itself is there.
            assert welcome.get_widget_at(region.x, region.y)[0] is widget, selector
        verdict = welcome.query_one("#welcome-verdict")
        assert verdict.region.bottom <= welcome.query_one("#welcome-buttons").region.y
        assert "Plan " in screen_text(app)
        # The deck list gives way, but always shows a few decks.
        assert welcome.query_one("#welcome-decks").region.height >= 3
        # Typing in the minutes field works where it stands.
        welcome.query_one("#welcome-minutes", Input).focus()
        await pilot.press("backspace", "backspace", "3", "0")
        await pilot.pause()
        assert "at 30 min a day" in screen_text(app)
