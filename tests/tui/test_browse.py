"""Pilot flows through browse and the question page: search, suspend, reset, details."""

from __future__ import annotations

from textual.widgets import DataTable

from drill.study import answers
from drill.tui.screens.answer_editor import AnswerEditor
from drill.tui.screens.browse import BrowseScreen
from drill.tui.screens.confirm import ConfirmScreen
from drill.tui.screens.question import QuestionScreen
from drill.tui.widgets.question_list import QuestionList
from tests.tui.helpers import NOW, screen_text


def shown(app) -> list[str]:
    assert isinstance(app.screen, BrowseScreen)
    entries = app.screen.entries
    return [entries[i].question_id for i in app.screen.query_one(QuestionList).shown]


def first_row(app) -> str:
    """The text of the list's first row as drawn (line 0 is the header)."""
    return app.screen.query_one(QuestionList).render_line(1).text


async def open_browse(app, pilot) -> None:
    await pilot.press("b")
    assert isinstance(app.screen, BrowseScreen)


async def search(pilot, text: str) -> None:
    await pilot.press("slash", *("space" if c == " " else c for c in text))


async def test_browse_lists_every_question(app_factory):
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_browse(app, pilot)
        assert shown(app) == ["about-yourself", "why-this-job", "weakness"]
        assert "3 questions" in screen_text(app)


async def test_search_filters_by_text_variants_and_tags(app_factory):
    app = app_factory()
    async with app.run_test() as pilot:
        await open_browse(app, pilot)
        await search(pilot, "weak")
        assert shown(app) == ["weakness"]
        assert "1 of 3 questions" in screen_text(app)
        await pilot.press(*["backspace"] * 4, *"resume")
        assert shown(app) == ["about-yourself"]  # a variant
        await pilot.press(*["backspace"] * 6, *"motivation")
        assert shown(app) == ["why-this-job"]  # a tag
        await pilot.press(*["backspace"] * 10, *"zzz")
        assert shown(app) == []


async def test_typing_s_in_the_search_box_does_not_suspend(app_factory, db):
    app = app_factory()
    async with app.run_test() as pilot:
        await open_browse(app, pilot)
        await search(pilot, "s")
        assert db.execute("SELECT sum(suspended) FROM cards").fetchone()[0] == 0
        # Enter leaves the search box for the results; escape goes back there too.
        await pilot.press("enter")
        assert app.screen.query_one(QuestionList).has_focus


async def test_suspend_and_unsuspend_a_question(app_factory, db):
    app = app_factory()
    async with app.run_test() as pilot:
        await open_browse(app, pilot)
        await pilot.press("s")
        rows = db.execute(
            "SELECT suspended FROM cards WHERE question_id = 'about-yourself'"
        ).fetchall()
        assert rows == [(1,), (1,), (1,)]
        await pilot.pause()
        assert "suspended" in first_row(app)
        await pilot.press("s")
        assert db.execute(
            "SELECT sum(suspended) FROM cards WHERE question_id = 'about-yourself'"
        ).fetchone() == (0,)


async def test_reset_asks_first_and_keeps_history(app_factory, db):
    app = app_factory()
    async with app.run_test() as pilot:
        # Review the first card, then reset its question from the browser.
        await pilot.press("enter", "space", "3", "q", "q")
        await open_browse(app, pilot)
        await pilot.press("r")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        assert isinstance(app.screen, BrowseScreen)
        assert db.execute("SELECT max(reps) FROM cards").fetchone() == (1,)
        await pilot.press("r")
        await pilot.press("y")
        assert isinstance(app.screen, BrowseScreen)
        assert db.execute("SELECT max(reps), max(state), count(due) FROM cards").fetchone() == (
            0,
            0,
            0,
        )
        assert db.execute("SELECT count(*) FROM reviews").fetchone() == (1,)


async def test_question_page_shows_notes_stats_history_and_answers(app_factory, db):
    answers.save_answer(db, "interview-basics", "about-yourself", "My pitch", "cli", NOW)
    app = app_factory()
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("enter", "space", "3", "q", "q")
        await open_browse(app, pilot)
        await pilot.press("enter")
        assert isinstance(app.screen, QuestionScreen)
        text = screen_text(app)
        for part in (
            "Tell me about yourself.",
            "Walk me through your resume.",
            "Why they ask",
            "Approach",
            "Tags: intro, opener",
            "Cards",
            "Review history",
            "My pitch",
        ):
            assert part in text
        cards = app.screen.query_one("#cards-table", DataTable)
        assert cards.row_count == 3
        first = [str(c) for c in cards.get_row_at(0)]
        assert first[:2] == ["rehearse", "review"]  # no learning step: Good is a review
        assert first[2] == "2026-01-07 10:00"  # next due
        reviews = app.screen.query_one("#reviews-table", DataTable)
        assert [str(c) for c in reviews.get_row_at(0)][:3] == [
            "2026-01-05 10:00",
            "rehearse",
            "Good",
        ]


