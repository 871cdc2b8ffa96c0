"""Home: the decks with today's work, today's numbers and a calendar of reviews."""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Static

from drill import clock, stats
from drill.session import ReviewSession
from drill.storage import repo
from drill.tui.context import Context
from drill.tui.queries import deck_rows
from drill.tui.text import format_duration, format_when
from drill.tui.widgets.deck_table import DeckTable
from drill.tui.widgets.heatmap import Heatmap, days_needed


class HomeScreen(Screen[None]):
    """Pick a deck to review, or browse; says when there is nothing left to do."""

    TITLE = "Home"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "enter", "review_selected", "Review", tooltip="Review the selected deck", priority=True
        ),
        Binding("a", "review_all", "All decks", tooltip="Review all decks together"),
        Binding("b", "browse", "Browse", tooltip="Browse and search every question"),
        Binding("n", "learn_more", "Learn more", tooltip="Learn more new cards today"),
        Binding("q", "quit", "Quit", tooltip="Quit drill"),
    ]

    def __init__(self, ctx: Context) -> None:
        super().__init__()
        self.ctx = ctx
        self._can_learn_more = False

    def compose(self) -> ComposeResult:
        yield Static(Content.from_markup("[b]drill[/b]  interview practice"), id="title")
        yield DeckTable(id="decks")
        with Horizontal(id="lower"):
            with Vertical(id="today-panel"):
                yield Static(id="today")
                yield Static(id="status")
            with Vertical(id="calendar"):
                yield Heatmap(id="heatmap")
        yield Footer(compact=True, show_command_palette=False)

    def on_resize(self, event: events.Resize) -> None:
        # The deck table grows with its decks but leaves room for the panels below; past
        # that it scrolls (CSS cannot say "auto, but at most what is left").
        lower = self.query_one("#lower").outer_size.height or 11
        self.query_one(DeckTable).styles.max_height = max(5, event.size.height - lower - 2)

    def on_screen_resume(self) -> None:
        # Also runs when a review or the browser returns here: the numbers have changed.
        self.refresh_data()

    def refresh_data(self) -> None:
        db, now = self.ctx.db, self.ctx.now()
        table = self.query_one(DeckTable)
        rows = deck_rows(db, now)
        table.load(rows)
        table.focus()

        done = stats.today(db, now)
        streak = stats.streak_days(db, now)
        self.query_one("#today", Static).update(
            Content("\n").join(
                Content.assemble((f"{label:<10}", "$text-muted"), (value, "bold"))
                for label, value in (
                    ("Reviewed", str(done.reviewed)),
                    ("Time", format_duration(done.time_ms)),
                    ("Streak", f"{streak} day{'' if streak == 1 else 's'}"),
                )
            )
        )
        study_day = clock.study_date(now, repo.collection_config(db).day_starts_at)
        self.query_one(Heatmap).set_data(
            stats.heatmap(db, now, days=days_needed(study_day)), study_day
        )
        self.query_one("#status", Static).update(self._status(rows != [], now))
        self.query_one("#calendar").border_title = "Reviews, last 12 weeks"
        self.query_one("#today-panel").border_title = "Today"
        self.query_one("#decks").border_title = "Decks"
        self.refresh_bindings()

    def _status(self, has_decks: bool, now: datetime) -> Content:
        self._can_learn_more = False
        if not has_decks:
            return Content("No decks yet. Import one with: drill import FILE.md")
        session = ReviewSession(self.ctx.db)
        counts = session.counts(now)
        if counts.total:
            return Content.assemble(
                ("Ready: ", "bold"),
                f"{counts.new} new · {counts.learning} learning · {counts.review} due.",
            )
        lines = [Content("All done for now.").stylize("bold")]
        next_due = session.next_due(now)
        if next_due is not None:
            lines.append(Content(f"Next card due {format_when(next_due, now)}."))
        available = session.new_available()
        if available:
            self._can_learn_more = True
            lines.append(
                Content.assemble(
                    "Press ", ("n", "bold reverse"), f" to learn more new cards ({available} left)."
                )
            )
        return Content("\n").join(lines)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "learn_more":
            return self._can_learn_more
        return True

    # -- actions -------------------------------------------------------------------------------
    def on_deck_table_chosen(self, message: DeckTable.Chosen) -> None:
        self._review(message.deck_id)

    def action_review_selected(self) -> None:
        selected = self.query_one(DeckTable).selected
        if selected is not None:
            self._review(selected.id)

    def action_review_all(self) -> None:
        self._review(None)

    def _review(self, deck_id: str | None) -> None:
        from drill.tui.screens.review import ReviewScreen

        session = ReviewSession(self.ctx.db, deck_id)
        if session.next_card(self.ctx.now()) is None:
            self.notify("Nothing left to study there today.", title="All done")
            return
        self.app.push_screen(ReviewScreen(self.ctx, deck_id=deck_id))

    def action_learn_more(self) -> None:
        session = ReviewSession(self.ctx.db)
        added = session.learn_more(self.ctx.now())
        self.notify(f"Up to {added} more new cards today.", title="Learn more")
        self._review(None)

    def action_browse(self) -> None:
        from drill.tui.screens.browse import BrowseScreen

        self.app.push_screen(BrowseScreen(self.ctx))

    def action_quit(self) -> None:
        self.app.exit()
