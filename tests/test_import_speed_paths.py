"""The shortcuts a first import takes for speed make the same cards as the general path.

A deck's first import creates its cards with one SQL statement over the stored questions
(`storage.content.INSERT_FIRST_CARDS`); every later import goes question by question in Python
through `Question.kinds()`. Both must agree on every combination of parts.
"""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from drill.core.model import Deck, Example, Question
from drill.library.importing import import_decks
from tests.helpers import NOW

WHYS = ["", "Because.", "  \n\t ", "\u00a0"]
LISTS: list[list[str]] = [[], ["one"]]


def questions() -> list[Question]:
    out = []
    for n, (why, dos, donts, example) in enumerate(
        itertools.product(WHYS, LISTS, LISTS, [False, True])
    ):
        out.append(
            Question(
                id=f"q{n}",
                question=f"Question {n}?",
                why=why,
                dos=list(dos),
                donts=list(donts),
                examples=[Example("", "An example.")] if example else [],
            )
        )
    return out


def stored_kinds(db, deck_id: str) -> dict[str, list[str]]:
    kinds: dict[str, list[str]] = {}
    rows = db.execute(
        "SELECT question_id, kind FROM cards WHERE deck_id = ? AND retired = 0 ORDER BY new_order",
        [deck_id],
    )
    for question_id, kind in rows:
        kinds.setdefault(question_id, []).append(kind)
    return kinds


def expected(qs: list[Question]) -> dict[str, list[str]]:
    return {q.id: [k.value for k in q.kinds()] for q in qs}


def test_first_import_makes_exactly_the_cards_of_question_kinds(db):
    qs = questions()
    [result] = import_decks(db, [Deck("first", "First", questions=qs)], NOW)
    assert stored_kinds(db, "first") == expected(qs)
    # The count it reports is the one statement's, not a count read again.
    assert result.cards == sum(len(q.kinds()) for q in qs)
    # New cards are introduced in file order, siblings in kind order.
    orders = [r[0] for r in db.execute("SELECT new_order FROM cards ORDER BY id")]
    assert orders == sorted(orders)


def test_first_and_later_imports_agree(db):
    qs = questions()
    # "later": the deck exists with one question, so the rest go through the general path.
    import_decks(db, [Deck("later", "Later", questions=qs[:1])], NOW)
    import_decks(db, [Deck("later", "Later", questions=qs)], NOW)
    import_decks(db, [Deck("first", "First", questions=questions())], NOW)
    assert stored_kinds(db, "later") == stored_kinds(db, "first") == expected(qs)


def test_a_blank_why_is_stored_empty_and_makes_no_card(db):
    q = Question(id="q", question="Q?", why=" \n ")
    import_decks(db, [Deck("d", "D", questions=[q])], NOW)
    assert db.execute("SELECT why FROM questions").fetchone()[0] == ""
    assert stored_kinds(db, "d") == {"q": ["rehearse"]}


def test_the_content_defaults_are_the_schemas(db):
    """Columns every new question leaves empty are left out of the INSERT, so the schema's
    DEFAULT must be exactly what `question_content` would have written."""
    from drill.storage.content import CONTENT_DEFAULTS

    declared = {
        name: default for _, name, _, _, default, _ in db.execute("PRAGMA table_info(questions)")
    }
    assert {name: declared[name] for name in CONTENT_DEFAULTS} == {
        name: None if value is None else f"'{value}'" for name, value in CONTENT_DEFAULTS.items()
    }


def test_rows_leaving_columns_empty_store_what_full_rows_store(db):
    """A deck whose questions leave most columns empty, and one that fills every column, read
    back equal to what was imported (normalised), whichever columns the INSERT names."""
    from drill.core.model import normalize_question
    from drill.storage import repo

    sparse = [Question(id=f"s{n}", question=f"Sparse {n}?") for n in range(3)]
    full = Question(
        id="full",
        question="Full?",
        variants=["v"],
        why="w",
        approach="a",
        dos=["d"],
        donts=["n"],
        examples=[Example("l", "t")],
        bad_example="b",
        tips=["t"],
        tags=["x"],
        type="behavioral",
        competencies=["ownership"],
        level="senior",
        length=(60, 120),
        reviewed="2026-01-02",
        short_answer="s",
        follow_ups=["f"],
        red_flags=["r"],
        key_phrases=["k"],
    )
    import_decks(db, [Deck("sparse", "Sparse", questions=sparse)], NOW)
    import_decks(db, [Deck("full", "Full", questions=[full, *sparse])], NOW)
    for deck_id, qs in (("sparse", sparse), ("full", [full, *sparse])):
        stored = list(repo.iter_questions(db, deck_id))
        assert [repo.question_content(q) for q in stored] == [
            repo.question_content(normalize_question(q)) for q in qs
        ]


