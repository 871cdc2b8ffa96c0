"""`drill insights` and the insights line of `drill answer --history`."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from click.testing import CliRunner

from drill.cli.main import cli
from tests.helpers import NOW

DECK = """# Coach deck
Questions for the coach.

## Tell me about a time you failed.
id: failed
tags: behavioral, failure

### Approach
Own it, give the cost, say what changed.

### Do
- Give the cost in numbers.
- Say what you learned.
- Research the company first.

### Don't
- Don't blame "the other team" or the client.

## Why do you want this job?
id: why-job

### Approach
Two specific reasons.
"""

GOOD = (
    "Last March I ran the quarterly report at an insurer. My job was to file it by the 31st. "
    "I planned the reconciliation too late, and I found a 2 percent gap three weeks out. I told "
    "my director that day and offered two options. We filed six days late with the "
    "regulator's agreement. I learned to reconcile as soon as the data lands."
)
WEAK = "Um, so, basically it was, like, the other team's fault, you know, so yeah."
REF = "coach-deck/failed"


@pytest.fixture
def run(tmp_path):
    env = {
        "DRILL_DB": str(tmp_path / "d.db"),
        "DRILL_NOW": NOW.isoformat(),
        "DRILL_NO_BUNDLED": "1",
    }
    deck = tmp_path / "coach.md"
    deck.write_text(DECK, encoding="utf-8")
    runner = CliRunner()

    def invoke(*args, now=None, input=None):
        extra = {"DRILL_NOW": now.isoformat()} if now else {}
        return runner.invoke(cli, list(args), env={**env, **extra}, input=input)

    assert invoke("import", str(deck)).exit_code == 0
    return invoke


def test_text_report_shows_each_finding_with_its_words(run):
    result = run("insights", REF, "--text", WEAK)
    assert result.exit_code == 0, result.output
    out = result.output
    assert out.startswith("Tell me about a time you failed.\ncoach-deck/failed · the text you gave")
    assert "Length     14 words, about 0:06 spoken at 140 words a minute" in out
    assert "Fillers    " in out and '"basically" x1' in out
    assert "✗ situation not found" in out
    assert 'Don\'ts     ✗ Don\'t blame "the other team" or the client: "the other team\'s"' in out
    assert "- Research the company first (can't be heard in an answer)" in out
    assert "Suggested  Hard" in out or "Suggested  Again" in out


def test_json_has_the_issue_fields_and_nothing_is_saved(run):
    data = json.loads(run("insights", REF, "--text", GOOD, "--json").output)
    assert data["answer"] == {"origin": "text"}
    assert data["length"] == "short" and data["target_seconds"] == [45, 120]
    assert {k for k in data["star"]} >= {"situation", "task", "action", "result"}
    assert data["star"]["result"]["found"] and data["star"]["result_measured"]
    assert data["pronouns"]["i"] >= 5
    assert data["job_terms"] is None
    assert data["suggested_rating"] in ("hard", "good")
    assert [d["covered"] for d in data["dos"]] == [True, True, False]
    # Analysing saved nothing: there is still no answer to analyse.
    result = run("insights", REF)
    assert result.exit_code == 1
    assert "no saved answer to 'coach-deck/failed' yet" in result.output


def test_latest_saved_answer_and_the_trend(run):
    run("answer", REF, "--text", WEAK)
    run("answer", REF, "--text", GOOD, now=NOW + timedelta(days=1))
    data = json.loads(run("insights", REF, "--json").output)
    assert data["answer"]["origin"] == "saved"
    assert data["answer"]["created_at"] == "2026-01-06T10:00:00Z"
    trend = data["trend"]
    assert [p["created_at"] for p in trend] == ["2026-01-05T10:00:00Z", "2026-01-06T10:00:00Z"]
    assert trend[0]["filler_count"] > trend[1]["filler_count"] == 0
    assert trend[0]["rubric"]["total"] < trend[1]["rubric"]["total"]
    text = run("insights", REF).output
    assert "Trend      2 saved versions, oldest first" in text
    # Every insight the user improves on, version by version, not only the word count.
    trend_lines = text.split("Trend      ")[1].splitlines()[1:]
    assert [line.split()[0] for line in trend_lines] == [
        "words",
        "fillers",
        "hedges",
        "STAR",
        "measured",
        "I",
        "red",
        "rubric",
        "suggested",
    ]
    assert "           STAR 0/4 → 4/4" in trend_lines
    assert "           measured result no → yes" in trend_lines


def test_answer_history_has_an_insights_line_per_version(run):
    run("answer", REF, "--text", WEAK)
    run("answer", REF, "--text", GOOD, now=NOW + timedelta(days=1))
    lines = run("answer", REF, "--history").output.splitlines()
    summaries = [line for line in lines if line.startswith("    ")]
    assert len(summaries) == 2
    assert summaries[0].startswith("    64 words (0:27, short) · STAR 4/4")
    assert "fillers" in summaries[1] and "STAR" in summaries[1]


def test_an_answer_is_saved_from_a_file_or_standard_input(run, tmp_path):
    path = tmp_path / "draft.txt"
    path.write_text(GOOD + "\n", encoding="utf-8")
    assert run("answer", REF, "--file", str(path)).output == "Saved a new version.\n"
    # The same text from standard input is no new version.
    same = run("answer", REF, "--file", "-", input=GOOD)
    assert same.output == "Unchanged: same as the latest version.\n"
    history = json.loads(run("answer", REF, "--history", "--json").output)
    assert [v["text"] for v in history] == [GOOD]
    # A bad file is one line, and nothing is saved.
    bad = run("answer", REF, "--file", "/dev/zero")
    assert bad.exit_code == 1
    assert bad.output == (
        "/dev/zero: is a device, not a regular file (save what it holds to a file and read that)\n"
    )
    assert len(json.loads(run("answer", REF, "--history", "--json").output)) == 1
    both = run("answer", REF, "--file", str(path), "--text", "x")
    assert (
        both.exit_code == 2 and "exactly one of --text, --file, --edit or --history" in both.output
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("   ", "error: the answer is empty\n"),
        ("a" * 70_000, "error: the answer is 70,000 bytes; an answer can be at most 65,536"),
        ("nul\x00byte", "error: the answer is binary data, not text\n"),
    ],
)
def test_a_saved_answer_is_checked_like_an_analysed_one(run, text, message):
    result = run("answer", REF, "--text", text)
    assert result.exit_code == 1 and result.output.startswith(message)
    assert json.loads(run("answer", REF, "--history", "--json").output) == []


def test_file_and_standard_input(run, tmp_path):
    path = tmp_path / "draft.txt"
    path.write_text(GOOD, encoding="utf-8")
    from_file = json.loads(run("insights", REF, "--file", str(path), "--json").output)
    from_stdin = json.loads(run("insights", REF, "--file", "-", "--json", input=GOOD).output)
    assert from_file["answer"] == {"origin": "file"}
    assert from_file["words"] == from_stdin["words"] == len(GOOD.split())


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: ["--text", ""], "error: the answer is empty"),
        (lambda p: ["--text", "x" * 1_000_000], "error: the answer is 1,000,000 bytes"),
        (lambda p: ["--file", str(p / "missing.txt")], "missing.txt: no such file"),
        (lambda p: ["--file", str(p)], ": is a directory, not a file"),
        (lambda p: ["--file", "/dev/zero"], "/dev/zero: is a device, not a regular file"),
    ],
)
def test_bad_input_is_one_line(run, tmp_path, make, message):
    result = run("insights", REF, *make(tmp_path))
    assert result.exit_code == 1
    assert message in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_binary_and_oversized_files(run, tmp_path):
    binary = tmp_path / "a.bin"
    binary.write_bytes(b"\x00\x01\x02PK" * 100)
    big = tmp_path / "big.txt"
    big.write_text("word " * 250_000, encoding="utf-8")
    empty = tmp_path / "empty.txt"
    empty.write_text("  \n", encoding="utf-8")
    latin = tmp_path / "latin.txt"
    latin.write_bytes("caf\xe9".encode("latin-1"))
    for path, message in (
        (binary, "is binary data, not text"),
        (big, "is 1,250,000 bytes; an answer can be at most 65,536"),
        (empty, "is empty"),
        (latin, "is not UTF-8 text"),
    ):
        result = run("insights", REF, "--file", str(path))
        assert result.exit_code == 1
        assert f"{path}: {message}" in result.output


def test_unknown_question_deck_and_bad_reference(run):
    assert "no question 'nope' in deck 'coach-deck'" in run("insights", "coach-deck/nope").output
    assert run("insights", "nope/failed").exit_code == 1
    bad = run("insights", "just-a-deck")
    assert bad.exit_code == 2 and "DECK/QUESTION" in bad.output
    both = run("insights", REF, "--text", "a", "--file", "b")
    assert both.exit_code == 2 and "not both" in both.output


def test_escape_sequences_never_reach_the_terminal(run):
    out = run("insights", REF, "--text", "I \x1b[2Jfailed \x1b]0;title\x07badly, um.").output
    assert "\x1b" not in out and "\x07" not in out


def test_job_terms_score_the_fit_row(run):
    from pathlib import Path

    posting = Path(__file__).parent / "data" / "jobs" / "support-specialist.txt"
    added = run("job", "add", str(posting), "--json")
    assert added.exit_code == 0, added.output
    job = json.loads(added.output)["id"]
    text = GOOD + " I handled the support tickets and the escalations myself."
    data = json.loads(run("insights", REF, "--text", text, "--job", str(job), "--json").output)
    terms = data["job_terms"]
    assert "support tickets" in terms["used"] and terms["missing"]
    fit = next(row for row in data["rubric"]["rows"] if row["row"] == "fit")
    assert fit["points"] is not None and fit["source"] == "job"
    missing = run("insights", REF, "--text", GOOD, "--job", "99")
    assert missing.exit_code == 1 and "no job 99" in missing.output


def test_story_coverage_of_a_job(run):
    from pathlib import Path

    posting = Path(__file__).parent / "data" / "jobs" / "support-specialist.txt"
    job = json.loads(run("job", "add", str(posting), "--json").output)["id"]
    run("story", "add", "Rota", "--text", GOOD, "--competencies", "failure")
    data = json.loads(run("story", "coverage", "--job", str(job), "--json").output)
    shown = json.loads(run("job", "show", str(job), "--json").output)
    assert data["questions"] == len(shown["questions"])
    both = run("story", "coverage", "--job", str(job), "--deck", "coach-deck")
    assert both.exit_code == 2
