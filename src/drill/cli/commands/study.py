"""Studying from the command line: `drill review`, `drill next`, `drill show`, `drill rate`,
`drill undo`, and practice without rescheduling (`drill practice`, `--practice`).
"""

from __future__ import annotations

import sys
from typing import Any

import click

from drill.cli.context import (
    ROW_ID,
    State,
    deck_option,
    emit_json,
    fail,
    open_tui,
    pass_state,
    safe,
)
from drill.core.limits import MAX_DURATION_MS

RATING_CHOICES = ("again", "hard", "good", "easy", "1", "2", "3", "4")


def _check_scope(deck_id: str | None, job_id: int | None) -> None:
    if deck_id is not None and job_id is not None:
        raise click.UsageError("give --deck or --job, not both")


@click.command()
@deck_option("Only this deck")
@click.option("--job", "job_id", type=ROW_ID, metavar="ID", help="Only this job's questions.")
@click.option(
    "--practice",
    is_flag=True,
    help="Practise instead: weakest questions first, nothing rescheduled.",
)
@click.option(
    "--weakest",
    type=click.IntRange(1, 100_000),
    metavar="N",
    help="With --practice: only the N weakest questions.",
)
@pass_state
def review(
    state: State, deck_id: str | None, job_id: int | None, practice: bool, weakest: int | None
) -> None:
    """Open the review app straight into a study session."""
    _check_scope(deck_id, job_id)
    if weakest is not None and not practice:
        raise click.UsageError("--weakest goes with --practice")
    if practice:
        open_tui(state, deck_id=deck_id, start="practice", job_id=job_id, weakest=weakest)
    else:
        open_tui(state, deck_id=deck_id, start="review", job_id=job_id)


@click.command()
@deck_option("Only this deck")
@click.option("--job", "job_id", type=ROW_ID, metavar="ID", help="Only this job's questions.")
@click.option("--weakest", type=click.IntRange(1, 100_000), metavar="N", help="Only the N weakest.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_state
def practice(
    state: State, deck_id: str | None, job_id: int | None, weakest: int | None, as_json: bool
) -> None:
    """List questions to practise, weakest first (practice reschedules nothing).

    \b
    Weakest means the lowest predicted recall now, then the most lapses; questions
    not studied yet come last. Rate one with `drill rate CARD_ID RATING --practice`.
    """
    from drill.core.format import percent
    from drill.study.practice import practice_order

    _check_scope(deck_id, job_id)
    only = None
    if job_id is not None:
        from drill.library.jobs import job_scope

        only = job_scope(state.db(), job_id).members
    items = practice_order(state.db(), state.now, deck_id=deck_id, weakest=weakest, only=only)
    if as_json:
        emit_json([item.to_json() for item in items])
        return
    if not items:
        click.echo("Nothing to practise: no questions in the decks studied.")
        return
    for item in items:
        recall = "new" if item.recall is None else f"{percent(item.recall)} recall"
        click.echo(f"{item.card_id:>6}  {safe(item.deck_id)}/{safe(item.question_id)}  ({recall})")
        click.echo(f"        {safe(item.prompt)}")


def _card_json(card: Any) -> dict[str, Any]:
    from drill.core.format import iso_ms as _iso

    return {
        "card_id": card.card_id,
        "deck": card.deck_id,
        "question_id": card.question_id,
        "kind": card.kind.value,
        "prompt": card.prompt,
        "state": card.state.label,
        "due": _iso(card.record.due),
    }


@click.command("next")
@deck_option("Only this deck")
@click.option("--job", "job_id", type=ROW_ID, metavar="ID", help="Only this job's questions.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON (null when nothing is due).")
@pass_state
def next_(state: State, deck_id: str | None, job_id: int | None, as_json: bool) -> None:
    """Show the card to study now."""
    from drill.core.format import interval as format_interval

    _check_scope(deck_id, job_id)
    if job_id is not None:
        from drill.library.jobs import job_session

        session = job_session(state.db(), job_id)
    else:
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
        f"{card.question.card_heading(card.kind)} ({card.state.label})"
    )
    click.echo("")
    click.echo(f"  {safe(card.prompt)}")
    if card.kind.value != "rehearse":
        click.echo(f"  {card.question.card_task(card.kind)}")
    click.echo("")
    click.echo(f"Rate it: drill rate {card.card_id} again|hard|good|easy")


