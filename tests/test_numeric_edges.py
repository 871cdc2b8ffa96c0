"""The numeric and date edges of every parser and option (docs/limits.md), driven by hypothesis.

Each input is either accepted with a value inside its documented range, or refused with
drill's own one-line error. Nothing else: no OverflowError, ValueError or RecursionError, and
nothing out of range reaches storage.
"""

from __future__ import annotations

import json
import math
from datetime import UTC, date, datetime
from pathlib import Path

import click
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from drill.core import clock, limits
from drill.core.config import KEYS, ConfigError, parse_value
from drill.core.limits import EARLIEST_MS, LATEST_MS, MAX_DURATION_MS, MAX_INT64
from drill.core.vocabulary import VocabularyError, parse_length, parse_reviewed
from drill.errors import DeckError, DrillError

EDGES = [
    0,
    1,
    -1,
    EARLIEST_MS - 1,
    EARLIEST_MS,
    LATEST_MS - 1,
    LATEST_MS,
    MAX_DURATION_MS,
    MAX_DURATION_MS + 1,
    MAX_INT64,
    MAX_INT64 + 1,
    -MAX_INT64 - 1,
    -MAX_INT64 - 2,
    2**64,
    10**17,
    10**100,
]
INTS = st.one_of(
    st.sampled_from(EDGES),
    st.integers(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.integers(min_value=EARLIEST_MS - 10**6, max_value=LATEST_MS + 10**6),
)
FLOATS = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([1e17, 1e20, 1e300, -1e300, 0.5, 1e-300]),
)
YEARS = st.one_of(st.sampled_from([1, 1999, 2000, 2099, 2100, 9999]), st.integers(1, 9999))
ISO = st.builds(
    lambda y, offset: f"{y:04d}-12-31T23:00:00{offset}",
    YEARS,
    st.sampled_from(["Z", "+00:00", "+05:00", "-05:00", "+14:00", ""]),
)
NUMBER_TEXT = st.one_of(
    INTS.map(str),
    FLOATS.map(str),
    st.text("0123456789", min_size=1, max_size=5000),
    st.text("0123456789+-.eE ", max_size=30),
    ISO,
)
pytestmark = pytest.mark.slow  # hypothesis drives each parser: a fuzz test

SETTINGS = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


# -- the history file formats --------------------------------------------------------------------


def _read_history(path: Path):
    from drill.io.reviews_csv import read_reviews

    try:
        return read_reviews(path).history
    except DeckError as exc:
        assert all(len(str(p)) < 600 for p in exc.problems)
        return None


def _check_history(history) -> None:
    if history is None:
        return
    for review in history:
        assert EARLIEST_MS <= review.review_time < LATEST_MS
        assert review.duration_ms is None or 0 <= review.duration_ms <= MAX_DURATION_MS
        assert review.card_id is None or abs(review.card_id) <= MAX_INT64


HEADER = "card_id,review_time,review_rating,review_state,review_duration,deck,question_id,kind"


@SETTINGS
@given(time=NUMBER_TEXT, duration=NUMBER_TEXT, card=NUMBER_TEXT, rating=NUMBER_TEXT)
def test_history_csv(tmp_path, time, duration, card, rating):
    path = tmp_path / "h.csv"
    row = ",".join(f'"{v}"' for v in (card, time, rating, "2", duration, "d", "q", "rehearse"))
    path.write_text(f"{HEADER}\n{row}\n", encoding="utf-8")
    _check_history(_read_history(path))


VALUES = st.one_of(INTS, FLOATS.filter(math.isfinite), NUMBER_TEXT, st.none(), st.booleans())


@SETTINGS
@given(time=VALUES, duration=VALUES, card=VALUES, rating=VALUES)
def test_history_json(tmp_path, time, duration, card, rating):
    path = tmp_path / "h.json"
    review = {
        "card_id": card,
        "review_time": time,
        "review_rating": rating,
        "review_duration": duration,
        "deck": "d",
        "question_id": "q",
        "kind": "rehearse",
    }
    try:
        text = json.dumps([review])
    except ValueError:  # an int Python will not print: nobody can write that file
        return
    path.write_text(text, encoding="utf-8")
    _check_history(_read_history(path))


