"""Ranking every question drill knows against a posting, with a reason for each.

A question's score adds up, over the posting's terms (core/terms.py), the term's weight
times how well the question shows it:

- **lexically**, BM25-style: the term's stems in the question's text, variants, tags and
  notes (saturating with repeats, normalised by length, weighted by how rare the word is
  among questions);
- **by competency**: a vocabulary concept's competencies against the question's
  `competencies:` (decks of the question bank v2), so "stakeholder management" finds
  questions that probe stakeholders even when they never use the word.

Two priors adjust it: decks that fit the posting as a whole (the sales pack for a sales
posting) are raised, and questions for another level (a manager's question for a graduate
post) are lowered. Each requirement line gets its best questions; one that no question
covers well is a gap. Every number here can be traced back to terms a person can read.
"""

from __future__ import annotations

import heapq
import math
import re
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from drill.core.model import Question
from drill.core.posting import Posting, Requirement
from drill.core.terms import Term
from drill.core.words import STOP_WORDS, stem, tokens

# BM25's saturation and length normalisation.
_K1 = 1.2
_B = 0.5
# How much each part of a question says about what it asks.
_FIELD_WEIGHTS = {
    "question": 3.0,
    "variant": 1.0,
    "tags": 3.0,
    "competencies": 1.5,
    "follow_ups": 0.6,
}
# A competency match is weaker evidence than the word itself, and much weaker for a
# practice (scheduling probes planning, but so does every planning question).
_COMPETENCY_WEIGHT = {
    "competency": 0.8,
    "logistics": 0.35,
    "practice": 0.35,
    "industry": 0.35,
    "tool": 0.0,
}
# How much a deck that fits the whole posting lifts its questions.
_DECK_LIFT = 0.8
# Matches fainter than this count for nothing.
_FLOOR = 0.15
_POWER = 2.0
# The fit (0-1) a universal deck is given at least.
_UNIVERSAL_FIT = 0.5
# Below this share of a requirement's term weight, no question serves it: a gap.
GAP_THRESHOLD = 0.45
BEST_PER_REQUIREMENT = 3
# The ranking lists this many questions (the rest score too low to matter).
MAX_RANKED = 150
# Level of the post against the question's `level:`.
# A manager's question is about managing people, so it is far from an individual post; an
# entry-level or experienced question is only a little off the other level.
_LEVEL_FACTOR = {
    ("entry", "manager"): 0.4,
    ("entry", "experienced"): 0.8,
    ("experienced", "manager"): 0.6,
    ("experienced", "entry"): 0.85,
    ("manager", "entry"): 0.7,
    (None, "manager"): 0.6,
    (None, "entry"): 0.9,
}


@dataclass(frozen=True, slots=True)
class Candidate:
    """A question that may be asked: where it lives, and whether its deck is installed
    (a bundled role pack not yet added is a candidate too).
    """

    deck_id: str
    deck_name: str
    question: Question
    installed: bool = True
    # A deck of questions asked in any interview (drill's general decks): it fits every
    # posting fairly well, however few of the posting's words it uses.
    universal: bool = False


@dataclass(frozen=True, slots=True)
class Scored:
    """A question's relevance to the posting, with the reason in words."""

    deck_id: str
    deck_name: str
    question_id: str
    question: str
    score: float
    reason: str
    terms: tuple[str, ...]
    installed: bool

    @property
    def ref(self) -> str:
        return f"{self.deck_id}/{self.question_id}"

    def to_json(self) -> dict[str, object]:
        return {
            "deck": self.deck_id,
            "question_id": self.question_id,
            "question": self.question,
            "score": round(self.score, 3),
            "reason": self.reason,
            "terms": list(self.terms),
            "installed": self.installed,
        }


