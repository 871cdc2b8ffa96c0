"""Progress reports from the figures of `stats.collect`: terminal text, HTML, Markdown, JSON.

Everything here works on the plain dict `collect` returns (the JSON of `drill stats`), so a
report can be rebuilt from a saved JSON file. The HTML is one self-contained file: inline CSS
and SVG charts, no scripts, fonts or anything else fetched from the network. Deck names and
ids are untrusted and escaped for each format. plotext is imported only to draw the
terminal chart.
"""

from __future__ import annotations

import html
import json
import math
import re
from collections.abc import Callable, Sequence
from datetime import date, timedelta
from typing import IO, Any

from drill.core.sanitize import strip_control_chars

SHADES = "░▒▓█"
NO_REVIEWS = "·"
DASH = "–"

# -- formatting helpers --------------------------------------------------------------------


def percent(value: float | None) -> str:
    """0.8312 as "83.1%"; None as a dash."""
    return DASH if value is None else f"{value * 100:.1f}%"


def deck_figures(d: dict[str, Any]) -> tuple[str, ...]:
    """A deck's row in the report tables: questions, mastered, reviews, today, retention
    (30 days, all), recall now, and due in the next 7 days.
    """
    return (
        f"{d['questions']:,}",
        f"{d['mastered_questions']:,}",
        f"{d['total_reviews']:,}",
        f"{d['today']['reviewed']:,}",
        percent(d["true_retention"]["30d"]),
        percent(d["true_retention"]["all"]),
        percent(d["mean_retrievability"]),
        f"{sum(f['due'] for f in d['forecast'][:7]):,}",
    )


def duration(ms: int) -> str:
    """Study time as "1h 05m", "12m" or "40s"."""
    seconds = round(ms / 1000)
    if seconds < 60:
        return f"{seconds}s"
    minutes = seconds // 60
    if minutes < 60:
        return f"{minutes}m"
    return f"{minutes // 60}h {minutes % 60:02d}m"


def _day_label(day: date) -> str:
    return f"{day:%b} {day.day}"


def _days(rows: Sequence[dict[str, Any]], key: str) -> list[tuple[date, int]]:
    return [(date.fromisoformat(r["date"]), int(r[key])) for r in rows]


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def nice_ticks(top: float, count: int = 4, *, integer: bool = True) -> list[float]:
    """Round axis ticks from 0 to at least `top` (about `count` steps)."""
    if top <= 0:
        return [0, 1]
    raw = top / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    if integer:
        step = max(1, math.ceil(step))
    return [i * step for i in range(math.ceil(top / step - 1e-9) + 1)]


def _scope(data: dict[str, Any]) -> str:
    if data.get("deck") and data.get("decks"):
        return f"deck {data['decks'][0]['name']}"
    return "all decks"


# -- terminal text -------------------------------------------------------------------------


