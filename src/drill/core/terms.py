"""A posting's key terms, found three honest ways, and whether a text uses them.

1. **The vocabulary** (core/job_vocabulary.py): curated concepts ("stakeholder management",
   "renewals", "on-call") found by the phrases postings use for them.
2. **Named tools** ("SQL", "Snowflake", "Salesforce") from a curated list.
3. **Phrases** the posting stresses: runs of content words between stop words and
   punctuation (as RAKE finds candidates), each word weighed by TF-IDF against a background
   of ordinary posting language (io/data/posting_background.txt), so "depot throughput"
   stands out and "strong team player" does not.

Each term has a score (how much the posting stresses it), the requirement lines it appears
in, and the stems that show it in a question or an answer.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache

from drill.core.job_vocabulary import CASE_SENSITIVE_TOOLS, CONCEPTS, TOOLS, Concept
from drill.core.posting import IGNORED_KINDS, REQUIREMENT_KINDS, Posting, SectionKind
from drill.core.words import COMMON_WORDS, STOP_WORDS, phrase_runs, stems

# How much a mention counts by where it is: the title names the job, requirement lines say
# what it asks, and the company's story only hints at the trade.
_WHERE = {"title": 2.0, "requirement": 1.0, "context": 0.3}
# At most this many terms are kept; the weakest add only noise. Fewer are shown.
MAX_TERMS = 40
MAX_PHRASES = 10
# A phrase word must be at least this distinctive (its IDF over the highest possible IDF).
_MIN_PHRASE_SPECIFICITY = 0.72
# A phrase said only once must be rarer still: every word of it unknown to ordinary postings.
_ONCE_SPECIFICITY = 0.9
# Fewer practices and tools than this from the vocabulary: the posting is in a trade it
# barely knows, so rarer phrases said once count too.
_FEW_KNOWN = 6


@dataclass(frozen=True, slots=True)
class Background:
    """Document frequencies of stems over ordinary postings: how common each word is."""

    documents: int
    frequency: Mapping[str, int]

    @classmethod
    def from_documents(cls, documents: Iterable[str]) -> Background:
        counts: Counter[str] = Counter()
        total = 0
        for document in documents:
            total += 1
            counts.update(set(stems(document)))
        return cls(total, dict(counts))

    def specificity(self, word_stem: str) -> float:
        """IDF of a stem scaled to 0-1: 1 for a word no ordinary posting uses."""
        n = self.documents
        if n == 0:
            return 1.0
        df = self.frequency.get(word_stem, 0)
        return math.log((n + 1) / (df + 0.5)) / math.log((n + 1) / 0.5)


@dataclass(frozen=True, slots=True)
class Term:
    """A key term of a posting.

    `forms` are the stem sequences that show the term in a question (a concept's keywords,
    a tool's name); `mentions` those that show it in an answer (also the posting's own
    phrasings). `lines` are the indexes of the requirements it appears in.
    """

    text: str
    kind: str  # competency, practice, tool, logistics or phrase
    score: float
    count: int
    forms: tuple[tuple[str, ...], ...]
    competencies: tuple[str, ...] = ()
    lines: tuple[int, ...] = ()
    mentions: tuple[tuple[str, ...], ...] = field(default=(), compare=False)

    def to_json(self) -> dict[str, object]:
        return {
            "term": self.text,
            "kind": self.kind,
            "score": round(self.score, 3),
            "count": self.count,
            "competencies": list(self.competencies),
        }


@dataclass(frozen=True, slots=True)
class _Unit:
    """A piece of the posting's text: a requirement line, the title or context."""

    text: str
    where: str
    line: int | None  # the requirement's index
    stems: tuple[str, ...]


def _units(posting: Posting) -> list[_Unit]:
    units = []
    if posting.title:
        units.append(_Unit(posting.title, "title", None, tuple(stems(posting.title))))
    for index, requirement in enumerate(posting.requirements):
        units.append(_Unit(requirement.text, "requirement", index, tuple(stems(requirement.text))))
    required = {r.text for r in posting.requirements}
    for section in posting.sections:
        if section.kind in IGNORED_KINDS:
            continue
        for line in section.lines:
            text = line.removeprefix("• ")
            if section.kind in REQUIREMENT_KINDS and text in required:
                continue
            if section.kind is SectionKind.OTHER and text == posting.title:
                continue
            units.append(_Unit(text, "context", None, tuple(stems(text))))
    return units


def _find(sequence: tuple[str, ...], haystack: tuple[str, ...]) -> int:
    """How many times a stem sequence occurs in a stem list."""
    n = len(sequence)
    if n == 0 or n > len(haystack):
        return 0
    first = sequence[0]
    count = 0
    for i, value in enumerate(haystack):
        if value == first and haystack[i : i + n] == sequence:
            count += 1
    return count


