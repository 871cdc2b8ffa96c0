"""Timed mock interviews: which questions to ask, saving answers, and a self-check rating.

A mock draws a few questions, weighted towards the ones you are most likely to have forgotten
and the ones you never practised, each in a random phrasing. A question that has follow-ups
gets one of them, asked right after the main answer as an interviewer would (unless the
`mock_follow_ups` setting is off). Each answer is timed against the question's target length
(its `length:` or its type's default). Answers go to the answer bank (source "mock") as they
are submitted, follow-up answers beside them; ratings go to each question's rehearse card as
normal reviews. Like the rest of the core, nothing here reads the clock or imports Textual.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, TypeVar

from drill.core.model import CardKind, Question, Rating
from drill.core.scheduling import retrievability
from drill.storage import repo
from drill.study import answers
from drill.study.session import Rated, ReviewSession

if TYPE_CHECKING:
    from sqlite_utils import Database

DEFAULT_QUESTIONS = 5
# A follow-up is answered in a sentence or three.
FOLLOW_UP_SECONDS = 60
# The countdown turns to a warning colour for the last stretch.
WARNING_SECONDS = 20
# A question you are sure to remember still comes up now and then: a mock should surprise.
MIN_WEIGHT = 0.05

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class MockQuestion:
    """One question of a mock: its rehearse card, and the phrasing it is asked in."""

    deck_id: str
    deck_name: str
    card_id: int
    question: Question
    prompt: str
    phrasing_index: int
    retrievability: float | None  # None: the rehearse card was never reviewed
    follow_up: str = ""  # the follow-up question to ask after this one, if it has any

    @property
    def question_id(self) -> str:
        return self.question.id


@dataclass(frozen=True, slots=True)
class MockStep:
    """One thing the interviewer asks: a question, or the follow-up to one."""

    item: MockQuestion
    follow_up: str = ""

    @property
    def prompt(self) -> str:
        return self.follow_up or self.item.prompt


@dataclass(frozen=True, slots=True)
class MockPlan:
    """What a mock asks, and how long each answer may take.

    `seconds` gives every answer the same limit; None times each question by its target length
    and each follow-up by FOLLOW_UP_SECONDS. `follow_ups` asks each question's follow-up.
    """

    questions: list[MockQuestion]
    seconds: int | None = None
    follow_ups: bool = True

    def steps(self) -> list[MockStep]:
        out = []
        for item in self.questions:
            out.append(MockStep(item))
            if self.follow_ups and item.follow_up:
                out.append(MockStep(item, item.follow_up))
        return out

    def limit(self, step: MockStep) -> int:
        """Seconds allowed for a step's answer."""
        if self.seconds is not None:
            return self.seconds
        if step.follow_up:
            return FOLLOW_UP_SECONDS
        return step.item.question.target_seconds[1]

    def target(self, step: MockStep) -> tuple[int, int] | None:
        """The speaking time to aim for (low, high), or None when one limit is set for all."""
        if self.seconds is not None or step.follow_up:
            return None
        return step.item.question.target_seconds


@dataclass(frozen=True, slots=True)
class MockAnswer:
    """A submitted answer: what was typed, how long it took, and to which follow-up ("" for
    the question itself).
    """

    item: MockQuestion
    text: str
    duration_ms: int
    limit_s: int
    follow_up: str = ""

    @property
    def in_time(self) -> bool:
        return self.duration_ms <= self.limit_s * 1000


@dataclass(frozen=True, slots=True)
class MockResponse:
    """Everything said about one question: the answer, and the follow-up answer if asked."""

    answer: MockAnswer
    follow_up: MockAnswer | None = None

    @property
    def item(self) -> MockQuestion:
        return self.answer.item

    @property
    def in_time(self) -> bool:
        return self.answer.in_time and (self.follow_up is None or self.follow_up.in_time)

    @property
    def duration_ms(self) -> int:
        extra = self.follow_up.duration_ms if self.follow_up is not None else 0
        return self.answer.duration_ms + extra


