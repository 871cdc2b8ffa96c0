"""Home: the decks with today's work, interview countdowns, today's numbers and a calendar."""

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
from drill.study.session import Counts, ReviewSession
from drill.tui.context import Context
from drill.tui.guard import guarded, tried
from drill.tui.text import clean, format_when, learn_more_line
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
        Binding("b", "browse", "Browse", tooltip="Browse and search every question"),
        Binding("s", "stats", "Stats", tooltip="Statistics: reviews, forecast, retention, decks"),
        Binding("j", "jobs", "Jobs", tooltip="Job targets: a posting's questions, gaps, readiness"),
        Binding(
            "o", "stories", "Stories", tooltip="Your story bank: each story, and what they cover"
        ),
        Binding(
            "m", "mock", "Mock", tooltip="A timed mock interview: 5 questions of the selected deck"
        ),
        Binding("n", "learn_more", "Learn more", tooltip="Learn more new cards today"),
        Binding("q", "quit", "Quit", tooltip="Quit drill"),
    ]

    def __init__(self, ctx: Context) -> None:
        super().__init__()
        self.ctx = ctx
        self._can_learn_more = False
        self._interview_lines = 0

    def compose(self) -> ComposeResult:
        yield Static(Content.from_markup("[b]drill[/b]  interview practice"), id="title")
        yield DeckTable(id="decks")
        yield Static(id="interviews")
        with Horizontal(id="lower"):
            with Vertical(id="today-panel"):
                yield Static(id="today")
                yield Static(id="status")
            with Vertical(id="calendar"):
                yield Heatmap(id="heatmap")
        yield Footer(compact=True, show_command_palette=False)

    def on_resize(self, event: events.Resize) -> None:
        self._fit_table(event.size.height)

    def _fit_table(self, height: int) -> None:
        # The deck table grows with its decks but leaves room for the countdowns and the
        # panels below; past that it scrolls (CSS cannot say "auto, but at most what is left").
        lower = self.query_one("#lower").outer_size.height or 11
        interviews = self.query_one("#interviews", Static)
        below = lower + (self._interview_lines if interviews.display else 0)
        self.query_one(DeckTable).styles.max_height = max(5, height - below - 2)

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
        self._show_interviews(rows)

        done = stats.today(db, now)
        streak = stats.streak_days(db, now)
        self.query_one("#today", Static).update(
            Content("\n").join(
                Content.assemble((f"{label:<10}", "$text-muted"), (value, "bold"))
                for label, value in (
                    ("Reviewed", str(done.reviewed)),
                    ("Time", duration(done.time_ms)),
                    ("Streak", plural(streak, "day")),
                )
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

    def _show_interviews(self, rows: list[DeckRow]) -> None:
        widget = self.query_one("#interviews", Static)
        width = max(20, self.size.width - 2)  # its padding
        lines = interview_lines([(row.name, row.interview) for row in rows if row.interview], width)
        changed = len(lines) != self._interview_lines
        self._interview_lines = len(lines)
        widget.display = bool(lines)
        widget.update(Content("\n").join(lines))
        if changed and self.size.height:
            # After this refresh: a new max height in the middle of the table's reload leaves
            # it measured at no rows.
            self.call_after_refresh(lambda: self._fit_table(self.size.height))

    def _status(self, rows: list[DeckRow], now: datetime) -> Content:
        self._can_learn_more = False
        if not rows:
            return Content("No decks yet. Import one with: drill import FILE.md")
        session = ReviewSession(self.ctx.db)
        # Every deck's counts are already in the rows: the sum is the all-decks queue.
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
        # The offer, its count and n agree: only new cards that can still come today.
        offer = session.learn_more_offer(now)
        if offer.step:
            self._can_learn_more = True
            lines.append(learn_more_line(offer.step, offer.waiting))
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
        session = ReviewSession(self.ctx.db)
        added = guarded(self, lambda: session.learn_more(self.ctx.now()))
        if added is None:
            return
        if not added:
            self.notify("No more new cards can come today.", title="Learn more")
            return
        self._review(None)

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
    """One line per deck with an interview ahead, soonest first, each within `width`.

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
            Content(f"…and {hidden} more interviews (drill decks lists them)").stylize(
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
        room = width - len(head) - len(seen) - len(recall_text) - 9  # three " · "
        if room >= min(len(name), 12) or (head, seen, recall_text) == variants[-1]:
            break
    room = max(room, 4)
    if len(name) > room:
        name = name[: room - 1] + "…"
    return Content.assemble(
        (head, "bold $text-warning"),
        (" · ", "$text-muted"),
        (name, "bold"),
        (" · ", "$text-muted"),
        seen,
        (" · ", "$text-muted"),
        recall_text,
    )
