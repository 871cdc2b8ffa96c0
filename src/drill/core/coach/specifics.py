"""What makes an answer concrete: numbers, names and time frames; and who did things, by
counting "I" against "we".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from drill.core.coach.text import Answer, Sentence, words

I_FORMS = frozenset(words("i i'm i've i'd i'll me my mine myself"))
WE_FORMS = frozenset(words("we we're we've we'd we'll us our ours ourselves"))

NUMBER_WORDS = frozenset(
    words(
        "two three four five six seven eight nine ten eleven twelve thirteen fourteen "
        "fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty "
        "seventy eighty ninety hundred hundreds thousand thousands million millions "
        "billion dozen dozens half double doubled halved tripled twice"
    )
)
UNITS = frozenset(
    words(
        "percent per days day weeks week months month years year hours hour minutes "
        "minute seconds second quarters quarter people staff customers clients users "
        "tickets orders calls stores sites points times x k m bn dollars pounds euros"
    )
)
_MONTHS = words(
    "january february march april may june july august september october november december"
)
_WEEKDAYS = words("monday tuesday wednesday thursday friday saturday sunday")
_SEASONS = words("spring summer autumn fall winter")
_TIME_UNIT = r"(?:minute|hour|day|week|fortnight|month|quarter|year|season|semester|term)s?"
_COUNT = (
    r"(?:\d+(?:\.\d+)?|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
    r"fifteen|twenty|thirty|forty|fifty|sixty|a couple of|couple of)"
)
TIME_FRAME = re.compile(
    r"\b(?:"
    rf"{_COUNT}[ -]{_TIME_UNIT}\b"
    rf"|(?:last|this|next|that|the following|the previous|every|each|early|late|mid)[ -]"
    rf"(?:{_TIME_UNIT}|weekend|morning|evening|night|{'|'.join(_SEASONS + _MONTHS + _WEEKDAYS)})\b"
    r"|(?:in|by|since|until|from|during|before|after|of) (?:19|20)\d\d\b"
    r"|(?:19|20)\d\d\b"
    r"|q[1-4]\b"
    r"|yesterday|overnight"
    r")",
    re.IGNORECASE,
)
_CAPITALISED_TIME = frozenset(
    m.capitalize() for m in _MONTHS + _WEEKDAYS if m not in ("may", "march")
) | {"March", "May"}
# Capitalised for other reasons than being a name.
_NOT_NAMES = frozenset(
    {"I", "I'm", "I've", "I'd", "I'll", "OK", "A", "TV", "US", "UK", "EU"}
    | {"Mr", "Mrs", "Ms", "Dr"}
)
# "I give 110 percent" is an idiom, not a figure.
_IDIOM_NUMBER = re.compile(
    r"\b(?:give|gave|giving|gives)\s+(?:a\s+)?1[01]0\s*(?:%|percent|per cent)", re.I
)


@dataclass(frozen=True, slots=True)
class Specifics:
    numbers: list[str]
    names: list[str]
    time_frames: list[str]

    @property
    def kinds(self) -> int:
        return sum(1 for found in (self.numbers, self.names, self.time_frames) if found)

    @property
    def vague(self) -> bool:
        return self.kinds == 0


def _is_year(word: str) -> bool:
    return len(word) == 4 and word.isdigit() and word[:2] in ("19", "20")


def numbers_in(answer: Answer, sentence: Sentence | None = None) -> list[tuple[int, int, str]]:
    """(start, end, text) of each figure: a number with its unit ("45 days", "£40,000",
    "30 per cent", "half"); years are time frames, not figures.
    """
    found = answer.memo.get("numbers")
    if found is None:
        found = _numbers(answer)
        answer.memo["numbers"] = found
    assert isinstance(found, list)
    if sentence is None:
        return found
    return [n for n in found if sentence.start <= n[0] < sentence.end]


def _numbers(answer: Answer) -> list[tuple[int, int, str]]:
    tokens = answer.tokens
    idioms = [m.span() for m in _IDIOM_NUMBER.finditer(answer.text)]
    out = []
    for index, token in enumerate(tokens):
        word = token.lower
        digit = word[:1].isdigit() or (word[:1] in "£$€" and len(word) > 1)
        if not (digit or word in NUMBER_WORDS) or _is_year(word):
            continue
        if any(a <= token.start < b for a, b in idioms):
            continue
        end = token.end
        unit = [t for t in tokens[index + 1 : index + 3] if t.sentence == token.sentence]
        if unit and unit[0].lower in UNITS:
            end = unit[0].end
            if unit[0].lower == "per" and len(unit) > 1 and unit[1].lower == "cent":
                end = unit[1].end
        out.append((token.start, end, answer.text[token.start : end]))
    return out


_TIME_FRAME_LOWER = re.compile(TIME_FRAME.pattern)
# A length of time ("nine days", "a month"), not a moment ("last year", "in 2019"): only a
# length measures how late, early or fast something was.
_DURATION = re.compile(rf"\b{_COUNT}[ -]{_TIME_UNIT}\b")


def time_frames_in(text: str) -> list[str]:
    lowered = text.lower()
    if len(lowered) != len(text):  # a letter whose lower case is longer: offsets would shift
        return [m.group() for m in TIME_FRAME.finditer(text)]
    return [text[m.start() : m.end()] for m in _TIME_FRAME_LOWER.finditer(lowered)]


def names_in(answer: Answer) -> list[str]:
    """Capitalised words inside a sentence, and acronyms: people, places, tools, companies.
    Neighbouring capitalised words are one name ("Jo Alvarez").
    """
    seen: dict[str, None] = {}
    for sentence in answer.sentences:
        tokens = answer.sentence_tokens(sentence)
        run: list[str] = []
        for k, token in enumerate(tokens):
            word = token.text
            name = word[:1].isupper() and word not in _NOT_NAMES and word not in _CAPITALISED_TIME
            if name:
                acronym = len(word) >= 2 and word.replace("-", "").isupper()
                opens = k == 0 or answer.before(sentence.first_token + k).rstrip().endswith(
                    ('"', ":", "(", "'")
                )
                name = acronym or not opens
            joined = run and answer.before(sentence.first_token + k) == " "
            if name and (joined or not run):
                run.append(word)
                continue
            if run:
                seen.setdefault(" ".join(run), None)
            run = [word] if name else []
        if run:
            seen.setdefault(" ".join(run), None)
    return list(seen)


def find(answer: Answer) -> Specifics:
    return Specifics(
        numbers=[text for _, _, text in numbers_in(answer)],
        names=names_in(answer),
        time_frames=time_frames_in(answer.text),
    )


def pronouns(answer: Answer) -> tuple[int, int]:
    """How many times the answer says I (me, my) and we (us, our). "US" the country is not us."""
    i = we = 0
    for token in answer.tokens:
        if token.lower in I_FORMS:
            i += 1
        elif token.lower in WE_FORMS and token.text != "US":
            we += 1
    return i, we


def has_measure(answer: Answer, sentence: Sentence) -> bool:
    """Whether a sentence states a quantity: a figure, a time taken, or a before and after."""
    if numbers_in(answer, sentence):
        return True
    text = sentence.text.lower()
    return bool(
        _DURATION.search(text)
        and re.search(r"\b(?:late|early|faster|sooner|within|in under|down to|from)\b", text)
    ) or bool(re.search(r"\bfrom\b[^.]{1,40}\bto\b", text) and numbers_in(answer, sentence))
