"""Anki packages: every collection generation, notes to questions, history, hostile packages.

The packages are built here with plain SQLite: a legacy `collection.anki2` (JSON note types and
decks in `col`), and a current zstd `collection.anki21b` (with the stub `collection.anki2`
beside it, and `notetypes`/`fields`/`decks` tables).
"""

from __future__ import annotations

import json
import sqlite3
import zipfile
from collections import Counter
from pathlib import Path

import pytest
import zstandard
from click.testing import CliRunner

from drill.cli.main import cli
from drill.core.model import CardKind, Rating
from drill.errors import DeckError
from drill.io.anki import package as anki_apkg
from drill.io.anki.fields import from_html, items_from_html
from drill.io.anki.package import read_apkg
from drill.io.registry import detect, read_file
from drill.library.importing import import_files
from tests.helpers import NOW

BASIC = 1001
REVERSE = 1002
CUSTOM = 1003
NOTETYPES = {
    BASIC: ("Basic", ["Front", "Back"]),
    REVERSE: ("Basic (and reversed card)", ["Front", "Back"]),
    CUSTOM: ("Vocab", ["Word", "Meaning", "Example", "Notes"]),
}
T0 = 1_767_000_000_000  # 2025-12-29, before NOW


def _unicase(a: str, b: str) -> int:
    return (a.casefold() > b.casefold()) - (a.casefold() < b.casefold())


LEGACY_SCHEMA = """
CREATE TABLE col (id integer primary key, crt integer not null, mod integer not null,
  scm integer not null, ver integer not null, dty integer not null, usn integer not null,
  ls integer not null, conf text not null, models text not null, decks text not null,
  dconf text not null, tags text not null);
CREATE TABLE notes (id integer primary key, guid text not null, mid integer not null,
  mod integer not null, usn integer not null, tags text not null, flds text not null,
  sfld integer not null, csum integer not null, flags integer not null, data text not null);
CREATE TABLE cards (id integer primary key, nid integer not null, did integer not null,
  ord integer not null, mod integer not null, usn integer not null, type integer not null,
  queue integer not null, due integer not null, ivl integer not null, factor integer not null,
  reps integer not null, lapses integer not null, left integer not null, odue integer not null,
  odid integer not null, flags integer not null, data text not null);
CREATE TABLE revlog (id integer primary key, cid integer not null, usn integer not null,
  ease integer not null, ivl integer not null, lastIvl integer not null,
  factor integer not null, time integer not null, type integer not null);
CREATE TABLE graves (usn integer not null, oid integer not null, type integer not null);
"""
CURRENT_EXTRA = """
CREATE TABLE notetypes (id integer NOT NULL PRIMARY KEY, name text NOT NULL COLLATE unicase,
  mtime_secs integer NOT NULL, usn integer NOT NULL, config blob NOT NULL);
CREATE UNIQUE INDEX idx_notetypes_name ON notetypes (name);
CREATE TABLE fields (ntid integer NOT NULL, ord integer NOT NULL,
  name text NOT NULL COLLATE unicase, config blob NOT NULL, PRIMARY KEY (ntid, ord))
  without rowid;
CREATE UNIQUE INDEX idx_fields_name_ntid ON fields (name, ntid);
CREATE TABLE decks (id integer PRIMARY KEY NOT NULL, name text NOT NULL COLLATE unicase,
  mtime_secs integer NOT NULL, usn integer NOT NULL, common blob NOT NULL,
  kind blob NOT NULL);
CREATE UNIQUE INDEX idx_decks_name ON decks (name);
CREATE TABLE tags (tag text NOT NULL PRIMARY KEY COLLATE unicase, usn integer NOT NULL,
  collapsed boolean NOT NULL, config blob NULL) without rowid;
"""


