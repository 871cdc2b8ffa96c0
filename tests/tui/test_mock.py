"""Pilot flows through the mock interview: countdown, submit, saving, ending early, the end
review with its checklist, ratings on rehearse cards, and reading aloud.
"""

from __future__ import annotations

import pytest
from textual.widgets import TextArea

from drill.core.model import Rating
from drill.core.scheduling import retrievability
from drill.storage import repo
from drill.study import answers
from drill.study.mock import MockPlan, MockQuestion
from drill.tui.app import make_app
from drill.tui.screens.confirm import ConfirmScreen
from drill.tui.screens.mock import MockScreen
from drill.tui.screens.mock_review import MockReviewScreen, MockSummaryScreen
from drill.tui.widgets.checklist import Checklist, ChecklistItems
from drill.tui.widgets.countdown import Countdown, format_countdown, format_mss
from tests.tui.helpers import NOW, screen_text

DECK_ID = "interview-basics"


def plan_for(
    db, *question_ids: str, seconds: int = 120, phrasing: int = 0, deck_id: str = DECK_ID
) -> MockPlan:
    """A mock of these questions in this order (drawing is random; tests want to know)."""
    deck = repo.decks(db, deck_id)[0]
    items = []
    for question_id in question_ids:
        question = repo.get_question(db, deck_id, question_id)
        card_id = db.execute(
            "SELECT id FROM cards WHERE deck_id = ? AND question_id = ? AND kind = 'rehearse'",
            [deck_id, question_id],
        ).fetchone()[0]
        index = min(phrasing, len(question.phrasings) - 1)
        record = repo.get_card(db, card_id).record
        items.append(
            MockQuestion(
                deck_id,
                deck.name,
                card_id,
                question,
                question.phrasings[index],
                index,
                retrievability(deck.config, record, NOW),
            )
        )
    return MockPlan(items, seconds)


@pytest.fixture
def mock_app(db, clock):
    def factory(*question_ids: str, seconds: int = 120, **kwargs):
        plan = plan_for(db, *question_ids, seconds=seconds)
        return make_app(db, start="mock", mock=plan, now=clock.now, timer=clock.timer, **kwargs)

    return factory


async def type_text(pilot, text: str) -> None:
    await pilot.press(*("space" if c == " " else c for c in text))


def countdown(app) -> Countdown:
    return app.screen.query_one(Countdown)


def mock_answers(db):
    return db.execute(
        "SELECT question_id, text, source, duration_ms FROM answers ORDER BY id"
    ).fetchall()


def reviews(db):
    return db.execute(
        "SELECT c.question_id, c.kind, r.rating, r.duration_ms FROM reviews r "
        "JOIN cards c ON c.id = r.card_id ORDER BY r.id"
    ).fetchall()


@pytest.mark.parametrize(
    ("remaining", "shown"),
    [
        (120, "2:00"),
        (119.2, "2:00"),
        (85, "1:25"),
        (20, "0:20"),
        (0.4, "0:01"),
        (0, "0:00"),
        (-0.5, "0:00"),
        (-7.2, "+0:07"),
        (-75, "+1:15"),
    ],
)
def test_format_countdown(remaining, shown):
    assert format_countdown(remaining) == shown


def test_format_mss():
    assert [format_mss(s) for s in (0, 9, 95, 600)] == ["0:00", "0:09", "1:35", "10:00"]


# -- the question screen ----------------------------------------------------------------------


async def test_the_mock_opens_on_the_first_question_with_a_full_countdown(mock_app):
    app = mock_app("about-yourself", "weakness")
    async with app.run_test():
        assert isinstance(app.screen, MockScreen)
        text = screen_text(app)
        assert "Question 1 of 2" in text
        assert "Tell me about yourself." in text
        assert str(countdown(app).visual) == "2:00"
        assert app.screen.query_one("#mock-answer", TextArea).has_focus