def _importance(weighted: float) -> float:
    """A mention's weight into a score: once in a requirement is 1; repeats add less."""
    if weighted <= 0:
        return 0.0
    return min(1.0, weighted) * (1.0 + 0.5 * math.log(max(1.0, weighted)))


@cache
def _concept_forms(
    concept: Concept,
) -> tuple[tuple[tuple[str, ...], ...], tuple[tuple[str, ...], ...]]:
    return concept.pattern_stems, concept.keyword_stems


def extract_terms(posting: Posting, background: Background, company: str = "") -> list[Term]:
    """The posting's key terms, most stressed first (at most MAX_TERMS). The company's name
    is never a term.
    """
    units = _units(posting)
    found: list[Term] = []
    covered: set[str] = set()  # stems already inside a concept or a tool
    per_concept: dict[int, list[tuple[_Unit, int]]] = {}
    for unit in units:
        for c_index, hits in _concept_hits(unit.stems).items():
            per_concept.setdefault(c_index, []).append((unit, hits))
    for c_index, found_in in sorted(per_concept.items()):
        concept = CONCEPTS[c_index]
        weighted = sum(_WHERE[unit.where] * min(hits, 2) for unit, hits in found_in)
        lines = [unit.line for unit, _ in found_in if unit.line is not None]
        if not lines and weighted < _WHERE["title"]:
            continue  # only in the company's story: the trade, not the job
        patterns, keywords = _concept_forms(concept)
        for unit, _ in found_in:
            for pattern in patterns:
                if _find(pattern, unit.stems):
                    covered.update(pattern)
        found.append(
            Term(
                concept.label,
                concept.kind,
                concept.weight * _importance(weighted),
                sum(hits for _, hits in found_in),
                keywords,
                concept.competencies,
                tuple(lines),
                tuple(dict.fromkeys([*keywords, *patterns])),
            )
        )
    for tool, form in _tool_forms():
        weighted, count, lines = 0.0, 0, []
        for unit in units:
            hits = _tool_hits(tool, form, unit)
            if hits:
                count += hits
                weighted += _WHERE[unit.where] * min(hits, 2)
                if unit.line is not None:
                    lines.append(unit.line)
        if lines or weighted >= _WHERE["title"]:
            covered.update(form)
            found.append(
                Term(tool, "tool", 1.1 * _importance(weighted), count, (form,), (), tuple(lines))
            )
    company_stems = set(stems(company or posting.company))
    # Phrases said only once are the fallback for postings the vocabulary barely knows.
    known = sum(1 for t in found if t.kind in ("practice", "tool"))
    found.extend(_phrases(units, background, covered, company_stems, once=known < _FEW_KNOWN))
    found = _drop_nested_tools(found)
    found.sort(key=lambda t: (-t.score, t.text))
    return found[:MAX_TERMS]


@cache
def _pattern_index() -> dict[str, tuple[tuple[int, tuple[str, ...]], ...]]:
    """First stem -> (concept index, pattern stems) of every concept pattern."""
    index: dict[str, list[tuple[int, tuple[str, ...]]]] = {}
    for c_index, concept in enumerate(CONCEPTS):
        for pattern in concept.pattern_stems:
            if pattern:
                index.setdefault(pattern[0], []).append((c_index, pattern))
    return {first: tuple(entries) for first, entries in index.items()}


def _concept_hits(unit_stems: tuple[str, ...]) -> dict[int, int]:
    """{concept index: mentions} in a unit. The longest phrase wins: in "root cause
    analysis" the concept *root cause analysis* is found, not *analysis* as well.
    """
    index = _pattern_index()
    spans: list[tuple[int, int, int]] = []
    for start, word_stem in enumerate(unit_stems):
        for c_index, pattern in index.get(word_stem, ()):
            end = start + len(pattern)
            if unit_stems[start:end] == pattern:
                spans.append((c_index, start, end))
    hits: dict[int, set[int]] = {}
    for c_index, start, end in spans:
        inside_longer = any(
            other != c_index and o_start <= start and end <= o_end and o_end - o_start > end - start
            for other, o_start, o_end in spans
        )
        if not inside_longer:
            hits.setdefault(c_index, set()).add(start)
    return {c_index: len(starts) for c_index, starts in hits.items()}


@cache
def _tool_forms() -> tuple[tuple[str, tuple[str, ...]], ...]:
    return tuple((tool, tuple(stems(tool))) for tool in TOOLS)


