"""scripts/run on a fresh checkout: it says what it is doing while it sets up .venv (issue 18:
the first run was silent for half a minute), shows pip's errors when setup fails, and is
silent and instant once set up.

A stand-in Python (PYTHON=...) plays venv and pip, so nothing is installed.
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent

FAKE_PYTHON = """#!/usr/bin/env bash
# A stand-in for python3: `-m venv DIR` makes DIR/bin/python (this script) and DIR/bin/drill;
# `-m pip install ...` prints what pip prints, or fails when FAKE_PIP_FAIL is set.
if [ "$1" = "-c" ]; then exec python3 "$@"; fi
if [ "$1 $2" = "-m venv" ]; then
    mkdir -p "$3/bin"
    cp "$0" "$3/bin/python"
    printf '#!/usr/bin/env bash\\necho "drill $*"\\n' > "$3/bin/drill"
    chmod +x "$3/bin/drill"
    exit 0
fi
if [ "$1 $2" = "-m pip" ]; then
    if [ -n "${FAKE_PIP_FAIL:-}" ] && [[ "$*" == *" -e "* ]]; then
        echo "Collecting textual>=0.80"
        echo "ERROR: Could not find a version that satisfies the requirement textual>=0.80" >&2
        exit 1
    fi
    echo "Collecting textual>=0.80"
    echo "  Downloading textual-1.0.0-py3-none-any.whl (600 kB)"
    echo "Installing collected packages: textual, drill"
    echo "Successfully installed drill-0.1 textual-1.0.0"
    exit 0
fi
echo "unexpected: $*" >&2
exit 2
"""


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    (tmp_path / "scripts").mkdir()
    for name in ("run", "bootstrap.sh"):
        shutil.copy(ROOT / "scripts" / name, tmp_path / "scripts" / name)
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    fake = tmp_path / "fake-python"
    fake.write_text(FAKE_PYTHON)
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    return tmp_path


def run(checkout: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", str(checkout / "scripts" / "run"), *args],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHON": str(checkout / "fake-python"), **env},
        timeout=60,
    )


def test_first_run_says_what_it_is_doing_then_later_runs_are_silent(checkout):
    first = run(checkout, "decks")
    assert first.returncode == 0, first.stderr
    assert "Setting up drill in .venv (first run only" in first.stderr
    assert "Collecting textual" in first.stderr  # pip's progress
    assert "Ready." in first.stderr
    assert first.stdout == "drill decks\n"
    again = run(checkout, "decks")
    assert again.returncode == 0
    assert again.stderr == ""
    assert again.stdout == "drill decks\n"


def test_a_failed_setup_shows_pips_error_and_tries_again_next_time(checkout):
    failed = run(checkout, FAKE_PIP_FAIL="1")
    assert failed.returncode != 0
    assert "Could not find a version that satisfies the requirement textual" in failed.stderr
    assert "setting up drill failed" in failed.stderr
    assert not (checkout / ".venv" / ".drill-installed").exists()
    fixed = run(checkout, "decks")
    assert fixed.returncode == 0 and "Setting up drill" in fixed.stderr
