"""`drill check` and `drill import`: reading deck, history and Anki files."""

from __future__ import annotations

import sys
from typing import Any

import click

from drill.cli.context import State, emit_json, pass_state, safe

FORMAT_CHOICES = click.Choice(
    ["auto", "md", "article", "list", "json", "reviews", "apkg", "anki-txt"]
)


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--format", "fmt", type=FORMAT_CHOICES, default="auto", show_default=True)
def check(paths: tuple[str, ...], fmt: str) -> None:
    """Parse deck files without importing them; report every problem."""
    from drill.errors import DeckError
    from drill.io.registry import expand, read_file

    failed = False
    for path in expand(paths):
        try:
            item = read_file(path, fmt)
        except DeckError as exc:
            failed = True
            for problem in exc.problems:
                click.echo(safe(str(problem)), err=True)
            continue
        for warning in item.warnings:
            click.echo(f"warning: {safe(str(warning))}", err=True)
        questions = sum(len(d.questions) for d in item.decks)
        reviews = f", {len(item.history)} reviews" if item.history else ""
        click.echo(f"ok: {safe(str(path))}: {questions} questions{reviews}")
    if failed:
        sys.exit(1)


@click.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--deck", "deck_name", metavar="NAME", help="Put the questions in this deck.")
@click.option("--format", "fmt", type=FORMAT_CHOICES, default="auto", show_default=True)
@click.option("--dry-run", is_flag=True, help="Show what would change; write nothing.")
@click.option(
    "--prune", is_flag=True, help="Remove questions no longer in the file (backup first)."
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.option(
    "--columns",
    metavar="NAMES",
    help="Anki text/CSV: what each column holds, e.g. question,approach,why,tags.",
)
@click.option(
    "--skip-bad-rows", is_flag=True, help="Anki text/CSV: import the valid rows, list the rest."
)
@pass_state
def import_(
    state: State,
    paths: tuple[str, ...],
    deck_name: str | None,
    fmt: str,
    dry_run: bool,
    prune: bool,
    as_json: bool,
    columns: str | None,
    skip_bad_rows: bool,
) -> None:
    """Import deck files (all-or-nothing); re-importing updates and keeps progress.

    Reads drill decks, Anki packages (.apkg, .colpkg, with their review history) and Anki
    text exports or CSV/TSV files.
    """
    from drill.io.registry import expand, read_all
    from drill.library.importing import import_files

    options = {"columns": columns, "skip_bad_rows": skip_bad_rows}
    loaded = read_all(expand(paths), fmt, deck_name, options)
    for item in loaded:
        for warning in item.warnings:
            click.echo(f"warning: {safe(str(warning))}", err=True)
    report = import_files(state.db(), loaded, state.now, prune=prune, dry_run=dry_run)
    for result in report.decks:
        for warning in result.warnings:
            click.echo(f"warning: {safe(str(warning))}", err=True)
    if as_json:
        payload: Any = [r.to_json() for r in report.decks]
        if report.history:
            payload = {
                "decks": payload,
                "history": [h.to_json() for h in report.history],
            }
        if dry_run:
            payload = {"dry_run": True, "result": payload}
        emit_json(payload)
        return
    for result in report.decks:
        click.echo(safe(result.summary()))
        if dry_run:
            for line in result.details():
                click.echo(safe(line))
    for merged in report.history:
        click.echo(safe(merged.summary()))
    if dry_run:
        click.echo("(dry run: nothing was written)")
