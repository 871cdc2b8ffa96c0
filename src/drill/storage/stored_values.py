"""What the values in drill's tables may be: the check `drill restore` runs on a backup.

The schema check (drill's own tables, indexes and nothing else) says a file was laid out by
drill; it says nothing about what the rows hold. SQLite tables are not STRICT, so a
hand-edited or hostile file can put a blob where drill writes text, or text that is not JSON
where drill writes a JSON list. Such a value passes every check of the file and then fails
the first command that reads it, long after the restore, with the collection already
replaced. So a backup is read once, column by column, before it is accepted.
"""

from __future__ import annotations

import sqlite3

from drill.core.limits import FIRST_DATE, LAST_DATE
from drill.core.model import CardKind, CardState, Rating

# The storage classes a value may have, by the column's declared type (as drill declares
# them). NULL is allowed here; NOT NULL is the schema's to enforce.
_ALLOWED = {
    "TEXT": ("text",),
    "INTEGER": ("integer",),
    "REAL": ("real", "integer"),
}

# Columns drill writes as JSON, by shape: a list of strings, a list of {"label", "text"}
# objects, or an object.
_STRING_LISTS = {
    "questions": (
        "variants",
        "dos",
        "donts",
        "tips",
        "tags",
        "competencies",
        "follow_ups",
        "red_flags",
        "key_phrases",
    ),
}
_EXAMPLE_LISTS = {"questions": ("examples",)}
_OBJECTS = {"decks": ("config",), "reviews": ("card_before",)}
# Columns that hold one of a few values.
_RATINGS = tuple(int(r) for r in Rating)
_STATES = tuple(int(s) for s in CardState)
_ONE_OF: dict[str, dict[str, tuple[object, ...]]] = {
    "reviews": {"rating": _RATINGS, "review_state": _STATES},
    "cards": {"state": _STATES, "kind": tuple(k.value for k in CardKind)},
    # Where an answer was written (study.answers.SOURCES; a test holds the two equal).
    "answers": {"source": ("cli", "editor", "review", "mock", "deck")},
}
# Columns holding a time in ms since 1970 (or NULL), which must be a time Python can hold:
# a card due in the year 292278994 stops every rating of it.
_TIMES = {
    "decks": ("created_at",),
    "cards": ("due", "last_review", "buried_until", "reset_at"),
    "reviews": ("review_time",),
    "answers": ("created_at",),
    "jobs": ("created_at", "updated_at"),
}
_FIRST_MS = -62_135_596_800_000  # 0001-01-01
_LAST_MS = 253_402_300_799_999  # 9999-12-31 23:59:59.999
# Columns holding a date as YYYY-MM-DD (or NULL), inside the dates drill takes.
_DATES = {"jobs": ("interview",)}
# Settings stored as JSON, by key.
_SETTING_OBJECTS = ("config",)
_SETTING_LISTS = ("bundled_removed", "bundled_packs")


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _columns(conn: sqlite3.Connection, table: str) -> dict[str, str]:
    """Column name -> declared type (upper case) of `table`, without a rowid table's
    INTEGER PRIMARY KEY: SQLite itself holds that to an integer (checking it was a tenth of
    reading a million reviews)."""
    info = list(conn.execute(f"PRAGMA table_info({_quote(table)})"))
    sql = conn.execute(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", [table]
    ).fetchone()
    rowid_table = sql is not None and "WITHOUT ROWID" not in str(sql[0]).upper()
    keys = [row for row in info if row[5]]
    alias = (
        str(keys[0][1])
        if rowid_table and len(keys) == 1 and str(keys[0][2]).upper() == "INTEGER"
        else None
    )
    return {str(row[1]): str(row[2]).upper() for row in info if str(row[1]) != alias}


