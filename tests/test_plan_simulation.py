"""`drill plan`'s forecast against scripts/simulate_plan.py: the plan on day one says what a
new user who studies everything it offers will really do, day by day, for fixed seeds.

The simulation drives the real `ReviewSession` (the live intake and `scheduling.rate`), with
durations and ratings of its own; the plan plays the same rules in memory. If either drifted
from the other (another scheduler, another intake), the figures would part.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
SEEDS = 5
DAYS = 14

# Run apart: the script sets the process's time zone when imported.
PROGRAM = f"""
import json, sys
sys.path.insert(0, {str(ROOT / "scripts")!r})
import simulate_plan as s
from drill.library.bundled import ensure_bundled
from drill.storage.db import open_database
from drill.study import plan

db = open_database(":memory:")
ensure_bundled(db, s.START)
forecast = plan.forecast(db, s.START)
runs = [s.simulate(seed, {DAYS}) for seed in range({SEEDS})]
print(json.dumps({{
    "plan_minutes": [d.minutes for d in forecast.days],
    "plan_seen": forecast.questions_seen,
    "budget": forecast.daily_minutes,
    "minutes": [[d.minutes for d in r.days] for r in runs],
    "seen": [sum(d.new_questions for d in r.days) for r in runs],
}}))
"""


@pytest.fixture(scope="module")
def figures() -> dict:
    done = subprocess.run(
        [sys.executable, "-c", PROGRAM], capture_output=True, text=True, check=True, cwd=ROOT
    )
    return json.loads(done.stdout)


@pytest.mark.slow
def test_the_plan_says_how_many_questions_the_simulated_user_sees(figures):
    # Seeds 0-4 see 24 to 31 questions in two weeks; the plan's three runs say 26.
    assert len(figures["plan_minutes"]) == DAYS
    median = statistics.median(figures["seen"])
    assert abs(figures["plan_seen"] - median) <= 3


@pytest.mark.slow
def test_the_plans_minutes_follow_the_simulated_days(figures):
    budget = figures["budget"]
    days = list(zip(*figures["minutes"], strict=True))
    means = [statistics.mean(day) for day in days]
    planned = figures["plan_minutes"]
    # Two weeks of time within a tenth, and each day within a fifth of the budget.
    assert sum(planned) == pytest.approx(sum(means), rel=0.1)
    for day, (plan_day, real) in enumerate(zip(planned, means, strict=True), start=1):
        assert abs(plan_day - real) <= 0.2 * budget, f"day {day}: plan {plan_day}, real {real}"
    # The plan never forecasts a day past the budget the simulated days keep.
    assert max(planned) <= budget
