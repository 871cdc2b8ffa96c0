"""The daily time budget: estimates from recorded durations, the intake rule (today and the
look-ahead), the collection-wide cap on new questions, and "learn more".
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from drill.core import budget
from drill.core.budget import Candidate, Day, Estimates
from drill.core.config import StudyConfig
from drill.core.model import CardKind, Rating
from drill.library.importing import import_decks
from drill.storage import repo
from drill.study.session import ReviewSession
from tests.helpers import NOW, parse

DAY = timedelta(days=1)


def deck_text(name: str, count: int) -> str:
    parts = [f"# {name}\n"]
    for i in range(1, count + 1):
        parts.append(f"## {name} question {i}?\nid: q{i}\n\n### Why they ask\nReasons.\n")
        parts.append("### Do\n- Do it.\n")
    return "\n".join(parts)


# -- estimates ----------------------------------------------------------------------------------


def test_defaults_before_there_is_a_history():
    est = Estimates.from_history({}, {})
    assert est.of(CardKind.REHEARSE) == 120  # a spoken answer: about two minutes
    assert est.of(CardKind.WHY) < est.of(CardKind.REHEARSE)
    assert est.of(CardKind.DOS) < est.of(CardKind.REHEARSE)
    assert est.measured == frozenset()
    assert est.fail_first == budget.FAIL_FIRST


def test_the_median_of_recent_timed_reviews_per_kind():
    # Newest first; the 60th (a huge outlier) is past RECENT_SAMPLES and not counted.
    rehearse = [90_000] * 20 + [150_000] * 9 + [100_000] * 21 + [9_000_000] * 10
    est = Estimates.from_history({CardKind.REHEARSE: rehearse, CardKind.WHY: [30_000] * 4}, {})
    assert est.of(CardKind.REHEARSE) == 100.0
    # Four timed why cards are too few: the default stays.
    assert est.of(CardKind.WHY) == budget.DEFAULT_SECONDS[CardKind.WHY]
    assert est.measured == frozenset({CardKind.REHEARSE})


def test_a_card_left_open_counts_as_at_most_ten_minutes():
    est = Estimates.from_history({CardKind.DOS: [3_600_000] * 9}, {})
    assert est.of(CardKind.DOS) == budget.LONGEST_MS / 1000
    assert budget.capped_ms(None, CardKind.DOS, Estimates.default()) == 50_000


def test_first_ratings_set_the_share_of_re_views():
    ratings = {Rating.AGAIN: 10, Rating.HARD: 10, Rating.GOOD: 20}
    assert Estimates.from_history({}, ratings).fail_first == 0.5


def test_estimates_come_from_the_users_own_durations(db):
    import_decks(db, [parse(deck_text("Alpha", 8))], NOW)
    repo.set_config(db, None, "daily_minutes", "off")
    session = ReviewSession(db)
    now = NOW
    for _ in range(6):
        card = session.next_card(now)
        assert card.kind == CardKind.REHEARSE
        session.rate(card.card_id, Rating.GOOD, now, 75_000)
        now += timedelta(minutes=2)
    from drill.core import clock
    from drill.study.intake import load_estimates

    # Today's prices stay the day's (the plan keeps its word); tomorrow's include today.
    today = clock.to_ms(clock.day_start(NOW, 4))
    tomorrow = clock.to_ms(clock.next_day_start(NOW, 4))
    assert load_estimates(db, today) == Estimates.default()
    est = load_estimates(db, tomorrow)
    assert est.of(CardKind.REHEARSE) == 75.0
    assert est.of(CardKind.WHY) == budget.DEFAULT_SECONDS[CardKind.WHY]
    assert est.fail_first == Estimates.default().fail_first  # fewer first ratings than needed


# -- the rule ----------------------------------------------------------------------------------


def question(deck: str = "d", today: float = 120, ahead=()) -> Candidate:
    return Candidate(deck, True, today, tuple(ahead))


def test_due_cards_leave_room_for_new_questions_only_while_today_fits():
    day = Day(budget=1200, spent=300, owed=600)  # 5 min done, 10 min owed
    admission = budget.admit([question(), question(), question()], day)
    assert admission.admitted == (True, True, False)  # 15 + 2 + 2 fits, + 2 more does not
    assert (admission.questions, admission.refused) == (2, "budget")


def test_owed_cards_past_the_budget_leave_no_room():
    admission = budget.admit([question()], Day(budget=1200, spent=0, owed=1300))
    assert admission.admitted == (False,)
    assert admission.refused == "budget"


def test_cards_of_started_questions_share_the_budget_before_new_questions():
    day = Day(budget=600, spent=0, owed=400)
    started = Candidate("d", False, 150)
    admission = budget.admit([started, question()], day)
    # 400 + 150 fits; a new question (120 more) does not: 670 > 600.
    assert admission.admitted == (True, False)
    assert admission.questions == 0


def test_the_cap_counts_questions_across_decks():
    day = Day(budget=None, spent=0, owed=0, introduced=1, cap=3)
    candidates = [question("a"), Candidate("a", False, 50), question("b"), question("b")]
    admission = budget.admit(candidates, day)
    assert admission.admitted == (True, True, True, False)
    assert (admission.questions, admission.refused) == (2, "cap")


def test_the_look_ahead_keeps_a_new_questions_review_days_under_the_share():
    # 11 minutes of reviews already fall on day 2; a question adds 2 more there.
    share = budget.LOOKAHEAD_SHARE * 1200
    day = Day(budget=1200, spent=0, owed=0, cap=10, ahead={2: share - 180})
    first = question(ahead=[(2, 120)])
    second = question(ahead=[(2, 120)])
    admission = budget.admit([first, second], day)
    assert admission.admitted == (True, False)
    assert admission.refused == "ahead"


def test_the_look_ahead_leaves_more_room_on_days_further_ahead():
    """A day two weeks ahead will still gain the reviews of every question introduced until
    then, so it may be forecast fuller than a day this week before it refuses a question.
    """
    near, far = budget.LOOKAHEAD_SHARE * 1200, budget.LOOKAHEAD_SHARE_FAR * 1200
    assert far < near
    load = (near + far) / 2 - 60  # under the near share, over the far one with a question
    this_week = Day(budget=1200, spent=0, owed=0, cap=10, ahead={2: load})
    assert budget.admit([question(ahead=[(2, 120)])], this_week).admitted == (True,)
    far_day = budget.FAR_DAYS + 6
    later = Day(budget=1200, spent=0, owed=0, cap=10, ahead={far_day: load})
    admission = budget.admit([question(ahead=[(2, 120), (far_day, 120)])], later)
    assert (admission.admitted, admission.refused) == ((False,), "ahead")
    # Up to the day before FAR_DAYS the near share holds.
    edge = Day(budget=1200, spent=0, owed=0, cap=10, ahead={budget.FAR_DAYS - 1: load})
    assert budget.admit([question(ahead=[(budget.FAR_DAYS - 1, 120)])], edge).admitted == (True,)


def test_the_look_ahead_ignores_days_after_the_interview():
    day = Day(budget=1200, spent=0, owed=0, cap=10, ahead={5: 2000})
    late = Candidate("d", True, 120, ((5, 120),), horizon=4)
    assert budget.admit([late], day).admitted == (True,)


def test_a_refused_card_blocks_the_rest_of_its_deck_only():
    day = Day(budget=1200, spent=0, owed=0, cap=10)
    candidates = [question("a", today=2000), question("a"), question("b")]
    assert budget.admit(candidates, day).admitted == (False, False, True)


def test_learn_more_goes_past_the_budget_by_what_it_granted():
    day = Day(
        budget=600, spent=600, owed=0, cap=2, introduced=2, extra_questions=1, extra_seconds=150
    )
    admission = budget.admit([question(ahead=[(2, 5000)]), question()], day)
    assert admission.admitted == (True, False)  # one more, and the look-ahead yields to it


def test_without_a_budget_only_the_cap_limits():
    day = Day(budget=None, spent=99_999, owed=99_999, cap=None)
    assert budget.admit([question(), question()], day).admitted == (True, True)


def test_a_new_questions_cost_counts_its_cards_on_their_days():
    config = StudyConfig()
    est = Estimates.default()
    cost = budget.question_cost(list(CardKind), config, est, together=False)
    # Only the rehearse card today (no learning step: one view); why tomorrow, dos after.
    assert cost.today == est.of(CardKind.REHEARSE)
    days = dict(cost.ahead)
    assert days[2] == pytest.approx(budget.review_views(config) * est.of(CardKind.REHEARSE))
    assert 3 in days and 4 in days  # the why and dos cards' first reviews
    together = budget.question_cost(list(CardKind), config, est, together=True)
    assert together.today > cost.today  # in deadline mode all three come in today


def test_projected_reviews_follow_the_scheduler():
    from drill.core import clock
    from drill.core.model import CardRecord

    config = StudyConfig(fuzz=False)
    record = CardRecord(
        state=2,
        stability=2.3,
        difficulty=5.0,
        due=clock.to_ms(NOW + 2 * DAY),
        last_review=clock.to_ms(NOW),
        reps=1,
    )
    days = budget.projected_reviews(record, CardKind.REHEARSE, config, NOW.date(), 30)
    assert days[0] == 2
    assert len(days) >= 2 and days[1] > 6  # the next interval grows


@pytest.mark.parametrize("stability", [0.1, 0.3, 0.7, 1.2])
def test_projected_reviews_keep_good_a_day_after_hard_as_studying_does(stability):
    """A young card (after a lapse) that FSRS would give 1 day for both Hard and Good: the
    look-ahead places its next review where `scheduling.rate` will, not a day early.
    """
    from drill.core import clock, scheduling
    from drill.core.model import CardRecord

    config = StudyConfig(fuzz=False)
    now = NOW + timedelta(hours=8)  # 18:00, an evening sitting
    record = CardRecord(
        state=2,
        stability=stability,
        difficulty=7.0,
        due=clock.to_ms(now - timedelta(hours=2)),
        last_review=clock.to_ms(now - DAY),
        reps=3,
        lapses=1,
    )
    scheduler = scheduling.scheduler_for(config, CardKind.REHEARSE)
    day = config.day_starts_at
    good = scheduling.rate(scheduler, 1, record, Rating.GOOD, now, day_starts_at=day)
    hard = scheduling.rate(scheduler, 1, record, Rating.HARD, now, day_starts_at=day)

    def study_days(after: CardRecord) -> int:
        due = clock.from_ms(after.due or 0)
        return (clock.study_date(due, day) - clock.study_date(now, day)).days

    days = budget.projected_reviews(
        record, CardKind.REHEARSE, config, clock.study_date(now, day), 60
    )
    assert days[0] == study_days(good)
    assert days[0] > study_days(hard)  # the spread; FSRS alone rounds both to a day
    # The review after that follows studying too: Good again on that day.
    then = clock.from_ms(good.due or 0)
    second = scheduling.rate(scheduler, 1, good, Rating.GOOD, then, day_starts_at=day)
    gap = clock.study_date(clock.from_ms(second.due or 0), day) - clock.study_date(then, day)
    assert days[1] == days[0] + gap.days


# -- the live session -----------------------------------------------------------------------


def test_day_one_stays_within_the_budget(db):
    """Sixty questions in six decks: the first day brings in what fits 20 minutes, not all
    of them (the defaults once put every bundled question on day one).
    """
    import_decks(db, [parse(deck_text(f"Deck {i}", 10)) for i in range(6)], NOW)
    session = ReviewSession(db)
    plan = session.today_plan(NOW)
    assert plan.budget_minutes == 20
    assert 3 <= plan.new_questions <= 6
    assert plan.total <= 20 * 60
    spent, now, seen = 0, NOW, set()
    while (card := session.next_card(now)) is not None:
        session.rate(card.card_id, Rating.GOOD, now, 120_000)
        seen.add((card.deck_id, card.question_id))
        spent += 120
        now += timedelta(minutes=2)
    assert spent <= 20 * 60
    assert len(seen) == plan.new_questions
    assert session.today_plan(now).done


def test_spent_time_counts_against_todays_budget(db):
    import_decks(db, [parse(deck_text("Alpha", 20))], NOW)
    session = ReviewSession(db)
    before = session.today_plan(NOW).new_questions
    now = NOW
    for _ in range(2):  # two slow answers: nine minutes each
        card = session.next_card(now)
        session.rate(card.card_id, Rating.GOOD, now, 9 * 60_000)
        now += timedelta(minutes=9)
    after = session.today_plan(now)
    assert after.spent == 18 * 60
    assert after.new_questions <= 1 < before - 2
    # What is left is said out of the day's whole: the 18 minutes spent are the difference.
    import re

    found = re.match(r"≈ (\d+) of (\d+) min left: ", after.line())
    assert found, after.line()
    assert int(found[2]) - int(found[1]) in (17, 18, 19), after.line()


def test_learn_more_says_how_far_past_the_budget(db):
    import_decks(db, [parse(deck_text("Alpha", 20))], NOW)
    session = ReviewSession(db)
    now = NOW
    while (card := session.next_card(now)) is not None:  # slow answers fill the budget
        session.rate(card.card_id, Rating.GOOD, now, 5 * 60_000)
        now += timedelta(minutes=5)
    assert session.today_plan(now).done
    assert session.today_plan(now).refused == "budget"
    more = session.learn_more(now)
    assert more.questions == 2
    assert more.over > 0 and more.budget_minutes == 20
    assert session.next_card(now) is not None
    tomorrow = session.today_plan(now + DAY)
    assert tomorrow.extra_questions == 0  # today only


def test_new_questions_per_day_caps_questions_not_cards(db):
    import_decks(db, [parse(deck_text("Alpha", 5)), parse(deck_text("Beta", 5))], NOW)
    repo.set_config(db, None, "new_questions_per_day", "3")
    repo.set_config(db, None, "daily_minutes", "off")
    session = ReviewSession(db)
    now, started = NOW, set()
    while (card := session.next_card(now)) is not None:
        session.rate(card.card_id, Rating.GOOD, now)
        started.add((card.deck_id, card.question_id))
    assert len(started) == 3  # across both decks
    # Tomorrow: three more questions, and the why cards of the three started share the day.
    tomorrow, kinds = NOW + DAY, []
    while (card := session.next_card(tomorrow)) is not None:
        session.rate(card.card_id, Rating.GOOD, tomorrow)
        kinds.append(card.kind)
    assert kinds.count(CardKind.REHEARSE) == 3
    assert kinds.count(CardKind.WHY) == 3


def test_the_per_deck_card_limit_still_applies(db):
    import_decks(db, [parse(deck_text("Alpha", 10))], NOW)
    repo.set_config(db, None, "new_per_day", "2")
    session = ReviewSession(db)
    assert session.counts(NOW).new == 2
    assert session.today_plan(NOW).new_questions == 2
