"""Review history files: what `drill export reviews` writes, as CSV or as a JSON array.

Each row names its card by (deck, question_id, kind); `card_id` is only a hint, and
`review_state` is informational (the merge recomputes it by replay).
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import re
from array import array
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from drill.core import clock, limits
from drill.core.history import NONE, ReviewHistory
from drill.core.limits import MAX_REVIEWS, too_many_reviews, whole_number
from drill.core.model import CardKind, HistoryReview, Rating, slugify
from drill.core.sanitize import strip_control_chars
from drill.errors import DeckError, DrillError, Problem
from drill.files import HISTORY_LIMIT, open_input, read_head, read_input
from drill.io.registry import Loaded

# The columns of `drill export reviews`, in order; the first five are the FSRS optimizer's
# revlog columns.
COLUMNS = (
    "card_id",
    "review_time",
    "review_rating",
    "review_state",
    "review_duration",
    "deck",
    "question_id",
    "kind",
)
REQUIRED = ("review_time", "review_rating", "deck", "question_id", "kind")
# A file with thousands of bad rows is one mistake; list this many, then count the rest.
MAX_PROBLEMS = 100

_INT = re.compile(r"^[-+]?\d+$")
EARLIEST_MS = limits.EARLIEST_MS  # 2000-01-01T00:00:00Z


class _Problems:
    def __init__(self, file: str) -> None:
        self.file = file
        self.items: list[Problem] = []
        self.more = 0

    def add(self, line: int, message: str, hint: str = "") -> None:
        if len(self.items) < MAX_PROBLEMS:
            self.items.append(Problem(self.file, line, message, hint))
        else:
            self.more += 1

    def raise_any(self) -> None:
        if not self.items:
            return
        problems = list(self.items)
        if self.more:
            problems.append(Problem(self.file, 0, f"and {self.more} more problems"))
        raise DeckError(problems)


def looks_like_reviews_csv(head: bytes) -> bool:
    """Is the first line exactly the header of `drill export reviews` (any column order)?"""
    text = head.decode("utf-8", errors="replace").lstrip("\ufeff")
    first = text.split("\n", 1)[0].strip("\r")
    try:
        names = next(csv.reader([first]))
    except (csv.Error, StopIteration):
        return False
    return sorted(n.strip() for n in names) == sorted(COLUMNS)


def looks_like_reviews_json(head: bytes) -> bool:
    """Is this a JSON array whose first element is a review object (or an empty array)?"""
    text = head.decode("utf-8", errors="replace").lstrip("\ufeff").lstrip()
    if not text.startswith("["):
        return False
    rest = text[1:].lstrip()
    if rest.startswith("]"):
        return True
    if not rest.startswith("{"):
        return False
    try:
        first, _ = json.JSONDecoder().raw_decode(rest)
    except json.JSONDecodeError:
        return False  # first object cut off by the head: look at the keys we can see
    except (RecursionError, ValueError):
        return False
    return isinstance(first, dict) and set(REQUIRED) <= set(first)


def looks_like_reviews(head: bytes) -> bool:
    return looks_like_reviews_csv(head) or looks_like_reviews_json(head)


def read_reviews(path: Path, deck_name: str | None = None) -> Loaded:
    """Read a review history file (CSV or JSON array); DeckError listing every bad row.

    With `deck_name`, every review goes to that deck (for a deck renamed on this machine);
    the file must then hold reviews of a single deck.
    """
    file = str(path)
    head = read_head(path, 64).lstrip(b"\xef\xbb\xbf").lstrip()
    problems = _Problems(file)
    history = ReviewHistory(file)
    strings: dict[str, str] = {}  # one string object per distinct deck/question/kind
    if head.startswith(b"["):
        rows = _json_rows(path, problems)
    else:
        rows = _csv_rows(path, problems, (history, strings))
    for line, row in rows:
        review = _review(row, file, line, problems, strings)
        if review is not None:
            if len(history) == MAX_REVIEWS:
                raise DeckError.at(
                    file, line, too_many_reviews("split it: a history merges the same in parts")
                )
            history.append(review)
    problems.raise_any()
    if deck_name:
        history = _renamed(history, deck_name, file)
    history.done()
    return Loaded(file, history=history)


_RATINGS = {"1": 1, "2": 2, "3": 3, "4": 4}
_KINDS = frozenset(k.value for k in CardKind)
# Lines read at once: big enough that per-chunk work vanishes, small enough for memory.
_CHUNK_BYTES = 1 << 20


class _FastRows:
    """Rows in the shape `drill export reviews` writes, taken straight into the columns.

    Rows whose every field is already canonical (a time in milliseconds, a rating 1-4, empty
    or whole durations and card ids, a clean deck, question and kind) are added without
    building a dict; anything else is left to `_review`, so every message and every accepted
    spelling comes from one place. A chunk of lines without quotes is split and checked
    column by column, in C loops (a million rows in about half a second); a chunk with an
    odd row goes row by row.
    """

    def __init__(self, history: ReviewHistory, strings: dict[str, str], names: list[str]):
        self.history = history
        self.strings = strings
        self.cards: dict[tuple[str, str, str], int | None] = {}
        self.width = len(names)
        column = {name: index for index, name in enumerate(names)}
        self.at_time, self.at_rating = column["review_time"], column["review_rating"]
        self.at_card_key = (column["deck"], column["question_id"], column["kind"])
        self.at_duration = column.get("review_duration")
        self.at_hint = column.get("card_id")

    def card(self, deck: str, question_id: str, kind: str) -> int | None:
        """The card's key in the history, or None when a field needs `_review`'s checks."""
        raw = (deck, question_id, kind)
        known = self.cards.get(raw, -1)
        if known != -1:
            return known
        key = None
        values = []
        for text in raw:
            value = strip_control_chars(text).strip()
            values.append(self.strings.setdefault(value, value))
        if all(values) and values[2] in _KINDS:
            key = self.history.key(values[0], values[1], CardKind(values[2]), None)
        self.cards[raw] = key
        return key

    def columns(self, rows: list[list[str]], first_line: int) -> bool:
        """Add rows that are all canonical, column by column; False (nothing added) if not."""
        if not rows or set(map(len, rows)) != {self.width}:
            return False
        if len(self.history) + len(rows) > MAX_REVIEWS:
            return False  # row by row, so the one past the cap is named with its line
        columns = list(zip(*rows, strict=True))
        times = columns[self.at_time]
        joined = "".join(times)
        if not (all(times) and joined.isdecimal() and joined.isascii()):
            return False
        # Numbers past the ranges (docs/limits.md) go to `_review`, which says what is wrong or
        # caps a duration; the digit count keeps int64 arrays from overflowing.
        if max(map(len, times)) > limits.MAX_DIGITS:
            return False
        time = array("q", map(int, times))
        if min(time) < EARLIEST_MS or max(time) >= limits.LATEST_MS:
            return False
        if not set(columns[self.at_rating]) <= _RATINGS.keys():
            return False
        extra = []
        for at, most in (
            (self.at_duration, limits.MAX_DURATION_MS),
            (self.at_hint, limits.MAX_INT64),
        ):
            if at is None:
                extra.append(array("q", [NONE]) * len(rows))
                continue
            values = columns[at]
            joined = "".join(values)
            if joined and not (joined.isdecimal() and joined.isascii()):
                return False
            if joined and max(map(len, values)) > limits.MAX_DIGITS:
                return False
            numbers = [int(v) if v else NONE for v in values]
            if joined and max(numbers) > most:
                return False
            extra.append(array("q", numbers))
        keyed = list(zip(*(columns[at] for at in self.at_card_key), strict=True))
        if None in {self.card(*raw) for raw in set(keyed)}:
            return False
        history = self.history
        history.card.extend(map(self.cards.__getitem__, keyed))  # type: ignore[arg-type]
        history.time.extend(time)
        history.rating.extend(map(_RATINGS.__getitem__, columns[self.at_rating]))
        history.duration.extend(extra[0])
        history.card_hint.extend(extra[1])
        history.line.extend(range(first_line, first_line + len(rows)))
        return True

    def row(self, values: list[str], line: int) -> bool:
        """Add one canonical row; False if it needs `_review`."""
        if len(values) != self.width or len(self.history) >= MAX_REVIEWS:
            return False
        time, rating = values[self.at_time], _RATINGS.get(values[self.at_rating])
        duration = "" if self.at_duration is None else values[self.at_duration]
        hint = "" if self.at_hint is None else values[self.at_hint]
        key = self.card(*(values[at] for at in self.at_card_key))
        if (
            key is None
            or rating is None
            or not (time.isdecimal() and time.isascii())
            or (duration and not (duration.isdecimal() and duration.isascii()))
            or (hint and not (hint.isdecimal() and hint.isascii()))
            or len(time) > limits.MAX_DIGITS
            or len(duration) > limits.MAX_DIGITS
            or len(hint) > limits.MAX_DIGITS
            or not EARLIEST_MS <= int(time) < limits.LATEST_MS
            or (duration and int(duration) > limits.MAX_DURATION_MS)
            or (hint and int(hint) > limits.MAX_INT64)
        ):
            return False
        self.history.add(
            key, int(time), rating, int(duration) if duration else None,
            int(hint) if hint else None, line,
        )  # fmt: skip
        return True


def _csv_rows(
    path: Path, problems: _Problems, fast: tuple[ReviewHistory, dict[str, str]] | None = None
) -> Iterator[tuple[int, Mapping[str, Any]]]:
    """The rows that need `_review`; with `fast`, canonical rows go straight to its history."""
    try:
        with (
            open_input(path, limit=HISTORY_LIMIT) as raw,
            io.TextIOWrapper(raw, encoding="utf-8-sig", newline="") as handle,
        ):
            reader = csv.reader(_bounded_lines(handle, path))
            header = next(reader, None)
            if header is None:
                problems.add(1, "empty file", "expected the header of `drill export reviews`")
                return
            names = [strip_control_chars(n).strip() for n in header]
            missing = [c for c in REQUIRED if c not in names]
            if missing:
                problems.add(
                    1,
                    f"missing column{'s' if len(missing) > 1 else ''}: {', '.join(missing)}",
                    f"expected the header {','.join(COLUMNS)}",
                )
                return
            rows = _FastRows(*fast, names) if fast is not None else None
            line = reader.line_num + 1
            while rows is not None:
                lines = handle.readlines(_CHUNK_BYTES)
                if not lines:
                    return
                _check_lengths(lines, path, line)
                if any('"' in text or "\0" in text for text in lines):
                    # Quoted fields (maybe spanning lines): the csv module reads the rest.
                    rest = csv.reader(
                        itertools.chain(lines, _bounded_lines(handle, path, line + len(lines)))
                    )
                    yield from _slow_rows(iter(()), names, line, problems, rows, rest)
                    return
                # Without quotes a CSV line is its text split at commas (lines end at any
                # of \n, \r\n or \r, as the csv module's do).
                split = [text.rstrip("\r\n").split(",") for text in lines]
                if not rows.columns(split, line):
                    yield from _slow_rows(iter(split), names, line, problems, rows)
                line += len(lines)
            yield from _slow_rows(iter(()), names, line, problems, None, reader)
    except UnicodeDecodeError:
        problems.add(0, "file is not UTF-8 text", "save it as UTF-8 and try again")
    except csv.Error as exc:
        problems.add(0, f"not a CSV file: {exc}")


# A review row is about 100 characters; a longer line is not one, and a line of a billion
# commas would otherwise become a list of a billion fields.
MAX_LINE = 1024 * 1024


def _bounded_lines(handle: io.TextIOWrapper, path: Path, start: int = 1) -> Iterator[str]:
    for number, line in enumerate(iter(lambda: handle.readline(MAX_LINE + 1), ""), start=start):
        if len(line) > MAX_LINE:
            _too_long(path, number)
        yield line


def _check_lengths(lines: list[str], path: Path, first: int) -> None:
    # A chunk is read whole (readlines stops at a size hint, after the line it is in), so its
    # longest line is checked before it is split into fields.
    for offset, line in enumerate(lines):
        if len(line) > MAX_LINE:
            _too_long(path, first + offset)


def _too_long(path: Path, number: int) -> None:
    raise DeckError.at(
        str(path), number, f"a line longer than {MAX_LINE:,} characters", "not a review"
    )


def _slow_rows(
    rows: Iterator[list[str]],
    names: list[str],
    line: int,
    problems: _Problems,
    fast: _FastRows | None,
    reader: Any = None,
) -> Iterator[tuple[int, Mapping[str, Any]]]:
    """Row by row from line `line` on: canonical rows to `fast`, the others to `_review`.

    `rows` are split lines, one row each, or `reader` (a csv reader, whose rows may span
    lines: its line_num tells where each ends).
    """
    width = len(names)
    base = line - (reader.line_num if reader is not None else 0)
    for values in reader if reader is not None else rows:
        start = line
        line = base + reader.line_num if reader is not None else line + 1
        if fast is not None and fast.row(values, start):
            continue
        if not any(v.strip() for v in values):
            continue
        if len(values) != width:
            problems.add(start, f"{len(values)} fields where the header has {width}")
            continue
        yield start, dict(zip(names, values, strict=True))


def _json_rows(path: Path, problems: _Problems) -> Iterator[tuple[int, Mapping[str, Any]]]:
    try:
        text = read_input(path, limit=HISTORY_LIMIT).decode("utf-8-sig")
    except UnicodeDecodeError:
        problems.add(0, "file is not UTF-8 text", "save it as UTF-8 and try again")
        return
    decoder = json.JSONDecoder()
    # Walk the array element by element so each review knows the line it starts on.
    index = text.index("[") + 1
    line = 1 + text.count("\n", 0, index)
    expect_value = True
    while True:
        stop = _skip_space(text, index)
        line += text.count("\n", index, stop)
        index = stop
        if index >= len(text):
            problems.add(line, "invalid JSON: the array is not closed with ]")
            return
        char = text[index]
        if char == "]":
            if _skip_space(text, index + 1) < len(text):
                problems.add(line, "invalid JSON: text after the closing ]")
            return
        if char == "," and not expect_value:
            index += 1
            expect_value = True
            continue
        if not expect_value:
            problems.add(line, "invalid JSON: expected , or ] between reviews")
            return
        try:
            value, end = decoder.raw_decode(text, index)
        except json.JSONDecodeError as exc:
            problems.add(exc.lineno, f"invalid JSON: {exc.msg}")
            return
        except RecursionError:
            problems.add(line, "invalid JSON: nested too deeply for a review")
            return
        except ValueError:  # an integer longer than Python converts (sys.int_info)
            problems.add(line, "invalid JSON: a number has too many digits")
            return
        if isinstance(value, dict):
            yield line, value
        else:
            problems.add(line, "each review must be a JSON object with the export's keys")
        line += text.count("\n", index, end)
        index = end
        expect_value = False


def _skip_space(text: str, index: int) -> int:
    while index < len(text) and text[index] in " \t\r\n":
        index += 1
    return index


def _review(
    row: Mapping[str, Any],
    file: str,
    line: int,
    problems: _Problems,
    strings: dict[str, str],
) -> HistoryReview | None:
    ok = True
    missing = [c for c in REQUIRED if c not in row]
    if missing:
        problems.add(line, f"missing {', '.join(missing)}")
        return None

    def text(key: str) -> str:
        nonlocal ok
        raw = row.get(key)
        if not isinstance(raw, str):
            raw = "" if raw is None else str(raw)
        # Deck, question and kind repeat on every row: clean each distinct value once, and
        # share one string object between rows.
        value = strings.get(raw)
        if value is None:
            value = strip_control_chars(raw).strip()
            value = strings.setdefault(value, value)
            strings[raw] = value
        if not value:
            problems.add(line, f"{key} is empty")
            ok = False
        return value

    deck, question_id, kind_text = text("deck"), text("question_id"), text("kind")
    kind = None
    if kind_text:
        try:
            kind = CardKind(kind_text)
        except ValueError:
            problems.add(
                line, f"unknown kind '{kind_text}'", f"use {', '.join(k.value for k in CardKind)}"
            )
            ok = False
    time_ms = _time(row.get("review_time"), line, problems)
    rating = _rating(row.get("review_rating"), line, problems)
    duration_ok, duration = _optional_int(
        row.get("review_duration"), "review_duration", line, problems
    )
    card_ok, card_id = _optional_int(row.get("card_id"), "card_id", line, problems)
    if duration is not None and duration < 0:
        problems.add(line, f"review_duration {duration} is negative")
        duration_ok = False
    # A review longer than an hour was a card left open: it counts as an hour.
    duration = limits.capped_duration(duration)
    if not (ok and duration_ok and card_ok) or kind is None or time_ms is None or rating is None:
        return None
    return HistoryReview(
        deck=deck,
        question_id=question_id,
        kind=kind,
        review_time=time_ms,
        rating=rating,
        duration_ms=duration,
        card_id=card_id,
        file=file,
        line=line,
    )


def _time(value: Any, line: int, problems: _Problems) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool):
        return _plausible_ms(value, line, problems)
    text = strip_control_chars(str(value if value is not None else "")).strip()
    if _INT.match(text):
        number = whole_number(text)
        if number is None:
            problems.add(line, f"review_time {_short(text)} is out of range", _TIME_RANGE)
            return None
        return _plausible_ms(number, line, problems)
    if text:
        try:
            moment = clock.parse_instant(text, what="review_time")
        except DrillError:
            pass
        else:
            return _plausible_ms(clock.to_ms(moment), line, problems, shown=text)
    problems.add(
        line,
        f"cannot read review_time '{_short(text)}'",
        "use milliseconds since 1970 (UTC) or ISO-8601 with an offset, e.g. 2026-01-31T09:00:00Z",
    )
    return None


_TIME_RANGE = f"drill accepts reviews from {limits.time_range_text()}"


def _short(text: str) -> str:
    return text if len(text) <= 40 else text[:37] + "..."


def _plausible_ms(
    value: int, line: int, problems: _Problems, *, shown: str | None = None
) -> int | None:
    what = f"review_time {_short(shown or str(value))}"
    # Seconds instead of milliseconds would put every review in January 1970.
    if value < EARLIEST_MS:
        hint = "review_time is in milliseconds since 1970 (UTC), not seconds"
        problems.add(line, f"{what} is before 2000", hint if shown is None else _TIME_RANGE)
        return None
    if value >= limits.LATEST_MS:
        problems.add(line, f"{what} is after 2099", _TIME_RANGE)
        return None
    return value


def _rating(value: Any, line: int, problems: _Problems) -> Rating | None:
    text = str(value if value is not None else "").strip()
    number = whole_number(text)
    if number is not None and 1 <= number <= 4:
        return Rating(number)
    problems.add(
        line,
        f"invalid review_rating '{_short(strip_control_chars(text))}'",
        "use 1 again, 2 hard, 3 good or 4 easy",
    )
    return None


def _optional_int(value: Any, key: str, line: int, problems: _Problems) -> tuple[bool, int | None]:
    """(True, the integer or None when blank), or (False, None) after reporting a problem.

    Whole numbers must fit SQLite's 64 bits.
    """
    if value is None:
        return True, None
    if isinstance(value, int) and not isinstance(value, bool):
        if abs(value) <= limits.MAX_INT64:
            return True, value
        text = str(value) if value.bit_length() < 1000 else "a number"
    else:
        text = strip_control_chars(str(value)).strip()
        if not text:
            return True, None
        if not _INT.match(text):
            problems.add(line, f"{key} '{_short(text)}' is not a whole number")
            return False, None
        number = whole_number(text)
        if number is not None:
            return True, number
    problems.add(line, f"{key} {_short(text)} is out of range (at most {limits.MAX_INT64:,})")
    return False, None


def _renamed(history: ReviewHistory, deck_name: str, file: str) -> ReviewHistory:
    decks = {key[0] for key in history.keys}
    if len(decks) > 1:
        raise DeckError.at(
            file,
            0,
            f"--deck given, but the file has reviews of {len(decks)} decks",
            "import it without --deck, or export one deck with `drill export reviews --deck ID`",
        )
    deck_id = slugify(deck_name)
    out = ReviewHistory(history.file)
    moved = [out.key(deck_id, question, kind, key) for _, question, kind, key in history.keys]
    out.card.extend(moved[k] for k in history.card)
    out.time, out.rating, out.duration = history.time, history.rating, history.duration
    out.card_hint, out.line = history.card_hint, history.line
    return out
