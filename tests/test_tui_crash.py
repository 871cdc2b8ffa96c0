"""Crash safety of the review app: `drill review` killed with SIGKILL at random moments.

The real command runs in a pseudo-terminal (TERM=xterm-256color, 100x30) and is fed keys as a
person would press them: reveal, rate, reveal, rate, ..., then q q. It is killed after a random
delay, from start-up to the summary, at least 50 times. After each kill the database is
checked as `tests/test_crash_safety.py` checks it after `drill rate`: integrity, every
rating the app completed is stored, the reviews only grow, and every card agrees with its
review log (reps, NEW exactly when never reviewed, the replayed state, the state before each
review).

Starting Python and importing Textual takes longer than a session; so that the test stays
fast, one helper process imports drill and Textual once and forks a fresh child per run
(`pty.fork`), which then runs the command line exactly as `drill review` does. The child
logs each rating after the core's `ReviewSession.rate` returned (after the commit), so a
rating in the log is one the app reported as done.
"""

from __future__ import annotations

import json
import os
import random
import select
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from drill.cli.main import cli
from tests.helpers import NOW
from tests.invariants import assert_cards_agree_with_logs, stored_reviews

QUESTIONS = 6
DECK = "# Crash\n\n" + "".join(f"## Question number {i}?\n\n" for i in range(QUESTIONS))
RUNS = 50

# The helper: imports once, then per request forks a child on a new pseudo-terminal that runs
# `drill review`, types the keys, kills it (or lets it finish) and reports back as JSON.
ZYGOTE = r"""
import fcntl, json, os, pty, select, signal, struct, sys, termios, time

from drill.cli.main import cli
from drill.study.session import ReviewSession
import drill.tui.app, drill.tui.screens.review, drill.tui.screens.summary  # the imports, once

LOG = sys.argv[1]
_rate = ReviewSession.rate

def rate(self, card_id, rating, now, duration_ms=None):
    rated = _rate(self, card_id, rating, now, duration_ms)
    # One O_APPEND write per completed rating: a line is whole or absent.
    fd = os.open(LOG, os.O_WRONLY | os.O_APPEND | os.O_CREAT)
    os.write(fd, f"{rated.review_id} {card_id} {int(rating)}\n".encode())
    os.close(fd)
    return rated

ReviewSession.rate = rate

for line in sys.stdin:
    job = json.loads(line)
    pid, master = pty.fork()
    if pid == 0:
        fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
        os.environ["DRILL_NOW"] = job["now"]
        code = 0
        try:
            cli(["review"], prog_name="drill")
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
        except BaseException:
            code = 3
        os._exit(code)
    start = time.monotonic()
    keys = list(job["keys"])
    next_key = start + job["first_key"]
    deadline = start + job["kill_after"]
    output = b""
    status = None
    while True:
        now = time.monotonic()
        if now >= deadline:
            break
        done, waited = os.waitpid(pid, os.WNOHANG)
        if done:
            status = waited
            break
        if keys and now >= next_key:
            try:
                os.write(master, keys.pop(0).encode())
            except OSError:
                pass
            next_key = now + job["key_gap"]
        wait = max(0.0, min(deadline, next_key if keys else deadline) - now)
        ready, _, _ = select.select([master], [], [], min(wait, 0.02))
        if ready:
            try:
                output += os.read(master, 65536)  # keep the terminal drained
            except OSError:
                pass
    if status is None:
        os.kill(pid, signal.SIGKILL)  # a no-op if it has just exited by itself
        _, status = os.waitpid(pid, 0)
    killed = os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL
    os.close(master)
    print(json.dumps({
        "killed": killed,
        "signal": os.WTERMSIG(status) if os.WIFSIGNALED(status) else None,
        "exit": os.WEXITSTATUS(status) if os.WIFEXITED(status) else None,
        "elapsed": time.monotonic() - start,
        "saw_card": b"Question number" in output,
    }), flush=True)
"""


@pytest.fixture
def collection(tmp_path: Path) -> Path:
    db_path = tmp_path / "drill.db"
    deck = tmp_path / "crash.md"
    deck.write_text(DECK, encoding="utf-8")
    env = {"DRILL_DB": str(db_path), "DRILL_NO_BUNDLED": "1", "DRILL_NOW": NOW.isoformat()}
    runner = CliRunner()
    assert runner.invoke(cli, ["import", str(deck)], env=env).exit_code == 0
    assert runner.invoke(cli, ["config", "fuzz", "off"], env=env).exit_code == 0
    return db_path


