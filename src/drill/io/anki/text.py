"""Read Anki's text exports and plain CSV/TSV files of questions.

Anki's header lines (`#separator:`, `#html:`, `#tags:`, `#columns:`, `#deck:`, `#notetype:`,
`#guid column:`, `#notetype column:`, `#deck column:`, `#tags column:`) are honoured; other
lines starting with `#` are comments, as in Anki. Fields may be quoted with `""` escapes and
embedded newlines. Without headers the first column is the question and the second the
approach (a third, when every row has one, holds tags, as Anki does); `--columns` maps more.

Bad rows (too many or too few fields, an empty question) are reported as `FILE:LINE`. The
import is all-or-nothing unless `skip_bad_rows` is set; then each skipped row is a warning.
A question that repeats an earlier row's is skipped with a warning, as Anki skips it.
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from itertools import chain
from operator import itemgetter
from pathlib import Path

from drill.core.limits import too_many_questions, whole_number
from drill.core.model import Example, Question
from drill.errors import DeckError, Problem
from drill.io.anki.fields import (
    EXAMPLE_BLOCK,
    EXAMPLE_BLOCKS,
    LI_BETWEEN,
    LIST_INNER,
    UL_CLOSE,
    UL_OPEN,
    examples_from_html,
    from_html,
    is_plain,
    items_from_html,
    media_summary,
)
from drill.io.anki.package import (
    ID_FIELD,
    METADATA_FIELDS,
    NoteEntry,
    appended_fields,
    apply_metadata_fields,
    group_decks,
    ignored_metadata,
    own_guid,
    separate_shared_guids,
    split_tags,
)
from drill.io.registry import Loaded
from drill.io.source import Source

SEPARATORS = {
    "comma": ",",
    "semicolon": ";",
    "tab": "\t",
    "space": " ",
    "pipe": "|",
    "colon": ":",
}
HEADER_KEYS = (
    "separator",
    "html",
    "tags",
    "columns",
    "deck",
    "notetype",
    "guid column",
    "notetype column",
    "deck column",
    "tags column",
    "if matches",
    "match scope",
)
# What a column can hold; `--columns` takes these names (or the aliases below).
COLUMN_NAMES = (
    "question",
    "approach",
    "why",
    "variants",
    "dos",
    "donts",
    "examples",
    "bad_example",
    "tips",
    "short_answer",
    "red_flags",
    "follow_ups",
    "key_phrases",
    "type",
    "competencies",
    "level",
    "length",
    "reviewed",
    "tags",
    "id",
    "guid",
    "deck",
    "notetype",
    "ignore",
)
_ALIASES = {
    "front": "question",
    "text": "question",
    "back": "approach",
    "answer": "approach",
    "why they ask": "why",
    "variant": "variants",
    "do": "dos",
    "don't": "donts",
    "dont": "donts",
    "don'ts": "donts",
    "example": "examples",
    "bad example": "bad_example",
    "tip": "tips",
    ID_FIELD.lower(): "id",
    "skip": "ignore",
    "": "ignore",
}
_LIST_COLUMNS = ("variants", "dos", "donts", "tips")
_TEXT_COLUMNS = ("question", "why", "approach", "bad_example")
_HTML = re.compile(
    r"<\s*/?\s*(?:a|b|i|u|br|div|p|span|img|font|strong|em|ul|ol|li|h[1-6]|table|tr|td|th|hr|"
    r"sub|sup|code|pre|blockquote)\b[^>]*>|&(?:#\d+|#x[0-9a-fA-F]+|[a-zA-Z]+);",
    re.IGNORECASE,
)
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
_SNIFF_LINES = 50


# What a header or a row can ask for (docs/limits.md): a column number in `#guid column:`,
# the names in `#columns:` or --columns, and the fields of a row. Beyond them a 50-byte
# file could make drill allocate gigabytes.
MAX_COLUMNS = 256
# A field longer than this is not part of an interview question: its row is bad.
MAX_FIELD_CHARS = 100_000


class _Unterminated(Exception):
    def __init__(self, line: int) -> None:
        self.line = line


class _TooWide(Exception):
    def __init__(self, line: int) -> None:
        self.line = line


def column_name(label: str) -> str | None:
    """The drill column a label or `--columns` name means, or None if unknown."""
    key = re.sub(r"[\s_-]+", " ", label.strip().casefold())
    if key in _ALIASES:
        return _ALIASES[key]
    key = key.replace(" ", "_")
    return key if key in COLUMN_NAMES else None


def parse_columns(spec: str | Sequence[str], file: str) -> list[str]:
    """`--columns question,approach,why,tags` as a list; DeckError for an unknown name."""
    names = spec.split(",", MAX_COLUMNS + 1) if isinstance(spec, str) else list(spec)
    if len(names) > MAX_COLUMNS:
        raise DeckError.at(file, 0, f"--columns names more than {MAX_COLUMNS} columns")
    out = []
    for name in names:
        mapped = column_name(name)
        if mapped is None:
            raise DeckError.at(
                file,
                0,
                f"--columns: unknown column '{name.strip()}'",
                f"use {', '.join(COLUMN_NAMES)}",
            )
        out.append(mapped)
    if "question" not in out:
        raise DeckError.at(file, 0, "--columns must include 'question'")
    return out


# -- detection --------------------------------------------------------------------------------


def _header_key(line: str) -> str | None:
    if not line.startswith("#") or ":" not in line:
        return None
    key = line[1:].split(":", 1)[0].strip().lower()
    return key if key in HEADER_KEYS else None


def looks_like_anki_text(head: bytes) -> bool:
    """Anki headers, or rows that are clearly tab- or comma-separated."""
    text = head.decode("utf-8", errors="replace").lstrip("\ufeff").replace("\r\n", "\n")
    lines = text.split("\n")
    if len(head) >= 8192:
        lines = lines[:-1]  # probably cut off
    first = next((line for line in lines if line.strip()), "")
    if _header_key(first) is not None or first.startswith("tags:"):
        return True
    data = [line for line in lines if line.strip() and not line.startswith("#")][:_SNIFF_LINES]
    if not data:
        return False
    tabbed = sum("\t" in line for line in data)
    if tabbed and tabbed * 2 >= len(data):
        return True
    if len(data) < 2:
        return False
    try:
        counts = {len(fields) for _, fields in _records("\n".join(data), ",", 1)}
    except (_Unterminated, _TooWide):
        return False
    return len(counts) == 1 and counts.pop() >= 2


# -- parsing ----------------------------------------------------------------------------------


class _ShortFields(list[tuple[int, list[str]]]):
    """Records read one a line from lines no longer than MAX_FIELD_CHARS: no field can be
    longer, so no row needs the check."""


def _line_records(lines: list[str], sep: str, line: int) -> list[tuple[int, list[str]]] | None:
    """`_records` of a text whose every record is one line (drill's own export), by
    `str.split`; None when a quoted field spans lines or is not closed where its field ends,
    or a line may be too wide, and `_fast_records` reads the text instead.

    A line is split at every separator; the fields that open with a quote must then close
    with one, every run of quotes inside them doubled. That is how `_records` reads them,
    and it leaves no separator inside a quoted field. Twice as fast as the csv module,
    which reads a character at a time.
    """
    out = _ShortFields() if max(map(len, lines), default=0) <= MAX_FIELD_CHARS else []
    for number, raw in enumerate(lines, line):
        if not raw or raw[0] == "#":
            continue  # blank, or a comment: every line starts a record here
        fields = raw.split(sep, MAX_COLUMNS)  # at most one field more than a row may have
        if len(fields) > MAX_COLUMNS:
            return None
        at = raw.find('"')
        while at != -1:
            if at == 0 or raw[at - 1] == sep:  # a quote opens this field
                index = raw.count(sep, 0, at)
                value = fields[index]
                inner = value[1:-1]
                text = inner.replace('""', '"')
                # Each run of quotes inside is even when the count halves (an odd one would
                # close the field early, or leave one quote over).
                if len(value) < 2 or value[-1] != '"' or inner.count('"') != 2 * text.count('"'):
                    return None
                fields[index] = text
                at += len(value)
            at = raw.find('"', at + 1)
        out.append((number, fields))
    return out


def _fast_records(text: str, sep: str, line: int) -> list[tuple[int, list[str]]]:
    """`_records`, read by the csv module when it can: its C parser is three times faster.

    With `strict`, the csv module refuses what it would read differently from `_records`
    (text after a closing quote, a quote never closed), and then `_records` reads the text.
    Comment lines are dropped where a record would start, as `_records` does.
    """
    if "\r" in text or "\0" in text:
        return list(_records(text, sep, line))
    at_start, number, start = True, line - 1, line

    def lines() -> Iterator[str]:
        nonlocal at_start, number, start
        for raw in text.split("\n"):
            number += 1
            if raw.count(sep) >= MAX_COLUMNS:
                # Maybe too wide a row (or separators quoted): `_records` tells, bounded.
                raise csv.Error("a wide line")
            if at_start:
                if raw.startswith("#"):
                    continue
                at_start, start = False, number
            yield raw + "\n"

    reader = csv.reader(lines(), delimiter=sep, quotechar='"', doublequote=True, strict=True)
    out = []
    try:
        for fields in reader:
            if len(fields) > MAX_COLUMNS:
                raise _TooWide(start)
            if fields:
                out.append((start, fields))
            at_start = True
    except csv.Error:
        return list(_records(text, sep, line))
    return out


def _records(text: str, sep: str, line: int) -> Iterator[tuple[int, list[str]]]:
    """(first line, fields) of each record; blank lines and `#` comment lines are skipped."""
    pos, end = 0, len(text)
    # One regex search per field finds its end (the separator or the newline).
    field_end = _FIELD_END.get(sep) or _FIELD_END.setdefault(
        sep, re.compile(f"[{re.escape(sep)}\n]")
    )
    while pos < end:
        char = text[pos]
        if char == "\n":
            pos += 1
            line += 1
            continue
        if char == "#":
            stop = text.find("\n", pos)
            pos = end if stop == -1 else stop + 1
            line += 1
            continue
        start_line = line
        fields: list[str] = []
        while True:
            if pos < end and text[pos] == '"':
                parts = []
                pos += 1
                while True:
                    quote = text.find('"', pos)
                    if quote == -1:
                        raise _Unterminated(start_line)
                    parts.append(text[pos:quote])
                    line += text.count("\n", pos, quote)
                    if text.startswith('""', quote):
                        parts.append('"')
                        pos = quote + 2
                        continue
                    pos = quote + 1
                    break
                found = field_end.search(text, pos)
                stop = found.start() if found else end
                parts.append(text[pos:stop])  # text after the closing quote is kept, as in Anki
                value = "".join(parts)
            else:
                found = field_end.search(text, pos)
                stop = found.start() if found else end
                value = text[pos:stop]
            fields.append(value)
            if len(fields) > MAX_COLUMNS:
                raise _TooWide(start_line)
            pos = stop
            if pos >= end:
                break
            if text[pos] == sep:
                pos += 1
                if pos >= end:
                    fields.append("")
                    break
                continue
            pos += 1  # the newline that ends the record
            line += 1
            break
        yield start_line, fields


_FIELD_END: dict[str, re.Pattern[str]] = {}


def _separator(value: str) -> str | None:
    name = value.strip().rstrip(",;|:\t ").strip().lower()
    if name in SEPARATORS:
        return SEPARATORS[name]
    for candidate in (value, value.strip()):
        if candidate and len(set(candidate)) == 1 and candidate[0] in SEPARATORS.values():
            return candidate[0]
    return None


def _guess_separator(first_row: str, suffix: str) -> str:
    if "\t" in first_row or suffix == ".tsv":
        return "\t"
    if suffix == ".csv" and first_row.count(";") > first_row.count(","):
        return ";"
    return ","


class _Headers:
    def __init__(self) -> None:
        self.sep: str | None = None
        self.html: bool | None = None
        self.tags: list[str] = []
        self.columns: list[str] | None = None
        self.deck: str | None = None
        self.notetype: str | None = None
        self.meta: dict[int, str] = {}  # 1-based column -> guid / notetype / deck / tags


def _header_count(lines: list[str]) -> int:
    """How many leading lines are headers or comments (and a first `tags:` line)."""
    count = 0
    for index, line in enumerate(lines):
        if not (line.startswith("#") or (index == 0 and line.startswith("tags:"))):
            break
        count += 1
    return count


def _read_headers(lines: list[str], file: str, guess: str) -> tuple[_Headers, list[Problem]]:
    """Parse the header lines; values may end in stray separators (from spreadsheets)."""
    headers = _Headers()
    problems: list[Problem] = []
    raw: list[tuple[int, str, str]] = []
    for index, line in enumerate(lines):
        if index == 0 and line.startswith("tags:"):
            headers.tags = split_tags(line[5:])
        elif (key := _header_key(line)) is not None:
            raw.append((index + 1, key, line.split(":", 1)[1]))
    for number, key, value in raw:
        if key == "separator":
            headers.sep = _separator(value)
            if headers.sep is None:
                problems.append(
                    Problem(
                        file,
                        number,
                        f"unknown separator '{value.strip()}'",
                        "use Comma, Semicolon, Tab, Space, Pipe or Colon",
                    )
                )
    sep = headers.sep or guess
    strip = " \t" + sep
    for number, key, value in raw:
        clean = value.strip(strip)
        if key == "html":
            if clean.lower() in ("true", "false"):
                headers.html = clean.lower() == "true"
            else:
                problems.append(
                    Problem(file, number, f"#html must be true or false, not '{clean}'")
                )
        elif key == "tags":
            headers.tags = split_tags(clean)
        elif key == "columns":
            headers.columns = _split_label_line(value, sep)
            if len(headers.columns) > MAX_COLUMNS:
                problems.append(
                    Problem(file, number, f"#columns names more than {MAX_COLUMNS} columns")
                )
        elif key == "deck":
            headers.deck = clean or None
        elif key == "notetype":
            headers.notetype = clean or None
        elif key.endswith(" column"):
            column = whole_number(clean) if clean.isdigit() else None
            if column is not None and 1 <= column <= MAX_COLUMNS:
                headers.meta[column] = key.split()[0]
            else:
                shown = clean if len(clean) <= 20 else clean[:17] + "..."
                problems.append(
                    Problem(
                        file,
                        number,
                        f"#{key} must be a column number from 1 to {MAX_COLUMNS}, not '{shown}'",
                    )
                )
    return headers, problems


def _split_label_line(raw: str, sep: str) -> list[str]:
    try:
        records = list(_records(raw.rstrip(" " + sep), sep, 1))
    except (_Unterminated, _TooWide):
        return raw.split(sep, MAX_COLUMNS + 1)
    return records[0][1] if records else []


def read_anki_text(
    path: Path,
    deck_name: str | None = None,
    *,
    columns: str | Sequence[str] | None = None,
    skip_bad_rows: bool = False,
) -> Loaded:
    """Read an Anki text export or a plain CSV/TSV of questions; DeckError on any bad row.

    (Read through `registry.read_file`, which holds the cyclic collector off meanwhile: each
    row builds some twenty containers, none in a cycle, all kept.)
    """
    return _read_anki_text(path, deck_name, columns, skip_bad_rows)


def _read_anki_text(
    path: Path,
    deck_name: str | None,
    columns: str | Sequence[str] | None,
    skip_bad_rows: bool,
) -> Loaded:
    source = Source.read(path)
    file = source.file
    # One note a line at most: counted before anything is built (a quoted field may span
    # lines, which only errs on the safe side).
    too_many = too_many_questions(source.text.count("\n"))
    if too_many:
        raise DeckError.at(file, 1, too_many)
    lines = source.text.split("\n")
    count = _header_count(lines)
    first_row = next((line for line in lines[count:] if line.strip() and line[0] != "#"), "")
    guess = _guess_separator(first_row, path.suffix.lower())
    headers, problems = _read_headers(lines[:count], file, guess)
    if problems:
        raise DeckError(problems)
    sep = headers.sep or guess
    try:
        records = _line_records(lines[count:], sep, count + 1)
        if records is None:
            records = _fast_records("\n".join(lines[count:]), sep, count + 1)
    except _Unterminated as exc:
        raise DeckError.at(
            file,
            exc.line,
            "a quoted field is never closed",
            'close it with " (write "" for a quote)',
        ) from None
    except _TooWide as exc:
        raise DeckError.at(
            file, exc.line, f"more than {MAX_COLUMNS} fields in one row", "is the separator right?"
        ) from None
    if not records:
        raise DeckError.at(file, 1, "no questions found", "write one question per row")
    label_columns = None
    if headers.columns is not None:
        label_columns = [column_name(lb) or f"extra:{lb.strip()}" for lb in headers.columns]
    names = _mapping(columns, label_columns, headers, records[0], file)
    html = headers.html
    if html is None:
        html = any(_HTML.search(value) for _, fields in records for value in fields)
    return _rows_to_loaded(records, names, headers, html, file, deck_name, skip_bad_rows, source)


def _mapping(
    columns: str | Sequence[str] | None,
    labels: list[str] | None,
    headers: _Headers,
    first: tuple[int, list[str]],
    file: str,
) -> list[str]:
    if columns is not None:
        names = parse_columns(columns, file)
    elif labels is not None:
        names = labels
    else:
        line, fields = first
        width = max(len(fields), max(headers.meta, default=0))
        free = [i for i in range(1, width + 1) if i not in headers.meta]
        defaults = ["question", "approach"]
        if "tags" not in headers.meta.values():
            defaults.append("tags")
        if len(free) > len(defaults):
            raise DeckError.at(
                file,
                line,
                f"{len(fields)} fields and no column names",
                "say what they hold with --columns, e.g. --columns question,approach,why,tags",
            )
        names = ["ignore"] * width
        for index, name in zip(free, defaults, strict=False):
            names[index - 1] = name
    for index, meta in headers.meta.items():
        while len(names) < index:
            names.append("ignore")
        names[index - 1] = meta
    if "question" not in names:
        raise DeckError.at(file, 0, "no column holds the question", "name one with --columns")
    return names


def _rows_to_loaded(
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
    plan = _RowPlan(names, html, media, ignored)
    # No field can be longer than the text it came from: most files need no check per row.
    check_length = len(source.text) > MAX_FIELD_CHARS and not isinstance(records, _ShortFields)
    header_tags = headers.tags
    for line, fields in records:
        while len(fields) > expected and not fields[-1].strip():
            fields.pop()  # trailing separators
        if len(fields) != expected:
            which = "many" if len(fields) > expected else "few"
            bad.append(
                Problem(file, line, f"too {which} fields: {len(fields)}, expected {expected}")
            )
            continue
        if check_length and max(map(len, fields)) > MAX_FIELD_CHARS:
            bad.append(Problem(file, line, f"a field longer than {MAX_FIELD_CHARS:,} characters"))
            continue
        entry = plan.entry(fields)
        if entry is None:
            bad.append(Problem(file, line, "empty question (the first field)"))
            continue
        entry.deck_name = entry.deck_name or default_deck
        question = entry.question
        if header_tags:
            question.tags = list(dict.fromkeys([*question.tags, *header_tags]))
        question.line = line
        key = (deck_name or entry.deck_name, question.question.casefold())
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
    # Decided last, once nothing changes the questions any more: a deck all of whose rows
    # took the whole-row shortcut is as normalize_question leaves it, and an import need
    # not visit every field again (held by tests/test_anki_text_rows.py).
    not_normal = {id(question) for question in plan.not_normal}
    for deck in loaded.decks:
        deck.normalized = not not_normal or not any(
            id(question) in not_normal for question in deck.questions
        )
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


# The Question attribute each named column fills, as text or as a list of items.
_TEXT_ATTRIBUTES = ("why", "bad_example", "short_answer")
_ITEM_ATTRIBUTES = ("variants", "dos", "donts", "tips", "red_flags", "follow_ups", "key_phrases")
_ITEM_PREFIX = re.compile(r"^- ")


def _plain_items(value: str) -> list[str]:
    """A list field of a file without HTML: one item a line, a leading "- " dropped."""
    return [_ITEM_PREFIX.sub("", line).strip() for line in value.split("\n") if line.strip()]


def _getter(positions: list[int]) -> Callable[[list[str]], tuple[str, ...]]:
    """The fields at `positions` as a tuple (itemgetter gives one field bare, or fails)."""
    if len(positions) > 1:
        return itemgetter(*positions)
    if positions:
        position = positions[0]
        return lambda fields: (fields[position],)
    return lambda fields: ()


# The columns of drill's own export (writer.FIELDS, then the GUID and tags), as named here.
_DRILL_LAYOUT = [
    "question", "variants", "why", "approach", "dos", "donts", "examples", "bad_example",
    "tips", "short_answer", "red_flags", "follow_ups", "key_phrases", "type", "competencies",
    "level", "length", "reviewed", "id", "guid", "tags",
]  # fmt: skip


class _RowPlan:
    """Turns a row's fields into a question, with the columns looked up once per file.

    A row of an Anki text file has a field per column, most of them empty; where each field
    goes is the same for every row, so it is worked out here once rather than per row (an
    import of 5,000 rows spent most of its reading time finding its fields). Where two
    columns have one name, the last one counts, as a dict of the row would have it.
    """

    def __init__(
        self, names: list[str], html: bool, media: Counter[str], ignored: Counter[str]
    ) -> None:
        index = {name: position for position, name in enumerate(names)}
        self.html, self.media, self.ignored = html, media, ignored
        self.question = index["question"]
        self.texts = [(name, index[name]) for name in _TEXT_ATTRIBUTES if name in index]
        self.items = [(name, index[name]) for name in _ITEM_ATTRIBUTES if name in index]
        self.metadata = [
            (field, index[field.lower()]) for field in METADATA_FIELDS if field.lower() in index
        ]
        self.extra = [
            (name[6:], position) for position, name in enumerate(names) if name.startswith("extra:")
        ]
        self.examples = index.get("examples")
        self.approach = index.get("approach")
        self.tags = index.get("tags")
        self.guid = index.get("guid")
        self.id = index.get("id")
        self.deck = index.get("deck")
        # Questions read field by field, which may not be as normalize_question leaves them.
        self.not_normal: list[Question] = []

        # Every column read as text, for the whole-row shortcut's one plainness test.
        text_columns = [self.question, *(position for _, position in self.texts)]
        text_columns += [position for _, position in self.extra]
        text_columns += [p for p in (self.approach, self.id) if p is not None]
        self.text_values = _getter(text_columns)
        self.metadata_values = _getter([position for _, position in self.metadata])
        self.deck_ids: dict[str, str | None] = {}  # the deck part of a Drill id, if an id
        self.entry: Callable[[list[str]], NoteEntry | None] = (
            (self._drill_row if names == _DRILL_LAYOUT else self._html_row)
            if html
            else self._by_field
        )

        # The field readers, chosen once: HTML (with media counted) or plain text.
        self.text: Callable[[str], str]
        self.item_list: Callable[[str], list[str]]
        if html:
            self.text = lambda value: from_html(value, media) if value else ""
            self.item_list = lambda value: items_from_html(value, media)
        else:
            self.text = lambda value: value.strip() if value else ""
            self.item_list = _plain_items

    def _html_row(self, fields: list[str]) -> NoteEntry | None:
        """A row of an HTML file whose fields are plain text, flat lists of it and drill's
        example blocks (drill's own export), read without a field reader per field.

        Each field reader tests its field for plainness (fields.is_plain) before taking its
        own shortcut; here one test of every such text joined by "|" (itself plain, and no
        two spaces can meet across it) stands for all of them, and each field is then read
        as its reader's shortcut reads it. A row that fails the test is read field by field.
        The values are then stripped one-line text without double spaces and lists without
        empty items: as normalize_question would leave them.
        """
        inners, present = [], []
        loose: list[tuple[str, str]] | None = None  # list fields of plain text: one item
        for name, position in self.items:
            value = fields[position]
            if value:
                if value.startswith(UL_OPEN) and value.endswith(UL_CLOSE):
                    inners.append(value[LIST_INNER])
                    present.append(name)
                elif loose is None:
                    loose = [(name, value)]
                else:
                    loose.append((name, value))
        # The list items, '|' between them: when no item is empty or starts or ends with a
        # space (all the space plain text can have), the lists need no stripping.
        items = "|".join(inners).replace(LI_BETWEEN, "|")
        label = text = ""
        many = None
        if self.examples is not None:
            value = fields[self.examples]
            if value:
                one = EXAMPLE_BLOCK.fullmatch(value)
                if one is not None:
                    label, text = one.groups("")
                elif EXAMPLE_BLOCKS.fullmatch(value):
                    many = EXAMPLE_BLOCK.findall(value)
                    text = "|".join("|".join(pair) for pair in many)
                else:
                    text = value
        question_text = fields[self.question].strip()
        if not question_text or not is_plain(
            "|".join((*self.text_values(fields), items, label, text))
        ):
            return self._by_field(fields)
        if loose is not None and not is_plain("|".join(value for _, value in loose)):
            return self._by_field(fields)
        if many is not None:
            pairs = [(label.strip(), text.strip()) for label, text in many]
            if not all(text for _, text in pairs):
                return self._by_field(fields)  # a label without text: not normal
            examples = [Example(label, text) for label, text in pairs]
        elif text.strip():
            examples = [Example(label.strip(), text.strip())]
        elif label.strip():
            return self._by_field(fields)  # kept, but normalize_question drops it
        else:
            examples = []
        question = Question(id="", question=question_text, examples=examples)
        for name, position in self.texts:
            value = fields[position]
            if value:
                setattr(question, name, value.strip())
        if not items:
            pass
        elif items[0] in " |" or items[-1] in " |" or "| " in items or " |" in items:
            for name, inner in zip(present, inners, strict=True):
                setattr(question, name, [i for i in map(str.strip, inner.split(LI_BETWEEN)) if i])
        elif "||" in items:
            for name, inner in zip(present, inners, strict=True):
                setattr(question, name, [i for i in inner.split(LI_BETWEEN) if i])
        else:
            for name, inner in zip(present, inners, strict=True):
                setattr(question, name, inner.split(LI_BETWEEN))
        if loose is not None:
            for name, value in loose:
                setattr(question, name, [value.strip()] if value.strip() else [])
        return self._finish(question, fields, str.strip)

    def _drill_row(self, fields: list[str]) -> NoteEntry | None:
        """`_html_row` for the columns of drill's own export, the file an import of 5,000
        rows most likely is: the same shortcut written out column by column, so a row is
        one Question call instead of a loop and a setattr per column (a sixth faster).
        Rows with metadata, or with fields `_html_row` reads another way, go to it.
        """
        (
            question_text, variants, why, approach, dos, donts, examples, bad_example, tips,
            short_answer, red_flags, follow_ups, key_phrases, kind, competencies, level, length,
            reviewed, drill_id, guid, tags,
        ) = fields  # fmt: skip
        split: list[list[str]] = []
        for value in (variants, dos, donts, tips, red_flags, follow_ups, key_phrases):
            if not value:
                split.append([])
            elif value.startswith(UL_OPEN) and value.endswith(UL_CLOSE):
                split.append(value[LIST_INNER].split(LI_BETWEEN))
            else:
                return self._html_row(fields)
        items = "|".join(chain.from_iterable(split))
        label = text = ""
        if examples:
            one = EXAMPLE_BLOCK.fullmatch(examples)
            if one is None:
                return self._html_row(fields)
            label, text = one.groups("")
            label, text = label.strip(), text.strip()
        if (
            kind
            or competencies
            or level
            or length
            or reviewed
            or (label and not text)
            or not question_text.strip()
        ):
            return self._html_row(fields)
        checked = (question_text, why, approach, bad_example, short_answer, drill_id, items)
        if not is_plain("|".join((*checked, label, text))):
            return self._by_field(fields)
        if items and (items[0] in " |" or items[-1] in " |" or "| " in items or " |" in items):
            split = [[item for item in map(str.strip, each) if item] for each in split]
        elif "||" in items:
            split = [[item for item in each if item] for each in split]
        question = Question(
            id="",
            question=question_text.strip(),
            variants=split[0],
            why=why.strip(),
            approach=approach.strip(),
            dos=split[1],
            donts=split[2],
            examples=[Example(label, text)] if text else [],
            bad_example=bad_example.strip(),
            tips=split[3],
            tags=split_tags(tags),
            short_answer=short_answer.strip(),
            red_flags=split[4],
            follow_ups=split[5],
            key_phrases=split[6],
            import_key=guid.strip() or None,
        )
        drill_deck, is_drill = self._identify(question, drill_id.strip())
        return NoteEntry(question, "", drill_deck, is_drill)

    def _by_field(self, fields: list[str]) -> NoteEntry | None:
        text = self.text
        question = Question(id="", question=text(fields[self.question]))
        if not question.question:
            return None
        self.not_normal.append(question)
        for name, position in self.texts:
            value = fields[position]
            if value:
                setattr(question, name, text(value))
        item_list = self.item_list
        for name, position in self.items:
            value = fields[position]
            if value:
                setattr(question, name, item_list(value))
        if self.examples is not None:
            value = fields[self.examples]
            if self.html:
                question.examples = examples_from_html(value, self.media)
            elif value.strip():
                question.examples = [Example("", value.strip())]
        return self._finish(question, fields, self.text)

    def _finish(
        self, question: Question, fields: list[str], text: Callable[[str], str]
    ) -> NoteEntry:
        """The fields every row reads alike: metadata, approach, tags, GUID, id and deck;
        `text` reads the approach, extra fields and id (the field reader, or str.strip for
        fields known to be plain)."""
        given = (
            [(field, fields[position]) for field, position in self.metadata if fields[position]]
            if any(self.metadata_values(fields))  # mostly all empty: one C call to tell
            else None
        )
        if given:
            left_out = apply_metadata_fields(
                question, {field: self.text(value) for field, value in given}
            )
            if left_out:
                self.ignored.update(left_out)
        extra = [(name, text(fields[position])) for name, position in self.extra]
        approach = text(fields[self.approach]) if self.approach is not None else ""
        question.approach = appended_fields(approach, extra) if extra else approach
        if self.tags is not None:
            question.tags = split_tags(fields[self.tags])
        if self.guid is not None:
            question.import_key = fields[self.guid].strip() or None
        drill_id = text(fields[self.id]) if self.id is not None else ""
        drill_deck, is_drill = self._identify(question, drill_id)
        deck = fields[self.deck].strip() if self.deck is not None else ""
        return NoteEntry(question, deck, drill_deck, is_drill)

    def _identify(self, question: Question, drill_id: str) -> tuple[str | None, bool]:
        """Take the question id from a Drill id field ("deck/question"); the deck part, and
        whether there was one. A GUID drill derived from them is dropped as an import key."""
        if not drill_id:
            return None, False
        deck_part, _, question_part = drill_id.rpartition("/")
        if not _ID.match(question_part):
            return None, False
        question.id = question_part
        drill_deck = self.deck_ids.get(deck_part, "")
        if drill_deck == "":  # one deck part for most files: matched once
            drill_deck = self.deck_ids[deck_part] = deck_part if _ID.match(deck_part) else None
        if own_guid(question, drill_deck):
            question.import_key = None
        return drill_deck, True
