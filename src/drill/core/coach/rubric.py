"""The rubric (0-2 points a row) and the rating it suggests, with the self-check's ticks.

- answers the question: 2 half the dos or more, 1 some, 0 none (once ticked or found);
- structure: 2 all four STAR parts, 1 two or three, 0 fewer;
- specifics: 2 two kinds of numbers, names and time frames, 1 one kind, 0 none;
- result and learning: 2 a result with a measure or a lesson, 1 a result or a lesson;
- fit to the role: 2 half the posting's terms used, 1 a fifth, 0 fewer;
- judgment: 2 no red flag and no don't, 1 a don't, 0 a red flag;
- delivery: 2 length on target and at most 2 fillers per 100 words, 1 one of the two off,
  0 both off, or far off target (under half, over 1.5 times), or over 6 per 100.

A row that can't be scored is left out of the total (`points` is None): structure and
result on questions that are not behavioral, fit without a job posting, and "answers the
question" until a do is found in the text or ticked.

The suggested rating (docs/answer-coach.md shows it as a table):

1. A red flag found in the answer, or ticked, suggests Again.
2. The rubric's share of its points gives a ceiling: under 40% Again, under 60% Hard,
   under 85% Good, else Easy.
3. With ticks (the self-check), the self-check rule of `study.mock.suggest_rating` applies
   on top, counting only the dos that can be judged from an answer; without ticks the
   suggestion stops at Good: Easy is for the user to claim.
4. A don't found, or an answer under half its target length, keeps it at Hard or below.

The user always confirms: the suggestion is marked on the rating bar and nothing more.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from drill.core.coach.dos import DoCheck
from drill.core.coach.specifics import Specifics
from drill.core.coach.star import Star
from drill.core.model import Rating


class _Hit(Protocol):
    @property
    def text(self) -> str: ...

    @property
    def index(self) -> int | None: ...

    @property
    def key(self) -> str: ...


class _Terms(Protocol):
    @property
    def used(self) -> Sequence[str]: ...

    @property
    def missing(self) -> Sequence[str]: ...


class Insights(Protocol):
    """What the rubric reads of an answer's insights (core.coach.insights.Insights)."""

    @property
    def dos(self) -> Sequence[DoCheck]: ...

    @property
    def donts(self) -> Sequence[_Hit]: ...

    @property
    def red_flags(self) -> Sequence[_Hit]: ...

    @property
    def question_red_flags(self) -> Sequence[str]: ...

    @property
    def question_donts(self) -> Sequence[str]: ...

    @property
    def star(self) -> Star: ...

    @property
    def specifics(self) -> Specifics: ...

    @property
    def job_terms(self) -> _Terms | None: ...

    @property
    def filler_rate(self) -> float: ...

    @property
    def length(self) -> str: ...

    @property
    def speaking_seconds(self) -> int: ...

    @property
    def target_seconds(self) -> tuple[int, int]: ...


ROWS = (
    ("answers", "Answers the question"),
    ("structure", "Structure"),
    ("specifics", "Specifics"),
    ("result", "Result and learning"),
    ("fit", "Fit to the role"),
    ("judgment", "Judgment"),
    ("delivery", "Delivery"),
)
LABELS = dict(ROWS)

# Filler rate (fillers, plus half of each hedge, per 100 words) for each delivery band.
FILLER_RATE_OK = 2.0
FILLER_RATE_BAD = 6.0


@dataclass(frozen=True, slots=True)
class SelfCheck:
    """What the user ticked: indices into the question's dos, don'ts and red flags, and the
    keys of the general flags found in the answer ("badmouth") the user left ticked.
    """

    dos: frozenset[int] = frozenset()
    donts: frozenset[int] = frozenset()
    red_flags: frozenset[int] = frozenset()
    general: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Row:
    key: str
    points: int | None
    source: str  # "text", "self-check" or "job"
    reason: str

    @property
    def label(self) -> str:
        return LABELS[self.key]

    def to_json(self) -> dict[str, object]:
        return {
            "row": self.key,
            "label": self.label,
            "points": self.points,
            "source": self.source,
            "reason": self.reason,
        }


