"""The question bank v2 in the TUI: the back of a rehearse card opens on the short answer with
the examples folded behind `x`; an ask-them card says why *you* ask; the mock times each
question by its target length and asks a follow-up after the main answer.

Pilot flows first, then screenshots of every changed screen at 80x24 and 120x40, and 60x20
where width matters.
"""

from __future__ import annotations

import pytest
from textual.widgets import Collapsible, Static, TextArea

from drill.core.scheduling import retrievability
from drill.storage import repo
from drill.study.mock import FOLLOW_UP_SECONDS, MockPlan, MockQuestion
from drill.tui.app import make_app
from drill.tui.screens.mock import MockScreen
from drill.tui.screens.mock_review import MockReviewScreen, MockSummaryScreen
from drill.tui.widgets.countdown import Countdown
from tests.tui.helpers import NOW, Clock, make_db, screen_text

DECK_ID = "bank-v2"
V2 = """\
# Bank v2
id: bank-v2
license: CC-BY-4.0
version: 2.0

## Tell me about a deadline you missed.
id: missed-deadline
tags: delivery
type: behavioral
competencies: ownership, communication
level: any
length: 60-150s

### Variants
- When did a project of yours slip?
- What would your last manager say about your timekeeping?
- Tell me about a time you were late.

### Why they ask
Deadlines slip in every job. This checks whether you see it coming and say so early.

### Approach
Pick a real slip, say when you saw it coming, and what you changed since.

### Short answer
"Last spring I missed a report deadline by three days. I saw the risk a week out but
hoped to catch up instead of telling my manager. Since then I flag a slip the day I see it,
with a new date and what I need, and my last four reports went out on time."

### Do
- Name the deadline and how late it was.
- Say when you first saw the risk.
- End with what you do differently now.

### Don't
- Don't blame the client or a colleague.
- Don't pick a slip that did not matter.
- Don't claim it never happens.

### Red flags
- Blames others ("it wasn't my fault", "they let me down").
- No lesson ("I'd do the same again").

### Example: experienced
"I run month-end reporting for a logistics firm of 300 people..."

### Example: entry level
"At the café I ordered stock for the weekend..."

### Bad example
"I never miss deadlines, honestly."

### Follow-ups
- What would you do differently?
- Who did you tell first, and when?
- How did your manager react?

### Key phrases
- "I flagged it the day I saw it."

### Tips
- Practice the first sentence until it comes out calm.

## The hiring manager asks: what questions do you have for me?
id: hiring-manager-questions
type: ask-them
competencies: communication
level: any

### Why they ask
This is your chance to learn what the first months look like. Good questions show you are
already picturing the work.

### Approach
Ask two questions about the work and one about the team.

### Do
- Ask about the first ninety days.
- Ask how success is measured.
- Ask what the team is working on now.
"""


def v2_db():  # type: ignore[no-untyped-def]
    return make_db(V2)


def only_kind(db, kind: str, question_id: str):  # type: ignore[no-untyped-def]
    db.execute(
        "UPDATE cards SET suspended = 1 WHERE kind != ? OR question_id != ?", [kind, question_id]
    )
    return db


def app_for(db, **kwargs):  # type: ignore[no-untyped-def]
    clock = kwargs.pop("clock", None) or Clock()
    return make_app(db, now=clock.now, timer=clock.timer, **kwargs)


def item_for(db, question_id: str, follow_up: str = "") -> MockQuestion:
    deck = repo.decks(db, DECK_ID)[0]
    question = repo.get_question(db, DECK_ID, question_id)
    card_id = db.execute(
        "SELECT id FROM cards WHERE question_id = ? AND kind = 'rehearse'", [question_id]
    ).fetchone()[0]
    record = repo.get_card(db, card_id).record
    recall = retrievability(deck.config, record, NOW)
    return MockQuestion(
        DECK_ID, deck.name, card_id, question, question.question, 0, recall, follow_up
    )


def follow_up_plan(db, *, seconds: int | None = None, follow_ups: bool = True) -> MockPlan:
    item = item_for(db, "missed-deadline", "Who did you tell first, and when?")
    return MockPlan([item, item_for(db, "hiring-manager-questions")], seconds, follow_ups)


def typed(text: str) -> list[str]:
    return ["space" if c == " " else c for c in text]


# -- the back of a rehearse card --------------------------------------------------------------


