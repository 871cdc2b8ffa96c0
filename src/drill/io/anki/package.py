"""Read Anki packages (.apkg, .colpkg): notes become questions, the review log becomes history.

Packages are hostile input. Nothing named in the zip is ever written: only the collection is
copied, under a fixed name, into a private temporary folder that is removed afterwards. Member
names that are absolute or contain `..` refuse the whole package; sizes are capped from the zip
headers and again while streaming (headers can lie); the copy must be a real SQLite database
that passes `PRAGMA quick_check`, and it is opened read-only and immutable.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import sqlite3
import string
import tempfile
import time
import zipfile
import zlib
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any
from urllib.parse import quote

from drill.core.limits import (
    MAX_DURATION_MS,
    MAX_INT64,
    MAX_REVIEWS,
    capped_duration,
    in_time_range,
    time_range_text,
    too_many_questions,
    too_many_reviews,
)
from drill.core.model import CardKind, Deck, HistoryReview, Question, Rating, slugify
from drill.core.sanitize import strip_control_chars
from drill.core.vocabulary import VocabularyError
from drill.errors import DeckError, Problem
from drill.files import PACKAGE_LIMIT, open_input
from drill.io.anki.fields import examples_from_html, from_html, items_from_html, media_summary
from drill.io.metadata import apply_question_metadata
from drill.io.registry import Loaded

# The note type drill exports; importing it maps field by field and card by card.
NOTETYPE_NAME = "drill interview question"
FIELDS = (
    "Question",
    "Variants",
    "Why they ask",
    "Approach",
    "Do",
    "Don't",
    "Examples",
    "Bad example",
    "Tips",
    "Short answer",
    "Red flags",
    "Follow-ups",
    "Key phrases",
    "Type",
    "Competencies",
    "Level",
    "Length",
    "Reviewed",
    "Drill id",
)
ID_FIELD = "Drill id"
# The question bank v2 fields: the Question attribute each fills. Metadata fields hold the
# text a deck file's metadata line holds ("60-150s", "ownership, data").
TEXT_FIELDS_V2 = {"Short answer": "short_answer"}
LIST_FIELDS_V2 = {
    "Red flags": "red_flags",
    "Follow-ups": "follow_ups",
    "Key phrases": "key_phrases",
}
METADATA_FIELDS = {
    "Type": "type",
    "Competencies": "competencies",
    "Level": "level",
    "Length": "length",
    "Reviewed": "reviewed",
}
# Card template order of the drill note type.
KIND_OF_ORD = {0: CardKind.REHEARSE, 1: CardKind.WHY, 2: CardKind.DOS}

# Newest first: a current package also carries a stub collection.anki2 for old Ankis.
COLLECTION_NAMES = ("collection.anki21b", "collection.anki21", "collection.anki2")
# A note holding more than this (all fields and tags) is not an interview question: skipped.
MAX_NOTE_BYTES = 1024 * 1024
MAX_SCHEMA_JSON = 16 * 1024 * 1024  # col.models and col.decks, each
MAX_MEMBER = 512 * 1024 * 1024
MAX_TOTAL = 512 * 1024 * 1024
# A hostile schema could make a query run forever; give reading the collection this long.
QUERY_SECONDS = 120.0
_CHUNK = 1 << 20
_SQLITE_MAGIC = b"SQLite format 3\x00"
_STUB_TEXT = "please update to the latest anki version"
# revlog.type: 0 learn, 1 review, 2 relearn; 3 filtered, 4 manual, 5 rescheduled are not
# answers to a card and are skipped.
_ANSWER_TYPES = (0, 1, 2)
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")


class _Refused(Exception):
    """A one-line reason the package cannot be read."""


@dataclass(slots=True)
class _Collection:
    notetypes: dict[int, tuple[str, list[str]]]
    decks: dict[int, str]
    notes: list[tuple[int, str, int, str, str]]  # id, guid, notetype id, tags, fields
    cards: list[tuple[int, int, int, int]]  # id, note id, deck id (original if filtered), ord
    revlog: list[tuple[int, int, int, int, int]]  # id (ms), card id, ease, time (ms), type
    descriptions: dict[str, str]  # deck name -> description (HTML), where known
    oversized: int = 0  # notes skipped for holding more than MAX_NOTE_BYTES
    bad_reviews: int = 0  # revlog rows skipped for an impossible time or number


@dataclass(slots=True)
class NoteEntry:
    """A note (or text row) read as a question, before it is placed in a deck."""

    question: Question
    deck_name: str
    drill_deck: str | None  # deck part of the Drill id field
    is_drill: bool  # written by drill: carries its own question id


def read_apkg(path: Path, deck_name: str | None = None) -> Loaded:
    """Read an Anki package into decks and review history; DeckError if anything is wrong."""
    file = str(path)
    try:
        with tempfile.TemporaryDirectory(prefix="drill-anki-") as tmp:
            copy = Path(tmp) / "collection.sqlite"
            member = _extract_collection(path, copy)
            collection = _read_collection(copy, stub_only=member == "collection.anki2")
    except _Refused as exc:
        raise DeckError.at(file, 0, str(exc)) from None
    return _to_loaded(collection, file, deck_name)


# -- the package ------------------------------------------------------------------------------


def _unsafe_name(name: str) -> bool:
    parts = re.split(r"[/\\]", name)
    return (
        name.startswith(("/", "\\"))
        or re.match(r"^[A-Za-z]:", name) is not None
        or ".." in parts
        or "\x00" in name
    )


def _shown(name: str) -> str:
    text = strip_control_chars(name)
    return repr(text if len(text) <= 80 else text[:77] + "...")


def _extract_collection(path: Path, target: Path) -> str:
    """Copy the newest collection in the package to `target`; return its member name."""
    with open_input(path, limit=PACKAGE_LIMIT, seekable=True) as handle:
        _check_entry_count(handle)
        try:
            archive = zipfile.ZipFile(handle)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError):
            raise _Refused(
                "not an Anki package: not a readable zip file (damaged or truncated?)"
            ) from None
        except OSError as exc:
            raise _Refused(f"cannot read: {exc.strerror or exc}") from None
        with archive:
            return _extract_member(archive, target)


# Reading a zip's directory builds an object per entry: a package claiming millions of them
# is refused before that. Anki packages hold a collection and their media files.
MAX_ENTRIES = 200_000


def _check_entry_count(handle: IO[bytes]) -> None:
    try:
        # The end-of-central-directory record says how many entries follow; zipfile reads it
        # the same way first (a private helper, but a stable one).
        record = zipfile._EndRecData(handle)  # type: ignore[attr-defined]
        entries = int(record[zipfile._ECD_ENTRIES_TOTAL]) if record else 0  # type: ignore[attr-defined]
    except (AttributeError, OSError, ValueError, TypeError, IndexError):
        return  # zipfile itself says what is wrong
    finally:
        handle.seek(0)
    if entries > MAX_ENTRIES:
        raise _Refused(f"refused: the package lists {entries:,} files (more than {MAX_ENTRIES:,})")


def _extract_member(archive: zipfile.ZipFile, target: Path) -> str:
    """Copy the newest collection in the open package to `target`; its member name."""
    infos = archive.infolist()
    for info in infos:
        if _unsafe_name(info.filename):
            raise _Refused(
                f"refused: the package names a file outside itself ({_shown(info.filename)})"
            )
    by_name = {info.filename: info for info in infos}
    member = next((by_name[n] for n in COLLECTION_NAMES if n in by_name), None)
    if member is None:
        raise _Refused(
            "not an Anki package: no collection.anki21b, collection.anki21 or "
            "collection.anki2 inside"
        )
    if member.file_size > MAX_MEMBER:
        raise _Refused(
            f"refused: {member.filename} would unpack to {member.file_size:,} bytes "
            f"(the limit is {MAX_MEMBER:,})"
        )
    if member.flag_bits & 0x1:
        raise _Refused("refused: the package is encrypted")
    try:
        with archive.open(member) as source, target.open("wb") as out:
            if member.filename.endswith(".anki21b"):
                _unzstd(source, out, member.filename)
            else:
                _copy_capped(source, out, member.filename)
    except _Refused:
        raise
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError) as exc:
        raise _Refused(f"damaged package: cannot unpack {member.filename} ({exc})") from None
    except OSError as exc:
        raise _Refused(f"cannot unpack {member.filename}: {exc.strerror or exc}") from None
    return member.filename


def _copy_capped(source: IO[bytes], out: IO[bytes], name: str) -> None:
    total = 0
    while chunk := source.read(_CHUNK):
        total += len(chunk)
        if total > MAX_TOTAL:
            raise _Refused(f"refused: {name} unpacks to more than {MAX_TOTAL:,} bytes")
        out.write(chunk)


def _unzstd(source: IO[bytes], out: IO[bytes], name: str) -> None:
    import zstandard

    try:
        reader = zstandard.ZstdDecompressor().stream_reader(source, read_across_frames=True)
        _copy_capped(reader, out, name)
    except zstandard.ZstdError as exc:
        raise _Refused(f"damaged package: {name} is not valid zstd data ({exc})") from None


# -- the collection ---------------------------------------------------------------------------


def _unicase(a: str, b: str) -> int:
    x, y = str(a).casefold(), str(b).casefold()
    return (x > y) - (x < y)


def _open(copy: Path) -> sqlite3.Connection:
    with copy.open("rb") as handle:
        if handle.read(len(_SQLITE_MAGIC)) != _SQLITE_MAGIC:
            raise _Refused("not an Anki package: the collection is not an SQLite database")
    uri = f"file:{quote(str(copy))}?mode=ro&immutable=1"
    conn = sqlite3.connect(uri, uri=True)
    conn.create_collation("unicase", _unicase)
    deadline = time.monotonic() + QUERY_SECONDS
    conn.set_progress_handler(lambda: int(time.monotonic() > deadline), 100_000)
    return conn


def _read_collection(copy: Path, *, stub_only: bool) -> _Collection:
    conn = _open(copy)
    try:
        check = [row[0] for row in conn.execute("PRAGMA quick_check")]
        if check != ["ok"]:
            detail = strip_control_chars(str(check[0]))[:100] if check else "no answer"
            raise _Refused(f"damaged package: the collection fails its integrity check ({detail})")
        tables = _check_schema(conn)
        missing = {"col", "notes", "cards"} - tables
        if missing:
            raise _Refused(f"not an Anki collection: no {', '.join(sorted(missing))} table")
        if "notetypes" in tables and "fields" in tables and "decks" in tables:
            notetypes, decks, descriptions = _current_schema(conn)
        else:
            notetypes, decks, descriptions = _legacy_schema(conn)
        count = conn.execute("SELECT count(*) FROM notes").fetchone()[0]
        too_many = too_many_questions(count)
        if too_many:
            raise _Refused(f"refused: {too_many.replace('questions', 'notes', 1)}")
        notes = [
            (int(r[0]), _text(r[1]), int(r[2]), _text(r[3]), _text(r[4]))
            for r in conn.execute(
                "SELECT id, guid, mid, tags, flds FROM notes "
                "WHERE length(CAST(flds AS BLOB)) + length(CAST(tags AS BLOB)) <= ? ORDER BY id",
                (MAX_NOTE_BYTES,),
            )
        ]
        oversized = conn.execute(
            "SELECT count(*) FROM notes "
            "WHERE length(CAST(flds AS BLOB)) + length(CAST(tags AS BLOB)) > ?",
            (MAX_NOTE_BYTES,),
        ).fetchone()[0]
        if stub_only and len(notes) == 1 and notes[0][4].casefold().startswith(_STUB_TEXT):
            raise _Refused(
                "this package holds only the placeholder for old Anki versions "
                "(its real collection is missing)"
            )
        cards = [
            (int(r[0]), int(r[1]), int(r[3] or r[2]), int(r[4]))
            for r in conn.execute("SELECT id, nid, did, odid, ord FROM cards ORDER BY nid, ord, id")
        ]
        revlog: list[tuple[int, int, int, int, int]] = []
        bad_reviews = 0
        if "revlog" in tables:
            if conn.execute("SELECT count(*) > ? FROM revlog", (MAX_REVIEWS,)).fetchone()[0]:
                hint = "export only the decks you study from Anki"
                raise _Refused(f"refused: {too_many_reviews(hint)}")
            for r in conn.execute("SELECT id, cid, ease, time, type FROM revlog ORDER BY id"):
                row = _revlog_row(r)
                if row is None:
                    bad_reviews += 1
                else:
                    revlog.append(row)
        return _Collection(
            notetypes, decks, notes, cards, revlog, descriptions, oversized, bad_reviews
        )
    except sqlite3.OperationalError as exc:
        if "interrupted" in str(exc):
            raise _Refused("refused: reading the collection took too long") from None
        raise _Refused(f"damaged package: cannot read the collection ({exc})") from None
    except sqlite3.DatabaseError as exc:
        raise _Refused(f"damaged package: the collection is not a valid database ({exc})") from None
    except (TypeError, ValueError, OverflowError) as exc:
        raise _Refused(f"damaged package: unexpected data in the collection ({exc})") from None
    finally:
        conn.close()


# Schema objects a real Anki collection never has. A trigger or view could compute anything,
# and a generated column can expand a 4 KB file into gigabytes as it is read.
def _check_schema(conn: sqlite3.Connection) -> set[str]:
    """The collection's table names, after refusing objects Anki never creates."""
    tables: set[str] = set()
    for kind, name, sql in conn.execute("SELECT type, name, sql FROM sqlite_master"):
        shown = _shown(_text(name))
        if kind in ("trigger", "view"):
            raise _Refused(f"refused: the collection holds a {kind} ({shown}); Anki makes none")
        if kind != "table":
            continue
        if _text(sql).lstrip().upper().startswith("CREATE VIRTUAL"):
            raise _Refused(f"refused: the collection holds a virtual table ({shown})")
        tables.add(_text(name))
    for table in tables & _READ_TABLES:
        quoted = table.replace('"', '""')
        for column in conn.execute(f'PRAGMA table_xinfo("{quoted}")'):
            if column[6] in (2, 3):  # hidden: 2 a virtual, 3 a stored generated column
                raise _Refused(
                    f"refused: {table}.{_shown(_text(column[1]))} is a generated column, "
                    "which Anki never makes"
                )
    return tables