def build_collection(
    path: Path,
    notes: list[tuple],
    cards: list[tuple],
    revlog: list[tuple] = (),
    decks: dict[int, str] | None = None,
    *,
    current: bool = False,
    notetypes: dict[int, tuple[str, list[str]]] = NOTETYPES,
) -> Path:
    """An Anki collection: notes (id, guid, mid, tags, fields), cards (id, nid, did, ord[,
    odid]), revlog (id, cid, ease, time, type)."""
    decks = decks or {1: "Default"}
    conn = sqlite3.connect(path)
    conn.create_collation("unicase", _unicase)
    conn.executescript(LEGACY_SCHEMA + (CURRENT_EXTRA if current else ""))
    if current:
        models, deck_json = "", ""
        for ntid, (name, fields) in notetypes.items():
            conn.execute("INSERT INTO notetypes VALUES (?, ?, 0, 0, x'00')", [ntid, name])
            for ord_, field_name in enumerate(fields):
                conn.execute("INSERT INTO fields VALUES (?, ?, ?, x'00')", [ntid, ord_, field_name])
        for did, name in decks.items():
            # DeckKind { normal: NormalDeck { config_id: 1, description: "About NAME" } }
            description = f"About <b>{name}</b>".encode()
            normal = b"\x08\x01\x22" + bytes([len(description)]) + description
            conn.execute(
                "INSERT INTO decks VALUES (?, ?, 0, 0, x'0801', ?)",
                [did, name.replace("::", "\x1f"), b"\x0a" + bytes([len(normal)]) + normal],
            )
    else:
        models = json.dumps(
            {
                str(ntid): {
                    "id": ntid,
                    "name": name,
                    "flds": [{"name": f, "ord": i} for i, f in enumerate(fields)],
                    "tmpls": [],
                }
                for ntid, (name, fields) in notetypes.items()
            }
        )
        deck_json = json.dumps(
            {str(k): {"id": k, "name": v, "desc": f"About <b>{v}</b>"} for k, v in decks.items()}
        )
    conn.execute(
        "INSERT INTO col VALUES (1, 0, 0, 0, ?, 0, 0, 0, '{}', ?, ?, '{}', '{}')",
        [18 if current else 11, models, deck_json],
    )
    for note_id, guid, mid, tags, fields in notes:
        conn.execute(
            "INSERT INTO notes VALUES (?, ?, ?, 0, -1, ?, ?, '', 0, 0, '')",
            [note_id, guid, mid, tags, "\x1f".join(fields)],
        )
    for card in cards:
        card_id, note_id, did, ord_, odid = (*card, 0) if len(card) == 4 else card
        conn.execute(
            "INSERT INTO cards VALUES (?, ?, ?, ?, 0, -1, 0, 0, 0, 0, 0, 0, 0, 0, 0, ?, 0, '')",
            [card_id, note_id, did, ord_, odid],
        )
    for review_id, card_id, ease, duration, kind in revlog:
        conn.execute(
            "INSERT INTO revlog VALUES (?, ?, -1, ?, 0, 0, 0, ?, ?)",
            [review_id, card_id, ease, duration, kind],
        )
    conn.commit()
    conn.close()
    return path


def package(path: Path, members: dict[str, bytes | Path]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data.read_bytes() if isinstance(data, Path) else data)
    return path


