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
from dataclasses import dataclass, replace
from datetime import datetime
from typing import TYPE_CHECKING, TypeVar

from drill.core import clock
from drill.core.coach.rubric import self_check_rating
from drill.core.model import CardKind, Question, Rating
from drill.core.scheduling import retrievability
from drill.storage import mocks, repo
from drill.storage.sqlite import write_transaction
from drill.study import answers
from drill.study.outcomes import Rated
from drill.study.session import ReviewSession

if TYPE_CHECKING:
    from drill.storage.sqlite import Database

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
    `deck_id` is the deck the questions were drawn from (None: all decks); `mock_id` is set
    once the mock has started (`start`), and its answers are then recorded for the report.
    """

    questions: list[MockQuestion]
    seconds: int | None = None
    follow_ups: bool = True
    deck_id: str | None = None
    mock_id: int | None = None

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
    the question itself). `position` is its question's place in the mock `mock_id` (None: not
    recorded).
    """

    item: MockQuestion
    text: str
    duration_ms: int
    limit_s: int
    follow_up: str = ""
    mock_id: int | None = None
    position: int = 0

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


def chosen_questions(
    db: Database,
    now: datetime,
    refs: Sequence[tuple[str, str]],
    *,
    rng: random.Random | None = None,
) -> list[MockQuestion]:
    """The given questions (to practise a leech), in that order, each in a random phrasing.

    A question without an active rehearse card (suspended, retired) is an error: a mock of it
    could not be rated.
    """
    from drill.errors import DrillError

    rng = rng or random.Random()
    out = []
    for deck_id, question_id in refs:
        deck = repo.decks(db, deck_id)[0]
        question = repo.get_question(db, deck_id, question_id)
        if question is None:
            raise DrillError(f"no question '{question_id}' in deck '{deck_id}'")
        card = next(
            (
                c
                for c in repo.question_cards(db, deck_id, question_id)
                if c.kind == CardKind.REHEARSE
            ),
            None,
        )
        if card is None or card.suspended:
            raise DrillError(
                f"'{deck_id}/{question_id}' has no active rehearse card (unsuspend it in browse)"
            )
        recall = retrievability(deck.config, card.record, now)
        index = rng.randrange(len(question.phrasings))
        follow_up = rng.choice(question.follow_ups) if question.follow_ups else ""
        out.append(
            MockQuestion(
                deck.id,
                deck.name,
                card.id,
                question,
                question.phrasings[index],
                index,
                recall,
                follow_up,
            )
        )
    return out


def start(db: Database, plan: MockPlan, now: datetime) -> MockPlan:
    """Record that a mock begins now; returns the plan with its `mock_id`."""
    with write_transaction(db):
        mock_id = mocks.start_mock(db, clock.to_ms(now), plan.deck_id, len(plan.questions))
    return replace(plan, mock_id=mock_id)


def follow_ups_on(db: Database) -> bool:
    """Whether mocks ask follow-ups (the `mock_follow_ups` setting)."""
    return repo.collection_config(db).mock_follow_ups


def save_answer(db: Database, answer: MockAnswer, now: datetime) -> bool:
    """Put a submitted answer in the answer bank (source "mock"); False if empty or unchanged.

    A follow-up answer is kept with its question, apart from the answer's versions. The mock
    records each main answer either way: a question left blank is a result too.
    """
    item = answer.item
    if answer.follow_up:
        return answers.save_follow_up(
            db, item.deck_id, item.question_id, answer.follow_up, answer.text, now,
            answer.duration_ms,
        )  # fmt: skip
    saved = answers.save_answer(
        db, item.deck_id, item.question_id, answer.text, "mock", now, answer.duration_ms
    )
    if answer.mock_id is not None:
        with write_transaction(db):
            mocks.add_answer(
                db,
                answer.mock_id,
                answer.position,
                item.deck_id,
                item.question_id,
                bool(answer.text.strip()),
                answer.duration_ms,
                answer.limit_s * 1000,
            )
    return saved


def record_rating(
    db: Database, response: MockResponse | MockAnswer, rating: Rating, now: datetime
) -> Rated:
    """Rate the question's rehearse card as a normal review, timed by everything said."""
    rated = ReviewSession(db).rate(response.item.card_id, rating, now, response.duration_ms)
    answer = response.answer if isinstance(response, MockResponse) else response
    if answer.mock_id is not None:
        with write_transaction(db):
            mocks.set_rating(db, answer.mock_id, answer.position, int(rating))
    return rated


# The self-check rule lives with the rest of the rating logic in the coach (core); mocks
# and the review screen's checklist call it by this name.
suggest_rating = self_check_rating
