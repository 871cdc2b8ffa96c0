"""Reading an Anki text file's rows by a column plan gives exactly what the row-by-row
reader it replaced gave (issue 19: the plan made the import of 5,000 rows fast).

The reference below is that reader, kept verbatim: a dict of each row's fields and a
closure per field. Every bundled deck exported as Anki text, and generated files (any
columns, duplicates, HTML or not, bad rows, metadata in and out of the vocabulary, media,
drill ids and GUIDs), must read the same both ways: the same decks and warnings, or the
same problems.
"""

from __future__ import annotations

import copy
import hashlib
import io
import re
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from drill.core.model import Deck, Example, Question, normalize_question
from drill.core.sanitize import strip_control_chars
from drill.errors import DeckError, Problem
from drill.io.anki import text as anki_text
from drill.io.anki.fields import examples_from_html, from_html, items_from_html, media_summary
from drill.io.anki.package import (
    _GUID_CHARS,
    FIELDS,
    METADATA_FIELDS,
    NoteEntry,
    appended_fields,
    apply_metadata_fields,
    drill_guid,
    group_decks,
    ignored_metadata,
    own_guid,
    separate_shared_guids,
    split_tags,
)
from drill.io.anki.text import _ID, MAX_FIELD_CHARS, _Headers, read_anki_text
from drill.io.anki.writer import write_anki_text
from drill.io.markdown.deck import parse_markdown
from drill.io.registry import Loaded
from drill.io.source import Source

ROOT = Path(__file__).resolve().parents[1]

# -- the reference: the row reader before the column plan -------------------------------------


def reference_rows_to_loaded(
    records: list[tuple[int, list[str]]],
    names: list[str],
    headers: _Headers,
    html: bool,
    file: str,
    deck_name: str | None,
    skip_bad_rows: bool,
    source: Source,
) -> Loaded:
    media: Counter[str] = Counter()
    ignored: Counter[str] = Counter()
    bad: list[Problem] = []
    warnings = list(source.warnings)
    entries: list[NoteEntry] = []
    seen: dict[tuple[str, str], int] = {}
    default_deck = headers.deck or Path(file).stem or "Anki"
    expected = len(names)
    for line, fields in records:
        while len(fields) > expected and not fields[-1].strip():
            fields.pop()  # trailing separators
        if len(fields) != expected:
            which = "many" if len(fields) > expected else "few"
            bad.append(
                Problem(file, line, f"too {which} fields: {len(fields)}, expected {expected}")
            )
            continue
        if any(len(value) > MAX_FIELD_CHARS for value in fields):
            bad.append(Problem(file, line, f"a field longer than {MAX_FIELD_CHARS:,} characters"))
            continue
        entry = _reference_entry(
            dict(zip(names, fields, strict=True)), names, fields, html, media, ignored
        )
        if entry is None:
            bad.append(Problem(file, line, "empty question (the first field)"))
            continue
        entry.deck_name = entry.deck_name or default_deck
        entry.question.tags = list(dict.fromkeys([*entry.question.tags, *headers.tags]))
        entry.question.line = line
        key = (deck_name or entry.deck_name, entry.question.question.casefold())
        if key in seen:
            warnings.append(
                Problem(file, line, f"same question as line {seen[key]}; skipped (as Anki does)")
            )
            continue
        seen[key] = line
        entries.append(entry)
    if bad and not skip_bad_rows:
        bad[-1] = Problem(
            bad[-1].file,
            bad[-1].line,
            bad[-1].message,
            "fix these rows, or import the others with --skip-bad-rows",
        )
        raise DeckError(bad)
    warnings.extend(Problem(p.file, p.line, f"skipped row: {p.message}") for p in bad)
    if not entries:
        raise DeckError.at(file, 1, "no questions found", "write one question per row")
    warnings.extend(separate_shared_guids(entries, file, "row"))
    loaded = Loaded(file, decks=group_decks(entries, file, deck_name), warnings=warnings)
    if ignored:
        loaded.warnings.append(ignored_metadata(file, ignored))
    if media:
        loaded.warnings.append(
            Problem(
                file,
                0,
                f"dropped {media_summary(media)} (drill shows text only; media is not imported)",
            )
        )
    return loaded


