"""Anki text exports and plain CSV/TSV: headers, quoting, column mapping, bad rows, detection."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from drill.cli.main import cli
from drill.core.model import Example
from drill.errors import DeckError
from drill.io.anki.text import looks_like_anki_text, read_anki_text
from drill.io.anki.writer import write_anki_text
from drill.io.markdown.deck import parse_markdown
from drill.io.registry import detect, read_file
from drill.io.source import Source
from drill.library.importing import import_files
from tests.helpers import NOW


def write(tmp_path: Path, text: str, name: str = "cards.txt", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def questions(loaded):
    return [q for deck in loaded.decks for q in deck.questions]


EVERY_HEADER = (
    "#separator:Semicolon;;;\n"
    "#html:true;;;\n"
    "#tags:anki imported;;\n"
    "#columns:GUID;Deck;Notetype;Front;Back;Tags\n"
    "#deck:Ignored because of the deck column;;\n"
    "#notetype:Basic;;\n"
    "#guid column:1;;\n"
    "#deck column:2\n"
    "#notetype column:3;\n"
    "#tags column:6;;;\n"
    "# a comment\n"
    'g1;Interviews::HR;Basic;Why <b>us</b>?;"Because &amp; more<br>and more";culture fit\n'
    '"g2";Interviews::HR;Basic;"Say ""hi""";"Line one\n'
    'line two";\n'
    "g3;;Basic;Strengths?;<ul><li>Focus</li></ul>;\n"
)


def test_every_header(tmp_path):
    loaded = read_anki_text(write(tmp_path, EVERY_HEADER))
    assert [(d.id, d.name) for d in loaded.decks] == [
        ("interviews-hr", "Interviews::HR"),
        ("ignored-because-of-the-deck-column", "Ignored because of the deck column"),
    ]
    why, hi, strengths = questions(loaded)
    assert (why.question, why.approach, why.import_key) == (
        "Why **us**?",
        "Because & more\nand more",
        "g1",
    )
    assert why.tags == ["culture", "fit", "anki", "imported"]
    assert (hi.question, hi.approach, hi.line) == ('Say "hi"', "Line one line two", 13)
    assert (strengths.question, strengths.approach, strengths.line) == ("Strengths?", "- Focus", 15)
    assert strengths.tags == ["anki", "imported"]


@pytest.mark.parametrize(
    ("header", "sep"),
    [
        ("Comma", ","),
        ("comma,,,", ","),
        ("Tab", "\t"),
        ("tab\t\t", "\t"),
        ("Pipe", "|"),
        ("|", "|"),
        ("Colon", ":"),
        (":", ":"),
        ("Space", " "),
        (" ", " "),
        (";", ";"),
        ("\t", "\t"),
    ],
)
def test_separators(tmp_path, header, sep):
    path = write(tmp_path, f"#separator:{header}\n#html:false\nQ1{sep}A1\nQ2{sep}A2\n")
    assert [(q.question, q.approach) for q in questions(read_anki_text(path))] == [
        ("Q1", "A1"),
        ("Q2", "A2"),
    ]


def test_unknown_separator(tmp_path):
    with pytest.raises(DeckError, match=r"cards.txt:1: unknown separator 'Slash'"):
        read_anki_text(write(tmp_path, "#separator:Slash\na/b\n"))


def test_plain_csv_with_quotes_bom_and_crlf(tmp_path):
    text = (
        '\ufeffquestion one,"approach, with comma"\r\n'
        '"multi\r\nline question","say ""yes"""\r\n'
        "third,\r\n"
    )
    loaded = read_anki_text(write(tmp_path, text, "plain.csv"))
    assert loaded.decks[0].name == "plain"
    assert [(q.question, q.approach, q.line) for q in questions(loaded)] == [
        ("question one", "approach, with comma", 1),
        ("multi\nline question", 'say "yes"', 2),
        ("third", "", 4),
    ]


def test_tsv_third_column_is_tags(tmp_path):
    loaded = read_anki_text(write(tmp_path, "a\tb\tx y\nc\td\t\n", "t.tsv"))
    assert [(q.question, q.approach, q.tags) for q in questions(loaded)] == [
        ("a", "b", ["x", "y"]),
        ("c", "d", []),
    ]