async def test_question_page_coaches_the_latest_answer_and_lines_up_every_version(app_factory, db):
    from drill.tui.widgets.insights import InsightsPanel
    from tests.tui.helpers import coach_text

    first = "Um, basically I talk to people, you know."
    latest = (
        "I'm a charge nurse at a 40-bed ward. Last spring I rebuilt our triage handover, and "
        "waiting times fell from 50 minutes to 30 within two months."
    )
    answers.save_answer(db, "interview-basics", "about-yourself", first, "cli", NOW)
    answers.save_answer(db, "interview-basics", "about-yourself", latest, "cli", NOW)
    app = app_factory()
    async with app.run_test(size=(100, 40)) as pilot:
        await open_browse(app, pilot)
        await pilot.press("enter")
        assert isinstance(app.screen, QuestionScreen)
        panel = app.screen.query_one(InsightsPanel)
        assert panel.insights.text == latest
        assert panel.region.height > 5  # shown, not folded to nothing
        assert "Fillers   none" in coach_text(app)
        # The trend: one line per version, newest first, as drill answer --history.
        summaries = [str(w.render()) for w in app.screen.query(".version-summary")]
        assert len(summaries) == 2
        assert summaries[0].startswith("28 words") and "0 fillers" in summaries[0]
        assert summaries[1].startswith("8 words") and "3 fillers" in summaries[1]


async def test_question_page_edit_answer_adds_a_version(app_factory, db):
    app = app_factory()
    async with app.run_test() as pilot:
        await open_browse(app, pilot)
        await pilot.press("enter", "e")
        assert isinstance(app.screen, AnswerEditor)
        await pilot.press(*"Hello", "ctrl+s")
        assert isinstance(app.screen, QuestionScreen)
        history = answers.history(db, "interview-basics", "about-yourself")
        assert [(v.text, v.source) for v in history] == [("Hello", "editor")]
        assert "Hello" in screen_text(app)
        await pilot.press("escape")
        assert isinstance(app.screen, BrowseScreen)


async def test_question_page_suspend_and_reset(app_factory, db):
    app = app_factory()
    async with app.run_test() as pilot:
        await open_browse(app, pilot)
        await pilot.press("enter", "s")
        assert db.execute(
            "SELECT min(suspended) FROM cards WHERE question_id = 'about-yourself'"
        ).fetchone() == (1,)
        states = app.screen.query_one("#cards-table", DataTable).get_column_at(1)
        assert [str(s) for s in states] == ["suspended"] * 3
        await pilot.press("escape")
        # The browser shows the change made on the question page.
        await pilot.pause()
        assert "suspended" in first_row(app)


# -- whole questions, one deck, many questions ----------------------------------------------------

LONG = """\
# Behavioral
Long questions that differ only at the end.

## Tell me about a time you disagreed with your manager about a priority and what you did.
id: disagree

## Tell me about a time you missed a deadline that mattered to a customer and how you recovered.
id: deadline
"""


def rows_text(app) -> list[str]:
    """Every line the list draws on screen, header first."""
    question_list = app.screen.query_one(QuestionList)
    return [question_list.render_line(y).text for y in range(question_list.size.height)]


async def test_long_questions_wrap_whole_at_every_size(db):
    from tests.tui.helpers import Clock, add_deck

    add_deck(db, LONG)
    for size in ((60, 20), (80, 24), (120, 40)):
        from drill.tui.app import make_app

        clock = Clock()
        app = make_app(db, now=clock.now, timer=clock.timer)
        async with app.run_test(size=size) as pilot:
            await open_browse(app, pilot)
            await search(pilot, "tell me about a time")
            await pilot.press("enter")
            drawn = " ".join(" ".join(line.split()) for line in rows_text(app))
            for ending in ("and what you did.", "and how you recovered."):
                assert ending in drawn, (size, drawn)


async def test_d_shows_one_deck_then_the_next_then_all(db):
    from drill.tui.app import make_app
    from tests.tui.helpers import Clock, add_deck

    add_deck(db, LONG)
    clock = Clock()
    app = make_app(db, now=clock.now, timer=clock.timer)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_browse(app, pilot)
        assert rows_text(app)[0].split()[0] == "Deck"
        await pilot.press("d")
        assert shown(app) == ["about-yourself", "why-this-job", "weakness"]
        assert "3 questions in Interview basics" in screen_text(app)
        # One deck: its name is not repeated on every row, the question has the width.
        assert rows_text(app)[0].split()[0] == "Question"
        await pilot.press("d")
        assert shown(app) == ["disagree", "deadline"]
        await search(pilot, "deadline")
        assert shown(app) == ["deadline"]
        await pilot.press("enter", "d")
        assert shown(app) == ["deadline"]  # all decks, still searching
        assert rows_text(app)[0].split()[0] == "Deck"


