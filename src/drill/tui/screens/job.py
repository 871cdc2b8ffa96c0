"""A job: its countdown and readiness, each requirement with its question or marked as a gap,
and the question set with how far you are with each; review or mock the set from here.
"""

from __future__ import annotations

from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Static

from drill.core.format import plural
from drill.library.jobs import JobDetail, SetQuestion, job_session, show_job
from drill.tui.context import Context
from drill.tui.guard import guarded
from drill.tui.text import clean, countdown
from drill.tui.widgets.hanging import Entry, HangingLines

MOCK_QUESTIONS = 5


def start_review(screen: Screen[Any], ctx: Context, job_id: int) -> None:
    """Open a review of the job's set, or say there is nothing to study in it now."""
    from drill.tui.screens.review import ReviewScreen

    session = guarded(screen, lambda: job_session(ctx.db, job_id))
    if session is None:
        return
    if session.next_card(ctx.now()) is None:
        screen.notify("Nothing left to study in this job's set today.", title="All done")
        return
    screen.app.push_screen(ReviewScreen(ctx, job_id=job_id))


def start_mock(screen: Screen[Any], ctx: Context, job_id: int) -> None:
    """A mock interview of MOCK_QUESTIONS questions drawn from the job's set."""
    import random

    from drill.library.jobs import job_scope
    from drill.study import mock
    from drill.tui.screens.mock import MockScreen

    scope = guarded(screen, lambda: job_scope(ctx.db, job_id))
    if scope is None:
        return
    questions = mock.draw_questions(
        ctx.db, ctx.now(), MOCK_QUESTIONS, rng=random.Random(), only=scope.members
    )
    if not questions:
        screen.notify("No questions to ask in this job's set.", title="Mock interview")
        return
    plan = mock.MockPlan(questions, None, mock.follow_ups_on(ctx.db))
    speaker = getattr(screen.app, "speaker", None)
    screen.app.push_screen(MockScreen(ctx, plan, speaker=speaker, standalone=False))


def start_practice(screen: Screen[Any], ctx: Context, job_id: int) -> None:
    """Practise the job's set, weakest first, without rescheduling anything."""
    from drill.library.jobs import job_scope
    from drill.study.practice import PracticeSession, practice_order
    from drill.tui.screens.review import ReviewScreen

    items = guarded(
        screen,
        lambda: practice_order(ctx.db, ctx.now(), only=job_scope(ctx.db, job_id).members),
    )
    if items is None:
        return
    if not items:
        screen.notify("No questions to practise in this job's set.", title="Practice")
        return
    practice = PracticeSession(ctx.db, items)
    screen.app.push_screen(ReviewScreen(ctx, job_id=job_id, practice=practice))


def _muted(text: str) -> Content:
    return Content(text).stylize("$text-muted")


def readiness_line(detail: JobDetail) -> Entry:
    r = detail.summary.readiness
    parts = [
        f"{r.rehearsed} of {plural(r.questions, 'question')} rehearsed",
        f"{r.answered} answered",
    ]
    if r.answered:
        parts.append(f"answers use {r.terms_covered} of {r.terms} key terms")
    gaps = len(detail.gaps)
    parts.append(f"{gaps} gap{'' if gaps == 1 else 's'}")
    return Content.styled("Readiness ", "bold"), Content(" · ".join(parts))


def requirement_lines(detail: JobDetail) -> list[Entry]:
    """Each requirement (✓ served, ✗ a gap, · nothing drill recognises in it) with the
    question that rehearses it, or why it is a gap.
    """
    lines: list[Entry] = []
    for match in detail.requirements:
        text = Content(clean(match.requirement.text))
        if match.gap:
            lines.append((Content.styled("✗ ", "bold $text-error"), text))
            terms = ", ".join(clean(t) for t in match.terms)
            lines.append((_muted("    gap: "), _muted(f"no question covers it well ({terms})")))
        elif match.best:
            lines.append((Content.styled("✓ ", "bold $text-success"), text))
            lines.append((_muted("    → "), _muted(clean(match.best[0].question))))
        else:
            lines.append((Content.styled("· ", "$text-muted"), text))
    if detail.gaps:
        lines.append((Content(""), Content("")))
        lines.append(
            (
                Content(""),
                _muted(
                    f"drill job gaps {detail.id} -o gaps.md drafts a question for each gap, "
                    "to fill in and import."
                ),
            )
        )
    return lines