_READ_TABLES = frozenset(("col", "notes", "cards", "revlog", "notetypes", "fields", "decks"))


def _whole(value: Any) -> int | None:
    """An int64 from an SQLite value (integers, or floats that hold one), else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if abs(value) <= MAX_INT64 else None
    if isinstance(value, float) and math.isfinite(value) and abs(value) <= 2.0**62:
        return int(value)
    return None


def _revlog_row(raw: tuple[Any, ...]) -> tuple[int, int, int, int, int] | None:
    """(id ms, card, ease, duration ms, type), or None for a row no real review has.

    The id is the review's time: it must lie in 2000-2099. A duration that is not a number
    of milliseconds becomes 0 (unknown); a long one is counted as an hour.
    """
    review_id, card_id, ease, kind = (_whole(raw[i]) for i in (0, 1, 2, 4))
    if review_id is None or card_id is None or ease is None or kind is None:
        return None
    if not in_time_range(review_id):
        return None
    duration = raw[3]
    if isinstance(duration, float) and math.isfinite(duration):
        duration = int(min(max(duration, 0.0), float(MAX_DURATION_MS)))
    elif not isinstance(duration, int) or isinstance(duration, bool):
        duration = 0
    return review_id, card_id, ease, capped_duration(duration) or 0, kind


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    return str(value)


def _current_schema(
    conn: sqlite3.Connection,
) -> tuple[dict[int, tuple[str, list[str]]], dict[int, str], dict[str, str]]:
    notetypes: dict[int, tuple[str, list[str]]] = {
        int(r[0]): (_text(r[1]), []) for r in conn.execute("SELECT id, name FROM notetypes")
    }
    for ntid, _ord, name in conn.execute("SELECT ntid, ord, name FROM fields ORDER BY ntid, ord"):
        if int(ntid) in notetypes:
            notetypes[int(ntid)][1].append(_text(name))
    decks: dict[int, str] = {}
    descriptions: dict[str, str] = {}
    for deck_id, raw_name, kind in conn.execute("SELECT id, name, kind FROM decks"):
        # Current collections separate nested deck names with \x1f; Anki shows "::".
        name = _text(raw_name).replace("\x1f", "::")
        decks[int(deck_id)] = name
        # kind is a protobuf DeckKind: field 1 a NormalDeck, whose field 4 is the description.
        normal = _proto_field(kind, 1)
        description = _proto_field(normal, 4) if normal is not None else None
        if description is not None:
            descriptions[name] = description.decode("utf-8", errors="replace")
    return notetypes, decks, descriptions


def _proto_field(blob: Any, number: int) -> bytes | None:
    """The first length-delimited field `number` of a protobuf message, or None."""
    if not isinstance(blob, bytes):
        return None
    pos = 0
    try:
        while pos < len(blob):
            key, pos = _varint(blob, pos)
            wire = key & 7
            if wire == 0:
                _, pos = _varint(blob, pos)
            elif wire == 2:
                size, pos = _varint(blob, pos)
                if key >> 3 == number:
                    return blob[pos : pos + size]
                pos += size
            elif wire in (1, 5):
                pos += 8 if wire == 1 else 4
            else:
                return None
    except IndexError:
        return None
    return None


def _varint(blob: bytes, pos: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        byte = blob[pos]
        pos += 1
        value |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return value, pos
        shift += 7
        if shift > 63:
            raise IndexError("varint too long")


def _legacy_schema(
    conn: sqlite3.Connection,
) -> tuple[dict[int, tuple[str, list[str]]], dict[int, str], dict[str, str]]:
    sizes = conn.execute(
        "SELECT length(CAST(models AS BLOB)), length(CAST(decks AS BLOB)) FROM col LIMIT 1"
    ).fetchone()
    if sizes is None:
        raise _Refused("damaged package: the collection has no col row")
    for what, size in zip(("note types (col.models)", "decks (col.decks)"), sizes, strict=True):
        # Parsed whole, JSON costs some 25 times its size in memory ('[],' is one list per
        # 3 bytes): a collection that unpacks to 512 MiB must not become gigabytes here.
        if (size or 0) > MAX_SCHEMA_JSON:
            raise _Refused(
                f"refused: the collection's {what} take {size:,} bytes, more than the "
                f"{MAX_SCHEMA_JSON // 1024 // 1024} MiB a real collection's do"
            )
    row = conn.execute("SELECT models, decks FROM col LIMIT 1").fetchone()
    try:
        models = json.loads(_text(row[0]) or "{}")
        deck_data = json.loads(_text(row[1]) or "{}")
        notetypes = {}
        for key, model in models.items():
            fields = sorted(model.get("flds") or [], key=lambda f: int(f.get("ord", 0)))
            notetypes[int(key)] = (_text(model.get("name")), [_text(f.get("name")) for f in fields])
        decks = {int(key): _text(deck.get("name")) for key, deck in deck_data.items()}
        descriptions = {_text(d.get("name")): _text(d.get("desc")) for d in deck_data.values()}
    except (ValueError, TypeError, AttributeError) as exc:
        raise _Refused(f"damaged package: cannot read note types and decks ({exc})") from None
    except RecursionError:
        raise _Refused("damaged package: its note types or decks are nested too deeply") from None
    return notetypes, decks, descriptions


# -- notes to questions -----------------------------------------------------------------------


_GUID_CHARS = string.ascii_letters + string.digits + "!#$%&()*+,-./:;<=>?@[]^_`{|}~"
_GUID_PAIR = len(_GUID_CHARS) ** 2
_GUID_PAIRS = [high + low for high in _GUID_CHARS for low in _GUID_CHARS]
_GUID_ZERO = _GUID_CHARS[0]


def drill_guid(deck_id: str, question_id: str) -> str:
    """The GUID drill gives the note of a question that came without one (stable)."""
    digest = hashlib.sha256(f"drill:{deck_id}/{question_id}".encode()).digest()
    number = int.from_bytes(digest[:8], "big")
    # Base 91, two digits a step, unrolled: 2**64 < 91**10, so five pairs hold any number
    # (an Anki text import checks every row's GUID against this). Leading zero digits ("a")
    # are dropped, as writing the number out digit by digit never made them.
    number, fifth = divmod(number, _GUID_PAIR)
    number, fourth = divmod(number, _GUID_PAIR)
    number, third = divmod(number, _GUID_PAIR)
    first, second = divmod(number, _GUID_PAIR)
    pairs = _GUID_PAIRS
    digits = pairs[first] + pairs[second] + pairs[third] + pairs[fourth] + pairs[fifth]
    return digits.lstrip(_GUID_ZERO) or _GUID_ZERO


def own_guid(question: Question, drill_deck: str | None) -> bool:
    """Is the question's import key just the GUID drill derived for it when exporting?

    Such notes are matched like a drill deck file, by deck and question id, so a deck that
    made a round trip through Anki updates the questions it came from.
    """
    return (
        question.import_key is not None
        and drill_deck is not None
        and bool(question.id)
        and question.import_key == drill_guid(drill_deck, question.id)
    )


def question_id_for(text: str) -> str:
    """The id of a question known only by its text: its slug, or a hash for non-Latin text."""
    return slugify(text) or "q-" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:8]


def unique_id(base: str, taken: set[str]) -> str:
    """`base`, or `base-2`, `base-3`, … whichever is free; the result is added to `taken`."""
    candidate, number = base, 2
    while candidate in taken:
        candidate = f"{base}-{number}"
        number += 1
    taken.add(candidate)
    return candidate


def split_tags(text: str) -> list[str]:
    """Anki tags are separated by spaces (old exports also used commas)."""
    # Most tag fields hold no control character (a text file's were removed on reading).
    clean = text if text.isprintable() else strip_control_chars(text)
    # str.split() splits at runs of what `\s` matches (both are str.isspace), and drops
    # empty tags; a dict keeps the first of each tag, in order.
    return list(dict.fromkeys(clean.replace(",", " ").split() if "," in clean else clean.split()))


def appended_fields(approach: str, extra: Iterable[tuple[str, str]]) -> str:
    """The approach followed by other non-empty fields, each under its field name."""
    parts = [approach] if approach else []
    for name, text in extra:
        if text:
            label = f"**{strip_control_chars(name).strip() or 'Field'}:**"
            parts.append(f"{label}\n{text}" if "\n" in text else f"{label} {text}")
    return "\n\n".join(parts)


def drill_question(
    values: dict[str, str], media: Counter[str], ignored: Counter[str] | None = None
) -> tuple[Question, str | None]:
    """A question from the fields of a drill note (HTML); also the deck part of its Drill id."""
    drill_id = from_html(values.get(ID_FIELD, ""))
    deck_part, _, question_part = drill_id.rpartition("/")
    question = Question(
        id=question_part if _ID.match(question_part) else "",
        question=from_html(values.get("Question", ""), media),
        variants=items_from_html(values.get("Variants", ""), media),
        why=from_html(values.get("Why they ask", ""), media),
        approach=from_html(values.get("Approach", ""), media),
        dos=items_from_html(values.get("Do", ""), media),
        donts=items_from_html(values.get("Don't", ""), media),
        examples=examples_from_html(values.get("Examples", ""), media),
        bad_example=from_html(values.get("Bad example", ""), media),
        tips=items_from_html(values.get("Tips", ""), media),
    )
    for name, attribute in TEXT_FIELDS_V2.items():
        setattr(question, attribute, from_html(values.get(name, ""), media))
    for name, attribute in LIST_FIELDS_V2.items():
        setattr(question, attribute, items_from_html(values.get(name, ""), media))
    texts = {name: from_html(values.get(name, "")) for name in METADATA_FIELDS}
    if ignored is not None:
        ignored.update(apply_metadata_fields(question, texts))
    else:
        apply_metadata_fields(question, texts)
    return question, (deck_part if _ID.match(deck_part) else None)


def ignored_metadata(file: str, ignored: Counter[str]) -> Problem:
    count = sum(ignored.values())
    names = ", ".join(sorted(ignored))
    return Problem(
        file,
        0,
        f"left out {count} metadata value{'s' if count > 1 else ''} outside drill's "
        f"vocabulary ({names})",
        "docs/deck-format.md lists the values drill knows",
    )


def apply_metadata_fields(question: Question, texts: dict[str, str]) -> list[str]:
    """Set type, competencies, level, length and reviewed from their fields' text.

    A value outside the vocabulary (edited by hand in Anki) is left out rather than failing
    the whole package; returns the names of the fields left out.
    """
    ignored = []
    for name, text in texts.items():
        if not text.strip():
            continue
        try:
            apply_question_metadata(question, METADATA_FIELDS[name], text.strip())
        except VocabularyError:
            ignored.append(name)
    return ignored


def is_drill_notetype(name: str, fields: list[str]) -> bool:
    return name.strip().casefold() == NOTETYPE_NAME and {"Question", ID_FIELD} <= set(fields)


def _media_placeholder(media: Counter[str]) -> str:
    kinds = [k for k in ("image", "sound") if media.get(k, 0)]
    return f"({' and '.join(kinds)})" if kinds else ""


def _to_loaded(collection: _Collection, file: str, deck_name: str | None) -> Loaded:
    media: Counter[str] = Counter()
    ignored: Counter[str] = Counter()
    first_card: dict[int, tuple[int, int]] = {}  # note id -> (ord, deck id) of its first card
    card_note: dict[int, tuple[int, int]] = {}  # card id -> (note id, ord)
    for card_id, note_id, deck_id, ord_ in collection.cards:
        card_note[card_id] = (note_id, ord_)
        if note_id not in first_card or ord_ < first_card[note_id][0]:
            first_card[note_id] = (ord_, deck_id)

    notes: dict[int, NoteEntry] = {}
    placeholders: Counter[str] = Counter()
    empty = 0
    fallback_deck = Path(file).stem or "Anki"
    for note_id, guid, mid, tags, flds in collection.notes:
        name, field_names = collection.notetypes.get(mid, ("", []))
        values = flds.split("\x1f")
        names = [*field_names, *(f"Field {i + 1}" for i in range(len(field_names), len(values)))]
        if is_drill_notetype(name, field_names):
            by_name = dict(zip(names, values, strict=False))
            question, drill_deck = drill_question(by_name, media, ignored)
            front, is_drill = by_name.get("Question", ""), True
        else:
            texts = [from_html(v, media) for v in values]
            question = Question(
                id="",
                question=texts[0] if texts else "",
                approach=appended_fields(
                    texts[1] if len(texts) > 1 else "", zip(names[2:], texts[2:], strict=False)
                ),
            )
            front, drill_deck, is_drill = values[0] if values else "", None, False
        if not question.question:
            front_media: Counter[str] = Counter()
            from_html(front, front_media)
            placeholder = _media_placeholder(front_media)
            if not placeholder and not any(
                (question.approach, question.why, question.variants, question.dos, question.donts)
            ):
                empty += 1
                continue
            question.question = placeholder or "(no question text)"
            placeholders[question.question] += 1
        question.tags = split_tags(tags)
        key = strip_control_chars(guid).strip()
        question.import_key = key or None
        if is_drill and own_guid(question, drill_deck):
            question.import_key = None
        deck = collection.decks.get(first_card.get(note_id, (0, -1))[1], "") or fallback_deck
        notes[note_id] = NoteEntry(
            question, strip_control_chars(deck).strip(), drill_deck, is_drill
        )

    descriptions = {
        strip_control_chars(name).strip(): from_html(text)
        for name, text in collection.descriptions.items()
    }
    shared = separate_shared_guids(notes.values(), file, "note")
    decks = group_decks(notes.values(), file, deck_name, descriptions)
    loaded = Loaded(file, decks=decks, warnings=shared)
    loaded.history, other_cards = _history(collection, notes, card_note, first_card, decks, file)
    if media:
        text = f"dropped {media_summary(media)} (drill shows text only; media is not imported)"
        if placeholders:
            shown = ", ".join(f"'{p}'" for p in sorted(placeholders))
            count = sum(placeholders.values())
            text += f"; {count} question{'s' if count > 1 else ''} without text now read {shown}"
        loaded.warnings.append(Problem(file, 0, text))
    elif placeholders:
        count = sum(placeholders.values())
        loaded.warnings.append(
            Problem(
                file,
                0,
                f"{count} note{'s' if count > 1 else ''} with an empty first field "
                "now read '(no question text)'",
            )
        )
    if empty:
        loaded.warnings.append(
            Problem(file, 0, f"skipped {empty} empty note{'s' if empty > 1 else ''}")
        )
    if collection.oversized:
        count = collection.oversized
        loaded.warnings.append(
            Problem(
                file,
                0,
                f"skipped {count} note{'s' if count > 1 else ''} larger than "
                f"{MAX_NOTE_BYTES // 1024 // 1024} MiB (not an interview question)",
            )
        )
    if collection.bad_reviews:
        count = collection.bad_reviews
        loaded.warnings.append(
            Problem(
                file,
                0,
                f"skipped {count} review{'s' if count > 1 else ''} with an impossible time or "
                f"number (drill accepts reviews from {time_range_text()})",
            )
        )
    if ignored:
        loaded.warnings.append(ignored_metadata(file, ignored))
    if other_cards:
        loaded.warnings.append(
            Problem(
                file,
                0,
                f"skipped {other_cards} review{'s' if other_cards > 1 else ''} of further cards "
                "of a note (reverse or cloze cards)",
                "drill keeps the history of each note's first card",
            )
        )
    return loaded


def separate_shared_guids(notes: Iterable[NoteEntry], file: str, what: str) -> list[Problem]:
    """The rule for notes that share a GUID: the first keeps it, the others become questions
    of their own, matched on re-import by their question id instead of the GUID.

    A GUID names one note, so notes sharing one would otherwise merge into one question (their
    texts overwriting each other, their histories piled on one card). Returns one warning per
    shared GUID, naming the notes (`what` is "note" or "row"; rows are named by line).
    """
    first: dict[str, NoteEntry] = {}
    shared: dict[str, list[NoteEntry]] = {}
    for note in notes:
        key = note.question.import_key
        if key is None:
            continue
        if key in first:
            shared.setdefault(key, [first[key]]).append(note)
            note.question.import_key = None
        else:
            first[key] = note
    warnings = []
    for key, members in shared.items():
        if what == "row":
            places = ", ".join(str(m.question.line) for m in members[:5])
            where = f"rows on lines {places}{', …' if len(members) > 5 else ''}"
        else:
            where = f"{len(members)} notes"
        line = members[1].question.line if what == "row" else 0
        warnings.append(
            Problem(
                file,
                line,
                f"{where} share the GUID '{_shown(key)[1:-1]}'; each is imported as its own "
                "question, and only the first keeps the GUID",
                "see docs/limits.md (shared GUIDs)",
            )
        )
    return warnings


def group_decks(
    notes: Iterable[NoteEntry],
    file: str,
    deck_name: str | None,
    descriptions: dict[str, str] | None = None,
) -> list[Deck]:
    """Questions grouped by deck (`deck_name` puts them all in one), with unique ids."""
    by_name: dict[str, list[NoteEntry]] = {}
    for note in notes:
        by_name.setdefault(deck_name or note.deck_name, []).append(note)
    decks: dict[str, Deck] = {}
    for name, members in by_name.items():
        drill_decks = {n.drill_deck for n in members if n.is_drill}
        # A name without Latin letters or digits (an emoji, Japanese) gets an id from its
        # hash, so two such decks stay two decks.
        deck_id = slugify(name) or "anki-" + hashlib.sha1(name.encode("utf-8")).hexdigest()[:8]
        if not deck_name and len(drill_decks) == 1:
            # A deck drill exported keeps its id even when its name does not slug to it.
            deck_id = next(iter(drill_decks)) or deck_id
        deck = decks.get(deck_id)
        if deck is None:
            description = (descriptions or {}).get(name, "") if not deck_name else ""
            deck = decks[deck_id] = Deck(
                id=deck_id, name=name, description=description, source=file
            )
        taken = {q.id for q in deck.questions}
        for note in members:
            q = note.question
            q.id = unique_id(q.id or question_id_for(q.question), taken)
            deck.questions.append(q)
    return list(decks.values())


def _history(
    collection: _Collection,
    notes: dict[int, NoteEntry],
    card_note: dict[int, tuple[int, int]],
    first_card: dict[int, tuple[int, int]],
    decks: list[Deck],
    file: str,
) -> tuple[list[HistoryReview], int]:
    deck_of = {id(q): d.id for d in decks for q in d.questions}
    history: list[HistoryReview] = []
    other_cards = 0
    for review_id, card_id, ease, duration, kind_code in collection.revlog:
        if kind_code not in _ANSWER_TYPES or not 1 <= ease <= 4 or review_id <= 0:
            continue
        placed = card_note.get(card_id)
        if placed is None or placed[0] not in notes:
            continue
        note_id, ord_ = placed
        note = notes[note_id]
        if note.is_drill:
            kind = KIND_OF_ORD.get(ord_)
        else:
            kind = CardKind.REHEARSE if ord_ == first_card[note_id][0] else None
        if kind is None or kind not in note.question.kinds():
            other_cards += 1
            continue
        question = note.question
        history.append(
            HistoryReview(
                deck=deck_of[id(question)],
                question_id=question.id,
                kind=kind,
                review_time=review_id,
                rating=Rating(ease),
                duration_ms=duration if duration > 0 else None,
                import_key=question.import_key,
                file=file,
            )
        )
    return history, other_cards