def test_columns_option(tmp_path):
    path = write(tmp_path, "Q?,Do it,Because,tag1 tag2,ignored\n", "q.csv")
    with pytest.raises(DeckError, match="5 fields and no column names"):
        read_anki_text(path)
    loaded = read_anki_text(path, columns="question,approach,why,tags,ignore")
    (q,) = questions(loaded)
    assert (q.question, q.approach, q.why, q.tags) == ("Q?", "Do it", "Because", ["tag1", "tag2"])
    with pytest.raises(DeckError, match="--columns: unknown column 'wat'"):
        read_anki_text(path, columns="question,wat")


def test_columns_by_drill_field_names(tmp_path):
    text = (
        "#separator:tab\n#html:false\n"
        "#columns:Question\tVariants\tWhy they ask\tDo\tDon't\tExamples\tBad example\tTips\tExtra\n"
        "Q?\tv1\nv2\tbecause\t- do\tdont\tex\tbad\ttip\tmore\n"
    )
    text = text.replace("v1\nv2", '"v1\nv2"')
    (q,) = questions(read_anki_text(write(tmp_path, text)))
    assert q.variants == ["v1", "v2"]
    assert (q.why, q.dos, q.donts, q.tips, q.bad_example) == (
        "because",
        ["do"],
        ["dont"],
        ["tip"],
        "bad",
    )
    assert q.examples == [Example("", "ex")]
    assert q.approach == "**Extra:** more"


BAD_ROWS = "#separator:tab\nok\tfine\ntoo\tmany\tfields\nfew\n\tempty question\nlast\tone\n"


def test_bad_rows_are_all_or_nothing(tmp_path):
    path = write(tmp_path, BAD_ROWS)
    with pytest.raises(DeckError) as caught:
        read_anki_text(path)
    assert [str(p) for p in caught.value.problems] == [
        f"{path}:3: too many fields: 3, expected 2",
        f"{path}:4: too few fields: 1, expected 2",
        f"{path}:5: empty question (the first field) "
        "(fix these rows, or import the others with --skip-bad-rows)",
    ]


def test_skip_bad_rows(tmp_path):
    path = write(tmp_path, BAD_ROWS)
    loaded = read_anki_text(path, skip_bad_rows=True)
    assert [q.question for q in questions(loaded)] == ["ok", "last"]
    assert [str(w) for w in loaded.warnings] == [
        f"{path}:3: skipped row: too many fields: 3, expected 2",
        f"{path}:4: skipped row: too few fields: 1, expected 2",
        f"{path}:5: skipped row: empty question (the first field)",
    ]


def test_duplicates_are_skipped_with_a_warning(tmp_path):
    path = write(tmp_path, "#separator:tab\nSame?\ta\nother\tb\nsame?\tc\n")
    loaded = read_anki_text(path)
    assert [q.approach for q in questions(loaded)] == ["a", "b"]
    assert [str(w) for w in loaded.warnings] == [
        f"{path}:4: same question as line 2; skipped (as Anki does)"
    ]


def test_unterminated_quote(tmp_path):
    with pytest.raises(DeckError, match=r"cards.csv:2: a quoted field is never closed"):
        read_anki_text(write(tmp_path, 'a,b\n"open,c\nd,e\n', "cards.csv"))


def test_html_is_detected_and_media_dropped(tmp_path):
    path = write(tmp_path, "#separator:tab\nQ<br>two\t<img src=a.png>[sound:x.mp3]A\n")
    loaded = read_anki_text(path)
    assert [(q.question, q.approach) for q in questions(loaded)] == [("Q\ntwo", "A")]
    assert [str(w) for w in loaded.warnings] == [
        f"{path}: dropped 1 image and 1 sound (drill shows text only; media is not imported)"
    ]
    plain = read_anki_text(write(tmp_path, "#html:false\n#separator:tab\na<b>\tb&amp;\n", "p.txt"))
    assert [(q.question, q.approach) for q in questions(plain)] == [("a<b>", "b&amp;")]


