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

from drill.core.format import duration
from drill.core.model import Rating
from drill.library.jobs import study_session
from drill.progress.stats import true_retention_today
from drill.study.session import LearnMore
from drill.tui.context import Context
from drill.tui.guard import guarded
from drill.tui.navigation import navigator
from drill.tui.sitting import SessionLog
from drill.tui.text import format_when, learn_more_line
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
        job_id: int | None = None,
    ) -> None:
        super().__init__()
        self.ctx = ctx
        self.deck_id = deck_id
        self.job_id = job_id
        self.sitting = sitting
        self.standalone = standalone
        self.session = study_session(ctx.db, deck_id, job_id)
        self._remaining = 0
        self._offer = LearnMore(0, 0)

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
        self._remaining = self.session.counts(now).total
        if not self._remaining:
            self._offer = self.session.learn_more_offer(now)
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
            Content.assemble(("Cards reviewed  ", "$text-muted"), (str(log.reviewed), "bold")),
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
        lines.append(
            Content.assemble(
                ("True retention today  ", "$text-muted"),
                (f"{retention:.0%}" if retention is not None else "—", "bold"),
            )
        )
        return Content("\n").join(lines)

    def _next(self, now: datetime) -> Content:
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
        if self._offer.step:
            # The offer, its count and n agree: only new cards that can still come today.
            lines.append(learn_more_line(self._offer.step, self._offer.waiting))
        return Content("\n").join(lines)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "resume":
            return self._remaining > 0
        if action == "learn_more":
            return self._remaining == 0 and self._offer.step > 0
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
        )

    def action_resume(self) -> None:
        self._review()

    def action_learn_more(self) -> None:
        added = guarded(self, lambda: self.session.learn_more(self.ctx.now()))
        if added is None:
            return
        if not added:
            self.notify("No more new cards can come today.", title="Learn more")
            return
        self._review()

    def action_undo(self) -> None:
        # Undo goes back into the session, which takes the rating back and shows the card.
        self._review(undo_first=True)

    def action_close(self) -> None:
        if self.standalone:
            self.app.exit()
        else:
            self.app.pop_screen()
