"""Issue 18 in the TUI: the stats charts fit a new user's history and label their axes."""

from __future__ import annotations

from drill.tui.screens.stats import StatsScreen
from drill.tui.widgets.charts import ForecastChart, RetentionChart, ReviewsChart, StabilityChart
from tests.tui.helpers import DECK, make_db
from tests.tui.test_snapshots import MORE, app_for, with_history

NEW_USER = ((3, 4), (2, 4), (1, 3))  # (days ago, reviews): a new user's first three days


def new_user_db():  # type: ignore[no-untyped-def]
    return with_history(make_db(DECK, MORE), NEW_USER)


async def test_a_new_users_charts_are_not_twelve_empty_weeks():
    app = app_for(new_user_db())
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("s")
        assert isinstance(app.screen, StatsScreen)
        reviews = app.screen.query_one(ReviewsChart)
        # Before: "Reviews per day, last 12 weeks" with the three days in the last column.
        assert reviews.border_title == "Reviews per day, last 2 weeks"
        assert sum(1 for v in reviews.values if v) == 3
        assert len(reviews.values) == 14
        assert len(app.screen.query_one(RetentionChart).values) <= 2
        assert app.screen.query_one(ForecastChart).border_title == "Due per day, next 14 days"


async def test_cards_by_stability_labels_its_axes():
    app = app_for(new_user_db())
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("s")
        chart = app.screen.query_one(StabilityChart)
        # The bars run along the count of cards; the rows are ranges of stability in days.
        assert chart.border_subtitle == "cards"
        assert "days" in str(chart.border_title)


async def test_a_mock_in_the_tui_is_recorded_for_the_report(db, clock):
    from drill.progress import stats
    from drill.tui.app import make_app
    from tests.tui.test_mock import plan_for, type_text

    plan = plan_for(db, "about-yourself", "weakness", seconds=60)
    app = make_app(db, start="mock", mock=plan, now=clock.now, timer=clock.timer)
    async with app.run_test() as pilot:
        await type_text(pilot, "I lead a team")
        clock.seconds += 40
        await pilot.press("ctrl+s")
        clock.seconds += 70  # over the minute, and nothing typed
        await pilot.press("ctrl+s")
        # The review: rate the first answer Good, skip the second.
        await pilot.press("3", "n")
    [mock] = stats.collect(db, clock.now()).mocks.recent
    assert (mock.questions, mock.answered, mock.in_time) == (2, 1, 1)
    assert mock.ratings == (0, 0, 1, 0)


async def test_at_60_columns_every_rating_shows_with_its_interval(app_factory):
    # Issue 18, bug 10: at 60 columns the rating bar showed only "1 Again".
    from drill.tui.widgets.rating_bar import RatingBar

    app = app_factory(start="review")
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.press("space")
        buttons = list(app.screen.query_one(RatingBar).query("Button"))
        assert len(buttons) == 4
        for button in buttons:
            label = str(button.label)
            assert button.region.x >= 0 and button.region.right <= 60, (label, button.region)
            # The whole label is drawn: the key, the rating and the interval.
            assert button.content_region.width >= len(label), (label, button.content_region)
        assert [str(b.label).split()[1] for b in buttons] == ["Again", "Hard", "Good", "Easy"]


# -- the back of a rehearse card puts your answer first ------------------------------------------

LONG_APPROACH = " ".join(["Say what you did, then why it mattered, and what changed after."] * 14)


async def test_the_back_of_a_rehearse_card_shows_your_answer_first(app_factory, db):
    from drill.tui.widgets.card_view import YourAnswer

    app = app_factory(start="review")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("t", *"I", "space", *"run", "space", *"a", "space", *"ward.", "ctrl+s")
        screen = app.screen
        mine = screen.query_one(YourAnswer)
        # Before: "Your answer just now" came last, below the tips, about 45 lines down.
        assert "I run a ward." in str(mine.query_one(".answer-text").visual)
        scroll = screen.query_one("#card-scroll")
        assert mine.region.y < scroll.region.bottom  # in sight without scrolling
        titles = [str(s.visual) for s in screen.query(".section-title")]
        assert titles.index("Your answer just now") < titles.index("Approach")


async def test_long_sections_fold_and_x_opens_them(app_factory, db):
    from textual.widgets import Collapsible

    db.execute("UPDATE questions SET approach = ? WHERE id = 'about-yourself'", [LONG_APPROACH])
    app = app_factory(start="review")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("space")
        folded = [c for c in app.screen.query(Collapsible) if "Approach" in str(c.title)]
        assert len(folded) == 1 and folded[0].collapsed
        assert "words" in str(folded[0].title)
        await pilot.press("x")
        assert not folded[0].collapsed


# -- feedback after every action -----------------------------------------------------------------


def status(app) -> str:
    return str(app.screen.query_one("#status").visual)


async def test_a_status_line_says_what_each_action_did(app_factory, db):
    from tests.helpers import use_py_fsrs_steps

    use_py_fsrs_steps(db)  # learning steps, so that "back in 10m" comes up
    app = app_factory(start="review")
    async with app.run_test(size=(60, 20)) as pilot:
        assert status(app) == ""
        await pilot.press("space", "3")
        assert status(app) == "Good · back in 10m"
        await pilot.press("b")
        assert status(app) == "Buried until tomorrow"
        await pilot.press("s")
        assert status(app) == "Suspended"
        await pilot.press("u")
        assert status(app) == "Undid suspend"
        await pilot.press("space", "1")
        assert status(app) == "Again · back in 1m"


