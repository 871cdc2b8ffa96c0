"""Deadline mode: every card learned before the interview, nothing due on or after it."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from click.testing import CliRunner

from drill.cli.main import cli
from drill.core import clock, deadline
from drill.core.config import StudyConfig
from drill.core.model import Rating
from drill.library.importing import import_decks
from drill.storage import repo
from drill.study.session import ReviewSession
from tests.helpers import NOW, parse


def deck(questions: int) -> str:
    parts = ["# Interview prep\n"]
    for i in range(questions):
        parts.append(
            f"## Prep question {i}?\nid: q{i}\n\n### Why they ask\nReason.\n\n### Do\n- Be brief.\n"
        )
    return "\n".join(parts)


def test_questions_needed_formula():
    config = StudyConfig(interview_date=date(2026, 1, 15))
    # NOW is 2026-01-05 10:00, day starts at 4: 10 days left; the last has no new questions.
    assert deadline.days_left(config, NOW, 4) == 10
    assert deadline.questions_needed(30, 10) == 4  # ceil(30 / 9)
    assert deadline.questions_needed(7, 1) == 7  # the last day: whatever is left
    assert deadline.questions_needed(0, 5) == 0
    assert deadline.days_left(config, NOW + timedelta(days=10), 4) is None


def test_intervals_are_fsrs_own_before_an_interview(db):
    """Nothing is pulled onto the last day: that was two hours of rehearsal with 58
    questions. A card due after the interview is at desired retention or better on the day.
    """
    import_decks(db, [parse(deck(1))], NOW)
    repo.set_config(db, "interview-prep", "interview_date", "2026-01-08")
    session = ReviewSession(db)
    card = session.next_card(NOW)
    rated = session.rate(card.card_id, Rating.EASY, NOW)
    assert clock.from_ms(rated.record.due) > clock.start_of(date(2026, 1, 8), 4)


def test_after_the_date_scheduling_is_normal_again(db):
    import_decks(db, [parse(deck(2))], NOW)
    repo.set_config(db, "interview-prep", "interview_date", "2026-01-04")
    session = ReviewSession(db)
    card = session.next_card(NOW)
    rated = session.rate(card.card_id, Rating.EASY, NOW)
    assert clock.from_ms(rated.record.due) > NOW + timedelta(days=2)


@pytest.mark.parametrize("cap", ["1", "auto"])
def test_every_question_seen_in_time_within_the_budget(tmp_path, cap):
    """Fifteen questions, ten days: deadline mode raises the day's intake of new questions
    above a cap of 1 to the pace that sees them all, and every day stays within the budget.
    """
    path = tmp_path / "prep.md"
    path.write_text(deck(15), encoding="utf-8")
    env = {"DRILL_DB": str(tmp_path / "d.db"), "DRILL_NO_BUNDLED": "1"}
    runner = CliRunner()

    def run(*args, when):
        result = runner.invoke(cli, list(args), env={**env, "DRILL_NOW": when.isoformat()})
        assert result.exit_code == 0, result.output + result.stderr
        return result.output

    run("import", str(path), when=NOW)
    run("config", "fuzz", "off", when=NOW)
    run("config", "new_questions_per_day", cap, when=NOW)
    run("config", "interview_date", "2026-01-15", when=NOW)
    seconds = {"rehearse": 110, "why": 35, "dos": 45}
    seen: set[str] = set()
    failed: set[tuple[int, int]] = set()
    for day in range(10):
        now = NOW + timedelta(days=day)
        spent = 0
        for _ in range(400):
            card = json.loads(run("next", "--json", when=now))
            if card is None:
                break
            # Forget some cards once a day, as a person would; then recall them.
            first_today = (card["card_id"], day) not in failed
            grade = "again" if first_today and (card["card_id"] + day) % 7 == 0 else "good"
            failed.add((card["card_id"], day))
            took = seconds[card["kind"]]
            run("rate", str(card["card_id"]), grade, "--duration-ms", str(took * 1000), when=now)
            seen.add(card["question_id"])
            spent += took
            now += timedelta(seconds=took)
        assert spent <= 1.25 * 20 * 60, f"day {day}: {spent / 60:.1f} minutes"
        if day == 0:
            assert len(seen) >= 2, "above a cap of 1: the pace that sees them all in time"
        if day == 8:
            assert len(seen) == 15, "every question is seen before the last day"


def test_a_deck_with_its_own_date_shows_its_own_countdown(tmp_path):
    path = tmp_path / "prep.md"
    path.write_text(deck(4), encoding="utf-8")
    env = {
        "DRILL_DB": str(tmp_path / "d.db"),
        "DRILL_NO_BUNDLED": "1",
        "DRILL_NOW": NOW.isoformat(),
    }
    runner = CliRunner()
    runner.invoke(cli, ["import", str(path)], env=env)
    runner.invoke(
        cli, ["config", "--deck", "interview-prep", "interview_date", "2026-01-12"], env=env
    )
    card = json.loads(runner.invoke(cli, ["next", "--json"], env=env).output)
    runner.invoke(cli, ["rate", str(card["card_id"]), "good"], env=env)
    [row] = json.loads(runner.invoke(cli, ["decks", "--json"], env=env).output)
    assert row["interview"]["date"] == "2026-01-12"
    assert row["interview"]["days_left"] == 7
    assert row["interview"]["seen"] == 0.25
    text = runner.invoke(cli, ["decks"], env=env).output
    assert "Interview prep: interview in 7 days" in text
