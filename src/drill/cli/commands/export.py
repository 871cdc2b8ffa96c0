"""`drill export`: progress, review history, a deck, the report, your answers and stories."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import click

from drill.cli.context import (
    ROW_ID,
    State,
    check_deck_id,
    deck_option,
    open_output,
    pass_state,
    safe,
)
from drill.core.format import plural


def _write_rows(
    state: State,
    rows: Iterable[dict[str, Any]],
    columns: tuple[str, ...],
    fmt: str,
    output: str | None,
) -> None:
    """Rows as CSV (with a header of `columns`) or as a JSON array, streamed."""
    from drill.library.exports import write_csv, write_json_array

    with open_output(output, state) as out:
        if fmt == "csv":
            write_csv(rows, columns, out)
        else:
            write_json_array(rows, out)


@click.group()
def export() -> None:
    """Export progress, review history or a deck."""


@export.command("progress")
@deck_option()
@click.option(
    "--format", "fmt", type=click.Choice(["csv", "json"]), default="csv", show_default=True
)
@click.option("-o", "--output", metavar="FILE", help="Write here instead of stdout.")
@pass_state
def export_progress(state: State, deck_id: str | None, fmt: str, output: str | None) -> None:
    """One row per card: state, due date, stability, difficulty, retrievability."""
    from drill.library.exports import PROGRESS_COLUMNS, progress_rows

    _write_rows(state, progress_rows(state.db(), state.now, deck_id), PROGRESS_COLUMNS, fmt, output)


@export.command("reviews")
@deck_option()
@click.option(
    "--format", "fmt", type=click.Choice(["csv", "json"]), default="csv", show_default=True
)
@click.option("-o", "--output", metavar="FILE", help="Write here instead of stdout.")
@pass_state
def export_reviews(state: State, deck_id: str | None, fmt: str, output: str | None) -> None:
    """One row per review, in the FSRS optimizer's revlog columns (times in ms, UTC)."""
    from drill.library.exports import REVIEW_COLUMNS, review_rows

    _write_rows(state, review_rows(state.db(), deck_id), REVIEW_COLUMNS, fmt, output)


@export.command("deck")
@click.argument("deck_id", metavar="DECK", callback=check_deck_id)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["md", "json", "apkg", "anki-txt"]),
    default="md",
    show_default=True,
)
@click.option("-o", "--output", metavar="FILE", help="Write here instead of stdout.")
@click.option("--with-history", is_flag=True, help="apkg: include card states and review log.")
@pass_state
def export_deck(
    state: State, deck_id: str, fmt: str, output: str | None, with_history: bool
) -> None:
    """A deck as Markdown (re-importable), JSON, an Anki package or Anki text.

    DECK is the deck's id, its name in any case, or the unique start of either.
    """
    from drill.library.deck_lookup import resolve_deck
    from drill.library.exports import load_deck

    deck_id = resolve_deck(state.db(), deck_id)

    if with_history and fmt != "apkg":
        raise click.UsageError("--with-history needs --format apkg")
    if fmt == "apkg":
        from drill.files import stream_target
        from drill.library.anki_export import export_apkg

        if output is None or output == "-":
            raise click.UsageError("--format apkg needs -o FILE")
        done = export_apkg(state.db(), deck_id, Path(output), state.now, with_history=with_history)
        reviews = f", {done.reviews} reviews" if with_history else ""
        click.echo(
            f"Wrote {safe(output)}: {plural(done.notes, 'note')}, {plural(done.cards, 'card')}"
            f"{reviews}.",
            err=stream_target(output) == 1,  # not into the package on stdout
        )
        return
    deck = load_deck(state.db(), deck_id)
    if fmt == "anki-txt":
        from drill.io.anki.writer import write_anki_text

        with open_output(output, state) as out:
            write_anki_text(deck, out)
        return
    if fmt == "md":
        from drill.io.markdown.deck import dump_markdown

        text = dump_markdown(deck)
    else:
        from drill.io.json_deck import dump_json

        text = dump_json(deck)
    with open_output(output, state) as out:
        out.write(text)


@export.command("stats")
@deck_option()
@click.option("--job", "job_id", type=ROW_ID, metavar="ID", help="Add this job's readiness.")
@click.option("--days", type=click.IntRange(1, 3660), default=84, show_default=True)
@click.option(
    "--format", "fmt", type=click.Choice(["html", "md", "json"]), default="html", show_default=True
)
@click.option("-o", "--output", metavar="FILE", help="Write here instead of stdout.")
@pass_state
def export_stats(
    state: State, deck_id: str | None, job_id: int | None, days: int, fmt: str, output: str | None
) -> None:
    """A progress report: self-contained HTML with charts, Markdown, or the stats JSON."""
    from drill.progress.report import write_report
    from drill.progress.stats import collect

    job = None
    if job_id is not None:
        from drill.library.jobs import show_job

        job = show_job(state.db(), job_id, state.now)
    # The JSON is `drill stats --json`; the HTML and Markdown reports add the answers.
    data = collect(state.db(), state.now, deck_id=deck_id, days=days, with_answers=fmt != "json")
    with open_output(output, state) as out:
        write_report(data, fmt, out, job)


@export.command("answers")
@deck_option()
@click.option("--format", "fmt", type=click.Choice(["md", "json"]), default="md", show_default=True)
@click.option("-o", "--output", metavar="FILE", help="Write here instead of stdout.")
@pass_state
def export_answers(state: State, deck_id: str | None, fmt: str, output: str | None) -> None:
    """Your latest answer to each question: a printable cheat sheet (md) or JSON."""
    from drill.library.exports import write_json_array
    from drill.storage import repo
    from drill.study import answers

    db = state.db()
    if deck_id is not None:
        repo.decks(db, deck_id)
    with open_output(output, state) as out:
        if fmt == "md":
            out.write(answers.cheat_sheet(db, deck_id))
        else:
            write_json_array((a.to_json() for a in answers.latest_answers(db, deck_id)), out)


@export.command("stories")
@click.option("--format", "fmt", type=click.Choice(["md", "json"]), default="md", show_default=True)
@click.option("-o", "--output", metavar="FILE", help="Write here instead of stdout.")
@pass_state
def export_stories(state: State, fmt: str, output: str | None) -> None:
    """Your story bank: every story (md), or every version and link (json)."""
    from drill.library.exports import write_json_array
    from drill.study import stories

    db = state.db()
    with open_output(output, state) as out:
        if fmt == "md":
            out.write(stories.export_markdown(db))
        else:
            write_json_array(stories.export_rows(db), out)