@dataclass(frozen=True, slots=True)
class RequirementMatch:
    """A requirement line, its terms, the questions that serve it best, and whether it is a
    gap (no question covers at least GAP_THRESHOLD of its terms' weight). A line without any
    term drill recognises is never a gap: there is nothing to match it with.
    """

    requirement: Requirement
    terms: tuple[str, ...]
    best: tuple[Scored, ...]
    coverage: float
    gap: bool

    def to_json(self) -> dict[str, object]:
        return {
            **self.requirement.to_json(),
            "terms": list(self.terms),
            "coverage": round(self.coverage, 3),
            "gap": self.gap,
            "questions": [
                {"deck": s.deck_id, "question_id": s.question_id, "coverage": round(s.score, 3)}
                for s in self.best
            ],
        }


@dataclass(frozen=True, slots=True)
class Ranking:
    terms: tuple[Term, ...]
    questions: tuple[Scored, ...]  # the best MAX_RANKED questions scoring above 0, best first
    requirements: tuple[RequirementMatch, ...]
    level: str | None  # entry, experienced or manager, when the posting says

    @property
    def gaps(self) -> tuple[RequirementMatch, ...]:
        return tuple(match for match in self.requirements if match.gap)


# -- the question index --------------------------------------------------------------------


@dataclass(slots=True)
class _Doc:
    candidate: Candidate
    tf: dict[str, float]  # stem -> weighted count (stop words left out)
    sequence: tuple[str, ...]  # every stem in order, fields apart, for phrases
    length: float
    competencies: dict[str, int]  # competency -> its position in the question's list
    level: str


def _fields(q: Question) -> list[tuple[float, str]]:
    """The parts of a question that say what it asks, with their weights. The long notes
    (why, approach, the short answer) are left out: they discuss everything, and would make
    every question match every posting a little (and indexing them is most of the time).
    Parts of one kind are read as one text: a thousand questions are indexed in
    milliseconds, not tenths of a second.
    """
    return [
        (_FIELD_WEIGHTS["question"], q.question),
        (_FIELD_WEIGHTS["variant"], "\n".join(q.variants)),
        (_FIELD_WEIGHTS["tags"], "\n".join(q.tags)),
        (_FIELD_WEIGHTS["competencies"], " ".join(q.competencies).replace("-", " ")),
        (_FIELD_WEIGHTS["follow_ups"], "\n".join(q.follow_ups)),
    ]


class _ContentStems(dict[str, str]):
    """token -> its stem, or "" for a function word: filled as tokens are met."""

    def __missing__(self, token: str) -> str:
        word_stem = stem(token)
        value = "" if word_stem in _STOP_STEMS else word_stem
        if len(self) < 200_000:
            self[token] = value
        return value


def _doc(candidate: Candidate) -> _Doc:
    # The hot path of indexing: one loop over the stems of each kind of part.
    q = candidate.question
    tf: dict[str, float] = {}
    sequence: list[str] = []
    length = 0.0
    content = _CONTENT.__getitem__
    for weight, text in _fields(q):
        if not text:
            continue
        for word_stem in map(content, tokens(text)):
            if word_stem:
                sequence.append(word_stem)
                tf[word_stem] = tf.get(word_stem, 0.0) + weight
                length += weight
        sequence.append("")  # phrases never run from one kind of part into the next
    return _Doc(
        candidate,
        tf,
        tuple(sequence),
        length,
        {c: i for i, c in enumerate(q.competencies)},
        q.level or "any",
    )


