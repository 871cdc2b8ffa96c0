"""Typed reads and writes shared by the session, importers, exporters and stats."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from drill.config import ConfigError, StudyConfig, load_raw, parse_value
from drill.io.errors import DrillError
from drill.model import CardKind, CardState, Example, Question
from drill.scheduling import CardRecord

GLOBAL_CONFIG_KEY = "config"
# Settings that define the study day for the whole collection, so they can't vary by deck.
COLLECTION_ONLY = frozenset({"day_starts_at"})

QUESTION_JSON_FIELDS = ("variants", "dos", "donts", "tips", "tags")


@dataclass(frozen=True, slots=True)
class DeckInfo:
    id: str
    name: str
    description: str
    position: int
    config: StudyConfig
    extra_new_day: str | None
    extra_new: int


class UnknownDeck(DrillError):
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


def global_raw_config(db: Database) -> dict[str, str]:
    return load_raw(get_setting(db, GLOBAL_CONFIG_KEY))


def _config(global_raw: dict[str, str], deck_json: str | None) -> StudyConfig:
    try:
        return StudyConfig().with_raw(global_raw).with_raw(load_raw(deck_json))
    except ConfigError:
        # A stored value that no longer validates (edited by hand, older rules) must not
        # lock the user out of studying: fall back to the defaults for that layer.
        return StudyConfig()


def decks(db: Database, deck_id: str | None = None) -> list[DeckInfo]:
    """Decks in display order, with their effective settings; one deck if `deck_id` given."""
    global_raw = global_raw_config(db)
    sql = "SELECT id, name, description, position, config, extra_new_day, extra_new FROM decks"
    params: list[Any] = []
    if deck_id is not None:
        sql += " WHERE id = ?"
        params.append(deck_id)
    rows = db.execute(sql + " ORDER BY position, id", params).fetchall()
    if deck_id is not None and not rows:
        raise unknown_deck(db, deck_id)
    return [
        DeckInfo(r[0], r[1], r[2], r[3], _config(global_raw, r[4]), r[5], r[6] or 0) for r in rows
    ]


def unknown_deck(db: Database, deck_id: str) -> UnknownDeck:
    ids = [r[0] for r in db.execute("SELECT id FROM decks ORDER BY position")]
    hint = f" (decks: {', '.join(ids)})" if ids else " (no decks yet: drill import FILE)"
    return UnknownDeck(f"no deck '{deck_id}'{hint}")


def collection_config(db: Database) -> StudyConfig:
    return _config(global_raw_config(db), None)


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


def record_from_row(row: tuple[Any, ...] | list[Any]) -> CardRecord:
    """A CardRecord from the eight CARD_COLUMNS, in order."""
    return CardRecord(*row)


def card_record(db: Database, card_id: int) -> CardRecord | None:
    row = db.execute(f"SELECT {CARD_COLUMNS} FROM cards WHERE id = ?", [card_id]).fetchone()
    return record_from_row(row) if row else None


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


QUESTION_COLUMNS = (
    "id, question, variants, why, approach, dos, donts, examples, bad_example, tips, tags, "
    "import_key"
)


def question_from_row(row: tuple[Any, ...] | list[Any]) -> Question:
    """A Question from the QUESTION_COLUMNS, in order."""
    (qid, text, variants, why, approach, dos, donts, examples, bad, tips, tags, key) = row
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
        import_key=key,
    )


# json.dumps(value, ensure_ascii=False), without building an encoder for every call (an
# import writes six lists per question).
_to_json = json.JSONEncoder(ensure_ascii=False).encode


def question_to_row(deck_id: str, position: int, q: Question) -> dict[str, Any]:
    return {
        "deck_id": deck_id,
        "id": q.id,
        "position": position,
        "question": q.question,
        "variants": _to_json(q.variants),
        "why": q.why,
        "approach": q.approach,
        "dos": _to_json(q.dos),
        "donts": _to_json(q.donts),
        "examples": _to_json([{"label": e.label, "text": e.text} for e in q.examples]),
        "bad_example": q.bad_example,
        "tips": _to_json(q.tips),
        "tags": _to_json(q.tags),
        "import_key": q.import_key,
    }


def get_question(db: Database, deck_id: str, question_id: str) -> Question | None:
    row = db.execute(
        f"SELECT {QUESTION_COLUMNS} FROM questions WHERE deck_id = ? AND id = ?",
        [deck_id, question_id],
    ).fetchone()
    return question_from_row(row) if row else None


def iter_questions(db: Database, deck_id: str):
    """Questions of a deck in file order, streamed."""
    yield from (
        question_from_row(row)
        for row in db.execute(
            f"SELECT {QUESTION_COLUMNS} FROM questions WHERE deck_id = ? ORDER BY position",
            [deck_id],
        )
    )


@dataclass(frozen=True, slots=True)
class CardInfo:
    id: int
    deck_id: str
    question_id: str
    kind: CardKind
    record: CardRecord
    suspended: bool

    @property
    def state(self) -> CardState:
        return CardState(self.record.state)


def get_card(db: Database, card_id: int) -> CardInfo | None:
    row = db.execute(
        f"SELECT id, deck_id, question_id, kind, suspended, {CARD_COLUMNS} FROM cards WHERE id = ?",
        [card_id],
    ).fetchone()
    if row is None:
        return None
    return CardInfo(
        row[0], row[1], row[2], CardKind(row[3]), record_from_row(row[5:]), bool(row[4])
    )


def question_cards(db: Database, deck_id: str, question_id: str) -> list[CardInfo]:
    rows = db.execute(
        f"SELECT id, deck_id, question_id, kind, suspended, {CARD_COLUMNS} FROM cards "
        "WHERE deck_id = ? AND question_id = ? AND retired = 0 ORDER BY new_order",
        [deck_id, question_id],
    ).fetchall()
    return [
        CardInfo(r[0], r[1], r[2], CardKind(r[3]), record_from_row(r[5:]), bool(r[4])) for r in rows
    ]
