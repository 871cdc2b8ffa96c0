"""What the browser and the question page both do to a question: suspend it, reset it, and
undo either (the two screens share one undo stack: the browse session's).
"""

from __future__ import annotations

from typing import Any

from textual.screen import Screen

from drill.study.session import ReviewSession
from drill.study.undo import Change, UndoStack
from drill.tui.context import Context
from drill.tui.guard import guarded
from drill.tui.screens.confirm import ConfirmScreen
from drill.tui.text import clean


def suspend_question(ctx: Context, deck_id: str, question_id: str, suspended: bool) -> Change:
    """Suspend (or unsuspend) every card of a question. Missing (the guard sends the app
    home) if another drill removed the question since the screen read it.
    """
    return ReviewSession(ctx.db).suspend_question(deck_id, question_id, suspended)


def reset_question(ctx: Context, deck_id: str, question_id: str) -> Change:
    """Make the question's cards new; reviews are kept, and `drill undo` stops at the reset."""
    return ReviewSession(ctx.db).reset_question(deck_id, question_id, ctx.now())


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


async def confirm_reset(screen: Screen[Any], question: str) -> bool:
    """Ask before making a question's cards new again (the review history stays)."""
    return await screen.app.push_screen_wait(
        ConfirmScreen(
            "Reset progress",
            f"Make every card of “{question}” new again? Its review history is kept.",
            yes="Reset",
        )
    )
