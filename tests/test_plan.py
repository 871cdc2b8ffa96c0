"""The prep plan (`drill plan`), one interview date, pausing decks, `drill setup`, and
practice without rescheduling.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, timedelta

import pytest
from click.testing import CliRunner

from drill.cli.main import cli
from drill.core.model import Rating
from drill.library.importing import import_decks
from drill.storage import repo
from drill.study import plan as planning
from drill.study.session import ReviewSession
from tests.helpers import NOW, parse

DAY = timedelta(days=1)


def deck_text(name: str, count: int) -> str:
    parts = [f"# {name}\n"]
    for i in range(1, count + 1):
        parts.append(f"## {name} question {i}?\nid: q{i}\n\n### Why they ask\nReasons.\n")
        parts.append("### Do\n- Do it.\n")
    return "\n".join(parts)


@pytest.fixture
def cli_env(tmp_path):
    """A CLI over a database with two decks (10 and 30 questions), clock at NOW."""
    (tmp_path / "a.md").write_text(deck_text("Alpha", 10), encoding="utf-8")
    (tmp_path / "b.md").write_text(deck_text("Beta", 30), encoding="utf-8")
    env = {"DRILL_DB": str(tmp_path / "d.db"), "DRILL_NO_BUNDLED": "1"}
    runner = CliRunner()

    def run(*args, when=NOW, code=0):
        result = runner.invoke(cli, list(args), env={**env, "DRILL_NOW": when.isoformat()})
        assert result.exit_code == code, result.output + result.stderr
        return result

    run("import", str(tmp_path / "a.md"), str(tmp_path / "b.md"))
    return run


# -- drill plan ----------------------------------------------------------------------------------


def test_plan_json_has_every_field(cli_env):
    data = json.loads(cli_env("plan", "--json").stdout)
    assert {
        "daily_minutes",
        "interview",
        "days",
        "questions_total",
        "questions_seen_by_interview",
        "questions_twice_by_interview",
        "minutes_needed",
        "verdict",
    } <= set(data)
    assert data["daily_minutes"] == 20 and data["interview"] is None
    assert len(data["days"]) == 14  # without an interview: two weeks
    assert set(data["days"][0]) == {"date", "minutes", "reviews", "new_questions"}
    assert data["days"][0]["date"] == "2026-01-05"
    assert data["questions_total"] == 40
    assert all(day["minutes"] <= 20 * 1.25 for day in data["days"])
    assert 0 < data["questions_seen_by_interview"] < 40
    assert data["minutes_needed"] is None  # no interview: nothing to cover by a date
    assert data["verdict"].startswith("At 20 min a day, ")
    assert "and all of them by" in data["verdict"]


def test_a_plan_that_covers_everything(cli_env):
    cli_env("decks", "pause", "beta")
    cli_env("config", "interview_date", "2026-01-26")
    data = json.loads(cli_env("plan", "--json").stdout)
    assert data["interview"] == "2026-01-26"
    assert len(data["days"]) == 21  # today to the day before the interview
    assert data["questions_total"] == 10
    assert data["questions_seen_by_interview"] == 10
    assert data["minutes_needed"] is None
    assert data["verdict"].startswith("All 10 questions will be rehearsed")
    assert "before 26 Jan at 20 min a day" in data["verdict"]


def test_a_plan_that_cannot_cover_everything_says_what_would(cli_env):
    cli_env("config", "interview_date", "2026-01-12")
    data = json.loads(cli_env("plan", "--json").stdout)
    missing = data["questions_total"] - data["questions_seen_by_interview"]
    assert missing > 0
    needed = data["minutes_needed"]
    assert needed is not None and needed > 20
    assert data["verdict"] == (
        f"At 20 min a day, {missing} of 40 questions will not be seen before 12 Jan: "
        f"{needed} min a day covers them, or narrow the set (pause decks)."
    )
    # ...and the budget it names does cover them.
    cli_env("config", "daily_minutes", str(needed))
    covered = json.loads(cli_env("plan", "--json").stdout)
    assert covered["questions_seen_by_interview"] == 40
    assert covered["verdict"].startswith("All 40 questions will be rehearsed")


def test_plan_text_ends_in_the_verdict(cli_env):
    out = cli_env("plan", "--days", "7").stdout
    assert out.startswith("Plan: 20 min a day · 40 questions")
    assert out.count("\n") >= 10
    assert out.rstrip().splitlines()[-1].startswith("At 20 min a day")


def test_plan_for_one_deck(cli_env):
    data = json.loads(cli_env("plan", "--deck", "alpha", "--json").stdout)
    assert data["deck"] == "alpha" and data["questions_total"] == 10


def test_the_plan_is_the_same_twice_and_writes_nothing(db):
    import_decks(db, [parse(deck_text("Alpha", 12))], NOW)
    before = list(db.conn.iterdump())
    first = planning.forecast(db, NOW)
    assert planning.forecast(db, NOW) == first
    assert list(db.conn.iterdump()) == before


def test_the_plan_starts_from_what_was_done_today(db):
    import_decks(db, [parse(deck_text("Alpha", 12))], NOW)
    session = ReviewSession(db)
    now = NOW
    for _ in range(2):
        card = session.next_card(now)
        session.rate(card.card_id, Rating.GOOD, now, 120_000)
        now += timedelta(minutes=2)
    today = planning.forecast(db, now).days[0]
    assert today.minutes >= 4
    assert today.new_questions >= 2


def test_choices_can_be_tried_without_being_made(db):
    import_decks(db, [parse(deck_text("Alpha", 12)), parse(deck_text("Beta", 12))], NOW)
    current = planning.Choices.current(db)
    assert current == planning.Choices(frozenset({"alpha", "beta"}), None, 20)
    narrow = planning.forecast(db, NOW, choices=replace(current, decks=frozenset({"alpha"})))
    assert narrow.questions_total == 12
    assert repo.decks(db, "beta")[0].paused is False


def test_a_zero_limit_is_named_instead_of_the_budget(db):
    import_decks(db, [parse(deck_text("Alpha", 5))], NOW)
    repo.set_config(db, None, "new_per_day", "0")
    result = planning.forecast(db, NOW)
    assert result.blocked == "new_per_day is 0 in Alpha"
    assert "never come in while new_per_day is 0 in Alpha" in result.verdict


# -- one interview ----------------------------------------------------------------------------


def test_a_collection_date_is_one_countdown(cli_env):
    cli_env("config", "interview_date", "2026-01-19")
    text = cli_env("decks").stdout
    assert text.count("interview in") + text.count("Interview in") == 1
    assert "Interview in 14 days (2026-01-19)" in text
    stats = json.loads(cli_env("stats", "--json").stdout)
    assert stats["interview"]["date"] == "2026-01-19"
    # drill stats names the day in words (issue 18's interview line, with the deck).
    assert "Interview  in 14 days (Monday 19 January 2026)" in cli_env("stats").stdout
    # Each deck still knows its date (JSON), but no line of its own.
    rows = json.loads(cli_env("decks", "--json").stdout)
    assert {row["interview"]["date"] for row in rows} == {"2026-01-19"}


def test_a_decks_own_date_adds_its_own_countdown(cli_env):
    cli_env("config", "interview_date", "2026-01-19")
    cli_env("config", "--deck", "beta", "interview_date", "2026-01-30")
    text = cli_env("decks").stdout
    assert "Interview in 14 days (2026-01-19)" in text
    assert "Beta: interview in 25 days (2026-01-30)" in text


def test_a_past_interview_date_is_refused(cli_env):
    result = cli_env("config", "interview_date", "2026-01-04", code=1)
    assert result.stderr == (
        "error: interview_date: 2026-01-04 is in the past (today is 2026-01-05); "
        "give a date ahead, or none\n"
    )
    assert json.loads(cli_env("config", "interview_date", "--json").stdout) == {
        "interview_date": None
    }
    cli_env("config", "interview_date", "2026-01-05")  # today is not the past
    cli_env("config", "--deck", "alpha", "interview_date", "2025-12-01", code=1)


# -- pause and resume ---------------------------------------------------------------------------


def test_a_paused_deck_shows_nothing_and_keeps_its_progress(cli_env):
    card = json.loads(cli_env("next", "--deck", "alpha", "--json").stdout)
    cli_env("rate", str(card["card_id"]), "good")
    assert cli_env("decks", "pause", "alpha").stdout == (
        "Paused Alpha: resume it with `drill decks resume alpha`.\n"
    )
    rows = {row["id"]: row for row in json.loads(cli_env("decks", "--json").stdout)}
    assert rows["alpha"]["paused"] is True and rows["beta"]["paused"] is False
    assert rows["alpha"]["new_today"] == 0 and rows["alpha"]["review"] == 1
    later = NOW + 3 * DAY  # alpha's card is due by now
    assert json.loads(cli_env("next", "--deck", "alpha", "--json", when=later).stdout) is None
    shown = json.loads(cli_env("next", "--json", when=later).stdout)
    assert shown["deck"] == "beta"
    assert "paused" in cli_env("decks").stdout
    assert cli_env("decks", "pause", "alpha").stdout == "Alpha was already paused.\n"
    assert cli_env("decks", "resume", "alpha").stdout == "Resumed Alpha.\n"
    assert json.loads(cli_env("next", "--json", when=later).stdout)["deck"] == "alpha"
    assert cli_env("decks", "pause", "gamma", code=1).stderr.startswith("error: no deck 'gamma'")
    # A deck is named as everywhere else: its name in any case, or a unique start.
    assert cli_env("decks", "pause", "ALPHA").stdout == (
        "Paused Alpha: resume it with `drill decks resume alpha`.\n"
    )
    assert cli_env("decks", "resume", "alp").stdout == "Resumed Alpha.\n"


# -- drill setup --------------------------------------------------------------------------------


def test_setup_makes_the_choices_in_one_step(cli_env):
    out = cli_env("setup", "--decks", "alpha", "--interview", "2026-01-26", "--minutes", "30")
    lines = out.stdout.splitlines()
    assert lines[0] == "Studying 1 deck (1 paused), interview 2026-01-26, 30 min a day."
    assert lines[1].startswith("All 10 questions will be rehearsed")
    rows = {row["id"]: row["paused"] for row in json.loads(cli_env("decks", "--json").stdout)}
    assert rows == {"alpha": False, "beta": True}
    config = json.loads(cli_env("config", "--json").stdout)
    assert (config["daily_minutes"], config["interview_date"]) == (30, "2026-01-26")
    data = json.loads(cli_env("setup", "--minutes", "off", "--json").stdout)
    assert data["decks"] == ["alpha"] and data["paused"] == ["beta"]
    assert data["daily_minutes"] is None and data["plan"]["daily_minutes"] is None


def test_setup_refuses_bad_choices_and_changes_nothing(cli_env):
    before = cli_env("config", "--json").stdout
    assert cli_env("setup", "--decks", "alpha,nope", code=1).stderr.startswith(
        "error: no deck 'nope'"
    )
    assert cli_env("setup", "--interview", "2025-01-01", code=1).stderr.startswith(
        "error: interview_date: 2025-01-01 is in the past"
    )
    assert cli_env("setup", "--minutes", "1", code=1).stderr == (
        "error: daily_minutes: 1 is outside 5-600\n"
    )
    assert cli_env("config", "--json").stdout == before
    assert not any(row["paused"] for row in json.loads(cli_env("decks", "--json").stdout))


def test_the_welcome_is_for_a_first_start_only(db):
    from drill.study import setup

    import_decks(db, [parse(deck_text("Alpha", 3))], NOW)
    assert setup.needs_welcome(db)
    setup.skip_welcome(db)
    assert not setup.needs_welcome(db)
    fresh = db  # a collection with reviews never needs it either
    repo.set_setting(fresh, setup.WELCOME_KEY, None)
    session = ReviewSession(fresh)
    card = session.next_card(NOW)
    session.rate(card.card_id, Rating.GOOD, NOW)
    assert not setup.needs_welcome(fresh)


def test_apply_pauses_the_decks_not_chosen(db):
    from drill.study import setup

    import_decks(db, [parse(deck_text("Alpha", 3)), parse(deck_text("Beta", 3))], NOW)
    choices = planning.Choices(frozenset({"beta"}), date(2026, 2, 1), 25)
    setup.apply(db, choices, NOW)
    assert [d.paused for d in repo.decks(db)] == [True, False]
    assert planning.Choices.current(db) == choices
    assert not setup.needs_welcome(db)


def test_setup_can_add_a_role_pack(tmp_path):
    env = {"DRILL_DB": str(tmp_path / "d.db"), "DRILL_NO_BUNDLED": "0"}
    runner = CliRunner()

    def run(*args, code=0):
        result = runner.invoke(cli, list(args), env={**env, "DRILL_NOW": NOW.isoformat()})
        assert result.exit_code == code, result.output + result.stderr
        return result.stdout

    data = json.loads(run("setup", "--decks", "about-you,sales", "--json"))
    assert sorted(data["decks"]) == ["about-you", "sales"]
    available = {row["id"]: row for row in json.loads(run("decks", "available", "--json"))}
    assert available["sales"]["installed"] is True
    assert data["plan"]["questions_total"] == (
        available["about-you"]["questions"] + available["sales"]["questions"]
    )


def test_the_plan_can_count_a_pack_before_it_is_added(db):
    from drill.library.bundled import packs_to_add

    import_decks(db, [parse(deck_text("Alpha", 4))], NOW)
    pack = packs_to_add(db)[0]
    choices = replace(planning.Choices.current(db), decks=frozenset({"alpha", pack.id}))
    planned = planning.prepare(db, NOW, choices=choices, extra=[pack]).run()
    assert planned.questions_total == 4 + len(pack.questions)
    assert repo.decks(db)[-1].id == "alpha"  # nothing was added


def test_a_mock_of_every_deck_leaves_paused_decks_out(db):
    import random

    from drill.study import mock

    import_decks(db, [parse(deck_text("Alpha", 3)), parse(deck_text("Beta", 3))], NOW)
    repo.set_paused(db, "alpha", True)
    drawn = mock.draw_questions(db, NOW, 6, rng=random.Random(1))
    assert {q.deck_id for q in drawn} == {"beta"}
    named = mock.draw_questions(db, NOW, 6, deck_id="alpha", rng=random.Random(1))
    assert {q.deck_id for q in named} == {"alpha"}
