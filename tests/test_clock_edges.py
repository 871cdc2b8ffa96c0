"""Day boundaries and clocks: DST changes, day_starts_at, a clock going backwards, travel.

Study days are local days starting at `day_starts_at`. Across a DST change a study day lasts
23 or 25 hours and must still start at the configured local hour; sibling burying and the
daily limits follow it. Nothing may crash or produce a negative interval.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner

from drill.cli.main import cli
from drill.core import clock
from drill.core.model import CardKind, CardState, Rating
from drill.library.importing import import_decks
from drill.storage import repo
from drill.study.session import Counts, ReviewSession
from drill.study.undo import undo_latest_rating
from tests.helpers import NOW, parse

TWO_QUESTIONS = """# Clock deck

## First question?

### Why they ask
To see.

### Do
- Be brief.

## Second question?

### Why they ask
To check.

### Do
- Be clear.
"""


@contextmanager
def local_zone(name: str) -> Iterator[None]:
    """The machine's local time zone (study days are local) set to `name` for a while."""
    previous = os.environ.get("TZ")
    os.environ["TZ"] = name
    time.tzset()
    try:
        yield
    finally:
        if previous is None:
            del os.environ["TZ"]
        else:
            os.environ["TZ"] = previous
        time.tzset()


def transition(zone: str, around: date) -> datetime:
    """The UTC instant of the zone's DST change on the day `around` (found with zoneinfo)."""
    tz = ZoneInfo(zone)
    moment = datetime(around.year, around.month, around.day, tzinfo=UTC) - timedelta(hours=14)
    offset = moment.astimezone(tz).utcoffset()
    for _ in range(48 * 4):
        moment += timedelta(minutes=15)
        if moment.astimezone(tz).utcoffset() != offset:
            return moment
    raise AssertionError(f"no DST change in {zone} around {around}")


def day_starts_around(zone: str, hour: int, instant: datetime) -> tuple[datetime, datetime]:
    """The study-day starts just before and just after `instant`, computed with zoneinfo."""
    tz = ZoneInfo(zone)
    local_day = instant.astimezone(tz).date()
    starts = sorted(
        datetime.combine(local_day + timedelta(days=k), datetime.min.time(), tz)
        .replace(hour=hour)
        .astimezone(UTC)
        for k in range(-2, 3)
    )
    before = max(s for s in starts if s <= instant)
    after = min(s for s in starts if s > instant)
    return before, after


# (zone, day_starts_at, a day with a DST change)
DST_CASES = [
    ("America/New_York", 4, date(2026, 3, 8)),  # spring forward at 02:00
    ("America/New_York", 4, date(2026, 11, 1)),  # fall back at 02:00
    ("America/New_York", 0, date(2026, 3, 8)),
    ("America/New_York", 23, date(2026, 11, 1)),
    ("Europe/Berlin", 0, date(2026, 3, 29)),  # spring forward at 02:00
    ("Europe/Berlin", 4, date(2026, 3, 29)),
    ("Europe/Berlin", 23, date(2026, 10, 25)),  # fall back at 03:00
    ("Europe/Berlin", 0, date(2026, 10, 25)),
]
CASE_IDS = [f"{zone.split('/')[1]}-{hour:02d}h-{day}" for zone, hour, day in DST_CASES]


@pytest.mark.parametrize(("zone", "hour", "day"), DST_CASES, ids=CASE_IDS)
def test_study_days_across_dst_start_at_the_local_hour(zone: str, hour: int, day: date) -> None:
    change = transition(zone, day)
    with local_zone(zone):
        moment = change - timedelta(hours=30)
        while moment < change + timedelta(hours=30):
            start, end = clock.day_start(moment, hour), clock.next_day_start(moment, hour)
            assert start <= moment < end, moment
            assert (start, end) == day_starts_around(zone, hour, moment), moment
            assert start.astimezone(ZoneInfo(zone)).hour == hour
            assert clock.study_date(start, hour) == clock.study_date(moment, hour)
            moment += timedelta(minutes=10)
        # The study day holding the change really is 23 or 25 hours long.
        start, end = clock.day_start(change, hour), clock.next_day_start(change, hour)
        assert end - start in (timedelta(hours=23), timedelta(hours=25))


# Zones whose clocks jump over the very hour the study day starts at. The day should start
# when the clocks jump (a naive datetime's astimezone() alone would pick an instant on the
# wrong side of the gap, so for an hour "next day start" would lie before "now").
GAP_CASES = [
    ("America/New_York", 2, date(2026, 3, 8)),  # 02:00 -> 03:00
    ("America/Havana", 0, date(2026, 3, 8)),  # 00:00 -> 01:00
    ("America/Nuuk", 23, date(2026, 3, 28)),  # 23:00 -> 00:00
]


