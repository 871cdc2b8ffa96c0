"""Merging review history: round trips, idempotence, diverged copies, replay, undo, errors."""

from __future__ import annotations

import copy
import io
import json
import random
from datetime import timedelta

import pytest
from fsrs import Card, ReviewLog, Scheduler, State
from fsrs import Rating as FsrsRating

from drill.core import clock
from drill.core.model import CardKind, CardRecord, CardState, Deck, HistoryReview, Question, Rating
from drill.errors import DeckError
from drill.io.registry import read_file
from drill.library.exports import REVIEW_COLUMNS, review_rows, write_csv, write_json_array
from drill.library.history import MergeResult, merge_histories, merge_reviews, replay, replay_cards
from drill.library.history import state_before as history_state_before
from drill.library.importing import import_decks, import_files
from drill.storage import repo
from drill.storage.db import open_database
from drill.storage.sqlite import write_transaction
from drill.study.session import ReviewSession
from drill.study.undo import undo_latest_rating
from tests.helpers import NOW, SAMPLE_DECK, V2_DECK, parse, use_py_fsrs_steps

START = NOW - timedelta(days=120)


def fresh_db():
    db = open_database(":memory:")
    repo.set_config(db, None, "fuzz", "off")
    # Histories here exercise every card state (learning and relearning steps too), and are
    # about merging, not about the daily budget.
    use_py_fsrs_steps(db)
    repo.set_config(db, None, "daily_minutes", "off")
    import_decks(db, [parse(SAMPLE_DECK)], START)
    return db


def study(db, start, steps, seed, *, only=None):
    """Rate whatever is due, `steps` times, moving the clock forward between ratings.

    `only` restricts ratings to cards whose question id is in it (others are skipped by
    moving on). Returns the time after the last rating.
    """
    rng = random.Random(seed)
    session = ReviewSession(db)
    now = start
    done = 0
    while done < steps:
        card = session.next_card(now)
        if card is None or (only is not None and card.question_id not in only):
            now += timedelta(hours=rng.choice([6, 13, 30]))
            if card is not None:
                session.bury_question(card.card_id, now - timedelta(hours=1))
            continue
        grade = rng.choices(list(Rating), [0.15, 0.15, 0.55, 0.15])[0]
        session.rate(card.card_id, grade, now, rng.choice([None, 1500, 42000]))
        done += 1
        now += timedelta(minutes=rng.choice([1, 11, 90]), seconds=rng.randrange(60))
    return now


def export_csv(db, path):
    out = io.StringIO()
    write_csv(review_rows(db), REVIEW_COLUMNS, out)
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


def import_history(db, path, now=NOW + timedelta(days=7300)):
    # Studied histories run on past NOW (intervals grow, Hard, Good and Easy a day apart);
    # twenty years of margin keep every
    # review in the past as the import sees it.
    report = import_files(db, [read_file(path)], now)
    [result] = report.history
    return result


CARD_SQL = (
    "SELECT deck_id, question_id, kind, state, step, due, stability, difficulty, reps, lapses, "
    "last_review FROM cards ORDER BY deck_id, question_id, kind"
)
REVIEW_SQL = (
    "SELECT c.deck_id, c.question_id, c.kind, r.review_time, r.rating, r.review_state, "
    "r.duration_ms, r.card_before, r.deck_id, r.card_id, r.id FROM reviews r "
    "JOIN cards c ON c.id = r.card_id ORDER BY 1, 2, 3, 4"
)


def cards(db):
    return db.execute(CARD_SQL).fetchall()


def state_before(db, card_id, review_id, stored):
    """The card's state before a review as undo restores it: kept by a live rating, or
    replayed from the reviews before it (imports and replays don't keep it).
    """
    if stored is not None:
        return CardRecord.from_dict(json.loads(stored))
    return history_state_before(db, card_id, review_id)


def reviews(db):
    """Every review with the card's state before it (as undo restores it)."""
    return [
        (*row[:7], json.dumps(state_before(db, row[9], row[10], row[7]).to_dict()), row[8])
        for row in db.execute(REVIEW_SQL).fetchall()
    ]


