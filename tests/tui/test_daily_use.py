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
