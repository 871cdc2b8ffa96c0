"""After a mock: each answer with the coach's insights beside the approach, a self-check,
then a rating to confirm.
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer, Static

from drill.core.coach.insights import Insights, analyse
from drill.core.coach.rubric import SelfCheck
from drill.core.model import Rating
from drill.progress.insights import summary
from drill.study import mock
from drill.study.mock import MockAnswer, MockResponse, responses
from drill.study.session import ReviewSession
from drill.tui.context import Context
from drill.tui.guard import guarded
from drill.tui.text import plain
from drill.tui.widgets.card_view import section
from drill.tui.widgets.checklist import RATING_STYLES, Checklist, ChecklistItems
from drill.tui.widgets.countdown import format_mss
from drill.tui.widgets.insights import CoachRow, InsightsPanel
from drill.tui.widgets.markdown import DeckMarkdown
from drill.tui.widgets.rating_bar import RatingBar


def answer_time(answer: MockAnswer) -> str:
    """ "1:32 of 2:00", or "2:14 of 2:00, over time"."""
    text = f"{format_mss(round(answer.duration_ms / 1000))} of {format_mss(answer.limit_s)}"
    return text if answer.in_time else text + ", over time"


def insights_of(response: MockResponse) -> Insights | None:
    """The coach's reading of the main answer (None when nothing was typed)."""
    text = response.answer.text
    return analyse(response.item.question, text) if text.strip() else None


class MockAnswerView(Vertical):
    """One question's answers: the question as asked, what you typed and how long it took, the
    follow-up and your answer to it, the coach's insights beside the short answer and
    approach, and the dos, don'ts and red flags as a checklist.
    """

    def __init__(self, response: MockResponse, insights: Insights | None = None) -> None:
        super().__init__(classes="card-back mock-answer-view")
        self.response = response
        self.insights = insights

    def compose(self) -> ComposeResult:
        response = self.response
        item = response.item
        question = item.question
        yield Static(plain(item.prompt), classes="back-question")
        if item.prompt != question.question:
            yield Static(plain(f"Also asked as: {question.question}"), classes="answer-meta")
        yield from _said("Your answer", response.answer)
        if response.follow_up is not None:
            yield from _said(f"Follow-up: {response.follow_up.follow_up}", response.follow_up)
        notes: list[Widget] = []
        if question.short_answer.strip():
            notes += [
                section("Short answer (about 30 seconds)"),
                DeckMarkdown(question.short_answer, classes="short-answer"),
            ]
        if question.approach.strip():
            notes += [section("Approach"), DeckMarkdown(question.approach)]
        beside: list[Widget] = []
        if self.insights is not None:
            beside.append(InsightsPanel(self.insights, in_time=response.in_time))
        if notes:
            beside.append(Vertical(*notes, classes="approach"))
        # The coach sits beside the notes on a wide screen, above them on a narrow one.
        if beside:
            yield CoachRow(*beside)
        if question.dos or question.donts or question.red_flags:
            yield Checklist(
                question.dos,
                question.donts,
                red_flags=question.red_flags,
                insights=self.insights,
                in_time=response.in_time,
                always_suggest=True,
                # The screen keeps the suggestion in sight above the rating bar instead.
                inline_suggestion=False,
                hint="Tick what your answer did: up/down move, space ticks.",
                inside_hint="Tick what your answer did: up/down move, space ticks.",
            )
        elif self.insights is None:
            yield section("Self-check")
            yield Static(
                Content("This question has no dos or don'ts to check: rate it with 1-4."),
                classes="answer-hint",
            )


def _said(title: str, answer: MockAnswer) -> list[Widget]:
    out: list[Widget] = [
        Static(plain(title), classes="section-title"),
        Static(plain(answer_time(answer)), classes="answer-meta"),
    ]
    if answer.text:
        out.append(Static(plain(answer.text), classes="answer-text"))
    else:
        out.append(Static(Content("Nothing typed."), classes="answer-hint"))
    return out