def dump(db):
    return list(db.conn.iterdump())


# -- round trip and idempotence ---------------------------------------------------------------


def test_round_trip_restores_identical_cards_and_reviews(tmp_path):
    source = fresh_db()
    study(source, START, 60, seed=1)
    lapses = source.execute("SELECT sum(lapses) FROM cards").fetchone()[0]
    assert lapses > 0  # the history exercises relearning
    path = export_csv(source, tmp_path / "history.csv")

    target = fresh_db()
    result = import_history(target, path)
    assert (result.added, result.skipped, result.cards) == (60, 0, 5)
    assert cards(target) == cards(source)
    assert reviews(target) == reviews(source)


def test_round_trip_through_json(tmp_path):
    source = fresh_db()
    study(source, START, 25, seed=2)
    path = tmp_path / "history.json"
    with path.open("w", encoding="utf-8") as out:
        write_json_array(review_rows(source), out)
    target = fresh_db()
    assert import_history(target, path).added == 25
    assert cards(target) == cards(source)
    assert reviews(target) == reviews(source)


def test_importing_twice_changes_nothing(tmp_path):
    source = fresh_db()
    study(source, START, 30, seed=3)
    path = export_csv(source, tmp_path / "history.csv")
    target = fresh_db()
    import_history(target, path)
    before = dump(target)
    again = import_history(target, path)
    assert (again.added, again.skipped, again.cards) == (0, 30, 0)
    assert dump(target) == before
    # Importing a database's own history into itself is also a no-op.
    own = import_history(source, path)
    assert (own.added, own.skipped) == (0, 30)


def test_many_files_cost_the_same_queries_as_one(tmp_path):
    """Cards are resolved and replayed once per import, not once per file: the statements
    an import runs do not grow with the number of files its reviews are split into.
    """
    source = fresh_db()
    study(source, START, 40, seed=5)
    whole = export_csv(source, tmp_path / "history.csv")
    header, *rows = whole.read_text(encoding="utf-8").splitlines(keepends=True)
    parts = []
    for index in range(8):
        part = tmp_path / f"part{index}.csv"
        part.write_text(header + "".join(rows[index::8]), encoding="utf-8")
        parts.append(part)

    def statements(paths):
        target = fresh_db()
        seen: list[str] = []
        target.conn.set_trace_callback(seen.append)
        report = import_files(target, [read_file(p) for p in paths], NOW)
        target.conn.set_trace_callback(None)
        return seen, sum(r.added for r in report.history), cards(target), reviews(target)

    one, added_one, cards_one, reviews_one = statements([whole])
    many, added_many, cards_many, reviews_many = statements(parts)
    assert added_one == added_many == 40
    assert (cards_one, reviews_one) == (cards_many, reviews_many)
    assert len(many) == len(one), sorted(set(many) - set(one))


def test_duplicate_rows_in_one_file_are_one_review(db):
    import_decks(db, [parse(SAMPLE_DECK)], START)
    review = HistoryReview("sample-deck", "about-you", CardKind.REHEARSE, clock.to_ms(START), 3)
    with write_transaction(db):
        result = merge_reviews(db, [review, review], NOW, file="x.csv")
    assert (result.added, result.skipped, result.cards) == (1, 1, 1)


def test_summary_and_json():
    result = MergeResult("history.csv", added=120, skipped=3, cards=40)
    assert result.summary() == (
        "history.csv: 120 reviews added, 3 already present, 40 cards recomputed"
    )
    assert MergeResult("h.csv", 1, 0, 1).summary() == (
        "h.csv: 1 review added, 0 already present, 1 card recomputed"
    )
    assert result.to_json() == {"file": "history.csv", "added": 120, "skipped": 3, "cards": 40}


def test_review_state_in_the_file_is_ignored(tmp_path):
    source = fresh_db()
    study(source, START, 12, seed=4)
    path = export_csv(source, tmp_path / "history.csv")
    lines = path.read_text().splitlines()
    header, body = lines[0], lines[1:]
    scrambled = []
    for line in body:
        parts = line.split(",")
        parts[3] = "3"  # every review claims "relearning"
        scrambled.append(",".join(parts))
    path.write_text("\n".join([header, *scrambled]) + "\n")
    target = fresh_db()
    import_history(target, path)
    assert reviews(target) == reviews(source)


