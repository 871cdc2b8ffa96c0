"""Progress figures against small hand-computed collections.

NOW is Monday 2026-01-05 10:00 UTC; tests run in UTC and study days start at 04:00.
"""

from __future__ import annotations

import os
import sqlite3
import time
from datetime import date, timedelta

import pytest
from fsrs.scheduler import DEFAULT_PARAMETERS

from drill.core import clock
from drill.core.config import StudyConfig
from drill.core.model import CardRecord
from drill.core.scheduling import retrievability
from drill.library.importing import import_decks
from drill.progress import stats
from drill.storage import repo
from tests.helpers import NOW, parse

DAY = 86_400_000
NOW_MS = clock.to_ms(NOW)
HOUR = 3_600_000

OTHER_DECK = """# <script>alert(1)</script> | Other

## Tell me about a failure?
id: failure

## Describe a conflict?
id: conflict
"""


def add_review(db, card_id, at_ms, rating, state, duration=None):
    deck = db.execute("SELECT deck_id FROM cards WHERE id = ?", [card_id]).fetchone()[0]
    db.execute(
        "INSERT INTO reviews (card_id, deck_id, review_time, rating, review_state, duration_ms) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        [card_id, deck, at_ms, rating, state, duration],
    )


def set_card(db, card_id, state, stability=None, last=None, due=None, suspended=0, retired=0):
    db.execute(
        "UPDATE cards SET state = ?, stability = ?, difficulty = 5, last_review = ?, due = ?, "
        "suspended = ?, retired = ? WHERE id = ?",
        [state, stability, last, due, suspended, retired, card_id],
    )


@pytest.fixture
def known(sample_db):
    """Two decks with known cards and reviews (see the module docstring for the clock)."""
    db = sample_db
    import_decks(db, [parse(OTHER_DECK, "other.md")], NOW)
    assert db.execute("SELECT max(id) FROM cards").fetchone()[0] == 7
    set_card(db, 1, 2, 30.0, NOW_MS - 10 * DAY, NOW_MS - DAY)  # overdue: due today
    set_card(db, 2, 2, 25.0, NOW_MS - 5 * DAY, NOW_MS + 2 * DAY)
    set_card(db, 3, 1, 2.0, NOW_MS - HOUR, NOW_MS + 10 * 60_000)
    set_card(db, 4, 2, 40.0, NOW_MS - 20 * DAY, NOW_MS + 20 * DAY)
    # card 5 stays new
    set_card(db, 6, 3, 0.5, NOW_MS - 2 * DAY, NOW_MS - DAY, suspended=1)
    set_card(db, 7, 2, 90.0, NOW_MS - 2 * DAY, NOW_MS + DAY, retired=1)
    add_review(db, 1, NOW_MS - 7 * DAY, 3, 2, 1000)  # exactly 7 days ago: in the 7d window
    add_review(db, 2, NOW_MS - 7 * DAY - 1, 1, 2, 1000)  # one ms earlier: outside it
    add_review(db, 3, NOW_MS - HOUR, 3, 0, 5000)
    add_review(db, 4, NOW_MS - 2 * HOUR, 1, 2, 7000)
    add_review(db, 1, NOW_MS - 40 * DAY, 4, 2)
    add_review(db, 3, NOW_MS - DAY, 3, 1, 2000)
    add_review(db, 6, NOW_MS - 3 * HOUR, 3, 2, 4000)
    return db


def expected_r(t_days: int, stability: float, w20: float = stats.DEFAULT_W20) -> float:
    decay = -w20
    factor = 0.9 ** (1 / decay) - 1
    return (1 + factor * t_days / stability) ** decay


def zero_days(first: date, count: int) -> list[dict]:
    return [{"date": (first + timedelta(i)).isoformat(), "reviews": 0} for i in range(count)]


def heat(first: date, count: int, counts: dict[str, int]) -> list[dict]:
    rows = zero_days(first, count)
    for row in rows:
        row["reviews"] = counts.get(row["date"], 0)
    return rows


def due_days(counts: dict[str, int]) -> list[dict]:
    first = date(2026, 1, 5)
    return [
        {
            "date": (first + timedelta(i)).isoformat(),
            "due": counts.get(str(first + timedelta(i)), 0),
        }
        for i in range(30)
    ]


