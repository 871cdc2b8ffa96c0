"""Browse: search every question, see each card's state, suspend or reset, open a question.

Built for fifty thousand questions: the list draws only the rows on screen
(`QuestionList`), search filters the entries in memory (narrowing the last matches while
the query only grows), and a burst of keystrokes is filtered once. Each question wraps onto
as many lines as it needs, and takes the width the other columns leave: the deck column
goes when one deck is shown (d) or the screen is narrow.
"""

from __future__ import annotations

import time
from datetime import datetime
from typing import ClassVar

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, Input, Static

from drill.core.format import interval as format_interval
from drill.core.format import plural
from drill.core.model import CardInfo, CardKind, CardState
from drill.study.browse import BrowseEntry, browse_entries, entry_cards, matching, search_words
from drill.study.undo import UndoStack
from drill.tui.actions import confirm_reset, reset_question, suspend_question, undo_last
from drill.tui.context import Context
from drill.tui.guard import guarded
from drill.tui.text import clean
from drill.tui.widgets.question_list import Cell, Column, QuestionList

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
# A filter slower than this waits for typing to pause before running again.
SLOW_FILTER_S = 0.03
DEBOUNCE_S = 0.12


def card_cell(card: CardInfo | None, now: datetime) -> Cell:
    """ "rev 12d", "learn now", "new", "suspended" or "—" for a kind the question lacks."""
    if card is None:
        return "—", "dim"
    if card.suspended:
        return "suspended", "dim italic"
    state = card.state
    label = STATE_SHORT[state]
    if state != CardState.NEW and card.record.due is not None:
        due = datetime.fromtimestamp(card.record.due / 1000, tz=now.tzinfo)
        label += " now" if due <= now else f" {format_interval(due - now)}"
    return label, STATE_STYLE[state]


def layout(width: int, *, deck: bool) -> tuple[list[Column], bool, bool]:
    """The columns for a screen `width` wide: (columns, deck shown, lapses shown).

    The question takes what is left. Narrow screens drop the deck, then the lapses, and
    narrow the card columns; one deck shown never needs its name on every row.
    """
    show_deck = deck and width >= 80
    show_lapses = width >= 70
    kind = 10 if width >= 100 else 9
    columns = [Column("Deck", 12 if width >= 100 else 10)] if show_deck else []
    columns.append(Column("Question"))
    columns += [Column(KIND_HEADERS[k], kind) for k in CardKind]
    if show_lapses:
        columns.append(Column("Lapses", 6, "right"))
    return columns, show_deck, show_lapses