async def test_the_rehearse_back_opens_on_the_short_answer_with_examples_folded():
    db = only_kind(v2_db(), "rehearse", "missed-deadline")
    app = app_for(db, start="review")
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("space")
        titles = [str(w.render()) for w in app.screen.query(".section-title")]
        # Your own answer comes first (issue 18; here a one-line "none saved yet"), then the
        # deck's notes open on the short answer.
        assert "Your answer: none saved yet" in screen_text(app)
        assert titles[0] == "Short answer (about 30 seconds)"
        assert titles.index("Approach") > 0
        for later in ("Red flags: these sink an answer", "They may ask next", "Key phrases"):
            assert later in titles
        examples = list(app.screen.query(Collapsible))
        assert [e.title for e in examples] == ["Example: experienced", "Example: entry level"]
        assert all(e.collapsed for e in examples)
        await pilot.press("x")
        assert not any(e.collapsed for e in examples)
        await pilot.press("x")
        assert all(e.collapsed for e in examples)


async def test_an_ask_them_card_says_why_you_ask():
    db = only_kind(v2_db(), "why", "hiring-manager-questions")
    app = app_for(db, start="review")
    async with app.run_test(size=(100, 30)) as pilot:
        assert str(app.screen.query_one("#kind", Static).render()) == "Why you ask"
        assert "Why ask at this moment, and what do you need to find out?" in screen_text(app)
        await pilot.press("space")
        titles = [str(w.render()) for w in app.screen.query(".section-title")]
        assert titles == ["Why you ask"]


async def test_an_ask_them_rehearse_card_asks_you_to_ask():
    db = only_kind(v2_db(), "rehearse", "hiring-manager-questions")
    app = app_for(db, start="review")
    async with app.run_test(size=(100, 30)):
        heading = str(app.screen.query_one("#kind", Static).render())
        assert heading == "Rehearse: ask your questions out loud"
        assert "The hiring manager asks: what questions do you have for me?" in screen_text(app)


# -- the mock -----------------------------------------------------------------------------------


async def test_each_question_is_timed_by_its_target_length():
    db = v2_db()
    app = app_for(db, start="mock", mock=follow_up_plan(db, follow_ups=False))
    async with app.run_test(size=(100, 30)) as pilot:
        assert isinstance(app.screen, MockScreen)
        assert str(app.screen.query_one(Countdown).visual) == "2:30"
        assert "aim for 1:00–2:30" in screen_text(app)
        await pilot.press(*typed("Late once."), "ctrl+s")
        # ask-them: 20-60 s by its type.
        assert str(app.screen.query_one(Countdown).visual) == "1:00"
        assert "aim for 0:20–1:00" in screen_text(app)


async def test_the_follow_up_comes_right_after_the_answer_and_is_kept():
    db = v2_db()
    clock = Clock()
    app = app_for(db, start="mock", mock=follow_up_plan(db), clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press(*typed("I missed a report."))
        clock.seconds = 80
        await pilot.press("ctrl+s")
        text = screen_text(app)
        assert "Question 1 of 2, follow-up" in text
        assert "Who did you tell first, and when?" in text
        assert "Follow-up to: Tell me about a deadline you missed." in text
        assert str(app.screen.query_one(Countdown).visual) == f"{FOLLOW_UP_SECONDS // 60}:00"
        assert app.screen.query_one("#mock-answer", TextArea).text == ""
        await pilot.press(*typed("My manager, that day."))
        clock.seconds = 100
        await pilot.press("ctrl+s")
        assert "Question 2 of 2" in screen_text(app)
        await pilot.press("ctrl+s")  # nothing typed for the ask-them question
        assert isinstance(app.screen, MockReviewScreen)
        text = screen_text(app)
        assert "Answer 1 of 2" in text
        assert "Follow-up: Who did you tell first, and when?" in text
        assert "My manager, that day." in text
        await pilot.press("3")
        assert "Answer 2 of 2" in screen_text(app)
        await pilot.press("q")
        assert isinstance(app.screen, MockSummaryScreen)
        assert "1 answer saved to your answer bank and 1 follow-up answer kept" in " ".join(
            screen_text(app).split()
        )
    rows = db.execute(
        "SELECT question_id, text, follow_up, duration_ms FROM answers ORDER BY id"
    ).fetchall()
    assert rows == [
        ("missed-deadline", "I missed a report.", None, 80_000),
        ("missed-deadline", "My manager, that day.", "Who did you tell first, and when?", 20_000),
    ]
    # One review of the rehearse card, timed by both answers.
    assert db.execute("SELECT rating, duration_ms FROM reviews").fetchall() == [(3, 100_000)]


async def test_without_follow_ups_the_mock_goes_straight_on():
    db = v2_db()
    app = app_for(db, start="mock", mock=follow_up_plan(db, follow_ups=False))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press(*typed("Late once."), "ctrl+s")
        assert "Question 2 of 2" in screen_text(app)
        assert "follow-up" not in screen_text(app)


# -- screenshots --------------------------------------------------------------------------------

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]
WITH_NARROW = [*SIZES, pytest.param((60, 20), id="60x20")]


