"""Stats: reviews per day, the forecast, true retention per week, stability, and each deck."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Container, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from drill.core.format import duration, percent, plural
from drill.progress import fit, stats
from drill.progress.report.tables import answers_line, interview_line
from drill.progress.stats import Figures, Stats
from drill.tui.context import Context
from drill.tui.guard import guarded
from drill.tui.text import cell, clean
from drill.tui.widgets.charts import ForecastChart, RetentionChart, ReviewsChart, StabilityChart

HISTORY_DAYS = 84  # twelve weeks, as the home screen's calendar
FORECAST_DAYS = 30
WEEKS = 12
# Two charts side by side from this width on; below it they stack and the page scrolls.
WIDE = 110
# (header, width) of the deck table's number columns; the name takes what is left.
DECK_COLUMNS = (
    ("Questions", 9),
    ("Mastered", 8),
    ("Reviews", 8),
    ("Retention", 9),
    ("Due 7d", 6),
)


def _number(value: int) -> Text:
    return Text(f"{value:,}", justify="right", style="" if value else "dim")


class StatsScreen(Screen[None]):
    """Every figure of `drill stats`, as charts and a table; scrolls when the window is small."""

    TITLE = "Stats"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "h",
            "leech_help",
            "Leech help",
            tooltip="The coach's help for the highlighted leech (enter on it, too)",
        ),
        Binding("escape,q", "back", "Back", key_display="esc", tooltip="Back to the home screen"),
    ]

    def __init__(self, ctx: Context) -> None:
        super().__init__()
        self.ctx = ctx
        self.data: Stats | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="stats-title")
        with VerticalScroll(id="stats-scroll", can_focus=True):
            yield Static(id="stats-figures")
            leeches: DataTable[object] = DataTable(id="stats-leeches", cursor_type="row")
            leeches.display = False
            yield leeches
            with Container(id="charts"):
                yield ReviewsChart(id="chart-reviews")
                yield ForecastChart(id="chart-forecast")
                yield RetentionChart(id="chart-retention")
                yield StabilityChart(id="chart-stability")
            table: DataTable[object] = DataTable(id="stats-decks", cursor_type="none")
            table.can_focus = False  # the page scrolls; the table has nothing to select
            yield table
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        # One grouped query per kind of figure, however many decks (see `stats.collect`).
        data = guarded(
            self,
            lambda: stats.collect(
                self.ctx.db,
                self.ctx.now(),
                days=HISTORY_DAYS,
                forecast_days=FORECAST_DAYS,
                weeks=WEEKS,
            ),
        )
        if data is None:
            return
        self.data = data
        self._show(self.data)
        self.refresh_bindings()
        # With leeches, the list of them takes the keys (enter helps); else the page scrolls.
        focus = "#stats-leeches" if self.data.leeches else "#stats-scroll"
        self.query_one(focus).focus()

    def on_resize(self, event: events.Resize) -> None:
        self.query_one("#charts").set_class(event.size.width >= WIDE, "-wide")
        self._fill_decks()

    def _show(self, data: Stats) -> None:
        f = data.figures
        self.query_one("#stats-title", Static).update(
            Content.assemble(
                ("drill", "bold"),
                "  statistics · all decks · study day ",
                data.study_day.isoformat(),
            )
        )
        self.query_one("#stats-figures", Static).update(self._figures(f))
        # Fitted to the data: a new user's few days fill the charts.
        self.query_one(ReviewsChart).set_days(fit.history(f.heatmap, whole_weeks=True))
        self.query_one(ForecastChart).set_days(fit.forecast(f.forecast))
        self.query_one(RetentionChart).set_weeks(
            [(w.week, w.to_json()["retention"]) for w in fit.weeks(f.weekly_retention, f.heatmap)]
        )
        self.query_one(StabilityChart).set_buckets([(b.label, b.cards) for b in f.stability])
        self._fill_decks()
        self._fill_leeches(data)

    def _fill_leeches(self, data: Stats) -> None:
        table = self.query_one("#stats-leeches", DataTable)
        table.clear(columns=True)
        table.display = bool(data.leeches)
        if not data.leeches:
            return
        count = len(data.leeches)
        table.border_title = f"Leeches: {plural(count, 'question')} you keep failing"
        table.border_subtitle = "enter: the coach can help"
        table.add_column(Text("Lapses", justify="right"), width=6, key="lapses")
        table.add_column("Question", key="question")
        for leech in data.leeches:
            note = " (suspended)" if leech.suspended else ""
            table.add_row(
                Text(f"{leech.lapses}", justify="right"),
                cell(leech.question + note),
                key=f"{leech.deck_id}/{leech.question_id}",
            )

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if event.data_table.id == "stats-leeches":
            self._help(str(event.row_key.value))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "leech_help":
            return bool(self.data and self.data.leeches)
        return True

    def action_leech_help(self) -> None:
        table = self.query_one("#stats-leeches", DataTable)
        if table.row_count:
            row_key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
            self._help(str(row_key.value))

    def _help(self, ref: str) -> None:
        from drill.tui.coach_actions import leech_help

        if self.data is None:
            return
        leech = next((lc for lc in self.data.leeches if lc.ref == ref), None)
        if leech is not None:
            leech_help(self, self.ctx, leech.deck_id, leech.question_id, lapses=leech.lapses)

    @staticmethod
    def _figures(f: Figures) -> Content:
        today, ret = f.today, f.true_retention

        def line(label: str, *parts: str) -> Content:
            return Content.assemble(
                (f"{label:<11}", "$text-muted"),
                Content(" · ").stylize("$text-muted").join(Content(p) for p in parts),
            )

        return Content("\n").join(
            [
                line(
                    "Reviews",
                    f"{f.total_reviews:,} in all",
                    f"{today.reviewed:,} today ({duration(today.time_ms)})",
                    f"streak {plural(f.streak_days, 'day')}",
                ),
                line(
                    "Retention",
                    f"{percent(ret.last_7d)} last 7 days",
                    f"{percent(ret.last_30d)} last 30 days",
                    f"{percent(ret.all)} in all",
                ),
                line(
                    "Memory",
                    f"{percent(f.mean_retrievability)} mean recall now",
                    f"{f.mastered_questions:,} of {f.questions:,} questions mastered",
                ),
                line("Answers", answers_line(f)),
                *(
                    [
                        line(
                            "Interview",
                            *clean(interview_line(f.interview, labelled=True)).split(" · "),
                        )
                    ]
                    if f.interview
                    else []
                ),
            ]
        )

    def _fill_decks(self) -> None:
        if self.data is None:
            return
        table = self.query_one("#stats-decks", DataTable)
        table.border_title = "Decks"
        # What the columns mean, where there is room for it.
        table.border_subtitle = (
            "retention: not Again, last 30 days · mastered: every card stable 21+ days"
            if self.size.width >= 84
            else ""
        )
        table.clear(columns=True)
        numbers = sum(width + 2 for _, width in DECK_COLUMNS)
        # Borders, the name column's padding and room for a scrollbar.
        name_width = max(10, self.size.width - numbers - 6)
        table.add_column("Deck", width=name_width, key="name")
        for header, width in DECK_COLUMNS:
            table.add_column(Text(header, justify="right"), width=width, key=header)
        decks = self.data.decks
        for deck in decks:
            table.add_row(*self._deck_cells(deck.figures, cell(deck.name)), key=deck.id)
        if len(decks) > 1:
            table.add_row(*self._deck_cells(self.data.figures, Text("All decks", style="bold")))
        if not decks:
            table.add_row(Text("No decks yet.", style="dim italic"), *([""] * len(DECK_COLUMNS)))

    @staticmethod
    def _deck_cells(figures: Figures, name: Text) -> list[Text]:
        retention = figures.true_retention.last_30d
        return [
            name,
            _number(figures.questions),
            _number(figures.mastered_questions),
            _number(figures.total_reviews),
            Text(percent(retention), justify="right", style="" if retention is not None else "dim"),
            _number(figures.due_next_7_days),
        ]

    def action_back(self) -> None:
        self.app.pop_screen()
