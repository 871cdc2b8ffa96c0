"""Browse: search every question, see each card's state, suspend or reset."""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Input, Static

from drill.core.format import interval as format_interval
from drill.core.model import CardInfo, CardKind, CardState
from drill.study.browse import BrowseRow, browse_rows
from drill.study.undo import UndoStack
from drill.tui.actions import (
    confirm_reset,
    reset_question,
    row_again,
    suspend_question,
    undo_last,
)
from drill.tui.context import Context
from drill.tui.guard import guarded
from drill.tui.text import cell

KIND_HEADERS = {CardKind.REHEARSE: "Rehearse", CardKind.WHY: "Why", CardKind.DOS: "Dos"}
STATE_SHORT = {
    CardState.NEW: "new",
    CardState.LEARNING: "learn",
    CardState.REVIEW: "rev",
    CardState.RELEARNING: "relearn",
}
STATE_STYLE = {
    CardState.NEW: "blue",
    CardState.LEARNING: "red",
    CardState.REVIEW: "green",
    CardState.RELEARNING: "red",
}
# Fixed columns: deck, three kinds, lapses; the question takes what is left.
DECK_WIDTH, KIND_WIDTH, LAPSES_WIDTH = 12, 10, 6


def card_cell(card: CardInfo | None, now: datetime) -> Text:
    """ "review 12d", "learn now", "new", "suspended" or "—" for a kind the question lacks."""
    if card is None:
        return Text("—", style="dim")
    if card.suspended:
        return Text("suspended", style="dim italic")
    state = card.state
    label = STATE_SHORT[state]
    if state != CardState.NEW and card.record.due is not None:
        due = datetime.fromtimestamp(card.record.due / 1000, tz=now.tzinfo)
        label += " now" if due <= now else f" {format_interval(due - now)}"
    return Text(label, style=STATE_STYLE[state], no_wrap=True, overflow="ellipsis")


