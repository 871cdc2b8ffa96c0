"""`analyse`: every insight on one answer to one question, as an `Insights`."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from drill.core.coach import cues, dos, fillers, specifics, star
from drill.core.coach.rubric import Rubric, SelfCheck, Suggestion, score, suggest
from drill.core.coach.specifics import Specifics
from drill.core.coach.star import Star
from drill.core.coach.text import Answer, Sentence, normal_words
from drill.core.model import Question, Rating
from drill.core.vocabulary import SPEAKING_WPM

# Cue phrases of a don't must hold at least this many words that carry meaning: a one-word
# cue ("lazy") says too little to accuse anyone of it, and a don't often quotes a term it
# is about rather than words to avoid: 'blame "the data"', 'it's "just one customer"'.
MIN_DONT_CUE_WORDS = 2


@dataclass(frozen=True, slots=True)
class Occurrences:
    """One kind of filler or hedge: how often, and where (offsets and the words around)."""

    text: str
    spans: tuple[tuple[int, int], ...]
    contexts: tuple[str, ...]

    @property
    def count(self) -> int:
        return len(self.spans)

    def to_json(self) -> dict[str, object]:
        return {
            "text": self.text,
            "count": self.count,
            "where": [
                {"at": start, "context": context}
                for (start, _), context in zip(self.spans, self.contexts, strict=True)
            ],
        }


@dataclass(frozen=True, slots=True)
class FlagHit:
    """A red flag or don't the answer appears to show: the deck's words, the cue phrase that
    matched, and the answer's own words.
    """

    text: str
    evidence: str
    cue: str = ""
    index: int | None = None  # in the question's list; None for a general flag
    key: str = ""  # a general flag's key ("blame", "badmouth")
    start: int = 0
    end: int = 0

    def to_json(self) -> dict[str, object]:
        return {"text": self.text, "evidence": self.evidence, "cue": self.cue}


@dataclass(frozen=True, slots=True)
class JobTerms:
    """A job posting's terms the answer uses and misses (computed by the caller)."""

    used: tuple[str, ...]
    missing: tuple[str, ...]

    def to_json(self) -> dict[str, object]:
        return {"used": list(self.used), "missing": list(self.missing)}


@dataclass(frozen=True, slots=True)
class Insights:
    text: str  # the cleaned answer every offset refers to
    words: int
    speaking_seconds: int
    target_seconds: tuple[int, int]
    length: str  # "short", "ok" or "long"
    fillers: tuple[Occurrences, ...]
    hedges: tuple[Occurrences, ...]
    star: Star
    pronouns: tuple[int, int]  # (i, we)
    specifics: Specifics
    dos: tuple[dos.DoCheck, ...]
    donts: tuple[FlagHit, ...]
    red_flags: tuple[FlagHit, ...]
    key_phrases: tuple[tuple[str, str], ...]  # (phrase, the sentence that says it)
    job_terms: JobTerms | None
    question_red_flags: tuple[str, ...] = field(default=())  # labels, for the self-check
    question_donts: tuple[str, ...] = field(default=())

    @property
    def filler_count(self) -> int:
        return sum(o.count for o in self.fillers)

    @property
    def hedge_count(self) -> int:
        return sum(o.count for o in self.hedges)

    @property
    def filler_rate(self) -> float:
        """Fillers, plus half of each hedge, per 100 words."""
        if not self.words:
            return 0.0
        return 100 * (self.filler_count + self.hedge_count / 2) / self.words

    @property
    def no_personal_action(self) -> bool:
        """The answer never says what *you* did."""
        return not self.star.personal_action.found

    @property
    def rubric(self) -> Rubric:
        return score(self)

    def rubric_with(self, ticks: SelfCheck | None) -> Rubric:
        return score(self, ticks)

    def suggestion(
        self, ticks: SelfCheck | None = None, *, in_time: bool | None = None
    ) -> Suggestion:
        return suggest(self, ticks, in_time=in_time)

    @property
    def suggested_rating(self) -> Rating:
        return self.suggestion().rating

    def auto_ticks(self) -> SelfCheck:
        """What the text shows, as self-check ticks (pre-ticked in the TUI)."""
        return SelfCheck(
            dos=frozenset(i for i, check in enumerate(self.dos) if check.covered),
            donts=frozenset(hit.index for hit in self.donts if hit.index is not None),
            red_flags=frozenset(hit.index for hit in self.red_flags if hit.index is not None),
            general=frozenset(hit.key for hit in self.red_flags if hit.index is None),
        )

    def to_json(
        self, ticks: SelfCheck | None = None, *, in_time: bool | None = None
    ) -> dict[str, object]:
        star_json: dict[str, object] = {"applies": self.star.applies}
        for name in ("situation", "task", "action", "result", "learning"):
            part = self.star.part(name)
            star_json[name] = {"found": part.found, "evidence": part.evidence}
        star_json["action_share"] = self.star.action_share
        star_json["result_measured"] = self.star.result_measured
        suggestion = self.suggestion(ticks, in_time=in_time)
        return {
            "words": self.words,
            "speaking_seconds": self.speaking_seconds,
            "words_per_minute": SPEAKING_WPM,
            "target_seconds": list(self.target_seconds),
            "length": self.length,
            "fillers": [o.to_json() for o in self.fillers],
            "filler_count": self.filler_count,
            "hedges": [o.to_json() for o in self.hedges],
            "hedge_count": self.hedge_count,
            "star": star_json,
            "pronouns": {"i": self.pronouns[0], "we": self.pronouns[1]},
            "personal_action": not self.no_personal_action,
            "numbers": list(self.specifics.numbers),
            "specifics": {
                "names": list(self.specifics.names),
                "time_frames": list(self.specifics.time_frames),
                "vague": self.specifics.vague,
            },
            "dos": [
                {
                    "text": check.text,
                    "covered": check.covered,
                    "evidence": check.evidence,
                    "judgeable": check.judgeable,
                }
                for check in self.dos
            ],
            "donts": [hit.to_json() for hit in self.donts],
            "red_flags": [hit.to_json() for hit in self.red_flags],
            "key_phrases": [{"text": p, "evidence": e} for p, e in self.key_phrases],
            "job_terms": self.job_terms.to_json() if self.job_terms is not None else None,
            "rubric": self.rubric_with(ticks).to_json(),
            "suggested_rating": suggestion.rating.label.lower(),
            "reasons": list(suggestion.reasons),
        }


