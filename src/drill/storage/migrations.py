"""Schema versions, in order, and bringing a database up to date.

Never edit a released migration: add a new one (and its name to KNOWN).

sqlite-utils applies the migrations and records them in its `_sqlite_migrations` table, but
it is imported only when one is pending: every command opens the database, and seeing that
nothing is pending is one query over that table.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable
from functools import lru_cache
from typing import TYPE_CHECKING, TypeVar

from drill.storage import sqlite as plumbing
from drill.storage.sqlite import APPLICATION_ID, StorageError, describe_error, write_transaction

if TYPE_CHECKING:
    # What each migration is given: sqlite-utils applies them.
    from sqlite_utils import Database

    from drill.storage.sqlite import Database as Handle

_Migration = TypeVar("_Migration", bound=Callable[["Database"], None])


class _Migrations:
    """The migration set, registered as sqlite-utils' `Migrations` would be (`@migrations()`)."""

    # sqlite-utils' record of applied migrations (`Migrations.migrations_table`).
    migrations_table = "_sqlite_migrations"

    def __init__(self, name: str) -> None:
        self.name = name
        self.functions: list[Callable[[Database], None]] = []

    def __call__(self) -> Callable[[_Migration], _Migration]:
        def register(function: _Migration) -> _Migration:
            self.functions.append(function)
            return function

        return register

    def applied(self, db: Handle) -> list[str]:
        return plumbing.applied_migrations(db.conn, self.name)

    def pending(self, db: Handle) -> list[str]:
        done = set(self.applied(db))
        return [f.__name__ for f in self.functions if f.__name__ not in done]

    def apply(self, db: Handle | Database, *, only: frozenset[str] | None = None) -> None:
        """Apply the pending migrations (of those named in `only`, when given), in order,
        each in a savepoint with its record.
        """
        from sqlite_utils import Database
        from sqlite_utils.migrations import Migrations

        runner = Migrations(self.name)
        for function in self.functions:
            if only is None or function.__name__ in only:
                runner()(function)
        runner.apply(Database(db.conn, recursive_triggers=False, execute_plugins=False))


migrations = _Migrations("drill")


@migrations()
def m001_initial(db: Database) -> None:
    db.executescript(
        """
        CREATE TABLE decks (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            description TEXT NOT NULL DEFAULT '',
            position INTEGER NOT NULL,
            source TEXT NOT NULL DEFAULT '',
            config TEXT NOT NULL DEFAULT '{}',
            extra_new_day TEXT,
            extra_new INTEGER NOT NULL DEFAULT 0,
            created_at INTEGER NOT NULL
        );
        CREATE TABLE questions (
            deck_id TEXT NOT NULL REFERENCES decks(id) ON DELETE CASCADE,
            id TEXT NOT NULL,
            position INTEGER NOT NULL,
            question TEXT NOT NULL,
            variants TEXT NOT NULL DEFAULT '[]',
            why TEXT NOT NULL DEFAULT '',
            approach TEXT NOT NULL DEFAULT '',
            dos TEXT NOT NULL DEFAULT '[]',
            donts TEXT NOT NULL DEFAULT '[]',
            examples TEXT NOT NULL DEFAULT '[]',
            bad_example TEXT NOT NULL DEFAULT '',
            tips TEXT NOT NULL DEFAULT '[]',
            tags TEXT NOT NULL DEFAULT '[]',
            import_key TEXT,
            PRIMARY KEY (deck_id, id)
        ) WITHOUT ROWID;
        CREATE INDEX questions_import_key ON questions(import_key)
            WHERE import_key IS NOT NULL;
        CREATE TABLE cards (
            id INTEGER PRIMARY KEY,
            deck_id TEXT NOT NULL,
            question_id TEXT NOT NULL,
            kind TEXT NOT NULL,
            new_order INTEGER NOT NULL,
            state INTEGER NOT NULL DEFAULT 0,
            step INTEGER,
            stability REAL,
            difficulty REAL,
            due INTEGER,
            last_review INTEGER,
            reps INTEGER NOT NULL DEFAULT 0,
            lapses INTEGER NOT NULL DEFAULT 0,
            suspended INTEGER NOT NULL DEFAULT 0,
            retired INTEGER NOT NULL DEFAULT 0,
            buried_until INTEGER,
            FOREIGN KEY (deck_id, question_id) REFERENCES questions(deck_id, id)
                ON DELETE CASCADE ON UPDATE CASCADE,
            UNIQUE (deck_id, question_id, kind)
        );
        CREATE INDEX cards_due ON cards(state, due);
        CREATE INDEX cards_new ON cards(deck_id, new_order) WHERE state = 0;
        CREATE TABLE reviews (
            id INTEGER PRIMARY KEY,
            card_id INTEGER NOT NULL REFERENCES cards(id) ON DELETE CASCADE,
            deck_id TEXT NOT NULL,
            review_time INTEGER NOT NULL,
            rating INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 4),
            review_state INTEGER NOT NULL CHECK (review_state BETWEEN 0 AND 3),
            duration_ms INTEGER,
            card_before TEXT
        );
        CREATE INDEX reviews_card_time ON reviews(card_id, review_time);
        CREATE INDEX reviews_time ON reviews(review_time);
        CREATE INDEX reviews_deck_time ON reviews(deck_id, review_time);
        CREATE TABLE answers (
            id INTEGER PRIMARY KEY,
            deck_id TEXT NOT NULL,
            question_id TEXT NOT NULL,
            text TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            source TEXT NOT NULL,
            duration_ms INTEGER,
            FOREIGN KEY (deck_id, question_id) REFERENCES questions(deck_id, id)
                ON DELETE CASCADE ON UPDATE CASCADE
        );
        CREATE INDEX answers_question ON answers(deck_id, question_id, created_at);
        CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        """
    )


