"""A modal to add a job by pasting its posting: the text, an optional title and date."""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Footer, Input, Static, TextArea

from drill.core.format import plural
from drill.core.sanitize import terminal_text
from drill.errors import DrillError
from drill.io.postings import decode_posting
from drill.library.jobs import add_job
from drill.tui.context import Context


class AddJobScreen(ModalScreen[int | None]):
    """Paste a posting; ctrl+s analyses and stores it (dismissing with the job's id), escape
    cancels. A posting drill cannot use is explained here and nothing is stored.
    """

    TITLE = "Add a job"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "add", "Add", tooltip="Analyse the posting and store the job"),
        Binding("escape", "cancel", "Cancel", tooltip="Close without adding a job"),
    ]

    def __init__(self, ctx: Context) -> None:
        super().__init__()
        self.ctx = ctx

    def compose(self) -> ComposeResult:
        with Vertical(id="add-job-box"):
            yield TextArea(
                id="add-job-posting",
                soft_wrap=True,
                placeholder="Paste the job posting here (text, Markdown or HTML).",
            )
            yield Input(
                placeholder="Title (optional: the posting's first line)", id="add-job-title"
            )
            yield Input(placeholder="Interview date, YYYY-MM-DD (optional)", id="add-job-date")
            yield Static(id="add-job-error")
            yield Static(Content("ctrl+s add · tab next field · escape cancel"), id="add-job-help")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.query_one("#add-job-box").border_title = "Add a job: paste its posting"
        area = self.query_one(TextArea)
        area.cursor_blink = self.ctx.live
        for field in self.query(Input):
            field.cursor_blink = self.ctx.live
        area.focus()

    def _error(self, message: str) -> None:
        # Posting text may be in the message: shown literally, never as markup.
        self.query_one("#add-job-error", Static).update(Content(terminal_text(message)))

    def action_add(self) -> None:
        text = self.query_one(TextArea).text
        title = self.query_one("#add-job-title", Input).value.strip() or None
        when = self.query_one("#add-job-date", Input).value.strip()
        interview = None
        if when:
            try:
                interview = date.fromisoformat(when)
            except ValueError:
                self._error(f"'{when}' is not a date: use YYYY-MM-DD, or leave it empty.")
                return
        try:
            clean = decode_posting(text.encode("utf-8"), "the posting")
            detail = add_job(
                self.ctx.db,
                clean,
                self.ctx.now(),
                name="the posting",
                title=title,
                interview=interview,
            )
        except DrillError as exc:
            self._error(str(exc))
            return
        self.notify(
            f"{plural(len(detail.questions), 'question')} in its set, "
            f"{plural(len(detail.gaps), 'gap')}.",
            title="Job added",
        )
        self.dismiss(detail.id)

    def action_cancel(self) -> None:
        self.dismiss(None)