def test_control_characters_are_stripped(tmp_path):
    path = write(tmp_path, "#separator:tab\nQ\x1b[2J?\tA\x07\n")
    assert [(q.question, q.approach) for q in questions(read_anki_text(path))] == [("Q[2J?", "A")]


def test_not_utf8(tmp_path):
    with pytest.raises(DeckError, match="not UTF-8"):
        read_anki_text(write(tmp_path, "caf\xe9\tx\n", encoding="latin-1"))


def test_guid_updates_instead_of_duplicating(db, tmp_path):
    first = write(tmp_path, "#separator:tab\n#guid column:1\nG1\tOld question?\tA\n", "v1.txt")
    second = write(tmp_path, "#separator:tab\n#guid column:1\nG1\tNew question?\tB\n", "v2.txt")
    import_files(db, [read_anki_text(first, "Deck")], NOW)
    report = import_files(db, [read_anki_text(second, "Deck")], NOW)
    assert (report.decks[0].added, report.decks[0].updated) == (0, 1)
    rows = db.execute("SELECT id, question, approach FROM questions").fetchall()
    assert rows == [("old-question", "New question?", "B")]


# -- detection -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "text", "fmt"),
    [
        ("a.txt", "#separator:tab\nq\ta\n", "anki-txt"),
        ("a.txt", "#html:true\nq,a\n", "anki-txt"),
        ("a.txt", "#columns:Front\tBack\nq\ta\n", "anki-txt"),
        ("a.txt", "tags:x\nq\ta\n", "anki-txt"),
        ("a.txt", "# comment\nq1\ta1\nq2\ta2\nthird line without tab\n", "anki-txt"),
        ("a.txt", "q1,a1\nq2,a2\n", "anki-txt"),
        ("a.txt", "Tell me about yourself.\nWhy this job?\n", "list"),
        ("a.txt", "Why, in your view, does this matter?\nWhat is hard?\n", "list"),
        ("a.txt", "What are your strengths, and weaknesses?\n", "list"),
        ("a.csv", "just one column\n", "anki-txt"),
        ("a.tsv", "q\ta\n", "anki-txt"),
        (
            "a.csv",
            "card_id,review_time,review_rating,review_state,review_duration,deck,"
            "question_id,kind\n",
            "reviews",
        ),
    ],
)
def test_detection(tmp_path, name, text, fmt):
    path = write(tmp_path, text, name)
    assert detect(path, path.read_bytes()).name == fmt


def test_article_still_wins(tmp_path):
    article = Path(__file__).parent / "data" / "article_sample.txt"
    assert detect(article, article.read_bytes()[:8192]).name == "article"


def test_sniffer_ignores_a_cut_last_line():
    head = ("q\ta\n" * 3000).encode()[:8192]
    assert looks_like_anki_text(head)


def test_options_reach_only_anki_text(tmp_path):
    md = write(tmp_path, "# Deck\n\n## Q?\n", "deck.md")
    with pytest.raises(DeckError, match="--columns does not apply to md files"):
        read_file(md, options={"columns": "question"})
    assert len(read_file(md, options={"columns": None, "skip_bad_rows": False}).decks) == 1


def test_cli_columns_and_skip_bad_rows(tmp_path):
    env = {
        "DRILL_DB": str(tmp_path / "drill.db"),
        "DRILL_NOW": "2026-01-05T10:00:00+00:00",
        "DRILL_NO_BUNDLED": "1",
    }
    runner = CliRunner()
    path = write(tmp_path, "Q1?,A1,Because\nQ2?,A2\nQ3?,A3,Why\n", "qs.csv")
    result = runner.invoke(
        cli, ["import", str(path), "--columns", "question,approach,why"], env=env
    )
    assert result.exit_code == 1
    assert result.stderr.startswith(f"{path}:2: too few fields: 2, expected 3")
    result = runner.invoke(
        cli,
        ["import", str(path), "--columns", "question,approach,why", "--skip-bad-rows"],
        env=env,
    )
    assert result.exit_code == 0, result.output
    assert "qs: 2 added" in result.stdout
    assert f"warning: {path}:2: skipped row: too few fields: 2, expected 3" in result.stderr
    exported = runner.invoke(cli, ["export", "deck", "qs", "--format", "json"], env=env)
    data = json.loads(exported.stdout)
    assert [(q["question"], q["why"]) for q in data["questions"]] == [
        ("Q1?", "Because"),
        ("Q3?", "Why"),
    ]


