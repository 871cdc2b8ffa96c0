"""Screenshots of the home screen's interview countdowns at 80x24 and 120x40."""

from __future__ import annotations

import pytest

from drill.storage import repo
from tests.tui.helpers import DECK, make_db
from tests.tui.test_snapshots import MORE, app_for, with_history

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]


@pytest.mark.parametrize("size", SIZES)
def test_home_interview_countdowns(snap_compare, size):
    db = with_history(make_db(DECK, MORE))
    repo.set_config(db, "interview-basics", "interview_date", "2026-01-06")
    repo.set_config(
        db, "behavioral-questions-with-a-rather-long-deck-name", "interview_date", "2026-02-19"
    )
    assert snap_compare(app_for(db), terminal_size=size)
