"""Undo on the review screen and in browse: the screen's own actions, newest first.

Issue 18: `u` after bury or suspend used to take back an older rating (whichever review was
newest in the database, even one made on the mock-review screen), leaving the question buried,
and its toast did not say what or which question.
"""

from __future__ import annotations

from drill.core.model import Rating
from drill.study.session import ReviewSession
from drill.tui.screens.browse import BrowseScreen
from drill.tui.screens.question import QuestionScreen
from drill.tui.screens.review import ReviewScreen
from drill.tui.screens.summary import SummaryScreen
from tests.tui.helpers import NOW, toasts


def reviews(db) -> list[tuple[int, int]]:
    return db.execute("SELECT card_id, rating FROM reviews ORDER BY id").fetchall()


def buried(db, question_id: str) -> int:
    return db.execute(
        "SELECT count(*) FROM cards WHERE question_id = ? AND buried_until IS NOT NULL",
        [question_id],
    ).fetchone()[0]


def review_screen(app) -> ReviewScreen:
    assert isinstance(app.screen, ReviewScreen)
    return app.screen


async def test_undo_after_bury_brings_the_question_back_and_keeps_the_rating(app_factory, db):
    app = app_factory(start="review")
    async with app.run_test() as pilot:
        screen = review_screen(app)
        first = screen.card
        await pilot.press("space", "3")
        second = screen.card
        assert second.question_id == "why-this-job"
        await pilot.press("b")
        assert buried(db, "why-this-job") == 2  # both its cards
        await pilot.press("u")
        # The bury is taken back; the Good rating before it stays.
        assert buried(db, "why-this-job") == 0
        assert reviews(db) == [(first.card_id, 3)]
        assert screen.card.card_id == second.card_id
        assert screen.mode == "front"
        assert "Undid bury of “Why do you want this job?”" in toasts(app)
        assert screen.sitting.reviewed == 1


async def test_undo_after_suspend_unsuspends_the_card_only(app_factory, db):
    app = app_factory(start="review")
    async with app.run_test() as pilot:
        screen = review_screen(app)
        await pilot.press("space", "3")
        second = screen.card
        await pilot.press("s")
        await pilot.press("u")
        assert db.execute("SELECT sum(suspended) FROM cards").fetchone() == (0,)
        assert len(reviews(db)) == 1
        assert screen.card.card_id == second.card_id
        assert f"Undid suspend of “Why do you want this job?” ({second.kind.value} card)" in toasts(
            app
        )


async def test_undo_walks_back_ratings_and_burying_in_order(app_factory, db):
    from tests.helpers import use_py_fsrs_steps

    use_py_fsrs_steps(db)  # Again keeps the card in today's session (a learning step)
    app = app_factory(start="review")
    async with app.run_test() as pilot:
        screen = review_screen(app)
        first = screen.card
        await pilot.press("space", "3")  # rate about-yourself
        await pilot.press("b")  # bury why-this-job
        third = screen.card
        assert third.question_id == "weakness"
        await pilot.press("space", "1")  # rate weakness Again
        assert reviews(db) == [(first.card_id, 3), (third.card_id, 1)]

        await pilot.press("u")
        assert reviews(db) == [(first.card_id, 3)]
        assert buried(db, "why-this-job") == 2
        assert screen.card.card_id == third.card_id
        assert toasts(app)[-1] == (
            f"Undid Again on “What is your greatest weakness?” ({third.kind.value} card)"
        )

        await pilot.press("u")
        assert buried(db, "why-this-job") == 0
        assert reviews(db) == [(first.card_id, 3)]

        await pilot.press("u")
        assert reviews(db) == []
        assert screen.card.card_id == first.card_id
        assert toasts(app)[-1] == "Undid Good on “Tell me about yourself.” (rehearse card)"

        await pilot.press("u")
        assert toasts(app)[-1] == "Nothing to undo."
        assert screen.card.card_id == first.card_id


async def test_undo_never_takes_back_a_rating_made_elsewhere(app_factory, db):
    # A rating made before this screen opened (on the mock-review screen, another window or
    # the command line) is not this session's to take back.
    session = ReviewSession(db)
    card = session.next_card(NOW)
    session.rate(card.card_id, Rating.GOOD, NOW)
    app = app_factory(start="review")
    async with app.run_test() as pilot:
        await pilot.press("u")
        assert reviews(db) == [(card.card_id, 3)]
        assert toasts(app)[-1] == "Nothing to undo."