class BrowseScreen(Screen[None]):
    """A live search over question text, variants and tags, and the questions that match."""

    TITLE = "Browse"
    BINDINGS: ClassVar[list[BindingType]] = [
        # A priority binding runs as the key arrives, before the keys typed after it are handed
        # to the list: a fast `/weak` must not let its `s` suspend a question.
        Binding(
            "slash",
            "search",
            "Search",
            key_display="/",
            tooltip="Type to filter questions",
            priority=True,
        ),
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
        Binding("d", "deck", "Deck", tooltip="Show one deck, the next one, or all decks again"),
        Binding(
            "escape,q", "back", "Back", key_display="esc", tooltip="Back to the list, then home"
        ),
    ]

    def __init__(self, ctx: Context, deck_id: str | None = None) -> None:
        super().__init__()
        self.ctx = ctx
        self.entries: list[BrowseEntry] = []
        self._deck: str | None = deck_id
        self._decks: list[tuple[str, str]] = []  # (id, name) in display order
        self._cards: dict[int, list[CardInfo]] = {}  # read when a row is first drawn
        self._query = ""
        self._matched: tuple[str | None, str, list[int]] | None = None  # last filter
        self._pending: Timer | None = None
        self._scheduled = False
        self._slow = False
        self._show_deck = True
        self._show_lapses = True
        self._away = False
        # This browse session's suspends and resets, shared with the question pages it opens.
        self.changes = UndoStack()
        self._had_row: bool | None = None
        self._status_text = ""

    def compose(self) -> ComposeResult:
        yield Input(placeholder="Search questions, variants and tags", id="search")
        yield QuestionList([], self._row_cells, id="browse-list")
        yield Static(id="browse-status")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.query_one(Input).cursor_blink = self.ctx.live
        self._load()
        self.query_one(QuestionList).focus()

    def _load(self) -> None:
        entries = guarded(self, lambda: browse_entries(self.ctx.db))
        if entries is None:
            return  # the guard said why (or sent the app home)
        self.entries = entries
        seen: dict[str, str] = {}
        for entry in self.entries:
            seen.setdefault(entry.deck_id, entry.deck_name)
        self._decks = list(seen.items())
        if self._deck is not None and self._deck not in seen:
            self._deck = None
        self._cards.clear()
        self._matched = None
        self.query_one(QuestionList).set_texts([entry.text for entry in self.entries])
        self._relayout()
        self._apply()

    def on_screen_suspend(self) -> None:
        self._away = True

    def on_screen_resume(self) -> None:
        # Back from a question's page, where it may have been suspended or reset.
        if self._away:
            self._away = False
            self._cards.clear()
            self.query_one(QuestionList).redraw()
            self.refresh_bindings()  # the question page may have added to the undo stack

    def on_resize(self, _: events.Resize) -> None:
        self._relayout()

    def _relayout(self) -> None:
        columns, self._show_deck, self._show_lapses = layout(
            self.size.width or 80, deck=self._deck is None
        )
        self.query_one(QuestionList).set_columns(columns)
        self._status()

    # -- what the rows show ------------------------------------------------------------------
    def _row_cells(self, item: int) -> list[Cell]:
        entry = self.entries[item]
        cards = self._cards.get(item)
        if cards is None:
            cards = self._cards[item] = entry_cards(self.ctx.db, entry.deck_id, entry.question_id)
        now = self.ctx.now()
        cells: list[Cell] = [(clean(entry.deck_name), "dim")] if self._show_deck else []
        by_kind = {card.kind: card for card in cards}
        cells += [card_cell(by_kind.get(kind), now) for kind in CardKind]
        if self._show_lapses:
            lapses = sum(card.record.lapses for card in cards)
            cells.append((str(lapses), "" if lapses else "dim"))
        return cells

    def _status(self) -> None:
        question_list = self.query_one(QuestionList)
        shown, total = len(question_list.shown), self._scope_total()
        counted = plural(total, "question")  # "5,000 questions", "1 question"
        text = f"{shown:,} of {counted}" if self._query.strip() else counted
        if self._deck is not None:
            text += f" in {dict(self._decks).get(self._deck, self._deck)}"
        elif not self._show_deck and (current := self._current()) is not None:
            text += f" · {current.deck_name}"  # the deck column is not shown
        if text != self._status_text:
            self._status_text = text
            # One line whatever it says: no layout pass for the whole screen.
            status = self.query_one("#browse-status", Static)
            status.update(Text(clean(text), no_wrap=True), layout=False)

    def _scope_total(self) -> int:
        if self._deck is None:
            return len(self.entries)
        return sum(1 for entry in self.entries if entry.deck_id == self._deck)

    def _current(self) -> BrowseEntry | None:
        item = self.query_one(QuestionList).cursor
        return self.entries[item] if item is not None else None

    def on_question_list_highlighted(self, event: QuestionList.Highlighted) -> None:
        self._status()
        # The footer is redrawn only when open, suspend and reset come or go.
        has_row = event.index is not None
        if has_row != self._had_row:
            self._had_row = has_row
            self.refresh_bindings()

    # -- search ----------------------------------------------------------------------------------
    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._query = event.value
        # Keys that arrive together (fast typing, a paste) are filtered once; when a filter
        # is slow (a very big collection on a slow machine), typing must pause first.
        if self._pending is not None:
            self._pending.stop()
            self._pending = None
        if self._slow:
            self._pending = self.set_timer(DEBOUNCE_S, self._apply)
        elif not self._scheduled:
            self._scheduled = True
            self.call_later(self._apply)

    def _apply(self) -> None:
        self._scheduled, self._pending = False, None
        started = time.perf_counter()
        query, deck = self._query, self._deck
        words = search_words(query)
        among: list[int] | None = None
        last = self._matched
        if last is not None and last[0] == deck and query.startswith(last[1]):
            among = last[2]  # the query only grew: what matches now matched before
        elif deck is not None:
            among = [i for i, e in enumerate(self.entries) if e.deck_id == deck]
        matches = matching(self.entries, words, among)
        self._matched = (deck, query, matches)
        question_list = self.query_one(QuestionList)
        question_list.show(matches, keep=question_list.cursor)
        self._status()
        self._slow = time.perf_counter() - started > SLOW_FILTER_S

    def on_input_submitted(self, _: Input.Submitted) -> None:
        self.query_one(QuestionList).focus()

    def on_key(self, event: events.Key) -> None:
        # Down from the search box goes to the results, as in most search fields.
        if event.key == "down" and isinstance(self.focused, Input):
            self.query_one(QuestionList).focus()
            event.stop()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "search":
            # In the box, `/` is a character to search for (CI/CD), not the key to get there.
            return not isinstance(self.focused, Input)
        if action in ("open", "suspend", "reset", "deck", "undo"):
            # While typing in the search box, letters are for the search.
            if isinstance(self.focused, Input):
                return None
            if action == "undo":
                return bool(self.changes)
            return action == "deck" or self._current() is not None
        return True

    def on_descendant_focus(self, _: events.DescendantFocus) -> None:
        self.refresh_bindings()

    # -- actions ---------------------------------------------------------------------------------
    def action_search(self) -> None:
        # Focus now, not on the next idle (what `widget.focus()` does): letters typed in the same
        # burst as `/` are already queued and must reach the box, not the list's own keys.
        self.set_focus(self.query_one(Input))

    def action_back(self) -> None:
        if self.focused is self.query_one(Input):
            self.query_one(QuestionList).focus()
        else:
            self.app.pop_screen()

    def action_deck(self) -> None:
        """All decks, then each deck in turn, then all again."""
        ids = [deck_id for deck_id, _ in self._decks]
        if not ids:
            return
        if self._deck is None:
            self._deck = ids[0]
        else:
            at = ids.index(self._deck) + 1 if self._deck in ids else len(ids)
            self._deck = ids[at] if at < len(ids) else None
        self._matched = None
        self._relayout()
        self._apply()

    def on_question_list_selected(self, event: QuestionList.Selected) -> None:
        event.stop()
        self.action_open()

    def action_open(self) -> None:
        from drill.tui.screens.question import QuestionScreen

        entry = self._current()
        if entry is not None:
            self.app.push_screen(
                QuestionScreen(self.ctx, entry.deck_id, entry.question_id, changes=self.changes)
            )

    def action_suspend(self) -> None:
        item = self.query_one(QuestionList).cursor
        if item is None:
            return
        entry = self.entries[item]
        cards = guarded(self, lambda: entry_cards(self.ctx.db, entry.deck_id, entry.question_id))
        if cards is None:
            return
        # No cards: the question went (another drill); suspend_question's guard says so.
        suspended = bool(cards) and all(card.suspended for card in cards)
        done = guarded(
            self,
            lambda: suspend_question(self.ctx, entry.deck_id, entry.question_id, not suspended),
        )
        if done is None:
            return
        self.changes.push(done)
        self.refresh_bindings()
        self.notify("Unsuspended." if suspended else "Suspended.", timeout=2)
        self._cards.pop(item, None)
        self.query_one(QuestionList).redraw()

    def action_undo(self) -> None:
        if undo_last(self, self.ctx, self.changes) is not None:
            self._cards.clear()  # the undone question's cards, wherever it is in the list
            self.query_one(QuestionList).redraw()

    async def action_reset(self) -> None:
        item = self.query_one(QuestionList).cursor
        if item is not None:
            self.run_worker(self._reset(item), exclusive=True)

    async def _reset(self, item: int) -> None:
        entry = self.entries[item]
        if await confirm_reset(self, entry.text):
            done = guarded(self, lambda: reset_question(self.ctx, entry.deck_id, entry.question_id))
            if done is None:
                return
            self.changes.push(done)
            self.refresh_bindings()
            self.notify("Progress reset; the cards are new again (u undoes).", timeout=2)
            self._cards.pop(item, None)
            self.query_one(QuestionList).redraw()
