"""Finding the deck's cue phrases in an answer: red flags and don'ts, with the words that
show each one.

The question bank writes each red flag with the phrases that would show it:
`- Blames others ("it wasn't my fault", "the client kept changing their mind").` A cue
matches when every word of it appears in one sentence, in order, after both sides are
brought to one form: contractions expanded, words stemmed, a few synonyms merged (boss and
manager, he and she), and softeners dropped ("really", "just", "honestly"). At most one
other word may sit inside the match ("in my *whole* life"), and never a negation.

A match does not count when the words before it in the sentence deny it, put it in someone
else's mouth or make it hypothetical: "I didn't go straight to my manager", "my colleague
said the deadline was never realistic", "if I'd said it wasn't my fault". A false
accusation costs more than a miss, so every doubt goes the answer's way.

Contempt for people ("my manager was useless", "the client was a nightmare") is a red flag
on every question; decks without red flags also get a general one for blaming others.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from drill.core.coach.text import Answer, normal_words, stem, words

# Words that soften or fill, dropped from both sides before matching.
SOFTENERS = frozenset(
    stem(word)
    for word in words(
        "just really honestly totally completely actually basically simply truly very "
        "quite pretty literally um uh erm er whole entire absolutely definitely frankly "
        "seriously"
    )
)
NEGATIONS = frozenset(
    words("not never without avoid avoided instead rather nobody neither nor refuse refused hardly")
)
# Articles and determiners in matching form: a cue needs more than these with one word
# ("the data", "just one customer") to say something; "the other team" does.
_FUNCTION_FORMS = frozenset(
    normal_words("a an the one this that these those my our your his her their its some any")
)
_HYPOTHETICAL = frozenset(["if", "unless", "whether"])
# A verb that reports words or thoughts: its subject decides whose words follow.
_REPORTING = frozenset(
    stem(word)
    for word in words(
        "say said says tell told claim claimed call called complain complained argue "
        "argued insist insisted accuse accused suggest suggested shout shouted yell "
        "yelled scream screamed write wrote reply replied answer answered hear heard "
        "think thought feel felt believe believed assume assumed reckon reckoned decide "
        "decided"
    )
)
_MENTION = frozenset(stem(w) for w in words("like as such phrase phrases word words line lines"))
_WINDOW = 7  # how many words before a match are read for negation and attribution
_CLAUSE_BREAK = re.compile(r"[;:]|\bbut\b|\bhowever\b|\balthough\b|\bthough\b", re.IGNORECASE)
_QUOTED = re.compile(r'"([^"]{2,160})"')


def split_item(item: str) -> tuple[str, list[str]]:
    """A deck item as its label and its quoted cue phrases:
    'Blames others ("it wasn't my fault", "they let me down").' ->
    ("Blames others", ["it wasn't my fault", "they let me down"]).
    """
    text = " ".join(item.replace("\u201c", '"').replace("\u201d", '"').split())
    cues = [m.group(1).strip().rstrip(".,") for m in _QUOTED.finditer(text)]
    label = re.sub(r'\s*\((?:[^()"]*"[^"]*")+[^()]*\)', "", text).strip()
    return label.rstrip(".") if cues else text.rstrip("."), cues


@dataclass(frozen=True, slots=True)
class Match:
    cue: str
    start: int  # offsets in the cleaned answer
    end: int
    evidence: str


class Stream:
    """The answer's words in matching form, softeners left out, each with its token."""

    def __init__(self, answer: Answer) -> None:
        self.answer = answer
        self.forms: list[str] = []
        self.tokens: list[int] = []
        for index, forms in enumerate(answer.normal):
            for form in forms:
                if form not in SOFTENERS:
                    self.forms.append(form)
                    self.tokens.append(index)
        self.positions: dict[str, list[int]] = {}
        for position, form in enumerate(self.forms):
            self.positions.setdefault(form, []).append(position)

    def sentence(self, position: int) -> int:
        return self.answer.tokens[self.tokens[position]].sentence

    def span(self, first: int, last: int) -> tuple[int, int]:
        tokens = self.answer.tokens
        return tokens[self.tokens[first]].start, tokens[self.tokens[last]].end


@lru_cache(maxsize=2048)
def cue_forms(cue: str) -> tuple[str, ...]:
    return tuple(form for form in normal_words(cue) if form not in SOFTENERS)


