#!/usr/bin/env python3
"""Anki's own backend (the `anki` package, a Rust core) as the peer of `scripts/bench.py`.

Each command builds or measures one Anki collection and prints one JSON object, so the bench
runs it in a fresh process, just as it runs drill:

    python scripts/anki_peer.py import COL TXT            # time import_csv of a text export
    python scripts/anki_peer.py build COL TXT DRILL_DB    # same notes, drill's cards and reviews
    python scripts/anki_peer.py next-rate COL ROUNDS      # next card + Good, per round
    python scripts/anki_peer.py stats COL DAYS REPEAT     # the statistics screen's query
    python scripts/anki_peer.py recompute COL             # memory states and due dates of
                                                          # every card, from its revlog
    python scripts/anki_peer.py optimize COL              # fit FSRS parameters, then that

The collection uses drill's note type (the same ten fields and three card templates that
`drill export deck --format apkg` writes), so N questions are N notes and the same cards.
Reviews are not answered through the scheduler (far too slow for a million): `build` copies
drill's review log into `revlog` and each card's FSRS state into `cards`, with
`col.db.executemany`. The deck runs FSRS with limits of 9999 a day and buries siblings, as
drill does.

Needs `pip install -e '.[bench]'` (Anki 25 or later).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sqlite3
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

if TYPE_CHECKING:
    from anki.collection import Collection

MISSING = "anki not installed: pip install -e '.[bench]'"
DAY_S = 86_400
LIMIT = 9999
# drill's card kind -> the Anki card template (ord) of drill's note type.
ORD_OF_KIND = {"rehearse": 0, "why": 1, "dos": 2}
# drill's FSRS state before a review -> Anki's revlog type (0 learn, 1 review, 2 relearn).
REVLOG_TYPE = {0: 0, 1: 0, 2: 1, 3: 2}


def available() -> bool:
    return importlib.util.find_spec("anki") is not None


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


# -- building ------------------------------------------------------------------------------


def new_collection(path: Path) -> Collection:
    """An empty collection with drill's note type, FSRS on, and a creation day long ago."""
    from anki.collection import Collection

    from drill.io.anki.package import FIELDS, NOTETYPE_NAME
    from drill.io.anki.writer import TEMPLATES

    for stale in (path, path.with_name(path.name + "-wal")):
        stale.unlink(missing_ok=True)
    col = Collection(str(path))
    # Review cards are due on a day counted from the creation day; start it before any review.
    col.crt = col.crt - 3 * 365 * DAY_S
    models = col.models
    notetype = models.new(NOTETYPE_NAME)
    for name in FIELDS:
        models.add_field(notetype, models.new_field(name))
    for name, front, back in TEMPLATES:
        template = models.new_template(name)
        template["qfmt"], template["afmt"] = front, back
        models.add_template(notetype, template)
    models.add(notetype)
    col.set_config("fsrs", True)
    return col


def import_text(col: Collection, txt: Path) -> tuple[float, float]:
    """(seconds, CPU seconds) to read the file's metadata and import it (what Anki's import
    dialog does). CPU time counts every thread of the process.
    """
    from anki.collection import ImportCsvRequest

    start, cpu = time.perf_counter(), time.process_time()
    metadata = col.get_csv_metadata(str(txt), None)
    col.import_csv(ImportCsvRequest(path=str(txt), metadata=metadata))
    return time.perf_counter() - start, time.process_time() - cpu


def configure(col: Collection) -> int:
    """Raise the study deck's daily limits, bury siblings (as drill does), and select it."""
    did = max(
        (d.id for d in col.decks.all_names_and_ids() if d.name != "Default"),
        key=lambda i: col.decks.card_count(i, include_subdecks=False),
    )
    conf = col.decks.config_dict_for_deck_id(did)
    conf["new"]["perDay"] = LIMIT
    conf["rev"]["perDay"] = LIMIT
    conf["new"]["bury"] = True
    conf["rev"]["bury"] = True
    conf["buryInterdayLearning"] = True
    col.decks.save(conf)
    col.decks.select(did)
    return did


def _card_map(col: Collection) -> dict[tuple[str, str], int]:
    """(drill question id, kind) -> Anki card id, through the note's `Drill id` field."""
    from drill.io.anki.package import FIELDS, ID_FIELD

    id_index = FIELDS.index(ID_FIELD)
    kind_of = {ord_: kind for kind, ord_ in ORD_OF_KIND.items()}
    out: dict[tuple[str, str], int] = {}
    for cid, ord_, flds in col.db.execute(
        "SELECT c.id, c.ord, n.flds FROM cards c JOIN notes n ON n.id = c.nid"
    ):
        drill_id = flds.split("\x1f")[id_index]
        question_id = drill_id.rpartition("/")[2]
        out[(question_id, kind_of[ord_])] = cid
    return out


