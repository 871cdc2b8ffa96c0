"""A self-check: tick the dos and don'ts your answer did, and get a suggested rating.

Keyboard: up/down move, space ticks, escape leaves; a click ticks too. Enter is left to the
screen (it rates or confirms there), so it is not bound here.
"""

from __future__ import annotations

import re
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import SelectionList, Static
from textual.widgets.selection_list import Selection

from drill.mock import suggest_rating
from drill.model import Rating
from drill.tui.text import clean

# Inline Markdown in deck items (emphasis, code) would show its markers in a plain list.
_INLINE = re.compile(r"(\*\*|__|\*|`)(\S(?:.*?\S)?)\1")

RATING_STYLES = {
    Rating.AGAIN: "bold $text-error",
    Rating.HARD: "bold $text-warning",
    Rating.GOOD: "bold $text-success",
    Rating.EASY: "bold $text-primary",
}

Item = tuple[str, int]  # ("do" or "dont", index in the question's list)


def item_text(text: str) -> str:
    """A deck item on one line, inline Markdown markers dropped."""
    return _INLINE.sub(r"\2", " ".join(clean(text).split()))


class ChecklistItems(SelectionList[Item], inherit_bindings=False):
    """The list itself; enter and the option list's other keys stay with the screen."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "cursor_up", "Up", show=False),
        Binding("down", "cursor_down", "Down", show=False),
        Binding("home", "first", "First", show=False),
        Binding("end", "last", "Last", show=False),
        Binding("pageup", "page_up", "Page up", show=False),
        Binding("pagedown", "page_down", "Page down", show=False),
        Binding("space", "select", "Tick", tooltip="Tick or untick the highlighted item"),
        Binding("escape", "leave", "Done", tooltip="Leave the checklist"),
    ]

    class Leave(Message):
        """The user is done ticking (escape)."""

    def action_leave(self) -> None:
        self.post_message(self.Leave())

    def on_focus(self) -> None:
        if self.highlighted is None and self.option_count:
            self.highlighted = 0

    def on_blur(self) -> None:
        # A highlight on a list you are not in reads as a tick; hide it until you return.
        self.highlighted = None


class Checklist(Vertical):
    """The question's dos and don'ts as ticks, with the rating they suggest.

    `in_time` is whether a timed answer kept to its limit (None: untimed, so never Easy).
    With `always_suggest` the suggestion shows from the start (the mock review); otherwise
    only after the first tick, since the checklist is optional in normal review.
    """

    class Changed(Message):
        """A tick changed; `suggestion` is the rating the ticks now point to."""

        def __init__(self, checklist: Checklist, suggestion: Rating | None) -> None:
            super().__init__()
            self.checklist = checklist
            self.suggestion = suggestion

        @property
        def control(self) -> Checklist:
            return self.checklist

    def __init__(
        self,
        dos: list[str],
        donts: list[str],
        *,
        in_time: bool | None = None,
        always_suggest: bool = False,
        hint: str = "Tick what your answer did: c to start, space ticks.",
        id: str | None = None,
    ) -> None:
        super().__init__(id=id, classes="checklist")
        self.dos = dos
        self.donts = donts
        self.in_time = in_time
        self.always_suggest = always_suggest
        self.touched = False
        self._hint = hint

    def compose(self) -> ComposeResult:
        yield Static(Content("Self-check"), classes="section-title")
        if self._hint:
            yield Static(Content(self._hint), classes="answer-meta")
        selections: list[Selection[Item]] = []
        for index, text in enumerate(self.dos):
            prompt = Content.assemble(("✓ ", "bold $text-success"), item_text(text))
            selections.append(Selection(prompt, ("do", index)))
        for index, text in enumerate(self.donts):
            prompt = Content.assemble(("✗ ", "bold $text-error"), item_text(text))
            selections.append(Selection(prompt, ("dont", index)))
        yield ChecklistItems(*selections, compact=True)
        yield Static(classes="suggestion")

    def on_mount(self) -> None:
        self.query_one(ChecklistItems).highlighted = None
        self._show_suggestion()

    @property
    def items(self) -> ChecklistItems:
        return self.query_one(ChecklistItems)

    @property
    def ticked(self) -> list[Item]:
        return list(self.items.selected)

    @property
    def suggestion(self) -> Rating | None:
        ticked = self.ticked
        dos = sum(1 for kind, _ in ticked if kind == "do")
        donts = len(ticked) - dos
        return suggest_rating(dos, len(self.dos), donts, len(self.donts), in_time=self.in_time)

    def focus_items(self) -> None:
        self.items.focus()

    def _show_suggestion(self) -> None:
        suggestion = self.suggestion
        line = self.query_one(".suggestion", Static)
        if suggestion is None or not (self.touched or self.always_suggest):
            line.update(Content(""))
            line.display = False
            return
        line.display = True
        line.update(
            Content.assemble(
                ("Suggested: ", "$text-muted"),
                (f"{int(suggestion)} {suggestion.label}", RATING_STYLES[suggestion]),
            )
        )

    def on_selection_list_selected_changed(
        self, event: SelectionList.SelectedChanged[Item]
    ) -> None:
        event.stop()
        self.touched = True
        self._show_suggestion()
        self.post_message(self.Changed(self, self.suggestion))
