"""The review queue: order, daily limits, sibling burying, rotation and undo."""

from __future__ import annotations

from datetime import timedelta

import pytest

from drill.core.model import CardKind, CardState, Rating
from drill.library.importing import import_decks
from drill.storage import repo
from drill.study.session import LearnMore, ReviewSession, SessionError
from drill.study.undo import Action, UndoError, UndoStack, quote, undo_latest_rating
from tests.helpers import NOW, parse

DAY = timedelta(days=1)


def deck_text(name: str, count: int, *, full: bool = True) -> str:
    parts = [f"# {name}\n"]
    for i in range(1, count + 1):
        parts.append(f"## {name} question {i}?\nid: q{i}\n")
        if full:
            parts.append(f"### Variants\n- {name} variant {i}a?\n- {name} variant {i}b?\n")
            parts.append("### Why they ask\nReasons.\n### Do\n- Do it.\n")
    return "\n".join(parts)


@pytest.fixture
def two_decks(db):
    import_decks(db, [parse(deck_text("Alpha", 3)), parse(deck_text("Beta", 2))], NOW)
    return db


def study(session, now, grade=Rating.GOOD):
    card = session.next_card(now)
    assert card is not None
    session.rate(card.card_id, grade, now)
    return card


def test_new_cards_in_deck_file_order_one_question_at_a_time(two_decks):
    session = ReviewSession(two_decks)
    seen = []
    now = NOW
    for _ in range(5):
        card = session.next_card(now)
        seen.append((card.deck_id, card.question_id, card.kind))
        session.rate(card.card_id, Rating.EASY, now)
    assert seen == [
        ("alpha", "q1", CardKind.REHEARSE),
        ("alpha", "q2", CardKind.REHEARSE),
        ("alpha", "q3", CardKind.REHEARSE),
        ("beta", "q1", CardKind.REHEARSE),
        ("beta", "q2", CardKind.REHEARSE),
    ]
    # Every question was answered today, so its why/dos siblings wait until tomorrow.
    assert session.next_card(now) is None
    tomorrow = NOW + DAY
    card = session.next_card(tomorrow)
    assert (card.question_id, card.kind) == ("q1", CardKind.WHY)


def test_learning_steps_of_the_same_card_are_not_buried(two_decks):
    session = ReviewSession(two_decks, "alpha")
    first = study(session, NOW, Rating.AGAIN)  # learning, due in 1 minute
    later = NOW + timedelta(minutes=2)
    card = session.next_card(later)
    assert card.card_id == first.card_id


def test_learning_before_review_before_new(db):
    import_decks(db, [parse(deck_text("Alpha", 3, full=False))], NOW)
    session = ReviewSession(db)
    a = study(session, NOW, Rating.EASY)  # review, due in days
    b = study(session, NOW, Rating.GOOD)  # learning step 10m
    later = NOW + timedelta(days=30)
    session.rate(b.card_id, Rating.GOOD, NOW + timedelta(minutes=10))  # graduates
    # Both are review cards now, due long before `later`; one new card is left.
    c_new = session.next_card(NOW + timedelta(minutes=11))
    assert c_new.state == CardState.NEW
    session.rate(c_new.card_id, Rating.AGAIN, later)  # a learning card, due in 1m
    order = []
    now = later + timedelta(minutes=2)
    for _ in range(3):
        card = session.next_card(now)
        order.append((card.card_id, card.state))
        session.rate(card.card_id, Rating.EASY, now)
    assert order[0] == (c_new.card_id, CardState.LEARNING)
    # The review cards follow, most overdue first: b graduated with a shorter interval
    # than a's Easy, so it has been due longer.
    due_a, due_b = (session.study_card(c.card_id).record.due for c in (a, b))
    assert due_b < due_a
    assert [cid for cid, _ in order[1:]] == [b.card_id, a.card_id]


