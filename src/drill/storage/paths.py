"""Where drill keeps its data: --db, else $DRILL_DB, else the platform's user data folder."""

from __future__ import annotations

import os
from pathlib import Path

ENV_DB = "DRILL_DB"


def default_db_path() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir("drill", appauthor=False)) / "drill.db"


def resolve_db_path(option: str | None = None) -> Path:
    """The database file to use, from the command line option, environment or default."""
    if option:
        return Path(option).expanduser()
    env = os.environ.get(ENV_DB, "").strip()
    if env:
        return Path(env).expanduser()
    return default_db_path()
