"""The decks shipped with drill: the general decks, installed on first use, and the role packs,
installed on request (`drill decks add PACK`). Both are refreshed when drill updates them.

The files live in `decks/` (general) and `decks/packs/` (role packs) of a source checkout, and
in `drill/decks/` of an installed wheel, next to the package.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import drill
from drill.errors import DrillError
from drill.storage import repo
from drill.storage.sqlite import write_transaction

if TYPE_CHECKING:
    from drill.core.model import Deck
    from drill.library.importing import DeckImportResult
    from drill.storage.sqlite import Database

HASH_KEY = "bundled_hash"
REMOVED_KEY = "bundled_removed"
# Role packs the user added, by deck id: they are refreshed like the general decks.
PACKS_KEY = "bundled_packs"
PACKS_FOLDER = "packs"
SOURCE = "bundled"


class UnknownBundledDeck(DrillError):
    pass


@dataclass(frozen=True, slots=True)
class BundledDeck:
    """A deck drill ships: whether it is a role pack, and whether this database has it."""

    id: str
    name: str
    description: str
    questions: int
    pack: bool
    installed: bool

    def to_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "name": self.name,
            "questions": self.questions,
            "installed": self.installed,
            "pack": self.pack,
        }


def bundled_dir() -> Path:
    """`drill/decks` inside an installed wheel, or `decks/` of a source checkout.

    A plain path next to the package: this runs before every command, and
    importlib.resources alone would cost more than the rest of the check.
    """
    packaged = Path(drill.__file__).parent / "decks"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[3] / "decks"


def _markdown_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted((f for f in folder.iterdir() if f.name.endswith(".md")), key=lambda f: f.name)


def bundled_files() -> list[Path]:
    """The general decks, installed by default."""
    return _markdown_files(bundled_dir())


def pack_files() -> list[Path]:
    """The role packs, installed with `drill decks add`."""
    return _markdown_files(bundled_dir() / PACKS_FOLDER)


def _parse(entry: Path, data: bytes, pack: bool) -> Deck:
    from drill.io.markdown.deck import parse_markdown
    from drill.io.source import Source

    folder = f"decks/{PACKS_FOLDER}" if pack else "decks"
    deck = parse_markdown(Source.from_bytes(data, f"{folder}/{entry.name}"))
    deck.source = SOURCE
    return deck


# The parsed role packs, with the path and bytes of the files they came from.
_PACKS: tuple[tuple[tuple[str, bytes], ...], tuple[Deck, ...]] | None = None


def pack_decks() -> tuple[Deck, ...]:
    """The role packs drill ships, parsed; read-only (they are shared between callers).

    Parsed again only when a file is not what it was: ranking questions for a job reads them
    every time (`drill job add` twice, the TUI's job screen each time it shows), and reading
    the files is a fraction of a millisecond where parsing them is tens.
    """
    global _PACKS
    files = [(entry, entry.read_bytes()) for entry in pack_files()]
    key = tuple((str(entry), data) for entry, data in files)
    if _PACKS is None or _PACKS[0] != key:
        _PACKS = key, tuple(_parse(entry, data, True) for entry, data in files)
    return _PACKS[1]


def _shipped() -> list[tuple[Deck, bool]]:
    """Every shipped deck with whether it is a pack: general decks first, in file order."""
    out = []
    for pack, files in ((False, bundled_files()), (True, pack_files())):
        for entry in files:
            out.append((_parse(entry, entry.read_bytes(), pack), pack))
    return out


def _id_list(db: Database, key: str) -> list[str]:
    return repo.list_setting(db, key)


def ensure_bundled(db: Database, now: datetime) -> list[str]:
    """Install or refresh the bundled decks and the added packs when they changed; returns the
    deck ids touched.

    Decks the user removed stay removed. Progress is never reset (import matches by id).
    """
    packs = _id_list(db, PACKS_KEY)
    digest = hashlib.sha256(json.dumps(packs).encode() + b"\0")
    contents = []
    for pack, files in ((False, bundled_files()), (True, pack_files())):
        for entry in files:
            data = entry.read_bytes()
            name = f"{PACKS_FOLDER}/{entry.name}" if pack else entry.name
            digest.update(name.encode() + b"\0" + data + b"\0")
            contents.append((entry, data, pack))
    fingerprint = digest.hexdigest()
    if repo.get_setting(db, HASH_KEY) == fingerprint:
        return []
    from drill.library.importing import import_decks

    removed = set(_id_list(db, REMOVED_KEY))
    decks = []
    for entry, data, pack in contents:
        deck = _parse(entry, data, pack)
        if deck.id not in removed and (not pack or deck.id in packs):
            decks.append(deck)
    with write_transaction(db):
        import_decks(db, decks, now)
        repo.set_setting(db, HASH_KEY, fingerprint)
    return [d.id for d in decks]


def available(db: Database) -> list[BundledDeck]:
    """Every deck drill ships, general decks first, then the role packs."""
    installed = {info.id for info in repo.decks(db)}
    return [
        BundledDeck(
            deck.id,
            deck.name,
            deck.description,
            len(deck.questions),
            pack,
            deck.id in installed,
        )
        for deck, pack in _shipped()
    ]


def packs_to_add(db: Database) -> list[Deck]:
    """The role packs this database does not have yet, parsed (for the welcome to offer and
    the plan to simulate before they are added).
    """
    installed = {info.id for info in repo.decks(db)}
    return [deck for deck, pack in _shipped() if pack and deck.id not in installed]


def add_bundled(db: Database, deck_ids: list[str], now: datetime) -> list[DeckImportResult]:
    """Install role packs, or bring back general decks that were removed, in one transaction.

    Adding one that is installed refreshes it; progress is kept either way. A deck of the
    user's own with the same id is never overwritten. Every id is checked before anything is
    written.
    """
    from drill.library.importing import import_decks

    shipped = {deck.id: (deck, pack) for deck, pack in _shipped()}
    existing = {info.id: info for info in repo.decks(db)}
    for deck_id in deck_ids:
        if deck_id not in shipped:
            import difflib  # only for a mistyped name: every start-up checks the decks here

            close = difflib.get_close_matches(deck_id, list(shipped), n=1)
            hint = f"did you mean '{close[0]}'?" if close else "see: drill decks available"
            raise UnknownBundledDeck(f"no bundled deck or pack '{deck_id}' ({hint})")
        info = existing.get(deck_id)
        if info is not None and info.source != SOURCE:
            raise DrillError(
                f"you already have a deck '{deck_id}' of your own "
                f"(remove it first with: drill decks remove {deck_id})"
            )
    chosen = list(dict.fromkeys(deck_ids))
    with write_transaction(db):
        results = import_decks(db, [shipped[deck_id][0] for deck_id in chosen], now)
        removed = [deck_id for deck_id in _id_list(db, REMOVED_KEY) if deck_id not in chosen]
        repo.set_setting(db, REMOVED_KEY, json.dumps(removed))
        packs = _id_list(db, PACKS_KEY)
        packs += [deck_id for deck_id in chosen if shipped[deck_id][1] and deck_id not in packs]
        repo.set_setting(db, PACKS_KEY, json.dumps(packs))
    return results
