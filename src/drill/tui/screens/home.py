"""Home: the decks with today's work, the interview countdown, today's plan and its verdict,
today's numbers and a calendar.
"""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Static

from drill.core.format import duration, plural
from drill.progress import overview, stats
from drill.progress.stats import Countdown
from drill.study import plan as planning
from drill.study.session import Counts, ReviewSession
from drill.tui.context import Context
from drill.tui.guard import guarded, tried
from drill.tui.planning import run_plan
from drill.tui.text import clean, format_when
from drill.tui.widgets.deck_table import DeckRow, DeckTable
from drill.tui.widgets.heatmap import Heatmap, days_needed


class HomeScreen(Screen[None]):
    """Pick a deck to review, or browse; says when there is nothing left to do."""

    TITLE = "Home"
    # Narrower than 72 columns the calendar would squeeze Today's lines (what is due, the
    # learn-more offer) until they are cut off: drill.tcss hides it (the stats screen, s,
    # has it in full).
    HORIZONTAL_BREAKPOINTS = [  # noqa: RUF012 (typed by Screen; a ClassVar here upsets mypy)
        (0, "-narrow"),
        (72, "-roomy"),
    ]
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "enter", "review_selected", "Review", tooltip="Review the selected deck", priority=True
        ),
        Binding("a", "review_all", "All decks", tooltip="Review all decks together"),
        Binding(
            "p",
            "practice",
            "Practice",
            tooltip="Practise the weakest questions; nothing is rescheduled",
        ),
        Binding("f", "plan", "Plan", tooltip="The plan: minutes a day until the interview"),
        Binding("b", "browse", "Browse", tooltip="Browse and search every question"),
        Binding("s", "stats", "Stats", tooltip="Statistics: reviews, forecast, retention, decks"),
        Binding("j", "jobs", "Jobs", tooltip="Job targets: a posting's questions, gaps, readiness"),
        Binding(
            "o", "stories", "Stories", tooltip="Your story bank: each story, and what they cover"
        ),
        Binding(
            "m", "mock", "Mock", tooltip="A timed mock interview: 5 questions of the selected deck"
        ),
        Binding("n", "learn_more", "Learn more", tooltip="More new questions today, past the plan"),
        Binding(
            "w", "welcome", "Setup", tooltip="Decks, interview date and minutes a day (the welcome)"
        ),
        Binding("q", "quit", "Quit", tooltip="Quit drill"),
    ]
    # The verdict line needs room; below this height home shows today's plan line only.
    VERDICT_HEIGHT = 24

    def __init__(self, ctx: Context) -> None:
        super().__init__()
        self.ctx = ctx
        self._can_learn_more = False
        self._interview_lines = 0
        self._verdict = ""
        self._verdict_key: tuple[object, ...] | None = None
        self._interviews: list[tuple[str, Countdown]] = []

    def compose(self) -> ComposeResult:
        yield Static(Content.from_markup("[b]drill[/b]  interview practice"), id="title")
        yield DeckTable(id="decks")
        yield Static(id="interviews")
        yield Static(id="plan-line")
        yield Static(id="verdict")
        with Horizontal(id="lower"):
            with Vertical(id="today-panel"):
                yield Static(id="today")
                yield Static(id="status")
            with Vertical(id="calendar"):
                yield Heatmap(id="heatmap")
        yield Footer(compact=True, show_command_palette=False)

    def on_resize(self, event: events.Resize) -> None:
        if self._interviews:
            self._layout_interviews()
        self._fit_table(event.size.height)

    def _fit_table(self, height: int) -> None:
        # The deck table grows with its decks but leaves room for the countdowns, the plan and
        # the panels below; past that it scrolls (CSS cannot say "auto, but at most what is
        # left").
        lower = self.query_one("#lower").outer_size.height or 11
        interviews = self.query_one("#interviews", Static)
        verdict = self.query_one("#verdict", Static)
        verdict.display = height >= self.VERDICT_HEIGHT and bool(self._verdict)
        width = max(10, self.size.width - 2)  # the lines' padding
        below = lower + (self._interview_lines if interviews.display else 0)
        below += 1  # the plan line (never wrapped)
        if verdict.display:
            below += len(self._verdict_content().wrap(width))
        table = self.query_one(DeckTable)
        table.styles.max_height = max(5, height - below - 2)
        # Measure it again once its rows are in (a table measures them when idle).
        self.call_after_refresh(table.refresh, layout=True)

    def on_screen_resume(self) -> None:
        # Also runs when a review or the browser returns here: the numbers have changed. A
        # fresh home switched to from inside a handler (the app going home after another
        # drill changed the collection) resumes before its panels are mounted: then after.
        if self.query("#today"):
            self.refresh_data()
        else:
            self.call_after_refresh(self.refresh_data)

    def refresh_data(self) -> None:
        guarded(self, self._refresh_data)

    def _refresh_data(self) -> None:
        db, now = self.ctx.db, self.ctx.now()
        table = self.query_one(DeckTable)
        rows = [DeckRow.from_summary(summary) for summary in overview.deck_summaries(db, now)]
        table.load(rows)
        # Measured again once the reload is laid out: a layout pass in the middle of it (a
        # breakpoint class applied at 60 columns) leaves its height that of no rows.
        self.call_after_refresh(lambda: table.refresh(layout=True))
        table.focus()
        self._show_interviews()
        today_plan = ReviewSession(db).today_plan(now)
        self.query_one("#plan-line", Static).update(Content(today_plan.line()).stylize("bold"))
        self._can_learn_more = today_plan.done and any(row.questions for row in rows)
        if rows:
            self._plan_verdict(now)

        done = stats.today(db, now)
        streak = stats.streak_days(db, now)
        practice = stats.practice_today(db, now)
        figures = [
            ("Reviewed", str(done.reviewed)),
            ("Time", duration(done.time_ms)),
            ("Streak", plural(streak, "day")),
        ]
        if practice.today:
            # Practice is not review: counted apart, with its own time.
            figures.insert(
                1, ("Practised", f"{practice.today} ({duration(practice.today_time_ms)})")
            )
        self.query_one("#today", Static).update(
            Content("\n").join(
                Content.assemble((f"{label:<10}", "$text-muted"), (value, "bold"))
                for label, value in figures
            )
        )
        study_day = stats.study_day(db, now)
        self.query_one(Heatmap).set_data(
            stats.heatmap(db, now, days=days_needed(study_day)), study_day
        )
        self.query_one("#status", Static).update(self._status(rows, now))
        self.query_one("#calendar").border_title = "Reviews, last 12 weeks"
        self.query_one("#today-panel").border_title = "Today"
        self.query_one("#decks").border_title = "Decks"
        self.refresh_bindings()

    def _plan_verdict(self, now: datetime) -> None:
        """The plan's verdict, worked out again only when something it depends on changed."""
        db = self.ctx.db
        key = planning.fingerprint(db, now)
        if key == self._verdict_key:
            return
        self._verdict_key = key
        if not planning.small_enough_for_home(db):
            self._verdict = "press f to work out the plan for this large collection."
            self.query_one("#verdict", Static).update(self._verdict_content())
            return
        run_plan(self, self.ctx, planning.prepare(db, now), self._show_verdict)

    def _verdict_content(self) -> Content:
        return Content.assemble(("Plan ", "bold"), self._verdict, ("  (f)", "$text-muted"))

    def _show_verdict(self, plan: planning.Plan) -> None:
        self._verdict = plan.verdict
        self.query_one("#verdict", Static).update(self._verdict_content())
        self._fit_table(self.size.height)

    def _show_interviews(self) -> None:
        found = overview.interviews(self.ctx.db, self.ctx.now())
        listed = [(found.collection_job or "", found.collection)] if found.collection else []
        self._interviews = (
            listed
            + [(name, countdown) for _, name, countdown in found.decks]
            + [(name, countdown) for _, name, countdown in found.jobs]
        )
        self._layout_interviews()

    def _layout_interviews(self) -> None:
        widget = self.query_one("#interviews", Static)
        width = max(20, self.size.width - 2)  # its padding
        lines = interview_lines(self._interviews, width)
        changed = len(lines) != self._interview_lines
        self._interview_lines = len(lines)
        widget.display = bool(lines)
        widget.update(Content("\n").join(lines))
        if changed and self.size.height:
            # After this refresh: a new max height in the middle of the table's reload leaves
            # it measured at no rows.
            self.call_after_refresh(lambda: self._fit_table(self.size.height))

    def _status(self, rows: list[DeckRow], now: datetime) -> Content:
        if not rows:
            return Content("No decks yet. Import one with: drill import FILE.md")
        session = ReviewSession(self.ctx.db)
        # Every deck's counts are already in the rows, from one plan: their sum is the
        # all-decks queue.
        counts = Counts(
            sum(row.new for row in rows),
            sum(row.learning for row in rows),
            sum(row.due for row in rows),
        )
        if counts.total:
            return Content.assemble(
                ("Ready: ", "bold"),
                f"{counts.new} new · {counts.learning} learning · {counts.review} due.",
            )
        lines = [Content("All done for now.").stylize("bold")]
        next_due = session.next_due(now)
        if next_due is not None:
            lines.append(Content(f"Next card due {format_when(next_due, now)}."))
        available = session.new_available(now)
        self._can_learn_more = self._can_learn_more and available > 0
        if self._can_learn_more:
            lines.append(
                Content.assemble("Press ", ("n", "bold reverse"), " for more new questions today.")
            )
        return Content("\n").join(lines)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "learn_more":
            return self._can_learn_more
        return True

    # -- actions -------------------------------------------------------------------------------
    def on_deck_table_chosen(self, message: DeckTable.Chosen) -> None:
        self._review(message.deck_id)

    def action_review_selected(self) -> None:
        selected = self.query_one(DeckTable).selected
        if selected is not None:
            self._review(selected.id)

    def action_review_all(self) -> None:
        self._review(None)

    def _review(self, deck_id: str | None) -> None:
        from drill.tui.screens.review import ReviewScreen

        selected = self.query_one(DeckTable).selected
        if deck_id is not None and selected is not None and selected.paused:
            self.notify("This deck is paused: w chooses the decks you study.", title="Paused")
            return

        def ready() -> ReviewScreen | None:
            session = ReviewSession(self.ctx.db, deck_id)
            if session.next_card(self.ctx.now()) is None:
                return None
            return ReviewScreen(self.ctx, deck_id=deck_id)

        ok, screen = tried(self, ready)
        if not ok:
            return  # told why (or gone home: the deck is no more)
        if screen is None:
            self.notify("Nothing left to study there today.", title="All done")
            return
        self.app.push_screen(screen)

    def action_learn_more(self) -> None:
        from drill.tui.screens.summary import learn_more_text

        more = guarded(self, lambda: ReviewSession(self.ctx.db).learn_more(self.ctx.now()))
        if more is None:
            return
        self.notify(learn_more_text(more), title="Learn more")
        self._review(None)

    def action_practice(self) -> None:
        from drill.study.practice import PracticeSession, practice_order
        from drill.tui.screens.review import ReviewScreen

        items = guarded(self, lambda: practice_order(self.ctx.db, self.ctx.now()))
        if items is None:
            return  # told why (or gone home)
        if not items:
            self.notify("No questions to practise in the decks you study.", title="Practice")
            return
        practice = PracticeSession(self.ctx.db, items)
        self.app.push_screen(ReviewScreen(self.ctx, practice=practice))

    def action_plan(self) -> None:
        from drill.tui.screens.plan import PlanScreen

        self.app.push_screen(PlanScreen(self.ctx))

    def action_welcome(self) -> None:
        from drill.tui.screens.welcome import WelcomeScreen

        self.app.push_screen(WelcomeScreen(self.ctx))

    def action_mock(self) -> None:
        import random

        from drill.study import mock
        from drill.tui.screens.mock import MockScreen

        selected = self.query_one(DeckTable).selected
        deck_id = selected.id if selected is not None else None
        count = mock.DEFAULT_QUESTIONS
        questions = guarded(
            self,
            lambda: mock.draw_questions(
                self.ctx.db, self.ctx.now(), count, deck_id=deck_id, rng=random.Random()
            ),
        )
        if questions is None:
            return
        if not questions:
            self.notify("No questions to ask in that deck.", title="Mock interview")
            return
        plan = mock.MockPlan(questions, None, mock.follow_ups_on(self.ctx.db), deck_id=deck_id)
        speaker = getattr(self.app, "speaker", None)
        self.app.push_screen(MockScreen(self.ctx, plan, speaker=speaker, standalone=False))

    def action_stats(self) -> None:
        from drill.tui.screens.stats import StatsScreen

        self.app.push_screen(StatsScreen(self.ctx))

    def action_jobs(self) -> None:
        from drill.tui.screens.jobs import JobsScreen

        self.app.push_screen(JobsScreen(self.ctx))

    def action_stories(self) -> None:
        from drill.tui.screens.stories import StoriesScreen

        self.app.push_screen(StoriesScreen(self.ctx))

    def action_browse(self) -> None:
        from drill.tui.screens.browse import BrowseScreen

        self.app.push_screen(BrowseScreen(self.ctx))

    def action_quit(self) -> None:
        self.app.exit()


