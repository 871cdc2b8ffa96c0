"""Screens issue 18 changed (daily use as a new user found it), at 80x24 and 120x40, and
60x20 where width matters. Update with `pytest tests/tui/test_daily_use_snapshots.py
--snapshot-update`, then look at the SVGs.
"""

from __future__ import annotations

import pytest

from drill.core.model import CardKind
from drill.study import answers
from tests.tui.helpers import DECK, NOW, make_db
from tests.tui.test_snapshots import app_for, only_kind

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]
ALL_SIZES = [pytest.param((60, 20), id="60x20"), *SIZES]


@pytest.mark.parametrize("size", ALL_SIZES)
def test_undo_names_what_and_which_question(snap_compare, size):
    # Rate, bury the next question, undo: the bury is taken back and the toast says so.
    press = ["space", "3", "b", "u"]
    assert snap_compare(app_for(make_db(DECK), start="review"), press=press, terminal_size=size)


@pytest.mark.parametrize("size", ALL_SIZES)
def test_typing_a_note_on_a_why_card(snap_compare, size):
    db = only_kind(make_db(DECK), CardKind.WHY.value)
    press = ["t", *"they", "space", *"want", "space", *"a", "space", *"summary"]
    assert snap_compare(app_for(db, start="review"), press=press, terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_why_card_back_with_the_note_just_typed(snap_compare, size):
    db = only_kind(make_db(DECK), CardKind.WHY.value)
    answers.save_note(db, "interview-basics", "about-yourself", CardKind.WHY, "An old note.", NOW)
    press = ["t", *"a", "space", *"summary", "ctrl+s"]
    assert snap_compare(app_for(db, start="review"), press=press, terminal_size=size)


@pytest.mark.parametrize("size", ALL_SIZES)
def test_stats_of_a_new_user(snap_compare, size):
    # Three days of study: the charts show two weeks, not twelve mostly empty ones.
    from tests.tui.test_daily_use import new_user_db

    assert snap_compare(app_for(new_user_db()), press=["s"], terminal_size=size)


@pytest.mark.parametrize("size", ALL_SIZES)
def test_back_of_a_rehearse_card_opens_on_your_answer(snap_compare, size):
    # Typed just now, beside the previous answer, above the short answer and the approach.
    db = make_db(DECK)
    answers.save_answer(
        db, "interview-basics", "about-yourself", "I lead the night shift.", "cli", NOW
    )
    press = ["t", *"Present,", "space", *"past,", "space", *"future.", "ctrl+s"]
    assert snap_compare(app_for(db, start="review"), press=press, terminal_size=size)


@pytest.mark.parametrize("size", ALL_SIZES)
def test_status_line_after_rating(snap_compare, size):
    # "Good · back in 10m" beside the next card's kind; at 60 columns too.
    assert snap_compare(
        app_for(make_db(DECK), start="review"), press=["space", "3"], terminal_size=size
    )


def test_home_offer_at_60x20(snap_compare):
    # The learn-more offer counts only what n can bring today; at 60 columns it still reads.
    from drill.core.model import Rating
    from drill.storage import repo
    from tests.tui.test_snapshots import MORE, RECENT, with_history

    db = with_history(make_db(DECK, MORE), RECENT, Rating.EASY)
    repo.set_config(db, None, "new_per_day", "0")
    assert snap_compare(app_for(db), terminal_size=(60, 20))


@pytest.mark.parametrize("size", ALL_SIZES)
def test_question_page_with_notes_and_undo(snap_compare, size):
    # A note typed on the Why card sits under the answers, apart from them; after suspending
    # the question, u is offered in the footer.
    from tests.tui.test_snapshots import with_history

    db = with_history(make_db(DECK))
    answers.save_answer(db, "interview-basics", "about-yourself", "First try.", "review", NOW)
    answers.save_note(
        db, "interview-basics", "about-yourself", CardKind.WHY, "To hear my story in brief.", NOW
    )

    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await pilot.press("b", "enter", "s")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("end")
        await pilot.pause()
        # The "Suspended." notice times out after 2 s: left out, so a slow run looks the same.
        pilot.app.clear_notifications()
        await pilot.pause()

    assert snap_compare(app_for(db), run_before=run_before, terminal_size=size)
