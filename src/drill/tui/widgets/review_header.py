"""The review screen's top line: deck, what is left (new · learning · due) and a card timer."""

from __future__ import annotations

from collections.abc import Callable

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.timer import Timer
from textual.widgets import Static

from drill.core.model import CardState
from drill.study.session import Counts
from drill.tui.text import format_clock, plain

# Anki's colours: new blue, learning red, review green (text stays readable without colour).
QUEUE_STYLES = {"new": "bold $primary", "learning": "bold $error", "review": "bold $success"}


def queue_of(state: CardState) -> str:
    if state == CardState.NEW:
        return "new"
    if state == CardState.REVIEW:
        return "review"
    return "learning"


def counts_content(counts: Counts, current: str | None = None) -> Content:
    """ "3 new · 1 learning · 5 due", the current card's queue underlined (as Anki does)."""
    parts = []
    for queue, value, label in (
        ("new", counts.new, "new"),
        ("learning", counts.learning, "learning"),
        ("review", counts.review, "due"),
    ):
        style = QUEUE_STYLES[queue] if value else "$text-muted"
        number = Content(str(value)).stylize(style + (" underline" if queue == current else ""))
        parts.append(number + Content(f" {label}"))
    return Content(" · ").join(parts)


class ReviewHeader(Horizontal):
    """Deck name, remaining counts and the time spent on the card on screen (mm:ss)."""

    DEFAULT_CSS = """
    ReviewHeader { height: 1; }
    ReviewHeader > #deck {
        width: 1fr; text-style: bold; text-overflow: ellipsis; text-wrap: nowrap;
    }
    ReviewHeader > #counts { width: auto; margin: 0 2; }
    ReviewHeader > #elapsed { width: auto; color: $text-muted; }
    """

    def __init__(self, timer: Callable[[], float], *, live: bool) -> None:
        super().__init__()
        self._timer = timer
        self._live = live
        self._started = timer()
        self._ticker: Timer | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="deck")
        yield Static(id="counts")
        yield Static("00:00", id="elapsed")

    def on_mount(self) -> None:
        if self._live:
            self._ticker = self.set_interval(1.0, self._tick)

    def show(self, deck_name: str, counts: Counts, current: str | None) -> None:
        """Show a new card: deck, counts and a timer restarted from zero."""
        self.query_one("#deck", Static).update(plain(deck_name))
        self.query_one("#counts", Static).update(counts_content(counts, current))
        self._started = self._timer()
        self._tick()

    def show_practice(self, deck_name: str, left: int) -> None:
        """Show a practice card: deck, "practice · N left" and a timer restarted from zero."""
        self.query_one("#deck", Static).update(plain(deck_name))
        self.query_one("#counts", Static).update(
            Content.assemble(("practice", "bold $accent"), f" · {left} left")
        )
        self._started = self._timer()
        self._tick()

    def _tick(self) -> None:
        elapsed = format_clock(self._timer() - self._started)
        self.query_one("#elapsed", Static).update(Content(elapsed))
