"""The README's "Improving your answers" example is a real run: this test makes it again and
compares it line for line, so the README stays true when the coach changes.
"""

from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner

from drill.cli.main import cli

README = Path(__file__).parents[1] / "README.md"
REF = "behavioral-challenges/tell-me-about-a-failure"
SECOND = (
    "Last spring I ran the launch of a new booking site at a design studio. My job was to get "
    "it live before the client's summer campaign. I assumed the client had signed off the "
    "homepage, and I didn't check, so we built two pages they later rejected. That cost us nine "
    "days. I told the account director the same morning I found out, offered a reduced first "
    "release, and rebuilt the two pages over a weekend with one developer. We went live nine "
    "days late, but the campaign still ran and the client renewed for a second year. Since then "
    "I get written sign-off on every page before we build it, and my last three launches went "
    "out on time."
)


def blocks() -> list[str]:
    section = README.read_text(encoding="utf-8").split("## Improving your answers", 1)[1]
    return re.findall(r"```text\n(.*?)```", section, re.S)


def test_the_readme_example_is_what_drill_prints(tmp_path):
    first, report, history = blocks()[:3]
    # The bundled decks, as a user has them on first use.
    env = {"DRILL_DB": str(tmp_path / "d.db"), "DRILL_NO_BUNDLED": "0"}
    runner = CliRunner()

    def run(now: str, *args: str) -> str:
        result = runner.invoke(cli, list(args), env={**env, "DRILL_NOW": now})
        assert result.exit_code == 0, result.output
        return result.output

    run("2026-03-02T09:00:00+00:00", "answer", REF, "--text", first.strip())
    run("2026-03-05T09:00:00+00:00", "answer", REF, "--text", SECOND)
    assert run("2026-03-05T09:30:00+00:00", "insights", REF) == report
    lines = run("2026-03-05T09:30:00+00:00", "answer", REF, "--history").splitlines()
    shown = [
        line
        for i, line in enumerate(lines)
        if line.startswith("---") or (i and lines[i - 1].startswith("---"))
    ]
    assert "\n".join(shown) + "\n" == history
