#!/usr/bin/env python3
"""Speed goals of drill, measured as ratios against a baseline in the same run.

    .venv/bin/python scripts/bench.py           # full sizes
    .venv/bin/python scripts/bench.py --quick   # about 30 s
    .venv/bin/python scripts/bench.py --json    # machine-readable

Prints one table row per measurement: the figure, its baseline, the ratio, and the goal.
Machines are noisy, so goals are ratios wherever a fair baseline exists.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

NOW = datetime(2026, 6, 1, 10, tzinfo=UTC)
DRILL = (
    [sys.executable, "-m", "drill.cli"] if False else [str(Path(sys.executable).parent / "drill")]
)


@dataclass
class Row:
    name: str
    value: float
    unit: str
    baseline: float | None = None
    baseline_name: str = ""
    goal: str = ""
    ok: bool | None = None

    @property
    def ratio(self) -> float | None:
        return self.value / self.baseline if self.baseline else None


def deck_markdown(name: str, questions: int, seed: int = 1) -> str:
    rng = random.Random(seed)
    words = ["team", "project", "deadline", "customer", "growth"]
    words += ["conflict", "data", "budget", "launch", "risk"]
    parts = [f"# {name}\n\nGenerated for benchmarks.\n"]
    for i in range(questions):
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


def timed(fn: Callable[[], object], repeat: int = 1) -> float:
    """Best wall time of `repeat` runs, in seconds (best-of filters scheduler noise)."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def run_cli(args: list[str], env: dict[str, str]) -> None:
    subprocess.run(DRILL + args, env=env, check=True, stdout=subprocess.DEVNULL)


def cli_env(db: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DRILL_DB": str(db),
        "DRILL_NO_BUNDLED": "1",
        "DRILL_NOW": NOW.isoformat(),
    }


def build_collection(db_path: Path, questions: int, reviews: int, deck: Path) -> None:
    """Import `questions` questions, then give the cards `reviews` reviews of real FSRS history.

    The reviews are replayed through the scheduler and written in one batch, so every card's
    stored state is what FSRS computes from its log.
    """
    from drill.config import StudyConfig
    from drill.model import Rating
    from drill.scheduling import CardRecord, review, scheduler_for
    from drill.storage.db import open_database, write_transaction

    run_cli(["import", str(deck)], cli_env(db_path))
    db = open_database(db_path)
    cards = db.execute("SELECT id, deck_id FROM cards ORDER BY id").fetchall()
    scheduler = scheduler_for(StudyConfig())
    rng = random.Random(7)
    per_card, extra = divmod(reviews, len(cards))
    review_rows, card_rows = [], []
    start = NOW - timedelta(days=400)
    for index, (card_id, deck_id) in enumerate(cards):
        count = per_card + (1 if index < extra else 0)
        record = CardRecord()
        when = start + timedelta(minutes=rng.randrange(0, 60 * 24 * 30))
        for _ in range(count):
            grade = Rating(rng.choices([1, 2, 3, 4], weights=[10, 15, 65, 10])[0])
            before = record
            record = review(scheduler, card_id, record, grade, when, 8000)
            review_rows.append(
                (
                    card_id,
                    deck_id,
                    int(when.timestamp() * 1000),
                    int(grade),
                    before.state,
                    8000,
                    json.dumps(before.to_dict()),
                )
            )
            when = max(when + timedelta(minutes=1), datetime.fromtimestamp(record.due / 1000, UTC))
            if when > NOW:
                break
        card_rows.append(
            (
                record.state,
                record.step,
                record.stability,
                record.difficulty,
                record.due,
                record.last_review,
                record.reps,
                record.lapses,
                card_id,
            )
        )
    with write_transaction(db):
        db.conn.executemany(
            "INSERT INTO reviews (card_id, deck_id, review_time, rating, review_state, "
            "duration_ms, card_before) VALUES (?, ?, ?, ?, ?, ?, ?)",
            review_rows,
        )
        db.conn.executemany(
            "UPDATE cards SET state = ?, step = ?, stability = ?, difficulty = ?, due = ?, "
            "last_review = ?, reps = ?, lapses = ? WHERE id = ?",
            card_rows,
        )
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()


