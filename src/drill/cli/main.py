"""The command line: the `drill` group, with every command in its own module under commands/.

Only click and the standard library are imported here, and each command's module is imported
when it runs (its short help is in COMMANDS, so `drill --help` imports none of them). Data
errors exit 1 with one line per problem on stderr, usage errors exit 2.
"""

from __future__ import annotations

import gc
import sys

import click

from drill.cli.context import DrillGroup, LazyCommand, State, open_tui

# name -> its module:attribute in drill.cli.commands, and the first paragraph of its help
# (tests/test_cli_layout.py holds the two equal).
COMMANDS: dict[str, LazyCommand] = {
    name: LazyCommand(where, summary)
    for name, (where, summary) in {
        "answer": ("answer:answer", "Save, edit or list your answers to a question."),
        "backup": (
            "backup:backup",
            "Write a consistent copy of the database (safe while drill is running).",
        ),
        "check": (
            "imports:check",
            "Parse deck files without importing them; report every problem.",
        ),
        "config": (
            "config:config",
            "Show or change study settings (collection-wide, or per deck with --deck).",
        ),
        "decks": ("decks:decks", "List decks with what is new, learning and due."),
        "export": ("export:export", "Export progress, review history or a deck."),
        "import": (
            "imports:import_",
            "Import deck files (all-or-nothing); re-importing updates and keeps progress.",
        ),
        "insights": (
            "insights:insights",
            "Insights on an answer: length, fillers, STAR, specifics, dos, red flags, rubric.",
        ),
        "job": (
            "job:job",
            "Job targets: paste a posting; drill picks the questions, finds the gaps and plans "
            "for that interview.",
        ),
        "mock": (
            "mock:mock",
            "A timed mock interview: answer questions against the clock, then review.",
        ),
        "next": ("study:next_", "Show the card to study now."),
        "optimize": (
            "optimize:optimize",
            "Fit FSRS-6 parameters to your own review history and save them.",
        ),
        "plan": (
            "plan:plan",
            "The prep plan: minutes, reviews and new questions each day until the interview.",
        ),
        "practice": (
            "study:practice",
            "List questions to practise, weakest first (practice reschedules nothing).",
        ),
        "rate": ("study:rate", "Rate a card: again, hard, good or easy (or 1-4)."),
        "restore": ("backup:restore", "Replace the database with the backup FILE."),
        "review": ("study:review", "Open the review app straight into a study session."),
        "setup": (
            "plan:setup",
            "Choose the decks, the interview date and the minutes a day, in one step.",
        ),
        "show": (
            "study:show",
            "Show a card: its front, its back and your latest answer (or note).",
        ),
        "stats": (
            "stats:stats",
            "Progress: today, streak, true retention, cards, recall, forecast and heatmap.",
        ),
        "story": (
            "story:story",
            "Your story bank: true stories that answer many questions, and what they cover.",
        ),
        "undo": ("study:undo", "Undo the last rating, restoring the card exactly."),
    }.items()
}


@click.group(cls=DrillGroup, lazy_commands=COMMANDS, invoke_without_command=True)
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
    if _collector_held:
        # The command's own module is loaded by now (click resolves it first).
        gc.freeze()
        gc.enable()
    ctx.obj = State(db_path)
    ctx.call_on_close(ctx.obj.close)
    if ctx.invoked_subcommand is None:
        if sys.stdin.isatty() and sys.stdout.isatty():
            open_tui(ctx.obj, deck_id=None, start="home")
        else:
            from drill.cli.commands.decks import print_overview

            print_overview(ctx.obj)


_collector_held = False


def main() -> None:
    """The `drill` command (console script, `python -m drill`).

    Loading a command builds thousands of objects that live as long as the process
    (modules, classes, functions): no cyclic collection need walk them while they load, and
    once the command is loaded they are frozen out of every later collection. A tenth of a
    short command such as `drill next`. (Tests call `cli` itself and keep the collector.)
    """
    global _collector_held
    _collector_held = True
    gc.disable()
    cli()
