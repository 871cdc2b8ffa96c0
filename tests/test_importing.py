"""Importing decks: updates keep progress, pruning backs up, JSON round-trips."""

from __future__ import annotations

import json

import pytest

from drill.core.model import CardKind, Rating
from drill.errors import DeckError
from drill.io.json_deck import dump_json, parse_json
from drill.io.source import Source
from drill.library.exports import load_deck
from drill.library.importing import import_decks
from drill.storage import repo
from drill.storage.db import open_database
from drill.study.session import ReviewSession
from tests.helpers import NOW, SAMPLE_DECK, V2_DECK, parse


def card_states(db):
    return db.execute(
        "SELECT question_id, kind, state, reps, stability, retired FROM cards ORDER BY id"
    ).fetchall()


def test_first_import_counts_and_cards(db):
    [result] = import_decks(db, [parse(SAMPLE_DECK)], NOW)
    assert result.summary() == "Sample deck: 3 added, 0 updated, 0 unchanged (5 cards)"
    kinds = db.execute(
        "SELECT kind FROM cards WHERE question_id = 'career-goals' ORDER BY new_order"
    ).fetchall()
    assert [k[0] for k in kinds] == ["rehearse", "why", "dos"]


def test_reimport_updates_content_and_keeps_progress(db):
    import_decks(db, [parse(SAMPLE_DECK)], NOW)
    session = ReviewSession(db)
    card = session.next_card(NOW)
    session.rate(card.card_id, Rating.GOOD, NOW)
    before = card_states(db)

    edited = SAMPLE_DECK.replace("Talk about the next two years.", "Talk about the next 2 years.")
    [result] = import_decks(db, [parse(edited)], NOW)
    assert (result.added, result.updated, result.unchanged) == (0, 1, 2)
    assert card_states(db) == before
    assert db.execute("SELECT count(*) FROM reviews").fetchone()[0] == 1
    q = session.study_card(card.card_id).question
    assert q.approach == "Talk about the next 2 years."

    [same] = import_decks(db, [parse(edited)], NOW)
    assert (same.added, same.updated, same.unchanged) == (0, 0, 3)


def test_removed_question_is_kept_unless_pruned_and_prune_backs_up(tmp_path):
    db = open_database(tmp_path / "drill.db")
    import_decks(db, [parse(SAMPLE_DECK)], NOW)
    shorter = SAMPLE_DECK[: SAMPLE_DECK.index("## Why should we hire you?")]
    [kept] = import_decks(db, [parse(shorter)], NOW)
    assert kept.removed == 0
    assert db.execute("SELECT count(*) FROM questions").fetchone()[0] == 3
    assert not (tmp_path / "backups").exists()

    [pruned] = import_decks(db, [parse(shorter)], NOW, prune=True)
    assert pruned.removed == 1
    assert db.execute("SELECT count(*) FROM questions").fetchone()[0] == 2
    backups = list((tmp_path / "backups").glob("*.db"))
    assert len(backups) == 1
    old = open_database(backups[0])
    assert old.execute("SELECT count(*) FROM questions").fetchone()[0] == 3


def test_removed_part_retires_its_card_without_losing_reviews(db):
    import_decks(db, [parse(SAMPLE_DECK)], NOW)
    why_card = db.execute(
        "SELECT id FROM cards WHERE question_id = 'career-goals' AND kind = 'why'"
    ).fetchone()[0]
    ReviewSession(db).rate(why_card, Rating.GOOD, NOW)
    no_why = SAMPLE_DECK.replace(
        "### Why they ask\nThey want to know whether you plan ahead.\n", ""
    )
    [result] = import_decks(db, [parse(no_why)], NOW)
    assert result.cards == 4
    assert db.execute("SELECT retired FROM cards WHERE id = ?", [why_card]).fetchone()[0] == 1
    assert db.execute("SELECT count(*) FROM reviews").fetchone()[0] == 1
    import_decks(db, [parse(SAMPLE_DECK)], NOW)
    assert db.execute("SELECT retired, reps FROM cards WHERE id = ?", [why_card]).fetchone() == (
        1 - 1,
        1,
    )