def _reading_width() -> int:
    """Where `drill show` wraps: the terminal's width up to 100 columns; 80 into a file or pipe."""
    if not sys.stdout.isatty():
        return 80
    import shutil  # here, not at the top: `drill next` (the cold start) never wraps text

    return max(40, min(100, shutil.get_terminal_size((80, 24)).columns - 1))


@click.command()
@click.argument("card_id", type=ROW_ID)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_state
def show(state: State, card_id: int, as_json: bool) -> None:
    """Show a card: its front, its back and your latest answer (or note).

    So you can check yourself before `drill rate`, instead of rating blind.
    """
    from drill.core.format import moment
    from drill.study.card_back import card_sheet

    sheet = card_sheet(state.db(), card_id)
    if as_json:
        emit_json(sheet.to_json())
        return
    card = sheet.card
    width = _reading_width()
    import textwrap  # here, not at the top: `drill next` (the cold start) never wraps text

    def para(text: str, first: str = "  ", rest: str = "  ") -> None:
        # Wrapped with its indent, so a long approach or example reads as a block.
        click.echo(
            textwrap.fill(
                safe(" ".join(text.split())),
                width,
                initial_indent=first,
                subsequent_indent=rest,
                break_long_words=False,
                break_on_hyphens=False,
            )
        )

    def block(title: str, text: str = "", items: tuple[str, ...] = ()) -> None:
        click.echo("")
        click.echo(safe(title))
        for line in text.splitlines():
            if line.strip():
                para(line)
            else:
                click.echo("")
        for item in items:
            para(item, "  - ", "    ")

    click.echo(
        f"Card {card.card_id} · {safe(card.deck_id)}/{safe(card.question_id)} · "
        f"{card.question.card_heading(card.kind)} ({card.state.label})"
    )
    click.echo("")
    para(card.prompt)
    if card.kind.value != "rehearse":
        para(card.question.card_task(card.kind))
    elif card.prompt != card.question.question:
        para(f"Asked as a variant of: {card.question.question}")
    if sheet.latest_answer is not None:
        answer = sheet.latest_answer
        block(f"Your latest answer ({moment(answer.created_at)} · {answer.source})", answer.text)
    elif card.kind.value == "rehearse":
        block(
            "Your latest answer",
            f"None yet: drill answer {card.deck_id}/{card.question_id} --edit",
        )
    if sheet.latest_note is not None:
        note = sheet.latest_note
        block(f"Your last note ({moment(note.created_at)})", note.text)
    for section in sheet.sections:
        block(section.title, section.text, section.items)
    click.echo("")
    click.echo(f"Rate it: drill rate {card.card_id} again|hard|good|easy")


@click.command()
@click.argument("card_id", type=ROW_ID)
@click.argument("rating", type=click.Choice(RATING_CHOICES, case_sensitive=False))
@click.option(
    "--duration-ms",
    type=click.IntRange(0, MAX_DURATION_MS),
    help="Time spent on the card (at most an hour, 3600000).",
)
@click.option("--practice", is_flag=True, help="Keep it as practice: the card is not rescheduled.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_state
def rate(
    state: State,
    card_id: int,
    rating: str,
    duration_ms: int | None,
    practice: bool,
    as_json: bool,
) -> None:
    """Rate a card: again, hard, good or easy (or 1-4)."""
    from drill.core.format import interval as format_interval
    from drill.core.format import iso_ms as _iso
    from drill.core.model import CardState, Rating
    from drill.study.session import ReviewSession

    grade = Rating.parse(rating)
    if practice:
        from drill.study.practice import practise

        practise(state.db(), card_id, grade, state.now, duration_ms)
        if as_json:
            emit_json({"card_id": card_id, "rating": grade.label.lower(), "practice": True})
        else:
            click.echo(f"{grade.label}: practice on card {card_id} kept; nothing rescheduled.")
        return
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
                "leech": result.leech,
            }
        )
        return
    from drill.core import clock

    due = clock.from_ms(record.due or 0)
    click.echo(
        f"{grade.label}: card {card_id} is {CardState(record.state).label}, "
        f"due in {format_interval(due - state.now)}."
    )
    if result.leech:
        suspended = " It is suspended (leech_action is suspend)." if result.suspended else ""
        click.echo(
            f"This question is now a leech: you have failed it {record.lapses} times."
            f"{suspended} `drill stats` shows how the coach can help."
        )


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_state
def undo(state: State, as_json: bool) -> None:
    """Undo the last rating, restoring the card exactly."""
    from drill.core.model import CardState
    from drill.study.undo import undo_latest_rating

    result = undo_latest_rating(state.db())
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
    click.echo(safe(result.message()))