@migrations()
def m002_review_state_index(db: Database) -> None:
    # All-time retention reads only (review_state, deck_id, rating); this covering index
    # lets it skip the wide review rows (each carries the card's state before, for undo).
    db.execute("CREATE INDEX reviews_state ON reviews(review_state, deck_id, rating)")


@migrations()
def m003_card_reset(db: Database) -> None:
    # "Reset progress" starts a card afresh but keeps its reviews (never lose a review);
    # replaying history starts from this moment.
    db.execute("ALTER TABLE cards ADD COLUMN reset_at INTEGER")


@migrations()
def m004_covering_deck_time_index(db: Database) -> None:
    # Stats add up each day's reviews per deck; with what they read in the index, that is
    # one range of the index per deck and day, and never a wide review row.
    db.execute("DROP INDEX reviews_deck_time")
    db.execute(
        "CREATE INDEX reviews_deck_time "
        "ON reviews(deck_id, review_time, review_state, rating, duration_ms)"
    )


@migrations()
def m005_question_bank_v2(db: Database) -> None:
    # The question bank v2 (docs/deck-format.md): question metadata and the new sections,
    # deck licence and version, and answers to a mock's follow-up questions, which belong to
    # the question but are not a version of its answer. One statement at a time: executescript
    # would commit the migration's transaction half-way.
    for table, column in (
        ("questions", "type TEXT NOT NULL DEFAULT ''"),
        ("questions", "competencies TEXT NOT NULL DEFAULT '[]'"),
        ("questions", "level TEXT NOT NULL DEFAULT ''"),
        ("questions", "length_low INTEGER"),
        ("questions", "length_high INTEGER"),
        ("questions", "reviewed TEXT NOT NULL DEFAULT ''"),
        ("questions", "short_answer TEXT NOT NULL DEFAULT ''"),
        ("questions", "follow_ups TEXT NOT NULL DEFAULT '[]'"),
        ("questions", "red_flags TEXT NOT NULL DEFAULT '[]'"),
        ("questions", "key_phrases TEXT NOT NULL DEFAULT '[]'"),
        ("decks", "license TEXT NOT NULL DEFAULT ''"),
        ("decks", "version TEXT NOT NULL DEFAULT ''"),
        ("answers", "follow_up TEXT"),
    ):
        db.execute(f"ALTER TABLE {table} ADD COLUMN {column}")


