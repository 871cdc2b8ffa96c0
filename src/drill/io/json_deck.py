"""The JSON deck format: exactly what `drill export deck --format json` writes."""

from __future__ import annotations

import json
from typing import Any

from drill.io.errors import DeckError
from drill.io.source import Source
from drill.model import Deck, Question, slugify
from drill.sanitize import strip_control_chars


def dump_json(deck: Deck) -> str:
    """The deck as JSON: {"deck": {...}, "questions": [...]}, empty parts as "" and []."""
    data = {
        "deck": {"id": deck.id, "name": deck.name, "description": deck.description},
        "questions": [q.content_dict() for q in deck.questions],
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def _line_of(text: str, key_path: str, index: int) -> int:
    """Best-effort line of the index-th question object, for error messages."""
    count = -1
    for number, line in enumerate(text.split("\n"), start=1):
        if '"question"' in line and '"questions"' not in line:
            count += 1
            if count == index:
                return number
    return 1


def parse_json(source: Source) -> Deck:
    """Read a JSON deck; DeckError with a line for invalid JSON or a wrong shape."""
    try:
        data = json.loads(source.text)
    except json.JSONDecodeError as exc:
        raise DeckError.at(source.file, exc.lineno, f"invalid JSON: {exc.msg}") from None
    if not isinstance(data, dict) or not isinstance(data.get("deck"), dict):
        raise DeckError.at(
            source.file, 1, "not a drill JSON deck", 'expected {"deck": {...}, "questions": [...]}'
        )
    meta = data["deck"]
    name = _text(meta.get("name"), source, 1, "deck name")
    if not name.strip():
        raise DeckError.at(source.file, 1, "deck name is empty")
    deck_id = _text(meta.get("id") or slugify(name), source, 1, "deck id")
    questions_data = data.get("questions", [])
    if not isinstance(questions_data, list):
        raise DeckError.at(source.file, 1, '"questions" must be a list')
    questions: list[Question] = []
    seen: set[str] = set()
    for index, item in enumerate(questions_data):
        line = _line_of(source.text, "questions", index)
        if not isinstance(item, dict) or not str(item.get("question") or "").strip():
            raise DeckError.at(source.file, line, f"question {index + 1} has no question text")
        item = _clean(item)
        item.setdefault("id", slugify(item["question"]))
        if not item["id"]:
            raise DeckError.at(source.file, line, f"question {index + 1} has no id")
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
    )


def _text(value: Any, source: Source, line: int, what: str) -> str:
    if not isinstance(value, str):
        raise DeckError.at(source.file, line, f"{what} must be a string")
    return strip_control_chars(value)


def _clean(value: Any) -> Any:
    # JSON escapes (\u001b) survive Source's byte-level cleaning, so clean decoded strings too.
    if isinstance(value, str):
        return strip_control_chars(value)
    if isinstance(value, list):
        return [_clean(v) for v in value]
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    return value


def _check_types(q: Question, source: Source, line: int) -> None:
    for name in ("question", "why", "approach", "bad_example", "id"):
        if not isinstance(getattr(q, name), str):
            raise DeckError.at(source.file, line, f"'{name}' must be a string")
    for name in ("variants", "dos", "donts", "tips", "tags"):
        values = getattr(q, name)
        if not all(isinstance(v, str) for v in values):
            raise DeckError.at(source.file, line, f"'{name}' must be a list of strings")
    for example in q.examples:
        if not isinstance(example.text, str) or not isinstance(example.label, str):
            raise DeckError.at(source.file, line, "examples need string 'label' and 'text'")
