"""`drill job`: job targets. Paste a posting; drill picks the questions, finds the gaps and
plans for that interview.
"""

from __future__ import annotations

import sys
from datetime import date
from typing import TYPE_CHECKING, Any

import click

from drill.cli.context import ROW_ID, State, emit_json, open_output, pass_state, safe
from drill.core.format import plural

if TYPE_CHECKING:
    from drill.library.jobs import JobDetail, JobSummary

SIZE = click.IntRange(5, 60)


def _interview(value: str | None, *, allow_none: bool = False) -> date | None:
    if value is None:
        return None
    if allow_none and value.strip().lower() == "none":
        return None
    from drill.core.limits import FIRST_DATE, LAST_DATE, time_range_text

    try:
        day = date.fromisoformat(value.strip())
    except ValueError:
        raise click.BadParameter(
            f"'{safe(value)}' is not a date (use YYYY-MM-DD"
            + (", or none)" if allow_none else ")"),
            param_hint="'--interview'",
        ) from None
    if not FIRST_DATE <= day <= LAST_DATE:
        # As interview_date: a date past 2099 would break every schedule computed before it.
        raise click.BadParameter(
            f"{day.isoformat()} is outside {time_range_text()}", param_hint="'--interview'"
        )
    return day


def _countdown(summary: JobSummary) -> str:
    if summary.interview is None:
        return "no interview date"
    left = summary.days_left
    when = summary.interview.strftime("%a %d %b %Y")
    if left is None:
        return f"interview was {when}"
    if left == 0:
        return f"interview today ({when})"
    if left == 1:
        return f"interview tomorrow ({when})"
    return f"interview in {left} days ({when})"


def _readiness(summary: JobSummary) -> str:
    r = summary.readiness
    terms = f"answers use {r.terms_covered} of {r.terms} key terms" if r.answered else ""
    parts = [
        f"{r.rehearsed} of {plural(r.questions, 'question')} rehearsed",
        f"{r.answered} answered",
    ]
    return " · ".join(parts + ([terms] if terms else []))


def _heading(summary: JobSummary) -> str:
    company = f" at {safe(summary.company)}" if summary.company else ""
    return f"Job {summary.id}: {safe(summary.title)}{company}"


@click.group()
def job() -> None:
    """Job targets: paste a posting; drill picks the questions, finds the gaps and plans
    for that interview.

    \b
    drill job add posting.txt --interview 2026-12-14
    pbpaste | drill job add - --title "Data Analyst" --company Freightline
    drill job show 1
    drill review --job 1
    """


@job.command("add")
@click.argument("posting", metavar="FILE|-")
@click.option("--title", help="The job's title (default: the posting's first line).")
@click.option("--company", help="The company (default: what the posting's top says).")
@click.option("--interview", metavar="DATE", help="The interview date, YYYY-MM-DD.")
@click.option(
    "--size",
    type=SIZE,
    default=20,
    show_default=True,
    help="Ranked questions in the set (the openers come on top).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the job as JSON.")
@pass_state
def job_add(
    state: State,
    posting: str,
    title: str | None,
    company: str | None,
    interview: str | None,
    size: int,
    as_json: bool,
) -> None:
    """Store a job posting (a text, Markdown or HTML file, or - for stdin) and choose its
    questions.
    """
    from drill.io.postings import read_posting_file, read_posting_stream
    from drill.library.jobs import add_job

    when = _interview(interview)
    if posting == "-":
        text, name = read_posting_stream(sys.stdin.buffer, "stdin"), "stdin"
    else:
        text, name = read_posting_file(posting), posting
    detail = add_job(
        state.db(),
        text,
        state.now,
        name=name,
        title=title,
        company=company,
        interview=when,
        size=size,
    )
    if as_json:
        emit_json(detail.to_json())
        return
    summary = detail.summary
    click.echo(f"Added {_heading(summary)} · {_countdown(summary)}.")
    click.echo(
        f"{plural(len(detail.requirements), 'requirement')}; key terms: "
        + ", ".join(safe(t.text) for t in detail.terms[:8])
        + ("…" if len(detail.terms) > 8 else "")
    )
    _print_packs(detail)
    openers = sum(1 for q in detail.questions if q.origin == "opener")
    click.echo(
        f"The set: {plural(len(detail.questions) - openers, 'question')} for this posting"
        + (f" and {plural(openers, 'opener')}" if openers else "")
        + "."
    )
    _print_gap_hint(detail)
    click.echo(
        f"Next: drill job show {summary.id} · drill review --job {summary.id} · "
        f"drill mock --job {summary.id}"
    )


def _print_packs(detail: JobDetail) -> None:
    for pack in detail.packs_installed:
        click.echo(f"Installed the role pack '{safe(pack)}': the set uses its questions.")


def _print_gap_hint(detail: JobDetail) -> None:
    gaps = len(detail.gaps)
    if gaps:
        click.echo(
            f"Gaps: {plural(gaps, 'requirement')} no question covers well; "
            f"drill job gaps {detail.id} -o gaps.md drafts questions for them."
        )
    else:
        click.echo("Gaps: none; every requirement has a question.")


@job.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_state
def job_list(state: State, as_json: bool) -> None:
    """Jobs with their countdown and readiness, the soonest interview first."""
    from drill.library.jobs import list_jobs

    jobs = list_jobs(state.db(), state.now)
    if as_json:
        emit_json([summary.to_json() for summary in jobs])
        return
    if not jobs:
        click.echo("No jobs yet. Add one with: drill job add POSTING-FILE (or - for stdin)")
        return
    for summary in jobs:
        click.echo(f"{_heading(summary)} · {_countdown(summary)}")
        click.echo(f"  {_readiness(summary)}")


