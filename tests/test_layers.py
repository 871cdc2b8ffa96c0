"""The layers in the tree, and the rules between them, checked on every module's imports.

    errors, files/  <-  core  <-  io, storage  <-  study, library, progress  <-  cli, tui

(files/ opens the files drill reads and writes, for io/ and storage/ alike; it is the only
module below the services that does I/O outside io/ and storage/, and core/ never imports it.)

Arrows point down only. The rules are read from the source (every import, including those
inside functions and under TYPE_CHECKING), so a new module is checked the day it is added.
`check` is a pure function of {module: source}; the tests at the end show it catching each
kind of violation.
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1] / "src" / "drill"

RANK = {
    "errors": 0,
    "files": 0,
    "core": 1,
    "io": 2,
    "storage": 2,
    "study": 3,
    "library": 3,
    "progress": 3,
    "cli": 4,
    "tui": 4,
    "__main__": 5,
}
# Third-party packages a layer must never import.
FORBIDDEN = {
    "core": {"textual", "click", "sqlite_utils", "sqlite3", "rich", "fsrs_rs_python"},
    "io": {"textual", "click", "sqlite_utils", "rich"},
    "storage": {"textual", "click", "rich"},
    "study": {"textual", "click"},
    "library": {"textual", "click"},
    "progress": {"textual", "click"},
    "cli": {"textual"},
}
# Layers where SQL may be written: drill's own database, and Anki's files.
SQL_HOMES = ("drill.storage.", "drill.io.anki.")
SQL_START = ("SELECT ", "INSERT ", "UPDATE ", "DELETE ", "CREATE ", "DROP ", "PRAGMA ", "WITH ")


@dataclass(frozen=True)
class Import:
    importer: str
    target: str  # a drill module, or a top-level third-party name
    line: int


def layer(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__main__"


def module_name(path: Path) -> str:
    rel = path.relative_to(ROOT.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_of(module: str, source: str, known: set[str]) -> Iterator[Import]:
    """Every import in the source, resolved to a drill module where it names one."""
    tree = ast.parse(source)
    package = module if module in known and _is_package(module, known) else module.rsplit(".", 1)[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield Import(module, _resolve(alias.name, known), node.lineno)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1])
                base = f"{base}.{node.module}" if node.module else base
            for alias in node.names:
                candidate = f"{base}.{alias.name}"
                target = candidate if candidate in known else _resolve(base, known)
                yield Import(module, target, node.lineno)


def _is_package(module: str, known: set[str]) -> bool:
    return any(other.startswith(module + ".") for other in known)


def _resolve(name: str, known: set[str]) -> str:
    if name.startswith("drill"):
        while name not in known and "." in name:
            name = name.rsplit(".", 1)[0]
        return name
    return name.split(".")[0]


def sql_strings(module: str, source: str) -> Iterator[tuple[int, str]]:
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            # drill writes SQL keywords in capitals; prose that starts "Create…" is not SQL.
            text = node.value.lstrip()
            if text.startswith(SQL_START) and (
                " FROM " in text
                or " INTO " in text
                or text.startswith(("UPDATE ", "CREATE ", "PRAGMA "))
            ):
                yield node.lineno, node.value.strip()[:40]


def check(sources: dict[str, str]) -> list[str]:
    """Every violation of the layer rules in {module: source}, one line each."""
    known = set(sources)
    problems: list[str] = []
    graph: dict[str, set[str]] = {m: set() for m in known}
    for module, source in sources.items():
        here = layer(module)
        for imp in imports_of(module, source, known):
            where = f"{module}:{imp.line}"
            if imp.target in FORBIDDEN.get(here, ()):
                problems.append(f"{where}: {here}/ must not import {imp.target}")
            if not imp.target.startswith("drill") or imp.target == "drill":
                continue
            graph[module].add(imp.target)
            there = layer(imp.target)
            if there == here:
                continue
            if RANK[there] > RANK[here] or (
                RANK[there] == RANK[here] and here in ("io", "storage")
            ):
                problems.append(f"{where}: {here}/ imports {imp.target} (arrows point down only)")
            if here == "core" and there == "files":
                problems.append(f"{where}: core/ is pure and never opens files ({imp.target})")
            if here == "files" and there != "errors":
                problems.append(f"{where}: files/ imports only errors.py, not {imp.target}")
            if here == "tui" and there == "cli":
                problems.append(f"{where}: tui/ never imports cli/")
            if here == "tui" and there == "storage":
                problems.append(f"{where}: tui/ imports {imp.target} (ask a service instead)")
            if here == "cli" and there == "tui" and imp.target != "drill.tui.app":
                problems.append(f"{where}: cli/ reaches the TUI only through drill.tui.app")
        if not module.startswith(SQL_HOMES):
            for line, text in sql_strings(module, source):
                problems.append(f"{module}:{line}: SQL outside storage/: {text!r}")
    problems += [f"import cycle: {' -> '.join(cycle)}" for cycle in cycles(graph)]
    return problems


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every strongly connected group of two or more modules, as a path (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0

    def visit(node: str) -> None:
        nonlocal counter
        index[node] = low[node] = counter
        counter += 1
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in graph:
                continue
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def tree_sources() -> dict[str, str]:
    return {module_name(p): p.read_text(encoding="utf-8") for p in ROOT.rglob("*.py")}


# -- the rules hold in the tree --------------------------------------------------------------


def test_no_module_sits_at_the_top_level_but_init_main_and_errors():
    top = sorted(p.name for p in ROOT.glob("*.py"))
    assert top == ["__init__.py", "__main__.py", "errors.py"]


def test_every_package_is_a_known_layer():
    packages = sorted(p.name for p in ROOT.iterdir() if p.is_dir() and p.name != "__pycache__")
    assert set(packages) <= set(RANK), set(packages) - set(RANK)


def test_the_tree_keeps_the_layer_rules():
    problems = check(tree_sources())
    assert not problems, "\n".join(problems)


# -- the checker catches each kind of violation -------------------------------------------------

CLEAN = {
    "drill.errors": "class DrillError(Exception): ...",
    "drill.files": "from drill.errors import DrillError",
    "drill.core": "",
    "drill.core.model": "from drill.errors import DrillError",
    "drill.io": "",
    "drill.storage": "",
    "drill.storage.repo": "from drill.core import model\nSQL = 'SELECT x FROM cards'",
    "drill.storage.backup": "from drill.files import output_path",
    "drill.io.source": "from drill.files import read_input",
    "drill.study": "",
    "drill.study.session": "from drill.storage import repo",
    "drill.tui": "",
    "drill.tui.app": "def run_app(): from drill.study.session import x",
    "drill.cli": "",
    "drill.cli.main": "def go():\n    from drill.tui.app import run_app",
}


def with_change(module: str, source: str) -> list[str]:
    return check({**CLEAN, module: source})


def test_the_clean_example_passes():
    assert check(CLEAN) == []


@pytest.mark.parametrize(
    ("module", "source", "expected"),
    [
        ("drill.core.model", "from drill.storage import repo", "arrows point down only"),
        ("drill.core.model", "def f():\n    import drill.study.session", "arrows point down"),
        ("drill.core.model", "import sqlite3", "core/ must not import sqlite3"),
        ("drill.core.model", "from drill.files import read_input", "never opens files"),
        ("drill.files", "from drill.core import model", "files/ imports only errors.py"),
        ("drill.core.model", "from textual.app import App", "core/ must not import textual"),
        ("drill.storage.repo", "from drill.io import x", "arrows point down only"),
        ("drill.study.session", "import click", "study/ must not import click"),
        ("drill.study.session", "from drill.cli import main", "arrows point down only"),
        ("drill.tui.app", "from drill.storage import repo", "ask a service instead"),
        ("drill.tui.app", "from drill.cli.main import go", "tui/ never imports cli/"),
        ("drill.cli.main", "from drill.tui import screens", "only through drill.tui.app"),
        ("drill.study.session", "Q = 'SELECT id FROM cards'", "SQL outside storage/"),
    ],
)
def test_the_checker_catches(module, source, expected):
    problems = with_change(module, source)
    assert any(expected in p for p in problems), problems


def test_the_checker_catches_a_cycle_hidden_in_a_function():
    sources = {
        **CLEAN,
        "drill.study.answers": "def f():\n    from drill.study import session",
        "drill.study.session": "from drill.storage import repo\nfrom drill.study import answers",
    }
    assert any(p.startswith("import cycle:") for p in check(sources))


# -- what actually gets loaded -------------------------------------------------------------------


def loaded_after(code: str) -> set[str]:
    out = subprocess.run(
        [sys.executable, "-c", code + "\nimport sys; print('\\n'.join(sys.modules))"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return set(out.split())


def test_nothing_below_the_shells_loads_textual():
    below = sorted(m for m in tree_sources() if RANK[layer(m)] < RANK["cli"])
    modules = loaded_after("\n".join(f"import {m}" for m in below))
    # (click is loaded below the shells, by sqlite_utils; the static rule above keeps drill's
    # own code off it.)
    assert "textual" not in modules


def test_help_imports_neither_textual_nor_the_engine():
    modules = loaded_after(
        "import sys\nfrom drill.cli.main import cli\nsys.argv = ['drill', '--help']\n"
        "try:\n    cli()\nexcept SystemExit:\n    pass"
    )
    assert "textual" not in modules
    assert "sqlite_utils" not in modules
    assert "fsrs" not in modules
    assert not any(m.startswith("drill.cli.commands.") for m in modules)


def test_showing_the_next_card_loads_neither_sqlite_utils_nor_fsrs(tmp_path):
    """`drill next` on an up-to-date database: migrations (sqlite-utils), scheduling (fsrs)
    and the exports are loaded only by the commands that use them (cold start).
    """
    from drill.storage.db import open_database

    path = tmp_path / "drill.db"
    open_database(path).close()
    modules = loaded_after(
        "import os, sys\n"
        f"os.environ['DRILL_DB'] = {str(path)!r}\n"
        "os.environ['DRILL_NO_BUNDLED'] = '1'\n"
        "from drill.cli.main import cli\n"
        "try:\n    cli(['next', '--json'])\nexcept SystemExit:\n    pass"
    )
    assert "drill.study.session" in modules  # it did run
    for heavy in ("sqlite_utils", "fsrs", "fsrs_rs_python", "drill.library.exports", "textual"):
        assert heavy not in modules, heavy


# What `drill next` must not load on a collection like a new user's (cold start): each is
# imported where it is used instead (rating and undo, the review log, leeches, the job
# tables, the plan's and learn-more's figures, writing an output file, wrapping text, a
# typo's suggestion, the median of timed reviews), and loading any of them again would put
# its milliseconds back on every `drill next` (docs/performance.md, the cold-start row).
NOT_FOR_NEXT = (
    "sqlite_utils",
    "fsrs",
    "fsrs_rs_python",
    "textual",
    "drill.library.exports",
    "drill.study.undo",
    "drill.study.outcomes",
    "drill.study.today_plan",
    "drill.storage.reviews",
    "drill.storage.jobs",
    "drill.core.leech",
    "secrets",
    "tempfile",
    "shutil",
    "textwrap",
    "difflib",
    "statistics",
)


def _next_loads(db: Path, *, bundled: bool) -> set[str]:
    return loaded_after(
        "import os, sys\n"
        f"os.environ['DRILL_DB'] = {str(db)!r}\n"
        + (
            "os.environ.pop('DRILL_NO_BUNDLED', None)\n"
            if bundled
            else "os.environ['DRILL_NO_BUNDLED'] = '1'\n"
        )
        + "os.environ['DRILL_NOW'] = '2026-12-05T09:00:00+00:00'\n"
        "from drill.cli.main import cli\n"
        "try:\n    cli(['next', '--json'])\nexcept SystemExit:\n    pass"
    )


def _cli(db: Path, *args: str, bundled: bool = False) -> None:
    env = {**os.environ, "DRILL_NO_BUNDLED": "1", "DRILL_NOW": "2026-12-05T09:00:00+00:00"}
    if bundled:
        del env["DRILL_NO_BUNDLED"]
    subprocess.run(
        [sys.executable, "-m", "drill", "--db", str(db), *args],
        check=True,
        capture_output=True,
        env=env,
    )


def test_next_on_a_small_collection_loads_only_what_showing_a_card_needs(tmp_path):
    """The bench's cold-start collection: three questions, limits raised, no daily budget."""
    deck = tmp_path / "small.md"
    deck.write_text(
        "# Small\n\n"
        + "".join(
            f"## Question {i}: tell me about a project?\nid: q{i}\n\n"
            "### Why they ask\nThey want evidence of judgement.\n\n"
            for i in range(3)
        ),
        encoding="utf-8",
    )
    db = tmp_path / "drill.db"
    _cli(db, "import", str(deck))
    for key, value in (("new_per_day", "9999"), ("reviews_per_day", "9999")):
        _cli(db, "config", key, value)
    _cli(db, "config", "daily_minutes", "off")
    modules = _next_loads(db, bundled=False)
    assert "drill.study.session" in modules  # it did run
    assert "drill.study.intake" in modules  # ...through the daily intake
    for heavy in NOT_FOR_NEXT:
        assert heavy not in modules, heavy


