"""Messages a screen posts to move to another screen; the app handles them.

Screens never import the screens they lead to (review and summary lead to each other), so
each screen module depends only on what it shows. The app owns the screen stack.
"""

from __future__ import annotations

from textual.message import Message

from drill.tui.sitting import SessionLog


class OpenReview(Message):
    """Replace the current screen with a review session (from the summary)."""

    def __init__(
        self, *, deck_id: str | None, standalone: bool, sitting: SessionLog, undo_first: bool
    ) -> None:
        super().__init__()
        self.deck_id = deck_id
        self.standalone = standalone
        self.sitting = sitting
        self.undo_first = undo_first


class OpenSummary(Message):
    """Replace the review screen with the summary of its sitting."""

    def __init__(self, *, deck_id: str | None, standalone: bool, sitting: SessionLog) -> None:
        super().__init__()
        self.deck_id = deck_id
        self.standalone = standalone
        self.sitting = sitting