def _reference_entry(
    row: dict[str, str],
    names: list[str],
    fields: list[str],
    html: bool,
    media: Counter[str],
    ignored: Counter[str],
) -> NoteEntry | None:
    def text(name: str) -> str:
        value = row.get(name, "")
        if not value:  # most optional fields are empty
            return ""
        return from_html(value, media) if html else value.strip()

    def items(name: str) -> list[str]:
        value = row.get(name, "")
        if not value:
            return []
        if html:
            return items_from_html(value, media)
        return [re.sub(r"^- ", "", line).strip() for line in value.split("\n") if line.strip()]

    question = Question(id="", question=text("question"))
    if not question.question:
        return None
    question.why = text("why")
    question.bad_example = text("bad_example")
    question.variants, question.dos = items("variants"), items("dos")
    question.donts, question.tips = items("donts"), items("tips")
    question.short_answer = text("short_answer")
    question.red_flags, question.follow_ups = items("red_flags"), items("follow_ups")
    question.key_phrases = items("key_phrases")
    ignored.update(
        apply_metadata_fields(question, {field: text(field.lower()) for field in METADATA_FIELDS})
    )
    if html:
        question.examples = examples_from_html(row.get("examples", ""), media)
    elif row.get("examples", "").strip():
        question.examples = [Example("", row["examples"].strip())]
    extra = [
        (name[6:], from_html(value, media) if html else value.strip())
        for name, value in zip(names, fields, strict=True)
        if name.startswith("extra:")
    ]
    question.approach = appended_fields(text("approach"), extra)
    question.tags = split_tags(row.get("tags", ""))
    question.import_key = row.get("guid", "").strip() or None
    drill_deck, is_drill = None, False
    drill_id = text("id")
    if drill_id:
        deck_part, _, question_part = drill_id.rpartition("/")
        if _ID.match(question_part):
            question.id, is_drill = question_part, True
            drill_deck = deck_part if _ID.match(deck_part) else None
            if own_guid(question, drill_deck):
                question.import_key = None
    return NoteEntry(question, row.get("deck", "").strip(), drill_deck, is_drill)


# -- the comparison ---------------------------------------------------------------------------


def _outcome(path: Path, **options: object) -> Loaded | list[Problem]:
    try:
        return read_anki_text(path, **options)  # type: ignore[arg-type]
    except DeckError as exc:
        return exc.problems


def assert_same_both_ways(path: Path, monkeypatch: pytest.MonkeyPatch, **options: object) -> None:
    planned = _outcome(path, **options)
    with monkeypatch.context() as patch:
        patch.setattr(anki_text, "_rows_to_loaded", reference_rows_to_loaded)
        reference = _outcome(path, **options)
    assert planned == reference
    if isinstance(planned, Loaded):
        for deck in planned.decks:
            assert_normalized_if_marked(deck, path)


def assert_normalized_if_marked(deck: Deck, path: Path) -> None:
    """A deck the reader marks as normalized is one an import need not normalise again:
    normalize_question changes none of its questions."""
    if deck.normalized:
        for question in deck.questions:
            assert normalize_question(copy.deepcopy(question)) == question, path.read_text()


BUNDLED = sorted((ROOT / "decks").rglob("*.md"))