def test_review_cards_are_due_for_the_whole_study_day(db):
    import_decks(db, [parse(deck_text("Alpha", 1, full=False))], NOW)
    session = ReviewSession(db)
    card = study(session, NOW, Rating.EASY)
    due = session.study_card(card.card_id).record.due
    from drill.core import clock

    due_at = clock.from_ms(due)
    # Early on the due day (after the 4:00 day start) the card is already served.
    morning = due_at.replace(hour=5, minute=0)
    assert morning < due_at
    assert session.next_card(morning).card_id == card.card_id


def test_new_limit_per_deck_and_learn_more(two_decks):
    repo.set_config(two_decks, None, "new_per_day", "2")
    session = ReviewSession(two_decks)
    served = [study(session, NOW, Rating.EASY).deck_id for _ in range(4)]
    assert served == ["alpha", "alpha", "beta", "beta"]
    assert session.next_card(NOW) is None
    assert session.counts(NOW).new == 0
    # Learning more adds only what can still come today (issue 18): it used to say 4, and
    # the queue then showed 1.
    assert session.learn_more_offer(NOW) == LearnMore(1, 1)
    added = session.learn_more(NOW)
    assert added == 1
    assert session.counts(NOW).new == 1  # alpha q3 is the only question with a fresh card
    assert study(session, NOW, Rating.EASY).question_id == "q3"
    # The extra allowance is for today only.
    assert ReviewSession(two_decks).new_limit(repo.decks(two_decks, "alpha")[0], NOW + DAY) == 2


def test_review_limit(db):
    import_decks(db, [parse(deck_text("Alpha", 3, full=False))], NOW)
    session = ReviewSession(db)
    for _ in range(3):
        study(session, NOW, Rating.EASY)
    repo.set_config(db, "alpha", "reviews_per_day", "2")
    later = NOW + timedelta(days=60)
    assert session.counts(later).review == 2
    study(session, later, Rating.GOOD)
    study(session, later, Rating.GOOD)
    assert session.next_card(later) is None


def test_counts_show_new_learning_review(two_decks):
    session = ReviewSession(two_decks, "alpha")
    assert (session.counts(NOW).new, session.counts(NOW).learning) == (3, 0)
    study(session, NOW, Rating.AGAIN)
    counts = session.counts(NOW)
    assert (counts.new, counts.learning, counts.review) == (2, 1, 0)


def test_rehearse_prompt_rotates_through_phrasings(db):
    import_decks(db, [parse(deck_text("Alpha", 1))], NOW)
    repo.set_config(db, None, "card_kinds", "rehearse")
    session = ReviewSession(db)
    prompts, now = [], NOW
    for _ in range(4):
        card = session.next_card(now)
        prompts.append(card.prompt)
        rated = session.rate(card.card_id, Rating.GOOD, now)
        from drill.core import clock

        now = clock.from_ms(rated.record.due)
    assert prompts == [
        "Alpha question 1?",
        "Alpha variant 1a?",
        "Alpha variant 1b?",
        "Alpha question 1?",
    ]


def test_card_kinds_setting_limits_what_is_served(db):
    import_decks(db, [parse(deck_text("Alpha", 1))], NOW)
    repo.set_config(db, "alpha", "card_kinds", "why")
    card = ReviewSession(db).next_card(NOW)
    assert card.kind == CardKind.WHY
    assert card.prompt == "Alpha question 1?"


def test_undo_is_multi_level_and_restores_exactly(two_decks):
    session = ReviewSession(two_decks)
    stack = UndoStack()
    first = session.next_card(NOW)
    before_first = first.record
    stack.push(session.rate(first.card_id, Rating.GOOD, NOW).change)
    after_first = session.study_card(first.card_id).record
    second = session.next_card(NOW)
    stack.push(session.rate(second.card_id, Rating.HARD, NOW + timedelta(seconds=30)).change)
    # Rating the first card again, at an *earlier* time: undo still goes by the order of actions.
    stack.push(session.rate(first.card_id, Rating.AGAIN, NOW - timedelta(hours=1)).change)

    undone = stack.undo(two_decks)
    assert (undone.card_id, undone.rating) == (first.card_id, Rating.AGAIN)
    assert session.study_card(first.card_id).record == after_first
    assert stack.undo(two_decks).card_id == second.card_id
    assert session.study_card(second.card_id).record == second.record
    assert stack.undo(two_decks).card_id == first.card_id
    assert session.study_card(first.card_id).record == before_first
    assert stack.undo(two_decks) is None
    assert two_decks.execute("SELECT count(*) FROM reviews").fetchone()[0] == 0
    # With nothing answered, the first card is served first again.
    assert session.next_card(NOW).card_id == first.card_id


