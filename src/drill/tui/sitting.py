"""What one sitting at the review screen did, for its summary."""

from __future__ import annotations

from dataclasses import dataclass, field

from drill.core.model import Rating
from drill.study.undo import UndoStack


@dataclass(frozen=True, slots=True)
class LogEntry:
    card_id: int
    rating: Rating
    duration_ms: int


@dataclass(slots=True)
class SessionLog:
    """What this sitting did, for the summary (undo takes entries back off).

    `changes` is the sitting's undo stack: its ratings, burying and suspending, which the
    review screen and its summary take back newest first.
    """

    entries: list[LogEntry] = field(default_factory=list)
    changes: UndoStack = field(default_factory=UndoStack)

    def add(self, entry: LogEntry) -> None:
        self.entries.append(entry)

    def take_back(self, card_id: int) -> None:
        """Forget the newest rating of this card (its rating was undone)."""
        if self.entries and self.entries[-1].card_id == card_id:
            self.entries.pop()

    @property
    def reviewed(self) -> int:
        return len(self.entries)

    @property
    def time_ms(self) -> int:
        return sum(entry.duration_ms for entry in self.entries)

    def count(self, rating: Rating) -> int:
        return sum(1 for entry in self.entries if entry.rating == rating)
