"""`drill answer`: your own answers to a question, every version kept."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from drill.cli.context import State, emit_json, fail, pass_state, read_text_file, safe

if TYPE_CHECKING:
    from drill.storage.sqlite import Database


def _split(ref: str) -> tuple[str, str]:
    deck_id, sep, question_id = ref.partition("/")
    if not sep or not deck_id or not question_id:
        raise click.BadParameter("use DECK/QUESTION, e.g. career-and-goals/career-goals")
    return deck_id, question_id


@click.command()
@click.argument("ref", metavar="DECK/QUESTION")
@click.option("--text", help="Save this text as a new version.")
@click.option(
    "--file",
    metavar="FILE",
    help="Save this file's text as a new version ('-' reads standard input).",
)
@click.option("--edit", is_flag=True, help="Edit the latest version in $VISUAL / $EDITOR.")
@click.option("--history", is_flag=True, help="List every version, newest first.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON (with --history).")
@pass_state
def answer(
    state: State,
    ref: str,
    text: str | None,
    file: str | None,
    edit: bool,
    history: bool,
    as_json: bool,
) -> None:
    """Save, edit or list your answers to a question.

    \b
    drill answer career-and-goals/career-goals --text "In the next two years..."
    drill answer career-and-goals/career-goals --file draft.txt
    drill answer career-and-goals/career-goals --edit
    drill answer career-and-goals/career-goals --history
    """
    from drill.storage import repo
    from drill.study import answers

    deck_id, question_id = _split(ref)
    if sum(map(bool, (text is not None, file is not None, edit, history))) != 1:
        raise click.UsageError("give exactly one of --text, --file, --edit or --history")
    db = state.db()
    repo.decks(db, deck_id)
    question = repo.get_question(db, deck_id, question_id)
    if question is None:
        fail(f"no question '{question_id}' in deck '{deck_id}'")
    if history:
        from drill.core.coach.insights import analyse
        from drill.progress.insights import summary, summary_json

        versions = answers.history(db, deck_id, question_id)
        if as_json:
            emit_json(
                [
                    {**v.to_json(), "insights": summary_json(analyse(question, v.text))}
                    for v in versions
                ]
            )
            return
        if not versions:
            click.echo("No answers yet.")
        for version in versions:
            stamp = version.created_at.astimezone().strftime("%Y-%m-%d %H:%M")
            click.echo(f"--- {stamp} ({safe(version.source)})")
            click.echo(f"    {summary(analyse(question, version.text))}")
            click.echo(safe(version.text))
        return
    if file is not None:
        text = read_text_file(file)
    elif text is not None:
        from drill.io.answer_text import check_text

        text = check_text(text)  # one line for an empty, oversized or binary answer
    if text is not None:
        saved = answers.save_answer(db, deck_id, question_id, text, "cli", state.now)
        click.echo("Saved a new version." if saved else "Unchanged: same as the latest version.")
        return
    _edit(state, db, deck_id, question_id, question.question)


def _edit(state: State, db: Database, deck_id: str, question_id: str, prompt: str) -> None:
    """Edit the latest answer in $VISUAL/$EDITOR, through a draft that outlives any failure."""
    from drill.cli.editor import discard, edit_draft
    from drill.study import answers
    from drill.study.drafts import answer_draft

    latest = answers.latest_answer(db, deck_id, question_id)
    start = latest.text if latest else answers.STAR_TEMPLATE
    header = f"# {prompt}\n# Lines starting with '#' are ignored.\n\n"
    draft = answer_draft(state.db_path, deck_id, question_id)
    edited = edit_draft(draft, header + start + ("\n" if not start.endswith("\n") else ""))
    if edited.note:
        click.echo(f"note: {safe(edited.note)}", err=True)
    if not edited.changed:
        discard(draft)
        click.echo("Unchanged: the editor was closed without saving.")
        return
    body = "\n".join(line for line in edited.text.split("\n") if not line.startswith("#"))
    body = body.strip()
    if not body or (latest is None and body == answers.STAR_TEMPLATE.strip()):
        discard(draft)
        click.echo("Unchanged: nothing was written.")
        return
    try:
        saved = answers.save_answer(
            db, deck_id, question_id, body, "editor", state.now, keep_draft=False
        )
    except Exception as exc:
        fail(f"{exc}; your text is kept in {draft}")
    discard(draft)
    click.echo("Saved a new version." if saved else "Unchanged: same as the latest version.")