def responses(answers: Sequence[MockAnswer]) -> list[MockResponse]:
    """Answers grouped by question, in the order asked. A follow-up answered without its main
    answer (the mock ended in between cannot do that, but a list may) stands on its own.
    """
    out: list[MockResponse] = []
    for answer in answers:
        last = out[-1] if out else None
        if (
            answer.follow_up
            and last is not None
            and last.follow_up is None
            and last.item.card_id == answer.item.card_id
        ):
            out[-1] = MockResponse(last.answer, answer)
        else:
            out.append(MockResponse(answer))
    return out


def draw_weight(recall: float | None) -> float:
    """How likely a question is to be drawn: 1 when never practised, else 1 - recall.

    The floor keeps well-known questions possible, only rarer.
    """
    if recall is None:
        return 1.0
    return max(MIN_WEIGHT, 1.0 - recall)


def weighted_sample(
    items: Sequence[T], weights: Sequence[float], count: int, rng: random.Random
) -> list[T]:
    """`count` distinct items (all of them if fewer), each drawn with probability ∝ weight.

    Efraimidis-Spirakis: each item gets the key u^(1/w) and the largest keys win, which is
    the same as drawing one at a time without replacement.
    """
    keyed = [
        (rng.random() ** (1.0 / max(weight, 1e-9)), index) for index, weight in enumerate(weights)
    ]
    keyed.sort(reverse=True)
    return [items[index] for _, index in keyed[: max(0, count)]]


def draw_questions(
    db: Database,
    now: datetime,
    count: int = DEFAULT_QUESTIONS,
    *,
    deck_id: str | None = None,
    rng: random.Random | None = None,
    only: Mapping[str, frozenset[str]] | None = None,
) -> list[MockQuestion]:
    """Up to `count` distinct questions with a rehearse card that is neither suspended nor
    retired, weighted by `draw_weight`, each in a random phrasing (main or a variant). Paused
    decks are left out unless asked for by name.

    `only` keeps to some questions of each deck ({deck: question ids}, a job's set, which
    names its questions: their decks count even when paused).
    """
    rng = rng or random.Random()
    configs = {deck.id: deck for deck in repo.decks(db, deck_id)}
    candidates = []
    for card in repo.iter_cards(db, deck_id, kind=CardKind.REHEARSE, active_only=True):
        if only is not None and card.question_id not in only.get(card.deck_id, ()):
            continue
        deck = configs[card.deck_id]
        if deck.paused and deck_id is None and only is None:
            continue
        recall = retrievability(deck.config, card.record, now)
        candidates.append((card.id, deck, card.question_id, recall))
    chosen = weighted_sample(candidates, [draw_weight(c[3]) for c in candidates], count, rng)
    out = []
    for card_id, deck, question_id, recall in chosen:
        question = repo.get_question(db, deck.id, question_id)
        assert question is not None  # the join guarantees it
        index = rng.randrange(len(question.phrasings))
        follow_up = rng.choice(question.follow_ups) if question.follow_ups else ""
        out.append(
            MockQuestion(
                deck.id,
                deck.name,
                card_id,
                question,
                question.phrasings[index],
                index,
                recall,
                follow_up,
            )
        )
    return out


def follow_ups_on(db: Database) -> bool:
    """Whether mocks ask follow-ups (the `mock_follow_ups` setting)."""
    return repo.collection_config(db).mock_follow_ups


def save_answer(db: Database, answer: MockAnswer, now: datetime) -> bool:
    """Put a submitted answer in the answer bank (source "mock"); False if empty or unchanged.

    A follow-up answer is kept with its question, apart from the answer's versions.
    """
    item = answer.item
    if answer.follow_up:
        return answers.save_follow_up(
            db, item.deck_id, item.question_id, answer.follow_up, answer.text, now,
            answer.duration_ms,
        )  # fmt: skip
    return answers.save_answer(
        db, item.deck_id, item.question_id, answer.text, "mock", now, answer.duration_ms
    )


def record_rating(
    db: Database, response: MockResponse | MockAnswer, rating: Rating, now: datetime
) -> Rated:
    """Rate the question's rehearse card as a normal review, timed by everything said."""
    return ReviewSession(db).rate(response.item.card_id, rating, now, response.duration_ms)


def suggest_rating(
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
