#!/usr/bin/env python3
"""Speed of drill, side by side with Anki's own backend on the same notes and reviews.

    .venv/bin/python scripts/bench.py                 # both sizes (several minutes)
    .venv/bin/python scripts/bench.py --quick         # small sizes, about 30 s
    .venv/bin/python scripts/bench.py --json          # the rows as JSON
    .venv/bin/python scripts/bench.py --only import   # only the deck imports, about 2 min

Sizes: 5,000 questions (15,000 cards) with 100,000 reviews, and 50,000 questions with
1,000,000 reviews (`--quick`: 500 with 10,000 and 2,000 with 40,000). Every collection is
built through the public import paths: `drill import deck.md`, then `drill import
history.csv`, a file in the format of `drill export reviews` that drill replays through
FSRS. The history is that of a user who studied every day until yesterday (see
`write_history`): nine cards in ten have reviews, today's queue is what fell due. Both
collections get daily limits of 9999 new cards and reviews, and no time budget.

The peer is Anki's backend (`scripts/anki_peer.py`, the `anki` package: `pip install -e
'.[bench]'`). It gets the same notes with drill's note type (so the same three cards per
question) by importing the Anki text file that `drill export deck --format anki-txt`
wrote, then the same reviews and card states, copied into its `revlog` and `cards` tables;
FSRS on, the same limits, siblings buried as drill does. Without `anki` the peer rows are
skipped.

How each figure is taken (best of several runs, unless it is a percentile):
- import: in-process, in a fresh interpreter per run, from reading the file to the committed
  write (drill: `read_file` + `import_files`; Anki: `get_csv_metadata` + `import_csv`),
  with the code loaded on both sides (Anki's backend, drill's reader modules), in CPU time;
  the runs of drill's two formats and Anki's alternate, best of each. The goal (at most
  1.0x Anki) is judged on drill importing the same Anki text file, the like-for-like row,
  and on the Markdown deck (drill's own format) against the same baseline. `drill import`
  as a command (start-up included) is shown for reference, and so is the history import
  that builds the collection (with its automatic backup). `--only import` measures just
  these two rows at both sizes.
- next + rate: in-process, the same number of rounds on both, each round being "the next
  card from the queue, then rate it Good"; p50 and p95 of the rounds, on copies of the
  large collections. drill's clock moves with real time, as Anki's does.
- `drill next` and `drill rate`: wall time of the command on the large collection against a
  3-question collection (the "empty" baseline that still has a card to show); each rating
  is undone with `drill undo`.
- TUI time to first card: `drill review` starts in a pseudo-terminal (120x40); the time runs
  from starting the process until the prompt of the card `drill next` names appears in its
  output. The same on the 3-question collection is the baseline.
- stats: `drill stats --json` (CPU, goal < 0.5 s at 1,000,000 reviews), the HTML report
  (`drill export stats -o FILE`, CPU, goal < 1 s) and, side by side
  with Anki, the in-process query behind each one's statistics over one year
  (`stats.collect(days=365)` against `graphs(search="", days=365)`).
- export: peak RSS of `drill export reviews -o FILE` (the child's own high-water mark,
  VmHWM), against the same command on the 3-question collection; streaming in constant
  memory means the same peak at every size.
- `drill --help` against `python -c 'import click'`; cold start: `drill next --json` on the
  3-question collection against `python -c 'import sqlite3, fsrs, click'`.
- history import against its floor (300,000 reviews and more): the `drill import
  history.csv` command (start-up, backup and replay included) against plain sqlite3 storing
  as many review rows (one transaction, one index, a state snapshot per row: `--worker
  store-floor`) plus Anki's backend recomputing and rescheduling every card from the same
  revlog (`anki_peer.py recompute`). Its peak RSS, and the same reviews cut into 200 files
  against one file.
- optimizer: `drill optimize` from poor parameters (fit, save, reschedule every card)
  against Anki fitting and rescheduling the same reviews (`anki_peer.py optimize`).
- review screen, card to card: in-process, what the screen asks between two cards (rate,
  next card, the header's counts, the intervals preview), p50 against the smaller size;
  as the collections are set up (no budget) and with the default 20-minute budget
  (`--worker review-loop DB ROUNDS NOW [MINUTES]`).
- home calendar: the heatmap's query in-process, against the 3-question collection.
- many decks: the same questions and reviews imported as 200 decks; `drill decks --json`
  and the home screen's figures (in-process) against one deck.
- browse: the app headless at 120x40 (`--worker browse`): opening the browser (wall and
  CPU), a search typed key by key (median CPU per key), and the peak memory against the
  smaller size.
- restore: in-process, the check `drill restore` runs on every value of a backup
  (`stored_values.unsound_value`) on the large collection, against SQLite's `PRAGMA
  quick_check` on the same file (which restore runs too).
- the answer coach: `analyse` and the JSON of its insights on a 300-word answer (the first
  call in a fresh interpreter, then p50 and p95 of 300 calls; goal under 5 ms), and
  `drill insights --file` as a command beside `drill --help`.
- job ranking: in-process, for each labelled posting (tests/data/jobs) against 1,000
  questions (the bundled decks and role packs, repeated as other decks): the first ranking
  in a fresh interpreter (the background postings, the posting's terms, the question index
  and the ranking, no word cached yet; imports and reading the decks left out), wall and
  CPU, judged on the slowest posting's CPU time against 100 ms; then, in one interpreter,
  best of several with the index built again, and against an index built once. And a
  job's whole analysis as `drill job show` computes it on a collection of 1,000 questions
  (reading them from the database, ranking, the set's progress), best of several.
- parser scaling: each input that once parsed in quadratic time (tests/parser_inputs.py: one
  line repeated, an article of many sentences, a JSON deck of many questions) read with
  `read_file` at n and at 4n in-process, best CPU time of several; the ratio is about 4 when
  the time grows linearly and about 16 when quadratically, and the goal sits between (8x).

Machines are noisy: ratios within one run are what to compare, and a loaded machine shows
in the p95 rows first. Where a goal is an absolute time, or a comparison with Anki's backend
doing other work than drill (the history floor, the optimizer), it is judged on CPU time, in
a row of its own beside the wall time: on a shared machine wall time also holds the waits
for a CPU and for the disk, several times the work when others are busy. CPU time counts
every thread (Anki's included) and, for a command, the whole process.
"""

from __future__ import annotations

import argparse
import csv
import fcntl
import importlib.util
import itertools
import json
import os
import platform
import pty
import random
import select
import shutil
import struct
import subprocess
import sys
import tempfile
import termios
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
from drill.io.reviews_csv import COLUMNS as REVIEW_COLUMNS  # noqa: E402 (after the path)

PEER = ROOT / "scripts" / "anki_peer.py"
BIN = Path(sys.executable).parent
DRILL = [str(BIN / "drill")] if (BIN / "drill").exists() else [sys.executable, "-m", "drill"]
MISSING_ANKI = "anki not installed: pip install -e '.[bench]'"
LIMIT = "9999"
KINDS = ("rehearse", "why", "dos")
DAY_MS = 86_400_000
HISTORY_COLUMNS = REVIEW_COLUMNS  # the history file `drill import` reads


@dataclass(frozen=True)
class Size:
    questions: int
    reviews: int

    @property
    def label(self) -> str:
        return (
            f"{self.questions:,} questions ({3 * self.questions:,} cards), {self.reviews:,} reviews"
        )


FULL = (Size(5_000, 100_000), Size(50_000, 1_000_000))
QUICK = (Size(500, 10_000), Size(2_000, 40_000))


@dataclass
class Row:
    name: str
    value: float | None
    unit: str
    baseline: float | None = None
    baseline_name: str = ""
    goal: str = ""
    ok: bool | None = None
    size: str = ""
    note: str = ""

    @property
    def ratio(self) -> float | None:
        if self.value is None or not self.baseline:
            return None
        return self.value / self.baseline


