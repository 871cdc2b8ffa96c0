"""Screenshots of every screen and state at 80x24 and 120x40 (pytest-textual-snapshot).

A fixed clock and fuzz off make them stable; the card timer is frozen at 00:00. Update the
baselines with `pytest tests/tui --snapshot-update`, then look at the SVGs.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from drill.core.model import Rating
from drill.storage import repo
from drill.study import answers
from drill.study.session import ReviewSession
from drill.tui.app import DrillApp, make_app
from tests.tui.helpers import DECK, NOW, Clock, make_db

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]
# Screens whose layout changes with the width are also shot at the narrowest supported size.
WITH_NARROW = [pytest.param((60, 20), id="60x20"), *SIZES]

MORE = """\
# Behavioral questions with a rather long deck name

## Tell me about a time you failed.
id: failed

### Why they ask
To see whether you own mistakes and learn from them.

## Describe a conflict with a coworker and how you resolved it.
id: conflict

### Do
- Show that you listened first.
"""


HISTORY = ((70, 1), (52, 2), (40, 1), (30, 3), (16, 2), (9, 4), (3, 1), (1, 2))
RECENT = ((6, 2), (4, 1), (2, 3), (1, 1))


def with_history(db, days=HISTORY, rating=Rating.GOOD):  # type: ignore[no-untyped-def]
    """Reviews on scattered past days, so the calendar and the counts have something to show."""
    session = ReviewSession(db)
    for days_ago, count in days:
        moment = NOW - timedelta(days=days_ago)
        for _ in range(count):
            card = session.next_card(moment)
            if card is None:
                break
            session.rate(card.card_id, rating, moment, 20_000)
    return db


def app_for(db, **kwargs) -> DrillApp:  # type: ignore[no-untyped-def]
    clock = Clock()
    return make_app(db, now=clock.now, timer=clock.timer, **kwargs)


def only_kind(db, kind: str):  # type: ignore[no-untyped-def]
    db.execute("UPDATE cards SET suspended = 1 WHERE kind != ?", [kind])
    return db


@pytest.mark.parametrize("size", SIZES)
def test_home_with_work(snap_compare, size):
    db = with_history(make_db(DECK, MORE))
    assert snap_compare(app_for(db), terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_home_nothing_due(snap_compare, size):
    # Everything learned recently graduated with Easy; no new cards are allowed today.
    db = with_history(make_db(DECK, MORE), RECENT, Rating.EASY)
    repo.set_config(db, None, "new_per_day", "0")
    assert snap_compare(app_for(db), terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_home_empty(snap_compare, size):
    assert snap_compare(app_for(make_db()), terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_review_front(snap_compare, size):
    assert snap_compare(app_for(make_db(DECK), start="review"), terminal_size=size)


@pytest.mark.parametrize("kind", ["rehearse", "why", "dos"])
@pytest.mark.parametrize("size", SIZES)
def test_review_front_of_kind(snap_compare, size, kind):
    db = only_kind(make_db(DECK), kind)
    assert snap_compare(app_for(db, start="review"), terminal_size=size)


@pytest.mark.parametrize("kind", ["rehearse", "why", "dos"])
@pytest.mark.parametrize("size", SIZES)
def test_review_back(snap_compare, size, kind):
    db = only_kind(make_db(DECK), kind)
    answers.save_answer(
        db, "interview-basics", "about-yourself", "I lead the night shift.", "editor", NOW
    )
    assert snap_compare(app_for(db, start="review"), press=["space"], terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_review_back_scrolled_to_answers(snap_compare, size):
    db = make_db(DECK)
    press = ["t", *"Present", "space", *"past", "space", *"future", "ctrl+s", "end"]
    assert snap_compare(app_for(db, start="review"), press=press, terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_type_your_answer(snap_compare, size):
    press = ["t", *"I", "space", *"run", "space", *"a", "space", *"ward."]
    assert snap_compare(app_for(make_db(DECK), start="review"), press=press, terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_answer_editor(snap_compare, size):
    db = make_db(DECK)
    answers.save_answer(db, "interview-basics", "about-yourself", "My old answer.", "cli", NOW)
    assert snap_compare(app_for(db, start="review"), press=["e"], terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_summary(snap_compare, size):
    db = with_history(make_db(DECK, MORE))
    press = ["space", "1", "space", "3", "space", "3", "space", "4", "q"]
    assert snap_compare(app_for(db, start="review"), press=press, terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_summary_all_done(snap_compare, size):
    db = make_db(DECK)
    repo.set_config(db, None, "new_per_day", "1")
    press = ["space", "4"]
    assert snap_compare(app_for(db, start="review"), press=press, terminal_size=size)


@pytest.mark.parametrize("size", WITH_NARROW)
def test_browse(snap_compare, size):
    db = with_history(make_db(DECK, MORE))
    db.execute("UPDATE cards SET suspended = 1 WHERE question_id = 'conflict'")
    assert snap_compare(app_for(db), press=["b"], terminal_size=size)


@pytest.mark.parametrize("size", WITH_NARROW)
def test_browse_search(snap_compare, size):
    db = make_db(DECK, MORE)
    assert snap_compare(
        app_for(db), press=["b", "slash", *"you", "space", *"fail"], terminal_size=size
    )


LONG_QUESTIONS = """\
# Behavioral
Questions that read alike until their last words.

## Tell me about a time you disagreed with your manager about a priority and what you did.
id: disagree

## Tell me about a time you missed a deadline that mattered to a customer and how you recovered.
id: deadline

## Tell me about a time you had to deliver bad news to a stakeholder who did not expect it.
id: bad-news
"""


@pytest.mark.parametrize("size", WITH_NARROW)
def test_browse_one_deck_with_long_questions(snap_compare, size):
    """One deck (d): no deck column, and each long question wrapped whole."""
    db = with_history(make_db(DECK, LONG_QUESTIONS))
    assert snap_compare(app_for(db), press=["b", "d", "d", "down"], terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_question_detail(snap_compare, size):
    db = with_history(make_db(DECK))
    answers.save_answer(db, "interview-basics", "about-yourself", "First try.", "review", NOW)
    assert snap_compare(app_for(db), press=["b", "enter"], terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_question_detail_bottom(snap_compare, size):
    db = with_history(make_db(DECK))
    answers.save_answer(db, "interview-basics", "about-yourself", "First try.", "review", NOW)
    press = ["b", "enter", "end"]
    assert snap_compare(app_for(db), press=press, terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_confirm_reset(snap_compare, size):
    assert snap_compare(app_for(make_db(DECK)), press=["b", "r"], terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_help(snap_compare, size):
    assert snap_compare(app_for(make_db(DECK)), press=["question_mark"], terminal_size=size)


def test_light_theme_review_back(snap_compare):
    def light(pilot):  # type: ignore[no-untyped-def]
        pilot.app.theme = "textual-light"

    app = app_for(make_db(DECK), start="review")
    assert snap_compare(app, press=["space"], terminal_size=(80, 24), run_before=light)


def test_light_theme_home(snap_compare):
    def light(pilot):  # type: ignore[no-untyped-def]
        pilot.app.theme = "textual-light"

    app = app_for(with_history(make_db(DECK, MORE)))
    assert snap_compare(app, terminal_size=(80, 24), run_before=light)


def test_no_color_home(snap_compare, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    app = app_for(with_history(make_db(DECK, MORE)))
    assert snap_compare(app, terminal_size=(80, 24))


def test_no_color_review_back(snap_compare, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    app = app_for(make_db(DECK), start="review")
    assert snap_compare(app, press=["space"], terminal_size=(80, 24))
