"""The welcome: the decks to study, the interview date and the minutes a day, with the plan's
verdict changing as the choices do.

It opens by itself on the home screen of a bare `drill` while the collection has no review
yet (`first_run`), and from home with `w` at any time. `esc` leaves it and changes nothing;
on the first run that also keeps the defaults for good (it does not open by itself again).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import Screen
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Button, Footer, Input, SelectionList, Static
from textual.widgets.selection_list import Selection

from drill.core.config import ConfigError, parse_value
from drill.core.format import plural, short_date
from drill.core.model import Deck
from drill.study import plan as planning
from drill.study import setup
from drill.tui.context import Context
from drill.tui.guard import guarded
from drill.tui.planning import run_plan
from drill.tui.text import clean

# Typing pauses this long before the plan is worked out again.
DEBOUNCE = 0.3


class WelcomeScreen(Screen[None]):
    """Three choices that make a plan: what to study, for when, and how long a day."""

    TITLE = "Welcome"
    # Under 24 rows the introduction gives way (drill.tcss), so the minutes and the verdict
    # show without scrolling at 60x20 even with a job's note and a long verdict.
    VERTICAL_BREAKPOINTS = [  # noqa: RUF012 (typed by Screen; a ClassVar here upsets mypy)
        (0, "-short"),
        (24, "-tall"),
    ]
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "start", "Start", tooltip="Make these choices the plan", priority=True),
        Binding("escape", "skip", "Skip", tooltip="Leave without changing anything"),
    ]

    def __init__(self, ctx: Context, *, first_run: bool = False) -> None:
        super().__init__()
        self.ctx = ctx
        self.first_run = first_run
        self.choices = planning.Choices.current(ctx.db)
        self._decks = setup.deck_choices(ctx.db)
        self._timer: Timer | None = None
        self._valid = True

    def compose(self) -> ComposeResult:
        title = "Welcome to drill" if self.first_run else "Your plan"
        yield Static(Content.assemble((title, "bold"), "  decks · date · minutes"), id="title")
        # Everything but the deck list keeps its height; the list shrinks (and scrolls) so
        # the date, the minutes and the verdict show at 60x20 without scrolling the screen.
        with Vertical(id="welcome-body"):
            yield Static(
                "Three choices make a plan you can keep. A role pack ticked is added; esc "
                "changes nothing.",
                id="welcome-intro",
            )
            yield Static(
                Content.assemble(
                    ("1. Decks to study", "bold $text-accent"),
                    ("  space ticks one; the others pause, progress kept", "$text-muted"),
                ),
                id="welcome-decks-title",
            )
            yield SelectionList[str](*self._deck_choices(), id="welcome-decks", compact=True)
            yield from self._sources()
            with Horizontal(classes="welcome-row"):
                yield Static("2. Interview date", classes="welcome-label")
                yield Input(
                    self.choices.interview.isoformat() if self.choices.interview else "",
                    placeholder="YYYY-MM-DD",
                    id="welcome-date",
                    compact=True,
                )
                yield Static(id="welcome-date-note", classes="welcome-note")
            with Horizontal(classes="welcome-row"):
                yield Static("3. Minutes a day", classes="welcome-label")
                yield Input(
                    str(self.choices.daily_minutes) if self.choices.daily_minutes else "off",
                    placeholder="5 to 600",
                    id="welcome-minutes",
                    compact=True,
                )
                yield Static(id="welcome-minutes-note", classes="welcome-note")
        yield Static(id="welcome-verdict")
        with Horizontal(id="welcome-buttons"):
            yield Button("Start  ctrl+s", variant="primary", id="welcome-start", compact=True)
            yield Button("Skip  esc", id="welcome-skip", compact=True)
        yield Footer(compact=True, show_command_palette=False)

    def _deck_choices(self, ticked: set[str] | None = None) -> list[Selection[str]]:
        """The decks, then the role packs not added yet (ticking one adds it on Start);
        ticked: those studied, or the `ticked` ones.
        """
        out = []
        for deck in self._decks:
            count = f"  {deck.questions} question{'s' if deck.questions != 1 else ''}"
            if deck.pack is not None:
                count += " · role pack"
            label = Content(clean(deck.name)) + Content(count).stylize("$text-muted")
            chosen = deck.studied if ticked is None else deck.id in ticked
            out.append(Selection(label, deck.id, chosen))
        return out

    def _sources(self) -> list[Widget]:
        """More to study, beside the decks and packs: a job posting, pasted. Its set's decks
        become the decks studied and its interview date the plan's (one interview).
        """
        return [
            Button("Or paste a job posting…", id="welcome-posting", compact=True),
            Static(id="welcome-posting-note"),
        ]

    def _packs(self, chosen: frozenset[str]) -> list[Deck]:
        """The role packs ticked, to plan as if added."""
        return [d.pack for d in self._decks if d.pack is not None and d.id in chosen]

    def on_mount(self) -> None:
        self.query_one("#welcome-posting-note").display = False  # until a job is added
        self.query_one("#welcome-decks").focus()
        self._changed(at_once=True)

    # -- the choices -----------------------------------------------------------------------
    @on(SelectionList.SelectedChanged)
    @on(Input.Changed)
    def _on_change(self) -> None:
        self._changed()

    @on(Input.Submitted)
    def _next_field(self) -> None:
        self.focus_next()

    def _read(self) -> planning.Choices | None:
        """The choices on screen, or None (with the reason shown) when one is not valid."""
        date_note = self.query_one("#welcome-date-note", Static)
        minutes_note = self.query_one("#welcome-minutes-note", Static)
        valid = True
        interview: date | None = None
        text = self.query_one("#welcome-date", Input).value.strip()
        try:
            interview = setup.interview_date(self.ctx.db, text, self.ctx.now())
            date_note.update(
                f"{interview:%A} {short_date(interview)}" if interview else "optional: none set"
            )
        except (ConfigError, setup.SetupError) as exc:
            date_note.update(
                Content(str(exc).removeprefix("interview_date: ")).stylize("$text-error")
            )
            valid = False
        minutes: int | None = None
        try:
            minutes = parse_value("daily_minutes", self.query_one("#welcome-minutes", Input).value)
            minutes_note.update(
                "due cards first, then new questions"
                if minutes
                else "off: no budget, only each deck's card limit"
            )
        except ConfigError as exc:
            minutes_note.update(
                Content(str(exc).removeprefix("daily_minutes: ")).stylize("$text-error")
            )
            valid = False
        decks = frozenset(self.query_one("#welcome-decks", SelectionList).selected)
        if not decks:
            valid = False
        if not valid:
            return None
        return replace(self.choices, decks=decks, interview=interview, daily_minutes=minutes)

    def _changed(self, *, at_once: bool = False) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        choices = self._read()
        self._valid = choices is not None
        verdict = self.query_one("#welcome-verdict", Static)
        if choices is None:
            verdict.update(
                Content("Pick at least one deck.").stylize("$text-error")
                if not self.query_one("#welcome-decks", SelectionList).selected
                else Content("Fix the choice above to see the plan.").stylize("$text-muted")
            )
            return
        self.choices = choices
        verdict.update(Content("Working out the plan…").stylize("$text-muted"))
        if at_once or not self.ctx.live:
            self._plan()
        else:
            self._timer = self.set_timer(DEBOUNCE, self._plan)

    def _plan(self) -> None:
        prepared = planning.prepare(
            self.ctx.db, self.ctx.now(), choices=self.choices, extra=self._packs(self.choices.decks)
        )
        run_plan(self, self.ctx, prepared, self._show)

    def _show(self, plan: planning.Plan) -> None:
        if plan.daily_minutes != self.choices.daily_minutes:
            return  # an older plan, overtaken by a newer choice
        self.query_one("#welcome-verdict", Static).update(
            Content.assemble(("Plan ", "bold"), plan.verdict)
        )

    # -- a job posting ------------------------------------------------------------------------
    @on(Button.Pressed, "#welcome-posting")
    def _posting_pressed(self) -> None:
        from drill.tui.screens.add_job import AddJobScreen

        self.app.push_screen(AddJobScreen(self.ctx), self._job_added)

    def _job_added(self, job_id: int | None) -> None:
        if job_id is None:
            return
        from drill.library.jobs import job_scope

        scope = guarded(self, lambda: job_scope(self.ctx.db, job_id))
        if scope is None:
            return
        note = self.query_one("#welcome-posting-note", Static)
        note.display = True
        ticked = {deck for deck, ids in scope.members.items() if ids}
        if not ticked:
            note.update(
                f"Job {scope.job_id}: no question of your decks fits this posting; "
                f"`drill job gaps {scope.job_id}` drafts some."
            )
            return
        # The job's packs are in the collection now: list the decks afresh, its own ticked.
        self._decks = setup.deck_choices(self.ctx.db)
        listed = self.query_one("#welcome-decks", SelectionList)
        listed.clear_options()
        listed.add_options(self._deck_choices(ticked))
        if scope.interview is not None:
            self.query_one("#welcome-date", Input).value = scope.interview.isoformat()
        decks = len(ticked)
        note.update(
            Content(
                f"Job {scope.job_id}: {plural(scope.questions, 'question')} from "
                f"{plural(decks, 'deck')}, ticked above"
                + (", its interview date below." if scope.interview else ".")
            )
        )
        self._changed(at_once=True)

    # -- leaving ------------------------------------------------------------------------------
    @on(Button.Pressed, "#welcome-start")
    def _start_pressed(self) -> None:
        self.action_start()

    @on(Button.Pressed, "#welcome-skip")
    def _skip_pressed(self) -> None:
        self.action_skip()

    def action_start(self) -> None:
        choices = self._read()
        if choices is None:
            self.notify("Fix the choices first.", title="Not yet", severity="warning")
            return
        if guarded(self, lambda: setup.apply(self.ctx.db, choices, self.ctx.now())) is None:
            return
        self.dismiss(None)

    def action_skip(self) -> None:
        if self.first_run:
            guarded(self, lambda: setup.skip_welcome(self.ctx.db))
        self.dismiss(None)
