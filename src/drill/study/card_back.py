"""What the back of a card holds, as data: `drill show` prints it, `--json` emits it.

The back answers the card's kind: a rehearse card's approach, dos and don'ts, examples, bad
example and tips; a Why card's reason; a Dos card's dos, don'ts and bad example. Your own
latest answer (rehearse) or note (Why, Dos) comes with it, first: it is what you compare.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from drill.core.format import iso_utc
from drill.core.model import CardKind, Question
from drill.study import answers
from drill.study.answers import AnswerVersion, CardNote
from drill.study.session import ReviewSession, StudyCard

if TYPE_CHECKING:
    from drill.storage.sqlite import Database


@dataclass(frozen=True, slots=True)
class Section:
    """One part of the back: a title and either Markdown text or list items."""

    title: str
    text: str = ""
    items: tuple[str, ...] = ()

    def to_json(self) -> dict[str, object]:
        return {"title": self.title, "text": self.text, "items": list(self.items)}


def back_sections(question: Question, kind: CardKind) -> list[Section]:
    """The notes that answer a card of this kind, in the order the review screen shows them
    (`tui.widgets.card_view.question_notes`): a rehearse card opens on the short answer.
    """
    rehearse, dos = kind == CardKind.REHEARSE, kind == CardKind.DOS
    out: list[Section] = []
    if rehearse and question.short_answer.strip():
        out.append(Section("Short answer (about 30 seconds)", question.short_answer.strip()))
    if kind == CardKind.WHY and question.why.strip():
        out.append(Section(question.why_title, question.why.strip()))
    if rehearse and question.approach.strip():
        out.append(Section("Approach", question.approach.strip()))
    if (rehearse or dos) and question.dos:
        out.append(Section("Do", items=tuple(question.dos)))
    if (rehearse or dos) and question.donts:
        out.append(Section("Don't", items=tuple(question.donts)))
    if (rehearse or dos) and question.red_flags:
        out.append(Section("Red flags: these sink an answer", items=tuple(question.red_flags)))
    if rehearse:
        for example in question.examples:
            title = f"Example: {example.label}" if example.label else "Example"
            out.append(Section(title, example.text.strip()))
    if (rehearse or dos) and question.bad_example.strip():
        out.append(Section("Bad example", question.bad_example.strip()))
    if rehearse and question.follow_ups:
        out.append(Section("They may ask next", items=tuple(question.follow_ups)))
    if rehearse and question.key_phrases:
        out.append(Section("Key phrases", items=tuple(question.key_phrases)))
    if rehearse and question.tips:
        out.append(Section("Tips", items=tuple(question.tips)))
    return out


@dataclass(frozen=True, slots=True)
class CardSheet:
    """A card's front, its back, and what you last wrote for it."""

    card: StudyCard
    sections: list[Section]
    latest_answer: AnswerVersion | None
    latest_note: CardNote | None

    def to_json(self) -> dict[str, object]:
        from drill.core import clock

        card = self.card
        due = card.record.due
        note = self.latest_note
        return {
            "card_id": card.card_id,
            "deck": card.deck_id,
            "question_id": card.question_id,
            "kind": card.kind.value,
            "prompt": card.prompt,
            "question": card.question.question,
            "variants": list(card.question.variants),
            "state": card.state.label,
            "due": iso_utc(clock.from_ms(due)) if due is not None else None,
            "back": [section.to_json() for section in self.sections],
            "latest_answer": self.latest_answer.to_json() if self.latest_answer else None,
            "latest_note": (
                {"text": note.text, "created_at": iso_utc(note.created_at)} if note else None
            ),
        }


def card_sheet(db: Database, card_id: int) -> CardSheet:
    """Everything `drill show` prints; SessionError for an unknown card."""
    card = ReviewSession(db).study_card(card_id)
    question = card.question
    latest = note = None
    if card.kind == CardKind.REHEARSE:
        latest = answers.latest_answer(db, card.deck_id, question.id)
    else:
        note = answers.latest_note(db, card.deck_id, question.id, card.kind)
    return CardSheet(card, back_sections(question, card.kind), latest, note)
