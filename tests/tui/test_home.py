"""Pilot flows from the home screen: the deck table, empty states and learning more."""

from __future__ import annotations

import re
from datetime import date

from drill.storage import repo
from drill.tui.app import make_app
from drill.tui.screens.browse import BrowseScreen
from drill.tui.screens.help import HelpScreen
from drill.tui.screens.home import HomeScreen
from drill.tui.screens.review import ReviewScreen
from drill.tui.screens.summary import SummaryScreen
from drill.tui.widgets.deck_table import DeckTable
from tests.tui.helpers import DECK, make_db, screen_text

SECOND = """\
# Second deck

## Where do you see yourself in five years?
id: five-years
"""


async def test_home_lists_decks_and_focuses_the_first_with_work(clock):
    db = make_db(SECOND, DECK)
    # The first deck has nothing to do today; the cursor goes to the second.
    repo.set_config(db, "second-deck", "new_per_day", "0")
    app = make_app(db, now=clock.now, timer=clock.timer)
    async with app.run_test(size=(80, 24)):
        table = app.screen.query_one(DeckTable)
        assert table.row_count == 2
        assert table.selected is not None and table.selected.id == "interview-basics"
        assert (table.selected.new, table.selected.learning, table.selected.due) == (3, 0, 0)
        text = screen_text(app)
        assert re.search(r"Reviewed\s+0", text)
        assert re.search(r"Streak\s+0 days", text)


async def test_enter_reviews_the_selected_deck_and_a_reviews_all(clock):
    db = make_db(DECK, SECOND)
    app = make_app(db, now=clock.now, timer=clock.timer)
    async with app.run_test() as pilot:
        await pilot.press("down", "enter")
        assert isinstance(app.screen, ReviewScreen)
        assert app.screen.deck_id == "second-deck"
        await pilot.press("q", "q")
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("a")
        assert isinstance(app.screen, ReviewScreen)
        assert app.screen.deck_id is None


async def test_home_counts_refresh_after_a_review(app_factory):
    app = app_factory()
    async with app.run_test() as pilot:
        await pilot.press("enter", "space", "3", "q", "q")
        assert isinstance(app.screen, HomeScreen)
        assert re.search(r"Reviewed\s+1", screen_text(app))
        row = app.screen.query_one(DeckTable).selected
        assert row is not None and (row.new, row.learning) == (2, 1)


async def test_empty_collection_says_how_to_import(clock):
    db = make_db()
    app = make_app(db, now=clock.now, timer=clock.timer)
    async with app.run_test() as pilot:
        assert "No decks yet" in screen_text(app)
        await pilot.press("enter", "a")
        assert isinstance(app.screen, HomeScreen)


async def test_review_with_nothing_due_goes_to_the_summary(clock):
    db = make_db()
    app = make_app(db, start="review", now=clock.now, timer=clock.timer)
    async with app.run_test():
        assert isinstance(app.screen, SummaryScreen)
        assert "Nothing scheduled" in screen_text(app)


async def test_nothing_due_offers_n_to_learn_more(db, clock):
    repo.set_config(db, None, "new_per_day", "1")
    app = make_app(db, now=clock.now, timer=clock.timer)
    async with app.run_test() as pilot:
        # Learn today's one new card; it graduates with Easy.
        await pilot.press("enter", "space", "4")
        assert isinstance(app.screen, SummaryScreen)
        summary = screen_text(app)
        # Only what can still come today is offered (issue 18): one card a day, two questions
        # left (the third's other cards wait for tomorrow).
        assert "Press n to learn 1 more new card (2 can still come today)." in summary
        await pilot.press("q")
        assert isinstance(app.screen, HomeScreen)
        text = screen_text(app)
        assert "All done for now." in text
        assert "Next card due" in text
        assert "Press n to learn 1 more new card" in text
        await pilot.press("n")
        assert isinstance(app.screen, ReviewScreen)
        assert app.screen.card is not None
        assert app.screen.card.state == 0
        deck = repo.decks(db, "interview-basics")[0]
        assert deck.extra_new == 1


async def test_n_is_not_offered_while_there_is_work(app_factory):
    app = app_factory()
    async with app.run_test() as pilot:
        await pilot.press("n")
        assert isinstance(app.screen, HomeScreen)
        assert "Press n" not in screen_text(app)


async def test_learn_more_from_the_summary(db, clock):
    repo.set_config(db, None, "new_per_day", "1")
    app = make_app(db, start="review", now=clock.now, timer=clock.timer)
    async with app.run_test() as pilot:
        await pilot.press("space", "4")
        assert isinstance(app.screen, SummaryScreen)
        await pilot.press("n")
        assert isinstance(app.screen, ReviewScreen)
        assert app.screen.card is not None


async def test_b_opens_browse_and_escape_returns(app_factory):
    app = app_factory()
    async with app.run_test() as pilot:
        await pilot.press("b")
        assert isinstance(app.screen, BrowseScreen)
        await pilot.press("escape")
        assert isinstance(app.screen, HomeScreen)


