"""The command line: thin Click commands over the core.

Only click and the standard library are imported at module level, so `drill --help` stays
fast; each command imports what it needs. Data errors exit 1 with one line per problem on
stderr, usage errors exit 2.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from drill.cli.context import (
    DrillGroup,
    State,
    emit_json,
    fail,
    open_output,
    pass_state,
    safe,
)

if TYPE_CHECKING:
    from drill.progress.overview import DeckSummary

RATING_CHOICES = ("again", "hard", "good", "easy", "1", "2", "3", "4")

# Commands that live in their own modules under drill/commands/, imported only when run.
LAZY_COMMANDS: dict[str, str] = {
    "answer": "drill.cli.commands.answer:answer",
    "mock": "drill.cli.commands.mock:mock",
    "optimize": "drill.cli.commands.optimize:optimize",
    "restore": "drill.cli.commands.restore:restore",
    "stats": "drill.cli.commands.stats:stats",
}


@click.group(cls=DrillGroup, lazy_commands=LAZY_COMMANDS, invoke_without_command=True)
@click.option(
    "--db",
    "db_path",
    metavar="PATH",
    help="Database file (default: $DRILL_DB, else the user data folder).",
)
@click.version_option(package_name="drill")
@click.pass_context
def cli(ctx: click.Context, db_path: str | None) -> None:
    """drill: rehearse job-interview questions with spaced repetition.

    Run `drill` alone for today's overview (the review app in a terminal).
    Set DRILL_NOW (ISO-8601 with offset) to fix the clock for scripts and demos.
    """
    ctx.obj = State(db_path)
    ctx.call_on_close(ctx.obj.close)
    if ctx.invoked_subcommand is None:
        if sys.stdin.isatty() and sys.stdout.isatty():
            _open_tui(ctx.obj, deck_id=None, start="home")
        else:
            _overview(ctx.obj)


def _open_tui(state: State, *, deck_id: str | None, start: str) -> None:
    # Textual is imported here and only here, so every other command starts fast.
    from drill.tui.app import run_app

    db = state.db()
    if deck_id is not None:
        from drill.storage import repo

        repo.decks(db, deck_id)
    run_app(db, deck_id=deck_id, start=start)


@cli.command()
@click.option("--deck", "deck_id", metavar="ID", help="Only this deck.")
@pass_state
def review(state: State, deck_id: str | None) -> None:
    """Open the review app straight into a study session."""
    _open_tui(state, deck_id=deck_id, start="review")


# -- overview and decks ------------------------------------------------------------------------


def _deck_rows(state: State) -> list[DeckSummary]:
    from drill.progress.overview import deck_summaries

    return deck_summaries(state.db(), state.now)


def _overview(state: State) -> None:
    from drill.core.format import interval as format_interval
    from drill.study.session import ReviewSession

    rows = _deck_rows(state)
    if not rows:
        click.echo("No decks yet. Import one with: drill import FILE.md")
        return
    _print_deck_table(rows)
    _print_countdowns(rows)
    session = ReviewSession(state.db())
    counts = session.counts(state.now)
    click.echo("")
    if counts.total:
        click.echo(
            f"Due now: {counts.new} new, {counts.learning} learning, {counts.review} review. "
            "Study with `drill next` / `drill rate`."
        )
    else:
        nxt = session.next_due(state.now)
        when = f"in {format_interval(nxt - state.now)}" if nxt else "when you add questions"
        click.echo(f"Nothing due now. Next card {when}.")


def _print_deck_table(rows: list[DeckSummary]) -> None:
    names = [safe(r.name) for r in rows]
    ids = [safe(r.id) for r in rows]
    width = min(max([len("Deck"), *map(len, names)]), 40)
    id_width = min(max([len("ID"), *map(len, ids)]), 40)
    counts = f"{'New':>5} {'Learn':>5} {'Due':>5} {'Questions':>9}"
    click.echo(f"{'Deck':<{width}}  {'ID':<{id_width}}  {counts}")
    for r, name, deck_id in zip(rows, names, ids, strict=True):
        if len(name) > width:
            name = name[: width - 1] + "…"
        click.echo(
            f"{name:<{width}}  {deck_id:<{id_width}}  {r.new_today:>5} {r.learning:>5} "
            f"{r.due:>5} {r.questions:>9}"
        )


def _print_countdowns(rows: list[DeckSummary]) -> None:
    for row in rows:
        interview = row.interview
        if not interview:
            continue
        days = interview.days_left
        recall = interview.retrievability
        recall_text = f"{recall:.0%} expected recall on the day" if recall is not None else ""
        click.echo(
            f"{safe(row.name)}: interview in {days} day{'s' if days != 1 else ''} "
            f"({interview.date.isoformat()}); {interview.seen:.0%} of questions seen"
            + (f", {recall_text}" if recall_text else "")
        )


@cli.group(invoke_without_command=True)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_state
@click.pass_context
def decks(ctx: click.Context, state: State, as_json: bool) -> None:
    """List decks with what is new, learning and due."""
    if ctx.invoked_subcommand is not None:
        return
    rows = _deck_rows(state)
    if as_json:
        emit_json([row.to_json() for row in rows])
    elif rows:
        _print_deck_table(rows)
        _print_countdowns(rows)
    else:
        click.echo("No decks yet. Import one with: drill import FILE.md")


@decks.command("remove")
@click.argument("deck_id")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@pass_state
def decks_remove(state: State, deck_id: str, yes: bool) -> None:
    """Remove a deck and all its progress (a backup is made first)."""
    from drill.library.importing import remove_deck
    from drill.storage import repo

    db = state.db()
    info = repo.decks(db, deck_id)[0]
    if not yes:
        click.confirm(
            f"Remove deck '{safe(info.name)}' and all its progress?", abort=True, err=True
        )
    questions, reviews = remove_deck(db, deck_id, state.now)
    click.echo(f"Removed {safe(info.name)}: {questions} questions, {reviews} reviews.")


# -- files -----------------------------------------------------------------------------------


def _expand(paths: tuple[str, ...]) -> list[Path]:
    """Files named directly, plus deck files inside named folders (sorted)."""
    out: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = sorted(
                p for p in path.iterdir() if p.is_file() and p.suffix.lower() in (".md", ".json")
            )
            if not found:
                fail(f"{raw}: no deck files (.md, .json) in this folder")
            out.extend(found)
        else:
            out.append(path)
    return out


def _read_all(
    paths: list[Path], fmt: str, deck_name: str | None, options: dict[str, Any] | None = None
) -> list[Any]:
    """Read every file; collect every problem before failing, so one run shows them all."""
    from drill.errors import DeckError
    from drill.io.registry import read_file

    loaded, problems = [], []
    for path in paths:
        try:
            item = read_file(path, fmt, deck_name, options)
        except DeckError as exc:
            problems.extend(exc.problems)
            continue
        loaded.append(item)
        for warning in item.warnings:
            click.echo(f"warning: {safe(str(warning))}", err=True)
    if problems:
        raise DeckError(problems)
    return loaded


FORMAT_CHOICES = click.Choice(
    ["auto", "md", "article", "list", "json", "reviews", "apkg", "anki-txt"]
)


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--format", "fmt", type=FORMAT_CHOICES, default="auto", show_default=True)
def check(paths: tuple[str, ...], fmt: str) -> None:
    """Parse deck files without importing them; report every problem."""
    from drill.errors import DeckError
    from drill.io.registry import read_file

    failed = False
    for path in _expand(paths):
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


@cli.command("import")
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
    from drill.library.importing import import_files

    options = {"columns": columns, "skip_bad_rows": skip_bad_rows}
    loaded = _read_all(_expand(paths), fmt, deck_name, options)
    report = import_files(state.db(), loaded, state.now, prune=prune, dry_run=dry_run)
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
    for merged in report.history:
        click.echo(safe(merged.summary()))
    if dry_run:
        click.echo("(dry run: nothing was written)")


# -- studying ------------------------------------------------------------------------------


def _card_json(card: Any) -> dict[str, Any]:
    from drill.library.exports import iso_ms as _iso

    return {
        "card_id": card.card_id,
        "deck": card.deck_id,
        "question_id": card.question_id,
        "kind": card.kind.value,
        "prompt": card.prompt,
        "state": card.state.label,
        "due": _iso(card.record.due),
    }


@cli.command("next")
@click.option("--deck", "deck_id", metavar="ID", help="Only this deck.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON (null when nothing is due).")
@pass_state
def next_(state: State, deck_id: str | None, as_json: bool) -> None:
    """Show the card to study now."""
    from drill.core.format import interval as format_interval
    from drill.study.session import ReviewSession

    session = ReviewSession(state.db(), deck_id)
    card = session.next_card(state.now)
    if as_json:
        emit_json(_card_json(card) if card else None)
        return
    if card is None:
        nxt = session.next_due(state.now)
        if nxt is None:
            click.echo("Nothing to study: no cards.")
        else:
            click.echo(
                f"Nothing due now. Next card in {format_interval(nxt - state.now)} "
                f"({nxt.isoformat(timespec='minutes')})."
            )
        return
    click.echo(
        f"Card {card.card_id} · {safe(card.deck_id)}/{safe(card.question_id)} · "
        f"{card.kind.title} ({card.state.label})"
    )
    click.echo("")
    click.echo(f"  {safe(card.prompt)}")
    if card.kind.value != "rehearse":
        click.echo(f"  {card.kind.task}")
    click.echo("")
    click.echo(f"Rate it: drill rate {card.card_id} again|hard|good|easy")


@cli.command()
@click.argument("card_id", type=int)
@click.argument("rating", type=click.Choice(RATING_CHOICES, case_sensitive=False))
@click.option("--duration-ms", type=click.IntRange(min=0), help="Time spent on the card.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_state
def rate(state: State, card_id: int, rating: str, duration_ms: int | None, as_json: bool) -> None:
    """Rate a card: again, hard, good or easy (or 1-4)."""
    from drill.core.format import interval as format_interval
    from drill.core.model import CardState, Rating
    from drill.library.exports import iso_ms as _iso
    from drill.study.session import ReviewSession

    grade = Rating.parse(rating)
    result = ReviewSession(state.db()).rate(card_id, grade, state.now, duration_ms)
    record = result.record
    if as_json:
        emit_json(
            {
                "card_id": card_id,
                "rating": grade.label.lower(),
                "state": CardState(record.state).label,
                "due": _iso(record.due),
                "stability": record.stability,
                "difficulty": record.difficulty,
            }
        )
        return
    from drill.core import clock

    due = clock.from_ms(record.due or 0)
    click.echo(
        f"{grade.label}: card {card_id} is {CardState(record.state).label}, "
        f"due in {format_interval(due - state.now)}."
    )


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_state
def undo(state: State, as_json: bool) -> None:
    """Undo the last rating, restoring the card exactly."""
    from drill.core.model import CardState
    from drill.study.session import ReviewSession

    result = ReviewSession(state.db()).undo()
    if result is None:
        fail("nothing to undo")
    if as_json:
        emit_json(
            {
                "card_id": result.card_id,
                "rating": result.rating.label.lower(),
                "state": CardState(result.record.state).label,
            }
        )
        return
    click.echo(f"Undid {result.rating.label} on card {result.card_id}.")


# -- settings ------------------------------------------------------------------------------


@cli.command()
@click.argument("key", required=False)
@click.argument("value", required=False)
@click.option("--deck", "deck_id", metavar="ID", help="Settings of this deck.")
@click.option("--unset", is_flag=True, help="Remove KEY, going back to the inherited value.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_state
def config(
    state: State,
    key: str | None,
    value: str | None,
    deck_id: str | None,
    unset: bool,
    as_json: bool,
) -> None:
    """Show or change study settings (collection-wide, or per deck with --deck).

    \b
    Keys: desired_retention (0.70-0.99), new_per_day, reviews_per_day,
    learning_steps ("1m 10m"), relearning_steps ("10m"), maximum_interval (days),
    fuzz (on/off), day_starts_at (0-23), fsrs_parameters (21 numbers or default),
    card_kinds (subset of rehearse,why,dos), interview_date (YYYY-MM-DD or none).
    """
    from drill.core.config import parse_value
    from drill.storage import repo
    from drill.storage.sqlite import write_transaction

    db = state.db()
    if key is not None and (value is not None or unset):
        if unset and value is not None:
            raise click.UsageError("give either VALUE or --unset, not both")
        with write_transaction(db):
            repo.set_config(db, deck_id, key, None if unset else value)
    elif key is not None:
        parse_value(key, "") if key not in repo.StudyConfig.__dataclass_fields__ else None
    effective = repo.decks(db, deck_id)[0].config if deck_id else repo.collection_config(db)
    if as_json:
        data = effective.to_json()
        emit_json({key: data[key]} if key else data)
        return
    shown = effective.display()
    for name, text in shown.items():
        if key is None or name == key:
            click.echo(f"{name} = {text}")


# -- exports -------------------------------------------------------------------------------


@cli.group()
def export() -> None:
    """Export progress, review history or a deck."""


@export.command("progress")
@click.option("--deck", "deck_id", metavar="ID")
@click.option(
    "--format", "fmt", type=click.Choice(["csv", "json"]), default="csv", show_default=True
)
@click.option("-o", "--output", metavar="FILE", help="Write here instead of stdout.")
@pass_state
def export_progress(state: State, deck_id: str | None, fmt: str, output: str | None) -> None:
    """One row per card: state, due date, stability, difficulty, retrievability."""
    from drill.library.exports import PROGRESS_COLUMNS, progress_rows, write_csv, write_json_array

    rows = progress_rows(state.db(), state.now, deck_id)
    with open_output(output) as out:
        if fmt == "csv":
            write_csv(rows, PROGRESS_COLUMNS, out)
        else:
            write_json_array(rows, out)


@export.command("reviews")
@click.option("--deck", "deck_id", metavar="ID")
@click.option(
    "--format", "fmt", type=click.Choice(["csv", "json"]), default="csv", show_default=True
)
@click.option("-o", "--output", metavar="FILE", help="Write here instead of stdout.")
@pass_state
def export_reviews(state: State, deck_id: str | None, fmt: str, output: str | None) -> None:
    """One row per review, in the FSRS optimizer's revlog columns (times in ms, UTC)."""
    from drill.library.exports import REVIEW_COLUMNS, review_rows, write_csv, write_json_array

    rows = review_rows(state.db(), deck_id)
    with open_output(output) as out:
        if fmt == "csv":
            write_csv(rows, REVIEW_COLUMNS, out)
        else:
            write_json_array(rows, out)


