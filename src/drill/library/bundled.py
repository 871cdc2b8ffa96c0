"""The decks shipped with drill: installed on first use, refreshed when drill updates them."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import drill
from drill.storage import repo

if TYPE_CHECKING:
    from drill.storage.sqlite import Database

HASH_KEY = "bundled_hash"
REMOVED_KEY = "bundled_removed"


def bundled_dir() -> Path:
    """`drill/decks` inside an installed wheel, or `decks/` of a source checkout.

    A plain path next to the package: this runs before every command, and
    importlib.resources alone would cost more than the rest of the check.
    """
    packaged = Path(drill.__file__).parent / "decks"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[3] / "decks"


def bundled_files() -> list[Path]:
    folder = bundled_dir()
    if not folder.is_dir():
        return []
    return sorted((f for f in folder.iterdir() if f.name.endswith(".md")), key=lambda f: f.name)


def ensure_bundled(db: Database, now: datetime) -> list[str]:
    """Install or refresh the bundled decks when they changed; returns deck ids touched.

    Decks the user removed stay removed. Progress is never reset (import matches by id).
    """
    files = bundled_files()
    digest = hashlib.sha256()
    contents = []
    for entry in files:
        data = entry.read_bytes()
        digest.update(entry.name.encode() + b"\0" + data + b"\0")
        contents.append((entry.name, data))
    fingerprint = digest.hexdigest()
    if repo.get_setting(db, HASH_KEY) == fingerprint:
        return []
    from drill.io.markdown.deck import parse_markdown
    from drill.io.source import Source
    from drill.library.importing import import_decks

    removed = set(json.loads(repo.get_setting(db, REMOVED_KEY) or "[]"))
    decks = []
    for name, data in contents:
        deck = parse_markdown(Source.from_bytes(data, f"decks/{name}"))
        deck.source = "bundled"
        if deck.id not in removed:
            decks.append(deck)
    import_decks(db, decks, now)
    repo.set_setting(db, HASH_KEY, fingerprint)
    return [d.id for d in decks]
