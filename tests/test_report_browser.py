"""The HTML report rendered by headless Chromium, as a coach sees it: a screenshot, a page
laid out at the width of A4 with the print styles where nothing may overflow, and a printed
PDF on A4.

CI installs Chromium (`.ci/run`: `apt-get install chromium`) and sets DRILL_REQUIRE_BROWSER=1,
so there these tests fail rather than skip. Elsewhere they are skipped where
/usr/bin/chromium is missing. To look at the pictures:
pytest tests/test_report_browser.py --basetemp=/tmp/drill-shots
"""

from __future__ import annotations

import json
import os
import re
import struct
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest

from drill.progress import report, stats
from tests.test_report import collection, data  # noqa: F401  (fixtures)

CHROMIUM = Path("/usr/bin/chromium")

REQUIRED = os.environ.get("DRILL_REQUIRE_BROWSER") == "1"

if REQUIRED and not CHROMIUM.exists():
    raise RuntimeError("DRILL_REQUIRE_BROWSER=1 but /usr/bin/chromium is missing")
pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="needs /usr/bin/chromium")

# A4 is 210 mm wide; the report's @page margins are 14 mm: 182 mm of content, at 96 px/in.
A4_CONTENT_PX = round((210 - 2 * 14) / 25.4 * 96)
# A4 in PDF points (1/72 in): 595.28 x 841.89.
A4_POINTS = (595.28, 841.89)


def chromium(tmp_path: Path, *args: str) -> str:
    result = subprocess.run(
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
    return result.stdout.decode("utf-8", errors="replace")


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


# -- what a coach sees: laid out on A4, nothing overflowing ------------------------------------

LONG_WORD = "Supercalifragilisticexpialidocious" * 3
OVERFLOW_PROBE = """
<script>
const width = document.documentElement.clientWidth;
const bad = [];
for (const el of document.querySelectorAll("body *")) {
  const box = el.getBoundingClientRect();
  const where = (el.closest("section") || el).querySelector("h2")?.textContent || "";
  const what = el.tagName + "." + el.className + " in " + where;
  if (box.width && box.right > width + 0.5) bad.push(what);
  if (["TD", "TH", "DIV", "P", "SECTION"].includes(el.tagName)
      && el.scrollWidth > el.clientWidth + 1) bad.push("inside " + what);
}
document.body.setAttribute("data-probe", JSON.stringify({width, scroll: document.documentElement.scrollWidth, bad}));
</script>
"""


@pytest.fixture
def coach_page(tmp_path):
    """A report with everything a coach reads, and text that tries to break the layout."""
    from drill.core.model import Rating
    from drill.library.importing import import_decks
    from drill.storage import repo
    from drill.storage.db import open_database
    from drill.study import answers, mock
    from drill.study.session import ReviewSession
    from tests.helpers import NOW, parse
    from tests.test_report import deck_text, study

    db = open_database(":memory:")
    long_name = f"Behavioural and situational questions for a {LONG_WORD} role"
    import_decks(db, [parse(deck_text(long_name, 14), "long.md")], NOW - timedelta(days=40))
    db.execute(
        "UPDATE questions SET question = ? WHERE id = 'q0'",
        [f"Tell me about a time you handled {LONG_WORD} under pressure, and what you learned?"],
    )
    repo.set_config(db, None, "interview_date", (NOW + timedelta(days=9)).date().isoformat())
    study(db, 30, 12)
    answers.save_answer(db, repo.decks(db)[0].id, "q0", "My answer. " * 40, "cli", NOW)
    plan = mock.start(db, mock.MockPlan(mock.draw_questions(db, NOW, 3), 120), NOW)
    for i, item in enumerate(plan.questions):
        answer = mock.MockAnswer(
            item, "An answer", 100_000 + i * 20_000, 120, mock_id=plan.mock_id, position=i
        )
        mock.save_answer(db, answer, NOW)
        mock.record_rating(db, answer, Rating.GOOD, NOW)
    ReviewSession(db)
    page = report.render_html(stats.collect(db, NOW))
    db.close()
    return page


def _probe(tmp_path: Path, page: str) -> dict[str, object]:
    """Lay the page out at A4's content width with its print styles, and list what sticks out."""
    printed = page.replace("@media print {", "@media all {").replace(
        "</body>", OVERFLOW_PROBE + "</body>"
    )
    path = tmp_path / "probe.html"
    path.write_text(printed, encoding="utf-8")
    dom = chromium(
        tmp_path,
        f"--window-size={A4_CONTENT_PX},1200",
        "--hide-scrollbars",
        "--dump-dom",
        path.as_uri(),
    )
    found = re.search(r'data-probe="([^"]*)"', dom)
    assert found, dom[:500]
    import html as html_lib

    return json.loads(html_lib.unescape(found.group(1)))


def test_report_for_a_coach_fits_a4_without_overflow(tmp_path, coach_page):
    assert "Weakest questions" in coach_page and "Mock interviews" in coach_page
    probe = _probe(tmp_path, coach_page)
    assert probe["width"] == A4_CONTENT_PX
    assert probe["scroll"] <= A4_CONTENT_PX, json.dumps(probe)
    assert probe["bad"] == [], json.dumps(probe)


def test_report_prints_on_a4(tmp_path, coach_page):
    page = tmp_path / "coach.html"
    page.write_text(coach_page, encoding="utf-8")
    pdf = tmp_path / "coach.pdf"
    chromium(tmp_path, f"--print-to-pdf={pdf}", "--no-pdf-header-footer", page.as_uri())
    content = pdf.read_bytes()
    assert content.startswith(b"%PDF")
    boxes = re.findall(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", content)
    assert boxes, "no page in the PDF"
    for width, height in boxes:
        assert abs(float(width) - A4_POINTS[0]) < 1 and abs(float(height) - A4_POINTS[1]) < 1
    # A report of a month's study fits a few pages, not dozens.
    assert 1 <= len(boxes) <= 6
