"""Fitting FSRS parameters to a synthetic history, and the retention simulator."""

from __future__ import annotations

import json
import random
import subprocess
import sys
from datetime import date, timedelta

import pytest
from fsrs import Card, Scheduler
from fsrs import Rating as FsrsRating

from drill.core import clock
from drill.core.model import CardKind, Deck, HistoryReview, Question, Rating
from drill.library.history import merge_reviews, replay
from drill.library.importing import import_decks
from drill.progress import optimizer
from drill.storage import repo
from drill.storage.db import open_database
from drill.storage.sqlite import write_transaction
from tests.helpers import NOW

# The "true" memory model of the synthetic learner: far from the defaults.
TRUE_PARAMETERS = (
    1.2, 3.0, 7.5, 20.0, 7.0, 0.5, 1.5, 0.01, 1.3, 0.2, 0.9,
    1.8, 0.1, 0.3, 1.8, 0.4, 2.5, 0.6, 0.15, 0.1, 0.25,
)  # fmt: skip


def synthetic_history(cards: int, seed: int = 7, days: int = 240):
    """Reviews of a learner whose recall follows TRUE_PARAMETERS' retrievability."""
    rng = random.Random(seed)
    scheduler = Scheduler(parameters=TRUE_PARAMETERS, enable_fuzzing=False)
    start = NOW - timedelta(days=days + 1)
    out = []
    for i in range(cards):
        card = Card(card_id=i + 1)
        time = start + timedelta(days=rng.randrange(days // 3), hours=rng.randrange(12))
        first = True
        while time < NOW - timedelta(days=1):
            if first:
                rating = rng.choices([1, 2, 3, 4], [0.2, 0.1, 0.55, 0.15])[0]
                first = False
            elif rng.random() < scheduler.get_card_retrievability(card, time):
                rating = rng.choices([2, 3, 4], [0.15, 0.75, 0.1])[0]
            else:
                rating = 1
            card, _ = scheduler.review_card(card, FsrsRating(rating), time)
            out.append(
                HistoryReview(
                    "synthetic", f"q{i}", CardKind.REHEARSE, clock.to_ms(time), Rating(rating)
                )
            )
            time = card.due + timedelta(hours=rng.randrange(30))
    return out


def populate(db, cards: int = 300, *, deck: str = "Synthetic", seed: int = 7):
    repo.set_config(db, None, "fuzz", "off")
    questions = [Question(f"q{i}", f"Question {i}?") for i in range(cards)]
    import_decks(db, [Deck(deck.lower(), deck, questions=questions)], NOW)
    history = synthetic_history(cards, seed)
    if deck != "Synthetic":
        history = [
            HistoryReview(deck.lower(), r.question_id, r.kind, r.review_time, r.rating)
            for r in history
        ]
    with write_transaction(db):
        merge_reviews(db, history, NOW, file="synthetic")
    return db


@pytest.fixture
def history_db(db):
    return populate(db)


def dump(db):
    return list(db.conn.iterdump())


# -- training data ----------------------------------------------------------------------------


def test_delta_t_counts_study_days_from_the_day_start(db):
    import_decks(db, [Deck("d", "D", questions=[Question("q", "Q?")])], NOW)
    day = NOW.replace(hour=0) - timedelta(days=10)  # TZ is UTC in tests; days start at 4:00
    times = [
        day + timedelta(hours=3),  # before 4:00: still the previous study day
        day + timedelta(hours=5),  # a new study day
        day + timedelta(hours=5, minutes=10),  # the same day
        day + timedelta(days=2, hours=10),
    ]
    reviews = [
        HistoryReview("d", "q", CardKind.REHEARSE, clock.to_ms(t), Rating(rating))
        for t, rating in zip(times, [1, 3, 3, 2], strict=True)
    ]
    with write_transaction(db):
        merge_reviews(db, reviews, NOW, file="x")
    [sequence] = list(optimizer.card_sequences(db, None, 4))
    assert sequence == [(1, 0), (3, 1), (3, 0), (2, 2)]
    assert list(optimizer.card_sequences(db, None, 2)) == [[(1, 0), (3, 0), (3, 0), (2, 2)]]
    assert list(optimizer.item_sequences([sequence])) == [
        [(1, 0), (3, 1)],
        [(1, 0), (3, 1), (3, 0), (2, 2)],
    ]
    items, cards = optimizer.training_items(db, ["d"], 4)
    assert (len(items), cards) == (2, 1)
    assert optimizer.training_items(db, ["other"], 4) == ([], 0)


# -- optimising ---------------------------------------------------------------------------------


def test_fit_improves_log_loss_and_saves_and_reschedules(history_db):
    db = history_db
    result = optimizer.optimize(db, NOW)
    assert result.enough and result.reviews > 1000 and result.cards == 300
    assert result.log_loss_after < result.log_loss_before
    assert result.rmse_after < result.rmse_before
    assert result.parameters_before == optimizer.default_parameters()
    assert len(result.parameters) == 21 and result.parameters != result.parameters_before
    assert result.improved and result.saved and result.rescheduled == 300

    config = repo.collection_config(db)
    assert config.fsrs_parameters == tuple(result.parameters)
    # Every card now holds the state its history gives under the new parameters.
    for card_id in random.Random(1).sample(range(1, 301), 20):
        events = db.execute(
            "SELECT review_time, rating FROM reviews WHERE card_id = ? ORDER BY review_time",
            [card_id],
        ).fetchall()
        _, expected = replay(config, card_id, events, repo.get_card(db, card_id).kind)
        assert repo.get_card(db, card_id).record == expected

    # Fitting again on the same history finds nothing better: nothing changes.
    before = dump(db)
    again = optimizer.optimize(db, NOW)
    assert again.parameters_before == result.parameters
    assert not again.improved and not again.saved
    assert dump(db) == before


def test_dry_run_saves_nothing(history_db):
    before = dump(history_db)
    result = optimizer.optimize(history_db, NOW, dry_run=True)
    assert result.improved and not result.saved and result.rescheduled == 0
    assert dump(history_db) == before


def test_deck_scope_saves_for_that_deck_only(db):
    populate(db, 150, deck="Alpha", seed=1)
    populate(db, 40, deck="Beta", seed=2)
    beta_cards = db.execute("SELECT * FROM cards WHERE deck_id = 'beta'").fetchall()
    result = optimizer.optimize(db, NOW, deck_id="alpha")
    assert result.saved and result.deck == "alpha"
    assert result.rescheduled == 150
    assert repo.decks(db, "alpha")[0].config.fsrs_parameters == tuple(result.parameters)
    assert repo.decks(db, "beta")[0].config.fsrs_parameters is None
    assert repo.collection_config(db).fsrs_parameters is None
    assert db.execute("SELECT * FROM cards WHERE deck_id = 'beta'").fetchall() == beta_cards


def test_too_little_history_keeps_the_defaults(db):
    populate(db, 6)
    before = dump(db)
    result = optimizer.optimize(db, NOW)
    assert not result.enough and 0 < result.reviews < optimizer.MIN_REVIEWS
    assert result.needed == optimizer.MIN_REVIEWS - result.reviews
    assert result.parameters == optimizer.default_parameters()
    assert result.log_loss_before is None and not result.saved
    assert dump(db) == before
    data = result.to_json()
    assert data["enough"] is False and data["needed"] == result.needed


def test_saved_parameters_are_valid_settings(history_db):
    result = optimizer.optimize(history_db, NOW, dry_run=True)
    from drill.core.config import parse_value

    text = ",".join(repr(p) for p in result.parameters)
    assert parse_value("fsrs_parameters", text) == tuple(result.parameters)
    assert all(round(p, 4) == p for p in result.parameters)


# -- the simulator ----------------------------------------------------------------------------


def test_retention_simulation_shape(history_db):
    report = optimizer.simulate_retention(history_db, NOW, days=120)
    assert [row.retention for row in report.rows] == list(optimizer.RETENTIONS)
    assert report.cards == 300 and report.days == 120 and report.new_per_day == 10
    assert report.recommended in optimizer.RETENTIONS
    best = max(report.rows, key=lambda r: r.memorized_per_minute)
    assert report.most_efficient == best.retention
    near = [
        r.retention
        for r in report.rows
        if r.memorized_per_minute >= 0.9 * best.memorized_per_minute
    ]
    assert report.recommended == max(near) >= report.most_efficient
    low, high = report.rows[0], report.rows[-1]
    # Aiming higher costs more reviews and keeps more cards memorized.
    assert high.reviews_per_day > low.reviews_per_day
    assert high.memorized > low.memorized
    data = report.to_json()
    assert set(data["rows"][0]) == {
        "retention",
        "reviews_per_day",
        "new_per_day",
        "minutes_per_day",
        "memorized",
        "memorized_per_minute",
    }
    assert len(data["parameters"]) == 21


def test_simulation_runs_until_the_interview(history_db):
    repo.set_config(history_db, None, "interview_date", "2026-02-04")
    report = optimizer.simulate_retention(history_db, NOW)
    assert report.days == (date(2026, 2, 4) - date(2026, 1, 5)).days


def test_simulation_needs_cards(db):
    with pytest.raises(optimizer.OptimizerError, match="no cards"):
        optimizer.simulate_retention(db, NOW)


# -- the command line ------------------------------------------------------------------------


@pytest.fixture
def run(tmp_path):
    from click.testing import CliRunner

    from drill.cli.main import cli

    env = {
        "DRILL_DB": str(tmp_path / "drill.db"),
        "DRILL_NOW": "2026-01-05T10:00:00+00:00",
        "DRILL_NO_BUNDLED": "1",
    }
    runner = CliRunner()

    def invoke(*args):
        return runner.invoke(cli, list(args), env=env)

    return invoke


@pytest.fixture
def file_db(tmp_path):
    db = open_database(tmp_path / "drill.db")
    populate(db, 200)
    db.close()
    return tmp_path / "drill.db"


def test_cli_optimize_json_and_text(run, file_db):
    dry = run("optimize", "--dry-run", "--json")
    assert dry.exit_code == 0, dry.output
    data = json.loads(dry.output)
    assert {"reviews", "parameters", "log_loss_before", "log_loss_after", "rmse_before"} <= set(
        data
    )
    assert data["enough"] is True and data["saved"] is False and len(data["parameters"]) == 21
    assert data["log_loss_after"] < data["log_loss_before"]

    text = run("optimize")
    assert text.exit_code == 0, text.output
    assert "Log loss" in text.output and "Saved for the collection" in text.output
    shown = run("config", "fsrs_parameters", "--json")
    assert json.loads(shown.output)["fsrs_parameters"] == data["parameters"]
    backups = list((file_db.parent / "backups").glob("*-optimize.db"))
    assert len(backups) == 1


def test_cli_not_enough_history(run, tmp_path):
    deck = tmp_path / "d.md"
    deck.write_text("# D\n\n## One?\n", encoding="utf-8")
    assert run("import", str(deck)).exit_code == 0
    result = run("optimize", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["enough"] is False and data["reviews"] == 0 and data["needed"] == 64
    text = run("optimize", "--deck", "d")
    assert text.exit_code == 0
    assert "64 more needed" in text.output and "Keeping the current parameters" in text.output
    unknown = run("optimize", "--deck", "nope")
    assert unknown.exit_code == 1 and "no deck 'nope'" in unknown.output


def test_cli_retention(run, file_db):
    result = run("optimize", "--retention", "--days", "60")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "Simulated 60 days of all decks: 200 cards, 10 new a day."
    assert sum(1 for line in lines if line.strip().startswith("0.")) == 6
    assert "current" in result.output and "Recommended: 0." in result.output
    data = json.loads(run("optimize", "--retention", "--days", "60", "--json").output)
    assert len(data["rows"]) == 6 and data["recommended"] in optimizer.RETENTIONS


def test_fsrs_rs_is_loaded_only_when_used():
    code = (
        "import sys\nimport drill.progress.optimizer, drill.cli.commands.optimize\n"
        "from drill.cli.main import cli\nsys.argv = ['drill', '--help']\n"
        "try:\n    cli()\nexcept SystemExit:\n    pass\n"
        "print('fsrs_rs_python' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "optimize" in out.stdout
    assert out.stdout.strip().splitlines()[-1] == "False"


def test_fsrs_rs_failures_become_one_clean_error(db, monkeypatch):
    from fsrs_rs_python import FSRSItem, FSRSReview

    same_day = FSRSItem([FSRSReview(3, 0), FSRSReview(3, 0)])  # fsrs-rs panics on these
    monkeypatch.setattr(optimizer, "training_items", lambda *args: ([same_day] * 100, 100))
    with pytest.raises(optimizer.OptimizerError, match="delta_t > 0"):
        optimizer.optimize(db, NOW)