SAMPLE_NOTES = [
    (
        10,
        "guid-one",
        BASIC,
        " behavioral intro ",
        ["Tell me <b>about</b> yourself&nbsp;&amp; more", "<div>Present</div><div>past</div>"],
    ),
    (11, "guid-two", REVERSE, "", ["Why this <i>company</i>?", "Research <img src='x.png'>"]),
    (
        12,
        "guid-three",
        CUSTOM,
        "vocab",
        ["食べる", "to eat", "", "[sound:taberu.mp3]Irregular"],
    ),
    (13, "guid-four", BASIC, "", ["Tell me about yourself & more", "duplicate slug"]),
]
SAMPLE_CARDS = [
    (100, 10, 2, 0),
    (110, 11, 2, 0),
    (111, 11, 2, 1),  # the reverse card
    (120, 12, 99, 0, 3),  # in a filtered deck (99); its home deck is 3
    (130, 13, 2, 0),
]
SAMPLE_DECKS = {1: "Default", 2: "Interviews::Behavioral", 3: "Japanese", 99: "Filtered"}
SAMPLE_REVLOG = [
    (T0 + 1000, 100, 3, 8000, 0),
    (T0 + 2000, 100, 1, 0, 1),  # time 0: unknown duration
    (T0 + 3000, 100, 4, 5000, 3),  # filtered-deck entry: skipped
    (T0 + 4000, 100, 0, 0, 4),  # manual reschedule: skipped
    (T0 + 5000, 111, 3, 4000, 0),  # the reverse card: skipped with a warning
    (T0 + 6000, 110, 2, 3000, 0),
    (T0 + 7000, 120, 3, 2000, 5),  # rescheduled: skipped
    (T0 + 8000, 120, 0, 2000, 1),  # ease 0: skipped
    (T0 + 9000, 120, 3, 2000, 1),
]


@pytest.fixture
def legacy_apkg(tmp_path):
    col = build_collection(
        tmp_path / "c.anki2", SAMPLE_NOTES, SAMPLE_CARDS, SAMPLE_REVLOG, SAMPLE_DECKS
    )
    return package(tmp_path / "legacy.apkg", {"collection.anki2": col, "media": b"{}"})


def _stub(tmp_path: Path) -> Path:
    return build_collection(
        tmp_path / "stub.anki2",
        [(1, "stub", BASIC, "", ["Please update to the latest Anki version, then import.", ""])],
        [(1, 1, 1, 0)],
    )


@pytest.fixture
def current_apkg(tmp_path):
    col = build_collection(
        tmp_path / "c21b.sqlite",
        SAMPLE_NOTES,
        SAMPLE_CARDS,
        SAMPLE_REVLOG,
        SAMPLE_DECKS,
        current=True,
    )
    compressed = zstandard.ZstdCompressor().compress(col.read_bytes())
    return package(
        tmp_path / "current.apkg",
        {
            "collection.anki2": _stub(tmp_path),
            "collection.anki21b": compressed,
            "meta": b"\x08\x03",
            "media": zstandard.ZstdCompressor().compress(b""),
        },
    )


def _questions(loaded):
    return {(d.id, q.id): q for d in loaded.decks for q in d.questions}


@pytest.mark.parametrize("which", ["legacy_apkg", "current_apkg"])
def test_notes_become_questions(which, request):
    path = request.getfixturevalue(which)
    loaded = read_apkg(path)
    assert [(d.id, d.name) for d in loaded.decks] == [
        ("interviews-behavioral", "Interviews::Behavioral"),
        ("japanese", "Japanese"),
    ]
    assert loaded.decks[0].description == "About **Interviews::Behavioral**"
    qs = _questions(loaded)
    about = qs[("interviews-behavioral", "tell-me-about-yourself-more")]
    assert about.question == "Tell me **about** yourself & more"
    assert about.approach == "Present\npast"
    assert about.tags == ["behavioral", "intro"]
    assert about.import_key == "guid-one"
    # Same slug in the same file: -2.
    assert qs[("interviews-behavioral", "tell-me-about-yourself-more-2")].import_key == "guid-four"
    why = qs[("interviews-behavioral", "why-this-company")]
    assert (why.question, why.approach) == ("Why this *company*?", "Research")
    # Non-Latin text gets a stable hash id; extra fields go under their names; the deck is the
    # home deck of a card in a filtered deck.
    (word,) = [q for (deck, _), q in qs.items() if deck == "japanese"]
    assert word.id.startswith("q-") and word.question == "食べる"
    assert word.approach == "to eat\n\n**Notes:** Irregular"
    assert [str(w) for w in loaded.warnings] == [
        f"{path}: dropped 1 image and 1 sound (drill shows text only; media is not imported)",
        f"{path}: skipped 1 review of further cards of a note (reverse or cloze cards) "
        "(drill keeps the history of each note's first card)",
    ]


