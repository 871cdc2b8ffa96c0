"""Exporting for Anki: the package and text formats, and round trips back into drill."""

from __future__ import annotations

import io
import json
import sqlite3
import zipfile
from datetime import timedelta

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from drill.cli.main import cli
from drill.core.model import Example, Rating
from drill.io.anki.fields import (
    examples_from_html,
    examples_to_html,
    from_html,
    items_from_html,
    items_to_html,
    text_to_html,
)
from drill.io.anki.package import FIELDS, NOTETYPE_NAME, read_apkg
from drill.io.anki.text import read_anki_text
from drill.io.anki.writer import NOTETYPE_ID, TEMPLATES, note_guid, write_anki_text
from drill.library.anki_export import export_apkg
from drill.library.exports import load_deck, progress_rows, review_rows
from drill.library.importing import import_decks, import_files
from drill.storage import repo
from drill.storage.db import open_database
from drill.study.session import ReviewSession
from tests.helpers import NOW, SAMPLE_DECK, V2_DECK, parse

TRICKY_DECK = """# Tricky: <deck> & "quotes"
Line one of the description.

- a list in it

## Is 2 * 3 * 4 > 5 & <b>not</b> HTML?
id: tricky
tags: odd tag, second

### Approach
**Situation** first, then *task*.
- point one
- point **two**

Closing line with  two spaces and a\ttab.
  - indented, not a list

### Do
- Use [sound:x.mp3] as text
- Multi
line item

### Example: new grad
"Quoted" text

### Example
No label here.
"""


# -- HTML round trip -------------------------------------------------------------------------

line_text = st.lists(
    st.sampled_from([*"ab -*<>&;#\t\"'é1.[]", "[sound:", "**", "- "]), max_size=10
).map("".join)
drill_text = st.lists(line_text, min_size=1, max_size=5).map("\n".join).map(str.strip)


@settings(max_examples=400, deadline=None)
@given(drill_text)
def test_text_survives_html(text):
    assert from_html(text_to_html(text)) == text


@settings(max_examples=200, deadline=None)
@given(st.lists(drill_text.filter(bool), max_size=4))
def test_items_survive_html(items):
    assert items_from_html(items_to_html(items)) == items


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(drill_text, drill_text.filter(bool)), max_size=3))
def test_examples_survive_html(pairs):
    examples = [Example(label, text) for label, text in pairs]
    assert examples_from_html(examples_to_html(examples)) == examples


def test_html_is_escaped_and_lists_become_ul():
    html = text_to_html("Intro <b> & co\n- one\n- two\n\nafter  gap")
    assert html == (
        "Intro &lt;b&gt; &amp; co<ul><li>one</li><li>two</li></ul><br>after&nbsp;&nbsp;gap"
    )
    assert text_to_html("**bold** and *it*") == "<b>bold</b> and <i>it</i>"


# -- the package -----------------------------------------------------------------------------


@pytest.fixture
def decks_db(db):
    import_decks(
        db, [parse(SAMPLE_DECK), parse(TRICKY_DECK, "tricky.md"), parse(V2_DECK, "v2.md")], NOW
    )
    return db


def _collection(path):
    with zipfile.ZipFile(path) as archive:
        assert sorted(archive.namelist()) == ["collection.anki2", "media"]
        data = archive.read("collection.anki2")
    copy = path.with_suffix(".anki2")
    copy.write_bytes(data)
    return sqlite3.connect(copy)


def test_package_layout(decks_db, tmp_path):
    path = tmp_path / "sample.apkg"
    summary = export_apkg(decks_db, "sample-deck", path, NOW)
    assert (summary.notes, summary.cards, summary.reviews) == (3, 5, 0)
    conn = _collection(path)
    (ver, models, decks) = conn.execute("SELECT ver, models, decks FROM col").fetchone()
    assert ver == 11
    model = json.loads(models)[str(NOTETYPE_ID)]
    assert model["name"] == NOTETYPE_NAME
    assert [f["name"] for f in model["flds"]] == list(FIELDS)
    assert [t["name"] for t in model["tmpls"]] == ["Rehearse", "Why they ask", "Dos and don'ts"]
    why_front, dos_front = model["tmpls"][1]["qfmt"], model["tmpls"][2]["qfmt"]
    assert why_front.startswith("{{#Why they ask}}") and why_front.endswith("{{/Why they ask}}")
    assert dos_front.startswith("{{#Do}}") and "{{^Do}}{{#Don't}}" in dos_front
    assert "Sample deck" in [d["name"] for d in json.loads(decks).values()]
    # One card per kind the question has: career-goals has all three, the others rehearse only.
    ords = conn.execute(
        "SELECT n.sfld, group_concat(c.ord) FROM cards c JOIN notes n "
        "ON n.id = c.nid GROUP BY n.id ORDER BY n.id"
    ).fetchall()
    assert ords == [
        ("What goals do you have in your career?", "0,1,2"),
        ("Tell me about yourself.", "0"),
        ("Why should we hire you?", "0"),
    ]
    assert conn.execute("SELECT count(*) FROM cards WHERE type != 0").fetchone() == (0,)
    assert conn.execute("SELECT count(*) FROM revlog").fetchone() == (0,)
    assert len(TEMPLATES) == 3