MAX_INTERVIEW_LINES = 3


def interview_lines(interviews: list[tuple[str, Countdown]], width: int) -> list[Content]:
    """One line per interview ahead, soonest first, each within `width`: the collection's
    (no name, or the name of the job interviewing that day), each deck with a date of its
    own, and each job interviewing on another day.

    "Interview in 12 days (Mon 19 Jan) · Deck · 67% of questions seen · 84% expected
    recall on the day", shortened (then the deck name cut) when the line does not fit.
    """
    ordered = sorted(interviews, key=lambda item: item[1].days_left)
    shown = ordered[:MAX_INTERVIEW_LINES]
    hidden = len(ordered) - len(shown)
    if hidden:
        shown = shown[: MAX_INTERVIEW_LINES - 1]
        hidden += 1
    lines = [_interview_line(name, interview, width) for name, interview in shown]
    if hidden:
        lines.append(
            Content(f"…and {hidden} more interviews (drill decks, drill job list)").stylize(
                "$text-muted"
            )
        )
    return lines


def _interview_line(name: str, interview: Countdown, width: int) -> Content:
    days = interview.days_left
    when = "tomorrow" if days == 1 else f"in {days} days"
    day = interview.date.strftime("%a %d %b")
    recall = interview.retrievability
    variants = [
        (
            f"Interview {when} ({day})",
            f"{interview.seen:.0%} of questions seen",
            "no card studied yet" if recall is None else f"{recall:.0%} expected recall on the day",
        ),
        (
            f"Interview {when}",
            f"{interview.seen:.0%} seen",
            "nothing studied" if recall is None else f"{recall:.0%} recall on the day",
        ),
    ]
    name = " ".join(clean(name).split())
    for head, seen, recall_text in variants:
        separators = 9 if name else 6  # " · " between the parts
        room = width - len(head) - len(seen) - len(recall_text) - separators
        if room >= min(len(name), 12) or (head, seen, recall_text) == variants[-1]:
            break
    room = max(room, 4)
    if len(name) > room:
        name = name[: room - 1] + "…"
    named = [(name, "bold"), (" · ", "$text-muted")] if name else []
    return Content.assemble(
        (head, "bold $text-warning"),
        (" · ", "$text-muted"),
        *named,
        seen,
        (" · ", "$text-muted"),
        recall_text,
    )
