"""The Markdown report: the same figures as tables, the charts as text."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from drill.core.format import duration, percent, plural
from drill.core.sanitize import strip_control_chars
from drill.progress import fit
from drill.progress.insights import AnswerFigures
from drill.progress.leeches import Leech
from drill.progress.report.job import QUESTION_COLUMNS, job_report
from drill.progress.report.tables import (
    DECK_COLUMNS,
    DEFINITIONS,
    MOCK_COLUMNS,
    WEAK_COLUMNS,
    WEAK_NOTE,
    answers_line,
    deck_figures,
    generated,
    interview_line,
    mock_row,
    mocks_line,
    weak_row,
)
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
    # Fitted to the data: a new user's few days fill the charts.
    heat, due = fit.history(f.heatmap), fit.forecast(f.forecast)
    weeks = fit.weeks(f.weekly_retention, f.heatmap)
    names = {d.id: d.name for d in data.decks}
    lines = [
        "# Interview practice: progress report",
        "",
        f"{md_escape(data.scope).capitalize()} · study day {data.study_day.isoformat()} · "
        f"{generated(data)}",
        "",
    ]
    if f.interview:
        lines += [f"**{md_escape(interview_line(f.interview))}**", ""]
    lines += [
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
                ("Reviews in all", f"{f.total_reviews:,}"),
                ("True retention, 7 days", percent(ret.last_7d)),
                ("True retention, 30 days", percent(ret.last_30d)),
                ("True retention, all", percent(ret.all)),
                ("Mean recall now", percent(f.mean_retrievability)),
                ("Questions mastered", f"{f.mastered_questions:,} of {f.questions:,}"),
                ("Written answers", f"{f.answers_written:,} of {f.questions:,}"),
            ],
            "lr",
        ),
        "",
        "## Weakest questions",
        "",
    ]
    if f.weakest:
        lines += _md_table(
            WEAK_COLUMNS,
            [
                (md_escape(q), md_escape(d), *rest)
                for q, d, *rest in (weak_row(w, names) for w in f.weakest)
            ],
            "llrrl",
        )
        lines += ["", WEAK_NOTE]
    else:
        lines.append("No question has been reviewed yet.")
    lines += [
        "",
        f"{answers_line(f)}.",
        "",
        "## Mock interviews",
        "",
        mocks_line(data).replace("drill mock", "`drill mock`"),
    ]
    if data.mocks.recent:
        lines += ["", *_md_table(MOCK_COLUMNS, [mock_row(m) for m in data.mocks.recent], "lrrrrr")]
    lines += [
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
        f"## Reviews per day, last {len(heat)} days",
        "",
        "```text",
        *calendar_lines(heat),
        "```",
        "",
        f"## Due per day, next {len(due)} days",
        "",
    ]
    if any(n for _, n in due):
        lines += ["```text", forecast_chart(due), "```"]
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
                for w in weeks
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
    ]
    if data.answers is not None:
        lines += _answers_md(data.answers)
    if data.leeches:
        lines += _leeches_md(data.leeches)
    lines += _DEFINITIONS_MD
    return "\n".join(lines) + "\n"


def _answers_md(answers: AnswerFigures) -> list[str]:
    lines = [
        "## Answers",
        "",
        f"You have written answers to {plural(answers.answered, 'question')}; you have "
        f"studied {answers.studied:,}. {plural(answers.versions, 'version')} saved in the "
        f"last {len(answers.weeks)} weeks.",
        "",
    ]
    if answers.versions:
        lines += [
            *_md_table(
                ("Week of", "Answers", "Mean rubric score"),
                [(w.week.isoformat(), f"{w.answers:,}", percent(w.mean)) for w in answers.weeks],
                "lrr",
            ),
            "",
        ]
    if answers.fillers:
        lines += [
            "Most frequent fillers: "
            + ", ".join(f'"{md_escape(t)}" {n:,}' for t, n in answers.fillers),
            "",
        ]
    if answers.gaps:
        lines += ['Answers with no result or no "I":', ""]
        lines += [
            *_md_table(
                ("Question", "Deck", "Missing"),
                [
                    (md_escape(g.question), md_escape(g.deck_id), ", ".join(g.missing))
                    for g in answers.gaps
                ],
                "lll",
            ),
            "",
        ]
    return lines


def _leeches_md(leeches: Sequence[Leech]) -> list[str]:
    return [
        "## Leeches",
        "",
        f"Questions you keep failing (their rehearse card lapsed {leeches[0].threshold} times "
        "or more): rewrite the answer from the approach, link a story, or practise it.",
        "",
        *_md_table(
            ("Question", "Deck", "Lapses", "What to do"),
            [
                (
                    md_escape(leech.question),
                    md_escape(leech.deck_id),
                    f"{leech.lapses:,}",
                    " · ".join(f"`{md_escape(command)}`" for _, command in leech.help),
                )
                for leech in leeches
            ],
            "llrl",
        ),
        "",
    ]


_DEFINITIONS_MD = [f"- **{term}**: {text}" for term, text in DEFINITIONS]