def _ivl(state: dict[str, Any] | tuple[Any, ...], at_ms: int) -> int:
    """Anki's interval after a review: days for review cards, minus seconds while learning."""
    kind, due = (state["state"], state["due"]) if isinstance(state, dict) else state[:2]
    if due is None:
        return 0
    if kind == 2:
        return max(1, round((due - at_ms) / 86_400_000))
    return -max(1, (due - at_ms) // 1000)


def _drill_reviews(drill_db: Path) -> list[Any]:
    """drill's reviews of the bench deck, card by card in time order, each with the card's
    state before it (which drill recomputes for imported reviews, as its Anki export does).
    """
    from drill.library.history import with_states_before
    from drill.storage import reviews
    from drill.storage.db import open_database

    db = open_database(drill_db, create=False)
    try:
        return with_states_before(db, reviews.deck_reviews(db, "bench"))
    finally:
        db.close()


def load_history(col: Collection, drill_db: Path) -> tuple[int, int]:
    """Copy drill's review log and card states into the collection, and close it.

    Returns how many reviews and cards were copied.
    """
    cards = _card_map(col)
    crt = col.crt
    source = sqlite3.connect(f"file:{drill_db}?mode=ro", uri=True)
    final: dict[int, tuple[Any, ...]] = {}
    card_rows = []
    for qid, kind, state, due, last, stab, diff, reps, lapses in source.execute(
        "SELECT question_id, kind, state, due, last_review, stability, difficulty, reps, "
        "lapses FROM cards"
    ):
        cid = cards[(qid, kind)]
        final[cid] = (state, due)
        if state == 0:
            continue
        data = json.dumps({"s": stab, "d": diff, "dr": 0.9, "lrt": (last or 0) // 1000})
        if state == 2:
            ivl = max(1, round(((due or 0) - (last or 0)) / 86_400_000))
            row = (2, 2, ((due or 0) // 1000 - crt) // DAY_S, ivl, 0)
        else:  # learning (1) or relearning (3): due is a time today, in seconds
            row = (state, 1, (due or 0) // 1000, 0 if state == 1 else 1, 1)
        card_rows.append((*row, reps, lapses, data, cid))

    revlog = []
    used: set[int] = set()
    previous: dict[int, int] = {}  # card id -> index of its latest revlog row so far
    names = dict(
        ((card_id, (qid, kind)) for card_id, qid, kind in source.execute(
            "SELECT id, question_id, kind FROM cards"
        ))
    )  # fmt: skip
    for card_id, when, rating, review_state, duration, before in _drill_reviews(drill_db):
        qid, kind = names[card_id]
        cid = cards[(qid, kind)]
        # The state before this review is the state after the card's previous one.
        last_ivl = 0
        if cid in previous:
            index = previous[cid]
            last_ivl = revlog[index][4] = _ivl(json.loads(before), revlog[index][0])
        rid = when
        while rid in used:  # revlog ids are unique; drill only keeps times unique per card
            rid += 1
        used.add(rid)
        revlog.append(
            [rid, cid, -1, rating, 0, last_ivl, 2500, min(duration or 0, 60_000),
             REVLOG_TYPE[review_state]]
        )  # fmt: skip
        previous[cid] = len(revlog) - 1
    for cid, index in previous.items():
        revlog[index][4] = _ivl(final[cid], revlog[index][0])
    source.close()

    # col.db commits row by row (minutes for a million); write in one transaction instead,
    # with the collection closed. Neither table uses Anki's own collations.
    path = col.path
    col.close()
    target = sqlite3.connect(path, isolation_level=None)
    target.execute("BEGIN")
    target.executemany("INSERT INTO revlog VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", revlog)
    target.executemany(
        "UPDATE cards SET type = ?, queue = ?, due = ?, ivl = ?, left = ?, factor = 2500, "
        "reps = ?, lapses = ?, data = ?, mod = 0, usn = -1 WHERE id = ?",
        card_rows,
    )
    target.execute("COMMIT")
    target.close()
    return len(revlog), len(card_rows)


# -- measuring -----------------------------------------------------------------------------


def next_rate(col: Collection, rounds: int) -> list[float]:
    """Milliseconds for each round of: next card from the queue, rate it Good."""
    from anki.scheduler.v3 import CardAnswer

    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        queued = col.sched.get_queued_cards(fetch_limit=1)
        if not queued.cards:
            break
        top = queued.cards[0]
        card = col.get_card(top.card.id)
        card.start_timer()
        answer = col.sched.build_answer(card=card, states=top.states, rating=CardAnswer.GOOD)
        col.sched.answer_card(answer)
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def stats_query(col: Collection, days: int, repeat: int) -> float:
    """Best seconds of the query behind Anki's statistics screen, over the whole collection."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        col._backend.graphs(search="", days=days)
        best = min(best, time.perf_counter() - start)
    return best


def _update_params(col: Collection, params: list[float]) -> float:
    """Seconds for Anki to save new FSRS parameters for the study deck's preset and
    reschedule its cards: every card's memory state is recomputed from its review log and
    its due date set from it (the deck options' "Reschedule cards on change").
    """
    from anki.decks import UpdateDeckConfigs, UpdateDeckConfigsMode

    did = col.decks.selected()
    configs = col.decks.get_deck_configs_for_update(did)
    current = configs.current_deck.config_id
    config = next(c.config for c in configs.all_config if c.config.id == current)
    del config.config.fsrs_params_6[:]
    config.config.fsrs_params_6.extend(params)
    request = UpdateDeckConfigs(
        target_deck_id=did,
        configs=[config],
        removed_config_ids=[],
        mode=UpdateDeckConfigsMode.UPDATE_DECK_CONFIGS_MODE_NORMAL,
        card_state_customizer=configs.card_state_customizer,
        limits=configs.current_deck.limits,
        new_cards_ignore_review_limit=configs.new_cards_ignore_review_limit,
        fsrs=True,
        apply_all_parent_limits=configs.apply_all_parent_limits,
        fsrs_reschedule=True,
        fsrs_health_check=False,
    )
    start = time.perf_counter()
    col.decks.update_deck_configs(request)
    return time.perf_counter() - start


def recompute(col: Collection) -> dict[str, Any]:
    """Anki recomputing and rescheduling every card from its review log (new parameters:
    py-fsrs's defaults, which the collection did not use).
    """
    from fsrs.scheduler import DEFAULT_PARAMETERS

    before = col.db.scalar("SELECT sum(due) FROM cards WHERE type = 2")
    cpu = time.process_time()
    seconds = _update_params(col, [float(p) for p in DEFAULT_PARAMETERS])
    cpu = time.process_time() - cpu
    after = col.db.scalar("SELECT sum(due) FROM cards WHERE type = 2")
    return {"seconds": seconds, "cpu": cpu, "changed": before != after}


def optimize(col: Collection) -> dict[str, Any]:
    """Anki fitting FSRS parameters to the deck's review log, then saving them with
    rescheduling, as its deck options do.
    """
    did = col.decks.selected()
    name = col.decks.name(did)
    start = time.perf_counter()
    cpu = time.process_time()
    fitted = col._backend.compute_fsrs_params(
        search=f'deck:"{name}"',
        current_params=[],
        ignore_revlogs_before_ms=0,
        num_of_relearning_steps=1,
        health_check=False,
    )
    fit = time.perf_counter() - start
    _update_params(col, list(fitted.params))
    return {
        "seconds": time.perf_counter() - start,
        "cpu": time.process_time() - cpu,
        "fit": fit,
        "items": fitted.fsrs_items,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("import", help="time import_csv into a new collection")
    p.add_argument("col", type=Path)
    p.add_argument("txt", type=Path)
    p = sub.add_parser("build", help="import, then copy drill's reviews and card states")
    p.add_argument("col", type=Path)
    p.add_argument("txt", type=Path)
    p.add_argument("drill_db", type=Path)
    p = sub.add_parser("next-rate", help="next card + rating latency")
    p.add_argument("col", type=Path)
    p.add_argument("rounds", type=int)
    p = sub.add_parser("recompute", help="time recomputing and rescheduling every card")
    p.add_argument("col", type=Path)
    p = sub.add_parser("optimize", help="time fitting FSRS parameters and rescheduling")
    p.add_argument("col", type=Path)
    p = sub.add_parser("stats", help="time the statistics query")
    p.add_argument("col", type=Path)
    p.add_argument("days", type=int)
    p.add_argument("repeat", type=int)
    args = parser.parse_args(argv)

    if not available():
        print(MISSING, file=sys.stderr)
        return 3
    out: dict[str, Any]
    if args.command in ("import", "build"):
        col = new_collection(args.col)
        seconds, cpu = import_text(col, args.txt)
        out = {
            "seconds": seconds,
            "cpu": cpu,
            "notes": col.note_count(),
            "cards": col.card_count(),
        }
        if args.command == "build":
            configure(col)
            start = time.perf_counter()
            reviews, cards = load_history(col, args.drill_db)
            out.update(reviews=reviews, cards_with_history=cards)
            out["history_seconds"] = time.perf_counter() - start
        else:
            col.close()
    else:
        from anki.collection import Collection

        col = Collection(str(args.col))
        if args.command == "recompute":
            out = recompute(col)
        elif args.command == "optimize":
            out = optimize(col)
        elif args.command == "next-rate":
            samples = next_rate(col, args.rounds)
            out = {
                "rounds": len(samples),
                "p50": percentile(samples, 50) if samples else None,
                "p95": percentile(samples, 95) if samples else None,
            }
        else:
            out = {"seconds": stats_query(col, args.days, args.repeat)}
        col.close()
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
