"""What to do about a leech: rewrite the answer from the approach, link a story, practise it."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from drill.tui.text import plain

CHOICES = (
    ("rewrite", "Rewrite your answer, starting from the approach"),
    ("story", "Link a story to it"),
    ("practise", "Practise it now: a one-question mock"),
)


class LeechHelp(ModalScreen[str | None]):
    """Dismisses with "rewrite", "story" or "practise", or None (escape)."""

    TITLE = "Leech"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", tooltip="Close"),
    ]

    def __init__(self, question: str, lapses: int) -> None:
        super().__init__()
        self._question = question
        self._lapses = lapses

    def compose(self) -> ComposeResult:
        with Vertical(id="leech-box"):
            yield Static(plain(self._question), classes="back-question")
            yield Static(
                Content(
                    f"You have failed this one {self._lapses} times. A different way in usually "
                    "helps more than another repetition:"
                ),
                classes="answer-meta",
            )
            yield OptionList(*(Option(Content(text), id=key) for key, text in CHOICES))
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.query_one("#leech-box").border_title = "The coach can help"
        self.query_one(OptionList).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)
