"""Which of a question's dos an answer appears to cover, with the sentence that shows it.

A do is matched by what it asks for: a number, a result, "I", a lesson, a range, a question
back, a length; else by its own words (stemmed) found together in one sentence of the
answer, or by one of the deck's key phrases. Preparation steps ("research the company",
"rehearse") can't be heard in an answer: they are marked not judgeable, and no longer count
against Easy in the self-check.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from drill.core.coach.cues import Stream, find_cue
from drill.core.coach.specifics import numbers_in
from drill.core.coach.star import Star
from drill.core.coach.text import Answer, Sentence, normal_words

# A do that starts with one of these is done before or after the interview, not in it.
_PREPARATION = re.compile(
    r"^\s*(?:research|rehearse|practi[sc]e|prepare|send|bring|dress|arrive|read up|look up|"
    r"find out|write down|write out|learn about|look into|review|print|plan ahead|know your|"
    r"check (?:the|their|your)|follow up|record yourself|time yourself|memori[sz]e|draft)\b",
    re.IGNORECASE,
)
_NUMBER_DO = re.compile(
    r"\b(?:numbers?|figures?|measure[sd]?|metrics?|quantif\w*|percent\w*|how many|how much|"
    r"the cost|a date)\b",
    re.I,
)
_RESULT_DO = re.compile(r"\b(?:results?|outcomes?|impact)\b", re.I)
_I_DO = re.compile(
    r'"I"|\byour (?:own )?(?:part|actions?|contribution|role)\b|\bindividual contribution\b|'
    r"\bpersonally\b",
    re.I,
)
_LEARNING_DO = re.compile(
    r"\b(?:learn\w*|lessons?|differently|change in how|habit|afterward|since)\b", re.I
)
_RANGE_DO = re.compile(r"\bgive a range\b|\ba range\b", re.I)
_QUESTION_DO = re.compile(r"\bask (?:a|them|one|your|questions?)\b", re.I)
_LENGTH_DO = re.compile(
    r"\b(?:stop within|under (?:a|two|one) minutes?|keep it (?:short|brief))\b", re.I
)
_RANGE = re.compile(
    r"\b(?:between\s+\S+\s+and\s+\S+|from\s+[£$€]?\d[\d,.]*k?\s+to\s+[£$€]?\d|"
    r"[£$€]?\d[\d,.]*k?\s*(?:-|to)\s*[£$€]?\d[\d,.]*k?)",
    re.I,
)

# Words in a do that say what to do rather than what to talk about.
_INSTRUCTION = frozenset(
    normal_words(
        "say describe show give name mention explain use make keep tell state your you a an the "
        "and or of to in on for with what how when why who which that this it be is are not "
        "just only one two three each every any as at by from into than then so do if about "
        "rather such instead some more most least own sentence answer point example examples "
        "specific clear clearly plain plainly briefly short way thing things something"
    )
)


@dataclass(frozen=True, slots=True)
class DoCheck:
    text: str
    judgeable: bool
    covered: bool
    evidence: str = ""


def judgeable(item: str) -> bool:
    """Whether a do could be heard in the answer (not a preparation step)."""
    return _kind(item) != "preparation"


@lru_cache(maxsize=512)
def _content(item: str) -> frozenset[str]:
    return frozenset(w for w in normal_words(item) if w not in _INSTRUCTION and len(w) > 2)


@lru_cache(maxsize=512)
def _kind(item: str) -> str:
    """What a do asks for, decided once per do text."""
    if _PREPARATION.search(item):
        return "preparation"
    if _LENGTH_DO.search(item):
        return "length"
    if _RANGE_DO.search(item):
        return "range"
    if _QUESTION_DO.search(item):
        return "question"
    if _NUMBER_DO.search(item):
        return "result-number" if _RESULT_DO.search(item) else "number"
    if _I_DO.search(item):
        return "i"
    if _LEARNING_DO.search(item):
        return "learning"
    if _RESULT_DO.search(item) and not _content(item) - {"result", "outcom", "impact"}:
        return "result"
    return "words"


def _forms(text: str) -> frozenset[str]:
    return frozenset(normal_words(text))


# Words a do uses for what an answer says in plainer words: you "reported the problem" by
# saying "I told my director about the mistake". Each do word, and the answer's words that
# say it too (matching forms).
_SAID_AS: dict[str, frozenset[str]] = {
    word: _forms(alternatives)
    for word, alternatives in {
        "report": "told tell inform informed warned flagged raised escalated alerted",
        "whom": "manager director lead client customer colleague team stakeholder head owner",
        "problem": "issue mistake error risk bug slip delay",
        "damage": "impact harm fallout",
        "contain": "limit stop fix recover",
        "colleague": "coworker teammate peer",
        "customer": "client user",
    }.items()
    for word in [normal_words(word)[0]]
}


def _count(words: frozenset[str], forms: frozenset[str]) -> int:
    """How many of a do's words a sentence says, itself or in one of its plainer words."""
    return sum(1 for word in words if word in forms or _SAID_AS.get(word, frozenset()) & forms)


