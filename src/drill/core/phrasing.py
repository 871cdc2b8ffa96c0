"""Verbs of job postings, to tell a duty from a description and to ask about it.

"Negotiate renewals with enterprise customers" starts with a verb, so it is something the
job asks; its past tense turns it into a question ("Tell me about a time you negotiated
renewals with enterprise customers."). Irregular verbs are listed; the others follow the
spelling rules.
"""

from __future__ import annotations

_IRREGULAR_PAST = {
    "be": "were",
    "become": "became",
    "build": "built",
    "bring": "brought",
    "choose": "chose",
    "come": "came",
    "deal": "dealt",
    "do": "did",
    "draw": "drew",
    "drive": "drove",
    "feed": "fed",
    "find": "found",
    "get": "got",
    "give": "gave",
    "go": "went",
    "grow": "grew",
    "have": "had",
    "hold": "held",
    "keep": "kept",
    "know": "knew",
    "lead": "led",
    "make": "made",
    "meet": "met",
    "pay": "paid",
    "put": "put",
    "read": "read",
    "run": "ran",
    "see": "saw",
    "sell": "sold",
    "send": "sent",
    "set": "set",
    "spend": "spent",
    "stand": "stood",
    "take": "took",
    "teach": "taught",
    "tell": "told",
    "think": "thought",
    "understand": "understood",
    "win": "won",
    "write": "wrote",
}


def _word_set(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Verbs that open a duty in a posting (the base form, as postings write them).
DUTY_VERBS = _word_set(
    """
    act administer advise advocate align analyse analyze answer anticipate apply architect
    assess assist audit automate balance be become bring build champion clean close coach
    collaborate collect communicate complete conduct configure contribute coordinate create
    debug decide define deliver deploy design develop diagnose direct document drive educate
    enable engage ensure establish estimate evaluate execute expand explain facilitate find
    forecast foster gather grow guide handle help hire hold identify implement improve influence
    inform innovate inspire interview investigate keep lead learn maintain make manage measure
    meet mentor migrate model monitor motivate navigate negotiate onboard operate optimise
    optimize organise organize oversee own partner pay perform pitch plan prepare present
    prioritise prioritize process produce prospect provide publish qualify recommend recruit
    reduce refactor report represent research resolve respond review rotate run scale schedule
    scope secure sell serve set ship shape simplify solve source spot stay steer streamline
    supervise support synthesise synthesize take teach test track train translate triage
    troubleshoot turn understand update use validate work write
    """
)


def past_tense(verb: str) -> str:
    """ "negotiate" -> "negotiated", "lead" -> "led", "plan" -> "planned", "apply" ->
    "applied".
    """
    lower = verb.lower()
    if lower in _IRREGULAR_PAST:
        return _IRREGULAR_PAST[lower]
    if lower.endswith("e"):
        return lower + "d"
    if lower.endswith("y") and len(lower) > 2 and lower[-2] not in "aeiou":
        return lower[:-1] + "ied"
    if (
        len(lower) >= 3
        and lower[-1] not in "aeiouwxy"
        and lower[-2] in "aeiou"
        and lower[-3] not in "aeiou"
        and lower in _DOUBLING
    ):
        return lower + lower[-1] + "ed"
    return lower + "ed"


# Verbs whose last consonant doubles (stress on the last syllable, or one syllable).
_DOUBLING = frozenset({"plan", "ship", "stop", "step", "commit", "refer", "control", "chat"})


def leading_verb(sentence: str) -> str | None:
    """The duty verb a sentence opens with ("Own the roadmap" -> "own"), or None."""
    words = sentence.split(maxsplit=1)
    if not words:
        return None
    first = words[0].strip(",.;:").lower()
    return first if first in DUTY_VERBS else None
