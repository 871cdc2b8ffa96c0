"""The Markdown report: the same figures as tables, the charts as text."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from drill.core.format import duration, iso_utc, percent, plural
from drill.core.sanitize import strip_control_chars
from drill.progress.report.job import QUESTION_COLUMNS, job_report
from drill.progress.report.tables import DECK_COLUMNS, DEFINITIONS, deck_figures
from drill.progress.report.text import calendar_lines, forecast_chart
from drill.progress.stats import Stats

if TYPE_CHECKING:
    from drill.library.jobs import JobDetail

_MD_SPECIAL = re.compile(r"([\\`*_\[\]|#<>&])")
_MD_ENTITIES = {"<": "&lt;", ">": "&gt;", "&": "&amp;"}


def md_escape(text: str) -> str:
    """Untrusted text for a Markdown table cell: no HTML, links, emphasis or cell breaks."""
    text = " ".join(strip_control_chars(text).split())
    return _MD_SPECIAL.sub(lambda m: _MD_ENTITIES.get(m.group(1), "\\" + m.group(1)), text)


def _md_table(head: Sequence[str], rows: Sequence[Sequence[str]], align: str) -> list[str]:
    rule = ["---:" if a == "r" else "---" for a in align]
    return [
        "| " + " | ".join(head) + " |",
        "| " + " | ".join(rule) + " |",
        *("| " + " | ".join(row) + " |" for row in rows),
    ]


def _job_markdown(detail: JobDetail) -> list[str]:
    report = job_report(detail)
    lines = [
        f"## Readiness: {md_escape(report.title)}",
        "",
        md_escape(report.countdown),
        "",
        *_md_table(("Figure", "Value"), [(k, v) for k, v in report.figures], "lr"),
        "",
    ]
    if report.never_mentioned:
        lines += [
            "Your answers never mention: "
            + ", ".join(md_escape(t) for t in report.never_mentioned),
            "",
        ]
    lines += [
        "### Requirements",
        "",
        *_md_table(
            ("Requirement", "Question that rehearses it"),
            [(md_escape(a), md_escape(b)) for a, b in report.requirements],
            "ll",
        ),
        "",
        "### The set",
        "",
        *_md_table(
            QUESTION_COLUMNS,
            [[md_escape(cell) for cell in row] for row in report.questions],
            "llrll",
        ),
        "",
    ]
    return lines


def render_markdown(data: Stats, job: JobDetail | None = None) -> str:
    """A Markdown report: the same figures as tables, the charts as text (and a job's
    readiness first, when one is given).
    """
    f = data.figures
    today, ret = f.today, f.true_retention
    lines = [
        "# Interview practice: progress report",
        "",
        f"{md_escape(data.scope).capitalize()} · study day {data.study_day.isoformat()} · "
        f"generated {iso_utc(data.generated_at)}",
        "",
        *(_job_markdown(job) if job is not None else []),
        "## Summary",
        "",
        *_md_table(
            ("Figure", "Value"),
            [
                (
                    "Today",
                    f"{today.reviewed:,} reviewed, {today.new_learned:,} new, "
                    f"{today.again:,} again, {duration(today.time_ms)}",
                ),
                ("Streak", plural(f.streak_days, "day")),
                *_extra_rows(data),
                ("Reviews in all", f"{f.total_reviews:,}"),
                ("True retention, 7 days", percent(ret.last_7d)),
                ("True retention, 30 days", percent(ret.last_30d)),
                ("True retention, all", percent(ret.all)),
                ("Mean recall now", percent(f.mean_retrievability)),
                ("Questions mastered", f"{f.mastered_questions:,} of {f.questions:,}"),
            ],
            "lr",
        ),
        "",
        "## Cards",
        "",
        *_md_table(
            ("New", "Learning", "Review", "Relearning", "Suspended"),
            [[f"{n:,}" for n in f.cards.to_json().values()]],
            "rrrrr",
        ),
        "",
        "Stability of reviewed cards:",
        "",
        *_md_table(
            [b.label for b in f.stability],
            [[f"{b.cards:,}" for b in f.stability]],
            "r" * len(f.stability),
        ),
        "",
        f"## Reviews per day, last {len(f.heatmap)} days",
        "",
        "```text",
        *calendar_lines(f.heatmap),
        "```",
        "",
        f"## Due per day, next {len(f.forecast)} days",
        "",
    ]
    if any(n for _, n in f.forecast):
        lines += ["```text", forecast_chart(f.forecast), "```"]
    else:
        lines.append("Nothing falls due.")
    lines += [
        "",
        "## True retention per week",
        "",
        *_md_table(
            ("Week of", "Reviews", "Passed", "Retention"),
            [
                (w.week.isoformat(), f"{w.reviews:,}", f"{w.passed:,}", percent(w.retention))
                for w in f.weekly_retention
            ],
            "lrrr",
        ),
        "",
        "## Decks",
        "",
        *_md_table(
            ("Deck", *DECK_COLUMNS),
            [(md_escape(d.name), *deck_figures(d.figures)) for d in data.decks],
            "lrrrrrrrr",
        ),
        "",
        *_DEFINITIONS_MD,
    ]
    return "\n".join(lines) + "\n"


_DEFINITIONS_MD = [f"- **{term}**: {text}" for term, text in DEFINITIONS]


def _extra_rows(data: Stats) -> list[tuple[str, str]]:
    """Practice (apart from reviews) and the interview countdown, when there are any."""
    rows = []
    practice = data.figures.practice
    if practice.total:
        rows.append(
            (
                "Practice (not reviews)",
                f"{practice.today:,} today ({duration(practice.today_time_ms)}), "
                f"{practice.total:,} in all, {practice.streak_days} day"
                f"{'s' if practice.streak_days != 1 else ''} in a row",
            )
        )
    interview = data.interview
    if interview is not None:
        recall = interview.retrievability
        rows.append(
            (
                "Interview",
                f"{interview.date.isoformat()}, in {plural(interview.days_left, 'day')}: "
                f"{interview.seen:.0%} of questions seen, "
                + ("no card studied yet" if recall is None else f"{recall:.0%} recall on the day"),
            )
        )
    return rows
