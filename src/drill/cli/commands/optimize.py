"""`drill optimize`: fit FSRS parameters to your history, or simulate desired retentions."""

from __future__ import annotations

from typing import Any

import click

from drill.cli.context import State, deck_option, emit_json, pass_state, safe


@click.command()
@deck_option("Only this deck's history and settings")
@click.option("--dry-run", is_flag=True, help="Fit and report, but save nothing.")
@click.option(
    "--retention",
    is_flag=True,
    help="Simulate daily workload and knowledge for desired retention 0.70-0.95.",
)
@click.option(
    "--days",
    type=click.IntRange(1, 3650),
    help="Days to simulate with --retention (default: until interview_date, else 365).",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_state
def optimize(
    state: State,
    deck_id: str | None,
    dry_run: bool,
    retention: bool,
    days: int | None,
    as_json: bool,
) -> None:
    """Fit FSRS-6 parameters to your own review history and save them.

    \b
    Without --deck, one set is fitted on all history and saved collection-wide;
    with --deck, for that deck only. Parameters are saved only if they predict your
    history better than the ones in use; the affected cards are then rescheduled by
    replaying their history. With --retention, nothing is fitted or saved.
    """
    from drill.progress import optimizer

    if days is not None and not retention:
        raise click.UsageError("--days goes with --retention")
    db = state.db()
    if retention:
        report = optimizer.simulate_retention(db, state.now, deck_id=deck_id, days=days)
        if as_json:
            emit_json(report.to_json())
        else:
            _print_retention(report)
        return
    result = optimizer.optimize(db, state.now, deck_id=deck_id, dry_run=dry_run)
    if as_json:
        emit_json(result.to_json())
    else:
        _print_result(result)


def _scope(deck_id: str | None) -> str:
    return f"deck '{safe(deck_id)}'" if deck_id else "all decks"


def _print_result(result: Any) -> None:
    if not result.enough:
        click.echo(
            f"Not enough history yet for {_scope(result.deck)}: {result.reviews} usable "
            f"reviews, {result.needed} more needed."
        )
        click.echo(
            "A review counts once its card was seen on an earlier day. "
            "Keeping the current parameters."
        )
        return
    click.echo(
        f"Fitted FSRS-6 to {result.reviews} reviews of {result.cards} cards "
        f"({_scope(result.deck)}) in {result.seconds:.1f}s."
    )
    click.echo(
        f"Log loss {result.log_loss_before:.4f} -> {result.log_loss_after:.4f}, "
        f"RMSE {result.rmse_before:.2%} -> {result.rmse_after:.2%} (lower is better)."
    )
    click.echo("Parameters: " + ", ".join(f"{p:g}" for p in result.parameters))
    where = f"deck '{safe(result.deck)}'" if result.deck else "the collection"
    if not result.improved:
        click.echo("The parameters in use fit your history at least as well; kept them.")
    elif result.dry_run:
        click.echo(f"(dry run: nothing was saved; without --dry-run they go to {where})")
    else:
        click.echo(f"Saved for {where}; {result.rescheduled} cards rescheduled from their history.")


def _print_retention(report: Any) -> None:
    click.echo(
        f"Simulated {report.days} days of {_scope(report.deck)}: {report.cards} cards, "
        f"{report.new_per_day} new a day."
    )
    click.echo("")
    click.echo(
        f"{'Retention':>9}  {'Reviews/day':>11}  {'Minutes/day':>11}  {'Memorized':>9}  "
        f"{'Per minute':>10}"
    )
    for row in report.rows:
        marks = []
        if abs(row.retention - report.current_retention) < 1e-9:
            marks.append("current")
        if row.retention == report.most_efficient:
            marks.append("most efficient")
        if row.retention == report.recommended:
            marks.append("recommended")
        note = f"  <- {', '.join(marks)}" if marks else ""
        click.echo(
            f"{row.retention:>9.2f}  {row.reviews_per_day:>11.1f}  {row.minutes_per_day:>11.1f}  "
            f"{row.memorized:>9.0f}  {row.memorized_per_minute:>10.3f}{note}"
        )
    if report.recommended is not None:
        click.echo("")
        flag = f" --deck {safe(report.deck)}" if report.deck else ""
        click.echo(
            f"Recommended: {report.recommended:.2f}, the highest retention within 10% of the "
            "most cards memorized per minute of study."
        )
        click.echo(f"Set it with: drill config desired_retention {report.recommended:.2f}{flag}")
