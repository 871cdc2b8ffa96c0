"""An answer as sentences and tokens, each with its offsets, and the normal forms used to
match words across spellings, tenses and contractions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property, lru_cache

from drill.core.sanitize import normalize_newlines, strip_control_chars


def words(text: str) -> list[str]:
    """A list of words written as one string, so long word lists stay readable."""
    return text.split()


# Typographic quotes and dashes become their plain forms, so one set of patterns serves both.
_TRANSLATE = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u2212": "-",
        "\u00a0": " ",
        "\u2009": " ",
        "\u202f": " ",
    }
)

# A token: a number (with currency, thousands, decimals, a percent sign or a short suffix:
# "31st", "9am", "20k"), or a word with inner digits, apostrophes and hyphens ("Q3",
# "wasn't", "one-on-one").
TOKEN = re.compile(
    r"[£$€]?\d(?:[\d,]*\d)?(?:\.\d+)?(?:%|[A-Za-z]{1,3}\b)?"
    r"|[A-Za-z][A-Za-z0-9]*(?:'[A-Za-z]+)*(?:-[A-Za-z0-9]+(?:'[A-Za-z]+)*)*"
)

# Words whose full stop does not end a sentence.
_ABBREVIATIONS = frozenset(
    words("mr mrs ms dr prof st vs etc eg ie e.g i.e approx dept inc ltd co jr sr")
)
_SENTENCE_END = re.compile(r"[.!?]+[\"')\]]*(?=\s)|\n\s*\n|\n(?=\s*[-*•]\s)")


@dataclass(frozen=True, slots=True)
class Token:
    text: str  # as written
    lower: str
    start: int
    end: int
    sentence: int  # index of its sentence


@dataclass(frozen=True, slots=True)
class Sentence:
    index: int
    start: int
    end: int
    text: str
    first_token: int  # index into Answer.tokens
    last_token: int  # one past the last

    @property
    def word_count(self) -> int:
        return self.last_token - self.first_token


def clean(text: str) -> str:
    """Answer text in the form every rule reads: no control characters, LF newlines, plain
    quotes and dashes.
    """
    return strip_control_chars(normalize_newlines(text)).translate(_TRANSLATE).strip()


_LAST_WORD = re.compile(r"(?:^|[\s(\"])([A-Za-z.]+)$")


def _sentence_spans(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        end = match.end()
        if match.group().startswith("."):
            # The word before the dot: a short look back, never a scan of the sentence.
            tail = text[max(start, match.start() - 12) : match.start()]
            before = _LAST_WORD.search(tail)
            word = before.group(1).lower().rstrip(".") if before else ""
            if word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha()):
                continue
            # "3.5" never reaches here (no space after the dot); "in the U.S. and" would.
            following = text[end:].lstrip()
            if following[:1].islower():
                continue
        if text[start:end].strip():
            spans.append((start, end))
        start = end
    if text[start:].strip():
        spans.append((start, len(text)))
    out = []
    for a, b in spans:
        chunk = text[a:b]
        lead = len(chunk) - len(chunk.lstrip())
        out.append((a + lead, a + len(chunk.rstrip())))
    return out


class Answer:
    """A cleaned answer split into sentences and tokens."""

    def __init__(self, text: str) -> None:
        self.text = clean(text)
        # Results several rules share (figures, say), computed once per answer.
        self.memo: dict[str, object] = {}
        self.sentences: list[Sentence] = []
        self.tokens: list[Token] = []
        for index, (start, end) in enumerate(_sentence_spans(self.text)):
            first = len(self.tokens)
            for match in TOKEN.finditer(self.text, start, end):
                word = match.group()
                self.tokens.append(Token(word, word.lower(), match.start(), match.end(), index))
            self.sentences.append(
                Sentence(index, start, end, self.text[start:end], first, len(self.tokens))
            )

    @property
    def word_count(self) -> int:
        return len(self.tokens)

    def sentence_tokens(self, sentence: Sentence) -> list[Token]:
        return self.tokens[sentence.first_token : sentence.last_token]

    def before(self, token_index: int) -> str:
        """The characters between the previous token and this one ("" at the start)."""
        token = self.tokens[token_index]
        prev_end = self.tokens[token_index - 1].end if token_index else 0
        return self.text[prev_end : token.start]

    def after(self, token_index: int) -> str:
        """The characters between this token and the next (to the end of the text)."""
        token = self.tokens[token_index]
        next_start = (
            self.tokens[token_index + 1].start
            if token_index + 1 < len(self.tokens)
            else len(self.text)
        )
        return self.text[token.end : next_start]

    def context(self, start: int, end: int, width: int = 24) -> str:
        """The words around a span, on one line, with ellipses where the text goes on."""
        left = max(0, start - width)
        right = min(len(self.text), end + width)
        # Whole words only.
        while left > 0 and not self.text[left - 1].isspace():
            left += 1
            if left >= start:
                left = start
                break
        while right < len(self.text) and not self.text[right].isspace():
            right -= 1
            if right <= end:
                right = end
                break
        snippet = " ".join(self.text[left:right].split())
        return ("…" if left > 0 else "") + snippet + ("…" if right < len(self.text) else "")

    @cached_property
    def sentence_forms(self) -> list[frozenset[str]]:
        """Each sentence's word forms, as a set (for "these words in one sentence")."""
        normal = self.normal
        return [
            frozenset(f for k in range(s.first_token, s.last_token) for f in normal[k])
            for s in self.sentences
        ]

    @cached_property
    def normal(self) -> list[tuple[str, ...]]:
        """Each token's matching form (see `normal_forms`), one list per token."""
        return [_normal_form(token.lower) for token in self.tokens]


