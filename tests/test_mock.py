"""The mock interview core: weighted drawing, phrasings, saving answers, rating, suggestions."""

from __future__ import annotations

import random
from collections import Counter
from datetime import timedelta

import pytest

from drill.core.model import CardKind, CardRecord, CardState, Rating
from drill.library.importing import import_decks
from drill.storage import repo
from drill.study import answers, mock
from tests.helpers import NOW, SAMPLE_DECK, parse

DAY_MS = 86_400_000


def deck(name: str, count: int) -> str:
    parts = [f"# {name}\n"]
    for i in range(count):
        parts.append(f"## {name} question {i}?\nid: q{i}\n### Variants\n- {name} variant {i}?\n")
    return "\n".join(parts)


def rehearse_card(db, deck_id: str, question_id: str) -> int:
    return db.execute(
        "SELECT id FROM cards WHERE deck_id = ? AND question_id = ? AND kind = 'rehearse'",
        [deck_id, question_id],
    ).fetchone()[0]


def practised(db, deck_id: str, question_id: str, *, stability: float, days_ago: float) -> None:
    """Make a question's rehearse card a review card last seen `days_ago` days ago."""
    last = int((NOW - timedelta(days=days_ago)).timestamp() * 1000)
    record = CardRecord(
        state=CardState.REVIEW,
        stability=stability,
        difficulty=5.0,
        due=last + int(stability * DAY_MS),
        last_review=last,
        reps=3,
    )
    repo.write_card(db, rehearse_card(db, deck_id, question_id), record)


@pytest.fixture
def mixed(db):
    """Ten questions: q0-q2 never practised, q3-q5 mostly forgotten, q6-q9 fresh in mind."""
    import_decks(db, [parse(deck("Mixed", 10))], NOW)
    for i in (3, 4, 5):
        practised(db, "mixed", f"q{i}", stability=2.0, days_ago=60)
    for i in (6, 7, 8, 9):
        practised(db, "mixed", f"q{i}", stability=400.0, days_ago=1)
    return db


def test_draw_weight():
    assert mock.draw_weight(None) == 1.0
    assert mock.draw_weight(0.25) == pytest.approx(0.75)
    assert mock.draw_weight(1.0) == mock.MIN_WEIGHT


def test_the_fixture_has_the_recall_it_claims(mixed):
    drawn = {q.question_id: q for q in mock.draw_questions(mixed, NOW, 10, rng=random.Random(1))}
    assert all(drawn[f"q{i}"].retrievability is None for i in (0, 1, 2))
    assert all(drawn[f"q{i}"].retrievability < 0.6 for i in (3, 4, 5))
    assert all(drawn[f"q{i}"].retrievability > 0.99 for i in (6, 7, 8, 9))


def test_never_practised_and_forgotten_questions_are_drawn_more_often(mixed):
    rng = random.Random(7)
    seen: Counter[str] = Counter()
    for _ in range(600):
        for item in mock.draw_questions(mixed, NOW, 3, rng=rng):
            seen[item.question_id] += 1
    never = sum(seen[f"q{i}"] for i in (0, 1, 2)) / 3
    forgotten = sum(seen[f"q{i}"] for i in (3, 4, 5)) / 3
    fresh = sum(seen[f"q{i}"] for i in (6, 7, 8, 9)) / 4
    assert never > forgotten > fresh
    assert never > 4 * fresh
    # Well-known questions still come up now and then.
    assert fresh > 0


def test_the_same_seed_draws_the_same_mock(mixed):
    first = mock.draw_questions(mixed, NOW, 4, rng=random.Random(3))
    again = mock.draw_questions(mixed, NOW, 4, rng=random.Random(3))
    assert [(q.question_id, q.prompt) for q in first] == [(q.question_id, q.prompt) for q in again]


@pytest.mark.parametrize("count", [1, 3, 10])
def test_drawn_questions_are_distinct(mixed, count):
    rng = random.Random(11)
    for _ in range(50):
        drawn = mock.draw_questions(mixed, NOW, count, rng=rng)
        assert len(drawn) == count
        assert len({q.question_id for q in drawn}) == count


def test_fewer_questions_than_asked_gives_all_of_them(sample_db):
    drawn = mock.draw_questions(sample_db, NOW, 20, rng=random.Random(0))
    assert sorted(q.question_id for q in drawn) == [
        "about-you",
        "career-goals",
        "why-should-we-hire-you",
    ]