def calendar_lines(heatmap: Sequence[dict[str, Any]], *, width: int = 80) -> list[str]:
    """A calendar of reviews per day: one row per weekday, one column per week.

    Shaded by quarters of the busiest day; only the latest weeks that fit `width` are shown.
    """
    days = _days(heatmap, "reviews")
    if not days:
        return []
    max_weeks = max(1, (width - 3) // 2)
    last_monday = _monday(days[-1][0])
    first_monday = max(_monday(days[0][0]), last_monday - timedelta(weeks=max_weeks - 1))
    days = [(d, n) for d, n in days if d >= first_monday]
    weeks = (last_monday - first_monday).days // 7 + 1
    top = max(n for _, n in days)
    grid = [[" "] * weeks for _ in range(7)]
    for day, n in days:
        col = (_monday(day) - first_monday).days // 7
        grid[day.weekday()][col] = _shade(n, top)
    months = [" "] * (weeks * 2 + 2)
    previous = None
    for col in range(weeks):
        first_day = max(first_monday + timedelta(weeks=col), days[0][0])
        label = f"{first_day:%b}"
        free = all(c == " " for c in months[max(0, col * 2 - 1) : col * 2 + len(label)])
        fits = 4 + col * 2 + len(label) <= width
        if first_day.month != previous and free and fits:
            months[col * 2 : col * 2 + len(label)] = list(label)
        previous = first_day.month
    names = ("Mon", "", "Wed", "", "Fri", "", "Sun")
    lines = ["    " + "".join(months).rstrip()]
    lines += [f"{names[row]:<4}" + " ".join(grid[row]).rstrip() for row in range(7)]
    legend = f"less {NO_REVIEWS} {' '.join(SHADES)} more"
    lines.append(f"    {legend}   busiest day: {top:,} review{'' if top == 1 else 's'}")
    return lines


def _shade(count: int, top: int) -> str:
    if count <= 0 or top <= 0:
        return NO_REVIEWS
    return SHADES[min(len(SHADES) - 1, math.ceil(count / top * len(SHADES)) - 1)]


def forecast_chart(forecast: Sequence[dict[str, Any]], *, color: bool = False) -> str:
    """The forecast as a plotext bar chart, two columns a day (no escapes unless `color`)."""
    import plotext as plt

    days = _days(forecast, "due")
    values = [n for _, n in days]
    ticks = nice_ticks(max(values, default=0))
    labels = [f"{int(t):,}" for t in ticks]
    x_ticks = list(range(0, len(days), 7))
    plt.clear_figure()
    plt.theme("clear")
    # Bars a third of a day wide at two columns a day: one column each, a gap between.
    plt.bar(list(range(len(days))), values, width=0.3, color="cyan" if color else None)
    plt.plotsize(2 * len(days) + max(map(len, labels)) + 3, 12)
    plt.xlim(-0.5, len(days) - 0.5)
    plt.ylim(0, ticks[-1])
    plt.yticks(ticks, labels)
    plt.xticks(x_ticks, [_day_label(days[i][0]) for i in x_ticks])
    chart = plt.build()
    plt.clear_figure()
    if not color:
        chart = plt.uncolorize(chart)
    return "\n".join(line.rstrip() for line in chart.splitlines())


def render_text(data: dict[str, Any], *, color: bool = False, width: int = 80) -> str:
    """The `drill stats` summary: figures, a calendar heatmap and the forecast chart."""
    today = data["today"]
    ret = data["true_retention"]
    cards = data["cards"]
    streak = data["streak_days"]
    scope = strip_control_chars(_scope(data))
    lines = [
        f"Progress: {scope} (study day {data['study_day']})"[:width],
        "",
        *_field(
            "Today",
            [
                f"{today['reviewed']:,} reviewed",
                f"{today['new_learned']:,} new",
                f"{today['again']:,} again",
                duration(today["time_ms"]),
            ],
            width,
        ),
        *_field("Streak", [f"{streak} day{'' if streak == 1 else 's'}"], width),
        *_field("Reviews", [f"{data['total_reviews']:,} in all"], width),
        *_field(
            "Retention",
            [
                f"{percent(ret['7d'])} last 7 days",
                f"{percent(ret['30d'])} last 30 days",
                f"{percent(ret['all'])} in all",
            ],
            width,
        ),
        *_field(
            "Cards",
            [f"{cards[k]:,} {k}" for k in ("new", "learning", "review", "relearning", "suspended")],
            width,
        ),
        *_field(
            "Memory",
            [
                f"{percent(data['mean_retrievability'])} mean recall now",
                f"{data['mastered_questions']:,} of {data['questions']:,} questions mastered",
            ],
            width,
        ),
        "",
        f"Reviews per day, last {len(data['heatmap'])} days",
        *calendar_lines(data["heatmap"], width=width),
        "",
        f"Due per day, next {len(data['forecast'])} days",
    ]
    if any(row["due"] for row in data["forecast"]):
        lines += forecast_chart(data["forecast"], color=color).splitlines()
    else:
        lines.append("    Nothing falls due.")
    if len(data["decks"]) > 1:
        lines += ["", *_deck_lines(data["decks"], width)]
    lines += [
        "",
        "Retention: reviews of cards in review not rated Again. Mastered: every card of",
        "the question is stable for 21 days or more. Mean recall: FSRS retrievability.",
    ]
    return "\n".join(lines) + "\n"


def _field(label: str, parts: Sequence[str], width: int) -> list[str]:
    """One summary line, `Label      a · b · c`, wrapped at the separators to fit `width`."""
    indent = " " * 11
    lines = [f"{label:<11}"]
    for i, part in enumerate(parts):
        piece = part if i == 0 else f" · {part}"
        if i and len(lines[-1]) + len(piece) > width:
            lines.append(indent + part)
        else:
            lines[-1] += piece
    return lines


def _deck_lines(decks: Sequence[dict[str, Any]], width: int) -> list[str]:
    head = ("Reviews", "Today", "Ret 30d", "Recall", "Mastered")
    rows = [
        (
            strip_control_chars(d["name"]).replace("\n", " "),
            f"{d['total_reviews']:,}",
            f"{d['today']['reviewed']:,}",
            percent(d["true_retention"]["30d"]),
            percent(d["mean_retrievability"]),
            f"{d['mastered_questions']:,}/{d['questions']:,}",
        )
        for d in decks
    ]
    widths = [max(len(h), *(len(r[i + 1]) for r in rows)) for i, h in enumerate(head)]
    numbers = sum(widths) + 2 * len(widths)
    name_width = max(8, min(40, width - numbers, max(len(r[0]) for r in rows)))
    out = [
        "Deck".ljust(name_width) + "".join(f"  {h:>{w}}" for h, w in zip(head, widths, strict=True))
    ]
    for row in rows:
        name = row[0] if len(row[0]) <= name_width else row[0][: name_width - 1] + "…"
        cells = "".join(f"  {c:>{w}}" for c, w in zip(row[1:], widths, strict=True))
        out.append(name.ljust(name_width) + cells)
    return out


# -- JSON and Markdown ---------------------------------------------------------------------


def render_json(data: dict[str, Any]) -> str:
    """The stats JSON, exactly as `drill stats --json` prints it."""
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


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


def render_markdown(data: dict[str, Any]) -> str:
    """A Markdown report: the same figures as tables, the charts as text."""
    today = data["today"]
    ret = data["true_retention"]
    cards = data["cards"]
    lines = [
        "# Interview practice: progress report",
        "",
        f"{md_escape(_scope(data)).capitalize()} · study day {data['study_day']} · "
        f"generated {data['generated_at']}",
        "",
        "## Summary",
        "",
        *_md_table(
            ("Figure", "Value"),
            [
                (
                    "Today",
                    f"{today['reviewed']:,} reviewed, {today['new_learned']:,} new, "
                    f"{today['again']:,} again, {duration(today['time_ms'])}",
                ),
                ("Streak", f"{data['streak_days']} days"),
                ("Reviews in all", f"{data['total_reviews']:,}"),
                ("True retention, 7 days", percent(ret["7d"])),
                ("True retention, 30 days", percent(ret["30d"])),
                ("True retention, all", percent(ret["all"])),
                ("Mean recall now", percent(data["mean_retrievability"])),
                (
                    "Questions mastered",
                    f"{data['mastered_questions']:,} of {data['questions']:,}",
                ),
            ],
            "lr",
        ),
        "",
        "## Cards",
        "",
        *_md_table(
            ("New", "Learning", "Review", "Relearning", "Suspended"),
            [[f"{cards[k]:,}" for k in ("new", "learning", "review", "relearning", "suspended")]],
            "rrrrr",
        ),
        "",
        "Stability of reviewed cards:",
        "",
        *_md_table(
            [b["label"] for b in data["stability"]],
            [[f"{b['cards']:,}" for b in data["stability"]]],
            "r" * len(data["stability"]),
        ),
        "",
        f"## Reviews per day, last {len(data['heatmap'])} days",
        "",
        "```text",
        *calendar_lines(data["heatmap"]),
        "```",
        "",
        f"## Due per day, next {len(data['forecast'])} days",
        "",
    ]
    if any(row["due"] for row in data["forecast"]):
        lines += ["```text", forecast_chart(data["forecast"]), "```"]
    else:
        lines.append("Nothing falls due.")
    lines += [
        "",
        "## True retention per week",
        "",
        *_md_table(
            ("Week of", "Reviews", "Passed", "Retention"),
            [
                (w["week"], f"{w['reviews']:,}", f"{w['passed']:,}", percent(w["retention"]))
                for w in data["weekly_retention"]
            ],
            "lrrr",
        ),
        "",
        "## Decks",
        "",
        *_md_table(
            (
                "Deck",
                "Questions",
                "Mastered",
                "Reviews",
                "Today",
                "Retention 30 d",
                "Retention all",
                "Recall",
                "Due 7 d",
            ),
            [(md_escape(d["name"]), *deck_figures(d)) for d in data["decks"]],
            "lrrrrrrrr",
        ),
        "",
        *_DEFINITIONS_MD,
    ]
    return "\n".join(lines) + "\n"


_DEFINITIONS = (
    (
        "True retention",
        "the share of reviews of cards already in review that were not rated Again.",
    ),
    ("Mean recall", "the average FSRS probability of recalling each reviewed card now."),
    ("Mastered", "every active card of the question has a stability of 21 days or more."),
    ("Due", "learning and review cards falling due each day; overdue cards count today."),
)
_DEFINITIONS_MD = [f"- **{term}**: {text}" for term, text in _DEFINITIONS]


# -- HTML ----------------------------------------------------------------------------------

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
section { background: var(--paper); border: 1px solid var(--line); border-radius: 10px;
  padding: 20px 24px; margin-top: 20px; break-inside: avoid; }
h2 { font-size: 18px; margin: 0 0 12px; }
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
  .tiles { grid-template-columns: repeat(3, 1fr); }
  main { max-width: none; padding: 0; }
  section, .tile { border-color: #bbb; }
  .bar, .dot, .line, .hbar { print-color-adjust: exact; -webkit-print-color-adjust: exact; }
}
@page { margin: 14mm; }
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
                f"{_e(_day_label(day))}</text>"
            )
    base = top + plot_h
    parts.append(f'<line class="axis" x1="{left}" x2="{width - right}" y1="{base}" y2="{base}"/>')
    parts.append("</svg>")
    return "".join(parts)