async def test_the_countdown_warns_in_the_last_20_seconds_then_announces_times_up(mock_app, clock):
    app = mock_app("about-yourself", seconds=60)
    async with app.run_test() as pilot:
        timer = countdown(app)
        clock.seconds = 25
        timer.tick()
        assert str(timer.visual) == "0:35"
        assert not timer.has_class("-warning") and not timer.has_class("-over")

        clock.seconds = 40.5
        timer.tick()
        assert str(timer.visual) == "0:20"
        assert timer.has_class("-warning")
        assert "Time's up" not in screen_text(app)

        clock.seconds = 60
        timer.tick()
        await pilot.pause()
        assert str(timer.visual) == "0:00"
        assert timer.has_class("-over") and not timer.has_class("-warning")
        assert "Time's up" in screen_text(app)

        # Time's up does not cut you off: typing and submitting go on.
        clock.seconds = 67
        timer.tick()
        assert str(timer.visual) == "+0:07"
        await type_text(pilot, "still going")
        assert app.screen.query_one("#mock-answer", TextArea).text == "still going"


async def test_time_up_is_announced_once(mock_app, clock):
    app = mock_app("about-yourself", seconds=30)
    async with app.run_test() as pilot:
        timer = countdown(app)
        seen = []
        post = timer.post_message
        timer.post_message = lambda message: seen.append(message) or post(message)  # type: ignore[method-assign]
        clock.seconds = 31
        for _ in range(3):
            timer.tick()
        await pilot.pause()
        assert len([m for m in seen if isinstance(m, Countdown.TimeUp)]) == 1
        # The next question's countdown announces again.
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, MockReviewScreen)


async def test_submit_saves_the_answer_at_once_and_moves_on(mock_app, db, clock):
    app = mock_app("about-yourself", "weakness")
    async with app.run_test() as pilot:
        await type_text(pilot, "I lead the night shift.")
        clock.seconds = 42.5
        await pilot.press("ctrl+s")
        assert mock_answers(db) == [("about-yourself", "I lead the night shift.", "mock", 42500)]
        latest = answers.latest_answer(db, DECK_ID, "about-yourself")
        assert latest.source == "mock" and latest.created_at == NOW
        # The next question, with an empty answer box and a fresh countdown.
        text = screen_text(app)
        assert "Question 2 of 2" in text
        assert "What is your greatest weakness?" in text
        assert app.screen.query_one("#mock-answer", TextArea).text == ""
        assert str(countdown(app).visual) == "2:00"
        assert "Time's up" not in text


async def test_the_time_of_each_answer_counts_from_its_own_question(mock_app, db, clock):
    app = mock_app("about-yourself", "weakness")
    async with app.run_test() as pilot:
        await type_text(pilot, "One.")
        clock.seconds = 50
        await pilot.press("ctrl+s")
        await type_text(pilot, "Two.")
        clock.seconds = 80
        await pilot.press("ctrl+s")
        assert [(r[0], r[3]) for r in mock_answers(db)] == [
            ("about-yourself", 50_000),
            ("weakness", 30_000),
        ]
        assert isinstance(app.screen, MockReviewScreen)


async def test_quitting_early_keeps_submitted_answers(mock_app, db, clock):
    app = mock_app("about-yourself", "weakness", "why-this-job")
    async with app.run_test() as pilot:
        await type_text(pilot, "Kept.")
        clock.seconds = 10
        await pilot.press("ctrl+s")
        await type_text(pilot, "Half an")
        await pilot.press("ctrl+q")  # quit the app at once
        assert not app.is_running
    assert mock_answers(db) == [("about-yourself", "Kept.", "mock", 10_000)]


async def test_ending_early_keeps_what_was_typed_and_reviews_it(mock_app, db, clock):
    app = mock_app("about-yourself", "weakness", "why-this-job")
    async with app.run_test() as pilot:
        await type_text(pilot, "First.")
        clock.seconds = 10
        await pilot.press("ctrl+s")
        await type_text(pilot, "Half an")
        clock.seconds = 25
        await pilot.press("escape")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        assert isinstance(app.screen, MockScreen)
        assert app.screen.query_one("#mock-answer", TextArea).has_focus
        await pilot.press("escape", "y")
        assert isinstance(app.screen, MockReviewScreen)
        assert len(app.screen.answers) == 2
        assert mock_answers(db) == [
            ("about-yourself", "First.", "mock", 10_000),
            ("weakness", "Half an", "mock", 15_000),
        ]