# -- diverged copies ----------------------------------------------------------------------------


def expected_by_reschedule(db, card_id, *, study_days=True):
    """The card as py-fsrs computes it from the card's stored reviews, with Anki's rule for
    the last review: a passing rating that schedules in days lands at least a day past the
    passing rating below it (issue 18; drill studies and replays that way).

    With `study_days`, review by review, with the time since the last review counted in
    study days (days start at 4:00), as drill counts it; else py-fsrs's own
    `reschedule_card`, which counts whole 24-hour periods.
    """
    info = repo.get_card(db, card_id)
    config = repo.decks(db, info.deck_id)[0].config
    scheduler = Scheduler(
        desired_retention=config.desired_retention,
        learning_steps=[timedelta(seconds=s) for s in config.steps(info.kind)],
        relearning_steps=[timedelta(seconds=s) for s in config.relearning_steps],
        maximum_interval=config.maximum_interval,
        enable_fuzzing=False,
        **({"parameters": config.fsrs_parameters} if config.fsrs_parameters else {}),
    )
    rows = db.execute(
        "SELECT review_time, rating FROM reviews WHERE card_id = ? ORDER BY review_time, id",
        [card_id],
    ).fetchall()
    logs = [ReviewLog(card_id, FsrsRating(r), clock.from_ms(t), None) for t, r in rows]

    def shifted(card, when):
        # The time since the last review in study days, as drill counts it.
        if study_days and card.last_review is not None:
            days = (clock.study_date(when, 4) - clock.study_date(card.last_review, 4)).days
            card.last_review = when - timedelta(days=days)
        return card

    def run(logs):
        if not study_days:
            return scheduler.reschedule_card(Card(card_id=card_id), logs)
        card = Card(card_id=card_id)
        for log in logs:
            card, _ = scheduler.review_card(shifted(card, log.review_datetime), log.rating,
                                            log.review_datetime)  # fmt: skip
        return card

    card = run(logs)
    if logs:
        before = shifted(run(logs[:-1]), logs[-1].review_datetime)
        card = _spread_last(scheduler, before, logs[-1], card)
    return card, rows


def _spread_last(scheduler, before, log, card):
    """Anki's ordering of Hard < Good < Easy in days, worked out with py-fsrs alone."""
    if log.rating == FsrsRating.Again or card.state != State.Review:
        return card
    below = None
    for rating in (FsrsRating.Hard, FsrsRating.Good, FsrsRating.Easy):
        if rating > log.rating:
            break
        outcome, _ = scheduler.review_card(copy.deepcopy(before), rating, log.review_datetime)
        if outcome.state != State.Review:
            below = None
            continue
        days = max(1, round((outcome.due - log.review_datetime) / timedelta(days=1)))
        if below is not None:
            days = max(days, min(below + 1, scheduler.maximum_interval))
        below = days
    spread = copy.deepcopy(card)
    spread.due = log.review_datetime + timedelta(days=below)
    return spread


