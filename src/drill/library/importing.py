"""Putting parsed decks into the database: all-or-nothing, never resetting progress."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from sqlite_utils import Database

from drill.core import clock
from drill.core.model import KIND_ORDER, CardKind, Deck, Question
from drill.errors import DeckError, DrillError, Problem
from drill.io.registry import Loaded, paused_gc
from drill.storage import repo
from drill.storage.backup import automatic_backup, database_path
from drill.storage.sqlite import write_transaction

_SELECT_CONTENT = "SELECT id, " + ", ".join(repo.QUESTION_CONTENT) + " FROM questions "
_INSERT_QUESTION = (
    "INSERT INTO questions (deck_id, id, position, "
    + ", ".join(repo.QUESTION_CONTENT)
    + ") VALUES ("
    + ", ".join("?" * (3 + len(repo.QUESTION_CONTENT)))
    + ")"
)
_UPDATE_QUESTION = (
    "UPDATE questions SET position = ?, "
    + ", ".join(f"{name} = ?" for name in repo.QUESTION_CONTENT)
    + " WHERE deck_id = ? AND id = ?"
)


@dataclass(slots=True)
class DeckImportResult:
    """What one import did to one deck (`cards` is the deck's card total afterwards)."""

    deck: str
    name: str
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    cards: int = 0

    def summary(self) -> str:
        text = (
            f"{self.name}: {self.added} added, {self.updated} updated, {self.unchanged} unchanged"
        )
        if self.removed:
            text += f", {self.removed} removed"
        return text + f" ({self.cards} cards)"

    def to_json(self) -> dict[str, object]:
        return asdict(self)


class _DryRun(Exception):
    pass


def check_distinct(decks: list[Deck]) -> None:
    """Two files in one import must not define the same deck."""
    seen: dict[str, str] = {}
    problems = []
    for deck in decks:
        if deck.id in seen:
            problems.append(
                Problem(
                    deck.source,
                    0,
                    f"deck '{deck.id}' is also defined in {seen[deck.id]}",
                    "give one of them another '# Name', or import them separately",
                )
            )
        seen[deck.id] = deck.source
    if problems:
        raise DeckError(problems)


def import_decks(
    db: Database,
    decks: list[Deck],
    now: datetime,
    *,
    prune: bool = False,
    dry_run: bool = False,
) -> list[DeckImportResult]:
    """Add or update decks in one transaction; on any error nothing is written.

    Questions are matched by (deck id, question id), so progress survives edits. Questions
    missing from a file are kept unless `prune` is set; pruning makes a backup first.
    """
    return import_files(db, [Loaded("", decks=decks)], now, prune=prune, dry_run=dry_run).decks


@dataclass(slots=True)
class ImportReport:
    decks: list[DeckImportResult]
    history: list[Any]  # drill.library.history.MergeResult, one per file with review history


def import_files(
    db: Database,
    loaded: list[Loaded],
    now: datetime,
    *,
    prune: bool = False,
    dry_run: bool = False,
) -> ImportReport:
    """Import everything read from the given files in one transaction: decks first, then
    review history. Any error leaves the database exactly as it was.
    """
    decks = [deck for item in loaded for deck in item.decks]
    check_distinct(decks)
    with_history = [item for item in loaded if item.history]
    report = ImportReport([], [])
    if not dry_run and (with_history or (prune and _would_prune(db, decks))):
        automatic_backup(db, database_path(db), "merge" if with_history else "prune", now)
    try:
        with paused_gc(), write_transaction(db):
            for deck in decks:
                report.decks.append(_import_one(db, deck, now, prune=prune))
            if with_history:
                from drill.library.history import merge_reviews

                for item in with_history:
                    report.history.append(merge_reviews(db, item.history, now, file=item.file))
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    return report


def _would_prune(db: Database, decks: list[Deck]) -> bool:
    for deck in decks:
        ids = {q.id for q in deck.questions}
        existing = {
            r[0] for r in db.execute("SELECT id FROM questions WHERE deck_id = ?", [deck.id])
        }
        if existing - ids:
            return True
    return False


def _import_one(db: Database, deck: Deck, now: datetime, *, prune: bool) -> DeckImportResult:
    result = DeckImportResult(deck.id, deck.name)
    row = db.execute("SELECT id FROM decks WHERE id = ?", [deck.id]).fetchone()
    if row is None:
        position = db.execute("SELECT coalesce(max(position), -1) + 1 FROM decks").fetchone()[0]
        db.execute(
            "INSERT INTO decks (id, name, description, position, source, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [deck.id, deck.name, deck.description, position, deck.source, clock.to_ms(now)],
        )
    else:
        db.execute(
            "UPDATE decks SET name = ?, description = ?, source = ? WHERE id = ?",
            [deck.name, deck.description, deck.source, deck.id],
        )

    existing = _stored_content(db, deck.id)
    here: list[tuple[int, Question]] = []
    elsewhere: dict[str, list[tuple[int, Question]]] = {}
    taken = set(existing)
    for position, question in enumerate(deck.questions):
        target = _keyed_target(db, question)
        if target is not None and target[0] != deck.id:
            # A foreign key (Anki GUID) already imported updates that question where it lives.
            question.id = target[1]
            elsewhere.setdefault(target[0], []).append((target[2], question))
            continue
        if target is not None:
            question.id = target[1]
        elif (
            question.import_key is not None
            and question.id in existing
            and existing[question.id][-1] != question.import_key
        ):
            # A new keyed question must not overwrite an unrelated one that has its slug.
            question.id = _free_id(question.id, taken)
        taken.add(question.id)
        here.append((position, question))

    _write_questions(db, deck.id, here, existing, result)
    for other_deck, placed in elsewhere.items():
        _write_questions(db, other_deck, placed, _stored_content(db, other_deck), result)
        _sync_cards(db, other_deck, placed)

    file_ids = {q.id for _, q in here}
    gone = [qid for qid in existing if qid not in file_ids]
    if prune and gone:
        db.conn.executemany(
            "DELETE FROM questions WHERE deck_id = ? AND id = ?", [(deck.id, q) for q in gone]
        )
        result.removed = len(gone)
    _sync_cards(db, deck.id, here)
    _seed_answers(db, deck, now)
    result.cards = db.execute(
        "SELECT count(*) FROM cards WHERE deck_id = ? AND retired = 0", [deck.id]
    ).fetchone()[0]
    return result


def _keyed_target(db: Database, question: Question) -> tuple[str, str, int] | None:
    """(deck, id, position) of the stored question with this question's import key."""
    if question.import_key is None:
        return None
    row = db.execute(
        "SELECT deck_id, id, position FROM questions WHERE import_key = ? LIMIT 1",
        [question.import_key],
    ).fetchone()
    return (row[0], row[1], row[2]) if row else None


def _free_id(base: str, taken: set[str]) -> str:
    number = 2
    while f"{base}-{number}" in taken:
        number += 1
    return f"{base}-{number}"


# Question.kinds() in SQL, over stored content: repo.question_content stores a blank "why" as
# '' and an empty list as '[]', so both agree exactly (tests/test_import_speed_paths.py).
_KIND_ROWS = "(VALUES " + ", ".join(f"('{k.value}', {KIND_ORDER[k]})" for k in CardKind) + ")"
_HAS_KIND = (
    "(k.column1 = 'rehearse' OR (k.column1 = 'why' AND q.why != '') "
    "OR (k.column1 = 'dos' AND (q.dos != '[]' OR q.donts != '[]')))"
)
_INSERT_FIRST_CARDS = (
    "INSERT INTO cards (deck_id, question_id, kind, new_order) "
    "SELECT q.deck_id, q.id, k.column1, q.position * ? + k.column2 "
    f"FROM questions q, {_KIND_ROWS} k WHERE q.deck_id = ? AND {_HAS_KIND} "
    "ORDER BY q.position, k.column2"
)


def _stored_content(db: Database, deck_id: str) -> dict[str, tuple[Any, ...]]:
    """Question id -> its stored content, in repo.QUESTION_CONTENT order."""
    return {r[0]: r[1:] for r in db.execute(_SELECT_CONTENT + "WHERE deck_id = ?", [deck_id])}


def _write_questions(
    db: Database,
    deck_id: str,
    placed: list[tuple[int, Question]],
    existing: dict[str, tuple[Any, ...]],
    result: DeckImportResult,
) -> None:
    inserts, updates = [], []
    for position, question in placed:
        content = repo.question_content(question)
        old = existing.get(question.id)
        if old is None:
            inserts.append((deck_id, question.id, position, *content))
            result.added += 1
            continue
        if question.import_key is None:
            content = (*content[:-1], old[-1])  # a file without keys keeps the stored key
        changed = content != old
        result.updated += changed
        result.unchanged += not changed
        updates.append((position, *content, deck_id, question.id))
    if inserts:
        db.conn.executemany(_INSERT_QUESTION, inserts)
    if updates:
        db.conn.executemany(_UPDATE_QUESTION, updates)


def _sync_cards(db: Database, deck_id: str, placed: list[tuple[int, Question]]) -> None:
    """Create missing cards, retire cards whose part was removed, and refresh new-card order.

    Retired cards keep their reviews (never lose a review) and come back if the part does.
    """
    cards = {
        (r[0], r[1]): r[2]
        for r in db.execute(
            "SELECT question_id, kind, retired FROM cards WHERE deck_id = ?", [deck_id]
        )
    }
    per_question = len(CardKind)
    if not cards:
        # The deck's first import: every question is new. One statement makes all the cards,
        # half the time of binding 15,000 rows from Python for 5,000 questions.
        db.execute(_INSERT_FIRST_CARDS, [per_question, deck_id])
        return
    inserts, updates = [], []
    # Enum attribute access is slow in a loop over every card: look each kind up once.
    kinds_order = [(kind, kind.value, KIND_ORDER[kind]) for kind in CardKind]
    for position, question in placed:
        kinds = question.kinds()
        for kind, value, offset in kinds_order:
            key = (question.id, value)
            order = position * per_question + offset
            if key not in cards:
                if kind in kinds:
                    inserts.append((deck_id, question.id, value, order))
                continue
            updates.append((order, 0 if kind in kinds else 1, deck_id, question.id, value))
    if inserts:
        db.conn.executemany(
            "INSERT INTO cards (deck_id, question_id, kind, new_order) VALUES (?, ?, ?, ?)",
            inserts,
        )
    if updates:
        db.conn.executemany(
            "UPDATE cards SET new_order = ?, retired = ? "
            "WHERE deck_id = ? AND question_id = ? AND kind = ?",
            updates,
        )


def _seed_answers(db: Database, deck: Deck, now: datetime) -> None:
    """A `### My answer` section becomes an answer-bank version unless it is already the latest."""
    for question in deck.questions:
        text = question.my_answer.strip()
        if not text:
            continue
        latest = db.execute(
            "SELECT text FROM answers WHERE deck_id = ? AND question_id = ? "
            "ORDER BY created_at DESC, id DESC LIMIT 1",
            [deck.id, question.id],
        ).fetchone()
        if latest is None or latest[0] != text:
            db.execute(
                "INSERT INTO answers (deck_id, question_id, text, created_at, source) "
                "VALUES (?, ?, ?, ?, 'deck')",
                [deck.id, question.id, text, clock.to_ms(now)],
            )


class DeckNotFound(DrillError):
    pass


def remove_deck(db: Database, deck_id: str, now: datetime) -> tuple[int, int]:
    """Delete a deck with its questions, cards, reviews and answers, after a backup.

    Returns (questions, reviews) removed.
    """
    repo.decks(db, deck_id)
    questions = db.execute(
        "SELECT count(*) FROM questions WHERE deck_id = ?", [deck_id]
    ).fetchone()[0]
    reviews = db.execute("SELECT count(*) FROM reviews WHERE deck_id = ?", [deck_id]).fetchone()[0]
    if reviews:
        automatic_backup(db, database_path(db), "remove", now)
    with write_transaction(db):
        db.execute("DELETE FROM decks WHERE id = ?", [deck_id])
        removed = json.loads(repo.get_setting(db, "bundled_removed") or "[]")
        if deck_id not in removed:
            removed.append(deck_id)
            repo.set_setting(db, "bundled_removed", json.dumps(removed))
    return questions, reviews
