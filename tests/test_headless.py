"""The core never imports Textual, and `drill --help` stays light."""

from __future__ import annotations

import subprocess
import sys

import pytest

CORE_MODULES = [
    "drill",
    "drill.core.clock",
    "drill.core.config",
    "drill.core.deadline",
    "drill.core.model",
    "drill.core.sanitize",
    "drill.core.scheduling",
    "drill.errors",
    "drill.io.anki.fields",
    "drill.io.anki.package",
    "drill.io.anki.text",
    "drill.io.article",
    "drill.io.json_deck",
    "drill.io.markdown.deck",
    "drill.io.markdown.fast",
    "drill.io.plain_list",
    "drill.io.registry",
    "drill.io.reviews_csv",
    "drill.io.source",
    "drill.library.anki_export",
    "drill.library.bundled",
    "drill.library.exports",
    "drill.library.history",
    "drill.library.importing",
    "drill.progress.optimizer",
    "drill.progress.overview",
    "drill.progress.report",
    "drill.progress.stats",
    "drill.storage.backup",
    "drill.storage.db",
    "drill.storage.migrations",
    "drill.storage.paths",
    "drill.storage.repo",
    "drill.study.answers",
    "drill.study.browse",
    "drill.study.mock",
    "drill.study.session",
]


def loaded_after(code: str) -> set[str]:
    out = subprocess.run(
        [sys.executable, "-c", code + "\nimport sys; print('\\n'.join(sys.modules))"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return set(out.split())


@pytest.mark.parametrize("module", CORE_MODULES)
def test_core_module_does_not_import_textual(module):
    modules = loaded_after(f"import {module}")
    assert "textual" not in modules


def test_every_core_module_is_listed():
    from pathlib import Path

    import drill

    root = Path(drill.__file__).parent
    found = {
        "drill." + ".".join(p.relative_to(root).with_suffix("").parts)
        for p in root.rglob("*.py")
        if "tui" not in p.relative_to(root).parts
        and p.name != "__init__.py"
        and p.relative_to(root).parts[0] != "cli"
        and p.name != "__main__.py"
    }
    assert found <= set(CORE_MODULES), sorted(found - set(CORE_MODULES))


def test_help_imports_neither_textual_nor_the_engine():
    modules = loaded_after(
        "import sys\nfrom drill.cli.main import cli\nsys.argv = ['drill', '--help']\n"
        "try:\n    cli()\nexcept SystemExit:\n    pass"
    )
    assert "textual" not in modules
    assert "sqlite_utils" not in modules
    assert "fsrs" not in modules
