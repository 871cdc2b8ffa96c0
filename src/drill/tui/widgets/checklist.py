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

from drill.core.coach.dos import judgeable
from drill.core.coach.insights import Insights
from drill.core.coach.rubric import SelfCheck
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

# ("do", "dont" or "flag", index in the question's list), or ("general", index in the
# insights' red flags) for a flag the coach looks for on every question.
Item = tuple[str, int]
# How much of the answer's words a found item quotes before "…".
EVIDENCE = 48


def _found(evidence: str) -> str:
    flat = " ".join(clean(evidence).split())
    if not flat:
        return "found in your answer"
    if len(flat) > EVIDENCE:
        flat = flat[: EVIDENCE - 1].rsplit(" ", 1)[0] + "…"
    return f"found in your answer: “{flat}”"


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
    CheckItem.-uncounted > .text { color: $text-muted; }
    """

    class Clicked(Message):
        def __init__(self, item: CheckItem) -> None:
            super().__init__()
            self.item = item

    def __init__(self, value: Item, text: str, *, note: str = "", counted: bool = True) -> None:
        super().__init__()
        self.value = value
        self.text = text
        self.note = note  # "found in your answer", "can't be heard in an answer"
        self.counted = counted
        self.ticked = False
        self.set_class(not counted, "-uncounted")

    @property
    def prompt(self) -> str:
        mark = {"do": "✓", "dont": "✗", "flag": "!", "general": "!"}[self.value[0]]
        return f"{mark} {self.text}"

    def compose(self) -> ComposeResult:
        yield Static(Content("[ ]"), classes="box")
        mark, style = {
            "do": ("✓ ", "bold $text-success"),
            "dont": ("✗ ", "bold $text-error"),
            "flag": ("! ", "bold $text-error"),
            "general": ("! ", "bold $text-error"),
        }[self.value[0]]
        note = ("  " + self.note, "italic $text-muted") if self.note else ""
        yield Static(Content.assemble((mark, style), self.text, note), classes="text")

    def on_mount(self) -> None:
        if self.ticked:
            self.set_ticked(True)  # pre-ticked (found in the answer) before its box existed

    def set_ticked(self, ticked: bool) -> None:
        self.ticked = ticked
        self.set_class(ticked, "-ticked")
        boxes = self.query(".box")
        if boxes:
            boxes.first(Static).update(Content("[x]" if ticked else "[ ]"))

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

    def __init__(self, items: list[CheckItem]) -> None:
        super().__init__()
        self._items = items
        self.highlighted: int | None = None

    def compose(self) -> ComposeResult:
        yield from self._items

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
    """The question's dos, don'ts and red flags as ticks, with the rating they suggest.

    `in_time` is whether a timed answer kept to its limit (None: untimed, so never Easy).
    With `insights` (the coach's reading of a typed answer) what the answer shows starts
    ticked, marked "found", and the suggestion is the coach's (rubric and ticks together);
    without, it is the self-check rule. Dos that cannot be heard in an answer ("research the
    company") are shown dimmed and never count. With `always_suggest` the suggestion shows
    from the start (the mock review, or with insights); otherwise only after the first tick.
    Without `inline_suggestion` the screen shows the suggestion itself (from `Changed`).
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
        red_flags: list[str] | None = None,
        insights: Insights | None = None,
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
        self.red_flags = list(red_flags or [])
        self.insights = insights
        self.in_time = in_time
        self.always_suggest = always_suggest or insights is not None
        self.inline_suggestion = inline_suggestion
        self.touched = False
        self._hint = hint
        self._judged = [i for i, item in enumerate(dos) if judgeable(item)]
        # Shown while the items have focus: "c to start" would then be wrong.
        self._inside_hint = inside_hint

    def compose(self) -> ComposeResult:
        yield Static(Content("Self-check"), classes="section-title")
        if self._hint:
            yield Static(Content(self._hint), classes="answer-meta")
        found = self.insights.auto_ticks() if self.insights is not None else SelfCheck()
        evidence = self._evidence()
        rows: list[CheckItem] = []
        for index, text in enumerate(self.dos):
            counted = index in self._judged
            note = evidence.get(("do", index), "")
            if not counted:
                note = "can't be heard in an answer"
            rows.append(CheckItem(("do", index), item_text(text), note=note, counted=counted))
        for index, text in enumerate(self.donts):
            note = evidence.get(("dont", index), "")
            rows.append(CheckItem(("dont", index), item_text(text), note=note))
        for index, text in enumerate(self.red_flags):
            note = evidence.get(("flag", index), "")
            # The whole item: its quoted phrases are what to listen for in your answer.
            rows.append(CheckItem(("flag", index), item_text(f"Red flag: {text}"), note=note))
        # A flag the coach looks for on every question (contempt for people), when found:
        # listed like the deck's own, so a wrong find can be unticked.
        for index, hit in enumerate(self.insights.red_flags if self.insights else ()):
            if hit.index is None:
                note = evidence[("general", index)]
                rows.append(
                    CheckItem(("general", index), item_text(f"Red flag: {hit.text}"), note=note)
                )
        for row in rows:
            kind, index = row.value
            row.ticked = kind == "general" or (
                index in {"do": found.dos, "dont": found.donts, "flag": found.red_flags}[kind]
            )
        yield ChecklistItems(rows)
        yield Static(classes="suggestion")

    def _evidence(self) -> dict[Item, str]:
        """ "found in your answer: “...”" for each item the coach found, with its words."""
        if self.insights is None:
            return {}
        out: dict[Item, str] = {}
        for index, check in enumerate(self.insights.dos):
            if check.covered:
                out[("do", index)] = _found(check.evidence)
        for hit in self.insights.donts:
            if hit.index is not None:
                out[("dont", hit.index)] = _found(hit.evidence)
        for index, hit in enumerate(self.insights.red_flags):
            key: Item = ("flag", hit.index) if hit.index is not None else ("general", index)
            out[key] = _found(hit.evidence)
        return out

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
    def ticks(self) -> SelfCheck:
        ticked = self.ticked
        flags = self.insights.red_flags if self.insights is not None else ()
        return SelfCheck(
            dos=frozenset(i for kind, i in ticked if kind == "do"),
            donts=frozenset(i for kind, i in ticked if kind == "dont"),
            red_flags=frozenset(i for kind, i in ticked if kind == "flag"),
            general=frozenset(flags[i].key for kind, i in ticked if kind == "general"),
        )

    @property
    def suggestion(self) -> Rating | None:
        ticks = self.ticks
        if self.insights is not None:
            return self.insights.suggestion(ticks, in_time=self.in_time).rating
        if ticks.red_flags or ticks.general:
            return Rating.AGAIN
        ruled = suggest_rating(
            len(ticks.dos & set(self._judged)),
            len(self._judged),
            len(ticks.donts),
            len(self.donts),
            in_time=self.in_time,
        )
        if ruled is None and self.red_flags:
            return Rating.GOOD  # only red flags to check, and none ticked
        return ruled

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
