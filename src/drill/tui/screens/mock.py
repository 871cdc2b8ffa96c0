"""A timed mock interview: one question at a time, a countdown, and your typed answer."""

from __future__ import annotations

import subprocess
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Static, TextArea

from drill.core.format import speaking_time
from drill.study import mock
from drill.study.mock import MockAnswer, MockPlan, MockStep
from drill.tui.context import Context
from drill.tui.guard import guarded, tried
from drill.tui.text import plain
from drill.tui.widgets.countdown import Countdown, format_mss

READY = "Answer as you would out loud. ctrl+s submits and moves on."
FOLLOW_UP = "The interviewer follows up. Answer briefly; ctrl+s submits and moves on."
TIME_UP = "Time's up. Finish your thought, then ctrl+s: nothing is cut off."


class MockScreen(Screen[None]):
    """Ask each question of `plan` in turn; every answer is saved the moment it is submitted.

    `speaker` is the path of espeak-ng, or None (then reading aloud is not offered).
    """

    TITLE = "Mock interview"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "submit", "Submit", tooltip="Submit this answer (saved at once), go on"),
        Binding("ctrl+r", "read_aloud", "Read aloud", tooltip="Read the question aloud"),
        Binding(
            "escape",
            "end",
            "End",
            tooltip="End the mock early: what you typed is kept, then review your answers",
        ),
    ]

    def __init__(
        self, ctx: Context, plan: MockPlan, *, speaker: str | None = None, standalone: bool = True
    ) -> None:
        super().__init__()
        self.ctx = ctx
        self.plan = plan
        self.speaker = speaker
        self.standalone = standalone
        self.steps = plan.steps()
        self.index = 0
        self.answers: list[MockAnswer] = []
        self._shown_at = ctx.timer()
        self._voice: subprocess.Popen[bytes] | None = None

    def compose(self) -> ComposeResult:
        with Horizontal(id="mock-header"):
            yield Static(id="mock-title")
            yield Countdown(
                self.plan.limit(self.steps[0]), self.ctx.timer, live=self.ctx.live, id="countdown"
            )
        with Vertical(id="mock-question"):
            yield Static(id="mock-prompt")
            yield Static(id="mock-deck")
        yield Static(Content(READY), id="mock-status")
        yield TextArea(
            id="mock-answer",
            soft_wrap=True,
            placeholder="Type your answer here.",
        )
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        if self.plan.mock_id is None:
            # Recorded from the start, so the report shows how the mock went.
            started = guarded(self, lambda: mock.start(self.ctx.db, self.plan, self.ctx.now()))
            if started is not None:
                self.plan = started
        area = self.query_one("#mock-answer", TextArea)
        area.border_title = "Your answer"
        area.border_subtitle = "ctrl+s submit"
        area.cursor_blink = self.ctx.live  # a frozen test clock means stable screenshots
        self._show()

    @property
    def step(self) -> MockStep:
        return self.steps[self.index]

    def _show(self) -> None:
        step, total = self.step, len(self.plan.questions)
        number = self.plan.questions.index(step.item) + 1
        limit = self.plan.limit(step)
        target = self.plan.target(step)
        # A follow-up's countdown says all there is to say about its time.
        timing = ""
        if target is not None:
            timing = f"  ·  aim for {speaking_time(*target)}"
        elif not step.follow_up:
            timing = f"  ·  {format_mss(limit)} each"
        where = f"  Question {number} of {total}" + (", follow-up" if step.follow_up else "")
        self.query_one("#mock-title", Static).update(
            Content.assemble(
                ("Mock interview", "bold"), (where, "$text-muted"), (timing, "$text-muted")
            )
        )
        self.query_one("#mock-prompt", Static).update(plain(step.prompt))
        context = step.item.deck_name
        if step.follow_up:
            context = f"Follow-up to: {step.item.prompt}"
        self.query_one("#mock-deck", Static).update(plain(context))
        status = self.query_one("#mock-status", Static)
        status.update(Content(FOLLOW_UP if step.follow_up else READY))
        status.remove_class("-over")
        area = self.query_one("#mock-answer", TextArea)
        area.text = ""
        area.focus()
        self._shown_at = self.ctx.timer()
        self.query_one(Countdown).restart(limit)

    def _elapsed_ms(self) -> int:
        return max(0, round((self.ctx.timer() - self._shown_at) * 1000))

    def on_countdown_time_up(self, _: Countdown.TimeUp) -> None:
        status = self.query_one("#mock-status", Static)
        status.update(Content(TIME_UP))
        status.add_class("-over")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "read_aloud":
            return self.speaker is not None  # hidden, not just greyed out, when unavailable
        return True

    # -- actions ---------------------------------------------------------------------------------
    def _submit(self) -> None:
        """Keep the answer on screen and save it to the answer bank now (quitting loses nothing)."""
        text = self.query_one("#mock-answer", TextArea).text.strip()
        step = self.step
        answer = MockAnswer(
            step.item,
            text,
            self._elapsed_ms(),
            self.plan.limit(step),
            step.follow_up,
            mock_id=self.plan.mock_id,
            position=self.plan.questions.index(step.item),
        )
        self.answers.append(answer)
        tried(
            self,
            lambda: mock.save_answer(self.ctx.db, answer, self.ctx.now()),
            title="Answer not saved",
        )

    def action_submit(self) -> None:
        self._submit()
        if self.index + 1 < len(self.steps):
            self.index += 1
            self._show()
        else:
            self._finish()

    def action_end(self) -> None:
        from drill.tui.screens.confirm import ConfirmScreen

        def answer(yes: bool | None) -> None:
            if not yes:
                self.query_one("#mock-answer", TextArea).focus()
                return
            if self.query_one("#mock-answer", TextArea).text.strip():
                self._submit()
            self._finish()

        self.app.push_screen(
            ConfirmScreen(
                "End the mock?",
                "What you typed so far is saved, and you go on to review the answers you gave.",
                yes="End",
            ),
            answer,
        )

    def action_read_aloud(self) -> None:
        if self.speaker is None:
            return
        self._stop_voice()
        try:
            # The text goes in on stdin, so a prompt can never be taken for an option.
            self._voice = subprocess.Popen(
                [self.speaker, "--stdin"],
                stdin=subprocess.PIPE,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            assert self._voice.stdin is not None
            self._voice.stdin.write(self.step.prompt.encode("utf-8"))
            self._voice.stdin.close()
        except OSError as exc:
            self.notify(f"Could not read aloud: {exc}", severity="warning", markup=False)

    def _stop_voice(self) -> None:
        if self._voice is not None and self._voice.poll() is None:
            self._voice.terminate()
        self._voice = None

    def on_unmount(self) -> None:
        self._stop_voice()

    def _finish(self) -> None:
        from drill.tui.screens.mock_review import MockReviewScreen

        self._stop_voice()
        if not self.answers:
            if self.standalone:
                self.app.exit()
            else:
                self.app.pop_screen()
            return
        self.app.switch_screen(MockReviewScreen(self.ctx, self.answers, standalone=self.standalone))
