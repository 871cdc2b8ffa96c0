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
from drill.tui.screens.help import HelpScreen
from drill.tui.screens.home import HomeScreen
from drill.tui.screens.review import ReviewScreen
from drill.tui.screens.summary import SummaryScreen
from drill.tui.sitting import SessionLog

if TYPE_CHECKING:
    from sqlite_utils import Database

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
    ) -> None:
        super().__init__()
        self.ctx = ctx
        self.deck_id = deck_id
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
            self.push_screen(ReviewScreen(self.ctx, deck_id=self.deck_id, standalone=True))
        elif self.start == "practice":
            items = practice_order(
                self.ctx.db, self.ctx.now(), deck_id=self.deck_id, weakest=self.weakest
            )
            practice = PracticeSession(self.ctx.db, items)
            self.push_screen(
                ReviewScreen(self.ctx, deck_id=self.deck_id, standalone=True, practice=practice)
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
    ) -> None:
        self.switch_screen(
            ReviewScreen(
                self.ctx,
                deck_id=deck_id,
                standalone=standalone,
                sitting=sitting,
                undo_first=undo_first,
                practice=practice,
            )
        )

    def open_summary(
        self,
        *,
        deck_id: str | None,
        standalone: bool,
        sitting: SessionLog,
        practice: PracticeSession | None = None,
    ) -> None:
        self.switch_screen(
            SummaryScreen(
                self.ctx,
                deck_id=deck_id,
                sitting=sitting,
                standalone=standalone,
                practice=practice,
            )
        )

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
    )


def run_app(
    db: Database, *, deck_id: str | None = None, start: str = "home", weakest: int | None = None
) -> None:
    """Run the app in the terminal until the user quits (`drill`, `drill review`)."""
    begin: Start = "review" if start == "review" else "practice" if start == "practice" else "home"
    make_app(db, deck_id=deck_id, start=begin, welcome=begin == "home", weakest=weakest).run()


def run_mock(db: Database, plan: MockPlan) -> None:
    """Run a timed mock interview in the terminal (`drill mock`)."""
    make_app(db, start="mock", mock=plan).run()
