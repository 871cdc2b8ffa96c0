"""Browsing: every question with its cards, live search, and a question's history."""

from __future__ import annotations

from drill.core.model import CardKind, Rating
from drill.study.browse import browse_row, browse_rows, question_reviews
from drill.study.session import ReviewSession
from tests.helpers import NOW


def test_rows_in_deck_order_with_cards(sample_db):
    rows = browse_rows(sample_db)
    assert [r.question.id for r in rows] == ["career-goals", "about-you", "why-should-we-hire-you"]
    first = rows[0]
    assert first.key == "sample-deck/career-goals"
    assert [c.kind for c in first.cards] == [CardKind.REHEARSE, CardKind.WHY, CardKind.DOS]
    assert first.card(CardKind.WHY) is not None and rows[1].card(CardKind.WHY) is None


def test_search_matches_text_variants_and_tags_case_insensitively(sample_db):
    rows = browse_rows(sample_db)
    assert [r.question.id for r in rows if r.matches("DIRECTION")] == ["career-goals"]
    assert [r.question.id for r in rows if r.matches("motivation career")] == ["career-goals"]
    assert [r.question.id for r in rows if r.matches("hire")] == ["why-should-we-hire-you"]
    assert len([r for r in rows if r.matches("")]) == 3


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