class QuestionIndex:
    """Questions prepared for ranking: weighted stem counts and inverted indexes.

    Built once, it can rank any number of postings (it is never changed by ranking).
    """

    def __init__(self, candidates: Sequence[Candidate]) -> None:
        self.docs = [_doc(c) for c in candidates]
        by_stem: dict[str, list[int]] = defaultdict(list)
        # competency -> (question, how much it probes it: its first competency most)
        by_competency: dict[str, list[tuple[int, float]]] = defaultdict(list)
        for index, doc in enumerate(self.docs):
            for s in doc.tf:
                by_stem[s].append(index)
            for c, position in doc.competencies.items():
                by_competency[c].append((index, max(0.2, 1 - 0.2 * position)))
        self.by_stem: dict[str, list[int]] = dict(by_stem)
        self.by_competency: dict[str, list[tuple[int, float]]] = dict(by_competency)
        n = len(self.docs)
        self.average_length = max(1e-9, (sum(d.length for d in self.docs) / n) if n else 1.0)
        self._top = math.log(1 + (n + 0.5) / 0.5) if n else 1.0
        # BM25's length normalisation of each question, times k1 (the same for every term).
        average = self.average_length
        self._k1_norm = [_K1 * (1 - _B + _B * d.length / average) for d in self.docs]

    def rarity(self, word_stem: str) -> float:
        """How few questions use a stem, 0-1 (BM25's IDF, scaled)."""
        df = len(self.by_stem.get(word_stem, ()))
        n = len(self.docs)
        return math.log(1 + (n - df + 0.5) / (df + 0.5)) / self._top

    def matches(self, term: Term) -> tuple[dict[int, float], dict[int, float]]:
        """How well each question shows the term, 0-1: by words and competencies together,
        and by words alone (`{doc index: value}` for the questions that do).
        """
        lexical: dict[int, float] = {}
        docs, k1_norm, by_stem = self.docs, self._k1_norm, self.by_stem
        for form in term.forms:
            content = tuple(s for s in form if s not in _STOP_STEMS)
            if not content:
                continue
            rarity = 0.4 + 0.6 * sum(self.rarity(s) for s in content) / len(content)
            postings = [by_stem.get(s, ()) for s in content]
            if not all(postings):
                continue
            shortest = min(postings, key=len)
            if len(content) == 1:
                # The common case, kept tight: one word, every question that has it.
                single = content[0]
                for index in shortest:
                    tf = docs[index].tf[single]
                    value = rarity * tf / (tf + k1_norm[index])
                    # Each further keyword found adds (a noisy OR): "used data to make a
                    # decision" shows data-driven decisions better than "data" alone.
                    lexical[index] = 1 - (1 - lexical.get(index, 0.0)) * (1 - value)
                continue
            for index in shortest:
                doc = docs[index]
                tf = min(doc.tf.get(s, 0.0) for s in content)
                if tf <= 0 or not _contains(doc.sequence, content):
                    continue
                value = rarity * tf / (tf + k1_norm[index])
                lexical[index] = 1 - (1 - lexical.get(index, 0.0)) * (1 - value)
        competency: dict[int, float] = {}
        for rank, name in enumerate(term.competencies):
            weight = max(0.0, 1 - 0.25 * rank)
            for index, probes in self.by_competency.get(name, ()):
                value = weight * probes
                if value > competency.get(index, 0.0):
                    competency[index] = value
        weight = _COMPETENCY_WEIGHT.get(term.kind, 0.0)
        if not competency:
            # As below with no competency (1 - (1 - lex) is not always lex in floating point).
            return {index: 1 - (1 - lex) for index, lex in lexical.items()}, lexical
        out = {}
        for index in lexical.keys() | competency.keys():
            lex = lexical.get(index, 0.0)
            comp = weight * competency.get(index, 0.0)
            out[index] = 1 - (1 - lex) * (1 - comp)
        return out, lexical


def _contains(sequence: tuple[str, ...], form: tuple[str, ...]) -> bool:
    first, n = form[0], len(form)
    start = 0
    while True:
        try:
            i = sequence.index(first, start)
        except ValueError:
            return False
        if sequence[i : i + n] == form:
            return True
        start = i + 1


_STOP_STEMS = frozenset(stem(w) for w in STOP_WORDS)
_CONTENT = _ContentStems()


# -- the posting's level -----------------------------------------------------------------------

_ENTRY = re.compile(
    r"\b(graduate|entry[- ]level|junior|intern(ship)?|apprentice|trainee|no experience|"
    r"0-[12] years|1\+ years?|first job)\b",
    re.IGNORECASE,
)
_SENIOR = re.compile(
    r"\b(senior|sr\.?|lead|principal|staff|head of|director|[3-9]\+ years|1[0-9]\+ years)\b",
    re.IGNORECASE,
)


