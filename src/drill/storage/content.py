"""Writing deck content: decks, questions and their cards, as an import stores them."""

from __future__ import annotations

from contextlib import nullcontext
from typing import TYPE_CHECKING, Any

from drill.core.model import KIND_ORDER, CardKind, Deck
from drill.storage.repo import QUESTION_CONTENT
from drill.storage.sqlite import indexes_rebuilt

if TYPE_CHECKING:
    from drill.storage.sqlite import Database

_SELECT_CONTENT = "SELECT id, " + ", ".join(QUESTION_CONTENT) + " FROM questions "
_UPDATE_QUESTION = (
    "UPDATE questions SET position = ?, "
    + ", ".join(f"{name} = ?" for name in QUESTION_CONTENT)
    + " WHERE deck_id = ? AND id = ?"
)
# Question.kinds() in SQL, over stored content: repo.question_content stores a blank "why" as
# '' and an empty list as '[]', so both agree exactly (tests/test_import_speed_paths.py).
_KIND_ROWS = "(VALUES " + ", ".join(f"('{k.value}', {KIND_ORDER[k]})" for k in CardKind) + ")"
_HAS_KIND = (
    "(k.column1 = 'rehearse' OR (k.column1 = 'why' AND q.why != '') "
    "OR (k.column1 = 'dos' AND (q.dos != '[]' OR q.donts != '[]')))"
)
INSERT_FIRST_CARDS = (
    "INSERT INTO cards (deck_id, question_id, kind, new_order) "
    "SELECT q.deck_id, q.id, k.column1, q.position * ? + k.column2 "
    f"FROM questions q, {_KIND_ROWS} k WHERE q.deck_id = ? AND {_HAS_KIND} "
    "ORDER BY q.position, k.column2"
)


def upsert_deck(db: Database, deck: Deck, created_ms: int) -> None:
    """Add a deck at the end of the list, or update its name, description, source, license
    and version.
    """
    values = [deck.name, deck.description, deck.source, deck.license, deck.version]
    row = db.execute("SELECT id FROM decks WHERE id = ?", [deck.id]).fetchone()
    if row is None:
        position = db.execute("SELECT coalesce(max(position), -1) + 1 FROM decks").fetchone()[0]
        db.execute(
            "INSERT INTO decks (id, position, created_at, name, description, source, license, "
            "version) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [deck.id, position, created_ms, *values],
        )
    else:
        db.execute(
            "UPDATE decks SET name = ?, description = ?, source = ?, license = ?, version = ? "
            "WHERE id = ?",
            [*values, deck.id],
        )


def deck_exists(db: Database, deck_id: str) -> bool:
    return db.execute("SELECT 1 FROM decks WHERE id = ?", [deck_id]).fetchone() is not None


def stored_content(db: Database, deck_id: str) -> dict[str, tuple[Any, ...]]:
    """Question id -> its stored content, in repo.QUESTION_CONTENT order."""
    return {r[0]: r[1:] for r in db.execute(_SELECT_CONTENT + "WHERE deck_id = ?", [deck_id])}


def question_ids(db: Database, deck_id: str) -> set[str]:
    return {r[0] for r in db.execute("SELECT id FROM questions WHERE deck_id = ?", [deck_id])}


def keyed_question(db: Database, import_key: str) -> tuple[str, str, int] | None:
    """(deck, id, position) of the stored question with this import key."""
    row = db.execute(
        "SELECT deck_id, id, position FROM questions WHERE import_key = ? LIMIT 1", [import_key]
    ).fetchone()
    return (row[0], row[1], row[2]) if row else None


# What a question's content column holds when the question leaves it empty: the column's
# DEFAULT in the schema (tests/test_import_speed_paths.py holds the two equal).
_LISTS = frozenset(
    {"variants", "dos", "donts", "examples", "tips", "tags", "competencies", "follow_ups"}
    | {"red_flags", "key_phrases"}
)
_NULLS = ("length_low", "length_high", "import_key")
CONTENT_DEFAULTS: dict[str, object] = {
    name: "[]" if name in _LISTS else None if name in _NULLS else ""
    for name in QUESTION_CONTENT
    if name != "question"
}


