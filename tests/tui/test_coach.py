"""The coach in the TUI: leeches on the stats screen and the help for them (rewrite from the
approach, link a story, practise now), and the answer editor starting from a story.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from textual.widgets import DataTable, OptionList, TextArea

from drill.core.model import CardKind, Rating
from drill.storage import repo
from drill.study import answers, stories
from drill.study.session import ReviewSession
from drill.tui.app import make_app
from drill.tui.screens.answer_editor import AnswerEditor
from drill.tui.screens.leech_help import LeechHelp
from drill.tui.screens.mock import MockScreen
from drill.tui.screens.stats import StatsScreen
from drill.tui.screens.story_picker import StoryPicker
from tests.tui.helpers import DECK, NOW, Clock, coach_text, make_db, screen_text

SIZES = [
    pytest.param((60, 20), id="60x20"),
    pytest.param((80, 24), id="80x24"),
    pytest.param((120, 40), id="120x40"),
]
DECK_ID = "interview-basics"
STORY = (
    "At the depot I disagreed with a colleague about the rota, talked it through with him "
    "and we agreed a swap list; late shifts fell from eight to two a month."
)


def leech_db():  # type: ignore[no-untyped-def]
    """The test deck with "Tell me about yourself" failed twice (a leech at threshold 2)."""
    db = make_db(DECK)
    for key, value in (
        ("learning_steps", "none"),
        ("relearning_steps", "none"),
        ("leech_threshold", "2"),
    ):
        repo.set_config(db, None, key, value)
    card = next(
        c.id
        for c in repo.question_cards(db, DECK_ID, "about-yourself")
        if c.kind == CardKind.REHEARSE
    )
    session = ReviewSession(db)
    for days, rating in ((-6, Rating.GOOD), (-3, Rating.AGAIN), (-1, Rating.AGAIN)):
        session.rate(card, rating, NOW + timedelta(days=days))
    stories.add_story(db, "Rota swap", STORY, NOW, competencies=["conflict"])
    return db


def app_on(db, clock: Clock | None = None, start: str = "home"):  # type: ignore[no-untyped-def]
    clock = clock or Clock()
    return make_app(db, now=clock.now, timer=clock.timer, start=start)  # type: ignore[arg-type]


async def open_leech_help(pilot) -> None:  # type: ignore[no-untyped-def]
    await pilot.press("s")
    assert isinstance(pilot.app.screen, StatsScreen)
    assert pilot.app.screen.query_one("#stats-leeches", DataTable).has_focus
    await pilot.press("enter")
    assert isinstance(pilot.app.screen, LeechHelp)


async def test_stats_list_leeches_and_enter_offers_help():
    db = leech_db()
    app = app_on(db)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("s")
        text = screen_text(app)
        table = app.screen.query_one("#stats-leeches", DataTable)
        assert table.display and table.row_count == 1
        assert table.border_title == "Leeches: 1 question you keep failing"
        await pilot.press("enter")
        assert isinstance(app.screen, LeechHelp)
        text = screen_text(app)
        assert "You have failed this one 2 times" in text
        await pilot.press("escape")
        assert isinstance(app.screen, StatsScreen)


async def test_no_leeches_no_list():
    app = app_on(make_db(DECK))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("s")
        assert not app.screen.query_one("#stats-leeches", DataTable).display
        assert app.screen.query_one("#stats-scroll").has_focus


async def test_help_links_a_story():
    db = leech_db()
    app = app_on(db)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_leech_help(pilot)
        await pilot.press("down", "enter")  # link a story
        assert isinstance(app.screen, StoryPicker)
        assert "Rota swap" in str(app.screen.query_one(OptionList).get_option_at_index(0).prompt)
        await pilot.press("enter")
        assert [s.id for s in stories.stories_for_question(db, DECK_ID, "about-yourself")] == [
            "rota-swap"
        ]
        # Choosing it again unlinks it.
        await pilot.press("enter", "down", "enter", "enter")
        assert stories.stories_for_question(db, DECK_ID, "about-yourself") == []


async def test_help_rewrites_from_the_approach():
    db = leech_db()
    app = app_on(db)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_leech_help(pilot)
        await pilot.press("enter")  # rewrite
        assert isinstance(app.screen, AnswerEditor)
        assert "Approach: Present, past, future" in screen_text(app)
        editor = app.screen.query_one(TextArea)
        assert editor.text.startswith("Situation:")  # a STAR outline to fill in
        editor.text = "I run the night shift at a 30-bed ward."
        await pilot.press("ctrl+s")
        latest = answers.latest_answer(db, DECK_ID, "about-yourself")
        assert latest is not None and latest.text == "I run the night shift at a 30-bed ward."


async def test_help_practises_it_now():
    db = leech_db()
    app = app_on(db)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_leech_help(pilot)
        await pilot.press("down", "down", "enter")  # practise
        assert isinstance(app.screen, MockScreen)
        assert [q.question_id for q in app.screen.plan.questions] == ["about-yourself"]


async def test_the_editor_starts_from_a_story():
    db = leech_db()
    app = app_on(db)
    async with app.run_test(size=(100, 30)) as pilot:
        app.push_screen(
            AnswerEditor(
                "Tell me about a conflict.",
                "",
                blink=False,
                stories=stories.choices_for_question(db, DECK_ID, "about-yourself"),
            )
        )
        await pilot.pause()
        assert "ctrl+o from a story" in screen_text(app)
        await pilot.press("ctrl+o")
        assert isinstance(app.screen, StoryPicker)
        await pilot.press("enter")
        assert isinstance(app.screen, AnswerEditor)
        assert app.screen.query_one(TextArea).text == STORY


async def test_without_stories_the_editor_does_not_offer_them():
    app = app_on(make_db(DECK))
    async with app.run_test(size=(100, 30)) as pilot:
        app.push_screen(AnswerEditor("Q?", "", blink=False, stories=[]))
        await pilot.pause()
        assert app.screen.check_action("from_story", ()) is False
        assert "ctrl+o" not in screen_text(app)


# -- screenshots --------------------------------------------------------------------------------


@pytest.mark.parametrize("size", SIZES)
def test_stats_with_leeches(snap_compare, size):
    assert snap_compare(app_on(leech_db()), press=["s"], terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_leech_help(snap_compare, size):
    assert snap_compare(app_on(leech_db()), press=["s", "enter"], terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_story_picker(snap_compare, size):
    assert snap_compare(
        app_on(leech_db()), press=["s", "enter", "down", "enter"], terminal_size=size
    )


async def test_h_offers_help_for_the_highlighted_leech():
    app = app_on(leech_db())
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("s")
        assert app.screen.check_action("leech_help", ()) is True
        await pilot.press("h")
        assert isinstance(app.screen, LeechHelp)


async def test_without_leeches_h_is_not_offered():
    app = app_on(make_db(DECK))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("s")
        assert app.screen.check_action("leech_help", ()) is False


# -- the back of a rehearse card ----------------------------------------------------------------

TYPED = (
    "Last spring I missed a quarterly report by three days. My job was to file it by the 31st. "
    "Honestly, it wasn't my fault, the data team was late. I told my manager on the day it was "
    "due and we filed it the following Tuesday."
)


def review_db():  # type: ignore[no-untyped-def]
    from tests.tui.test_bank_v2 import V2, only_kind

    return only_kind(make_db(V2), "rehearse", "missed-deadline")


async def type_and_show(pilot, text: str = TYPED) -> None:  # type: ignore[no-untyped-def]
    await pilot.press("t")
    pilot.app.screen.query_one("#draft", TextArea).insert(text)
    await pilot.pause()
    await pilot.press("ctrl+s")


async def test_after_typing_your_answer_comes_first_then_the_coach_beside_the_short_answer():
    from drill.tui.widgets.checklist import Checklist
    from drill.tui.widgets.insights import CoachRow, InsightsPanel

    app = app_on(review_db(), start="review")
    async with app.run_test(size=(120, 40)) as pilot:
        await type_and_show(pilot)
        back = app.screen.query_one("CardBack")
        row = back.query_one(CoachRow)
        assert row.children[0] is back.query_one(InsightsPanel)
        titles = [str(w.render()) for w in back.query(".section-title")]
        # What you said first (issue 18), then the coach's reading of it beside the notes
        # you compare it with.
        assert titles[:4] == [
            "Your answer just now",
            "Coach · your answer just now",
            "Short answer (about 30 seconds)",
            "Approach",
        ]
        text = coach_text(app)
        assert "Red flag  Blames others: “it wasn't my fault”" in text
        # Each STAR part with the sentence that shows it.
        assert "✓ task      “My job was to file it by the 31st.”" in text
        assert "Fillers   none" in text
        # The red flag is in the self-check, ticked, and the coach suggests Again at once.
        checklist = back.query_one(Checklist)
        assert ("flag", 0) in checklist.ticked
        assert "Red flags: these sink an answer" not in titles
        assert app.screen.query_one("#rate-1").has_class("-suggested")
        # Unticking the flag the coach found changes the panel's rubric and the suggestion.
        await pilot.press("c")
        rows = checklist.items.rows
        for _ in range(len(rows) - 2):
            await pilot.press("down")
        await pilot.press("space")
        assert ("flag", 0) not in checklist.ticked
        assert not app.screen.query_one("#rate-1").has_class("-suggested")


CONTEMPT = (
    "Last spring I missed the quarterly report deadline and was three days late. My job was to "
    "file it by the 31st. Honestly, the data team was useless. I guess I sort of hoped it would "
    "fix itself. I told my manager on the day it was due and we filed it the following Tuesday. "
    "Since then I ask for the data a week earlier."
)


async def test_contempt_is_a_red_flag_in_the_checklist_with_its_words_and_can_be_unticked():
    from drill.tui.widgets.checklist import Checklist

    app = app_on(review_db(), start="review")
    async with app.run_test(size=(120, 40)) as pilot:
        await type_and_show(pilot, CONTEMPT)
        text = coach_text(app)
        label = "Speaks badly of a manager, colleague, customer or employer"
        assert f"Red flag  {label}: “the data team was useless”" in text
        # Hedges have their own row; fillers are not padded out with them.
        assert "Hedges    “I guess” ×1, “sort of” ×1" in text
        assert "Fillers   none" in text
        checklist = app.screen.query_one("CardBack").query_one(Checklist)
        row = checklist.items.rows[-1]
        assert row.value[0] == "general" and row.ticked
        assert row.note == "found in your answer: “the data team was useless”"
        # The deck's own flags were not found: their rows say nothing and stay unticked.
        assert [r.note for r in checklist.items.rows if r.value[0] == "flag"] == ["", ""]
        assert app.screen.query_one("#rate-1").has_class("-suggested")
        # A wrong find is the user's to clear: unticking it lifts the Again.
        await pilot.press("c")
        for _ in range(len(checklist.items.rows) - 1):
            await pilot.press("down")
        await pilot.press("space")
        assert not row.ticked
        assert not app.screen.query_one("#rate-1").has_class("-suggested")
        assert "Rubric    " in coach_text(app) and "suggests Again" not in coach_text(app)


async def test_a_covered_do_shows_the_words_that_cover_it():
    from drill.tui.widgets.checklist import Checklist

    app = app_on(review_db(), start="review")
    async with app.run_test(size=(120, 40)) as pilot:
        await type_and_show(pilot, CONTEMPT)
        checklist = app.screen.query_one("CardBack").query_one(Checklist)
        notes = {row.value: row.note for row in checklist.items.rows}
        assert (
            notes[("do", 0)] == "found in your answer: “Last spring I missed the quarterly report…”"
        )
        assert notes[("do", 1)] == ""
        assert (
            notes[("do", 2)]
            == "found in your answer: “Since then I ask for the data a week earlier.”"
        )


async def test_without_typing_no_coach_and_the_red_flags_stay_a_list():
    from drill.tui.widgets.insights import InsightsPanel

    app = app_on(review_db(), start="review")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("space")
        assert not app.screen.query(InsightsPanel)
        titles = [str(w.render()) for w in app.screen.query(".section-title")]
        assert "Red flags: these sink an answer" in titles


async def test_an_edit_on_the_back_is_coached_too():
    app = app_on(review_db(), start="review")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("space", "e")
        editor = app.screen.query_one(TextArea)
        editor.text = TYPED
        await pilot.press("ctrl+s")
        assert "Coach · your edited answer" in screen_text(app)


async def test_linked_stories_show_on_the_back_and_l_links_one():
    db = review_db()
    stories.add_story(db, "Rota swap", STORY, NOW, links=["bank-v2/missed-deadline"])
    stories.add_story(db, "Launch slip", STORY + " Again.", NOW)
    app = app_on(db, start="review")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("space")
        text = screen_text(app)
        assert "Your stories for this question" in text and "Rota swap" in text
        assert "Launch slip" not in text
        await pilot.press("l")
        assert isinstance(app.screen, StoryPicker)
        await pilot.press("down", "enter")  # the second: Launch slip
        assert "Launch slip" in screen_text(app)


async def test_a_leech_says_so_on_its_back_and_h_helps():
    db = leech_db()
    db.execute(
        "UPDATE cards SET suspended = 1 WHERE kind != 'rehearse' OR question_id != 'about-yourself'"
    )
    clock = Clock(NOW + timedelta(days=3))
    app = make_app(db, start="review", now=clock.now, timer=clock.timer)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("space")
        assert "Leech: you have failed this one 2 times." in screen_text(app)
        assert app.screen.check_action("leech_help", ()) is True
        await pilot.press("h")
        assert isinstance(app.screen, LeechHelp)


@pytest.mark.parametrize("size", SIZES)
def test_review_back_with_the_coach(snap_compare, size):
    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await type_and_show(pilot)

    app = make_app(review_db(), start="review", now=Clock().now, timer=Clock().timer)
    assert snap_compare(app, run_before=run_before, terminal_size=size)


def test_review_back_with_a_leech_and_a_story(snap_compare):
    db = leech_db()
    db.execute(
        "UPDATE cards SET suspended = 1 WHERE kind != 'rehearse' OR question_id != 'about-yourself'"
    )
    stories.edit_story(db, "rota-swap", NOW, link=["interview-basics/about-yourself"])
    clock = Clock(NOW + timedelta(days=3))
    app = make_app(db, start="review", now=clock.now, timer=clock.timer)
    assert snap_compare(app, press=["space"], terminal_size=(100, 40))


async def test_in_a_jobs_session_the_coach_checks_the_postings_terms():
    from pathlib import Path

    from drill.library.jobs import add_job, edit_job, job_scope
    from drill.tui.widgets.insights import InsightsPanel

    db = review_db()
    posting = (Path(__file__).parents[1] / "data" / "jobs" / "support-specialist.txt").read_text()
    job_id = add_job(db, posting, NOW).summary.id
    if "missed-deadline" not in job_scope(db, job_id).members.get("bank-v2", frozenset()):
        edit_job(db, job_id, NOW, add=["bank-v2/missed-deadline"])
    clock = Clock()
    app = make_app(db, start="review", now=clock.now, timer=clock.timer, job_id=job_id)
    async with app.run_test(size=(120, 40)) as pilot:
        await type_and_show(pilot, TYPED + " I handled the support tickets myself.")
        panel = app.screen.query_one(InsightsPanel)
        assert panel.insights.job_terms is not None
        assert "support tickets" in panel.insights.job_terms.used
        assert "Posting   uses" in coach_text(app)