def _bundled_questions() -> list[Question]:
    from pathlib import Path

    from drill.io.markdown.deck import parse_markdown
    from drill.io.source import Source

    root = Path(__file__).resolve().parents[1] / "decks"
    return [
        q
        for path in sorted(root.rglob("*.md"))
        for q in parse_markdown(Source.read(path)).questions
    ]


def _transposed(qs: list[Question]) -> list[list[object]]:
    from drill.storage import repo

    return [list(column) for column in zip(*map(repo.question_content, qs), strict=True)]


def test_content_by_column_equals_content_by_question_on_every_bundled_deck():
    """A first import stores content column by column; it must be what a later import,
    question by question, would store."""
    from drill.storage import repo

    qs = _bundled_questions()
    assert qs
    assert repo.content_columns(qs) == _transposed(qs)


_TEXTS = st.text(
    alphabet=st.sampled_from(["a", " ", '"', "\\", "\n", "\x01", "é", "\u2028", ","]), max_size=6
)


@pytest.mark.slow
@settings(derandomize=True, max_examples=300, deadline=None)
@given(
    st.lists(
        st.builds(
            Question,
            id=st.just("q"),
            question=_TEXTS,
            variants=st.lists(_TEXTS, max_size=3),
            why=_TEXTS,
            dos=st.lists(_TEXTS, max_size=2),
            donts=st.lists(_TEXTS, max_size=2),
            examples=st.lists(st.builds(Example, _TEXTS, _TEXTS), max_size=2),
            tips=st.lists(_TEXTS, max_size=2),
            tags=st.lists(_TEXTS, max_size=2),
            length=st.one_of(st.none(), st.tuples(st.integers(1, 9), st.integers(10, 99))),
            follow_ups=st.lists(_TEXTS, max_size=2),
            import_key=st.one_of(st.none(), _TEXTS),
        ),
        min_size=1,
        max_size=5,
    )
)
def test_content_by_column_equals_content_by_question(qs: list[Question]) -> None:
    from drill.storage import repo

    assert repo.content_columns(qs) == _transposed(qs)


# -- foreign keys: not looked up while an import only adds and updates ----------------------


def foreign_keys(db) -> tuple[int, list[tuple]]:
    """(whether keys are enforced now, every row whose key points nowhere)."""
    enforced = db.execute("PRAGMA foreign_keys").fetchone()[0]
    return enforced, db.execute("PRAGMA foreign_key_check").fetchall()


def test_every_kind_of_import_leaves_every_key_pointing_at_its_row(db):
    """An import writes without looking up foreign keys (storage.sqlite.foreign_keys_unchecked):
    every row it writes must still point at one, whatever the import does."""
    from drill.storage import answers

    qs = questions()
    qs[0].my_answer = "My answer, seeded into the answer bank."
    import_decks(db, [Deck("first", "First", questions=qs)], NOW)
    assert foreign_keys(db) == (1, [])
    assert answers.versions(db, "first", "q0", limit=1)
    # Again with parts removed and added, and questions added: cards retired and created.
    again = [Question(id=q.id, question=q.question, why="New.", dos=[]) for q in qs[::2]]
    again.append(Question(id="new", question="A new one?", dos=["x"]))
    import_decks(db, [Deck("first", "First", questions=again)], NOW)
    assert foreign_keys(db) == (1, [])
    # A question known by its Anki GUID, updated in the deck it lives in from another file.
    keyed = Question(id="k", question="Keyed?", import_key="guid-1")
    import_decks(db, [Deck("anki", "Anki", questions=[keyed])], NOW)
    moved = Question(id="k2", question="Keyed, reworded?", why="W.", import_key="guid-1")
    import_decks(db, [Deck("other", "Other", questions=[moved])], NOW)
    assert foreign_keys(db) == (1, [])
    assert db.execute("SELECT count(*) FROM cards WHERE deck_id = 'anki'").fetchone()[0] == 2


