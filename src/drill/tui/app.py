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
from drill.study.practice import PracticeSession, practice_order
from drill.tui.context import Context
from drill.tui.guard import CHANGED_TITLE, changed_under_us, guarded
from drill.tui.screens.help import HelpScreen
from drill.tui.screens.home import HomeScreen
from drill.tui.screens.review import ReviewScreen
from drill.tui.screens.summary import SummaryScreen
from drill.tui.sitting import SessionLog

if TYPE_CHECKING:
    from drill.study.session import Database

Start = Literal["home", "review", "mock", "practice"]


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
        welcome: bool = False,
        weakest: int | None = None,
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
        # The first-run welcome belongs to the home screen of a bare `drill` only.
        self.welcome = welcome and start == "home"
        self.weakest = weakest
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
        elif self.start == "practice":
            items = practice_order(
                self.ctx.db,
                self.ctx.now(),
                deck_id=self.deck_id,
                weakest=self.weakest,
                only=self._job_set(),
            )
            practice = PracticeSession(self.ctx.db, items)
            self.push_screen(
                ReviewScreen(
                    self.ctx,
                    deck_id=self.deck_id,
                    job_id=self.job_id,
                    standalone=True,
                    practice=practice,
                )
            )
        elif self.start == "home" and self.welcome:
            from drill.study.setup import needs_welcome

            if needs_welcome(self.ctx.db):
                from drill.tui.screens.welcome import WelcomeScreen

                self.push_screen(WelcomeScreen(self.ctx, first_run=True))
        elif self.start == "mock":
            from drill.tui.screens.mock import MockScreen

            assert self.mock is not None
            self.push_screen(MockScreen(self.ctx, self.mock, speaker=self.speaker))

    def get_default_screen(self) -> Screen[Any]:
        # `drill review` and `drill mock` start on a blank base (their last screen replaces
        # the first, which the base screen cannot be), and skip the home screen's queries.
        if self.start in ("review", "mock", "practice"):
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
        practice: PracticeSession | None = None,
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
                practice=practice,
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
        practice: PracticeSession | None = None,
        job_id: int | None = None,
    ) -> None:
        screen = guarded(
            self.screen,
            lambda: SummaryScreen(
                self.ctx,
                deck_id=deck_id,
                job_id=job_id,
                sitting=sitting,
                standalone=standalone,
                practice=practice,
            ),
        )
        if screen is not None:
            self.switch_screen(screen)

    def _job_set(self) -> dict[str, frozenset[str]] | None:
        """The job's set ({deck: question ids}) when the app studies a job, else None."""
        if self.job_id is None:
            return None
        from drill.library.jobs import job_scope

        return dict(job_scope(self.ctx.db, self.job_id).members)

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
    welcome: bool = False,
    weakest: int | None = None,
    job_id: int | None = None,
) -> DrillApp:
    """The app over an open database. Passing `now` (a test clock) also freezes the timers.

    `mock` is what `start="mock"` asks, `weakest` how many questions `start="practice"`
    takes (all when None). `speaker` is the program that reads questions aloud; live,
    espeak-ng when it is installed, and under a test clock none unless given. `welcome`
    opens the first-run welcome over home when the collection has no review yet.
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
    return DrillApp(
        ctx,
        deck_id=deck_id,
        start=start,
        mock=mock,
        speaker=speaker,
        welcome=welcome,
        weakest=weakest,
        job_id=job_id,
    )


def run_app(
    db: Database,
    *,
    deck_id: str | None = None,
    start: str = "home",
    job_id: int | None = None,
    weakest: int | None = None,
) -> int:
    """Run the app in the terminal until the user quits (`drill`, `drill review`); its return
    code (non-zero after a crash, which Textual reports with its traceback).
    """
    begin: Start = "review" if start == "review" else "practice" if start == "practice" else "home"
    app = make_app(
        db,
        deck_id=deck_id,
        start=begin,
        welcome=begin == "home",
        weakest=weakest,
        job_id=job_id,
    )
    app.run()
    return app.return_code or 0


def run_mock(db: Database, plan: MockPlan) -> int:
    """Run a timed mock interview in the terminal (`drill mock`); its return code."""
    app = make_app(db, start="mock", mock=plan)
    app.run()
    return app.return_code or 0
