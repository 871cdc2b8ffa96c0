"""The answer bank: the user's own answers to each question, every version kept.

Only rehearsal is an answer. What the user types on the front of a Why or Dos card is a
`CardNote` of that card: shown on its back next time, never in the answer bank or the cheat
sheet.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from drill.core import clock
from drill.core.format import iso_utc
from drill.core.model import CardKind
from drill.core.sanitize import normalize_newlines, strip_control_chars
from drill.errors import DrillError, Missing
from drill.storage import answers as table
from drill.storage.sqlite import write_transaction
from drill.study import drafts

if TYPE_CHECKING:
    from drill.storage.sqlite import Database

SOURCES = ("cli", "editor", "review", "mock", "deck")


@dataclass(frozen=True, slots=True)
class AnswerVersion:
    text: str
    created_at: datetime
    source: str
    duration_ms: int | None = None

    def to_json(self) -> dict[str, object]:
        return {
            "text": self.text,
            "created_at": iso_utc(self.created_at),
            "source": self.source,
        }


def save_answer(
    db: Database,
    deck_id: str,
    question_id: str,
    text: str,
    source: str,
    now: datetime,
    duration_ms: int | None = None,
    *,
    keep_draft: bool = True,
) -> bool:
    """Store a new version unless it equals the latest; True if one was stored.

    If the database does not take it (a full disk, a locked or read-only file), the text is
    kept in a draft file and the error (drafts.NotSaved) says where, unless the caller keeps
    its own draft (`keep_draft=False`, as `drill answer --edit` does).
    """
    if source not in SOURCES:
        raise ValueError(f"unknown answer source {source!r}")
    # Sanitised where it comes in (typed, pasted, from an editor or a deck): an answer is
    # printed by `drill answer --history` and `drill export answers`.
    text = strip_control_chars(normalize_newlines(text)).strip()
    if not text:
        return False
    try:
        with write_transaction(db):
            if not table.question_exists(db, deck_id, question_id):
                raise Missing(f"no question '{deck_id}/{question_id}'")
            latest = latest_answer(db, deck_id, question_id)
            if latest is not None and latest.text == text:
                return False
            table.add_version(db, deck_id, question_id, text, clock.to_ms(now), source, duration_ms)
    except Missing as exc:
        # The question went (another drill removed its deck): the app goes home, and the
        # text must not go with it.
        if keep_draft:
            exc.kept = drafts.keep(db, deck_id, question_id, text)
        raise
    except (DrillError, sqlite3.Error) as exc:
        if not keep_draft:
            raise
        raise drafts.not_saved(exc, db, deck_id, question_id, text) from None
    return True


@dataclass(frozen=True, slots=True)
class FollowUpAnswer:
    """An answer to a follow-up question, given in a mock."""

    follow_up: str
    text: str
    created_at: datetime
    duration_ms: int | None = None


def save_follow_up(
    db: Database,
    deck_id: str,
    question_id: str,
    follow_up: str,
    text: str,
    now: datetime,
    duration_ms: int | None = None,
) -> bool:
    """Keep an answer to one of the question's follow-ups; False if nothing was typed."""
    text = strip_control_chars(normalize_newlines(text)).strip()  # as save_answer does
    if not text:
        return False
    try:
        with write_transaction(db):
            if not table.question_exists(db, deck_id, question_id):
                raise Missing(f"no question '{deck_id}/{question_id}'")
            table.add_version(
                db, deck_id, question_id, text, clock.to_ms(now), "mock", duration_ms, follow_up
            )
    except Missing as exc:
        exc.kept = drafts.keep(db, deck_id, question_id, f"{follow_up}\n\n{text}", "follow-up")
        raise
    except (DrillError, sqlite3.Error) as exc:
        kept = f"{follow_up}\n\n{text}"
        raise drafts.not_saved(exc, db, deck_id, question_id, kept, "follow-up") from None
    return True


def follow_up_answers(db: Database, deck_id: str, question_id: str) -> list[FollowUpAnswer]:
    """The question's follow-up answers, newest first."""
    return [
        FollowUpAnswer(follow_up, text, clock.from_ms(ms), duration)
        for follow_up, text, ms, duration in table.follow_ups(db, deck_id, question_id)
    ]


