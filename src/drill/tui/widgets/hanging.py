"""Lines with a hanging indent: a mark ("✓ ", " 3. ", "    → ") and a text that wraps under
itself, not under the mark. At 60 columns most requirement lines and questions wrap, and a
wrapped line that starts at the margin reads as a new item.
"""

from __future__ import annotations

from collections.abc import Sequence

from textual.content import Content
from textual.geometry import Size
from textual.widget import Widget

# (mark, text): the mark on the first line, blanks of its width on the lines after.
Entry = tuple[Content, Content]


class HangingLines(Widget):
    """A column of entries, each wrapped to the widget's width with a hanging indent."""

    DEFAULT_CSS = """
    HangingLines {
        height: auto;
    }
    """

    def __init__(self, *, id: str | None = None, classes: str = "") -> None:
        super().__init__(id=id, classes=classes)
        self._entries: list[Entry] = []

    @property
    def entries(self) -> list[Entry]:
        return list(self._entries)

    def set_entries(self, entries: Sequence[Entry]) -> None:
        self._entries = list(entries)
        self.refresh(layout=True)

    def lines(self, width: int) -> list[Content]:
        """Every line as shown `width` cells wide."""
        out: list[Content] = []
        for mark, text in self._entries:
            indent = mark.cell_length
            if not text.plain:
                out.append(mark)
                continue
            room = max(1, width - indent)
            for number, line in enumerate(text.wrap(room)):
                out.append((mark if number == 0 else Content(" " * indent)) + line.rstrip())
        return out

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self.lines(width))

    def render(self) -> Content:
        return Content("\n").join(self.lines(self.size.width))