def test_each_question_is_asked_in_one_of_its_phrasings(sample_db):
    rng = random.Random(5)
    prompts: set[str] = set()
    for _ in range(60):
        for item in mock.draw_questions(sample_db, NOW, 3, rng=rng):
            assert item.prompt == item.question.phrasings[item.phrasing_index]
            if item.question_id == "career-goals":
                prompts.add(item.prompt)
    question = repo.get_question(sample_db, "sample-deck", "career-goals")
    assert prompts == set(question.phrasings)  # the main phrasing and both variants


def test_the_question_carries_its_rehearse_card_and_deck(sample_db):
    (item,) = [
        q
        for q in mock.draw_questions(sample_db, NOW, 3, rng=random.Random(0))
        if q.question_id == "career-goals"
    ]
    assert item.card_id == rehearse_card(sample_db, "sample-deck", "career-goals")
    assert (item.deck_id, item.deck_name) == ("sample-deck", "Sample deck")
    assert repo.get_card(sample_db, item.card_id).kind == CardKind.REHEARSE


def test_suspended_and_retired_rehearse_cards_are_left_out(sample_db):
    sample_db.execute(
        "UPDATE cards SET suspended = 1 WHERE question_id = 'about-you' AND kind = 'rehearse'"
    )
    sample_db.execute(
        "UPDATE cards SET retired = 1 WHERE question_id = 'career-goals' AND kind = 'rehearse'"
    )
    drawn = mock.draw_questions(sample_db, NOW, 5, rng=random.Random(0))
    assert [q.question_id for q in drawn] == ["why-should-we-hire-you"]


def test_deck_scope(db):
    import_decks(db, [parse(deck("Alpha", 3)), parse(SAMPLE_DECK)], NOW)
    drawn = mock.draw_questions(db, NOW, 10, deck_id="alpha", rng=random.Random(0))
    assert {q.deck_id for q in drawn} == {"alpha"}
    assert len(drawn) == 3
    with pytest.raises(repo.UnknownDeck):
        mock.draw_questions(db, NOW, 3, deck_id="nope")


def test_an_empty_collection_draws_nothing(db):
    assert mock.draw_questions(db, NOW, 5, rng=random.Random(0)) == []


def answer_for(db, question_id: str, text: str = "My answer.", duration_ms: int = 61_000):
    (item,) = [
        q
        for q in mock.draw_questions(db, NOW, 3, rng=random.Random(0))
        if q.question_id == question_id
    ]
    return mock.MockAnswer(item, text, duration_ms, limit_s=120)


def test_answers_are_saved_as_mock_answers_with_their_time(sample_db):
    answer = answer_for(sample_db, "career-goals")
    assert mock.save_answer(sample_db, answer, NOW)
    latest = answers.latest_answer(sample_db, "sample-deck", "career-goals")
    assert (latest.text, latest.source, latest.duration_ms) == ("My answer.", "mock", 61_000)
    # Nothing typed: nothing to save.
    assert not mock.save_answer(sample_db, answer_for(sample_db, "about-you", "  "), NOW)


def test_ratings_go_to_the_rehearse_card_as_reviews(sample_db):
    answer = answer_for(sample_db, "career-goals", duration_ms=95_000)
    rated = mock.record_rating(sample_db, answer, Rating.HARD, NOW)
    assert rated.card_id == answer.item.card_id
    row = sample_db.execute(
        "SELECT card_id, rating, duration_ms, review_time FROM reviews"
    ).fetchone()
    assert row == (answer.item.card_id, 2, 95_000, int(NOW.timestamp() * 1000))
    assert repo.get_card(sample_db, answer.item.card_id).record.reps == 1


def test_in_time():
    item = None  # not needed for the property
    assert mock.MockAnswer(item, "", 120_000, 120).in_time  # type: ignore[arg-type]
    assert not mock.MockAnswer(item, "", 120_001, 120).in_time  # type: ignore[arg-type]


A, H, G, E = Rating.AGAIN, Rating.HARD, Rating.GOOD, Rating.EASY


@pytest.mark.parametrize(
    ("dos", "donts", "in_time", "expected"),
    [
        # (ticked, total) dos, (ticked, total) don'ts
        ((4, 4), (0, 2), True, E),  # every do, no don't, in time
        ((4, 4), (0, 2), False, G),  # ... but over time
        ((4, 4), (0, 2), None, G),  # ... untimed (normal review): Good at most
        ((2, 4), (0, 2), True, G),  # half the dos is enough for Good
        ((3, 4), (0, 0), True, G),
        ((1, 4), (0, 2), True, H),  # fewer than half the dos
        ((0, 3), (0, 1), None, H),
        ((4, 4), (1, 2), True, H),  # every do but a don't
        ((2, 4), (2, 2), True, H),
        ((1, 4), (1, 2), True, A),  # a don't and fewer than half the dos
        ((0, 1), (1, 1), False, A),
        ((0, 0), (0, 2), True, G),  # only don'ts: avoiding them is Good, never Easy
        ((0, 0), (1, 2), True, H),
        ((1, 1), (0, 0), True, E),
        ((0, 0), (0, 0), True, None),  # nothing to check: no suggestion
    ],
)
def test_suggested_rating(dos, donts, in_time, expected):
    assert mock.suggest_rating(dos[0], dos[1], donts[0], donts[1], in_time=in_time) == expected


