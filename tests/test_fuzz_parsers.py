"""Hostile and broken input files: every parser either reads them or reports a clean DeckError.

Random bytes, truncated and mutated decks, huge lines, deep nesting, invalid UTF-8, NUL bytes,
markup-like text and terminal escapes. Never a traceback, never a hang, never a control
character in parsed text, and through `drill import` never a partial import.
"""

from __future__ import annotations

import io
import json
import signal
import sqlite3
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import fields, is_dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from drill.cli.main import cli
from drill.core.model import Deck
from drill.core.sanitize import CONTROL_CHARS
from drill.errors import DeckError
from drill.io import registry
from tests.helpers import SAMPLE_DECK
from tests.parser_inputs import SAMPLE_ARTICLE, once_quadratic

# Slow: processes killed or racing, and property-based fuzzing.
pytestmark = pytest.mark.slow

# Reproducible in CI: the same examples every run. No deadline (a slow CI machine must not
# fail a test), but a hard per-file time limit catches a real hang.
FUZZ = settings(
    derandomize=True,
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
TIME_LIMIT_S = 10.0

SAMPLE_LIST = "1. Tell me about yourself.\n- Why this company?\n* What are your weaknesses?\n"
SAMPLE_JSON = json.dumps(
    {
        "deck": {"id": "sample", "name": "Sample", "description": "d"},
        "questions": [
            {
                "id": "q1",
                "question": "Why us?",
                "variants": ["Why here?"],
                "why": "w",
                "approach": "a",
                "dos": ["do"],
                "donts": ["dont"],
                "examples": [{"label": "x", "text": "t"}],
                "bad_example": "b",
                "tips": ["tip"],
                "tags": ["t"],
            }
        ],
    },
    indent=2,
)

SAMPLE_ANKI_TEXT = (
    "#separator:tab\n#html:true\n#guid column:1\n#deck column:2\n"
    "g1\tInterviews::HR\tWhy <b>us</b>?\tBecause &amp; more<br>and more\n"
    'g2\tInterviews::HR\t"Say ""hi"""\t<ul><li>Focus</li></ul>\n'
)

# (format, suffix): every input format drill reads. Valid samples to mutate: `samples`.
FORMATS = [
    ("md", ".md"),
    ("article", ".txt"),
    ("list", ".txt"),
    ("json", ".json"),
    ("reviews", ".csv"),
    ("reviews", ".json"),
    ("anki-txt", ".txt"),
    ("apkg", ".apkg"),
]
FORMAT_IDS = [f"{fmt}{suffix}" for fmt, suffix in FORMATS]

ESCAPES = ["\x1b]0;pwned\x07", "\x1b[2J", "\x1b[31m", "\x07", "\x00", "\x9b", "\x7f", "\x08"]
MARKUP = ["[bold]", "[/bold]", "[link=https://example.com]x[/link]", "[/]", "[red on white]"]
PIECES = [
    *ESCAPES,
    *MARKUP,
    "# Deck\n",
    "## Question?\n",
    "### Approach\n",
    "### Tips\n",
    "### Why they ask\n",
    "### Example: senior\n",
    "- item\n",
    "  - nested\n",
    "1. first\n",
    "> quote\n",
    "```\n",
    "<div>",
    "&#27;",
    "id: x\n",
    "tags: a, b\n",
    "Tough Interview Question - Why?\n",
    "The best approach to answering this question:\n",
    "An example of how to best answer this question for x:\n",
    "Similar interview questions:\n",
    '{"deck": {"name": "D"}, "questions": [',
    '{"question": "Q?", "variants": ["V"]}',
    "]}",
    '"\\u001b]0;x\\u0007"',
    '"\\ud800"',
    "\r\n",
    "\r",
    "\n\n",
    "\ufeff",
    "\u202e",
    "\u2028",
    "e.g. ",
    ". ",
    "(",
    ")",
    '"',
    "\t",
    " " * 40,
]

hostile_text = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=20)), max_size=40).map(
    "".join
)


