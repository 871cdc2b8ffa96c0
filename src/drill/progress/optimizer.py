"""Fitting FSRS-6 parameters to the user's own reviews, and simulating workload by retention.

Both use fsrs-rs (through `fsrs_rs_python`, imported only when needed). The training data
follows fsrs-rs: for a card with reviews r1..rn, each prefix r1..rk (k >= 2) whose last
review came on a later study day than the one before it is one item, and every review in
it carries (rating, whole study days since the previous review).
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from drill.core import clock
from drill.core.config import StudyConfig
from drill.core.model import CardKind
from drill.core.replay import QUARTER_HOUR_MS, StudyDays
from drill.errors import DrillError
from drill.storage import repo, reviews
from drill.storage.sqlite import write_transaction

if TYPE_CHECKING:
    from fsrs_rs_python import FSRSItem

    from drill.storage.sqlite import Database

# fsrs-rs trains all 21 parameters only from 64 items on; with fewer it fits at most the
# four initial stabilities, which is not worth replacing the defaults for.
MIN_REVIEWS = 64
RETENTIONS = (0.70, 0.75, 0.80, 0.85, 0.90, 0.95)
SIMULATION_DAYS = 365
SIMULATION_SEEDS = 5
# The most efficient retention (fsrs-rs's "minimum recommended retention") is usually the
# lowest one offered; giving up a tenth of that efficiency buys noticeably more knowledge.
NEAR_BEST = 0.9


class OptimizerError(DrillError):
    pass


def default_parameters() -> list[float]:
    """FSRS-6 defaults, as py-fsrs has them (the scheduler's own defaults)."""
    from fsrs.scheduler import DEFAULT_PARAMETERS

    return [float(p) for p in DEFAULT_PARAMETERS]


# -- training data ------------------------------------------------------------------------------


def card_sequences(
    db: Database, deck_ids: Sequence[str] | None, day_starts_at: int
) -> Iterator[list[tuple[int, int]]]:
    """Each reviewed card's history as (rating, study days since its previous review)."""
    current: int | None = None
    sequence: list[tuple[int, int]] = []
    previous_day = 0
    # Counted as replays count them (`StudyDays`: memoised by quarter hour, arithmetic on a
    # miss, which most reviews are).
    study_days = StudyDays(day_starts_at)
    days, quarter = study_days.memo, QUARTER_HOUR_MS
    for card_id, time, rating in reviews.iter_card_ratings(db, deck_ids):
        if card_id != current:
            if sequence:
                yield sequence
            current, sequence = card_id, []
        day = days.get(time // quarter)
        if day is None:
            day = study_days.of(time)
        sequence.append((rating, day - previous_day if sequence else 0))
        previous_day = day
    if sequence:
        yield sequence


def item_sequences(sequences: Iterable[list[tuple[int, int]]]) -> Iterator[list[tuple[int, int]]]:
    """The training prefixes of each card: ending in a review on a later study day."""
    for sequence in sequences:
        for end in range(1, len(sequence)):
            if sequence[end][1] > 0:
                yield sequence[: end + 1]


def training_items(
    db: Database, deck_ids: Sequence[str] | None, day_starts_at: int
) -> tuple[list[FSRSItem], int]:
    """fsrs-rs items for these decks (all when None), and how many cards they come from."""
    from fsrs_rs_python import FSRSItem, FSRSReview

    items: list[FSRSItem] = []
    cards = 0
    for sequence in card_sequences(db, deck_ids, day_starts_at):
        reviews = [FSRSReview(rating, delta) for rating, delta in sequence]
        before = len(items)
        items.extend(
            FSRSItem(reviews[: end + 1]) for end in range(1, len(sequence)) if sequence[end][1] > 0
        )
        cards += len(items) > before
    return items, cards


# -- optimising -----------------------------------------------------------------------------


@dataclass(slots=True)
class OptimizeResult:
    """What `optimize` found and did. Losses are over the same items, before and after."""

    deck: str | None
    reviews: int
    cards: int
    enough: bool
    parameters: list[float]
    parameters_before: list[float]
    log_loss_before: float | None = None
    log_loss_after: float | None = None
    rmse_before: float | None = None
    rmse_after: float | None = None
    improved: bool = False
    saved: bool = False
    rescheduled: int = 0
    dry_run: bool = False
    seconds: float = 0.0

    @property
    def needed(self) -> int:
        return max(0, MIN_REVIEWS - self.reviews)

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["needed"] = self.needed
        data["minimum"] = MIN_REVIEWS
        data["seconds"] = round(self.seconds, 3)
        return data


def _rounded(parameters: Sequence[float]) -> list[float]:
    """Four decimals (as Anki shows them), kept inside the bounds py-fsrs accepts."""
    from fsrs.scheduler import LOWER_BOUNDS_PARAMETERS, UPPER_BOUNDS_PARAMETERS

    return [
        min(max(round(float(p), 4), low), high)
        for p, low, high in zip(
            parameters, LOWER_BOUNDS_PARAMETERS, UPPER_BOUNDS_PARAMETERS, strict=True
        )
    ]


def _scope(db: Database, deck_id: str | None) -> tuple[StudyConfig, list[str] | None]:
    if deck_id is None:
        return repo.collection_config(db), None
    return repo.decks(db, deck_id)[0].config, [deck_id]


def optimize(
    db: Database, now: datetime, *, deck_id: str | None = None, dry_run: bool = False
) -> OptimizeResult:
    """Fit parameters to the history of one deck (or of all decks) and save them if better.

    Without a deck, one set is fitted on all history and saved collection-wide (decks with
    their own `fsrs_parameters` keep them); with a deck, it is saved for that deck. Saving
    reschedules the cards it affects by replaying their history with the new parameters.
    Parameters are saved only when they fit the history better than the ones in effect.
    """
    import time

    from fsrs_rs_python import FSRS

    started = time.perf_counter()
    config, deck_ids = _scope(db, deck_id)
    day_starts_at = repo.collection_config(db).day_starts_at
    current = list(config.fsrs_parameters or default_parameters())
    items, cards = training_items(db, deck_ids, day_starts_at)
    result = OptimizeResult(
        deck=deck_id,
        reviews=len(items),
        cards=cards,
        enough=len(items) >= MIN_REVIEWS,
        parameters=current,
        parameters_before=current,
        dry_run=dry_run,
    )
    if not result.enough:
        result.seconds = time.perf_counter() - started
        return result
    try:
        fitted = FSRS(default_parameters()).compute_parameters(
            items,
            enable_short_term=True,
            num_relearning_steps=len(config.relearning_steps),
        )
        parameters = _rounded(fitted)
        before = FSRS(current).evaluate(items)
        after = FSRS(parameters).evaluate(items)
    except BaseException as exc:
        # fsrs-rs reports bad input as ValueError, and a Rust panic as pyo3's
        # PanicException, which derives from BaseException; let anything else through.
        if not isinstance(exc, ValueError) and type(exc).__name__ != "PanicException":
            raise
        raise OptimizerError(f"the FSRS optimizer failed on this history: {exc}") from None
    result.parameters = parameters
    result.log_loss_before, result.rmse_before = before.log_loss, before.rmse_bins
    result.log_loss_after, result.rmse_after = after.log_loss, after.rmse_bins
    result.improved = after.log_loss < before.log_loss
    if result.improved and not dry_run:
        result.rescheduled = save_parameters(db, now, deck_id, parameters)
        result.saved = True
    result.seconds = time.perf_counter() - started
    return result


def save_parameters(
    db: Database, now: datetime, deck_id: str | None, parameters: Sequence[float]
) -> int:
    """Store parameters for a deck (or collection-wide) and reschedule the affected cards.

    Returns how many cards were rescheduled. A backup is made first (file databases only).
    """
    from drill.library.history import replay_decks
    from drill.storage.backup import backup_before, database_path

    with backup_before(db, database_path(db), "optimize", now), write_transaction(db):
        before = {deck.id: deck.config.fsrs_parameters for deck in repo.decks(db)}
        repo.set_config(db, deck_id, "fsrs_parameters", ",".join(repr(p) for p in parameters))
        changed = [
            deck.id for deck in repo.decks(db) if deck.config.fsrs_parameters != before[deck.id]
        ]
        return replay_decks(db, changed)


# -- the workload simulator -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RetentionRow:
    """Averages over the simulated days for one desired retention."""

    retention: float
    reviews_per_day: float
    new_per_day: float
    minutes_per_day: float
    memorized: float
    memorized_per_minute: float


@dataclass(slots=True)
class RetentionReport:
    deck: str | None
    cards: int
    new_per_day: int
    days: int
    current_retention: float
    parameters: list[float]
    rows: list[RetentionRow] = field(default_factory=list)
    most_efficient: float | None = None
    recommended: float | None = None

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["rows"] = [{k: _round(v) for k, v in asdict(row).items()} for row in self.rows]
        return data


def _round(value: float) -> float:
    return round(value, 4 if value < 10 else 1)


def simulate_retention(
    db: Database,
    now: datetime,
    *,
    deck_id: str | None = None,
    days: int | None = None,
    retentions: Sequence[float] = RETENTIONS,
    seeds: int = SIMULATION_SEEDS,
) -> RetentionReport:
    """Simulate studying the scope's cards from scratch at each desired retention.

    Uses the scope's card count, daily limits, steps and parameters (optimised or default);
    the rating mix comes from the history when there is enough of it. The recommendation is
    the highest retention whose cards memorized per minute of study are within 10% of the
    most efficient one's. Without `days`, the span is until the interview date when one is
    set (at most a year), else a year.
    """
    from fsrs_rs_python import default_simulator_config, simulate

    config, deck_ids = _scope(db, deck_id)
    decks = repo.decks(db, deck_id)
    cards = _card_count(db, deck_ids)
    if cards == 0:
        raise OptimizerError("no cards to simulate (import a deck first)")
    if days is None:
        # An interview years away is simulated for a year: the recommendation would not
        # change, and each simulated day costs time.
        days = min(_days_until_interview(config, now) or SIMULATION_DAYS, SIMULATION_DAYS)
    parameters = list(config.fsrs_parameters or default_parameters())
    learn_limit = sum(d.config.new_per_day for d in decks)
    sim = default_simulator_config()
    sim.deck_size = cards
    sim.learn_span = days
    sim.learn_limit = learn_limit
    sim.review_limit = sum(d.config.reviews_per_day for d in decks)
    sim.max_ivl = float(config.maximum_interval)
    sim.learning_step_count = len(config.steps(CardKind.REHEARSE))
    sim.relearning_step_count = len(config.relearning_steps)
    first, later = _rating_mix(db, deck_ids)
    if first is not None:
        sim.first_rating_prob = first
    if later is not None:
        sim.review_rating_prob = later

    report = RetentionReport(
        deck=deck_id,
        cards=cards,
        new_per_day=learn_limit,
        days=days,
        current_retention=config.desired_retention,
        parameters=parameters,
    )
    for retention in retentions:
        runs = [simulate(parameters, retention, sim, seed) for seed in range(seeds)]
        reviews = statistics.fmean(statistics.fmean(r.review_cnt_per_day) for r in runs)
        learned = statistics.fmean(statistics.fmean(r.learn_cnt_per_day) for r in runs)
        minutes = statistics.fmean(statistics.fmean(r.cost_per_day) for r in runs) / 60
        memorized = statistics.fmean(r.memorized_cnt_per_day[-1] for r in runs)
        total_minutes = minutes * days
        report.rows.append(
            RetentionRow(
                retention=retention,
                reviews_per_day=reviews,
                new_per_day=learned,
                minutes_per_day=minutes,
                memorized=memorized,
                memorized_per_minute=memorized / total_minutes if total_minutes else 0.0,
            )
        )
    if report.rows:
        best = max(report.rows, key=lambda row: (row.memorized_per_minute, row.retention))
        report.most_efficient = best.retention
        good_enough = NEAR_BEST * best.memorized_per_minute
        report.recommended = max(
            row.retention for row in report.rows if row.memorized_per_minute >= good_enough
        )
    return report


def _card_count(db: Database, deck_ids: Sequence[str] | None) -> int:
    return repo.count_active_cards(db, None if deck_ids is None else deck_ids[0])


def _days_until_interview(config: StudyConfig, now: datetime) -> int | None:
    if config.interview_date is None:
        return None
    today = clock.study_date(now, config.day_starts_at)
    left = (config.interview_date - today).days
    return left if left > 0 else None


# Below this many first (or later) reviews, the simulator's own rating mix is used.
_MIX_MINIMUM = 50


def _rating_mix(
    db: Database, deck_ids: Sequence[str] | None
) -> tuple[list[float] | None, list[float] | None]:
    """The user's rating frequencies: first reviews (4), and passed reviews (hard-easy)."""
    counts = reviews.rating_counts(db, None if deck_ids is None else deck_ids[0])
    first = [counts.get((0, r), 0) for r in (1, 2, 3, 4)]
    later = [counts.get((2, r), 0) for r in (2, 3, 4)]
    return _mix(first), _mix(later)


def _mix(counts: list[int]) -> list[float] | None:
    total = sum(counts)
    if total < _MIX_MINIMUM:
        return None
    # Add-one smoothing: a rating never pressed yet is still possible.
    return [(n + 1) / (total + len(counts)) for n in counts]
