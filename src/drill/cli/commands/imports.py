"""`drill check` and `drill import`: reading deck, history and Anki files."""

from __future__ import annotations

import sys
from typing import Any

import click

from drill.cli.context import State, check_deck_name, emit_json, pass_state, safe
from drill.core.format import plural

FORMAT_CHOICES = click.Choice(
    ["auto", "md", "article", "list", "json", "reviews", "apkg", "anki-txt"]
)


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--format", "fmt", type=FORMAT_CHOICES, default="auto", show_default=True)
@click.option(
    "--standard",
    is_flag=True,
    help="Also hold the decks to the content standard drill's own decks meet.",
)
def check(paths: tuple[str, ...], fmt: str, standard: bool) -> None:
    """Parse deck files without importing them; report every problem.

    Folders are read with their subfolders. With --standard, each question is also checked
    against docs/content-standard.md (metadata, variants, short answer, dos and don'ts, red
    flags, example lengths, follow-ups) and the decks together for variety.
    """
    from drill.core.model import Deck
    from drill.errors import DeckError
    from drill.io.registry import expand, read_file

    failed = False
    decks: list[Deck] = []
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
        decks += item.decks
        if standard and _falls_short(item.decks):
            failed = True
            continue
        questions = sum(len(d.questions) for d in item.decks)
        reviews = f", {plural(len(item.history), 'review')}" if item.history else ""
        click.echo(f"ok: {safe(str(path))}: {plural(questions, 'question')}{reviews}")
    if standard and decks:
        failed = _bank_falls_short(decks) or failed
    if failed:
        sys.exit(1)


def _falls_short(decks: list[Any]) -> bool:
    from drill.core.standard import check_deck

    findings = [finding for deck in decks for finding in check_deck(deck)]
    for finding in findings:
        click.echo(safe(str(finding)), err=True)
    return bool(findings)


def _bank_falls_short(decks: list[Any]) -> bool:
    """Report what only the decks together show, and the variety figures."""
    from drill.core import standard

    findings = standard.check_bank(decks)
    for finding in findings:
        click.echo(safe(str(finding)), err=True)
    figures = standard.variety(decks, top=5)
    if figures.openings:
        opening, count = figures.openings[0]
        click.echo(
            f"variety: {figures.questions} questions; the most used 'Why they ask' sentence "
            f"opening, '{safe(opening)}…', is in {count} sections "
            f"(at most {standard.MAX_OPENING_SHARE:.0%})"
        )
    if figures.phrases:
        phrases = ", ".join(f"'{safe(p)}' {n}x" for p, n in figures.phrases)
        click.echo(
            f"most repeated five-word phrases (at most {standard.MAX_PHRASE_REPEATS}x): {phrases}"
        )
    return bool(findings)


@click.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option(
    "--deck",
    "deck_name",
    metavar="NAME",
    callback=check_deck_name,
    help="Put the questions in this deck.",
)
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
    from drill.io.registry import expand, paused_gc, read_all
    from drill.library.importing import import_files

    options = {"columns": columns, "skip_bad_rows": skip_bad_rows}
    # One pause from reading to the commit, and the files' objects dropped before it ends:
    # resumed between the two, the collector would walk every object just read (12 ms of a
    # 5,000-question deck) only to find them all alive.
    with paused_gc():
        loaded = read_all(expand(paths), fmt, deck_name, options)
        for item in loaded:
            for warning in item.warnings:
                click.echo(f"warning: {safe(str(warning))}", err=True)
        report = import_files(state.db(), loaded, state.now, prune=prune, dry_run=dry_run)
        del loaded
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