@pytest.mark.parametrize(("zone", "hour", "day"), GAP_CASES, ids=[c[0] for c in GAP_CASES])
def test_a_start_hour_skipped_by_dst_starts_the_day_when_clocks_jump(
    zone: str, hour: int, day: date
) -> None:
    change = transition(zone, day)
    with local_zone(zone):
        moment = change - timedelta(hours=3)
        while moment < change + timedelta(hours=3):
            start, end = clock.day_start(moment, hour), clock.next_day_start(moment, hour)
            assert start <= moment < end, f"{moment}: study day {start} .. {end}"
            moment += timedelta(minutes=5)
        assert clock.next_day_start(change - timedelta(minutes=1), hour) == change


# -- the review queue across a DST change -------------------------------------------------------


def collection(hour: int, new_per_day: int = 1):
    from drill.storage.db import open_database

    db = open_database(":memory:")
    for key, value in (("fuzz", "off"), ("day_starts_at", str(hour))):
        repo.set_config(db, None, key, value)
    repo.set_config(db, None, "new_per_day", str(new_per_day))
    import_decks(db, [parse(TWO_QUESTIONS)], NOW)
    return db


def assert_no_negative_interval(session: ReviewSession, card_id: int, now: datetime) -> None:
    card = session.study_card(card_id)
    assert all(delta >= timedelta(0) for delta in session.preview(card, now).values())
    if card.record.due is not None and card.state != CardState.NEW:
        assert card.record.stability and card.record.stability > 0


@pytest.mark.parametrize(("zone", "hour", "day"), DST_CASES, ids=CASE_IDS)
def test_burying_and_daily_limits_follow_the_study_day_across_dst(
    zone: str, hour: int, day: date
) -> None:
    change = transition(zone, day)
    with local_zone(zone):
        day_start, next_start = day_starts_around(zone, hour, change)
        db = collection(hour, new_per_day=1)
        session = ReviewSession(db)

        # Early in the study day that holds the DST change: the first new card.
        studied_at = day_start + timedelta(minutes=30)
        first = session.next_card(studied_at)
        assert (first.question_id, first.kind) == ("first-question", CardKind.REHEARSE)
        rated = session.rate(first.card_id, Rating.EASY, studied_at)
        assert clock.from_ms(rated.record.due) > studied_at
        assert_no_negative_interval(session, first.card_id, studied_at)

        # Still the same study day after the clocks changed: the question's other cards are
        # buried and today's one new card is used up, so nothing is left until the next day.
        late = next_start - timedelta(minutes=1)
        assert session.next_card(late) is None
        assert session.counts(late) == Counts(0, 0, 0)
        assert session.next_due(late) == next_start

        # The next study day starts at the configured local hour, in the new UTC offset.
        assert next_start.astimezone(ZoneInfo(zone)).hour == hour
        second = session.next_card(next_start)
        assert (second.question_id, second.kind) == ("first-question", CardKind.WHY)
        assert session.counts(next_start).new == 1
        session.rate(second.card_id, Rating.EASY, next_start)
        assert session.next_card(next_start + timedelta(minutes=5)) is None  # limit reached


# -- a clock that goes backwards ------------------------------------------------------------


def test_a_review_dated_before_the_previous_one() -> None:
    db = collection(4, new_per_day=10)
    session = ReviewSession(db)
    card_id = session.next_card(NOW).card_id
    moments = [
        (Rating.GOOD, NOW),
        (Rating.GOOD, NOW + timedelta(minutes=10)),
        (Rating.GOOD, NOW + timedelta(days=3)),
        (Rating.GOOD, NOW - timedelta(days=2)),  # the clock was reset
        (Rating.AGAIN, NOW - timedelta(days=5)),
        (Rating.EASY, NOW - timedelta(days=30)),
        (Rating.HARD, NOW - timedelta(days=30, seconds=1)),
    ]
    states = [repo.get_card(db, card_id).record]
    for rating, moment in moments:
        assert_no_negative_interval(session, card_id, moment)
        record = session.rate(card_id, rating, moment).record
        assert record.due >= clock.to_ms(moment), f"negative interval at {moment}"
        assert record.stability > 0 and 1 <= record.difficulty <= 10
        assert record.last_review == clock.to_ms(moment)
        states.append(record)
        # Whatever the order of the dates, the queue and counts still work.
        session.next_card(moment)
        counts = session.counts(moment)
        assert min(counts.new, counts.learning, counts.review) >= 0
    # Undo walks back through every rating, restoring each state exactly.
    for expected in reversed(states[:-1]):
        undone = undo_latest_rating(db)
        assert undone is not None and undone.record == expected
        assert repo.get_card(db, card_id).record == expected
    assert undo_latest_rating(db) is None
    assert repo.get_card(db, card_id).record.state == CardState.NEW


# -- travelling ---------------------------------------------------------------------------------


def local(year: int, month: int, day: int, hour: int, zone: str) -> datetime:
    """A wall-clock time in `zone`, as the aware UTC instant the core takes."""
    return datetime(year, month, day, hour, tzinfo=ZoneInfo(zone)).astimezone(UTC)


