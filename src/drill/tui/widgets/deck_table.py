"""The home screen's deck list: what each deck has left today."""

from __future__ import annotations

from dataclasses import dataclass

from textual import events
from textual.message import Message
from textual.widgets import DataTable

from drill.progress.overview import DeckSummary
from drill.progress.stats import Countdown
from drill.tui.text import cell, number


@dataclass(frozen=True, slots=True)
class DeckRow:
    """One line of the deck table: what is left today, the deck's size, its interview."""

    id: str
    name: str
    new: int
    learning: int
    due: int
    questions: int
    interview: Countdown | None = None

    @classmethod
    def from_summary(cls, summary: DeckSummary) -> DeckRow:
        return cls(
            id=summary.id,
            name=summary.name,
            new=summary.new_today,
            learning=summary.learning_today,
            due=summary.review_today,
            questions=summary.questions,
            interview=summary.interview,
        )

    @property
    def has_work(self) -> bool:
        return self.new + self.learning + self.due > 0


# DataTable cells are Rich renderables: theme variables are not available, so plain names.
_STYLES = {"new": "bold blue", "learning": "bold red", "review": "bold green"}
_NUMBERS = (("New", "new", 5), ("Learning", "learning", 8), ("Due", "due", 5))
_QUESTIONS = 9
# Each column has a cell of padding either side; the table may show a scrollbar.
_CHROME = 2 * (len(_NUMBERS) + 2) + 2


class DeckTable(DataTable[object]):
    """Name, new, learning, due and questions per deck; enter or a click posts `Chosen`."""

    class Chosen(Message):
        def __init__(self, deck_id: str) -> None:
            super().__init__()
            self.deck_id = deck_id

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=False)
        self._rows: list[DeckRow] = []
        self._name_width = 0

    def _fitting_name_width(self) -> int:
        """The name column gets what the numbers leave, so nothing scrolls sideways."""
        numbers = sum(width for _, _, width in _NUMBERS) + _QUESTIONS
        longest = max((len(row.name) for row in self._rows), default=4)
        return max(12, min(longest, self.scrollable_content_region.width - numbers - _CHROME))

    def on_resize(self, _: events.Resize) -> None:
        if self._rows and self._fitting_name_width() != self._name_width:
            self._fill(keep_cursor=True)

    def load(self, rows: list[DeckRow]) -> None:
        """Replace the rows. The cursor stays on its deck while that has work, else it moves
        to the first deck with work."""
        current = self.selected
        self._rows = rows
        self._fill(keep_cursor=False, prefer=current.id if current else None)

    def _fill(self, *, keep_cursor: bool, prefer: str | None = None) -> None:
        cursor = self.cursor_row
        self.clear(columns=True)
        self._name_width = self._fitting_name_width()
        self.add_column("Deck", width=self._name_width, key="name")
        for label, key, width in _NUMBERS:
            self.add_column(cell(label, justify="right"), width=width, key=key)
        self.add_column(cell("Questions", justify="right"), width=_QUESTIONS, key="questions")
        for row in self._rows:
            self.add_row(
                cell(row.name),
                number(row.new, _STYLES["new"]),
                number(row.learning, _STYLES["learning"]),
                number(row.due, _STYLES["review"]),
                number(row.questions),
                key=row.id,
            )
        if not self._rows:
            return
        if not keep_cursor:
            with_work = [i for i, row in enumerate(self._rows) if row.has_work]
            preferred = [i for i in with_work if self._rows[i].id == prefer]
            cursor = (preferred or with_work or [0])[0]
        self.move_cursor(row=min(cursor, len(self._rows) - 1), animate=False)

    @property
    def selected(self) -> DeckRow | None:
        if not self._rows or not 0 <= self.cursor_row < len(self._rows):
            return None
        return self._rows[self.cursor_row]

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if event.row_key.value is not None:
            self.post_message(self.Chosen(str(event.row_key.value)))