# -- Anki ----------------------------------------------------------------------------------------


@SETTINGS
@given(
    review_id=st.one_of(INTS, FLOATS, st.text(max_size=5)),
    duration=st.one_of(INTS, FLOATS, st.text(max_size=5), st.none()),
    ease=st.one_of(INTS, FLOATS),
)
def test_anki_revlog_rows(review_id, duration, ease):
    from drill.io.anki.package import _revlog_row

    row = _revlog_row((review_id, 100, ease, duration, 1))
    if row is not None:
        assert EARLIEST_MS <= row[0] < LATEST_MS
        assert 0 <= row[3] <= MAX_DURATION_MS
        assert all(abs(v) <= MAX_INT64 for v in row)


@SETTINGS
@given(value=NUMBER_TEXT, key=st.sampled_from(["guid", "deck", "tags", "notetype"]))
def test_anki_text_header_columns(value, key):
    from drill.io.anki.text import MAX_COLUMNS, _read_headers

    headers, problems = _read_headers([f"#{key} column:{value}"], "f.txt", "\t")
    if not problems:
        assert all(1 <= column <= MAX_COLUMNS for column in headers.meta)


# -- deck metadata -------------------------------------------------------------------------------


@SETTINGS
@given(low=NUMBER_TEXT, high=NUMBER_TEXT)
def test_question_length(low, high):
    try:
        parsed = parse_length(f"{low}-{high}s")
    except VocabularyError as exc:
        assert len(str(exc.message)) < 6000
        return
    assert 5 <= parsed[0] <= parsed[1] <= 1800


@SETTINGS
@given(year=YEARS, month=st.integers(-1, 14), day=st.integers(-1, 33))
def test_reviewed_dates(year, month, day):
    try:
        text = parse_reviewed(f"{year:04d}-{month:02d}-{day:02d}")
    except VocabularyError:
        return
    date.fromisoformat(text)


@SETTINGS
@given(length=st.lists(st.one_of(INTS, FLOATS, st.text(max_size=3)), max_size=3))
def test_json_deck_length(length):
    from drill.io.json_deck import parse_json
    from drill.io.source import Source

    deck = {"deck": {"name": "D"}, "questions": [{"question": "Q?", "length": length}]}
    try:
        text = json.dumps(deck)
    except ValueError:
        return
    try:
        parsed = parse_json(Source.from_text(text, "d.json"))
    except DeckError:
        return
    value = parsed.questions[0].length
    assert value is None or 5 <= value[0] <= value[1] <= 1800


# -- settings, DRILL_NOW and options --------------------------------------------------------------

NUMERIC_KEYS = [k for k in KEYS if k not in ("fuzz", "card_kinds")]


@SETTINGS
@given(key=st.sampled_from(NUMERIC_KEYS), value=st.one_of(NUMBER_TEXT, ISO.map(lambda t: t[:10])))
def test_settings(key, value):
    try:
        parsed = parse_value(key, value)
    except ConfigError as exc:
        assert "\n" not in str(exc) and len(str(exc)) < 400
        return
    if key in ("learning_steps", "relearning_steps"):
        assert len(parsed) <= 20 and all(1 <= s <= 365 * 86400 for s in parsed)
    elif key == "interview_date":
        assert parsed is None or date(2000, 1, 1) <= parsed <= date(2099, 12, 31)
    elif key == "fsrs_parameters":
        assert parsed is None or all(math.isfinite(p) for p in parsed)
    elif key == "desired_retention":
        assert 0.70 <= parsed <= 0.99
    elif isinstance(parsed, int):
        assert 0 <= parsed <= 99999 and parsed < MAX_INT64


@SETTINGS
@given(value=st.one_of(ISO, NUMBER_TEXT))
def test_drill_now(value):
    try:
        moment = clock.now({"DRILL_NOW": value})
    except DrillError as exc:
        assert "\n" not in str(exc)
        return
    assert datetime(2000, 1, 1, tzinfo=UTC) <= moment < datetime(2100, 1, 1, tzinfo=UTC)
    # and everything a command computes from it works
    clock.study_date(moment, 4)
    clock.next_day_start(moment, 4)


