"""`drill story`: your story bank, true stories reused across the questions they answer."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from drill.cli.context import (
    ROW_ID,
    State,
    deck_option,
    emit_json,
    pass_state,
    read_text_file,
    safe,
)

if TYPE_CHECKING:
    from drill.study.stories import Coverage

STORY_TEMPLATE = """Situation: where and when was this? What was at stake?

Task: what was yours to do?

Action: what did you do, step by step? (Say "I".)

Result: what happened, with a number? What did you learn?
"""


def _split_list(values: tuple[str, ...]) -> list[str]:
    return [part for value in values for part in value.split(",") if part.strip()]


def _text_from(
    text: str | None, file: str | None, edit: bool, start: str, title: str
) -> str | None:
    """The story text from --text, --file or the editor; None when the editor saved nothing."""
    from drill.io.answer_text import check_text

    if sum(map(bool, (text is not None, file is not None, edit))) > 1:
        raise click.UsageError("give one of --text, --file or --edit")
    if text is not None:
        return check_text(text, "the story")
    if file is not None:
        return read_text_file(file)
    if not edit:
        return None
    header = f"# {title}\n# Lines starting with '#' are ignored.\n\n"
    edited = click.edit(header + start + ("" if start.endswith("\n") else "\n"))
    if edited is None:
        return None
    body = "\n".join(line for line in edited.split("\n") if not line.startswith("#")).strip()
    if not body or body == STORY_TEMPLATE.strip():
        return None
    return check_text(body, "the story")


@click.group()
def story() -> None:
    """Your story bank: true stories that answer many questions, and what they cover."""


@story.command("add")
@click.argument("title")
@click.option("--text", help="The story's text.")
@click.option("--file", "file", metavar="FILE", help="Read the story from FILE ('-': stdin).")
@click.option("--edit", is_flag=True, help="Write it in $VISUAL / $EDITOR (from a STAR outline).")
@click.option(
    "--competencies",
    multiple=True,
    metavar="LIST",
    help="What it shows, comma-separated (leadership, conflict, failure, ...).",
)
@click.option("--link", multiple=True, metavar="DECK/QUESTION", help="A question it answers.")
@click.option("--json", "as_json", is_flag=True, help="Print the story as JSON.")
@pass_state
def story_add(
    state: State,
    title: str,
    text: str | None,
    file: str | None,
    edit: bool,
    competencies: tuple[str, ...],
    link: tuple[str, ...],
    as_json: bool,
) -> None:
    """Add a story: drill story add TITLE --text TEXT | --file FILE | --edit."""
    from drill.study import stories

    if text is None and file is None and not edit:
        raise click.UsageError("give the story with --text, --file or --edit")
    body = _text_from(text, file, edit, STORY_TEMPLATE, title)
    if body is None:
        click.echo("Nothing saved: the story is empty.")
        return
    source = "editor" if edit else "cli"
    added = stories.add_story(
        state.db(),
        title,
        body,
        state.now,
        competencies=_split_list(competencies),
        links=link,
        source=source,
    )
    if as_json:
        emit_json(stories.detail(state.db(), added.id).to_json())
        return
    click.echo(f"Added story '{safe(added.id)}': {safe(added.title)}.")
    _print_suggestions(state, added.id)


def _print_suggestions(state: State, story_id: str) -> None:
    from drill.study import stories

    found = stories.detail(state.db(), story_id, limit=5)
    if found.suggested_competencies:
        names = ", ".join(found.suggested_competencies)
        click.echo(
            f"It reads like {names}: drill story edit {story_id} --competencies "
            + ",".join((*found.story.competencies, *found.suggested_competencies))
        )
    if found.suggestions:
        click.echo("Questions it could answer (drill story edit ID --link DECK/QUESTION):")
        for suggestion in found.suggestions:
            because = ", ".join(suggestion.because)
            click.echo(
                f"  {safe(suggestion.question.ref)}  {safe(suggestion.question.question)} "
                f"({because})"
            )


@story.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_state
def story_list(state: State, as_json: bool) -> None:
    """Every story with its competencies and how many questions it answers."""
    from drill.study import stories

    found = stories.stories(state.db())
    if as_json:
        emit_json([s.to_json() for s in found])
        return
    if not found:
        click.echo('No stories yet. Add one: drill story add "Title" --edit')
        return
    width = min(max(len(s.id) for s in found), 32)
    for item in found:
        words = len(item.text.split())
        shows = ", ".join(item.competencies) or "no competencies yet"
        click.echo(
            f"{safe(item.id):<{width}}  {safe(item.title)}  ({words} words; "
            f"{item.links} question{'s' if item.links != 1 else ''}; {shows})"
        )


@story.command("show")
@click.argument("story_id", metavar="ID")
@click.option("--history", is_flag=True, help="Every version of the text, newest first.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_state
def story_show(state: State, story_id: str, history: bool, as_json: bool) -> None:
    """A story: its text, what it shows, the questions it answers and could answer."""
    from drill.study import stories

    db = state.db()
    if history:
        versions = stories.history(db, story_id)
        if as_json:
            emit_json([v.to_json() for v in versions])
            return
        for version in versions:
            stamp = version.created_at.astimezone().strftime("%Y-%m-%d %H:%M")
            click.echo(f"--- {stamp} ({version.source})")
            click.echo(safe(version.text))
        return
    found = stories.detail(db, story_id)
    if as_json:
        emit_json(found.to_json())
        return
    item = found.story
    click.echo(safe(item.title))
    stamp = item.updated_at.astimezone().strftime("%Y-%m-%d %H:%M")
    click.echo(
        f"{safe(item.id)} · {item.versions} version{'s' if item.versions != 1 else ''}, "
        f"last {stamp}"
    )
    click.echo("")
    click.echo(safe(item.text))
    click.echo("")
    click.echo("Shows: " + (", ".join(found.shows) or "nothing yet (add --competencies)"))
    if found.linked:
        click.echo("Answers:")
        for question in found.linked:
            click.echo(f"  {safe(question.ref)}  {safe(question.question)}")
    if found.suggested_competencies or found.suggestions:
        click.echo("")
        _print_suggestions(state, item.id)


@story.command("edit")
@click.argument("story_id", metavar="ID")
@click.option("--text", help="New text (a new version).")
@click.option("--file", "file", metavar="FILE", help="New text from FILE.")
@click.option("--edit", is_flag=True, help="Edit the text in $VISUAL / $EDITOR.")
@click.option("--title", help="A new title (the id stays).")
@click.option("--competencies", multiple=True, metavar="LIST", help="Replace its competencies.")
@click.option("--link", multiple=True, metavar="DECK/QUESTION", help="Link a question.")
@click.option("--unlink", multiple=True, metavar="DECK/QUESTION", help="Unlink a question.")
@pass_state
def story_edit(
    state: State,
    story_id: str,
    text: str | None,
    file: str | None,
    edit: bool,
    title: str | None,
    competencies: tuple[str, ...],
    link: tuple[str, ...],
    unlink: tuple[str, ...],
) -> None:
    """Change a story's text, title, competencies or links (old versions are kept)."""
    from drill.study import stories

    db = state.db()
    current = stories.get_story(db, story_id)
    body = _text_from(text, file, edit, current.text, current.title)
    if edit and body is None:
        click.echo("Unchanged: the editor was closed without saving.")
    edited = stories.edit_story(
        db,
        story_id,
        state.now,
        text=body,
        title=title,
        competencies=_split_list(competencies) if competencies else None,
        link=link,
        unlink=unlink,
        source="editor" if edit else "cli",
    )
    if not edited.anything:
        click.echo("Unchanged.")
        return
    done = []
    if edited.text:
        done.append("saved a new version")
    if edited.title:
        done.append("renamed it")
    if edited.competencies:
        done.append("set its competencies")
    if edited.linked:
        done.append("linked " + ", ".join(edited.linked))
    if edited.unlinked:
        done.append("unlinked " + ", ".join(edited.unlinked))
    click.echo(safe(f"Story '{story_id}': " + "; ".join(done) + "."))


