"""`drill decks` (list, remove) and the overview a bare `drill` prints without a terminal."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from drill.cli.context import (
    State,
    check_deck_id,
    check_deck_ids,
    deck_argument,
    emit_json,
    pass_state,
    safe,
)
from drill.core.format import plural

if TYPE_CHECKING:
    from drill.progress.overview import DeckSummary
    from drill.progress.stats import Countdown


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
    _print_countdowns(state)
    session = ReviewSession(state.db())
    # The all-decks queue is the sum of the decks' counts, already in the rows.
    counts = Counts(
        sum(r.new_today for r in rows),
        sum(r.learning_today for r in rows),
        sum(r.review_today for r in rows),
    )
    click.echo("")
    click.echo(session.today_plan(state.now).line())
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
        counts = f"{r.new_today:>5} {r.learning:>5} {r.due:>5}"
        numbers = f"{'paused':>17}" if r.paused else counts
        click.echo(f"{name:<{width}}  {deck_id:<{id_width}}  {numbers} {r.questions:>9}")


def countdown_text(interview: Countdown) -> str:
    """ "interview in 7 days (2026-01-12); 40% of questions seen, 83% expected recall on
    the day".
    """
    from drill.core.format import plural

    days = interview.days_left
    recall = interview.retrievability
    recall_text = f"{recall:.0%} expected recall on the day" if recall is not None else ""
    return (
        f"interview in {plural(days, 'day')} "
        f"({interview.date.isoformat()}); {interview.seen:.0%} of questions seen"
        + (f", {recall_text}" if recall_text else "")
    )


def _print_countdowns(state: State) -> None:
    """One line for the collection's interview, and one per deck with a date of its own."""
    from drill.progress.overview import interviews

    found = interviews(state.db(), state.now)
    if found.collection is not None:
        text = countdown_text(found.collection)
        click.echo(text[0].upper() + text[1:])
    for _, name, countdown in found.decks:
        click.echo(f"{safe(name)}: {countdown_text(countdown)}")


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
        _print_countdowns(state)
    else:
        click.echo("No decks yet. Import one with: drill import FILE.md")


@decks.command("pause")
@deck_argument()
@pass_state
def decks_pause(state: State, deck_id: str) -> None:
    """Pause a deck: it shows nothing and introduces nothing, and keeps its progress."""
    _set_paused(state, deck_id, paused=True)


@decks.command("resume")
@deck_argument()
@pass_state
def decks_resume(state: State, deck_id: str) -> None:
    """Resume a paused deck: its due cards and new questions come back into the plan."""
    _set_paused(state, deck_id, paused=False)


def _set_paused(state: State, deck_id: str, *, paused: bool) -> None:
    from drill.storage import repo
    from drill.study.setup import set_paused

    db = state.db()
    name = safe(repo.decks(db, deck_id)[0].name)
    if not set_paused(db, deck_id, paused):
        click.echo(f"{name} was already paused." if paused else f"{name} was not paused.")
    elif paused:
        click.echo(f"Paused {name}: resume it with `drill decks resume {safe(deck_id)}`.")
    else:
        click.echo(f"Resumed {name}.")


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
    click.echo(
        f"Removed {safe(info.name)}: {plural(questions, 'question')}, {plural(reviews, 'review')}."
    )


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
                f"Added {safe(result.name)}: {plural(result.added, 'question')} "
                f"({plural(result.cards, 'card')})."
            )
        else:
            click.echo(
                f"{safe(result.name)} is already installed: "
                f"{result.updated + result.unchanged} questions, {result.updated} updated."
            )
