"""Bar charts for the stats screen, drawn by plotext through textual-plotext.

A chart is redrawn to fit its size. plotext maps data to character cells by rounding, which
makes bars of equal value come out one cell wider or taller than their neighbours; so the
charts here work in cell coordinates (the axes' limits are the canvas size in cells) and
hand plotext bars whose edges fall on whole cells. Each bar gets the same number of
columns, with a gap when there is room; when not every bar fits, a chart keeps the bars
nearest its anchor (the latest days of a history, the first days of a forecast). Tick
labels are thinned so they never touch. Everything is a function of the data and the size,
so screenshots are stable.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from itertools import pairwise
from typing import Literal

from rich.style import Style
from rich.text import Text
from textual.app import RenderResult
from textual.color import Color
from textual.content import Content
from textual_plotext import PlotextPlot

from drill.core.format import nice_ticks, plural

Keep = Literal["first", "last"]
Orientation = Literal["vertical", "horizontal"]

# plotext's frame: the axis line beside the labels and the frame's far side, in columns;
# the frame's two lines and the row of tick labels, in rows.
FRAME_COLUMNS = 2
FRAME_ROWS = 3


@dataclass(frozen=True, slots=True)
class Plan:
    """What fits: which bars (a slice), cells per bar, and cells each bar fills."""

    start: int
    stop: int
    cells: int
    fill: int

    @property
    def count(self) -> int:
        return self.stop - self.start

    def offset(self, index: int) -> int:
        """The first cell of the bar at `index` (within the slice)."""
        return index * self.cells

    def centre(self, index: int) -> float:
        return index * self.cells + (self.fill - 1) / 2


def plan_bars(bars: int, room: int, *, keep: Keep, most: int, group: int = 1) -> Plan:
    """Fit `bars` into `room` cells, at most `most` cells each, a gap when a bar has 2+.

    When they do not all fit, whole `group`s of bars are kept from the `keep` end.
    """
    room = max(1, room)
    if bars <= room:
        cells = max(1, min(most, room // max(1, bars)))
        shown = bars
    else:
        cells = 1
        shown = room if room < group else room - room % group
    start, stop = (0, shown) if keep == "first" else (bars - shown, bars)
    fill = cells if cells == 1 else cells - max(1, cells // 4)
    return Plan(start, stop, cells, fill)


def thin_labels(
    labels: Sequence[str], centres: Sequence[float], *, keep: Keep
) -> list[tuple[int, str]]:
    """(bar, label) pairs: every n-th label, n as small as keeps two blank columns between.

    Counted from the `keep` end, so the latest (or first) labelled bar is always named, and
    the named ones are evenly spaced.
    """
    named = [i for i, label in enumerate(labels) if label]
    if keep == "last":
        named.reverse()
    for step in range(1, len(named) + 1):
        chosen = sorted(named[::step])
        spans = [
            (centres[i] - len(labels[i]) / 2 - 1, centres[i] + len(labels[i]) / 2 + 1)
            for i in chosen
        ]
        if all(a[1] <= b[0] for a, b in pairwise(spans)):
            return [(i, labels[i]) for i in chosen]
    return []


def cells_for(value: float, top: float, cells: int) -> int:
    """Cells a bar of `value` fills on an axis of `cells` cells up to `top`; 1 at least."""
    if value <= 0 or top <= 0:
        return 0
    return max(1, min(cells, round(value / top * cells)))


def _style(style: str | Style) -> Style:
    return Style.parse(style) if isinstance(style, str) else style


def _style_at(line: Text, offset: int) -> Style:
    """The style of one cell of a line, as it is drawn."""
    spans = [_style(span.style) for span in line.spans if span.start <= offset < span.end]
    return Style.combine([_style(line.style), *spans])


def x_axis(frame: Text, ticks: Sequence[tuple[float, str]]) -> list[Text]:
    """The plot's bottom frame line with a tick mark at each label, and the labels below.

    `ticks` are (canvas cell, label); the canvas starts after the frame's corner, and a
    label is centred on its cell.
    """
    corner = frame.plain.find("└")
    if corner < 0:
        return [frame]
    width = len(frame.plain)
    labels = [" "] * width
    marks = frame.plain
    for cell, label in ticks:
        column = corner + 1 + math.floor(cell + 0.5)
        if 0 <= column < width and marks[column] == "─":
            marks = marks[:column] + "┬" + marks[column + 1 :]
        start = max(
            0, min(width - len(label), math.floor(corner + 1 + cell - len(label) / 2 + 0.5))
        )
        labels[start : start + len(label)] = label
    style = _style_at(frame, corner)
    marked = Text(marks, style=frame.style, no_wrap=True)
    for span in frame.spans:
        marked.stylize(span.style, span.start, span.end)
    return [marked, Text("".join(labels), style=style, no_wrap=True)]


def day_label(day: date) -> str:
    return f"{day:%b} {day.day}"


class BarChart(PlotextPlot):
    """Bars with labelled categories, fitted to the widget; a note when there is no data.

    `title` names the chart in its border, given how many bars are shown. `percent` makes
    the value axis 0-100% for values between 0 and 1. Horizontal charts list their
    categories top to bottom and never drop any.
    """

    DEFAULT_CSS = """
    BarChart {
        height: 12;
        width: 1fr;
        border: round $primary 50%;
        border-title-color: $text;
        background: $surface;
    }
    """

    def __init__(
        self,
        *,
        title: Callable[[int], str],
        empty: str,
        keep: Keep = "first",
        most: int = 2,
        group: int = 1,
        percent: bool = False,
        orientation: Orientation = "vertical",
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self._title = title
        self._empty = empty
        self._keep: Keep = keep
        self._most = most
        self._group = group
        self._percent = percent
        self._orientation: Orientation = orientation
        self._values: list[float] = []
        self._labels: list[str] = []
        self.border_title = title(0)

    def set_bars(self, values: Sequence[float | None], labels: Sequence[str]) -> None:
        """One value per bar (None draws nothing) and a candidate label per bar ("" none)."""
        self._values = [v or 0 for v in values]
        self._labels = list(labels)
        self._retitle()
        self.refresh()

    def on_resize(self) -> None:
        self._retitle()

    @property
    def has_data(self) -> bool:
        return any(self._values)

    @property
    def values(self) -> list[float]:
        return list(self._values)

    def value_ticks(self, values: Sequence[float]) -> tuple[float, list[tuple[float, str]]]:
        """The axis' top and its labelled ticks; zero is the axis line itself, unlabelled."""
        if self._percent:
            return 1.0, [(t / 4, f"{25 * t}%") for t in range(1, 5)]
        ticks = nice_ticks(max(values, default=0), 3)
        return ticks[-1], [(t, f"{int(t):,}") for t in ticks[1:]]

    def plan(self) -> Plan:
        width, height = self.size
        if self._orientation == "horizontal":
            bars = len(self._values)
            return plan_bars(bars, height - FRAME_ROWS, keep="first", most=self._most)
        _, ticks = self.value_ticks(self._values)
        label_width = max((len(label) for _, label in ticks), default=1)
        room = width - label_width - FRAME_COLUMNS
        return plan_bars(
            len(self._values), room, keep=self._keep, most=self._most, group=self._group
        )

    def _retitle(self) -> None:
        if self._values and self.size.width:
            self.border_title = self._title(self.plan().count)

    def render(self) -> RenderResult:
        width, height = self.size
        if not self.has_data or width < 12 or height < FRAME_ROWS + 2:
            # The note in the middle of the panel, where the bars would be.
            note = " " * max(0, (width - len(self._empty)) // 2) + self._empty
            return Content("\n" * max(0, (height - 1) // 2) + note).stylize("$text-muted italic")
        plt = self.plt
        plt.clear_figure()
        if self._orientation == "horizontal":
            plot_width, ticks = self._horizontal(width, height)
        else:
            plot_width, ticks = self._vertical(width, height)
        # The x labels are drawn here, not by plotext: where plotext puts a label can depend
        # on the process's string hashing, and screenshots must not.
        plt.xticks([], [])
        plt.plotsize(plot_width, height - 1)
        # As PlotextPlot.render does: plotext otherwise clamps the size to the terminal's.
        plt._set_size(plot_width, height - 1)
        plt.theme(self._get_plotext_theme_name(self.app.theme))
        lines = list(Text.from_ansi(plt.build(), no_wrap=True, overflow="crop").split("\n"))
        lines[-1:] = x_axis(lines[-1], ticks)
        # Centred in the panel: the plot is only as wide as its bars need.
        margin = Text(" " * max(0, (width - plot_width) // 2))
        return Text("\n").join(margin + line for line in lines)

    def _color(self) -> tuple[int, int, int]:
        return Color.parse(self.app.theme_variables.get("primary", "#0178D4")).rgb

    def _bars(self, plan: Plan, lengths: list[int], orientation: Orientation) -> None:
        """Bars filling `lengths` cells from the axis; edges on whole cells.

        In cell coordinates a bar spanning cells a..b is centred on (a + b) / 2, and plotext
        scales a bar's width by the spacing of the centres (`plan.cells`).
        """
        centres = [plan.centre(i) for i in range(plan.count)]
        width = (plan.fill - 1) / plan.cells if plan.count > 1 else 0
        # A bar ending at cell n - 1 has its top at n - 0.6: plotext rounds it down to n - 1,
        # and a top of exactly 0 would mean no bar at all.
        tops = [n - 0.6 if n else 0 for n in lengths]
        self.plt.bar(centres, tops, width=width, color=self._color(), orientation=orientation)

    def _vertical(self, width: int, height: int) -> tuple[int, list[tuple[float, str]]]:
        plan = self.plan()
        values = self._values[plan.start : plan.stop]
        labels = self._labels[plan.start : plan.stop]
        top, ticks = self.value_ticks(values)
        label_width = max(len(label) for _, label in ticks)
        columns, rows = plan.count * plan.cells, height - FRAME_ROWS
        plt = self.plt
        self._bars(plan, [cells_for(v, top, rows) for v in values], "vertical")
        plt.xlim(0, columns - 1)
        plt.ylim(0, rows - 1)
        plt.yticks([cells_for(t, top, rows) - 1 for t, _ in ticks], [label for _, label in ticks])
        centres = [plan.centre(i) for i in range(plan.count)]
        placed = thin_labels(labels, centres, keep=self._keep)
        return columns + label_width + FRAME_COLUMNS, [(centres[i], label) for i, label in placed]

    def _horizontal(self, width: int, height: int) -> tuple[int, list[tuple[float, str]]]:
        plan = self.plan()
        values = self._values[plan.start : plan.stop]
        labels = self._labels[plan.start : plan.stop]
        label_width = max(map(len, labels))
        rows = height - FRAME_ROWS
        # One blank column before the widget's border.
        columns = max(8, width - label_width - FRAME_COLUMNS - 1)
        top, ticks = self.value_ticks(values)
        plt = self.plt
        # plotext counts rows from the bottom; the first category goes on top.
        flipped = Plan(0, plan.count, plan.cells, plan.fill)
        lengths = [cells_for(v, top, columns) for v in reversed(values)]
        offset = rows - plan.count * plan.cells
        self._bars(flipped, lengths, "horizontal")
        plt.xlim(0, columns - 1)
        plt.ylim(-offset, rows - 1 - offset)
        centres = [flipped.centre(i) for i in range(plan.count)]
        plt.yticks(centres, list(reversed(labels)))
        tick_cells = [cells_for(t, top, columns) - 1 for t, _ in ticks]
        placed = thin_labels([label for _, label in ticks], tick_cells, keep="last")
        return columns + label_width + FRAME_COLUMNS, [
            (tick_cells[i], label) for i, label in placed
        ]


# -- the stats screen's charts ----------------------------------------------------------------


def weeks_or_days(count: int) -> str:
    if count and count % 7 == 0:
        weeks = count // 7
        return plural(weeks, "week")
    return plural(count, "day")


class ReviewsChart(BarChart):
    """Reviews per study day, the latest days that fit (whole weeks), Mondays labelled."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(
            title=lambda n: f"Reviews per day, last {weeks_or_days(n)}" if n else "Reviews per day",
            empty="No reviews in these weeks yet.",
            keep="last",
            most=2,
            group=7,
            id=id,
        )

    def set_days(self, days: Sequence[tuple[date, int]]) -> None:
        self.set_bars(
            [n for _, n in days], [day_label(d) if d.weekday() == 0 else "" for d, _ in days]
        )


class ForecastChart(BarChart):
    """Cards falling due per study day from today, today and every seventh day labelled."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(
            title=lambda n: f"Due per day, next {plural(n, 'day')}" if n else "Due per day",
            empty="Nothing falls due in the next 30 days.",
            keep="first",
            most=2,
            id=id,
        )

    def set_days(self, days: Sequence[tuple[date, int]]) -> None:
        labels = [
            "Today" if i == 0 else day_label(d) if i % 7 == 0 else ""
            for i, (d, _) in enumerate(days)
        ]
        self.set_bars([n for _, n in days], labels)


class RetentionChart(BarChart):
    """True retention per week (0-100%); weeks without reviews in review state stay empty."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(
            title=lambda n: f"True retention, last {plural(n, 'week')}" if n else "True retention",
            empty="No reviews of cards in review yet.",
            keep="last",
            most=4,
            percent=True,
            id=id,
        )

    def set_weeks(self, weeks: Sequence[tuple[date, float | None]]) -> None:
        self.set_bars([r for _, r in weeks], [day_label(w) for w, _ in weeks])


class StabilityChart(BarChart):
    """Reviewed cards by stability (days until recall falls to 90%), one row per range.

    The rows are ranges of days, the bars counts of cards: the title names the rows, the
    subtitle (under the bars' axis) the count.
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(
            title=lambda _: "Stability: days to 90% recall",
            empty="No reviewed cards yet.",
            most=1,
            orientation="horizontal",
            id=id,
        )
        self.border_subtitle = "cards"

    def set_buckets(self, buckets: Sequence[tuple[str, int]]) -> None:
        self.set_bars([n for _, n in buckets], [label for label, _ in buckets])
