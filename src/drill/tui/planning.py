"""Running the plan's simulation for a screen: off the interface's thread when live.

The database is read on the screen's own thread (`plan.prepare`); only the simulation,
which touches no database, runs on a worker thread, so the screen never waits for it. Under a
test clock it runs at once, so screenshots are stable.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.screen import Screen

from drill.study.plan import Plan, Prepared
from drill.tui.context import Context


def run_plan(
    screen: Screen[Any], ctx: Context, prepared: Prepared, done: Callable[[Plan], None]
) -> None:
    """Simulate `prepared` and hand the plan to `done` (on the interface's thread)."""
    if not ctx.live:
        done(prepared.run())
        return

    def deliver(plan: Plan) -> None:
        if screen.is_attached:  # the screen may have closed while the plan ran
            done(plan)

    def work() -> None:
        plan = prepared.run()
        screen.app.call_from_thread(deliver, plan)

    screen.run_worker(work, thread=True, exclusive=True, group="plan", exit_on_error=False)
