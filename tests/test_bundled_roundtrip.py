"""The bundled decks pass `drill check` and round-trip through `drill export deck --format md`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from drill.cli.main import cli

DECKS = Path(__file__).resolve().parents[1] / "decks"


def test_drill_check_decks_passes():
    """`drill check decks` reads the general decks and, in its subfolder, the role packs."""
    result = CliRunner().invoke(cli, ["check", str(DECKS)])
    assert result.exit_code == 0, result.stderr
    lines = result.output.splitlines()
    assert len(lines) == len(list(DECKS.rglob("*.md")))
    assert all(line.startswith("ok: ") for line in lines)
    assert any("/packs/" in line for line in lines)


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """A database with the bundled decks installed on first use, as a new user gets it."""
    folder = tmp_path_factory.mktemp("bundled")
    env = {
        "DRILL_DB": str(folder / "d.db"),
        "DRILL_NO_BUNDLED": "0",
        "DRILL_NOW": "2026-01-05T10:00:00Z",
    }
    runner = CliRunner()

    def run(*args):
        result = runner.invoke(cli, list(args), env=env)
        assert result.exit_code == 0, result.output + result.stderr
        return result.output

    return run, folder


def deck_ids():
    from drill.io.markdown.deck import parse_markdown
    from drill.io.source import Source

    return [parse_markdown(Source.read(p)).id for p in sorted(DECKS.glob("*.md"))]


@pytest.mark.parametrize("deck_id", deck_ids())
def test_export_md_round_trips(installed, deck_id):
    run, folder = installed
    out = folder / f"{deck_id}.md"
    run("export", "deck", deck_id, "--format", "md", "-o", str(out))
    summary = run("import", str(out))
    assert "0 added, 0 updated" in summary
    original = json.loads(run("export", "deck", deck_id, "--format", "json"))
    from drill.io.markdown.deck import parse_markdown
    from drill.io.source import Source

    reparsed = parse_markdown(Source.read(out))
    assert [q.content_dict() for q in reparsed.questions] == original["questions"]
