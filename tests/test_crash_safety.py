"""Crash safety and hostile storage, through the real command line.

`drill rate` is killed with SIGKILL at random moments (and inside its transaction): the
database stays sound, every rating that reported success is kept, and every card agrees with
its review log. Files that are not ours, newer schemas, read-only files and folders, and a
full disk each give one clear line (exit 1) and leave the file untouched.
"""

from __future__ import annotations

import os
import random
import resource
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from drill.cli.main import cli
from drill.core import clock
from drill.storage import repo
from drill.storage.db import open_database
from tests.helpers import NOW
from tests.invariants import assert_cards_agree_with_logs, stored_reviews

# The command line exactly as installed, without relying on the console script being on PATH.
DRILL = [
    sys.executable,
    "-c",
    "import sys; from drill.cli.main import cli; sys.argv[0] = 'drill'; cli()",
]

# The same command with a pause inside the rating's transaction (after the card's new state is
# written, before its review row and the commit), announced on stdout: a kill during the
# pause lands mid-transaction every time. Test-only; drill itself has no such hook.
SLOW_TRANSACTION = [
    sys.executable,
    "-c",
    """
import os, sys, time
from drill.storage import repo
_write_card = repo.write_card
def write_card(*args, **kwargs):
    _write_card(*args, **kwargs)
    sys.stdout.write("IN TRANSACTION\\n")
    sys.stdout.flush()
    time.sleep(float(os.environ["PAUSE_S"]))
repo.write_card = write_card
from drill.cli.main import cli
sys.argv[0] = "drill"
cli()
""",
]

QUESTIONS = 8
DECK = "# Crash\n\n" + "".join(f"## Question number {i}?\n\n" for i in range(QUESTIONS))
RATINGS = ("again", "hard", "good", "easy")


def drill_env(db_path: Path, now: str | None = None) -> dict[str, str]:
    env = {**os.environ, "DRILL_DB": str(db_path), "DRILL_NO_BUNDLED": "1"}
    env.pop("DRILL_NOW", None)
    if now:
        env["DRILL_NOW"] = now
    return env


def run_drill(db_path: Path, *args: str, now: str | None = None, **kwargs):
    return subprocess.run(
        [*DRILL, *args],
        env=drill_env(db_path, now),
        capture_output=True,
        text=True,
        timeout=60,
        **kwargs,
    )


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


def assert_consistent(db_path: Path, confirmed: set[tuple[int, int, int]]) -> int:
    """Integrity, every confirmed rating present, and every card equal to its replayed log.

    Returns the number of reviews stored.
    """
    stored = stored_reviews(db_path, "card_id, review_time, rating")
    missing = confirmed - stored
    assert not missing, f"ratings reported as saved are gone: {missing}"
    return assert_cards_agree_with_logs(db_path, "crash")