@pytest.mark.parametrize("deck_file", BUNDLED, ids=lambda p: p.stem)
def test_every_bundled_deck_as_anki_text_reads_the_same(
    deck_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    deck = parse_markdown(Source.read(deck_file))
    out = io.StringIO()
    write_anki_text(deck, out)
    path = tmp_path / f"{deck.id}.txt"
    path.write_text(out.getvalue(), encoding="utf-8")
    assert_same_both_ways(path, monkeypatch)
    assert [q.question for q in read_anki_text(path).decks[0].questions] == [
        q.question for q in deck.questions
    ]


def test_the_plan_reads_drills_own_export_without_the_row_dict(tmp_path: Path) -> None:
    """The reference's per-row dict is gone: a file that names a column twice still takes the
    last one, as the dict did."""
    path = tmp_path / "twice.txt"
    path.write_text(
        "#separator:tab\n#columns:Question\tApproach\tApproach\nWhy us?\tfirst\tsecond\n",
        encoding="utf-8",
    )
    (question,) = read_anki_text(path).decks[0].questions
    assert question.approach == "second"


# Field values in the shapes that take different paths: empty, plain, padded, HTML lists and
# example blocks as drill writes them, markup and entities the parser must read, media, ids,
# GUIDs (drill's own and others), metadata in and out of the vocabulary, quotes and newlines.
_WORDS = ["Why us?", "a", " padded ", "two  spaces", "Tom & Jerry", "&amp;", "[x]", "é", "\u200b"]
_VALUES = st.one_of(
    st.just(""),
    st.sampled_from(_WORDS),
    st.lists(st.sampled_from(_WORDS), max_size=3).map(
        lambda items: "<ul>" + "".join(f"<li>{i}</li>" for i in items) + "</ul>"
    ),
    st.tuples(st.sampled_from(["", "junior", "x  y"]), st.sampled_from(_WORDS)).map(
        lambda pair: '<div class="drill-example">'
        + (f'<div class="drill-label">{pair[0]}</div>' if pair[0] else "")
        + f'<div class="drill-text">{pair[1]}</div></div>'
    ),
    st.sampled_from(
        [
            "<b>bold</b> text", "line<br>break", "- one\n- two", "<img src=x.png>",
            "[sound:a.mp3]", "bench/q1", "deck/q-2", "/q3", "not an id!", "bench",
            "behavioral", "teamwork, ownership", "senior", "60-150s", "2026-01-02",
            "nonsense-type", "tag1 tag2,tag3", drill_guid("bench", "q1"), "otherguid",
            '"quoted"', "Hr::Deck",
        ]
    ),
)  # fmt: skip
_COLUMNS = st.lists(
    st.sampled_from([*anki_text.COLUMN_NAMES, "Front", "Back", "Drill id", "Mystery", "Approach"]),
    min_size=1,
    max_size=8,
)


def _tsv(value: str) -> str:
    return '"' + value.replace('"', '""') + '"' if any(c in value for c in '\t\n"') else value


@st.composite
def anki_files(draw: st.DrawFn) -> str:
    columns = draw(_COLUMNS)
    if "question" not in {anki_text.column_name(c) for c in columns}:
        columns = ["Question", *columns]
    lines = ["#separator:tab"]
    html = draw(st.sampled_from(["#html:true", "#html:false", None]))
    if html:
        lines.append(html)
    if draw(st.booleans()):
        lines.append("#tags:from-header other")
    if draw(st.booleans()):
        lines.append("#deck:Header deck")
    lines.append("#columns:" + "\t".join(columns))
    # Mostly rows of the right width, some too short or too long.
    width = st.one_of(st.just(len(columns)), st.integers(0, len(columns) + 1))
    rows = draw(
        st.lists(width.flatmap(lambda n: st.lists(_VALUES, min_size=n, max_size=n)), max_size=8)
    )
    for row in rows:
        lines.append("\t".join(_tsv(value) for value in row))
    return "\n".join(lines) + "\n"


@pytest.mark.slow
@settings(
    derandomize=True,
    max_examples=400,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    text=anki_files(), skip_bad_rows=st.booleans(), deck_name=st.sampled_from([None, "Chosen deck"])
)
def test_generated_files_read_the_same(
    text: str,
    skip_bad_rows: bool,
    deck_name: str | None,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    path = tmp_path / "generated.txt"
    path.write_text(text, encoding="utf-8")
    assert_same_both_ways(path, monkeypatch, deck_name=deck_name, skip_bad_rows=skip_bad_rows)


def _guid_before(deck_id: str, question_id: str) -> str:
    """drill_guid as it was, one base-91 digit a step."""
    digest = hashlib.sha256(f"drill:{deck_id}/{question_id}".encode()).digest()
    number = int.from_bytes(digest[:8], "big")
    out = ""
    while number:
        number, rest = divmod(number, len(_GUID_CHARS))
        out = _GUID_CHARS[rest] + out
    return out or _GUID_CHARS[0]


def test_guids_are_the_ones_drill_always_gave() -> None:
    """Two digits a step give the same GUIDs (a changed GUID would orphan notes in Anki)."""
    pairs = [(f"deck-{n % 13}", f"q{n}") for n in range(20_000)]
    assert [drill_guid(d, q) for d, q in pairs] == [_guid_before(d, q) for d, q in pairs]
    lengths = {len(drill_guid(d, q)) for d, q in pairs}
    assert lengths >= {9, 10}  # both an even and an odd number of digits


# -- rows read whole: drill's own export of plain text -----------------------------------------

_PLAIN_WORDS = ["Why us?", "a", " padded ", " lead", "trail ", "é", "x|y", "a - b", "C#", "'q'", ""]
_PLAIN_TEXT = st.sampled_from(_PLAIN_WORDS)
_PLAIN_LIST = st.one_of(
    _PLAIN_TEXT,
    st.lists(_PLAIN_TEXT, min_size=1, max_size=4).map(
        lambda items: "<ul>" + "".join(f"<li>{i}</li>" for i in items) + "</ul>"
    ),
)
_PLAIN_EXAMPLES = st.one_of(
    _PLAIN_TEXT,
    st.lists(
        st.tuples(_PLAIN_TEXT, _PLAIN_TEXT.filter(lambda text: text.strip())),
        min_size=1,
        max_size=3,
    ).map(
        lambda pairs: "".join(
            '<div class="drill-example">'
            + (f'<div class="drill-label">{label}</div>' if label else "")
            + f'<div class="drill-text">{text}</div></div>'
            for label, text in pairs
        )
    ),
)
_PLAIN_BY_COLUMN = {
    "variants": _PLAIN_LIST,
    "dos": _PLAIN_LIST,
    "donts": _PLAIN_LIST,
    "tips": _PLAIN_LIST,
    "red_flags": _PLAIN_LIST,
    "follow_ups": _PLAIN_LIST,
    "key_phrases": _PLAIN_LIST,
    "examples": _PLAIN_EXAMPLES,
    "id": st.sampled_from(["bench/q1", "q-2", "", "a/b/c"]),
    "guid": st.sampled_from([drill_guid("bench", "q1"), "otherguid", ""]),
    "tags": st.sampled_from(["", "tag1 tag2,tag3", " x  y "]),
    "type": st.sampled_from(["", "", "", "behavioral", "nonsense-type"]),
    "level": st.sampled_from(["", "", "", "senior"]),
    "competencies": st.sampled_from(["", "", "", "teamwork, ownership"]),
    "length": st.sampled_from(["", "", "", "60-150s"]),
    "reviewed": st.sampled_from(["", "", "", "2026-01-02"]),
    "deck": st.sampled_from(["", "Hr::Deck", "Other"]),
}
_EXPORT_COLUMNS = ["Question", *(c for c in anki_text.COLUMN_NAMES if c != "question"), "Extra"]


@st.composite
def plain_export_files(draw: st.DrawFn) -> str:
    """Files in the shape of drill's own export, every field plain text or a flat list of
    it, and example blocks with text: each row can be read whole."""
    if draw(st.booleans()):  # exactly the columns drill's export writes (header as it writes)
        columns = [*FIELDS, "guid", "tags"]
        lines = ["#separator:tab", "#html:true", "#notetype:drill interview question"]
        lines += ["#columns:" + "\t".join(columns), "#guid column:20", "#tags column:21"]
    else:
        columns = ["Question", *draw(st.lists(st.sampled_from(_EXPORT_COLUMNS[1:]), max_size=10))]
        lines = ["#separator:tab", "#html:true", "#columns:" + "\t".join(columns)]
    names = [anki_text.column_name(c) or "extra" for c in columns]
    if draw(st.booleans()):
        lines.append("#tags:from-header other")
    for number in range(draw(st.integers(1, 6))):
        question = draw(st.sampled_from(["Why us?", " Tell me more ", "é?", "x|y"]))
        row = [f"{question.rstrip()} {number}"]
        metadata = draw(st.integers(0, 3)) == 0  # most rows have none, as most decks
        row += [
            draw(_PLAIN_BY_COLUMN.get(name, _PLAIN_TEXT))
            if metadata or name.capitalize() not in METADATA_FIELDS
            else ""
            for name in names[1:]
        ]
        lines.append("\t".join(_tsv(value) for value in row))
    return "\n".join(lines) + "\n"


@pytest.mark.slow
@settings(
    derandomize=True,
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(text=plain_export_files(), deck_name=st.sampled_from([None, "Chosen deck"]))
def test_plain_rows_are_read_whole_and_marked_normalized(
    text: str, deck_name: str | None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "plain.txt"
    path.write_text(text, encoding="utf-8")
    assert_same_both_ways(path, monkeypatch, deck_name=deck_name)
    with monkeypatch.context() as patch:
        patch.setattr(anki_text._RowPlan, "_by_field", None)  # not read field by field
        decks = read_anki_text(path, deck_name=deck_name).decks
    assert all(deck.normalized for deck in decks), text


def test_a_row_read_field_by_field_leaves_its_deck_to_be_normalized(tmp_path: Path) -> None:
    """Markup, or an example with a label and no text, is read by the field readers; the
    deck holding such a row is not marked, the others in the file (a list field of plain
    text is one item) are."""
    path = tmp_path / "mixed.txt"
    path.write_text(
        "#separator:tab\n#html:true\n#columns:Question\tExamples\tDo\tDeck\n"
        "Plain?\tAn example.\t<ul><li>a</li><li>b</li></ul>\tA\n"
        "Also <b>plain</b>?\t\t\tB\n"
        'Labelled?\t"<div class=""drill-example""><div class=""drill-label"">x</div>'
        '<div class=""drill-text""></div></div>"\t\tC\n'
        "One item?\t\tan item\tD\n",
        encoding="utf-8",
    )
    decks = read_anki_text(path).decks
    assert [(deck.name, deck.normalized) for deck in decks] == [
        ("A", True),
        ("B", False),
        ("C", False),
        ("D", True),
    ]
    assert decks[0].questions[0].dos == ["a", "b"]
    assert decks[2].questions[0].examples == [Example("x", "")]  # kept, as before
    assert decks[3].questions[0].dos == ["an item"]


def _split_tags_before(text: str) -> list[str]:
    """split_tags as it was: a regex split at runs of whitespace and commas."""
    seen: dict[str, None] = {}
    clean = text if text.isprintable() else strip_control_chars(text)
    for tag in re.split(r"[\s,]+", clean):
        if tag:
            seen.setdefault(tag, None)
    return list(seen)


@settings(derandomize=True, max_examples=500, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            ["a", "b", "é", " ", ",", ",,", "\t", "\n", "\xa0", "\u2003", "\x1c", "\x85", "\u200b",
             "\x07", "\u2028", "a::b", "-"]
        ),
        max_size=10,
    ).map("".join)
)  # fmt: skip
def test_tags_split_as_they_always_were(text: str) -> None:
    assert split_tags(text) == _split_tags_before(text)


def test_drills_own_export_of_plain_questions_is_read_column_by_column(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The file an import of thousands of rows most likely is, drill's export of a deck in
    plain words, takes the written-out path for drill's columns on every row."""
    questions = [
        Question(
            id=f"q{n}",
            question=f"Tell me about project {n}?",
            variants=[f"Describe project {n}."],
            why="They want judgement.",
            approach="Use STAR.",
            dos=["Be specific.", "Quantify it."],
            donts=["Ramble."],
            examples=[Example("experienced", f"I led project {n}.")],
            tips=["Practise out loud."],
            tags=["bench", "team"],
        )
        for n in range(30)
    ]
    out = io.StringIO()
    write_anki_text(Deck(id="bench", name="Bench", questions=questions), out)
    path = tmp_path / "bench.txt"
    path.write_text(out.getvalue(), encoding="utf-8")
    assert_same_both_ways(path, monkeypatch)
    with monkeypatch.context() as patch:
        patch.setattr(anki_text._RowPlan, "_html_row", None)
        patch.setattr(anki_text._RowPlan, "_by_field", None)
        (deck,) = read_anki_text(path).decks
    assert deck.normalized
    assert [(q.id, q.import_key) for q in deck.questions] == [(f"q{n}", None) for n in range(30)]
    assert [q.content_dict() for q in deck.questions] == [q.content_dict() for q in questions]


def test_drills_own_export_with_a_label_and_no_text_keeps_it_and_is_not_marked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An example with a label and no text is kept, as it always was, and its deck is left
    for the import to normalise (which drops it)."""
    questions = [
        Question(id="q1", question="Why us?", examples=[Example("x", "")]),
        Question(id="q2", question="Why now?", examples=[Example("", "Because.")]),
    ]
    out = io.StringIO()
    write_anki_text(Deck(id="bench", name="Bench", questions=questions), out)
    path = tmp_path / "bench.txt"
    path.write_text(out.getvalue(), encoding="utf-8")
    assert_same_both_ways(path, monkeypatch)
    (deck,) = read_anki_text(path).decks
    assert not deck.normalized
    assert [q.examples for q in deck.questions] == [[Example("x", "")], [Example("", "Because.")]]


@pytest.mark.parametrize(
    "dos",
    [
        "<ul><li>a</li><li> lead</li></ul>",
        "<ul><li>trail </li><li>b</li></ul>",
        "<ul><li>a</li><li></li><li>b</li></ul>",
        "<ul><li></li></ul>",
        "<ul><li>x|y</li><li>z</li></ul>",
        "one item",
    ],
)
def test_list_items_in_drills_columns_are_trimmed_as_the_field_reader_trims_them(
    dos: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    columns = [*FIELDS, "guid", "tags"]
    row = ["Why us?", "<ul><li>Why here?</li></ul>", *[""] * 19]
    row[columns.index("Do")] = dos
    path = tmp_path / "edges.txt"
    path.write_text(
        "#separator:tab\n#html:true\n#columns:" + "\t".join(columns) + "\n"
        "#guid column:20\n#tags column:21\n" + "\t".join(row) + "\n",
        encoding="utf-8",
    )
    assert_same_both_ways(path, monkeypatch)