def _tool_hits(tool: str, form: tuple[str, ...], unit: _Unit) -> int:
    if tool in CASE_SENSITIVE_TOOLS:
        # "Go" the language, never "go" the verb; "R" only as a word of its own.
        return len(re.findall(rf"(?<![\w.]){re.escape(tool)}(?![\w+#])", unit.text))
    return _find(form, unit.stems)


def _drop_nested_tools(terms: list[Term]) -> list[Term]:
    """ "B2B SaaS" found: "SaaS" and "B2B" alone add nothing."""
    tools = [t for t in terms if t.kind == "tool"]
    out = []
    for term in terms:
        if term.kind == "tool" and any(
            other is not term
            and len(other.forms[0]) > len(term.forms[0])
            and _find(term.forms[0], other.forms[0])
            for other in tools
        ):
            continue
        out.append(term)
    return out


# Words that end no phrase worth showing ("strong", "ability").
_BLAND = frozenset(stems("ability able strong excellent good great new various ideally plus"))


@dataclass(slots=True)
class _Candidate:
    words: tuple[str, ...]
    weighted: float = 0.0
    count: int = 0
    lines: list[int] = field(default_factory=list)


def _phrases(
    units: Sequence[_Unit],
    background: Background,
    covered: set[str],
    company: set[str],
    *,
    once: bool,
) -> list[Term]:
    """Distinctive phrases: candidate runs scored by their words' TF-IDF. Phrases said only
    once count when `once` is set; the company's name is never one.
    """
    candidates: dict[tuple[str, ...], _Candidate] = {}
    for unit in units:
        if unit.where != "requirement":
            continue  # the title's words are the role's name; the context only hints
        for run in phrase_runs(unit.text):
            for size in (1, 2, 3):
                for start in range(len(run.stems) - size + 1):
                    key = run.stems[start : start + size]
                    entry = candidates.get(key)
                    if entry is None:
                        entry = candidates[key] = _Candidate(run.words[start : start + size])
                    entry.weighted += _WHERE[unit.where]
                    entry.count += 1
                    if unit.line is not None:
                        entry.lines.append(unit.line)
    scored = []
    for key, entry in candidates.items():
        words = entry.words
        if all(s in covered for s in key) or any(s in company for s in key):
            continue
        if any(w in STOP_WORDS or w[0].isdigit() or len(w) < 4 for w in words):
            continue
        if key[-1] in _BLAND or all(w in COMMON_WORDS for w in words):
            continue
        specificity = min(background.specificity(s) for s in key)
        if specificity < _MIN_PHRASE_SPECIFICITY:
            continue
        said_once = entry.count < 2
        if said_once and (not once or len(key) == 1 or specificity < _ONCE_SPECIFICITY):
            continue  # a common enough word said once is not what the posting stresses
        score = 0.8 * specificity * _importance(entry.weighted) * (1.0 + 0.25 * (len(key) - 1))
        if said_once:
            score *= 0.6
        scored.append((score, key, entry))
    scored.sort(key=lambda item: (-item[0], item[1]))
    out: list[Term] = []
    taken: list[tuple[str, ...]] = []
    for score, key, entry in scored:
        if any(_find(key, t) or _find(t, key) for t in taken):
            continue  # "billing" after "legacy billing system"
        taken.append(key)
        lines = tuple(dict.fromkeys(entry.lines))
        out.append(Term(" ".join(entry.words), "phrase", score, entry.count, (key,), (), lines))
        if len(out) >= MAX_PHRASES:
            break
    return out


# -- whether a text uses a posting's terms ------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TermUse:
    """Which of the given terms a text uses, and which it misses (in the order given)."""

    used: tuple[str, ...]
    missing: tuple[str, ...]

    def to_json(self) -> dict[str, list[str]]:
        return {"used": list(self.used), "missing": list(self.missing)}


def text_uses(term: Term, text_stems: Sequence[str], text: str = "") -> bool:
    """Whether a text (given as its stems, and its raw text for case-sensitive tools) uses a
    term: any of the term's forms appears in it.
    """
    if term.kind == "tool" and term.text in CASE_SENSITIVE_TOOLS:
        return bool(re.search(rf"(?<![\w.]){re.escape(term.text)}(?![\w+#])", text))
    haystack = tuple(text_stems)
    return any(_find(form, haystack) for form in term.mentions or term.forms)


def term_use(terms: Sequence[Term], text: str) -> TermUse:
    """Which terms `text` uses and which it misses."""
    text_stems = stems(text)
    used: list[str] = []
    missing: list[str] = []
    for term in terms:
        (used if text_uses(term, text_stems, text) else missing).append(term.text)
    return TermUse(tuple(used), tuple(missing))
