"""The command line's layout: every command in its own module, listed without importing it."""

from __future__ import annotations

import inspect

import click
from click.testing import CliRunner

from drill.cli.main import COMMANDS, cli


def test_every_command_is_in_the_table_and_loads_from_commands():
    for name, lazy in COMMANDS.items():
        command = lazy.load()
        assert isinstance(command, click.Command), name
        assert command.callback is not None
        assert command.callback.__module__.startswith("drill.cli.commands."), name


def test_the_table_summary_is_the_commands_own_first_paragraph():
    for name, lazy in COMMANDS.items():
        help_text = inspect.cleandoc(lazy.load().help or "")
        first = help_text.split("\n\n")[0].replace("\n", " ")
        assert lazy.summary == first, name


def test_help_lists_what_each_command_would_say_itself():
    listed = CliRunner().invoke(cli, ["--help"], terminal_width=100).output
    # The same listing, with every command loaded first, as Click itself would print it.
    for lazy in COMMANDS.values():
        lazy.load()
    group = click.Group(commands={name: lazy.load() for name, lazy in COMMANDS.items()})
    ctx = click.Context(group, terminal_width=100)
    formatter = ctx.make_formatter()
    group.format_commands(ctx, formatter)
    assert formatter.getvalue() in listed