# -- matching forms ------------------------------------------------------------------------------

# Contractions, expanded so "wasn't" matches "was not" and "I've" matches "I have".
_CONTRACTIONS = {
    "can't": ["can", "not"],
    "cannot": ["can", "not"],
    "won't": ["will", "not"],
    "shan't": ["shall", "not"],
    "ain't": ["be", "not"],
    "let's": ["let", "us"],
}
_SUFFIXES = {"'m": ["am"], "'re": ["are"], "'ve": ["have"], "'ll": ["will"], "'d": ["would"]}
_S_IS = frozenset(
    words(
        "it that he she there here what who where when how everything nothing something "
        "everyone nobody somebody someone this"
    )
)


def expand(word: str) -> list[str]:
    """A lower-case token as the words it stands for: "wasn't" -> ["was", "not"]."""
    if "'" not in word:
        return [word]
    if word in _CONTRACTIONS:
        return list(_CONTRACTIONS[word])
    if word.endswith("n't"):
        return [word[:-3], "not"]
    for suffix, words in _SUFFIXES.items():
        if word.endswith(suffix):
            return [word[: -len(suffix)], *words]
    if word.endswith("'s"):
        base = word[:-2]
        return [base, "is"] if base in _S_IS else [base]
    return [word.replace("'", "")]