def weeks(values: dict[str, tuple[int, int]]) -> list[dict]:
    first = date(2025, 10, 20)
    out = []
    for i in range(12):
        week = (first + timedelta(weeks=i)).isoformat()
        reviews, passed = values.get(week, (0, 0))
        out.append(
            {
                "week": week,
                "reviews": reviews,
                "passed": passed,
                "retention": round(passed / reviews, 4) if reviews else None,
            }
        )
    return out


def buckets(counts: list[int]) -> list[dict]:
    return [
        {"label": label, "min_days": low, "max_days": high, "cards": n}
        for (label, low, high), n in zip(stats.STABILITY_BUCKETS, counts, strict=True)
    ]


def test_collect_matches_hand_computed_figures(known):
    data = stats.collect(known, NOW).to_json()
    sample_r = [expected_r(10, 30.0), expected_r(5, 25.0), 1.0, expected_r(20, 40.0)]
    sample = {
        "id": "sample-deck",
        "name": "Sample deck",
        "total_reviews": 6,
        "today": {"reviewed": 2, "new_learned": 1, "again": 1, "time_ms": 12000},
        "streak_days": 2,
        "true_retention": {"7d": 0.5, "30d": 0.3333, "all": 0.5},
        "questions": 3,
        "mastered_questions": 1,
        "cards": {"new": 1, "learning": 1, "review": 3, "relearning": 0, "suspended": 0},
        "mean_retrievability": round(sum(sample_r) / 4, 4),
        "stability": buckets([0, 1, 0, 3, 0, 0]),
        "forecast": due_days({"2026-01-05": 2, "2026-01-07": 1, "2026-01-25": 1}),
        "heatmap": heat(
            date(2025, 10, 14),
            84,
            {"2026-01-05": 2, "2026-01-04": 1, "2025-12-29": 2, "2025-11-26": 1},
        ),
        "weekly_retention": weeks(
            {"2026-01-05": (1, 0), "2025-12-29": (2, 1), "2025-11-24": (1, 1)}
        ),
        # Issue 18, for a coach: no lapses here, so the lowest recall comes first.
        "interview": None,
        "weakest": [
            {
                "deck": "sample-deck",
                "question_id": "about-you",
                "question": "Tell me about yourself.",
                "lapses": 0,
                "retrievability": round(expected_r(20, 40.0), 4),
                "answered": False,
            },
            {
                "deck": "sample-deck",
                "question_id": "career-goals",
                "question": "What goals do you have in your career?",
                "lapses": 0,
                "retrievability": round(expected_r(10, 30.0), 4),
                "answered": False,
            },
        ],
        "answers_written": 0,
    }
    other = {
        "id": "script-alert-1-script-other",
        "name": "<script>alert(1)</script> | Other",
        "total_reviews": 1,
        "today": {"reviewed": 1, "new_learned": 0, "again": 0, "time_ms": 4000},
        "streak_days": 1,
        "true_retention": {"7d": 1.0, "30d": 1.0, "all": 1.0},
        "questions": 2,
        "mastered_questions": 0,
        "cards": {"new": 0, "learning": 0, "review": 0, "relearning": 0, "suspended": 1},
        "mean_retrievability": None,
        "stability": buckets([0] * 6),
        "forecast": due_days({}),
        "heatmap": heat(date(2025, 10, 14), 84, {"2026-01-05": 1}),
        "weekly_retention": weeks({"2026-01-05": (1, 1)}),
        "interview": None,
        "weakest": [],  # its only reviewed card is suspended
        "answers_written": 0,
    }
    assert other["id"] == known.execute("SELECT id FROM decks WHERE position = 1").fetchone()[0]
    assert data == {
        "generated_at": "2026-01-05T10:00:00Z",
        "study_day": "2026-01-05",
        "day_starts_at": 4,
        "deck": None,
        "days": 84,
        "total_reviews": 7,
        "today": {"reviewed": 3, "new_learned": 1, "again": 1, "time_ms": 16000},
        "streak_days": 2,
        "true_retention": {"7d": 0.6667, "30d": 0.5, "all": 0.6},
        "questions": 5,
        "mastered_questions": 1,
        "cards": {"new": 1, "learning": 1, "review": 3, "relearning": 0, "suspended": 1},
        "mean_retrievability": sample["mean_retrievability"],
        "stability": sample["stability"],
        "forecast": sample["forecast"],
        "heatmap": heat(
            date(2025, 10, 14),
            84,
            {"2026-01-05": 3, "2026-01-04": 1, "2025-12-29": 2, "2025-11-26": 1},
        ),
        "weekly_retention": weeks(
            {"2026-01-05": (2, 1), "2025-12-29": (2, 1), "2025-11-24": (1, 1)}
        ),
        "interview": None,
        "weakest": sample["weakest"],
        "answers_written": 0,
        "mocks": {"count": 0, "recent": []},
        "decks": [sample, other],
        "leeches": [],  # none has lapsed 8 times (tests/test_leeches.py)
    }


