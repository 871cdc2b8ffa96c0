"""Keep untrusted text from reaching the terminal as anything but text.

Deck files, Anki packages and CSV files are data. Control characters in them (C0 except tab
and newline, DEL, C1) could move the cursor, retitle the terminal or ring the bell, so they
are removed on import and again before any text output.
"""

from __future__ import annotations

import re

# C0 controls except \t and \n, DEL, and C1 controls. \r is handled by newline normalisation.
CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def strip_control_chars(text: str) -> str:
    """Remove every control character except tab and newline."""
    return CONTROL_CHARS.sub("", text)


def normalize_newlines(text: str) -> str:
    """CRLF and lone CR become LF; a leading byte-order mark is dropped."""
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text