def test_next_with_the_bundled_decks_and_a_budget_loads_no_more(tmp_path):
    """A new user's collection (the bundled decks, the default daily budget): the budget's
    look-ahead schedules with FSRS, but nothing else above is loaded.
    """
    db = tmp_path / "drill.db"
    _cli(db, "decks", bundled=True)  # the first start installs the decks
    modules = _next_loads(db, bundled=True)
    assert "drill.library.bundled" in modules  # it checked they are up to date
    assert "fsrs" in modules  # the budget weighs a new question's first reviews
    for heavy in NOT_FOR_NEXT:
        if heavy not in ("fsrs", "sqlite_utils"):
            assert heavy not in modules, heavy


def test_the_drill_command_holds_the_collector_only_while_it_loads(tmp_path):
    """`drill` (cli.main.main) keeps cyclic garbage collection off while the command's code
    loads, freezes what was loaded and runs the command with the collector on: a long
    command (the TUI, an import) must never run without it."""
    code = (
        "import gc, os, sys\n"
        f"os.environ['DRILL_DB'] = {str(tmp_path / 'drill.db')!r}\n"
        "os.environ['DRILL_NO_BUNDLED'] = '1'\n"
        "from drill.cli.main import main\n"
        "import drill.cli.commands.decks as decks\n"
        "seen = []\n"
        "real = decks._deck_rows\n"
        "def overview(*args, **kwargs):\n"
        "    seen.append((gc.isenabled(), gc.get_freeze_count() > 0))\n"
        "    return real(*args, **kwargs)\n"
        "decks._deck_rows = overview\n"
        "sys.argv = ['drill', 'decks']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print('RESULT', seen)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert "RESULT [(True, True)]" in out, out
