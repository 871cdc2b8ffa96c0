"""The core never imports Textual, and `drill --help` stays light."""

from __future__ import annotations

import subprocess
import sys

import pytest

CORE_MODULES = [
    "drill",
    "drill.anki_export",
    "drill.answers",
    "drill.commands.answer",
    "drill.commands.mock",
    "drill.commands.optimize",
    "drill.commands.restore",
    "drill.commands.stats",
    "drill.browse",
    "drill.bundled",
    "drill.clock",
    "drill.config",
    "drill.deadline",
    "drill.exports",
    "drill.history",
    "drill.importing",
    "drill.io.anki_apkg",
    "drill.io.anki_html",
    "drill.io.anki_text",
    "drill.io.article",
    "drill.io.errors",
    "drill.io.json_deck",
    "drill.io.markdown_deck",
    "drill.io.markdown_fast",
    "drill.io.plain_list",
    "drill.io.reviews_csv",
    "drill.io.registry",
    "drill.io.source",
    "drill.mock",
    "drill.model",
    "drill.optimizer",
    "drill.overview",
    "drill.paths",
    "drill.report",
    "drill.sanitize",
    "drill.scheduling",
    "drill.session",
    "drill.stats",
    "drill.storage.backup",
    "drill.storage.db",
    "drill.storage.migrations",
    "drill.storage.repo",
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
        and not p.name.startswith("cli")
    }
    assert found <= set(CORE_MODULES), sorted(found - set(CORE_MODULES))


def test_help_imports_neither_textual_nor_the_engine():
    modules = loaded_after(
        "import sys\nfrom drill.cli import cli\nsys.argv = ['drill', '--help']\n"
        "try:\n    cli()\nexcept SystemExit:\n    pass"
    )
    assert "textual" not in modules
    assert "sqlite_utils" not in modules
    assert "fsrs" not in modules
