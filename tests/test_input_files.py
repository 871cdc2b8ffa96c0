"""Every input file is opened by drill.files: regular files only (a FIFO never blocks, a device
never streams forever), within a size cap, with one line naming the file when refused.
"""

from __future__ import annotations

import contextlib
import os
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

from drill.cli.main import cli
from drill.errors import DeckError

MIB = 1024 * 1024
TEXT_LIMIT = 64 * MIB  # drill.files.TEXT_LIMIT, held equal below
HISTORY_LIMIT = 1024 * MIB

NOW_ENV = "2026-01-05T10:00:00+00:00"


@pytest.fixture
def env(tmp_path):
    return {"DRILL_DB": str(tmp_path / "drill.db"), "DRILL_NOW": NOW_ENV, "DRILL_NO_BUNDLED": "1"}


@pytest.fixture
def run(env):
    runner = CliRunner()

    def invoke(*args, extra_env=None):
        return runner.invoke(cli, list(args), env={**env, **(extra_env or {})})

    return invoke


# (file name, arguments after `drill` with the file last)
READERS = [
    ("deck.md", ("import",)),
    ("deck.md", ("check",)),
    ("deck.json", ("import",)),
    ("list.txt", ("import", "--format", "list")),
    ("article.txt", ("import", "--format", "article")),
    ("cards.csv", ("import",)),
    ("cards.tsv", ("import", "--format", "anki-txt")),
    ("history.csv", ("import", "--format", "reviews")),
    ("history.json", ("import", "--format", "reviews")),
    ("deck.apkg", ("import",)),
    ("deck.colpkg", ("import", "--format", "apkg")),
    ("backup.db", ("restore", "--yes")),
]


@pytest.mark.parametrize(("name", "args"), READERS, ids=lambda v: v if isinstance(v, str) else "")
def test_a_named_pipe_is_refused_at_once(run, tmp_path, name, args):
    fifo = tmp_path / name
    os.mkfifo(fifo)
    results = []
    worker = threading.Thread(target=lambda: results.append(run(*args, str(fifo))), daemon=True)
    worker.start()
    worker.join(timeout=10)
    if worker.is_alive():
        # Opened for reading, it waits for a writer: be one (as often as it opens it), so
        # the command can end and the next test run.
        for _ in range(100):
            with contextlib.suppress(OSError):
                os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
            worker.join(timeout=0.1)
            if not worker.is_alive():
                break
        pytest.fail(f"drill {' '.join(args)} blocked on a FIFO")
    [result] = results
    assert result.exit_code == 1
    assert "named pipe (FIFO), not a regular file" in result.stderr
    assert str(fifo) in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("fmt", ["md", "json", "list", "article", "anki-txt", "reviews", "apkg"])
def test_a_device_is_refused_in_every_format(run, fmt):
    result = run("import", "--format", fmt, "/dev/zero")
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        "/dev/zero: is a device, not a regular file (save what it holds to a file and read that)"
    )


def test_the_database_must_be_a_regular_file(run, tmp_path):
    result = run("decks", extra_env={"DRILL_DB": "/dev/null"})
    assert result.exit_code == 1
    assert "disk I/O" not in result.stderr
    assert "/dev/null: is a device" in result.stderr and "regular file" in result.stderr
    fifo = tmp_path / "db-pipe"
    os.mkfifo(fifo)
    result = run("decks", extra_env={"DRILL_DB": str(fifo)})
    assert result.exit_code == 1 and "named pipe" in result.stderr


@pytest.mark.parametrize(
    ("name", "args", "limit"),
    [
        ("big.md", ("import",), TEXT_LIMIT),
        ("big.csv", ("import", "--format", "anki-txt"), TEXT_LIMIT),
        ("big-history.csv", ("import", "--format", "reviews"), HISTORY_LIMIT),
    ],
)
def test_a_file_over_its_cap_is_refused_unread(run, tmp_path, name, args, limit):
    big = tmp_path / name
    with big.open("wb") as handle:  # sparse: no disk is used
        handle.truncate(limit + 1)
    result = run(*args, str(big))
    assert result.exit_code == 1
    assert "larger than the" in result.stderr and "docs/limits.md" in result.stderr


def test_the_caps_are_the_documented_ones():
    from drill import files

    assert (files.TEXT_LIMIT, files.HISTORY_LIMIT) == (TEXT_LIMIT, HISTORY_LIMIT)
    limits = (Path(__file__).parents[1] / "docs" / "limits.md").read_text(encoding="utf-8")
    assert "64 MiB" in limits and "1 GiB" in limits


def test_a_file_that_grows_past_its_cap_while_read_is_refused(tmp_path):
    from drill.files import read_input

    path = tmp_path / "grows"
    path.write_bytes(b"x" * 100)
    assert read_input(path, limit=100) == b"x" * 100
    path.write_bytes(b"x" * 101)
    with pytest.raises(DeckError, match="larger than the 100 bytes"):
        read_input(path, limit=100)


@pytest.mark.parametrize("grown, refused", [(110, False), (121, True)])
def test_bytes_written_after_the_size_was_taken_are_read_and_capped(
    tmp_path, monkeypatch, grown, refused
):
    """The file held 100 bytes when opened and measured, then grew: what it grew by is read
    too, and the cap still holds for the whole."""
    from drill.files import inputs

    path = tmp_path / "grew"
    path.write_bytes(bytes(range(100)) + b"y" * (grown - 100))
    measured = inputs._open_regular

    def opened_at_100_bytes(*args: object) -> tuple[object, int]:
        handle, _ = measured(*args)  # type: ignore[arg-type]
        return handle, 100

    monkeypatch.setattr(inputs, "_open_regular", opened_at_100_bytes)
    if refused:
        with pytest.raises(DeckError, match="larger than the 120 bytes"):
            inputs.read_input(path, limit=120)
    else:
        assert inputs.read_input(path, limit=120) == path.read_bytes()


def test_proc_files_say_zero_but_are_still_capped():
    from drill.files import read_input

    if not Path("/proc/self/environ").exists():
        pytest.skip("no /proc")
    with pytest.raises(DeckError, match="larger than"):
        read_input("/proc/self/maps", limit=10)


def test_an_empty_path_is_named_as_empty(run):
    result = run("import", "")
    assert result.exit_code == 1
    assert result.stderr.strip() == "'': no file named (an empty path)"
    restore = run("restore", "--yes", "")
    assert restore.exit_code == 1 and "empty path" in restore.stderr
    backup = run("backup", "-o", "")
    assert backup.exit_code == 1 and "empty path" in backup.stderr
    export = run("export", "reviews", "-o", "")
    assert export.exit_code == 1 and "empty path" in export.stderr


def test_helpers_name_the_file(tmp_path):
    from drill.files import check_input, read_head

    with pytest.raises(DeckError, match=r"^nope: no such file$"):
        check_input(tmp_path / "missing", limit=10, display="nope")
    with pytest.raises(DeckError, match="is a directory"):
        read_head(tmp_path)
