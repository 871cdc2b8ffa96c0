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
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from drill.cli.main import cli
from tests.helpers import NOW
from tests.invariants import assert_cards_agree_with_logs, stored_reviews

# Enough new cards that every run has work to do, so no run ends early for want of a card.
QUESTIONS = 300
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

def _ratings():
    try:
        with open(LOG, "rb") as handle:
            return handle.read().count(b"\n")
    except FileNotFoundError:
        return 0

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
    # The kill is planned by state, not by the clock: after this many ratings of this run
    # were committed (0: during start-up), and then a short delay. None lets the run finish.
    kill_after_ratings = job["kill_after_ratings"]
    kill_at = start + job["kill_delay"] if kill_after_ratings == 0 else None
    ratings_before = _ratings()
    give_up = start + job["timeout"]
    output = b""
    status = None
    while True:
        now = time.monotonic()
        if kill_at is None and kill_after_ratings:
            if _ratings() - ratings_before >= kill_after_ratings:
                kill_at = now + job["kill_delay"]
        if (kill_at is not None and now >= kill_at) or now >= give_up:
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
        ready, _, _ = select.select([master], [], [], 0.01)
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
    assert runner.invoke(cli, ["config", "new_per_day", "9999"], env=env).exit_code == 0
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


@pytest.mark.slow
def test_kill_9_during_tui_review_never_loses_or_tears_a_rating(
    collection: Path, zygote: tuple[Zygote, Path]
) -> None:
    helper, log = zygote
    rng = random.Random(8)
    moment = NOW
    key_gap = 0.025

    # A whole session, undisturbed, shows how long start-up takes here.
    full = helper.run(
        now=moment.isoformat(), keys=session_keys(rng, 4), first_key=0.3, key_gap=key_gap,
        kill_after_ratings=None, kill_delay=0.0, timeout=30,
    )  # fmt: skip
    assert not full["killed"] and full["exit"] == 0, full
    assert full["saw_card"], full
    startup = full["elapsed"]
    assert 0 < len(completed(log)) <= 4
    reviews = assert_consistent(collection, completed(log))

    reached = {"killed before any rating": 0, "killed after a rating": 0, "finished": 0}
    for run in range(RUNS):
        moment += timedelta(minutes=rng.choice((1, 5, 30, 600, 1440)))
        cards = rng.randint(1, 5)
        # Every fifth run finishes; the others are killed at a state chosen here: during
        # start-up, or after 1..cards-1 committed ratings, while the next one is under way.
        plan = "finished" if run % 5 == 4 else rng.choice(("start-up", "rating", "rating"))
        if plan == "rating" and cards == 1:
            plan = "start-up"
        if plan == "finished":
            after_ratings = None
        elif plan == "start-up":
            after_ratings = 0
        else:
            after_ratings = rng.randint(1, cards - 1)
        before_log = completed(log)
        result = helper.run(
            now=moment.isoformat(),
            keys=session_keys(rng, cards),
            first_key=rng.uniform(0.0, 0.3),
            key_gap=key_gap,
            kill_after_ratings=after_ratings,
            kill_delay=rng.uniform(0.0, startup / 2 if after_ratings == 0 else key_gap * 2),
            timeout=30,
        )
        done = completed(log)
        rated = len(done) - len(before_log)
        # Counted by the state the run really reached, not by the plan or the clock.
        if not result["killed"]:
            assert result["exit"] == 0, result
            reached["finished"] += 1
        else:
            assert result["signal"] == signal.SIGKILL, result
            reached["killed after a rating" if rated else "killed before any rating"] += 1
        if result["killed"] and after_ratings:
            # A planned kill waits for its ratings to be committed.
            assert rated >= after_ratings, (run, plan, result)
        after = assert_consistent(collection, done)
        # Reviews only grow, by at most the ratings typed; the log only grows too.
        assert reviews <= after <= reviews + cards, (run, reviews, after, result)
        assert before_log <= done
        reviews = after

    # Every kind of moment was reached, whatever the speed of the machine: the kills are
    # planned by state (n ratings committed), so a busy machine only shifts them in time.
    assert reached["killed before any rating"] >= 5, reached
    assert reached["killed after a rating"] >= 10, reached
    assert reached["finished"] >= 5, reached
    assert reviews > 0
