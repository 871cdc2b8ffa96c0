"""Typed reads and writes shared by the session, importers, exporters and stats."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain
from typing import TYPE_CHECKING, Any

from drill.core.config import ConfigError, StudyConfig, load_raw, parse_value
from drill.core.model import CardInfo, CardKind, CardRecord, CardSnapshot, Example, Question
from drill.errors import Missing
from drill.storage.sqlite import StorageError

if TYPE_CHECKING:
    from drill.storage.sqlite import Database

GLOBAL_CONFIG_KEY = "config"
# Settings of the whole collection, so they can't vary by deck: the study day, the one daily
# budget every deck shares, and how mocks go.
COLLECTION_ONLY = frozenset(
    {"day_starts_at", "daily_minutes", "new_questions_per_day", "mock_follow_ups"}
)


@dataclass(frozen=True, slots=True)
class DeckInfo:
    """A deck as stored: its names, its place in the list, its settings and its state."""

    id: str
    name: str
    description: str
    position: int
    config: StudyConfig
    extra_new_day: str | None
    extra_new: int
    license: str = ""
    version: str = ""
    source: str = ""
    paused: bool = False
    # The deck's own interview date, when it sets one (else it follows the collection's).
    own_interview: bool = False


class UnknownDeck(Missing):
    pass


def get_setting(db: Database, key: str) -> str | None:
    row = db.execute("SELECT value FROM settings WHERE key = ?", [key]).fetchone()
    return row[0] if row else None


def set_setting(db: Database, key: str, value: str | None) -> None:
    if value is None:
        db.execute("DELETE FROM settings WHERE key = ?", [key])
    else:
        db.execute(
            "INSERT INTO settings (key, value) VALUES (?, ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            [key, value],
        )


def list_setting(db: Database, key: str) -> list[str]:
    """A setting drill stores as a JSON list of ids; a damaged one reads as empty."""
    try:
        value = json.loads(get_setting(db, key) or "[]")
    except ValueError:
        return []
    return [str(item) for item in value] if isinstance(value, list) else []


def global_raw_config(db: Database) -> dict[str, str]:
    return load_raw(get_setting(db, GLOBAL_CONFIG_KEY))


@lru_cache(maxsize=256)
def _config(global_json: str | None, deck_json: str | None) -> StudyConfig:
    """The effective settings from the stored texts (cached: two hundred decks with the same
    settings are parsed once; StudyConfig is immutable).
    """
    try:
        return StudyConfig().with_raw(load_raw(global_json)).with_raw(load_raw(deck_json))
    except ConfigError:
        # A stored value that no longer validates (edited by hand, older rules) must not
        # lock the user out of studying: fall back to the defaults for that layer.
        return StudyConfig()


@lru_cache(maxsize=256)
def _own_interview(deck_json: str | None) -> bool:
    """Does the deck set an interview date of its own (rather than the collection's)?"""
    return "interview_date" in load_raw(deck_json)


def decks(db: Database, deck_id: str | None = None) -> list[DeckInfo]:
    """Decks in display order, with their effective settings; one deck if `deck_id` given."""
    global_json = get_setting(db, GLOBAL_CONFIG_KEY)
    sql = (
        "SELECT id, name, description, position, config, extra_new_day, extra_new, license, "
        "version, source, paused FROM decks"
    )
    params: list[Any] = []
    if deck_id is not None:
        sql += " WHERE id = ?"
        params.append(deck_id)
    rows = db.execute(sql + " ORDER BY position, id", params).fetchall()
    if deck_id is not None and not rows:
        raise unknown_deck(db, deck_id)
    return [
        DeckInfo(
            r[0],
            r[1],
            r[2],
            r[3],
            _config(global_json, r[4]),
            r[5],
            r[6] or 0,
            r[7],
            r[8],
            r[9],
            bool(r[10]),
            _own_interview(r[4]),
        )
        for r in rows
    ]


def set_paused(db: Database, deck_id: str, paused: bool) -> bool:
    """Pause (or resume) a deck; returns whether that changed anything."""
    decks(db, deck_id)  # raises UnknownDeck, with the list of decks
    cursor = db.execute(
        "UPDATE decks SET paused = ? WHERE id = ? AND paused != ?",
        [int(paused), deck_id, int(paused)],
    )
    return cursor.rowcount > 0


def unknown_deck(db: Database, deck_id: str) -> UnknownDeck:
    ids = [r[0] for r in db.execute("SELECT id FROM decks ORDER BY position")]
    hint = f" (decks: {', '.join(ids)})" if ids else " (no decks yet: drill import FILE)"
    return UnknownDeck(f"no deck '{deck_id}'{hint}")


def collection_config(db: Database) -> StudyConfig:
    return _config(get_setting(db, GLOBAL_CONFIG_KEY), None)


def set_config(db: Database, deck_id: str | None, key: str, value: str | None) -> None:
    """Set (or with None, clear) one setting, collection-wide or for one deck."""
    if value is not None:
        parse_value(key, value)
    elif key not in StudyConfig.__dataclass_fields__:
        parse_value(key, "")  # raises the unknown-setting error
    if deck_id is not None and key in COLLECTION_ONLY:
        raise ConfigError(f"{key} applies to the whole collection; set it without --deck")
    if deck_id is None:
        raw = global_raw_config(db)
    else:
        decks(db, deck_id)
        row = db.execute("SELECT config FROM decks WHERE id = ?", [deck_id]).fetchone()
        raw = load_raw(row[0])
    if value is None:
        raw.pop(key, None)
    else:
        raw[key] = value
    text = json.dumps(raw, sort_keys=True)
    if deck_id is None:
        set_setting(db, GLOBAL_CONFIG_KEY, text)
    else:
        db.execute("UPDATE decks SET config = ? WHERE id = ?", [text, deck_id])


CARD_COLUMNS = "state, step, stability, difficulty, due, last_review, reps, lapses"
_C_COLUMNS = ", ".join(f"c.{c.strip()}" for c in CARD_COLUMNS.split(","))


def record_from_row(row: tuple[Any, ...] | list[Any]) -> CardRecord:
    """A CardRecord from the eight CARD_COLUMNS, in order."""
    return CardRecord(*row)


def write_card(db: Database, card_id: int, record: CardRecord) -> None:
    db.execute(
        "UPDATE cards SET state = ?, step = ?, stability = ?, difficulty = ?, due = ?, "
        "last_review = ?, reps = ?, lapses = ? WHERE id = ?",
        [
            record.state,
            record.step,
            record.stability,
            record.difficulty,
            record.due,
            record.last_review,
            record.reps,
            record.lapses,
            card_id,
        ],
    )


# The stored columns of a question's content, in the order `question_content` returns them
# (the import key last: an import without keys keeps the stored one).
QUESTION_CONTENT = (
    "question",
    "variants",
    "why",
    "approach",
    "dos",
    "donts",
    "examples",
    "bad_example",
    "tips",
    "tags",
    "type",
    "competencies",
    "level",
    "length_low",
    "length_high",
    "reviewed",
    "short_answer",
    "follow_ups",
    "red_flags",
    "key_phrases",
    "import_key",
)
QUESTION_COLUMNS = "id, " + ", ".join(QUESTION_CONTENT)


def question_from_row(row: tuple[Any, ...] | list[Any]) -> Question:
    """A Question from the QUESTION_COLUMNS, in order.

    A row drill did not write (a database edited by hand; `drill restore` refuses such
    backups) is a StorageError naming the question, not a traceback.
    """
    try:
        return _question_from_row(row)
    except (ValueError, TypeError, KeyError, AttributeError):
        raise StorageError(
            f"the database is damaged: question '{row[0]}' holds a value drill never writes "
            "(restore a backup: drill restore FILE)"
        ) from None


def _question_from_row(row: tuple[Any, ...] | list[Any]) -> Question:
    (
        qid,
        text,
        variants,
        why,
        approach,
        dos,
        donts,
        examples,
        bad,
        tips,
        tags,
        qtype,
        competencies,
        level,
        length_low,
        length_high,
        reviewed,
        short_answer,
        follow_ups,
        red_flags,
        key_phrases,
        key,
    ) = row
    return Question(
        id=qid,
        question=text,
        variants=json.loads(variants),
        why=why,
        approach=approach,
        dos=json.loads(dos),
        donts=json.loads(donts),
        examples=[Example(e["label"], e["text"]) for e in json.loads(examples)],
        bad_example=bad,
        tips=json.loads(tips),
        tags=json.loads(tags),
        type=qtype,
        competencies=json.loads(competencies),
        level=level,
        length=(length_low, length_high) if length_low is not None else None,
        reviewed=reviewed,
        short_answer=short_answer,
        follow_ups=json.loads(follow_ups),
        red_flags=json.loads(red_flags),
        key_phrases=json.loads(key_phrases),
        import_key=key,
    )


# json.dumps(value, ensure_ascii=False) without dumps' argument handling on every call: an
# import encodes six lists per question.
_to_json: Callable[[Any], str] = json.JSONEncoder(ensure_ascii=False).encode


# What json.dumps escapes in a string with ensure_ascii=False: quotes, backslashes, controls.
_JSON_ESCAPE = re.compile(r'["\\\x00-\x1f]')
_JSON_ESCAPE_BYTES = bytes([*range(0x20), 0x22, 0x5C])


def _needs_escape(text: str) -> bool:
    """Would json.dumps escape anything in `text`? ASCII text (most of any deck) is told by
    deleting those bytes in C, a quarter of the regex's time over an import's every list."""
    if text.isascii():
        return len(text.encode("ascii").translate(None, _JSON_ESCAPE_BYTES)) != len(text)
    return _JSON_ESCAPE.search(text) is not None


def _list_json(items: list[Any]) -> str:
    """A list as JSON text, exactly as json.dumps(items, ensure_ascii=False) writes it.

    A list of strings that need no escaping is joined directly (an import writes ten lists
    per question, and the encoder's call costs more than the joining).
    """
    if not items:
        return "[]"
    if all(type(item) is str for item in items) and not _needs_escape("".join(items)):
        return '["' + '", "'.join(items) + '"]'
    return _to_json(items)


def _examples_json(examples: list[Example]) -> str:
    """The examples as JSON objects, as json.dumps writes them (joined directly when no
    label or text needs escaping).
    """
    if not examples:
        return "[]"
    if not _needs_escape("".join(e.label + e.text for e in examples)):
        return (
            "[" + ", ".join(f'{{"label": "{e.label}", "text": "{e.text}"}}' for e in examples) + "]"
        )
    return _to_json([{"label": e.label, "text": e.text} for e in examples])


def question_content(q: Question) -> tuple[Any, ...]:
    """A question's content as stored, in QUESTION_CONTENT order (lists as JSON text)."""
    low, high = q.length if q.length is not None else (None, None)
    lists = (
        q.variants, q.dos, q.donts, q.tips, q.tags,
        q.competencies, q.follow_ups, q.red_flags, q.key_phrases,
    )  # fmt: skip
    # One search over all nine lists decides whether each can be joined directly (an import
    # writes every question's lists; most need no escaping). A non-string item makes join
    # raise, and then each list goes through _list_json's own checks.
    try:
        joined = "".join(["".join(items) for items in lists if items])
        plain = not _needs_escape(joined)
    except TypeError:
        plain = False
    encode = _plain_list_json if plain else _list_json
    variants, dos, donts, tips, tags, competencies, follow_ups, red_flags, key_phrases = map(
        encode, lists
    )
    return (
        q.question,
        variants,
        q.why if q.why.strip() else "",
        q.approach,
        dos,
        donts,
        _examples_json(q.examples),
        q.bad_example,
        tips,
        tags,
        q.type,
        competencies,
        q.level,
        low,
        high,
        q.reviewed,
        q.short_answer,
        follow_ups,
        red_flags,
        key_phrases,
        q.import_key,
    )


def content_columns(questions: list[Question]) -> list[list[Any]]:
    """`question_content` of every question, column by column (a deck's first import).

    Equal to transposing the questions' `question_content` tuples, in a list comprehension
    per column instead of a call per question; each list column is checked for escaping
    once (tests/test_import_speed_paths.py holds the two equal).
    """
    qs = questions
    lengths = [q.length if q.length is not None else (None, None) for q in qs]
    return [
        [q.question for q in qs],
        _list_column([q.variants for q in qs]),
        [q.why if q.why.strip() else "" for q in qs],
        [q.approach for q in qs],
        _list_column([q.dos for q in qs]),
        _list_column([q.donts for q in qs]),
        _examples_column([q.examples for q in qs]),
        [q.bad_example for q in qs],
        _list_column([q.tips for q in qs]),
        _list_column([q.tags for q in qs]),
        [q.type for q in qs],
        _list_column([q.competencies for q in qs]),
        [q.level for q in qs],
        [low for low, _ in lengths],
        [high for _, high in lengths],
        [q.reviewed for q in qs],
        [q.short_answer for q in qs],
        _list_column([q.follow_ups for q in qs]),
        _list_column([q.red_flags for q in qs]),
        _list_column([q.key_phrases for q in qs]),
        [q.import_key for q in qs],
    ]


def _list_column(lists: list[list[Any]]) -> list[str]:
    """`_list_json` of each list, with one search for escapes over the whole column."""
    try:
        plain = not _needs_escape("".join(chain.from_iterable(lists)))
    except TypeError:  # an item that is not a string: each list encodes on its own
        plain = False
    if plain:
        return ['["' + '", "'.join(items) + '"]' if items else "[]" for items in lists]
    return [_list_json(items) for items in lists]


def _examples_column(lists: list[list[Example]]) -> list[str]:
    """`_examples_json` of each list, with one search for escapes over the whole column."""
    every = [e for examples in lists for e in examples]
    if not _needs_escape("".join([e.label + e.text for e in every])):
        return [
            "["
            + ", ".join([f'{{"label": "{e.label}", "text": "{e.text}"}}' for e in examples])
            + "]"
            if examples
            else "[]"
            for examples in lists
        ]
    return [_examples_json(examples) for examples in lists]


def _plain_list_json(items: list[str]) -> str:
    """`_list_json` of strings known to need no escaping."""
    return '["' + '", "'.join(items) + '"]' if items else "[]"


def get_question(db: Database, deck_id: str, question_id: str) -> Question | None:
    row = db.execute(
        f"SELECT {QUESTION_COLUMNS} FROM questions WHERE deck_id = ? AND id = ?",
        [deck_id, question_id],
    ).fetchone()
    return question_from_row(row) if row else None


def iter_questions(db: Database, deck_id: str) -> Iterator[Question]:
    """Questions of a deck in file order, streamed."""
    yield from (
        question_from_row(row)
        for row in db.execute(
            f"SELECT {QUESTION_COLUMNS} FROM questions WHERE deck_id = ? ORDER BY position",
            [deck_id],
        )
    )


def get_card(db: Database, card_id: int) -> CardInfo | None:
    row = db.execute(
        f"SELECT id, deck_id, question_id, kind, suspended, {CARD_COLUMNS} FROM cards WHERE id = ?",
        [card_id],
    ).fetchone()
    return _card_info(row) if row is not None else None


def question_cards(db: Database, deck_id: str, question_id: str) -> list[CardInfo]:
    rows = db.execute(
        f"SELECT id, deck_id, question_id, kind, suspended, {CARD_COLUMNS} FROM cards "
        "WHERE deck_id = ? AND question_id = ? AND retired = 0 ORDER BY new_order",
        [deck_id, question_id],
    ).fetchall()
    return [_card_info(r) for r in rows]


# -- card changes the study session makes ------------------------------------------------------


def study_card_row(db: Database, card_id: int) -> tuple[str, str, str, CardKind, CardRecord] | None:
    """(deck id, deck name, question id, kind, state) of a card, or None."""
    row = db.execute(
        f"SELECT c.deck_id, d.name, c.question_id, c.kind, {_C_COLUMNS} "
        "FROM cards c JOIN decks d ON d.id = c.deck_id WHERE c.id = ?",
        [card_id],
    ).fetchone()
    if row is None:
        return None
    return row[0], row[1], row[2], CardKind(row[3]), record_from_row(row[4:])


def set_extra_new(db: Database, deck_id: str, day: str, extra: int) -> None:
    """Allow `extra` more new cards than the daily limit in a deck on study day `day`."""
    db.execute(
        "UPDATE decks SET extra_new_day = ?, extra_new = ? WHERE id = ?", [day, extra, deck_id]
    )


def set_suspended(db: Database, card_id: int, suspended: bool) -> None:
    db.execute("UPDATE cards SET suspended = ? WHERE id = ?", [1 if suspended else 0, card_id])


def suspend_question(db: Database, deck_id: str, question_id: str, suspended: bool) -> int:
    """Suspend (or unsuspend) every active card of a question; returns cards changed."""
    cursor = db.execute(
        "UPDATE cards SET suspended = ? WHERE deck_id = ? AND question_id = ? AND retired = 0",
        [1 if suspended else 0, deck_id, question_id],
    )
    return cursor.rowcount


def reset_question(db: Database, deck_id: str, question_id: str, reset_ms: int) -> int:
    """Make every card of a question new again from `reset_ms` on; returns cards reset."""
    cursor = db.execute(
        "UPDATE cards SET state = ?, step = NULL, stability = NULL, difficulty = NULL, "
        "due = NULL, last_review = NULL, reps = 0, lapses = 0, buried_until = NULL, "
        "reset_at = ? WHERE deck_id = ? AND question_id = ?",
        [int(CardRecord().state), reset_ms, deck_id, question_id],
    )
    return cursor.rowcount


def bury_question(db: Database, card_id: int, until_ms: int) -> None:
    """Hide every card of this card's question until `until_ms`."""
    db.execute(
        "UPDATE cards SET buried_until = ? WHERE (deck_id, question_id) = "
        "(SELECT deck_id, question_id FROM cards WHERE id = ?)",
        [until_ms, card_id],
    )


def sibling_ids(db: Database, card_id: int) -> list[int]:
    """Every card of this card's question (retired ones too), in id order."""
    return [
        r[0]
        for r in db.execute(
            "SELECT id FROM cards WHERE (deck_id, question_id) = "
            "(SELECT deck_id, question_id FROM cards WHERE id = ?) ORDER BY id",
            [card_id],
        )
    ]


def question_card_ids(
    db: Database, deck_id: str, question_id: str, *, active: bool = False
) -> list[int]:
    """Every card of a question in id order; only those not retired when `active`."""
    sql = "SELECT id FROM cards WHERE deck_id = ? AND question_id = ?"
    if active:
        sql += " AND retired = 0"
    return [r[0] for r in db.execute(sql + " ORDER BY id", [deck_id, question_id])]


def snapshot_cards(db: Database, card_ids: list[int]) -> tuple[CardSnapshot, ...]:
    """The cards' undoable state, in the order of `card_ids` (missing cards left out)."""
    out = []
    for card_id in card_ids:
        row = db.execute(
            f"SELECT {CARD_COLUMNS}, suspended, buried_until, reset_at FROM cards WHERE id = ?",
            [card_id],
        ).fetchone()
        if row is not None:
            out.append(
                CardSnapshot(card_id, record_from_row(row[:8]), bool(row[8]), row[9], row[10])
            )
    return tuple(out)


def restore_cards(db: Database, snapshots: tuple[CardSnapshot, ...]) -> None:
    """Put cards back exactly as snapshotted."""
    for snap in snapshots:
        write_card(db, snap.card_id, snap.record)
        db.execute(
            "UPDATE cards SET suspended = ?, buried_until = ?, reset_at = ? WHERE id = ?",
            [1 if snap.suspended else 0, snap.buried_until, snap.reset_at, snap.card_id],
        )


def question_text(db: Database, deck_id: str, question_id: str) -> str:
    """A question's wording ('' if it no longer exists)."""
    row = db.execute(
        "SELECT question FROM questions WHERE deck_id = ? AND id = ?", [deck_id, question_id]
    ).fetchone()
    return row[0] if row else ""


def card_reset_at(db: Database, card_id: int) -> int | None:
    row = db.execute("SELECT reset_at FROM cards WHERE id = ?", [card_id]).fetchone()
    return row[0] if row else None


# -- shared reads of many cards --------------------------------------------------------------


def _card_info(row: tuple[Any, ...]) -> CardInfo:
    """A CardInfo from (id, deck, question, kind, suspended, *CARD_COLUMNS)."""
    return CardInfo(
        row[0], row[1], row[2], CardKind(row[3]), record_from_row(row[5:]), bool(row[4])
    )


def iter_cards(
    db: Database,
    deck_id: str | None = None,
    *,
    kind: CardKind | None = None,
    active_only: bool = False,
) -> Iterator[CardInfo]:
    """Cards that are not retired, in deck and file order (one deck's, or all).

    `kind` keeps one kind; `active_only` leaves out suspended cards too.
    """
    sql = (
        f"SELECT c.id, c.deck_id, c.question_id, c.kind, c.suspended, {_C_COLUMNS} "
        "FROM cards c JOIN decks d ON d.id = c.deck_id WHERE c.retired = 0"
    )
    params: list[Any] = []
    if deck_id is not None:
        sql += " AND c.deck_id = ?"
        params.append(deck_id)
    if kind is not None:
        sql += " AND c.kind = ?"
        params.append(kind.value)
    if active_only:
        sql += " AND c.suspended = 0"
    for row in db.execute(sql + " ORDER BY d.position, d.id, c.new_order", params):
        yield _card_info(row)


def iter_questions_of_all(db: Database) -> Iterator[tuple[str, Question]]:
    """(deck, question) of every question, in deck and file order."""
    columns = ", ".join("q." + c.strip() for c in QUESTION_COLUMNS.split(","))
    for r in db.execute(
        f"SELECT q.deck_id, {columns} FROM questions q JOIN decks d ON d.id = q.deck_id "
        "ORDER BY d.position, d.id, q.position"
    ):
        yield r[0], question_from_row(r[1:])


def iter_questions_for_ranking(db: Database) -> Iterator[tuple[str, Question]]:
    """(deck, question) of every question, in deck and file order, holding only what ranking
    against a job posting reads (core/ranking.py): the text, variants, tags, competencies,
    level and follow-ups. The rest stays empty: reading and decoding every question's notes
    and examples was most of the time of a job's analysis.
    """
    for r in db.execute(
        "SELECT q.deck_id, q.id, q.question, q.variants, q.tags, q.competencies, q.level, "
        "q.follow_ups FROM questions q JOIN decks d ON d.id = q.deck_id "
        "ORDER BY d.position, d.id, q.position"
    ):
        try:
            question = Question(
                id=r[1],
                question=r[2],
                variants=_json_list(r[3]),
                tags=_json_list(r[4]),
                competencies=_json_list(r[5]),
                level=r[6],
                follow_ups=_json_list(r[7]),
            )
        except (ValueError, TypeError):
            raise StorageError(
                f"the database is damaged: question '{r[1]}' holds a value drill never writes "
                "(restore a backup: drill restore FILE)"
            ) from None
        yield r[0], question


def _json_list(value: str) -> list[Any]:
    """A stored JSON list ("[]", the common case, without the decoder)."""
    if value == "[]":
        return []
    out = json.loads(value)
    if not isinstance(out, list):
        raise TypeError(value)
    return out


def browse_index(db: Database) -> Iterator[tuple[str, str, str, str, str]]:
    """(deck, question id, question, variants JSON, tags JSON) of every question, in deck
    and file order: what the browser lists and searches, without a Question object per row.
    """
    yield from db.execute(
        "SELECT q.deck_id, q.id, q.question, q.variants, q.tags FROM questions q "
        "JOIN decks d ON d.id = q.deck_id ORDER BY d.position, d.id, q.position"
    )


def count_active_cards(db: Database, deck_id: str | None = None) -> int:
    """Cards neither retired nor suspended (in one deck, or all)."""
    sql = "SELECT count(*) FROM cards WHERE retired = 0 AND suspended = 0"
    if deck_id is None:
        return int(db.execute(sql).fetchone()[0])
    return int(db.execute(sql + " AND deck_id = ?", [deck_id]).fetchone()[0])