class Zygote:
    """The helper process that forks one `drill review` per run."""

    def __init__(self, db_path: Path, log: Path) -> None:
        env = {**os.environ, "DRILL_DB": str(db_path), "DRILL_NO_BUNDLED": "1"}
        env.update(TERM="xterm-256color", COLUMNS="100", LINES="30")
        env.pop("NO_COLOR", None)
        self.proc = subprocess.Popen(
            [sys.executable, "-c", ZYGOTE, str(log)],
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    def run(self, **job: object) -> dict:
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.write(json.dumps(job) + "\n")
        self.proc.stdin.flush()
        ready, _, _ = select.select([self.proc.stdout], [], [], 60)
        assert ready, "the helper did not answer"
        line = self.proc.stdout.readline()
        assert line, f"the helper died (exit {self.proc.poll()})"
        return json.loads(line)

    def close(self) -> None:
        if self.proc.stdin:
            self.proc.stdin.close()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        if self.proc.stdout:
            self.proc.stdout.close()


@pytest.fixture
def zygote(collection: Path, tmp_path: Path) -> Iterator[tuple[Zygote, Path]]:
    log = tmp_path / "completed.log"
    helper = Zygote(collection, log)
    try:
        yield helper, log
    finally:
        helper.close()


def completed(log: Path) -> set[tuple[int, int, int]]:
    """(review id, card id, rating) of every rating the app finished."""
    if not log.exists():
        return set()
    rows = [line.split() for line in log.read_text().splitlines()]
    return {(int(a), int(b), int(c)) for a, b, c in rows}


def assert_consistent(db_path: Path, done: set[tuple[int, int, int]]) -> int:
    """Integrity, every completed rating stored, every card equal to its replayed log.

    Returns the number of reviews stored.
    """
    stored = stored_reviews(db_path, "id, card_id, rating")
    missing = done - stored
    assert not missing, f"ratings the app completed are gone: {missing}"
    return assert_cards_agree_with_logs(db_path, "crash")


def session_keys(rng: random.Random, cards: int) -> str:
    """Reveal and rate `cards` cards (space on the back rates Good), then end and quit."""
    keys = ""
    for _ in range(cards):
        keys += " " + rng.choice("12333 4")
    return keys + "qq"


def test_kill_9_during_tui_review_never_loses_or_tears_a_rating(
    collection: Path, zygote: tuple[Zygote, Path]
) -> None:
    helper, log = zygote
    rng = random.Random(8)
    moment = NOW
    key_gap = 0.025

    # A whole session, undisturbed, shows how long one takes here.
    started = time.perf_counter()
    full = helper.run(
        now=moment.isoformat(), keys=session_keys(rng, 4), first_key=0.3, key_gap=key_gap,
        kill_after=30,
    )  # fmt: skip
    assert not full["killed"] and full["exit"] == 0, full
    assert full["saw_card"], full
    typical = time.perf_counter() - started
    assert 0 < len(completed(log)) <= 4
    reviews = assert_consistent(collection, completed(log))

    outcomes = {"killed": 0, "finished": 0, "killed after a rating": 0}
    # Far above the 20-30 s this takes here: only a hang should hit it.
    budget = time.monotonic() + 90
    for run in range(RUNS):
        moment += timedelta(minutes=rng.choice((1, 5, 30, 600, 1440)))
        cards = rng.randint(1, 5)
        before_log = completed(log)
        result = helper.run(
            now=moment.isoformat(),
            keys=session_keys(rng, cards),
            first_key=rng.uniform(0.0, 0.3),
            key_gap=key_gap,
            kill_after=rng.uniform(0.0, typical),
        )
        if result["killed"]:
            assert result["signal"] == signal.SIGKILL, result
            outcomes["killed"] += 1
        else:
            assert result["exit"] == 0, result
            outcomes["finished"] += 1
        done = completed(log)
        after = assert_consistent(collection, done)
        # Reviews only grow, by at most the ratings typed; the log only grows too.
        assert reviews <= after <= reviews + cards, (run, reviews, after, result)
        assert before_log <= done
        outcomes["killed after a rating"] += result["killed"] and len(done) > len(before_log)
        reviews = after
        assert time.monotonic() < budget, f"too slow: {run + 1} runs, {outcomes}"

    # The kills really interrupted sessions, some of them after ratings were made.
    assert outcomes["killed"] >= 20, outcomes
    assert outcomes["killed after a rating"] >= 5, outcomes
    assert reviews > 0
