"""The end of a session: what was done, how well, and when to come back."""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Static

from drill.core.format import duration, minutes
from drill.core.model import Rating
from drill.library.jobs import study_session
from drill.progress.stats import true_retention_today
from drill.study.outcomes import LearnMore
from drill.study.practice import PracticeSession
from drill.tui.context import Context
from drill.tui.guard import guarded
from drill.tui.navigation import navigator
from drill.tui.sitting import SessionLog
from drill.tui.text import format_when
from drill.tui.widgets.rating_bar import VARIANTS

BAR_WIDTH = 20


class SummaryScreen(Screen[None]):
    """Cards reviewed, time, ratings, today's true retention and the next due time."""

    TITLE = "Summary"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "q,escape",
            "close",
            "Done",
            key_display="q",
            tooltip="Back home (quit after `drill review`)",
        ),
        Binding("r", "resume", "Keep going", tooltip="Review the cards still due"),
        Binding("n", "learn_more", "Learn more", tooltip="Learn more new cards today"),
        Binding(
            "u",
            "undo",
            "Undo",
            tooltip="Undo the session's last rating, bury or suspend, and see that card again",
        ),
    ]

    def __init__(
        self,
        ctx: Context,
        *,
        deck_id: str | None,
        sitting: SessionLog,
        standalone: bool,
        practice: PracticeSession | None = None,
        job_id: int | None = None,
    ) -> None:
        super().__init__()
        self.ctx = ctx
        self.deck_id = deck_id
        self.job_id = job_id
        self.sitting = sitting
        self.standalone = standalone
        self.practice = practice
        self.session = study_session(ctx.db, deck_id, job_id)
        self._remaining = 0
        self._new_available = 0

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="summary-scroll"), Vertical(id="summary"):
            yield Static(id="summary-title")
            yield Static(id="summary-body")
            yield Static(id="summary-next")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        guarded(self, self._load)

    def _load(self) -> None:
        now = self.ctx.now()
        if self.practice is not None:
            self._remaining = self.practice.left
            title = "Practice ended" if self._remaining else "Practice done"
        else:
            self._remaining = self.session.counts(now).total
            self._new_available = 0 if self._remaining else self.session.new_available(now)
            title = "Session ended" if self._remaining else "Done for now"
        self.query_one("#summary-title", Static).update(Content(title).stylize("bold"))
        self.query_one("#summary-body", Static).update(self._body(now))
        self.query_one("#summary-next", Static).update(self._next(now))
        self.query_one("#summary").border_title = "Summary"
        self.refresh_bindings()

    def _body(self, now: datetime) -> Content:
        log = self.sitting
        retention = true_retention_today(self.ctx.db, now, self.deck_id)
        lines = [
            Content.assemble(
                ("Practised       " if self.practice else "Cards reviewed  ", "$text-muted"),
                (str(log.reviewed), "bold"),
            ),
            Content.assemble(("Time            ", "$text-muted"), duration(log.time_ms)),
            Content(""),
        ]
        most = max((log.count(r) for r in Rating), default=0)
        for rating in Rating:
            count = log.count(rating)
            width = round(BAR_WIDTH * count / most) if most else 0
            lines.append(
                Content.assemble(
                    (f"{rating.label:<6}", "$text-muted"),
                    f"{count:>4}  ",
                    ("█" * width, f"$text-{VARIANTS[rating]}"),
                )
            )
        lines.append(Content(""))
        if self.practice is not None:
            lines.append(
                Content("Practice is kept apart: no card was rescheduled.").stylize("$text-muted")
            )
            return Content("\n").join(lines)
        lines.append(
            Content.assemble(
                ("True retention today  ", "$text-muted"),
                (f"{retention:.0%}" if retention is not None else "—", "bold"),
            )
        )
        return Content("\n").join(lines)

    def _next(self, now: datetime) -> Content:
        if self.practice is not None:
            if not self._remaining:
                return Content("Every question in this practice is done.")
            return Content.assemble(
                f"{self._remaining} still to practise. Press ", ("r", "bold reverse"), " to go on."
            )
        if self._remaining:
            return Content.assemble(
                f"Next card due now: {self._remaining} still waiting today. Press ",
                ("r", "bold reverse"),
                " to keep going.",
            )
        lines = []
        next_due = self.session.next_due(now)
        if next_due is not None:
            lines.append(Content(f"Next card due {format_when(next_due, now)}."))
        else:
            lines.append(Content("Nothing scheduled."))
        if self._new_available:
            lines.append(
                Content.assemble("Press ", ("n", "bold reverse"), " for more new questions today.")
            )
        return Content("\n").join(lines)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "resume":
            return self._remaining > 0
        if action == "learn_more":
            return self.practice is None and self._remaining == 0 and self._new_available > 0
        if action == "undo":
            return bool(self.sitting.changes)
        return True

    def _review(self, *, undo_first: bool = False) -> None:
        navigator(self).open_review(
            deck_id=self.deck_id,
            job_id=self.job_id,
            standalone=self.standalone,
            sitting=self.sitting,
            undo_first=undo_first,
            practice=self.practice,
        )

    def action_resume(self) -> None:
        self._review()

    def action_learn_more(self) -> None:
        more = guarded(self, lambda: self.session.learn_more(self.ctx.now()))
        if more is None:
            return
        self.notify(learn_more_text(more), title="Learn more")
        self._review()

    def action_undo(self) -> None:
        # Undo goes back into the session, which takes the rating back and shows the card.
        self._review(undo_first=True)

    def action_close(self) -> None:
        if self.standalone:
            self.app.exit()
        else:
            self.app.pop_screen()


def learn_more_text(more: LearnMore) -> str:
    """What "learn more" did, and how far past the budget today now goes."""
    if more.questions <= 0:
        return "No new question fits: every deck's new questions are in today's plan."
    head = f"{more.questions} more new question{'s' if more.questions != 1 else ''} today"
    if more.budget_minutes is None or more.over < 30:
        return head + "."
    return f"{head}: about {minutes(more.over)} over your {more.budget_minutes}-minute budget."
