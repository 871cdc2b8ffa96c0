"""Reading an input file as clean text, with its problems located by line."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from drill.core.sanitize import CONTROL_CHARS, normalize_newlines
from drill.errors import DeckError, Problem
from drill.files import TEXT_LIMIT, read_input

# The bytes of the C0 controls and DEL (CONTROL_CHARS' single-byte part, \r with them).
_CONTROL_BYTES = bytes([*range(0x00, 0x09), *range(0x0B, 0x20), 0x7F])


@dataclass(slots=True)
class Source:
    """Text of one input file, ready to parse: UTF-8 decoded, LF newlines, no BOM, no controls.

    `file` is the name used in messages. Parsers append warnings to `warnings`.
    """

    file: str
    text: str
    warnings: list[Problem] = field(default_factory=list)

    @classmethod
    def from_bytes(cls, data: bytes, file: str) -> Source:
        """Decode and clean `data`; raise DeckError if it is not UTF-8 text."""
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = data.count(b"\n", 0, exc.start) + 1
            raise DeckError.at(
                file, line, "file is not UTF-8 text", "save it as UTF-8 and try again"
            ) from None
        # In UTF-8 a control character (\r included) is one of these bytes, or a C1 one
        # after 0xC2: when none is there, there is nothing to clean but a BOM. Deleting the
        # bytes in C is five times faster than searching the text (a large deck's import
        # reads 3 MB).
        if len(data.translate(None, _CONTROL_BYTES)) == len(data) and b"\xc2" not in data:
            return cls(file, text[1:] if text.startswith("\ufeff") else text)
        return cls.from_text(text, file)

    @classmethod
    def from_text(cls, text: str, file: str) -> Source:
        text = normalize_newlines(text)
        warnings: list[Problem] = []
        if CONTROL_CHARS.search(text):
            lines = text.split("\n")
            for number, line in enumerate(lines, start=1):
                if CONTROL_CHARS.search(line):
                    warnings.append(Problem(file, number, "removed control characters"))
                    lines[number - 1] = CONTROL_CHARS.sub("", line)
            text = "\n".join(lines)
        return cls(file, text, warnings)

    @classmethod
    def read(
        cls, path: Path | str, display: str | None = None, *, limit: int = TEXT_LIMIT
    ) -> Source:
        """Read a regular file of at most `limit` bytes; anything else is a DeckError."""
        name = display or str(path)
        return cls.from_bytes(read_input(path, limit=limit, display=name), name)
