"""`drill job`: adding a posting, its set, editing it, gaps as a deck, removing, and bad input
leaving nothing behind.
"""

from __future__ import annotations

import json
import sqlite3

import pytest
from click.testing import CliRunner

from drill.cli.main import cli
from tests.helpers import NOW

DECK = """# Analytics
## Tell me about an A/B test whose result surprised you.
id: ab-test
tags: experimentation, a/b testing

## Tell me about a dashboard you built that people actually used.
id: dashboard
tags: dashboards, reporting

## Tell me about a time stakeholders disagreed about a metric.
id: stakeholders
tags: stakeholders, kpis, influence

## Tell me about a deal you lost.
id: lost-deal
tags: sales

## What is your greatest weakness?
id: weakness
"""

POSTING = """Data Analyst - Freightline

What you'll do:
- Build and maintain dashboards that depot managers actually use.
- Design and analyse A/B tests of routing changes.
- Partner with finance stakeholders to agree the KPIs each depot is measured on.
- Write SQL against our Snowflake warehouse every day.

Benefits:
- A pension.
"""


@pytest.fixture
def run(tmp_path):
    env = {
        "DRILL_DB": str(tmp_path / "d.db"),
        "DRILL_NOW": NOW.isoformat(),
        "DRILL_NO_BUNDLED": "1",
    }
    (tmp_path / "deck.md").write_text(DECK, encoding="utf-8")
    (tmp_path / "posting.txt").write_text(POSTING, encoding="utf-8")
    runner = CliRunner()

    def invoke(*args, input=None, extra_env=None):
        return runner.invoke(cli, list(args), env={**env, **(extra_env or {})}, input=input)

    assert invoke("import", str(tmp_path / "deck.md")).exit_code == 0
    invoke.path = tmp_path
    return invoke


def add(run, *extra):
    result = run("job", "add", str(run.path / "posting.txt"), "--json", *extra)
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_add_stores_the_posting_and_prints_the_job(run):
    job = add(run, "--interview", "2026-01-20")
    assert job["id"] == 1
    assert (job["title"], job["company"]) == ("Data Analyst", "Freightline")
    assert (job["interview"], job["days_left"]) == ("2026-01-20", 15)
    assert [r["text"][:14] for r in job["requirements"]] == [
        "Build and main",
        "Design and ana",
        "Partner with f",
        "Write SQL agai",
    ]
    terms = [t["term"] for t in job["terms"]]
    assert {"A/B testing", "SQL", "Snowflake"} <= set(terms)
    refs = [f"{q['deck']}/{q['question_id']}" for q in job["questions"]]
    assert set(refs[:3]) == {"analytics/ab-test", "analytics/dashboard", "analytics/stakeholders"}
    assert "analytics/lost-deal" not in refs
    first = job["questions"][0]
    assert set(first) == {
        "deck",
        "question_id",
        "question",
        "origin",
        "score",
        "reason",
        "installed",
        "rehearsed",
        "answered",
        "terms",
    }
    assert first["origin"] == "ranked" and first["reason"].startswith("serves “")
    assert [g["text"][:9] for g in job["gaps"]] == ["Write SQL"]
    assert job["readiness"] == {
        "questions": len(refs),
        "rehearsed": 0,
        "answered": 0,
        "terms": len(job["terms"]),
        "terms_covered": 0,
        "never_mentioned": [],
    }


def test_add_from_stdin_with_title_and_company(run):
    result = run("job", "add", "-", "--title", "Analyst II", "--company", "Acme", input=POSTING)
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Added Job 1: Analyst II at Acme · no interview date.")
    assert "Gaps: 1 requirement no question covers well" in result.output
    assert "\n4 requirements; key terms: " in result.output
    listed = json.loads(run("job", "list", "--json").output)
    assert [(j["id"], j["title"], j["company"]) for j in listed] == [(1, "Analyst II", "Acme")]
    assert set(listed[0]) == {
        "id",
        "title",
        "company",
        "interview",
        "days_left",
        "question_count",
        "readiness",
    }
    assert listed[0]["question_count"] == listed[0]["readiness"]["questions"] >= 3