@migrations()
def m006_scale_indexes(db: Database) -> None:
    # Today's work per deck (`drill decks`, home, a deck's queue) is one range of this index
    # per deck and state: with only (state, due), every deck's count walked every deck's due
    # cards, so many decks made the overview quadratic.
    db.execute("CREATE INDEX cards_deck_due ON cards(deck_id, state, due)")
    # What falls due when (the forecast, the next card due): the index also holds whether a
    # card is suspended or retired and its deck, so counting never reads the card rows.
    db.execute("DROP INDEX cards_due")
    db.execute("CREATE INDEX cards_due ON cards(state, due, suspended, retired, deck_id)")
    # Replaying cards (history merges, the optimizer, undo) and the optimizer's training
    # data read each card's reviews in time order with their ratings and states: all of it
    # in this index, so a million reviews are read in index order, not row by row.
    db.execute("DROP INDEX reviews_card_time")
    db.execute(
        "CREATE INDEX reviews_card_time ON reviews(card_id, review_time, rating, review_state)"
    )
    # The reviews that keep the card's state before them (live ratings since the last
    # replay; replayed ones recompute it): found at once when a replay must forget them.
    db.execute("CREATE INDEX reviews_undo ON reviews(card_id) WHERE card_before IS NOT NULL")


@migrations()
def m007_plan_and_practice(db: Database) -> None:
    # A paused deck shows nothing and introduces nothing, and keeps its progress.
    db.execute("ALTER TABLE decks ADD COLUMN paused INTEGER NOT NULL DEFAULT 0")
    # Practice ratings are kept apart from reviews: they never reach FSRS, the optimizer,
    # true retention or the progress export, and undoing one never touches a card. One
    # statement at a time: executescript would commit the migration's transaction half-way.
    for statement in (
        "CREATE TABLE practice (id INTEGER PRIMARY KEY, "
        "card_id INTEGER NOT NULL REFERENCES cards(id) ON DELETE CASCADE, "
        "deck_id TEXT NOT NULL, practice_time INTEGER NOT NULL, "
        "rating INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 4), duration_ms INTEGER)",
        "CREATE INDEX practice_time ON practice(practice_time)",
        "CREATE INDEX practice_deck_time ON practice(deck_id, practice_time, duration_ms)",
        "CREATE INDEX practice_card ON practice(card_id)",
    ):
        db.execute(statement)


@migrations()
def m008_jobs(db: Database) -> None:
    # Job targets (drill job): the posting's clean text (its analysis is recomputed from it,
    # so better vocabulary improves old jobs too) and the question set, each row saying how
    # it got there: ranked, an opener, added by hand, or removed by hand (kept so a new
    # ranking does not bring it back).
    db.executescript(
        """
        CREATE TABLE jobs (
            id INTEGER PRIMARY KEY,
            title TEXT NOT NULL,
            company TEXT NOT NULL DEFAULT '',
            interview TEXT,
            posting TEXT NOT NULL,
            size INTEGER NOT NULL,
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL
        );
        CREATE TABLE job_questions (
            job_id INTEGER NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
            deck_id TEXT NOT NULL,
            question_id TEXT NOT NULL,
            origin TEXT NOT NULL CHECK (origin IN ('ranked', 'opener', 'added', 'removed')),
            position INTEGER NOT NULL,
            score REAL,
            reason TEXT NOT NULL DEFAULT '',
            PRIMARY KEY (job_id, deck_id, question_id),
            FOREIGN KEY (deck_id, question_id) REFERENCES questions(deck_id, id)
                ON DELETE CASCADE ON UPDATE CASCADE
        ) WITHOUT ROWID;
        CREATE INDEX job_questions_question ON job_questions(deck_id, question_id);
        """
    )


