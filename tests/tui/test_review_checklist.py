"""The self-check on the back of rehearse cards: c focuses it, space or a click ticks, and the
ticks suggest a rating on the rating bar. It is optional: the usual keys keep working.
"""

from __future__ import annotations

import pytest

from drill.core.model import CardKind, Rating
from drill.tui.app import make_app
from drill.tui.screens.review import ReviewScreen
from drill.tui.widgets.checklist import Checklist, ChecklistItems, item_text
from tests.tui.helpers import DECK, Clock, make_db, screen_text

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]


def only_kind(db, kind: CardKind):
    db.execute("UPDATE cards SET suspended = 1 WHERE kind != ?", [kind.value])
    return db


def reviews(db):
    return db.execute("SELECT rating FROM reviews ORDER BY id").fetchall()


def suggested(app) -> list[str]:
    return [b.id for b in app.screen.query("RatingBar Button") if b.has_class("-suggested")]


def test_item_text_drops_inline_markdown():
    assert item_text("Open with *one* **quantified**  result") == "Open with one quantified result"
    assert item_text("Use `STAR`\nstories") == "Use STAR stories"
    assert item_text("2 * 3 = 6, don't_do_this") == "2 * 3 = 6, don't_do_this"


async def test_the_back_of_a_rehearse_card_has_the_checklist(app_factory):
    app = app_factory(start="review")
    async with app.run_test() as pilot:
        await pilot.press("space")
        checklist = app.screen.query_one(Checklist)
        assert checklist.items.prompts == [
            "✓ Open with your current role and one quantified achievement.",
            "✓ End with why you want this role.",
            "✗ Don't recite your resume line by line.",
        ]
        # Optional: no suggestion, nothing highlighted, until something is ticked.
        assert "Suggested" not in screen_text(app)
        assert suggested(app) == []
        assert not checklist.items.has_focus
        assert checklist.items.highlighted is None


async def test_c_focuses_the_checklist_and_space_ticks_for_a_suggestion(app_factory, db):
    app = app_factory(start="review")
    async with app.run_test() as pilot:
        await pilot.press("space", "c")
        items = app.screen.query_one(ChecklistItems)
        assert items.has_focus and items.highlighted == 0
        await pilot.press("space")  # ticks, does not rate
        assert reviews(db) == []
        assert items.selected == [("do", 0)]
        assert "Suggested: 3 Good" in screen_text(app)
        assert suggested(app) == ["rate-3"]
        await pilot.press("down", "down", "space")  # the don't
        assert "Suggested: 2 Hard" in screen_text(app)
        assert suggested(app) == ["rate-2"]
        # Untimed, so every do and no don't is Good, never Easy.
        await pilot.press("space", "up", "space")
        assert app.screen.query_one(Checklist).suggestion == Rating.GOOD
        # Rating keys still rate, whatever the suggestion.
        await pilot.press("1")
        assert reviews(db) == [(1,)]


async def test_escape_leaves_the_checklist_then_ends(app_factory, db):
    from drill.tui.screens.summary import SummaryScreen

    app = app_factory(start="review")
    async with app.run_test() as pilot:
        await pilot.press("space", "c", "escape")
        assert isinstance(app.screen, ReviewScreen)
        assert app.screen.query_one("#card-scroll").has_focus
        assert app.screen.query_one(ChecklistItems).highlighted is None
        # Out of the checklist, space rates Good as always.
        await pilot.press("space")
        assert reviews(db) == [(3,)]
        await pilot.press("escape")
        assert isinstance(app.screen, SummaryScreen)


async def test_enter_in_the_checklist_rates_good(app_factory, db):
    app = app_factory(start="review")
    async with app.run_test() as pilot:
        await pilot.press("space", "c", "enter")
        assert reviews(db) == [(3,)]


async def test_clicking_an_item_ticks_it(app_factory):
    app = app_factory(start="review")
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("space")
        await pilot.click(ChecklistItems, offset=(8, 2))
        checklist = app.screen.query_one(Checklist)
        assert checklist.ticked == [("dont", 0)]
        assert checklist.suggestion == Rating.AGAIN
        await pilot.pause()  # the suggestion reaches the rating bar as a message
        assert suggested(app) == ["rate-1"]


async def test_the_suggestion_is_cleared_on_the_next_card(app_factory, db):
    app = app_factory(start="review")
    async with app.run_test() as pilot:
        await pilot.press("space", "c", "space")
        assert suggested(app) == ["rate-3"]
        await pilot.press("4")
        assert review_screen_card_kind(app) == CardKind.REHEARSE
        await pilot.press("space")
        assert suggested(app) == []


def review_screen_card_kind(app) -> CardKind:
    assert isinstance(app.screen, ReviewScreen)
    return app.screen.card.kind


@pytest.mark.parametrize("kind", [CardKind.WHY, CardKind.DOS])
async def test_other_kinds_have_no_checklist(clock, kind):
    db = only_kind(make_db(DECK), kind)
    app = make_app(db, start="review", now=clock.now, timer=clock.timer)
    async with app.run_test() as pilot:
        await pilot.press("space")
        assert not app.screen.query(Checklist)
        assert app.screen.check_action("checklist", ()) is False
        await pilot.press("c")
        assert isinstance(app.screen, ReviewScreen)


async def test_a_rehearse_card_without_dos_or_donts_has_no_checklist(clock):
    db = make_db(DECK)
    db.execute("UPDATE cards SET suspended = 1 WHERE question_id = 'about-yourself'")
    app = make_app(db, start="review", now=clock.now, timer=clock.timer)
    async with app.run_test() as pilot:
        assert app.screen.card.question_id == "why-this-job"
        await pilot.press("space")
        assert not app.screen.query(Checklist)
        assert "c" not in app.active_bindings


async def test_c_does_nothing_on_the_front(app_factory):
    app = app_factory(start="review")
    async with app.run_test() as pilot:
        await pilot.press("c")
        assert app.screen.mode == "front"
        assert "c" not in app.active_bindings


def app_for(db, **kwargs):
    clock = Clock()
    return make_app(db, now=clock.now, timer=clock.timer, **kwargs)


@pytest.mark.parametrize("size", SIZES)
def test_review_checklist_suggests(snap_compare, size):
    app = app_for(make_db(DECK), start="review")
    press = ["space", "c", "space", "down"]
    assert snap_compare(app, press=press, terminal_size=size)


def test_review_checklist_no_color(snap_compare, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    app = app_for(make_db(DECK), start="review")
    press = ["space", "c", "space", "down"]
    assert snap_compare(app, press=press, terminal_size=(80, 24))