def posting_level(posting: Posting, terms: Sequence[Term]) -> str | None:
    """entry, experienced or manager, when the posting makes it plain; else None."""
    if any(t.text in ("people management", "performance management") for t in terms):
        return "manager"
    text = posting.title + "\n" + "\n".join(r.text for r in posting.requirements)
    if _ENTRY.search(posting.title) or (_ENTRY.search(text) and not _SENIOR.search(text)):
        return "entry"
    if _SENIOR.search(text):
        return "experienced"
    return None


# -- ranking -------------------------------------------------------------------------------------


def rank(
    posting: Posting,
    terms: Sequence[Term],
    candidates: Sequence[Candidate] | QuestionIndex,
) -> Ranking:
    """Every candidate scored against the posting's terms, the best first, and each
    requirement with its best questions (or marked a gap).
    """
    index = candidates if isinstance(candidates, QuestionIndex) else QuestionIndex(candidates)
    docs = index.docs
    level = posting_level(posting, terms)
    # contributions[doc][term index] = weight x strength of the match, squared
    contributions: dict[int, dict[int, float]] = defaultdict(dict)
    # matches[doc][term index] = how well the question shows the term, 0-1 (above the floor)
    matches: dict[int, dict[int, float]] = defaultdict(dict)
    # What the trade's own words (practices, tools, phrases) match: how decks fit the post.
    specific: dict[int, float] = defaultdict(float)
    for t_index, term in enumerate(terms):
        combined, lexical = index.matches(term)
        for d_index, match in combined.items():
            if match > _FLOOR:
                # Faint matches are left out, and strong ones count most: a question touching
                # many terms faintly is not about any of them.
                strength = (match - _FLOOR) / (1 - _FLOOR)
                contributions[d_index][t_index] = term.score * strength**_POWER
                matches[d_index][t_index] = match
        if term.kind != "competency":
            for d_index, match in lexical.items():
                specific[d_index] += term.score * match
    raw = {d: sum(parts.values()) for d, parts in contributions.items()}
    lift = _deck_lift(docs, specific)
    for doc in docs:
        if doc.candidate.universal:
            lift[doc.candidate.deck_id] = max(lift.get(doc.candidate.deck_id, 0.0), _UNIVERSAL_FIT)
    factor = {
        d: (1 + _DECK_LIFT * lift.get(docs[d].candidate.deck_id, 0.0))
        * _LEVEL_FACTOR.get((level, docs[d].level), 1.0)
        for d in raw
    }
    by_line = _terms_by_line(terms)
    final = {d: raw[d] * factor[d] for d in raw if raw[d] > 0}
    order = sorted(final, key=lambda d: (-final[d], docs[d].candidate.deck_id, d))

    # Reasons are worded only for the questions that are shown: the best MAX_RANKED, and
    # the best of each requirement.
    scored: dict[int, Scored] = {}

    def scored_for(d: int) -> Scored:
        if d not in scored:
            scored[d] = _scored(
                docs[d].candidate, final[d], contributions[d], terms, posting, by_line
            )
        return scored[d]

    shown = [scored_for(d) for d in order[:MAX_RANKED]]
    by_term: dict[int, dict[int, float]] = defaultdict(dict)
    for d, parts in matches.items():
        for t, value in parts.items():
            by_term[t][d] = value
    requirements = tuple(
        _requirement_match(line, requirement, terms, by_line, by_term, final, factor, scored_for)
        for line, requirement in enumerate(posting.requirements)
    )
    return Ranking(tuple(terms), tuple(shown), requirements, level)


def _deck_lift(docs: Sequence[_Doc], raw: dict[int, float]) -> dict[str, float]:
    """Each deck's fit to the whole posting, 0-1: the mean of its five best questions'
    scores against the best deck's. The sales pack fits a sales posting; it lifts its own.
    """
    per_deck: dict[str, list[float]] = defaultdict(list)
    for d, value in raw.items():
        per_deck[docs[d].candidate.deck_id].append(value)
    fit = {}
    for deck, values in per_deck.items():
        best = sorted(values, reverse=True)[:5]
        fit[deck] = sum(best) / 5
    top = max(fit.values(), default=0.0)
    if top <= 0:
        return {}
    return {deck: (value / top) ** 2 for deck, value in fit.items()}