def test_show_text_marks_requirements_and_gaps(run):
    add(run)
    out = run("job", "show", "1").output
    assert "Job 1: Data Analyst at Freightline · no interview date" in out
    assert "  ✓ Design and analyse A/B tests of routing changes." in out
    assert "  ✗ Write SQL against our Snowflake warehouse every day." in out
    gap_line = next(line for line in out.splitlines() if "gap: no question covers it well" in line)
    assert "SQL" in gap_line and "Snowflake" in gap_line
    assert "drill job gaps 1 -o gaps.md" in out


def test_answers_meet_the_posting_terms(run):
    add(run)
    assert (
        run("answer", "analytics/ab-test", "--text", "I ran the experiment in SQL.").exit_code == 0
    )
    job = json.loads(run("job", "show", "1", "--json").output)
    ab = next(q for q in job["questions"] if q["question_id"] == "ab-test")
    assert ab["answered"] is True
    assert "A/B testing" in ab["terms"]["used"]
    readiness = job["readiness"]
    assert readiness["answered"] == 1
    assert readiness["terms_covered"] >= 2  # A/B testing and SQL
    assert "stakeholder management" in readiness["never_mentioned"]
    out = run("job", "show", "1").output
    assert "Your answers never mention:" in out and "stakeholder management" in out


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "the posting is empty"),
        (b"\x00\x01binary", "binary file"),
        (b"Requirements:\n- SQL.\n" * 60_000, "over 256 KB"),
        (b"<p>Role</p><script>x()</script><ul><li>Own SQL.</li></ul>", "holds a script"),
        (b"We are hiring! Join our amazing team.\n", "no requirements found"),
    ],
)
def test_bad_postings_are_refused_and_nothing_is_stored(run, content, message):
    path = run.path / "bad.txt"
    path.write_bytes(content)
    result = run("job", "add", str(path))
    assert result.exit_code == 1
    assert message in result.output
    assert result.output.count("\n") == 1
    assert json.loads(run("job", "list", "--json").output) == []


def test_bad_dates_and_sizes(run):
    result = run("job", "add", str(run.path / "posting.txt"), "--interview", "2026-01-01")
    assert result.exit_code == 1
    assert "the interview date 2026-01-01 is in the past (today is 2026-01-05)" in result.output
    result = run("job", "add", str(run.path / "posting.txt"), "--interview", "soon")
    assert result.exit_code == 2
    assert "'soon' is not a date" in result.output
    assert run("job", "add", str(run.path / "posting.txt"), "--size", "2").exit_code == 2
    assert json.loads(run("job", "list", "--json").output) == []


def test_edit_adds_removes_and_keeps_those_choices_when_chosen_again(run):
    add(run)
    result = run(
        "job",
        "edit",
        "1",
        "--add",
        "analytics/weakness",
        "--remove",
        "analytics/dashboard",
        "--json",
    )
    assert result.exit_code == 0, result.output
    refs = {q["question_id"]: q["origin"] for q in json.loads(result.output)["questions"]}
    assert refs["weakness"] == "added"
    assert "dashboard" not in refs
    again = json.loads(run("job", "edit", "1", "--refresh", "--json").output)
    refs = {q["question_id"]: q["origin"] for q in again["questions"]}
    assert refs["weakness"] == "added" and "dashboard" not in refs
    assert run("job", "edit", "1", "--add", "analytics/weakness").exit_code == 1
    result = run("job", "edit", "1", "--remove", "analytics/nope")
    assert result.exit_code == 1 and "no question 'nope' in deck 'analytics'" in result.output
    assert run("job", "edit", "1").exit_code == 2


def test_edit_title_company_interview_and_size(run):
    add(run)
    result = run(
        "job",
        "edit",
        "1",
        "--title",
        "Senior Analyst",
        "--company",
        "",
        "--interview",
        "2026-02-01",
        "--size",
        "5",
        "--json",
    )
    job = json.loads(result.output)
    assert (job["title"], job["company"], job["interview"], job["size"]) == (
        "Senior Analyst",
        "",
        "2026-02-01",
        5,
    )
    cleared = json.loads(run("job", "edit", "1", "--interview", "none", "--json").output)
    assert cleared["interview"] is None