def _option_type(command: click.Command, name: str) -> click.ParamType:
    return next(p for p in command.params if p.name == name).type


@SETTINGS
@given(value=NUMBER_TEXT)
def test_rate_card_id_and_duration(value):
    from drill.cli.commands.study import rate

    for name, low, high in (("card_id", 1, MAX_INT64), ("duration_ms", 0, MAX_DURATION_MS)):
        try:
            parsed = _option_type(rate, name).convert(value, None, None)
        except click.BadParameter:
            continue
        assert low <= parsed <= high


# -- storage caps ----------------------------------------------------------------------------------


@SETTINGS
@given(duration=st.one_of(INTS, st.none()))
def test_stored_durations_are_capped(sample_db, duration):
    from drill.core.model import Rating
    from drill.study.session import ReviewSession
    from drill.study.undo import undo_change

    session = ReviewSession(sample_db)
    card = session.next_card(clock.now({"DRILL_NOW": "2026-01-05T10:00:00Z"}))
    assert card is not None
    rated = session.rate(card.card_id, Rating.GOOD, datetime(2026, 1, 5, 10, tzinfo=UTC), duration)
    stored = sample_db.execute("SELECT duration_ms FROM reviews ORDER BY id DESC").fetchone()[0]
    assert stored == limits.capped_duration(duration)
    # The rating can be taken back (the review screen's undo of its own change).
    undo_change(sample_db, rated.change)


@pytest.mark.parametrize("value", [0, -1, 1, MAX_DURATION_MS, MAX_DURATION_MS + 1, 10**30])
def test_capped_duration(value):
    assert 0 <= limits.capped_duration(value) <= MAX_DURATION_MS


# -- every numeric option of every command ---------------------------------------------------------


def _numeric_params() -> list[tuple[str, click.Parameter]]:
    """(command path, parameter) of every option or argument that is not text, a path, a
    flag or a choice: the ones that parse a number."""
    from drill.cli.main import cli

    found: list[tuple[str, click.Parameter]] = []

    def walk(command: click.Command, path: str) -> None:
        if isinstance(command, click.Group):
            ctx = click.Context(command)
            for name in command.list_commands(ctx):
                sub = command.get_command(ctx, name)
                assert sub is not None
                walk(sub, f"{path} {name}".strip())
            return
        for param in command.params:
            if isinstance(param, click.Option) and (param.is_flag or param.count):
                continue
            if isinstance(
                param.type, click.types.StringParamType | click.Choice | click.Path | click.File
            ):
                continue
            found.append((path, param))

    walk(cli, "")
    return found


NUMERIC_PARAMS = _numeric_params()


def test_every_numeric_option_has_a_documented_bounded_range():
    """A plain int option would take 10**100 and overflow SQLite later: every number a
    command takes is an IntRange with both ends, inside SQLite's integers, and each option is
    listed in docs/limits.md."""
    limits_doc = (Path(__file__).parents[1] / "docs" / "limits.md").read_text(encoding="utf-8")
    assert len(NUMERIC_PARAMS) >= 15  # the walk found the commands
    for path, param in NUMERIC_PARAMS:
        where = f"drill {path} {param.name}"
        assert isinstance(param.type, click.IntRange), where
        assert param.type.min is not None and param.type.max is not None, where
        assert -MAX_INT64 - 1 <= param.type.min <= param.type.max <= MAX_INT64, where
        if isinstance(param, click.Option):
            flag = max(param.opts, key=len)
            assert f"`{flag}" in limits_doc or f"{flag}`" in limits_doc, (where, flag)


@SETTINGS
@given(index=st.integers(0, len(NUMERIC_PARAMS) - 1), value=NUMBER_TEXT)
def test_every_numeric_option_takes_only_its_range(index, value):
    path, param = NUMERIC_PARAMS[index]
    assert isinstance(param.type, click.IntRange)
    try:
        parsed = param.type.convert(value, param, None)
    except click.BadParameter as exc:
        assert "\n" not in exc.format_message()
        return
    assert param.type.min <= parsed <= param.type.max, (path, param.name, value)
