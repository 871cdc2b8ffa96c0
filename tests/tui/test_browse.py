"""Pilot flows through browse and the question page: search, suspend, reset, details."""

from __future__ import annotations

from textual.widgets import DataTable

from drill.study import answers
from drill.tui.screens.answer_editor import AnswerEditor
from drill.tui.screens.browse import BrowseScreen
from drill.tui.screens.confirm import ConfirmScreen
from drill.tui.screens.question import QuestionScreen
from tests.tui.helpers import NOW, screen_text


def shown(app) -> list[str]:
    assert isinstance(app.screen, BrowseScreen)
    return [row.question.id for row in app.screen._shown]


async def open_browse(app, pilot) -> None:
    await pilot.press("b")
    assert isinstance(app.screen, BrowseScreen)


async def search(pilot, text: str) -> None:
    await pilot.press("slash", *("space" if c == " " else c for c in text))


async def test_browse_lists_every_question(app_factory):
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_browse(app, pilot)
        assert shown(app) == ["about-yourself", "why-this-job", "weakness"]
        table = app.screen.query_one(DataTable)
        assert table.row_count == 3
        assert "3 questions" in screen_text(app)


async def test_search_filters_by_text_variants_and_tags(app_factory):
    app = app_factory()
    async with app.run_test() as pilot:
        await open_browse(app, pilot)
        await search(pilot, "weak")
        assert shown(app) == ["weakness"]
        assert "1 of 3 questions" in screen_text(app)
        await pilot.press(*["backspace"] * 4, *"resume")
        assert shown(app) == ["about-yourself"]  # a variant
        await pilot.press(*["backspace"] * 6, *"motivation")
        assert shown(app) == ["why-this-job"]  # a tag
        await pilot.press(*["backspace"] * 10, *"zzz")
        assert shown(app) == []


async def test_typing_s_in_the_search_box_does_not_suspend(app_factory, db):
    app = app_factory()
    async with app.run_test() as pilot:
        await open_browse(app, pilot)
        await search(pilot, "s")
        assert db.execute("SELECT sum(suspended) FROM cards").fetchone()[0] == 0
        # Enter leaves the search box for the results; escape goes back there too.
        await pilot.press("enter")
        assert app.screen.query_one(DataTable).has_focus


async def test_suspend_and_unsuspend_a_question(app_factory, db):
    app = app_factory()
    async with app.run_test() as pilot:
        await open_browse(app, pilot)
        await pilot.press("s")
        rows = db.execute(
            "SELECT suspended FROM cards WHERE question_id = 'about-yourself'"
        ).fetchall()
        assert rows == [(1,), (1,), (1,)]
        assert "suspended" in str(app.screen.query_one(DataTable).get_row_at(0)[2])
        await pilot.press("s")
        assert db.execute(
            "SELECT sum(suspended) FROM cards WHERE question_id = 'about-yourself'"
        ).fetchone() == (0,)


async def test_reset_asks_first_and_keeps_history(app_factory, db):
    app = app_factory()
    async with app.run_test() as pilot:
        # Review the first card, then reset its question from the browser.
        await pilot.press("enter", "space", "3", "q", "q")
        await open_browse(app, pilot)
        await pilot.press("r")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        assert isinstance(app.screen, BrowseScreen)
        assert db.execute("SELECT max(reps) FROM cards").fetchone() == (1,)
        await pilot.press("r")
        await pilot.press("y")
        assert isinstance(app.screen, BrowseScreen)
        assert db.execute("SELECT max(reps), max(state), count(due) FROM cards").fetchone() == (
            0,
            0,
            0,
        )
        assert db.execute("SELECT count(*) FROM reviews").fetchone() == (1,)


async def test_question_page_shows_notes_stats_history_and_answers(app_factory, db):
    answers.save_answer(db, "interview-basics", "about-yourself", "My pitch", "cli", NOW)
    app = app_factory()
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("enter", "space", "3", "q", "q")
        await open_browse(app, pilot)
        await pilot.press("enter")
        assert isinstance(app.screen, QuestionScreen)
        text = screen_text(app)
        for part in (
            "Tell me about yourself.",
            "Walk me through your resume.",
            "Why they ask",
            "Approach",
            "Tags: intro, opener",
            "Cards",
            "Review history",
            "My pitch",
        ):
            assert part in text
        cards = app.screen.query_one("#cards-table", DataTable)
        assert cards.row_count == 3
        first = [str(c) for c in cards.get_row_at(0)]
        assert first[:2] == ["rehearse", "learning"]
        assert first[2] == "2026-01-05 10:10"  # next due
        reviews = app.screen.query_one("#reviews-table", DataTable)
        assert [str(c) for c in reviews.get_row_at(0)][:3] == [
            "2026-01-05 10:00",
            "rehearse",
            "Good",
        ]


async def test_question_page_coaches_the_latest_answer_and_lines_up_every_version(app_factory, db):
    from drill.tui.widgets.insights import InsightsPanel
    from tests.tui.helpers import coach_text

    first = "Um, basically I talk to people, you know."
    latest = (
        "I'm a charge nurse at a 40-bed ward. Last spring I rebuilt our triage handover, and "
        "waiting times fell from 50 minutes to 30 within two months."
    )
    answers.save_answer(db, "interview-basics", "about-yourself", first, "cli", NOW)
    answers.save_answer(db, "interview-basics", "about-yourself", latest, "cli", NOW)
    app = app_factory()
    async with app.run_test(size=(100, 40)) as pilot:
        await open_browse(app, pilot)
        await pilot.press("enter")
        assert isinstance(app.screen, QuestionScreen)
        panel = app.screen.query_one(InsightsPanel)
        assert panel.insights.text == latest
        assert panel.region.height > 5  # shown, not folded to nothing
        assert "Fillers   none" in coach_text(app)
        # The trend: one line per version, newest first, as drill answer --history.
        summaries = [str(w.render()) for w in app.screen.query(".version-summary")]
        assert len(summaries) == 2
        assert summaries[0].startswith("28 words") and "0 fillers" in summaries[0]
        assert summaries[1].startswith("8 words") and "3 fillers" in summaries[1]


async def test_question_page_edit_answer_adds_a_version(app_factory, db):
    app = app_factory()
    async with app.run_test() as pilot:
        await open_browse(app, pilot)
        await pilot.press("enter", "e")
        assert isinstance(app.screen, AnswerEditor)
        await pilot.press(*"Hello", "ctrl+s")
        assert isinstance(app.screen, QuestionScreen)
        history = answers.history(db, "interview-basics", "about-yourself")
        assert [(v.text, v.source) for v in history] == [("Hello", "editor")]
        assert "Hello" in screen_text(app)
        await pilot.press("escape")
        assert isinstance(app.screen, BrowseScreen)


async def test_question_page_suspend_and_reset(app_factory, db):
    app = app_factory()
    async with app.run_test() as pilot:
        await open_browse(app, pilot)
        await pilot.press("enter", "s")
        assert db.execute(
            "SELECT min(suspended) FROM cards WHERE question_id = 'about-yourself'"
        ).fetchone() == (1,)
        states = app.screen.query_one("#cards-table", DataTable).get_column_at(1)
        assert [str(s) for s in states] == ["suspended"] * 3
        await pilot.press("escape")
        # The browser shows the change made on the question page.
        assert "suspended" in str(app.screen.query_one(DataTable).get_row_at(0)[2])
