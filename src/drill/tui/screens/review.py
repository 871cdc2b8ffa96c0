"""Review: one card at a time, front then back, rated through the core session."""

from __future__ import annotations

from typing import ClassVar, Literal

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Collapsible, Footer, Static, TextArea

from drill.core.limits import MAX_DURATION_MS
from drill.core.model import Rating
from drill.library.jobs import study_session
from drill.study import answers
from drill.study.answers import AnswerVersion
from drill.study.session import StudyCard
from drill.tui.context import Context
from drill.tui.guard import guarded, tried
from drill.tui.navigation import navigator
from drill.tui.sitting import LogEntry, SessionLog
from drill.tui.widgets.card_view import CardBack, CardFront
from drill.tui.widgets.checklist import Checklist, ChecklistItems
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
            "x", "toggle_examples", "Examples", show=False, tooltip="Open or close the examples"
        ),
        Binding(
            "c",
            "checklist",
            "Self-check",
            tooltip="Self-check: tick what your answer did (space ticks)",
        ),
        Binding("t", "type_answer", "Type", tooltip="Type your answer before revealing"),
        Binding(
            "ctrl+s", "finish_draft", "Save & show", tooltip="Save the typed answer, show the back"
        ),
        Binding("escape", "cancel_draft", "Cancel", tooltip="Stop typing (the draft is kept)"),
        Binding("u", "undo", "Undo", tooltip="Undo the last rating (repeat for more)"),
        Binding("e", "edit_answer", "Edit", tooltip="Edit your saved answer"),
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
    ) -> None:
        super().__init__()
        self.ctx = ctx
        self.deck_id = deck_id
        self.job_id = job_id
        self.standalone = standalone
        self.session = study_session(ctx.db, deck_id, job_id)
        self.sitting = sitting if sitting is not None else SessionLog()
        self.card: StudyCard | None = None
        self.mode: Mode = "front"
        self._shown_at = ctx.timer()
        self._draft: str | None = None
        self._latest: AnswerVersion | None = None
        self._latest_loaded = False
        self._undo_first = undo_first

    def compose(self) -> ComposeResult:
        yield ReviewHeader(self.ctx.timer, live=self.ctx.live)
        yield Static(id="kind")
        yield VerticalScroll(id="card-scroll", can_focus=True)
        yield TextArea(
            id="draft",
            soft_wrap=True,
            placeholder="Type your answer. ctrl+s saves it and shows the back; escape cancels.",
        )
        yield RevealBar(id="reveal-bar")
        yield RatingBar(id="rating-bar")
        yield Footer(compact=True, show_command_palette=False)

    async def on_mount(self) -> None:
        draft = self.query_one("#draft", TextArea)
        draft.display = False
        draft.border_title = "Your answer"
        draft.border_subtitle = "ctrl+s save and show · esc cancel"
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
        self._latest, self._latest_loaded = None, False
        self._shown_at = self.ctx.timer()
        counts = guarded(self, lambda: self.session.counts(self.ctx.now()))
        if counts is None:
            return
        self.query_one(ReviewHeader).show(card.deck_name, counts, queue_of(card.state))
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
        self._suggest(None)
        scroll = self.query_one("#card-scroll", VerticalScroll)
        await scroll.remove_children()
        await scroll.mount(CardBack(card, self._latest, self._draft))
        scroll.scroll_home(animate=False)
        scroll.focus()
        self._show_bar()

    def _load_latest(self, card: StudyCard) -> bool:
        """Read the user's latest answer to the card's question; False if that failed."""
        ok, latest = tried(
            self, lambda: answers.latest_answer(self.ctx.db, card.deck_id, card.question_id)
        )
        if ok:
            self._latest, self._latest_loaded = latest, True
        return ok

    def _show_bar(self) -> None:
        self.query_one(RevealBar).display = self.mode == "front"
        self.query_one(RatingBar).display = self.mode == "back"
        self.refresh_bindings()

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
        )

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        modes = _MODES.get(action)
        if modes is None:
            return True
        if action == "checklist" and self.mode == "back":
            return self._checklist() is not None
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
        draft.display = True
        draft.focus()
        self.query_one(RevealBar).display = False
        self.refresh_bindings()

    async def action_finish_draft(self) -> None:
        card = self.card
        if card is None or self.mode != "typing":
            return
        text = self.query_one("#draft", TextArea).text.strip()
        # The answer shown beside the draft is the one saved before it.
        if not self._load_latest(card):
            return
        if text:
            duration = self._elapsed_ms()
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
            self._draft = text
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
        """Take the last rating back and show that card's front again; False if none."""
        undone = guarded(self, self.session.undo)
        if undone is None:
            self.notify("Nothing to undo.", timeout=2)
            return False
        self.sitting.undo(undone.card_id)
        card = guarded(self, lambda: self.session.study_card(undone.card_id))
        if card is None:
            return False
        self.notify(f"Undid {undone.rating.label}.", timeout=2)
        await self._show_front(card)
        return True

    def action_edit_answer(self) -> None:
        from drill.tui.screens.answer_editor import AnswerEditor

        card = self.card
        if card is None:
            return
        if not self._load_latest(card):
            return
        latest = self._latest
        initial = latest.text if latest else (self._draft or "")

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
                self.notify("Answer saved.", timeout=2)
                if self.mode == "back" and self.card is card:
                    # The edit is now the latest answer; the draft beside it would be stale.
                    self._draft = None
                    self._latest_loaded = False
                    await self._show_back()

        self.app.push_screen(
            AnswerEditor(card.question.question, initial, blink=self.ctx.live), saved
        )

    async def action_suspend(self) -> None:
        card = self.card
        if card is None:
            return
        guarded(self, lambda: self.session.suspend(card.card_id, True))
        self.notify("Card suspended. Unsuspend it in Browse (b on the home screen).", timeout=3)
        await self._next()

    async def action_bury(self) -> None:
        card = self.card
        if card is None:
            return
        guarded(self, lambda: self.session.bury_question(card.card_id, self.ctx.now()))
        self.notify("Question buried until tomorrow.", timeout=2)
        await self._next()

    def action_end(self) -> None:
        self._finish()
