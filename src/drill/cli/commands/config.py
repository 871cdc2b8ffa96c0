"""`drill config`: show or change study settings, collection-wide or per deck."""

from __future__ import annotations

import click

from drill.cli.context import State, deck_option, emit_json, pass_state


@click.command()
@click.argument("key", required=False)
@click.argument("value", required=False)
@deck_option("Settings of this deck")
@click.option("--unset", is_flag=True, help="Remove KEY, going back to the inherited value.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_state
def config(
    state: State,
    key: str | None,
    value: str | None,
    deck_id: str | None,
    unset: bool,
    as_json: bool,
) -> None:
    """Show or change study settings (collection-wide, or per deck with --deck).

    \b
    Keys: desired_retention (0.70-0.99), new_per_day, reviews_per_day,
    learning_steps ("1m 10m"), relearning_steps ("10m"), maximum_interval (days),
    fuzz (on/off), day_starts_at (0-23), fsrs_parameters (21 numbers or default),
    card_kinds (subset of rehearse,why,dos), interview_date (YYYY-MM-DD or none),
    leech_threshold (lapses that make a leech, 0 for never), leech_action (flag/suspend),
    mock_follow_ups (on/off: a mock asks a follow-up after each answer).
    """
    from drill.core.config import StudyConfig, parse_value
    from drill.storage import repo
    from drill.storage.sqlite import write_transaction

    db = state.db()
    if key is not None and (value is not None or unset):
        if unset and value is not None:
            raise click.UsageError("give either VALUE or --unset, not both")
        with write_transaction(db):
            repo.set_config(db, deck_id, key, None if unset else value)
    elif key is not None:
        parse_value(key, "") if key not in StudyConfig.__dataclass_fields__ else None
    effective = repo.decks(db, deck_id)[0].config if deck_id else repo.collection_config(db)
    if as_json:
        data = effective.to_json()
        emit_json({key: data[key]} if key else data)
        return
    shown = effective.display()
    for name, text in shown.items():
        if key is None or name == key:
            click.echo(f"{name} = {text}")
