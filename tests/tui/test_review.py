"""Pilot flows through the review screen: reveal, rate, undo, type, edit, suspend, bury, end."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from textual.widgets import TextArea

from drill.core.model import CardKind
from drill.study import answers
from drill.tui.screens.answer_editor import AnswerEditor
from drill.tui.screens.review import ReviewScreen
from drill.tui.screens.summary import SummaryScreen
from drill.tui.widgets.card_view import CardBack, CardFront
from drill.tui.widgets.checklist import ChecklistItems
from drill.tui.widgets.rating_bar import RatingBar
from tests.helpers import use_py_fsrs_steps
from tests.tui.helpers import NOW, screen_text


def reviews(db):
    return db.execute("SELECT card_id, rating, duration_ms FROM reviews ORDER BY id").fetchall()


def review_screen(app) -> ReviewScreen:
    assert isinstance(app.screen, ReviewScreen)
    return app.screen


async def type_text(pilot, text: str) -> None:
    await pilot.press(*("space" if c == " " else c for c in text))


async def test_front_then_reveal(app_factory):
    app = app_factory(start="review")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = review_screen(app)
        assert screen.card is not None
        assert screen.card.kind == CardKind.REHEARSE
        assert app.screen.query(CardFront)
        assert "Tell me about yourself." in screen_text(app)
        assert "Rehearse: answer out loud" in screen_text(app)
        await pilot.press("space")
        assert screen.mode == "back"
        assert app.screen.query(CardBack)
        assert app.screen.query_one(RatingBar).display
        labels = [str(b.label) for b in app.screen.query("RatingBar Button")]
        # A rehearse card has no learning step: even Again waits for tomorrow.
        assert labels == ["1 Again 1d", "2 Hard 1d", "3 Good 2d", "4 Easy 8d"]


@pytest.mark.parametrize("key", ["1", "2", "3", "4"])
async def test_each_rating_is_recorded_with_its_duration(app_factory, db, clock, key):
    app = app_factory(start="review")
    async with app.run_test() as pilot:
        screen = review_screen(app)
        first = screen.card
        await pilot.press("enter")
        clock.seconds += 12.5
        await pilot.press(key)
        assert reviews(db) == [(first.card_id, int(key), 12500)]
        # The next card is on screen, front side.
        assert screen.mode == "front"
        assert screen.card is not None and screen.card.question_id != first.question_id


async def test_rating_keys_do_nothing_on_the_front(app_factory, db):
    app = app_factory(start="review")
    async with app.run_test() as pilot:
        await pilot.press("3")
        assert reviews(db) == []
        assert review_screen(app).mode == "front"


async def test_enter_on_the_back_is_good(app_factory, db):
    app = app_factory(start="review")
    async with app.run_test() as pilot:
        await pilot.press("enter", "enter")
        assert [r[1] for r in reviews(db)] == [3]


async def test_clicking_a_rating_button_rates(app_factory, db):
    app = app_factory(start="review")
    async with app.run_test() as pilot:
        await pilot.press("space")
        await pilot.click("#rate-4")
        assert [r[1] for r in reviews(db)] == [4]


async def test_undo_goes_back_card_by_card(app_factory, db):
    use_py_fsrs_steps(db)  # the Again card's step keeps the session going after three
    app = app_factory(start="review")
    async with app.run_test() as pilot:
        screen = review_screen(app)
        seen = []
        for key in ("1", "3", "4"):
            seen.append(screen.card.card_id)
            await pilot.press("space", key)
        assert len(reviews(db)) == 3
        assert screen.sitting.reviewed == 3

        await pilot.press("u")
        assert len(reviews(db)) == 2
        assert screen.card.card_id == seen[2]
        assert screen.mode == "front"

        await pilot.press("u")
        assert len(reviews(db)) == 1
        assert screen.card.card_id == seen[1]
        assert screen.sitting.reviewed == 1

        # Rating again after undo continues the session normally.
        await pilot.press("space", "3")
        assert [r[1] for r in reviews(db)] == [1, 3]


async def test_undo_with_nothing_to_undo_keeps_the_card(app_factory, db):
    app = app_factory(start="review")
    async with app.run_test() as pilot:
        card = review_screen(app).card
        await pilot.press("u")
        assert review_screen(app).card == card


async def test_type_your_answer_saves_a_version_and_reveals(app_factory, db, clock):
    app = app_factory(start="review")
    async with app.run_test() as pilot:
        screen = review_screen(app)
        card = screen.card
        await pilot.press("t")
        assert screen.mode == "typing"
        assert app.screen.query_one("#draft", TextArea).has_focus
        # Letters go to the text, not to the screen's keys (s would suspend, q would end).
        await type_text(pilot, "I lead a small team")
        clock.seconds += 30
        await pilot.press("ctrl+s")
        assert screen.mode == "back"
        history = answers.history(db, card.deck_id, card.question_id)
        assert [(v.text, v.source, v.duration_ms) for v in history] == [
            ("I lead a small team", "review", 30000)
        ]
        text = screen_text(app)
        assert "Your answer just now" in text
        assert "I lead a small team" in text
        assert reviews(db) == []


async def test_letters_typed_at_once_after_t_all_reach_the_answer(app_factory, db):
    """A fast typist's `tI said` arrives in one read: every letter belongs to the answer, none
    is dropped while the focus is still on the card."""
    from textual import events

    app = app_factory(start="review")
    async with app.run_test() as pilot:
        for char in "tI said":
            app.post_message(events.Key("space" if char == " " else char, char))
        await pilot.pause()
        assert review_screen(app).mode == "typing"
        assert app.screen.query_one("#draft", TextArea).text == "I said"


async def test_escape_while_typing_cancels_typing_only(app_factory, db):
    app = app_factory(start="review")
    async with app.run_test() as pilot:
        await pilot.press("t", "h", "i", "escape")
        screen = review_screen(app)
        assert screen.mode == "front"
        assert not app.screen.query_one("#draft").display
        await pilot.press("t")
        assert app.screen.query_one("#draft", TextArea).text == "hi"


async def test_edit_answer_saves_an_editor_version(app_factory, db):
    app = app_factory(start="review")
    async with app.run_test() as pilot:
        card = review_screen(app).card
        await pilot.press("space", "e")
        assert isinstance(app.screen, AnswerEditor)
        await type_text(pilot, "My story")
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, ReviewScreen)
        history = answers.history(db, card.deck_id, card.question_id)
        assert [(v.text, v.source) for v in history] == [("My story", "editor")]
        assert "My story" in screen_text(app)
        assert "Your latest answer" in screen_text(app)


async def test_edit_answer_escape_saves_nothing(app_factory, db):
    app = app_factory(start="review")
    async with app.run_test() as pilot:
        card = review_screen(app).card
        await pilot.press("e", "x", "escape")
        assert isinstance(app.screen, ReviewScreen)
        assert answers.history(db, card.deck_id, card.question_id) == []


async def test_suspend_hides_the_card(app_factory, db):
    app = app_factory(start="review")
    async with app.run_test() as pilot:
        screen = review_screen(app)
        card = screen.card
        await pilot.press("s")
        assert db.execute(
            "SELECT suspended FROM cards WHERE id = ?", [card.card_id]
        ).fetchone() == (1,)
        assert screen.card.card_id != card.card_id


async def test_bury_hides_the_whole_question_until_tomorrow(app_factory, db, clock):
    app = app_factory(start="review")
    async with app.run_test() as pilot:
        screen = review_screen(app)
        card = screen.card
        await pilot.press("b")
        buried = db.execute(
            "SELECT count(*) FROM cards WHERE question_id = ? AND buried_until > ?",
            [card.question_id, int(clock.current.timestamp() * 1000)],
        ).fetchone()[0]
        assert buried == len(card.question.kinds())
        assert screen.card.question_id != card.question_id


BACKS = {
    CardKind.REHEARSE: (
        "Answer",
        [
            "Approach",
            "Present, past, future",
            "Open with your current role",
            "Example: experienced",
            "Bad example",
            "Aim for two minutes",
            "Your answer: none saved yet",
        ],
    ),
    CardKind.WHY: (
        "Why do interviewers ask this?",
        ["Why they ask", "quick, relevant picture"],
    ),
    CardKind.DOS: (
        "What should you do, and what should you avoid?",
        ["Open with your current role", "recite your resume", "born in a small town"],
    ),
}


@pytest.mark.parametrize("kind", list(CardKind))
async def test_front_and_back_of_each_kind(app_factory, db, kind):
    # Only cards of this kind are left, so the first card shown is one.
    db.execute("UPDATE cards SET suspended = 1 WHERE kind != ?", [kind.value])
    app = app_factory(start="review")
    async with app.run_test() as pilot:
        screen = review_screen(app)
        assert screen.card.kind == kind
        front = screen_text(app)
        assert kind.heading in front
        task, back_parts = BACKS[kind]
        if kind != CardKind.REHEARSE:
            assert task in front
        await pilot.press("space")
        # A rehearse card's dos and don'ts are its self-check list.
        ticks = [p for items in app.screen.query(ChecklistItems) for p in items.prompts]
        back = "\n".join([screen_text(app), *ticks])
        for part in back_parts:
            assert part in back
        if kind != CardKind.REHEARSE:
            assert "Approach" not in back


async def test_summary_after_ending_and_q_exits_standalone(app_factory, db):
    app = app_factory(start="review")
    async with app.run_test() as pilot:
        await pilot.press("space", "1", "space", "3", "q")
        assert isinstance(app.screen, SummaryScreen)
        text = screen_text(app)
        assert "Cards reviewed  2" in text
        assert re.search(r"Again\s+1\b", text)
        assert re.search(r"Good\s+1\b", text)
        assert re.search(r"Hard\s+0\b", text)
        # No card was in review state today: there is no true retention yet.
        assert "True retention today  —" in text
        await pilot.press("q")
        assert not app.is_running


async def test_summary_q_returns_home_when_started_from_home(app_factory):
    from drill.tui.screens.home import HomeScreen

    app = app_factory()
    async with app.run_test() as pilot:
        await pilot.press("enter")
        assert isinstance(app.screen, ReviewScreen)
        await pilot.press("space", "3", "escape")
        assert isinstance(app.screen, SummaryScreen)
        await pilot.press("q")
        assert isinstance(app.screen, HomeScreen)
        assert app.is_running


async def test_finishing_every_card_shows_the_summary_with_next_due(app_factory, db):
    app = app_factory(start="review")
    async with app.run_test() as pilot:
        for _ in range(20):
            if not isinstance(app.screen, ReviewScreen):
                break
            await pilot.press("space", "4")
        assert isinstance(app.screen, SummaryScreen)
        text = screen_text(app)
        assert "Done for now" in text
        assert "Next card due" in text


async def test_summary_undo_returns_to_the_last_card(app_factory, db):
    app = app_factory(start="review")
    async with app.run_test() as pilot:
        card = review_screen(app).card
        await pilot.press("space", "3", "q", "u")
        screen = review_screen(app)
        assert screen.card.card_id == card.card_id
        assert reviews(db) == []


async def test_x_opens_and_closes_the_examples(app_factory):
    from textual.widgets import Collapsible

    app = app_factory(start="review")
    async with app.run_test() as pilot:
        await pilot.press("space", "x")
        examples = list(app.screen.query(Collapsible))
        assert len(examples) == 2
        assert not any(example.collapsed for example in examples)
        await pilot.press("x")
        assert all(example.collapsed for example in examples)


async def test_rehearse_cards_rotate_their_phrasing(app_factory, db, clock):
    use_py_fsrs_steps(db)  # a ten-minute step brings the card back the same day
    app = app_factory(start="review")
    async with app.run_test() as pilot:
        screen = review_screen(app)
        assert screen.card.prompt == "Tell me about yourself."
        await pilot.press("space", "3")
        # Ten minutes later the learning step is due, asked the variant's way.
        clock.current += timedelta(minutes=11)
        await pilot.press("q", "r")
        screen = review_screen(app)
        assert screen.card.question_id == "about-yourself"
        assert "Walk me through your resume." in screen_text(app)
        await pilot.press("space")
        text = screen_text(app)
        assert "Tell me about yourself." in text
        assert "Asked as: Walk me through your resume." in text


@pytest.mark.parametrize("kind", [CardKind.WHY, CardKind.DOS])
async def test_typing_on_a_why_or_dos_card_is_a_note_not_an_answer(app_factory, db, kind):
    # Issue 18: typing on a Why or Dos card overwrote the question's answer in the answer
    # bank (and so the cheat sheet). Only a rehearse card's typed text is an answer.
    answers.save_answer(db, "interview-basics", "about-yourself", "My real answer.", "cli", NOW)
    db.execute("UPDATE cards SET suspended = 1 WHERE kind != ?", [kind.value])
    app = app_factory(start="review")
    async with app.run_test() as pilot:
        screen = review_screen(app)
        card = screen.card
        assert card.kind == kind and card.question_id == "about-yourself"
        await pilot.press("t")
        await type_text(pilot, "they want a summary")
        await pilot.press("ctrl+s")
        assert screen.mode == "back"
        latest = answers.latest_answer(db, card.deck_id, card.question_id)
        assert latest.text == "My real answer."
        assert [n.text for n in answers.card_notes(db, card.deck_id, card.question_id, kind)] == [
            "they want a summary"
        ]
        text = screen_text(app)
        assert "Your note just now" in text
        assert "they want a summary" in text
        assert "My real answer." not in text
        assert "Your answer" not in text

    # Next time the card comes up, the back shows the last note beside the new one.
    app = app_factory(start="review")
    async with app.run_test() as pilot:
        await pilot.press("space")
        text = screen_text(app)
        assert "Your last note" in text and "they want a summary" in text


async def test_the_self_check_hint_follows_where_you_are(app_factory):
    # Issue 18: "c to start" was still shown once inside the self-check.
    from drill.tui.widgets.checklist import Checklist

    app = app_factory(start="review")
    async with app.run_test() as pilot:
        await pilot.press("space")
        hint = app.screen.query_one(Checklist).query_one(".answer-meta")
        assert "c to start" in str(hint.visual)
        await pilot.press("c")
        assert "c to start" not in str(hint.visual)
        assert "esc" in str(hint.visual)
        await pilot.press("escape")
        assert "c to start" in str(hint.visual)


async def test_a_typed_answer_the_database_does_not_take_is_kept_in_a_draft(tmp_path, clock):
    """A full disk or a lock must not cost what was typed: the notice names the draft."""
    import sqlite3

    from drill.library.importing import import_decks
    from drill.storage.db import open_database
    from drill.tui.app import make_app
    from tests.helpers import parse
    from tests.tui.helpers import DECK, NOW

    path = tmp_path / "drill.db"
    db = open_database(path)
    import_decks(db, [parse(DECK)], NOW)
    other = sqlite3.connect(path)
    other.execute(
        "CREATE TRIGGER no_answers BEFORE INSERT ON answers BEGIN SELECT RAISE(ABORT, 'x'); END"
    )
    other.commit()
    other.close()
    app = make_app(db, start="review", now=clock.now, timer=clock.timer)
    async with app.run_test() as pilot:
        card = review_screen(app).card
        await pilot.press("t")
        await type_text(pilot, "My answer")
        await pilot.press("ctrl+s")
        await pilot.pause()
        draft = tmp_path / "drafts" / f"answer-{card.deck_id}-{card.question_id}.md"
        assert draft.read_text(encoding="utf-8") == "My answer\n"
        messages = [str(n.message) for n in app._notifications]
        assert any(f"your text is kept in {draft}" in m for m in messages), messages
    db.close()
