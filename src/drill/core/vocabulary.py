"""The words the deck format's metadata may use, and how long an answer should take.

docs/content-standard.md explains each; `io/` validates deck files against these, and the
mock timer, the plan and the answer coach read the target lengths.
"""

from __future__ import annotations

# What kind of question it is (`type:` in a deck file).
QUESTION_TYPES = (
    "behavioral",
    "hypothetical",
    "self-assessment",
    "motivation",
    "logistics",
    "technical",
    "ask-them",
)

# Who the question is for (`level:`).
LEVELS = ("entry", "experienced", "manager", "any")

# What interviewers probe (`competencies:`): the vocabulary job postings and stories map to.
COMPETENCIES = (
    "ownership",
    "conflict",
    "leadership",
    "influence",
    "failure",
    "customer",
    "data",
    "communication",
    "prioritization",
    "teamwork",
    "learning",
    "ethics",
    "adaptability",
    "ambiguity",
    "feedback",
    "decision-making",
    "stakeholders",
    "delivery",
    "innovation",
    "coaching",
    "negotiation",
    "motivation",
    "self-awareness",
    "technical-depth",
    "planning",
    "resilience",
    "commercial-awareness",
    "product-sense",
    "hiring",
    "strategy",
)

# A calm interview pace: speaking time is estimated from words at this rate.
SPEAKING_WPM = 140

# Target speaking time (seconds, low and high) by question type, when a question sets none.
DEFAULT_SECONDS: dict[str, tuple[int, int]] = {
    "behavioral": (60, 150),
    "hypothetical": (60, 120),
    "self-assessment": (45, 120),
    "motivation": (45, 90),
    "technical": (60, 150),
    "logistics": (20, 60),
    "ask-them": (20, 60),
}
# ...and when the question has no type either.
FALLBACK_SECONDS = (45, 120)
