"""Keep untrusted text from reaching the terminal as anything but text.

Deck files, Anki packages, CSV files, answers and restored databases are data. Control
characters in them (C0 except tab and newline, DEL, C1) could move the cursor, retitle the
terminal, write the clipboard (OSC 52) or ring the bell, so they are removed where text comes
in and again on every way out. Bidirectional overrides (U+202E and its kin) are removed from
terminal text too: they make text read differently from what it is.

JSON keeps every character (it is data for programs) but escapes the ones a terminal would
act on or that are invisible, as \\uXXXX.
"""

from __future__ import annotations

import json
import re
import unicodedata
from typing import Any

# C0 controls except \t and \n, DEL, and C1 controls. \r is handled by newline normalisation.
CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# Embeddings, overrides and isolates reorder text on screen ("Trojan source"); marks
# (U+200E, U+200F) and joiners are harmless and needed by some scripts, so they stay.
BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")
_TERMINAL_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
# What json.dumps(ensure_ascii=False) leaves raw but a terminal acts on or never shows: DEL,
# C1, and format characters (bidi controls, zero-width characters, the BOM), line and
# paragraph separators.
_JSON_UNSAFE = re.compile(
    "[\x7f-\x9f\xad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb]"
)


def strip_control_chars(text: str) -> str:
    """Remove every control character except tab and newline."""
    return CONTROL_CHARS.sub("", text)


def terminal_text(text: str) -> str:
    """Text fit to print: control characters and bidirectional overrides removed."""
    return _TERMINAL_UNSAFE.sub("", text)


def terminal_stream_text(text: str) -> str:
    """`terminal_text` for a stream that may carry CSV's \\r\\n line ends."""
    if "\r" not in text:
        return terminal_text(text)
    return "\r".join(terminal_text(part) for part in text.split("\r"))


def json_text(data: Any, *, indent: int | None = None) -> str:
    """`data` as JSON with every character kept, and none a terminal would act on raw.

    json.dumps escapes C0 controls but leaves C1 (U+0080-U+009F, where U+009B is a CSI that
    starts an escape sequence on many terminals), DEL and invisible format characters raw;
    those become \\uXXXX here, which decodes to the same string.
    """
    text = json.dumps(data, ensure_ascii=False, indent=indent)
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def invisible_characters(text: str) -> list[str]:
    """The control, format and separator characters in `text`, named (U+202E RIGHT-TO-LEFT
    OVERRIDE), for refusing them in names a user types.
    """
    found: dict[str, None] = {}
    for char in text:
        if unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp", "Co", "Cs"):
            name = unicodedata.name(char, "control character")
            found.setdefault(f"U+{ord(char):04X} {name}", None)
    return list(found)


def normalize_newlines(text: str) -> str:
    """CRLF and lone CR become LF; a leading byte-order mark is dropped."""
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text
