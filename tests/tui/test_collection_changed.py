"""Another drill changes the collection under the review app: the app notices, says so and
goes home; it exits non-zero only on a real crash.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from drill.library.importing import import_decks, remove_deck
from drill.storage.backup import open_backup, restore_into
from drill.storage.db import open_database
from drill.tui.app import make_app
from drill.tui.screens.home import HomeScreen
from drill.tui.screens.review import ReviewScreen
from tests.helpers import SAMPLE_DECK, parse
from tests.tui.helpers import DECK, NOW, screen_text

DECK_ID = "interview-basics"


@pytest.fixture
def path(tmp_path: Path) -> Path:
    db = open_database(tmp_path / "drill.db")
    import_decks(db, [parse(DECK)], NOW)
    db.close()
    return tmp_path / "drill.db"


def other_drill_removes_the_deck(path: Path) -> None:
    other = open_database(path)
    remove_deck(other, DECK_ID, NOW)
    other.close()


def other_drill_restores_a_backup(path: Path) -> None:
    elsewhere = path.with_name("elsewhere.db")
    db = open_database(elsewhere)
    import_decks(db, [parse(SAMPLE_DECK)], NOW)
    db.close()
    other = open_database(path)
    source = open_backup(elsewhere)
    restore_into(other, path, source, NOW)
    source.close()
    other.close()


CHANGES = [other_drill_removes_the_deck, other_drill_restores_a_backup]


def deck_names(app) -> list[str]:
    from drill.tui.widgets.deck_table import DeckTable

    return [row.name for row in app.screen.query_one(DeckTable)._rows]


def notices(app) -> list[str]:
    return [str(n.message) for n in app._notifications]


@pytest.mark.parametrize("change", CHANGES, ids=["removed", "restored"])
@pytest.mark.parametrize(
    "keys",
    [
        ["space"],
        ["space", "3"],
        ["u", "space"],
        ["s"],
        ["b"],
        ["q"],
        ["e", "x", "ctrl+s"],
        ["t", "x", "ctrl+s"],
    ],
    ids=["reveal", "rate", "undo", "suspend", "bury", "end", "edit", "type"],
)
async def test_review_goes_home_when_the_deck_goes(path, clock, change, keys):
    db = open_database(path)
    app = make_app(db, deck_id=DECK_ID, start="review", now=clock.now, timer=clock.timer)
    async with app.run_test(size=(80, 24)) as pilot:
        assert isinstance(app.screen, ReviewScreen)
        change(path)
        for key in keys:
            await pilot.press(key)
            await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen), type(app.screen)
        assert any("Another drill removed a deck or restored a backup" in n for n in notices(app))
        assert "Interview basics" not in screen_text(app)
        await pilot.press("q")
    assert app.return_code in (0, None)
    db.close()


@pytest.mark.parametrize("keys", [["t"], ["e"]], ids=["type", "edit"])
async def test_an_answer_typed_for_a_removed_deck_is_kept_in_a_draft(path, clock, keys):
    """The app goes home, and the typed text does not go with the deck."""
    db = open_database(path)
    app = make_app(db, deck_id=DECK_ID, start="review", now=clock.now, timer=clock.timer)
    async with app.run_test(size=(80, 24)) as pilot:
        card = app.screen.card
        await pilot.press(*keys)
        for key in "my words":
            await pilot.press("space" if key == " " else key)
        other_drill_removes_the_deck(path)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen), type(app.screen)
        draft = path.parent / "drafts" / f"answer-{card.deck_id}-{card.question_id}.md"
        assert draft.read_text(encoding="utf-8") == "my words\n"
        assert any(f"Your text is kept in {draft}." in n for n in notices(app)), notices(app)
    db.close()


@pytest.mark.parametrize("change", CHANGES, ids=["removed", "restored"])
async def test_home_refreshes_when_the_deck_goes(path, clock, change):
    db = open_database(path)
    app = make_app(db, now=clock.now, timer=clock.timer)
    async with app.run_test(size=(80, 24)) as pilot:
        assert deck_names(app) == ["Interview basics"]
        change(path)
        await pilot.press("enter")  # review the deck that was selected
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert "Interview basics" not in deck_names(app)
        assert any("Another drill removed a deck or restored a backup" in n for n in notices(app))
    assert app.return_code in (0, None)
    db.close()


async def test_a_real_crash_sets_a_non_zero_return_code(path, clock, monkeypatch):
    db = open_database(path)
    app = make_app(db, start="review", now=clock.now, timer=clock.timer)

    def boom(self):
        raise RuntimeError("a bug")

    monkeypatch.setattr(ReviewScreen, "action_reveal", boom)
    with pytest.raises(RuntimeError):
        async with app.run_test() as pilot:
            await pilot.press("space")
            await pilot.pause()
    assert app.return_code == 1
    db.close()


@pytest.mark.parametrize(("code", "status"), [(0, 0), (1, 1)])
def test_the_cli_exits_with_the_apps_return_code(path, monkeypatch, code, status):
    from textual.app import App

    def run(self, *args, **kwargs):
        self._return_code = code

    monkeypatch.setattr(App, "run", run)
    from drill.cli.main import cli

    result = CliRunner().invoke(
        cli,
        ["review"],
        env={"DRILL_DB": str(path), "DRILL_NOW": NOW.isoformat(), "DRILL_NO_BUNDLED": "1"},
    )
    assert result.exit_code == status, result.output


@pytest.mark.parametrize("change", CHANGES, ids=["removed", "restored"])
@pytest.mark.parametrize("keys", [["s"], ["enter"], ["enter", "s"], ["enter", "e", "x", "ctrl+s"]])
async def test_browse_and_question_pages_go_home_when_the_deck_goes(path, clock, change, keys):
    from drill.tui.screens.browse import BrowseScreen

    db = open_database(path)
    app = make_app(db, now=clock.now, timer=clock.timer)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("b")
        await pilot.pause()
        assert isinstance(app.screen, BrowseScreen)
        if keys[0] == "enter":
            await pilot.press("enter")
            await pilot.pause()
            keys = keys[1:]
        change(path)
        await pilot.press(*keys) if keys else await pilot.press("r", "y")
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen), type(app.screen)
        assert any("Another drill removed a deck or restored a backup" in n for n in notices(app))
    assert app.return_code in (0, None)
    db.close()


@pytest.mark.parametrize("change", CHANGES, ids=["removed", "restored"])
async def test_the_summary_goes_home_when_the_deck_goes(path, clock, change):
    db = open_database(path)
    app = make_app(db, deck_id=DECK_ID, start="review", now=clock.now, timer=clock.timer)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("space", "3", "q")  # one rating, then the summary
        await pilot.pause()
        change(path)
        await pilot.press("u")  # undo goes back into the session
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen), type(app.screen)
    db.close()
