"""What the browser and the question page both do to a question: suspend it, reset it, and
undo either (the two screens share one undo stack: the browse session's).
"""

from __future__ import annotations

from typing import Any

from textual.screen import Screen

from drill.errors import Missing
from drill.study.browse import BrowseRow, browse_row
from drill.study.session import ReviewSession
from drill.study.undo import Change, UndoStack
from drill.tui.context import Context
from drill.tui.guard import guarded
from drill.tui.screens.confirm import ConfirmScreen
from drill.tui.text import clean


def still_there(ctx: Context, row: BrowseRow) -> BrowseRow:
    """The row read again; Missing if another drill removed its question meanwhile."""
    return row_again(ctx, row.deck_id, row.question.id)


def row_again(ctx: Context, deck_id: str, question_id: str) -> BrowseRow:
    """A question's row read afresh; Missing if another drill removed it meanwhile."""
    fresh = browse_row(ctx.db, deck_id, question_id)
    if fresh is None:
        raise Missing(f"no question '{deck_id}/{question_id}'")
    return fresh


def suspend_question(ctx: Context, row: BrowseRow) -> Change:
    """Suspend the question's cards, or unsuspend them when all are suspended."""
    return ReviewSession(ctx.db).suspend_question(row.deck_id, row.question.id, not row.suspended)


def reset_question(ctx: Context, row: BrowseRow) -> Change:
    """Make the question's cards new; reviews are kept, and `drill undo` stops at the reset."""
    return ReviewSession(ctx.db).reset_question(row.deck_id, row.question.id, ctx.now())


def undo_last(screen: Screen[Any], ctx: Context, changes: UndoStack) -> Change | None:
    """Take back the newest change of the browse session and say what it was."""
    if not changes:
        screen.notify("Nothing to undo.", timeout=2)
        return None
    change = guarded(screen, lambda: changes.undo(ctx.db))
    screen.refresh_bindings()
    if change is not None:
        screen.notify(clean(change.undone_message()), timeout=3, markup=False)
    return change


async def confirm_reset(screen: Screen[Any], row: BrowseRow) -> bool:
    """Ask before making a question's cards new again (the review history stays)."""
    return await screen.app.push_screen_wait(
        ConfirmScreen(
            "Reset progress",
            f"Make every card of “{row.question.question}” new again? Its review history is kept.",
            yes="Reset",
        )
    )