async def test_help_lists_every_screen_and_closes(app_factory):
    app = app_factory()
    async with app.run_test() as pilot:
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        text = screen_text(app)
        for title in ("Home", "Review", "Session summary", "Browse", "Question", "Answer editor"):
            assert title in text
        assert "Rate Again" in text
        assert "Bury this question until tomorrow" in text
        await pilot.press("question_mark")
        assert isinstance(app.screen, HomeScreen)


async def test_q_quits(app_factory):
    app = app_factory()
    async with app.run_test() as pilot:
        await pilot.press("q")
        assert not app.is_running


async def test_cursor_stays_on_its_deck_after_help(clock):
    db = make_db(DECK, SECOND)
    app = make_app(db, now=clock.now, timer=clock.timer)
    async with app.run_test() as pilot:
        await pilot.press("down", "question_mark", "escape")
        assert isinstance(app.screen, HomeScreen)
        selected = app.screen.query_one(DeckTable).selected
        assert selected is not None and selected.id == "second-deck"


async def test_clicking_a_deck_twice_reviews_it(clock):
    db = make_db(DECK, SECOND)
    app = make_app(db, now=clock.now, timer=clock.timer)
    async with app.run_test(size=(80, 24)) as pilot:
        # Row 2 of the table: border, header, first deck, second deck.
        await pilot.click(DeckTable, offset=(5, 3))
        assert isinstance(app.screen, HomeScreen)
        await pilot.click(DeckTable, offset=(5, 3))
        assert isinstance(app.screen, ReviewScreen)
        assert app.screen.deck_id == "second-deck"


async def test_interview_countdown_under_the_deck_table(clock):
    db = make_db(DECK, SECOND)
    repo.set_config(db, "interview-basics", "interview_date", "2026-01-19")
    app = make_app(db, now=clock.now, timer=clock.timer)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        line = str(app.screen.query_one("#interviews").visual)
        # Nothing studied yet: nothing seen, no recall to predict.
        assert line == "Interview in 14 days · Interview basics · 0% seen · nothing studied"
        table = app.screen.query_one(DeckTable)
        assert table.row_count == 2
        assert table.region.height == 5  # border, header, both decks: nothing cut off
        # After a review the share seen and the predicted recall appear.
        await pilot.press("enter", "space", "3", "q", "q")
        assert isinstance(app.screen, HomeScreen)
        line = str(app.screen.query_one("#interviews").visual)
        assert re.fullmatch(
            r"Interview in 14 days · Interview basics · 33% seen · \d+% recall on the day", line
        ), line
        selected = app.screen.query_one(DeckTable).selected
        assert selected is not None and selected.interview is not None
        assert selected.interview.days_left == 14


async def test_wide_home_spells_the_countdown_out(clock):
    db = make_db(DECK)
    repo.set_config(db, "interview-basics", "interview_date", "2026-01-06")
    app = make_app(db, now=clock.now, timer=clock.timer)
    async with app.run_test(size=(120, 40)):
        line = str(app.screen.query_one("#interviews").visual)
        assert line.startswith("Interview tomorrow (Tue 06 Jan) · Interview basics · ")
        assert "0% of questions seen · no card studied yet" in line


async def test_no_countdown_without_an_interview_date(app_factory):
    app = app_factory()
    async with app.run_test():
        assert not app.screen.query_one("#interviews").display


def test_countdown_lines_fit_and_name_the_soonest_first():
    from drill.progress.overview import Countdown
    from drill.tui.screens.home import interview_lines

    decks = [
        (f"A deck with a long, long name number {i}", Countdown(date(2026, 2, 1), 30 - i, 0.5, 0.9))
        for i in range(5)
    ]
    lines = [line.plain for line in interview_lines(decks, 78)]
    assert len(lines) == 3
    assert (
        lines[0] == "Interview in 26 days · A deck with a long,… · 50% seen · 90% recall on the day"
    )
    assert lines[1].startswith("Interview in 27 days")
    assert lines[2] == "…and 3 more interviews (drill decks lists them)"
    assert all(len(line) <= 78 for line in lines)


async def test_m_starts_a_mock_of_the_selected_deck_and_returns_home(clock):
    from drill.tui.screens.mock import MockScreen
    from drill.tui.screens.mock_review import MockReviewScreen, MockSummaryScreen

    db = make_db(DECK, SECOND)
    app = make_app(db, now=clock.now, timer=clock.timer)
    async with app.run_test() as pilot:
        await pilot.press("down", "m")
        assert isinstance(app.screen, MockScreen)
        assert {item.deck_id for item in app.screen.plan.questions} == {"second-deck"}
        await pilot.press(*"I would grow into a lead.")
        await pilot.press("ctrl+s")
        await pilot.pause()
        # One question in that deck: its review follows, then the summary, then home.
        assert isinstance(app.screen, MockReviewScreen)
        await pilot.press("q")
        await pilot.pause()
        assert isinstance(app.screen, MockSummaryScreen)
        await pilot.press("q")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
    saved = db.execute("SELECT deck_id, question_id, text, source FROM answers").fetchall()
    assert saved == [("second-deck", "five-years", "I would grow into a lead.", "mock")]
