"""Reading an input file as clean text, with its problems located by line."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from drill.core.sanitize import CONTROL_CHARS, normalize_newlines
from drill.errors import DeckError, Problem


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
    def read(cls, path: Path | str, display: str | None = None) -> Source:
        """Read a file from disk; a missing or unreadable file is a DeckError."""
        path = Path(path)
        name = display or str(path)
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            raise DeckError.at(name, 0, "no such file") from None
        except IsADirectoryError:
            raise DeckError.at(name, 0, "is a directory, not a file") from None
        except OSError as exc:
            raise DeckError.at(name, 0, f"cannot read: {exc.strerror or exc}") from None
        return cls.from_bytes(data, name)
