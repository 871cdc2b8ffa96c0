"""Putting parsed decks into the database: all-or-nothing, never resetting progress."""

from __future__ import annotations

import json
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from datetime import datetime
from difflib import SequenceMatcher
from typing import TYPE_CHECKING, Any

from drill.core import clock
from drill.core.format import plural
from drill.core.model import KIND_ORDER, CardKind, Deck, Question, normalize_deck
from drill.errors import DeckError, Problem
from drill.io.registry import Loaded, paused_gc
from drill.storage import answers, content, repo
from drill.storage.backup import backup_before, database_path
from drill.storage.sqlite import bulk_cache, foreign_keys_unchecked, write_transaction

if TYPE_CHECKING:
    from drill.storage.sqlite import Database


@dataclass(frozen=True, slots=True)
class Reworded:
    """A question gone from the file that a new question closely resembles: most likely the
    same question reworded without an `id:`, which would otherwise start from scratch.
    """

    old_id: str
    old: str
    new_id: str
    new: str
    similarity: float

    def to_json(self) -> dict[str, object]:
        return {
            "old_id": self.old_id,
            "old": self.old,
            "new_id": self.new_id,
            "new": self.new,
            "similarity": round(self.similarity, 2),
        }


@dataclass(slots=True)
class DeckImportResult:
    """What one import did to one deck (`cards` is the deck's card total afterwards).

    The lists hold (id, wording) of the questions added, updated, and no longer in the file
    (kept, or removed with --prune).
    """

    deck: str
    name: str
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    cards: int = 0
    added_questions: list[tuple[str, str]] = field(default_factory=list)
    updated_questions: list[tuple[str, str]] = field(default_factory=list)
    missing_questions: list[tuple[str, str]] = field(default_factory=list)
    reworded: list[Reworded] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    # Notes of the file already imported into other decks (matched by Anki GUID), which
    # stay there: (deck id, deck name, notes). `created` is False when none were left for
    # this deck, which then was not made.
    elsewhere: list[tuple[str, str, int]] = field(default_factory=list)
    created: bool = True

    def _elsewhere(self) -> str:
        names = " and ".join(name for _, name, _ in self.elsewhere)
        return f"already in {names} (matched by their Anki GUID), and stay there"

    def summary(self) -> str:
        if not self.created:
            count = sum(n for _, _, n in self.elsewhere)
            return f"{self.name}: not created: all {count} notes are {self._elsewhere()}"
        text = (
            f"{self.name}: {self.added} added, {self.updated} updated, {self.unchanged} unchanged"
        )
        if self.removed:
            text += f", {self.removed} removed"
        elif self.missing_questions:
            text += (
                f", {len(self.missing_questions)} no longer in the file (kept; --prune removes it)"
            )
        text += f" ({plural(self.cards, 'card')})"
        if self.elsewhere:
            count = sum(n for _, _, n in self.elsewhere)
            text += f"; {plural(count, 'note')} {'is' if count == 1 else 'are'} {self._elsewhere()}"
        return text

    def details(self) -> list[str]:
        """One line per question added, updated or no longer in the file (for --dry-run)."""
        gone = "removed" if self.removed else "no longer in the file"
        return [
            *(f"  added:   {text}" for _, text in self.added_questions),
            *(f"  updated: {text}" for _, text in self.updated_questions),
            *(f"  {gone}: {text}" for _, text in self.missing_questions),
        ]

    def to_json(self) -> dict[str, object]:
        return {
            "deck": self.deck,
            "name": self.name,
            "added": self.added,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "removed": self.removed,
            "cards": self.cards,
            "added_questions": [qid for qid, _ in self.added_questions],
            "updated_questions": [qid for qid, _ in self.updated_questions],
            "missing_questions": [qid for qid, _ in self.missing_questions],
            "reworded": [r.to_json() for r in self.reworded],
            "created": self.created,
            "elsewhere": [{"deck": deck, "notes": n} for deck, _, n in self.elsewhere],
        }


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
        guard = backup_before(db, database_path(db), reason, now, only_if_written=True)
    try:
        cache = bulk_cache(db) if decks else nullcontext()
        # Without pruning an import only adds and updates rows that point at rows it stored
        # or found in this transaction (questions under their deck, cards made from them,
        # reviews of the cards it resolved), and deletes none another row points at (a
        # rewritten card's old reviews): see foreign_keys_unchecked and
        # tests/test_import_speed_paths.py. A million reviews' lookups cost 1.7 s.
        unchecked = foreign_keys_unchecked(db) if not prune else nullcontext()
        with guard, paused_gc(), cache, unchecked, write_transaction(db):
            for deck in decks:
                report.decks.extend(_import_one(db, deck, now, prune=prune))
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