def test_cli_undo_takes_back_the_newest_rating_in_the_database(two_decks):
    session = ReviewSession(two_decks)
    first = session.next_card(NOW)
    session.rate(first.card_id, Rating.GOOD, NOW)
    second = session.next_card(NOW)
    session.rate(second.card_id, Rating.HARD, NOW)
    undone = undo_latest_rating(two_decks)
    assert (undone.card_id, undone.rating) == (second.card_id, Rating.HARD)
    assert undone.message() == (
        f"Undid Hard on card {second.card_id}: “{second.question.question}” "
        f"({second.kind.value} card)."
    )
    assert undo_latest_rating(two_decks).card_id == first.card_id
    assert undo_latest_rating(two_decks) is None


def test_undo_covers_bury_suspend_and_reset_in_order(two_decks):
    session = ReviewSession(two_decks, "alpha")
    stack = UndoStack()
    card = session.next_card(NOW)
    rated = session.rate(card.card_id, Rating.GOOD, NOW)
    stack.push(rated.change)
    rated_state = repo.snapshot_cards(two_decks, [card.card_id])
    reset = session.reset_question("alpha", card.question_id, NOW + timedelta(minutes=1))
    stack.push(reset)
    stack.push(session.suspend_question("alpha", card.question_id))
    other = session.next_card(NOW)
    stack.push(session.bury_question(other.card_id, NOW))
    assert session.next_card(NOW + timedelta(minutes=2)) is not None

    assert stack.undo(two_decks).action == Action.BURY
    assert two_decks.execute("SELECT count(buried_until) FROM cards").fetchone()[0] == 0
    assert stack.undo(two_decks).action == Action.SUSPEND
    assert two_decks.execute("SELECT sum(suspended) FROM cards").fetchone()[0] == 0
    undone = stack.undo(two_decks)
    assert undone.action == Action.RESET and undone.cards == 3
    assert repo.snapshot_cards(two_decks, [card.card_id]) == rated_state
    assert stack.undo(two_decks).action == Action.RATE
    assert two_decks.execute("SELECT count(*) FROM reviews").fetchone()[0] == 0
    assert session.study_card(card.card_id).record == card.record
    assert len(stack) == 0


def test_undo_refuses_when_the_card_changed_since(two_decks):
    session = ReviewSession(two_decks)
    stack = UndoStack()
    card = session.next_card(NOW)
    stack.push(session.rate(card.card_id, Rating.GOOD, NOW).change)
    # Another window rates the card again.
    session.rate(card.card_id, Rating.AGAIN, NOW + timedelta(minutes=1))
    state = repo.snapshot_cards(two_decks, [card.card_id])
    with pytest.raises(UndoError, match="changed since"):
        stack.undo(two_decks)
    assert repo.snapshot_cards(two_decks, [card.card_id]) == state
    assert two_decks.execute("SELECT count(*) FROM reviews").fetchone()[0] == 2
    # The stale change is forgotten: it could never be undone.
    assert len(stack) == 0


def test_undo_messages_name_what_and_which_question(two_decks):
    session = ReviewSession(two_decks, "alpha")
    card = session.next_card(NOW)
    rated = session.rate(card.card_id, Rating.EASY, NOW)
    q = f"“{card.question.question}”"
    assert rated.change.undone_message() == f"Undid Easy on {q} ({card.kind.value} card)"
    assert session.bury_question(card.card_id, NOW).undone_message() == f"Undid bury of {q}"
    suspended = session.suspend(card.card_id)
    assert suspended.undone_message() == f"Undid suspend of {q} ({card.kind.value} card)"
    reset = session.reset_question("alpha", card.question_id, NOW)
    assert reset.undone_message() == f"Undid reset of {q}"
    assert quote("x" * 100).endswith("…”") and len(quote("x" * 100)) == 62


