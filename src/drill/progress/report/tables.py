"""What every report format shares: the deck table's columns, the coach's lines and tables
(the interview, answers written, weakest questions, mocks) and the glossary.
"""

from __future__ import annotations

from drill.core.format import duration, long_date, long_moment, moment, percent, plural
from drill.progress.stats import Figures, Interview, MockResult, Stats, WeakQuestion

# The deck table of the Markdown and HTML reports: the name, then these figures.
DECK_COLUMNS = (
    "Questions",
    "Mastered",
    "Reviews",
    "Today",
    "Retention 30 d",
    "Retention all",
    "Recall",
    "Due 7 d",
)


def deck_figures(f: Figures) -> tuple[str, ...]:
    """A deck's row in the report tables, in DECK_COLUMNS order."""
    return (
        f"{f.questions:,}",
        f"{f.mastered_questions:,}",
        f"{f.total_reviews:,}",
        f"{f.today.reviewed:,}",
        percent(f.true_retention.last_30d),
        percent(f.true_retention.all),
        percent(f.mean_retrievability),
        f"{f.due_next_7_days:,}",
    )


DEFINITIONS = (
    (
        "True retention",
        "the share of reviews of cards already in review that were not rated Again.",
    ),
    ("Mean recall", "the average FSRS probability of recalling each reviewed card now."),
    ("Mastered", "every active card of the question has a stability of 21 days or more."),
    ("Due", "learning and review cards falling due each day; overdue cards count today."),
)


# -- for a coach ---------------------------------------------------------------------------------


def generated(data: Stats) -> str:
    """ "Generated Monday 5 January 2026 at 10:00" (local time)."""
    return f"Generated {long_moment(data.generated_at)}"


def interview_line(interview: Interview, *, with_deck: bool = True, labelled: bool = False) -> str:
    """ "Interview in 10 days (Thursday 15 January 2026) · Sample deck · 67% of questions
    seen · 80% expected recall on the day"; `labelled` leaves out "Interview " for a line that
    already says so.
    """
    c = interview.countdown
    when = f"in {plural(c.days_left, 'day')} ({long_date(c.date)})"
    parts = [when if labelled else f"Interview {when}"]
    if with_deck:
        parts.append(interview.name)
    parts.append(f"{c.seen:.0%} of questions seen")
    if c.retrievability is not None:
        parts.append(f"{c.retrievability:.0%} expected recall on the day")
    return " · ".join(parts)


def answers_line(f: Figures) -> str:
    """ "2 of 3 questions have a written answer"."""
    verb = "has" if f.questions == 1 else "have"
    return f"{f.answers_written:,} of {f.questions:,} questions {verb} a written answer"


WEAK_COLUMNS = ("Question", "Deck", "Lapses", "Recall now", "Written answer")


def weak_row(weak: WeakQuestion, deck_names: dict[str, str]) -> tuple[str, ...]:
    """A weakest question's row, in WEAK_COLUMNS order (question and deck not escaped)."""
    return (
        weak.question,
        deck_names.get(weak.deck, weak.deck),
        f"{weak.lapses:,}",
        percent(weak.retrievability),
        "yes" if weak.answered else "no",
    )


WEAK_NOTE = "Most lapses (forgotten after being learned) first, then lowest chance of recall now."

MOCK_COLUMNS = (
    "When",
    "Questions",
    "Answered",
    "In time",
    "Again/Hard/Good/Easy",
    "Mean time (of allowed)",
)


def mock_row(result: MockResult) -> tuple[str, ...]:
    """A mock's row, in MOCK_COLUMNS order."""
    again, hard, good, easy = result.ratings
    ratings = f"{again}/{hard}/{good}/{easy}" if result.rated else "not rated"
    return (
        moment(result.started_at),
        f"{result.questions:,}",
        f"{result.answered:,}",
        f"{result.in_time:,}",
        ratings,
        f"{duration(result.mean_time_ms)} of {duration(result.mean_limit_ms)}",
    )


def mocks_line(data: Stats) -> str:
    """ "3 mock interviews; the latest 3:" or how to run the first."""
    count = data.mocks.count
    if not count:
        return "No mock interviews yet: drill mock (or m on the home screen) runs one."
    shown = len(data.mocks.recent)
    latest = "" if shown == count else f"; the latest {shown}"
    return f"{plural(count, 'mock interview')}{latest}:"