@pytest.mark.slow
def test_kill_9_at_random_moments_never_loses_or_tears_a_rating(collection: Path) -> None:
    rng = random.Random(8)
    confirmed: set[tuple[int, int, int]] = set()
    moment = NOW

    def next_rating() -> tuple[int, str, str]:
        nonlocal moment
        moment += timedelta(minutes=rng.randint(1, 600))
        return rng.randint(1, QUESTIONS), rng.choice(RATINGS), moment.isoformat()

    def record_success(card: int, rating: str, when: str) -> None:
        confirmed.add((card, clock.to_ms(clock.parse_instant(when)), RATINGS.index(rating) + 1))

    # How long one rating takes on this machine, start to exit.
    durations = []
    for _ in range(3):
        card, rating, when = next_rating()
        started = time.perf_counter()
        result = run_drill(collection, "rate", str(card), rating, now=when)
        durations.append(time.perf_counter() - started)
        assert result.returncode == 0, result.stderr
        record_success(card, rating, when)
    # The fastest run: a busy machine during this measurement must not make every later
    # run finish before its kill.
    typical = min(durations)

    outcomes = {"killed": 0, "finished": 0, "landed though killed": 0, "mid-transaction": 0}
    # Plain kills at random moments across the whole run, from start-up to exit, until 30
    # runs were really interrupted (some finish first; a slow machine finishes fewer).
    for _ in range(120):
        if outcomes["killed"] >= 30:
            break
        card, rating, when = next_rating()
        before = assert_consistent(collection, confirmed)
        proc = subprocess.Popen(
            [*DRILL, "rate", str(card), rating],
            env=drill_env(collection, when),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        time.sleep(rng.uniform(0, typical * 1.2))
        proc.send_signal(signal.SIGKILL)
        _, err = proc.communicate(timeout=60)
        if proc.returncode == 0:
            outcomes["finished"] += 1
            record_success(card, rating, when)
        else:
            assert proc.returncode == -signal.SIGKILL, err
            outcomes["killed"] += 1
        after = assert_consistent(collection, confirmed)
        assert after - before in (0, 1)
        outcomes["landed though killed"] += proc.returncode != 0 and after > before

    # Kills inside the transaction, after the card was updated and before the commit.
    for _ in range(25):
        card, rating, when = next_rating()
        before = assert_consistent(collection, confirmed)
        pause = 0.5  # far longer than the kill delay below, even on a busy machine
        proc = subprocess.Popen(
            [*SLOW_TRANSACTION, "rate", str(card), rating],
            env={**drill_env(collection, when), "PAUSE_S": str(pause)},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert proc.stdout is not None
        assert proc.stdout.readline() == "IN TRANSACTION\n"
        time.sleep(rng.uniform(0, 0.15))
        proc.send_signal(signal.SIGKILL)
        proc.communicate(timeout=60)
        assert proc.returncode == -signal.SIGKILL
        outcomes["mid-transaction"] += 1
        assert assert_consistent(collection, confirmed) == before, "half a rating was kept"

    assert outcomes["killed"] == 30, outcomes
    assert outcomes["killed"] + outcomes["mid-transaction"] == 55, outcomes

    # After all that, drill still rates and undoes normally.
    card, rating, when = next_rating()
    assert run_drill(collection, "rate", str(card), rating, now=when).returncode == 0
    record_success(card, rating, when)
    total = assert_consistent(collection, confirmed)
    undo = run_drill(collection, "undo", now=when)
    assert undo.returncode == 0, undo.stderr
    confirmed.discard(max(confirmed, key=lambda c: c[1]))
    assert assert_consistent(collection, confirmed) == total - 1


# -- hostile storage through the command line ---------------------------------------------------


def one_line_error(result: subprocess.CompletedProcess, *needles: str) -> str:
    assert result.returncode == 1, (result.returncode, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    for needle in needles:
        assert needle in lines[0], lines[0]
    return lines[0]


def test_another_programs_database_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "collection.anki2"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, flds TEXT)")
    conn.execute("INSERT INTO notes (flds) VALUES ('mine')")
    conn.commit()
    conn.close()
    deck = tmp_path / "deck.md"
    deck.write_text(DECK, encoding="utf-8")
    before = path.read_bytes()
    for args in (["decks"], ["rate", "1", "good"], ["import", str(deck)]):
        result = run_drill(path, *args)
        one_line_error(result, "not a drill database", "left untouched")
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["collection.anki2", "deck.md"]


def test_a_text_file_in_place_of_the_database_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "drill.db"
    path.write_text("my notes, not a database\n")
    one_line_error(run_drill(path, "decks"), "not a drill database (not an SQLite file)")
    assert path.read_text() == "my notes, not a database\n"


def test_a_newer_schema_is_refused_untouched(collection: Path) -> None:
    db = open_database(collection)
    db.execute(
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
        "VALUES ('drill', 'm999_from_the_future', 'x')"
    )
    db.close()
    before = collection.read_bytes()
    for args in (["decks"], ["rate", "1", "good"], ["backup"]):
        one_line_error(run_drill(collection, *args), "newer drill", "upgrade drill")
    assert collection.read_bytes() == before


def test_a_damaged_database_points_to_restore(collection: Path) -> None:
    data = bytearray(collection.read_bytes())
    data[100:4096] = os.urandom(3996)  # the schema page
    collection.write_bytes(bytes(data))
    before = collection.read_bytes()
    one_line_error(run_drill(collection, "decks"), "damaged", "drill restore")
    assert collection.read_bytes() == before


def test_a_data_folder_that_cannot_be_created(tmp_path: Path) -> None:
    blocker = tmp_path / "drill"
    blocker.write_text("a file where the folder should be")
    one_line_error(
        run_drill(blocker / "data" / "drill.db", "decks"), "cannot create the data directory"
    )
    assert blocker.read_text() == "a file where the folder should be"


def test_a_missing_data_folder_is_created(tmp_path: Path) -> None:
    path = tmp_path / "does" / "not" / "exist" / "drill.db"
    result = run_drill(path, "decks")
    assert result.returncode == 0, result.stderr
    assert path.exists()


def without_file_permission_override() -> list[str] | None:
    """A prefix that runs a command with file permissions enforced, or None if impossible.

    Root ignores file modes; dropping CAP_DAC_OVERRIDE (and friends) makes it obey them, so
    a read-only file is really read-only for the drill under test.
    """
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        return None
    prefix = [setpriv, "--bounding-set", "-dac_override,-dac_read_search,-fowner", "--"]
    probe = subprocess.run([*prefix, "true"], capture_output=True)
    return prefix if probe.returncode == 0 else None


@pytest.fixture
def enforce_permissions():
    prefix = without_file_permission_override()
    if prefix is None:
        pytest.skip("cannot make files read-only for root here (no setpriv)")
    return prefix


def test_a_read_only_database_can_be_read_but_not_written(
    collection: Path, enforce_permissions: list[str]
) -> None:
    collection.chmod(0o444)
    before = collection.read_bytes()
    env = drill_env(collection, NOW.isoformat())
    decks = subprocess.run(
        [*enforce_permissions, *DRILL, "decks"], env=env, capture_output=True, text=True
    )
    assert decks.returncode == 0, decks.stderr
    assert "Crash" in decks.stdout
    rated = subprocess.run(
        [*enforce_permissions, *DRILL, "rate", "1", "good"], env=env, capture_output=True, text=True
    )
    one_line_error(rated, "read-only")
    assert collection.read_bytes() == before
    collection.chmod(0o644)
    assert_consistent(collection, set())


def test_a_read_only_folder(collection: Path, enforce_permissions: list[str]) -> None:
    """No -wal or -shm can be created beside the database: a clear error, nothing changed."""
    folder = collection.parent
    before = collection.read_bytes()
    folder.chmod(0o555)
    try:
        result = subprocess.run(
            [*enforce_permissions, *DRILL, "rate", "1", "good"],
            env=drill_env(collection, NOW.isoformat()),
            capture_output=True,
            text=True,
        )
        one_line_error(result, "read-only", "permissions")
        new = subprocess.run(
            [*enforce_permissions, *DRILL, "decks"],
            env=drill_env(folder / "new.db"),
            capture_output=True,
            text=True,
        )
        one_line_error(new, "cannot open the database file")
    finally:
        folder.chmod(0o755)
    assert collection.read_bytes() == before
    assert not (folder / "new.db").exists()


def with_file_size_limit(limit: int):
    def apply() -> None:
        # Python ignores SIGXFSZ, so a write past the limit fails with EFBIG instead of
        # killing the process: the closest thing to a full disk without filling one.
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, resource.RLIM_INFINITY))

    return apply