# -- bug 3: the new-card offer, its count and n agree --------------------------------------------


async def test_the_learn_more_offer_counts_what_n_delivers(db, clock):
    from drill.storage import repo
    from drill.tui.app import make_app
    from drill.tui.screens.home import HomeScreen
    from drill.tui.screens.review import ReviewScreen
    from tests.tui.helpers import screen_text

    # One new card a day: about-yourself is learned (Easy), so its two other cards wait for
    # tomorrow. Today only why-this-job and weakness can still come: 2, not the 6 new cards.
    repo.set_config(db, None, "new_per_day", "1")
    app = make_app(db, now=clock.now, timer=clock.timer)
    async with app.run_test() as pilot:
        await pilot.press("enter", "space", "4", "q")
        assert isinstance(app.screen, HomeScreen)
        assert "Press n for more new questions today" in screen_text(app)
        seen: list[str] = []
        for _ in range(5):
            if "Press n" not in screen_text(app):
                break
            await pilot.press("n")
            # Every offer delivers: n opens a card (before, it could find nothing to study).
            assert isinstance(app.screen, ReviewScreen), screen_text(app)
            while isinstance(app.screen, ReviewScreen) and app.screen.card is not None:
                seen.append(app.screen.card.question_id)
                await pilot.press("space", "4")
        # Only what could still come today: about-yourself's other cards wait for tomorrow.
        assert seen and set(seen) <= {"why-this-job", "weakness"}
        # Nothing more can come today: no offer, no n.
        assert "Press n" not in screen_text(app)
        assert app.screen.check_action("learn_more", ()) is False


async def test_no_offer_when_only_buried_siblings_are_left(db, clock):
    from drill.storage import repo
    from drill.tui.app import make_app
    from drill.tui.screens.home import HomeScreen
    from tests.tui.helpers import screen_text

    repo.set_config(db, None, "new_per_day", "1")
    db.execute("UPDATE cards SET suspended = 1 WHERE question_id != 'about-yourself'")
    app = make_app(db, now=clock.now, timer=clock.timer)
    async with app.run_test() as pilot:
        await pilot.press("enter", "space", "4", "q")
        assert isinstance(app.screen, HomeScreen)
        # Before: "Press n to learn more new cards (2 left)", then n found nothing to study.
        assert "Press n" not in screen_text(app)
        assert app.screen.check_action("learn_more", ()) is False


async def test_a_decks_summary_offers_only_that_decks_new_cards(clock):
    # Issue 18: the count was for all decks while n acts on one. After a deck's session its
    # summary counts that deck's new cards, and n brings only those.
    from drill.storage import repo
    from drill.tui.app import make_app
    from drill.tui.screens.review import ReviewScreen
    from drill.tui.screens.summary import SummaryScreen
    from tests.tui.helpers import DECK, make_db, screen_text
    from tests.tui.test_home import SECOND

    db = make_db(DECK, SECOND)
    repo.set_config(db, None, "new_per_day", "1")
    app = make_app(db, now=clock.now, timer=clock.timer)
    async with app.run_test() as pilot:
        await pilot.press("enter", "space", "4")  # the first deck, Interview basics
        assert isinstance(app.screen, SummaryScreen)
        # Interview basics' questions can still come, so the offer stands; n brings them.
        assert "Press n for more new questions today" in screen_text(app)
        await pilot.press("n")
        assert isinstance(app.screen, ReviewScreen)
        assert app.screen.card is not None
        assert app.screen.card.deck_id == "interview-basics"


def visible_text(app) -> str:
    """What the terminal shows (from a screenshot): clipped text is not in it."""
    import html
    import re

    return html.unescape(re.sub(r"<[^>]+>", "", app.export_screenshot())).replace("\xa0", " ")


async def test_at_60_columns_home_shows_the_whole_offer(clock):
    # At 60x20 the calendar squeezed Today's panel and cut the offer after "(2 can".
    from drill.core.model import Rating
    from drill.storage import repo
    from drill.tui.app import make_app
    from tests.tui.helpers import DECK, make_db
    from tests.tui.test_snapshots import MORE, RECENT, with_history

    db = with_history(make_db(DECK, MORE), RECENT, Rating.EASY)
    repo.set_config(db, None, "new_per_day", "0")
    app = make_app(db, now=clock.now, timer=clock.timer)
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        shown = visible_text(app)
        assert "Press n for more new questions today." in shown
        assert "Interview basics" in shown  # the deck table keeps its rows
        await pilot.resize_terminal(100, 30)
        await pilot.pause()
        assert app.screen.query_one("#calendar").display  # there is room for it again


async def test_e_on_a_why_card_edits_the_saved_answer_not_the_note(app_factory, db):
    # On a Why card the loaded text is its note; e still opens the question's saved answer,
    # so saving from there never replaces the answer with an empty or note-only version.
    from textual.widgets import TextArea

    from drill.core.model import CardKind
    from drill.study import answers
    from drill.tui.screens.answer_editor import AnswerEditor
    from tests.tui.helpers import NOW

    db.execute("UPDATE cards SET suspended = 1 WHERE kind != 'why'")
    answers.save_answer(db, "interview-basics", "about-yourself", "My saved answer.", "cli", NOW)
    answers.save_note(db, "interview-basics", "about-yourself", CardKind.WHY, "A note.", NOW)
    app = app_factory(start="review")
    async with app.run_test() as pilot:
        await pilot.press("space")  # the back: the note is loaded beside it
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, AnswerEditor)
        assert app.screen.query_one(TextArea).text == "My saved answer."
