"""Two programs studying at once: both succeed, and neither overwrites the other's rating.

Every rating re-reads its card inside BEGIN IMMEDIATE, so the review log of a card rated
concurrently is one chain: each review's `card_before` is the state the previous review left,
and replaying the log through the scheduler gives exactly the stored card.
"""

from __future__ import annotations

import itertools
import json
import multiprocessing
import os
import sqlite3
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from drill.cli.main import cli
from drill.core.model import CardRecord, Rating
from drill.library.history import replay
from drill.storage import db as storage_db
from drill.storage import repo
from drill.storage.db import open_database
from tests.helpers import NOW, SAMPLE_DECK

# Slow: processes killed or racing, and property-based fuzzing.
pytestmark = pytest.mark.slow

DRILL = [
    sys.executable,
    "-c",
    "import sys; from drill.cli.main import cli; sys.argv[0] = 'drill'; cli()",
]
SPAWN = multiprocessing.get_context("spawn")


@pytest.fixture
def collection(tmp_path: Path) -> Path:
    db_path = tmp_path / "drill.db"
    deck = tmp_path / "sample.md"
    deck.write_text(SAMPLE_DECK, encoding="utf-8")
    env = {"DRILL_DB": str(db_path), "DRILL_NO_BUNDLED": "1", "DRILL_NOW": NOW.isoformat()}
    runner = CliRunner()
    assert runner.invoke(cli, ["import", str(deck)], env=env).exit_code == 0
    assert runner.invoke(cli, ["config", "fuzz", "off"], env=env).exit_code == 0
    return db_path


def assert_one_chain(db_path: Path, card_id: int) -> list[tuple[int, int]]:
    """The card's reviews, in the order they were made, form one unbroken chain.

    Returns (review id, review time) in that order.
    """
    db = open_database(db_path)
    try:
        info = repo.get_card(db, card_id)
        config = repo.decks(db, info.deck_id)[0].config
        log = db.execute(
            "SELECT id, review_time, rating, card_before FROM reviews WHERE card_id = ? "
            "ORDER BY id",
            [card_id],
        ).fetchall()
        befores, replayed = replay(config, card_id, [(t, r) for _, t, r, _ in log], info.kind)
        stored_befores = [CardRecord.from_dict(json.loads(b)) for *_, b in log]
        for index, (stored, expected) in enumerate(zip(stored_befores, befores, strict=True)):
            assert stored == expected, f"review {index + 1} was computed from a stale card"
        assert info.record == replayed, "the stored card is not what its review log gives"
        assert info.record.reps == len(log)
        return [(r[0], r[1]) for r in log]
    finally:
        db.close()


def _rate_many(db_path: str, card_id: int, count: int, start, results) -> None:
    """A second program: open the database and rate one card `count` times, fast."""
    from drill.study.session import ReviewSession

    db = open_database(db_path)
    session = ReviewSession(db)
    start.wait()
    ids = []
    for index in range(count):
        rating = (Rating.GOOD, Rating.HARD, Rating.EASY, Rating.AGAIN)[index % 4]
        ids.append(session.rate(card_id, rating, datetime.now(UTC)).review_id)
        time.sleep(0.001)  # a breath between ratings, so the other program gets the lock
    db.close()
    results.put((os.getpid(), ids))


def test_two_processes_rating_one_card_at_once_keep_every_rating(collection: Path) -> None:
    per_process = 100
    start = SPAWN.Barrier(2)
    results = SPAWN.Queue()
    workers = [
        SPAWN.Process(target=_rate_many, args=(str(collection), 1, per_process, start, results))
        for _ in range(2)
    ]
    for worker in workers:
        worker.start()
    outcome = dict(results.get(timeout=60) for _ in workers)
    for worker in workers:
        worker.join(timeout=60)
        assert worker.exitcode == 0
    first, second = outcome.values()
    assert len(first) == len(second) == per_process
    chain = assert_one_chain(collection, 1)
    assert len(chain) == 2 * per_process
    # The two really ran at the same time: their reviews interleave in the log.
    owner = ["a" if review_id in set(first) else "b" for review_id, _ in chain]
    switches = sum(1 for x, y in itertools.pairwise(owner) if x != y)
    assert switches >= 10, "the two processes did not overlap; nothing was tested"


