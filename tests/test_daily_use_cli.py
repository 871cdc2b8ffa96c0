"""Issue 18 from the command line: what a new user met in daily use.

Each test here failed on the code before the fix: Markdown saved as .txt, rewording without
`id:`, `--dry-run`, "(1 cards)", `--deck` by name or prefix, Anki text notes already in
another deck, and `drill show`.
"""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from drill.cli.main import cli
from tests.helpers import SAMPLE_DECK

NOW_ENV = "2026-01-05T10:00:00+00:00"


@pytest.fixture
def env(tmp_path):
    return {"DRILL_DB": str(tmp_path / "drill.db"), "DRILL_NOW": NOW_ENV, "DRILL_NO_BUNDLED": "1"}


@pytest.fixture
def run(env):
    runner = CliRunner()

    def invoke(*args, input=None):
        return runner.invoke(cli, [str(a) for a in args], env=env, input=input)

    return invoke


# -- bug 5: a Markdown deck saved as .txt -------------------------------------------------------


def test_markdown_saved_as_txt_is_read_as_markdown(run, tmp_path):
    path = tmp_path / "sample.txt"
    path.write_text(SAMPLE_DECK, encoding="utf-8")
    checked = run("check", path)
    assert checked.exit_code == 0, checked.output
    assert checked.output == f"ok: {path}: 3 questions\n"
    imported = run("import", path)
    assert imported.exit_code == 0, imported.output
    assert imported.output.startswith("Sample deck: 3 added")


def test_headings_in_a_plain_list_are_refused_with_a_hint(run, tmp_path):
    # Markdown the deck parser cannot read as a deck is never read as a list of questions.
    path = tmp_path / "notes.txt"
    path.write_text("# My notes\n\nWhy this company?\nWhat is your weakness?\n", encoding="utf-8")
    result = run("import", path, "--format", "list")
    assert result.exit_code == 1
    assert f"{path}:1: a Markdown heading, not a question" in result.output
    assert "--format md" in result.output