async def test_summary_undo_takes_back_the_bury_first(app_factory, db):
    app = app_factory(start="review")
    async with app.run_test() as pilot:
        await pilot.press("space", "3", "b", "q")
        assert isinstance(app.screen, SummaryScreen)
        await pilot.press("u")
        screen = review_screen(app)
        assert buried(db, "why-this-job") == 0
        assert len(reviews(db)) == 1
        assert screen.card.question_id == "why-this-job"


async def test_summary_offers_undo_only_when_there_is_something_to_undo(app_factory, db):
    app = app_factory(start="review")
    async with app.run_test() as pilot:
        await pilot.press("q")
        assert isinstance(app.screen, SummaryScreen)
        assert app.screen.check_action("undo", ()) is False


async def test_undo_when_the_card_changed_elsewhere_says_so_and_changes_nothing(app_factory, db):
    app = app_factory(start="review")
    async with app.run_test() as pilot:
        screen = review_screen(app)
        first = screen.card
        await pilot.press("space", "3")
        # Another window rates the same card again meanwhile.
        ReviewSession(db).rate(first.card_id, Rating.AGAIN, NOW)
        await pilot.press("u")
        assert len(reviews(db)) == 2
        assert any("changed since" in message for message in toasts(app))


async def test_browse_undo_takes_back_suspend_and_reset(app_factory, db):
    app = app_factory()
    async with app.run_test() as pilot:
        await pilot.press("enter", "space", "3", "q", "q")
        before = db.execute(
            "SELECT state, due, reps FROM cards WHERE question_id = 'about-yourself' ORDER BY id"
        ).fetchall()
        await pilot.press("b")
        assert isinstance(app.screen, BrowseScreen)
        await pilot.press("r", "y")
        assert db.execute("SELECT max(reps) FROM cards").fetchone() == (0,)
        await pilot.press("s")
        assert db.execute(
            "SELECT min(suspended) FROM cards WHERE question_id = 'about-yourself'"
        ).fetchone() == (1,)
        await pilot.press("u")
        assert db.execute("SELECT max(suspended) FROM cards").fetchone() == (0,)
        assert toasts(app)[-1] == "Undid suspend of “Tell me about yourself.”"
        await pilot.press("u")
        assert (
            db.execute(
                "SELECT state, due, reps FROM cards WHERE question_id = 'about-yourself' "
                "ORDER BY id"
            ).fetchall()
            == before
        )
        assert toasts(app)[-1] == "Undid reset of “Tell me about yourself.”"
        # Browse's undo is its own: the rating made in review stays (and `u` is not offered).
        assert app.screen.check_action("undo", ()) is False
        await pilot.press("u")
        assert len(reviews(db)) == 1


async def test_question_page_shares_the_browse_undo(app_factory, db):
    app = app_factory()
    async with app.run_test() as pilot:
        await pilot.press("b", "enter")
        assert isinstance(app.screen, QuestionScreen)
        await pilot.press("s")
        assert db.execute(
            "SELECT min(suspended) FROM cards WHERE question_id = 'about-yourself'"
        ).fetchone() == (1,)
        await pilot.press("escape")
        assert isinstance(app.screen, BrowseScreen)
        await pilot.press("u")
        assert db.execute("SELECT max(suspended) FROM cards").fetchone() == (0,)


async def test_a_rating_made_in_a_mock_is_never_undone_from_review(clock):
    # The tester's case: a mock, rated Good on its review screen, then review from home and
    # u. The mock's rating is the mock's; review has nothing of its own to take back.
    from drill.tui.app import make_app
    from drill.tui.screens.home import HomeScreen
    from drill.tui.screens.mock import MockScreen
    from drill.tui.screens.mock_review import MockReviewScreen, MockSummaryScreen
    from tests.tui.helpers import DECK, make_db
    from tests.tui.test_home import SECOND

    db = make_db(DECK, SECOND)
    app = make_app(db, now=clock.now, timer=clock.timer)
    async with app.run_test() as pilot:
        await pilot.press("down", "m")
        assert isinstance(app.screen, MockScreen)
        await pilot.press(*"I would grow into a lead.")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, MockReviewScreen)
        await pilot.press("3")
        await pilot.pause()
        assert isinstance(app.screen, MockSummaryScreen)
        await pilot.press("q")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        mock_rating = reviews(db)
        assert [rating for _, rating in mock_rating] == [3]

        await pilot.press("a")
        await pilot.pause()
        screen = review_screen(app)
        await pilot.press("u")
        assert toasts(app)[-1] == "Nothing to undo."
        assert reviews(db) == mock_rating
        # And after a rating of its own, undo takes back that one only.
        await pilot.press("space", "3")
        await pilot.press("u", "u")
        assert reviews(db) == mock_rating
        assert toasts(app)[-1] == "Nothing to undo."
        assert screen.sitting.reviewed == 0
