"""Choosing what to study: settings with the checks a person needs, pausing decks, and the
first-run choices (`drill setup` and the welcome screen).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from drill.core import clock
from drill.core.config import parse_value
from drill.core.model import Deck
from drill.errors import DrillError
from drill.storage import figures, repo, reviews
from drill.storage.sqlite import write_transaction
from drill.study.plan import Choices

if TYPE_CHECKING:
    from drill.storage.sqlite import Database

WELCOME_KEY = "welcome_done"


class SetupError(DrillError):
    pass


def check_interview(value: str | None, now: datetime, day_starts_at: int) -> None:
    """Refuse an interview date before today (a date ahead, today, or none is fine)."""
    if value is None:
        return
    day = parse_value("interview_date", value)
    if day is None:
        return
    today = clock.study_date(now, day_starts_at)
    if day < today:
        raise SetupError(
            f"interview_date: {day.isoformat()} is in the past (today is {today.isoformat()}); "
            "give a date ahead, or none"
        )


def interview_date(db: Database, text: str, now: datetime) -> date | None:
    """The interview date typed (empty or none: no date); ConfigError or SetupError if it
    is not a date, or is in the past.
    """
    if not text.strip():
        return None
    check_interview(text, now, repo.collection_config(db).day_starts_at)
    day: date | None = parse_value("interview_date", text)
    return day


def set_config(
    db: Database, deck_id: str | None, key: str, value: str | None, now: datetime
) -> None:
    """Set one setting (None clears it), collection-wide or for a deck, in one transaction."""
    if key == "interview_date":
        check_interview(value, now, repo.collection_config(db).day_starts_at)
    with write_transaction(db):
        repo.set_config(db, deck_id, key, value)


def set_paused(db: Database, deck_id: str, paused: bool) -> bool:
    """Pause (or resume) a deck; returns whether that changed anything. A paused deck shows
    nothing and introduces nothing; its cards keep their progress.
    """
    with write_transaction(db):
        return repo.set_paused(db, deck_id, paused)


def apply(db: Database, choices: Choices, now: datetime) -> Choices:
    """Make the choices the collection's: the decks studied (the others paused; role packs
    among them are added first), the interview date and the minutes a day. The welcome is
    then done.
    """
    from drill.library.bundled import add_bundled, packs_to_add

    config = repo.collection_config(db)
    interview = choices.interview.isoformat() if choices.interview else None
    check_interview(interview, now, config.day_starts_at)
    installed = {d.id for d in repo.decks(db)}
    packs = [deck.id for deck in packs_to_add(db) if deck.id in choices.decks]
    unknown = sorted(choices.decks - installed - set(packs))
    if unknown:
        raise repo.unknown_deck(db, unknown[0])
    if packs:
        add_bundled(db, packs, now)
    with write_transaction(db):
        for deck in repo.decks(db):
            repo.set_paused(db, deck.id, deck.id not in choices.decks)
        repo.set_config(db, None, "interview_date", interview)
        minutes = None if choices.daily_minutes is None else str(choices.daily_minutes)
        repo.set_config(db, None, "daily_minutes", "off" if minutes is None else minutes)
        repo.set_setting(db, WELCOME_KEY, "1")
    return choices


@dataclass(frozen=True, slots=True)
class DeckChoice:
    """A deck as the welcome offers it: its size, whether it is studied (not paused), and
    whether it is a role pack not added yet (`pack`, its parsed deck).
    """

    id: str
    name: str
    questions: int
    studied: bool
    pack: Deck | None = None


def deck_choices(db: Database) -> list[DeckChoice]:
    """The collection's decks, then the role packs it could add."""
    from drill.library.bundled import packs_to_add

    sizes = figures.questions_per_deck(db)
    out = [DeckChoice(d.id, d.name, sizes.get(d.id, 0), not d.paused) for d in repo.decks(db)]
    out += [
        DeckChoice(deck.id, deck.name, len(deck.questions), False, deck)
        for deck in packs_to_add(db)
    ]
    return out


def parse_decks(db: Database, text: str) -> frozenset[str]:
    """Deck ids from "a,b,c" (spaces allowed): decks of the collection, or role packs to add."""
    from drill.library.bundled import packs_to_add

    ids = [part.strip() for part in text.split(",") if part.strip()]
    if not ids:
        raise SetupError("--decks: name at least one deck (drill decks lists them)")
    known = {d.id for d in repo.decks(db)} | {deck.id for deck in packs_to_add(db)}
    for deck_id in ids:
        if deck_id not in known:
            raise repo.unknown_deck(db, deck_id)
    return frozenset(ids)


def needs_welcome(db: Database) -> bool:
    """A first start: no review yet, and the welcome was neither finished nor skipped."""
    if repo.get_setting(db, WELCOME_KEY):
        return False
    return reviews.latest_review(db) is None


def skip_welcome(db: Database) -> None:
    """Keep the defaults; the welcome does not open again by itself."""
    with write_transaction(db):
        repo.set_setting(db, WELCOME_KEY, "1")
