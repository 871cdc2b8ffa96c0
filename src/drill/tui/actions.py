"""What the browser and the question page both do to a question: suspend it, reset it."""

from __future__ import annotations

from typing import Any

from textual.screen import Screen

from drill.errors import Missing
from drill.study.browse import BrowseRow, browse_row
from drill.study.session import ReviewSession
from drill.tui.context import Context
from drill.tui.screens.confirm import ConfirmScreen


def still_there(ctx: Context, row: BrowseRow) -> BrowseRow:
    """The row read again; Missing if another drill removed its question meanwhile."""
    fresh = browse_row(ctx.db, row.deck_id, row.question.id)
    if fresh is None:
        raise Missing(f"no question '{row.deck_id}/{row.question.id}'")
    return fresh


def suspend_question(ctx: Context, row: BrowseRow) -> None:
    """Suspend the question's cards, or unsuspend them when all are suspended."""
    ReviewSession(ctx.db).suspend_question(row.deck_id, row.question.id, not row.suspended)


def reset_question(ctx: Context, row: BrowseRow) -> None:
    """Make the question's cards new; reviews are kept, and undo stops at the reset."""
    ReviewSession(ctx.db).reset_question(row.deck_id, row.question.id, ctx.now())


async def confirm_reset(screen: Screen[Any], row: BrowseRow) -> bool:
    """Ask before making a question's cards new again (the review history stays)."""
    return await screen.app.push_screen_wait(
        ConfirmScreen(
            "Reset progress",
            f"Make every card of “{row.question.question}” new again? Its review history is kept.",
            yes="Reset",
        )
    )
