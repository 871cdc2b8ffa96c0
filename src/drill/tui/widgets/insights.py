"""The coach's insights on a typed answer: a few rows, each finding with its evidence (the
STAR parts with their sentences, the red flags with their words).

Display only: the screen gives it the insights and, as the self-check changes, the ticks.
Answer text is shown literally (never as markup) and cut to a line's worth.
"""

from __future__ import annotations

from typing import NamedTuple

from textual import events
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Static

from drill.core import format
from drill.core.coach.fillers import spoken
from drill.core.coach.insights import Insights, Occurrences
from drill.core.coach.rubric import SelfCheck, Suggestion
from drill.core.model import Rating
from drill.tui.text import clean

RATING_STYLES = {
    Rating.AGAIN: "bold $text-error",
    Rating.HARD: "bold $text-warning",
    Rating.GOOD: "bold $text-success",
    Rating.EASY: "bold $text-primary",
}
EVIDENCE = 60


def _quote(text: str, width: int = EVIDENCE) -> str:
    flat = " ".join(clean(text).split())
    if len(flat) > width:
        flat = flat[: width - 1].rsplit(" ", 1)[0] + "…"
    return f"“{flat}”"


Part = Content | str | tuple[str, str]


class Row(NamedTuple):
    """One row of the panel: its label (and the label's style), and what the coach found.
    A row of `lines` keeps each line to one, cut with "…" at the panel's width.
    """

    label: str
    style: str
    value: Content
    lines: bool = False


def _row(label: str, *parts: Part, style: str = "$text-muted") -> Row:
    return Row(label, style, Content.assemble(*parts))


def summary_rows(found: Insights, suggestion: Suggestion, ticks: SelfCheck | None) -> list[Row]:
    """The panel's rows, each finding with the answer's own words where it has some."""
    rows = []
    low, high = found.target_seconds
    length_style = "$text-success" if found.length == "ok" else "$text-warning"
    rows.append(
        _row(
            "Length",
            f"{format.plural(found.words, 'word')} · {format.clock_time(found.speaking_seconds)}"
            f" of {format.speaking_time(low, high)} · ",
            (found.length, length_style),
        )
    )
    rows.append(_occurrence_row("Fillers", found.fillers, warn=found.filler_rate > 2))
    if found.hedges:
        rows.append(_occurrence_row("Hedges", found.hedges, warn=False))
    star = found.star
    if star.applies:
        lines: list[Content] = []
        for name, label in STAR_PARTS:
            part = star.part(name)
            mark = ("✓ ", "$text-success") if part.found else ("✗ ", "$text-error")
            if part.found:
                lines.append(
                    Content.assemble(mark, f"{label:<9} ", (_quote(part.evidence), "italic"))
                )
            elif name != "learning":
                lines.append(Content.assemble(mark, f"{label:<9} ", ("not found", "$text-muted")))
        share = f"{round(star.action_share * 100)}% on action"
        measured = "a measured result" if star.result_measured else "no measured result"
        lines.append(Content.assemble((f"{share} · {measured}", "$text-muted")))
        rows.append(Row("STAR", "$text-muted", Content("\n").join(lines), lines=True))
    i, we = found.pronouns
    ownership: list[Part] = [f"I {i} · we {we}"]
    if found.no_personal_action and star.applies:
        ownership.append((" · never says what you did", "$text-error"))
    rows.append(_row("Ownership", *ownership))
    spec = found.specifics
    if spec.vague:
        rows.append(_row("Specifics", ("none: no number, name or time frame", "$text-warning")))
    else:
        # "two weeks" is both a figure and a time frame: say it once.
        shown = list(dict.fromkeys([*spec.numbers[:3], *spec.names[:2], *spec.time_frames[:2]]))
        rows.append(_row("Specifics", clean(", ".join(shown))))
    if found.job_terms is not None:
        used = ", ".join(found.job_terms.used[:4]) or "none"
        missing = ", ".join(found.job_terms.missing[:4]) or "none"
        rows.append(
            _row("Posting", clean(f"uses {used}"), (clean(f" · misses {missing}"), "$text-muted"))
        )
    for hit in found.red_flags:
        rows.append(
            _row(
                "Red flag",
                clean(hit.text),
                ": ",
                (_quote(hit.evidence, 40), "italic"),
                style="bold $text-error",
            )
        )
    for hit in found.donts:
        rows.append(
            _row(
                "Don't",
                clean(hit.text),
                ": ",
                (_quote(hit.evidence, 40), "italic"),
                style="$text-warning",
            )
        )
    rows.append(_rubric_row(found, suggestion, ticks))
    return rows


# The STAR parts as the panel lists them; the lesson only when there is one.
STAR_PARTS = (
    ("situation", "situation"),
    ("task", "task"),
    ("action", "action"),
    ("result", "result"),
    ("learning", "lesson"),
)


def _occurrence_row(label: str, found: tuple[Occurrences, ...], *, warn: bool) -> Row:
    if not found:
        return _row(label, ("none", "$text-success"))
    parts = ", ".join(f"“{spoken(o.text)}” ×{o.count}" for o in found)
    return _row(label, (parts, "$text-warning" if warn else ""))


def _rubric_row(found: Insights, suggestion: Suggestion, ticks: SelfCheck | None) -> Row:
    rubric = found.rubric_with(ticks)
    return _row(
        "Rubric",
        f"{rubric.total}/{rubric.out_of} · suggests ",
        (suggestion.rating.label, RATING_STYLES[suggestion.rating]),
    )


class InsightsRow(Horizontal):
    """A label, and the finding wrapped under itself (not under the label)."""

    def __init__(self, row: Row) -> None:
        super().__init__(classes="insights-row")
        self.row = row

    def compose(self) -> ComposeResult:
        row = self.row
        yield Static(Content.styled(row.label, row.style), classes="insights-label")
        value = Static(row.value, classes="insights-value")
        value.set_class(row.lines, "-lines")
        yield value

    def update(self, row: Row) -> None:
        self.row = row
        self.query_one(".insights-label", Static).update(Content.styled(row.label, row.style))
        self.query_one(".insights-value", Static).update(row.value)


class InsightsPanel(Vertical):
    """What the coach finds in an answer, with the rating it suggests."""

    def __init__(
        self,
        insights: Insights,
        *,
        title: str = "Coach",
        in_time: bool | None = None,
        ticks: SelfCheck | None = None,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id, classes="insights-panel")
        self.insights = insights
        self.in_time = in_time
        self.ticks = ticks
        self._title = title

    @property
    def suggestion(self) -> Suggestion:
        return self.insights.suggestion(self.ticks, in_time=self.in_time)

    def compose(self) -> ComposeResult:
        yield Static(Content(self._title), classes="section-title")
        with Vertical(classes="insights-body"):
            for row in summary_rows(self.insights, self.suggestion, self.ticks):
                yield InsightsRow(row)

    def set_ticks(self, ticks: SelfCheck | None) -> None:
        """The self-check changed: the rubric and the suggestion follow it."""
        self.ticks = ticks
        rows = self.query(InsightsRow)
        if rows:
            rows.last().update(_rubric_row(self.insights, self.suggestion, ticks))


class CoachRow(Horizontal):
    """The coach beside the approach when there is room, above it when there is not."""

    # Below this many columns each side would be too narrow to read.
    WIDE = 100

    def on_resize(self, event: events.Resize) -> None:
        self.set_class(event.size.width < self.WIDE, "-stacked")