@export.command("deck")
@click.argument("deck_id")
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
    """A deck as Markdown (re-importable), JSON, an Anki package or Anki text."""
    from drill.library.exports import load_deck

    if with_history and fmt != "apkg":
        raise click.UsageError("--with-history needs --format apkg")
    if fmt == "apkg":
        from drill.library.anki_export import export_apkg

        if output is None or output == "-":
            raise click.UsageError("--format apkg needs -o FILE")
        done = export_apkg(state.db(), deck_id, Path(output), state.now, with_history=with_history)
        reviews = f", {done.reviews} reviews" if with_history else ""
        click.echo(f"Wrote {safe(output)}: {done.notes} notes, {done.cards} cards{reviews}.")
        return
    deck = load_deck(state.db(), deck_id)
    if fmt == "anki-txt":
        from drill.io.anki.writer import write_anki_text

        with open_output(output) as out:
            write_anki_text(deck, out)
        return
    if fmt == "md":
        from drill.io.markdown.deck import dump_markdown

        text = dump_markdown(deck)
    else:
        from drill.io.json_deck import dump_json

        text = dump_json(deck)
    with open_output(output) as out:
        out.write(text)


@export.command("stats")
@click.option("--deck", "deck_id", metavar="ID")
@click.option("--days", type=click.IntRange(1, 3660), default=84, show_default=True)
@click.option(
    "--format", "fmt", type=click.Choice(["html", "md", "json"]), default="html", show_default=True
)
@click.option("-o", "--output", metavar="FILE", help="Write here instead of stdout.")
@pass_state
def export_stats(
    state: State, deck_id: str | None, days: int, fmt: str, output: str | None
) -> None:
    """A progress report: self-contained HTML with charts, Markdown, or the stats JSON."""
    from drill.progress.report import write_report
    from drill.progress.stats import collect

    data = collect(state.db(), state.now, deck_id=deck_id, days=days)
    with open_output(output) as out:
        write_report(data, fmt, out)


@cli.command()
@click.option("-o", "--output", metavar="FILE", help="Where to write the copy.")
@pass_state
def backup(state: State, output: str | None) -> None:
    """Write a consistent copy of the database (safe while drill is running)."""
    from drill.storage.backup import automatic_backup, backup_to

    db = state.db()
    if output:
        target = Path(output).expanduser()
        if target.resolve() == state.db_path.resolve():
            fail("the backup must not overwrite the database itself")
        path = backup_to(db, target)
    else:
        path = automatic_backup(db, state.db_path, "manual", state.now)
    click.echo(f"Backed up to {path}")


@export.command("answers")
@click.option("--deck", "deck_id", metavar="ID")
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
    with open_output(output) as out:
        if fmt == "md":
            out.write(answers.cheat_sheet(db, deck_id))
        else:
            write_json_array(answers.latest_answers(db, deck_id), out)
