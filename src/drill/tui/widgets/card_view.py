"""The two sides of a card. Display only: the review screen decides what to show when."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widget import Widget
from textual.widgets import Collapsible, Static

from drill.core.coach.insights import Insights
from drill.core.model import CardKind, Question
from drill.study.answers import AnswerVersion, CardNote
from drill.study.session import StudyCard
from drill.study.stories import Story
from drill.tui.text import clean, format_moment, plain
from drill.tui.widgets.checklist import Checklist
from drill.tui.widgets.insights import CoachRow, InsightsPanel
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


def intro_notes(question: Question) -> list[Widget]:
    """A rehearse card's first notes: the short answer, then the approach."""
    out: list[Widget] = []
    if question.short_answer.strip():
        out += [
            section("Short answer (about 30 seconds)"),
            DeckMarkdown(question.short_answer, classes="short-answer"),
        ]
    if question.approach.strip():
        out += [section("Approach"), DeckMarkdown(question.approach)]
    return out


# A section longer than this folds behind its title on the back of a card (x opens it): the
# user's own answer and the short answer come first, and the rest should not bury them.
FOLD_WORDS = 120


def _words(text: str) -> int:
    return len(text.split())


def _block(title: str, body: Widget, text: str, *, fold: bool) -> list[Widget]:
    """A titled section, folded behind its title (with its length) when long and `fold`."""
    words = _words(text)
    if fold and words > FOLD_WORDS:
        return [
            Collapsible(
                body,
                title=plain(f"{title} ({words} words)"),  # type: ignore[arg-type]
                collapsed=True,
                classes="folded-section",
            )
        ]
    return [section(title), body]


def question_notes(
    question: Question,
    kinds: set[CardKind],
    *,
    checklist: Widget | None = None,
    intro: bool = True,
    fold: bool = False,
) -> list[Widget]:
    """The notes that answer cards of these kinds, in the deck's section order.

    A rehearse card opens on the short answer, a 30-second version to compare yours with;
    the full examples wait, folded, behind `x`. With `fold` (the back of a card), other long
    sections fold too. A `checklist` takes the place of the Do and Don't lists (it shows the
    same items), and of the red flags when it holds them. Without `intro` the short answer
    and approach are left to the caller (the coach's panel sits beside them).
    """
    out: list[Widget] = []
    rehearse, dos = CardKind.REHEARSE in kinds, CardKind.DOS in kinds
    if rehearse and intro and question.short_answer.strip():
        out += [
            section("Short answer (about 30 seconds)"),
            DeckMarkdown(question.short_answer, classes="short-answer"),
        ]
    if CardKind.WHY in kinds and question.why.strip():
        out += [section(question.why_title), DeckMarkdown(question.why)]
    if rehearse and intro and question.approach.strip():
        out += _block("Approach", DeckMarkdown(question.approach), question.approach, fold=fold)
    if checklist is not None:
        out.append(checklist)
    else:
        if (rehearse or dos) and question.dos:
            out += [section("Do"), CheckList(bullets(question.dos), classes="do-list")]
        if (rehearse or dos) and question.donts:
            out += [section("Don't"), CrossList(bullets(question.donts), classes="dont-list")]
    flags_checked = isinstance(checklist, Checklist) and bool(checklist.red_flags)
    if (rehearse or dos) and question.red_flags and not flags_checked:
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
        bad = DeckMarkdown(question.bad_example, classes="bad")
        out += _block("Bad example", bad, question.bad_example, fold=fold)
    if rehearse and question.follow_ups:
        out += [section("They may ask next"), DeckMarkdown(bullets(question.follow_ups))]
    if rehearse and question.key_phrases:
        out += [section("Key phrases"), DeckMarkdown(bullets(question.key_phrases))]
    if rehearse and question.tips:
        tips = bullets(question.tips)
        out += _block("Tips", DeckMarkdown(tips), tips, fold=fold)
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


