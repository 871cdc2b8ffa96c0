"""Deadline mode: every card learned before the interview, nothing due on or after it."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from click.testing import CliRunner

from drill.cli.main import cli
from drill.core import clock, deadline
from drill.core.config import StudyConfig
from drill.core.model import CardKind, CardRecord, Rating
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


def test_new_limit_formula():
    config = StudyConfig(new_per_day=0, interview_date=date(2026, 1, 15))
    # NOW is 2026-01-05 10:00, day starts at 4: 10 days left, the last is for run-through.
    assert deadline.days_left(config, NOW, 4) == 10
    assert deadline.new_limit(config, 30, NOW, 4) == 4  # ceil(30 / 9)
    assert (
        deadline.new_limit(
            StudyConfig(new_per_day=10, interview_date=date(2026, 1, 15)), 30, NOW, 4
        )
        == 10
    )
    last_day = NOW + timedelta(days=9)
    assert deadline.new_limit(config, 7, last_day, 4) == 7
    assert deadline.days_left(config, NOW + timedelta(days=10), 4) is None


def test_clamp_keeps_due_dates_before_the_interview():
    config = StudyConfig(interview_date=date(2026, 1, 8))
    far = CardRecord(state=2, due=clock.to_ms(NOW + timedelta(days=30)))
    why = deadline.clamp(far, CardKind.WHY, config, NOW, 4)
    assert clock.from_ms(why.due) < clock.start_of(date(2026, 1, 8), 4)
    rehearse = deadline.clamp(far, CardKind.REHEARSE, config, NOW, 4)
    assert clock.from_ms(rehearse.due) == clock.start_of(date(2026, 1, 7), 4)
    soon = CardRecord(state=1, due=clock.to_ms(NOW + timedelta(minutes=10)))
    assert deadline.clamp(soon, CardKind.WHY, config, NOW, 4) == soon


def test_after_the_date_scheduling_is_normal_again(db):
    import_decks(db, [parse(deck(2))], NOW)
    repo.set_config(db, "interview-prep", "interview_date", "2026-01-04")
    session = ReviewSession(db)
    card = session.next_card(NOW)
    rated = session.rate(card.card_id, Rating.EASY, NOW)
    assert clock.from_ms(rated.record.due) > NOW + timedelta(days=2)


@pytest.mark.parametrize("new_per_day", ["0", "10"])
def test_ten_simulated_days_through_the_cli(tmp_path, new_per_day):
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
    run("config", "new_per_day", new_per_day, when=NOW)
    run("config", "--deck", "interview-prep", "interview_date", "2026-01-15", when=NOW)
    interview_start = clock.start_of(date(2026, 1, 15), 4)
    last_day_rehearsed = set()
    failed: set[tuple[int, int]] = set()
    for day in range(10):
        now = NOW + timedelta(days=day)
        for _ in range(400):
            card = json.loads(run("next", "--deck", "interview-prep", "--json", when=now))
            if card is None:
                break
            # Forget some cards once a day, as a person would; then recall them.
            first_today = (card["card_id"], day) not in failed
            grade = "again" if first_today and (card["card_id"] + day) % 7 == 0 else "good"
            failed.add((card["card_id"], day))
            rated = json.loads(run("rate", str(card["card_id"]), grade, "--json", when=now))
            assert clock.parse_instant(rated["due"]) < interview_start, rated
            if day == 9 and card["kind"] == "rehearse":
                last_day_rehearsed.add(card["question_id"])
            now += timedelta(minutes=3)
        assert now < NOW + timedelta(days=day, hours=18), "a study day's work fits in the day"
    progress = json.loads(
        run("export", "progress", "--format", "json", when=NOW + timedelta(days=10))
    )
    assert all(row["state"] != "new" for row in progress), "every card is introduced before the day"
    assert all(clock.parse_instant(row["due"]) < interview_start for row in progress)
    # The last day before the interview is a run-through of the rehearse cards.
    assert len(last_day_rehearsed) == 15


def test_decks_show_the_countdown(tmp_path):
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