@dataclass(frozen=True, slots=True)
class Rubric:
    rows: tuple[Row, ...]

    @property
    def total(self) -> int:
        return sum(row.points for row in self.rows if row.points is not None)

    @property
    def out_of(self) -> int:
        return 2 * sum(1 for row in self.rows if row.points is not None)

    @property
    def share(self) -> float:
        return self.total / self.out_of if self.out_of else 0.0

    def row(self, key: str) -> Row:
        return next(row for row in self.rows if row.key == key)

    def to_json(self) -> dict[str, object]:
        return {
            "rows": [row.to_json() for row in self.rows],
            "total": self.total,
            "out_of": self.out_of,
        }


@dataclass(frozen=True, slots=True)
class Suggestion:
    rating: Rating
    reasons: tuple[str, ...]


def self_check_rating(
    dos_ticked: int,
    dos_total: int,
    donts_ticked: int,
    donts_total: int,
    *,
    in_time: bool | None = None,
) -> Rating | None:
    """The rating a self-check points to; None when there is nothing to check.

    - Again: a don't was ticked and fewer than half the dos were.
    - Hard: a don't was ticked, or fewer than half the dos were.
    - Good: at least half the dos and no don'ts.
    - Easy: every do (at least one), no don'ts, and within the time limit. `in_time` is None
      when the answer was not timed (normal review): then the suggestion stops at Good.

    `dos_total` counts only the dos that can be judged from an answer (see `dos.judgeable`).
    """
    if dos_total == 0 and donts_total == 0:
        return None
    few_dos = 2 * dos_ticked < dos_total
    any_dont = donts_ticked > 0
    if any_dont and few_dos:
        return Rating.AGAIN
    if any_dont or few_dos:
        return Rating.HARD
    # A question with only don'ts has no dos to do "all of": avoiding them is Good.
    if dos_total and dos_ticked >= dos_total and in_time:
        return Rating.EASY
    return Rating.GOOD


def score(insights: Insights, ticks: SelfCheck | None = None) -> Rubric:
    """The rubric for an answer; `ticks` are the self-check's (None: from the text alone)."""
    rows = [
        _answers(insights, ticks),
        _structure(insights),
        _specifics(insights),
        _result(insights),
        _fit(insights),
        _judgment(insights, ticks),
        _delivery(insights),
    ]
    return Rubric(tuple(rows))


def _answers(insights: Insights, ticks: SelfCheck | None) -> Row:
    judged = [i for i, check in enumerate(insights.dos) if check.judgeable]
    if not judged:
        return Row("answers", None, "self-check", "no dos that can be heard in an answer")
    if ticks is not None:
        covered = len(ticks.dos & set(judged))
        source = "self-check"
    else:
        covered = sum(1 for i in judged if insights.dos[i].covered)
        source = "text"
        if not covered:
            return Row("answers", None, source, "no do found in the text: tick them yourself")
    points = 2 if 2 * covered >= len(judged) else 1 if covered else 0
    return Row("answers", points, source, f"{covered} of {len(judged)} dos")


def _structure(insights: Insights) -> Row:
    star = insights.star
    if not star.applies:
        return Row("structure", None, "text", "STAR is scored on behavioral questions")
    found = star.found
    points = 2 if len(found) == 4 else 1 if len(found) >= 2 else 0
    missing = [p for p in ("situation", "task", "action", "result") if p not in found]
    reason = "all four STAR parts" if not missing else "missing " + ", ".join(missing)
    return Row("structure", points, "text", reason)


def _specifics(insights: Insights) -> Row:
    spec = insights.specifics
    kinds = [
        name
        for name, found in (
            ("numbers", spec.numbers),
            ("names", spec.names),
            ("time frames", spec.time_frames),
        )
        if found
    ]
    points = 2 if len(kinds) >= 2 else 1 if kinds else 0
    return Row("specifics", points, "text", ", ".join(kinds) if kinds else "nothing concrete")


def _result(insights: Insights) -> Row:
    star = insights.star
    if not star.applies:
        return Row("result", None, "text", "scored on behavioral questions")
    result, learning = star.result.found, star.learning.found
    if result and (star.result_measured or learning):
        reason = "a measured result" if star.result_measured else "a result and a lesson"
        return Row("result", 2, "text", reason)
    if result or learning:
        return Row("result", 1, "text", "a result, not measured" if result else "a lesson only")
    return Row("result", 0, "text", "no result or lesson")


