"""The home screen's deck list: what each deck has left today."""

from __future__ import annotations

from textual.message import Message
from textual.widgets import DataTable

from drill.tui.queries import DeckRow
from drill.tui.text import cell, number

# DataTable cells are Rich renderables: theme variables are not available, so plain names.
_RICH = {"new": "bold blue", "learning": "bold red", "review": "bold green"}


class DeckTable(DataTable[object]):
    """Name, new, learning, due and questions per deck; enter or a click posts `Chosen`."""

    class Chosen(Message):
        def __init__(self, deck_id: str) -> None:
            super().__init__()
            self.deck_id = deck_id

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=False)
        self._rows: list[DeckRow] = []

    def on_mount(self) -> None:
        self.add_column("Deck", key="name")
        self.add_column(cell("New", justify="right"), key="new")
        self.add_column(cell("Learning", justify="right"), key="learning")
        self.add_column(cell("Due", justify="right"), key="due")
        self.add_column(cell("Questions", justify="right"), key="questions")

    def load(self, rows: list[DeckRow]) -> None:
        """Replace the rows and put the cursor on the first deck with work."""
        self._rows = rows
        self.clear()
        for row in rows:
            self.add_row(
                cell(row.name),
                number(row.new, _RICH["new"]),
                number(row.learning, _RICH["learning"]),
                number(row.due, _RICH["review"]),
                number(row.questions),
                key=row.id,
            )
        first = next((i for i, row in enumerate(rows) if row.has_work), 0)
        if rows:
            self.move_cursor(row=first)

    @property
    def selected(self) -> DeckRow | None:
        if not self._rows or self.cursor_row < 0 or self.cursor_row >= len(self._rows):
            return None
        return self._rows[self.cursor_row]

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if event.row_key.value is not None:
            self.post_message(self.Chosen(str(event.row_key.value)))
