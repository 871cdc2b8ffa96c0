"""Role packs: shipped with drill, installed only on request, refreshed with the general decks.

The general decks install on first use; `drill decks available` lists them and the packs, and
`drill decks add PACK` installs one. Updating the shipped files refreshes what is installed
without resetting progress, and a removed deck stays removed.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from drill.cli.main import cli
from drill.library import bundled

DECKS = Path(__file__).resolve().parents[1] / "decks"
PACK_IDS = {
    "software-engineering",
    "product-management",
    "data-science-and-analytics",
    "sales",
    "customer-success",
    "people-management",
    "new-graduate",
    "career-changer",
}


@pytest.fixture
def shipped(tmp_path, monkeypatch):
    """A copy of the shipped decks that a test may edit, as a new drill release would."""
    folder = tmp_path / "decks"
    shutil.copytree(DECKS, folder)
    monkeypatch.setattr(bundled, "bundled_dir", lambda: folder)
    return folder


@pytest.fixture
def run(tmp_path):
    env = {
        "DRILL_DB": str(tmp_path / "d.db"),
        "DRILL_NOW": "2026-01-05T10:00:00Z",
        "DRILL_NO_BUNDLED": "0",
    }
    runner = CliRunner()

    def invoke(*args, code=0):
        result = runner.invoke(cli, list(args), env=env)
        assert result.exit_code == code, result.output + result.stderr
        return result

    return invoke


def installed_ids(run) -> list[str]:
    return [d["id"] for d in json.loads(run("decks", "--json").output)]


def test_general_decks_install_by_default_and_packs_do_not(run):
    ids = installed_ids(run)
    assert "career-and-goals" in ids and "questions-to-ask-the-interviewer" in ids
    assert not PACK_IDS & set(ids)


def test_available_lists_every_deck_and_pack_with_counts(run):
    rows = json.loads(run("decks", "available", "--json").output)
    assert all(set(row) == {"id", "name", "questions", "installed", "pack"} for row in rows)
    packs = {row["id"]: row for row in rows if row["pack"]}
    assert set(packs) == PACK_IDS
    assert all(row["questions"] >= 15 and not row["installed"] for row in packs.values())
    general = [row for row in rows if not row["pack"]]
    assert len(general) == len(list(DECKS.glob("*.md")))
    assert all(row["installed"] for row in general)
    text = run("decks", "available").output
    assert "Role packs (add one with: drill decks add ID):" in text
    assert "software-engineering" in text


def test_adding_a_pack_installs_it_once(run):
    result = run("decks", "add", "software-engineering")
    assert result.output.startswith("Added Software engineering: ")
    assert "software-engineering" in installed_ids(run)
    again = run("decks", "add", "software-engineering")
    assert "is already installed" in again.output
    row = next(
        r
        for r in json.loads(run("decks", "available", "--json").output)
        if r["id"] == "software-engineering"
    )
    assert row["installed"]


def test_unknown_pack_is_refused_with_a_suggestion_and_nothing_is_added(run):
    result = run("decks", "add", "sales", "softwre-engineering", code=1)
    assert result.stderr == (
        "error: no bundled deck or pack 'softwre-engineering' "
        "(did you mean 'software-engineering'?)\n"
    )
    assert "sales" not in installed_ids(run)


def test_a_deck_of_your_own_with_the_same_id_is_never_overwritten(run, tmp_path):
    mine = tmp_path / "sales.md"
    mine.write_text("# Sales\n\n## My own question?\n", encoding="utf-8")
    run("import", str(mine))
    result = run("decks", "add", "sales", code=1)
    assert "you already have a deck 'sales' of your own" in result.stderr
    exported = json.loads(run("export", "deck", "sales", "--format", "json").output)
    assert [q["question"] for q in exported["questions"]] == ["My own question?"]


def _rate_first_card(run, deck_id: str) -> int:
    card = json.loads(run("next", "--deck", deck_id, "--json").output)
    run("rate", str(card["card_id"]), "good")
    return card["card_id"]


def _card(run, deck_id: str, card_id: int) -> dict:
    rows = json.loads(run("export", "progress", "--deck", deck_id, "--format", "json").output)
    return next(row for row in rows if row["card_id"] == card_id)


def test_a_new_release_refreshes_installed_packs_and_keeps_progress(run, shipped):
    run("decks", "add", "sales")
    card_id = _rate_first_card(run, "sales")
    before = _card(run, "sales", card_id)
    assert before["reps"] == 1

    pack = shipped / "packs" / "sales.md"
    text = pack.read_text(encoding="utf-8")
    first_heading = next(line for line in text.splitlines() if line.startswith("## "))
    pack.write_text(text.replace(first_heading, first_heading + " (reworded)", 1), "utf-8")
    general = shipped / "career-and-goals.md"
    general.write_text(general.read_text("utf-8") + "\n## A question added later?\n", "utf-8")

    exported = json.loads(run("export", "deck", "sales", "--format", "json").output)
    assert exported["questions"][0]["question"].endswith("(reworded)")
    assert _card(run, "sales", card_id) == before
    career = json.loads(run("export", "deck", "career-and-goals", "--format", "json").output)
    assert career["questions"][-1]["question"] == "A question added later?"
    # Packs nobody added stay out.
    assert not (PACK_IDS - {"sales"}) & set(installed_ids(run))


def test_a_removed_pack_stays_removed_until_added_again(run, shipped):
    run("decks", "add", "new-graduate")
    run("decks", "remove", "new-graduate", "--yes")
    general = shipped / "about-you.md"
    general.write_text(general.read_text("utf-8") + "\n## Another question?\n", "utf-8")
    assert "new-graduate" not in installed_ids(run)
    run("decks", "add", "new-graduate")
    assert "new-graduate" in installed_ids(run)


def test_a_removed_general_deck_can_be_brought_back(run):
    run("decks", "remove", "career-and-goals", "--yes")
    assert "career-and-goals" not in installed_ids(run)
    result = run("decks", "add", "career-and-goals")
    assert result.output.startswith("Added Career and goals: ")
    assert "career-and-goals" in installed_ids(run)


def test_packs_are_read_through_importlib_resources_layout():
    names = [f.name for f in bundled.pack_files()]
    assert len(names) == len(PACK_IDS)
    assert all(name.endswith(".md") for name in names)
