"""Shared fixtures: a fixed clock, UTC study days, and small in-memory collections."""

from __future__ import annotations

import os
import time

import pytest

# Study days are local-time days; pin the zone so tests mean the same everywhere.
os.environ["TZ"] = "UTC"
time.tzset()
# CLI tests opt in to the bundled decks explicitly.
os.environ.setdefault("DRILL_NO_BUNDLED", "1")


@pytest.fixture
def db():
    from drill.storage import repo
    from drill.storage.db import open_database

    database = open_database(":memory:")
    repo.set_config(database, None, "fuzz", "off")
    yield database
    database.close()


@pytest.fixture
def sample_db(db):
    from drill.library.importing import import_decks
    from tests.helpers import NOW, SAMPLE_DECK, parse

    import_decks(db, [parse(SAMPLE_DECK)], NOW)
    return db
