"""A calendar of reviews: seven rows (Monday first), one column per week, shaded by count."""

from __future__ import annotations

import math
from datetime import date, timedelta

from textual.content import Content
from textual.widget import Widget

WEEKS = 12
# Density glyphs carry the level even without colour (NO_COLOR, monochrome terminals).
LEVELS = ("·", "░", "▒", "▓", "█")
ROW_LABELS = ("Mon", "", "Wed", "", "Fri", "", "Sun")


def level(count: int, most: int) -> int:
    """0 for no reviews, else 1-4 relative to the busiest day shown."""
    if count <= 0 or most <= 0:
        return 0
    return max(1, min(4, math.ceil(4 * count / most)))


def days_needed(today: date, weeks: int = WEEKS) -> int:
    """How many days of data fill `weeks` Monday-first columns ending with today's week."""
    return (weeks - 1) * 7 + today.weekday() + 1


class Heatmap(Widget):
    """Reviews per study day over the last twelve weeks, with month labels and a legend."""

    # A fixed size: month row, seven days, legend; labels plus two cells per week.
    DEFAULT_CSS = """
    Heatmap { width: 30; height: 9; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._counts: dict[date, int] = {}
        self._today = date.today()

    def set_data(self, days: list[tuple[date, int]], today: date) -> None:
        """Counts by day (any span; days missing count as none) ending at `today`."""
        self._counts = dict(days)
        self._today = today
        self.refresh(layout=True)

    def render(self) -> Content:
        today = self._today
        first = today - timedelta(days=today.weekday() + 7 * (WEEKS - 1))
        shown = [c for d, c in self._counts.items() if first <= d <= today]
        most = max(shown, default=0)
        lines: list[Content] = [self._months(first)]
        for weekday in range(7):
            parts: list[Content] = [Content(f"{ROW_LABELS[weekday]:<4}").stylize("$text-muted")]
            for week in range(WEEKS):
                day = first + timedelta(days=7 * week + weekday)
                if day > today:
                    parts.append(Content("  "))
                    continue
                lvl = level(self._counts.get(day, 0), most)
                style = f"$success {40 + 15 * lvl}%" if lvl else "$text-muted"
                if day == today:
                    style += " underline"
                parts.append(Content(LEVELS[lvl]).stylize(style) + Content(" "))
            lines.append(Content("").join(parts))
        legend = [Content("    Less ").stylize("$text-muted")]
        for lvl, glyph in enumerate(LEVELS):
            style = f"$success {40 + 15 * lvl}%" if lvl else "$text-muted"
            legend.append(Content(glyph).stylize(style) + Content(" "))
        legend.append(Content("More").stylize("$text-muted"))
        lines.append(Content("").join(legend))
        return Content("\n").join(lines)

    @staticmethod
    def _months(first: date) -> Content:
        """Month names above the first column of each month."""
        # A label sits over the first week whose Monday is in that month; the first column's
        # label gives way when the next column starts a month (labels are wider than a column).
        labels: dict[int, str] = {}
        for week in range(WEEKS):
            monday = first + timedelta(days=7 * week)
            if week == 0 or monday.month != (monday - timedelta(days=7)).month:
                labels[week] = monday.strftime("%b")
        if 1 in labels:
            labels.pop(0, None)
        row = [" "] * (4 + 2 * WEEKS + 2)
        for week, label in labels.items():
            start = 4 + 2 * week
            row[start : start + len(label)] = label
        return Content("".join(row).rstrip()).stylize("$text-muted")