def length_verdict(seconds: float, target: tuple[int, int]) -> str:
    low, high = target
    return "short" if seconds < low else "long" if seconds > high else "ok"


def _occurrences(
    answer: Answer, hits: list[fillers.Hit], kinds: tuple[str, ...]
) -> tuple[Occurrences, ...]:
    by_kind: dict[str, list[fillers.Hit]] = {}
    for hit in hits:
        by_kind.setdefault(hit.kind, []).append(hit)
    order = Counter({kind: len(found) for kind, found in by_kind.items()})
    out = []
    for kind, _ in sorted(order.items(), key=lambda item: (-item[1], kinds.index(item[0]))):
        found = by_kind[kind]
        out.append(
            Occurrences(
                kind,
                tuple((h.start, h.end) for h in found),
                tuple(answer.context(h.start, h.end) for h in found),
            )
        )
    return tuple(out)


@lru_cache(maxsize=512)
def _phrase_words(phrase: str) -> frozenset[str]:
    words = normal_words(phrase.replace("...", " "))
    return frozenset(w for w in words if len(w) > 2) - cues.SOFTENERS


def _key_phrases(answer: Answer, phrases: list[str]) -> list[tuple[str, Sentence]]:
    """Key phrases the answer says: most of the phrase's words (ignoring "..." gaps) in one
    sentence, in any order.
    """
    out = []
    for phrase in phrases:
        words = _phrase_words(phrase)
        if len(words) < 3:
            continue
        for sentence, forms in zip(answer.sentences, answer.sentence_forms, strict=True):
            if len(words & forms) >= 0.7 * len(words):
                out.append((phrase.strip().strip('"'), sentence))
                break
    return out


def analyse(question: Question, text: str, *, job_terms: JobTerms | None = None) -> Insights:
    """Every insight on `text` as an answer to `question`."""
    answer = Answer(text)
    words = answer.word_count
    seconds = round(words * 60 / SPEAKING_WPM)
    target = question.target_seconds
    filler_hits, hedge_hits = fillers.find(answer)
    structure = star.analyse(answer, question)
    found = specifics.find(answer)
    stream = cues.Stream(answer)

    red_flags: list[FlagHit] = []
    labels: list[str] = []
    for index, item in enumerate(question.red_flags):
        label, match = cues.find_item(stream, item)
        labels.append(label)
        if match is not None:
            red_flags.append(
                FlagHit(label, match.evidence, match.cue, index, "", match.start, match.end)
            )
    only = None if not question.red_flags else cues.ALWAYS
    # Words the deck's own flag already shows are said once, in the deck's words.
    flagged = tuple((hit.start, hit.end) for hit in red_flags)
    for key, label, match in cues.find_general(stream, only=only, skip=flagged):
        red_flags.append(
            FlagHit(label, match.evidence, match.cue, None, key, match.start, match.end)
        )
    donts: list[FlagHit] = []
    for index, item in enumerate(question.donts):
        label, match = cues.find_item(
            stream, item, min_words=MIN_DONT_CUE_WORDS, min_content=MIN_DONT_CUE_WORDS
        )
        if match is not None:
            donts.append(
                FlagHit(label, match.evidence, match.cue, index, "", match.start, match.end)
            )

    phrases = _key_phrases(answer, question.key_phrases)
    length = length_verdict(words * 60 / SPEAKING_WPM, target)
    checks = tuple(
        dos.check(answer, item, structure, length == "ok", [s for _, s in phrases], stream)
        for item in question.dos
    )
    return Insights(
        text=answer.text,
        words=words,
        speaking_seconds=seconds,
        target_seconds=target,
        length=length,
        fillers=_occurrences(answer, filler_hits, fillers.FILLERS),
        hedges=_occurrences(answer, hedge_hits, fillers.HEDGES),
        star=structure,
        pronouns=specifics.pronouns(answer),
        specifics=found,
        dos=checks,
        donts=tuple(donts),
        red_flags=tuple(red_flags),
        key_phrases=tuple((p, s.text) for p, s in phrases),
        job_terms=job_terms,
        question_red_flags=tuple(labels),
        question_donts=tuple(cues.split_item(d)[0] for d in question.donts),
    )