def test_guids_are_stable_and_keep_import_keys(decks_db, tmp_path):
    first, second = tmp_path / "1.apkg", tmp_path / "2.apkg"
    export_apkg(decks_db, "sample-deck", first, NOW)
    export_apkg(decks_db, "sample-deck", second, NOW + timedelta(days=3))
    guids = [
        _collection(p).execute("SELECT guid FROM notes ORDER BY id").fetchall()
        for p in (first, second)
    ]
    assert guids[0] == guids[1] and len(set(guids[0])) == 3
    deck = load_deck(decks_db, "sample-deck")
    deck.questions[0].import_key = "from-anki"
    assert note_guid("sample-deck", deck.questions[0]) == "from-anki"
    assert note_guid("sample-deck", deck.questions[1]) != note_guid("other", deck.questions[1])


@pytest.mark.parametrize("deck_id", ["sample-deck", "tricky-deck-quotes", "se-pack"])
def test_round_trip_gives_the_same_questions(decks_db, tmp_path, deck_id):
    path = tmp_path / "deck.apkg"
    export_apkg(decks_db, deck_id, path, NOW)
    loaded = read_apkg(path)
    original = load_deck(decks_db, deck_id)
    (deck,) = loaded.decks
    assert (deck.id, deck.name, deck.description) == (
        original.id,
        original.name,
        original.description,
    )
    got = [q.content_dict() for q in deck.questions]
    want = [q.content_dict() for q in original.questions]
    for q in want:
        q["tags"] = [t.replace(" ", "_") for t in q["tags"]]  # Anki tags cannot hold spaces
    assert got == want
    assert loaded.warnings == []


def test_package_back_into_the_same_database_updates(decks_db, tmp_path):
    # Questions from a Markdown deck have no import key; the GUIDs drill derived for them are
    # not foreign keys, so the notes come back to the same questions by deck and id.
    path = tmp_path / "deck.apkg"
    export_apkg(decks_db, "sample-deck", path, NOW)
    loaded = read_apkg(path)
    assert {q.import_key for q in loaded.decks[0].questions} == {None}
    report = import_files(decks_db, [loaded], NOW)
    assert (report.decks[0].added, report.decks[0].unchanged) == (0, 3)


def _study(db, deck_id, start, steps):
    """Answer whatever is due at each step (distinct times), cycling through ratings."""
    session = ReviewSession(db, deck_id)
    ratings = [Rating.GOOD, Rating.GOOD, Rating.AGAIN, Rating.EASY, Rating.HARD]
    count = 0
    for step in range(steps):
        now = start + timedelta(hours=7 * step)
        for _ in range(4):
            card = session.next_card(now)
            if card is None:
                break
            session.rate(card.card_id, ratings[count % len(ratings)], now, 1000 + count)
            count += 1
            now += timedelta(seconds=30)
    return count


def test_round_trip_with_history(decks_db, tmp_path):
    reviewed = _study(decks_db, "sample-deck", NOW, 12)
    assert reviewed > 10
    later = NOW + timedelta(days=5)
    path = tmp_path / "history.apkg"
    summary = export_apkg(decks_db, "sample-deck", path, later, with_history=True)
    assert summary.reviews == reviewed

    conn = _collection(path)
    cards = dict(conn.execute("SELECT id, nid FROM cards"))
    assert {row[0] for row in conn.execute("SELECT cid FROM revlog")} <= set(cards)
    assert conn.execute("SELECT count(*) FROM cards WHERE type != 0").fetchone()[0] > 0

    fresh = open_database(":memory:")
    repo.set_config(fresh, None, "fuzz", "off")
    report = import_files(fresh, [read_apkg(path)], later)
    assert [(h.added, h.skipped) for h in report.history] == [(reviewed, 0)]

    def reviews(database):
        return [
            {k: v for k, v in row.items() if k != "card_id"}
            for row in review_rows(database, "sample-deck")
        ]

    def progress(database):
        return [
            {k: v for k, v in row.items() if k != "card_id"}
            for row in progress_rows(database, later, "sample-deck")
        ]

    assert reviews(fresh) == reviews(decks_db)
    assert progress(fresh) == progress(decks_db)
    again = import_files(fresh, [read_apkg(path)], later)
    assert [(h.added, h.skipped) for h in again.history] == [(0, reviewed)]

    # Imported reviews don't keep the card's state before them; exporting replays it, so
    # the review log (intervals before and after each review) is the same as from the
    # reviews rated live.
    copy = tmp_path / "copy.apkg"
    export_apkg(fresh, "sample-deck", copy, later, with_history=True)

    def revlog(package):
        return (
            _collection(package)
            .execute("SELECT id, ease, ivl, lastIvl, factor, time, type FROM revlog ORDER BY id")
            .fetchall()
        )

    assert revlog(copy) == revlog(path)
    assert any(row[3] for row in revlog(copy))  # intervals before reviews are there