def test_two_command_lines_rating_at_once_all_succeed(collection: Path) -> None:
    per_loop = 6
    env = {**os.environ, "DRILL_DB": str(collection), "DRILL_NO_BUNDLED": "1"}
    env.pop("DRILL_NOW", None)  # the real clock, as two terminals would have
    failures: list[str] = []

    def loop(card: int) -> None:
        for _ in range(per_loop):
            result = subprocess.run(
                [*DRILL, "rate", str(card), "good"], env=env, capture_output=True, text=True
            )
            if result.returncode != 0:
                failures.append(result.stderr)

    # Both rate card 1, and one of them also card 2, so they collide on the same row.
    threads = [threading.Thread(target=loop, args=(1,)), threading.Thread(target=loop, args=(1,))]
    threads.append(threading.Thread(target=loop, args=(2,)))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert failures == []
    assert len(assert_one_chain(collection, 1)) == 2 * per_loop
    assert len(assert_one_chain(collection, 2)) == per_loop


def _open_new(db_path: str, start, results) -> None:
    start.wait()
    try:
        open_database(db_path).close()
        results.put("ok")
    except Exception as exc:  # reported to the test, which fails on anything but "ok"
        results.put(f"{type(exc).__name__}: {exc}")


def test_programs_creating_the_same_new_database_at_once(tmp_path: Path) -> None:
    """The first run of drill in two terminals: both create the tables; one must wait."""
    for attempt in range(4):
        db_path = tmp_path / f"new-{attempt}.db"
        start = SPAWN.Barrier(3)
        results = SPAWN.Queue()
        workers = [
            SPAWN.Process(target=_open_new, args=(str(db_path), start, results)) for _ in range(3)
        ]
        for worker in workers:
            worker.start()
        outcomes = [results.get(timeout=60) for _ in workers]
        for worker in workers:
            worker.join(timeout=60)
        assert outcomes == ["ok"] * 3
        conn = sqlite3.connect(db_path)
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        conn.close()
        assert {"decks", "cards", "reviews"} <= tables


def test_a_rating_waits_for_another_writer_and_readers_never_wait(collection: Path) -> None:
    env = {**os.environ, "DRILL_DB": str(collection), "DRILL_NO_BUNDLED": "1"}
    env["DRILL_NOW"] = NOW.isoformat()
    holder = sqlite3.connect(collection, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another program in the middle of a write
    holder.execute("UPDATE settings SET value = value")
    try:
        started = time.monotonic()
        rating = subprocess.Popen(
            [*DRILL, "rate", "1", "good"], env=env, stdout=subprocess.PIPE, text=True
        )
        # Reading is not blocked by the writer (WAL): the next card shows at once.
        reader = subprocess.run(
            [*DRILL, "next", "--json"], env=env, capture_output=True, text=True, timeout=30
        )
        assert reader.returncode == 0, reader.stderr
        assert json.loads(reader.stdout)["card_id"] == 1
        time.sleep(1.0)
        assert rating.poll() is None, "the rating did not wait for the lock"
    finally:
        holder.execute("COMMIT")
        holder.close()
    out, _ = rating.communicate(timeout=30)
    assert rating.returncode == 0
    assert out.startswith("Good: card 1")
    assert time.monotonic() - started >= 1.0
    assert len(assert_one_chain(collection, 1)) == 1


def test_a_writer_that_never_finishes_gives_a_clear_error(collection: Path, monkeypatch) -> None:
    real_connect = storage_db.connect

    def impatient(path):
        conn = real_connect(path)
        conn.execute("PRAGMA busy_timeout = 200")  # instead of 10 s, to keep the test short
        return conn

    monkeypatch.setattr(storage_db, "connect", impatient)
    holder = sqlite3.connect(collection, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        env = {"DRILL_DB": str(collection), "DRILL_NO_BUNDLED": "1", "DRILL_NOW": NOW.isoformat()}
        result = CliRunner().invoke(cli, ["rate", "1", "good"], env=env)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert result.exit_code == 1
    assert result.stderr == (
        f"error: {collection}: the database is busy (another drill is writing); "
        "try again (nothing was saved)\n"
    )
    assert assert_one_chain(collection, 1) == []