def test_gaps_become_a_deck_that_checks_and_imports_and_closes_the_gap(run):
    add(run)
    target = run.path / "gaps.md"
    result = run("job", "gaps", "1", "-o", str(target))
    assert result.exit_code == 0, result.output
    # One draft for the one gap, and the steps that bring it into the job's set.
    assert f"Wrote {target}: 1 question. Fill in each approach" in result.stderr
    assert result.stderr.rstrip().endswith(
        f"drill check {target} && drill import {target} && drill job edit 1 --refresh"
    )
    text = target.read_text(encoding="utf-8")
    assert text.startswith("# Gaps for Data Analyst at Freightline\n")
    assert (
        "## Tell me about a time you wrote SQL against the Snowflake warehouse every day." in text
    )
    assert run("check", str(target)).exit_code == 0
    assert run("import", str(target)).exit_code == 0
    job = json.loads(run("job", "show", "1", "--json").output)
    assert job["gaps"] == []
    refreshed = json.loads(run("job", "edit", "1", "--refresh", "--json").output)
    decks = {q["deck"] for q in refreshed["questions"]}
    assert "gaps-for-data-analyst-at-freightline" in decks
    assert run("job", "gaps", "1").exit_code == 1  # no gaps left


def test_remove_asks_backs_up_and_deletes_only_the_job(run):
    add(run)
    assert run("job", "remove", "1", input="n\n").exit_code == 1
    assert len(json.loads(run("job", "list", "--json").output)) == 1
    result = run("job", "remove", "1", "--yes")
    assert result.output == "Removed job 1: Data Analyst.\n"
    assert json.loads(run("job", "list", "--json").output) == []
    assert list((run.path / "backups").glob("*job-remove.db"))
    assert run("export", "deck", "analytics", "--format", "json").exit_code == 0
    result = run("job", "show", "1")
    assert result.exit_code == 1
    assert "no job 1 (no jobs yet: drill job add POSTING-FILE)" in result.output


def test_a_failed_job_removal_keeps_every_older_backup(run, monkeypatch):
    """The backup before removing a job is rotated in only once the job is gone."""
    import sqlite3
    from datetime import timedelta

    from drill.storage import jobs as job_store
    from drill.storage.backup import automatic_backup, automatic_backups
    from drill.storage.db import open_database

    add(run)
    db_path = run.path / "d.db"
    db = open_database(db_path)
    good = [automatic_backup(db, db_path, "prune", NOW + timedelta(minutes=i)) for i in range(5)]
    db.close()

    def fail(*args):
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(job_store, "delete_job", fail)
    for _ in range(3):
        result = run("job", "remove", "1", "--yes")
        assert result.exit_code == 1 and result.output.count("\n") == 1, result.output
    assert automatic_backups(db_path) == good
    assert len(json.loads(run("job", "list", "--json").output)) == 1


@pytest.mark.parametrize("stored", ["2026-99-99", "x", "0001-01-01"])
def test_an_interview_date_damaged_outside_drill_reads_as_none(run, stored):
    """A database edited by hand: the job stays usable (no traceback) until it is set again."""
    import sqlite3

    add(run, "--interview", "2026-01-20")
    conn = sqlite3.connect(run.path / "d.db")
    conn.execute("UPDATE jobs SET interview = ?", [stored])
    conn.commit()
    conn.close()
    for args in (("job", "list"), ("job", "show", "1", "--json"), ("next", "--job", "1")):
        result = run(*args)
        assert result.exit_code == 0, (args, result.output)
    assert "no interview date" in run("job", "list").output
    assert json.loads(run("job", "show", "1", "--json").output)["interview"] is None
    assert run("job", "edit", "1", "--interview", "2026-01-21").exit_code == 0
    assert "2026-01-21" in run("job", "show", "1", "--json").output


def test_jobs_travel_in_backups_and_come_back_with_restore(run):
    add(run, "--interview", "2026-01-20")
    copy = run.path / "copy.db"
    assert run("backup", "-o", str(copy)).exit_code == 0
    with sqlite3.connect(copy) as conn:
        assert conn.execute("SELECT title FROM jobs").fetchall() == [("Data Analyst",)]
    assert run("job", "remove", "1", "--yes").exit_code == 0
    result = run("restore", str(copy), "--yes")
    assert result.exit_code == 0, result.output
    assert "1 job" in result.output
    restored = json.loads(run("job", "show", "1", "--json").output)
    assert restored["interview"] == "2026-01-20"
    assert len(restored["questions"]) >= 3