def test_dry_run_writes_nothing(db):
    [result] = import_decks(db, [parse(SAMPLE_DECK)], NOW, dry_run=True)
    assert result.added == 3
    assert db.execute("SELECT count(*) FROM questions").fetchone()[0] == 0
    assert db.execute("SELECT count(*) FROM decks").fetchone()[0] == 0


def test_same_deck_in_two_files_is_refused_before_writing(db):
    a, b = parse(SAMPLE_DECK, "a.md"), parse(SAMPLE_DECK, "b.md")
    with pytest.raises(DeckError, match=r"also defined in a\.md"):
        import_decks(db, [a, b], NOW)
    assert db.execute("SELECT count(*) FROM decks").fetchone()[0] == 0


def test_failure_mid_import_rolls_everything_back(db, monkeypatch):
    import drill.library.importing as importing

    good = parse(SAMPLE_DECK)
    other = parse("# Other\n## Q?\n")
    calls = []

    def boom(db_, deck, placed):
        calls.append(deck)
        if deck == "other":
            raise RuntimeError("disk on fire")
        return original(db_, deck, placed)

    original = importing._sync_cards
    monkeypatch.setattr(importing, "_sync_cards", boom)
    with pytest.raises(RuntimeError):
        import_decks(db, [good, other], NOW)
    assert calls == ["sample-deck", "other"]
    assert db.execute("SELECT count(*) FROM questions").fetchone()[0] == 0


def test_json_round_trip_is_lossless(db):
    import_decks(db, [parse(SAMPLE_DECK)], NOW)
    deck = load_deck(db, "sample-deck")
    text = dump_json(deck)
    data = json.loads(text)
    assert set(data) == {"deck", "questions"}
    assert data["deck"] == {
        "id": "sample-deck",
        "name": "Sample deck",
        "description": "A deck for tests.",
        "license": "",
        "version": "",
    }
    first = data["questions"][0]
    assert list(first) == [
        "id",
        "question",
        "variants",
        "why",
        "approach",
        "dos",
        "donts",
        "examples",
        "bad_example",
        "tips",
        "tags",
        "type",
        "competencies",
        "level",
        "length",
        "reviewed",
        "short_answer",
        "follow_ups",
        "red_flags",
        "key_phrases",
    ]
    assert data["questions"][2]["examples"] == [] and data["questions"][2]["why"] == ""
    again = parse_json(Source.from_text(text, "deck.json"))
    assert again.questions == deck.questions
    assert dump_json(again) == text


def test_v2_metadata_and_sections_are_stored_and_round_trip_through_json(db):
    original = parse(V2_DECK)
    import_decks(db, [original], NOW)
    deck = load_deck(db, "se-pack")
    assert (deck.license, deck.version) == ("CC-BY-4.0", "2.1")
    assert deck.questions == original.questions
    text = dump_json(deck)
    data = json.loads(text)
    first = data["questions"][0]
    assert (first["type"], first["level"], first["length"], first["reviewed"]) == (
        "behavioral",
        "experienced",
        [90, 150],
        "2026-03-01",
    )
    assert first["competencies"] == ["ownership", "communication"]
    assert first["follow_ups"] == original.questions[0].follow_ups
    again = parse_json(Source.from_text(text, "deck.json"))
    assert again.questions == original.questions
    assert (again.license, again.version) == ("CC-BY-4.0", "2.1")
    # Importing the same content again changes nothing.
    [result] = import_decks(db, [again], NOW)
    assert (result.added, result.updated, result.unchanged) == (0, 0, 1)


def test_changing_only_metadata_counts_as_an_update(db):
    import_decks(db, [parse("# D\n## Q?\ntype: behavioral\n")], NOW)
    [result] = import_decks(db, [parse("# D\n## Q?\ntype: motivation\nlength: 30-60s\n")], NOW)
    assert result.updated == 1
    assert load_deck(db, "d").questions[0].target_seconds == (30, 60)