class YourAnswer(Horizontal):
    """What you said, at the top of the back: the answer you typed just now beside your
    previous one (rehearse cards), or your notes (Why and Dos cards).

    Its own widget, first on the back, so what you compare with comes first; the row it sits
    in (`.answer-row`) has room beside it for more about your answer.
    """

    def __init__(
        self,
        kind: CardKind,
        latest: AnswerVersion | None = None,
        draft: str | None = None,
        note: CardNote | None = None,
    ) -> None:
        super().__init__(classes="answers your-answer")
        self.kind, self.latest, self.draft, self.note = kind, latest, draft, note

    def compose(self) -> ComposeResult:
        rehearse = self.kind == CardKind.REHEARSE
        if self.draft:
            title = "Your answer just now" if rehearse else "Your note just now"
            yield AnswerBox(title, self.draft)
        if not rehearse:
            if self.note is not None:
                title = "Your previous note" if self.draft else "Your last note"
                yield AnswerBox(title, self.note.text, format_moment(self.note.created_at))
            return
        if self.latest is not None:
            title = "Your previous answer" if self.draft else "Your latest answer"
            meta = f"{format_moment(self.latest.created_at)} · {self.latest.source}"
            yield AnswerBox(title, self.latest.text, meta)
        elif not self.draft:
            # One quiet line: it should not push the deck's notes down for someone who
            # rehearses out loud only.
            yield Static(
                Content("Your answer: none saved yet (e writes one; t types one first)."),
                classes="answer-hint no-answer",
            )


class CardBack(Vertical):
    """The answer side: what you said first, then the notes for the card's kind.

    After an answer was typed, `insights` (the coach's reading of it) sit below it, beside
    the short answer and the approach, and the self-check starts from what they found.
    `stories` are the user's stories linked to the question; `leech_lapses`, when the
    question is a leech, how often it lapsed; `note`, on a Why or Dos card, the user's
    latest note on it.
    """

    def __init__(
        self,
        card: StudyCard,
        latest: AnswerVersion | None = None,
        draft: str | None = None,
        *,
        insights: Insights | None = None,
        insights_title: str = "Coach · your answer just now",
        stories: list[Story] | None = None,
        leech_lapses: int = 0,
        note: CardNote | None = None,
    ) -> None:
        super().__init__(classes="card-back")
        self.card = card
        self.latest = latest
        self.draft = draft
        self.insights = insights
        self.insights_title = insights_title
        self.stories = stories or []
        self.leech_lapses = leech_lapses
        self.note = note

    def compose(self) -> ComposeResult:
        card = self.card
        question = card.question
        rehearse = card.kind == CardKind.REHEARSE
        yield Static(plain(question.question), classes="back-question")
        if card.prompt != question.question:
            yield Static(plain(f"Asked as: {card.prompt}"), classes="answer-meta")
        if rehearse and self.leech_lapses:
            yield Static(
                Content.assemble(
                    ("Leech: ", "bold $text-error"),
                    f"you have failed this one {self.leech_lapses} times. ",
                    ("h", "bold"),
                    ": the coach can help (rewrite it from the approach, link a story, "
                    "practise it).",
                ),
                classes="leech-notice",
            )
        if rehearse or self.draft or self.note is not None:
            # What you said comes first: the notes below are what you compare it with.
            yield Horizontal(
                YourAnswer(card.kind, self.latest, self.draft, self.note), classes="answer-row"
            )
        coach = rehearse and self.insights is not None
        if coach:
            assert self.insights is not None
            beside: list[Widget] = [InsightsPanel(self.insights, title=self.insights_title)]
            notes = intro_notes(question)
            if notes:
                beside.append(Vertical(*notes, classes="approach"))
            yield CoachRow(*beside)
        checklist = None
        # With a typed answer the red flags join the self-check, ticked where the coach found
        # them (untick a wrong one); without, they stay a list of their own.
        flags = question.red_flags if coach else []
        if rehearse and (question.dos or question.donts or flags):
            # The rehearse card's dos and don'ts double as an optional self-check.
            checklist = Checklist(
                question.dos, question.donts, red_flags=flags, insights=self.insights
            )
        yield from question_notes(
            question, {card.kind}, checklist=checklist, intro=not coach, fold=True
        )
        if rehearse and self.stories:
            yield section("Your stories for this question")
            yield Static(
                Content("\n").join(
                    Content.assemble(
                        "• ",
                        (clean(story.title), "bold"),
                        (
                            f"  {len(story.text.split())} words"
                            + (f" · {', '.join(story.competencies)}" if story.competencies else ""),
                            "$text-muted",
                        ),
                    )
                    for story in self.stories
                ),
                classes="answer-text",
            )
            yield Static(
                Content("e edits your answer; ctrl+o there starts it from a story."),
                classes="answer-meta",
            )
