"""Words for matching a job posting with questions: tokens, stems and stop words.

Matching needs "stakeholders" in a posting to meet "stakeholder" in a question, and
"prioritization" to meet "prioritize". A light suffix stemmer does that here: it is fast (a
posting and a thousand questions are stemmed in milliseconds), predictable, and needs no
data files. It is deliberately conservative; the job vocabulary (core/job_vocabulary.py)
names the synonyms a stemmer cannot know ("A/B tests" and "experiments").
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

# A token: letters and digits, keeping the few inner marks that make a term ("a/b", "c++",
# "c#", "node.js", "p&l", "o'brien"); hyphens split words ("cross-functional" is two).
# Every mark but those that make a term ("a/b", "c++", "c#", "p&l") ends a word. Apostrophes
# too: "don't" is "don" and "t" (both left out of terms), "o'brien" is "o" and "brien".
_KEPT = "/+#&"
_BREAKS = "".join(
    mark for mark in "!\"$%'()*,-.:;<=>?@[\\]^_`{|}~‘’“”–—…•·«»¿¡" if mark not in _KEPT
)
_PUNCTUATION = str.maketrans(dict.fromkeys(_BREAKS, " "))
# The same for ASCII text, as bytes: bytes.translate reads a ready table, where str.translate
# builds its lookup again on every call (most of the time of reading a thousand questions).
_ASCII_BREAKS = "".join(mark for mark in _BREAKS if mark.isascii()).encode("ascii")
_ASCII_PUNCTUATION = bytes.maketrans(_ASCII_BREAKS, b" " * len(_ASCII_BREAKS))


def _word_set(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Function words and words of ordinary posting grammar that never make a term on their own.
STOP_WORDS = _word_set(
    """
    a about above across after again against all almost along also although always am among an
    and any anyone anything are around as at be became because become been before being below
    between both but by can cannot could did do does doing done down during each either else etc
    even ever every for from further get gets getting give given go going got had has have
    having he her here hers herself him himself his how however i if in including into is it its
    itself just let like likely made make makes many may me might more most much must my myself
    need needs neither no nor not now of off often on once one only onto or other others our
    ours ourselves out over own per please plus quite rather really same see seem shall she
    should since so some something such than that the their theirs them themselves then there
    these they this those though through throughout thus to too toward towards under until up
    upon us use used uses using very via want wants was way ways we well were what whatever when
    where whether which while who whom whose why will with within without would yet you your
    yours yourself yourselves ll re ve s t d m
    """
)

# Ordinary English words that are not stop words but never make a key term alone ("ask",
# "first", "people"): a posting that repeats them is not saying anything special.
COMMON_WORDS = _word_set(
    """
    ability able accept across act action actually add addition address ago agree ahead aim
    allow already amount another answer anyone appear approach area areas around arrive ask
    attention available aware away back bad base basic basis become begin believe best better
    big bit bring broad build busy call came care carry case cause certain chance change check
    choose clear clearly close come comfortable common complete consider continue core could
    create current daily day days deal decide deep deliver describe detail different difficult
    direct done doing drive early easy effect effective either else end enjoy enough ensure
    enter entire environment equal especially every everyone everything exactly example
    excellent exceed expect expected experience extra face fact fair fall far fast feel few
    field fill find fine first fit focus follow form forward free friendly full fully future
    general get give given goal going good great ground group grow hand happen happening happy
    hard head hear help helpful high hold home hope huge idea ideal ideally important include
    increase individual inside instead interest interested involve issue item job join keep kind
    know known large last late later lead learn least leave less level life light likely line
    list little live local long look lot love low main major make many matter mean meet member
    mind minimum miss moment month months move much name natural near nearly necessary need new
    next nice number offer office often old one ones open opportunity order others outside
    overall own part particular pass past people perhaps person pick place plus point position
    positive possible power present pretty previous problem progress proud provide put question
    quick quickly quite range rather reach read ready real really reason receive recent regular
    related relevant remain require required requirement rest result return right role run same
    say second seek seen sense serious set several shape share short show side similar simple
    simply since single small solid something sometimes soon sort speak special specific stand
    start state stay step still stop strong subject success successful sure take talk task team
    teams tell term thing things think thoughtful three through time times title today together
    top toward true try turn two type understand unique up usual value various view want way
    week weekly welcome whole wide wider willing wish word words work worked working world write
    year years yes
    """
)

_IRREGULAR = {
    "led": "lead",
    "leading": "lead",
    "built": "build",
    "ran": "run",
    "won": "win",
    "lost": "lose",
    "sold": "sell",
    "sales": "sale",
    "taught": "teach",
    "wrote": "write",
    "written": "write",
    "bought": "buy",
    "people": "person",
    "data": "data",
    "analytics": "analy",
    "analytical": "analy",
    "analysis": "analy",
    "analyses": "analy",
    "analyst": "analy",
    "analysts": "analy",
    "analyze": "analy",
    "analyse": "analy",
    "analyzed": "analy",
    "analysed": "analy",
    "analyzing": "analy",
    "analysing": "analy",
    "business": "business",
    "process": "process",
    "processes": "process",
    "success": "success",
    "successful": "success",
    "successfully": "success",
    "news": "news",
    "status": "status",
    "always": "always",
    "various": "various",
    "series": "series",
    "species": "species",
    "basis": "basis",
    "crisis": "crisis",
    "ops": "ops",
    "devops": "devops",
    "kubernetes": "kubernetes",
    "saas": "saas",
    "paas": "paas",
    "postgres": "postgres",
    "experience": "experience",
    "experienced": "experience",
    "experiences": "experience",
    "experiment": "experiment",
    "experiments": "experiment",
    "experimentation": "experiment",
    "experimenting": "experiment",
    "experimental": "experiment",
}

# Inflections first (plural, tense), then one derivational suffix: "engineers" -> "engineer"
# -> "engin", and "renewals" and "renewal" both reach "renew".
# (suffix, shortest stem kept), longest first.
_INFLECTIONS: tuple[tuple[str, int], ...] = (
    ("ings", 3),
    ("ing", 3),
    ("ies", 3),
    ("ied", 3),
    ("ed", 3),
    ("es", 3),
    ("s", 3),
    ("y", 4),
)
_DERIVATIONS: tuple[tuple[str, int], ...] = (
    ("izations", 4),
    ("isations", 4),
    ("ization", 4),
    ("isation", 4),
    ("ational", 4),
    ("ative", 4),
    ("ation", 4),
    ("ition", 4),
    ("ement", 4),
    ("ment", 4),
    ("ness", 4),
    ("ship", 4),
    ("able", 4),
    ("ible", 4),
    ("ize", 4),
    ("ise", 4),
    ("ate", 4),
    ("ive", 4),
    ("ical", 4),
    ("ic", 4),
    ("ful", 4),
    ("ally", 4),
    ("ly", 4),
    ("er", 4),
    ("or", 5),
    ("al", 5),
    ("e", 3),
)
_VOWELS = frozenset("aeiou")


def _by_last_letter(
    suffixes: tuple[tuple[str, int], ...],
) -> dict[str, tuple[tuple[str, int], ...]]:
    """The suffixes a word may end with, by its last letter (in their order): a word is
    tried against two or three of them, not all thirty.
    """
    out: dict[str, list[tuple[str, int]]] = {}
    for entry in suffixes:
        out.setdefault(entry[0][-1], []).append(entry)
    return {letter: tuple(entries) for letter, entries in out.items()}


_INFLECTIONS_BY_LAST = _by_last_letter(_INFLECTIONS)
_DERIVATIONS_BY_LAST = _by_last_letter(_DERIVATIONS)
# Stems already computed (read directly on hot paths; `stem` fills it).
STEM_CACHE: dict[str, str] = {}


def stem(word: str) -> str:
    """The stem of a lower-case word: "stakeholders" -> "stakehold", "prioritization" and
    "prioritize" -> "priorit". Words with digits or marks ("a/b", "c++") stay as they are.
    """
    cached = STEM_CACHE.get(word)
    if cached is not None:
        return cached
    result = _stem(word)
    if len(STEM_CACHE) < 200_000:
        STEM_CACHE[word] = result
    return result


def keep_whole(words: Iterable[str]) -> None:
    """Never stem these words (product names: "Looker" is not "look")."""
    for word in words:
        _IRREGULAR[word] = word
        STEM_CACHE.pop(word, None)


def _stem(word: str) -> str:
    if word in _IRREGULAR:
        return _IRREGULAR[word]
    if len(word) <= 3 or not word.isalpha() or word.endswith(("ss", "us", "is")):
        return word
    base = _strip(word, _INFLECTIONS_BY_LAST, inflection=True)
    derived = _strip(base, _DERIVATIONS_BY_LAST, inflection=False)
    if derived == base and base != word and word.endswith(("ed", "ing", "es")):
        # "negotiated" -> "negotiat": the verb's "e" went with the ending; put it back so
        # the derivation ("-ate") comes off as it does for "negotiate" and "negotiation".
        again = _strip(base + "e", _DERIVATIONS_BY_LAST, inflection=False)
        if again != base + "e":
            return again
    return derived


def _strip(word: str, by_last: dict[str, tuple[tuple[str, int], ...]], *, inflection: bool) -> str:
    for suffix, shortest in by_last.get(word[-1:], ()):
        if not word.endswith(suffix):
            continue
        base = word[: len(word) - len(suffix)]
        if len(base) < shortest or not _VOWELS.intersection(base):
            continue
        if suffix == "y" and base[-1] in _VOWELS:
            continue
        if suffix == "s" and base[-1] in "su":
            continue
        # planned -> plan, running -> run, modelling -> model; but call, pass, buzz stay.
        doubled = inflection and suffix in ("ing", "ed") and base[-1] == base[-2]
        if doubled and (base[-1] not in "lsz" or (base[-1] == "l" and base[-3] == "e")):
            base = base[:-1]
        return base
    return word


def fold(text: str) -> str:
    """Lower case, accents removed: the form tokens are read in."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def tokens(text: str) -> list[str]:
    """Lower-case word tokens of `text`, in order ("A/B-tested" -> ["a/b", "tested"]).

    Punctuation becomes space and the text is split (both C-level: a thousand questions are
    read in milliseconds). "/", "+", "#" and "&" stay inside words ("a/b", "c++", "c#",
    "p&l"); "sales/marketing" is two words; a mark on its own is not a word.
    """
    folded = fold(text)
    if folded.isascii():
        found = folded.encode("ascii").translate(_ASCII_PUNCTUATION).decode("ascii").split()
    else:
        found = folded.translate(_PUNCTUATION).split()
    # Four scans for a mark (each C-level) instead of a set built from every character.
    if "/" not in text and "+" not in text and "#" not in text and "&" not in text:
        return found
    out: list[str] = []
    for token in found:
        if "/" in token:
            parts = [part for part in token.split("/") if part]
            if len(parts) > 1 and all(len(part) >= 3 for part in parts):
                out.extend(parts)
                continue
            token = "/".join(parts)
        if any(c.isalnum() for c in token):
            out.append(token)
    return out


