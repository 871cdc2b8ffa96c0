"""Running a service call from a screen: every screen's one way to call a service safely.

A drill or database error becomes a notice and the screen goes on. An error that means the
collection changed under the app (another drill removed the deck being studied, or restored
a backup over the collection) sends the app home with a notice instead: what the screen
showed is gone. `handle` is also the app's last resort for an error no screen caught.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar, cast

from drill.core.sanitize import terminal_text
from drill.errors import DrillError, Missing

if TYPE_CHECKING:
    from textual.app import App
    from textual.widget import Widget

    from drill.tui.navigation import Navigator

T = TypeVar("T")

CHANGED_TITLE = "The collection changed"
CHANGED = "Another drill removed a deck or restored a backup: back to the start."
# SQLite errors that mean the schema under a prepared statement went away, as when a backup
# of an older drill is restored while a screen is open.
_SCHEMA_GONE = ("no such table", "no such column", "schema has changed")


def changed_under_us(exc: BaseException) -> bool:
    """Does this error mean what the screen shows no longer exists in the collection?"""
    if isinstance(exc, Missing):
        return True
    return isinstance(exc, sqlite3.OperationalError) and any(
        text in str(exc) for text in _SCHEMA_GONE
    )


_FAILED = "Could not do that"


def handle(app: App[object], exc: BaseException, title: str = _FAILED) -> bool:
    """Deal with `exc` if it is drill's to deal with: True if it was, False for a crash."""
    if changed_under_us(exc):
        kept = getattr(exc, "kept", None)
        notice = f"{CHANGED} Your text is kept in {kept}." if kept else CHANGED
        cast("Navigator", app).go_home(terminal_text(notice))
        return True
    if isinstance(exc, DrillError | sqlite3.Error):
        # The message may quote a file name or text from elsewhere: never an escape sequence.
        app.notify(terminal_text(str(exc)), title=title, severity="error", markup=False)
        return True
    return False


def guarded(widget: Widget, call: Callable[[], T], *, title: str = _FAILED) -> T | None:
    """`call()`, or None after telling the user why it could not be done (`title`)."""
    try:
        return call()
    except (DrillError, sqlite3.Error) as exc:
        handle(widget.app, exc, title)
        return None


def tried(widget: Widget, call: Callable[[], T], *, title: str = _FAILED) -> tuple[bool, T | None]:
    """(True, `call()`), or (False, None) after telling the user why it could not be done.

    For calls whose None means something (no answer yet, no such row).
    """
    try:
        return True, call()
    except (DrillError, sqlite3.Error) as exc:
        handle(widget.app, exc, title)
        return False, None