def _fit(insights: Insights) -> Row:
    terms = insights.job_terms
    if terms is None:
        return Row("fit", None, "job", "give --job to score it against a posting")
    total = len(terms.used) + len(terms.missing)
    if not total:
        return Row("fit", None, "job", "the posting has no terms")
    share = len(terms.used) / total
    points = 2 if share >= 0.5 else 1 if share >= 0.2 else 0
    return Row("fit", points, "job", f"{len(terms.used)} of {total} of the posting's terms")


def _judgment(insights: Insights, ticks: SelfCheck | None) -> Row:
    flags = _red_flags(insights, ticks)
    donts = _donts(insights, ticks)
    source = "self-check" if ticks is not None else "text"
    if flags:
        return Row("judgment", 0, source, f"red flag: {flags[0]}")
    if donts:
        return Row("judgment", 1, source, f"don't: {donts[0]}")
    return Row("judgment", 2, source, "no red flag or don't found")


def _delivery(insights: Insights) -> Row:
    rate = insights.filler_rate
    low, high = insights.target_seconds
    far = insights.speaking_seconds < low / 2 or insights.speaking_seconds > high * 1.5
    on_target = insights.length == "ok"
    fluent = rate <= FILLER_RATE_OK
    reason = f"{insights.length}, {rate:.1f} fillers per 100 words"
    if far or rate > FILLER_RATE_BAD or (not on_target and not fluent):
        return Row("delivery", 0, "text", reason)
    return Row("delivery", 2 if on_target and fluent else 1, "text", reason)


def _red_flags(insights: Insights, ticks: SelfCheck | None) -> list[str]:
    found = [flag.text for flag in insights.red_flags]
    if ticks is not None:
        # The self-check shows found flags pre-ticked: the user's ticks are the word.
        flags = insights.question_red_flags
        found = [flags[i] for i in sorted(ticks.red_flags) if i < len(flags)]
        # A general flag is in the checklist only when found: unticking it clears it.
        found += [
            flag.text
            for flag in insights.red_flags
            if flag.index is None and flag.key in ticks.general
        ]
    return found


def _donts(insights: Insights, ticks: SelfCheck | None) -> list[str]:
    if ticks is not None:
        donts = insights.question_donts
        return [donts[i] for i in sorted(ticks.donts) if i < len(donts)]
    return [hit.text for hit in insights.donts]


def suggest(
    insights: Insights, ticks: SelfCheck | None = None, *, in_time: bool | None = None
) -> Suggestion:
    """The rating to suggest (see the module's docstring for the rule)."""
    rubric = score(insights, ticks)
    reasons = [f"rubric {rubric.total}/{rubric.out_of}"]
    flags = _red_flags(insights, ticks)
    if flags:
        return Suggestion(Rating.AGAIN, (f"red flag: {flags[0]}", *reasons))
    share = rubric.share
    rating = (
        Rating.EASY
        if share >= 0.85
        else Rating.GOOD
        if share >= 0.6
        else Rating.HARD
        if share >= 0.4
        else Rating.AGAIN
    )
    if ticks is not None:
        judged = [i for i, check in enumerate(insights.dos) if check.judgeable]
        ruled = self_check_rating(
            len(ticks.dos & set(judged)),
            len(judged),
            len(ticks.donts),
            len(insights.question_donts),
            in_time=in_time,
        )
        if ruled is not None:
            if ruled < rating:
                reasons.append(f"self-check: {ruled.label}")
            rating = min(rating, ruled)
        else:
            rating = min(rating, Rating.GOOD)
    else:
        rating = min(rating, Rating.GOOD)
    donts = _donts(insights, ticks)
    if donts and rating > Rating.HARD:
        rating = Rating.HARD
        reasons.append(f"don't: {donts[0]}")
    low = insights.target_seconds[0]
    if insights.speaking_seconds < low / 2 and rating > Rating.HARD:
        rating = Rating.HARD
        reasons.append("far too short")
    return Suggestion(rating, tuple(reasons))
