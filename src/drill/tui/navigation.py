"""How a screen moves to a screen it must not import: through the app, which owns the stack.

Review and summary lead to each other; each asks the app (a `Navigator`) instead of importing
the other, so every screen module depends only on what it shows.
"""

from __future__ import annotations

from typing import Any, Protocol, cast

from textual.screen import Screen

from drill.tui.sitting import SessionLog


class Navigator(Protocol):
    def open_review(
        self,
        *,
        deck_id: str | None,
        standalone: bool,
        sitting: SessionLog,
        undo_first: bool,
        job_id: int | None = None,
    ) -> None:
        """Replace the current screen with a review session (of a deck, a job or all)."""

    def open_summary(
        self,
        *,
        deck_id: str | None,
        standalone: bool,
        sitting: SessionLog,
        job_id: int | None = None,
    ) -> None:
        """Replace the current screen with the summary of a sitting."""

    def go_home(self, notice: str) -> None:
        """Say `notice`, close every screen and show a fresh home screen."""


def navigator(screen: Screen[Any]) -> Navigator:
    """The app behind a screen, as the navigator it is (DrillApp)."""
    return cast(Navigator, screen.app)