def _align(stream: Stream, start: int, cue: tuple[str, ...]) -> int | None:
    """The last position of a match of `cue` beginning at `start`, or None. One extra word
    may sit inside the match, never a negation; the match stays in one sentence.
    """
    sentence = stream.sentence(start)
    position, extra = start, 0
    for form in cue[1:]:
        position += 1
        if position >= len(stream.forms) or stream.sentence(position) != sentence:
            return None
        if stream.forms[position] == form:
            continue
        if extra or stream.forms[position] in NEGATIONS:
            return None
        extra = 1
        position += 1
        if position >= len(stream.forms) or stream.forms[position] != form:
            return None
        if stream.sentence(position) != sentence:
            return None
    return position


def _inside_quotes(text: str, start: int, end: int, sentence_start: int) -> bool:
    return text.count('"', sentence_start, start) % 2 == 1


def _disowned(stream: Stream, first: int, start_offset: int, end_offset: int) -> bool:
    """Whether the words before a match deny it, report someone else's words, or make it a
    hypothesis or a mention.
    """
    answer = stream.answer
    sentence = answer.sentences[stream.sentence(first)]
    lead = answer.text[sentence.start : start_offset]
    # Only the clause the match is in: "I was annoyed, but I didn't say it" is another one.
    breaks = list(_CLAUSE_BREAK.finditer(lead))
    clause_start = sentence.start + (breaks[-1].end() if breaks else 0)
    window: list[int] = []
    position = first - 1
    while position >= 0 and len(window) < _WINDOW:
        token = answer.tokens[stream.tokens[position]]
        if token.sentence != sentence.index or token.start < clause_start:
            break
        window.append(position)
        position -= 1
    forms = [stream.forms[p] for p in reversed(window)]
    if any(form in NEGATIONS or form in _HYPOTHETICAL for form in forms):
        return True
    for k, form in enumerate(forms):
        if form in _REPORTING:
            subject = forms[k - 1] if k else ""
            if subject != "i":
                return True  # "my colleague said...", "people say..."
    quoted = _inside_quotes(answer.text, start_offset, end_offset, sentence.start)
    if quoted:
        if forms and forms[-1] in _MENTION:
            return True  # phrases like "it wasn't my fault"
        own = any(form in _REPORTING and k and forms[k - 1] == "i" for k, form in enumerate(forms))
        return not own
    return False


@lru_cache(maxsize=2048)
def content_words(cue: str) -> int:
    """How many words of a cue carry meaning: "the data" has one, "great reputation" two."""
    return sum(1 for form in cue_forms(cue) if form not in _FUNCTION_FORMS)


def find_cue(stream: Stream, cue: str, *, min_words: int = 2, min_content: int = 0) -> Match | None:
    """The first place the answer says `cue` and means it, or None."""
    forms = cue_forms(cue)
    if len(forms) < min_words or content_words(cue) < min_content:
        return None
    for start in stream.positions.get(forms[0], ()):
        last = _align(stream, start, forms)
        if last is None:
            continue
        a, b = stream.span(start, last)
        if _disowned(stream, start, a, b):
            continue
        return Match(cue, a, b, stream.answer.text[a:b])
    return None


def find_item(
    stream: Stream, item: str, *, min_words: int = 2, min_content: int = 0
) -> tuple[str, Match | None]:
    """A deck item's label and the first of its cues the answer shows."""
    label, cues = split_item(item)
    for cue in cues:
        match = find_cue(stream, cue, min_words=min_words, min_content=min_content)
        if match is not None:
            return label, match
    return label, None


# -- general flags, for decks without a Red flags section -----------------------------------------

GENERAL_FLAGS: dict[str, tuple[str, tuple[str, ...]]] = {
    "blame": (
        "Blames others for what went wrong",
        (
            "it was not my fault",
            "not my fault",
            "was not on me",
            "they let me down",
            "it was their fault",
            "nobody told me",
            "no one told me",
            "that is not my job",
            "not my job",
        ),
    ),
    "badmouth": ("Speaks badly of a manager, colleague, customer or employer", ()),
}
# Contempt for people is a red flag in any answer: it is looked for on every question, even
# one with red flags of its own. Blame depends on the question ("nobody told me" sets the
# scene of a question about ambiguity), so it stands in only where the deck has no red flags.
ALWAYS = frozenset(["badmouth"])