def build_review_log(db_path: Path, tmp: Path, questions: int, reviews: int) -> None:
    """Five decks of `questions` questions in all, then `reviews` synthetic reviews.

    Unlike build_collection, the reviews are not replayed through FSRS: random rows are
    inserted directly with executemany (in time order, over 400 days, with a realistic
    card_before), and most cards get a plausible review state. Stats only aggregate them,
    and replaying a million reviews would take minutes.
    """
    from drill.storage.db import open_database, write_transaction

    files = []
    for i in range(5):
        path = tmp / f"stats-deck-{i}.md"
        path.write_text(deck_markdown(f"Stats {i}", questions // 5, seed=i), encoding="utf-8")
        files.append(str(path))
    run_cli(["import", *files], cli_env(db_path))
    db = open_database(db_path)
    cards = db.execute("SELECT id, deck_id FROM cards").fetchall()
    rng = random.Random(11)
    now_ms = int(NOW.timestamp() * 1000)
    day = 86_400_000
    before = json.dumps(
        {"state": 2, "step": None, "stability": 12.3456, "difficulty": 5.4321, "due": now_ms,
         "last_review": now_ms, "reps": 7, "lapses": 1}
    )  # fmt: skip
    times = sorted(now_ms - rng.randrange(400 * day) for _ in range(reviews))

    def rows():  # type: ignore[no-untyped-def]
        for when in times:
            card_id, deck_id = cards[rng.randrange(len(cards))]
            grade = rng.choices((1, 2, 3, 4), weights=(10, 15, 65, 10))[0]
            state = rng.choices((0, 1, 2, 3), weights=(10, 15, 65, 10))[0]
            yield (card_id, deck_id, when, grade, state, 8000, before)

    with write_transaction(db):
        db.conn.executemany(
            "INSERT INTO reviews (card_id, deck_id, review_time, rating, review_state, "
            "duration_ms, card_before) VALUES (?, ?, ?, ?, ?, ?, ?)",
            rows(),
        )
        db.conn.executemany(
            "UPDATE cards SET state = 2, stability = ?, difficulty = 5, due = ?, "
            "last_review = ?, reps = 5 WHERE id = ?",
            [
                (rng.uniform(0.5, 200), now_ms + rng.randrange(-5 * day, 60 * day),
                 now_ms - rng.randrange(60 * day), card_id)
                for card_id, _ in cards
                if rng.random() < 0.8
            ],
        )  # fmt: skip
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


def next_rate_latency(db_path: Path, rounds: int) -> tuple[float, float]:
    """In-process next card + rating, p50 and p95 in ms (one rating per card shown)."""
    from drill.model import Rating
    from drill.session import ReviewSession
    from drill.storage.db import open_database

    db = open_database(db_path)
    session = ReviewSession(db)
    samples = []
    now = NOW
    for _ in range(rounds):
        start = time.perf_counter()
        card = session.next_card(now)
        if card is None:
            break
        session.rate(card.card_id, Rating.GOOD, now, 5000)
        samples.append((time.perf_counter() - start) * 1000)
        now += timedelta(seconds=5)
    db.close()
    return percentile(samples, 50), percentile(samples, 95)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="smaller sizes, about 30 s")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    args = parser.parse_args()

    questions = 1000 if args.quick else 5000
    reviews = 20000 if args.quick else 100000
    repeat = 3 if args.quick else 5
    rows: list[Row] = []

    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        big_deck = tmp / "big.md"
        big_deck.write_text(deck_markdown("Bench", questions), encoding="utf-8")
        small_deck = tmp / "small.md"
        small_deck.write_text(deck_markdown("Small", 3), encoding="utf-8")

        # Start-up: `drill --help` against the bare interpreter importing click.
        click_only = timed(
            lambda: subprocess.run([sys.executable, "-c", "import click"], check=True), repeat
        )
        helptime = timed(lambda: run_cli(["--help"], dict(os.environ)), repeat)
        rows.append(
            Row(
                "drill --help",
                helptime * 1000,
                "ms",
                click_only * 1000,
                "python -c 'import click'",
                "<= 3x",
                helptime <= 3 * click_only,
            )
        )

        # Import: N questions in a fresh database, against importing a 3-question deck.
        def fresh_import(deck: Path) -> Callable[[], None]:
            def go() -> None:
                target = tmp / f"import-{random.random()}.db"
                run_cli(["import", str(deck)], cli_env(target))

            return go

        small = timed(fresh_import(small_deck), repeat)
        big = timed(fresh_import(big_deck), 1 if not args.quick else 2)
        rows.append(
            Row(
                f"drill import {questions} questions",
                big * 1000,
                "ms",
                small * 1000,
                "import of 3 questions",
                "< 3 s",
                big < 3.0,
            )
        )

        from drill.io.markdown_deck import parse_markdown
        from drill.io.source import Source

        source_text = big_deck.read_text(encoding="utf-8")
        parse_time = timed(lambda: parse_markdown(Source.from_text(source_text, "big.md")), repeat)
        rows.append(Row(f"parse {questions} questions (pyromark)", parse_time * 1000, "ms"))

        # Next and rate on a large collection, against a small one.
        big_db, small_db = tmp / "big.db", tmp / "small.db"
        build_collection(big_db, questions, reviews, big_deck)
        build_collection(small_db, 3, 0, small_deck)
        for command in (["next", "--json"],):
            small_t = timed(lambda c=command: run_cli(c, cli_env(small_db)), repeat)
            big_t = timed(lambda c=command: run_cli(c, cli_env(big_db)), repeat)
            rows.append(
                Row(
                    f"drill {' '.join(command)} ({questions * 3} cards, {reviews} reviews)",
                    big_t * 1000,
                    "ms",
                    small_t * 1000,
                    "empty collection",
                    "<= 1.3x",
                    big_t <= 1.3 * small_t,
                )
            )

        def rate_cli(db: Path) -> Callable[[], None]:
            def go() -> None:
                out = subprocess.run(
                    [*DRILL, "next", "--json"],
                    env=cli_env(db),
                    check=True,
                    capture_output=True,
                    text=True,
                ).stdout
                card = json.loads(out)
                if card:
                    start = time.perf_counter()
                    run_cli(["rate", str(card["card_id"]), "good"], cli_env(db))
                    go.elapsed = time.perf_counter() - start  # type: ignore[attr-defined]

            return go

        def rate_time(db: Path) -> float:
            best = float("inf")
            fn = rate_cli(db)
            for _ in range(repeat):
                fn()
                best = min(best, getattr(fn, "elapsed", float("inf")))
            return best

        small_rate, big_rate = rate_time(small_db), rate_time(big_db)
        rows.append(
            Row(
                f"drill rate ({questions * 3} cards)",
                big_rate * 1000,
                "ms",
                small_rate * 1000,
                "empty collection",
                "<= 1.3x",
                big_rate <= 1.3 * small_rate,
            )
        )

        p50, p95 = next_rate_latency(big_db, 300 if args.quick else 1000)
        rows.append(Row("next + rate in-process p50", p50, "ms"))
        rows.append(Row("next + rate in-process p95", p95, "ms", goal="< 2 ms", ok=p95 < 2.0))

        # Stats over a large review log, against the same command on an empty collection.
        log_size = 200_000 if args.quick else 1_000_000
        log_db, empty_db = tmp / "log.db", tmp / "empty.db"
        build_review_log(log_db, tmp, questions, log_size)
        empty_t = timed(lambda: run_cli(["stats", "--json"], cli_env(empty_db)), repeat)
        log_t = timed(lambda: run_cli(["stats", "--json"], cli_env(log_db)), repeat)
        rows.append(Row("drill stats --json (empty collection)", empty_t * 1000, "ms"))
        rows.append(
            Row(
                f"drill stats --json ({log_size:,} reviews)",
                log_t * 1000,
                "ms",
                empty_t * 1000,
                "empty collection",
                "< 1 s",
                log_t < 1.0,
            )
        )

    machine = f"{platform.machine()}, {os.cpu_count()} cpus, Python {platform.python_version()}"
    if args.json:
        print(
            json.dumps(
                {
                    "machine": machine,
                    "quick": args.quick,
                    "rows": [{**r.__dict__, "ratio": r.ratio} for r in rows],
                },
                indent=2,
            )
        )
        return 0
    print(f"drill benchmarks ({'quick' if args.quick else 'full'}; {machine})")
    header = f"{'measurement':<48} {'value':>10} {'baseline':>10} {'ratio':>7}  {'goal':<8} ok"
    print(header)
    print("-" * len(header))
    for r in rows:
        base = f"{r.baseline:.1f}" if r.baseline is not None else ""
        ratio = f"{r.ratio:.2f}x" if r.ratio is not None else ""
        ok = "" if r.ok is None else ("yes" if r.ok else "NO")
        print(f"{r.name:<48} {r.value:>8.1f}{r.unit:>2} {base:>10} {ratio:>7}  {r.goal:<8} {ok}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