# -- drill mock -------------------------------------------------------------------------------


@pytest.fixture
def cli_run(tmp_path):
    from click.testing import CliRunner

    from drill.cli.main import cli

    env = {
        "DRILL_DB": str(tmp_path / "drill.db"),
        "DRILL_NOW": "2026-01-05T10:00:00+00:00",
        "DRILL_NO_BUNDLED": "1",
    }
    runner = CliRunner()

    def invoke(*args: str):
        return runner.invoke(cli, list(args), env=env)

    deck_file = tmp_path / "sample.md"
    deck_file.write_text(SAMPLE_DECK, encoding="utf-8")
    invoke.deck_file = deck_file  # type: ignore[attr-defined]
    return invoke


@pytest.fixture
def opened(monkeypatch):
    """Pretend to be on a terminal and catch the plan instead of opening the TUI."""
    import drill.cli.commands.mock as command

    plans = []
    monkeypatch.setattr(command, "has_terminal", lambda: True)
    monkeypatch.setattr(command, "run", lambda db, plan: plans.append(plan))
    return plans


def test_mock_help(cli_run):
    result = cli_run("mock", "--help")
    assert result.exit_code == 0
    for option in (
        "--deck DECK",
        "--questions",
        "--seconds",
        "default: 5",
        "each question's target length",
        "--follow-ups / --no-follow-ups",
    ):
        assert option in " ".join(result.output.split())
    assert "mock" in cli_run("--help").output


def test_mock_with_an_unknown_deck_is_a_one_line_error(cli_run):
    assert cli_run("import", str(cli_run.deck_file)).exit_code == 0
    result = cli_run("mock", "--deck", "nope")
    assert result.exit_code == 1
    assert result.output == "error: no deck 'nope' (decks: sample-deck)\n"


def test_mock_needs_a_terminal(cli_run):
    assert cli_run("import", str(cli_run.deck_file)).exit_code == 0
    result = cli_run("mock")
    assert result.exit_code == 1
    assert result.output.startswith("error: drill mock needs a terminal")
    assert len(result.output.splitlines()) == 1


def test_mock_with_nothing_to_ask(cli_run, opened):
    result = cli_run("mock")
    assert result.exit_code == 1
    assert "no questions to ask" in result.output
    assert opened == []


def test_mock_opens_with_the_questions_and_time_asked_for(cli_run, opened):
    assert cli_run("import", str(cli_run.deck_file)).exit_code == 0
    result = cli_run("mock", "--questions", "2", "--seconds", "45", "--deck", "sample-deck")
    assert result.exit_code == 0, result.output
    (plan,) = opened
    assert plan.seconds == 45
    assert len(plan.questions) == 2
    assert len({q.question_id for q in plan.questions}) == 2
    assert {q.deck_id for q in plan.questions} == {"sample-deck"}


def test_mock_defaults_and_fewer_questions_than_asked(cli_run, opened):
    assert cli_run("import", str(cli_run.deck_file)).exit_code == 0
    assert cli_run("mock").exit_code == 0
    assert opened[0].seconds is None  # each question's own target
    assert opened[0].follow_ups
    assert len(opened[0].questions) == 3  # five asked, three in the deck


def test_follow_ups_follow_the_setting_unless_the_command_says(cli_run, opened):
    assert cli_run("import", str(cli_run.deck_file)).exit_code == 0
    assert cli_run("config", "mock_follow_ups", "off").exit_code == 0
    assert cli_run("mock").exit_code == 0
    assert cli_run("mock", "--follow-ups").exit_code == 0
    assert cli_run("config", "mock_follow_ups", "on").exit_code == 0
    assert cli_run("mock", "--no-follow-ups").exit_code == 0
    assert [plan.follow_ups for plan in opened] == [False, True, False]
    # A collection-wide setting: a deck can't have its own.
    result = cli_run("config", "--deck", "sample-deck", "mock_follow_ups", "off")
    assert result.exit_code == 1
    assert "applies to the whole collection" in result.output


