"""Study settings: validation with clear messages, and per-deck layering."""

from __future__ import annotations

import re

import pytest

from drill.core.config import ConfigError, StudyConfig, parse_value
from drill.library.importing import import_decks
from drill.storage import repo
from tests.helpers import NOW, SAMPLE_DECK, parse


@pytest.mark.parametrize(
    ("key", "value", "expected"),
    [
        ("desired_retention", "0.85", 0.85),
        ("new_per_day", "0", 0),
        ("reviews_per_day", "500", 500),
        ("learning_steps", "1m 10m 1h", (60, 600, 3600)),
        ("rehearse_steps", "none", ()),
        ("why_steps", "5m", (300,)),
        ("relearning_steps", "none", ()),
        ("daily_minutes", "30", 30),
        ("daily_minutes", "off", None),
        ("new_questions_per_day", "auto", None),
        ("new_questions_per_day", "0", 0),
        ("maximum_interval", "365", 365),
        ("fuzz", "off", False),
        ("day_starts_at", "0", 0),
        ("card_kinds", "why, rehearse", frozenset({"why", "rehearse"})),
        ("interview_date", "2026-02-01", __import__("datetime").date(2026, 2, 1)),
        ("interview_date", "none", None),
        ("fsrs_parameters", "default", None),
    ],
)
def test_valid_values(key, value, expected):
    assert parse_value(key, value) == expected


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("desired_retention", "0.5", "desired_retention: 0.5 is outside 0.70-0.99"),
        ("desired_retention", "high", "is not a number"),
        ("new_per_day", "-1", "outside 0-9999"),
        ("learning_steps", "1x", "'1x' is not a step"),
        ("dos_steps", "soon", "'soon' is not a step"),
        ("daily_minutes", "2", "daily_minutes: 2 is outside 5-600"),
        ("new_questions_per_day", "lots", "'lots' is not a whole number"),
        ("fuzz", "maybe", "'maybe' is not on or off"),
        ("day_starts_at", "24", "outside 0-23"),
        ("card_kinds", "why,how", "unknown card kind 'how'"),
        ("fsrs_parameters", "1,2,3", "Expected 21 parameters"),
        ("fsrs_parameters", ",".join(["200"] * 21), "out of bounds"),
        ("interview_date", "tomorrow", "is not a date"),
        ("new_per_dya", "3", "unknown setting 'new_per_dya' (did you mean 'new_per_day'?)"),
    ],
)
def test_invalid_values(key, value, message):
    with pytest.raises(ConfigError, match=re.escape(message)):
        parse_value(key, value)


def test_py_fsrs_steps_reproduce_py_fsrs():
    """drill's steps differ from py-fsrs's on purpose (see core/config.py); set to py-fsrs's
    own, every kind's scheduler is py-fsrs's default scheduler.
    """
    from fsrs import Scheduler

    from drill.core.model import CardKind
    from drill.core.scheduling import scheduler_for

    config = StudyConfig().with_raw({"learning_steps": "1m 10m", "relearning_steps": "10m"})
    for kind in CardKind:
        assert scheduler_for(config, kind).to_dict() == Scheduler().to_dict()


def test_default_steps_suit_spoken_answers():
    from drill.core.model import CardKind

    config = StudyConfig()
    assert config.steps(CardKind.REHEARSE) == ()
    assert config.steps(CardKind.WHY) == config.steps(CardKind.DOS) == (600,)
    assert config.relearning_steps == ()


def test_learning_steps_sets_every_kind_and_a_kind_key_wins():
    from drill.core.model import CardKind

    config = StudyConfig().with_raw({"learning_steps": "1m 10m", "why_steps": "30m"})
    assert config.steps(CardKind.REHEARSE) == (60, 600)
    assert config.steps(CardKind.DOS) == (60, 600)
    assert config.steps(CardKind.WHY) == (1800,)
    # A deck's own learning_steps overrides the collection's kind keys.
    deck = config.with_raw({"learning_steps": "2m"})
    assert {deck.steps(kind) for kind in CardKind} == {(120,)}


def test_question_cap_follows_the_budget_when_auto():
    assert StudyConfig().question_cap == 6  # 20 minutes
    assert StudyConfig(daily_minutes=45).question_cap == 15
    assert StudyConfig(daily_minutes=45, new_questions_per_day=3).question_cap == 3
    assert StudyConfig(daily_minutes=None).question_cap is None


def test_deck_settings_override_collection_settings(db):
    import_decks(db, [parse(SAMPLE_DECK)], NOW)
    repo.set_config(db, None, "new_per_day", "5")
    repo.set_config(db, "sample-deck", "new_per_day", "7")
    assert repo.collection_config(db).new_per_day == 5
    assert repo.decks(db, "sample-deck")[0].config.new_per_day == 7
    repo.set_config(db, "sample-deck", "new_per_day", None)
    assert repo.decks(db, "sample-deck")[0].config.new_per_day == 5


def test_day_start_is_collection_wide(db):
    import_decks(db, [parse(SAMPLE_DECK)], NOW)
    with pytest.raises(ConfigError, match="whole collection"):
        repo.set_config(db, "sample-deck", "day_starts_at", "5")


@pytest.mark.parametrize("key", ["daily_minutes", "new_questions_per_day"])
def test_the_budget_is_collection_wide(db, key):
    import_decks(db, [parse(SAMPLE_DECK)], NOW)
    with pytest.raises(ConfigError, match="whole collection"):
        repo.set_config(db, "sample-deck", key, "30")
