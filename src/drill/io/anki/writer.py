"""Writing a deck for Anki: an .apkg package (optionally with the review log) or Anki's text format.

The package is a legacy `collection.anki2` (schema 11), which current Anki still imports. Notes
use the note type "drill interview question", one field per part of a question plus a "Drill id"
(deck/question) that brings them back to the same question when imported into drill. Note GUIDs
are the question's import key (an Anki GUID it came with) or derived from (deck id, question id),
so exporting again updates the notes in Anki instead of duplicating them.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import tempfile
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import IO, Any

from drill.core import clock
from drill.core.model import CardInfo, CardKind, CardState, Deck, Question
from drill.core.sanitize import strip_control_chars
from drill.core.vocabulary import format_length
from drill.io.anki.fields import examples_to_html, from_html, items_to_html, text_to_html
from drill.io.anki.package import FIELDS, ID_FIELD, NOTETYPE_NAME, drill_guid

# Fixed, so that Anki recognises the note type when a later export is imported.
NOTETYPE_ID = 1_735_689_600_001
ORD_OF_KIND = {CardKind.REHEARSE: 0, CardKind.WHY: 1, CardKind.DOS: 2}
_DAY_MS = 86_400_000

_CSS = """.card {
  font-family: -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif;
  font-size: 20px;
  line-height: 1.5;
  text-align: left;
  color: black;
  background-color: white;
  max-width: 40em;
  margin: 0 auto;
}
.question { font-size: 1.2em; font-weight: bold; }
.variants, .task { color: #666; font-size: 0.9em; margin-top: 0.5em; }
.nightMode .variants, .nightMode .task { color: #aaa; }
.drill-label { font-weight: bold; font-style: italic; }
.drill-example { margin-bottom: 0.8em; }
h3 { font-size: 1em; margin: 1em 0 0.2em; }
"""


def _front(task: str) -> str:
    return (
        '<div class="question">{{Question}}</div>\n'
        '{{#Variants}}<div class="variants">Also asked as:{{Variants}}</div>{{/Variants}}\n'
        f'<div class="task">{task}</div>'
    )


def _section(name: str, title: str | None = None) -> str:
    return f"{{{{#{name}}}}}<h3>{title or name}</h3>{{{{{name}}}}}{{{{/{name}}}}}"


_DOS_FRONT = _front(CardKind.DOS.task)
TEMPLATES = (
    (
        "Rehearse",
        _front(CardKind.REHEARSE.task),
        "{{FrontSide}}\n<hr id=answer>\n"
        + "\n".join(
            _section(n)
            for n in (
                "Short answer",
                "Approach",
                "Do",
                "Don't",
                "Red flags",
                "Examples",
                "Bad example",
                "Follow-ups",
                "Key phrases",
                "Tips",
            )
        ),
    ),
    (
        "Why they ask",
        "{{#Why they ask}}" + _front(CardKind.WHY.task) + "{{/Why they ask}}",
        "{{FrontSide}}\n<hr id=answer>\n{{Why they ask}}",
    ),
    (
        "Dos and don'ts",
        # A card exists when Do or Don't has text (Anki skips cards whose front is empty).
        f"{{{{#Do}}}}{_DOS_FRONT}{{{{/Do}}}}{{{{^Do}}}}{{{{#Don't}}}}{_DOS_FRONT}{{{{/Don't}}}}"
        "{{/Do}}",
        "{{FrontSide}}\n<hr id=answer>\n"
        + "\n".join(_section(n) for n in ("Do", "Don't", "Red flags")),
    ),
)


@dataclass(slots=True)
class ApkgSummary:
    """What an .apkg export wrote."""

    notes: int = 0
    cards: int = 0
    reviews: int = 0


def note_guid(deck_id: str, question: Question) -> str:
    """The question's Anki GUID: its import key, or one derived from (deck id, question id)."""
    return question.import_key or drill_guid(deck_id, question.id)


def note_fields(deck_id: str, question: Question) -> list[str]:
    """The note's fields as HTML, in the order of FIELDS."""
    values = {
        "Question": text_to_html(question.question),
        "Variants": items_to_html(question.variants),
        "Why they ask": text_to_html(question.why),
        "Approach": text_to_html(question.approach),
        "Do": items_to_html(question.dos),
        "Don't": items_to_html(question.donts),
        "Examples": examples_to_html(question.examples),
        "Bad example": text_to_html(question.bad_example),
        "Tips": items_to_html(question.tips),
        "Short answer": text_to_html(question.short_answer),
        "Red flags": items_to_html(question.red_flags),
        "Follow-ups": items_to_html(question.follow_ups),
        "Key phrases": items_to_html(question.key_phrases),
        "Type": text_to_html(question.type),
        "Competencies": text_to_html(", ".join(question.competencies)),
        "Level": text_to_html(question.level),
        "Length": text_to_html(format_length(question.length) if question.length else ""),
        "Reviewed": text_to_html(question.reviewed),
        ID_FIELD: text_to_html(f"{deck_id}/{question.id}"),
    }
    return [values[name] for name in FIELDS]


def anki_tags(tags: Iterable[str]) -> list[str]:
    """Anki tags cannot hold spaces: they become underscores."""
    out = []
    for tag in tags:
        clean = "_".join(strip_control_chars(tag).split())
        if clean and clean not in out:
            out.append(clean)
    return out


# -- text ------------------------------------------------------------------------------------


def _tsv_field(value: str) -> str:
    if any(c in value for c in '\t"\n\r') or value.startswith("#"):
        return '"' + value.replace('"', '""') + '"'
    return value


def write_anki_text(deck: Deck, out: IO[str]) -> int:
    """Anki's notes-in-plain-text format (tab-separated HTML fields); returns the row count."""
    # The question first: an Anki without the drill note type maps it to Basic's Front.
    columns = [*FIELDS, "guid", "tags"]
    one_line = " ".join(strip_control_chars(deck.name).split())
    out.write("#separator:tab\n#html:true\n")
    out.write(f"#notetype:{NOTETYPE_NAME}\n#deck:{one_line}\n")
    out.write("#columns:" + "\t".join(columns) + "\n")
    out.write(f"#guid column:{len(columns) - 1}\n#tags column:{len(columns)}\n")
    for question in deck.questions:
        row = [
            *note_fields(deck.id, question),
            note_guid(deck.id, question),
            " ".join(anki_tags(question.tags)),
        ]
        out.write("\t".join(_tsv_field(v) for v in row) + "\n")
    return len(deck.questions)


# -- package ---------------------------------------------------------------------------------

_SCHEMA = """
CREATE TABLE col (
    id integer primary key, crt integer not null, mod integer not null,
    scm integer not null, ver integer not null, dty integer not null, usn integer not null,
    ls integer not null, conf text not null, models text not null, decks text not null,
    dconf text not null, tags text not null
);
CREATE TABLE notes (
    id integer primary key, guid text not null, mid integer not null, mod integer not null,
    usn integer not null, tags text not null, flds text not null, sfld integer not null,
    csum integer not null, flags integer not null, data text not null
);
CREATE TABLE cards (
    id integer primary key, nid integer not null, did integer not null, ord integer not null,
    mod integer not null, usn integer not null, type integer not null, queue integer not null,
    due integer not null, ivl integer not null, factor integer not null, reps integer not null,
    lapses integer not null, left integer not null, odue integer not null,
    odid integer not null, flags integer not null, data text not null
);
CREATE TABLE revlog (
    id integer primary key, cid integer not null, usn integer not null, ease integer not null,
    ivl integer not null, lastIvl integer not null, factor integer not null,
    time integer not null, type integer not null
);
CREATE TABLE graves (usn integer not null, oid integer not null, type integer not null);
CREATE INDEX ix_notes_usn on notes (usn);
CREATE INDEX ix_cards_usn on cards (usn);
CREATE INDEX ix_revlog_usn on revlog (usn);
CREATE INDEX ix_cards_nid on cards (nid);
CREATE INDEX ix_cards_sched on cards (did, queue, due);
CREATE INDEX ix_revlog_cid on revlog (cid);
CREATE INDEX ix_notes_csum on notes (csum);
"""


def _deck_json(anki_id: int, name: str, description: str, mod: int) -> dict[str, Any]:
    return {
        "id": anki_id,
        "mod": mod,
        "name": name,
        "usn": -1,
        "lrnToday": [0, 0],
        "revToday": [0, 0],
        "newToday": [0, 0],
        "timeToday": [0, 0],
        "collapsed": False,
        "browserCollapsed": False,
        "desc": description,
        "dyn": 0,
        "conf": 1,
        "extendNew": 0,
        "extendRev": 0,
    }


def _notetype_json(deck_anki_id: int, mod: int) -> dict[str, Any]:
    return {
        "id": NOTETYPE_ID,
        "name": NOTETYPE_NAME,
        "type": 0,
        "mod": mod,
        "usn": -1,
        "sortf": 0,
        "did": deck_anki_id,
        "tmpls": [
            {
                "name": name,
                "ord": ord_,
                "qfmt": qfmt,
                "afmt": afmt,
                "bqfmt": "",
                "bafmt": "",
                "did": None,
                "bfont": "",
                "bsize": 0,
            }
            for ord_, (name, qfmt, afmt) in enumerate(TEMPLATES)
        ],
        "flds": [
            {
                "name": name,
                "ord": ord_,
                "sticky": False,
                "rtl": False,
                "font": "Arial",
                "size": 20,
                "description": "",
                "plainText": False,
                "collapsed": False,
                "excludeFromSearch": False,
            }
            for ord_, name in enumerate(FIELDS)
        ],
        "css": _CSS,
        "latexPre": "\\documentclass[12pt]{article}\n\\special{papersize=3in,5in}\n"
        "\\usepackage[utf8]{inputenc}\n\\usepackage{amssymb,amsmath}\n\\pagestyle{empty}\n"
        "\\setlength{\\parindent}{0in}\n\\begin{document}\n",
        "latexPost": "\\end{document}",
        "latexsvg": False,
        # Only old Ankis read this; current ones work it out from the templates.
        "req": [[0, "any", [0]], [1, "all", [0, 2]], [2, "any", [4, 5]]],
        "tags": [],
        "vers": [],
    }


_DCONF = {
    "1": {
        "id": 1,
        "mod": 0,
        "name": "Default",
        "usn": 0,
        "maxTaken": 60,
        "autoplay": True,
        "timer": 0,
        "replayq": True,
        "dyn": False,
        "new": {
            "bury": False,
            "delays": [1.0, 10.0],
            "initialFactor": 2500,
            "ints": [1, 4, 0],
            "order": 1,
            "perDay": 20,
        },
        "rev": {
            "bury": False,
            "ease4": 1.3,
            "ivlFct": 1.0,
            "maxIvl": 36500,
            "perDay": 200,
            "hardFactor": 1.2,
        },
        "lapse": {"delays": [10.0], "leechAction": 1, "leechFails": 8, "minInt": 1, "mult": 0.0},
    }
}


def _stable_id(text: str) -> int:
    """A positive id below Anki's ms timestamps' range, stable for the same text."""
    return 1_000_000_000 + int(hashlib.sha1(text.encode()).hexdigest()[:8], 16)


def _checksum(text: str) -> int:
    return int(hashlib.sha1(text.encode("utf-8")).hexdigest()[:8], 16)


@dataclass(slots=True)
class _Card:
    id: int
    drill_id: int
    kind: CardKind
    state: int
    due: int | None
    stability: float | None
    difficulty: float | None
    last_review: int | None
    reps: int
    lapses: int
    suspended: bool


# (card id, time ms, rating, state before, duration ms, state-before JSON), card by card in
# time order: the shape storage.reviews.deck_reviews returns.
ReviewLogRow = tuple[int, int, int, int, int | None, str | None]


def write_apkg(
    deck: Deck,
    out: IO[bytes],
    now: datetime,
    *,
    cards: Iterable[CardInfo] = (),
    reviews: list[ReviewLogRow] | None = None,
    retention: float = 0.9,
) -> ApkgSummary:
    """Write `deck` as an Anki package to the binary stream `out` (a pipe will do).

    With `reviews`, `cards` carry their scheduling state and the review log is included
    (revlog rows whose card ids match the exported cards); otherwise every card is new.
    """
    now_ms = clock.to_ms(now)
    by_key = {
        (c.question_id, c.kind): _Card(
            0,
            c.id,
            c.kind,
            c.record.state,
            c.record.due,
            c.record.stability,
            c.record.difficulty,
            c.record.last_review,
            c.record.reps,
            c.record.lapses,
            c.suspended,
        )
        for c in cards
    }
    history = reviews or []
    first = min([now_ms, *(r[1] for r in history)])
    crt = (first // _DAY_MS) * (_DAY_MS // 1000)  # midnight UTC, in seconds
    summary = ApkgSummary()
    with tempfile.TemporaryDirectory(prefix="drill-apkg-") as tmp:
        collection = Path(tmp) / "collection.anki2"
        conn = sqlite3.connect(collection)
        try:
            conn.executescript(_SCHEMA)
            _fill(conn, deck, retention, by_key, history, crt, now_ms, summary)
            conn.commit()
        finally:
            conn.close()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.write(collection, "collection.anki2")
            archive.writestr("media", "{}")
    return summary


def _fill(
    conn: sqlite3.Connection,
    deck: Deck,
    retention: float,
    cards: dict[tuple[str, CardKind], _Card],
    reviews: list[ReviewLogRow],
    crt: int,
    now_ms: int,
    summary: ApkgSummary,
) -> None:
    mod = now_ms // 1000
    deck_anki_id = _stable_id(f"deck:{deck.id}")
    history = bool(reviews)
    # Ids a little in the past, in question order, so Anki lists the notes in deck order.
    base = now_ms - 6 * (len(deck.questions) + 1)
    by_drill_id: dict[int, _Card] = {}
    for position, question in enumerate(deck.questions):
        note_id = base + position
        fields = note_fields(deck.id, question)
        sort_text = from_html(fields[0])
        conn.execute(
            "INSERT INTO notes VALUES (?, ?, ?, ?, -1, ?, ?, ?, ?, 0, '')",
            [
                note_id,
                note_guid(deck.id, question),
                NOTETYPE_ID,
                mod,
                f" {' '.join(anki_tags(question.tags))} " if question.tags else "",
                "\x1f".join(fields),
                sort_text,
                _checksum(sort_text),
            ],
        )
        summary.notes += 1
        for kind in question.kinds():
            card = cards.get((question.id, kind))
            card_id = base + 3 * position + ORD_OF_KIND[kind] + 3 * len(deck.questions)
            row = _card_row(card if history else None, position, crt, retention)
            conn.execute(
                "INSERT INTO cards VALUES (?, ?, ?, ?, ?, -1, ?, ?, ?, ?, ?, ?, ?, ?, 0, 0, 0, ?)",
                [card_id, note_id, deck_anki_id, ORD_OF_KIND[kind], mod, *row],
            )
            summary.cards += 1
            if card is not None:
                card.id = card_id
                by_drill_id[card.drill_id] = card
    summary.reviews = _write_revlog(conn, reviews, by_drill_id)
    _write_col(conn, deck, deck_anki_id, crt, now_ms)


def _card_row(card: _Card | None, position: int, crt: int, retention: float) -> list[Any]:
    """type, queue, due, ivl, factor, reps, lapses, left, data of an Anki card."""
    if card is None or card.state == CardState.NEW or card.due is None:
        return [0, 0, position, 0, 0, 0, 0, 0, "{}"]
    data: dict[str, Any] = {}
    if card.stability is not None and card.difficulty is not None:
        data = {"s": round(card.stability, 4), "d": round(card.difficulty, 3), "dr": retention}
    if card.last_review is not None:
        data["lrt"] = card.last_review // 1000
    queue_suspended = card.suspended
    day = (card.due // 1000 - crt) // 86_400
    last = card.last_review if card.last_review is not None else card.due
    interval = max(1, round((card.due - last) / _DAY_MS))
    if card.state == CardState.REVIEW:
        kind, queue, due, ivl = 2, 2, day, interval
    else:
        kind = 3 if card.state == CardState.RELEARNING else 1
        ivl = max(1, round(card.stability or 1)) if kind == 3 else 0
        # Learning steps under a day are due at a time (seconds); longer ones on a day.
        queue, due = (1, card.due // 1000) if card.due - last < _DAY_MS else (3, day)
    if queue_suspended:
        queue = -1
    factor = 2500
    left = 0 if kind == 2 else 1
    return [kind, queue, due, ivl, factor, card.reps, card.lapses, left, json.dumps(data)]


def _interval(record: dict[str, Any] | None, at: int) -> int:
    """Anki's revlog interval: days for a review card, negative seconds while learning."""
    if not record or record.get("due") is None or record.get("state") == CardState.NEW:
        return 0
    due = int(record["due"])
    if record["state"] == CardState.REVIEW:
        return max(1, round((due - at) / _DAY_MS))
    return -max(1, (due - at) // 1000)


def _write_revlog(
    conn: sqlite3.Connection, reviews: list[ReviewLogRow], cards: dict[int, _Card]
) -> int:
    used: set[int] = set()
    rows = []
    for index, (card_id, time, rating, state_before, duration, before_json) in enumerate(reviews):
        card = cards.get(card_id)
        if card is None:
            continue
        following = reviews[index + 1] if index + 1 < len(reviews) else None
        if following is not None and following[0] == card_id:
            after = json.loads(following[5]) if following[5] else None
        else:
            after = {"state": card.state, "due": card.due}
        before = json.loads(before_json) if before_json else None
        last_ivl = _interval(before, before.get("last_review") or time) if before else 0
        review_id = time
        while review_id in used:  # revlog ids are unique; nudge a clash by a millisecond
            review_id += 1
        used.add(review_id)
        revlog_type = {CardState.REVIEW: 1, CardState.RELEARNING: 2}.get(CardState(state_before), 0)
        rows.append(
            (
                review_id,
                card.id,
                rating,
                _interval(after, time),
                last_ivl,
                2500 if after and after.get("state") != CardState.LEARNING else 0,
                duration or 0,
                revlog_type,
            )
        )
    conn.executemany("INSERT INTO revlog VALUES (?, ?, -1, ?, ?, ?, ?, ?, ?)", rows)
    return len(rows)


def _write_col(
    conn: sqlite3.Connection, deck: Deck, deck_anki_id: int, crt: int, now_ms: int
) -> None:
    mod = now_ms // 1000
    name = " ".join(strip_control_chars(deck.name).split()) or deck.id
    decks = {
        "1": _deck_json(1, "Default", "", 0),
        str(deck_anki_id): _deck_json(deck_anki_id, name, text_to_html(deck.description), mod),
    }
    conf = {
        "activeDecks": [deck_anki_id],
        "curDeck": deck_anki_id,
        "curModel": NOTETYPE_ID,
        "newSpread": 0,
        "collapseTime": 1200,
        "timeLim": 0,
        "estTimes": True,
        "dueCounts": True,
        "sortType": "noteFld",
        "sortBackwards": False,
        "addToCur": True,
        "nextPos": len(deck.questions) + 1,
        "schedVer": 2,
        "sched2021": True,
        "dayLearnFirst": False,
        "creationOffset": 0,
    }
    conn.execute(
        "INSERT INTO col VALUES (1, ?, ?, ?, 11, 0, 0, 0, ?, ?, ?, ?, '{}')",
        [
            crt,
            now_ms,
            now_ms,
            json.dumps(conf),
            json.dumps({str(NOTETYPE_ID): _notetype_json(deck_anki_id, mod)}),
            json.dumps(decks),
            json.dumps(_DCONF),
        ],
    )