def test_collect_for_one_deck_equals_its_entry(known):
    everything = stats.collect(known, NOW).to_json()
    one = stats.collect(known, NOW, deck_id="sample-deck").to_json()
    entry = dict(everything["decks"][0])
    del entry["id"], entry["name"]
    for key, value in entry.items():
        assert one[key] == value, key
    assert one["deck"] == "sample-deck"
    assert [d["id"] for d in one["decks"]] == ["sample-deck"]


def test_collect_unknown_deck_raises(known):
    with pytest.raises(repo.UnknownDeck):
        stats.collect(known, NOW, deck_id="nope").to_json()


def test_collect_on_an_empty_collection(db):
    data = stats.collect(db, NOW, days=7).to_json()
    assert data["total_reviews"] == 0
    assert data["today"] == {"reviewed": 0, "new_learned": 0, "again": 0, "time_ms": 0}
    assert data["streak_days"] == 0
    assert data["true_retention"] == {"7d": None, "30d": None, "all": None}
    assert data["cards"] == {"new": 0, "learning": 0, "review": 0, "relearning": 0, "suspended": 0}
    assert data["mean_retrievability"] is None
    assert data["mastered_questions"] == 0
    assert data["heatmap"] == zero_days(date(2025, 12, 30), 7)
    assert [f["due"] for f in data["forecast"]] == [0] * 30
    assert data["decks"] == []


def test_single_figure_functions_agree_with_collect(known):
    data = stats.collect(known, NOW).to_json()
    assert stats.true_retention(known, NOW, 7) == pytest.approx(2 / 3)
    assert stats.true_retention(known, NOW, 30) == 0.5
    assert stats.true_retention(known, NOW) == 0.6
    assert stats.true_retention(known, NOW, 7, deck_id="sample-deck") == 0.5
    assert stats.card_counts(known).to_json() == data["cards"]
    assert stats.mastered_questions(known) == 1
    assert stats.mean_retrievability(known, NOW) == pytest.approx(
        data["mean_retrievability"], abs=1e-4
    )
    assert [b.to_json() for b in stats.stability_distribution(known)] == data["stability"]
    assert [{"date": d.isoformat(), "due": n} for d, n in stats.forecast(known, NOW)] == data[
        "forecast"
    ]
    assert [{"date": d.isoformat(), "reviews": n} for d, n in stats.heatmap(known, NOW)] == data[
        "heatmap"
    ]
    assert [w.to_json() for w in stats.weekly_retention(known, NOW)] == data["weekly_retention"]
    assert stats.today(known, NOW).to_json() == data["today"]
    assert stats.streak_days(known, NOW) == data["streak_days"]


def test_retention_window_includes_exactly_n_days_ago(sample_db):
    add_review(sample_db, 1, NOW_MS - 7 * DAY, 1, 2)
    assert stats.true_retention(sample_db, NOW, 7) == 0.0
    assert stats.collect(sample_db, NOW).to_json()["true_retention"]["7d"] == 0.0
    sample_db.execute("UPDATE reviews SET review_time = review_time - 1")
    assert stats.true_retention(sample_db, NOW, 7) is None
    assert stats.collect(sample_db, NOW).to_json()["true_retention"] == {
        "7d": None,
        "30d": 0.0,
        "all": 0.0,
    }


