"""The Jobs screens: the list from home (`j`), a job's requirements, gaps and set, review and
mock on the set, adding a job by pasting; Pilot flows and screenshots at 60x20, 80x24 and
120x40.
"""

from __future__ import annotations

import re
from datetime import date

import pytest
from textual.content import Content
from textual.widgets import DataTable, Input, TextArea

from drill.library.jobs import add_job
from drill.tui.screens.add_job import AddJobScreen
from drill.tui.screens.home import HomeScreen
from drill.tui.screens.job import JobScreen
from drill.tui.screens.jobs import JobsScreen
from drill.tui.screens.mock import MockScreen
from drill.tui.screens.review import ReviewScreen
from drill.tui.widgets.hanging import HangingLines
from tests.tui.helpers import NOW, make_db, screen_text
from tests.tui.test_snapshots import app_for

SIZES = [
    pytest.param((60, 20), id="60x20"),
    pytest.param((80, 24), id="80x24"),
    pytest.param((120, 40), id="120x40"),
]

DECK = """# Analytics
Questions for analysts.

## Tell me about an A/B test whose result surprised you.
id: ab-test
tags: experimentation, a/b testing

### Why they ask
To see how you judge evidence.

## Tell me about a dashboard you built that people actually used.
id: dashboard
tags: dashboards, reporting

## Tell me about a time stakeholders disagreed about a metric.
id: stakeholders
tags: stakeholders, kpis, influence

## Tell me about a deal you lost.
id: lost-deal
tags: sales
"""

POSTING = """Data Analyst - Freightline

What you'll do:
- Build and maintain dashboards that depot managers actually use.
- Design and analyse A/B tests of routing changes.
- Partner with finance stakeholders to agree the KPIs each depot is measured on.
- Write SQL against our Snowflake warehouse every day.
"""

SALES = """Account Executive - Rotaly

What you'll do:
- Build your own pipeline through cold calls.
- Negotiate pricing with procurement teams.
"""


def jobs_db(*, answer: bool = False):  # type: ignore[no-untyped-def]
    db = make_db(DECK)
    add_job(db, POSTING, NOW, interview=date(2026, 1, 19))
    add_job(db, SALES, NOW)
    if answer:
        from drill.study import answers

        answers.save_answer(
            db, "analytics", "ab-test", "I ran the experiment and the SQL myself.", "cli", NOW
        )
    return db


# -- flows --------------------------------------------------------------------------------------


async def test_j_on_home_lists_jobs_with_countdown_and_readiness():
    app = app_for(jobs_db(answer=True))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("j")
        assert isinstance(app.screen, JobsScreen)
        table = app.screen.query_one(DataTable)
        assert table.row_count == 2
        first = [str(c) for c in table.get_row_at(0)]
        assert first[0] == "Data Analyst · Freightline"
        assert first[1] == "in 14 days"
        assert first[3] == "1/3"  # one answer written of the three questions in the set
        second = [str(c) for c in table.get_row_at(1)]
        assert second[1] == "no date"
        await pilot.press("escape")
        assert isinstance(app.screen, HomeScreen)


async def test_opening_a_job_shows_requirements_mapped_to_questions_and_gaps():
    app = app_for(jobs_db(answer=True))
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("j", "enter")
        assert isinstance(app.screen, JobScreen)
        text = screen_text(app)
        assert "Data Analyst · Freightline · interview in 14 days (Mon 19 Jan)" in text
        assert "✓ Design and analyse A/B tests of routing changes." in text
        assert "→ Tell me about an A/B test whose result surprised you." in text
        assert "✗ Write SQL against our Snowflake warehouse every day." in text
        assert "drill job gaps 1 -o gaps.md" in text
        assert "answer uses A/B testing" in text
        await pilot.press("escape")
        assert isinstance(app.screen, JobsScreen)


async def test_at_60_columns_wrapped_requirements_and_questions_hang_under_their_text():
    # A wrapped line back at the margin reads as a new requirement.
    app = app_for(jobs_db(answer=True))
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.press("j", "enter")
        requirements = app.screen.query_one("#job-requirements", HangingLines)
        width = requirements.size.width
        assert width < 60
        lines = [line.plain for line in requirements.lines(width)]
        first = lines.index("✓ Partner with finance stakeholders to agree the KPIs")
        assert lines[first + 1] == "  each depot is measured on."
        assert lines[first + 2].startswith("    → Tell me about a time stakeholders")
        assert lines[first + 3].startswith("      ") and lines[first + 3].strip()
        assert all(len(line) <= width for line in lines)
        questions = app.screen.query_one("#job-questions", HangingLines)
        shown = [line.plain for line in questions.lines(questions.size.width)]
        assert shown[0].startswith(" 1. ")
        # Until the closing note, every line is a numbered question or indented under one.
        listed = shown[: shown.index("")] if "" in shown else shown
        assert all(re.match(r" ?\d+\. \S", line) or line.startswith("    ") for line in listed)