@contextmanager
def time_limit(seconds: float = TIME_LIMIT_S) -> Iterator[None]:
    """Fail instead of hanging: SIGALRM interrupts a parser stuck in a loop."""

    def expire(signum: int, frame: Any) -> None:
        raise TimeoutError(f"parsing took more than {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def strings_in(value: Any) -> Iterator[str]:
    """Every string inside parsed decks or history (names, ids, questions, lists, examples)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, list | tuple):
        for item in value:
            yield from strings_in(item)
    elif is_dataclass(value):
        for f in fields(value):
            yield from strings_in(getattr(value, f.name))


def read_outcome(path: Path, fmt: str) -> list[Deck] | DeckError:
    """Parse `path`; the only acceptable outcomes are decks or a DeckError."""
    with time_limit():
        try:
            loaded = registry.read_file(path, fmt)
        except DeckError as exc:
            assert exc.problems, "a DeckError must say what is wrong"
            return exc
    for text in strings_in([loaded.decks, loaded.history]):
        assert not CONTROL_CHARS.search(text), f"control character survived in {text!r}"
    for deck in loaded.decks:
        assert deck.id, "a deck needs an id"
        for question in deck.questions:
            assert question.id and question.question.strip()
            # Everything parsed must be storable: SQLite takes only valid UTF-8.
            question.question.encode("utf-8")
    return loaded.decks


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


@pytest.fixture(scope="module")
def samples(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """A valid file of every format, keyed by format and suffix; binary ones made by drill."""
    folder = tmp_path_factory.mktemp("samples")
    deck = folder / "sample.md"
    deck.write_text(SAMPLE_DECK, encoding="utf-8")
    env = {
        "DRILL_DB": str(folder / "drill.db"),
        "DRILL_NOW": "2026-01-05T10:00:00+00:00",
        "DRILL_NO_BUNDLED": "1",
    }
    runner = CliRunner()
    apkg = str(folder / "sample.apkg")
    commands = [
        ["import", str(deck)],
        ["rate", "1", "good"],
        ["rate", "4", "easy"],
        ["export", "reviews", "-o", str(folder / "reviews.csv")],
        ["export", "reviews", "--format", "json", "-o", str(folder / "reviews.json")],
        ["export", "deck", "sample-deck", "--format", "apkg", "--with-history", "-o", apkg],
    ]
    for args in commands:
        result = runner.invoke(cli, args, env=env)
        assert result.exit_code == 0, (args, result.output)
    return {
        "md.md": SAMPLE_DECK.encode(),
        "article.txt": SAMPLE_ARTICLE.encode(),
        "list.txt": SAMPLE_LIST.encode(),
        "json.json": SAMPLE_JSON.encode(),
        "reviews.csv": (folder / "reviews.csv").read_bytes(),
        "reviews.json": (folder / "reviews.json").read_bytes(),
        "anki-txt.txt": SAMPLE_ANKI_TEXT.encode(),
        "apkg.apkg": (folder / "sample.apkg").read_bytes(),
    }


def write(scratch: Path, suffix: str, data: bytes) -> Path:
    path = scratch / f"input{suffix}"
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(("fmt", "suffix"), FORMATS, ids=FORMAT_IDS)
@FUZZ
@given(data=st.binary(max_size=2000))
def test_random_bytes(scratch: Path, fmt: str, suffix: str, data: bytes) -> None:
    read_outcome(write(scratch, suffix, data), fmt)


@pytest.mark.parametrize(("fmt", "suffix"), FORMATS, ids=FORMAT_IDS)
@FUZZ
@given(text=hostile_text)
def test_markup_escapes_and_structure(scratch: Path, fmt: str, suffix: str, text: str) -> None:
    data = text.encode("utf-8", "surrogatepass")  # lone surrogates are invalid UTF-8 bytes
    read_outcome(write(scratch, suffix, data), fmt)


@pytest.mark.parametrize(("fmt", "suffix"), FORMATS, ids=FORMAT_IDS)
@FUZZ
@given(data=st.data())
def test_truncated_and_mutated_valid_files(
    scratch: Path, samples: dict[str, bytes], fmt: str, suffix: str, data: st.DataObject
) -> None:
    raw = bytearray(samples[fmt + suffix])
    cut = data.draw(st.integers(0, len(raw)), label="truncate at")
    raw = raw[:cut]
    for _ in range(data.draw(st.integers(0, 3), label="mutations")):
        if not raw:
            break
        at = data.draw(st.integers(0, len(raw) - 1))
        raw[at : at + 1] = data.draw(st.binary(min_size=0, max_size=4))
    insert = data.draw(st.sampled_from(["", *ESCAPES, *MARKUP]), label="inserted")
    at = data.draw(st.integers(0, len(raw)))
    raw[at:at] = insert.encode("utf-8")
    read_outcome(write(scratch, suffix, bytes(raw)), fmt)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner),
    max_leaves=8,
)
JSON_FIELDS = ["id", "variants", "why", "approach", "dos", "donts", "examples", "tips", "tags"]
LIST_FIELDS = ["variants", "dos", "donts", "examples", "tips", "tags"]
# Each field is well-formed or any JSON value at all: wrong shapes are what this is about.
json_question = st.fixed_dictionaries(
    {"question": st.one_of(st.text(max_size=12), json_values)},
    optional={
        name: st.one_of(
            st.lists(st.text(max_size=8), max_size=3)
            if name in LIST_FIELDS and name != "examples"
            else st.text(max_size=8),
            json_values,
        )
        for name in JSON_FIELDS
    },
)
json_deck = st.fixed_dictionaries(
    {
        "deck": st.one_of(
            st.fixed_dictionaries({"name": st.text(max_size=10)}, optional={"id": json_values}),
            json_values,
        ),
        "questions": st.one_of(st.lists(json_question, max_size=3), json_values),
    }
)


@FUZZ
@given(deck=json_deck)
def test_json_decks_with_wrong_shapes(scratch: Path, deck: dict[str, Any]) -> None:
    text = json.dumps(deck, ensure_ascii=True)  # \\u escapes: controls, lone surrogates
    outcome = read_outcome(write(scratch, ".json", text.encode()), "json")
    if isinstance(outcome, DeckError):
        return
    for item in deck["questions"]:
        for name in LIST_FIELDS:
            # Accepted only when lists are lists: a string must not be read letter by letter.
            assert not item.get(name) or isinstance(item[name], list), (name, item[name])


@FUZZ
@given(data=st.data())
def test_anki_package_with_a_damaged_collection_inside(
    scratch: Path, samples: dict[str, bytes], data: st.DataObject
) -> None:
    """A well-formed zip around a scribbled-on collection: the SQLite reader is reached."""
    with zipfile.ZipFile(io.BytesIO(samples["apkg.apkg"])) as package:
        members = {info.filename: package.read(info) for info in package.infolist()}
    name = next(n for n in members if n.startswith("collection."))
    collection = bytearray(members[name])
    for _ in range(data.draw(st.integers(1, 8), label="scribbles")):
        at = data.draw(st.integers(0, len(collection) - 1))
        collection[at : at + 4] = data.draw(st.binary(min_size=4, max_size=4))
    if data.draw(st.booleans(), label="truncate"):
        collection = collection[: data.draw(st.integers(0, len(collection)))]
    members[name] = bytes(collection)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        for member, content in members.items():
            package.writestr(member, content)
    read_outcome(write(scratch, ".apkg", buffer.getvalue()), "apkg")


def test_valid_samples_parse_so_mutations_start_from_real_files(
    scratch: Path, samples: dict[str, bytes]
) -> None:
    for fmt, suffix in FORMATS:
        path = write(scratch, suffix, samples[fmt + suffix])
        outcome = read_outcome(path, fmt)
        assert isinstance(outcome, list), (fmt, outcome)
        if fmt == "reviews":
            assert len(registry.read_file(path, fmt).history) == 2
        else:
            assert outcome[0].questions, fmt


def test_escapes_are_removed_and_markup_is_kept_as_text(scratch: Path) -> None:
    text = (
        "# Deck \x1b]0;pwned\x07name\n\n## Say [bold]hi[/bold]\x1b[2J?\n\n"
        "### Approach\nRing\x07 the [link=https://x]bell[/link].\n"
    )
    deck = read_outcome(write(scratch, ".md", text.encode()), "md")[0]
    question = deck.questions[0]
    assert deck.name == "Deck ]0;pwnedname"
    assert question.question == "Say [bold]hi[/bold][2J?"
    assert question.approach == "Ring the [link=https://x]bell[/link]."
    escaped = json.dumps(
        {"deck": {"name": "D\u001b]0;x\u0007"}, "questions": [{"question": "Q\u009b?"}]}
    )
    deck = read_outcome(write(scratch, ".json", escaped.encode()), "json")[0]
    assert (deck.name, deck.questions[0].question) == ("D]0;x", "Q?")


# -- the extremes, one by one ------------------------------------------------------------------

NESTED = 10_000
EXTREMES = [
    ("md", ".md", "# D\n\n## Q?\n\n### Tips\n" + "- " * NESTED + "deep\n"),
    ("md", ".md", "# D\n\n## Q?\n\n### Approach\n" + "> " * NESTED + "deep\n"),
    ("md", ".md", "# D\n\n## Q?\n\n### Approach\n" + "[" * NESTED + "x" + "]" * NESTED + "\n"),
    ("md", ".md", "# D\n\n## Q?\n\n### Approach\n" + "*" * 100_000 + "x\n"),
    ("md", ".md", "# D\n\n## " + "long " * 400_000 + "?\n"),
    ("md", ".md", "# D\n\n## Q?\n\n### " + "x" * 200_000 + "\n"),
    ("json", ".json", "[" * 100_000 + "]" * 100_000),
    (
        "json",
        ".json",
        '{"deck": {"name": "D"}, "questions": [{"question": "Q", "tags": '
        + "[" * 990
        + "]" * 990
        + "}]}",
    ),
    (
        "json",
        ".json",
        '{"deck": {"name": "D"}, "questions": [{"question": "Q", "why": ' + "9" * 5000 + "}]}",
    ),
    (
        "json",
        ".json",
        '{"deck": {"name": "D"}, "questions": [{"question": "' + "q" * 2_000_000 + '"}]}',
    ),
    ("article", ".txt", "Tough Interview Question - " + "why " * 500_000 + "?\n"),
    ("article", ".txt", "Tough Interview Question - Why?\n" + "(" * 100_000 + "\n"),
    ("list", ".txt", "x" * 5_000_000),
    ("list", ".txt", "- " * 1_000_000),
]


@pytest.mark.parametrize(("fmt", "suffix", "text"), EXTREMES, ids=lambda v: str(v)[:12])
def test_extremes_finish_cleanly(scratch: Path, fmt: str, suffix: str, text: str) -> None:
    read_outcome(write(scratch, suffix, text.encode()), fmt)


def test_deep_json_is_a_clean_error_not_a_recursion_error(scratch: Path) -> None:
    outcome = read_outcome(write(scratch, ".json", b"[" * 100_000), "json")
    assert isinstance(outcome, DeckError)
    assert "nested too deeply" in str(outcome)


def test_json_lists_must_be_lists_not_strings_read_letter_by_letter(scratch: Path) -> None:
    bad = {"deck": {"name": "D"}, "questions": [{"question": "Q?", "variants": "Why here?"}]}
    outcome = read_outcome(write(scratch, ".json", json.dumps(bad).encode()), "json")
    assert isinstance(outcome, DeckError)
    assert "'variants' must be a list of strings" in str(outcome)


def test_json_lone_surrogate_escape_becomes_a_replacement_character(scratch: Path) -> None:
    data = b'{"deck": {"name": "D"}, "questions": [{"question": "Q\\ud800?"}]}'
    deck = read_outcome(write(scratch, ".json", data), "json")[0]
    assert deck.questions[0].question == "Q\ufffd?"


def test_json_ids_follow_the_markdown_rules(scratch: Path) -> None:
    nameless = {"deck": {"name": "!!!"}, "questions": [{"question": "Q?"}]}
    outcome = read_outcome(write(scratch, ".json", json.dumps(nameless).encode()), "json")
    assert isinstance(outcome, DeckError) and "no letters or digits" in str(outcome)
    bad_id = {"deck": {"name": "D"}, "questions": [{"question": "Q?", "id": "a b/c"}]}
    outcome = read_outcome(write(scratch, ".json", json.dumps(bad_id).encode()), "json")
    assert isinstance(outcome, DeckError) and "invalid id 'a b/c'" in str(outcome)


# Inputs that used to take quadratic time (tens of seconds or much longer at these sizes).
# The time limit of `read_outcome` catches a hang; how the time grows with the size is
# measured by scripts/bench.py ("parse ... at n and 4n"), not here.
@pytest.mark.parametrize(
    ("fmt", "suffix", "text", "count"),
    [(fmt, suffix, text, count) for fmt, suffix, text, count, _ in once_quadratic()],
    ids=lambda v: str(v)[:8],
)
def test_large_inputs_that_were_quadratic_parse_whole(
    scratch: Path, fmt: str, suffix: str, text: str, count: int
) -> None:
    decks = read_outcome(write(scratch, suffix, text.encode()), fmt)
    assert isinstance(decks, list)
    ids = [q.id for q in decks[0].questions]
    assert len(ids) == len(set(ids)) == count


# -- through the command line: exit 0 or a clean exit 1, and never a partial import ---------


def snapshot(db_path: Path) -> list[str]:
    if not db_path.exists():
        return []
    conn = sqlite3.connect(db_path)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


@pytest.fixture(scope="module")
def collection(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    folder = tmp_path_factory.mktemp("cli-fuzz")
    good = folder / "good.md"
    good.write_text(SAMPLE_DECK, encoding="utf-8")
    env = {
        "DRILL_DB": str(folder / "drill.db"),
        "DRILL_NOW": "2026-01-05T10:00:00+00:00",
        "DRILL_NO_BUNDLED": "1",
    }
    result = CliRunner().invoke(cli, ["import", str(good)], env=env)
    assert result.exit_code == 0, result.output
    return folder, env


@pytest.mark.parametrize("suffix", [".md", ".txt", ".list", ".json", ".csv", ".apkg"])
@settings(FUZZ, max_examples=40)
@given(text=hostile_text)
def test_cli_import_is_all_or_nothing(
    collection: tuple[Path, dict[str, str]], suffix: str, text: str
) -> None:
    folder, env = collection
    db_path = Path(env["DRILL_DB"])
    hostile = folder / f"hostile{suffix}"
    hostile.write_bytes(text.encode("utf-8", "surrogatepass"))
    # A changed copy of the good deck goes first: a partial import would leave it applied.
    changed = folder / "changed.md"
    changed.write_text(SAMPLE_DECK.replace("Sample deck", "Renamed deck"), encoding="utf-8")
    before = snapshot(db_path)
    with time_limit():
        result = CliRunner().invoke(cli, ["import", str(changed), str(hostile)], env=env)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code in (0, 1), result.output
    assert "Traceback" not in result.output
    assert not CONTROL_CHARS.search(result.output)
    if result.exit_code == 1:
        assert result.stderr.strip(), "a failed import says why"
        assert snapshot(db_path) == before, "a failed import changed the database"
    else:
        # Undo the successful import, so every example starts from the same collection.
        db_path.unlink()
        for extra in ("-wal", "-shm"):
            Path(str(db_path) + extra).unlink(missing_ok=True)
        good = folder / "good.md"
        assert CliRunner().invoke(cli, ["import", str(good)], env=env).exit_code == 0