def test_merging_two_diverged_databases(tmp_path):
    a = fresh_db()
    split = study(a, START, 20, seed=5)
    b = fresh_db()
    import_history(b, export_csv(a, tmp_path / "shared.csv"))
    assert cards(b) == cards(a)

    # Each copy goes on separately: A studies two questions, B the third and one of A's.
    study(a, split + timedelta(days=3), 12, seed=6, only={"career-goals", "about-you"})
    study(b, split + timedelta(days=2), 12, seed=7, only={"why-should-we-hire-you", "about-you"})
    a_reviews, b_reviews = set(reviews(a)), set(reviews(b))
    union_keys = {r[:5] for r in a_reviews} | {r[:5] for r in b_reviews}

    result = import_history(a, export_csv(b, tmp_path / "b.csv"))
    assert result.added == len(union_keys) - len(a_reviews)
    assert result.skipped == len(b_reviews) - result.added
    assert {r[:5] for r in reviews(a)} == union_keys

    for card_id, state, step, due, stability, difficulty, reps, lapses, last in a.execute(
        "SELECT id, state, step, due, stability, difficulty, reps, lapses, last_review FROM cards"
    ).fetchall():
        expected, rows = expected_by_reschedule(a, card_id)
        if not rows:
            assert state == CardState.NEW
            continue
        assert (state, step) == (int(expected.state), expected.step)
        assert stability == pytest.approx(expected.stability, rel=1e-12)
        assert difficulty == pytest.approx(expected.difficulty, rel=1e-12)
        assert due == clock.to_ms(expected.due)
        assert (reps, last) == (len(rows), rows[-1][0])
        # Each review gives the state the card was in just before it (for undo).
        befores = [
            state_before(a, card_id, row[0], row[1]).to_dict()
            for row in a.execute(
                "SELECT id, card_before FROM reviews WHERE card_id = ? ORDER BY review_time",
                [card_id],
            )
        ]
        assert befores[0] == CardRecord().to_dict()
        states = [
            r[0]
            for r in a.execute(
                "SELECT review_state FROM reviews WHERE card_id = ? ORDER BY review_time",
                [card_id],
            )
        ]
        assert states == [b["state"] for b in befores]
        assert lapses == sum(
            1
            for before, (_, rating) in zip(befores, rows, strict=True)
            if before["state"] == CardState.REVIEW and rating == Rating.AGAIN
        )

    # Merging the other way gives B the same collection.
    import_history(b, export_csv(a, tmp_path / "a.csv"))
    assert cards(b) == cards(a)
    assert reviews(b) == reviews(a)


# -- replay equals py-fsrs ------------------------------------------------------------------


def random_history(rng, start):
    """Random reviews whose gaps py-fsrs and drill count alike: drill counts the study days
    between two reviews (days start at 4:00), py-fsrs whole 24-hour periods; where those
    differ, drill is right by design (tests/test_scheduling.py) and py-fsrs is no reference.
    """
    time = start
    events = []
    for _ in range(rng.randrange(1, 25)):
        events.append((clock.to_ms(time), rng.choices([1, 2, 3, 4], [0.2, 0.15, 0.5, 0.15])[0]))
        while True:
            gap = rng.choice(
                [
                    timedelta(seconds=rng.randrange(5, 600)),
                    timedelta(minutes=rng.randrange(10, 600)),
                    timedelta(days=rng.randrange(1, 90), minutes=rng.randrange(1440)),
                ]
            )
            study_days = (clock.study_date(time + gap, 4) - clock.study_date(time, 4)).days
            if study_days == gap.days:
                break
        time += gap
    return events


SETTINGS = [
    {},
    {"learning_steps": "none", "relearning_steps": "none"},
    {"learning_steps": "30s 5m 1h 1d", "relearning_steps": "10m 1h", "desired_retention": "0.8"},
    {
        "fsrs_parameters": "0.5,1.5,4,12,6.2,0.6,2.2,0.02,1.6,0.12,0.9,1.7,0.08,0.25,1.3,0.45,"
        "2.2,0.6,0.15,0.1,0.3",
        "desired_retention": "0.95",
        "maximum_interval": "90",
    },
]


