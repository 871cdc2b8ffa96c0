"""CLI commands that live in their own modules, loaded only when run (see cli.LAZY_COMMANDS)."""
