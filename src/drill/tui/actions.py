"""What the browser and the question page both do to a question: suspend it, reset it."""

from __future__ import annotations

from typing import Any

from textual.screen import Screen

from drill.errors import Missing
from drill.study.browse import entry_cards
from drill.study.session import ReviewSession
from drill.tui.context import Context
from drill.tui.screens.confirm import ConfirmScreen


def still_there(ctx: Context, deck_id: str, question_id: str) -> None:
    """Missing if another drill removed the question (or restored a backup without it)
    since the screen read it: the guard then sends the app home instead of acting on nothing.
    """
    if not entry_cards(ctx.db, deck_id, question_id):
        raise Missing(f"no question '{deck_id}/{question_id}'")


def suspend_question(ctx: Context, deck_id: str, question_id: str, suspended: bool) -> int:
    """Suspend (or unsuspend) every card of a question; returns how many changed."""
    still_there(ctx, deck_id, question_id)
    return ReviewSession(ctx.db).suspend_question(deck_id, question_id, suspended)


def reset_question(ctx: Context, deck_id: str, question_id: str) -> int:
    """Make the question's cards new; reviews are kept, and undo stops at the reset."""
    still_there(ctx, deck_id, question_id)
    return ReviewSession(ctx.db).reset_question(deck_id, question_id, ctx.now())


async def confirm_reset(screen: Screen[Any], question: str) -> bool:
    """Ask before making a question's cards new again (the review history stays)."""
    return await screen.app.push_screen_wait(
        ConfirmScreen(
            "Reset progress",
            f"Make every card of “{question}” new again? Its review history is kept.",
            yes="Reset",
        )
    )