def test_travelling_west_then_the_next_day() -> None:
    """Study in Tokyo in the evening, fly to New York: same study day there, then a new one."""
    db = collection(4, new_per_day=1)
    session = ReviewSession(db)
    with local_zone("Asia/Tokyo"):
        tokyo_evening = local(2026, 1, 5, 21, "Asia/Tokyo")
        card = session.next_card(tokyo_evening)
        session.rate(card.card_id, Rating.EASY, tokyo_evening)
    with local_zone("America/New_York"):
        # Landed: 20:00 on the 5th in New York, later in UTC than the Tokyo rating. It is
        # the same local study day, which already holds that rating.
        landed = local(2026, 1, 5, 20, "America/New_York")
        assert landed > tokyo_evening
        assert session.next_card(landed) is None
        assert session.counts(landed).new == 0
        morning = local(2026, 1, 6, 4, "America/New_York")
        assert session.next_due(landed) == morning
        assert session.next_card(morning - timedelta(seconds=1)) is None
        nxt = session.next_card(morning)
        assert (nxt.question_id, nxt.kind) == ("first-question", CardKind.WHY)


def test_travelling_east_counts_the_new_days_limit_once() -> None:
    db = collection(4, new_per_day=1)
    session = ReviewSession(db)
    with local_zone("America/New_York"):
        evening = local(2026, 1, 5, 20, "America/New_York")
        card = session.next_card(evening)
        session.rate(card.card_id, Rating.EASY, evening)
    with local_zone("Asia/Tokyo"):
        # Landed on the 7th at noon, Tokyo: a new study day, with one new card (a sibling
        # of yesterday's question, no longer buried).
        landed = local(2026, 1, 7, 12, "Asia/Tokyo")
        nxt = session.next_card(landed)
        assert (nxt.question_id, nxt.kind) == ("first-question", CardKind.WHY)
        session.rate(nxt.card_id, Rating.EASY, landed)
        assert session.next_card(landed + timedelta(minutes=1)) is None
        assert session.next_due(landed) == local(2026, 1, 8, 4, "Asia/Tokyo")


# -- through the command line, with DRILL_NOW ---------------------------------------------------


@pytest.fixture
def drill(tmp_path: Path):
    deck = tmp_path / "clock.md"
    deck.write_text(TWO_QUESTIONS, encoding="utf-8")
    env = {"DRILL_DB": str(tmp_path / "drill.db"), "DRILL_NO_BUNDLED": "1"}
    runner = CliRunner()

    def run(now: str, *args: str):
        result = runner.invoke(cli, list(args), env={**env, "DRILL_NOW": now})
        assert result.exit_code == 0, (args, result.output)
        return result.output

    run(NOW.isoformat(), "import", str(deck))
    for key, value in (("fuzz", "off"), ("new_per_day", "1"), ("day_starts_at", "4")):
        run(NOW.isoformat(), "config", key, value)
    return run


def test_cli_study_day_across_spring_forward(drill) -> None:
    with local_zone("America/New_York"):
        rated = drill("2026-03-07T22:00:00-05:00", "rate", "1", "easy")
        assert rated.startswith("Easy: card 1 is review, due in ")
        # 03:59 EDT on the 8th is 07:59 UTC: still Saturday's study day, one minute left.
        waiting = drill("2026-03-08T03:59:00-04:00", "next")
        assert waiting == "Nothing due now. Next card in 1m (2026-03-08T08:00+00:00).\n"
        shown = json.loads(drill("2026-03-08T04:00:00-04:00", "next", "--json"))
        assert (shown["question_id"], shown["kind"]) == ("first-question", "why")


def test_cli_clock_going_backwards_then_undo(drill) -> None:
    first = drill("2026-01-05T10:00:00+00:00", "rate", "1", "good", "--json")
    second = drill("2026-01-03T10:00:00+00:00", "rate", "1", "good", "--json")
    for output, now in (
        (first, "2026-01-05T10:00:00+00:00"),
        (second, "2026-01-03T10:00:00+00:00"),
    ):
        due = datetime.fromisoformat(json.loads(output)["due"].replace("Z", "+00:00"))
        assert due >= datetime.fromisoformat(now)
    # Undo names what it took back and on which question (issue 18).
    assert drill("2026-01-03T10:00:00+00:00", "undo") == (
        "Undid Good on card 1: “First question?” (rehearse card).\n"
    )
    assert drill("2026-01-03T10:00:00+00:00", "undo") == (
        "Undid Good on card 1: “First question?” (rehearse card).\n"
    )
    progress = json.loads(
        drill("2026-01-03T10:00:00+00:00", "export", "progress", "--format", "json")
    )
    assert [row["state"] for row in progress if row["card_id"] == 1] == ["new"]


def test_cli_travelling_between_zones(drill) -> None:
    with local_zone("Asia/Tokyo"):
        drill("2026-01-05T21:00:00+09:00", "rate", "1", "easy")
    with local_zone("Europe/Berlin"):
        # 13:00 in Berlin is 21:00 in Tokyo: the same instant a day later. A new study day.
        shown = json.loads(drill("2026-01-06T13:00:00+01:00", "next", "--json"))
        assert (shown["question_id"], shown["kind"]) == ("first-question", "why")