class BrowseScreen(Screen[None]):
    """A live search over question text, variants and tags, and a table of the matches."""

    TITLE = "Browse"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "search", "Search", key_display="/", tooltip="Type to filter questions"),
        Binding(
            "enter",
            "open",
            "Open",
            tooltip="Open the question: notes, stats, history",
            priority=True,
        ),
        Binding("s", "suspend", "Suspend", tooltip="Suspend or unsuspend the question's cards"),
        Binding("r", "reset", "Reset", tooltip="Reset the question's progress (asks first)"),
        Binding("u", "undo", "Undo", tooltip="Undo the last suspend or reset (repeat for more)"),
        Binding(
            "escape,q", "back", "Back", key_display="esc", tooltip="Back to the table, then home"
        ),
    ]

    def __init__(self, ctx: Context) -> None:
        super().__init__()
        self.ctx = ctx
        self._rows: list[BrowseRow] = []
        self._shown: list[BrowseRow] = []
        self._built_width = 0  # the question column's width the table was built with
        self._away = False
        # This browse session's suspends and resets, shared with the question pages it opens.
        self.changes = UndoStack()

    def compose(self) -> ComposeResult:
        yield Input(placeholder="Search questions, variants and tags", id="search")
        yield DataTable(id="browse-table", cursor_type="row")
        yield Static(id="browse-status")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self._rows = guarded(self, lambda: browse_rows(self.ctx.db)) or []
        # The table is built once the screen has its size (see on_resize): filling it
        # costs a few seconds for 5,000 questions, so it is done once, not per event.
        self.query_one(Input).cursor_blink = self.ctx.live
        self.query_one(DataTable).focus()

    def on_screen_suspend(self) -> None:
        self._away = True

    def on_screen_resume(self) -> None:
        # Back from a question's page, where it may have been suspended or reset.
        if self._away:
            self._away = False
            self._reload()
            self.refresh_bindings()  # the question page may have added to the undo stack

    def on_resize(self, _: events.Resize) -> None:
        if self._question_width() != self._built_width:
            self._rebuild()

    def _reload(self) -> None:
        rows = guarded(self, lambda: browse_rows(self.ctx.db))
        if rows is not None:
            self._rows = rows
            self._refill()

    def _question_width(self) -> int:
        # 2 cells of padding per column and 2 for the scrollbar.
        fixed = DECK_WIDTH + 3 * KIND_WIDTH + LAPSES_WIDTH + 6 * 2 + 2
        return max(16, self.size.width - fixed)

    def _rebuild(self) -> None:
        """Columns sized to the screen, then the rows."""
        table = self.query_one(DataTable)
        table.clear(columns=True)
        self._built_width = self._question_width()
        table.add_column("Deck", width=DECK_WIDTH, key="deck")
        table.add_column("Question", width=self._built_width, key="question")
        for kind in CardKind:
            table.add_column(KIND_HEADERS[kind], width=KIND_WIDTH, key=kind.value)
        table.add_column(Text("Lapses", justify="right"), width=LAPSES_WIDTH, key="lapses")
        self._refill()

    def _refill(self) -> None:
        table = self.query_one(DataTable)
        query = self.query_one(Input).value
        current = self._current()
        self._shown = [row for row in self._rows if row.matches(query)]
        table.clear()
        now = self.ctx.now()
        for row in self._shown:
            table.add_row(
                cell(row.deck_name, "dim"),
                cell(row.question.question),
                *(card_cell(row.card(kind), now) for kind in CardKind),
                Text(str(row.lapses), justify="right", style="" if row.lapses else "dim"),
                key=row.key,
            )
        if current is not None:
            keys = [row.key for row in self._shown]
            if current.key in keys:
                table.move_cursor(row=keys.index(current.key), animate=False)
        total = len(self._rows)
        status = f"{len(self._shown)} of {total} questions" if query else f"{total} questions"
        self.query_one("#browse-status", Static).update(Text(status))

    def _current(self) -> BrowseRow | None:
        table = self.query_one(DataTable)
        if not self._shown or not 0 <= table.cursor_row < len(self._shown):
            return None
        return self._shown[table.cursor_row]

    # -- search ----------------------------------------------------------------------------------
    def on_input_changed(self, _: Input.Changed) -> None:
        self._refill()

    def on_input_submitted(self, _: Input.Submitted) -> None:
        self.query_one(DataTable).focus()

    def on_key(self, event: events.Key) -> None:
        # Down from the search box goes to the results, as in most search fields.
        if event.key == "down" and isinstance(self.focused, Input):
            self.query_one(DataTable).focus()
            event.stop()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("open", "suspend", "reset", "undo"):
            # While typing in the search box, letters are for the search.
            if isinstance(self.focused, Input):
                return None
            if action == "undo":
                return bool(self.changes)
            return self._current() is not None
        return True

    def on_descendant_focus(self, _: events.DescendantFocus) -> None:
        self.refresh_bindings()

    # -- actions ---------------------------------------------------------------------------------
    def action_search(self) -> None:
        self.query_one(Input).focus()

    def action_back(self) -> None:
        search = self.query_one(Input)
        if self.focused is search:
            self.query_one(DataTable).focus()
        else:
            self.app.pop_screen()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open()

    def action_open(self) -> None:
        from drill.tui.screens.question import QuestionScreen

        row = self._current()
        if row is not None:
            self.app.push_screen(
                QuestionScreen(self.ctx, row.deck_id, row.question.id, changes=self.changes)
            )

    def action_suspend(self) -> None:
        row = self._current()
        if row is None or not row.cards:
            return
        change = guarded(self, lambda: suspend_question(self.ctx, row))
        if change is None:
            return
        self.changes.push(change)
        self.refresh_bindings()
        self.notify("Unsuspended." if row.suspended else "Suspended.", timeout=2)
        self._replace(row)

    def action_undo(self) -> None:
        change = undo_last(self, self.ctx, self.changes)
        if change is not None:
            self._replace_key(change.deck_id, change.question_id)

    def _replace(self, row: BrowseRow) -> None:
        self._replace_key(row.deck_id, row.question.id)

    def _replace_key(self, deck_id: str, question_id: str) -> None:
        fresh = guarded(self, lambda: row_again(self.ctx, deck_id, question_id))
        if fresh is None:
            return
        key = f"{deck_id}/{question_id}"
        self._rows = [fresh if r.key == key else r for r in self._rows]
        self._refill()

    async def action_reset(self) -> None:
        row = self._current()
        if row is None:
            return
        self.run_worker(self._reset(row), exclusive=True)

    async def _reset(self, row: BrowseRow) -> None:
        if await confirm_reset(self, row):
            change = guarded(self, lambda: reset_question(self.ctx, row))
            if change is None:
                return
            self.changes.push(change)
            self.refresh_bindings()
            self.notify("Progress reset; the cards are new again (u undoes).", timeout=2)
            self._replace(row)