def test_hanging_lines_wrap_each_entry_under_its_text():
    widget = HangingLines()
    widget.set_entries(
        [
            (Content("✓ "), Content("one two three four five six")),
            (Content("    → "), Content("alpha beta gamma")),
            (Content(""), Content("")),
            (Content("x "), Content("abcdefghijklmnopqrstuvwxyz")),
        ]
    )
    assert [line.plain for line in widget.lines(14)] == [
        "✓ one two",
        "  three four",
        "  five six",
        "    → alpha",
        "      beta",
        "      gamma",
        "",
        "x abcdefghijkl",
        "  mnopqrstuvwx",
        "  yz",
    ]


async def test_r_reviews_only_the_jobs_set():
    app = app_for(jobs_db())
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("j", "enter", "r")
        assert isinstance(app.screen, ReviewScreen)
        seen = set()
        for _ in range(12):
            if not isinstance(app.screen, ReviewScreen) or app.screen.card is None:
                break
            seen.add(app.screen.card.question_id)
            await pilot.press("space", "3")
        assert seen and "lost-deal" not in seen
        assert seen <= {"ab-test", "dashboard", "stakeholders"}
        # The sitting ends on its summary, still over the job's set.
        assert getattr(app.screen, "job_id", None) == 1


async def test_p_on_a_job_practises_its_set_without_rescheduling():
    from drill.storage import repo

    db = jobs_db()
    before = {card.id: card.record for card in repo.iter_cards(db, None)}
    app = app_for(db)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("j", "enter", "p")
        screen = app.screen
        assert isinstance(screen, ReviewScreen) and screen.practice is not None
        seen = set()
        for _ in range(6):
            if not isinstance(app.screen, ReviewScreen) or app.screen.card is None:
                break
            seen.add(app.screen.card.question_id)
            await pilot.press("space", "1")
        assert seen == {"ab-test", "dashboard", "stakeholders"}
    assert {card.id: card.record for card in repo.iter_cards(db, None)} == before


async def test_r_on_the_list_reviews_the_selected_job_and_m_mocks_it():
    app = app_for(jobs_db())
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("j", "m")
        assert isinstance(app.screen, MockScreen)
        asked = {q.question_id for q in app.screen.plan.questions}
        assert asked <= {"ab-test", "dashboard", "stakeholders"}


async def test_adding_a_job_by_pasting_opens_it():
    app = app_for(make_db(DECK))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("j")
        assert "No jobs yet" in screen_text(app)
        await pilot.press("a")
        assert isinstance(app.screen, AddJobScreen)
        app.screen.query_one(TextArea).text = POSTING
        app.screen.query_one("#add-job-date", Input).value = "2026-01-19"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, JobScreen)
        assert "interview in 14 days" in screen_text(app)


async def test_a_posting_drill_cannot_use_is_explained_and_nothing_is_stored():
    db = make_db(DECK)
    app = app_for(db)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("j", "a")
        app.screen.query_one(TextArea).text = "We are hiring! Join us."
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, AddJobScreen)
        assert "no requirements found" in screen_text(app)
        app.screen.query_one(TextArea).text = POSTING
        app.screen.query_one("#add-job-date", Input).value = "tomorrow"
        await pilot.press("ctrl+s")
        assert "'tomorrow' is not a date" in screen_text(app)
        await pilot.press("escape")
        assert isinstance(app.screen, JobsScreen)
    assert db.execute("SELECT count(*) FROM jobs").fetchone()[0] == 0


async def test_posting_text_is_shown_literally():
    db = make_db(DECK)
    add_job(db, "Analyst [bold]x[/bold]\n\nRequirements:\n- Build [red]dashboards[/red].\n", NOW)
    app = app_for(db)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("j", "enter")
        assert "Build [red]dashboards[/red]." in screen_text(app)


# -- screenshots ------------------------------------------------------------------------------------


@pytest.mark.parametrize("size", SIZES)
def test_jobs_list(snap_compare, size):
    assert snap_compare(app_for(jobs_db(answer=True)), press=["j"], terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_job_detail(snap_compare, size):
    assert snap_compare(app_for(jobs_db(answer=True)), press=["j", "enter"], terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_jobs_empty_and_adding(snap_compare, size):
    assert snap_compare(app_for(make_db(DECK)), press=["j", "a"], terminal_size=size)


async def test_home_counts_down_to_a_jobs_interview():
    from drill.storage import repo

    db = jobs_db()
    app = app_for(db)
    async with app.run_test(size=(120, 30)):
        text = screen_text(app)
        assert (
            "Interview in 14 days (Mon 19 Jan) · Data Analyst at Freightline · "
            "0% of questions seen · no card studied yet"
        ) in text
    # The collection's interview on the job's day is the same interview: one line, named.
    repo.set_config(db, None, "interview_date", "2026-01-19")
    app = app_for(db)
    async with app.run_test(size=(120, 30)):
        text = screen_text(app)
        assert text.count("Interview in 14 days") == 1
        assert "Interview in 14 days (Mon 19 Jan) · Data Analyst at Freightline" in text


@pytest.mark.parametrize("size", SIZES)
def test_home_with_a_job_interview(snap_compare, size):
    assert snap_compare(app_for(jobs_db()), terminal_size=size)
