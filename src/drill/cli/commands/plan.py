"""`drill plan` (the prep plan and its forecast) and `drill setup` (the first-run choices)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from drill.cli.context import ROW_ID, State, deck_option, emit_json, pass_state, safe

if TYPE_CHECKING:
    from drill.study.plan import Plan

BAR = 24  # columns of the minutes bar at the larger of the budget and the busiest day


def print_plan(plan: Plan) -> None:
    from drill.core.format import short_date

    budget = plan.daily_minutes
    head = [f"{budget} min a day" if budget is not None else "no daily budget"]
    if plan.interview is not None:
        head.append(f"interview {plan.interview:%a} {short_date(plan.interview)}")
    head.append(f"{plan.questions_total} question{'s' if plan.questions_total != 1 else ''}")
    if plan.deck is not None:
        head.append(f"deck {safe(plan.deck)}")
    if plan.job is not None:
        head.append(f"job {plan.job}'s set")
    click.echo("Plan: " + " · ".join(head))
    click.echo("")
    scale = max(float(budget or 0), plan.peak_minutes, 1.0)
    mark = round(budget / scale * BAR) if budget else None
    click.echo(f"{'Day':<10} {'Min':>4}  {'':<{BAR + 1}}  {'Reviews':>7} {'New':>4}")
    for day in plan.days:
        filled = round(day.minutes / scale * BAR)
        bar = "".join("█" if i < filled else ("│" if i == mark else " ") for i in range(BAR + 1))
        click.echo(
            f"{day.date:%a} {short_date(day.date):<6} {round(day.minutes):>4}  {bar}  "
            f"{day.reviews:>7} {day.new_questions:>4}"
        )
    if mark is not None:
        click.echo(f"{'':<17}{'':<{mark}}└ {budget} min")
    click.echo("")
    click.echo(plan.verdict)


@click.command()
@deck_option("Only this deck")
@click.option(
    "--job",
    "job_id",
    type=ROW_ID,
    metavar="ID",
    help="Only this job's questions, to its interview.",
)
@click.option(
    "--days",
    type=click.IntRange(1, 365),
    help="Days to forecast (default: until the interview, else 14).",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_state
def plan(
    state: State, deck_id: str | None, job_id: int | None, days: int | None, as_json: bool
) -> None:
    """The prep plan: minutes, reviews and new questions each day until the interview.

    \b
    Each day is simulated on your own cards with the FSRS scheduler and the daily
    budget (daily_minutes), and the plan ends in a verdict: how many questions
    will be rehearsed, and twice, by the interview, and what budget covers them all.
    """
    from drill.study.plan import JobSet, forecast

    if deck_id is not None and job_id is not None:
        raise click.UsageError("give --deck or --job, not both")
    job = None
    if job_id is not None:
        from drill.library.jobs import job_scope

        scope = job_scope(state.db(), job_id)
        job = JobSet(scope.job_id, scope.members, scope.interview)
    result = forecast(state.db(), state.now, deck_id=deck_id, days=days, job=job)
    if as_json:
        emit_json(result.to_json())
        return
    print_plan(result)


@click.command()
@click.option("--decks", "decks_text", metavar="ID,...", help="The decks to study; the rest pause.")
@click.option("--interview", metavar="DATE", help="The interview date (YYYY-MM-DD), or none.")
@click.option("--minutes", metavar="N", help="Minutes a day (5-600), or off.")
@click.option("--json", "as_json", is_flag=True, help="Print the choices and the plan as JSON.")
@pass_state
def setup(
    state: State,
    decks_text: str | None,
    interview: str | None,
    minutes: str | None,
    as_json: bool,
) -> None:
    """Choose the decks, the interview date and the minutes a day, in one step.

    \b
    What the welcome screen of the review app does, for scripts. Options left out
    keep their current value. Prints the plan's verdict for the new choices.
    """
    from dataclasses import replace

    from drill.core.config import parse_value
    from drill.storage import repo
    from drill.study.plan import Choices, forecast
    from drill.study.setup import apply, parse_decks

    db = state.db()
    choices = Choices.current(db)
    if decks_text is not None:
        choices = replace(choices, decks=parse_decks(db, decks_text))
    if interview is not None:
        choices = replace(choices, interview=parse_value("interview_date", interview))
    if minutes is not None:
        choices = replace(choices, daily_minutes=parse_value("daily_minutes", minutes))
    apply(db, choices, state.now)
    result = forecast(db, state.now)
    decks = repo.decks(db)
    studied = [d.id for d in decks if not d.paused]
    paused = [d.id for d in decks if d.paused]
    if as_json:
        emit_json(
            {
                "decks": studied,
                "paused": paused,
                "interview": choices.interview.isoformat() if choices.interview else None,
                "daily_minutes": choices.daily_minutes,
                "plan": result.to_json(),
            }
        )
        return
    parts = [f"studying {len(studied)} deck{'s' if len(studied) != 1 else ''}"]
    if paused:
        parts[0] += f" ({len(paused)} paused)"
    parts.append(
        f"interview {choices.interview.isoformat()}" if choices.interview else "no interview date"
    )
    parts.append(
        f"{choices.daily_minutes} min a day" if choices.daily_minutes else "no daily budget"
    )
    text = ", ".join(parts)
    click.echo(text[0].upper() + text[1:] + ".")
    click.echo(result.verdict)