def svg_retention_chart(
    weeks: Sequence[dict[str, Any]], *, width: int = 960, height: int = 240
) -> str:
    """True retention per week as a line; weeks without reviews leave a gap."""
    left, right, top, bottom = 52, 12, 12, 30
    plot_w, plot_h = width - left - right, height - top - bottom
    values = [w["retention"] for w in weeks if w["retention"] is not None]
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
            f"{_e(_day_label(date.fromisoformat(week['week'])))}</text>"
        )
        if week["retention"] is None:
            segments.append([])
            continue
        segments[-1].append(f"{cx:.1f},{scale(week['retention']):.1f}")
    for points in segments:
        if len(points) > 1:
            parts.append(f'<polyline class="line" points="{" ".join(points)}"/>')
    for i, week in enumerate(weeks):
        if week["retention"] is None:
            continue
        cx = left + (i + 0.5) * band
        parts.append(
            f'<circle class="dot" cx="{cx:.1f}" cy="{scale(week["retention"]):.1f}" r="4">'
            f"<title>Week of {_e(week['week'])}: {percent(week['retention'])} of "
            f"{week['reviews']:,} reviews</title></circle>"
        )
    base = top + plot_h
    parts.append(f'<line class="axis" x1="{left}" x2="{width - right}" y1="{base}" y2="{base}"/>')
    parts.append("</svg>")
    return "".join(parts)


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