def test_retention_counts_only_reviews_of_cards_in_review(sample_db):
    for state in (0, 1, 3):
        add_review(sample_db, 1, NOW_MS - HOUR, 1, state)
    assert stats.true_retention(sample_db, NOW) is None
    add_review(sample_db, 1, NOW_MS - HOUR, 2, 2)  # Hard is a pass
    assert stats.true_retention(sample_db, NOW, 7) == 1.0


def test_streak_follows_day_starts_at(sample_db):
    # Study days start at 04:00: 03:59 belongs to the day before.
    add_review(sample_db, 1, clock.to_ms(NOW.replace(hour=5)), 3, 0)  # Jan 5
    add_review(sample_db, 1, clock.to_ms(NOW.replace(hour=3, minute=59)), 3, 1)  # Jan 4
    add_review(sample_db, 1, clock.to_ms(NOW.replace(day=3, hour=4)), 3, 2)  # Jan 3, 04:00
    assert stats.streak_days(sample_db, NOW) == 3
    assert stats.collect(sample_db, NOW).to_json()["streak_days"] == 3
    sample_db.execute("UPDATE reviews SET review_time = review_time - 1 WHERE id = 3")  # Jan 2
    assert stats.streak_days(sample_db, NOW) == 2
    assert stats.collect(sample_db, NOW).to_json()["streak_days"] == 2
    # Before 04:00 on Jan 5 it is still Jan 4: that day's review counts as today.
    early = NOW.replace(hour=3, minute=59, second=59)
    assert stats.streak_days(sample_db, early) == 1


def test_streak_counts_yesterday_while_today_is_still_to_come(sample_db):
    add_review(sample_db, 1, NOW_MS - DAY, 3, 0)
    add_review(sample_db, 1, NOW_MS - 2 * DAY, 3, 1)
    assert stats.streak_days(sample_db, NOW) == 2
    assert stats.collect(sample_db, NOW).to_json()["streak_days"] == 2


def test_streak_longer_than_the_heatmap_window(sample_db):
    for i in range(150):
        add_review(sample_db, 1, NOW_MS - i * DAY, 3, 2)
    data = stats.collect(sample_db, NOW, days=7).to_json()
    assert data["streak_days"] == 150
    assert data["decks"][0]["streak_days"] == 150
    assert stats.streak_days(sample_db, NOW) == 150


def test_heatmap_fills_missing_days_with_zeros(sample_db):
    add_review(sample_db, 1, NOW_MS - 2 * DAY, 3, 0)
    add_review(sample_db, 1, NOW_MS - 2 * DAY + HOUR, 3, 1)
    assert stats.heatmap(sample_db, NOW, days=5) == [
        (date(2026, 1, 1), 0),
        (date(2026, 1, 2), 0),
        (date(2026, 1, 3), 2),
        (date(2026, 1, 4), 0),
        (date(2026, 1, 5), 0),
    ]
    assert stats.collect(sample_db, NOW, days=5).to_json()["heatmap"] == [
        {"date": "2026-01-01", "reviews": 0},
        {"date": "2026-01-02", "reviews": 0},
        {"date": "2026-01-03", "reviews": 2},
        {"date": "2026-01-04", "reviews": 0},
        {"date": "2026-01-05", "reviews": 0},
    ]


def test_forecast_puts_overdue_cards_on_today(sample_db):
    set_card(sample_db, 1, 2, 10.0, NOW_MS - 40 * DAY, NOW_MS - 30 * DAY)  # long overdue
    set_card(sample_db, 2, 2, 10.0, NOW_MS - DAY, clock.to_ms(NOW.replace(hour=23)))
    # 03:00 on Jan 6 is before the day starts at 04:00: still Jan 5's study day.
    set_card(sample_db, 3, 2, 10.0, NOW_MS - DAY, clock.to_ms(NOW.replace(day=6, hour=3)))
    set_card(sample_db, 4, 2, 10.0, NOW_MS - DAY, clock.to_ms(NOW.replace(day=6, hour=4)))
    set_card(sample_db, 5, 2, 10.0, NOW_MS - DAY, NOW_MS - DAY, suspended=1)
    days = stats.forecast(sample_db, NOW, days=3)
    assert days == [(date(2026, 1, 5), 3), (date(2026, 1, 6), 1), (date(2026, 1, 7), 0)]