def test_the_csv_module_reads_records_exactly_as_the_hand_parser():
    """`_fast_records` (the csv module, strict) gives what `_records` gives, or steps aside
    to it: on random texts of quotes, doubled quotes, separators, comments and newlines.
    """
    import random

    from drill.io.anki.text import _fast_records, _records, _Unterminated

    def outcome(read, text, sep):
        try:
            return list(read(text, sep, 3))
        except _Unterminated as exc:
            return ("unterminated", exc.line)

    pieces = ["a", "b c", '"q"', '"q""x"', '"multi\nline"', "#c", "", " ", '"x"y', '"open']
    pieces += ["\t", ",", "\n", "\n\n", "#comment\n", "é", '""', '"a\tb"', "\r\n", "\r"]
    rng = random.Random(2)
    for _ in range(5000):
        sep = rng.choice(["\t", ",", ";"])
        text = "".join(rng.choice(pieces) for _ in range(rng.randrange(0, 14)))
        assert outcome(_fast_records, text, sep) == outcome(_records, text, sep), (text, sep)


def test_records_read_line_by_line_are_the_hand_parsers():
    """`_line_records` (str.split per line) gives what `_records` gives, or steps aside with
    None: on random texts of quotes, doubled quotes, separators, comments, newlines and wide
    lines. Where it steps aside, `_fast_records` reads the text."""
    import random

    from drill.io.anki.text import MAX_COLUMNS, _line_records, _records, _TooWide, _Unterminated

    pieces = ["a", "b c", '"q"', '"q""x"', '"multi\nline"', "#c", "", " ", '"x"y', '"open']
    pieces += ["\t", ",", "\n", "\n\n", "#comment\n", "é", '""', '"a\tb"', '"""', '"a"""']
    pieces += ['x"y', '""""', "\t" * (MAX_COLUMNS - 2), '"\t"', "\r", "\x00"]
    rng = random.Random(3)
    stepped_aside = read = 0
    for _ in range(5000):
        sep = rng.choice(["\t", ",", ";"])
        text = "".join(rng.choice(pieces) for _ in range(rng.randrange(0, 14)))
        lines = _line_records(text.split("\n"), sep, 3)
        if lines is None:
            stepped_aside += 1
            continue
        read += 1
        try:
            expected = list(_records(text, sep, 3))
        except (_Unterminated, _TooWide):
            raise AssertionError(f"read what the hand parser refuses: {text!r}") from None
        assert lines == expected, (text, sep)
    assert read > 1000 and stepped_aside > 1000  # both ways taken


def test_drills_own_export_is_read_line_by_line(tmp_path):
    from drill.io.anki.text import _header_count, _line_records

    deck = parse_markdown(Source.read(Path(__file__).parents[1] / "decks" / "about-you.md"))
    out = io.StringIO()
    write_anki_text(deck, out)
    lines = out.getvalue().split("\n")
    count = _header_count(lines)
    records = _line_records(lines[count:], "\t", count + 1)
    assert records is not None and len(records) == len(deck.questions)


def test_a_field_over_the_cap_is_found_whether_on_one_line_or_several(tmp_path):
    """Rows read one a line skip the length check only when no line is over the cap."""
    half = "x" * 60_000
    for body in (f'front\t"{half}\n{half}"\n', f"front\t{half}{half}\n"):
        path = tmp_path / "long.txt"
        path.write_text(f"#separator:tab\nshort\tback\n{body}", encoding="utf-8")
        with pytest.raises(DeckError) as raised:
            read_anki_text(path)
        assert [(p.line, p.message) for p in raised.value.problems] == [
            (3, "a field longer than 100,000 characters")
        ]
        loaded = read_anki_text(path, skip_bad_rows=True)
        assert [q.question for q in loaded.decks[0].questions] == ["short"]