def compact(n: int) -> str:
    """A count short enough for a tile: 12,345, 207k, 1.2M."""
    if n < 100_000:
        return f"{n:,}"
    if n < 1_000_000:
        return f"{n / 1000:.0f}k"
    return f"{n / 1_000_000:.1f}M"


def _stability_label(bucket: dict[str, Any]) -> str:
    low, high = bucket["min_days"], bucket["max_days"]
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


def render_html(data: dict[str, Any]) -> str:
    """A self-contained HTML report: inline CSS and SVG charts, nothing fetched."""
    today = data["today"]
    ret = data["true_retention"]
    cards = data["cards"]
    heat = _days(data["heatmap"], "reviews")
    due = _days(data["forecast"], "due")
    due_week = sum(n for _, n in due[:7])
    deck_rows = [(d["name"], d["id"], *deck_figures(d)) for d in data["decks"]]
    body = [
        "<header><h1>Interview practice: progress report</h1>",
        f"<p>{_e(_scope(data).capitalize())} · study day {_e(data['study_day'])} · "
        f"generated {_e(data['generated_at'])}</p></header>",
        '<div class="tiles">',
        _tile(
            f"{today['reviewed']:,}",
            "reviews today",
            f"{today['new_learned']:,} new · {today['again']:,} again · "
            f"{duration(today['time_ms'])}",
        ),
        _tile(f"{data['streak_days']}", "day streak"),
        _tile(percent(ret["30d"]), "true retention, 30 days", f"7 days {percent(ret['7d'])}"),
        _tile(percent(data["mean_retrievability"]), "mean recall now"),
        _tile(
            f"{data['mastered_questions']:,}",
            "questions mastered",
            f"of {data['questions']:,}",
        ),
        _tile(compact(data["total_reviews"]), "reviews in all", f"retention {percent(ret['all'])}"),
        "</div>",
        f"<section><h2>Reviews per day, last {len(heat)} days</h2>",
        svg_bar_chart(heat, label="Reviews per day", unit="reviews"),
        f'<p class="caption">{sum(n for _, n in heat):,} reviews in this period; '
        f"busiest day {max((n for _, n in heat), default=0):,}.</p></section>",
        f"<section><h2>Due per day, next {len(due)} days</h2>",
        svg_bar_chart(due, label="Cards due per day", unit="due", highlight_first=True),
        f'<p class="caption">{due_week:,} due in the next 7 days; the first bar (today) '
        "includes overdue cards.</p></section>",
        "<section><h2>True retention per week</h2>",
        svg_retention_chart(data["weekly_retention"]),
        '<p class="caption">Reviews of cards already in review that were not rated Again, '
        "per week (Monday to Sunday).</p></section>",
        "<section><h2>Cards</h2>",
        '<div class="pair">',
        _bar_table(
            ("State", "Cards"),
            [(k.capitalize(), cards[k]) for k in ("new", "learning", "review", "relearning")]
            + [("Suspended", cards["suspended"])],
        ),
        _bar_table(
            ("Stability", "Cards"),
            [(_stability_label(b), b["cards"]) for b in data["stability"]],
        ),
        "</div>",
        '<p class="caption">Stability: how long until the chance of recall drops to 90%. '
        "Suspended cards are counted only as suspended; retired cards not at all.</p>",
        "</section>",
        "<section><h2>Decks</h2>",
        _html_table(
            (
                "Deck",
                "ID",
                "Questions",
                "Mastered",
                "Reviews",
                "Today",
                "Retention 30 d",
                "Retention all",
                "Recall",
                "Due 7 d",
            ),
            deck_rows,
            ("name", "id"),
        )
        if deck_rows
        else "<p>No decks yet.</p>",
        "</section>",
        "<section><h2>What the numbers mean</h2><dl>",
        *(f"<dt>{_e(term)}</dt><dd>{_e(text)}</dd>" for term, text in _DEFINITIONS),
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


RENDERERS: dict[str, Callable[[dict[str, Any]], str]] = {
    "html": render_html,
    "md": render_markdown,
    "json": render_json,
}


def write_report(data: dict[str, Any], fmt: str, out: IO[str]) -> None:
    """Write the report in `fmt` (html, md or json) to a text stream."""
    out.write(RENDERERS[fmt](data))