# Who an answer can speak badly of: a role, not a pronoun ("it was useless" is about a thing).
_PEOPLE = frozenset(
    stem(w)
    for w in words(
        "manager colleague lead leader company customer team director management "
        "department staff boss supervisor employer client coworker teammate workmate "
        "everyone everybody people person"
    )
)
_DETERMINERS = frozenset(["my", "our", "the", "3p-of"])
_EVERYONE = frozenset(stem(w) for w in words("everyone everybody"))
_PLACE = frozenset(stem(w) for w in words("there here else"))
_MODIFIERS = frozenset(
    stem(w) for w in words("old former last previous current new team other whole direct line")
)
# Only words that judge a person's worth, never a situation's difficulty ("hard", "tough",
# "demanding" describe a fair challenge and stay out).
_CONTEMPT = frozenset(
    stem(w)
    for w in words(
        "incompetent useless clueless hopeless lazy stupid idiot idiots toxic pathetic "
        "nightmare joke impossible dumb rubbish disaster moron morons spineless"
    )
)
# Between "was" and the judgment: "was, like, useless", "was a total joke".
_BETWEEN = frozenset(stem(w) for w in words("a an so such like total complete utter bit"))
# "The customer was impossible to reach" judges a task, not the customer ("a nightmare to
# work with" still judges the person).
_TASK_WORDS = frozenset([stem("impossible")])


def _he_or_she(lower: str) -> bool:
    return lower.replace("’", "'").split("'")[0] in ("he", "she")


def _contempt_after(stream: Stream, position: int) -> int | None:
    """The position of a judgment of worth right after a subject's "was", or None."""
    forms = stream.forms
    if position >= len(forms) or forms[position] != "be":
        return None
    position += 1
    skipped = 0
    while position < len(forms) and forms[position] in _BETWEEN and skipped < 2:
        position += 1
        skipped += 1
    if position >= len(forms) or forms[position] not in _CONTEMPT:
        return None
    if forms[position] in _TASK_WORDS and position + 1 < len(forms) and forms[position + 1] == "to":
        return None
    return position


def find_badmouth(stream: Stream, skip: tuple[tuple[int, int], ...] = ()) -> Match | None:
    """ "my manager was incompetent", "my coworkers were lazy", "the client was a nightmare",
    "everyone there was useless", "he was clueless" (he or she: a person, never "it" or
    "they", which are as often things). Words inside a span of `skip` are passed over.
    """
    forms = stream.forms
    for start, form in enumerate(forms):
        if form in _DETERMINERS:
            position = start + 1
            while position < len(forms) and forms[position] in _MODIFIERS:
                position += 1
            if position < len(forms) and forms[position] in _PEOPLE:
                position += 1
            elif position + 1 < len(forms) and forms[position + 1] in _PEOPLE:
                position += 2  # one word of their own: "the data team", "our IT department"
            elif not (position > start + 1 and forms[position - 1] in _PEOPLE):
                continue  # "the team" ends on a word that is both
        elif form in _EVERYONE:
            position = start + 1
            if position < len(forms) and forms[position] in _PLACE:
                position += 1
        elif form == "3p" and _he_or_she(stream.answer.tokens[stream.tokens[start]].lower):
            position = start + 1
        else:
            continue
        last = _contempt_after(stream, position)
        if last is None or stream.sentence(last) != stream.sentence(start):
            continue
        a, b = stream.span(start, last)
        if any(a < end and start_ < b for start_, end in skip):
            continue
        if _disowned(stream, start, a, b):
            continue
        return Match("", a, b, stream.answer.text[a:b])
    return None


def find_general(
    stream: Stream,
    *,
    only: frozenset[str] | None = None,
    skip: tuple[tuple[int, int], ...] = (),
) -> list[tuple[str, str, Match]]:
    """(key, label, match) of each general flag the answer shows (of `only`, when given),
    passing over contempt in the words of `skip` (spans a deck's own flag already shows).
    """
    out = []
    for key, (label, cues) in GENERAL_FLAGS.items():
        if only is not None and key not in only:
            continue
        if key == "badmouth":
            match = find_badmouth(stream, skip)
        else:
            match = next((m for cue in cues if (m := find_cue(stream, cue)) is not None), None)
        if match is not None:
            out.append((key, label, match))
    return out
