"""What the browser and the question page both do to a question: suspend it, reset it."""

from __future__ import annotations

from typing import Any

from textual.screen import Screen

from drill.core.model import CardInfo
from drill.errors import Missing
from drill.study.browse import browse_row
from drill.study.session import ReviewSession
from drill.tui.context import Context
from drill.tui.screens.confirm import ConfirmScreen


def question_cards(ctx: Context, deck_id: str, question_id: str) -> list[CardInfo]:
    """The question's cards read again; Missing if another drill removed it meanwhile."""
    row = browse_row(ctx.db, deck_id, question_id)
    if row is None:
        raise Missing(f"no question '{deck_id}/{question_id}'")
    return row.cards


def suspend_question(ctx: Context, deck_id: str, question_id: str, suspended: bool) -> int:
    """Suspend (or unsuspend) every card of a question; returns how many changed."""
    return ReviewSession(ctx.db).suspend_question(deck_id, question_id, suspended)


def reset_question(ctx: Context, deck_id: str, question_id: str) -> int:
    """Make the question's cards new; reviews are kept, and undo stops at the reset."""
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