@pytest.mark.parametrize("settings", SETTINGS, ids=range(len(SETTINGS)))
def test_replay_matches_py_fsrs_reschedule_card(settings):
    rng = random.Random(len(str(settings)))
    count = 40
    db = open_database(":memory:")
    for key, value in {"fuzz": "off", **settings}.items():
        repo.set_config(db, None, key, value)
    deck = Deck("r", "R", questions=[Question(f"q{i}", f"Question {i}?") for i in range(count)])
    import_decks(db, [deck], START)
    histories = {f"q{i}": random_history(rng, START + timedelta(hours=i)) for i in range(count)}
    items = [
        HistoryReview("r", qid, CardKind.REHEARSE, t, Rating(rating))
        for qid, events in histories.items()
        for t, rating in events
    ]
    rng.shuffle(items)  # file order must not matter
    with write_transaction(db):
        merge_reviews(db, items, START + timedelta(days=3000), file="x")

    config = repo.collection_config(db)
    for qid, events in histories.items():
        [card] = repo.question_cards(db, "r", qid)
        expected, _ = expected_by_reschedule(db, card.id, study_days=False)
        record = card.record
        assert (record.state, record.step) == (int(expected.state), expected.step)
        assert record.stability == pytest.approx(expected.stability, rel=1e-12)
        assert record.difficulty == pytest.approx(expected.difficulty, rel=1e-12)
        assert record.due == clock.to_ms(expected.due)
        assert record.reps == len(events)
        # The pure function gives the same result.
        befores, final = replay(config, card.id, events)
        assert final == record
        assert len(befores) == len(events)


def test_replay_cards_recomputes_from_stored_reviews(db):
    import_decks(db, [parse(SAMPLE_DECK)], START)
    study(db, START, 20, seed=8)
    before = cards(db)
    rows = reviews(db)
    db.execute("UPDATE cards SET stability = 99, due = 0, reps = 0")
    with write_transaction(db):
        assert replay_cards(db, [r[0] for r in db.execute("SELECT id FROM cards")]) == 5
    assert cards(db) == before
    assert reviews(db) == rows


# -- undo ----------------------------------------------------------------------------------------


def test_undo_after_a_merge_restores_each_latest_review_exactly(tmp_path):
    a = fresh_db()
    study(a, START, 15, seed=9)
    other = fresh_db()
    import_history(other, export_csv(a, tmp_path / "shared.csv"))
    # The other copy adds reviews earlier than A's latest ones, and some later.
    later = study(other, START + timedelta(days=40), 10, seed=10)
    study(a, later + timedelta(days=1), 3, seed=11, only={"about-you"})
    import_history(a, export_csv(other, tmp_path / "other.csv"))

    for _ in range(8):
        card_id, time = a.execute(
            "SELECT card_id, review_time FROM reviews ORDER BY id DESC LIMIT 1"
        ).fetchone()
        latest = a.execute(
            "SELECT max(review_time) FROM reviews WHERE card_id = ?", [card_id]
        ).fetchone()[0]
        assert time == latest  # the newest row id is its card's latest review
        remaining = a.execute(
            "SELECT review_time, rating FROM reviews WHERE card_id = ? AND review_time < ? "
            "ORDER BY review_time",
            [card_id, time],
        ).fetchall()
        undone = undo_latest_rating(a)
        assert undone.card_id == card_id
        config = repo.decks(a, repo.get_card(a, card_id).deck_id)[0].config
        kind = repo.get_card(a, card_id).kind
        _, expected = replay(config, card_id, remaining, kind) if remaining else ([], CardRecord())
        assert repo.get_card(a, card_id).record == expected


# -- errors -------------------------------------------------------------------------------------


def test_unknown_cards_fail_the_whole_import(tmp_path):
    db = fresh_db()
    study(db, START, 10, seed=12)
    before = dump(db)
    path = tmp_path / "history.csv"
    t = clock.to_ms(START + timedelta(days=1))
    path.write_text(
        ",".join(REVIEW_COLUMNS)
        + "\n"
        + f",{t},3,0,,sample-deck,about-you,rehearse\n"
        + f",{t},3,0,,sample-deck,nope,rehearse\n"
        + f",{t + 1},3,0,,sample-deck,nope,rehearse\n"
        + f",{t},3,0,,other-deck,about-you,why\n"
        + f",{t},3,0,,sample-deck,about-you,why\n",
        encoding="utf-8",
    )
    deck_file = tmp_path / "new.md"
    deck_file.write_text("# New deck\n\n## A new question?\n", encoding="utf-8")
    with pytest.raises(DeckError) as exc:
        import_files(db, [read_file(deck_file), read_file(path)], NOW)
    assert [str(p) for p in exc.value.problems] == [
        f"{path}:3: no card sample-deck/nope/rehearse in the collection (2 reviews) "
        "(import the deck first)",
        f"{path}:5: no card other-deck/about-you/why in the collection (import the deck first)",
        f"{path}:6: no card sample-deck/about-you/why in the collection (import the deck first)",
    ]
    assert dump(db) == before


