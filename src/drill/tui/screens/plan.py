"""The plan: the verdict, minutes per day against the budget, and the days in figures."""

from __future__ import annotations

from datetime import timedelta
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from drill.core.format import interval, short_date
from drill.core.model import CardKind
from drill.study import plan as planning
from drill.tui.context import Context
from drill.tui.planning import run_plan
from drill.tui.widgets.charts import PlanChart


class PlanScreen(Screen[None]):
    """The prep plan from today to the interview (or two weeks), simulated on your cards."""

    TITLE = "Plan"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "back", "Back", key_display="esc", tooltip="Back to the home screen"),
        Binding("w", "welcome", "Setup", tooltip="Change the decks, the date or the minutes"),
    ]

    def __init__(self, ctx: Context) -> None:
        super().__init__()
        self.ctx = ctx
        self.plan: planning.Plan | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="plan-title")
        with VerticalScroll(id="plan-scroll", can_focus=True):
            yield Static("Working out the plan…", id="plan-verdict")
            yield PlanChart(id="plan-chart")
            yield Static(id="plan-figures")
            table: DataTable[object] = DataTable(id="plan-days", cursor_type="none")
            table.can_focus = False  # the page scrolls; the table has nothing to select
            yield table
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.query_one("#plan-scroll").focus()
        self._load()

    def on_screen_resume(self) -> None:
        if self.plan is not None:  # back from the setup: the choices may have changed
            self._load()

    def _load(self) -> None:
        prepared = planning.prepare(self.ctx.db, self.ctx.now())
        run_plan(self, self.ctx, prepared, self._show)

    def _show(self, plan: planning.Plan) -> None:
        self.plan = plan
        head = [f"{plan.daily_minutes} min a day" if plan.daily_minutes else "no daily budget"]
        if plan.interview is not None:
            head.append(f"interview {plan.interview:%a} {short_date(plan.interview)}")
        head.append(f"{plan.questions_total} questions")
        self.query_one("#plan-title", Static).update(
            Content.assemble(("drill", "bold"), "  plan · ", " · ".join(head))
        )
        self.query_one("#plan-verdict", Static).update(Content(plan.verdict).stylize("bold"))
        self.query_one(PlanChart).set_days(
            [(day.date, day.minutes) for day in plan.days], plan.daily_minutes
        )
        self.query_one("#plan-figures", Static).update(self._figures(plan))
        table = self.query_one("#plan-days", DataTable)
        table.clear(columns=True)
        table.add_column("Day", width=11)
        for header in ("Minutes", "Reviews", "New"):
            table.add_column(Text(header, justify="right"), width=8)
        for day in plan.days:
            table.add_row(
                f"{day.date:%a} {short_date(day.date)}",
                Text(f"{day.minutes:.0f}", justify="right"),
                Text(str(day.reviews), justify="right"),
                Text(
                    str(day.new_questions),
                    justify="right",
                    style="" if day.new_questions else "dim",
                ),
            )
        table.border_title = "Day by day"

    @staticmethod
    def _figures(plan: planning.Plan) -> Content:
        by = f"by {short_date(plan.interview)}" if plan.interview else f"in {len(plan.days)} days"
        lines = [
            (
                "Questions",
                f"{plan.questions_total} in all · {plan.questions_seen} rehearsed {by} · "
                f"{plan.questions_twice} twice",
            )
        ]
        if plan.minutes_needed is not None:
            lines.append(("Budget", f"{plan.minutes_needed} min a day covers every question"))
        if plan.all_seen_on is not None and plan.interview is None:
            lines.append(("All seen", f"by {plan.all_seen_on:%a} {short_date(plan.all_seen_on)}"))
        times = plan.estimates
        lines.append(
            (
                "Card times",
                " · ".join(
                    f"{kind.value} {interval(timedelta(seconds=times.of(kind)))}"
                    + ("" if kind in times.measured else " (default)")
                    for kind in CardKind
                ),
            )
        )
        return Content("\n").join(
            Content.assemble((f"{label:<11}", "$text-muted"), text) for label, text in lines
        )

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_welcome(self) -> None:
        from drill.tui.screens.welcome import WelcomeScreen

        self.app.push_screen(WelcomeScreen(self.ctx))