@pytest.mark.parametrize("which", ["legacy_apkg", "current_apkg"])
def test_revlog_becomes_history(which, request):
    loaded = read_apkg(request.getfixturevalue(which))
    rows = [
        (h.import_key, h.kind, h.review_time - T0, h.rating, h.duration_ms) for h in loaded.history
    ]
    assert rows == [
        ("guid-one", CardKind.REHEARSE, 1000, Rating.GOOD, 8000),
        ("guid-one", CardKind.REHEARSE, 2000, Rating.AGAIN, None),
        ("guid-two", CardKind.REHEARSE, 6000, Rating.HARD, 3000),
        ("guid-three", CardKind.REHEARSE, 9000, Rating.GOOD, 2000),
    ]


def test_deck_option_places_everything(legacy_apkg):
    loaded = read_apkg(legacy_apkg, "Imported")
    assert [(d.id, len(d.questions)) for d in loaded.decks] == [("imported", 4)]
    assert {h.deck for h in loaded.history} == {"imported"}


def test_detection_and_colpkg(tmp_path, current_apkg):
    colpkg = tmp_path / "collection.colpkg"
    colpkg.write_bytes(current_apkg.read_bytes())
    assert detect(colpkg, colpkg.read_bytes()[:8192]).name == "apkg"
    assert len(read_file(colpkg).decks) == 2


def test_only_the_stub_is_refused(tmp_path):
    path = package(tmp_path / "stub.apkg", {"collection.anki2": _stub(tmp_path)})
    with pytest.raises(DeckError, match="only the placeholder for old Anki versions"):
        read_apkg(path)


def test_import_twice_changes_nothing(db, legacy_apkg):
    first = import_files(db, [read_apkg(legacy_apkg)], NOW)
    assert sum(r.added for r in first.decks) == 4
    assert [(h.added, h.skipped) for h in first.history] == [(4, 0)]
    reviews = db.execute("SELECT count(*) FROM reviews").fetchone()[0]
    again = import_files(db, [read_apkg(legacy_apkg)], NOW)
    assert sum(r.added for r in again.decks) == 0
    assert sum(r.unchanged for r in again.decks) == 4
    assert [(h.added, h.skipped) for h in again.history] == [(0, 4)]
    assert db.execute("SELECT count(*) FROM reviews").fetchone()[0] == reviews == 4


def test_updated_package_updates_wherever_the_question_lives(db, tmp_path, legacy_apkg):
    import_files(db, [read_apkg(legacy_apkg, "Moved")], NOW)
    notes = [(10, "guid-one", BASIC, "", ["Tell me about yourself, v2", "Changed"])]
    col = build_collection(tmp_path / "v2.anki2", notes, [(100, 10, 2, 0)], [], SAMPLE_DECKS)
    v2 = package(tmp_path / "v2.apkg", {"collection.anki2": col})
    report = import_files(db, [read_apkg(v2)], NOW)
    assert sum(r.updated for r in report.decks) == 1
    row = db.execute(
        "SELECT deck_id, id, question, approach FROM questions WHERE import_key = 'guid-one'"
    ).fetchall()
    assert row == [
        ("moved", "tell-me-about-yourself-more", "Tell me about yourself, v2", "Changed")
    ]