async def test_ending_before_answering_anything_leaves(mock_app, db):
    app = mock_app("about-yourself")
    async with app.run_test() as pilot:
        await pilot.press("escape", "y")
        assert not app.is_running
    assert mock_answers(db) == []


async def test_an_empty_answer_is_not_saved_but_still_reviewed(mock_app, db, clock):
    app = mock_app("about-yourself")
    async with app.run_test() as pilot:
        clock.seconds = 30
        await pilot.press("ctrl+s")
        assert mock_answers(db) == []
        assert isinstance(app.screen, MockReviewScreen)
        assert "Nothing typed." in screen_text(app)


async def test_screen_keys_do_not_steal_letters_from_the_answer(mock_app, db):
    app = mock_app("about-yourself")
    async with app.run_test() as pilot:
        await type_text(pilot, "q r c n 1 ?")
        assert isinstance(app.screen, MockScreen)
        assert app.screen.query_one("#mock-answer", TextArea).text == "q r c n 1 ?"


# -- reading aloud ----------------------------------------------------------------------------


async def test_read_aloud_is_not_offered_without_espeak(mock_app):
    app = mock_app("about-yourself")
    async with app.run_test() as pilot:
        assert app.screen.check_action("read_aloud", ()) is False
        # Not in the footer at all, not even greyed out.
        assert "ctrl+r" not in app.active_bindings
        assert "ctrl+s" in app.active_bindings
        await pilot.press("ctrl+r")  # nothing happens, nothing breaks
        assert isinstance(app.screen, MockScreen)


async def test_read_aloud_runs_espeak_with_the_prompt_on_stdin(mock_app, monkeypatch):
    import drill.tui.screens.mock as mock_screen

    calls = []

    class FakeStdin:
        def __init__(self) -> None:
            self.data = b""

        def write(self, data: bytes) -> None:
            self.data += data

        def close(self) -> None:
            pass

    class FakePopen:
        def __init__(self, args, **kwargs) -> None:
            self.args = args
            self.stdin = FakeStdin()
            calls.append(self)

        def poll(self):
            return 0

    monkeypatch.setattr(mock_screen.subprocess, "Popen", FakePopen)
    app = mock_app("about-yourself", speaker="/usr/bin/espeak-ng")
    async with app.run_test() as pilot:
        assert app.screen.check_action("read_aloud", ()) is True
        assert "ctrl+r" in app.active_bindings
        await pilot.press("ctrl+r")
        assert [c.args for c in calls] == [["/usr/bin/espeak-ng", "--stdin"]]
        assert calls[0].stdin.data == b"Tell me about yourself."


# -- the end review ---------------------------------------------------------------------------


# A real answer to "Tell me about yourself": long enough, concrete, no fillers, and neither
# do shown in its words, so the coach leaves the self-check's ticks to the user.
NURSE = (
    "I'm a charge nurse in the emergency department at St Mary's Hospital, where I lead the "
    "night shift and train new starters. Before that I spent several years in intensive care, "
    "which taught me to stay calm when things go wrong quickly. Last spring I redesigned our "
    "triage handover with a bedside checklist, and waiting times fell noticeably within a few "
    "months. I also run the monthly sepsis simulation for the whole unit. Teaching has become "
    "the part of the job I enjoy most, and a clinical educator post is the natural next step "
    "for me, because it keeps me close to emergency practice while making teaching the centre "
    "of my work."
)


async def answer_all(pilot, clock, *texts_and_times: tuple[str, float]) -> None:
    for text, seconds in texts_and_times:
        if len(text) > 40:
            # Long answers are pasted, not typed key by key: typing is tested above.
            pilot.app.screen.query_one("#mock-answer").insert(text)
            await pilot.pause()
        else:
            await type_text(pilot, text)
        clock.seconds += seconds
        await pilot.press("ctrl+s")


