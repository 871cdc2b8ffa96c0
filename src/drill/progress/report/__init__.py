"""Progress reports from the figures of `stats.collect`: terminal text, HTML, Markdown, JSON.

Deck names and ids are untrusted and escaped for each format.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import IO, TYPE_CHECKING

from drill.core.sanitize import json_text
from drill.progress.report.html import render_html
from drill.progress.report.markdown import md_escape, render_markdown
from drill.progress.report.text import calendar_lines, forecast_chart, render_text
from drill.progress.stats import Stats

if TYPE_CHECKING:
    from drill.library.jobs import JobDetail

__all__ = [
    "RENDERERS",
    "calendar_lines",
    "forecast_chart",
    "md_escape",
    "render_html",
    "render_json",
    "render_markdown",
    "render_text",
    "write_report",
]


def render_json(data: Stats, job: JobDetail | None = None) -> str:
    """The stats JSON, exactly as `drill stats --json` prints it (with the job's, as
    `drill job show --json` prints it, under "job" when one is given).
    """
    out = data.to_json()
    if job is not None:
        out["job"] = job.to_json()
    return json_text(out, indent=2) + "\n"


RENDERERS: dict[str, Callable[[Stats, JobDetail | None], str]] = {
    "html": render_html,
    "md": render_markdown,
    "json": render_json,
}


def write_report(data: Stats, fmt: str, out: IO[str], job: JobDetail | None = None) -> None:
    """Write the report in `fmt` (html, md or json) to a text stream, with a job's
    readiness when one is given.
    """
    out.write(RENDERERS[fmt](data, job))
