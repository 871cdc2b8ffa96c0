"""The HTML report: one self-contained file, inline CSS and SVG charts, nothing fetched.

No scripts, fonts or anything else from the network. Every piece of text is escaped here.
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable, Sequence
from datetime import date
from typing import TYPE_CHECKING

from drill.core.format import (
    compact,
    day_label,
    duration,
    nice_ticks,
    percent,
    plural,
)
from drill.progress import fit
from drill.progress.insights import AnswerFigures, WeekRubric
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
from drill.progress.stats import StabilityBucket, Stats, WeekRetention

if TYPE_CHECKING:
    from drill.library.jobs import JobDetail

_CSS = """
:root { --ink: #1f2933; --muted: #616e7c; --line: #d9e2ec; --accent: #2f6fb0;
  --accent-soft: #9cc3e8; --good: #2f855a; --paper: #ffffff; --wash: #f5f7fa; }
* { box-sizing: border-box; }
body { margin: 0; background: var(--wash); color: var(--ink);
  font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial,
  sans-serif; }
main { max-width: 1040px; margin: 0 auto; padding: 32px 24px 48px; }
header h1 { font-size: 28px; margin: 0 0 4px; }
header p { margin: 0; color: var(--muted); }
header p.countdown { margin-top: 10px; color: var(--ink); font-size: 17px;
  overflow-wrap: anywhere; }
section { background: var(--paper); border: 1px solid var(--line); border-radius: 10px;
  padding: 20px 24px; margin-top: 20px; break-inside: avoid; }
h2 { font-size: 18px; margin: 0 0 12px; }
h3 { font-size: 15px; margin: 16px 0 8px; }
.tiles { display: grid; grid-template-columns: repeat(auto-fit, minmax(150px, 1fr));
  gap: 12px; margin-top: 20px; }
.tile { background: var(--paper); border: 1px solid var(--line); border-radius: 10px;
  padding: 14px 16px; }
.tile .value { font-size: 26px; font-weight: 650; overflow-wrap: anywhere; }
.tile .label { color: var(--muted); font-size: 13px; }
.tile .note { color: var(--muted); font-size: 12px; }
table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
th, td { padding: 6px 10px; border-bottom: 1px solid var(--line); text-align: right; }
th { font-size: 13px; color: var(--muted); font-weight: 600; }
th:first-child, td:first-child { text-align: left; }
th.name, th.id { text-align: left; }
td.name { text-align: left; max-width: 320px; overflow-wrap: anywhere; }
td.id { text-align: left; color: var(--muted); font-size: 13px; overflow-wrap: anywhere; }
td.question, td.deck { text-align: left; overflow-wrap: anywhere; }
td.weak-no { color: #b44d12; font-weight: 600; }
.pair { display: grid; grid-template-columns: 1fr 1fr; gap: 12px 32px; align-items: start; }
table.bars td:nth-child(2) { width: 5em; }
td.barcell { width: 45%; }
.hbar { display: block; height: 10px; border-radius: 3px; background: var(--accent-soft);
  min-width: 1px; }
svg { display: block; width: 100%; height: auto; }
svg text { font: 12px system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif;
  fill: var(--muted); }
.axis { stroke: #9aa5b1; } .grid { stroke: var(--line); }
.bar { fill: var(--accent); } .bar.today { fill: #1d4e89; }
.line { fill: none; stroke: var(--good); stroke-width: 2.5; }
.dot { fill: var(--good); }
.caption { color: var(--muted); font-size: 13px; margin: 8px 0 0; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; margin: 0; }
dt { font-weight: 600; } dd { margin: 0; color: var(--muted); }
footer { color: var(--muted); font-size: 12px; margin-top: 20px; text-align: center; }
@media (max-width: 640px) { .pair { grid-template-columns: 1fr; } }
@media print {
  body { background: #fff; font-size: 12px; }
  th, td { padding: 4px 6px; }
  th.id, td.id { display: none; }
  .tiles { grid-template-columns: repeat(3, 1fr); }
  main { max-width: none; padding: 0; }
  section, .tile { border-color: #bbb; }
  .bar, .dot, .line, .hbar { print-color-adjust: exact; -webkit-print-color-adjust: exact; }
}
@page { size: A4; margin: 14mm; }
"""


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def _svg_open(width: int, height: int, label: str) -> str:
    return (
        f'<svg viewBox="0 0 {width} {height}" role="img" aria-label="{_e(label)}" '
        'xmlns="http://www.w3.org/2000/svg">'
    )


def _y_axis(
    ticks: Sequence[float],
    scale: Callable[[float], float],
    left: int,
    right: int,
    fmt: Callable[[float], str],
) -> list[str]:
    out = []
    for tick in ticks:
        y = scale(tick)
        out.append(f'<line class="grid" x1="{left}" x2="{right}" y1="{y:.1f}" y2="{y:.1f}"/>')
        out.append(f'<text x="{left - 8}" y="{y + 4:.1f}" text-anchor="end">{_e(fmt(tick))}</text>')
    return out


def svg_bar_chart(
    days: Sequence[tuple[date, int]],
    *,
    label: str,
    unit: str,
    highlight_first: bool = False,
    width: int = 960,
    height: int = 220,
) -> str:
    """Bars per day with a y axis, gridlines and dates below; hover shows each value."""
    left, right, top, bottom = 52, 12, 12, 30
    plot_w, plot_h = width - left - right, height - top - bottom
    ticks = nice_ticks(max((n for _, n in days), default=0))
    y_max = ticks[-1]

    def scale(v: float) -> float:
        return top + plot_h - v / y_max * plot_h

    band = plot_w / max(1, len(days))
    parts = [_svg_open(width, height, label)]
    parts += _y_axis(ticks, scale, left, width - right, lambda t: f"{int(t):,}")
    every = max(1, math.ceil(len(days) / 12))
    every = 7 if 4 < every <= 7 else every
    for i, (day, n) in enumerate(days):
        x = left + i * band + band * 0.15
        y = scale(n)
        cls = "bar today" if highlight_first and i == 0 else "bar"
        parts.append(
            f'<rect class="{cls}" x="{x:.1f}" y="{y:.1f}" width="{band * 0.7:.1f}" '
            f'height="{top + plot_h - y:.1f}"><title>{_e(day.isoformat())}: '
            f"{n:,} {_e(unit)}</title></rect>"
        )
        if i % every == 0:
            cx = left + (i + 0.5) * band
            parts.append(
                f'<text x="{cx:.1f}" y="{height - 10}" text-anchor="middle">'
                f"{_e(day_label(day))}</text>"
            )
    base = top + plot_h
    parts.append(f'<line class="axis" x1="{left}" x2="{width - right}" y1="{base}" y2="{base}"/>')
    parts.append("</svg>")
    return "".join(parts)


def svg_retention_chart(
    weeks: Sequence[WeekRetention], *, width: int = 960, height: int = 240
) -> str:
    """True retention per week as a line; weeks without reviews leave a gap."""
    left, right, top, bottom = 52, 12, 12, 30
    plot_w, plot_h = width - left - right, height - top - bottom
    values = [w.retention for w in weeks if w.retention is not None]
    low = 0.5 if values and min(values) >= 0.5 else 0.0
    ticks = [low + i * 0.1 for i in range(round((1 - low) / 0.1) + 1)]

    def scale(v: float) -> float:
        return top + plot_h - (v - low) / (1 - low) * plot_h

    band = plot_w / max(1, len(weeks))
    parts = [_svg_open(width, height, "True retention per week")]
    parts += _y_axis(ticks, scale, left, width - right, lambda t: f"{t * 100:.0f}%")
    segments: list[list[str]] = [[]]
    for i, week in enumerate(weeks):
        cx = left + (i + 0.5) * band
        parts.append(
            f'<text x="{cx:.1f}" y="{height - 10}" text-anchor="middle">'
            f"{_e(day_label(week.week))}</text>"
        )
        if week.retention is None:
            segments.append([])
            continue
        segments[-1].append(f"{cx:.1f},{scale(week.retention):.1f}")
    for points in segments:
        if len(points) > 1:
            parts.append(f'<polyline class="line" points="{" ".join(points)}"/>')
    for i, week in enumerate(weeks):
        if week.retention is None:
            continue
        cx = left + (i + 0.5) * band
        parts.append(
            f'<circle class="dot" cx="{cx:.1f}" cy="{scale(week.retention):.1f}" r="4">'
            f"<title>Week of {_e(week.week.isoformat())}: {percent(week.retention)} of "
            f"{week.reviews:,} reviews</title></circle>"
        )
    base = top + plot_h
    parts.append(f'<line class="axis" x1="{left}" x2="{width - right}" y1="{base}" y2="{base}"/>')
    parts.append("</svg>")
    return "".join(parts)


def svg_week_scores(weeks: Sequence[WeekRubric], *, width: int = 960, height: int = 220) -> str:
    """Mean rubric score per week as a line (0-100%); weeks without answers leave a gap."""
    left, right, top, bottom = 52, 12, 12, 30
    plot_w, plot_h = width - left - right, height - top - bottom
    ticks = [i / 4 for i in range(5)]

    def scale(v: float) -> float:
        return top + plot_h - v * plot_h

    band = plot_w / max(1, len(weeks))
    parts = [_svg_open(width, height, "Mean rubric score per week")]
    parts += _y_axis(ticks, scale, left, width - right, lambda t: f"{t * 100:.0f}%")
    segments: list[list[str]] = [[]]
    for i, week in enumerate(weeks):
        cx = left + (i + 0.5) * band
        parts.append(
            f'<text x="{cx:.1f}" y="{height - 10}" text-anchor="middle">'
            f"{_e(day_label(week.week))}</text>"
        )
        if week.mean is None:
            segments.append([])
            continue
        segments[-1].append(f"{cx:.1f},{scale(week.mean):.1f}")
        parts.append(
            f'<circle class="dot" cx="{cx:.1f}" cy="{scale(week.mean):.1f}" r="4">'
            f"<title>Week of {_e(week.week.isoformat())}: {percent(week.mean)} mean over "
            f"{week.answers:,} answers</title></circle>"
        )
    for points in segments:
        if len(points) > 1:
            parts.append(f'<polyline class="line" points="{" ".join(points)}"/>')
    base = top + plot_h
    parts.append(f'<line class="axis" x1="{left}" x2="{width - right}" y1="{base}" y2="{base}"/>')
    parts.append("</svg>")
    return "".join(parts)


def _answers_section(answers: AnswerFigures) -> list[str]:
    out = [
        "<section><h2>Answers</h2>",
        f"<p>You have written answers to {plural(answers.answered, 'question')}; you have "
        f"studied {answers.studied:,}. {plural(answers.versions, 'version')} saved in the "
        f"last {len(answers.weeks)} weeks.</p>",
    ]
    if answers.versions:
        out += [
            "<h3>Mean rubric score per week</h3>",
            svg_week_scores(answers.weeks),
            '<p class="caption">Each saved version scored by the answer coach (points over the '
            "rubric rows it could score from the text), averaged per week.</p>",
        ]
    if answers.fillers:
        out += [
            "<h3>Most frequent fillers</h3>",
            _bar_table(("Filler", "Times"), [(f'"{t}"', n) for t, n in answers.fillers]),
        ]
    if answers.gaps:
        out += [
            '<h3>Answers with no result or no "I"</h3>',
            _html_table(
                ("Question", "Deck", "Missing"),
                [(g.question, g.deck_id, ", ".join(g.missing)) for g in answers.gaps],
                ("name", "id", "name"),
            ),
        ]
    out.append("</section>")
    return out


def _leech_section(leeches: Sequence[Leech]) -> list[str]:
    rows = [
        (
            leech.question,
            leech.deck_id,
            f"{leech.lapses:,}" + (" (suspended)" if leech.suspended else ""),
            " · ".join(command for _, command in leech.help),
        )
        for leech in leeches
    ]
    return [
        "<section><h2>Leeches</h2>",
        f"<p>Questions you keep failing: their rehearse card lapsed {leeches[0].threshold} "
        "times or more. Rewrite the answer starting from the approach, link a story, or "
        "practise it.</p>",
        _html_table(("Question", "Deck", "Lapses", "What to do"), rows, ("name", "id", "", "name")),
        "</section>",
    ]


def _tile(value: str, label: str, note: str = "") -> str:
    note_html = f'<div class="note">{_e(note)}</div>' if note else ""
    return (
        f'<div class="tile"><div class="value">{_e(value)}</div>'
        f'<div class="label">{_e(label)}</div>{note_html}</div>'
    )


def _html_table(
    head: Sequence[str], rows: Sequence[Sequence[str]], classes: Sequence[str] = ()
) -> str:
    """A table; cells are escaped here."""
    out = ["<table><thead><tr>"]
    for i, h in enumerate(head):
        cls = f' class="{classes[i]}"' if i < len(classes) and classes[i] else ""
        out.append(f"<th{cls}>{_e(h)}</th>")
    out.append("</tr></thead><tbody>")
    for row in rows:
        out.append("<tr>")
        for i, cell in enumerate(row):
            cls = f' class="{classes[i]}"' if i < len(classes) and classes[i] else ""
            out.append(f"<td{cls}>{_e(cell)}</td>")
        out.append("</tr>")
    out.append("</tbody></table>")
    return "".join(out)


def _stability_label(bucket: StabilityBucket) -> str:
    low, high = bucket.min_days, bucket.max_days
    if high is None:
        return f"{low:g} days or more"
    if low == 0:
        return f"under {high:g} day{'' if high == 1 else 's'}"
    return f"{low:g} to {high:g} days"


def _bar_table(head: tuple[str, str], rows: Sequence[tuple[str, int]]) -> str:
    """A two-column table of counts, each with a bar scaled to the largest."""
    top = max((n for _, n in rows), default=0) or 1
    out = [f'<table class="bars"><thead><tr><th>{_e(head[0])}</th><th>{_e(head[1])}</th>']
    out.append("<th></th></tr></thead><tbody>")
    for label, n in rows:
        width = round(100 * n / top, 1)
        out.append(
            f"<tr><td>{_e(label)}</td><td>{n:,}</td>"
            f'<td class="barcell"><span class="hbar" style="width: {width}%"></span></td></tr>'
        )
    out.append("</tbody></table>")
    return "".join(out)


def _weakest(data: Stats) -> list[str]:
    f = data.figures
    names = {d.id: d.name for d in data.decks}
    out = ["<section><h2>Weakest questions</h2>"]
    if f.weakest:
        out.append("<table><thead><tr>")
        out += [
            f"<th{' class=' + chr(34) + 'name' + chr(34) if i < 2 else ''}>{_e(h)}</th>"
            for i, h in enumerate(WEAK_COLUMNS)
        ]
        out.append("</tr></thead><tbody>")
        for weak in f.weakest:
            question, deck, lapses, recall, written = weak_row(weak, names)
            written_class = "" if weak.answered else ' class="weak-no"'
            out.append(
                f'<tr><td class="question">{_e(question)}</td><td class="deck">{_e(deck)}</td>'
                f"<td>{_e(lapses)}</td><td>{_e(recall)}</td>"
                f"<td{written_class}>{_e(written)}</td></tr>"
            )
        out.append("</tbody></table>")
        out.append(f'<p class="caption">{_e(WEAK_NOTE)}</p>')
    else:
        out.append("<p>No question has been reviewed yet.</p>")
    out.append(f"<p>{_e(answers_line(f))}.</p></section>")
    return out


def _mocks(data: Stats) -> list[str]:
    out = ["<section><h2>Mock interviews</h2>", f"<p>{_e(mocks_line(data))}</p>"]
    if data.mocks.recent:
        out.append(_html_table(MOCK_COLUMNS, [mock_row(m) for m in data.mocks.recent]))
        out.append(
            '<p class="caption">Answered: something was typed. In time: within the time '
            "allowed. Ratings are the ones given in the mock review.</p>"
        )
    out.append("</section>")
    return out


def _job_html(detail: JobDetail) -> list[str]:
    """The job's readiness section; every piece of posting text is escaped."""
    report = job_report(detail)
    out = [
        f'<section class="job"><h2>Readiness: {_e(report.title)}</h2>',
        f"<p>{_e(report.countdown)}</p>",
        '<div class="tiles">',
        *(_tile(value, label) for label, value in report.figures),
        "</div>",
    ]
    if report.never_mentioned:
        out.append(f"<p>Your answers never mention: {_e(', '.join(report.never_mentioned))}.</p>")
    out += [
        "<h3>Requirements</h3>",
        _html_table(("Requirement", "Question that rehearses it"), report.requirements),
        "<h3>The set</h3>",
        _html_table(QUESTION_COLUMNS, report.questions),
        "</section>",
    ]
    return out


def render_html(data: Stats, job: JobDetail | None = None) -> str:
    """A self-contained HTML report: inline CSS and SVG charts, nothing fetched (and a
    job's readiness first, when one is given).
    """
    f = data.figures
    today, ret, cards = f.today, f.true_retention, f.cards
    # Fitted to the data: a new user's few days fill the chart.
    heat, due = fit.history(f.heatmap), fit.forecast(f.forecast)
    weeks = fit.weeks(f.weekly_retention, f.heatmap)
    due_week = sum(n for _, n in due[:7])
    deck_rows = [(d.name, d.id, *deck_figures(d.figures)) for d in data.decks]
    countdown = (
        [f'<p class="countdown"><strong>{_e(interview_line(f.interview))}</strong></p>']
        if f.interview
        else []
    )
    body = [
        "<header><h1>Interview practice: progress report</h1>",
        f"<p>{_e(data.scope.capitalize())} · study day {_e(data.study_day.isoformat())} · "
        f"{_e(generated(data))}</p>",
        *countdown,
        "</header>",
        '<div class="tiles">',
        _tile(
            f"{today.reviewed:,}",
            "reviews today",
            f"{today.new_learned:,} new · {today.again:,} again · {duration(today.time_ms)}",
        ),
        _tile(f"{f.streak_days}", "day streak"),
        _tile(percent(ret.last_30d), "true retention, 30 days", f"7 days {percent(ret.last_7d)}"),
        _tile(percent(f.mean_retrievability), "mean recall now"),
        _tile(
            f"{f.mastered_questions:,}",
            "questions mastered",
            f"of {f.questions:,}",
        ),
        _tile(compact(f.total_reviews), "reviews in all", f"retention {percent(ret.all)}"),
        "</div>",
        *(_job_html(job) if job is not None else []),
        *_weakest(data),
        *_mocks(data),
        f"<section><h2>Reviews per day, last {len(heat)} days</h2>",
        svg_bar_chart(heat, label="Reviews per day", unit="reviews"),
        f'<p class="caption">{sum(n for _, n in heat):,} reviews in this period; '
        f"busiest day {max((n for _, n in heat), default=0):,}.</p></section>",
        f"<section><h2>Due per day, next {len(due)} days</h2>",
        svg_bar_chart(due, label="Cards due per day", unit="due", highlight_first=True),
        f'<p class="caption">{due_week:,} due in the next 7 days; the first bar (today) '
        "includes overdue cards.</p></section>",
        "<section><h2>True retention per week</h2>",
        svg_retention_chart(weeks),
        '<p class="caption">Reviews of cards already in review that were not rated Again, '
        "per week (Monday to Sunday).</p></section>",
        "<section><h2>Cards</h2>",
        '<div class="pair">',
        _bar_table(
            ("State", "Cards"),
            [(k.capitalize(), n) for k, n in cards.to_json().items()],
        ),
        _bar_table(
            ("Stability", "Cards"),
            [(_stability_label(b), b.cards) for b in f.stability],
        ),
        "</div>",
        '<p class="caption">Stability: how long until the chance of recall drops to 90%. '
        "Suspended cards are counted only as suspended; retired cards not at all.</p>",
        "</section>",
        "<section><h2>Decks</h2>",
        _html_table(
            ("Deck", "ID", *DECK_COLUMNS),
            deck_rows,
            ("name", "id"),
        )
        if deck_rows
        else "<p>No decks yet.</p>",
        "</section>",
        *(_answers_section(data.answers) if data.answers is not None else []),
        *(_leech_section(data.leeches) if data.leeches else []),
        "<section><h2>What the numbers mean</h2><dl>",
        *(f"<dt>{_e(term)}</dt><dd>{_e(text)}</dd>" for term, text in DEFINITIONS),
        "</dl></section>",
        "<footer>Made by drill, a spaced-repetition trainer for job interviews.</footer>",
    ]
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        "<title>Progress report · drill</title>\n"
        f"<style>{_CSS}</style>\n</head>\n<body>\n<main>\n"
        + "\n".join(body)
        + "\n</main>\n</body>\n</html>\n"
    )
