"""The `drill stats` text: figures, a calendar of reviews per day and the forecast chart.

plotext is imported only to draw the chart. Deck names are untrusted: control characters
are removed before they reach the terminal.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date, timedelta

from drill.core.format import day_label, duration, monday, nice_ticks, percent, plural
from drill.core.sanitize import strip_control_chars
from drill.progress import fit
from drill.progress.leeches import Leech
from drill.progress.report.tables import WEAK_NOTE, answers_line, interview_line
from drill.progress.stats import DeckFigures, Practice, Stats

SHADES = "░▒▓█"
NO_REVIEWS = "·"


def calendar_lines(heatmap: Sequence[tuple[date, int]], *, width: int = 80) -> list[str]:
    """A calendar of reviews per day: one row per weekday, one column per week.

    Shaded by quarters of the busiest day; only the latest weeks that fit `width` are shown.
    """
    days = list(heatmap)
    if not days:
        return []
    max_weeks = max(1, (width - 3) // 2)
    last_monday = monday(days[-1][0])
    first_monday = max(monday(days[0][0]), last_monday - timedelta(weeks=max_weeks - 1))
    days = [(d, n) for d, n in days if d >= first_monday]
    weeks = (last_monday - first_monday).days // 7 + 1
    top = max(n for _, n in days)
    grid = [[" "] * weeks for _ in range(7)]
    for day, n in days:
        col = (monday(day) - first_monday).days // 7
        grid[day.weekday()][col] = _shade(n, top)
    months = [" "] * (weeks * 2 + 2)
    labels: dict[int, str] = {}
    previous = None
    for col in range(weeks):
        first_day = max(first_monday + timedelta(weeks=col), days[0][0])
        if first_day.month != previous:
            labels[col] = f"{first_day:%b}"
        previous = first_day.month
    # A label is wider than a column: the first column's gives way when the next column
    # starts a month, so a week of March under a lone "Feb" never happens (as on the
    # stats screen's calendar).
    if 1 in labels:
        labels.pop(0, None)
    for col, label in labels.items():
        free = all(c == " " for c in months[max(0, col * 2 - 1) : col * 2 + len(label)])
        fits = 4 + col * 2 + len(label) <= width
        if free and fits:
            months[col * 2 : col * 2 + len(label)] = list(label)
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


def forecast_chart(forecast: Sequence[tuple[date, int]], *, color: bool = False) -> str:
    """The forecast as a plotext bar chart, two columns a day (no escapes unless `color`)."""
    import plotext as plt

    days = list(forecast)
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
    plt.xticks(x_ticks, [day_label(days[i][0]) for i in x_ticks])
    chart = plt.build()
    plt.clear_figure()
    if not color:
        chart = plt.uncolorize(chart)
    return "\n".join(line.rstrip() for line in chart.splitlines())


def leech_lines(leeches: Sequence[Leech], width: int = 80) -> list[str]:
    """Each leech with the three ways out: rewrite, link a story, practise."""
    count = len(leeches)
    lines = [
        f"Leeches: {count} question{'' if count == 1 else 's'} you keep failing "
        "(the coach can help)"
    ]
    for leech in leeches:
        state = ", suspended" if leech.suspended else ""
        lines.append(f"  {strip_control_chars(leech.ref)}: {leech.lapses} lapses{state}"[:width])
        lines.append(f"    {strip_control_chars(leech.question)}"[:width])
        for label, command in leech.help:
            # A command is never cut: it is there to be copied.
            lines.append(f"    {label}:"[:width])
            lines.append(f"      {strip_control_chars(command)}")
    return lines


def render_text(data: Stats, *, color: bool = False, width: int = 80) -> str:
    """The `drill stats` summary: figures, a calendar heatmap and the forecast chart."""
    f = data.figures
    today, ret, cards, streak = f.today, f.true_retention, f.cards, f.streak_days
    scope = strip_control_chars(data.scope)
    heat, due = fit.history(f.heatmap), fit.forecast(f.forecast)
    lines = [
        f"Progress: {scope} (study day {data.study_day.isoformat()})"[:width],
        "",
        *(
            _field(
                "Interview", clean(interview_line(f.interview, labelled=True)).split(" · "), width
            )
            if f.interview
            else []
        ),
        *_field(
            "Today",
            [
                f"{today.reviewed:,} reviewed",
                f"{today.new_learned:,} new",
                f"{today.again:,} again",
                duration(today.time_ms),
            ],
            width,
        ),
        *_field("Streak", [plural(streak, "day")], width),
        *_practice(f.practice, width),
        *_field("Reviews", [f"{f.total_reviews:,} in all"], width),
        *_field(
            "Retention",
            [
                f"{percent(ret.last_7d)} last 7 days",
                f"{percent(ret.last_30d)} last 30 days",
                f"{percent(ret.all)} in all",
            ],
            width,
        ),
        *_field(
            "Cards",
            [f"{n:,} {k}" for k, n in cards.to_json().items()],
            width,
        ),
        *_field(
            "Memory",
            [
                f"{percent(f.mean_retrievability)} mean recall now",
                f"{f.mastered_questions:,} of {f.questions:,} questions mastered",
            ],
            width,
        ),
        *_field("Answers", [answers_line(f)], width),
        *_field("Mocks", [_mocks_summary(data)], width),
        *_weakest_lines(data, width),
        "",
        f"Reviews per day, last {len(heat)} days",
        *calendar_lines(heat, width=width),
        "",
        f"Due per day, next {len(due)} days",
    ]
    if any(n for _, n in due):
        lines += forecast_chart(due, color=color).splitlines()
    else:
        lines.append("    Nothing falls due.")
    if len(data.decks) > 1:
        lines += ["", *_deck_lines(data.decks, width)]
    if data.leeches:
        lines += ["", *leech_lines(data.leeches, width)]
    lines += [
        "",
        "Retention: reviews of cards in review not rated Again. Mastered: every card of",
        "the question is stable for 21 days or more. Mean recall: FSRS retrievability.",
    ]
    return "\n".join(lines) + "\n"


def clean(text: str) -> str:
    return " ".join(strip_control_chars(text).split())


def _mocks_summary(data: Stats) -> str:
    if not data.mocks.recent:
        return "none yet: drill mock runs one"
    last = data.mocks.recent[0]
    rated = f", rated {last.rated}" if last.rated else ""
    return (
        f"{plural(data.mocks.count, 'mock interview')}; the last: {last.answered} of "
        f"{last.questions} answered, {last.in_time} in time{rated}"
    )


def _weakest_lines(data: Stats, width: int) -> list[str]:
    """The weakest questions, one a line: the question, then its lapses, recall now and
    whether an answer is written, in a column.
    """
    f = data.figures
    if not f.weakest:
        return []
    notes = []
    for weak in f.weakest:
        note = f"{plural(weak.lapses, 'lapse')} · {percent(weak.retrievability)} recall"
        notes.append(note if weak.answered else note + " · no answer")
    note_width = max(map(len, notes))
    room = max(10, width - note_width - 4)
    out = ["", "Weakest questions"]
    for weak, note in zip(f.weakest, notes, strict=True):
        question = clean(weak.question)
        if len(question) > room:
            question = question[: room - 1] + "…"
        out.append(f"  {question.ljust(room)}  {note}".rstrip())
    if len(WEAK_NOTE) + 2 <= width:
        out.append(f"  {WEAK_NOTE}")
    return out


def _days_in_a_row(days: int) -> str:
    return f"{plural(days, 'day')} in a row"


def _practice(practice: Practice, width: int) -> list[str]:
    """Practice ratings, apart from reviews (none of the other figures count them)."""
    if not practice.total:
        return []
    return _field(
        "Practice",
        [
            f"{practice.today:,} today",
            duration(practice.today_time_ms),
            f"{practice.total:,} in all",
            _days_in_a_row(practice.streak_days),
            "not reviews",
        ],
        width,
    )


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


def _deck_lines(decks: Sequence[DeckFigures], width: int) -> list[str]:
    head = ("Reviews", "Today", "Ret 30d", "Recall", "Mastered")
    rows = [
        (
            strip_control_chars(d.name).replace("\n", " "),
            f"{d.figures.total_reviews:,}",
            f"{d.figures.today.reviewed:,}",
            percent(d.figures.true_retention.last_30d),
            percent(d.figures.mean_retrievability),
            f"{d.figures.mastered_questions:,}/{d.figures.questions:,}",
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