@story.command("remove")
@click.argument("story_id", metavar="ID")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@pass_state
def story_remove(state: State, story_id: str, yes: bool) -> None:
    """Remove a story with every version and link (a backup is made first)."""
    from drill.study import stories

    db = state.db()
    item = stories.get_story(db, story_id)
    if not yes:
        click.confirm(
            f"Remove the story '{safe(item.title)}' ({item.versions} versions, "
            f"{item.links} linked questions)?",
            abort=True,
        )
    stories.remove_story(db, story_id, state.now)
    click.echo(f"Removed story '{safe(story_id)}'.")


@story.command("import")
@click.argument("file", metavar="FILE")
@pass_state
def story_import(state: State, file: str) -> None:
    """Merge stories from `drill export stories --format json` (importing twice adds nothing)."""
    from drill.io.source import Source
    from drill.io.stories_json import parse_stories
    from drill.study import stories

    records = parse_stories(Source.read(file))
    done = stories.import_stories(state.db(), records)
    click.echo(safe(f"{file}: {done.summary()}."))


@story.command("coverage")
@deck_option("Only this deck's questions")
@click.option("--job", "job_id", type=ROW_ID, metavar="ID", help="Only this job's questions.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_state
def story_coverage(state: State, deck_id: str | None, job_id: int | None, as_json: bool) -> None:
    """Competencies × stories: what your stories cover, the gaps, the overused stories."""
    from drill.storage import repo
    from drill.study import stories

    db = state.db()
    if deck_id is not None and job_id is not None:
        raise click.UsageError("give --deck or --job, not both")
    scope = None
    if job_id is not None:
        scope = stories.job_questions(db, job_id)
    elif deck_id is not None:
        repo.decks(db, deck_id)
        scope = stories.questions_of_decks(db, [deck_id])
    found = stories.coverage(db, scope)
    if as_json:
        emit_json(found.to_json())
        return
    for line in render_coverage(found):
        click.echo(line)


def render_coverage(found: Coverage) -> list[str]:
    from drill.study.stories import OVERUSED

    uses = found.stories
    if not uses:
        lines = ['No stories yet. Add one: drill story add "Title" --edit', ""]
    else:
        lines = ["Stories:"]
        lines += [
            f"  {number:>2}  {safe(use.story.title)} ({safe(use.story.id)})"
            for number, use in enumerate(uses, 1)
        ]
        lines.append("")
    name_width = max([len("Competency"), *(len(row.competency) for row in found.rows)])
    header = f"{'Competency':<{name_width}}  {'Qs':>3}  " + "".join(
        f"{n:>3}" for n in range(1, len(uses) + 1)
    )
    lines.append(header.rstrip())
    ids = [use.story.id for use in uses]
    for row in found.rows:
        cells = "".join(f"{'✓' if story_id in row.stories else '·':>3}" for story_id in ids)
        lines.append(f"{row.competency:<{name_width}}  {row.questions:>3}  {cells}".rstrip())
    lines.append("")
    gaps = found.gaps
    lines.append("No story yet: " + (", ".join(gaps) if gaps else "none, every one is covered"))
    overused = found.overused
    if overused:
        names = "; ".join(
            f"{safe(use.story.title)} ({use.questions} questions)" for use in overused
        )
        lines.append(f"Used by more than {OVERUSED} questions: {names}")
    return lines