def test_a_full_disk_during_a_large_import(collection: Path, tmp_path: Path) -> None:
    big = tmp_path / "big.md"
    big.write_text(
        "# Big\n\n"
        + "".join(
            f"## Question {i} that takes some room?\n\n### Approach\n{'word ' * 40}\n\n"
            for i in range(2000)
        ),
        encoding="utf-8",
    )
    before = collection.read_bytes()
    result = run_drill(
        collection, "import", str(big), preexec_fn=with_file_size_limit(len(before) + 50_000)
    )
    one_line_error(result, "nothing was saved")
    assert "disk" in result.stderr
    assert collection.read_bytes() == before
    assert assert_consistent(collection, set()) == 0
    assert run_drill(collection, "decks").stdout.count("\n") == 2  # header and one deck


def test_a_full_disk_during_a_rating(collection: Path) -> None:
    before = collection.read_bytes()
    result = run_drill(
        collection, "rate", "1", "good", now=NOW.isoformat(), preexec_fn=with_file_size_limit(100)
    )
    one_line_error(result, "nothing was saved")
    assert collection.read_bytes() == before
    assert assert_consistent(collection, set()) == 0


def test_a_full_disk_when_creating_the_database(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    result = run_drill(path, "decks", preexec_fn=with_file_size_limit(0))
    one_line_error(result, "disk")


def test_disk_full_error_mid_rating_rolls_back(collection: Path, monkeypatch) -> None:
    """SQLite's own SQLITE_FULL, raised between the card update and the review insert."""
    real_write_card = repo.write_card

    def write_then_fill_disk(*args, **kwargs):
        real_write_card(*args, **kwargs)
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(repo, "write_card", write_then_fill_disk)
    env = {"DRILL_DB": str(collection), "DRILL_NO_BUNDLED": "1", "DRILL_NOW": NOW.isoformat()}
    result = CliRunner().invoke(cli, ["rate", "1", "good"], env=env)
    assert result.exit_code == 1
    assert result.stderr == (
        f"error: {collection}: the disk is full; free some space and try again "
        "(nothing was saved)\n"
    )
    assert assert_consistent(collection, set()) == 0
