"""Errors and warnings about input files, reported as `FILE:LINE: message (hint)`."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


class DrillError(Exception):
    """Base of every error drill reports to the user as one clean line (exit status 1)."""


class Missing(DrillError):
    """A deck, card or question that is not in the database: never there, or removed since
    (by another drill, or with a backup restored over the collection).

    `kept` names the draft file that keeps text the user typed for it, if any.
    """

    kept: Path | None = None


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong (or worth a warning) at a place in an input file."""

    file: str
    line: int
    message: str
    hint: str = ""

    def __str__(self) -> str:
        place = f"{self.file}:{self.line}" if self.line else self.file
        text = f"{place}: {_short(self.message)}" + (f" ({_short(self.hint)})" if self.hint else "")
        return text


# A message quotes what it found; a hostile file can make that megabytes on one line.
_LONGEST = 400


def _short(text: str) -> str:
    return text if len(text) <= _LONGEST else text[: _LONGEST - 3] + "..."


class DeckError(DrillError):
    """One or more problems that make an input file unusable; `problems` lists them all."""

    def __init__(self, problems: list[Problem] | Problem) -> None:
        self.problems = [problems] if isinstance(problems, Problem) else list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    @classmethod
    def at(cls, file: str, line: int, message: str, hint: str = "") -> DeckError:
        return cls(Problem(file, line, message, hint))
