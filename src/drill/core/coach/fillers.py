"""Fillers ("um", "like", "you know") and hedges ("I think", "sort of"), each judged in its
context: "like" in "like a database" and "so" in "so that" are words doing their job.

Each rule looks only at the neighbouring words and punctuation. When a use is ambiguous the
rule leaves it alone: a false "you said 'like' nine times" costs more trust than a miss.
"""

from __future__ import annotations

from dataclasses import dataclass

from drill.core.coach.text import Answer, words

FILLERS = ("um", "uh", "like", "you know", "basically", "so", "i mean")
HEDGES = ("i think", "i guess", "i suppose", "i feel like", "sort of", "kind of", "more or less")

_UM = frozenset({"um", "umm", "ummm", "erm", "errm", "hmm", "mm"})
_UH = frozenset({"uh", "uhh", "uhhh", "er", "err"})
_PAUSES = _UM | _UH

# "like" after these is the verb ("I like", "would like", "don't like") or a comparison that
# means what it says ("looks like", "something like", "feel like").
_LIKE_VERB_BEFORE = frozenset(
    words(
        "i we you they he she who people would i'd we'd you'd they'd he'd she'd to do "
        "does did don't didn't doesn't not really also would've might will i'll we'll may "
        "always never still wouldn't shouldn't should could couldn't can can't ever"
    )
)
_LIKE_NOT_FILLER_BEFORE = frozenset(
    words(
        "look looks looked looking seem seems seemed sound sounds sounded feel feels felt "
        "something anything nothing things thing more much just exactly almost very "
        "nobody somebody someone anyone everyone person people numbers figures tools "
        "companies roles jobs sites places"
    )
)
_PRONOUNS = frozenset(words("i we he she they you it"))
_NUMBER_WORDS = frozenset(
    words(
        "two three four five six seven eight nine ten eleven twelve fifteen twenty thirty "
        "forty fifty sixty seventy eighty ninety hundred thousand half dozen"
    )
)
_QUOTATIVE_BEFORE = frozenset({"was", "were", "is", "are", "be", "i'm", "he's", "she's"})
_YOU_KNOW_NOT_BEFORE = frozenset(
    words("do did does don't didn't if as what how would will to let now whether who you'd i'd we")
)
_SO_PROFORM_BEFORE = frozenset(
    words("think thought hope hoped say said guess suppose believe not even do did is was")
)
_THINK_NOT_HEDGE_AFTER = frozenset(
    words("about of through back ahead differently like carefully hard out in")
)
_KIND_DETERMINERS = frozenset(
    words(
        "what a an the this that these those some any every each one same different which "
        "no all other another his her my your our their its whatever"
    )
)


def spoken(kind: str) -> str:
    """A filler or hedge as people write it: "i think" -> "I think"."""
    return "I" + kind[1:] if kind == "i" or kind.startswith("i ") else kind


@dataclass(frozen=True, slots=True)
class Hit:
    """One filler or hedge: which kind, and where in the cleaned text."""

    kind: str
    start: int
    end: int


def _word(answer: Answer, index: int) -> str:
    if 0 <= index < len(answer.tokens):
        return answer.tokens[index].lower
    return ""


def _same_sentence(answer: Answer, a: int, b: int) -> bool:
    return (
        0 <= a < len(answer.tokens)
        and 0 <= b < len(answer.tokens)
        and answer.tokens[a].sentence == answer.tokens[b].sentence
    )


def _comma_before(answer: Answer, index: int) -> bool:
    return index > 0 and answer.before(index).rstrip().endswith((",", "-", "..."))


def _comma_after(answer: Answer, index: int) -> bool:
    return answer.after(index).lstrip().startswith((",", "-", "..."))


def _pause_after(answer: Answer, index: int) -> bool:
    """A comma, or the end of the sentence, after this token."""
    rest = answer.after(index).lstrip()
    return not _same_sentence(answer, index, index + 1) or rest.startswith(
        (",", "-", "...", ".", "?", "!", ";")
    )


def _previous_word(answer: Answer, index: int) -> tuple[int, str]:
    """The nearest earlier word in the sentence that is not a pause sound."""
    j = index - 1
    while _same_sentence(answer, j, index) and answer.tokens[j].lower in _PAUSES:
        j -= 1
    return (j, answer.tokens[j].lower) if _same_sentence(answer, j, index) else (-1, "")


def _is_number(word: str) -> bool:
    return word[:1].isdigit() or word[:1] in "£$€" or word in _NUMBER_WORDS