def test_reviews_in_the_future_are_refused(db):
    import_decks(db, [parse(SAMPLE_DECK)], START)
    before = dump(db)
    late = HistoryReview(
        "sample-deck",
        "about-you",
        CardKind.REHEARSE,
        clock.to_ms(NOW + timedelta(days=2)),
        3,
        file="h.csv",
        line=4,
    )
    with pytest.raises(
        DeckError, match=r"h.csv:4: review at 2026-01-07T10:00:00\+00:00 is in the future"
    ):
        import_files(db, [_loaded([late])], NOW)
    assert dump(db) == before
    soon = HistoryReview(
        "sample-deck", "about-you", CardKind.REHEARSE, clock.to_ms(NOW + timedelta(hours=2)), 3
    )
    assert import_files(db, [_loaded([soon])], NOW).history[0].added == 1


def _loaded(history):
    from drill.io.registry import Loaded

    return Loaded("h.csv", history=history)


def test_dry_run_writes_nothing(tmp_path):
    source = fresh_db()
    study(source, START, 10, seed=13)
    path = export_csv(source, tmp_path / "history.csv")
    target = fresh_db()
    before = dump(target)
    report = import_files(target, [read_file(path)], NOW, dry_run=True)
    assert report.history[0].added == 10
    assert dump(target) == before


def test_reviews_match_by_import_key(db):
    deck = parse(SAMPLE_DECK)
    deck.questions[1].import_key = "anki-guid-1"
    import_decks(db, [deck], START)
    review = HistoryReview(
        "somewhere-else",
        "whatever",
        CardKind.REHEARSE,
        clock.to_ms(START),
        Rating.GOOD,
        import_key="anki-guid-1",
    )
    with write_transaction(db):
        result = merge_reviews(db, [review], NOW, file="anki.apkg")
    assert result.added == 1
    [card] = repo.question_cards(db, "sample-deck", deck.questions[1].id)
    assert card.record.reps == 1
    missing = HistoryReview(
        "x", "y", CardKind.WHY, clock.to_ms(START), Rating.GOOD, import_key="gone", file="a", line=9
    )
    with (
        pytest.raises(DeckError, match=r"a:9: no card with import key gone \(why\)"),
        write_transaction(db),
    ):
        merge_reviews(db, [missing], NOW, file="a")


# -- the command line ------------------------------------------------------------------------


def test_cli_backup_and_restore_between_machines(tmp_path):
    from click.testing import CliRunner

    from drill.cli.main import cli

    deck = tmp_path / "sample.md"
    deck.write_text(SAMPLE_DECK, encoding="utf-8")
    runner = CliRunner()

    def run(db_name, *args):
        env = {
            "DRILL_DB": str(tmp_path / db_name),
            "DRILL_NOW": "2026-01-05T10:00:00+00:00",
            "DRILL_NO_BUNDLED": "1",
        }
        result = runner.invoke(cli, list(args), env=env)
        assert result.exit_code == 0, result.output
        return result.output

    for name in ("laptop.db", "desktop.db"):
        run(name, "import", str(deck))
        run(name, "config", "fuzz", "off")
    for rating in ("good", "again", "good"):
        card = json.loads(run("laptop.db", "next", "--json"))
        run("laptop.db", "rate", str(card["card_id"]), rating)
    history = tmp_path / "history.csv"
    run("laptop.db", "export", "reviews", "-o", str(history))

    out = run("desktop.db", "import", str(history))
    assert out.strip() == f"{history}: 3 reviews added, 0 already present, 3 cards recomputed"
    data = json.loads(run("desktop.db", "import", str(history), "--json"))
    assert data["history"] == [{"file": str(history), "added": 0, "skipped": 3, "cards": 0}]
    laptop = run("laptop.db", "export", "progress")
    assert run("desktop.db", "export", "progress") == laptop

    json_history = tmp_path / "history.json"
    run("laptop.db", "export", "reviews", "--format", "json", "-o", str(json_history))
    out = run("desktop.db", "import", "--format", "reviews", str(json_history))
    assert "0 reviews added, 3 already present" in out
    undo = json.loads(run("desktop.db", "undo", "--json"))
    assert undo["rating"] == "good"