def _import_one(db: Database, deck: Deck, now: datetime, *, prune: bool) -> list[DeckImportResult]:
    """Import one deck; returns its result, then one for each other deck that already held
    some of its notes (matched by Anki GUID), where they were updated.
    """
    result = DeckImportResult(deck.id, deck.name)
    existing = content.stored_content(db, deck.id)
    here: list[tuple[int, Question]] = []
    elsewhere: dict[str, list[tuple[int, Question]]] = {}
    taken = set(existing)
    for position, question in enumerate(deck.questions):
        # Most questions have no key: no call for them.
        target = None if question.import_key is None else _keyed_target(db, question)
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

    others = []
    for other_deck, placed in elsewhere.items():
        name = repo.decks(db, other_deck)[0].name
        other = DeckImportResult(other_deck, name)
        _write_questions(db, other_deck, placed, content.stored_content(db, other_deck), other)
        _sync_cards(db, other_deck, placed)
        other.cards = content.active_cards(db, other_deck)
        others.append(other)
        result.elsewhere.append((other_deck, name, len(placed)))
    if not here and not content.deck_exists(db, deck.id) and elsewhere:
        # Every note lives in other decks already: an empty deck would only confuse.
        result.created = False
        return [result, *others]
    content.upsert_deck(db, deck, clock.to_ms(now))

    _write_questions(db, deck.id, here, existing, result)
    file_ids = {q.id for _, q in here}
    gone = [qid for qid in existing if qid not in file_ids]
    result.missing_questions = [(qid, existing[qid][0]) for qid in gone]
    added_here = [q for _, q in here if q.id not in existing]
    result.reworded = find_reworded(result.missing_questions, added_here)
    result.warnings = [
        Problem(
            deck.source,
            next((q.line for q in added_here if q.id == r.new_id), 0),
            f"'{r.old}' is no longer in the file; '{r.new}' looks like it "
            f"({r.similarity:.0%} similar)",
            f"add `id: {r.old_id}` under it to keep its progress",
        )
        for r in result.reworded
    ]
    if prune and gone:
        content.delete_questions(db, deck.id, gone)
        result.removed = len(gone)
    made = _sync_cards(db, deck.id, here)
    _seed_answers(db, deck.id, [q for _, q in here], now)
    # A first import made every card the deck has (counting them again reads them all).
    result.cards = made if made is not None else content.active_cards(db, deck.id)
    return [result, *others]


# How alike two wordings must be to call one a rewording of the other, and how many pairs
# are worth comparing (a file rewritten wholesale is not a rewording).
REWORD_SIMILARITY = 0.75
REWORD_MAX_PAIRS = 250_000


def find_reworded(missing: list[tuple[str, str]], added: list[Question]) -> list[Reworded]:
    """Pair questions gone from the file with new ones worded almost the same, best first.

    Each side is paired at most once. A new question matching one of the old question's
    variants would be compared to its wording only: the wording is what a rewording edits.
    """
    if not missing or not added or len(missing) * len(added) > REWORD_MAX_PAIRS:
        return []
    scored = []
    for old_id, old_text in missing:
        matcher = SequenceMatcher(None, old_text.casefold(), autojunk=False)
        for question in added:
            matcher.set_seq2(question.question.casefold())
            if matcher.real_quick_ratio() < REWORD_SIMILARITY:
                continue
            if matcher.quick_ratio() < REWORD_SIMILARITY:
                continue
            ratio = matcher.ratio()
            if ratio >= REWORD_SIMILARITY:
                scored.append((ratio, old_id, old_text, question))
    scored.sort(key=lambda item: -item[0])
    out, used_old, used_new = [], set(), set()
    for ratio, old_id, old_text, question in scored:
        if old_id in used_old or question.id in used_new:
            continue
        used_old.add(old_id)
        used_new.add(question.id)
        out.append(Reworded(old_id, old_text, question.id, question.question, ratio))
    return out


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
    if not existing:
        # A deck's first import: every question is new, and the rows go column by column.
        questions = [question for _, question in placed]
        content.insert_question_columns(
            db,
            [
                [deck_id] * len(placed),
                [q.id for q in questions],
                [position for position, _ in placed],
                *repo.content_columns(questions),
            ],
        )
        result.added += len(placed)
        result.added_questions.extend((q.id, q.question) for q in questions)
        return
    inserts, updates = [], []
    for position, question in placed:
        values = repo.question_content(question)
        old = existing.get(question.id)
        if old is None:
            inserts.append((deck_id, question.id, position, *values))
            result.added += 1
            result.added_questions.append((question.id, question.question))
            continue
        if question.import_key is None:
            values = (*values[:-1], old[-1])  # a file without keys keeps the stored key
        changed = values != old
        result.updated += changed
        result.unchanged += not changed
        if changed:
            result.updated_questions.append((question.id, question.question))
        updates.append((position, *values, deck_id, question.id))
    content.insert_questions(db, inserts)
    content.update_questions(db, updates)


def _sync_cards(db: Database, deck_id: str, placed: list[tuple[int, Question]]) -> int | None:
    """Create missing cards, retire cards whose part was removed, and refresh new-card order.

    Retired cards keep their reviews (never lose a review) and come back if the part does.
    Returns the deck's cards when they were all made here (its first import), else None.
    """
    cards = content.card_kinds_stored(db, deck_id)
    per_question = len(CardKind)
    if not cards:
        # The deck's first import: every question is new, and one statement makes the cards.
        return content.insert_first_cards(db, deck_id, len(placed))
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
    return None


def _seed_answers(db: Database, deck_id: str, questions: list[Question], now: datetime) -> None:
    """A `### My answer` section becomes an answer-bank version unless it is already the latest."""
    for question in questions:
        text = question.my_answer.strip()
        if not text:
            continue
        latest = answers.versions(db, deck_id, question.id, limit=1)
        if not latest or latest[0][0] != text:
            answers.add_version(db, deck_id, question.id, text, clock.to_ms(now), "deck")


def remove_deck(db: Database, deck_id: str, now: datetime) -> tuple[int, int]:
    """Delete a deck with its questions, cards, reviews and answers, after a backup.

    Returns (questions, reviews) removed.
    """
    repo.decks(db, deck_id)
    questions, reviews = content.deck_size(db, deck_id)
    guard = backup_before(db, database_path(db), "remove", now) if reviews else nullcontext()
    with guard, write_transaction(db):
        content.delete_deck(db, deck_id)
        removed = repo.list_setting(db, "bundled_removed")
        if deck_id not in removed:
            removed.append(deck_id)
            repo.set_setting(db, "bundled_removed", json.dumps(removed))
    return questions, reviews
