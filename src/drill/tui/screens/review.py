"""Review: one card at a time, front then back, rated through the core session.

The same screen runs a practice session (`PracticeSession`): the weakest questions in order,
ratings kept as practice and nothing rescheduled.
"""

from __future__ import annotations

from typing import ClassVar, Literal

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Collapsible, Footer, Static, TextArea

from drill.core import clock
from drill.core.coach.insights import Insights, analyse
from drill.core.format import interval as format_interval
from drill.core.leech import is_leech
from drill.core.limits import MAX_DURATION_MS
from drill.core.model import CardKind, Rating
from drill.library.jobs import study_session
from drill.progress.insights import job_terms_in
from drill.study import answers, stories
from drill.study.answers import AnswerVersion, CardNote
from drill.study.outcomes import Rated
from drill.study.practice import PracticeSession
from drill.study.session import ReviewSession, StudyCard
from drill.study.undo import Action
from drill.tui.coach_actions import leech_help, link_story
from drill.tui.context import Context
from drill.tui.guard import guarded, tried
from drill.tui.navigation import navigator
from drill.tui.sitting import LogEntry, SessionLog
from drill.tui.text import clean
from drill.tui.widgets.card_view import CardBack, CardFront
from drill.tui.widgets.checklist import RATING_STYLES, Checklist, ChecklistItems
from drill.tui.widgets.insights import InsightsPanel
from drill.tui.widgets.rating_bar import RatingBar, RevealBar
from drill.tui.widgets.review_header import ReviewHeader, queue_of

Mode = Literal["front", "typing", "back", "done"]


# Which actions make sense in which state; anything not listed is always allowed.
_MODES: dict[str, set[Mode]] = {
    "reveal": {"front"},
    "type_answer": {"front"},
    "rate": {"back"},
    "toggle_examples": {"back"},
    "checklist": {"back"},
    "finish_draft": {"typing"},
    "cancel_draft": {"typing"},
    "undo": {"front", "back", "done"},
    "edit_answer": {"front", "back"},
    "leech_help": {"back"},
    "link_story": {"back"},
    "suspend": {"front", "back"},
    "bury": {"front", "back"},
    "end": {"front", "back", "done"},
}