def history(db: Database, deck_id: str, question_id: str) -> list[AnswerVersion]:
    """Every version, newest first."""
    return [
        AnswerVersion(text, clock.from_ms(ms), source, duration)
        for text, ms, source, duration in table.versions(db, deck_id, question_id)
    ]


def latest_answer(db: Database, deck_id: str, question_id: str) -> AnswerVersion | None:
    rows = table.versions(db, deck_id, question_id, limit=1)
    if not rows:
        return None
    text, ms, source, duration = rows[0]
    return AnswerVersion(text, clock.from_ms(ms), source, duration)


@dataclass(frozen=True, slots=True)
class CardNote:
    """What the user typed on the front of a Why or Dos card."""

    kind: CardKind
    text: str
    created_at: datetime
    duration_ms: int | None = None


def save_note(
    db: Database,
    deck_id: str,
    question_id: str,
    kind: CardKind,
    text: str,
    now: datetime,
    duration_ms: int | None = None,
) -> bool:
    """Keep a note typed on a Why or Dos card; True if one was stored (not blank)."""
    if kind == CardKind.REHEARSE:
        raise ValueError("a rehearse card's typed text is an answer: use save_answer")
    text = strip_control_chars(normalize_newlines(text)).strip()  # as save_answer does
    if not text:
        return False
    with write_transaction(db):
        if not table.question_exists(db, deck_id, question_id):
            raise Missing(f"no question '{deck_id}/{question_id}'")
        table.add_note(db, deck_id, question_id, kind.value, text, clock.to_ms(now), duration_ms)
    return True


def card_notes(
    db: Database,
    deck_id: str,
    question_id: str,
    kind: CardKind | None = None,
    limit: int | None = None,
) -> list[CardNote]:
    """A question's card notes (one kind's, if given), newest first."""
    return [
        CardNote(CardKind(k), text, clock.from_ms(ms), duration)
        for k, text, ms, duration in table.notes(
            db, deck_id, question_id, kind.value if kind else None, limit
        )
    ]


def latest_note(db: Database, deck_id: str, question_id: str, kind: CardKind) -> CardNote | None:
    found = card_notes(db, deck_id, question_id, kind, limit=1)
    return found[0] if found else None


STAR_TEMPLATE = """Situation: where and when was this? What was at stake?

Task: what was your responsibility or goal?

Action: what did you do, step by step? (Say "I", not "we".)

Result: what happened, in numbers where you can? What did you learn?
"""


@dataclass(frozen=True, slots=True)
class LatestAnswer:
    """A question's newest answer."""

    deck: str
    question_id: str
    question: str
    text: str
    created_at: datetime

    def to_json(self) -> dict[str, object]:
        return {
            "deck": self.deck,
            "question_id": self.question_id,
            "question": self.question,
            "text": self.text,
            "created_at": iso_utc(self.created_at),
        }


def latest_answers(db: Database, deck_id: str | None = None) -> Iterator[LatestAnswer]:
    """The newest answer of every question that has one, in deck and file order."""
    for deck, question_id, question, text, created in table.iter_latest(db, deck_id):
        yield LatestAnswer(deck, question_id, question, text, clock.from_ms(created))


def cheat_sheet(db: Database, deck_id: str | None = None) -> str:
    """A printable Markdown sheet: each answered question, its phrasings, your latest answer,
    and the key dos and don'ts.
    """
    from drill.storage import repo

    names = {d.id: d.name for d in repo.decks(db, deck_id)}
    out = ["# My interview answers", ""]
    current = None
    for row in latest_answers(db, deck_id):
        if row.deck != current:
            current = row.deck
            out += [f"## {names.get(current, current)}", ""]
        question = repo.get_question(db, row.deck, row.question_id)
        assert question is not None
        out += [f"### {question.question}", ""]
        if question.variants:
            out += ["*Also asked as:* " + " · ".join(question.variants), ""]
        out += [row.text.strip(), ""]
        for mark, items in (("Do", question.dos[:3]), ("Don't", question.donts[:3])):
            if items:
                # A list, not items run together: they are sentences with their own stops.
                out += [f"**{mark}:**", ""]
                out += [f"- {' '.join(item.split())}" for item in items]
                out.append("")
    if current is None:
        out += ["No answers yet: write one with `drill answer DECK/QUESTION --edit`.", ""]
    return "\n".join(out).rstrip() + "\n"