class MockReviewScreen(Screen[None]):
    """Go through the answers one by one; each confirmed rating is a review of the
    question's rehearse card, timed by the answer.
    """

    TITLE = "Mock review"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "confirm", "Confirm", tooltip="Record the suggested rating"),
        Binding("1", "rate(1)", "Again", show=False, tooltip="Rate Again: could not answer"),
        Binding("2", "rate(2)", "Hard", show=False, tooltip="Rate Hard: struggled"),
        Binding("3", "rate(3)", "Good", show=False, tooltip="Rate Good: answered well"),
        Binding("4", "rate(4)", "Easy", show=False, tooltip="Rate Easy: effortless"),
        Binding("c", "checklist", "Self-check", tooltip="Move to the checklist (space ticks)"),
        Binding("n", "skip", "Skip", tooltip="Next answer, without rating this one"),
        Binding("q", "end", "End", tooltip="Stop reviewing: the summary (unrated stay unrated)"),
    ]

    def __init__(self, ctx: Context, answers: list[MockAnswer], *, standalone: bool = True):
        super().__init__()
        self.ctx = ctx
        self.answers = responses(answers)
        self.standalone = standalone
        self.session = ReviewSession(ctx.db)
        self.index = 0
        self.ratings: list[Rating | None] = [None] * len(self.answers)
        self.insights = [insights_of(response) for response in self.answers]
        # The self-check as rated, so the summary's rubric is the one shown beside it.
        self.ticks: list[SelfCheck | None] = [None] * len(self.answers)

    def compose(self) -> ComposeResult:
        with Horizontal(id="mock-header"):
            yield Static(id="mock-title")
        yield VerticalScroll(id="mock-review-scroll", can_focus=True)
        yield Static(id="mock-suggestion")
        yield RatingBar(id="rating-bar")
        yield Footer(compact=True, show_command_palette=False)

    async def on_mount(self) -> None:
        await self._show()

    @property
    def answer(self) -> MockResponse:
        return self.answers[self.index]

    def _checklist(self) -> Checklist | None:
        found = self.query(Checklist)
        return found.first() if found else None

    async def _show(self) -> None:
        answer = self.answer
        self.query_one("#mock-title", Static).update(
            Content.assemble(
                ("Mock review", "bold"),
                (f"  Answer {self.index + 1} of {len(self.answers)}", "$text-muted"),
                ("  ·  ", "$text-muted"),
                plain(answer.item.deck_name).stylize("$text-muted"),
            )
        )
        scroll = self.query_one("#mock-review-scroll", VerticalScroll)
        await scroll.remove_children()
        await scroll.mount(MockAnswerView(answer, self.insights[self.index]))
        scroll.scroll_home(animate=False)
        card = guarded(self, lambda: self.session.study_card(answer.item.card_id))
        if card is not None:
            preview = guarded(self, lambda: self.session.preview(card, self.ctx.now()))
            self.query_one(RatingBar).set_preview(preview or {})
        checklist = self._checklist()
        if checklist is not None:
            # The panel's rubric starts from the same ticks as the checklist beside it.
            for panel in self.query(InsightsPanel):
                panel.set_ticks(checklist.ticks)
        self._suggest(self._suggestion())
        target: Widget = checklist.items if checklist else scroll
        target.focus(scroll_visible=False)
        self.refresh_bindings()

    def _suggest(self, rating: Rating | None) -> None:
        """Show the suggestion above the rating bar and mark its button."""
        for button in self.query("RatingBar Button"):
            button.set_class(button.id == f"rate-{int(rating or 0)}", "-suggested")
        if rating is None:
            line = Content("Rate this answer: 1 Again · 2 Hard · 3 Good · 4 Easy").stylize(
                "$text-muted"
            )
        else:
            line = Content.assemble(
                ("Suggested: ", "$text-muted"),
                (f"{int(rating)} {rating.label}", RATING_STYLES[rating]),
                ("   enter confirms it, 1-4 chooses another", "$text-muted"),
            )
        self.query_one("#mock-suggestion", Static).update(line)

    def _suggestion(self) -> Rating | None:
        """The checklist's suggestion; without one, the coach's on the typed answer."""
        checklist = self._checklist()
        if checklist is not None:
            return checklist.suggestion
        found = self.insights[self.index]
        return found.suggestion(in_time=self.answer.in_time).rating if found else None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "confirm":
            # Shown greyed out when there is nothing to suggest from.
            return True if self._suggestion() else None
        if action == "checklist":
            return self._checklist() is not None
        return True

    # -- messages ----------------------------------------------------------------------------
    def on_checklist_changed(self, message: Checklist.Changed) -> None:
        self._suggest(message.suggestion)
        for panel in self.query(InsightsPanel):
            panel.set_ticks(message.checklist.ticks)
        self.refresh_bindings()

    def on_checklist_items_leave(self, _: ChecklistItems.Leave) -> None:
        self.query_one("#mock-review-scroll").focus()

    async def on_rating_bar_chosen(self, message: RatingBar.Chosen) -> None:
        await self.action_rate(int(message.rating))

    # -- actions -----------------------------------------------------------------------------
    async def action_rate(self, value: int) -> None:
        rating = Rating(value)
        rated = guarded(
            self, lambda: mock.record_rating(self.ctx.db, self.answer, rating, self.ctx.now())
        )
        if rated is None:
            return
        self.ratings[self.index] = rating
        checklist = self._checklist()
        self.ticks[self.index] = checklist.ticks if checklist is not None else None
        await self._advance()

    async def action_confirm(self) -> None:
        suggestion = self._suggestion()
        if suggestion is None:
            self.notify("Nothing to suggest from: rate it with 1-4.", timeout=2)
            return
        await self.action_rate(int(suggestion))

    def action_checklist(self) -> None:
        checklist = self._checklist()
        if checklist is not None:
            checklist.focus_items()

    async def action_skip(self) -> None:
        await self._advance()

    async def _advance(self) -> None:
        if self.index + 1 < len(self.answers):
            self.index += 1
            await self._show()
        else:
            self.action_end()

    def action_end(self) -> None:
        self.app.switch_screen(
            MockSummaryScreen(
                self.ctx,
                self.answers,
                self.ratings,
                standalone=self.standalone,
                insights=self.insights,
                ticks=self.ticks,
            )
        )


