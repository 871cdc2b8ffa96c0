"""Which competencies a question probes and a story shows.

Questions of the v2 bank say so (`competencies:`); older decks only have tags, which name a
competency often enough ("conflict", "leadership"). A story's text suggests competencies by
the words it uses ("disagreed", "persuaded"); the user confirms them.
"""

from __future__ import annotations

from drill.core.coach.text import Answer, words
from drill.core.model import Question
from drill.core.vocabulary import COMPETENCIES

# Tags of older decks that mean a competency.
_TAG_ALIASES = {
    "teamwork": "teamwork",
    "collaboration": "teamwork",
    "leadership": "leadership",
    "conflict": "conflict",
    "failure": "failure",
    "mistakes": "failure",
    "accountability": "ownership",
    "initiative": "ownership",
    "persuasion": "influence",
    "customer-service": "customer",
    "customers": "customer",
    "ethics": "ethics",
    "adaptability": "adaptability",
    "change": "adaptability",
    "pressure": "resilience",
    "stress": "resilience",
    "decision-making": "decision-making",
    "learning": "learning",
    "feedback": "feedback",
    "communication": "communication",
    "prioritization": "prioritization",
    "time-management": "prioritization",
    "negotiation": "negotiation",
    "motivation": "motivation",
}

# Words in a story that suggest a competency (matched on word forms: "disagreed" -> "disagre").
_STORY_WORDS: dict[str, list[str]] = {
    "conflict": words("conflict disagree disagreed disagreement argument tension clash dispute"),
    "leadership": words("led lead leading team-lead managed mentored coached delegated"),
    "failure": words("failed failure mistake missed wrong error lost"),
    "ownership": words("owned ownership responsibility accountable volunteered initiative"),
    "influence": words("persuaded convinced buy-in influence won-over proposal pitched"),
    "customer": words("customer customers client clients guest guests patient patients user users"),
    "data": words("data analysis analysed analyzed dashboard metrics spreadsheet sql"),
    "communication": words("explained presented briefed wrote email emails meeting"),
    "teamwork": words("together colleagues teammates collaborated pair paired"),
    "prioritization": words("prioritised prioritized priorities deadline deadlines backlog"),
    "learning": words("learned learnt course certificate taught studied"),
    "delivery": words("shipped delivered launched deadline on-time"),
    "resilience": words("pressure stress setback recovered overtime"),
    "ethics": words("ethical ethics honest honesty report reported integrity"),
    "adaptability": words("changed change reorganisation reorganization adapted pivot"),
    "coaching": words("coached coaching mentored mentoring trained training"),
    "negotiation": words("negotiated negotiation terms contract discount"),
    "stakeholders": words("stakeholders stakeholder director sponsor board"),
}
_FORMS: dict[str, set[str]] = {
    competency: {form for word in found for form in Answer(word).normal[0]}
    for competency, found in _STORY_WORDS.items()
}


def of_question(question: Question) -> list[str]:
    """The competencies a question probes: its own, else those its tags name."""
    if question.competencies:
        return [c for c in question.competencies if c in COMPETENCIES]
    out: list[str] = []
    for tag in question.tags:
        name = _TAG_ALIASES.get(tag.lower())
        if name and name not in out:
            out.append(name)
    return out


def suggest_for_text(text: str, *, limit: int = 4) -> list[str]:
    """Competencies a story's words suggest, strongest first (at least two mentions)."""
    answer = Answer(text)
    forms = [form for token_forms in answer.normal for form in token_forms]
    counts = {
        competency: sum(1 for form in forms if form in wanted)
        for competency, wanted in _FORMS.items()
    }
    ranked = sorted(
        (c for c, n in counts.items() if n >= 2), key=lambda c: (-counts[c], COMPETENCIES.index(c))
    )
    return ranked[:limit]


def check(names: list[str]) -> list[str]:
    """Competency names as given, each one of the vocabulary; ValueError naming a bad one."""
    import difflib

    out: list[str] = []
    for raw in names:
        name = raw.strip().lower().replace(" ", "-")
        if not name:
            continue
        if name not in COMPETENCIES:
            close = difflib.get_close_matches(name, COMPETENCIES, n=1)
            hint = f"; did you mean {close[0]}?" if close else ""
            raise ValueError(f"unknown competency '{raw.strip()}'{hint}")
        if name not in out:
            out.append(name)
    return out