def test_anki_text_export_reimports(decks_db, tmp_path):
    out = io.StringIO()
    assert write_anki_text(load_deck(decks_db, "tricky-deck-quotes"), out) == 1
    text = out.getvalue()
    head = text.split("\n")[:6]
    assert head == [
        "#separator:tab",
        "#html:true",
        f"#notetype:{NOTETYPE_NAME}",
        '#deck:Tricky: <deck> & "quotes"',
        "#columns:" + "\t".join([*FIELDS, "guid", "tags"]),
        f"#guid column:{len(FIELDS) + 1}",
    ]
    assert text.split("\n")[6] == f"#tags column:{len(FIELDS) + 2}"
    path = tmp_path / "tricky.txt"
    path.write_text(text, encoding="utf-8")
    loaded = read_anki_text(path)
    (deck,) = loaded.decks
    original = load_deck(decks_db, "tricky-deck-quotes")
    assert (deck.id, deck.name) == (original.id, original.name)
    got = deck.questions[0].content_dict()
    want = original.questions[0].content_dict()
    want["tags"] = ["odd_tag", "second"]
    assert got == want
    assert deck.questions[0].import_key is None  # the GUID drill derived: matched by id


def test_cli_export_formats(tmp_path):
    env = {
        "DRILL_DB": str(tmp_path / "drill.db"),
        "DRILL_NOW": "2026-01-05T10:00:00+00:00",
        "DRILL_NO_BUNDLED": "1",
    }
    runner = CliRunner()
    deck_file = tmp_path / "sample.md"
    deck_file.write_text(SAMPLE_DECK, encoding="utf-8")
    assert runner.invoke(cli, ["import", str(deck_file)], env=env).exit_code == 0

    def run(*args):
        return runner.invoke(cli, ["export", "deck", "sample-deck", *args], env=env)

    assert run("--format", "apkg").exit_code == 2
    assert run("--format", "md", "--with-history").exit_code == 2
    target = tmp_path / "out.apkg"
    result = run("--format", "apkg", "-o", str(target), "--with-history")
    assert result.exit_code == 0, result.output
    assert result.stdout == f"Wrote {target}: 3 notes, 5 cards, 0 reviews.\n"
    assert zipfile.is_zipfile(target)
    text = run("--format", "anki-txt")
    assert text.exit_code == 0 and text.stdout.startswith("#separator:tab\n#html:true\n")
    missing = runner.invoke(cli, ["export", "deck", "nope", "--format", "apkg", "-o", "x"], env=env)
    assert missing.exit_code == 1 and not (tmp_path / "x").exists()


def test_v2_fields_reach_anki_and_come_back_from_its_text_format(decks_db, tmp_path):
    original = load_deck(decks_db, "se-pack")
    out = io.StringIO()
    write_anki_text(original, out)
    path = tmp_path / "v2.txt"
    path.write_text(out.getvalue(), encoding="utf-8")
    loaded = read_anki_text(path)
    assert loaded.decks[0].questions == original.questions
    assert loaded.warnings == []
    rehearse_back = TEMPLATES[0][2]
    for field in ("Short answer", "Red flags", "Follow-ups", "Key phrases"):
        assert "{{" + field + "}}" in rehearse_back
    assert rehearse_back.index("Short answer") < rehearse_back.index("Approach")


def test_metadata_edited_out_of_the_vocabulary_in_anki_is_left_out_with_a_warning(
    decks_db, tmp_path
):
    out = io.StringIO()
    write_anki_text(load_deck(decks_db, "se-pack"), out)
    path = tmp_path / "edited.txt"
    path.write_text(out.getvalue().replace("\tbehavioral\t", "\tstory time\t"), encoding="utf-8")
    loaded = read_anki_text(path)
    question = loaded.decks[0].questions[0]
    assert question.type == "" and question.level == "experienced"
    assert [str(w) for w in loaded.warnings] == [
        f"{path}: left out 1 metadata value outside drill's vocabulary (Type) "
        "(docs/deck-format.md lists the values drill knows)"
    ]
