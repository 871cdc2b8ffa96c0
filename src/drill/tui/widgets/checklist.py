"""A self-check: tick the dos and don'ts your answer did, and get a suggested rating.

Keyboard: up/down move, space ticks, escape leaves; a click ticks too. Enter is left to the
screen (it rates or confirms there), so it is not bound here.

Not a SelectionList: that draws its tick box on every wrapped line of a long item and maps
lines to the wrong items; deck items are often two lines long.
"""

from __future__ import annotations

import re
from typing import ClassVar

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import Static

from drill.core.model import Rating
from drill.study.mock import suggest_rating
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


class CheckItem(Horizontal):
    """One row: a tick box, then ✓ (a do) or ✗ (a don't) and the item, wrapped under itself."""

    DEFAULT_CSS = """
    CheckItem { height: auto; }
    CheckItem > .box { width: 4; color: $text-muted; }
    CheckItem.-ticked > .box { color: $text-success; text-style: bold; }
    CheckItem > .text { width: 1fr; }
    """

    class Clicked(Message):
        def __init__(self, item: CheckItem) -> None:
            super().__init__()
            self.item = item

    def __init__(self, value: Item, text: str) -> None:
        super().__init__()
        self.value = value
        self.text = text
        self.ticked = False

    @property
    def prompt(self) -> str:
        mark = "✓" if self.value[0] == "do" else "✗"
        return f"{mark} {self.text}"

    def compose(self) -> ComposeResult:
        yield Static(Content("[ ]"), classes="box")
        if self.value[0] == "do":
            mark, style = "✓ ", "bold $text-success"
        else:
            mark, style = "✗ ", "bold $text-error"
        yield Static(Content.assemble((mark, style), self.text), classes="text")

    def set_ticked(self, ticked: bool) -> None:
        self.ticked = ticked
        self.set_class(ticked, "-ticked")
        self.query_one(".box", Static).update(Content("[x]" if ticked else "[ ]"))

    def on_click(self, event: events.Click) -> None:
        event.stop()
        self.post_message(self.Clicked(self))


class ChecklistItems(Vertical, can_focus=True):
    """The rows, with a cursor shown while focused."""

    DEFAULT_CSS = """
    ChecklistItems { height: auto; }
    ChecklistItems:focus > CheckItem.-cursor {
        background: $block-cursor-background;
        color: $block-cursor-foreground;
        text-style: $block-cursor-text-style;
    }
    ChecklistItems > CheckItem:hover { background: $block-hover-background; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "move(-1)", "Up", show=False),
        Binding("down", "move(1)", "Down", show=False),
        Binding("home", "first", "First", show=False),
        Binding("end", "last", "Last", show=False),
        Binding("space", "tick", "Tick", tooltip="Tick or untick the highlighted item"),
        Binding("escape", "leave", "Done", tooltip="Leave the checklist"),
    ]

    class Changed(Message):
        """An item was ticked or unticked."""

    class Leave(Message):
        """The user is done ticking (escape)."""

    def __init__(self, items: list[tuple[Item, str]]) -> None:
        super().__init__()
        self._items = items
        self.highlighted: int | None = None

    def compose(self) -> ComposeResult:
        for value, text in self._items:
            yield CheckItem(value, text)

    @property
    def rows(self) -> list[CheckItem]:
        return list(self.query_children(CheckItem))

    @property
    def prompts(self) -> list[str]:
        return [row.prompt for row in self.rows]

    @property
    def selected(self) -> list[Item]:
        return [row.value for row in self.rows if row.ticked]

    def _move_to(self, index: int | None) -> None:
        rows = self.rows
        index = max(0, min(index, len(rows) - 1)) if index is not None and rows else None
        self.highlighted = index
        for number, row in enumerate(rows):
            row.set_class(number == index, "-cursor")
        if index is not None:
            rows[index].scroll_visible(animate=False)

    def on_focus(self) -> None:
        if self.highlighted is None:
            self._move_to(0)

    def on_blur(self) -> None:
        # A cursor on a list you are not in reads as a tick; hide it until you return.
        self._move_to(None)

    def action_move(self, step: int) -> None:
        self._move_to(0 if self.highlighted is None else self.highlighted + step)

    def action_first(self) -> None:
        self._move_to(0)

    def action_last(self) -> None:
        self._move_to(len(self.rows) - 1)

    def action_tick(self) -> None:
        if self.highlighted is not None:
            self._toggle(self.rows[self.highlighted])

    def action_leave(self) -> None:
        self.post_message(self.Leave())

    def _toggle(self, row: CheckItem) -> None:
        row.set_ticked(not row.ticked)
        self.post_message(self.Changed())

    def on_check_item_clicked(self, message: CheckItem.Clicked) -> None:
        message.stop()
        self.focus()
        self._move_to(self.rows.index(message.item))
        self._toggle(message.item)


class Checklist(Vertical):
    """The question's dos and don'ts as ticks, with the rating they suggest.

    `in_time` is whether a timed answer kept to its limit (None: untimed, so never Easy).
    With `always_suggest` the suggestion shows from the start (the mock review); otherwise
    only after the first tick, since the checklist is optional in normal review. Without
    `inline_suggestion` the screen shows the suggestion itself (from `Changed`).
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
        inline_suggestion: bool = True,
        hint: str = "Tick what your answer did: c to start, space ticks.",
        inside_hint: str = "Tick what your answer did: up/down move, space ticks, esc leaves.",
        id: str | None = None,
    ) -> None:
        super().__init__(id=id, classes="checklist")
        self.dos = dos
        self.donts = donts
        self.in_time = in_time
        self.always_suggest = always_suggest
        self.inline_suggestion = inline_suggestion
        self.touched = False
        self._hint = hint
        # Shown while the items have focus: "c to start" would then be wrong.
        self._inside_hint = inside_hint

    def compose(self) -> ComposeResult:
        yield Static(Content("Self-check"), classes="section-title")
        if self._hint:
            yield Static(Content(self._hint), classes="answer-meta")
        items: list[tuple[Item, str]] = [
            (("do", index), item_text(text)) for index, text in enumerate(self.dos)
        ]
        items += [(("dont", index), item_text(text)) for index, text in enumerate(self.donts)]
        yield ChecklistItems(items)
        yield Static(classes="suggestion")

    def on_mount(self) -> None:
        self._show_suggestion()

    def _show_hint(self, inside: bool) -> None:
        if self._hint:
            hint = self._inside_hint if inside else self._hint
            self.query_one(".answer-meta", Static).update(Content(hint))

    def on_descendant_focus(self, _: events.DescendantFocus) -> None:
        self._show_hint(True)

    def on_descendant_blur(self, _: events.DescendantBlur) -> None:
        self._show_hint(False)

    @property
    def items(self) -> ChecklistItems:
        return self.query_one(ChecklistItems)

    @property
    def ticked(self) -> list[Item]:
        # Bindings are checked while a screen swaps cards, when the rows may be gone already.
        found = self.query(ChecklistItems)
        return found.first().selected if found else []

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
        hidden = not self.inline_suggestion or not (self.touched or self.always_suggest)
        if suggestion is None or hidden:
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

    def on_checklist_items_changed(self, event: ChecklistItems.Changed) -> None:
        event.stop()
        self.touched = True
        self._show_suggestion()
        self.post_message(self.Changed(self, self.suggestion))