@dataclass
class Bench:
    quick: bool
    tmp: Path
    now: datetime
    anki: bool
    rows: list[Row] = field(default_factory=list)
    kept: dict[str, float] = field(default_factory=dict)  # a figure the next size compares

    @property
    def repeat(self) -> int:
        return 2 if self.quick else 5

    def env(self, db: Path) -> dict[str, str]:
        return {
            **os.environ,
            "DRILL_DB": str(db),
            "DRILL_NO_BUNDLED": "1",
            "DRILL_NOW": self.now.isoformat(),
        }

    def drill(self, db: Path, *args: str) -> str:
        done = subprocess.run(
            [*DRILL, *args], env=self.env(db), check=True, capture_output=True, text=True
        )
        return done.stdout

    def add(self, row: Row) -> None:
        self.rows.append(row)


# -- data ------------------------------------------------------------------------------------


def deck_markdown(name: str, questions: int, seed: int = 1, first: int = 0) -> str:
    """A deck of `questions` questions with ids q{first}... (the same text for the same id)."""
    rng = random.Random(seed)
    words = ["team", "project", "deadline", "customer", "growth"]
    words += ["conflict", "data", "budget", "launch", "risk"]
    parts = [f"# {name}\n\nGenerated for benchmarks.\n"]
    for _ in range(first):  # the random draws of the questions before this deck's
        rng.choice(words), rng.choice(words), rng.choice(words)
    for i in range(first, first + questions):
        topic = " ".join(rng.choice(words) for _ in range(3))
        parts.append(
            f"## Question {i}: tell me about a {topic}?\nid: q{i}\ntags: bench, {words[i % 10]}\n\n"
            f"### Variants\n- Describe a {topic}.\n- What did you learn from a {topic}?\n\n"
            "### Why they ask\nThey want evidence of judgement. They listen for results.\n\n"
            "### Approach\nUse STAR: situation, task, action, result.\n\n"
            "### Do\n- Be specific.\n- Quantify the result.\n- Keep it under two minutes.\n\n"
            "### Don't\n- Blame others.\n- Ramble.\n- Invent details.\n\n"
            f"### Example: experienced\nI led the {topic} and cut costs by 12%.\n\n"
            "### Bad example\nI don't really remember.\n\n"
            "### Tips\n- Practise out loud.\n"
        )
    return "\n".join(parts)


def _chains(count: int, horizon_ms: int, rng: random.Random) -> list[tuple[list[int], list[int]]]:
    """`count` review histories of a card studied every time it falls due, for `horizon_ms`.

    Each is (times in ms from the first review, ratings), from drill's own FSRS scheduler
    without fuzz (as history import replays it), reviewed up to a day late.
    """
    from drill.core.config import StudyConfig
    from drill.core.model import CardRecord, Rating
    from drill.core.scheduling import review, scheduler_for

    scheduler = scheduler_for(StudyConfig(), fuzz=False)
    origin = datetime(2020, 1, 1, tzinfo=UTC)
    origin_ms = int(origin.timestamp() * 1000)
    out = []
    for _ in range(count):
        record, offset, times, grades = CardRecord(), 0, [], []
        while offset < horizon_ms:
            grade = rng.choices((1, 2, 3, 4), weights=(10, 15, 65, 10))[0]
            times.append(offset)
            grades.append(grade)
            when = origin + timedelta(milliseconds=offset)
            record = review(scheduler, 0, record, Rating(grade), when, day_starts_at=4)
            due = (record.due or 0) - origin_ms
            late = rng.uniform(0, min(DAY_MS, 0.2 * (due - offset)))
            offset = max(offset + 60_000, int(due + late))
        out.append((times, grades))
    return out


def write_history(
    path: Path,
    deck: str,
    questions: int,
    reviews: int,
    now: datetime,
    deck_of: Callable[[int], str] | None = None,
) -> None:
    """`reviews` reviews in the format of `drill export reviews`, of 9 cards in 10.

    Like a user who has studied every day until yesterday: each card was started on a day
    spread evenly over the collection's age and reviewed each time it fell due (histories
    simulated with drill's FSRS scheduler). The age is chosen so the reviews add up to
    `reviews`; the few in excess are the last ones of some cards, which are then overdue.
    Today's queue holds what fell due, as on the morning of a study day.
    """
    from bisect import bisect_left

    from drill.core import clock

    rng = random.Random(7)
    cards = [(i, kind) for i in range(questions) for kind in KINDS]
    studied = [card for index, card in enumerate(cards) if index % 10 != 9]
    horizon = 5 * 365 * DAY_MS
    pool = _chains(400, horizon, rng)
    picks = [(rng.random(), rng.randrange(len(pool))) for _ in studied]

    def counts(age: float) -> list[int]:
        return [max(1, bisect_left(pool[k][0], f * age)) for f, k in picks]

    low, high = float(DAY_MS), float(horizon)
    for _ in range(40):  # the shortest age that holds enough reviews
        middle = (low + high) / 2
        low, high = (middle, high) if sum(counts(middle)) < reviews else (low, middle)
    age = high
    per_card = counts(age)
    surplus = sum(per_card) - reviews
    for index in rng.sample(range(len(studied)), len(studied)):
        if surplus <= 0:
            break
        if per_card[index] > 1:
            per_card[index] -= 1
            surplus -= 1
    today_ms = int(clock.day_start(now, 4).timestamp() * 1000)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(HISTORY_COLUMNS)
        for (number, kind), (fraction, k), count in zip(studied, picks, per_card, strict=True):
            times, grades = pool[k]
            start = today_ms - int(fraction * age) - 1
            name = deck if deck_of is None else deck_of(number)
            for offset, grade in zip(times[:count], grades[:count], strict=True):
                duration = rng.randrange(3_000, 60_000)
                writer.writerow(("", start + offset, grade, "", duration, name, f"q{number}", kind))


# -- measuring helpers -------------------------------------------------------------------------


def timed(
    fn: Callable[[], object], repeat: int = 1, clock: Callable[[], float] = time.perf_counter
) -> float:
    """Best wall time (or `clock` time) of `repeat` runs, in seconds (best-of filters
    scheduler noise)."""
    best = float("inf")
    for _ in range(repeat):
        start = clock()
        fn()
        best = min(best, clock() - start)
    return best


def cpu_seconds() -> float:
    """CPU time of this process and of its finished children (commands run to completion)."""
    import resource

    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def timed_both(fn: Callable[[], object], repeat: int = 1) -> tuple[float, float]:
    """(best wall time, best CPU time) of `repeat` runs, in seconds; CPU time includes the
    commands `fn` runs. On a shared machine wall time also holds the waits for a CPU and
    for the disk, which CPU time leaves out.
    """
    wall = cpu = float("inf")
    for _ in range(repeat):
        start, used = time.perf_counter(), cpu_seconds()
        fn()
        wall = min(wall, time.perf_counter() - start)
        cpu = min(cpu, cpu_seconds() - used)
    return wall, cpu


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