def stems(text: str) -> list[str]:
    """The stems of every token of `text`, stop words included (phrases need them)."""
    return [stem(token) for token in tokens(text)]


def content_stems(text: str) -> list[str]:
    """The stems of the tokens that are not stop words."""
    return [stem(token) for token in tokens(text) if token not in STOP_WORDS]


@dataclass(frozen=True, slots=True)
class Span:
    """A run of tokens in a text: the original words, their stems, and where it starts."""

    words: tuple[str, ...]
    stems: tuple[str, ...]


def phrase_runs(text: str) -> list[Span]:
    """Runs of content words between stop words and punctuation (the candidate phrases of
    RAKE: "Own the renewal process for enterprise accounts" -> "own", "renewal process",
    "enterprise accounts").
    """
    runs: list[Span] = []
    for chunk in _CHUNK_BREAK.split(text):
        words: list[str] = []
        for token in tokens(chunk):
            if token in STOP_WORDS or token.isdigit():
                if words:
                    runs.append(_span(words))
                    words = []
                continue
            words.append(token)
        if words:
            runs.append(_span(words))
    return runs


def _span(words: list[str]) -> Span:
    return Span(tuple(words), tuple(stem(w) for w in words))


# Punctuation that ends a phrase (a comma or a colon, not an inner mark like "a/b").
_CHUNK_BREAK = re.compile(r"[,;:!?()\[\]{}\"“”|•·]|\.(?:\s|$)|\s[-–—]\s")
