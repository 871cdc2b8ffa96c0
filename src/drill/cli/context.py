"""Plumbing shared by every CLI command: per-invocation state, error handling and output.

Imports only click and the standard library, so that loading the command line stays fast.
"""

from __future__ import annotations

import importlib
import json
import sqlite3
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click

if TYPE_CHECKING:
    from datetime import datetime

    from sqlite_utils import Database


@dataclass(frozen=True, slots=True)
class LazyCommand:
    """A command in drill.cli.commands: "module:attribute", and the first paragraph of its
    help, which `drill --help` shortens as Click does (so listing imports no command).
    """

    where: str
    summary: str

    def load(self) -> click.Command:
        module_name, attr = self.where.split(":")
        command = getattr(importlib.import_module(f"drill.cli.commands.{module_name}"), attr)
        assert isinstance(command, click.Command)
        return command


class DrillGroup(click.Group):
    """A group whose drill errors become one clean line and exit 1 (never a traceback).

    Its commands are imported only when one runs; `--help` lists them from their short help.
    """

    def __init__(
        self, *args: Any, lazy_commands: dict[str, LazyCommand] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.lazy_commands = dict(lazy_commands or {})

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.lazy_commands})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self.lazy_commands and cmd_name not in self.commands:
            self.add_command(self.lazy_commands[cmd_name].load(), cmd_name)
        return super().get_command(ctx, cmd_name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        names = self.list_commands(ctx)
        limit = formatter.width - 6 - max((len(name) for name in names), default=0)
        rows = []
        for name in names:
            lazy = self.lazy_commands.get(name)
            if lazy is not None and name not in self.commands:
                rows.append(
                    (name, click.Command(name, help=lazy.summary).get_short_help_str(limit))
                )
                continue
            command = self.get_command(ctx, name)
            if command is not None and not command.hidden:
                rows.append((name, command.get_short_help_str(limit)))
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)

    def invoke(self, ctx: click.Context) -> Any:
        from drill.errors import DeckError, DrillError

        try:
            return super().invoke(ctx)
        except DeckError as exc:
            for problem in exc.problems:
                click.echo(safe(str(problem)), err=True)
            sys.exit(1)
        except DrillError as exc:
            click.echo(f"error: {safe(str(exc))}", err=True)
            sys.exit(1)
        except sqlite3.Error as exc:
            click.echo(f"error: database: {exc}", err=True)
            sys.exit(1)
        except OSError as exc:
            if isinstance(exc, BrokenPipeError):
                sys.exit(1)
            name = f"{exc.filename}: " if exc.filename else ""
            click.echo(f"error: {name}{exc.strerror or exc}", err=True)
            sys.exit(1)


def safe(text: str) -> str:
    """Text fit for the terminal: control characters (escape sequences) removed."""
    from drill.core.sanitize import strip_control_chars

    return strip_control_chars(text)


def fail(message: str) -> NoReturn:
    """Stop the command with a one-line error and exit status 1."""
    from drill.errors import DrillError

    raise DrillError(message)


def emit_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


class State:
    """Per-invocation context: the database path and the clock."""

    def __init__(self, db_path: str | None) -> None:
        self.db_option = db_path
        self._db: Database | None = None
        self._now: datetime | None = None

    @property
    def now(self) -> datetime:
        if self._now is None:
            from drill.core import clock

            self._now = clock.now()
        return self._now

    @property
    def db_path(self) -> Path:
        from drill.storage.paths import resolve_db_path

        return resolve_db_path(self.db_option)

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None

    def db(self) -> Database:
        if self._db is None:
            import os

            from drill.library.bundled import ensure_bundled
            from drill.storage.db import open_database

            self._db = open_database(self.db_path, now=self.now)
            if os.environ.get("DRILL_NO_BUNDLED", "") not in ("1", "true", "yes"):
                ensure_bundled(self._db, self.now)
        return self._db


pass_state = click.make_pass_decorator(State)


@contextmanager
def open_output(path: str | None) -> Iterator[Any]:
    """A text stream for `-o FILE` (written atomically) or stdout for None or "-"."""
    if path is None or path == "-":
        yield sys.stdout
        return
    target = Path(path)
    tmp = target.with_name(target.name + ".partial")
    try:
        with tmp.open("w", encoding="utf-8", newline="") as handle:
            yield handle
        tmp.replace(target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def open_tui(state: State, *, deck_id: str | None, start: str, weakest: int | None = None) -> None:
    """Run the review app (`start` is "home", "review" or "practice") on this invocation's
    database.
    """
    # Textual is imported here and only here, so every other command starts fast.
    from drill.tui.app import run_app

    db = state.db()
    if deck_id is not None:
        from drill.storage import repo

        repo.decks(db, deck_id)
    run_app(db, deck_id=deck_id, start=start, weakest=weakest)