def test_a_history_import_leaves_every_review_pointing_at_its_card(db, tmp_path):
    """Review history is merged without looking up each review's card too: every review
    must still belong to a card, also when a card's stored reviews are rewritten."""
    from datetime import timedelta

    from drill.io.registry import read_file
    from drill.library.importing import import_files

    import_decks(db, [Deck("first", "First", questions=questions()[:4])], NOW)
    history = tmp_path / "reviews.csv"
    day = 86_400_000
    start = int((NOW - timedelta(days=30)).timestamp() * 1000)
    lines = ["card_id,review_time,review_rating,review_state,review_duration,deck,question_id,kind"]
    for n, question in enumerate(("q0", "q1", "q2")):
        for k, rating in enumerate((1, 3, 3)):
            lines.append(f",{start + (n + 3 * k) * day},{rating},,,first,{question},rehearse")
    history.write_text("\n".join(lines) + "\n", encoding="utf-8")
    import_files(db, [read_file(history)], NOW)
    assert db.execute("SELECT count(*) FROM reviews").fetchone()[0] == 9
    assert foreign_keys(db) == (1, [])
    # Earlier reviews of the same cards: the stored ones are rewritten around them.
    earlier = tmp_path / "earlier.csv"
    rows = [f",{start - day * (n + 1)},3,,,first,q0,rehearse" for n in range(2)]
    earlier.write_text(lines[0] + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    import_files(db, [read_file(earlier)], NOW)
    assert db.execute("SELECT count(*) FROM reviews").fetchone()[0] == 11
    assert foreign_keys(db) == (1, [])


def test_a_failed_import_writes_nothing_and_leaves_keys_enforced(db, monkeypatch):
    from drill.storage import content

    def broken(*args: object) -> None:
        raise RuntimeError("disk trouble")

    monkeypatch.setattr(content, "insert_first_cards", broken)
    with pytest.raises(RuntimeError):
        import_decks(db, [Deck("first", "First", questions=questions())], NOW)
    assert db.execute("SELECT count(*) FROM questions").fetchone()[0] == 0
    assert foreign_keys(db) == (1, [])


def test_pruning_still_deletes_a_removed_questions_cards(db, tmp_path):
    """Pruning deletes questions, and their cards go with them by the foreign key's cascade:
    an import that prunes keeps its keys enforced."""
    qs = questions()
    import_decks(db, [Deck("first", "First", questions=qs)], NOW)
    import_decks(db, [Deck("first", "First", questions=qs[1:])], NOW, prune=True)
    left = db.execute("SELECT count(*) FROM cards WHERE question_id = 'q0'").fetchone()[0]
    assert left == 0
    assert foreign_keys(db) == (1, [])


@pytest.mark.parametrize(
    "text",
    ["", "plain ascii", 'a "quote"', "back\\slash", "new\nline", "\x01", "\x1f", "\x7f", "é",
     "é\"", "é\n", "\u2028", "\u00a0", "tab\there", "\U0001f600", "a" * 1000 + "\x00"],
)  # fmt: skip
def test_the_escape_check_agrees_with_json(text):
    import json

    from drill.storage.repo import _needs_escape

    escaped = json.dumps(text, ensure_ascii=False) != f'"{text}"'
    assert _needs_escape(text) is escaped


def test_a_bulk_first_import_builds_the_memory_index_again_as_it_was(db):
    """A deck with more questions than the collection has cards makes cards_memory again
    after its cards (storage.content.insert_first_cards): the index must come back the same,
    holding every card, and a smaller import into the same collection leaves it alone."""

    def memory_index() -> str:
        return db.execute(
            "SELECT sql FROM sqlite_master WHERE type = 'index' AND name = 'cards_memory'"
        ).fetchone()[0]

    before = memory_index()
    qs = questions()
    import_decks(db, [Deck("first", "First", questions=qs)], NOW)
    assert memory_index() == before
    assert db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    indexed = db.execute(
        "SELECT count(*) FROM cards INDEXED BY cards_memory WHERE retired = 0 AND suspended = 0"
    ).fetchone()[0]
    assert indexed == sum(len(q.kinds()) for q in qs)
    import_decks(db, [Deck("second", "Second", questions=qs[:2])], NOW)
    assert memory_index() == before
    assert db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
