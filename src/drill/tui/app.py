"""The review app: `make_app` builds it for `drill` and for the tests; `run_app` runs it."""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from textual.app import App
from textual.binding import Binding, BindingType
from textual.screen import Screen

from drill.core import clock
from drill.study.mock import MockPlan
from drill.tui.context import Context
from drill.tui.guard import CHANGED_TITLE, changed_under_us, guarded
from drill.tui.screens.help import HelpScreen
from drill.tui.screens.home import HomeScreen
from drill.tui.screens.review import ReviewScreen
from drill.tui.screens.summary import SummaryScreen
from drill.tui.sitting import SessionLog

if TYPE_CHECKING:
    from drill.study.session import Database

Start = Literal["home", "review", "mock"]


class DrillApp(App[None]):
    """Home, review, browse and their modals; all study goes through the core session."""

    CSS_PATH = "drill.tcss"
    TITLE = "drill"
    ENABLE_COMMAND_PALETTE = True
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("question_mark", "help", "Help", key_display="?")
    ]

    def __init__(
        self,
        ctx: Context,
        *,
        deck_id: str | None = None,
        start: Start = "home",
        mock: MockPlan | None = None,
        speaker: str | None = None,
        job_id: int | None = None,
    ) -> None:
        super().__init__()
        self.ctx = ctx
        self._going_home = False
        self.deck_id = deck_id
        self.job_id = job_id
        self.start = start
        self.mock = mock
        self.speaker = speaker
        if start == "mock" and mock is None:
            raise ValueError("start='mock' needs a mock plan")

    def on_mount(self) -> None:
        if self.no_color:
            # Without colour a highlighted row or button is invisible: fall back to reverse.
            self.add_class("-no-color")
        if self.start == "review":
            self.push_screen(
                ReviewScreen(self.ctx, deck_id=self.deck_id, job_id=self.job_id, standalone=True)
            )
        elif self.start == "mock":
            from drill.tui.screens.mock import MockScreen

            assert self.mock is not None
            self.push_screen(MockScreen(self.ctx, self.mock, speaker=self.speaker))

    def get_default_screen(self) -> Screen[Any]:
        # `drill review` and `drill mock` start on a blank base (their last screen replaces
        # the first, which the base screen cannot be), and skip the home screen's queries.
        if self.start in ("review", "mock"):
            return Screen()
        return HomeScreen(self.ctx)

    # -- navigation (drill.tui.navigation.Navigator) ------------------------------------------
    def open_review(
        self,
        *,
        deck_id: str | None,
        standalone: bool,
        sitting: SessionLog,
        undo_first: bool,
        job_id: int | None = None,
    ) -> None:
        # Each screen opens its session, which checks the deck is still there.
        screen = guarded(
            self.screen,
            lambda: ReviewScreen(
                self.ctx,
                deck_id=deck_id,
                job_id=job_id,
                standalone=standalone,
                sitting=sitting,
                undo_first=undo_first,
            ),
        )
        if screen is not None:
            self.switch_screen(screen)

    def open_summary(
        self,
        *,
        deck_id: str | None,
        standalone: bool,
        sitting: SessionLog,
        job_id: int | None = None,
    ) -> None:
        screen = guarded(
            self.screen,
            lambda: SummaryScreen(
                self.ctx, deck_id=deck_id, job_id=job_id, sitting=sitting, standalone=standalone
            ),
        )
        if screen is not None:
            self.switch_screen(screen)

    def go_home(self, notice: str) -> None:
        """Say why, then close every screen and show home afresh (Navigator).

        Used when the collection changed under the app (tui/guard.py): the screens on the
        stack show decks and cards that may no longer exist. Screens are popped at once (a
        handler that called this returns to a screen no longer shown).
        """
        if self._going_home:
            return
        self._going_home = True
        self.notify(notice, title=CHANGED_TITLE, severity="warning", timeout=10, markup=False)
        try:
            while len(self.screen_stack) > 2:
                self.pop_screen()
            home = self.screen_stack[0]
            if isinstance(home, HomeScreen):
                if len(self.screen_stack) > 1:
                    self.pop_screen()  # home refreshes when it resumes
                else:
                    home.refresh_data()
            elif len(self.screen_stack) > 1:
                # `drill review` and `drill mock` start on a blank base screen.
                self.switch_screen(HomeScreen(self.ctx))
            else:
                self.push_screen(HomeScreen(self.ctx))
        except Exception as exc:
            if not changed_under_us(exc):
                raise
            # Home cannot show the collection either: nothing sensible is left to show.
            self.exit(return_code=1, message=f"drill: {exc}")
        finally:
            self.call_after_refresh(self._home_reached)

    def _home_reached(self) -> None:
        self._going_home = False

    def action_help(self) -> None:
        if isinstance(self.screen, HelpScreen):
            self.pop_screen()
        else:
            self.push_screen(HelpScreen(type(self.screen)))


def make_app(
    db: Database,
    *,
    deck_id: str | None = None,
    start: Start = "home",
    now: Callable[[], datetime] | None = None,
    timer: Callable[[], float] | None = None,
    mock: MockPlan | None = None,
    speaker: str | None = None,
    job_id: int | None = None,
) -> DrillApp:
    """The app over an open database. Passing `now` (a test clock) also freezes the timers.

    `mock` is what `start="mock"` asks. `speaker` is the program that reads questions aloud;
    live, espeak-ng when it is installed, and under a test clock none unless given.
    """
    live = now is None
    ctx = Context(
        db=db,
        now=now or clock.now,
        timer=timer or (time.monotonic if live else (lambda: 0.0)),
        live=live,
    )
    if speaker is None and live:
        speaker = shutil.which("espeak-ng")
    return DrillApp(ctx, deck_id=deck_id, start=start, mock=mock, speaker=speaker, job_id=job_id)


def run_app(
    db: Database, *, deck_id: str | None = None, start: str = "home", job_id: int | None = None
) -> int:
    """Run the app in the terminal until the user quits; its return code (non-zero after a
    crash, which Textual reports with its traceback).
    """
    app = make_app(
        db, deck_id=deck_id, start="review" if start == "review" else "home", job_id=job_id
    )
    app.run()
    return app.return_code or 0


def run_mock(db: Database, plan: MockPlan) -> int:
    """Run a timed mock interview in the terminal (`drill mock`); its return code."""
    app = make_app(db, start="mock", mock=plan)
    app.run()
    return app.return_code or 0