@migrations()
def m009_coach(db: Database) -> None:
    # The story bank (issue 15): true stories the user reuses across questions, versioned
    # like answers, with the competencies they show and the questions they answer. One
    # statement at a time: executescript would commit the migration's transaction half-way.
    for statement in (
        """CREATE TABLE stories (
            id TEXT PRIMARY KEY,
            title TEXT NOT NULL,
            competencies TEXT NOT NULL DEFAULT '[]',
            created_at INTEGER NOT NULL
        ) WITHOUT ROWID""",
        """CREATE TABLE story_versions (
            id INTEGER PRIMARY KEY,
            story_id TEXT NOT NULL REFERENCES stories(id) ON DELETE CASCADE ON UPDATE CASCADE,
            text TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            source TEXT NOT NULL
        )""",
        "CREATE INDEX story_versions_story ON story_versions(story_id, created_at)",
        """CREATE TABLE story_links (
            story_id TEXT NOT NULL REFERENCES stories(id) ON DELETE CASCADE ON UPDATE CASCADE,
            deck_id TEXT NOT NULL,
            question_id TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            PRIMARY KEY (story_id, deck_id, question_id),
            FOREIGN KEY (deck_id, question_id) REFERENCES questions(deck_id, id)
                ON DELETE CASCADE ON UPDATE CASCADE
        ) WITHOUT ROWID""",
        "CREATE INDEX story_links_question ON story_links(deck_id, question_id)",
    ):
        db.execute(statement)


@migrations()
def m010_daily_use(db: Database) -> None:
    # Issue 18. What a user types on the front of a Why or Dos card is a note on that card,
    # not an answer to the question: the answer bank (and the cheat sheet) holds only
    # rehearsals. Mock interviews are kept, so a report can show how they went: each question
    # asked, whether an answer was typed, how long it took against its limit, and the rating
    # it got in the mock review. One statement at a time: executescript would commit the
    # migration's transaction half-way.
    for statement in (
        """
        CREATE TABLE card_notes (
            id INTEGER PRIMARY KEY,
            deck_id TEXT NOT NULL,
            question_id TEXT NOT NULL,
            kind TEXT NOT NULL,
            text TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            duration_ms INTEGER,
            FOREIGN KEY (deck_id, question_id) REFERENCES questions(deck_id, id)
                ON DELETE CASCADE ON UPDATE CASCADE
        )
        """,
        "CREATE INDEX card_notes_card ON card_notes(deck_id, question_id, kind, created_at)",
        """
        CREATE TABLE mocks (
            id INTEGER PRIMARY KEY,
            started_at INTEGER NOT NULL,
            deck_id TEXT,
            questions INTEGER NOT NULL
        )
        """,
        """
        CREATE TABLE mock_answers (
            mock_id INTEGER NOT NULL REFERENCES mocks(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            deck_id TEXT NOT NULL,
            question_id TEXT NOT NULL,
            answered INTEGER NOT NULL,
            duration_ms INTEGER NOT NULL,
            limit_ms INTEGER NOT NULL,
            rating INTEGER CHECK (rating BETWEEN 1 AND 4),
            PRIMARY KEY (mock_id, position),
            FOREIGN KEY (deck_id, question_id) REFERENCES questions(deck_id, id)
                ON DELETE CASCADE ON UPDATE CASCADE
        )
        """,
        "CREATE INDEX mock_answers_deck ON mock_answers(deck_id)",
    ):
        db.execute(statement)


@migrations()
def m011_card_figure_indexes(db: Database) -> None:
    # Stats at a million reviews: the memory of every card being studied (retrievability,
    # stability buckets, mastered questions) read from a narrow index instead of the wide
    # card rows, grouped by question in index order; lapses too, for the weakest questions.
    # And the few cards set aside (suspended or retired), so counting cards by state is the
    # (deck, state, due) index minus these. Both hold the columns of their WHERE: SQLite
    # reads a partial index without the rows only when the index holds every column named.
    db.execute(
        "CREATE INDEX cards_memory ON cards(deck_id, question_id, stability, last_review, "
        "state, lapses, suspended, retired) WHERE retired = 0 AND suspended = 0"
    )
    db.execute(
        "CREATE INDEX cards_set_aside ON cards(deck_id, state, suspended, retired) "
        "WHERE suspended != 0 OR retired != 0"
    )


