"""Running a service call from a screen: a drill or database error becomes a notice."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import TypeVar

from textual.widget import Widget

from drill.errors import DrillError

T = TypeVar("T")


def guarded(widget: Widget, call: Callable[[], T]) -> T | None:
    """`call()`, or None after telling the user why it could not be done."""
    try:
        return call()
    except (DrillError, sqlite3.Error) as exc:
        widget.notify(str(exc), title="Could not do that", severity="error", markup=False)
        return None
