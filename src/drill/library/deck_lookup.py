"""Which deck a user means: by its id, its name in any case, or the unique start of either.

Every `--deck` goes through `resolve_deck`, so `--deck salary`, `--deck "Salary and
logistics"` and `--deck salary-and-logistics` all name the same deck, and a typo gets a
suggestion instead of a bare "no deck".
"""

from __future__ import annotations

import difflib
import unicodedata
from typing import TYPE_CHECKING

from drill.core.model import slugify
from drill.storage import repo
from drill.storage.repo import UnknownDeck

if TYPE_CHECKING:
    from drill.storage.sqlite import Database


def _key(text: str) -> str:
    """Text compared the way people type it: NFC, any case, runs of spaces as one."""
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def resolve_deck(db: Database, given: str, *, prefix: bool = True) -> str:
    """The id of the deck `given` names; UnknownDeck (one line, with a suggestion) if none
    or several do.

    In order: the exact id; the id or the name in any case (or the name's slug); then, with
    `prefix`, a unique start of an id or a name (left off where a slip would destroy data).
    """
    text = _key(given)
    if not text:
        raise UnknownDeck("--deck needs a deck: its id, its name, or the start of either")
    decks = repo.decks(db)
    ids = [deck.id for deck in decks]
    if given in ids:
        return given
    slug = slugify(given)
    for deck in decks:
        if text in (_key(deck.id), _key(deck.name)) or (slug and slug == deck.id):
            return deck.id
    starts = (
        []
        if not prefix
        else [
            deck.id
            for deck in decks
            if _key(deck.id).startswith(text)
            or _key(deck.name).startswith(text)
            or (slug and deck.id.startswith(slug))
        ]
    )
    if len(starts) == 1:
        return starts[0]
    if starts:
        listed = ", ".join(starts[:-1]) + f" or {starts[-1]}"
        raise UnknownDeck(f"'{given}' could be {listed} (give more of the name)")
    raise unknown(given, decks)


def unknown(given: str, decks: list[repo.DeckInfo]) -> UnknownDeck:
    """ "no deck 'x' (did you mean y?)", or the list of decks when nothing is close.

    A typo is compared with each deck's whole id and name, and with their starts as long as
    what was typed: `salry` is close to the start of salary-and-logistics, not to all of it.
    """
    if not decks:
        return UnknownDeck(f"no deck '{given}' (no decks yet: drill import FILE)")
    typed = _key(given)
    names: dict[str, str] = {}
    for deck in decks:
        for full in (_key(deck.id), _key(deck.name)):
            names.setdefault(full, deck.id)
    starts: dict[str, list[str]] = {}
    for deck in decks:
        for full in (_key(deck.id), _key(deck.name)):
            for length in (len(typed), len(typed) + 1):
                if length < len(full):
                    ids = starts.setdefault(full[:length], [])
                    if deck.id not in ids:
                        ids.append(deck.id)
    close = difflib.get_close_matches(typed, list(names), n=3, cutoff=0.6)
    suggestions = [names[c] for c in close]
    if len(typed) >= 3:
        for start in difflib.get_close_matches(typed, list(starts), n=6, cutoff=0.75):
            suggestions.extend(starts[start])
    suggestions = list(dict.fromkeys(suggestions))[:3]
    if suggestions:
        return UnknownDeck(f"no deck '{given}' (did you mean {' or '.join(suggestions)}?)")
    return UnknownDeck(f"no deck '{given}' (decks: {', '.join(deck.id for deck in decks)})")
