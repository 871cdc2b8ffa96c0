"""A Markdown document as top-level blocks with byte ranges, from pyromark's events."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, cast

import pyromark


@dataclass(slots=True)
class Block:
    """A top-level Markdown block: its kind, byte range and, for lists, the item ranges."""

    kind: str
    start: int
    end: int
    level: int = 0
    items: list[tuple[int, int]] = field(default_factory=list)


def blocks(text: str) -> list[Block]:
    # This loop sees every event of the document (~80 per question), so it does as little as
    # possible per event: most are text inside a paragraph and fall straight through.
    blocks: list[Block] = []
    depth = 0
    current: Block | None = None
    # pyromark types each event as a TypedDict union; read as plain data, the loop dispatches
    # on cheap class and key checks instead of an isinstance chain per event.
    events = cast("Iterator[tuple[Any, dict[str, int]]]", pyromark.events_with_range(text))
    for event, span in events:
        if event.__class__ is str:  # SoftBreak, HardBreak, Rule: leaf events
            if depth == 0:
                blocks.append(Block(event, span["start"], span["end"]))
            continue
        start = event.get("Start")
        if start is not None:
            if depth == 0:
                if start.__class__ is str:
                    current = Block(start, span["start"], span["end"])
                else:
                    kind = next(iter(start))
                    level = int(start["Heading"]["level"][1:]) if kind == "Heading" else 0
                    current = Block(kind, span["start"], span["end"], level)
                blocks.append(current)
            elif depth == 1 and start == "Item" and current is not None:
                current.items.append((span["start"], span["end"]))
            depth += 1
        elif "End" in event:
            depth -= 1
        elif depth == 0:
            blocks.append(Block(next(iter(event)), span["start"], span["end"]))
    return blocks


def description_of(markdown: str) -> str:
    """A deck description from the Markdown between the deck heading and the first question."""
    data = markdown.encode("utf-8")
    parts = [
        data[b.start : b.end].decode("utf-8").strip()
        for b in blocks(markdown)
        if b.kind not in ("SoftBreak", "HardBreak")
    ]
    return "\n\n".join(parts).strip()