@job.command("show")
@click.argument("job_id", metavar="ID", type=ROW_ID)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_state
def job_show(state: State, job_id: int, as_json: bool) -> None:
    """A job's requirements, key terms, question set with reasons, gaps, and readiness."""
    from drill.library.jobs import show_job

    detail = show_job(state.db(), job_id, state.now)
    if as_json:
        emit_json(detail.to_json())
        return
    _print_detail(detail)


def _print_detail(detail: JobDetail) -> None:
    summary = detail.summary
    click.echo(f"{_heading(summary)} · {_countdown(summary)}")
    click.echo(f"Readiness: {_readiness(summary)}")
    click.echo("")
    click.echo("Key terms: " + ", ".join(safe(t.text) for t in detail.terms[:12]))
    click.echo("")
    click.echo("Requirements")
    for match in detail.requirements:
        mark = "✗" if match.gap else ("✓" if match.best else "·")
        click.echo(f"  {mark} {safe(match.requirement.text)}")
        if match.gap:
            terms = f" ({', '.join(safe(t) for t in match.terms)})" if match.terms else ""
            click.echo(f"      gap: no question covers it well{terms}")
        elif match.best:
            best = match.best[0]
            click.echo(f"      → {safe(best.question)} [{safe(best.ref)}]")
    click.echo("")
    click.echo(f"Questions ({len(detail.questions)})")
    for number, question in enumerate(detail.questions, start=1):
        click.echo(f"  {number:>2}. {safe(question.question)} [{safe(question.ref)}]")
        notes = [safe(question.reason)] if question.reason else []
        if question.reps:
            notes.append(f"rehearsed {question.reps}×")
        if question.term_use is not None:
            use = question.term_use
            if use.used:
                notes.append("your answer uses " + ", ".join(safe(t) for t in use.used))
            if use.missing:
                notes.append("misses " + ", ".join(safe(t) for t in use.missing))
        elif question.origin != "removed":
            notes.append("no answer yet")
        click.echo("      " + " · ".join(notes))
    readiness = summary.readiness
    if readiness.never_mentioned:
        click.echo("")
        click.echo(
            "Your answers never mention: " + ", ".join(safe(t) for t in readiness.never_mentioned)
        )
    click.echo("")
    _print_gap_hint(detail)


@job.command("edit")
@click.argument("job_id", metavar="ID", type=ROW_ID)
@click.option("--add", "add", multiple=True, metavar="DECK/QUESTION", help="Add a question.")
@click.option(
    "--remove", "remove", multiple=True, metavar="DECK/QUESTION", help="Take a question out."
)
@click.option("--size", type=SIZE, help="Choose the set again with this many questions.")
@click.option(
    "--refresh", is_flag=True, help="Choose the set again against the decks you have now."
)
@click.option("--title", help="A new title.")
@click.option("--company", help="A new company.")
@click.option("--interview", metavar="DATE", help="A new interview date (or none).")
@click.option("--json", "as_json", is_flag=True, help="Print the job as JSON.")
@pass_state
def job_edit(
    state: State,
    job_id: int,
    add: tuple[str, ...],
    remove: tuple[str, ...],
    size: int | None,
    refresh: bool,
    title: str | None,
    company: str | None,
    interview: str | None,
    as_json: bool,
) -> None:
    """Change a job's set (add, remove, size, refresh) or its title, company or date.

    Questions you add or remove stay that way when the set is chosen again.
    """
    from drill.library.jobs import edit_job

    if not (add or remove or size or refresh or title or company is not None or interview):
        raise click.UsageError(
            "nothing to change: give --add, --remove, --size, --refresh, --title, --company "
            "or --interview"
        )
    kwargs: dict[str, Any] = {}
    if interview is not None:
        kwargs["interview"] = _interview(interview, allow_none=True)
    detail = edit_job(
        state.db(),
        job_id,
        state.now,
        add=add,
        remove=remove,
        size=size,
        refresh=refresh,
        title=title,
        company=company,
        **kwargs,
    )
    if as_json:
        emit_json(detail.to_json())
        return
    click.echo(f"Changed {_heading(detail.summary)} · {_countdown(detail.summary)}.")
    _print_packs(detail)
    click.echo(f"The set: {plural(len(detail.questions), 'question')}.")


@job.command("gaps")
@click.argument("job_id", metavar="ID", type=ROW_ID)
@click.option("-o", "--output", metavar="FILE", help="Write the deck here (default: stdout).")
@pass_state
def job_gaps(state: State, job_id: int, output: str | None) -> None:
    """Write a deck draft (Markdown) with a question for each gap, to fill in and import."""
    from drill.io.markdown.deck import dump_markdown
    from drill.library.jobs import gaps_deck

    deck = gaps_deck(state.db(), job_id, state.now)
    text = dump_markdown(deck)
    with open_output(output, state) as out:
        out.write(text)
    if output not in (None, "-"):
        # Importing the drafts closes the gaps; --refresh then takes them into the set.
        name = safe(str(output))
        click.echo(
            f"Wrote {name}: {plural(len(deck.questions), 'question')}. Fill in each approach, "
            f"then: drill check {name} && drill import {name} && drill job edit {job_id} "
            "--refresh",
            err=True,
        )


@job.command("remove")
@click.argument("job_id", metavar="ID", type=ROW_ID)
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@pass_state
def job_remove(state: State, job_id: int, yes: bool) -> None:
    """Remove a job (its questions, answers and progress stay; a backup is made first)."""
    from drill.library.jobs import get_job, remove_job

    db = state.db()
    current = get_job(db, job_id)
    if not yes:
        click.confirm(f"Remove job {job_id} ({safe(current.title)})?", abort=True, err=True)
    removed = remove_job(db, job_id, state.now)
    click.echo(f"Removed job {removed.id}: {safe(removed.title)}.")