# -- HTML ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("html", "text"),
    [
        ("a<br>b<br/>c", "a\nb\nc"),
        ("<div>a</div><div><br></div><div>b</div>", "a\n\nb"),
        ("<p>one</p><p>two</p>", "one\ntwo"),
        ("a <b>bold </b>and <i>it</i><strong></strong>", "a **bold** and *it*"),
        ("&lt;tag&gt; &amp; &quot;q&quot; &#39;s&#39; &eacute; &#x263A;", "<tag> & \"q\" 's' é ☺"),
        ("x&nbsp;&nbsp;y", "x  y"),
        ("  lots   of\n  space  ", "lots of space"),
        ("<ul><li>a</li><li>b<ul><li>c</li></ul></li></ul>", "- a\n- b\n  - c"),
        ("<ol><li>a</li><li>b</li></ol>", "1. a\n2. b"),
        ("<script>alert(1)</script><style>p{}</style>ok", "ok"),
        ("bell\x07 esc\x1b[31m", "bell esc[31m"),
        ("<table><tr><td>a</td><td>b</td></tr></table>", "a | b"),
        ("unclosed <b>bold", "unclosed **bold**"),
        ("stray </div> end", "stray end"),
    ],
)
def test_html_to_text(html, text):
    assert from_html(html) == text


def test_media_is_counted_and_dropped():
    media: Counter[str] = Counter()
    text = from_html('[sound:a.mp3]Hi <img src="a.png"><img src=b.png/> [sound:b.ogg]', media)
    assert (text, media) == ("Hi", Counter({"image": 2, "sound": 2}))


def test_list_fields():
    assert items_from_html("<ul><li>a</li><li>b<br>more</li></ul>") == ["a", "b\nmore"]
    assert items_from_html("<div>a</div><div>b</div>") == ["a", "b"]
    assert items_from_html("") == []


# -- hostile packages ------------------------------------------------------------------------


def _one_line_error(path: Path, pattern: str) -> None:
    with pytest.raises(DeckError) as caught:
        read_apkg(path)
    assert len(caught.value.problems) == 1
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith(f"{path}: ")
    assert pattern in message, message


@pytest.mark.parametrize(
    "name", ["../evil.txt", "/etc/evil", "media/../../x", "C:\\evil", "a\\..\\b"]
)
def test_names_outside_the_package_refuse_it(tmp_path, legacy_apkg, name):
    path = tmp_path / "evil.apkg"
    path.write_bytes(legacy_apkg.read_bytes())
    with zipfile.ZipFile(path, "a") as archive:
        archive.writestr(name, b"boom")
    _one_line_error(path, "names a file outside itself")


def test_oversized_member(tmp_path, legacy_apkg, monkeypatch):
    monkeypatch.setattr(anki_apkg, "MAX_MEMBER", 1000)
    _one_line_error(legacy_apkg, "would unpack to")


def test_size_is_checked_while_streaming(tmp_path, monkeypatch):
    # The zip header says a few hundred bytes; the zstd stream inside unpacks far beyond the cap.
    bomb = zstandard.ZstdCompressor().compress(b"\0" * 5_000_000)
    path = package(tmp_path / "bomb.apkg", {"collection.anki21b": bomb})
    monkeypatch.setattr(anki_apkg, "MAX_TOTAL", 1_000_000)
    _one_line_error(path, "unpacks to more than 1,000,000 bytes")


