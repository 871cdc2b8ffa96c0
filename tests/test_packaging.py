"""An installed wheel carries the bundled decks and finds them without the source tree."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    pytest.importorskip("hatchling")
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(out),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    [built] = out.glob("drill-*.whl")
    return built


def test_wheel_contains_every_bundled_deck(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    decks = list((ROOT / "decks").rglob("*.md"))
    assert any(deck.parent.name == "packs" for deck in decks)
    for deck in decks:
        assert f"drill/decks/{deck.relative_to(ROOT / 'decks').as_posix()}" in names


def test_installed_wheel_reads_its_decks_from_the_package(wheel, tmp_path):
    target = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--no-deps",
            "-q",
            "--target",
            str(target),
            str(wheel),
        ],
        check=True,
        capture_output=True,
    )
    code = (
        "import drill.library.bundled as b; print(b.bundled_dir()); print(len(b.bundled_files()));"
        " print(len(b.pack_files()))"
    )
    result = subprocess.run(
        [sys.executable, "-I", "-c", f"import sys; sys.path.insert(0, {str(target)!r}); {code}"],
        check=True,
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    folder, count, packs = result.stdout.split()
    assert folder.startswith(str(target))
    assert int(count) == len(list((ROOT / "decks").glob("*.md")))
    assert int(packs) == len(list((ROOT / "decks" / "packs").glob("*.md")))