def worker(*args: object, env: dict[str, str] | None = None) -> dict[str, Any]:
    """Run one in-process measurement of this script in a fresh interpreter."""
    out = subprocess.run(
        [sys.executable, __file__, "--worker", *map(str, args)],
        check=True,
        capture_output=True,
        text=True,
        env=env,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def peer(*args: object) -> dict[str, Any]:
    """Run one command of scripts/anki_peer.py in a fresh interpreter."""
    out = subprocess.run(
        [sys.executable, str(PEER), *map(str, args)], check=True, capture_output=True, text=True
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def best_of(repeat: int, fn: Callable[[], dict[str, Any]], key: str = "seconds") -> float:
    return min(fn()[key] for _ in range(repeat))


def fresh(path: Path) -> Path:
    for stale in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        stale.unlink(missing_ok=True)
    return path


def copy_db(source: Path, target: Path) -> Path:
    fresh(target)
    shutil.copyfile(source, target)
    if Path(f"{source}-wal").exists():
        shutil.copyfile(f"{source}-wal", f"{target}-wal")
    return target


def peak_rss_mb(args: list[str], env: dict[str, str]) -> float:
    """Peak resident memory of one drill command, run in a fresh interpreter.

    The child reports its own high-water mark: rusage from wait4 would also count the memory
    of this (large) process that the child was forked from.
    """
    return worker("rss", *args, env=env)["mb"]


def _own_peak_mb() -> float:
    try:
        with open("/proc/self/status", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 1024 / (1024 if sys.platform == "darwin" else 1)


def first_card_seconds(command: list[str], env: dict[str, str], needle: str) -> float:
    """Seconds from starting the TUI in a pseudo-terminal until `needle` is on its screen."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    env = {**env, "TERM": "xterm-256color", "COLUMNS": "120", "LINES": "40"}
    start = time.perf_counter()
    proc = subprocess.Popen(
        command, stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True
    )
    os.close(slave)
    seen, target, found = b"", needle.encode(), None
    try:
        while time.perf_counter() - start < 30:
            ready, _, _ = select.select([master], [], [], 0.2)
            if not ready:
                if proc.poll() is not None:
                    break
                continue
            try:
                chunk = os.read(master, 1 << 16)
            except OSError:
                break
            seen += chunk
            if target in seen:
                found = time.perf_counter() - start
                break
    finally:
        proc.terminate()
        try:
            proc.wait(5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        os.close(master)
    if found is None:
        raise RuntimeError(f"the TUI never showed {needle!r}; its last output: {seen[-400:]!r}")
    return found


# -- the measurements ------------------------------------------------------------------------


def startup(b: Bench) -> None:
    click_only = timed(
        lambda: subprocess.run([sys.executable, "-c", "import click"], check=True), b.repeat
    )
    help_time = timed(
        lambda: subprocess.run([*DRILL, "--help"], check=True, stdout=subprocess.DEVNULL),
        b.repeat,
    )
    b.add(
        Row("drill --help", help_time * 1000, "ms", click_only * 1000,
            "python -c 'import click'", "<= 3x", help_time <= 3 * click_only)
    )  # fmt: skip


def cold_start(b: Bench, small_db: Path) -> None:
    """`drill next --json` against the interpreter importing what any scheduler needs."""
    floor = [sys.executable, "-c", "import sqlite3, fsrs, click"]
    base, base_cpu = timed_both(lambda: subprocess.run(floor, check=True), 3 * b.repeat)
    ours, ours_cpu = timed_both(lambda: b.drill(small_db, "next", "--json"), 3 * b.repeat)
    b.add(
        Row("drill next --json (cold start)", ours * 1000, "ms", base * 1000,
            "import sqlite3, fsrs, click")
    )  # fmt: skip
    b.add(
        Row("drill next --json (cold start), CPU", ours_cpu * 1000, "ms", base_cpu * 1000,
            "import sqlite3, fsrs, click", "<= 1.6x (CPU)", ours_cpu <= 1.6 * base_cpu)
    )  # fmt: skip


def coach(b: Bench, small_db: Path) -> None:
    """The answer coach: in-process on a 300-word answer, and `drill insights` as a command."""
    got = worker("insights")
    b.add(Row("insights, 300-word answer, first call (in-process)", got["first"], "ms",
              goal="< 5 ms", ok=got["first"] < 5, note="word forms not yet cached"))  # fmt: skip
    b.add(Row("insights, 300-word answer, p50 (in-process)", got["p50"], "ms",
              goal="< 5 ms", ok=got["p50"] < 5))  # fmt: skip
    b.add(Row("insights, 300-word answer, p95 (in-process)", got["p95"], "ms",
              goal="< 5 ms", ok=got["p95"] < 5))  # fmt: skip
    b.add(Row("insights, 300-word answer, CPU time p50", got["cpu_p50"], "ms",
              goal="< 5 ms", ok=got["cpu_p50"] < 5,
              note="not slowed by other processes"))  # fmt: skip
    b.add(Row("import drill.core.coach.insights", got["import_ms"], "ms",
              note="the coach's modules, regexes compiled"))  # fmt: skip
    answer = b.tmp / "answer.txt"
    answer.write_text(got["text"], encoding="utf-8")
    b.drill(small_db, "answer", "small/q1", "--text", "A first answer.")
    command = timed(
        lambda: b.drill(small_db, "insights", "small/q1", "--file", str(answer)), b.repeat
    )
    help_time = timed(
        lambda: subprocess.run([*DRILL, "--help"], check=True, stdout=subprocess.DEVNULL),
        b.repeat,
    )
    b.add(Row("drill insights --file (300 words, command)", command * 1000, "ms",
              help_time * 1000, "drill --help",
              note="start-up, database and analysis"))  # fmt: skip


def job_ranking(b: Bench) -> None:
    """Ranking 1,000 questions against each labelled posting (tests/data/jobs), in-process:
    the background postings, the posting's terms, the question index and the ranking. The
    goal (under 100 ms) is judged on the first ranking in a fresh interpreter, CPU time, the
    slowest posting: what `drill job add` pays, nothing cached.
    """
    r = worker("job-rank", 1000, b.repeat)
    many = f"{r['questions']:,} questions ({r['words']:,} distinct words)"
    b.add(
        Row("rank 1,000 questions, fresh process, CPU (median)", r["first_cpu"], "ms",
            goal="< 100 ms (CPU)", ok=r["first_cpu_slowest"] < 100,
            note=f"slowest of {r['postings']} postings {r['first_cpu_slowest']:.1f} ms; "
                 f"terms {r['first_terms']:.1f}, index {r['first_index']:.1f}, "
                 f"ranking {r['first_rank']:.1f} ms; {many}")
    )  # fmt: skip
    b.add(
        Row("rank 1,000 questions, fresh process (median)", r["first_wall"], "ms",
            note=f"wall time; slowest {r['first_wall_slowest']:.1f} ms")
    )  # fmt: skip
    b.add(
        Row("rank 1,000 questions, index built again, CPU", r["rebuilt"], "ms",
            note=f"best of {b.repeat} in one process, word caches warm; "
                 f"slowest posting {r['rebuilt_slowest']:.1f} ms")
    )  # fmt: skip
    b.add(
        Row("rank against an index already built, CPU", r["warm"], "ms",
            note=f"terms and ranking only; slowest posting {r['warm_slowest']:.1f} ms")
    )  # fmt: skip
    show = worker("job-show", 1000, b.repeat)
    b.add(
        Row("drill job show's analysis, 1,000 questions, CPU", show["again"], "ms",
            note=f"{show['questions']:,} questions in the database, in-process, best of "
                 f"{b.repeat}: reading them ({show['collect']:.1f} ms), ranking, the set's "
                 "progress")
    )  # fmt: skip


def parser_scaling(b: Bench) -> None:
    """Inputs that once parsed in quadratic time (tests/parser_inputs.py), at n and 4n."""
    result = worker("parse-scaling", 2 if b.quick else 3)
    for fmt, (small, large, size) in result.items():
        b.add(
            Row(f"parse a {fmt} input of 4n against n, CPU", large * 1000, "ms",
                small * 1000, "the input of n", "<= 8x", large <= 8 * small,
                note=f"n = {size}; linear: about 4x, quadratic: about 16x")
        )  # fmt: skip


def small_collection(b: Bench) -> Path:
    """The 3-question baseline collection."""
    deck = b.tmp / "small.md"
    deck.write_text(deck_markdown("Small", 3), encoding="utf-8")
    db = fresh(b.tmp / "small.db")
    b.drill(db, "import", str(deck))
    for key in ("new_per_day", "reviews_per_day"):
        b.drill(db, "config", key, LIMIT)
    b.drill(db, "config", "daily_minutes", "off")  # Anki has no time budget: like for like
    return db


MANY_DECKS = 200
# Parameters nothing would fit to: `drill optimize` finds better ones, saves them and
# reschedules every card (as it does for a user whose parameters are the defaults).
POOR_PARAMETERS = "1,2,5,10,6,0.5,2,0.01,1.5,0.1,1,1.9,0.1,0.3,2,0.2,3,0.5,0.2,0.1,0.3"


def import_rows(b: Bench, size: Size, tmp: Path, deck: Path, txt: Path, repeat: int) -> None:
    """Import of N questions, in CPU time (Anki's importer may use more than one thread),
    from the Markdown deck and from the same deck as Anki text, against Anki's import_csv;
    the runs of the three alternate, so a change in the machine's load hits each alike.
    """
    n = size.questions
    runs: dict[str, list[dict[str, Any]]] = {"md": [], "txt": [], "anki": []}
    for _ in range(repeat):
        runs["md"].append(worker("import", fresh(tmp / "w.db"), deck, "auto"))
        runs["txt"].append(worker("import", fresh(tmp / "w.db"), txt, "anki-txt"))
        if b.anki:
            runs["anki"].append(peer("import", tmp / "w.anki2", txt))
    md, txt_run = (min(runs[k], key=lambda r: r["cpu"]) for k in ("md", "txt"))
    anki_cpu = min((r["cpu"] for r in runs["anki"]), default=None)

    def row(*args: Any, **kwargs: Any) -> None:
        b.add(Row(*args, size=size.label, **kwargs))

    name = f"import {n:,} questions, CPU"
    row(f"{name}: drill, same Anki text file", txt_run["cpu"] * 1000, "ms", _ms(anki_cpu),
        "Anki import_csv", "<= 1.0x", _at_most(txt_run["cpu"], anki_cpu, 1.0),
        note=f"wall {txt_run['seconds'] * 1000:.0f} ms")  # fmt: skip
    row(f"{name}: drill, Markdown", md["cpu"] * 1000, "ms", _ms(anki_cpu),
        "Anki import_csv", "<= 1.0x", _at_most(md["cpu"], anki_cpu, 1.0),
        note=f"wall {md['seconds'] * 1000:.0f} ms")  # fmt: skip


def measure_imports(b: Bench, size: Size) -> None:
    """Only the import rows of one size (`--only import`): the deck, drill's Anki text
    export of it, and the three imports."""
    tmp = b.tmp / f"s{size.questions}"
    tmp.mkdir()
    deck = tmp / "bench.md"
    deck.write_text(deck_markdown("Bench", size.questions), encoding="utf-8")
    template = fresh(tmp / "questions.db")
    b.drill(template, "import", str(deck))
    txt = tmp / "bench.txt"
    b.drill(template, "export", "deck", "bench", "--format", "anki-txt", "-o", str(txt))
    import_rows(b, size, tmp, deck, txt, 3 if b.quick else b.repeat)


def measure_size(b: Bench, size: Size, small_db: Path) -> None:
    label, n = size.label, size.questions
    tmp = b.tmp / f"s{n}"
    tmp.mkdir()
    deck = tmp / "bench.md"
    deck.write_text(deck_markdown("Bench", n), encoding="utf-8")
    repeat_import = 1 if n >= 20_000 else (2 if b.quick else 3)
    repeat_history = 1 if size.reviews >= 500_000 else 2

    def row(*args: Any, **kwargs: Any) -> None:
        b.add(Row(*args, size=label, **kwargs))

    # The collection's questions, through the public import path.
    template = fresh(tmp / "questions.db")
    cli_import = timed(lambda: b.drill(fresh(tmp / "cli.db"), "import", str(deck)), repeat_import)
    b.drill(template, "import", str(deck))
    for key in ("new_per_day", "reviews_per_day"):
        b.drill(template, "config", key, LIMIT)
    b.drill(template, "config", "daily_minutes", "off")  # Anki has no time budget: like for like
    txt = tmp / "bench.txt"
    b.drill(template, "export", "deck", "bench", "--format", "anki-txt", "-o", str(txt))
    history = tmp / "history.csv"
    write_history(history, "bench", n, size.reviews, b.now)

    # Its review history, through `drill import history.csv` (timed: see below).
    big = tmp / "big.db"

    def import_history(*files: Path, repeat: int = 1) -> tuple[float, float]:
        """Best wall and CPU time of the command, each run on a fresh copy of the template."""
        runs = []
        for _ in range(repeat):
            copy_db(template, big)
            runs.append(timed_both(lambda: b.drill(big, "import", *map(str, files))))
        return min(wall for wall, _ in runs), min(cpu for _, cpu in runs)

    history_time, history_cpu = import_history(history, repeat=repeat_history)

    import_rows(b, size, tmp, deck, txt, repeat_import)
    anki_col = tmp / "big.anki2"
    if b.anki:
        built = peer("build", anki_col, txt, big)
        assert built["cards"] == 3 * n and built["reviews"] == size.reviews, built
    row(f"`drill import` {n:,} questions (command)", cli_import * 1000, "ms")

    # History import against its floor: storing the rows, plus Anki recomputing the cards.
    stored = worker("store-floor", tmp / "floor.db", size.reviews)
    recompute: dict[str, float] = {}
    if b.anki:
        shutil.copyfile(anki_col, tmp / "recompute.anki2")
        recompute = peer("recompute", tmp / "recompute.anki2")
        assert recompute["changed"], recompute
    floor = stored["seconds"] + recompute["seconds"] if recompute else None
    floor_cpu = stored["cpu"] + recompute["cpu"] if recompute else None
    # The goal is for 300,000 reviews and more: below, start-up and the backup weigh.
    big_history = size.reviews >= 300_000
    history_label = f"`drill import history.csv` ({size.reviews:,} reviews)"
    row(history_label, history_time * 1000, "ms", _ms(floor), "sqlite3 store + Anki recompute",
        note=(f"floor: sqlite3 {stored['seconds']:.2f} s + Anki {recompute['seconds']:.2f} s"
              if recompute else ""))  # fmt: skip
    row(f"{history_label}, CPU", history_cpu * 1000, "ms", _ms(floor_cpu),
        "sqlite3 store + Anki recompute", "<= 2x (CPU)" if big_history else "",
        _at_most(history_cpu, floor_cpu, 2.0) if big_history else None,
        note=(f"floor: sqlite3 {stored['cpu']:.2f} s + Anki {recompute['cpu']:.2f} s"
              if recompute else ""))  # fmt: skip
    history_rss = peak_rss_mb(["import", str(history)], b.env(copy_db(template, tmp / "m.db")))
    heavy = size.reviews >= 1_000_000
    row("history import: peak RSS", history_rss, "MB", None, "",
        "<= 300 MB" if heavy else "", history_rss <= 300 if heavy else None)  # fmt: skip
    parts = split_history(history, tmp / "parts", 200)
    split_time, split_cpu = import_history(*parts)
    row("history in 200 files, CPU", split_cpu * 1000, "ms", history_cpu * 1000,
        "one file, CPU", "<= 1.2x (CPU)", split_cpu <= 1.2 * history_cpu,
        note=f"wall {split_time:.1f} s against {history_time:.1f} s")  # fmt: skip
    import_history(history)  # `big` is the collection for everything below

    # The optimizer: fit, save, reschedule every card.
    optimized = copy_db(big, tmp / "optimize.db")
    b.drill(optimized, "config", "fsrs_parameters", POOR_PARAMETERS)
    result: dict[str, Any] = {}
    optimize_time, optimize_cpu = timed_both(
        lambda: result.update(json.loads(b.drill(optimized, "optimize", "--json")))
    )
    assert result["saved"] and result["rescheduled"], result
    theirs_optimize: dict[str, float] = {}
    if b.anki:
        shutil.copyfile(anki_col, tmp / "optimize.anki2")
        theirs_optimize = peer("optimize", tmp / "optimize.anki2")
    row("drill optimize (fit, save, reschedule)", optimize_time * 1000, "ms",
        _ms(theirs_optimize.get("seconds")), "Anki fit + reschedule")  # fmt: skip
    row("drill optimize (fit, save, reschedule), CPU", optimize_cpu * 1000, "ms",
        _ms(theirs_optimize.get("cpu")), "Anki fit + reschedule", "<= 2x (CPU)",
        _at_most(optimize_cpu, theirs_optimize.get("cpu"), 2.0))  # fmt: skip

    # Next card + rating, in-process, the same rounds on both.
    rounds = 300 if b.quick else 1000
    ours = worker("next-rate", copy_db(big, tmp / "rate.db"), rounds, b.now.isoformat())
    theirs: dict[str, Any] = {}
    if b.anki:
        shutil.copyfile(anki_col, tmp / "rate.anki2")
        theirs = peer("next-rate", tmp / "rate.anki2", rounds)
        if theirs["rounds"] != ours["rounds"]:
            theirs["note"] = f"Anki ran out after {theirs['rounds']} rounds"
    note = f"{ours['rounds']} rounds"
    row("next + rate in-process p50", ours["p50"], "ms", theirs.get("p50"), "Anki", note=note)
    p95_ok = ours["p95"] < 2.0 and (not theirs or ours["p95"] <= theirs["p95"])
    row("next + rate in-process p95", ours["p95"], "ms", theirs.get("p95"), "Anki",
        "<= Anki, < 2 ms", p95_ok, note=theirs.get("note", note))  # fmt: skip

    # The review screen between two cards: rate, next card, counts, interval preview; as
    # the bench's collections are set up (no time budget, limits of 9999), then with the
    # daily budget at its default of 20 minutes (the intake decides the new cards).
    for minutes, budget in (("off", ""), ("20", ", 20-minute budget")):
        loop = worker("review-loop", copy_db(big, tmp / "loop.db"), rounds, b.now.isoformat(),
                      minutes)  # fmt: skip
        previous = b.kept.get(f"review-loop{minutes}")
        row(f"review screen, card to card p50{budget}", loop["p50"], "ms", previous,
            "smaller size", "<= 1.2x" if previous else "",
            loop["p50"] <= 1.2 * previous if previous else None,
            note=f"p95 {loop['p95']:.1f} ms")  # fmt: skip
        b.kept[f"review-loop{minutes}"] = loop["p50"]

    # Commands on the large collection against the 3-question one.
    small_t = timed(lambda: b.drill(small_db, "next", "--json"), b.repeat)
    big_t = timed(lambda: b.drill(big, "next", "--json"), b.repeat)
    row("drill next --json", big_t * 1000, "ms", small_t * 1000, "3-question collection",
        "<= 1.3x", big_t <= 1.3 * small_t)  # fmt: skip
    small_rate, big_rate = rate_seconds(b, small_db), rate_seconds(b, big)
    row("drill rate", big_rate * 1000, "ms", small_rate * 1000, "3-question collection",
        "<= 1.3x", big_rate <= 1.3 * small_rate)  # fmt: skip
    tui_small, tui_big = tui_seconds(b, small_db), tui_seconds(b, big)
    row("TUI time to first card (`drill review`)", tui_big * 1000, "ms", tui_small * 1000,
        "3-question collection", "< 600 ms, <= 1.3x",
        tui_big < 0.6 and tui_big <= 1.3 * tui_small)  # fmt: skip

    # Stats.
    small_t, small_cpu = timed_both(lambda: b.drill(small_db, "stats", "--json"), b.repeat)
    big_t, big_cpu = timed_both(lambda: b.drill(big, "stats", "--json"), b.repeat)
    goal = "< 0.5 s (CPU)" if heavy else ""
    row("drill stats --json", big_t * 1000, "ms", small_t * 1000, "3-question collection")
    row("drill stats --json, CPU", big_cpu * 1000, "ms", small_cpu * 1000,
        "3-question collection", goal, big_cpu < 0.5 if goal else None)  # fmt: skip
    report = str(tmp / "report.html")
    small_t, small_cpu = timed_both(lambda: b.drill(small_db, "export", "stats", "-o", report),
                                    b.repeat)  # fmt: skip
    big_t, big_cpu = timed_both(lambda: b.drill(big, "export", "stats", "-o", report), b.repeat)
    row("drill export stats (HTML report), CPU", big_cpu * 1000, "ms", small_cpu * 1000,
        "3-question collection", "< 1 s (CPU)" if heavy else "",
        big_cpu < 1.0 if heavy else None, note=f"wall {big_t * 1000:.0f} ms")  # fmt: skip
    ours_stats = worker("stats", big, b.now.isoformat(), 365, b.repeat)["seconds"]
    theirs_stats = peer("stats", anki_col, 365, b.repeat)["seconds"] if b.anki else None
    row("stats query in-process (365 days)", ours_stats * 1000, "ms", _ms(theirs_stats),
        "Anki graphs()")  # fmt: skip
    small_map = worker("heatmap", small_db, b.now.isoformat(), b.repeat)
    heatmap = worker("heatmap", big, b.now.isoformat(), b.repeat)
    row("home calendar (heatmap) in-process, CPU", heatmap["cpu"] * 1000, "ms",
        small_map["cpu"] * 1000, "3-question collection", "< 50 ms (CPU)" if heavy else "",
        heatmap["cpu"] < 0.05 if heavy else None,
        note=f"wall {heatmap['seconds'] * 1000:.1f} ms")  # fmt: skip

    # The same cards and reviews in 200 decks.
    many = many_decks(b, tmp, size)
    one_t, one_cpu = timed_both(lambda: b.drill(big, "decks", "--json"), b.repeat)
    many_t, many_cpu = timed_both(lambda: b.drill(many, "decks", "--json"), b.repeat)
    row(f"drill decks --json, {MANY_DECKS} decks, CPU", many_cpu * 1000, "ms", one_cpu * 1000,
        "the same in one deck", "<= 1.5x (CPU)", many_cpu <= 1.5 * one_cpu,
        note=f"wall {many_t * 1000:.0f} ms against {one_t * 1000:.0f} ms")  # fmt: skip
    one_home = worker("home", big, b.now.isoformat(), b.repeat)
    many_home = worker("home", many, b.now.isoformat(), b.repeat)
    row(f"home screen's figures, {MANY_DECKS} decks, CPU", many_home["cpu"] * 1000, "ms",
        one_home["cpu"] * 1000, "the same in one deck", "<= 1.5x (CPU)",
        many_home["cpu"] <= 1.5 * one_home["cpu"],
        note=f"wall {many_home['seconds'] * 1000:.1f} ms against "
             f"{one_home['seconds'] * 1000:.1f} ms")  # fmt: skip

    # Browse: wall time (what a user waits for, frame pacing and the machine's load
    # included) and CPU time (the work), each against the 3-question collection.
    browsed = worker("browse", copy_db(big, tmp / "browse.db"), b.now.isoformat())
    small = b.kept.get("browse-small") or worker("browse", small_db, b.now.isoformat())
    b.kept["browse-small"] = small
    limit = 0.3 if n <= 5_000 else 1.5
    row("browse: open", browsed["open"] * 1000, "ms", small["open"] * 1000,
        "3-question collection")  # fmt: skip
    row("browse: open, CPU", browsed["open_cpu"] * 1000, "ms", small["open_cpu"] * 1000,
        "3-question collection", f"<= {limit * 1000:.0f} ms (CPU)",
        browsed["open_cpu"] <= limit)  # fmt: skip
    key_goal = "<= 50 ms (CPU)" if n <= 5_000 else ""
    row("browse: a search keystroke, CPU", browsed["key_cpu"] * 1000, "ms",
        small["key_cpu"] * 1000, "3-question collection", key_goal,
        browsed["key_cpu"] <= 0.05 if key_goal else None,
        note=f"wall {browsed['key'] * 1000:.0f} ms (harness)")  # fmt: skip
    previous_mb = b.kept.get("browse-mb")
    row("browse: peak memory", browsed["mb"], "MB", previous_mb, "smaller size",
        "<= 1.5x" if previous_mb else "",
        browsed["mb"] <= 1.5 * previous_mb if previous_mb else None)  # fmt: skip
    b.kept["browse-mb"] = browsed["mb"]

    # Restore reads every value of a backup once (storage/stored_values.py), beside SQLite's
    # own quick_check that it ran already.
    checked = worker("restore-check", big, b.repeat)
    row("restore: value check of a backup", checked["values"] * 1000, "ms",
        checked["quick_check"] * 1000, "PRAGMA quick_check", "<= 3x",
        checked["values"] <= 3 * checked["quick_check"])  # fmt: skip

    # Export streams: the same peak memory whatever the number of reviews.
    out = tmp / "reviews.csv"
    export = ["export", "reviews", "-o", str(out)]
    small_rss = peak_rss_mb(export, b.env(small_db))
    big_rss = peak_rss_mb(export, b.env(big))
    export_time = timed(lambda: b.drill(big, "export", "reviews", "-o", str(out)))
    row("drill export reviews: peak RSS", big_rss, "MB", small_rss, "3-question collection",
        "<= 1.2x", big_rss <= 1.2 * small_rss,
        note=f"{export_time:.1f} s")  # fmt: skip


def split_history(history: Path, folder: Path, parts: int) -> list[Path]:
    """The history file cut into `parts` files of consecutive rows (like monthly exports)."""
    folder.mkdir()
    lines = history.read_text(encoding="utf-8").splitlines(keepends=True)
    header, body = lines[0], lines[1:]
    size = -(-len(body) // parts)
    out = []
    for index in range(parts):
        path = folder / f"part{index:03d}.csv"
        path.write_text(header + "".join(body[index * size : (index + 1) * size]), "utf-8")
        out.append(path)
    return out


def many_decks(b: Bench, tmp: Path, size: Size) -> Path:
    """The same questions and reviews in MANY_DECKS decks, through the public import paths."""
    folder = tmp / "decks"
    folder.mkdir()
    per_deck = -(-size.questions // MANY_DECKS)
    files = []
    for index in range(MANY_DECKS):
        first = index * per_deck
        count = min(per_deck, size.questions - first)
        if count <= 0:
            break
        path = folder / f"deck{index:03d}.md"
        path.write_text(deck_markdown(f"Deck {index}", count, first=first), encoding="utf-8")
        files.append(path)
    db = fresh(tmp / "many.db")
    b.drill(db, "import", *map(str, files))
    for key in ("new_per_day", "reviews_per_day"):
        b.drill(db, "config", key, LIMIT)
    b.drill(db, "config", "daily_minutes", "off")  # as the one-deck collection it is held to
    history = tmp / "history-many.csv"
    write_history(history, "", size.questions, size.reviews, b.now,
                  deck_of=lambda number: f"deck-{number // per_deck}")  # fmt: skip
    b.drill(db, "import", str(history))
    return db


def tui_seconds(b: Bench, db: Path) -> float:
    """Best time for `drill review` to show the card `drill next` names (nothing is rated)."""
    prompt = json.loads(b.drill(db, "next", "--json"))["prompt"]
    return timed(lambda: first_card_seconds([*DRILL, "review"], b.env(db), prompt[:24]), b.repeat)


def rate_seconds(b: Bench, db: Path) -> float:
    """Best wall time of `drill rate` on the card `drill next` shows; each is then undone."""
    best = float("inf")
    for _ in range(b.repeat):
        card = json.loads(b.drill(db, "next", "--json"))
        best = min(best, timed(lambda c=card: b.drill(db, "rate", str(c["card_id"]), "good")))
        b.drill(db, "undo")
    return best


def _ms(seconds: float | None) -> float | None:
    return None if seconds is None else seconds * 1000


def _at_most(ours: float, theirs: float | None, factor: float) -> bool | None:
    return None if theirs is None else ours <= factor * theirs


# -- workers: one in-process measurement each, in a fresh interpreter ----------------------------


def run_worker(name: str, args: list[str]) -> dict[str, Any]:
    from drill.storage.db import open_database

    if name == "import":
        from drill.io.registry import paused_gc, read_file
        from drill.library.importing import import_files

        db_path, file, fmt = args
        # Anki's timing starts with its backend loaded, so drill's readers are loaded first
        # too; the command row includes loading them.
        import drill.io.anki.text
        import drill.io.markdown.deck  # noqa: F401

        db = open_database(db_path)
        now = datetime.now(UTC)
        start, cpu = time.perf_counter(), time.process_time()
        with paused_gc():  # as `drill import` reads and imports
            loaded = [read_file(Path(file), fmt)]
            import_files(db, loaded, now)
            del loaded
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
        db.close()
        return {"seconds": seconds, "cpu": cpu}
    if name == "next-rate":
        from drill.core.model import Rating
        from drill.study.session import ReviewSession

        db = open_database(args[0])
        rounds, now = int(args[1]), datetime.fromisoformat(args[2])
        session = ReviewSession(db)
        samples = []
        began = time.perf_counter()
        for _ in range(rounds):
            # The clock moves as it does for Anki, which rates in real time.
            when = now + timedelta(seconds=time.perf_counter() - began)
            start = time.perf_counter()
            card = session.next_card(when)
            if card is None:
                break
            session.rate(card.card_id, Rating.GOOD, when, 5000)
            samples.append((time.perf_counter() - start) * 1000)
        db.close()
        return {"rounds": len(samples), "p50": percentile(samples, 50),
                "p95": percentile(samples, 95)}  # fmt: skip
    if name == "review-loop":
        # What the review screen asks between two cards: the rating, the next card, the
        # counts in its header, and (on the back) the interval each rating would give.
        from drill.core.model import Rating
        from drill.storage import repo
        from drill.study.session import ReviewSession

        db = open_database(args[0])
        rounds, now = int(args[1]), datetime.fromisoformat(args[2])
        if len(args) > 3:  # the daily budget, in minutes or "off"
            repo.set_config(db, None, "daily_minutes", args[3])
        session = ReviewSession(db)
        card = session.next_card(now)
        session.counts(now)
        samples = []
        began = time.perf_counter()
        for _ in range(rounds):
            if card is None:
                break
            when = now + timedelta(seconds=time.perf_counter() - began)
            start = time.perf_counter()
            session.rate(card.card_id, Rating.GOOD, when, 5000)
            card = session.next_card(when)
            session.counts(when)
            if card is not None:
                session.preview(card, when)
            samples.append((time.perf_counter() - start) * 1000)
        db.close()
        return {"rounds": len(samples), "p50": percentile(samples, 50),
                "p95": percentile(samples, 95)}  # fmt: skip
    if name == "stats":
        from drill.progress.stats import collect

        db = open_database(args[0])
        now, days, repeat = datetime.fromisoformat(args[1]), int(args[2]), int(args[3])
        seconds = timed(lambda: collect(db, now, days=days), repeat)
        db.close()
        return {"seconds": seconds}
    if name == "heatmap":
        from drill.progress import stats
        from drill.tui.widgets.heatmap import days_needed

        db = open_database(args[0])
        now, repeat = datetime.fromisoformat(args[1]), int(args[2])
        days = days_needed(stats.study_day(db, now))
        seconds = timed(lambda: stats.heatmap(db, now, days=days), repeat)
        cpu = timed(lambda: stats.heatmap(db, now, days=days), repeat, time.process_time)
        db.close()
        return {"seconds": seconds, "cpu": cpu}
    if name == "home":
        # Everything the home screen computes each time it is shown (HomeScreen.refresh_data).
        from drill.progress import overview, stats
        from drill.tui.widgets.heatmap import days_needed

        db = open_database(args[0])
        now, repeat = datetime.fromisoformat(args[1]), int(args[2])

        def home() -> None:
            overview.deck_summaries(db, now)
            stats.today(db, now)
            stats.streak_days(db, now)
            stats.heatmap(db, now, days=days_needed(stats.study_day(db, now)))

        seconds = timed(home, repeat)
        cpu = timed(home, repeat, time.process_time)
        db.close()
        return {"seconds": seconds, "cpu": cpu}
    if name == "browse":
        return browse_worker(Path(args[0]), datetime.fromisoformat(args[1]))
    if name == "parse-scaling":
        sys.path.insert(0, str(ROOT))  # the inputs live beside the tests that use them
        from drill.io.registry import read_file
        from tests.parser_inputs import once_quadratic

        repeat = int(args[0])
        folder = Path(tempfile.mkdtemp(prefix="drill-parse-"))
        times: dict[str, list[float]] = {}
        sizes: dict[str, str] = {}
        for scale in (1, 4):
            for fmt, suffix, text, _, size in once_quadratic(scale):
                path = folder / f"input-{scale}{suffix}"
                path.write_text(text, encoding="utf-8")
                # CPU time: what the parser does, not what else the machine runs.
                seconds = timed(lambda p=path, f=fmt: read_file(p, f), repeat, time.process_time)
                times.setdefault(fmt, []).append(seconds)
                sizes.setdefault(fmt, size)
        shutil.rmtree(folder)
        return {fmt: [*pair, sizes[fmt]] for fmt, pair in times.items()}
    if name == "store-floor":
        return store_floor(Path(args[0]), int(args[1]))
    if name == "insights":
        started = time.perf_counter()
        from drill.core.coach.insights import analyse

        imported = time.perf_counter() - started
        sys.path.insert(0, str(ROOT))
        from tests.test_coach_quality import load_questions

        sample = ROOT / "tests" / "data" / "answers" / "h01-long-achievement.toml"
        import tomllib

        data = tomllib.loads(sample.read_text(encoding="utf-8"))
        question = load_questions()[data["question"]]
        text = " ".join(data["text"].split()[:300])
        start = time.perf_counter()
        analyse(question, text).to_json()
        first = (time.perf_counter() - start) * 1000
        samples, cpu = [], []
        for _ in range(300):
            start, start_cpu = time.perf_counter(), time.process_time()
            analyse(question, text).to_json()
            samples.append((time.perf_counter() - start) * 1000)
            cpu.append((time.process_time() - start_cpu) * 1000)
        return {"first": first, "p50": percentile(samples, 50), "p95": percentile(samples, 95),
                "cpu_p50": percentile(cpu, 50), "import_ms": imported * 1000,
                "text": text}  # fmt: skip
    if name == "restore-check":
        # What `drill restore` reads a backup with: SQLite's quick_check, then drill's check
        # of every value (storage/stored_values.py), on the same read-only file.
        import sqlite3

        from drill.storage.stored_values import unsound_value

        conn = sqlite3.connect(f"{Path(args[0]).resolve().as_uri()}?mode=ro", uri=True)
        repeat = int(args[1])
        quick = timed(lambda: conn.execute("PRAGMA quick_check").fetchall(), repeat)
        values = timed(lambda: unsound_value(conn), repeat)
        conn.close()
        return {"quick_check": quick, "values": values}
    if name == "job-rank":
        return _job_rank(int(args[0]), int(args[1]))
    if name == "job-rank-first":
        return _job_rank_first(int(args[0]), int(args[1]))
    if name == "job-show":
        return _job_show(int(args[0]), int(args[1]))
    if name == "rss":
        # A drill command in this process (DRILL_DB and the rest come from the environment).
        from drill.cli.main import cli

        cli.main(args=args, prog_name="drill", standalone_mode=False)
        return {"mb": _own_peak_mb()}
    raise SystemExit(f"unknown worker {name}")


def browse_worker(db_path: Path, now: datetime) -> dict[str, Any]:
    """Open the browser in the app (headless, 120x40), then type a search, key by key.

    `open` runs from asking for the screen until it is drawn; `key` is the median time from
    a keystroke until the list shows its matches; `mb` the process's peak memory.
    """
    import asyncio

    from drill.storage.db import open_database
    from drill.tui.app import make_app
    from drill.tui.screens.browse import BrowseScreen

    db = open_database(db_path)
    app = make_app(db, now=lambda: now, timer=time.monotonic)
    out: dict[str, Any] = {}

    async def run() -> None:
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            start, cpu = time.perf_counter(), time.process_time()
            await app.push_screen(BrowseScreen(app.ctx))
            await pilot.pause()
            out["open"] = time.perf_counter() - start
            out["open_cpu"] = time.process_time() - cpu
            await pilot.press("slash")
            keys, cpus = [], []
            for key in [*"tell me about", *["backspace"] * 5]:  # typing, then taking back
                start, cpu = time.perf_counter(), time.process_time()
                await pilot.press("space" if key == " " else key)
                await pilot.pause()
                keys.append(time.perf_counter() - start)
                cpus.append(time.process_time() - cpu)
            out["key"] = percentile(keys, 50)
            out["key_cpu"] = percentile(cpus, 50)
            out["worst_key"] = max(keys)

    asyncio.run(run())
    db.close()
    out["mb"] = _own_peak_mb()
    return out


def store_floor(path: Path, count: int) -> dict[str, Any]:
    """Plain sqlite3 storing `count` review rows: one transaction, one index, a state
    snapshot per row (the storing half of the history import's floor).
    """
    import sqlite3

    fresh(path)
    rng = random.Random(3)
    cards = max(1, count // 7)
    snapshot = json.dumps(
        {"state": 2, "step": None, "stability": 12.345678901234, "difficulty": 5.4321098765,
         "due": 1_790_000_000_000, "last_review": 1_789_000_000_000, "reps": 5, "lapses": 1}
    )  # fmt: skip
    start_ms = 1_700_000_000_000
    rows = [
        (i + 1, rng.randrange(cards), "bench", start_ms + i * 9_000, rng.choice((1, 2, 3, 3, 4)),
         2, rng.randrange(3_000, 60_000), snapshot)
        for i in range(count)
    ]  # fmt: skip
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute(
        "CREATE TABLE reviews (id INTEGER PRIMARY KEY, card_id INTEGER, deck_id TEXT, "
        "review_time INTEGER, rating INTEGER, review_state INTEGER, duration_ms INTEGER, "
        "card_before TEXT)"
    )
    conn.execute("CREATE INDEX reviews_card ON reviews(card_id, review_time)")
    start, cpu = time.perf_counter(), time.process_time()
    conn.execute("BEGIN")
    conn.executemany("INSERT INTO reviews VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)
    conn.execute("COMMIT")
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    conn.close()
    return {"seconds": seconds, "cpu": cpu}


def _job_bank(count: int) -> tuple[list[Any], list[Any]]:
    """`count` candidates (the bundled general decks and role packs, again and again as other
    decks) and the labelled postings of tests/data/jobs, parsed.
    """
    from dataclasses import replace as copy_question

    from drill.core.ranking import Candidate
    from drill.io.markdown.deck import parse_markdown
    from drill.io.postings import parse_posting, read_posting_file
    from drill.io.source import Source
    from drill.library.bundled import bundled_dir

    folder = Path(str(bundled_dir()))
    files = sorted(folder.glob("*.md")) + sorted(folder.glob("packs/*.md"))
    bank = [
        (deck.id, deck.name, q)
        for deck in (parse_markdown(Source.read(f)) for f in files)
        for q in deck.questions
    ]
    candidates = [
        Candidate(f"{deck}-{i // len(bank)}", name, copy_question(q, id=f"{q.id}-{i}"))
        for i, (deck, name, q) in ((i, bank[i % len(bank)]) for i in range(count))
    ]
    postings = [parse_posting(read_posting_file(path), path.name) for path in _posting_files()]
    return candidates, postings


def _posting_files() -> list[Path]:
    """The labelled postings (tests/data/jobs, labels.toml aside)."""
    folder = ROOT / "tests" / "data" / "jobs"
    return [path for path in sorted(folder.iterdir()) if path.suffix != ".toml"]


def _job_rank_first(count: int, which: int) -> dict[str, Any]:
    """The first ranking in this interpreter, as `drill job add` does it: the background
    postings loaded, the posting's terms, the question index, the ranking; nothing cached
    yet (no stem, no vocabulary pattern, no background). Wall and CPU milliseconds.
    """
    from drill.core.ranking import QuestionIndex, rank
    from drill.core.terms import extract_terms
    from drill.core.words import STEM_CACHE, tokens
    from drill.io.postings import load_background

    candidates, postings = _job_bank(count)
    posting = postings[which]
    STEM_CACHE.clear()  # parsing the decks above stems nothing, but make sure
    marks: list[tuple[float, float]] = [(time.perf_counter(), time.process_time())]
    background = load_background()
    terms = extract_terms(posting, background)
    marks.append((time.perf_counter(), time.process_time()))
    index = QuestionIndex(candidates)
    marks.append((time.perf_counter(), time.process_time()))
    rank(posting, terms, index)
    marks.append((time.perf_counter(), time.process_time()))
    wall = [(b[0] - a[0]) * 1000 for a, b in itertools.pairwise(marks)]
    cpu = [(b[1] - a[1]) * 1000 for a, b in itertools.pairwise(marks)]
    words = {
        token
        for c in candidates
        for text in (
            c.question.question,
            *c.question.variants,
            *c.question.tags,
            *c.question.competencies,
            *c.question.follow_ups,
        )
        for token in tokens(text)
    }
    return {
        "wall": sum(wall),
        "cpu": sum(cpu),
        "terms_cpu": cpu[0],
        "index_cpu": cpu[1],
        "rank_cpu": cpu[2],
        "words": len(words),
    }


def _job_rank(count: int, repeat: int) -> dict[str, Any]:
    """Milliseconds to rank `count` questions against each labelled posting:

    - `first`: the first ranking in a fresh interpreter (one per posting, see
      `_job_rank_first`), wall and CPU; what `drill job add` pays;
    - `rebuilt`: best of `repeat` in one interpreter, the index built again each time (the
      word caches warm);
    - `warm`: best of `repeat` against one index built beforehand (terms and ranking only).
    """
    from statistics import median

    from drill.core.ranking import QuestionIndex, rank
    from drill.core.terms import extract_terms
    from drill.io.postings import load_background

    first = [worker("job-rank-first", count, which) for which in range(len(_posting_files()))]
    candidates, postings = _job_bank(count)
    background = load_background()
    rebuilt = [
        timed(lambda p=p: rank(p, extract_terms(p, background), QuestionIndex(candidates)),
              repeat, time.process_time) * 1000
        for p in postings
    ]  # fmt: skip
    index = QuestionIndex(candidates)
    warm = [
        timed(lambda p=p: rank(p, extract_terms(p, background), index),
              repeat, time.process_time) * 1000
        for p in postings
    ]  # fmt: skip
    cpu = [f["cpu"] for f in first]
    return {
        "postings": len(postings),
        "questions": count,
        "words": first[0]["words"],
        "first_cpu": median(cpu),
        "first_cpu_slowest": max(cpu),
        "first_wall": median(f["wall"] for f in first),
        "first_wall_slowest": max(f["wall"] for f in first),
        "first_terms": median(f["terms_cpu"] for f in first),
        "first_index": median(f["index_cpu"] for f in first),
        "first_rank": median(f["rank_cpu"] for f in first),
        "rebuilt": median(rebuilt),
        "rebuilt_slowest": max(rebuilt),
        "warm": median(warm),
        "warm_slowest": max(warm),
    }


def _job_show(count: int, repeat: int) -> dict[str, Any]:
    """A job's analysis as `drill job show` computes it, on a collection of about `count`
    questions (the general decks, then copies of every shipped deck as decks of their own),
    in-process, CPU milliseconds, best of `repeat` (after `add_job` in the same process:
    the words are stemmed and the role packs parsed already).
    """
    from drill.io.markdown.deck import parse_markdown
    from drill.io.postings import read_posting_file
    from drill.io.source import Source
    from drill.library import bundled, jobs
    from drill.library.importing import import_decks
    from drill.storage import repo
    from drill.storage.db import open_database

    now = datetime(2026, 12, 5, 9, tzinfo=UTC)
    db = open_database(":memory:")
    bundled.ensure_bundled(db, now)
    files = bundled.bundled_files() + bundled.pack_files()
    copies, have = [], sum(1 for _ in repo.iter_questions_for_ranking(db))
    while have < count:
        for file in files:
            deck = parse_markdown(Source.read(file))
            deck.id, deck.name = f"{deck.id}-copy-{len(copies)}", f"{deck.name} {len(copies)}"
            copies.append(deck)
            have += len(deck.questions)
            if have >= count:
                break
    import_decks(db, copies, now)
    posting = read_posting_file(_posting_files()[0])
    job = jobs.add_job(db, posting, now)
    questions = sum(1 for _ in repo.iter_questions_for_ranking(db))
    again = timed(lambda: jobs.show_job(db, job.id, now), repeat, time.process_time)
    collect = timed(lambda: jobs.collect_candidates(db), repeat, time.process_time)
    return {
        "questions": questions,
        "again": again * 1000,
        "collect": collect * 1000,
    }


# -- output ----------------------------------------------------------------------------------


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return (
        f"{cpu}, {os.cpu_count()} cpus, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}, SQLite {_sqlite_version()}"
    )


def _sqlite_version() -> str:
    import sqlite3

    return sqlite3.sqlite_version


def anki_version() -> str | None:
    if importlib.util.find_spec("anki") is None:
        return None
    from importlib.metadata import version

    return version("anki")


def print_table(b: Bench, command: str) -> None:
    print(f"drill benchmarks ({'quick' if b.quick else 'full'})")
    print(f"machine: {machine()}")
    print(f"command: {command}")
    print(f"peer:    Anki {anki_version()}" if b.anki else f"peer:    {MISSING_ANKI}")
    header = (
        f"{'measurement':<50} {'drill':>10} {'peer/base':>10} {'ratio':>7}  "
        f"{'goal':<17} {'ok':<3} note"
    )
    size = None
    for r in b.rows:
        if r.size != size:
            size = r.size
            print()
            print(size or "start-up and sizes of their own")
            print(header)
            print("-" * len(header))
        value = "" if r.value is None else f"{r.value:.1f} {r.unit}"
        base = f"{r.baseline:.1f}" if r.baseline is not None else "-"
        ratio = f"{r.ratio:.2f}x" if r.ratio is not None else ""
        ok = "" if r.ok is None else ("yes" if r.ok else "NO")
        note = r.note or r.baseline_name
        print(f"{r.name:<50} {value:>10} {base:>10} {ratio:>7}  {r.goal:<17} {ok:<3} {note}")


def main() -> int:
    if sys.argv[1:2] == ["--worker"]:  # internal: one measurement, see worker()
        print(json.dumps(run_worker(sys.argv[2], sys.argv[3:])))
        return 0
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="smaller sizes, about 30 s")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.add_argument(
        "--only",
        choices=["import"],
        help="only these rows: import (the deck imports against Anki's import_csv, a minute)",
    )
    args = parser.parse_args()

    anki = importlib.util.find_spec("anki") is not None
    if not anki:
        print(MISSING_ANKI, file=sys.stderr)
    command = " ".join([Path(sys.executable).name, *sys.argv])
    now = datetime.now(UTC).replace(second=0, microsecond=0)
    with tempfile.TemporaryDirectory(prefix="drill-bench-") as tmp_name:
        b = Bench(args.quick, Path(tmp_name), now, anki)
        # Byte-compile drill as pip does on install (PYTHONDONTWRITEBYTECODE may be set), so
        # start-up rows measure loading drill, not compiling it.
        subprocess.run(
            [sys.executable, "-m", "compileall", "-q", str(ROOT / "src" / "drill")], check=True
        )
        if args.only == "import":
            for size in QUICK if args.quick else FULL:
                measure_imports(b, size)
        else:
            startup(b)
            job_ranking(b)
            parser_scaling(b)
            small_db = small_collection(b)
            cold_start(b, small_db)
            coach(b, small_db)
            for size in QUICK if args.quick else FULL:
                measure_size(b, size, small_db)

    if args.json:
        payload = {
            "machine": machine(),
            "command": command,
            "quick": args.quick,
            "anki": anki_version(),
            "rows": [{**asdict(r), "ratio": r.ratio} for r in b.rows],
        }
        print(json.dumps(payload, indent=2))
    else:
        print_table(b, command)
    return 0


if __name__ == "__main__":
    sys.exit(main())
