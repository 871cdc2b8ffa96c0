"""What every screen shares: the database and the clocks."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from drill.study.session import Database


@dataclass(frozen=True, slots=True)
class Context:
    """The database, `now` (aware UTC, for scheduling) and `timer` (seconds, for durations).

    `live` is False when a test injected the clock: timers then stop ticking, so snapshots
    are stable.
    """

    db: Database
    now: Callable[[], datetime]
    timer: Callable[[], float]
    live: bool = True
