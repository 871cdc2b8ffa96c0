"""The report's "Answers" and "Leeches" sections (HTML and Markdown), escaped."""

from __future__ import annotations

from datetime import timedelta

import pytest

from drill.core.model import CardKind, Rating
from drill.library.importing import import_decks
from drill.progress import report, stats
from drill.progress.insights import answer_figures
from drill.storage import repo
from drill.study import answers
from drill.study.session import ReviewSession
from tests.helpers import NOW, parse

HOSTILE = "<script>alert('x')</script> & | pipes"
DECK = f"""# Report deck

## Tell me about a time you failed {HOSTILE}?
id: failed
tags: behavioral

### Approach
Own it.

## Why this job?
id: why
"""

WEAK = "We planned it and, um, we, like, shipped it. Um, the team did it, you know."
GOOD = (
    "Last spring I ran the rota at a depot. My job was to cut late shifts. I built a swap "
    "list and trained six leads. Late shifts fell from eight to two a month."
)


@pytest.fixture
def report_db(db):
    import_decks(db, [parse(DECK)], NOW)
    answers.save_answer(db, "report-deck", "failed", WEAK, "cli", NOW - timedelta(days=8))
    answers.save_answer(db, "report-deck", "why", GOOD, "cli", NOW - timedelta(days=1))
    for key, value in (("learning_steps", "none"), ("relearning_steps", "none")):
        repo.set_config(db, None, key, value)
    repo.set_config(db, None, "leech_threshold", "1")
    card = next(
        c.id
        for c in repo.question_cards(db, "report-deck", "failed")
        if c.kind == CardKind.REHEARSE
    )
    session = ReviewSession(db)
    session.rate(card, Rating.GOOD, NOW - timedelta(days=6))
    session.rate(card, Rating.AGAIN, NOW - timedelta(days=2))
    return db


def test_answer_figures(report_db):
    found = answer_figures(report_db, NOW)
    assert (found.studied, found.answered, found.versions) == (1, 2, 2)
    # NOW is a Monday: the answers fall in the two weeks before this one.
    assert [w.answers for w in found.weeks[-3:]] == [1, 1, 0]
    assert found.weeks[-1].mean is None and found.weeks[-2].mean is not None
    assert found.fillers[0] == ("um", 2)
    assert [(g.question_id, g.missing) for g in found.gaps] == [
        ("failed", ("a result", "what you did"))
    ]


def test_html_has_answers_and_leeches_escaped(report_db):
    data = stats.collect(report_db, NOW, with_answers=True)
    html = report.render_html(data)
    assert "<h2>Answers</h2>" in html and "<h2>Leeches</h2>" in html
    assert "Mean rubric score per week" in html
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert "drill mock --question report-deck/failed" in html


def test_markdown_has_answers_and_leeches_escaped(report_db):
    data = stats.collect(report_db, NOW, with_answers=True)
    md = report.render_markdown(data)
    assert "## Answers" in md and "## Leeches" in md
    assert 'Answers with no result or no "I":' in md
    assert "<script>" not in md


def test_stats_json_stays_without_answers(report_db):
    data = stats.collect(report_db, NOW)
    assert data.answers is None
    assert "answers" not in data.to_json()
    assert [leech["question_id"] for leech in data.to_json()["leeches"]] == ["failed"]
