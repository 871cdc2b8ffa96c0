"""The bar under a card: "Show answer" on the front, the four ratings with intervals on the back."""

from __future__ import annotations

from datetime import timedelta

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Button

from drill.core.format import interval as format_interval
from drill.core.model import Rating

VARIANTS = {
    Rating.AGAIN: "error",
    Rating.HARD: "warning",
    Rating.GOOD: "success",
    Rating.EASY: "primary",
}


class _BarButton(Button):
    """A one-line button that never takes focus: keys belong to the screen."""

    def __init__(self, label: str, *, variant: str = "default", id: str | None = None) -> None:
        super().__init__(label, variant=variant, id=id, compact=True)  # type: ignore[arg-type]
        self.can_focus = False


class RatingBar(Horizontal):
    """Four rating buttons ("3 Good 3d"); clicking one posts `RatingBar.Chosen`."""

    # Buttons are 16 columns at least by default: four of them and their margins overflow
    # 60 columns, and then only "1 Again" was left on screen.
    DEFAULT_CSS = """
    RatingBar { height: 1; width: 1fr; }
    /* No minimum width: at 60 columns four buttons of Button's default 16 do not fit. */
    RatingBar > Button { width: 1fr; min-width: 0; margin: 0 1; }
    """

    class Chosen(Message):
        def __init__(self, rating: Rating) -> None:
            super().__init__()
            self.rating = rating

    def compose(self) -> ComposeResult:
        for rating in Rating:
            yield _BarButton(
                f"{int(rating)} {rating.label}", variant=VARIANTS[rating], id=f"rate-{int(rating)}"
            )

    def set_preview(self, intervals: dict[Rating, timedelta]) -> None:
        """Show the interval each rating would give."""
        for rating in Rating:
            label = f"{int(rating)} {rating.label}"
            if rating in intervals:
                label += f" {format_interval(intervals[rating])}"
            self.query_one(f"#rate-{int(rating)}", Button).label = label

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id and event.button.id.startswith("rate-"):
            self.post_message(self.Chosen(Rating(int(event.button.id.removeprefix("rate-")))))


class RevealBar(Horizontal):
    """The front's actions: show the answer, or type one first."""

    DEFAULT_CSS = """
    RevealBar { height: 1; width: 1fr; }
    RevealBar > Button { width: 1fr; min-width: 0; margin: 0 1; }
    """

    class Reveal(Message):
        pass

    class Type(Message):
        pass

    def compose(self) -> ComposeResult:
        yield _BarButton("Show answer  space", variant="primary", id="reveal")
        yield _BarButton("Type your answer  t", id="type")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.post_message(self.Reveal() if event.button.id == "reveal" else self.Type())
