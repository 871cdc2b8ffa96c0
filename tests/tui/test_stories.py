"""The story bank screen (o on home): each story with what it shows and answers, the
highlighted story's detail, and the coverage of the decks' behavioral questions.

Pilot flows first, then screenshots at 60x20, 80x24 and 120x40.
"""

from __future__ import annotations

import pytest
from textual.widgets import DataTable

from drill.study import stories
from drill.tui.app import make_app
from drill.tui.screens.home import HomeScreen
from drill.tui.screens.stories import StoriesScreen
from tests.tui.helpers import NOW, Clock, make_db, screen_text
from tests.tui.test_bank_v2 import V2

SIZES = [
    pytest.param((60, 20), id="60x20"),
    pytest.param((80, 24), id="80x24"),
    pytest.param((120, 40), id="120x40"),
]
LATE = (
    "Last spring I missed a quarterly report by three days. I told my manager the day I saw "
    "it coming, and since then I flag a slip the day I see it."
)
ROTA = "At the depot two of us wanted the same Friday off; I suggested a rota swap and it held."


def bank_db():  # type: ignore[no-untyped-def]
    db = make_db(V2)
    stories.add_story(db, "Late report", LATE, NOW, links=["bank-v2/missed-deadline"])
    stories.add_story(db, "Rota [bold]swap[/]", ROTA, NOW, competencies=["conflict"])
    return db


def app_on(db):  # type: ignore[no-untyped-def]
    clock = Clock()
    return make_app(db, now=clock.now, timer=clock.timer, start="home")


def table_rows(app, table_id: str) -> list[list[str]]:  # type: ignore[no-untyped-def]
    table = app.screen.query_one(table_id, DataTable)
    return [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]


async def test_o_opens_the_story_bank_with_what_each_story_answers_and_shows():
    app = app_on(bank_db())
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("o")
        assert isinstance(app.screen, StoriesScreen)
        rows = table_rows(app, "#stories-table")
        # A story shows its own competencies and those of the questions it answers.
        assert rows == [
            ["1", "Late report", "1", "ownership, communication"],
            ["2", "Rota [bold]swap[/]", "0", "conflict"],
        ]
        text = screen_text(app)
        assert "Late report" in text and "Answers:" in text
        assert "Tell me about a deadline you missed." in text
        # A question you ask them shares "communication", but no story answers it.
        assert "The hiring manager asks" not in text
        # Down: the second story's detail, its markup shown as typed.
        await pilot.press("down")
        text = screen_text(app)
        assert "Rota [bold]swap[/]" in text and "Linked to no question yet." in text
        await pilot.press("escape")
        assert isinstance(app.screen, HomeScreen)


async def test_coverage_marks_each_competency_with_the_stories_that_show_it():
    app = app_on(bank_db())
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("o")
        coverage = {row[0]: row[1:] for row in table_rows(app, "#coverage-table")}
        # The deck's behavioral question probes ownership and communication, once each.
        assert coverage["ownership"] == ["1", "✓", "·"]
        assert coverage["communication"] == ["1", "✓", "·"]
        text = screen_text(app)
        assert "Every competency has a story." in text


async def test_gaps_and_an_empty_bank_say_what_to_do():
    app = app_on(make_db(V2))
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("o")
        assert not app.screen.query_one("#stories-table", DataTable).display
        text = screen_text(app)
        assert "No story yet: communication, ownership" in text
        assert 'No stories yet. Write your first: drill story add "TITLE" --edit' in text


@pytest.mark.parametrize("size", SIZES)
def test_story_bank(snap_compare, size):
    assert snap_compare(app_on(bank_db()), press=["o"], terminal_size=size)
