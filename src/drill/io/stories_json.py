"""The story bank as JSON (`drill export stories --format json`), read back for
`drill story import`: every story with all its versions and links.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from drill.errors import DeckError
from drill.io.source import Source


@dataclass(frozen=True, slots=True)
class StoryVersionRecord:
    text: str
    created_at: datetime
    source: str


@dataclass(frozen=True, slots=True)
class StoryRecord:
    id: str
    title: str
    competencies: tuple[str, ...]
    created_at: datetime
    versions: tuple[StoryVersionRecord, ...]
    links: tuple[tuple[str, str], ...]  # (deck, question id)


def _time(value: object, where: str) -> datetime:
    if not isinstance(value, str):
        raise ValueError(f"{where}: a time must be ISO-8601 text")
    moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        raise ValueError(f"{where}: the time {value!r} has no UTC offset")
    return moment


def _text(value: object, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{where}: must be non-empty text")
    return value


def parse_stories(source: Source) -> list[StoryRecord]:
    """Stories from the export's JSON; DeckError naming the story at fault."""
    try:
        data = json.loads(source.text)
    except json.JSONDecodeError as exc:
        raise DeckError.at(source.file, exc.lineno, f"not JSON: {exc.msg}") from None
    if not isinstance(data, list):
        raise DeckError.at(source.file, 1, "expected a list of stories (drill export stories)")
    out = []
    for number, item in enumerate(data, 1):
        where = f"story {number}"
        try:
            if not isinstance(item, dict):
                raise ValueError(f"{where}: expected an object")
            versions = item.get("versions")
            if not isinstance(versions, list) or not versions:
                raise ValueError(f"{where}: needs at least one version")
            links = item.get("links") or []
            competencies = item.get("competencies") or []
            if not isinstance(links, list) or not isinstance(competencies, list):
                raise ValueError(f"{where}: links and competencies must be lists")
            out.append(
                StoryRecord(
                    id=_text(item.get("id"), f"{where} id"),
                    title=_text(item.get("title"), f"{where} title"),
                    competencies=tuple(str(c) for c in competencies),
                    created_at=_time(item.get("created_at"), f"{where} created_at"),
                    versions=tuple(
                        StoryVersionRecord(
                            _text(v.get("text"), f"{where} version text"),
                            _time(v.get("created_at"), f"{where} version created_at"),
                            str(v.get("source") or "import"),
                        )
                        for v in versions
                        if isinstance(v, dict)
                    ),
                    links=tuple(
                        (
                            _text(link.get("deck"), f"{where} link deck"),
                            _text(link.get("question_id"), f"{where} link question_id"),
                        )
                        for link in links
                        if isinstance(link, dict)
                    ),
                )
            )
        except (ValueError, AttributeError) as exc:
            raise DeckError.at(source.file, 0, str(exc)) from None
    return out
