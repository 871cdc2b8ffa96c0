"""`drill decks` (list, remove) and the overview a bare `drill` prints without a terminal."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from drill.cli.context import State, check_deck_id, check_deck_ids, emit_json, pass_state, safe

if TYPE_CHECKING:
    from drill.progress.overview import DeckSummary


def _deck_rows(state: State) -> list[DeckSummary]:
    from drill.progress.overview import deck_summaries

    return deck_summaries(state.db(), state.now)


def print_overview(state: State) -> None:
    from drill.core.format import interval as format_interval
    from drill.study.session import Counts, ReviewSession

    rows = _deck_rows(state)
    if not rows:
        click.echo("No decks yet. Import one with: drill import FILE.md")
        return
    _print_deck_table(rows)
    _print_countdowns(rows)
    session = ReviewSession(state.db())
    # The all-decks queue is the sum of the decks' counts, already in the rows.
    counts = Counts(
        sum(r.new_today for r in rows),
        sum(r.learning_today for r in rows),
        sum(r.review_today for r in rows),
    )
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
    from drill.core.format import plural

    for row in rows:
        interview = row.interview
        if not interview:
            continue
        days = interview.days_left
        recall = interview.retrievability
        recall_text = f"{recall:.0%} expected recall on the day" if recall is not None else ""
        click.echo(
            f"{safe(row.name)}: interview in {plural(days, 'day')} "
            f"({interview.date.isoformat()}); {interview.seen:.0%} of questions seen"
            + (f", {recall_text}" if recall_text else "")
        )


@click.group(invoke_without_command=True)
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
@click.argument("deck_id", metavar="DECK", callback=check_deck_id)
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@pass_state
def decks_remove(state: State, deck_id: str, yes: bool) -> None:
    """Remove a deck and all its progress (a backup is made first).

    DECK is the deck's id or its name in any case (not a start of it: this deletes).
    """
    from drill.library.deck_lookup import resolve_deck
    from drill.library.importing import remove_deck
    from drill.storage import repo

    db = state.db()
    deck_id = resolve_deck(db, deck_id, prefix=False)
    info = repo.decks(db, deck_id)[0]
    if not yes:
        click.confirm(
            f"Remove deck '{safe(info.name)}' and all its progress?", abort=True, err=True
        )
    questions, reviews = remove_deck(db, deck_id, state.now)
    click.echo(f"Removed {safe(info.name)}: {questions} questions, {reviews} reviews.")


@decks.command("available")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_state
def decks_available(state: State, as_json: bool) -> None:
    """List the decks and role packs drill ships, and which are installed."""
    from drill.library.bundled import available

    rows = available(state.db())
    if as_json:
        emit_json([row.to_json() for row in rows])
        return
    width = max(len(row.id) for row in rows) if rows else 2
    name_width = min(max((len(row.name) for row in rows), default=4), 40)
    for pack, title in (
        (False, "General decks (installed by default):"),
        (True, "Role packs (add one with: drill decks add ID):"),
    ):
        group = [row for row in rows if row.pack == pack]
        if not group:
            continue
        click.echo(title)
        for row in group:
            mark = "installed" if row.installed else ""
            click.echo(
                f"  {safe(row.id):<{width}}  {safe(row.name):<{name_width}}  "
                f"{row.questions:>3} questions  {mark}".rstrip()
            )
        if not pack:
            click.echo("")


@decks.command("add")
@click.argument("deck_ids", metavar="ID...", nargs=-1, required=True, callback=check_deck_ids)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_state
def decks_add(state: State, deck_ids: tuple[str, ...], as_json: bool) -> None:
    """Install a role pack (or bring back a bundled deck you removed); progress is kept.

    See what there is with `drill decks available`.
    """
    from drill.library.bundled import add_bundled

    results = add_bundled(state.db(), list(deck_ids), state.now)
    if as_json:
        emit_json([result.to_json() for result in results])
        return
    for result in results:
        if result.added:
            click.echo(
                f"Added {safe(result.name)}: {result.added} questions ({result.cards} cards)."
            )
        else:
            click.echo(
                f"{safe(result.name)} is already installed: "
                f"{result.updated + result.unchanged} questions, {result.updated} updated."
            )