@migrations()
def m012_lapsed_and_buried_indexes(db: Database) -> None:
    # Leeches at a million reviews: a deck's rehearse cards by lapses, so finding those past
    # the threshold reads only their entries (covering: the card rows are not read).
    # Partial (cards that lapsed), so importing new cards and rating cards that never
    # lapsed don't maintain it.
    db.execute(
        "CREATE INDEX cards_lapsed ON cards(deck_id, kind, lapses, retired, question_id, "
        "suspended) WHERE lapses > 0"
    )
    # The burials ending around a moment (queue.burial_bounds), for a review session to
    # know how long its counts hold; only buried cards are in it.
    db.execute("CREATE INDEX cards_buried ON cards(buried_until) WHERE buried_until IS NOT NULL")


# Every migration name this drill knows, oldest first: a database with others is newer.
KNOWN = [
    m001_initial.__name__,
    m002_review_state_index.__name__,
    m003_card_reset.__name__,
    m004_covering_deck_time_index.__name__,
    m005_question_bank_v2.__name__,
    m006_scale_indexes.__name__,
    m007_plan_and_practice.__name__,
    m008_jobs.__name__,
    m009_coach.__name__,
    m010_daily_use.__name__,
    m011_card_figure_indexes.__name__,
    m012_lapsed_and_buried_indexes.__name__,
]


# Tables SQLite itself may add (ANALYZE's statistics, AUTOINCREMENT's counters).
_SQLITE_OWN = ("sqlite_stat1", "sqlite_stat2", "sqlite_stat3", "sqlite_stat4", "sqlite_sequence")
_WHITESPACE = re.compile(r"\s+")

SchemaObject = tuple[str, str, str, str]  # type, name, table, CREATE statement (spaces folded)


def schema_objects(conn: sqlite3.Connection) -> set[SchemaObject]:
    """What `sqlite_master` holds, minus SQLite's own statistics tables.

    The statement of sqlite-utils' `_sqlite_migrations` table is left out: it depends on the
    sqlite-utils version that made the file, and only the name matters.
    """
    out: set[SchemaObject] = set()
    for kind, name, table, sql in conn.execute(
        "SELECT type, name, tbl_name, sql FROM sqlite_master"
    ):
        if name in _SQLITE_OWN:
            continue
        text = "" if sql is None or name == migrations.migrations_table else sql
        out.add((str(kind), str(name), str(table), _WHITESPACE.sub(" ", str(text)).strip()))
    return out


@lru_cache(maxsize=8)
def expected_schema(applied: tuple[str, ...]) -> frozenset[SchemaObject] | None:
    """The schema objects drill's migrations create when exactly `applied` have run.

    None when `applied` names a migration this drill does not know, or one twice. The order
    they ran in is not checked: a migration numbered before one already released (m006,
    which landed after m008) runs last on a database that had the later one, and migrations
    that can land out of order touch separate objects, so the schema is the same.
    """
    if len(set(applied)) != len(applied) or not set(applied) <= set(KNOWN):
        return None
    db = plumbing.Database(sqlite3.connect(":memory:", isolation_level=None))
    try:
        migrations.apply(db, only=frozenset(applied))
        return frozenset(schema_objects(db.conn))
    finally:
        db.close()


def initialise(db: Handle) -> None:
    """Mark the file as ours and apply pending migrations, in one IMMEDIATE transaction.

    The write lock is taken before looking again, so two programs opening a new database at
    the same moment don't both create its tables (the second would fail).
    """
    if not needs_setup(db):
        return
    with write_transaction(db):
        if not needs_setup(db):
            return
        if db.execute("PRAGMA application_id").fetchone()[0] != APPLICATION_ID:
            db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        if migrations.pending(db):
            migrations.apply(db)
            db.execute(f"PRAGMA user_version = {len(KNOWN)}")


def needs_setup(db: Handle) -> bool:
    ours = db.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    return not ours or bool(migrations.pending(db))


def migrate(db: Handle) -> None:
    """Bring an open database (e.g. one just restored from an old backup) up to date."""
    try:
        initialise(db)
    except sqlite3.DatabaseError as exc:
        raise StorageError(describe_error(exc)) from None