async def test_the_cursor_moves_and_scrolls_and_enter_opens_that_question(db):
    from drill.tui.app import make_app
    from tests.tui.helpers import Clock, add_deck

    add_deck(db, many_questions(60))
    clock = Clock()
    app = make_app(db, now=clock.now, timer=clock.timer)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_browse(app, pilot)
        await pilot.press("end")
        assert "Question 59 of many?" in " ".join(rows_text(app))
        await pilot.press("pageup", "up", "home", "down", "enter")
        assert isinstance(app.screen, QuestionScreen)
        assert app.screen.question_id == "why-this-job"


def many_questions(count: int) -> str:
    return "# Many\n\n" + "\n".join(f"## Question {i} of many?\nid: m{i}\n" for i in range(count))


async def test_a_big_collection_reads_cards_only_for_the_rows_drawn(db, monkeypatch):
    """Not timed (scripts/bench.py times it): opening and searching 3,000 questions asks for
    the cards of the rows on screen only, and a growing query narrows the last matches.
    """
    from drill.tui.app import make_app
    from drill.tui.screens import browse
    from tests.tui.helpers import Clock, add_deck

    add_deck(db, many_questions(3000))
    asked: list[str] = []
    real_cards = browse.entry_cards
    monkeypatch.setattr(
        browse, "entry_cards", lambda db, deck, qid: asked.append(qid) or real_cards(db, deck, qid)
    )
    searched: list[int] = []
    real_matching = browse.matching
    monkeypatch.setattr(
        browse,
        "matching",
        lambda entries, words, among=None: (
            searched.append(len(entries) if among is None else len(among))
            or real_matching(entries, words, among)
        ),
    )
    clock = Clock()
    app = make_app(db, now=clock.now, timer=clock.timer)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_browse(app, pilot)
        assert len(app.screen.entries) == 3003
        assert 0 < len(asked) <= 24
        assert "3,003 questions" in screen_text(app)
        await search(pilot, "question 2")
        assert shown(app)[:3] == ["m2", "m12", "m20"]
        # Each keystroke after the first filtered only what the one before matched.
        assert searched[0] == 3003 and searched == sorted(searched, reverse=True)
        assert min(searched) < 3003 and len(searched) <= 1 + len("question 2")
        assert f"{len(shown(app)):,} of 3,003 questions" in screen_text(app)
        assert len(asked) <= 3 * 24


def test_the_ascii_wrap_equals_the_word_by_word_rule():
    """`wrap` breaks ASCII text with string searches; it must give the lines the greedy
    word-by-word rule gives (which non-ASCII text uses).
    """
    import random
    import string

    from drill.tui import text as tui_text

    def word_by_word(line: str, width: int) -> list[str]:
        lines, words, used = [], [], 0
        for word in line.split():
            while len(word) > width:
                if words:
                    lines.append(" ".join(words))
                    words, used = [], 0
                lines.append(word[:width])
                word = word[width:]
            if words and used + 1 + len(word) > width:
                lines.append(" ".join(words))
                words, used = [], 0
            used += len(word) + (1 if words else 0)
            words.append(word)
        if words or not lines:
            lines.append(" ".join(words))
        return lines

    rng = random.Random(4)
    for _ in range(3000):
        words = [
            "".join(rng.choice(string.ascii_letters) for _ in range(rng.choice((1, 3, 8, 21))))
            for _ in range(rng.randrange(0, 14))
        ]
        line = rng.choice((" ", "  ", " \t")).join(words)
        width = rng.randrange(1, 40)
        assert tui_text.wrap(line, width) == word_by_word(line, width), (line, width)
    assert tui_text.wrap("日本語のテキストです", 6) == ["日本語", "のテキ", "ストで", "す"]


async def test_question_page_lists_notes_typed_on_other_cards(app_factory, db):
    from drill.core.model import CardKind

    answers.save_note(
        db, "interview-basics", "about-yourself", CardKind.WHY, "A quick picture.", NOW
    )
    app = app_factory()
    async with app.run_test() as pilot:
        await pilot.press("b", "enter")
        assert isinstance(app.screen, QuestionScreen)
        text = screen_text(app)
        assert "Your notes on its other cards" in text
        assert "A quick picture." in text
        assert "why card" in text


async def test_letters_typed_at_once_after_slash_all_reach_the_search(app_factory, db):
    """A fast typist's `/weak` arrives in one read: no letter may go to the list (where `s`
    would suspend a question) before the search box has the focus."""
    from textual import events

    app = app_factory()
    async with app.run_test() as pilot:
        await open_browse(app, pilot)
        for key, char in [("slash", "/"), ("w", "w"), ("e", "e"), ("s", "s"), ("a", "a")]:
            app.post_message(events.Key(key, char))
        await pilot.pause()
        assert app.screen.query_one("#search").value == "wesa"
        assert db.execute("SELECT sum(suspended) FROM cards").fetchone()[0] == 0


async def test_a_slash_in_the_search_box_is_searched_for(app_factory):
    app = app_factory()
    async with app.run_test() as pilot:
        await open_browse(app, pilot)
        await pilot.press("slash", "c", "i", "slash", "c", "d")
        assert app.screen.query_one("#search").value == "ci/cd"
