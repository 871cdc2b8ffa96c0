"""Practice without rescheduling: the order, a session that changes no card, and practice
ratings kept out of FSRS, the optimizer, true retention and the progress export.
"""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from click.testing import CliRunner

from drill.cli.main import cli
from drill.core.model import CardKind, CardState, Rating
from drill.library.importing import import_decks
from drill.progress import optimizer, stats
from drill.storage import repo
from drill.study.practice import PracticeError, PracticeSession, practice_order, practise
from drill.study.session import ReviewSession
from tests.helpers import NOW, parse

DAY = timedelta(days=1)
CARDS = "SELECT * FROM cards ORDER BY id"


def deck_text(name: str, count: int) -> str:
    parts = [f"# {name}\n"]
    for i in range(1, count + 1):
        parts.append(f"## {name} question {i}?\nid: q{i}\n\n### Why they ask\nReasons.\n")
    return "\n".join(parts)


@pytest.fixture
def studied(db):
    """Five questions; q1-q4 studied over a few days (q2 forgotten twice), q5 never."""
    import_decks(db, [parse(deck_text("Alpha", 5))], NOW)
    repo.set_config(db, None, "daily_minutes", "off")
    repo.set_config(db, None, "new_per_day", "8")
    session = ReviewSession(db)
    grades = {"q1": Rating.EASY, "q2": Rating.AGAIN, "q3": Rating.GOOD, "q4": Rating.HARD}
    for day in range(4):
        now = NOW + day * DAY
        while (card := session.next_card(now)) is not None:
            if card.question_id == "q5":
                session.bury_question(card.card_id, now)
                continue
            # A learning step is passed (an Again there would come back at once, for ever).
            grade = Rating.GOOD if card.state == CardState.LEARNING else grades[card.question_id]
            session.rate(card.card_id, grade, now, 30_000)
            now += timedelta(minutes=1)
    return db


def test_weakest_first_then_never_studied(studied):
    now = NOW + 5 * DAY
    order = practice_order(studied, now)
    assert [item.question_id for item in order][-1] == "q5"
    assert order[-1].recall is None
    recalls = [item.recall for item in order[:-1]]
    assert recalls == sorted(recalls)  # the lowest predicted recall first
    assert order[0].question_id == "q2"  # forgotten (Again) each time
    assert all(item.kind == CardKind.REHEARSE for item in order)
    assert [i.question_id for i in practice_order(studied, now, weakest=2)] == [
        i.question_id for i in order[:2]
    ]
    with pytest.raises(PracticeError):
        practice_order(studied, now, weakest=0)


def test_paused_decks_are_left_out_unless_named(studied):
    repo.set_paused(studied, "alpha", True)
    assert practice_order(studied, NOW) == []
    assert len(practice_order(studied, NOW, deck_id="alpha")) == 5


def test_a_practice_session_leaves_every_card_untouched(studied):
    now = NOW + 5 * DAY
    before = studied.execute(CARDS).fetchall()
    reviews_before = studied.execute("SELECT count(*) FROM reviews").fetchone()[0]
    session = PracticeSession(studied, practice_order(studied, now))
    ratings = [Rating.AGAIN, Rating.EASY, Rating.GOOD]
    for rating in ratings:
        card = session.next_card(now)
        session.rate(card.card_id, rating, now, 90_000)
    assert session.left == 2
    undone = session.undo()
    assert undone is not None and undone.rating == Rating.GOOD
    assert session.left == 3
    assert studied.execute(CARDS).fetchall() == before
    assert studied.execute("SELECT count(*) FROM reviews").fetchone()[0] == reviews_before
    assert studied.execute("SELECT count(*) FROM practice").fetchone()[0] == 2
    # The regular queue is exactly as it was.
    assert ReviewSession(studied).counts(now) == ReviewSession(studied).counts(now)


def test_practice_is_kept_out_of_fsrs_the_optimizer_and_retention(studied, tmp_path):
    now = NOW + 5 * DAY
    items_before, _ = optimizer.training_items(studied, None, 4)
    retention_before = stats.true_retention(studied, now)
    for item in practice_order(studied, now):
        practise(studied, item.card_id, Rating.AGAIN, now, 60_000)
    items_after, _ = optimizer.training_items(studied, None, 4)
    assert [list(map(str, i.reviews)) for i in items_after] == [
        list(map(str, i.reviews)) for i in items_before
    ]
    assert stats.true_retention(studied, now) == retention_before
    figures = stats.collect(studied, now).figures
    assert figures.practice.today == 5 and figures.practice.total == 5
    assert figures.practice.today_time_ms == 5 * 60_000
    assert figures.today.reviewed == 0  # practice is not a review
    assert stats.practice_today(studied, now).today == 5


def test_practice_through_the_command_line(tmp_path):
    (tmp_path / "a.md").write_text(deck_text("Alpha", 3), encoding="utf-8")
    env = {"DRILL_DB": str(tmp_path / "d.db"), "DRILL_NO_BUNDLED": "1"}
    runner = CliRunner()

    def run(*args, when=NOW, code=0):
        result = runner.invoke(cli, list(args), env={**env, "DRILL_NOW": when.isoformat()})
        assert result.exit_code == code, result.output + result.stderr
        return result.stdout

    run("import", str(tmp_path / "a.md"))
    card = json.loads(run("next", "--json"))
    run("rate", str(card["card_id"]), "good")
    progress = run("export", "progress", "--format", "json")
    history = run("export", "reviews", "--format", "json")
    items = json.loads(run("practice", "--json"))
    assert [item["question_id"] for item in items] == ["q1", "q2", "q3"]
    assert {"card_id", "deck", "question_id", "prompt"} <= set(items[0])
    assert items[0]["deck"] == "alpha" and items[0]["prompt"] == "Alpha question 1?"
    assert len(json.loads(run("practice", "--weakest", "1", "--json"))) == 1
    rated = json.loads(run("rate", str(items[0]["card_id"]), "again", "--practice", "--json"))
    assert rated == {"card_id": items[0]["card_id"], "rating": "again", "practice": True}
    text = run("rate", str(items[1]["card_id"]), "3", "--practice", "--duration-ms", "5000")
    assert text == f"Good: practice on card {items[1]['card_id']} kept; nothing rescheduled.\n"
    assert run("export", "progress", "--format", "json") == progress
    assert run("export", "reviews", "--format", "json") == history
    assert json.loads(run("stats", "--json"))["practice"] == {
        "today": 2,
        "today_time_ms": 5000,
        "total": 2,
        "streak_days": 1,
    }
    assert "Practice   2 today" in run("stats")
    # Practice has a streak of its own; the review streak never counts it.
    later = NOW + timedelta(days=1)
    run("rate", str(items[2]["card_id"]), "good", "--practice", when=later)
    figures = json.loads(run("stats", "--json", when=later))
    assert figures["practice"]["streak_days"] == 2
    assert figures["streak_days"] == 1  # the review on the first day only
    assert "2 days in a row" in run("stats", when=later)
    assert run("undo").startswith("Undid Good on card")  # the review, not the practice
    missing = runner.invoke(
        cli, ["rate", "999", "good", "--practice"], env={**env, "DRILL_NOW": NOW.isoformat()}
    )
    assert missing.exit_code == 1 and missing.stderr.startswith("error: no card 999")
    usage = runner.invoke(cli, ["review", "--weakest", "3"], env=env)
    assert usage.exit_code == 2 and "--weakest goes with --practice" in usage.stderr