def _terms_by_line(terms: Sequence[Term]) -> dict[int, list[int]]:
    out: dict[int, list[int]] = defaultdict(list)
    for t_index, term in enumerate(terms):
        for line in dict.fromkeys(term.lines):
            out[line].append(t_index)
    return out


def _short(text: str, limit: int = 70) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:")
    return cut + "…"


def _scored(
    candidate: Candidate,
    score: float,
    parts: dict[int, float],
    terms: Sequence[Term],
    posting: Posting,
    by_line: dict[int, list[int]],
) -> Scored:
    """The question's score with a reason: the requirement it serves most and the terms
    that carry it ("serves “Own renewals…” (renewals, expansion and upsell)").
    """
    named = sorted(
        (t for t, value in parts.items() if value >= 0.15 * terms[t].score),
        key=lambda t: -parts[t],
    )[:3]
    names = tuple(terms[t].text for t in named)
    # The requirement that holds the question's strongest term (and most of the rest).
    best_line, best_value = None, 0.0
    top_term = max(parts, key=lambda t: parts[t]) if parts else None
    for line, members in by_line.items():
        if top_term not in members:
            continue
        value = sum(parts.get(t, 0.0) for t in members)
        if value > best_value:
            best_line, best_value = line, value
    if best_line is not None and best_value > 0:
        requirement = posting.requirements[best_line].text
        line_terms = [n for n in names if n in {terms[t].text for t in by_line[best_line]}]
        shown = line_terms or list(names)
        reason = f"serves “{_short(requirement)}”" + (f" ({', '.join(shown)})" if shown else "")
    else:
        reason = f"matches {', '.join(names)}" if names else "matches the posting"
    q = candidate.question
    return Scored(
        candidate.deck_id,
        candidate.deck_name,
        q.id,
        q.question,
        score,
        reason,
        names,
        candidate.installed,
    )


def _requirement_match(
    line: int,
    requirement: Requirement,
    terms: Sequence[Term],
    by_line: dict[int, list[int]],
    by_term: dict[int, dict[int, float]],
    final: dict[int, float],
    factor: dict[int, float],
    scored_for: Callable[[int], Scored],
) -> RequirementMatch:
    """How well the best questions cover a line: half how well they show its weightiest
    term, half the share of all its terms' weight they show. "Write SQL against Snowflake"
    is served well by a SQL question, better by one that also names Snowflake.
    """
    members = by_line.get(line, [])
    names = tuple(terms[t].text for t in members)
    # The trade a line mentions ("depot managers") is its setting, not what it asks for,
    # unless it is all the line is about ("3+ years in logistics").
    members = [t for t in members if terms[t].kind != "industry"] or members
    total = sum(terms[t].score for t in members)
    if not members or total <= 0:
        # No term drill recognises ("You will join the Payments team"): nothing to match,
        # and nothing to rehearse either, so not a gap.
        return RequirementMatch(requirement, names, (), 0.0, False)
    heaviest = max(terms[t].score for t in members)
    best_term: dict[int, float] = {}
    share: dict[int, float] = {}
    for t in members:
        weight = terms[t].score
        relative = weight / heaviest
        for d, match in by_term.get(t, {}).items():
            value = relative * match
            current = best_term.get(d)
            if current is None or value > current:
                best_term[d] = value
            share[d] = share.get(d, 0.0) + weight * match / total
    coverage = {d: 0.5 * best_term[d] + 0.5 * share[d] for d in best_term if d in final}
    # The best by coverage, with the deck and level priors breaking near-ties.
    order = heapq.nsmallest(
        BEST_PER_REQUIREMENT, coverage, key=lambda d: (-coverage[d] * factor[d], d)
    )
    best = tuple(_with_score(scored_for(d), coverage[d]) for d in order)
    top = max(coverage.values(), default=0.0)
    return RequirementMatch(requirement, names, best, top, top < GAP_THRESHOLD)


def _with_score(scored: Scored, value: float) -> Scored:
    return Scored(
        scored.deck_id,
        scored.deck_name,
        scored.question_id,
        scored.question,
        value,
        scored.reason,
        scored.terms,
        scored.installed,
    )