def _overlap(answer: Answer, words: frozenset[str]) -> Sentence | None:
    """The sentence holding most of these words: at least two and at least 60% of them."""
    if len(words) < 2:
        return None
    best, best_count = None, 0
    for sentence, forms in zip(answer.sentences, answer.sentence_forms, strict=True):
        count = _count(words, forms)
        if count > best_count:
            best, best_count = sentence, count
    if best is not None and best_count >= 2 and best_count >= 0.6 * len(words):
        return best
    return None


_NEGATIVE_LEAD = re.compile(
    r"(?:\bnot\b|n't\b|\binstead of\b|\brather than\b|\bavoid\b|\bjust\b)[^\"]{0,25}$", re.I
)


@lru_cache(maxsize=512)
def example_phrases(item: str) -> tuple[str, ...]:
    """A do's quoted phrases that show it ("I assumed"); not ones it warns against
    ('not just that you "talked it through"').
    """
    out = []
    for match in re.finditer(r'"([^"]{2,80})"', item.replace("\u201c", '"').replace("\u201d", '"')):
        lead = item[max(0, match.start() - 30) : match.start()]
        if not _NEGATIVE_LEAD.search(lead):
            out.append(match.group(1).strip().rstrip(".,"))
    return tuple(out)


def check(
    answer: Answer,
    item: str,
    star: Star,
    length_ok: bool,
    key_phrase_hits: list[Sentence],
    stream: Stream | None = None,
) -> DoCheck:
    kind = _kind(item)
    if kind == "preparation":
        return DoCheck(item, False, False)

    def covered(sentence: Sentence | None) -> DoCheck:
        if sentence is None:
            return DoCheck(item, True, False)
        return DoCheck(item, True, True, sentence.text)

    if stream is not None:
        # The deck's own example phrasing, said in the answer, is the best evidence.
        for phrase in example_phrases(item):
            said = find_cue(stream, phrase)
            if said is not None:
                return covered(next(s for s in answer.sentences if s.start <= said.start < s.end))

    if kind == "length":
        return DoCheck(item, True, length_ok, "" if not length_ok else "(the length is on target)")
    if kind == "range":
        found = _RANGE.search(answer.text)
        sentence = next(
            (s for s in answer.sentences if found and s.start <= found.start() < s.end + 1), None
        )
        return covered(sentence)
    if kind == "question":
        return covered(next((s for s in answer.sentences if s.text.rstrip().endswith("?")), None))
    if kind in ("number", "result-number"):
        if kind == "result-number" or star.applies:
            # A figure in the setting ("a team of 12") is not the one a do asks for.
            return covered(star.result.sentence if star.result_measured else None)
        return covered(next((s for s in answer.sentences if numbers_in(answer, s)), None))
    if kind == "i":
        return covered(star.personal_action.sentence)
    if kind == "learning":
        return covered(star.learning.sentence)
    if kind == "result":
        result = star.result
        return covered(result.sentence if result.found else None)
    words = _content(item)
    sentence = _overlap(answer, words)
    if sentence is None and key_phrase_hits:
        # A key phrase said in the answer shows the do it belongs to only when it shares words.
        forms_of = dict(zip(answer.sentences, answer.sentence_forms, strict=True))
        sentence = next((hit for hit in key_phrase_hits if len(words & forms_of[hit]) >= 2), None)
    return covered(sentence)
