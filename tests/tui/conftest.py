"""Fixtures for the TUI tests: a small deck in an in-memory database and a fixed clock."""

from __future__ import annotations

import asyncio
import inspect
import os
import time
from collections.abc import Callable, Iterator

import pytest
from sqlite_utils import Database

# Study days are local days: pin the zone so dates and "today" are the same everywhere.
os.environ["TZ"] = "UTC"
time.tzset()

from drill.tui.app import DrillApp, make_app  # noqa: E402
from tests.tui.helpers import DECK, Clock, make_db  # noqa: E402


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem: pytest.Function) -> bool | None:
    """Run `async def` tests (Textual's Pilot) on a fresh event loop; no plugin needed."""
    if not inspect.iscoroutinefunction(pyfuncitem.obj):
        return None
    names = pyfuncitem._fixtureinfo.argnames
    asyncio.run(pyfuncitem.obj(**{name: pyfuncitem.funcargs[name] for name in names}))
    return True


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def db() -> Iterator[Database]:
    database = make_db(DECK)
    yield database
    database.close()


@pytest.fixture
def app_factory(db: Database, clock: Clock) -> Callable[..., DrillApp]:
    def factory(**kwargs: object) -> DrillApp:
        kwargs.setdefault("now", clock.now)
        kwargs.setdefault("timer", clock.timer)
        return make_app(db, **kwargs)  # type: ignore[arg-type]

    return factory
