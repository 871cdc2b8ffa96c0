"""A modal editor for the user's answer to a question (saved by the caller)."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Footer, Static, TextArea

from drill.tui.text import clean, plain


class AnswerEditor(ModalScreen[str | None]):
    """Edit an answer in a TextArea; dismisses with the text (ctrl+s) or None (escape)."""

    TITLE = "Edit answer"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", tooltip="Save as a new version of your answer"),
        Binding("escape", "cancel", "Cancel", tooltip="Close without saving"),
    ]

    def __init__(self, question: str, text: str = "", *, blink: bool = True) -> None:
        super().__init__()
        self._blink = blink
        self._question = question
        self._text = text

    def compose(self) -> ComposeResult:
        with Vertical(id="editor-box"):
            yield Static(plain(self._question), id="editor-question")
            yield TextArea(
                clean(self._text),
                id="editor",
                soft_wrap=True,
                placeholder="Write your answer as you would say it.",
            )
            yield Static(
                Content("ctrl+s save · escape cancel · every save keeps the old versions"),
                id="editor-help",
            )
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.query_one("#editor-box").border_title = "Your answer"
        editor = self.query_one(TextArea)
        editor.cursor_blink = self._blink
        editor.focus()
        editor.move_cursor(editor.document.end)

    def action_save(self) -> None:
        self.dismiss(self.query_one(TextArea).text)

    def action_cancel(self) -> None:
        self.dismiss(None)
