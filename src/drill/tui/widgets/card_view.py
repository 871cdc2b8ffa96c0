"""The two sides of a card. Display only: the review screen decides what to show when."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widget import Widget
from textual.widgets import Collapsible, Static

from drill.core.model import CardKind, Question
from drill.study.answers import AnswerVersion
from drill.study.session import StudyCard
from drill.tui.text import format_moment, plain
from drill.tui.widgets.checklist import Checklist
from drill.tui.widgets.markdown import CheckList, CrossList, DeckMarkdown, FlagList, bullets


def section(title: str) -> Static:
    return Static(Content(title), classes="section-title")


class CardFront(Vertical):
    """The prompt, large and centred; why and dos cards add their task."""

    def __init__(self, card: StudyCard) -> None:
        super().__init__(classes="card-front")
        self.card = card

    def compose(self) -> ComposeResult:
        yield Static(plain(self.card.prompt), classes="prompt")
        # A rehearse card's title already says what to do; the others need their task.
        if self.card.kind != CardKind.REHEARSE:
            yield Static(Content(self.card.question.card_task(self.card.kind)), classes="task")


def question_notes(
    question: Question, kinds: set[CardKind], *, checklist: Widget | None = None
) -> list[Widget]:
    """The notes that answer cards of these kinds, in the deck's section order.

    A rehearse card opens on the short answer, a 30-second version to compare yours with;
    the full examples wait, folded, behind `x`. A `checklist` takes the place of the Do and
    Don't lists (it shows the same items).
    """
    out: list[Widget] = []
    rehearse, dos = CardKind.REHEARSE in kinds, CardKind.DOS in kinds
    if rehearse and question.short_answer.strip():
        out += [
            section("Short answer (about 30 seconds)"),
            DeckMarkdown(question.short_answer, classes="short-answer"),
        ]
    if CardKind.WHY in kinds and question.why.strip():
        out += [section(question.why_title), DeckMarkdown(question.why)]
    if rehearse and question.approach.strip():
        out += [section("Approach"), DeckMarkdown(question.approach)]
    if checklist is not None:
        out.append(checklist)
    else:
        if (rehearse or dos) and question.dos:
            out += [section("Do"), CheckList(bullets(question.dos), classes="do-list")]
        if (rehearse or dos) and question.donts:
            out += [section("Don't"), CrossList(bullets(question.donts), classes="dont-list")]
    if (rehearse or dos) and question.red_flags:
        out += [
            section("Red flags: these sink an answer"),
            FlagList(bullets(question.red_flags), classes="red-flags"),
        ]
    if rehearse:
        for example in question.examples:
            title = f"Example: {example.label}" if example.label else "Example"
            out.append(
                Collapsible(
                    DeckMarkdown(example.text),
                    title=plain(title),  # type: ignore[arg-type]  # Content stays literal
                    collapsed=True,
                )
            )
    if (rehearse or dos) and question.bad_example.strip():
        out += [section("Bad example"), DeckMarkdown(question.bad_example, classes="bad")]
    if rehearse and question.follow_ups:
        out += [section("They may ask next"), DeckMarkdown(bullets(question.follow_ups))]
    if rehearse and question.key_phrases:
        out += [section("Key phrases"), DeckMarkdown(bullets(question.key_phrases))]
    if rehearse and question.tips:
        out += [section("Tips"), DeckMarkdown(bullets(question.tips))]
    return out


class AnswerBox(Vertical):
    """One of the user's answers, shown literally, with where and when it was written."""

    def __init__(self, title: str, text: str, meta: str = "", *, hint: bool = False) -> None:
        super().__init__(classes="answer-box")
        self._title, self._text, self._meta, self._hint = title, text, meta, hint

    def compose(self) -> ComposeResult:
        yield section(self._title)
        if self._meta:
            yield Static(plain(self._meta), classes="answer-meta")
        yield Static(plain(self._text), classes="answer-hint" if self._hint else "answer-text")


class CardBack(Vertical):
    """The answer side: the notes for the card's kind and the user's own answers."""

    def __init__(
        self, card: StudyCard, latest: AnswerVersion | None = None, draft: str | None = None
    ) -> None:
        super().__init__(classes="card-back")
        self.card = card
        self.latest = latest
        self.draft = draft

    def compose(self) -> ComposeResult:
        card = self.card
        yield Static(plain(card.question.question), classes="back-question")
        if card.prompt != card.question.question:
            yield Static(plain(f"Asked as: {card.prompt}"), classes="answer-meta")
        checklist = None
        if card.kind == CardKind.REHEARSE and (card.question.dos or card.question.donts):
            # The rehearse card's dos and don'ts double as an optional self-check.
            checklist = Checklist(card.question.dos, card.question.donts)
        yield from question_notes(card.question, {card.kind}, checklist=checklist)
        boxes: list[Widget] = []
        if self.draft:
            boxes.append(AnswerBox("Your answer just now", self.draft))
        if card.kind == CardKind.REHEARSE:
            if self.latest is not None:
                title = "Your previous answer" if self.draft else "Your latest answer"
                meta = f"{format_moment(self.latest.created_at)} · {self.latest.source}"
                boxes.append(AnswerBox(title, self.latest.text, meta))
            elif not self.draft:
                boxes.append(
                    AnswerBox(
                        "Your latest answer",
                        "No answer saved yet: press e to write one, or t to type one "
                        "before you reveal the next card.",
                        hint=True,
                    )
                )
        if boxes:
            yield Horizontal(*boxes, classes="answers")