def insert_questions(db: Database, rows: list[tuple[Any, ...]]) -> None:
    """Rows of (deck, id, position, *content)."""
    if rows:
        insert_question_columns(db, [list(column) for column in zip(*rows, strict=True)])


def insert_question_columns(db: Database, columns: list[list[Any]]) -> None:
    """New questions given column by column: deck, id, position, then the content columns
    (repo.content_columns).

    A content column that every row leaves at its default is left out of the statement:
    SQLite fills it in, and the rows bind fewer values (a large deck's questions leave about
    half their columns empty).
    """
    count = len(columns[0]) if columns else 0
    if not count:
        return
    keep = [0, 1, 2]
    for offset, name in enumerate(QUESTION_CONTENT, start=3):
        default = CONTENT_DEFAULTS.get(name, _NO_DEFAULT)
        if columns[offset].count(default) != count:
            keep.append(offset)
    names = ["deck_id", "id", "position", *QUESTION_CONTENT]
    sql = (
        f"INSERT INTO questions ({', '.join(names[i] for i in keep)}) "
        f"VALUES ({', '.join('?' * len(keep))})"
    )
    db.conn.executemany(sql, zip(*(columns[i] for i in keep), strict=True))


_NO_DEFAULT = object()  # the question's own text has none


def update_questions(db: Database, rows: list[tuple[Any, ...]]) -> None:
    """Rows of (position, *content, deck, id)."""
    if rows:
        db.conn.executemany(_UPDATE_QUESTION, rows)


def delete_questions(db: Database, deck_id: str, ids: list[str]) -> None:
    db.conn.executemany(
        "DELETE FROM questions WHERE deck_id = ? AND id = ?", [(deck_id, q) for q in ids]
    )


def card_kinds_stored(db: Database, deck_id: str) -> dict[tuple[str, str], int]:
    """{(question, kind): retired} for every card of a deck."""
    return {
        (r[0], r[1]): r[2]
        for r in db.execute(
            "SELECT question_id, kind, retired FROM cards WHERE deck_id = ?", [deck_id]
        )
    }


def insert_first_cards(db: Database, deck_id: str, questions: int) -> int:
    """Every card of a deck imported for the first time, in one statement; how many.

    Half the time of binding 15,000 rows from Python for 5,000 questions. When the deck's
    `questions` outnumber the cards already stored, `cards_memory` (keyed by question id,
    so each new card would land on a random page of it) is built again afterwards.
    """
    stored = db.execute("SELECT coalesce(max(id), 0) FROM cards").fetchone()[0]
    bulk = stored < questions
    with indexes_rebuilt(db, "cards", ["cards_memory"]) if bulk else nullcontext():
        return int(db.execute(INSERT_FIRST_CARDS, [len(CardKind), deck_id]).rowcount)


def insert_cards(db: Database, rows: list[tuple[str, str, str, int]]) -> None:
    """Rows of (deck, question, kind, new order)."""
    if rows:
        db.conn.executemany(
            "INSERT INTO cards (deck_id, question_id, kind, new_order) VALUES (?, ?, ?, ?)", rows
        )


def update_cards(db: Database, rows: list[tuple[int, int, str, str, str]]) -> None:
    """Rows of (new order, retired, deck, question, kind)."""
    if rows:
        db.conn.executemany(
            "UPDATE cards SET new_order = ?, retired = ? "
            "WHERE deck_id = ? AND question_id = ? AND kind = ?",
            rows,
        )


def active_cards(db: Database, deck_id: str) -> int:
    row = db.execute(
        "SELECT count(*) FROM cards WHERE deck_id = ? AND retired = 0", [deck_id]
    ).fetchone()
    return int(row[0])


def deck_size(db: Database, deck_id: str) -> tuple[int, int]:
    """(questions, reviews) of a deck."""
    questions = db.execute(
        "SELECT count(*) FROM questions WHERE deck_id = ?", [deck_id]
    ).fetchone()[0]
    reviews = db.execute("SELECT count(*) FROM reviews WHERE deck_id = ?", [deck_id]).fetchone()[0]
    return int(questions), int(reviews)


def delete_deck(db: Database, deck_id: str) -> None:
    """Remove a deck; its questions, cards, reviews and answers go with it (foreign keys)."""
    db.execute("DELETE FROM decks WHERE id = ?", [deck_id])