def test_lying_header_is_caught(tmp_path, legacy_apkg):
    # Shrink the declared size of the collection in both zip headers: reading stops at the
    # declared size and the checksum no longer matches.
    data = bytearray(legacy_apkg.read_bytes())
    with zipfile.ZipFile(legacy_apkg) as archive:
        info = archive.getinfo("collection.anki2")
    size = info.file_size.to_bytes(4, "little")
    smaller = (info.file_size // 2).to_bytes(4, "little")
    assert data.count(size) >= 2
    data = data.replace(size, smaller)
    path = tmp_path / "liar.apkg"
    path.write_bytes(bytes(data))
    _one_line_error(path, "damaged package")


def test_not_a_database(tmp_path):
    path = package(tmp_path / "x.apkg", {"collection.anki2": b"hello, not sqlite" * 100})
    _one_line_error(path, "not an SQLite database")


def test_damaged_database(tmp_path, legacy_apkg):
    with zipfile.ZipFile(legacy_apkg) as archive:
        data = bytearray(archive.read("collection.anki2"))
    data[4096:8192] = b"\xff" * 4096  # keep the header, wreck a page
    path = package(tmp_path / "broken.apkg", {"collection.anki2": bytes(data)})
    _one_line_error(path, "damaged package")


def test_not_a_collection(tmp_path):
    db = tmp_path / "other.sqlite"
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    _one_line_error(
        package(tmp_path / "x.apkg", {"collection.anki2": db}), "not an Anki collection"
    )


def test_truncated_zip(tmp_path, legacy_apkg):
    path = tmp_path / "cut.apkg"
    path.write_bytes(legacy_apkg.read_bytes()[:700])
    _one_line_error(path, "not a readable zip file")


def test_no_collection_inside(tmp_path):
    _one_line_error(package(tmp_path / "x.apkg", {"media": b"{}"}), "no collection.anki21b")


def test_bad_zstd(tmp_path):
    path = package(tmp_path / "x.apkg", {"collection.anki21b": b"\x28\xb5\x2f\xfd garbage"})
    _one_line_error(path, "damaged package")


def test_nothing_is_left_on_disk(tmp_path, legacy_apkg, monkeypatch):
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setattr("tempfile.tempdir", str(scratch))
    work = tmp_path / "cwd"
    work.mkdir()
    monkeypatch.chdir(work)
    read_apkg(legacy_apkg)
    with pytest.raises(DeckError):
        read_apkg(package(tmp_path / "x.apkg", {"collection.anki2": b"junk" * 10}))
    assert list(scratch.iterdir()) == [] and list(work.iterdir()) == []


# -- through the command line ----------------------------------------------------------------


@pytest.fixture
def run(tmp_path):
    env = {
        "DRILL_DB": str(tmp_path / "drill.db"),
        "DRILL_NOW": "2026-01-05T10:00:00+00:00",
        "DRILL_NO_BUNDLED": "1",
    }
    runner = CliRunner()
    return lambda *args: runner.invoke(cli, list(args), env=env)


def test_cli_import_with_history(run, legacy_apkg):
    result = run("import", str(legacy_apkg))
    assert result.exit_code == 0, result.output
    assert "Interviews::Behavioral: 3 added" in result.stdout
    assert f"{legacy_apkg}: 4 reviews added, 0 already present" in result.stdout
    assert "warning: " in result.stderr
    reviews = run("export", "reviews", "--format", "json")
    rows = json.loads(reviews.stdout)
    assert [(r["review_time"] - T0, r["review_rating"], r["review_duration"]) for r in rows] == [
        (1000, 3, 8000),
        (2000, 1, None),
        (6000, 2, 3000),
        (9000, 3, 2000),
    ]
    again = run("import", str(legacy_apkg), "--json")
    payload = json.loads(again.stdout)
    assert sum(d["added"] for d in payload["decks"]) == 0
    assert [(h["added"], h["skipped"]) for h in payload["history"]] == [(0, 4)]
    assert json.loads(run("export", "reviews", "--format", "json").stdout) == rows


def test_cli_hostile_package_leaves_the_database_alone(run, tmp_path, legacy_apkg):
    assert run("import", str(legacy_apkg)).exit_code == 0
    before = run("export", "reviews").stdout, run("decks", "--json").stdout
    evil = tmp_path / "evil.apkg"
    evil.write_bytes(legacy_apkg.read_bytes())
    with zipfile.ZipFile(evil, "a") as archive:
        archive.writestr("../../evil", b"x")
    truncated = tmp_path / "cut.apkg"
    truncated.write_bytes(legacy_apkg.read_bytes()[:500])
    for path in (evil, truncated):
        result = run("import", str(path))
        assert result.exit_code == 1
        assert result.stderr.count("\n") == 1 and result.stderr.startswith(f"{path}: ")
    assert (run("export", "reviews").stdout, run("decks", "--json").stdout) == before