def test_untrusted_posting_text_never_reaches_the_terminal_as_escapes(run):
    path = run.path / "evil.txt"
    path.write_bytes(b"\x1b]0;owned\x07Analyst\n\nRequirements:\n- Build \x1b[2Jdashboards.\n")
    result = run("job", "add", str(path))
    assert result.exit_code == 0, result.output
    shown = run("job", "show", "1").output + run("job", "list").output
    assert "\x1b" not in shown and "\x07" not in shown
    data = run("job", "show", "1", "--json").output
    assert "\\u001b" not in data and "\x1b" not in data


def test_openers_come_with_the_bundled_decks(tmp_path):
    env = {
        "DRILL_DB": str(tmp_path / "b.db"),
        "DRILL_NOW": NOW.isoformat(),
        "DRILL_NO_BUNDLED": "0",
    }
    (tmp_path / "posting.txt").write_text(POSTING, encoding="utf-8")
    result = CliRunner().invoke(
        cli, ["job", "add", str(tmp_path / "posting.txt"), "--json"], env=env
    )
    assert result.exit_code == 0, result.output
    job = json.loads(result.output)
    openers = [
        f"{q['deck']}/{q['question_id']}" for q in job["questions"] if q["origin"] == "opener"
    ]
    assert openers == [
        "about-you/tell-me-about-yourself",
        "fit-and-why-us/why-this-company",
        "fit-and-why-us/why-this-role",
        "questions-to-ask-the-interviewer/ask-the-manager",
    ]
    # The role pack the set draws on is installed with the job, and only that one: a pack
    # the set would take fewer than three questions of stays out.
    assert "data-science-and-analytics" in job["packs_installed"]
    available = json.loads(
        CliRunner().invoke(cli, ["decks", "available", "--json"], env=env).output
    )
    installed_packs = {d["id"] for d in available if d["pack"] and d["installed"]}
    assert installed_packs == set(job["packs_installed"])
    per_deck = {}
    for q in job["questions"]:
        per_deck[q["deck"]] = per_deck.get(q["deck"], 0) + 1
    assert all(per_deck[pack] >= 3 for pack in installed_packs), per_deck
    general = {d["id"] for d in available if not d["pack"]}
    assert set(per_deck) <= general | installed_packs


# -- studying the set -------------------------------------------------------------------------------


