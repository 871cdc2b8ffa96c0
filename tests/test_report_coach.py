"""The report a coach can use (issue 18): the interview countdown, the weakest questions, how
many questions have a written answer, mock results, a readable generated time, and charts fit
to a new user's few days.
"""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
from click.testing import CliRunner

from drill.cli.main import cli
from drill.core.model import Rating
from drill.library.importing import import_decks
from drill.progress import report, stats
from drill.storage import repo
from drill.study import answers, mock
from drill.study.session import ReviewSession
from tests.helpers import NOW, SAMPLE_DECK, parse

HOSTILE_QUESTION = "Why <b>us</b> & | not them?"


@pytest.fixture
def week(db):
    """A new user's first three days on the sample deck, an interview ten days out, one
    written answer and one mock interview.
    """
    deck = SAMPLE_DECK.replace("## Tell me about yourself.", f"## {HOSTILE_QUESTION}")
    import_decks(db, [parse(deck)], NOW - timedelta(days=3))
    repo.set_config(db, None, "fuzz", "off")
    repo.set_config(
        db, "sample-deck", "interview_date", (NOW + timedelta(days=10)).date().isoformat()
    )
    session = ReviewSession(db)
    ratings = [Rating.AGAIN, Rating.GOOD, Rating.AGAIN, Rating.HARD, Rating.GOOD]
    for back in (3, 2, 1):
        when = NOW - timedelta(days=back)
        for i in range(8):
            card = session.next_card(when)
            if card is None:
                break
            session.rate(card.card_id, ratings[(back + i) % len(ratings)], when, 20_000)
            when += timedelta(minutes=12)
    answers.save_answer(db, "sample-deck", "career-goals", "Lead a team.", "cli", NOW)
    import random

    questions = mock.draw_questions(db, NOW, 3, deck_id="sample-deck", rng=random.Random(1))
    # The mock asks two questions other than career-goals, so two answers are written.
    plan = mock.MockPlan([q for q in questions if q.question_id != "career-goals"][:2], 90)
    plan = mock.start(db, plan, NOW - timedelta(hours=1))
    first = mock.MockAnswer(
        plan.questions[0], "I would...", 60_000, 90, mock_id=plan.mock_id, position=0
    )
    second = mock.MockAnswer(plan.questions[1], "", 95_000, 90, mock_id=plan.mock_id, position=1)
    for answer in (first, second):
        mock.save_answer(db, answer, NOW - timedelta(minutes=50))
    mock.record_rating(db, first, Rating.GOOD, NOW - timedelta(minutes=40))
    return db


def test_stats_json_gains_interview_weakest_answers_and_mocks(week):
    data = stats.collect(week, NOW).to_json()
    assert data["interview"] == {
        "deck": "sample-deck",
        "name": "Sample deck",
        "date": (NOW + timedelta(days=10)).date().isoformat(),
        "days_left": 10,
        "seen": data["interview"]["seen"],
        "retrievability": data["interview"]["retrievability"],
    }
    assert 0 < data["interview"]["seen"] <= 1
    # The answer typed on the command line and the one typed in the mock.
    assert data["answers_written"] == 2
    weakest = data["weakest"]
    assert weakest and len(weakest) <= 5
    assert set(weakest[0]) == {
        "deck",
        "question_id",
        "question",
        "lapses",
        "retrievability",
        "answered",
    }
    # Most lapses first, then lowest recall.
    keys = [(-w["lapses"], w["retrievability"]) for w in weakest]
    assert keys == sorted(keys)
    assert data["mocks"]["count"] == 1
    [one] = data["mocks"]["recent"]
    assert one["questions"] == 2 and one["answered"] == 1 and one["in_time"] == 1
    assert one["ratings"] == {"again": 0, "hard": 0, "good": 1, "easy": 0}
    assert one["rated"] == 1 and one["mean_limit_ms"] == 90_000
    # Each deck has its own countdown, answers and weakest questions.
    [deck] = data["decks"]
    assert deck["interview"]["days_left"] == 10 and deck["answers_written"] == 2


def test_markdown_report_is_one_a_coach_can_use(week):
    text = report.render_markdown(stats.collect(week, NOW))
    assert "**Interview in 10 days (Thursday 15 January 2026) · Sample deck · " in text
    assert "## Weakest questions" in text
    assert "2 of 3 questions have a written answer" in text
    assert "## Mock interviews" in text
    assert re.search(r"Generated \w+day \d+ \w+ 2026 at \d\d:\d\d", text)
    # Untrusted question text cannot break the table.
    assert "Why <b>us</b>" not in text


def test_html_report_is_one_a_coach_can_use(week):
    page = report.render_html(stats.collect(week, NOW))
    assert "Interview in 10 days" in page
    assert "<h2>Weakest questions</h2>" in page
    assert "<h2>Mock interviews</h2>" in page
    assert "2 of 3 questions have a written answer" in page
    assert re.search(r"Generated \w+day \d+ \w+ 2026 at \d\d:\d\d", page)
    assert "Why <b>us</b>" not in page and "Why &lt;b&gt;us&lt;/b&gt;" in page


def test_a_new_users_charts_fit_their_few_days(week):
    data = stats.collect(week, NOW)
    page = report.render_html(data)
    # Three days of history: two weeks shown, not twelve weeks of empty days.
    assert "Reviews per day, last 14 days" in page
    assert "Reviews per day, last 84 days" not in page
    md = report.render_markdown(data)
    assert "## Reviews per day, last 14 days" in md
    # The retention table starts in the week of the first review (a Friday, 2 January).
    assert re.findall(r"^\| (\d{4}-\d\d-\d\d) \|", md, re.M) == ["2025-12-29", "2026-01-05"]
    text = report.render_text(data, width=80)
    calendar = text.split("Reviews per day")[1].split("\n\n")[0]
    assert calendar.count("·") < 30


def test_cli_stats_json_and_export_agree(week, tmp_path):
    db_path = tmp_path / "x.db"
    week.execute(f"VACUUM INTO '{db_path}'")
    env = {"DRILL_DB": str(db_path), "DRILL_NOW": NOW.isoformat(), "DRILL_NO_BUNDLED": "1"}
    runner = CliRunner()
    as_stats = json.loads(runner.invoke(cli, ["stats", "--json"], env=env).stdout)
    exported = json.loads(
        runner.invoke(cli, ["export", "stats", "--format", "json"], env=env).stdout
    )
    for key in ("interview", "weakest", "answers_written", "mocks"):
        assert as_stats[key] == exported[key]
