"""Browsing: every question with its cards, live search, and a question's history."""

from __future__ import annotations

from drill.core.model import CardKind, Rating
from drill.study.browse import (
    browse_entries,
    browse_row,
    entry_cards,
    matching,
    question_reviews,
    search_words,
)
from drill.study.session import ReviewSession
from tests.helpers import NOW


def test_entries_in_deck_order_and_their_cards(sample_db):
    entries = browse_entries(sample_db)
    assert [e.question_id for e in entries] == [
        "career-goals",
        "about-you",
        "why-should-we-hire-you",
    ]
    first = entries[0]
    assert first.key == "sample-deck/career-goals"
    assert first.deck_name == "Sample deck"
    cards = entry_cards(sample_db, first.deck_id, first.question_id)
    assert [c.kind for c in cards] == [CardKind.REHEARSE, CardKind.WHY, CardKind.DOS]
    assert CardKind.WHY not in {c.kind for c in entry_cards(sample_db, "sample-deck", "about-you")}


def test_search_matches_text_variants_and_tags_case_insensitively(sample_db):
    entries = browse_entries(sample_db)

    def ids(query, among=None):
        return [entries[i].question_id for i in matching(entries, search_words(query), among)]

    assert ids("DIRECTION") == ["career-goals"]
    assert ids("motivation career") == ["career-goals"]
    assert ids("hire") == ["why-should-we-hire-you"]
    assert len(ids("")) == 3
    assert ids("hire", among=[0, 1]) == []  # only among the given entries


def test_search_reads_variants_and_tags_as_the_question_holds_them(db):
    from drill.core.model import Deck, Question
    from drill.library.importing import import_decks

    question = Question(
        "q",
        "Plain text?",
        variants=['A "quoted" variant, with commas', "Ünïcode variant"],
        tags=["back\\slash", "multi word"],
    )
    import_decks(db, [Deck("d", "D", questions=[question])], NOW)
    [entry] = browse_entries(db)
    for query in ('"quoted"', "commas", "ünïcode", "back\\slash", "multi word", "plain"):
        assert matching([entry], search_words(query)) == [0], query


def test_question_history_newest_first_and_lapses(sample_db):
    session = ReviewSession(sample_db)
    card = session.next_card(NOW)
    session.rate(card.card_id, Rating.AGAIN, NOW)
    later = NOW.replace(minute=5)
    session.rate(card.card_id, Rating.GOOD, later)
    history = question_reviews(sample_db, "sample-deck", "career-goals")
    assert [(h.rating, h.time) for h in history] == [(Rating.GOOD, later), (Rating.AGAIN, NOW)]
    row = browse_row(sample_db, "sample-deck", "career-goals")
    assert row.card(CardKind.REHEARSE).record.reps == 2
    assert browse_row(sample_db, "sample-deck", "nope") is None
    session.suspend_question("sample-deck", "career-goals")
    assert browse_row(sample_db, "sample-deck", "career-goals").suspended


def test_stored_lists_read_as_their_items_joined():
    """The browser reads variants and tags from their stored JSON without json.loads when it
    holds no escape; either way it gives the items joined by spaces.
    """
    import json
    import random

    from drill.study.browse import _words

    rng = random.Random(3)
    alphabet = ["a", " ", '"', "\\", ",", "[", "]", "é", "\n", "\t"]
    for _ in range(5000):
        items = [
            "".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 6)))
            for _ in range(rng.randrange(0, 4))
        ]
        stored = json.dumps(items, ensure_ascii=False) if items else "[]"
        assert _words(stored) == " ".join(items), items