def next_card(run, *args):
    result = run("next", "--json", *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_next_and_rate_on_a_job_stay_inside_its_set(run):
    job = add(run)
    in_set = {q["question_id"] for q in job["questions"]}
    assert "lost-deal" not in in_set
    seen = set()
    for _ in range(40):
        card = next_card(run, "--job", "1")
        if card is None:
            break
        seen.add(card["question_id"])
        assert run("rate", str(card["card_id"]), "good").exit_code == 0
    assert seen and seen <= in_set
    assert run("next", "--job", "7").exit_code == 1
    assert run("next", "--job", "1", "--deck", "analytics").exit_code == 2


def test_a_job_with_an_interview_studies_its_set_in_deadline_mode(run):
    assert run("config", "new_per_day", "1").exit_code == 0
    job = add(run, "--interview", "2026-01-08")  # 3 study days from NOW
    in_set = {q["question_id"] for q in job["questions"]}
    assert len(in_set) >= 3
    new_today = set()
    for _ in range(60):
        card = next_card(run, "--job", "1")
        if card is None:
            break
        if card["state"] == "new":
            new_today.add(card["question_id"])
        assert run("rate", str(card["card_id"]), "good").exit_code == 0
    # The job's interview is an interview date like the collection's: the intake raises its
    # pace to see the whole set before the last day (2 days to learn in), which
    # new_per_day 1 alone would not.
    assert new_today <= in_set
    assert len(new_today) >= -(-len(in_set) // 2) > 1
    # The job's date drove it; the deck's own setting is untouched.
    assert (
        run("config", "--deck", "analytics", "interview_date").output == "interview_date = none\n"
    )


def test_a_jobs_interview_brings_its_set_in_first_when_studying_everything(run):
    # The job's interview is one of the collection's interview dates, whichever way you study:
    # its questions come in before the others, at the pace that sees them in time. Intervals
    # stay FSRS's own (deadline mode no longer pulls due dates before the day: see
    # docs/plan.md), so a set question studied outside the job is scheduled as any other.
    assert run("config", "new_per_day", "1").exit_code == 0
    add(run, "--interview", "2026-01-07")  # 2 study days: the set is learned today
    assert run("job", "edit", "1", "--remove", "analytics/ab-test").exit_code == 0
    shown = json.loads(run("job", "show", "1", "--json").output)
    in_set = {q["question_id"] for q in shown["questions"]}
    assert "ab-test" not in in_set  # the deck's first question
    order = []
    for _ in range(60):
        card = next_card(run)
        if card is None:
            break
        if card["state"] == "new" and card["question_id"] not in order:
            order.append(card["question_id"])
        assert run("rate", str(card["card_id"]), "good").exit_code == 0
    assert set(order[: len(in_set)]) == in_set, order
    # Without the job, the deck's order (ab-test first) and new_per_day 1 hold again.
    assert run("job", "remove", "1", "--yes").exit_code == 0


def test_the_collections_plan_brings_a_jobs_set_in_at_its_interviews_pace(run):
    # The plan plays the days as the session would: with new_per_day 1, one question a day,
    # unless a job's interview asks for more (as the session's intake does).
    assert run("config", "new_per_day", "1").exit_code == 0
    before = json.loads(run("plan", "--json").output)["days"][0]["new_questions"]
    add(run, "--interview", "2026-01-07")  # 2 study days: its set is learned today
    assert run("job", "edit", "1", "--remove", "analytics/ab-test").exit_code == 0
    after = json.loads(run("plan", "--json").output)["days"][0]["new_questions"]
    assert before == 1 < after
    started = []
    for _ in range(60):
        card = next_card(run)
        if card is None:
            break
        if card["state"] == "new" and card["question_id"] not in started:
            started.append(card["question_id"])
        assert run("rate", str(card["card_id"]), "good").exit_code == 0
    # The session does what the plan said, the set first.
    assert len(started) == after
    assert set(started[:2]) == {"dashboard", "stakeholders"}


def test_the_collections_verdict_says_how_far_each_jobs_set_gets(run):
    job = add(run, "--interview", "2026-01-12")
    size = len(job["questions"])
    # Every question by 5 Jan says it all: no sentence for the job.
    plain = json.loads(run("plan", "--json").output)
    assert plain["verdict"] == "All 5 questions will be rehearsed by 5 Jan at 20 min a day."
    # A later interview of the collection's does not say when the job's set is ready.
    assert run("config", "interview_date", "2026-01-19").exit_code == 0
    plan = json.loads(run("plan", "--json").output)
    assert plan["jobs"] == [
        {
            "job": 1,
            "name": "Data Analyst at Freightline",
            "interview": "2026-01-12",
            "questions": size,
            "seen_by_interview": size,
        }
    ]
    assert plan["verdict"].endswith(
        f" Data Analyst at Freightline: all {size} of its questions before 12 Jan."
    )
    # Past the plan's days, a job is not in it.
    assert json.loads(run("plan", "--days", "3", "--json").output)["jobs"] == []


def test_plan_on_a_job_forecasts_its_set_to_its_interview(run):
    job = add(run, "--interview", "2026-01-12")  # 7 study days from NOW
    size = len(job["questions"])
    plan = json.loads(run("plan", "--job", "1", "--json").output)
    assert plan["job"] == 1 and plan["deck"] is None
    assert plan["interview"] == "2026-01-12" and len(plan["days"]) == 7
    # The set, not the deck: lost-deal is not in it.
    assert plan["questions_total"] == size < 5
    assert plan["questions_seen_by_interview"] == size
    assert plan["verdict"].startswith(f"All {size} questions will be rehearsed")
    text = run("plan", "--job", "1").output
    assert "job 1's set" in text.splitlines()[0]
    # The whole collection plans to no date (the job's interview is the set's, not the deck's).
    assert json.loads(run("plan", "--json").output)["job"] is None
    assert run("plan", "--job", "1", "--deck", "analytics").exit_code == 2
    assert run("plan", "--job", "5").exit_code == 1


def test_a_plan_on_a_job_that_cannot_fit_says_how_to_narrow_the_set(run):
    assert run("config", "daily_minutes", "5").exit_code == 0
    add(run, "--interview", "2026-01-06")  # tomorrow: one study day
    plan = json.loads(run("plan", "--job", "1", "--json").output)
    assert plan["questions_seen_by_interview"] < plan["questions_total"]
    assert plan["minutes_needed"] > 5
    assert plan["verdict"].endswith("or narrow the set (drill job edit 1 --size N).")


def test_practice_on_a_job_lists_only_its_set_even_from_a_paused_deck(run):
    job = add(run)
    in_set = {q["question_id"] for q in job["questions"]}
    assert run("decks", "pause", "analytics").exit_code == 0
    # A paused deck is out of practice unless named; a job names its questions.
    assert json.loads(run("practice", "--json").output) == []
    items = json.loads(run("practice", "--job", "1", "--json").output)
    assert {item["question_id"] for item in items} == in_set
    assert len(json.loads(run("practice", "--job", "1", "--weakest", "2", "--json").output)) == 2
    assert run("practice", "--job", "1", "--deck", "analytics").exit_code == 2
    assert run("practice", "--job", "9").exit_code == 1


def test_review_practice_on_a_job_opens_its_set(run, monkeypatch):
    from drill.tui import app

    calls = []
    monkeypatch.setattr(app, "run_app", lambda db, **kw: calls.append(kw) or 0)
    add(run)
    assert run("review", "--practice", "--job", "1", "--weakest", "3").exit_code == 0
    assert calls == [{"deck_id": None, "start": "practice", "job_id": 1, "weakest": 3}]


def test_mock_on_a_job_asks_only_its_questions(run, monkeypatch):
    from drill.cli.commands import mock as command

    plans = []
    monkeypatch.setattr(command, "has_terminal", lambda: True)
    monkeypatch.setattr(command, "run", lambda db, plan: plans.append(plan))
    job = add(run)
    in_set = {q["question_id"] for q in job["questions"]}
    result = run("mock", "--job", "1", "--questions", "10")
    assert result.exit_code == 0, result.output
    [plan] = plans
    asked = {q.question_id for q in plan.questions}
    assert asked == in_set
    assert run("mock", "--job", "3").exit_code == 1


# -- the report ------------------------------------------------------------------------------------


def test_the_report_carries_the_jobs_readiness_in_every_format(run):
    add(run, "--interview", "2026-01-20")
    assert (
        run("answer", "analytics/ab-test", "--text", "I ran the experiment in SQL.").exit_code == 0
    )
    data = json.loads(run("export", "stats", "--job", "1", "--format", "json").output)
    assert data["job"]["title"] == "Data Analyst"
    assert data["job"]["readiness"]["answered"] == 1
    assert "job" not in json.loads(run("export", "stats", "--format", "json").output)
    md = run("export", "stats", "--job", "1", "--format", "md").output
    assert "## Readiness: Data Analyst at Freightline" in md
    assert "Interview on 2026-01-20, in 15 days." in md
    assert "| Answers written | 1 of " in md
    assert "Write SQL against our Snowflake warehouse every day. | gap (" in md
    page = run("export", "stats", "--job", "1").output
    assert "<h2>Readiness: Data Analyst at Freightline</h2>" in page
    assert "Key terms the answers use" in page
    assert run("export", "stats", "--job", "9").exit_code == 1


def test_posting_text_is_escaped_in_the_html_and_markdown_report(run):
    path = run.path / "evil.html.txt"
    path.write_text(
        "Analyst <b>&amp;</b> co\n\nRequirements:\n- Build dashboards with <img src=x> and | pipes.\n",
        encoding="utf-8",
    )
    assert run("job", "add", str(path), "--company", "<i>Evil</i>").exit_code == 0
    page = run("export", "stats", "--job", "1").output
    assert "<img" not in page and "<i>Evil" not in page
    assert "&lt;img src=x&gt;" in page
    md = run("export", "stats", "--job", "1", "--format", "md").output
    assert "<img" not in md
    assert "\\| pipes" in md


GENERAL_FIRST = """# General
## Tell me about a dashboard you built that people actually used.
id: dashboard
tags: dashboards, reporting

## What is your greatest weakness?
id: weakness

## Where do you see yourself in five years?
id: five-years

## Why are you leaving your job?
id: leaving

## What are you proud of outside work?
id: outside-work
"""

ANALYTICS_SECOND = """# Analytics two
## Tell me about an A/B test whose result surprised you.
id: ab-test
tags: experimentation, a/b testing

## Tell me about a time stakeholders disagreed about a metric.
id: stakeholders
tags: stakeholders, kpis, influence
"""


def test_a_jobs_set_comes_in_before_other_questions_of_a_deck_that_holds_part_of_it(
    tmp_path,
):
    # A deck listed first holds one question of the set: its other new questions must wait
    # until the set's questions in the next deck are in, or a busy day (one question a day
    # beyond the interview's pace) fills up with questions the interview will not ask.
    env = {"DRILL_DB": str(tmp_path / "d.db"), "DRILL_NOW": NOW.isoformat()}
    runner = CliRunner()

    def run(*args):
        result = runner.invoke(cli, list(args), env=env)
        assert result.exit_code == 0, result.output
        return result

    (tmp_path / "general.md").write_text(GENERAL_FIRST, encoding="utf-8")
    (tmp_path / "analytics.md").write_text(ANALYTICS_SECOND, encoding="utf-8")
    (tmp_path / "posting.txt").write_text(POSTING, encoding="utf-8")
    run("import", str(tmp_path / "general.md"), str(tmp_path / "analytics.md"))
    run("config", "new_questions_per_day", "1")
    job = json.loads(
        run(
            "job", "add", str(tmp_path / "posting.txt"), "--interview", "2026-01-07", "--json"
        ).output
    )
    in_set = {q["question_id"] for q in job["questions"]}
    assert in_set == {"dashboard", "ab-test", "stakeholders"}
    started = []
    for _ in range(60):
        card = json.loads(run("next", "--json").output)
        if card is None:
            break
        if card["state"] == "new" and card["question_id"] not in started:
            started.append(card["question_id"])
        run("rate", str(card["card_id"]), "good")
    assert started and set(started) <= in_set, started
    # The plan says the same as the session.
    plan = json.loads(run("plan", "--json").output)
    assert plan["days"][0]["new_questions"] == len(started)


OWN_INTERVIEW = """# Salary talk
## What are your salary expectations?
id: expectations

## Why should we pay you more than the range?
id: above-range
"""


def test_a_decks_own_sooner_interview_still_comes_before_a_jobs_set(tmp_path):
    # Interviews bring questions in soonest first: a deck's own interview in two days keeps
    # its place before a job's set due in three, and both before the rest of a deck that
    # holds part of the set.
    env = {"DRILL_DB": str(tmp_path / "d.db"), "DRILL_NOW": NOW.isoformat()}
    runner = CliRunner()

    def run(*args):
        result = runner.invoke(cli, list(args), env=env)
        assert result.exit_code == 0, result.output
        return result

    for name, text in (
        ("general.md", GENERAL_FIRST),
        ("analytics.md", ANALYTICS_SECOND),
        ("salary.md", OWN_INTERVIEW),
        ("posting.txt", POSTING),
    ):
        (tmp_path / name).write_text(text, encoding="utf-8")
    run("import", *(str(tmp_path / n) for n in ("general.md", "analytics.md", "salary.md")))
    run("config", "new_questions_per_day", "1")
    run("config", "--deck", "salary-talk", "interview_date", "2026-01-07")
    run("job", "add", str(tmp_path / "posting.txt"), "--interview", "2026-01-08")
    started = []
    for _ in range(80):
        card = json.loads(run("next", "--json").output)
        if card is None:
            break
        if card["state"] == "new" and card["question_id"] not in started:
            started.append(card["question_id"])
        run("rate", str(card["card_id"]), "good")
    assert {"expectations", "above-range"} <= set(started), started
    assert not {"weakness", "five-years", "leaving", "outside-work"} & set(started), started
    plan = json.loads(run("plan", "--json").output)
    assert plan["days"][0]["new_questions"] == len(started)
