"""`drill stats`: progress figures, a calendar of reviews and the forecast, or JSON."""

from __future__ import annotations

import os
import sys

import click

from drill.cli.context import State, deck_option, emit_json, pass_state


@click.command()
@deck_option("Only this deck")
@click.option(
    "--days",
    type=click.IntRange(1, 3660),
    default=84,
    show_default=True,
    help="Days of reviews in the heatmap.",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_state
def stats(state: State, deck_id: str | None, days: int, as_json: bool) -> None:
    """Progress: today, streak, true retention, cards, recall, forecast and heatmap.

    \b
    True retention is the share of reviews of cards in review not rated Again,
    over the last 7 and 30 days and in all. `drill export stats` writes the same
    figures as an HTML, Markdown or JSON report.
    """
    from drill.progress import stats as core

    data = core.collect(state.db(), state.now, deck_id=deck_id, days=days)
    if as_json:
        emit_json(data.to_json())
        return
    # Only for text: the report modules (HTML included) cost about 40 ms to load.
    from drill.progress import report

    if not data.decks:
        click.echo("No decks yet. Import one with: drill import FILE.md")
        return
    color = sys.stdout.isatty() and not os.environ.get("NO_COLOR")
    click.echo(report.render_text(data, color=color), nl=False)