class ReviewScreen(Screen[None]):
    """Study a deck (or all decks). `standalone` means `drill review`: the summary quits."""

    TITLE = "Review"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "space,enter", "reveal", "Show answer", key_display="space", tooltip="Show the back"
        ),
        # Two bindings, not "space,enter": in the self-check, space ticks, and the footer must
        # not then offer "space Good" on behalf of enter.
        Binding("space", "rate(3)", "Good", tooltip="Rate Good (on the back)"),
        Binding(
            "enter",
            "rate(3)",
            "Good",
            show=False,
            tooltip="Rate Good (on the back, even in the self-check)",
        ),
        Binding("1", "rate(1)", "Again", show=False, tooltip="Rate Again: forgot it"),
        Binding("2", "rate(2)", "Hard", show=False, tooltip="Rate Hard: struggled"),
        Binding("3", "rate(3)", "Good", show=False, tooltip="Rate Good: got it"),
        Binding("4", "rate(4)", "Easy", show=False, tooltip="Rate Easy: effortless"),
        Binding(
            "x",
            "toggle_examples",
            "Examples",
            show=False,
            tooltip="Open or close the examples and the long sections",
        ),
        Binding(
            "c",
            "checklist",
            "Self-check",
            tooltip="Self-check: tick what your answer did (space ticks)",
        ),
        # Priority: runs as `t` arrives, before the letters typed after it are handed to the card
        # (where they would be lost); outside the front it is not enabled, so `t` is a letter.
        Binding(
            "t",
            "type_answer",
            "Type",
            tooltip="Type your answer before revealing",
            priority=True,
        ),
        Binding(
            "ctrl+s", "finish_draft", "Save & show", tooltip="Save the typed answer, show the back"
        ),
        Binding(
            "escape",
            "cancel_draft",
            "Back to card",
            tooltip="Stop typing; the draft is kept (t goes back to it)",
        ),
        Binding(
            "u",
            "undo",
            "Undo",
            tooltip="Undo this session's last rating, bury or suspend (repeat for more)",
        ),
        Binding("e", "edit_answer", "Edit", tooltip="Edit your saved answer"),
        Binding(
            "h",
            "leech_help",
            "Leech help",
            tooltip="A leech: rewrite it from the approach, link a story, or practise it",
        ),
        Binding("l", "link_story", "Link story", show=False, tooltip="Link one of your stories"),
        Binding("s", "suspend", "Suspend", tooltip="Suspend this card"),
        Binding("b", "bury", "Bury", tooltip="Bury this question until tomorrow"),
        Binding("escape,q", "end", "End", key_display="q", tooltip="End the session: summary"),
    ]

    def __init__(
        self,
        ctx: Context,
        *,
        deck_id: str | None = None,
        job_id: int | None = None,
        standalone: bool = False,
        sitting: SessionLog | None = None,
        undo_first: bool = False,
        practice: PracticeSession | None = None,
    ) -> None:
        super().__init__()
        self.ctx = ctx
        self.deck_id = deck_id
        self.job_id = job_id
        self.standalone = standalone
        self.practice = practice
        self.session: ReviewSession | PracticeSession = practice or study_session(
            ctx.db, deck_id, job_id
        )
        if practice is not None:
            self.title = "Practice"
        self.sitting = sitting if sitting is not None else SessionLog()
        self.card: StudyCard | None = None
        self.mode: Mode = "front"
        self._shown_at = ctx.timer()
        self._draft: str | None = None
        # The coach's reading of the answer typed (t) or edited (e) on this card, and its title.
        self._insights: Insights | None = None
        self._insights_title = ""
        self._latest: AnswerVersion | None = None
        self._note: CardNote | None = None
        self._latest_loaded = False
        self._undo_first = undo_first

    def compose(self) -> ComposeResult:
        yield ReviewHeader(self.ctx.timer, live=self.ctx.live)
        with Horizontal(id="kind-row"):
            yield Static(id="kind")
            # What the last action did ("Good · back in 2d"), until the next one.
            yield Static(id="status")
        yield VerticalScroll(id="card-scroll", can_focus=True)
        yield TextArea(
            id="draft",
            soft_wrap=True,
            placeholder=(
                "Type your answer. ctrl+s saves it and shows the back; esc steps out and keeps "
                "the draft."
            ),
        )
        yield RevealBar(id="reveal-bar")
        yield RatingBar(id="rating-bar")
        yield Footer(compact=True, show_command_palette=False)

    async def on_mount(self) -> None:
        draft = self.query_one("#draft", TextArea)
        draft.display = False
        draft.border_title = "Your answer"
        draft.border_subtitle = "ctrl+s save and show · esc keep for later"
        draft.cursor_blink = self.ctx.live  # a frozen test clock means stable screenshots
        if self._undo_first and await self._undo():
            return
        # The first card is fetched at once: time to first card is what a user waits for.
        await self._next()

    # -- showing cards -------------------------------------------------------------------------
    async def _next(self) -> None:
        card = guarded(self, lambda: self.session.next_card(self.ctx.now()))
        if card is None:
            self._finish()
            return
        await self._show_front(card)

    async def _show_front(self, card: StudyCard) -> None:
        self.card = card
        self.mode = "front"
        self._draft = None
        self._insights = None
        self._latest, self._note, self._latest_loaded = None, None, False
        self._shown_at = self.ctx.timer()
        header = self.query_one(ReviewHeader)
        if self.practice is not None:
            header.show_practice(card.deck_name, self.practice.left)
        else:
            counts = guarded(self, lambda: self.session.counts(self.ctx.now()))
            if counts is None:
                return
            header.show(card.deck_name, counts, queue_of(card.state))
        self.query_one("#kind", Static).update(Content(card.question.card_heading(card.kind)))
        draft = self.query_one("#draft", TextArea)
        draft.text = ""
        draft.display = False
        scroll = self.query_one("#card-scroll", VerticalScroll)
        await scroll.remove_children()
        await scroll.mount(CardFront(card))
        scroll.scroll_home(animate=False)
        scroll.focus()
        self._show_bar()

    async def _show_back(self) -> None:
        card = self.card
        assert card is not None
        if not self._latest_loaded and not self._load_latest(card):
            return
        preview = guarded(self, lambda: self.session.preview(card, self.ctx.now()))
        if preview is None:
            return
        self.mode = "back"
        self.query_one("#draft").display = False
        self.query_one(RatingBar).set_preview(preview)
        rehearse = card.kind == CardKind.REHEARSE
        linked = (
            guarded(
                self,
                lambda: stories.stories_for_question(self.ctx.db, card.deck_id, card.question_id),
            )
            if rehearse
            else None
        )
        back = CardBack(
            card,
            self._latest,
            self._draft,
            insights=self._insights if rehearse else None,
            insights_title=self._insights_title,
            stories=linked or [],
            leech_lapses=self._leech_lapses(card),
            note=self._note,
        )
        scroll = self.query_one("#card-scroll", VerticalScroll)
        await scroll.remove_children()
        await scroll.mount(back)
        # With a typed answer the coach suggests a rating at once; otherwise the self-check
        # is optional and suggests only once something is ticked.
        checklist = self._checklist()
        if back.insights is None:
            self._suggest(None)
        else:
            self._suggest(checklist.suggestion if checklist else back.insights.suggested_rating)
        scroll.scroll_home(animate=False)
        scroll.focus()
        self._show_bar()

    def _load_latest(self, card: StudyCard) -> bool:
        """Read the saved text shown beside the back: the latest answer to a rehearse card,
        the latest note on a Why or Dos card. False if that failed (the guard said why).
        """
        if card.kind == CardKind.REHEARSE:
            ok, latest = tried(
                self, lambda: answers.latest_answer(self.ctx.db, card.deck_id, card.question_id)
            )
            if ok:
                self._latest = latest
        else:
            ok, note = tried(
                self,
                lambda: answers.latest_note(self.ctx.db, card.deck_id, card.question_id, card.kind),
            )
            if ok:
                self._note = note
        if ok:
            self._latest_loaded = True
        return ok

    def _analyse(self, card: StudyCard, text: str) -> Insights:
        """The coach's reading of an answer; in a job's session, against its posting too."""
        terms = None
        if self.job_id is not None:
            job_id = self.job_id
            terms = guarded(self, lambda: job_terms_in(self.ctx.db, job_id, text))
        return analyse(card.question, text, job_terms=terms)

    def _leech_lapses(self, card: StudyCard) -> int:
        """How often the card lapsed, when that makes its question a leech; else 0."""
        if not isinstance(self.session, ReviewSession):
            return 0  # practice: the schedule is not in play
        config = self.session.config_for(card.deck_id)
        return card.record.lapses if is_leech(config, card.kind, card.record) else 0

    def _show_bar(self) -> None:
        self.query_one(RevealBar).display = self.mode == "front"
        self.query_one(RatingBar).display = self.mode == "back"
        self.refresh_bindings()

    def _status(self, text: str | Content) -> None:
        """Say on the status line what the last action did."""
        self.query_one("#status", Static).update(
            text if isinstance(text, Content) else Content(text)
        )

    def _suggest(self, rating: Rating | None) -> None:
        """Mark the rating the self-check suggests on the rating bar (None clears it)."""
        for button in self.query("RatingBar Button"):
            button.set_class(button.id == f"rate-{int(rating or 0)}", "-suggested")

    def _checklist(self) -> Checklist | None:
        found = self.query(Checklist)
        return found.first() if found else None

    def _elapsed_ms(self) -> int:
        # A card left open overnight counts as an hour, as the review log stores it.
        elapsed = max(0, round((self.ctx.timer() - self._shown_at) * 1000))
        return min(elapsed, MAX_DURATION_MS)

    def _finish(self) -> None:
        self.mode = "done"
        navigator(self).open_summary(
            deck_id=self.deck_id,
            job_id=self.job_id,
            standalone=self.standalone,
            sitting=self.sitting,
            practice=self.practice,
        )

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        modes = _MODES.get(action)
        if modes is None:
            return True
        if action == "checklist" and self.mode == "back":
            return self._checklist() is not None
        if action == "leech_help" and self.mode == "back":
            return self.card is not None and bool(self._leech_lapses(self.card))
        if action == "link_story" and self.mode == "back":
            return self.card is not None and self.card.kind == CardKind.REHEARSE
        return self.mode in modes

    # -- messages from the bars ----------------------------------------------------------------
    async def on_reveal_bar_reveal(self, _: RevealBar.Reveal) -> None:
        await self.action_reveal()

    def on_reveal_bar_type(self, _: RevealBar.Type) -> None:
        self.action_type_answer()

    async def on_rating_bar_chosen(self, message: RatingBar.Chosen) -> None:
        await self.action_rate(int(message.rating))

    def on_checklist_changed(self, message: Checklist.Changed) -> None:
        self._suggest(message.suggestion)
        for panel in self.query(InsightsPanel):
            panel.set_ticks(message.checklist.ticks)

    def on_checklist_items_leave(self, _: ChecklistItems.Leave) -> None:
        self.query_one("#card-scroll").focus()

    # -- actions ---------------------------------------------------------------------------------
    async def action_reveal(self) -> None:
        if self.card is not None and self.mode == "front":
            await self._show_back()

    async def action_rate(self, value: int) -> None:
        card = self.card
        if card is None or self.mode != "back":
            return
        rating, duration = Rating(value), self._elapsed_ms()
        rated = guarded(
            self, lambda: self.session.rate(card.card_id, rating, self.ctx.now(), duration)
        )
        if rated is None:
            return
        self.sitting.add(LogEntry(card.card_id, rating, duration))
        if isinstance(rated, Rated):
            self.sitting.changes.push(rated.change)
            back = clock.from_ms(rated.record.due or 0) - self.ctx.now()
            self._status(
                Content.assemble(
                    (rating.label, RATING_STYLES[rating]), f" · back in {format_interval(back)}"
                )
            )
        else:
            self._status(Content.assemble((rating.label, RATING_STYLES[rating]), " · practice"))
        await self._next()

    def action_toggle_examples(self) -> None:
        examples = list(self.query(Collapsible))
        # Open them all unless they are all open already.
        collapse = all(not example.collapsed for example in examples)
        for example in examples:
            example.collapsed = collapse

    def action_checklist(self) -> None:
        checklist = self._checklist()
        if checklist is not None and self.mode == "back":
            checklist.focus_items()

    def action_type_answer(self) -> None:
        if self.card is None or self.mode != "front":
            return
        self.mode = "typing"
        draft = self.query_one("#draft", TextArea)
        # Only a rehearsal is an answer; on a Why or Dos card the text is a note on the card.
        rehearse = self.card.kind == CardKind.REHEARSE
        draft.border_title = "Your answer" if rehearse else "Your note on this card"
        draft.placeholder = (
            "Type your answer. ctrl+s saves it to your answer bank and shows the back; esc "
            "steps out and keeps the draft."
            if rehearse
            else "Type what you recall. ctrl+s keeps it as a note on this card (not an answer) "
            "and shows the back; esc steps out and keeps the draft."
        )
        draft.display = True
        # Focus now, not on the next idle: letters typed in the same burst are already queued.
        self.set_focus(draft)
        self.query_one(RevealBar).display = False
        self.refresh_bindings()

    async def action_finish_draft(self) -> None:
        card = self.card
        if card is None or self.mode != "typing":
            return
        text = self.query_one("#draft", TextArea).text.strip()
        # The answer (or note) shown beside the draft is the one saved before it.
        if not self._load_latest(card):
            return
        if text:
            duration = self._elapsed_ms()
            if card.kind == CardKind.REHEARSE:
                guarded(
                    self,
                    lambda: answers.save_answer(
                        self.ctx.db,
                        card.deck_id,
                        card.question_id,
                        text,
                        "review",
                        self.ctx.now(),
                        duration_ms=duration,
                    ),
                )
            else:
                # Only a rehearsal is an answer: this is a note on this card.
                guarded(
                    self,
                    lambda: answers.save_note(
                        self.ctx.db,
                        card.deck_id,
                        card.question_id,
                        card.kind,
                        text,
                        self.ctx.now(),
                        duration_ms=duration,
                    ),
                )
            self._draft = text
            if card.kind == CardKind.REHEARSE:
                self._insights = self._analyse(card, text)
                self._insights_title = "Coach · your answer just now"
        await self._show_back()

    def action_cancel_draft(self) -> None:
        if self.mode != "typing":
            return
        self.mode = "front"
        self.query_one("#draft").display = False
        self.query_one("#card-scroll").focus()
        self._show_bar()

    async def action_undo(self) -> None:
        await self._undo()

    async def _undo(self) -> bool:
        """Take back this sitting's newest change (a rating, a bury or a suspend) and show
        that card's front again; False if there was nothing to undo or it could not be.
        """
        if self.practice is not None:
            return await self._undo_practice(self.practice)
        if not self.sitting.changes:
            self.notify("Nothing to undo.", timeout=2)
            self._status("Nothing to undo")
            return False
        change = guarded(self, lambda: self.sitting.changes.undo(self.ctx.db))
        if change is None:
            return False
        if change.action == Action.RATE:
            self.sitting.take_back(change.card_id)
        self.notify(clean(change.undone_message()), timeout=3, markup=False)
        self._status(f"Undid {change.label}")
        card = guarded(self, lambda: self.session.study_card(change.card_id))
        if card is None:
            return False
        await self._show_front(card)
        return True

    async def _undo_practice(self, practice: PracticeSession) -> bool:
        """Practice changes no card: undo takes its last practice rating back."""
        undone = guarded(self, practice.undo)
        if undone is None:
            self.notify("Nothing to undo.", timeout=2)
            self._status("Nothing to undo")
            return False
        self.sitting.take_back(undone.card_id)
        self._status(f"Undid {undone.rating.label}")
        card = guarded(self, lambda: practice.study_card(undone.card_id))
        if card is None:
            return False
        await self._show_front(card)
        return True

    def action_edit_answer(self) -> None:
        from drill.tui.screens.answer_editor import AnswerEditor

        card = self.card
        if card is None:
            return
        # The question's saved answer, whatever the card: on a Why or Dos card the text loaded
        # beside the back is its note, and the draft is a note, not a start for the answer.
        ok, latest = tried(
            self, lambda: answers.latest_answer(self.ctx.db, card.deck_id, card.question_id)
        )
        if not ok:
            return
        rehearse = card.kind == CardKind.REHEARSE
        initial = latest.text if latest else ((self._draft or "") if rehearse else "")

        async def saved(text: str | None) -> None:
            if text is None:
                return
            stored = guarded(
                self,
                lambda: answers.save_answer(
                    self.ctx.db, card.deck_id, card.question_id, text, "editor", self.ctx.now()
                ),
            )
            if stored:
                self._status("Answer saved")
                if self.mode == "back" and self.card is card:
                    # The edit is now the latest answer; a typed answer beside it would be
                    # stale (on a Why or Dos card the draft is a note and stays).
                    if rehearse:
                        self._draft = None
                    self._latest_loaded = False
                    if card.kind == CardKind.REHEARSE:
                        self._insights = self._analyse(card, text)
                        self._insights_title = "Coach · your edited answer"
                    await self._show_back()

        choices = guarded(
            self,
            lambda: stories.choices_for_question(self.ctx.db, card.deck_id, card.question_id),
        )
        self.app.push_screen(
            AnswerEditor(
                card.question.question, initial, blink=self.ctx.live, stories=choices or []
            ),
            saved,
        )

    def action_leech_help(self) -> None:
        card = self.card
        if card is None or self.mode != "back":
            return
        lapses = self._leech_lapses(card)
        if lapses:
            leech_help(self, self.ctx, card.deck_id, card.question_id, lapses=lapses)

    def action_link_story(self) -> None:
        card = self.card
        if card is None or self.mode != "back":
            return

        async def linked() -> None:
            if self.mode == "back" and self.card is card:
                await self._show_back()

        link_story(self, self.ctx, card.deck_id, card.question_id, linked)

    async def action_suspend(self) -> None:
        card = self.card
        if card is None:
            return
        change = guarded(self, lambda: self.session.suspend(card.card_id, True))
        if change is None:
            return
        self.sitting.changes.push(change)
        self._status("Suspended")
        await self._next()

    async def action_bury(self) -> None:
        card = self.card
        if card is None:
            return
        change = guarded(self, lambda: self.session.bury_question(card.card_id, self.ctx.now()))
        if change is None:
            return
        if self.practice is not None:
            self._status("Skipped")
        else:
            self.sitting.changes.push(change)
            self._status("Buried until tomorrow")
        await self._next()

    def action_end(self) -> None:
        self._finish()