@pytest.mark.parametrize("size", WITH_NARROW)
def test_rehearse_back_v2(snap_compare, size):
    db = only_kind(v2_db(), "rehearse", "missed-deadline")
    assert snap_compare(app_for(db, start="review"), press=["space"], terminal_size=size)


def test_rehearse_back_v2_examples_open(snap_compare):
    db = only_kind(v2_db(), "rehearse", "missed-deadline")
    app = app_for(db, start="review")
    assert snap_compare(app, press=["space", "x", "down", "down", "down"], terminal_size=(80, 24))


@pytest.mark.parametrize("size", SIZES)
def test_dos_back_with_red_flags(snap_compare, size):
    db = only_kind(v2_db(), "dos", "missed-deadline")
    assert snap_compare(app_for(db, start="review"), press=["space"], terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_ask_them_why_back(snap_compare, size):
    db = only_kind(v2_db(), "why", "hiring-manager-questions")
    assert snap_compare(app_for(db, start="review"), press=["space"], terminal_size=size)


@pytest.mark.parametrize("size", WITH_NARROW)
def test_mock_follow_up(snap_compare, size):
    db = v2_db()
    clock = Clock()
    app = app_for(db, start="mock", mock=follow_up_plan(db), clock=clock)

    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await pilot.press(*typed("I missed a report by three days."))
        clock.seconds = 80
        await pilot.press("ctrl+s")

    press = typed("My manager.")
    assert snap_compare(app, run_before=run_before, press=press, terminal_size=size)


@pytest.mark.parametrize("size", WITH_NARROW)
def test_mock_target_length(snap_compare, size):
    db = v2_db()
    app = app_for(db, start="mock", mock=follow_up_plan(db, follow_ups=False))
    assert snap_compare(app, terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_mock_review_with_follow_up(snap_compare, size):
    db = v2_db()
    clock = Clock()
    app = app_for(db, start="mock", mock=follow_up_plan(db), clock=clock)

    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await pilot.press(*typed("I missed a report by three days."))
        clock.seconds = 80
        await pilot.press("ctrl+s")
        await pilot.press(*typed("My manager, the same day."))
        clock.seconds = 100
        await pilot.press("ctrl+s", "ctrl+s")

    assert snap_compare(app, run_before=run_before, terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_question_detail_v2(snap_compare, size):
    db = v2_db()
    assert snap_compare(app_for(db), press=["b", "enter"], terminal_size=size)


def with_follow_up_answer(db):  # type: ignore[no-untyped-def]
    from drill.study import answers

    answers.save_answer(db, DECK_ID, "missed-deadline", "I missed a report.", "mock", NOW, 80_000)
    answers.save_follow_up(
        db, DECK_ID, "missed-deadline", "Who did you tell first, and when?",
        "My manager, that day.", NOW, 20_000,
    )  # fmt: skip
    return db


async def test_the_question_page_keeps_follow_up_answers_apart():
    db = with_follow_up_answer(v2_db())
    app = app_for(db)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("b", "enter")
        text = screen_text(app)
        assert "Your answers to follow-ups (from mocks)" in text
        assert "Who did you tell first, and when?" in text
        assert text.index("I missed a report.") < text.index("My manager, that day.")


@pytest.mark.parametrize("size", SIZES)
def test_question_detail_v2_bottom(snap_compare, size):
    db = with_follow_up_answer(v2_db())
    assert snap_compare(app_for(db), press=["b", "enter", "end"], terminal_size=size)