def test_forecast_ends_before_the_last_day_is_over(sample_db):
    end = clock.to_ms(clock.start_of(date(2026, 1, 8), 4))
    set_card(sample_db, 1, 2, 10.0, NOW_MS, end - 1)
    set_card(sample_db, 2, 2, 10.0, NOW_MS, end)
    assert stats.forecast(sample_db, NOW, days=3)[-1] == (date(2026, 1, 7), 1)


def test_mean_retrievability_matches_py_fsrs_and_deck_parameters(sample_db):
    set_card(sample_db, 1, 2, 12.5, NOW_MS - 9 * DAY - HOUR, NOW_MS)
    set_card(sample_db, 2, 2, 3.0, NOW_MS - 30 * DAY, NOW_MS)
    config = StudyConfig()
    want = [
        retrievability(config, CardRecord(2, None, 12.5, 5, NOW_MS, NOW_MS - 9 * DAY - HOUR), NOW),
        retrievability(config, CardRecord(2, None, 3.0, 5, NOW_MS, NOW_MS - 30 * DAY), NOW),
    ]
    assert stats.mean_retrievability(sample_db, NOW) == pytest.approx(sum(want) / 2)
    assert want[0] == pytest.approx(expected_r(9, 12.5))

    params = list(DEFAULT_PARAMETERS)
    params[20] = 0.5
    repo.set_config(sample_db, "sample-deck", "fsrs_parameters", ",".join(map(str, params)))
    tuned = repo.decks(sample_db)[0].config
    want = [
        retrievability(tuned, CardRecord(2, None, 12.5, 5, NOW_MS, NOW_MS - 9 * DAY - HOUR), NOW),
        retrievability(tuned, CardRecord(2, None, 3.0, 5, NOW_MS, NOW_MS - 30 * DAY), NOW),
    ]
    assert stats.mean_retrievability(sample_db, NOW) == pytest.approx(sum(want) / 2)
    assert want[1] == pytest.approx(expected_r(30, 3.0, 0.5))


def test_pow_is_supplied_when_sqlite_lacks_it(sample_db, monkeypatch):
    set_card(sample_db, 1, 2, 10.0, NOW_MS - 5 * DAY, NOW_MS)
    real_execute, conn = sample_db.execute, sample_db.conn
    registered = []

    def execute(sql, params=None):
        if sql == "SELECT pow(2, 3)":
            raise sqlite3.OperationalError("no such function: pow")
        return real_execute(sql, params or [])

    class Conn:
        def __getattr__(self, name):
            return getattr(conn, name)

        def create_function(self, name, n, fn, deterministic=False):
            registered.append((name, n, deterministic))
            conn.create_function(name, n, fn, deterministic=deterministic)

    monkeypatch.setattr(sample_db, "execute", execute)
    monkeypatch.setattr(sample_db, "conn", Conn())
    assert stats.mean_retrievability(sample_db, NOW) == pytest.approx(expected_r(5, 10.0))
    assert registered == [("pow", 2, True)]


def test_cards_leave_out_retired_and_count_suspended_apart(sample_db):
    set_card(sample_db, 1, 2, 30.0, NOW_MS - DAY, NOW_MS + DAY, retired=1)
    set_card(sample_db, 2, 3, 1.0, NOW_MS - DAY, NOW_MS + DAY, suspended=1)
    set_card(sample_db, 3, 1, 1.0, NOW_MS - DAY, NOW_MS + DAY)
    assert stats.card_counts(sample_db).to_json() == {
        "new": 2,
        "learning": 1,
        "review": 0,
        "relearning": 0,
        "suspended": 1,
    }