def _json_question(**fields):
    return json.dumps({"deck": {"name": "D"}, "questions": [{"question": "Q", **fields}]})


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"type": "story"}, "unknown type 'story'"),
        ({"level": 3}, "'level' must be a string"),
        ({"competencies": ["tact"]}, "unknown competency 'tact'"),
        ({"competencies": "data"}, "'competencies' must be a list of strings"),
        ({"length": "60-120s"}, r"'length' must be \[low, high\] in seconds"),
        ({"length": [120, 60]}, "ends before it starts"),
        ({"length": [True, 60]}, r"'length' must be \[low, high\]"),
        ({"reviewed": "yesterday"}, "invalid reviewed date"),
        ({"follow_ups": "What next?"}, "'follow_ups' must be a list of strings"),
        ({"red_flags": [1]}, "'red_flags' must be a list of strings"),
        ({"short_answer": ["a"]}, "'short_answer' must be a string"),
    ],
)
def test_json_v2_fields_are_checked_like_the_markdown_format(fields, message):
    with pytest.raises(DeckError, match=message):
        parse_json(Source.from_text(_json_question(**fields), "deck.json"))


def test_json_v2_values_are_normalised():
    text = _json_question(type="Behavioral", competencies=["Data", "data"], length=[60, 60])
    q = parse_json(Source.from_text(text, "deck.json")).questions[0]
    assert (q.type, q.competencies, q.length) == ("behavioral", ["data"], (60, 60))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{", "deck.json:1: invalid JSON"),
        ("[]", "deck.json:1: not a drill JSON deck"),
        ('{"deck": {"name": "D"}, "questions": [{"question": ""}]}', "has no question text"),
        (
            '{"deck": {"name": "D"}, "questions": [{"question": "Q", "dos": [1]}]}',
            "'dos' must be a list of strings",
        ),
    ],
)
def test_json_errors(text, message):
    with pytest.raises(DeckError, match=message):
        parse_json(Source.from_text(text, "deck.json"))


def test_json_escaped_control_characters_are_removed():
    text = json.dumps({"deck": {"name": "D"}, "questions": [{"question": "Q\u001b[31m?"}]})
    deck = parse_json(Source.from_text(text, "deck.json"))
    assert deck.questions[0].question == "Q[31m?"


def test_my_answer_section_seeds_the_answer_bank_once(db):
    text = "# D\n## Q?\n### My answer\nI would say this.\n"
    import_decks(db, [parse(text)], NOW)
    import_decks(db, [parse(text)], NOW)
    rows = db.execute("SELECT text, source FROM answers").fetchall()
    assert rows == [("I would say this.", "deck")]


def test_card_kinds_follow_the_question_parts(db):
    import_decks(db, [parse("# D\n## Q?\n### Do\n- a\n")], NOW)
    kinds = [r[0] for r in db.execute("SELECT kind FROM cards WHERE retired = 0")]
    assert kinds == [CardKind.REHEARSE.value, CardKind.DOS.value]


def keyed(deck_name: str, text: str, key: str, approach: str = ""):
    from drill.core.model import Deck, Question, slugify

    q = Question(id=slugify(text), question=text, approach=approach, import_key=key)
    return Deck(id=slugify(deck_name), name=deck_name, questions=[q])


def test_import_key_updates_the_question_wherever_it_lives(db):
    import_decks(db, [keyed("Anki", "hello", "guid-1", "world")], NOW)
    # The update is counted where the note lives, and no empty deck is made (issue 18).
    here, there = import_decks(db, [keyed("Elsewhere", "goodbye", "guid-1", "world")], NOW)
    assert (here.deck, here.created, here.elsewhere) == ("elsewhere", False, [("anki", "Anki", 1)])
    assert (there.deck, there.added, there.updated) == ("anki", 0, 1)
    rows = db.execute("SELECT deck_id, id, question FROM questions").fetchall()
    assert rows == [("anki", "hello", "goodbye")]
    assert [d.id for d in repo.decks(db)] == ["anki"]


def test_new_keyed_question_never_overwrites_an_unrelated_one(db):
    import_decks(db, [keyed("Anki", "hello", "guid-1")], NOW)
    import_decks(db, [keyed("Anki", "hello", "guid-2", "other")], NOW)
    rows = db.execute("SELECT id, import_key FROM questions ORDER BY id").fetchall()
    assert rows == [("hello", "guid-1"), ("hello-2", "guid-2")]