class MockSummaryScreen(Screen[None]):
    """The mock at a glance: each question, the time taken, the rating given, and the coach's
    summary of the answer with the rubric rows to work on.
    """

    TITLE = "Mock summary"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q,escape,enter", "close", "Done", key_display="q", tooltip="Leave the mock"),
    ]

    def __init__(
        self,
        ctx: Context,
        answers: list[MockResponse],
        ratings: list[Rating | None],
        *,
        standalone: bool = True,
        insights: list[Insights | None] | None = None,
        ticks: list[SelfCheck | None] | None = None,
    ) -> None:
        super().__init__()
        self.ctx = ctx
        self.answers = answers
        self.ratings = ratings
        self.standalone = standalone
        self.insights = insights or [insights_of(response) for response in answers]
        self.ticks = ticks or [None] * len(answers)

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="summary-scroll"), Vertical(id="summary"):
            yield Static(Content("Mock interview done").stylize("bold"), id="summary-title")
            with Vertical(id="summary-body"):
                for number in range(1, len(self.answers) + 1):
                    prompt, details = self._answer(number)
                    with Horizontal(classes="summary-prompt"):
                        yield Static(Content.styled(f"{number}.", "$text-muted"), classes="number")
                        yield Static(prompt)
                    # Indented as a block, so a wrapped line stays under its own.
                    yield Static(details, classes="summary-detail")
                yield Static(self._saved(), classes="summary-saved")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.query_one("#summary").border_title = "Mock summary"

    def _answer(self, number: int) -> tuple[Content, Content]:
        """One answer: its question (after its number), then its time, rating and the coach's
        summary.
        """
        answer, rating = self.answers[number - 1], self.ratings[number - 1]
        time = answer_time(answer.answer)
        if answer.follow_up is not None:
            time += f", follow-up {answer_time(answer.follow_up)}"
        verdict = (
            Content(rating.label).stylize(RATING_STYLES[rating])
            if rating is not None
            else Content("not rated").stylize("$text-muted")
        )
        prompt = plain(answer.item.prompt)
        lines = [Content.assemble((time, "$text-muted"), "  ·  ", verdict)]
        found = self.insights[number - 1]
        if found is not None:
            ticks = self.ticks[number - 1]
            lines.append(Content.styled(summary(found, rating=False, ticks=ticks), "$text-muted"))
            rows = found.rubric_with(ticks).rows
            weak = [row.label.lower() for row in rows if row.points in (0, 1)]
            if weak:
                lines.append(Content.assemble(("work on: ", "$text-muted"), ", ".join(weak)))
        return prompt, Content("\n").join(lines)

    def _saved(self) -> Content:
        saved = sum(1 for answer in self.answers if answer.answer.text)
        follow_ups = sum(1 for a in self.answers if a.follow_up is not None and a.follow_up.text)
        kept = (
            f" and {follow_ups} follow-up answer{'s' if follow_ups != 1 else ''} kept "
            "with their questions (browse shows them)"
            if follow_ups
            else ""
        )
        return Content(
            f"{saved} answer{'s' if saved != 1 else ''} saved to your answer bank{kept}: "
            "`drill export answers` prints your latest answers."
        ).stylize("$text-muted")

    def action_close(self) -> None:
        if self.standalone:
            self.app.exit()
        else:
            self.app.pop_screen()
