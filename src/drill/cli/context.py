"""Plumbing shared by every CLI command: per-invocation state, error handling and output.

Imports only click and the standard library, so that loading the command line stays fast.
"""

from __future__ import annotations

import importlib
import sqlite3
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, NoReturn, TypeVar

import click

if TYPE_CHECKING:
    from datetime import datetime

    from drill.storage.sqlite import Database


class LazyCommand(NamedTuple):
    """A command in drill.cli.commands: "module:attribute", and the first paragraph of its
    help, which `drill --help` shortens as Click does (so listing imports no command).

    A NamedTuple, not a frozen dataclass: every command starts by making this class, and a
    dataclass's generated methods take half a millisecond to compile.
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
        except click.UsageError as exc:
            # One line, as every other error: what was wrong, and where the help is (Click's
            # own block repeats the usage line and a blank line before it).
            where = exc.ctx.command_path if exc.ctx is not None else ctx.command_path
            click.echo(f"error: {safe(exc.format_message())} (see {where} --help)", err=True)
            sys.exit(exc.exit_code)
        except click.ClickException as exc:
            # Click quotes what was typed ("'\x1b[2J' is not a valid integer"): never raw.
            exc.message = safe(exc.message)  # type: ignore[misc]
            raise
        except DeckError as exc:
            for problem in exc.problems:
                click.echo(safe(str(problem)), err=True)
            sys.exit(1)
        except DrillError as exc:
            click.echo(f"error: {safe(str(exc))}", err=True)
            sys.exit(1)
        except sqlite3.Error as exc:
            click.echo(f"error: database: {safe(str(exc))}", err=True)
            sys.exit(1)
        except OSError as exc:
            if isinstance(exc, BrokenPipeError):
                sys.exit(1)
            name = f"{exc.filename}: " if exc.filename else ""
            click.echo(f"error: {safe(f'{name}{exc.strerror or exc}')}", err=True)
            sys.exit(1)


def safe(text: str) -> str:
    """Text fit for the terminal: control characters and bidi overrides removed."""
    from drill.core.sanitize import terminal_text

    return terminal_text(text)


def read_text_file(file: str) -> str:
    """An answer or story from FILE, or from standard input for '-': checked, bounded text."""
    from drill.io.answer_text import MAX_ANSWER_BYTES, answer_from_bytes, read_answer_file

    if file == "-":
        return answer_from_bytes(sys.stdin.buffer.read(MAX_ANSWER_BYTES + 1), "standard input")
    return read_answer_file(file)


def fail(message: str) -> NoReturn:
    """Stop the command with a one-line error and exit status 1."""
    from drill.errors import DrillError

    raise DrillError(message)


def emit_json(data: Any) -> None:
    from drill.core.sanitize import json_text

    click.echo(json_text(data, indent=2))


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

            from drill.storage.db import open_database

            self._db = open_database(self.db_path, now=self.now)
            if os.environ.get("DRILL_NO_BUNDLED", "") not in ("1", "true", "yes"):
                from drill.library.bundled import ensure_bundled

                ensure_bundled(self._db, self.now)
        return self._db


pass_state = click.make_pass_decorator(State)
# A row id (a card, a job): SQLite's integers are 64-bit, so a larger number is refused here
# instead of overflowing a query.
ROW_ID = click.IntRange(1, 2**63 - 1)


def check_deck_id(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """Click callback for every deck id given on the command line (`--deck ID`, `DECK_ID`).

    The one place a deck named by the user is checked (core.model.check_deck_ref); a value
    that cannot name a deck is a usage error (exit 2).
    """
    return _deck_ref(value, name=False)


def check_deck_ids(
    ctx: click.Context, param: click.Parameter, values: tuple[str, ...]
) -> tuple[str, ...]:
    """Click callback for several deck ids (`drill decks add ID...`)."""
    return tuple(_deck_ref(value, name=False) or "" for value in values)


def check_deck_name(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """Click callback for a new deck's name (`drill import --deck NAME`)."""
    return _deck_ref(value, name=True)


def _deck_ref(value: str | None, *, name: bool) -> str | None:
    if value is None:
        return None
    from drill.core.model import check_deck_ref

    try:
        return check_deck_ref(value, name=name)
    except ValueError as exc:
        raise click.BadParameter(safe(str(exc))) from None


DECK_HELP = "its id, its name in any case, or the unique start of either"


def _resolve_deck(ctx: click.Context, _: click.Parameter, value: str | None) -> str | None:
    if value is None:
        return None
    from drill.library.deck_lookup import resolve_deck

    checked = _deck_ref(value, name=False)  # blank or invisible characters: a usage error
    assert checked is not None
    return resolve_deck(ctx.find_object(State).db(), checked)  # type: ignore[union-attr]


F = TypeVar("F", bound=Callable[..., Any])


def deck_option(help: str = "Only this deck") -> Callable[[F], F]:
    """`--deck DECK`, given to the command as the deck's id (`deck_id`): the id, the name in
    any case, or a unique start of either; an unknown deck is an error with a suggestion.
    """
    return click.option(
        "--deck",
        "deck_id",
        metavar="DECK",
        callback=_resolve_deck,
        help=f"{help} ({DECK_HELP}).",
    )


def deck_argument() -> Callable[[F], F]:
    """A positional `DECK`, resolved as `--deck` is (id, name in any case, unique start)."""
    return click.argument("deck_id", metavar="DECK", callback=_resolve_deck)


@contextmanager
def open_output(path: str | None, state: State) -> Iterator[Any]:
    """A text stream for `-o FILE`, or stdout for None or "-".

    The file is written through drill.files: never the database, through symlinks, atomically
    for regular files and directly for pipes and devices.
    """
    from drill.files import output_text, protected_files, stream_target

    if path is None or path == "-" or stream_target(path) == 1:
        yield _TerminalSafe(sys.stdout)
        return

    with output_text(path, protect=protected_files(state.db_path)) as handle:
        yield _TerminalSafe(handle)


class _TerminalSafe:
    """A text stream that drops control characters and bidi overrides from what it writes.

    Every export goes through one: text from a deck, an answer or a restored database never
    reaches a terminal (or a file later printed) as an escape sequence. JSON arrives already
    escaped, and CSV keeps its line ends.
    """

    def __init__(self, out: Any) -> None:
        from drill.core.sanitize import terminal_stream_text

        self._out = out
        self._clean = terminal_stream_text

    def write(self, text: str) -> int:
        self._out.write(self._clean(text))
        return len(text)

    def writelines(self, lines: Any) -> None:
        for line in lines:
            self.write(line)

    def flush(self) -> None:
        self._out.flush()


def open_tui(
    state: State,
    *,
    deck_id: str | None,
    start: str,
    job_id: int | None = None,
    weakest: int | None = None,
) -> None:
    """Run the review app (`start` is "home", "review" or "practice") on this invocation's
    database, over one deck, a job's set, or everything.
    """
    # Textual is imported here and only here, so every other command starts fast.
    from drill.tui.app import run_app

    db = state.db()
    if deck_id is not None:
        from drill.storage import repo

        repo.decks(db, deck_id)
    if job_id is not None:
        from drill.library.jobs import get_job

        get_job(db, job_id)
    code = run_app(db, deck_id=deck_id, start=start, job_id=job_id, weakest=weakest)
    if code:
        sys.exit(code)  # a crash: Textual has printed what happened
