"""Progress reports from the figures of `stats.collect`: terminal text, HTML, Markdown, JSON.

Deck names and ids are untrusted and escaped for each format.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import IO

from drill.core.sanitize import json_text
from drill.progress.report.html import render_html
from drill.progress.report.markdown import md_escape, render_markdown
from drill.progress.report.text import calendar_lines, forecast_chart, render_text
from drill.progress.stats import Stats

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


def render_json(data: Stats) -> str:
    """The stats JSON, exactly as `drill stats --json` prints it."""
    return json_text(data.to_json(), indent=2) + "\n"


RENDERERS: dict[str, Callable[[Stats], str]] = {
    "html": render_html,
    "md": render_markdown,
    "json": render_json,
}


def write_report(data: Stats, fmt: str, out: IO[str]) -> None:
    """Write the report in `fmt` (html, md or json) to a text stream."""
    out.write(RENDERERS[fmt](data))