def test_mastered_needs_every_active_card_stable_for_21_days(sample_db):
    set_card(sample_db, 1, 2, 21.0, NOW_MS - DAY, NOW_MS + DAY)
    set_card(sample_db, 2, 2, 50.0, NOW_MS - DAY, NOW_MS + DAY)
    set_card(sample_db, 3, 2, 20.9, NOW_MS - DAY, NOW_MS + DAY)
    assert stats.mastered_questions(sample_db) == 0
    sample_db.execute("UPDATE cards SET suspended = 1 WHERE id = 3")
    assert stats.mastered_questions(sample_db) == 1
    set_card(sample_db, 4, 2, 100.0, NOW_MS - DAY, NOW_MS + DAY, retired=1)
    assert stats.mastered_questions(sample_db) == 1  # about-you has no active card left


def test_stability_distribution_buckets(sample_db):
    for card_id, stability in ((1, 0.4), (2, 1.0), (3, 21.0), (4, 400.0)):
        set_card(sample_db, card_id, 2, stability, NOW_MS - DAY, NOW_MS + DAY)
    assert [b.cards for b in stats.stability_distribution(sample_db)] == [1, 1, 0, 1, 0, 1]


def test_weekly_retention_uses_monday_weeks(sample_db):
    sunday = clock.to_ms(clock.start_of(date(2026, 1, 4), 4)) + HOUR
    add_review(sample_db, 1, sunday, 3, 2)
    add_review(sample_db, 1, NOW_MS, 1, 2)
    rows = stats.weekly_retention(sample_db, NOW, weeks=2)
    assert [(w.week, w.reviews, w.passed, w.retention) for w in rows] == [
        (date(2025, 12, 29), 1, 1, 1.0),
        (date(2026, 1, 5), 1, 0, 0.0),
    ]


@pytest.fixture
def new_york():
    old = os.environ.get("TZ")
    os.environ["TZ"] = "America/New_York"
    time.tzset()
    yield
    os.environ["TZ"] = old or "UTC"
    time.tzset()


def test_study_days_are_local_days(sample_db, new_york):
    # 10:00 UTC is 05:00 in New York: past the 04:00 start, so Jan 5 there too.
    add_review(sample_db, 1, clock.to_ms(NOW.replace(hour=8, minute=59)), 3, 2)  # 03:59 local
    add_review(sample_db, 1, clock.to_ms(NOW.replace(hour=9)), 3, 2)  # 04:00 local
    set_card(sample_db, 1, 2, 10.0, NOW_MS, clock.to_ms(NOW.replace(day=6, hour=8, minute=59)))
    set_card(sample_db, 2, 2, 10.0, NOW_MS, clock.to_ms(NOW.replace(day=6, hour=9)))
    assert stats.heatmap(sample_db, NOW, days=2) == [(date(2026, 1, 4), 1), (date(2026, 1, 5), 1)]
    assert stats.forecast(sample_db, NOW, days=2) == [(date(2026, 1, 5), 1), (date(2026, 1, 6), 1)]
    assert stats.collect(sample_db, NOW, days=2).to_json()["heatmap"] == [
        {"date": "2026-01-04", "reviews": 1},
        {"date": "2026-01-05", "reviews": 1},
    ]


def test_queries_read_reviews_through_indexes(known):
    """Only the all-time retention query may scan the reviews table."""
    plans = []
    real = known.execute

    def execute(sql, params=None):
        if "reviews" in sql:
            plan = real("EXPLAIN QUERY PLAN " + sql, params or []).fetchall()
            plans.append((sql, " / ".join(row[-1] for row in plan)))
        return real(sql, params or [])

    known.execute = execute
    try:
        stats.collect(known, NOW).to_json()
        stats.collect(known, NOW, deck_id="sample-deck").to_json()
    finally:
        del known.execute
    scans = [(sql, plan) for sql, plan in plans if "SCAN reviews" in plan]
    for sql, plan in scans:
        assert "NOT INDEXED" in sql or "COVERING INDEX" in plan, (sql, plan)
    assert sum("NOT INDEXED" in sql for sql, _ in scans) <= 2
    # Days of reviews are read per deck, from the covering (deck_id, review_time, ...) index.
    assert any("COVERING INDEX reviews_deck_time" in plan for _, plan in plans)


def test_collect_rejects_empty_ranges(db):
    with pytest.raises(ValueError):
        stats.collect(db, NOW, days=0).to_json()
