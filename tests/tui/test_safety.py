"""Deck and user text is shown literally: no Rich markup, links, HTML or escape sequences."""

from __future__ import annotations

from drill.core.model import CardKind
from drill.study import answers
from drill.tui.app import make_app
from drill.tui.screens.review import ReviewScreen
from drill.tui.widgets.deck_table import DeckTable
from tests.tui.helpers import HOSTILE, NOW, make_db, screen_text

PROMPT = "Why [bold red]now[/] at [link=https://evil.example]ACME[/link]?"


async def test_deck_name_is_literal_on_home(clock):
    db = make_db(HOSTILE)
    app = make_app(db, now=clock.now, timer=clock.timer)
    async with app.run_test():
        table = app.screen.query_one(DeckTable)
        assert table.get_row_at(0)[0].plain == "Hostile [bold]deck[/]"


async def test_prompt_and_notes_are_literal_in_review(clock):
    db = make_db(HOSTILE)
    app = make_app(db, start="review", now=clock.now, timer=clock.timer)
    async with app.run_test() as pilot:
        front = screen_text(app)
        assert PROMPT in front
        assert "Hostile [bold]deck[/]" in front
        await pilot.press("space")
        back = screen_text(app)
        assert "Mention [i]this[/i] and <company>." in back


async def test_control_characters_are_stripped_before_display(clock):
    db = make_db(HOSTILE)
    # Bypass the importer (which already strips them) to test the display layer alone.
    db.execute(
        "UPDATE questions SET why = ?, question = ?",
        ["Keep \x1b[31mred\x1b[0m <b>here</b>", "Ring\x07 the \x1b]0;title\x07bell?"],
    )
    db.execute("UPDATE cards SET suspended = 1 WHERE kind != 'why'")
    app = make_app(db, start="review", now=clock.now, timer=clock.timer)
    async with app.run_test() as pilot:
        assert isinstance(app.screen, ReviewScreen)
        assert app.screen.card.kind == CardKind.WHY
        await pilot.press("space")
        text = screen_text(app)
        assert "\x1b" not in text and "\x07" not in text
        assert "Keep [31mred[0m <b>here</b>" in text
        assert "Ring the ]0;titlebell?" in text
        assert "\x1b" not in app.export_screenshot()


async def test_user_answer_is_literal(clock):
    db = make_db(HOSTILE)
    answers.save_answer(db, "hostile-bold-deck", "hostile", "I [bold]won[/bold] <b>", "cli", NOW)
    app = make_app(db, start="review", now=clock.now, timer=clock.timer)
    async with app.run_test() as pilot:
        await pilot.press("space")
        assert "I [bold]won[/bold] <b>" in screen_text(app)


async def test_an_error_notice_never_carries_an_escape_sequence(clock):
    """An error may quote a file name or text from a restored database."""
    from drill.errors import DrillError
    from drill.tui.guard import handle

    app = make_app(make_db(HOSTILE), now=clock.now, timer=clock.timer)
    async with app.run_test() as pilot:
        assert handle(app, DrillError("no deck 'x\x1b]52;c;eA==\x07\x9b2J\u202ey'"))
        await pilot.pause()
        [message] = [str(n.message) for n in app._notifications]
        assert message == "no deck 'x]52;c;eA==2Jy'"
