"""Pick one of your stories: to start an answer from it, or to link it to a question."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from drill.study.stories import StoryChoice
from drill.tui.text import clean


class StoryPicker(ModalScreen[str | None]):
    """Dismisses with the chosen story's id, or None (escape)."""

    TITLE = "Your stories"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", tooltip="Close without choosing"),
    ]

    def __init__(self, title: str, choices: list[StoryChoice], *, hint: str = "") -> None:
        super().__init__()
        self._title = title
        self._choices = choices
        self._hint = hint

    def compose(self) -> ComposeResult:
        with Vertical(id="picker-box"):
            if self._hint:
                yield Static(Content(self._hint), classes="answer-meta")
            if not self._choices:
                yield Static(
                    Content('No stories yet: add one with `drill story add "Title" --edit`.'),
                    classes="answer-hint",
                )
            options = []
            for choice in self._choices:
                story = choice.story
                mark = "✓ " if choice.linked else ("· " if choice.suggested else "  ")
                note = " (linked)" if choice.linked else (" (fits)" if choice.suggested else "")
                words = len(story.text.split())
                options.append(
                    Option(
                        Content.assemble(
                            (mark, "bold $text-success" if choice.linked else "$text-muted"),
                            clean(story.title),
                            (f"{note} · {words} words", "$text-muted"),
                        ),
                        id=story.id,
                    )
                )
            yield OptionList(*options, id="picker-list")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.query_one("#picker-box").border_title = self._title
        self.query_one(OptionList).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)
