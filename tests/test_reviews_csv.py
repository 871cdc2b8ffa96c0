"""The review history reader: CSV and JSON from `drill export reviews`, errors, sniffing."""

from __future__ import annotations

import io
import json

import pytest

from drill.core.model import CardKind, Rating
from drill.errors import DeckError
from drill.io import registry
from drill.io.reviews_csv import (
    COLUMNS,
    MAX_PROBLEMS,
    looks_like_reviews_csv,
    looks_like_reviews_json,
    read_reviews,
)
from drill.library.exports import REVIEW_COLUMNS, write_csv, write_json_array

HEADER = ",".join(REVIEW_COLUMNS)
T0 = 1767607200000  # 2026-01-05T10:00:00Z


def rows(*lines: str) -> str:
    return HEADER + "\n" + "\n".join(lines) + "\n"


def write(tmp_path, text: str, name: str = "history.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def problems(exc: pytest.ExceptionInfo[DeckError]) -> list[str]:
    return [str(p) for p in exc.value.problems]


def test_columns_match_the_export():
    assert COLUMNS == REVIEW_COLUMNS


def test_reads_what_the_export_writes(tmp_path):
    exported = [
        {
            "card_id": 7,
            "review_time": T0,
            "review_rating": 3,
            "review_state": 0,
            "review_duration": 4200,
            "deck": "sample-deck",
            "question_id": "career-goals",
            "kind": "rehearse",
        },
        {
            "card_id": None,
            "review_time": T0 + 600_000,
            "review_rating": 1,
            "review_state": 1,
            "review_duration": None,
            "deck": "sample-deck",
            "question_id": "career-goals",
            "kind": "why",
        },
    ]
    out = io.StringIO()
    write_csv(exported, REVIEW_COLUMNS, out)
    path = write(tmp_path, out.getvalue())
    loaded = read_reviews(path)
    assert loaded.file == str(path)
    assert loaded.decks == []
    first, second = loaded.history
    assert (first.deck, first.question_id, first.kind) == (
        "sample-deck",
        "career-goals",
        "rehearse",
    )
    assert first.kind is CardKind.REHEARSE
    assert (first.review_time, first.rating, first.duration_ms, first.card_id) == (
        T0,
        Rating.GOOD,
        4200,
        7,
    )
    assert (first.file, first.line) == (str(path), 2)
    assert (second.rating, second.duration_ms, second.card_id, second.line) == (
        Rating.AGAIN,
        None,
        None,
        3,
    )
    assert second.kind is CardKind.WHY


def test_iso_times_with_offset_are_accepted(tmp_path):
    path = write(
        tmp_path,
        rows(
            ",2026-01-05T10:00:00Z,3,0,,d,q,rehearse",
            ",2026-01-05T12:00:00+02:00,4,0,,d,q,why",
            ",2026-01-05T10:00:00.250000+00:00,2,0,,d,q,dos",
        ),
    )
    times = [r.review_time for r in read_reviews(path).history]
    assert times == [T0, T0, T0 + 250]


def test_every_problem_is_reported_with_its_line(tmp_path):
    path = write(
        tmp_path,
        rows(
            "1,1767607200000,5,0,,d,q,rehearse",  # 2: rating out of range
            "1,yesterday,3,0,,d,q,rehearse",  # 3: unreadable time
            "1,2026-01-05T10:00:00,3,0,,d,q,rehearse",  # 4: ISO without offset
            "1,1767607200000,3,0,,d,q,summary",  # 5: bad kind
            "1,1767607200000,3,0,,,q,rehearse",  # 6: empty deck
            "1,1767607200000,3,0,,d,,rehearse",  # 7: empty question id
            "1,1767607200000,good,0,,d,q,rehearse",  # 8: rating by name is not 1-4
            "1,1767607200.5,3,0,,d,q,rehearse",  # 9: fractional ms
            "1,1767607200,3,0,,d,q,rehearse",  # 10: seconds, not ms
            "x,1767607200000,3,0,,d,q,rehearse",  # 11: card id not a number
            "1,1767607200000,3,0,-5,d,q,rehearse",  # 12: negative duration
            "1,1767607200000,3,0,,d,q",  # 13: short row
            "1,1767607200000,3,0,,d,q,rehearse",  # 14: fine
        ),
    )
    with pytest.raises(DeckError) as exc:
        read_reviews(path)
    lines = [p.line for p in exc.value.problems]
    assert lines == list(range(2, 14))
    text = "\n".join(problems(exc))
    f = str(path)
    assert f"{f}:2: invalid review_rating '5'" in text
    assert f"{f}:3: cannot read review_time 'yesterday'" in text
    assert f"{f}:4: cannot read review_time '2026-01-05T10:00:00'" in text
    assert f"{f}:5: unknown kind 'summary'" in text
    assert f"{f}:6: deck is empty" in text
    assert f"{f}:7: question_id is empty" in text
    assert f"{f}:8: invalid review_rating 'good'" in text
    assert f"{f}:9: cannot read review_time '1767607200.5'" in text
    assert f"{f}:10: review_time 1767607200 is before 2000" in text
    assert "not seconds" in text
    assert f"{f}:11: card_id 'x' is not a whole number" in text
    assert f"{f}:12: review_duration -5 is negative" in text
    assert f"{f}:13: 7 fields where the header has 8" in text


def test_one_row_with_several_problems_reports_each(tmp_path):
    path = write(tmp_path, rows("1,never,0,0,,,q,card"))
    with pytest.raises(DeckError) as exc:
        read_reviews(path)
    assert [p.line for p in exc.value.problems] == [2, 2, 2, 2]


def test_missing_columns_are_named(tmp_path):
    path = write(tmp_path, "card_id,review_time,deck,question_id\n1,1767607200000,d,q\n")
    with pytest.raises(DeckError) as exc:
        read_reviews(path)
    [message] = problems(exc)
    assert message.startswith(f"{path}:1: missing columns: review_rating, kind")


def test_optional_columns_may_be_missing_and_order_is_free(tmp_path):
    path = write(
        tmp_path, "kind,question_id,deck,review_rating,review_time\nwhy,q,d,2,1767607200000\n"
    )
    [review] = read_reviews(path).history
    assert (review.kind, review.rating, review.card_id, review.duration_ms) == (
        CardKind.WHY,
        Rating.HARD,
        None,
        None,
    )


def test_review_state_is_informational(tmp_path):
    path = write(tmp_path, rows("1,1767607200000,3,banana,,d,q,rehearse"))
    assert len(read_reviews(path).history) == 1


def test_control_characters_are_stripped_from_text_fields(tmp_path):
    path = write(tmp_path, rows("1,1767607200000,3,0,,d\x1b[31m,q\x07,rehearse"))
    [review] = read_reviews(path).history
    assert (review.deck, review.question_id) == ("d[31m", "q")


def test_line_numbers_follow_quoted_newlines_and_blank_lines(tmp_path):
    path = write(
        tmp_path,
        rows(
            '1,1767607200000,3,0,,d,"multi\nline",rehearse',
            "",
            "1,1767607200000,9,0,,d,q,rehearse",
        ),
    )
    with pytest.raises(DeckError) as exc:
        read_reviews(path)
    assert [p.line for p in exc.value.problems] == [5]


def test_problems_are_capped_with_a_count(tmp_path):
    bad = ["1,1767607200000,9,0,,d,q,rehearse"] * (MAX_PROBLEMS + 7)
    path = write(tmp_path, rows(*bad))
    with pytest.raises(DeckError) as exc:
        read_reviews(path)
    assert len(exc.value.problems) == MAX_PROBLEMS + 1
    assert str(exc.value.problems[-1]) == f"{path}: and 7 more problems"


def test_not_utf8(tmp_path):
    path = tmp_path / "history.csv"
    path.write_bytes((HEADER + "\n1,1767607200000,3,0,,d\xff,q,rehearse\n").encode("latin-1"))
    with pytest.raises(DeckError) as exc:
        read_reviews(path)
    assert "not UTF-8" in problems(exc)[0]


def test_header_only_is_an_empty_history(tmp_path):
    assert read_reviews(write(tmp_path, HEADER + "\n")).history == []


def test_deck_name_moves_every_review_to_that_deck(tmp_path):
    path = write(tmp_path, rows("1,1767607200000,3,0,,old-name,q,rehearse"))
    [review] = read_reviews(path, "My New Deck").history
    assert review.deck == "my-new-deck"
    two = write(
        tmp_path,
        rows("1,1767607200000,3,0,,a,q,rehearse", "2,1767607200000,3,0,,b,q,rehearse"),
        "two.csv",
    )
    with pytest.raises(DeckError, match="reviews of 2 decks"):
        read_reviews(two, "New")


# -- JSON -----------------------------------------------------------------------------------


def export_json(items: list[dict]) -> str:
    out = io.StringIO()
    write_json_array(items, out)
    return out.getvalue()


def review_dict(**changes):
    base = {
        "card_id": 1,
        "review_time": T0,
        "review_rating": 3,
        "review_state": 0,
        "review_duration": None,
        "deck": "d",
        "question_id": "q",
        "kind": "rehearse",
    }
    return {**base, **changes}


def test_json_array_as_exported(tmp_path):
    text = export_json([review_dict(), review_dict(review_time=T0 + 1000, review_rating=4)])
    path = write(tmp_path, text, "history.json")
    first, second = read_reviews(path).history
    assert (first.line, second.line) == (2, 3)
    assert (second.review_time, second.rating) == (T0 + 1000, Rating.EASY)


def test_json_errors_have_lines(tmp_path):
    text = export_json(
        [
            review_dict(),
            review_dict(review_rating=0),
            review_dict(kind="nope", review_time="2026-01-05"),
            review_dict(deck=None),
        ]
    )
    path = write(tmp_path, text, "history.json")
    with pytest.raises(DeckError) as exc:
        read_reviews(path)
    assert [p.line for p in exc.value.problems] == [3, 4, 4, 5]


def test_json_in_any_layout_and_invalid_json(tmp_path):
    pretty = json.dumps([review_dict(), review_dict(review_rating="x")], indent=4)
    path = write(tmp_path, pretty, "pretty.json")
    with pytest.raises(DeckError) as exc:
        read_reviews(path)
    [problem] = exc.value.problems
    assert problem.line == pretty.split("\n").index("    {", 2) + 1

    broken = write(tmp_path, '[\n  {"deck": "d",\n', "broken.json")
    with pytest.raises(DeckError) as exc:
        read_reviews(broken)
    assert "invalid JSON" in problems(exc)[0]
    assert exc.value.problems[0].line == 3  # where the text ran out

    not_objects = write(tmp_path, "[1, 2]", "numbers.json")
    with pytest.raises(DeckError, match="must be a JSON object"):
        read_reviews(not_objects)


# -- sniffing -------------------------------------------------------------------------------


def test_sniffers():
    assert looks_like_reviews_csv((HEADER + "\n").encode())
    assert looks_like_reviews_csv(b"\xef\xbb\xbf" + HEADER.encode() + b"\r\n1,2")
    shuffled = ",".join(reversed(REVIEW_COLUMNS))
    assert looks_like_reviews_csv(shuffled.encode())
    assert not looks_like_reviews_csv(b"card_id,review_time,review_rating,review_state\n")
    assert not looks_like_reviews_csv((HEADER + ",extra").encode())
    assert looks_like_reviews_json(export_json([review_dict()]).encode())
    assert looks_like_reviews_json(b"[]\n")
    assert not looks_like_reviews_json(b'{"deck": {"name": "x"}, "questions": []}')
    assert not looks_like_reviews_json(b'[{"question": "x"}]')


def test_detection_by_content(tmp_path):
    csv_path = write(tmp_path, rows("1,1767607200000,3,0,,d,q,rehearse"))
    assert registry.read_file(csv_path).history[0].question_id == "q"

    json_path = write(tmp_path, export_json([review_dict()]), "history.json")
    loaded = registry.read_file(json_path)
    assert (len(loaded.history), loaded.decks) == (1, [])

    deck = {"deck": {"id": "d", "name": "D"}, "questions": [{"id": "q", "question": "Q?"}]}
    deck_path = write(tmp_path, json.dumps(deck), "deck.json")
    loaded = registry.read_file(deck_path)
    assert (len(loaded.decks), loaded.history) == (1, [])

    other_csv = write(tmp_path, "name,email\na,b\n", "people.csv")
    # Not history: any other CSV is read as questions (Anki text / CSV, issue 6).
    assert registry.read_file(other_csv).history == []
    with pytest.raises(DeckError, match="missing columns"):
        registry.read_file(other_csv, "reviews")


def test_format_reviews_reads_any_suffix(tmp_path):
    path = write(tmp_path, rows("1,1767607200000,3,0,,d,q,rehearse"), "history.txt")
    assert len(registry.read_file(path, "reviews").history) == 1
    assert "reviews" in registry.names()


# -- the fast paths read exactly what the row-by-row reader reads --------------------------------

FIELD_VARIANTS = {
    "card_id": ["", "", "7", "0012", " 7", "x", "-3", "٣"],
    "review_time": [
        str(T0),
        str(T0 + 61_000),
        " 1767607200000",
        "1767607200",
        "2026-01-05T10:00:00Z",
        "",
        "1767607200000.0",
        "١٧٦٧٦٠٧٢٠٠٠٠٠",
    ],
    "review_rating": ["3", "1", "4", "2", " 3", "03", "5", "", "good"],
    "review_state": ["", "0", "2", "x"],
    "review_duration": ["", "4200", "0", " 10", "-1", "1.5", "²"],
    "deck": ["d", "d", "other", " d ", "d\x07", "", "Déck"],
    "question_id": ["q", "q2", "q q", "", "q\x1b[1m"],
    "kind": ["rehearse", "why", "dos", " why", "WHY", "summary", ""],
}


def random_rows(rng, count, odd):
    out = []
    for _ in range(count):
        if rng.random() < odd:
            if rng.random() < 0.1:
                out.append("")  # a blank line
                continue
            if rng.random() < 0.1:
                out.append("1,2,3")  # a short row
                continue
            values = [FIELD_VARIANTS[c][0] for c in REVIEW_COLUMNS]
            values[1] = str(T0 + rng.randrange(10**9))
            # One odd field in an otherwise canonical row, or every field drawn at random.
            varied = [rng.randrange(len(values))] if rng.random() < 0.6 else range(len(values))
            for at in varied:
                values[at] = rng.choice(FIELD_VARIANTS[REVIEW_COLUMNS[at]])
        else:
            values = [
                FIELD_VARIANTS[c][0 if c not in ("review_rating", "kind") else rng.randrange(3)]
                for c in REVIEW_COLUMNS
            ]
            values[1] = str(T0 + rng.randrange(10**9))
        if rng.random() < odd / 4:
            values[6] = f'"{values[6]},\n{values[6]}"'  # a quoted field across lines
        out.append(",".join(values))
    return out


def read_both(path, monkeypatch):
    """(what read_reviews gives, the same with every row read one by one through _review)."""
    import drill.io.reviews_csv as reader

    def outcome():
        try:
            return list(read_reviews(path).history), None
        except DeckError as exc:
            return None, [str(p) for p in exc.problems]

    fast = outcome()
    with monkeypatch.context() as patch:
        patch.setattr(reader._FastRows, "columns", lambda self, rows, line: False)
        patch.setattr(reader._FastRows, "row", lambda self, values, line: False)
        slow = outcome()
    return fast, slow


@pytest.mark.parametrize("odd", [0.0, 0.001, 0.05, 0.5])
def test_fast_paths_read_what_the_row_by_row_reader_reads(tmp_path, monkeypatch, odd):
    import random

    rng = random.Random(int(odd * 1000))
    for case in range(6):
        lines = random_rows(rng, rng.choice((1, 40, 3000)), odd)
        ending = rng.choice(("\n", "\r\n"))
        path = write(tmp_path, ending.join([HEADER, *lines]) + ending, f"h{case}.csv")
        fast, slow = read_both(path, monkeypatch)
        assert fast == slow, (odd, case)


def test_many_chunks_keep_their_line_numbers(tmp_path, monkeypatch):
    from drill.io import reviews_csv

    monkeypatch.setattr(reviews_csv, "_CHUNK_BYTES", 200)
    lines = [f",{T0 + i},3,,,d,q,rehearse" for i in range(50)]
    lines[37] = f",{T0},9,,,d,q,rehearse"
    path = write(tmp_path, rows(*lines))
    with pytest.raises(DeckError) as exc:
        read_reviews(path)
    assert [p.line for p in exc.value.problems] == [39]
    lines[37] = f",{T0 + 37},3,,,d,q,why"
    history = read_reviews(write(tmp_path, rows(*lines))).history
    assert [r.line for r in history] == list(range(2, 52))
    assert [r.kind for r in history].count(CardKind.WHY) == 1


@pytest.mark.parametrize(
    ("column", "value"),
    [(c, v) for c in REVIEW_COLUMNS for v in FIELD_VARIANTS[c][1:]],
)
def test_one_odd_field_among_canonical_rows_reads_as_row_by_row(
    tmp_path, monkeypatch, column, value
):
    canonical = [FIELD_VARIANTS[c][0] for c in REVIEW_COLUMNS]
    lines = []
    for i in range(30):
        values = list(canonical)
        values[1] = str(T0 + i * 1000)
        if i == 17:
            values[REVIEW_COLUMNS.index(column)] = value
        lines.append(",".join(values))
    fast, slow = read_both(write(tmp_path, rows(*lines)), monkeypatch)
    assert fast == slow
