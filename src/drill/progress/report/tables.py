"""What every report format shares: the deck table's columns and the glossary."""

from __future__ import annotations

from drill.core.format import percent
from drill.progress.stats import Figures

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
