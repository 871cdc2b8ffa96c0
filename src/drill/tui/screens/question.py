"""One question in full: its notes, each card's numbers, its reviews and the user's answers."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import DataTable, Footer, Static

from drill.core import clock
from drill.core.coach.insights import analyse
from drill.core.format import duration, speaking_time
from drill.core.model import CardKind, CardState
from drill.errors import Missing
from drill.progress.insights import summary
from drill.study import answers, stories
from drill.study.browse import BrowseRow, browse_row, question_reviews, recall_now
from drill.study.undo import UndoStack
from drill.tui.actions import confirm_reset, reset_question, suspend_question, undo_last
from drill.tui.context import Context
from drill.tui.guard import guarded, tried
from drill.tui.text import clean, format_moment, plain
from drill.tui.widgets.card_view import question_notes, section
from drill.tui.widgets.insights import InsightsPanel


def _table(id: str) -> DataTable[object]:
    table: DataTable[object] = DataTable(id=id, cursor_type="none", zebra_stripes=True)
    table.can_focus = False
    return table


class QuestionScreen(Screen[None]):
    """Everything drill knows about one question; scrolls when it is long."""

    TITLE = "Question"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("e", "edit_answer", "Edit answer", tooltip="Write a new version of your answer"),
        Binding("s", "suspend", "Suspend", tooltip="Suspend or unsuspend the question's cards"),
        Binding("r", "reset", "Reset", tooltip="Reset the question's progress (asks first)"),
        Binding("u", "undo", "Undo", tooltip="Undo the last suspend or reset (repeat for more)"),
        Binding("escape,q", "back", "Back", key_display="esc", tooltip="Back to the browser"),
    ]

    def __init__(
        self, ctx: Context, deck_id: str, question_id: str, *, changes: UndoStack | None = None
    ) -> None:
        super().__init__()
        self.ctx = ctx
        self.deck_id = deck_id
        self.question_id = question_id
        # The browse session's undo stack (its own when opened on its own).
        self.changes = changes if changes is not None else UndoStack()

    def compose(self) -> ComposeResult:
        yield VerticalScroll(id="question-scroll", can_focus=True)
        yield Footer(compact=True, show_command_palette=False)

    async def on_mount(self) -> None:
        await self._load()

    def _row(self) -> BrowseRow | None:
        """The question read afresh, or None once the user is told why it cannot be (gone:
        another drill removed it, and the app goes home).
        """
        return guarded(self, self._fresh_row)

    def _fresh_row(self) -> BrowseRow:
        row = browse_row(self.ctx.db, self.deck_id, self.question_id)
        if row is None:
            raise Missing(f"no question '{self.deck_id}/{self.question_id}'")
        return row

    async def _load(self) -> None:
        row = self._row()
        if row is None:
            return
        widgets = guarded(self, lambda: self._widgets(row))
        if widgets is None:
            return
        scroll = self.query_one("#question-scroll", VerticalScroll)
        await scroll.remove_children()
        await scroll.mount_all(widgets)
        if not tried(self, lambda: self._fill_tables(row))[0]:
            return
        scroll.focus()

    def _widgets(self, row: BrowseRow) -> list[Widget]:
        q = row.question
        out: list[Widget] = [Static(plain(q.question), classes="back-question")]
        meta = [f"Deck: {row.deck_name}"]
        if q.tags:
            meta.append("Tags: " + ", ".join(q.tags))
        out.append(Static(plain("   ".join(meta)), classes="answer-meta"))
        about = [part for part in (q.type, q.level and f"level: {q.level}") if part]
        if q.competencies:
            about.append("tests " + ", ".join(q.competencies))
        about.append("answer in " + speaking_time(*q.target_seconds))
        if q.reviewed:
            about.append(f"facts checked {q.reviewed}")
        out.append(Static(plain(" · ".join(about)), classes="answer-meta"))
        if q.variants:
            out += [
                section("Also asked as"),
                Static(plain("\n".join(f"• {v}" for v in q.variants)), classes="variants"),
            ]
        out += question_notes(q, set(CardKind))
        out += [section("Cards"), _table("cards-table")]
        out += [section("Review history"), _table("reviews-table")]
        out.append(section("Your answers"))
        versions = answers.history(self.ctx.db, row.deck_id, q.id)
        if not versions:
            out.append(
                Static(Content("No answers yet: press e to write one."), classes="answer-hint")
            )
        if versions:
            # The coach on the latest answer, as after typing it in a review.
            out.append(
                InsightsPanel(analyse(q, versions[0].text), title="Coach · your latest answer")
            )
        for index, version in enumerate(versions):
            stamp = f"{format_moment(version.created_at)} · {version.source}"
            if version.duration_ms:
                stamp += f" · took {duration(version.duration_ms)}"
            title = "Latest" if index == 0 else f"Version {len(versions) - index}"
            out.append(
                Static(
                    Content.assemble((title, "bold"), "  ", (clean(stamp), "$text-muted")),
                    classes="version-meta" + (" later" if index else ""),
                )
            )
            # One line per version, so the trend reads down the page (drill answer --history).
            out.append(
                Static(
                    Content.styled(summary(analyse(q, version.text)), "$text-muted"),
                    classes="version-summary",
                )
            )
            out.append(Static(plain(version.text), classes="answer-text"))
        follow_ups = answers.follow_up_answers(self.ctx.db, row.deck_id, q.id)
        if follow_ups:
            out.append(section("Your answers to follow-ups (from mocks)"))
        for index, kept in enumerate(follow_ups):
            stamp = format_moment(kept.created_at)
            if kept.duration_ms:
                stamp += f" · took {duration(kept.duration_ms)}"
            out.append(
                Static(
                    Content.assemble(
                        plain(kept.follow_up).stylize("bold"), "  ", (clean(stamp), "$text-muted")
                    ),
                    classes="version-meta" + (" later" if index else ""),
                )
            )
            out.append(Static(plain(kept.text), classes="answer-text"))
        notes = answers.card_notes(self.ctx.db, row.deck_id, q.id)
        if notes:
            # Typed on Why and Dos cards: kept, but not answers.
            out.append(section("Your notes on its other cards"))
            for note in notes:
                stamp = f"{format_moment(note.created_at)} · {note.kind.value} card"
                out.append(Static(plain(stamp), classes="version-meta later"))
                out.append(Static(plain(note.text), classes="answer-text"))
        return out

    def _fill_tables(self, row: BrowseRow) -> None:
        now = self.ctx.now()
        recall_of = recall_now(self.ctx.db, row, now)
        cards = self.query_one("#cards-table", DataTable)
        cards.add_columns("Kind", "State", "Next due", "Stab.", "Diff.", "Recall", "Reps", "Lapses")
        for kind in CardKind:
            card = row.card(kind)
            if card is None:
                continue
            record = card.record
            recall = recall_of[card.id]
            due = "—"
            if record.state != CardState.NEW and record.due is not None:
                due = format_moment(clock.from_ms(record.due))
            cards.add_row(
                Text(kind.value),
                Text("suspended" if card.suspended else card.state.label),
                Text(due),
                Text(f"{record.stability:.1f}d" if record.stability is not None else "—"),
                Text(f"{record.difficulty:.1f}" if record.difficulty is not None else "—"),
                Text(f"{recall:.0%}" if recall is not None else "—", justify="right"),
                Text(str(record.reps), justify="right"),
                Text(str(record.lapses), justify="right"),
            )
        reviews = self.query_one("#reviews-table", DataTable)
        reviews.add_columns("When", "Card", "Rating", "Was", "Took")
        entries = question_reviews(self.ctx.db, row.deck_id, row.question.id)
        for entry in entries:
            reviews.add_row(
                Text(format_moment(entry.time)),
                Text(entry.kind.value),
                Text(entry.rating.label),
                Text(CardState(entry.state).label),
                Text(duration(entry.duration_ms)),
            )
        if not entries:
            reviews.display = False
            reviews.parent.mount(  # type: ignore[union-attr]
                Static(Content("Not reviewed yet."), classes="answer-hint"), after=reviews
            )

    # -- actions ---------------------------------------------------------------------------------
    def action_back(self) -> None:
        self.app.pop_screen()

    def action_edit_answer(self) -> None:
        from drill.tui.screens.answer_editor import AnswerEditor

        row = self._row()
        if row is None:
            return
        found = guarded(
            self, lambda: (answers.latest_answer(self.ctx.db, row.deck_id, row.question.id),)
        )
        if found is None:
            return
        latest = found[0]

        async def saved(text: str | None) -> None:
            if text is not None and guarded(
                self,
                lambda: answers.save_answer(
                    self.ctx.db, row.deck_id, row.question.id, text, "editor", self.ctx.now()
                ),
            ):
                self.notify("Answer saved.", timeout=2)
                await self._load()

        choices = guarded(
            self, lambda: stories.choices_for_question(self.ctx.db, row.deck_id, row.question.id)
        )
        self.app.push_screen(
            AnswerEditor(
                row.question.question,
                latest.text if latest else "",
                blink=self.ctx.live,
                stories=choices or [],
            ),
            saved,
        )

    async def action_suspend(self) -> None:
        row = self._row()
        if row is None or not row.cards:
            return
        change = guarded(
            self,
            lambda: suspend_question(self.ctx, row.deck_id, row.question.id, not row.suspended),
        )
        if change is None:
            return
        self.changes.push(change)
        self.refresh_bindings()
        self.notify("Unsuspended." if row.suspended else "Suspended.", timeout=2)
        await self._load()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "undo":
            return bool(self.changes)
        return True

    async def action_undo(self) -> None:
        if undo_last(self, self.ctx, self.changes) is not None:
            await self._load()

    def action_reset(self) -> None:
        row = self._row()
        if row is not None:
            self.run_worker(self._reset(row), exclusive=True)

    async def _reset(self, row: BrowseRow) -> None:
        if await confirm_reset(self, row.question.question):
            change = guarded(self, lambda: reset_question(self.ctx, row.deck_id, row.question.id))
            if change is None:
                return
            self.changes.push(change)
            self.refresh_bindings()
            self.notify("Progress reset; the cards are new again (u undoes).", timeout=2)
            await self._load()
