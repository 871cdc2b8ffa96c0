"""The JSON deck format: exactly what `drill export deck --format json` writes."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from drill.core import vocabulary
from drill.core.limits import too_many_questions
from drill.core.model import Deck, Question, slugify
from drill.core.sanitize import json_text, strip_control_chars
from drill.errors import DeckError
from drill.io.source import Source

# The same ids the Markdown format accepts, so an imported deck can be exported and re-read.
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
# A deck is four levels deep ({"questions": [{"examples": [{...}]}]}); far deeper is not a deck.
_MAX_DEPTH = 32
# Lists and objects in one deck file. Parsed, each costs some 60 bytes for its 2 or 3 in the
# file ('[],'), so 64 MiB of them would be gigabytes; a deck holds about a dozen per question.
MAX_CONTAINERS = 1_000_000
_STRING_LISTS = (
    "variants",
    "dos",
    "donts",
    "tips",
    "tags",
    "follow_ups",
    "red_flags",
    "key_phrases",
)
_LIST_FIELDS = (*_STRING_LISTS, "competencies", "examples")
_TEXT_FIELDS = ("id", "why", "approach", "bad_example", "short_answer")
# Metadata checked against core/vocabulary, as in the Markdown format: (field, parser).
_VOCABULARY: tuple[tuple[str, Callable[[str], Any]], ...] = (
    ("type", vocabulary.parse_type),
    ("level", vocabulary.parse_level),
    ("reviewed", vocabulary.parse_reviewed),
)


def dump_json(deck: Deck) -> str:
    """The deck as JSON: {"deck": {...}, "questions": [...]}, empty parts as "" and []."""
    data = {
        "deck": {
            "id": deck.id,
            "name": deck.name,
            "description": deck.description,
            "license": deck.license,
            "version": deck.version,
        },
        "questions": [q.content_dict() for q in deck.questions],
    }
    return json_text(data, indent=2) + "\n"


def _question_lines(text: str) -> list[int]:
    """Best-effort line of each question object, in order, for error messages."""
    return [
        number
        for number, line in enumerate(text.split("\n"), start=1)
        if '"question"' in line and '"questions"' not in line
    ]


def parse_json(source: Source) -> Deck:
    """Read a JSON deck; DeckError with a line for invalid JSON or a wrong shape."""
    # Counted in the text (brackets inside strings too, so it errs on the safe side) before
    # anything is built.
    if source.text.count("[") + source.text.count("{") > MAX_CONTAINERS:
        raise DeckError.at(
            source.file,
            1,
            f"more than {MAX_CONTAINERS:,} lists and objects (a deck holds about a dozen per "
            "question)",
        )
    try:
        data = json.loads(source.text)
    except json.JSONDecodeError as exc:
        raise DeckError.at(source.file, exc.lineno, f"invalid JSON: {exc.msg}") from None
    except RecursionError:
        raise DeckError.at(source.file, 1, "invalid JSON: nested too deeply") from None
    except ValueError:  # an integer longer than Python converts (sys.int_info)
        raise DeckError.at(source.file, 1, "invalid JSON: a number has too many digits") from None
    if not isinstance(data, dict) or not isinstance(data.get("deck"), dict):
        raise DeckError.at(
            source.file, 1, "not a drill JSON deck", 'expected {"deck": {...}, "questions": [...]}'
        )
    meta = data["deck"]
    name = _text(meta.get("name"), source, 1, "deck name")
    if not name.strip():
        raise DeckError.at(source.file, 1, "deck name is empty")
    deck_id = _text(meta.get("id") or slugify(name), source, 1, "deck id")
    if not deck_id:
        raise DeckError.at(
            source.file, 1, f"deck name '{name}' has no letters or digits for an id", 'add "id"'
        )
    if not _ID.match(deck_id):
        raise DeckError.at(source.file, 1, f"invalid deck id '{deck_id}'", _ID_HINT)
    questions_data = data.get("questions", [])
    if not isinstance(questions_data, list):
        raise DeckError.at(source.file, 1, '"questions" must be a list')
    too_many = too_many_questions(len(questions_data))
    if too_many:
        raise DeckError.at(source.file, 1, too_many)
    questions: list[Question] = []
    seen: set[str] = set()
    lines = _question_lines(source.text) if questions_data else []
    for index, item in enumerate(questions_data):
        line = lines[index] if index < len(lines) else 1
        if not isinstance(item, dict):
            raise DeckError.at(source.file, line, f"question {index + 1} must be an object")
        if not isinstance(item.get("question") or "", str):
            raise DeckError.at(source.file, line, f"question {index + 1}: 'question' must be text")
        item = _clean(item, source, line)
        if not (item.get("question") or "").strip():
            raise DeckError.at(source.file, line, f"question {index + 1} has no question text")
        _check_shapes(item, source, line)
        _check_vocabulary(item, source, line)
        item.setdefault("id", slugify(item["question"]))
        if not item["id"]:
            raise DeckError.at(source.file, line, f"question {index + 1} has no id")
        if not _ID.match(item["id"]):
            raise DeckError.at(source.file, line, f"invalid id '{item['id']}'", _ID_HINT)
        if item["id"] in seen:
            raise DeckError.at(source.file, line, f"duplicate question id '{item['id']}'")
        seen.add(item["id"])
        try:
            questions.append(Question.from_content_dict(item, line=line))
        except (TypeError, KeyError, AttributeError) as exc:
            raise DeckError.at(
                source.file, line, f"question {index + 1}: bad field ({exc})"
            ) from None
        _check_types(questions[-1], source, line)
    return Deck(
        id=deck_id,
        name=name,
        description=_text(meta.get("description") or "", source, 1, "description"),
        questions=questions,
        source=source.file,
        license=_label(meta, "license", source),
        version=_label(meta, "version", source),
    )


def _label(meta: dict[str, Any], key: str, source: Source) -> str:
    value = _text(meta.get(key) or "", source, 1, f"deck {key}")
    if not value.strip():
        return ""
    try:
        return vocabulary.parse_label(key, value)
    except vocabulary.VocabularyError as exc:
        raise DeckError.at(source.file, 1, exc.message, exc.hint) from None


_ID_HINT = "use letters, digits, '-', '_' or '.'"


def _text(value: Any, source: Source, line: int, what: str) -> str:
    if not isinstance(value, str):
        raise DeckError.at(source.file, line, f"{what} must be a string")
    return _clean_text(value)


def _clean_text(text: str) -> str:
    # JSON escapes survive Source's byte-level cleaning: \u001b would reach the terminal, and
    # a lone surrogate (\ud800) cannot be stored as UTF-8. Clean decoded strings too.
    return _SURROGATE.sub("\ufffd", strip_control_chars(text))


def _clean(value: Any, source: Source, line: int, depth: int = 0) -> Any:
    if depth > _MAX_DEPTH:
        raise DeckError.at(source.file, line, "nested too deeply for a drill JSON deck")
    if isinstance(value, str):
        return _clean_text(value)
    if isinstance(value, list):
        return [_clean(v, source, line, depth + 1) for v in value]
    if isinstance(value, dict):
        return {k: _clean(v, source, line, depth + 1) for k, v in value.items()}
    return value


def _check_shapes(item: dict[str, Any], source: Source, line: int) -> None:
    """Lists must be lists: a string where a list belongs would be read letter by letter."""
    for name in _LIST_FIELDS:
        value = item.get(name)
        if value and not isinstance(value, list):
            kind = "objects" if name == "examples" else "strings"
            raise DeckError.at(source.file, line, f"'{name}' must be a list of {kind}")
    for example in item.get("examples") or []:
        if not isinstance(example, dict) or not isinstance(example.get("text"), str):
            raise DeckError.at(source.file, line, "examples need string 'label' and 'text'")
    for name in _TEXT_FIELDS:
        value = item.get(name)
        if value is not None and not isinstance(value, str):
            raise DeckError.at(source.file, line, f"'{name}' must be a string")


def _check_vocabulary(item: dict[str, Any], source: Source, line: int) -> None:
    """Type, level, competencies, length and reviewed as the Markdown format checks them;
    valid values are normalised in place (lower case, length as [low, high]).
    """
    try:
        for name, parse in _VOCABULARY:
            value = item.get(name)
            if value is None or value == "":
                continue
            if not isinstance(value, str):
                raise DeckError.at(source.file, line, f"'{name}' must be a string")
            item[name] = parse(value)
        competencies = item.get("competencies")
        if competencies:
            if not all(isinstance(c, str) for c in competencies):
                raise DeckError.at(source.file, line, "'competencies' must be a list of strings")
            item["competencies"] = vocabulary.parse_competencies(", ".join(competencies))
        length = item.get("length")
        if length is not None:
            if (
                not isinstance(length, list)
                or len(length) != 2
                or not all(type(n) is int for n in length)
            ):
                raise DeckError.at(
                    source.file,
                    line,
                    "'length' must be [low, high] in seconds, or null",
                    "e.g. [60, 150]",
                )
            item["length"] = list(vocabulary.parse_length(f"{length[0]}-{length[1]}s"))
    except vocabulary.VocabularyError as exc:
        raise DeckError.at(source.file, line, exc.message, exc.hint) from None


def _check_types(q: Question, source: Source, line: int) -> None:
    for name in ("question", "why", "approach", "bad_example", "id", "short_answer"):
        if not isinstance(getattr(q, name), str):
            raise DeckError.at(source.file, line, f"'{name}' must be a string")
    for name in _STRING_LISTS:
        values = getattr(q, name)
        if not all(isinstance(v, str) for v in values):
            raise DeckError.at(source.file, line, f"'{name}' must be a list of strings")
    for example in q.examples:
        if not isinstance(example.text, str) or not isinstance(example.label, str):
            raise DeckError.at(source.file, line, "examples need string 'label' and 'text'")
