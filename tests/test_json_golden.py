"""Every `--json` output, byte for byte, over a scripted month of study.

The files in tests/data/golden/ were written by this test and are the contract scripts rely
on: a change in any of them must be deliberate. Regenerate with
`DRILL_WRITE_GOLDEN=1 pytest tests/test_json_golden.py` and review the diff.
"""

from __future__ import annotations

import json
import os
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from drill.cli.main import cli
from tests.helpers import SAMPLE_DECK

GOLDEN = Path(__file__).parent / "data" / "golden"
START = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)

SECOND_DECK = """# Second deck
Another deck, with its own interview date.

## Why do you want this job?
id: why-job
tags: motivation

### Variants
- What draws you to this role?

### Why they ask
They check your motivation.

### Approach
Link the role to your skills.

### Do
- Name the team.

### Don't
- Mention the salary first.

## Describe a conflict.
id: conflict

### Approach
Use STAR.
"""

# (command, arguments) pairs whose stdout is compared with a golden file of the same name.
COMMANDS: list[tuple[str, list[str]]] = [
    ("decks", ["decks", "--json"]),
    ("decks-available", ["decks", "available", "--json"]),
    ("next", ["next", "--json"]),
    ("next-deck", ["next", "--deck", "second-deck", "--json"]),
    ("show", ["show", "1", "--json"]),
    ("config", ["config", "--json"]),
    ("config-deck", ["config", "--deck", "second-deck", "--json"]),
    ("config-key", ["config", "new_per_day", "--json"]),
    ("stats", ["stats", "--json"]),
    ("stats-deck", ["stats", "--deck", "sample-deck", "--days", "14", "--json"]),
    ("answer-history", ["answer", "sample-deck/career-goals", "--history", "--json"]),
    ("insights", ["insights", "sample-deck/career-goals", "--json"]),
    ("export-progress", ["export", "progress", "--format", "json"]),
    ("export-reviews", ["export", "reviews", "--format", "json"]),
    ("export-deck", ["export", "deck", "sample-deck", "--format", "json"]),
    ("export-stats", ["export", "stats", "--format", "json", "--days", "30"]),
    ("export-answers", ["export", "answers", "--format", "json"]),
    ("optimize-dry", ["optimize", "--dry-run", "--json"]),
    ("optimize-retention", ["optimize", "--retention", "--days", "20", "--json"]),
]


def _write_or_compare(name: str, text: str) -> None:
    # The optimizer reports how long it ran: the one figure that is not a function of the data.
    text = re.sub(r'"seconds": [0-9.e-]+', '"seconds": "(elapsed)"', text)
    path = GOLDEN / f"{name}.json"
    if os.environ.get("DRILL_WRITE_GOLDEN"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return
    assert path.exists(), f"no golden file {path}: run with DRILL_WRITE_GOLDEN=1"
    assert text == path.read_text(encoding="utf-8"), f"{name}: --json output changed"


@pytest.fixture(scope="module")
def month(tmp_path_factory):
    """A collection after three weeks of scripted study, and a way to run commands on it."""
    folder = tmp_path_factory.mktemp("golden")
    (folder / "sample.md").write_text(SAMPLE_DECK, encoding="utf-8")
    (folder / "second.md").write_text(SECOND_DECK, encoding="utf-8")
    env = {"DRILL_DB": str(folder / "drill.db"), "DRILL_NO_BUNDLED": "1", "TZ": "UTC"}
    runner = CliRunner()
    outputs: dict[str, str] = {}

    def run(*args: str, at: datetime, name: str | None = None) -> str:
        stamp = at.isoformat().replace("+00:00", "Z")
        result = runner.invoke(cli, list(args), env={**env, "DRILL_NOW": stamp})
        assert result.exit_code == 0, (args, result.output, result.stderr)
        if name is not None:
            outputs[name] = result.stdout
        return result.stdout

    run("import", str(folder / "sample.md"), str(folder / "second.md"), at=START, name="import")
    run("config", "fuzz", "off", at=START)
    run("config", "interview_date", "2026-02-10", "--deck", "second-deck", at=START)
    ratings = ["good", "again", "good", "hard", "easy", "good"]
    for day in range(21):
        now = START + timedelta(days=day)
        for step in range(8):
            card = json.loads(run("next", "--json", at=now + timedelta(minutes=15 * step)))
            if card is None:
                break
            rating = ratings[(day + step) % len(ratings)]
            out = run(
                "rate",
                str(card["card_id"]),
                rating,
                "--duration-ms",
                str(30_000 + step),
                "--json",
                at=now + timedelta(minutes=15 * step, seconds=30),
            )
            if day == 0 and step == 0:
                outputs["rate"] = out
        if day == 3:
            run("answer", "sample-deck/career-goals", "--text", "Finish my certificate.", at=now)
        if day == 9:
            run("answer", "sample-deck/career-goals", "--text", "Lead the audit team.", at=now)
    end = START + timedelta(days=21, hours=2)
    for name, args in COMMANDS:
        run(*args, at=end, name=name)
    run("import", str(folder / "sample.md"), "--dry-run", "--json", at=end, name="import-dry")
    run("undo", "--json", at=end, name="undo")
    run("decks", "add", "sales", "--json", at=end, name="decks-add")
    return outputs


@pytest.mark.parametrize(
    "name",
    ["import", "rate", *(name for name, _ in COMMANDS), "import-dry", "undo", "decks-add"],
)
def test_json_output_is_unchanged(month, name):
    _write_or_compare(name, month[name])
