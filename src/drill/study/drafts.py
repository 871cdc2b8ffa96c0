"""Drafts: text the user typed, kept in a file until the database has taken it.

An answer typed in the review app, the mock or the answer editor, or edited in $EDITOR, is
never lost to a failed save (a full disk, a locked or read-only database): it is written to
`drafts/` beside the database, and the user is told where. `drill answer DECK/QUESTION --edit`
resumes the draft of that question.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from drill.errors import DrillError
from drill.storage.backup import database_path

if TYPE_CHECKING:
    from drill.storage.sqlite import Database


class NotSaved(DrillError):
    """The database did not take the text; it is kept in a draft file (named in the message)."""


def draft_path(folder: Path, name: str) -> Path:
    """Where the draft called `name` lives (the name made safe for a file name)."""
    safe = "".join(c if c.isascii() and (c.isalnum() or c in "-_.") else "-" for c in name)
    return folder / f"{safe.strip('-.') or 'draft'}.md"


def answer_draft(db_path: Path, deck_id: str, question_id: str, kind: str = "answer") -> Path:
    """The draft of an answer (or a follow-up answer) to one question."""
    return draft_path(db_path.parent / "drafts", f"{kind}-{deck_id}-{question_id}")


def keep(
    db: Database, deck_id: str, question_id: str, text: str, kind: str = "answer"
) -> Path | None:
    """Write `text` to a new draft file for this question; its path, or None if even that
    failed (or the database is in memory).

    An older draft of the same question is never overwritten: the text goes beside it, as
    `...-2.md`, `...-3.md`.
    """
    db_path = database_path(db)
    if db_path is None:
        return None
    first = answer_draft(db_path, deck_id, question_id, kind)
    try:
        first.parent.mkdir(parents=True, exist_ok=True)
        for number in range(1, 1000):
            target = first if number == 1 else first.with_name(f"{first.stem}-{number}.md")
            try:
                with target.open("x", encoding="utf-8") as out:
                    out.write(text + "\n")
            except FileExistsError:
                continue
            return target
    except OSError:
        return None
    return None


def not_saved(
    exc: Exception, db: Database, deck_id: str, question_id: str, text: str, kind: str = "answer"
) -> Exception:
    """The error to raise when the database did not take `text`: NotSaved naming the draft
    the text was kept in, or `exc` itself if it could not be kept."""
    where = keep(db, deck_id, question_id, text, kind)
    if where is None:
        return exc
    db_path = database_path(db)
    resumed = kind == "answer" and db_path and where == answer_draft(db_path, deck_id, question_id)
    resume = f"; drill answer {deck_id}/{question_id} --edit resumes it" if resumed else ""
    return NotSaved(f"{exc}; your text is kept in {where}{resume}")