def _like_is_filler(answer: Answer, i: int) -> bool:
    prev_index, prev = _previous_word(answer, i)
    nxt = _word(answer, i + 1) if _same_sentence(answer, i, i + 1) else ""
    set_off = _comma_before(answer, i) and _comma_after(answer, i)
    if set_off and prev not in _LIKE_VERB_BEFORE:
        return True  # "there was, like, this one coworker"
    if prev in _LIKE_VERB_BEFORE or prev in _LIKE_NOT_FILLER_BEFORE:
        return False
    if nxt == "i" and _word(answer, i + 2) in ("said", "say", "mentioned"):
        return False  # "like I said"
    if _comma_after(answer, i):
        return True  # "like, I didn't know"
    if prev in _QUOTATIVE_BEFORE and answer.after(i).lstrip().startswith('"'):
        return True  # he was like "no way"
    if _is_number(nxt) and prev_index >= 0:
        return True  # "like three days behind"
    # "and like we had no idea"
    return prev in ("and", "but", "or") and nxt in _PRONOUNS and not _comma_after(answer, i + 1)


def find(answer: Answer) -> tuple[list[Hit], list[Hit]]:
    """Every filler and every hedge, in text order."""
    fillers: list[Hit] = []
    hedges: list[Hit] = []
    tokens = answer.tokens
    first_word = next((i for i, t in enumerate(tokens) if t.lower not in _PAUSES), -1)
    for i, token in enumerate(tokens):
        word = token.lower
        nxt = _word(answer, i + 1) if _same_sentence(answer, i, i + 1) else ""
        span_end = tokens[i + 1].end if nxt else token.end
        if word in _UM:
            fillers.append(Hit("um", token.start, token.end))
        elif word in _UH:
            # "er" only alone and lower-case: "ER" is a place in a hospital.
            if word != "er" or token.text == "er":
                fillers.append(Hit("uh", token.start, token.end))
        elif word == "basically":
            fillers.append(Hit("basically", token.start, token.end))
        elif word == "like":
            prev = _previous_word(answer, i)[1]
            if prev == "feel" and _word(answer, i - 2) == "i":
                continue  # counted as the hedge "i feel like"
            if _like_is_filler(answer, i):
                fillers.append(Hit("like", token.start, token.end))
        elif word == "so":
            if _so_is_filler(answer, i, first_word):
                fillers.append(Hit("so", token.start, token.end))
        elif word == "you" and nxt == "know":
            prev = _previous_word(answer, i)[1]
            if prev in _YOU_KNOW_NOT_BEFORE:
                continue
            opens = prev == "" or _comma_before(answer, i)
            if opens and _pause_after(answer, i + 1):
                fillers.append(Hit("you know", token.start, span_end))
        elif word == "i" and nxt == "mean":
            prev = _previous_word(answer, i)[1]
            if prev not in ("what", "if", "that", "which") and _comma_after(answer, i + 1):
                fillers.append(Hit("i mean", token.start, span_end))
        elif word == "i" and nxt in ("think", "guess", "suppose"):
            prev = _previous_word(answer, i)[1]
            after = _word(answer, i + 2) if _same_sentence(answer, i, i + 2) else ""
            if (
                nxt == "think"
                and (prev in ("what", "how", "why") or after in _THINK_NOT_HEDGE_AFTER)
                and not (after == "in" and _word(answer, i + 3) == "the")
            ):
                continue
            hedges.append(Hit(f"i {nxt}", token.start, span_end))
        elif word == "i" and nxt == "feel" and _word(answer, i + 2) == "like":
            hedges.append(Hit("i feel like", token.start, tokens[i + 2].end))
        elif word in ("sort", "kind") and nxt == "of":
            prev = _previous_word(answer, i)[1]
            if prev in _KIND_DETERMINERS:
                continue
            hedges.append(Hit(f"{word} of", token.start, span_end))
        elif word == "more" and nxt == "or" and _word(answer, i + 2) == "less":
            hedges.append(Hit("more or less", token.start, tokens[i + 2].end))
    return fillers, hedges


def _so_is_filler(answer: Answer, i: int, first_word: int) -> bool:
    """ "So" opening the answer, "so," with a pause after it, and "so yeah" are fillers;
    "so that", "so I fixed it" and "I think so" are not.
    """
    if i == first_word:
        return True
    prev = _previous_word(answer, i)[1]
    if prev in _SO_PROFORM_BEFORE:
        return False
    nxt = _word(answer, i + 1) if _same_sentence(answer, i, i + 1) else ""
    if nxt in ("yeah", "yes", "yep", "anyway", "um", "uh", "basically", "like"):
        return True
    # "so, yeah" and "So, I grew up"; not "even so," or "I think so,".
    return _comma_after(answer, i) and nxt not in ("that", "much", "far", "many")
