"""Jobs: every job target with its countdown and readiness; open one, add one by pasting."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from drill.library.jobs import JobSummary, list_jobs
from drill.tui.context import Context
from drill.tui.guard import guarded
from drill.tui.text import cell, countdown

# (header, width) of the figure columns; the job's name takes what is left.
COLUMNS = (("Interview", 11), ("Rehearsed", 9), ("Answers", 8), ("Terms", 6))


def _fraction(done: int, total: int) -> Text:
    return Text(f"{done}/{total}", justify="right", style="" if done else "dim")


class JobsScreen(Screen[None]):
    """The jobs, soonest interview first; enter opens one, `a` adds one from a paste."""

    TITLE = "Jobs"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open", "Open", tooltip="Open the job: requirements, gaps, questions"),
        Binding("a", "add", "Add", tooltip="Add a job: paste its posting"),
        Binding("r", "review", "Review", tooltip="Review the selected job's questions"),
        Binding("m", "mock", "Mock", tooltip="A mock interview on the selected job"),
        Binding("escape,q", "back", "Back", key_display="esc", tooltip="Back to the home screen"),
    ]

    def __init__(self, ctx: Context) -> None:
        super().__init__()
        self.ctx = ctx
        self._jobs: list[JobSummary] = []
        self._built_width = 0

    def compose(self) -> ComposeResult:
        yield Static(id="jobs-title")
        yield DataTable(id="jobs-table", cursor_type="row")
        yield Static(id="jobs-status")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.query_one("#jobs-title", Static).update(
            Content.assemble(("drill", "bold"), "  jobs · countdown and readiness")
        )
        self.query_one(DataTable).focus()

    def on_screen_resume(self) -> None:
        # Also on the way back from a job, a review or a mock: the figures have moved.
        self._load()

    def on_resize(self, _: events.Resize) -> None:
        if self._job_width() != self._built_width:
            self._fill()

    def _job_width(self) -> int:
        fixed = sum(width for _, width in COLUMNS) + 2 * (len(COLUMNS) + 1) + 2
        return max(12, self.size.width - fixed)

    def _load(self) -> None:
        self._jobs = guarded(self, lambda: list_jobs(self.ctx.db, self.ctx.now())) or []
        self._fill()

    def _fill(self) -> None:
        table = self.query_one(DataTable)
        selected = self.selected
        table.clear(columns=True)
        self._built_width = self._job_width()
        table.add_column("Job", width=self._built_width, key="job")
        for header, width in COLUMNS:
            table.add_column(Text(header, justify="right"), width=width, key=header)
        for job in self._jobs:
            r = job.readiness
            name = job.title + (f" · {job.company}" if job.company else "")
            table.add_row(
                cell(name),
                cell(countdown(job), "" if job.interview else "dim", justify="right"),
                _fraction(r.rehearsed, r.questions),
                _fraction(r.answered, r.questions),
                _fraction(r.terms_covered, r.terms),
                key=str(job.id),
            )
        if selected is not None:
            ids = [job.id for job in self._jobs]
            if selected.id in ids:
                table.move_cursor(row=ids.index(selected.id))
        status = self.query_one("#jobs-status", Static)
        if self._jobs:
            status.update(
                Content(
                    "Rehearsed and Answers count the set's questions; Terms, the posting's "
                    "key terms your answers use."
                )
            )
        else:
            status.update(
                Content.assemble(
                    "No jobs yet. Press ",
                    ("a", "bold reverse"),
                    " to paste a posting, or: drill job add POSTING-FILE",
                )
            )
        self.refresh_bindings()

    @property
    def selected(self) -> JobSummary | None:
        table = self.query_one(DataTable)
        if not self._jobs or table.cursor_row < 0 or table.cursor_row >= len(self._jobs):
            return None
        return self._jobs[table.cursor_row]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("open", "review", "mock"):
            return bool(self._jobs)
        return True

    # -- actions ---------------------------------------------------------------------------------
    def on_data_table_row_selected(self, _: DataTable.RowSelected) -> None:
        self.action_open()

    def action_open(self) -> None:
        from drill.tui.screens.job import JobScreen

        job = self.selected
        if job is not None:
            self.app.push_screen(JobScreen(self.ctx, job.id))

    def action_add(self) -> None:
        from drill.tui.screens.add_job import AddJobScreen

        def added(job_id: int | None) -> None:
            if job_id is None:
                return
            from drill.tui.screens.job import JobScreen

            self.app.push_screen(JobScreen(self.ctx, job_id))

        self.app.push_screen(AddJobScreen(self.ctx), added)

    def action_review(self) -> None:
        from drill.tui.screens.job import start_review

        job = self.selected
        if job is not None:
            start_review(self, self.ctx, job.id)

    def action_mock(self) -> None:
        from drill.tui.screens.job import start_mock

        job = self.selected
        if job is not None:
            start_mock(self, self.ctx, job.id)

    def action_back(self) -> None:
        self.app.pop_screen()