def test_mock_draws_at_drill_now(cli_run, opened, monkeypatch):
    seen = []
    real = mock.draw_questions

    def spy(db, now, *args, **kwargs):
        seen.append(now)
        return real(db, now, *args, **kwargs)

    monkeypatch.setattr(mock, "draw_questions", spy)
    assert cli_run("import", str(cli_run.deck_file)).exit_code == 0
    assert cli_run("mock").exit_code == 0
    assert seen == [NOW]


@pytest.mark.parametrize("args", [["--questions", "0"], ["--seconds", "5"], ["--seconds", "x"]])
def test_mock_rejects_bad_numbers(cli_run, args):
    assert cli_run("mock", *args).exit_code == 2


# -- follow-ups and target lengths ------------------------------------------------------------

FOLLOW_UP_DECK = """# Stories

## Tell me about a missed deadline.
id: missed
type: behavioral

### Follow-ups
- What would you do differently?
- Who did you tell first?

## Are you willing to relocate?
id: relocate
type: logistics
length: 20-45s

## Why this company?
id: why-us
"""


@pytest.fixture
def stories(db):
    import_decks(db, [parse(FOLLOW_UP_DECK)], NOW)
    return {q.question_id: q for q in mock.draw_questions(db, NOW, 3, rng=random.Random(4))}


def test_a_question_with_follow_ups_gets_one_of_them(stories):
    assert stories["missed"].follow_up in (
        "What would you do differently?",
        "Who did you tell first?",
    )
    assert stories["relocate"].follow_up == stories["why-us"].follow_up == ""


def test_the_plan_asks_the_follow_up_right_after_its_question(stories):
    items = [stories["relocate"], stories["missed"], stories["why-us"]]
    steps = mock.MockPlan(items).steps()
    assert [(s.item.question_id, bool(s.follow_up)) for s in steps] == [
        ("relocate", False),
        ("missed", False),
        ("missed", True),
        ("why-us", False),
    ]
    assert steps[2].prompt == stories["missed"].follow_up
    assert [s.item.question_id for s in mock.MockPlan(items, follow_ups=False).steps()] == [
        "relocate",
        "missed",
        "why-us",
    ]


def test_each_answer_is_timed_by_its_target_unless_one_limit_is_set(stories):
    items = [stories["relocate"], stories["missed"], stories["why-us"]]
    plan = mock.MockPlan(items)
    limits = [plan.limit(step) for step in plan.steps()]
    # length: 20-45s; behavioral 60-150s; its follow-up; no type at all (45-120s).
    assert limits == [45, 150, mock.FOLLOW_UP_SECONDS, 120]
    assert plan.target(plan.steps()[0]) == (20, 45)
    assert plan.target(plan.steps()[2]) is None
    fixed = mock.MockPlan(items, 90)
    assert {fixed.limit(step) for step in fixed.steps()} == {90}


def test_follow_up_answers_are_kept_apart_from_the_answer_versions(db, stories):
    item = stories["missed"]
    main = mock.MockAnswer(item, "We slipped a week.", 80_000, 150)
    follow = mock.MockAnswer(item, "Tell the client on day one.", 20_000, 60, item.follow_up)
    assert mock.save_answer(db, main, NOW)
    assert mock.save_answer(db, follow, NOW + timedelta(seconds=90))
    latest = answers.latest_answer(db, "stories", "missed")
    assert latest.text == "We slipped a week."
    assert [v.text for v in answers.history(db, "stories", "missed")] == ["We slipped a week."]
    [kept] = answers.follow_up_answers(db, "stories", "missed")
    assert (kept.follow_up, kept.text, kept.duration_ms) == (
        item.follow_up,
        "Tell the client on day one.",
        20_000,
    )
    assert [row.text for row in answers.latest_answers(db)] == ["We slipped a week."]
    assert not mock.save_answer(db, mock.MockAnswer(item, " ", 1, 60, item.follow_up), NOW)


def test_a_response_is_rated_once_timed_by_both_answers(db, stories):
    item, other = stories["missed"], stories["why-us"]
    said = [
        mock.MockAnswer(item, "Main.", 80_000, 150),
        mock.MockAnswer(item, "Follow.", 20_000, 60, item.follow_up),
        mock.MockAnswer(other, "Other.", 30_000, 120),
    ]
    grouped = mock.responses(said)
    assert [(r.item.question_id, r.follow_up is not None) for r in grouped] == [
        ("missed", True),
        ("why-us", False),
    ]
    assert grouped[0].duration_ms == 100_000 and grouped[0].in_time
    late = mock.responses([said[0], mock.MockAnswer(item, "x", 61_000, 60, item.follow_up)])
    assert not late[0].in_time
    mock.record_rating(db, grouped[0], Rating.GOOD, NOW)
    assert db.execute("SELECT duration_ms FROM reviews").fetchall() == [(100_000,)]