def _question_note(question: SetQuestion) -> str:
    notes = []
    notes.append(f"rehearsed {question.reps}×" if question.reps else "not rehearsed yet")
    use = question.term_use
    if use is None:
        notes.append("no answer yet")
    else:
        if use.used:
            notes.append("answer uses " + ", ".join(clean(t) for t in use.used))
        if use.missing:
            notes.append("misses " + ", ".join(clean(t) for t in use.missing))
    return " · ".join(notes)


def question_lines(detail: JobDetail) -> list[Entry]:
    """Each question of the set: why it is there, and how far you are with it."""
    lines: list[Entry] = []
    for number, question in enumerate(detail.questions, start=1):
        lines.append((_muted(f"{number:>2}. "), Content(clean(question.question))))
        lines.append((Content("    "), _muted(clean(question.reason))))
        lines.append((Content("    "), _muted(_question_note(question))))
    never = detail.summary.readiness.never_mentioned
    if never:
        lines.append((Content(""), Content("")))
        lines.append(
            (
                Content.styled("Your answers never mention: ", "bold"),
                Content(", ".join(clean(t) for t in never)),
            )
        )
    return lines


class JobScreen(Screen[None]):
    """One job: requirements mapped to questions or gaps, the set, and how ready you are."""

    TITLE = "Job"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "review", "Review", tooltip="Review this job's questions"),
        Binding("m", "mock", "Mock", tooltip="A timed mock interview on this job's questions"),
        Binding(
            "p",
            "practice",
            "Practice",
            tooltip="Practise this job's weakest questions; nothing is rescheduled",
        ),
        Binding("escape,q", "back", "Back", key_display="esc", tooltip="Back to the jobs"),
    ]

    def __init__(self, ctx: Context, job_id: int) -> None:
        super().__init__()
        self.ctx = ctx
        self.job_id = job_id
        self.detail: JobDetail | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="job-title")
        with VerticalScroll(id="job-scroll", can_focus=True):
            yield HangingLines(id="job-readiness")
            yield HangingLines(id="job-terms")
            yield Static("Requirements", classes="section-title")
            yield HangingLines(id="job-requirements")
            yield Static("Questions", classes="section-title")
            yield HangingLines(id="job-questions")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.query_one("#job-scroll").focus()

    def on_screen_resume(self) -> None:
        self._load()

    def _load(self) -> None:
        detail = guarded(self, lambda: show_job(self.ctx.db, self.job_id, self.ctx.now()))
        if detail is None:
            return
        self.detail = detail
        summary = detail.summary
        company = f" · {clean(summary.company)}" if summary.company else ""
        when = countdown(summary)
        interview = (
            f"interview {when} ({summary.interview.strftime('%a %d %b')})"
            if summary.interview and summary.days_left is not None
            else ("no interview date" if summary.interview is None else "interview past")
        )
        self.query_one("#job-title", Static).update(
            Content.assemble(
                (clean(summary.title), "bold"), company, (" · ", "$text-muted"), interview
            )
        )
        self.query_one("#job-readiness", HangingLines).set_entries([readiness_line(detail)])
        terms = ", ".join(clean(t.text) for t in detail.terms[:12])
        self.query_one("#job-terms", HangingLines).set_entries(
            [(Content.styled("Key terms ", "bold"), Content(terms))]
        )
        self.query_one("#job-requirements", HangingLines).set_entries(requirement_lines(detail))
        self.query_one("#job-questions", HangingLines).set_entries(question_lines(detail))

    def action_review(self) -> None:
        start_review(self, self.ctx, self.job_id)

    def action_mock(self) -> None:
        start_mock(self, self.ctx, self.job_id)

    def action_practice(self) -> None:
        start_practice(self, self.ctx, self.job_id)

    def action_back(self) -> None:
        self.app.pop_screen()