def test_suspend_and_bury(two_decks):
    session = ReviewSession(two_decks, "alpha")
    card = session.next_card(NOW)
    session.suspend(card.card_id)
    nxt = session.next_card(NOW)
    assert nxt.question_id == "q1" and nxt.kind != CardKind.REHEARSE
    session.bury_question(nxt.card_id, NOW)
    assert session.next_card(NOW).question_id == "q2"
    # Tomorrow the buried question is back (the suspended card is not).
    tomorrow = session.next_card(NOW + DAY)
    assert (tomorrow.question_id, tomorrow.kind) == ("q1", CardKind.WHY)
    session.suspend(card.card_id, False)
    assert session.next_card(NOW + DAY).card_id == card.card_id


def test_next_due_when_nothing_is_left(db):
    import_decks(db, [parse(deck_text("Alpha", 1, full=False))], NOW)
    session = ReviewSession(db)
    rated = session.rate(session.next_card(NOW).card_id, Rating.GOOD, NOW)
    from drill.core import clock

    # The 10-minute step is shown early (learn ahead) rather than making you wait.
    assert session.next_card(NOW + timedelta(minutes=1)).card_id == rated.card_id
    assert session.next_due(NOW) == clock.from_ms(rated.record.due)
    graduated = session.rate(rated.card_id, Rating.GOOD, NOW + timedelta(minutes=10))
    assert session.next_card(NOW + timedelta(minutes=11)) is None
    # A review card is available from the start of its due day (4:00 local), not its hour.
    due = clock.from_ms(graduated.record.due)
    assert session.next_due(NOW + timedelta(minutes=11)) == due.replace(
        hour=4, minute=0, second=0, microsecond=0
    )


def test_rating_an_unknown_card_or_other_deck(two_decks):
    with pytest.raises(SessionError):
        ReviewSession(two_decks).rate(999, Rating.GOOD, NOW)
    beta_card = ReviewSession(two_decks, "beta").next_card(NOW)
    with pytest.raises(SessionError):
        ReviewSession(two_decks, "alpha").rate(beta_card.card_id, Rating.GOOD, NOW)


def test_unknown_deck_lists_decks(two_decks):
    with pytest.raises(repo.UnknownDeck, match="decks: alpha, beta"):
        ReviewSession(two_decks, "gamma")


def test_reset_question_starts_afresh_but_keeps_reviews(two_decks):
    session = ReviewSession(two_decks, "alpha")
    card = study(session, NOW, Rating.GOOD)
    assert session.reset_question("alpha", card.question_id, NOW + timedelta(minutes=1)).cards == 3
    fresh = session.study_card(card.card_id)
    assert fresh.state == CardState.NEW and fresh.record.reps == 0
    assert two_decks.execute("SELECT count(*) FROM reviews").fetchone()[0] == 1
    # `drill undo` does not reach back past the reset.
    with pytest.raises(UndoError, match="before its card was reset"):
        undo_latest_rating(two_decks)
    # A history replay starts from the reset: the old review no longer shapes the card.
    from drill.library.history import replay_cards

    replay_cards(two_decks, [card.card_id])
    assert session.study_card(card.card_id).state == CardState.NEW
    rated = session.rate(card.card_id, Rating.GOOD, NOW + timedelta(minutes=2))
    replay_cards(two_decks, [card.card_id])
    assert session.study_card(card.card_id).record.reps == 1
    assert session.study_card(card.card_id).record.due == rated.record.due


def test_suspend_question_in_one_step(two_decks):
    session = ReviewSession(two_decks, "alpha")
    assert session.suspend_question("alpha", "q1").cards == 3
    assert session.next_card(NOW).question_id == "q2"
    assert session.suspend_question("alpha", "q1", False).cards == 3
    assert session.next_card(NOW).question_id == "q1"
