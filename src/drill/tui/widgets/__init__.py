"""Reusable widgets; they report to their screen with messages."""