# Irregular forms, and a few US/UK spellings, reduced to one form.
_IRREGULAR = {
    **dict.fromkeys(words("is are am was were be been being"), "be"),
    **dict.fromkeys(words("has had have having"), "have"),
    **dict.fromkeys(words("does did do doing done"), "do"),
    **dict.fromkeys(words("went goes gone going"), "go"),
    **dict.fromkeys(["told", "tells", "telling"], "tell"),
    **dict.fromkeys(["said", "says", "saying"], "say"),
    **dict.fromkeys(["kept", "keeps", "keeping"], "keep"),
    **dict.fromkeys(["made", "makes", "making"], "make"),
    **dict.fromkeys(["thought", "thinks", "thinking"], "think"),
    **dict.fromkeys(words("knew known knows knowing"), "know"),
    **dict.fromkeys(words("got gotten gets getting"), "get"),
    **dict.fromkeys(["felt", "feels", "feeling"], "feel"),
    **dict.fromkeys(words("took taken takes taking"), "take"),
    **dict.fromkeys(words("gave given gives giving"), "give"),
    **dict.fromkeys(["left", "leaves", "leaving"], "leave"),
    **dict.fromkeys(["ran", "runs", "running"], "run"),
    **dict.fromkeys(["came", "comes", "coming"], "come"),
    **dict.fromkeys(["led", "leads", "leading"], "lead"),
    **dict.fromkeys(["brought", "brings", "bringing"], "bring"),
    **dict.fromkeys(["let", "lets", "letting"], "let"),
    **dict.fromkeys(words("wrote written writes writing"), "write"),
    **dict.fromkeys(["built", "builds", "building"], "build"),
    **dict.fromkeys(["caught"], "catch"),
    **dict.fromkeys(["children"], "child"),
    **dict.fromkeys(["people"], "person"),
    **dict.fromkeys(["men"], "man"),
    **dict.fromkeys(["women"], "woman"),
    # Synonym classes: the cue "my boss" also means "my manager", "he" also "she".
    **dict.fromkeys(words("boss bosses manager managers supervisor supervisors"), "manager"),
    **dict.fromkeys(
        words(
            "coworker coworkers co-worker co-workers colleague colleagues teammate teammates "
            "workmate workmates"
        ),
        "colleague",
    ),
    **dict.fromkeys(words("customer customers client clients"), "customer"),
    **dict.fromkeys(["he", "she", "they"], "3p"),
    # "our manager" is the manager of "my manager" in a story told by one person.
    "our": "my",
    **dict.fromkeys(words("him her them his their hers theirs"), "3p-of"),
    **dict.fromkeys(words("organisation organization firm employer"), "company"),
    **dict.fromkeys(["criticise", "criticize"], "criticize"),
    **dict.fromkeys(["apologise", "apologize"], "apologize"),
    **dict.fromkeys(words("realise realize realised realized"), "realize"),
    **dict.fromkeys(words("organise organize organised organized"), "organize"),
    **dict.fromkeys(["prioritise", "prioritize"], "prioritize"),
    **dict.fromkeys(words("analyse analyze analysed analyzed"), "analyze"),
    **dict.fromkeys(["behaviour", "behavior"], "behavior"),
    **dict.fromkeys(words("learnt learned learns learning"), "learn"),
    **dict.fromkeys(words("idiot idiots moron morons"), "idiot"),
}


def stem(word: str) -> str:
    """A rough stem, the same for both sides of a match: plurals, -ed, -ing, -est."""
    if word in _IRREGULAR:
        return _IRREGULAR[word]
    if len(word) <= 3 or not word.isalpha():
        return word
    base = word
    for suffix, repl in _STEM_SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            if suffix == "s" and word.endswith(("ss", "us", "is")):
                break
            base = word[: -len(suffix)] + repl
            # "planned" -> "plann" -> "plan"; but "killed" -> "kill", "missed" -> "miss".
            if suffix in ("ing", "ed", "est") and base[-1] == base[-2] and base[-1] not in "lsf":
                base = base[:-1]
            break
    # "hate", "hated" and "hating" all become "hat".
    return base[:-1] if len(base) > 3 and base.endswith("e") else base


_STEM_SUFFIXES = (
    ("ies", "y"),
    ("ied", "y"),
    ("ing", ""),
    ("est", ""),
    ("ed", ""),
    ("es", ""),
    ("s", ""),
)


@lru_cache(maxsize=8192)
def _normal_form(lower: str) -> tuple[str, ...]:
    """A lower-case token's matching forms: contractions expanded, each word stemmed."""
    return tuple(stem(part) for part in expand(lower) if part)


def normal_form(lower: str) -> list[str]:
    """A lower-case token's matching forms: contractions expanded, each word stemmed."""
    return list(_normal_form(lower))


@lru_cache(maxsize=1024)
def _normal_words(text: str) -> tuple[str, ...]:
    """The matching forms of a phrase, in order (for cue phrases and key phrases)."""
    out: list[str] = []
    for match in TOKEN.finditer(clean(text)):
        out.extend(_normal_form(match.group().lower()))
    return tuple(out)


def normal_words(text: str) -> list[str]:
    """The matching forms of a phrase, in order (for cue phrases and key phrases)."""
    return list(_normal_words(text))
