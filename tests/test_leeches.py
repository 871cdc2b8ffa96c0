"""Leeches: flagged after repeated lapses (not suspended unless asked), listed with help."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from click.testing import CliRunner

from drill.cli.main import cli
from drill.core.model import CardKind, Rating
from drill.library.importing import import_decks
from drill.progress.leeches import leeches
from drill.progress.stats import collect
from drill.storage import repo
from drill.study.session import ReviewSession
from drill.study.undo import UndoStack, undo_latest_rating
from tests.helpers import NOW, parse

DECK = """# Leech deck

## Tell me about a time you failed.
id: failed

### Approach
Own it.

## Why this job?
id: why
"""


@pytest.fixture
def leech_db(db):
    import_decks(db, [parse(DECK)], NOW)
    for key, value in (("learning_steps", "none"), ("relearning_steps", "none")):
        repo.set_config(db, None, key, value)
    repo.set_config(db, None, "leech_threshold", "2")
    return db


def rehearse_card(db) -> int:
    return next(
        c.id for c in repo.question_cards(db, "leech-deck", "failed") if c.kind == CardKind.REHEARSE
    )


def lapse_twice(db):
    """Good (into review), then Again twice: two lapses."""
    session = ReviewSession(db)
    card = rehearse_card(db)
    results = []
    for step, rating in enumerate((Rating.GOOD, Rating.AGAIN, Rating.AGAIN)):
        results.append(session.rate(card, rating, NOW + timedelta(days=3 * step)))
    return results


def test_a_question_failed_repeatedly_is_a_leech_but_not_suspended(leech_db):
    results = lapse_twice(leech_db)
    assert [r.leech for r in results] == [False, False, True]
    assert not any(r.suspended for r in results)
    found = leeches(leech_db)
    assert [(lc.ref, lc.lapses, lc.suspended) for lc in found] == [("leech-deck/failed", 2, False)]
    assert [label for label, _ in found[0].help] == [
        "rewrite your answer from the approach",
        "link a story",
        "practise it now",
    ]
    assert found[0].help[2][1] == "drill mock --question leech-deck/failed"


def test_the_threshold_is_a_setting_and_zero_turns_it_off(leech_db):
    lapse_twice(leech_db)
    repo.set_config(leech_db, None, "leech_threshold", "3")
    assert leeches(leech_db) == []
    repo.set_config(leech_db, "leech-deck", "leech_threshold", "0")
    repo.set_config(leech_db, None, "leech_threshold", "1")
    assert leeches(leech_db) == []  # the deck's own setting wins


def test_suspend_action_suspends_and_undo_takes_it_back(leech_db):
    repo.set_config(leech_db, None, "leech_action", "suspend")
    results = lapse_twice(leech_db)
    assert results[-1].suspended
    card = repo.get_card(leech_db, rehearse_card(leech_db))
    assert card is not None and card.suspended
    undo_latest_rating(leech_db)  # what `drill undo` does
    card = repo.get_card(leech_db, rehearse_card(leech_db))
    assert card is not None and not card.suspended and card.record.lapses == 1


def test_the_review_screens_undo_takes_a_leechs_suspension_back_too(leech_db):
    repo.set_config(leech_db, None, "leech_action", "suspend")
    stack = UndoStack()
    for result in lapse_twice(leech_db):
        stack.push(result.change)
    assert stack.undo(leech_db) is not None
    card = repo.get_card(leech_db, rehearse_card(leech_db))
    assert card is not None and not card.suspended and card.record.lapses == 1


def test_stats_list_leeches(leech_db):
    lapse_twice(leech_db)
    data = collect(leech_db, NOW + timedelta(days=7)).to_json()
    assert data["leeches"] == [
        {
            "deck": "leech-deck",
            "question_id": "failed",
            "question": "Tell me about a time you failed.",
            "card_id": rehearse_card(leech_db),
            "lapses": 2,
            "threshold": 2,
            "suspended": False,
            "stories": 0,
        }
    ]


def test_stats_text_offers_help(tmp_path):
    env = {"DRILL_DB": str(tmp_path / "d.db"), "DRILL_NOW": NOW.isoformat()}
    runner = CliRunner()
    deck = tmp_path / "deck.md"
    deck.write_text(DECK, encoding="utf-8")

    def run(*args, when=NOW):
        return runner.invoke(cli, list(args), env={**env, "DRILL_NOW": when.isoformat()})

    assert run("import", str(deck)).exit_code == 0
    for key, value in (
        ("learning_steps", "none"),
        ("relearning_steps", "none"),
        ("leech_threshold", "2"),
    ):
        assert run("config", key, value).exit_code == 0
    card = json.loads(run("next", "--json").output)["card_id"]
    for step, rating in enumerate(("good", "again", "again")):
        result = run("rate", str(card), rating, when=NOW + timedelta(days=3 * step))
        assert result.exit_code == 0, result.output
    assert "leech" in result.output.lower()
    out = run("stats", when=NOW + timedelta(days=7)).output
    assert "Leeches: 1 question you keep failing (the coach can help)" in out
    assert "    practise it now:\n      drill mock --question leech-deck/failed\n" in out
    # Commands are whole however long the question's reference, to be copied.
    assert "      drill answer leech-deck/failed --edit\n" in out
    config = json.loads(run("config", "--json").output)
    assert config["leech_threshold"] == 2 and config["leech_action"] == "flag"
    assert "flag or suspend" in run("config", "leech_action", "delete").output
