"""Gaps become cards: a question to rehearse for each requirement no question serves.

"Experience with Snowflake and dbt" becomes "Tell me about your experience with Snowflake
and dbt."; "Negotiate renewals with enterprise customers" becomes "Tell me about a time you
negotiated renewals with enterprise customers." The draft deck leaves the answer to the
user: its notes say what the posting asks and how to build the answer.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from drill.core.model import Deck, Question, slugify
from drill.core.phrasing import DUTY_VERBS, past_tense

_YOU_WILL = re.compile(r"^(?:you will|you'll|you would|you'd|will)\s+", re.IGNORECASE)
_EXPERIENCE = re.compile(
    r"^(?:(?:\d+\+?\s*(?:years?|yrs)(?:'|’)?\s*(?:of\s+)?(?:experience\s+)?)|"
    r"(?:(?:strong|solid|proven|hands-on|deep|some|prior|previous|demonstrable|good)\s+)?"
    r"(?:experience|expertise|proficiency|familiarity|knowledge|background)\s*)"
    r"(?:with|in|of|using|at)?\s+(?P<what>.+)$",
    re.IGNORECASE,
)
_SKILLS = re.compile(
    r"^(?:strong|excellent|good|great|outstanding|exceptional|solid|clear)\s+(?P<what>.+?)"
    r"\s+skills?\b",
    re.IGNORECASE,
)
_QUALITY = re.compile(
    r"^(?:strong|excellent|good|great|outstanding|exceptional|solid|clear|proven)\s+"
    r"(?P<what>[^,]+?)(?:\s+in\s+\w+)?(?:,.*)?$",
    re.IGNORECASE,
)
_ABILITY = re.compile(r"^(?:the\s+)?(?:ability|able)\s+to\s+(?P<what>.+)$", re.IGNORECASE)
_TRACK_RECORD = re.compile(
    r"^(?:a\s+)?(?:proven\s+)?track record (?:of|in)\s+(?P<what>.+)$", re.IGNORECASE
)
# Where a clause ends: later parts of a long line are other duties.
_CLAUSE_END = re.compile(r"\s*(?:[;:(]|,\s+(?:and|or|but|so|which|including)\b|\.\s|\.$)")
_TAIL = re.compile(
    r",?\s+(?:is|are|would be)\s+(?:a\s+)?(?:plus|bonus|nice to have|an advantage)\b.*$",
    re.IGNORECASE,
)
_MAX_WORDS = 16


@dataclass(frozen=True, slots=True)
class GapQuestion:
    question: str
    variants: tuple[str, ...]


def _clause(text: str) -> str:
    """The first clause of a line, at most _MAX_WORDS words, without a final full stop."""
    text = _TAIL.sub("", text.strip())
    match = _CLAUSE_END.search(text)
    if match:
        text = text[: match.start()]
    words = text.split()
    if len(words) > _MAX_WORDS:
        words = words[:_MAX_WORDS]
    return " ".join(words).rstrip(" .,;:")


def _own(text: str) -> str:
    """The posting's "our" and "your" as a candidate would say them."""
    text = re.sub(r"\bour\b", "the", text, flags=re.IGNORECASE)
    return re.sub(r"\byour\b", "your", text, flags=re.IGNORECASE)


def _verbs_to_past(words: list[str]) -> tuple[list[str], list[str]] | None:
    """Leading duty verbs ("Design, build and operate services") as past tense, and the rest;
    None when the line does not open with a duty verb.
    """
    out: list[str] = []
    index = 0
    while index < len(words):
        word = words[index]
        bare = word.rstrip(",").lower()
        if bare in DUTY_VERBS:
            out.append(past_tense(bare) + ("," if word.endswith(",") else ""))
            index += 1
            continue
        if out and bare in ("and", "or", "&") and index + 1 < len(words):
            following = words[index + 1].rstrip(",").lower()
            if following in DUTY_VERBS:
                out.append(bare)
                index += 1
                continue
        break
    if not out:
        return None
    return out, words[index:]


def _gerund_to_past(word: str) -> str | None:
    """ "building" -> "built", "managing" -> "managed" (duty verbs only)."""
    lower = word.lower()
    if not lower.endswith("ing"):
        return None
    stem = lower[:-3]
    for base in (stem, stem + "e", stem[:-1] if len(stem) > 2 and stem[-1] == stem[-2] else ""):
        if base and base in DUTY_VERBS:
            return past_tense(base)
    return None


