"""The coach's insights on a typed answer: a few lines, each finding with its evidence.

Display only: the screen gives it the insights and, as the self-check changes, the ticks.
Answer text is shown literally (never as markup) and cut to a line's worth.
"""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Static

from drill.core import format
from drill.core.coach.fillers import spoken
from drill.core.coach.insights import Insights
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


def _line(label: str, *parts: Content | str | tuple[str, str]) -> Content:
    return Content.assemble((f"{label:<10}", "$text-muted"), *parts)


def summary_lines(
    found: Insights, suggestion: Suggestion, ticks: SelfCheck | None
) -> list[Content]:
    """The panel's lines (also used by the mock summary, without a panel around them)."""
    lines = []
    low, high = found.target_seconds
    length_style = "$text-success" if found.length == "ok" else "$text-warning"
    lines.append(
        _line(
            "Length",
            f"{format.plural(found.words, 'word')} · {format.clock_time(found.speaking_seconds)}"
            f" of {format.speaking_time(low, high)} · ",
            (found.length, length_style),
        )
    )
    if found.filler_count or found.hedge_count:
        parts = [f"“{spoken(o.text)}” ×{o.count}" for o in (*found.fillers, *found.hedges)]
        style = "$text-warning" if found.filler_rate > 2 else ""
        lines.append(_line("Fillers", (", ".join(parts[:5]), style)))
    else:
        lines.append(_line("Fillers", ("none", "$text-success")))
    star = found.star
    if star.applies:
        marks: list[Content | str | tuple[str, str]] = []
        for name in ("situation", "task", "action", "result"):
            part = star.part(name)
            marks.append(
                ("✓ " if part.found else "✗ ", "$text-success" if part.found else "$text-error")
            )
            marks.append(name + " ")
        lines.append(_line("STAR", *marks))
        share = f"{round(star.action_share * 100)}% on action"
        measured = "a measured result" if star.result_measured else "no measured result"
        lines.append(_line("", (f"{share} · {measured}", "$text-muted")))
    i, we = found.pronouns
    ownership: list[Content | str | tuple[str, str]] = [f"I {i} · we {we}"]
    if found.no_personal_action and star.applies:
        ownership.append((" · never says what you did", "$text-error"))
    lines.append(_line("Ownership", *ownership))
    spec = found.specifics
    if spec.vague:
        lines.append(_line("Specifics", ("none: no number, name or time frame", "$text-warning")))
    else:
        # "two weeks" is both a figure and a time frame: say it once.
        shown = list(dict.fromkeys([*spec.numbers[:3], *spec.names[:2], *spec.time_frames[:2]]))
        lines.append(_line("Specifics", clean(", ".join(shown))))
    if found.job_terms is not None:
        used = ", ".join(found.job_terms.used[:4]) or "none"
        missing = ", ".join(found.job_terms.missing[:4]) or "none"
        lines.append(
            _line("Posting", clean(f"uses {used}"), (clean(f" · misses {missing}"), "$text-muted"))
        )
    for hit in found.red_flags:
        lines.append(
            Content.assemble(
                ("Red flag  ", "bold $text-error"),
                clean(hit.text),
                ": ",
                (_quote(hit.evidence, 40), "italic"),
            )
        )
    for hit in found.donts:
        lines.append(
            Content.assemble(
                ("Don't     ", "$text-warning"),
                clean(hit.text),
                ": ",
                (_quote(hit.evidence, 40), "italic"),
            )
        )
    rubric = found.rubric_with(ticks)
    lines.append(
        _line(
            "Rubric",
            f"{rubric.total}/{rubric.out_of} · suggests ",
            (suggestion.rating.label, RATING_STYLES[suggestion.rating]),
        )
    )
    return lines


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
        yield Static(self._body(), classes="insights-body")

    def _body(self) -> Content:
        return Content("\n").join(summary_lines(self.insights, self.suggestion, self.ticks))

    def set_ticks(self, ticks: SelfCheck | None) -> None:
        """The self-check changed: the rubric and the suggestion follow it."""
        self.ticks = ticks
        self.query_one(".insights-body", Static).update(self._body())


class CoachRow(Horizontal):
    """The coach beside the approach when there is room, above it when there is not."""

    # Below this many columns each side would be too narrow to read.
    WIDE = 100

    def on_resize(self, event: events.Resize) -> None:
        self.set_class(event.size.width < self.WIDE, "-stacked")
