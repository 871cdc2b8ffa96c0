"""Putting parsed decks into the database: all-or-nothing, never resetting progress."""

from __future__ import annotations

import json
from contextlib import AbstractContextManager, nullcontext
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from drill.core import clock
from drill.core.model import KIND_ORDER, CardKind, Deck, Question, normalize_deck
from drill.errors import DeckError, Problem
from drill.io.registry import Loaded, paused_gc
from drill.storage import answers, content, repo
from drill.storage.backup import backup_before, database_path
from drill.storage.sqlite import write_transaction

if TYPE_CHECKING:
    from drill.storage.sqlite import Database


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
    # As drill keeps them (every format reads back what it exports): one-line headings,
    # trimmed text.
    decks = [normalize_deck(deck) for item in loaded for deck in item.decks]
    check_distinct(decks)
    with_history = [item for item in loaded if item.history]
    report = ImportReport([], [])
    guard: AbstractContextManager[object] = nullcontext()
    if not dry_run and (with_history or (prune and _would_prune(db, decks))):
        # Rotated only if the import succeeds: a rejected file never costs an old backup.
        reason = "merge" if with_history else "prune"
        guard = backup_before(db, database_path(db), reason, now)
    try:
        with guard, paused_gc(), write_transaction(db):
            for deck in decks:
                report.decks.append(_import_one(db, deck, now, prune=prune))
            if with_history:
                from drill.library.history import merge_histories

                # All the files at once: cards are resolved and replayed once per import.
                files = [(item.file, item.history) for item in with_history]
                report.history.extend(merge_histories(db, files, now))
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    return report


def _would_prune(db: Database, decks: list[Deck]) -> bool:
    return any(content.question_ids(db, deck.id) - {q.id for q in deck.questions} for deck in decks)


def _import_one(db: Database, deck: Deck, now: datetime, *, prune: bool) -> DeckImportResult:
    result = DeckImportResult(deck.id, deck.name)
    content.upsert_deck(db, deck, clock.to_ms(now))

    existing = content.stored_content(db, deck.id)
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
        _write_questions(db, other_deck, placed, content.stored_content(db, other_deck), result)
        _sync_cards(db, other_deck, placed)

    file_ids = {q.id for _, q in here}
    gone = [qid for qid in existing if qid not in file_ids]
    if prune and gone:
        content.delete_questions(db, deck.id, gone)
        result.removed = len(gone)
    _sync_cards(db, deck.id, here)
    _seed_answers(db, deck, now)
    result.cards = content.active_cards(db, deck.id)
    return result


def _keyed_target(db: Database, question: Question) -> tuple[str, str, int] | None:
    """(deck, id, position) of the stored question with this question's import key."""
    if question.import_key is None:
        return None
    return content.keyed_question(db, question.import_key)


def _free_id(base: str, taken: set[str]) -> str:
    number = 2
    while f"{base}-{number}" in taken:
        number += 1
    return f"{base}-{number}"


def _write_questions(
    db: Database,
    deck_id: str,
    placed: list[tuple[int, Question]],
    existing: dict[str, tuple[Any, ...]],
    result: DeckImportResult,
) -> None:
    inserts, updates = [], []
    for position, question in placed:
        values = repo.question_content(question)
        old = existing.get(question.id)
        if old is None:
            inserts.append((deck_id, question.id, position, *values))
            result.added += 1
            continue
        if question.import_key is None:
            values = (*values[:-1], old[-1])  # a file without keys keeps the stored key
        changed = values != old
        result.updated += changed
        result.unchanged += not changed
        updates.append((position, *values, deck_id, question.id))
    content.insert_questions(db, inserts)
    content.update_questions(db, updates)


def _sync_cards(db: Database, deck_id: str, placed: list[tuple[int, Question]]) -> None:
    """Create missing cards, retire cards whose part was removed, and refresh new-card order.

    Retired cards keep their reviews (never lose a review) and come back if the part does.
    """
    cards = content.card_kinds_stored(db, deck_id)
    per_question = len(CardKind)
    if not cards:
        # The deck's first import: every question is new, and one statement makes the cards.
        content.insert_first_cards(db, deck_id)
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
    content.insert_cards(db, inserts)
    content.update_cards(db, updates)


def _seed_answers(db: Database, deck: Deck, now: datetime) -> None:
    """A `### My answer` section becomes an answer-bank version unless it is already the latest."""
    for question in deck.questions:
        text = question.my_answer.strip()
        if not text:
            continue
        latest = answers.versions(db, deck.id, question.id, limit=1)
        if not latest or latest[0][0] != text:
            answers.add_version(db, deck.id, question.id, text, clock.to_ms(now), "deck")


def remove_deck(db: Database, deck_id: str, now: datetime) -> tuple[int, int]:
    """Delete a deck with its questions, cards, reviews and answers, after a backup.

    Returns (questions, reviews) removed.
    """
    repo.decks(db, deck_id)
    questions, reviews = content.deck_size(db, deck_id)
    guard = backup_before(db, database_path(db), "remove", now) if reviews else nullcontext()
    with guard, write_transaction(db):
        content.delete_deck(db, deck_id)
        removed = json.loads(repo.get_setting(db, "bundled_removed") or "[]")
        if deck_id not in removed:
            removed.append(deck_id)
            repo.set_setting(db, "bundled_removed", json.dumps(removed))
    return questions, reviews
