"""An answer or a story the user hands drill as text (`--text`) or as a file (`--file`).

Answers are a few hundred words; anything past `MAX_ANSWER_BYTES` is not an answer but a
mistake (the wrong file, a log, a pasted document) and is refused before it is read in
full. Binary data, and text with nothing in it, are refused too: each with one line.
"""

from __future__ import annotations

import sys
from pathlib import Path

from drill.core.sanitize import normalize_newlines, strip_control_chars
from drill.errors import DeckError, DrillError
from drill.files import check_input, read_input

# Ten thousand words and more: far beyond any spoken answer, far below what could hurt.
MAX_ANSWER_BYTES = 64 * 1024


class AnswerTextError(DrillError):
    """Text that cannot be an answer: empty, too long or binary."""


def check_text(text: str, what: str = "the answer") -> str:
    """`text` cleaned (control characters dropped, LF newlines, trimmed), or AnswerTextError."""
    if "\x00" in text:
        raise AnswerTextError(f"{what} is binary data, not text")
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > MAX_ANSWER_BYTES:
        raise AnswerTextError(
            f"{what} is {size:,} bytes; an answer can be at most {MAX_ANSWER_BYTES:,} "
            "(about 10,000 words)"
        )
    cleaned = strip_control_chars(normalize_newlines(text)).strip()
    if not cleaned:
        raise AnswerTextError(f"{what} is empty")
    return cleaned


def read_answer_file(path: Path | str, display: str | None = None) -> str:
    """The text of an answer file: a regular UTF-8 text file of at most MAX_ANSWER_BYTES.

    Read through drill.files: a directory, a FIFO or a device is refused before it is read,
    so `--file /dev/zero` stops at once instead of reading forever.
    """
    name = display or str(path)
    # Its size first, to say what an answer may be rather than to split the file.
    size = check_input(path, limit=sys.maxsize, display=name)
    if size > MAX_ANSWER_BYTES:
        raise DeckError.at(
            name,
            0,
            f"is {size:,} bytes; an answer can be at most {MAX_ANSWER_BYTES:,}",
            "is this the right file?",
        )
    return answer_from_bytes(read_input(path, limit=MAX_ANSWER_BYTES, display=name), name)


def answer_from_bytes(data: bytes, name: str) -> str:
    """Answer text from raw bytes (a file, standard input); DeckError naming `name`."""
    if len(data) > MAX_ANSWER_BYTES:
        raise DeckError.at(name, 0, f"is larger than {MAX_ANSWER_BYTES:,} bytes")
    if b"\x00" in data:
        raise DeckError.at(name, 0, "is binary data, not text", "save the answer as text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DeckError.at(
            name, 0, "is not UTF-8 text", "save the answer as UTF-8 text and try again"
        ) from None
    try:
        return check_text(text, "the file")
    except AnswerTextError as exc:
        raise DeckError.at(name, 0, str(exc).removeprefix("the file ")) from None
