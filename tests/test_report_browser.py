"""The HTML report rendered by headless Chromium: a screenshot and a printed PDF.

Skipped where /usr/bin/chromium is missing (install it with `apt-get install chromium`).
To look at the picture: pytest tests/test_report_browser.py --basetemp=/tmp/drill-shots
"""

from __future__ import annotations

import struct
import subprocess
from pathlib import Path

import pytest

from drill.progress import report, stats
from tests.test_report import collection, data  # noqa: F401  (fixtures)

CHROMIUM = Path("/usr/bin/chromium")

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="needs /usr/bin/chromium")


def chromium(tmp_path: Path, *args: str) -> None:
    subprocess.run(
        [
            str(CHROMIUM),
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={tmp_path / 'profile'}",
            *args,
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )


def png_size(path: Path) -> tuple[int, int]:
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", head[16:24])


@pytest.fixture
def page(tmp_path, data):  # noqa: F811
    path = tmp_path / "report.html"
    path.write_text(report.render_html(data), encoding="utf-8")
    return path


def test_report_screenshot(tmp_path, page):
    shot = tmp_path / "report.png"
    chromium(tmp_path, f"--screenshot={shot}", "--window-size=1200,1600", page.as_uri())
    assert shot.exists()
    assert png_size(shot) == (1200, 1600)
    # A blank or unstyled page compresses to a few kilobytes; charts and tables do not.
    assert shot.stat().st_size > 40_000


def test_report_prints_to_pdf(tmp_path, page):
    pdf = tmp_path / "report.pdf"
    chromium(tmp_path, f"--print-to-pdf={pdf}", "--no-pdf-header-footer", page.as_uri())
    content = pdf.read_bytes()
    assert content.startswith(b"%PDF")
    assert len(content) > 20_000


def test_empty_report_screenshot(tmp_path, db):
    path = tmp_path / "empty.html"
    path.write_text(report.render_html(stats.collect(db, stats.clock.from_ms(0))), encoding="utf-8")
    shot = tmp_path / "empty.png"
    chromium(tmp_path, f"--screenshot={shot}", "--window-size=1200,900", path.as_uri())
    assert png_size(shot) == (1200, 900)
