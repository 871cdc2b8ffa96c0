"""`drill mock`: a timed mock interview in the terminal."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import click

from drill.cli.context import ROW_ID, State, deck_option, fail, pass_state

if TYPE_CHECKING:
    from drill.storage.sqlite import Database
    from drill.study.mock import MockPlan


def has_terminal() -> bool:
    """True when both ends are a terminal (tests replace this to run the command)."""
    return sys.stdin.isatty() and sys.stdout.isatty()


def run(db: Database, plan: MockPlan) -> None:
    """Open the mock in the terminal (tests replace this)."""
    # Textual is imported here and only here, so other commands start fast.
    from drill.tui.app import run_mock

    code = run_mock(db, plan)
    if code:
        sys.exit(code)  # a crash: Textual has printed what happened


@click.command()
@deck_option("Only questions of this deck")
@click.option("--job", "job_id", type=ROW_ID, metavar="ID", help="Only this job's questions.")
@click.option(
    "--questions",
    "count",
    type=click.IntRange(1, 100),
    default=5,
    show_default=True,
    help="How many questions to ask.",
)
@click.option(
    "--seconds",
    type=click.IntRange(10, 3600),
    default=None,
    help="Time for every answer (default: each question's target length).",
)
@click.option(
    "--follow-ups/--no-follow-ups",
    default=None,
    help="Ask a follow-up after each answer (default: the mock_follow_ups setting, on).",
)
@click.option(
    "--question",
    "refs",
    multiple=True,
    metavar="DECK/QUESTION",
    help="Ask this question (repeat for more) instead of drawing them.",
)
@pass_state
def mock(
    state: State,
    deck_id: str | None,
    job_id: int | None,
    count: int,
    seconds: int | None,
    follow_ups: bool | None,
    refs: tuple[str, ...],
) -> None:
    """A timed mock interview: answer questions against the clock, then review.

    Questions you are likely to have forgotten, and ones you never practised, come up more
    often, each in one of its phrasings, and each timed by its target length (a story gets
    longer than a yes-or-no). Where a question has follow-ups, the interviewer asks one after
    your answer. Type each answer and press ctrl+s: it is saved to your answer bank at once.
    At the end, tick the dos and don'ts your answer did for a suggested rating, and confirm it
    (enter) or choose your own (1-4): it counts as a review.
    """
    import random

    from drill.storage import repo
    from drill.study import mock as core

    if deck_id is not None and job_id is not None:
        raise click.UsageError("give --deck or --job, not both")
    db = state.db()
    if follow_ups is None:
        follow_ups = repo.collection_config(db).mock_follow_ups
    if refs:
        from drill.cli.commands.insights import split_ref

        if deck_id is not None or job_id is not None:
            raise click.UsageError("give --question, or --deck or --job, not both")
        chosen = [split_ref(ref) for ref in refs]
        questions = core.chosen_questions(db, state.now, chosen, rng=random.Random())
    else:
        only = None
        if job_id is not None:
            from drill.library.jobs import job_scope

            only = job_scope(db, job_id).members
        questions = core.draw_questions(
            db, state.now, count, deck_id=deck_id, rng=random.Random(), only=only
        )
    if not questions:
        where = (
            f"job {job_id}'s set"
            if job_id is not None
            else (f"deck '{deck_id}'" if deck_id else "your decks")
        )
        fail(f"no questions to ask in {where} (import a deck, or unsuspend its rehearse cards)")
    if not has_terminal():
        fail("drill mock needs a terminal: run it in an interactive shell, not a pipe or script")
    run(db, core.MockPlan(questions, seconds, follow_ups, deck_id=deck_id))