def _checks(table: str, columns: dict[str, str]) -> list[tuple[str, tuple[object, ...], str]]:
    """(condition true for a value drill never writes, its parameters, what it means) for
    every column of `table`; conditions use the table's rows as `t`."""
    # A JSON check guards NULL itself: SQLite before 3.45 says json_valid(NULL) is 0, not
    # NULL, and NULL is what a replayed review's card_before holds. An empty list, the most
    # common value of most list columns, is let through before any JSON function runs.
    out: list[tuple[str, tuple[object, ...], str]] = []
    for column, declared in columns.items():
        allowed = _ALLOWED.get(declared)
        if allowed is not None:
            # (typeof() != ... is cheaper than NOT IN (...): this runs on every row.)
            c = f"t.{_quote(column)}"
            kinds = " AND ".join(f"typeof({c}) != '{kind}'" for kind in allowed)
            out.append(
                (
                    f"{kinds} AND {c} IS NOT NULL",
                    (),
                    f"{table}.{column} holds a value that is not {declared.lower()}",
                )
            )
    for column, values in _ONE_OF.get(table, {}).items():
        if column in columns:
            c = f"t.{_quote(column)}"
            run = _integer_run(values) if columns[column] == "INTEGER" else None
            condition, params = f"{c} NOT IN ({', '.join('?' for _ in values)})", values
            if run is not None:
                # Two comparisons instead of a lookup (half the time over a million
                # reviews). Equal to NOT IN for integers, and any other value is named by
                # the column's type check, which comes first.
                condition, params = f"{c} NOT BETWEEN ? AND ?", run
            out.append((condition, params, f"{table}.{column} holds a value drill never writes"))
    for column in _TIMES.get(table, ()):
        if column in columns:
            out.append(
                (
                    f"t.{_quote(column)} NOT BETWEEN ? AND ?",
                    (_FIRST_MS, _LAST_MS),
                    f"{table}.{column} holds a time no calendar has",
                )
            )
    for column in _DATES.get(table, ()):
        if column in columns:
            c = f"t.{_quote(column)}"
            out.append(
                (
                    f"(date({c}) IS NOT {c} OR {c} NOT BETWEEN ? AND ?)",
                    (FIRST_DATE.isoformat(), LAST_DATE.isoformat()),
                    f"{table}.{column} is not a date from {FIRST_DATE} to {LAST_DATE}",
                )
            )
    for column in _STRING_LISTS.get(table, ()):
        if column in columns:
            c = f"t.{_quote(column)}"
            out.append(
                (
                    f"{c} IS NOT NULL AND {c} != '[]' AND (NOT json_valid({c}) "
                    f"OR json_type({c}) != 'array' "
                    f"OR EXISTS (SELECT 1 FROM json_each({c}) WHERE type != 'text'))",
                    (),
                    f"{table}.{column} is not a JSON list of texts",
                )
            )
    for column in _EXAMPLE_LISTS.get(table, ()):
        if column in columns:
            c = f"t.{_quote(column)}"
            out.append(
                (
                    f"{c} IS NOT NULL AND {c} != '[]' AND (NOT json_valid({c}) "
                    f"OR json_type({c}) != 'array' "
                    f"OR EXISTS (SELECT 1 FROM json_each({c}) AS e WHERE e.type != 'object' "
                    "OR json_type(e.value, '$.label') IS NOT 'text' "
                    "OR json_type(e.value, '$.text') IS NOT 'text'))",
                    (),
                    f"{table}.{column} is not a JSON list of examples",
                )
            )
    for column in _OBJECTS.get(table, ()):
        if column in columns:
            c = f"t.{_quote(column)}"
            out.append(
                (
                    f"{c} IS NOT NULL AND (NOT json_valid({c}) OR json_type({c}) != 'object')",
                    (),
                    f"{table}.{column} is not a JSON object",
                )
            )
    return out


def _integer_run(values: tuple[object, ...]) -> tuple[int, int] | None:
    """(lowest, highest) when `values` are whole numbers making up one run (0, 1, 2, 3)."""
    numbers = sorted(v for v in values if type(v) is int)
    if not numbers or len(numbers) != len(values):
        return None
    if numbers != list(range(numbers[0], numbers[-1] + 1)):
        return None
    return numbers[0], numbers[-1]


def _found(
    conn: sqlite3.Connection, table: str, checks: list[tuple[str, tuple[object, ...], str]]
) -> bool:
    """Does any row of `table` meet any of `checks`? (A condition that is NULL, as on a NULL
    value, is no finding: NULL OR TRUE is TRUE, NULL OR FALSE is not.)"""
    where = " OR ".join(f"({sql})" for sql, _, _ in checks)
    params = tuple(p for _, values, _ in checks for p in values)
    sql = f"SELECT 1 FROM {_quote(table)} AS t WHERE {where} LIMIT 1"
    return conn.execute(sql, params).fetchone() is not None


def unsound_value(conn: sqlite3.Connection) -> str | None:
    """The first value drill would not have written, described (`questions.tags is not a
    JSON list of texts`), or None when every value is one drill writes.

    `conn` holds a schema `drill restore` already checked is drill's own. Each table is read
    once, for all its checks together; only when a row fails is it read again, check by
    check, to name what failed.
    """
    tables = [
        str(row[0])
        for row in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "ORDER BY name"
        )
    ]
    for table in tables:
        checks = _checks(table, _columns(conn, table))
        if checks and _found(conn, table, checks):
            for check in checks:
                if _found(conn, table, [check]):
                    return check[2]
    if "settings" in tables:
        for keys, kind, name in (
            (_SETTING_OBJECTS, "object", "a JSON object"),
            (_SETTING_LISTS, "array", "a JSON list"),
        ):
            marks = ", ".join("?" for _ in keys)
            row = conn.execute(
                f"SELECT key FROM settings WHERE key IN ({marks}) "
                f"AND (NOT json_valid(value) OR json_type(value) != '{kind}') LIMIT 1",
                keys,
            ).fetchone()
            if row is not None:
                return f"the setting '{row[0]}' is not {name}"
    return None