async def test_the_review_shows_the_answer_time_approach_and_checklist(mock_app, clock):
    app = mock_app("about-yourself", "weakness")
    async with app.run_test() as pilot:
        await answer_all(pilot, clock, (NURSE, 95), ("Public speaking.", 130))
        assert isinstance(app.screen, MockReviewScreen)
        text = screen_text(app)
        assert "Answer 1 of 2" in text
        assert "Tell me about yourself." in text
        assert "I'm a charge nurse" in text
        assert "112 words · 0:48 of 0:45–2:00 · ok" in text  # the coach
        assert "1:35 of 2:00" in text
        assert "Present, past, future" in text  # the approach
        checklist = app.screen.query_one(Checklist)
        assert checklist.items.has_focus
        prompts = checklist.items.prompts
        assert prompts == [
            "✓ Open with your current role and one quantified achievement.",
            "✓ End with why you want this role.",
            "✗ Don't recite your resume line by line.",
        ]
        # Nothing ticked yet: fewer than half the dos, so Hard.
        assert checklist.suggestion == Rating.HARD
        assert "Suggested: 2 Hard" in screen_text(app)
        assert app.screen.query_one("#rate-2").has_class("-suggested")

        await pilot.press("3")
        text = screen_text(app)
        assert "Answer 2 of 2" in text
        assert "2:10 of 2:00, over time" in text


async def test_ticking_the_checklist_changes_the_suggestion(mock_app, clock):
    app = mock_app("about-yourself")
    async with app.run_test() as pilot:
        await answer_all(pilot, clock, (NURSE, 60))
        checklist = app.screen.query_one(Checklist)
        await pilot.press("space")  # first do
        assert checklist.suggestion == Rating.GOOD
        await pilot.press("down", "space")  # both dos, in time
        assert checklist.suggestion == Rating.EASY
        assert "Suggested: 4 Easy" in screen_text(app)
        assert app.screen.query_one("#rate-4").has_class("-suggested")
        assert not app.screen.query_one("#rate-2").has_class("-suggested")
        await pilot.press("down", "space")  # the don't too
        assert checklist.suggestion == Rating.HARD
        await pilot.press("up", "space", "up", "space")  # untick both dos
        assert checklist.suggestion == Rating.AGAIN


async def test_over_time_is_never_easy(mock_app, clock):
    app = mock_app("about-yourself", seconds=30)
    async with app.run_test() as pilot:
        await answer_all(pilot, clock, (NURSE, 31))
        await pilot.press("space", "down", "space")
        assert app.screen.query_one(Checklist).suggestion == Rating.GOOD


async def test_clicking_an_item_ticks_it(mock_app, clock):
    app = mock_app("about-yourself")
    async with app.run_test(size=(100, 40)) as pilot:
        await answer_all(pilot, clock, ("I am a nurse.", 60))
        items = app.screen.query_one(ChecklistItems)
        await pilot.click(ChecklistItems, offset=(6, 1))
        assert items.selected == [("do", 1)]


async def test_enter_confirms_the_suggestion_as_a_review_of_the_rehearse_card(mock_app, db, clock):
    app = mock_app("about-yourself", "weakness")
    async with app.run_test() as pilot:
        await answer_all(pilot, clock, (NURSE, 95), ("Public speaking.", 50))
        clock.current = NOW.replace(hour=11)
        await pilot.press("space", "enter")  # one do of two: Good
        assert reviews(db) == [("about-yourself", "rehearse", 3, 95_000)]
        review_time = db.execute("SELECT review_time FROM reviews").fetchone()[0]
        assert review_time == int(clock.current.timestamp() * 1000)
        # The second answer: a don't ticked and no do, so Again; 1-4 overrides it.
        await pilot.press("down", "space")
        assert app.screen.query_one(Checklist).suggestion == Rating.AGAIN
        await pilot.press("2")
        assert reviews(db)[1] == ("weakness", "rehearse", 2, 50_000)
        assert isinstance(app.screen, MockSummaryScreen)
        text = screen_text(app)
        assert "Tell me about yourself." in text and "1:35 of 2:00" in text
        assert "Good" in text and "Hard" in text
        await pilot.press("q")
        assert not app.is_running