def gap_question(requirement: str, tools: Sequence[str] = ()) -> GapQuestion:
    """A question that rehearses a requirement the bank does not cover."""
    text = _YOU_WILL.sub("", requirement.strip())
    clause = _clause(text)
    experience = _EXPERIENCE.match(clause)
    if tools and (experience or len(clause.split()) <= 4):
        named = _join(list(dict.fromkeys(tools)))
        return GapQuestion(
            f"Tell me about your experience with {named}.",
            (
                f"How have you used {named} in your work?",
                f"What is the hardest problem you have solved with {named}?",
            ),
        )
    if experience:
        what = _own(experience.group("what"))
        return GapQuestion(
            f"Walk me through your experience with {what}.",
            (f"What have you done with {what}?", f"Give me an example of your work with {what}."),
        )
    skills = _SKILLS.match(clause)
    if skills:
        what = skills.group("what")
        return GapQuestion(
            f"Tell me about a time your {what} skills made the difference.",
            (f"How would you rate your {what} skills, and why?",),
        )
    quality = _QUALITY.match(clause)
    if quality:
        what = quality.group("what")
        return GapQuestion(
            f"Give me an example that shows your {what}.",
            (f"Tell me about a time your {what} made the difference.",),
        )
    ability = _ABILITY.match(clause)
    if ability:
        what = _own(ability.group("what"))
        return GapQuestion(
            f"Tell me about a time you had to {what}.",
            (f"Give me an example of when you had to {what}.",),
        )
    record = _TRACK_RECORD.match(clause)
    if record:
        words = record.group("what").split()
        past = _gerund_to_past(words[0]) if words else None
        if past:
            rest = _own(" ".join([past, *words[1:]]))
            return GapQuestion(
                f"Tell me about a time you {rest}.",
                (f"What is your best example of when you {rest}?",),
            )
    words = clause.split()
    verbs = _verbs_to_past(words)
    if verbs is not None:
        done, rest_words = verbs
        action = _own(" ".join([*done, *rest_words]))
        return GapQuestion(
            f"Tell me about a time you {action}.",
            (
                f"Give me an example of when you {action}.",
                f"What did you learn the last time you {action}?",
            ),
        )
    short = clause if len(clause) <= 120 else clause[:119].rstrip() + "…"
    return GapQuestion(
        f"This role asks for “{short}”. How does your experience meet that?",
        (f"Tell me about a time you showed “{short}”.",),
    )


def _join(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


_APPROACH = (
    "Fill this in before you rehearse: pick one true example from your own work. Say the "
    "situation in a sentence, what you did yourself, and the result, with a number if you "
    "have one. Then link it to this job: why it matters for the role."
)
_TIPS = [
    "Write your answer in your answer bank (drill answer DECK/QUESTION --edit) and rehearse "
    "it out loud.",
    "No direct experience? Say so, then give the closest thing you have done and how you "
    "would learn the rest.",
]


def gap_deck(
    title: str, company: str, gaps: Sequence[tuple[str, Sequence[str], Sequence[str]]]
) -> Deck:
    """A deck draft with a question per gap; each gap is (requirement, its terms, its tools)."""
    where = f"{title} at {company}" if company else title
    name = f"Gaps for {where}"[:80]
    questions: list[Question] = []
    taken: set[str] = set()
    for requirement, terms, tools in gaps:
        drafted = gap_question(requirement, tools)
        base = slugify(drafted.question)[:60].strip("-") or "gap"
        qid, number = base, 2
        while qid in taken:
            qid, number = f"{base}-{number}", number + 1
        taken.add(qid)
        tags = ["job gap", *[_tag(t) for t in terms][:4]]
        questions.append(
            Question(
                id=qid,
                question=drafted.question,
                variants=list(drafted.variants),
                why=f"The posting asks for: “{requirement}”",
                approach=_APPROACH,
                tips=list(_TIPS),
                tags=list(dict.fromkeys(t for t in tags if t)),
            )
        )
    description = (
        f"Questions drafted by drill for the requirements of {where} that no question of "
        "your decks covers yet. Edit them, then import this file."
    )
    return Deck(slugify(name), name, description, questions)


def _tag(term: str) -> str:
    # Tags are comma-separated on one line in the deck format.
    return " ".join(term.replace(",", " ").split()).lower()