# -- big imports: indexes built again, all or nothing -------------------------------------------


def index_sql(db):
    return sorted(
        db.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL")
    )


def test_a_big_import_builds_the_indexes_again_with_the_same_result(tmp_path, monkeypatch):
    from drill.storage import reviews as review_log

    source = fresh_db()
    study(source, START, 40, seed=12)
    path = export_csv(source, tmp_path / "history.csv")
    normal = fresh_db()
    import_history(normal, path)
    monkeypatch.setattr(review_log, "_BULK_ROWS", 1)  # every import is "big"
    bulk = fresh_db()
    indexes = index_sql(bulk)
    import_history(bulk, path)
    assert index_sql(bulk) == indexes
    assert cards(bulk) == cards(normal)
    assert reviews(bulk) == reviews(normal)
    assert bulk.execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_a_big_import_that_fails_leaves_the_database_and_its_indexes_as_they_were(
    tmp_path, monkeypatch
):
    from drill.storage import reviews as review_log

    source = fresh_db()
    study(source, START, 20, seed=13)
    path = export_csv(source, tmp_path / "history.csv")
    target = fresh_db()
    before, indexes = dump(target), index_sql(target)
    monkeypatch.setattr(review_log, "_BULK_ROWS", 1)

    def broken(db, rows):
        raise RuntimeError("disk gone")

    monkeypatch.setattr(review_log, "write_cards", broken)
    with pytest.raises(RuntimeError):
        import_history(target, path)
    assert index_sql(target) == indexes
    assert dump(target) == before


def test_one_file_picks_the_reviews_the_general_merge_picks(db):
    # A first import of one file takes a shorter loop (`_Merge._pick_fresh`); the same
    # reviews in three files take the general one. Repeats of a card at the same time
    # (within a file and across them) are one review either way, with the same row ids,
    # over two decks (each review row names its card's deck).
    import_decks(db, [parse(SAMPLE_DECK), parse(V2_DECK)], START)
    keys = [(c[0], c[1], CardKind(c[2])) for c in db.execute(
        "SELECT deck_id, question_id, kind FROM cards ORDER BY id").fetchall()]  # fmt: skip
    rng = random.Random(41)
    rows = []
    # Distinct times (a repeat with another rating would be decided by its place in the
    # files), hours to weeks apart, in the 120 days before now.
    for hour in rng.sample(range(2_500), 300):
        deck, question, kind = rng.choice(keys)
        at = clock.to_ms(START) + hour * 3_600_000
        rows.append(HistoryReview(deck, question, kind, at, Rating(rng.randrange(1, 5))))
    rows += rng.sample(rows, 60)  # repeats, in other places of the file
    rng.shuffle(rows)

    def merged(files):
        target = fresh_db()
        import_decks(target, [parse(V2_DECK)], START)
        with write_transaction(target):
            results = merge_histories(target, files, NOW)
        return results, cards(target), target.execute(REVIEW_SQL).fetchall()

    [one], cards_one, reviews_one = merged([("all.csv", rows)])
    many, cards_many, reviews_many = merged([(f"{i}.csv", rows[i::3]) for i in range(3)])
    distinct = len({(r.deck, r.question_id, r.kind, r.review_time) for r in rows})
    assert (one.added, one.skipped) == (distinct, len(rows) - distinct)
    assert sum(r.added for r in many) == distinct
    assert sum(r.skipped for r in many) == len(rows) - distinct
    assert one.cards == len({(r.deck, r.question_id, r.kind) for r in rows})
    assert (cards_one, reviews_one) == (cards_many, reviews_many)
    assert {row[8] for row in reviews_one} == {"sample-deck", "se-pack"}
