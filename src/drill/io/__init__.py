"""Readers and writers of deck and history files. Pure: text in, model out (no database)."""
