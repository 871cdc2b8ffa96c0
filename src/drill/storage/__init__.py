"""SQLite storage through sqlite-utils: opening, migrations and typed queries."""
