"""Review history read from a file, held column by column.

A million reviews as `HistoryReview` objects take most of a gigabyte; as columns (arrays of
machine integers, and each card named once) they take about 40 MB. `ReviewHistory` is still
a sequence of `HistoryReview`, made on demand, for code and tests that want one review.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Iterator, Sequence
from typing import overload

from drill.core.model import CardKind, HistoryReview, Rating

# A card as a history file names it: (deck, question id, kind, import key).
CardKey = tuple[str, str, CardKind, str | None]
NONE = -(2**63)  # "no value" in an integer column (no duration, no card id hint)


class ReviewHistory(Sequence[HistoryReview]):
    """The reviews of one file, in file order: column `card` indexes `keys`."""

    __slots__ = (
        "_key_index",
        "card",
        "card_hint",
        "duration",
        "file",
        "keys",
        "line",
        "rating",
        "time",
    )

    def __init__(self, file: str = "") -> None:
        self.file = file
        self.keys: list[CardKey] = []
        self._key_index: dict[CardKey, int] = {}
        self.card = array("I")
        self.time = array("q")
        self.rating = bytearray()
        self.duration = array("q")
        self.card_hint = array("q")
        self.line = array("I")

    def key(self, deck: str, question_id: str, kind: CardKind, import_key: str | None) -> int:
        """The index of a card in `keys`, added the first time it is named."""
        card: CardKey = (deck, question_id, kind, import_key)
        if len(self._key_index) != len(self.keys):  # after done(): index the keys again
            self._key_index = {key: at for at, key in enumerate(self.keys)}
        index = self._key_index.get(card)
        if index is None:
            index = self._key_index[card] = len(self.keys)
            self.keys.append(card)
        return index

    def done(self) -> None:
        """Reading is over: drop the index of card names (rebuilt if a review is added)."""
        self._key_index = {}

    def add(
        self,
        key: int,
        time: int,
        rating: int,
        duration: int | None = None,
        card_hint: int | None = None,
        line: int = 0,
    ) -> None:
        self.card.append(key)
        self.time.append(time)
        self.rating.append(rating)
        self.duration.append(NONE if duration is None else duration)
        self.card_hint.append(NONE if card_hint is None else card_hint)
        self.line.append(line)

    def append(self, review: HistoryReview) -> None:
        key = self.key(review.deck, review.question_id, review.kind, review.import_key)
        self.add(
            key,
            review.review_time,
            int(review.rating),
            review.duration_ms,
            review.card_id,
            review.line,
        )

    @classmethod
    def of(cls, reviews: Iterable[HistoryReview], file: str = "") -> ReviewHistory:
        """The columns of some reviews (a ReviewHistory is returned as it is)."""
        if isinstance(reviews, ReviewHistory):
            return reviews
        out = cls(file)
        for review in reviews:
            out.append(review)
        return out

    def __len__(self) -> int:
        return len(self.time)

    @overload
    def __getitem__(self, index: int) -> HistoryReview: ...
    @overload
    def __getitem__(self, index: slice) -> list[HistoryReview]: ...
    def __getitem__(self, index: int | slice) -> HistoryReview | list[HistoryReview]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        deck, question_id, kind, import_key = self.keys[self.card[index]]
        duration, hint = self.duration[index], self.card_hint[index]
        return HistoryReview(
            deck=deck,
            question_id=question_id,
            kind=kind,
            review_time=self.time[index],
            rating=Rating(self.rating[index]),
            duration_ms=None if duration == NONE else duration,
            card_id=None if hint == NONE else hint,
            import_key=import_key,
            file=self.file,
            line=self.line[index],
        )

    def __iter__(self) -> Iterator[HistoryReview]:
        return (self[i] for i in range(len(self)))

    def __eq__(self, other: object) -> bool:
        """Equal to any sequence of the same reviews (a list of HistoryReview included)."""
        if not isinstance(other, Sequence) or isinstance(other, str | bytes):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))

    __hash__ = None  # type: ignore[assignment]  # mutable, like a list
