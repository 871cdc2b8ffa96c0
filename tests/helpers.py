"""Test helpers: the fixed clock, a sample deck, and parsing from text."""

from __future__ import annotations

from datetime import UTC, datetime

NOW = datetime(2026, 1, 5, 10, 0, tzinfo=UTC)

SAMPLE_DECK = """# Sample deck
A deck for tests.

## What goals do you have in your career?
id: career-goals
tags: career, motivation

### Variants
- What direction are you seeking to take with your career?
- What are you seeking to accomplish in your career

### Why they ask
They want to know whether you plan ahead.

### Approach
Talk about the next two years.

### Do
- Focus on the near term.

### Don't
- Aim for the president's chair.

### Example: experienced
I am finishing a certification.

### Bad example
I take it one day at a time.

### Tips
- Use STAR.

## Tell me about yourself.
id: about-you

### Approach
Present, past, future.

## Why should we hire you?
"""

# A deck in the question bank v2 format: deck and question metadata and every new section.
V2_DECK = """# Software engineering
id: se-pack
license: CC-BY-4.0
version: 2.1

For engineers.

## Tell me about an incident you owned.
id: se-incident
tags: incidents, ownership
type: behavioral
competencies: ownership, communication
level: experienced
length: 90-150s
reviewed: 2026-03-01

### Short answer
"Last spring our checkout went down for forty minutes..."

### Red flags
- Blames others ("it wasn't my fault").
- No measure of impact ("it went fine").

### Follow-ups
- What would you do differently?
- Who did you tell, and when?

### Key phrases
- "I owned the rollback."
"""


def parse(text: str, file: str = "deck.md"):
    from drill.io.markdown.deck import parse_markdown
    from drill.io.source import Source

    return parse_markdown(Source.from_text(text, file))


def use_py_fsrs_steps(db) -> None:
    """py-fsrs's learning steps (1m 10m, relearning 10m), for tests about how learning steps
    behave in the queue; drill's defaults give rehearse cards none.
    """
    from drill.storage import repo

    repo.set_config(db, None, "learning_steps", "1m 10m")
    repo.set_config(db, None, "relearning_steps", "10m")
