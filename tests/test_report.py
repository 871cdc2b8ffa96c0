"""Reports: terminal text, HTML, Markdown and JSON, and `drill stats` / `drill export stats`."""

from __future__ import annotations

import dataclasses
import json
import random
import re
import subprocess
import sys
from datetime import date, timedelta

import pytest
from click.testing import CliRunner

from drill.cli.main import cli
from drill.core.format import nice_ticks
from drill.core.model import Rating
from drill.library.importing import import_decks
from drill.progress import fit, report, stats
from drill.study.session import ReviewSession
from tests.helpers import NOW, SAMPLE_DECK, parse

HOSTILE = "<script>alert('x')</script> & Co | pipes"


def deck_text(name: str, questions: int) -> str:
    topics = ["a conflict", "a deadline", "a failure", "a launch", "a hard decision"]
    parts = [f"# {name}\n"]
    for i in range(questions):
        parts.append(
            f"## Tell me about {topics[i % len(topics)]} ({i})?\nid: q{i}\n\n"
            "### Why they ask\nJudgement.\n\n### Do\n- Be specific.\n"
        )
    return "\n".join(parts)


def study(db, days: int, per_day: int, seed: int = 3) -> None:
    """Simulate `days` days of study ending at NOW, through the real queue and scheduler."""
    rng = random.Random(seed)
    session = ReviewSession(db)
    for back in range(days, -1, -1):
        if rng.random() < 0.15 and back:
            continue  # a day off now and then
        when = NOW - timedelta(days=back, hours=2)
        for _ in range(rng.randint(per_day // 2, per_day)):
            card = session.next_card(when)
            if card is None:
                break
            grade = rng.choices(list(Rating), weights=[12, 15, 63, 10])[0]
            session.rate(card.card_id, grade, when, rng.randint(4000, 40000))
            when += timedelta(minutes=1)


@pytest.fixture
def collection(db):
    import_decks(db, [parse(deck_text("Behavioral questions", 24), "behavioral.md")], NOW)
    import_decks(db, [parse(deck_text(HOSTILE, 4), "hostile.md")], NOW)
    import_decks(db, [parse(SAMPLE_DECK)], NOW)
    study(db, 50, 24)
    return db


@pytest.fixture
def data(collection):
    return stats.collect(collection, NOW)


def test_html_is_self_contained_with_charts_and_tables(data):
    page = report.render_html(data)
    assert page.startswith("<!DOCTYPE html>")
    assert page.count("<svg") == 3
    assert "True retention per week" in page
    assert page.count("<table") >= 3
    assert "<polyline" in page or "<circle" in page
    # Nothing is fetched: no scripts, links, images, imports or url() in CSS.
    lowered = page.lower()
    for needle in ("<script", "<link", "<img", "<iframe", "src=", "href=", "@import", "url("):
        assert needle not in lowered, needle
    assert set(re.findall(r"https?://[^\s\"']+", page)) == {"http://www.w3.org/2000/svg"}


def test_html_escapes_deck_names(data):
    page = report.render_html(data)
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; Co | pipes" in page
    assert "<script>" not in page
    names = re.findall(r'<td class="name">(.*?)</td>', page)
    assert len(names) == 3


def test_html_for_an_empty_collection(db):
    page = report.render_html(stats.collect(db, NOW))
    assert "No decks yet." in page
    assert page.count("<svg") == 3


def test_markdown_has_tables_and_escapes_deck_names(data):
    text = report.render_markdown(data)
    assert text.startswith("# Interview practice: progress report\n")
    assert "| Deck | Questions | Mastered |" in text
    assert "## True retention per week" in text
    assert "&lt;script&gt;alert('x')&lt;/script&gt; &amp; Co \\| pipes" in text
    assert "<script>" not in text
    # every table row has the same number of unescaped cell separators as its header
    for block in re.findall(r"((?:^\|.*\|\n)+)", text, flags=re.M):
        widths = {len(re.findall(r"(?<!\\)\|", line)) for line in block.splitlines()}
        assert len(widths) == 1, block
    assert "```text" in text and "less · ░ ▒ ▓ █ more" in text


def test_md_escape_neutralises_markup():
    assert report.md_escape("a|b *c* _d_ [e](f) `g` <h> &") == (
        "a\\|b \\*c\\* \\_d\\_ \\[e\\](f) \\`g\\` &lt;h&gt; &amp;"
    )
    assert report.md_escape("line\nbreak\x1b[31m") == "line break\\[31m"


def test_json_report_is_the_stats_json(data):
    shape = data.to_json()
    assert report.render_json(data) == json.dumps(shape, ensure_ascii=False, indent=2) + "\n"
    assert json.loads(report.render_json(data)) == shape


def test_text_fits_80_columns_without_escapes(data):
    text = report.render_text(data)
    assert "\x1b" not in text
    assert max(len(line) for line in text.splitlines()) <= 80
    # Fitted to the data (issue 18): from the first day with reviews, to the last day due.
    heat = fit.history(data.figures.heatmap)
    assert len(heat) < 84 and heat[0][1] > 0
    assert f"Reviews per day, last {len(heat)} days" in text
    assert f"Due per day, next {len(fit.forecast(data.figures.forecast))} days" in text
    assert "┤" in text  # the plotext chart's axis
    assert "Deck" in text and "Behavioral questions" in text
    # Plain text needs no escaping; long names are cut to fit.
    assert "<script>alert('x')</script> & Co | p" in text


def test_text_wraps_long_summary_lines(data):
    big = dataclasses.replace(
        data, figures=dataclasses.replace(data.figures, cards=stats.CardCounts(*[123_456_789] * 5))
    )
    lines = report.render_text(big).splitlines()
    assert all(len(line) <= 80 for line in lines)
    start = next(i for i, line in enumerate(lines) if line.startswith("Cards"))
    assert lines[start + 1].startswith(" " * 11 + "123,456,789")
    assert not any(line != line.rstrip() for line in lines)


def test_text_strips_control_characters_from_deck_names(collection):
    collection.execute("UPDATE decks SET name = 'Red \x1b[31mdeck\x07' WHERE position = 0")
    text = report.render_text(stats.collect(collection, NOW))
    assert "\x1b" not in text and "\x07" not in text
    assert "Red [31mdeck" in text


def test_text_in_colour_only_when_asked(data):
    assert "\x1b[" in report.render_text(data, color=True)


def test_text_when_nothing_is_due(db):
    text = report.render_text(stats.collect(db, NOW))
    assert "Nothing falls due." in text
    assert "\x1b" not in text


def test_calendar_has_a_row_per_weekday_and_fits(data):
    lines = report.calendar_lines(data.figures.heatmap)
    assert len(lines) == 9  # months, seven weekdays, legend
    assert lines[1].startswith("Mon") and lines[7].startswith("Sun")
    assert all(len(line) <= 80 for line in lines)
    year = [(NOW.date() - timedelta(days=i), i % 5) for i in range(365)]
    year.reverse()
    lines = report.calendar_lines(year, width=80)
    assert all(len(line) <= 80 for line in lines)
    assert len(lines[1]) > 60  # uses the width it has


def test_calendar_names_the_month_of_a_new_users_days():
    # Issue 18: six days of March under a two-week calendar were labelled only "Feb" (the
    # first column's week began in February, and its label hid March's).
    days = [(date(2026, 2, 23) + timedelta(days=i), 40 if i >= 7 else 0) for i in range(14)]
    lines = report.calendar_lines(days)
    assert lines[0].split() == ["Mar"]
    assert lines[0].index("Mar") == 4 + 2  # over the second column, the week of 2 March


def test_calendar_shades_by_quarters_of_the_busiest_day():
    days = [(date(2026, 1, d), n) for d, n in zip(range(5, 10), (0, 1, 2, 3, 4), strict=True)]
    lines = report.calendar_lines(days)
    column = [line[4] for line in lines[1:6]]
    assert column == ["·", "░", "▒", "▓", "█"]


def test_forecast_chart_two_columns_a_day():
    rows = [(date(2026, 1, d), d % 7) for d in range(1, 31)]
    chart = report.forecast_chart(rows)
    assert "\x1b" not in chart
    assert max(len(line) for line in chart.splitlines()) <= 80
    assert "Jan 1" in chart and "Jan 29" in chart


@pytest.mark.parametrize(
    ("top", "ticks"),
    [
        (0, [0, 1]),
        (1, [0, 1]),
        (3, [0, 1, 2, 3]),
        (7, [0, 2, 4, 6, 8]),
        (1180, [0, 500, 1000, 1500]),
    ],
)
def test_nice_ticks(top, ticks):
    assert nice_ticks(top) == ticks


def test_report_does_not_import_plotext_until_drawing():
    out = subprocess.run(
        [
            sys.executable,
            "-c",
            "import drill.progress.report, drill.cli.commands.stats, sys; "
            "print('plotext' in sys.modules, 'textual' in sys.modules)",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert out.split() == ["False", "False"]


# -- through the command line ------------------------------------------------------------


@pytest.fixture
def run(tmp_path):
    runner = CliRunner()
    env = {
        "DRILL_DB": str(tmp_path / "drill.db"),
        "DRILL_NOW": "2026-01-05T10:00:00+00:00",
        "DRILL_NO_BUNDLED": "1",
    }

    def invoke(*args):
        return runner.invoke(cli, list(args), env=env)

    deck = tmp_path / "sample.md"
    deck.write_text(SAMPLE_DECK, encoding="utf-8")
    assert invoke("import", str(deck)).exit_code == 0
    card = json.loads(invoke("next", "--json").output)
    assert invoke("rate", str(card["card_id"]), "good", "--duration-ms", "9000").exit_code == 0
    return invoke


def test_cli_stats_json(run):
    result = run("stats", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["total_reviews"] == 1
    assert data["today"] == {"reviewed": 1, "new_learned": 1, "again": 0, "time_ms": 9000}
    assert data["streak_days"] == 1
    assert data["generated_at"] == "2026-01-05T10:00:00Z"
    assert len(data["heatmap"]) == 84 and len(data["forecast"]) == 30
    assert [d["id"] for d in data["decks"]] == ["sample-deck"]
    week = json.loads(run("stats", "--json", "--days", "7", "--deck", "sample-deck").output)
    assert len(week["heatmap"]) == 7 and week["deck"] == "sample-deck"


def test_cli_stats_text(run):
    result = run("stats")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Progress: all decks (study day 2026-01-05)\n")
    assert "Today      1 reviewed · 1 new · 0 again · 9s" in result.output
    assert "\x1b" not in result.output


def test_cli_stats_without_decks(tmp_path):
    env = {"DRILL_DB": str(tmp_path / "d.db"), "DRILL_NO_BUNDLED": "1"}
    result = CliRunner().invoke(cli, ["stats"], env=env)
    assert result.exit_code == 0
    assert result.output == "No decks yet. Import one with: drill import FILE.md\n"


def test_cli_stats_unknown_deck(run):
    result = run("stats", "--deck", "nope")
    assert result.exit_code == 1
    assert "no deck 'nope'" in result.output


def test_cli_export_stats_formats(run, tmp_path):
    assert run("export", "stats", "--format", "json").output == run("stats", "--json").output
    assert run("export", "stats", "-o", str(tmp_path / "r.html")).exit_code == 0
    page = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert page.count("<svg") == 3 and "Sample deck" in page
    assert run("export", "stats", "--format", "md", "-o", str(tmp_path / "r.md")).exit_code == 0
    assert "| Sample deck |" in (tmp_path / "r.md").read_text(encoding="utf-8")
    assert not list(tmp_path.glob("*.partial"))
