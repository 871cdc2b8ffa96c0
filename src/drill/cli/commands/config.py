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
    Keys: daily_minutes (5-600 or off; collection-wide), new_questions_per_day
    (auto or a number; collection-wide), desired_retention (0.70-0.99), new_per_day
    (cards per deck), reviews_per_day, rehearse_steps, why_steps, dos_steps
    ("10m", "1m 10m" or none; learning_steps sets all three), relearning_steps,
    maximum_interval (days), fuzz (on/off), day_starts_at (0-23), fsrs_parameters
    (21 numbers or default), card_kinds (subset of rehearse,why,dos),
    interview_date (YYYY-MM-DD or none; not in the past), leech_threshold (lapses that
    make a leech, 0 for never), leech_action (flag/suspend), mock_follow_ups (on/off: a
    mock asks a follow-up after each answer; collection-wide).
    """
    from drill.core.config import KIND_STEP_KEYS, LEARNING_STEPS_ALIAS, StudyConfig, parse_value
    from drill.storage import repo
    from drill.study.setup import set_config

    db = state.db()
    if key is not None and (value is not None or unset):
        if unset and value is not None:
            raise click.UsageError("give either VALUE or --unset, not both")
        set_config(db, deck_id, key, None if unset else value, state.now)
    elif key is not None:
        parse_value(key, "") if key not in StudyConfig.__dataclass_fields__ else None
    # learning_steps is shorthand for the three kinds' steps: show those.
    names = list(KIND_STEP_KEYS.values()) if key == LEARNING_STEPS_ALIAS else [key or ""]
    effective = repo.decks(db, deck_id)[0].config if deck_id else repo.collection_config(db)
    if as_json:
        data = effective.to_json()
        emit_json({name: data[name] for name in names} if key else data)
        return
    shown = effective.display()
    for name, text in shown.items():
        if key is None or name in names:
            click.echo(f"{name} = {text}")
