"""A list of questions in columns, each question wrapped onto the lines it needs.

Only the lines on screen are drawn (Textual's line API): the list costs the same with fifty
thousand questions as with fifty. Each question's height at the current width is computed
once (`tui.text.wrap`), the rows' first lines are prefix sums of those heights, and a line
on screen finds its row by bisection. The other cells of a row (its cards) come from a
callback when the row is drawn, so the caller reads them only for the rows shown.
"""

from __future__ import annotations

from array import array
from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate
from typing import ClassVar

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from drill.tui.text import clean, wrap

GAP = 1  # cells between columns
MAX_LINES = 8  # a question longer than this ends in an ellipsis
PAD = 1  # cells before the first column


# A cell as the caller gives it: its text (control characters already removed) and a style.
Cell = tuple[str, str]


@dataclass(frozen=True, slots=True)
class Column:
    """A column: its header and width (0: the one that takes the width left, and wraps)."""

    label: str
    width: int = 0
    justify: str = "left"


class QuestionList(ScrollView, can_focus=True):
    """Rows of one wrapped text column among fixed ones, with a row cursor and a header."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "question-list--header",
        "question-list--cursor",
    }
    DEFAULT_CSS = """
    QuestionList {
        background: $surface;
        overflow-x: hidden;
        scrollbar-gutter: stable;
        & > .question-list--header { text-style: bold; background: $panel; }
        & > .question-list--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
        }
        &:focus > .question-list--cursor {
            background: $block-cursor-background;
            color: $block-cursor-foreground;
            text-style: $block-cursor-text-style;
        }
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "cursor(-1)", "Up", show=False),
        Binding("down", "cursor(1)", "Down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("home", "ends(0)", "First", show=False),
        Binding("end", "ends(1)", "Last", show=False),
    ]

    class Highlighted(Message):
        """The cursor moved to row `index` of what is shown (None: nothing shown)."""

        def __init__(self, index: int | None) -> None:
            super().__init__()
            self.index = index

    class Selected(Message):
        """Enter, or a click on the row under the cursor."""

        def __init__(self, index: int) -> None:
            super().__init__()
            self.index = index

    def __init__(
        self,
        texts: Sequence[str],
        cells: Callable[[int], Sequence[Cell]],
        *,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self._texts = texts  # the wrapped column of every item
        self._cells = cells  # an item's other cells, asked when its row is drawn
        self._columns: list[Column] = [Column("")]
        self._widths: list[int] = [1]
        self._flex = 0  # which column wraps
        self._heights: array[int] | None = None  # per item, at the current width
        self._shown: list[int] = []
        self._starts: list[int] = [0]  # first line of each shown row, then the total
        self._cursor = 0
        self._lines: LRUCache[tuple[int, int, bool], Strip] = LRUCache(512)
        self._wrapped: LRUCache[int, list[str]] = LRUCache(256)  # by item, at this width

    # -- what is shown -----------------------------------------------------------------------
    def set_columns(self, columns: Sequence[Column]) -> None:
        """Lay the columns out; the flexible one takes the width left (at least 8 cells)."""
        self._columns = list(columns)
        self._flex = next((i for i, c in enumerate(self._columns) if c.width == 0), 0)
        # Until the widget has its size, the flexible column is as narrow as it may be.
        self._widths = [c.width or 8 for c in self._columns]
        self._heights = None
        self._layout()

    def set_texts(self, texts: Sequence[str]) -> None:
        """The wrapped column of every item (items are indexes into it)."""
        self._texts = texts
        self._heights = None
        self._shown, self._cursor = [], 0
        self._layout()

    def show(self, items: list[int], keep: int | None = None) -> None:
        """Show these items, in order; the cursor stays on `keep` if it is among them."""
        self._shown = items
        position = 0
        if keep is not None:
            # Usually near where it was: look there first.
            try:
                position = items.index(keep)
            except ValueError:
                position = 0
        self._starts_from_heights()
        self._lines.clear()
        self._move(position, post=True)
        self.refresh()

    def redraw(self) -> None:
        """Draw every row again (their cells changed)."""
        self._lines.clear()
        self.refresh()

    @property
    def shown(self) -> list[int]:
        return self._shown

    @property
    def cursor(self) -> int | None:
        """The item under the cursor, or None when nothing is shown."""
        return self._shown[self._cursor] if self._shown else None

    def on_resize(self, _: events.Resize) -> None:
        self._layout()

    def on_focus(self, _: events.Focus) -> None:
        self.redraw()  # the cursor's colours differ with focus

    def on_blur(self, _: events.Blur) -> None:
        self.redraw()

    def _layout(self) -> None:
        """Column widths for the current size, and each item's height when they changed.

        Before the widget has its size there is nothing to wrap to: heights wait for it.
        """
        if self.scrollable_content_region.width <= 0:
            return
        width = self._width()
        fixed = sum(c.width for c in self._columns) + GAP * (len(self._columns) - 1) + PAD
        widths = [c.width for c in self._columns]
        widths[self._flex] = max(8, width - fixed)
        if widths != self._widths or self._heights is None:
            self._widths = widths
            flex = widths[self._flex]
            self._heights = array(
                "H",
                (
                    min(len(wrap(t if t.isprintable() else clean(t), flex)), MAX_LINES)
                    for t in self._texts
                ),
            )
            self._starts_from_heights()
            self._lines.clear()
            self._wrapped.clear()
            self._move(self._cursor)
        self.refresh()

    def _starts_from_heights(self) -> None:
        heights = self._heights
        if heights is None:  # not laid out yet: one line each until it is
            self._starts = list(range(len(self._shown) + 1))
        else:
            self._starts = list(accumulate(map(heights.__getitem__, self._shown), initial=0))
        # One line of header above the rows.
        self.virtual_size = Size(0, self._starts[-1] + 1)

    # -- the cursor --------------------------------------------------------------------------
    def _move(self, position: int, *, post: bool = False) -> None:
        last = len(self._shown) - 1
        position = max(0, min(position, last))
        moved = position != self._cursor
        self._cursor = max(0, position)
        if self._shown:
            self._scroll_to_cursor()
        if moved or post:
            self._lines.clear()
            self.refresh()
            self.post_message(self.Highlighted(self._cursor if self._shown else None))

    def _scroll_to_cursor(self) -> None:
        top, bottom = self._starts[self._cursor], self._starts[self._cursor + 1]
        view = max(1, self.size.height - 1)
        y = self.scroll_y
        if top < y:
            y = top
        elif bottom > y + view:
            y = max(top, bottom - view) if bottom - top > view else bottom - view
        if y != self.scroll_y:
            self.scroll_to(y=y, animate=False, immediate=True)

    def action_cursor(self, step: int) -> None:
        self._move(self._cursor + step)

    def action_page(self, direction: int) -> None:
        view = max(1, self.size.height - 1)
        line = self._starts[self._cursor] + direction * view
        self._move(bisect_right(self._starts, max(0, line)) - 1)

    def action_ends(self, end: int) -> None:
        self._move(len(self._shown) - 1 if end else 0)

    def key_enter(self, event: events.Key) -> None:
        if self._shown:
            event.stop()
            self.post_message(self.Selected(self._cursor))

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None or offset.y == 0 or not self._shown:
            return
        line = self.scroll_offset.y + offset.y - 1
        position = bisect_right(self._starts, line) - 1
        if 0 <= position < len(self._shown):
            if position == self._cursor:
                self.post_message(self.Selected(position))
            self._move(position)

    # -- drawing -------------------------------------------------------------------------------
    def _width(self) -> int:
        """Cells for the rows: the scrollbar's gutter is always kept, so the width (and each
        question's wrapping) does not change when it appears.
        """
        return max(1, self.scrollable_content_region.width)

    def render_line(self, y: int) -> Strip:
        width = self._width()
        if y == 0:
            return self._header(width)
        line = self.scroll_offset.y + y - 1
        if not self._shown or line >= self._starts[-1]:
            return Strip.blank(width, self.rich_style)
        position = bisect_right(self._starts, line) - 1
        part = line - self._starts[position]
        cursor = position == self._cursor
        key = (position, part, cursor)
        strip = self._lines.get(key)
        if strip is None:
            strip = self._lines[key] = self._row_line(position, part, cursor, width)
        return strip

    def _header(self, width: int) -> Strip:
        style = self.get_component_rich_style("question-list--header")
        return self._strip([(c.label, "") for c in self._columns], style, width)

    def _lines_of(self, item: int) -> list[str]:
        lines = self._wrapped.get(item)
        if lines is None:
            flex = self._widths[self._flex]
            lines = wrap(clean(self._texts[item]), flex)
            if len(lines) > MAX_LINES:
                lines = lines[:MAX_LINES]
                lines[-1] = _fit(lines[-1], flex - 1) + "…"
            self._wrapped[item] = lines
        return lines

    def _row_line(self, position: int, part: int, cursor: bool, width: int) -> Strip:
        item = self._shown[position]
        lines = self._lines_of(item)
        text = lines[part] if part < len(lines) else ""
        # The other cells on the row's first line only.
        cells = list(self._cells(item)) if part == 0 else [("", "")] * (len(self._columns) - 1)
        cells.insert(self._flex, (text, ""))
        style = self.rich_style
        if cursor:
            style = style + self.get_component_rich_style("question-list--cursor")
        return self._strip(cells, style, width)

    def _strip(self, cells: Sequence[Cell], style: Style, width: int) -> Strip:
        """One line of cells as segments (Rich's Text would take ten times as long)."""
        segments = [Segment(" " * PAD, style)]
        for index, ((text, cell_style), column, size) in enumerate(
            zip(cells, self._columns, self._widths, strict=False)
        ):
            if index:
                segments.append(Segment(" " * GAP, style))
            used = len(text) if text.isascii() else cell_len(text)
            if used > size:
                text, used = _fit(text, size - 1) + "…", size
            pad = " " * (size - used)
            if column.justify == "right":
                text = pad + text
            else:
                text += pad
            segments.append(Segment(text, style + _style(cell_style) if cell_style else style))
        return Strip(segments).crop_extend(0, width, style)


@lru_cache(maxsize=64)
def _style(name: str) -> Style:
    return Style.parse(name)


def _fit(text: str, width: int) -> str:
    """`text` cut to at most `width` cells."""
    if text.isascii():
        return text[: max(0, width)]
    return set_cell_size(text, max(0, width)).rstrip()
