"""`drill backup` and `drill restore`: consistent copies of the database, and putting one back."""

from __future__ import annotations

from pathlib import Path

import click

from drill.cli.context import State, fail, pass_state, safe


@click.command()
@click.argument("file")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@pass_state
def restore(state: State, file: str, yes: bool) -> None:
    """Replace the database with the backup FILE.

    FILE must be a drill database (a `drill backup` copy or an automatic backup). The
    current database is backed up first, and the copy is made while drill may be running.
    """
    from drill.core import clock
    from drill.storage.backup import contents, open_backup, restore_into
    from drill.storage.db import open_database

    if not file.strip():
        fail("no backup file named (an empty path)")
    source_path = Path(file).expanduser()
    target = state.db_path
    if source_path.exists() and target.exists() and source_path.samefile(target):
        fail(f"{source_path} is the database itself; choose a backup to restore")
    source = open_backup(source_path)
    try:
        backup = contents(source)
        db = open_database(target, now=state.now)
        try:
            if not yes:
                current = contents(db)
                last = (
                    f", last review {clock.from_ms(backup.last_review).date().isoformat()}"
                    if backup.last_review is not None
                    else ""
                )
                click.confirm(
                    f"Replace {safe(str(target))} ({current.summary()}) with "
                    f"{safe(str(source_path))} ({backup.summary()}{last})? "
                    "The current database is backed up first.",
                    abort=True,
                    err=True,
                )
            saved = restore_into(db, target, source, state.now)
        finally:
            db.close()
    finally:
        source.close()
    click.echo(f"Restored {safe(str(source_path))}: {backup.summary()}.")
    if saved is not None:
        click.echo(f"The previous database was backed up to {safe(str(saved))}.")


@click.command()
@click.option("-o", "--output", metavar="FILE", help="Where to write the copy.")
@pass_state
def backup(state: State, output: str | None) -> None:
    """Write a consistent copy of the database (safe while drill is running)."""
    from drill.files import stream_target
    from drill.storage.backup import automatic_backup, backup_to

    if output is not None and not output.strip():
        fail("no backup file named (an empty path)")
    db = state.db()
    path: Path | None
    if output is not None:
        path = backup_to(db, Path(output).expanduser())
    else:
        path = automatic_backup(db, state.db_path, "manual", state.now)
    # A backup written to stdout must not get the message mixed into it.
    to_stdout = output is not None and stream_target(output) == 1
    click.echo(f"Backed up to {safe(str(path))}", err=to_stdout)