async def test_with_nothing_typed_or_checked_enter_suggests_nothing(mock_app, db, clock):
    app = mock_app("why-this-job")
    async with app.run_test() as pilot:
        clock.seconds += 20
        await pilot.press("ctrl+s")  # nothing typed, and no dos or don'ts
        assert "no dos or don'ts to check" in screen_text(app)
        assert app.screen.check_action("confirm", ()) is None  # shown, greyed out
        await pilot.press("enter")
        assert reviews(db) == []
        await pilot.press("4")
        assert reviews(db) == [("why-this-job", "rehearse", 4, 20_000)]


async def test_without_dos_or_donts_the_coach_suggests_from_the_answer(mock_app, db, clock):
    app = mock_app("why-this-job")
    async with app.run_test() as pilot:
        await answer_all(pilot, clock, ("Because of your mission.", 20))
        text = screen_text(app)
        assert "no dos or don'ts to check" not in text
        assert "4 words · 0:02 of 0:45–2:00 · short" in text
        assert app.screen.check_action("confirm", ()) is True
        await pilot.press("enter")  # four words: far too short, and vague
        assert reviews(db) == [("why-this-job", "rehearse", 1, 20_000)]


async def test_clicking_a_rating_button_records_it(mock_app, db, clock):
    app = mock_app("about-yourself")
    async with app.run_test(size=(100, 30)) as pilot:
        await answer_all(pilot, clock, (NURSE, 20))
        await pilot.click("#rate-1")
        assert reviews(db) == [("about-yourself", "rehearse", 1, 20_000)]


async def test_skip_and_end_leave_answers_unrated(mock_app, db, clock):
    app = mock_app("about-yourself", "weakness", "why-this-job")
    async with app.run_test() as pilot:
        await answer_all(pilot, clock, ("One.", 10), ("Two.", 10), ("Three.", 10))
        await pilot.press("n")
        assert "Answer 2 of 3" in screen_text(app)
        await pilot.press("q")
        assert isinstance(app.screen, MockSummaryScreen)
        assert reviews(db) == []
        assert screen_text(app).count("not rated") == 3
        assert "3 answers saved to your answer bank:" in screen_text(app)


async def test_escape_leaves_the_checklist_without_ending(mock_app, clock):
    app = mock_app("about-yourself", "weakness")
    async with app.run_test() as pilot:
        await answer_all(pilot, clock, ("One.", 10), ("Two.", 10))
        await pilot.press("escape")
        assert isinstance(app.screen, MockReviewScreen)
        assert app.screen.query_one("#mock-review-scroll").has_focus
        # Space no longer ticks; c goes back to the checklist.
        await pilot.press("space")
        assert app.screen.query_one(ChecklistItems).selected == []
        await pilot.press("c", "space")
        assert app.screen.query_one(ChecklistItems).selected == [("do", 0)]


async def test_ratings_apply_in_deadline_mode_like_any_review(mock_app, db, clock):
    repo.set_config(db, DECK_ID, "interview_date", "2026-01-09")
    app = mock_app("about-yourself")
    async with app.run_test() as pilot:
        await answer_all(pilot, clock, ("One.", 10))
        await pilot.press("4")
    card = db.execute(
        "SELECT due FROM cards WHERE question_id = 'about-yourself' AND kind = 'rehearse'"
    ).fetchone()[0]
    assert card < int(NOW.replace(day=9).timestamp() * 1000)


async def test_the_summary_keeps_the_rubric_the_answer_was_rated_with(mock_app, clock):
    app = mock_app("about-yourself")
    async with app.run_test() as pilot:
        await answer_all(pilot, clock, (NURSE, 95))
        review = app.screen
        found = review.insights[0]
        await pilot.press("space")  # the self-check now counts towards the rubric
        shown = found.rubric_with(review.query_one(Checklist).ticks)
        assert (shown.total, shown.out_of) != (found.rubric.total, found.rubric.out_of)
        await pilot.press("enter")
        assert isinstance(app.screen, MockSummaryScreen)
        assert f"rubric {shown.total}/{shown.out_of}" in screen_text(app)
