"""Every `-o FILE` and every backup goes through drill.files: never over the database, through
symlinks to their target, directly into pipes and devices, atomically into regular files.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

from drill.cli.main import cli
from tests.helpers import SAMPLE_DECK

NOW_ENV = "2026-01-05T10:00:00+00:00"

# Every command that writes `-o FILE`, as arguments after `drill`.
EXPORTS = [
    ("export", "reviews"),
    ("export", "reviews", "--format", "json"),
    ("export", "progress"),
    ("export", "progress", "--format", "json"),
    ("export", "deck", "sample-deck"),
    ("export", "deck", "sample-deck", "--format", "json"),
    ("export", "deck", "sample-deck", "--format", "anki-txt"),
    ("export", "deck", "sample-deck", "--format", "apkg"),
    ("export", "deck", "sample-deck", "--format", "apkg", "--with-history"),
    ("export", "answers"),
    ("export", "answers", "--format", "json"),
    ("export", "stats"),
    ("export", "stats", "--format", "md"),
    ("export", "stats", "--format", "json"),
    ("backup",),
]


@pytest.fixture
def env(tmp_path):
    return {"DRILL_DB": str(tmp_path / "drill.db"), "DRILL_NOW": NOW_ENV, "DRILL_NO_BUNDLED": "1"}


@pytest.fixture
def run(env, tmp_path):
    runner = CliRunner()
    deck = tmp_path / "sample.md"
    deck.write_text(SAMPLE_DECK, encoding="utf-8")

    def invoke(*args, input=None):
        return runner.invoke(cli, list(args), env=env, input=input)

    assert invoke("import", str(deck)).exit_code == 0
    assert invoke("rate", "1", "good").exit_code == 0
    return invoke


def _database_rows(path: str) -> int:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT count(*) FROM reviews").fetchone()[0]
    finally:
        conn.close()


@pytest.mark.parametrize("args", EXPORTS, ids=lambda a: "-".join(a))
@pytest.mark.parametrize("suffix", ["", "-wal", "-shm"])
def test_no_output_replaces_the_database_or_its_side_files(run, env, args, suffix):
    target = env["DRILL_DB"] + suffix
    before = Path(target).read_bytes() if Path(target).exists() else None
    result = run(*args, "-o", target)
    assert result.exit_code == 1, result.output
    assert "must not overwrite" in result.stderr
    assert "Traceback" not in result.output
    if before is not None and suffix == "":
        assert Path(target).read_bytes() == before
    assert _database_rows(env["DRILL_DB"]) == 1


@pytest.mark.parametrize("args", EXPORTS, ids=lambda a: "-".join(a))
def test_a_symlink_or_hard_link_to_the_database_is_refused(run, env, tmp_path, args):
    link = tmp_path / "innocent.csv"
    link.symlink_to(env["DRILL_DB"])
    hard = tmp_path / "hard.csv"
    os.link(env["DRILL_DB"], hard)
    for target in (link, hard):
        result = run(*args, "-o", str(target))
        assert result.exit_code == 1 and "must not overwrite" in result.stderr
    assert link.is_symlink()
    assert _database_rows(env["DRILL_DB"]) == 1


@pytest.mark.parametrize("args", EXPORTS, ids=lambda a: "-".join(a))
def test_a_symlink_is_written_through_to_its_target(run, tmp_path, args):
    real = tmp_path / "real-output"
    real.write_text("old")
    link = tmp_path / "link-output"
    link.symlink_to(real)
    result = run(*args, "-o", str(link))
    assert result.exit_code == 0, result.output
    assert link.is_symlink() and link.resolve() == real
    assert real.read_bytes() != b"old" and real.stat().st_size > 0
    assert not list(tmp_path.glob("*.partial"))


@pytest.mark.parametrize("args", EXPORTS, ids=lambda a: "-".join(a))
def test_a_named_pipe_is_written_directly(run, tmp_path, args):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    result = run(*args, "-o", str(fifo))
    reader.join(timeout=10)
    assert result.exit_code == 0, result.output
    assert received and received[0]
    assert fifo.exists() and not fifo.is_file()  # still the pipe, not replaced by a file


# (Devices such as /dev/null and /dev/full are not written here: when the old writer
# renamed its file over them, as root, it replaced the machine's /dev/null. The named pipe
# above is the same case, in a folder of the test's own.)


def test_a_directory_is_refused(run, tmp_path):
    result = run("export", "reviews", "-o", str(tmp_path))
    assert result.exit_code == 1 and "is a directory" in result.stderr


def test_a_missing_folder_is_named(run, tmp_path):
    result = run("export", "reviews", "-o", str(tmp_path / "nope" / "x.csv"))
    assert result.exit_code == 1 and "no such folder" in result.stderr


# -- the writer itself -----------------------------------------------------------------------------


def test_a_failed_write_keeps_the_old_file(tmp_path):
    from drill.files import output_text

    target = tmp_path / "out.txt"
    target.write_text("old")
    with pytest.raises(RuntimeError), output_text(target) as out:
        out.write("half")
        raise RuntimeError
    assert target.read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.txt"]


def test_a_new_file_gets_the_usual_permissions_and_an_old_one_keeps_its_own(tmp_path):
    from drill.files import output_text

    fresh = tmp_path / "fresh.txt"
    with output_text(fresh) as out:
        out.write("x")
    umask = os.umask(0)
    os.umask(umask)
    assert fresh.stat().st_mode & 0o777 == 0o666 & ~umask
    kept = tmp_path / "kept.txt"
    kept.write_text("old")
    kept.chmod(0o600)
    with output_text(kept) as out:
        out.write("new")
    assert kept.stat().st_mode & 0o777 == 0o600 and kept.read_text() == "new"


def test_an_existing_partial_file_of_the_user_is_never_touched(tmp_path):
    from drill.files import output_text

    mine = tmp_path / "out.txt.partial"
    mine.write_text("mine")
    with output_text(tmp_path / "out.txt") as out:
        out.write("x")
    assert mine.read_text() == "mine"


def test_dev_stdout_writes_to_this_process_stream(capfd):
    from drill.files import output_text

    with output_text("/dev/stdout") as out:
        out.write("to stdout\n")
    assert capfd.readouterr().out == "to stdout\n"


def test_output_path_copies_into_a_pipe(tmp_path):
    from drill.files import output_path

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    with output_path(fifo) as staged:
        staged.write_bytes(b"payload")
    reader.join(timeout=10)
    assert received == [b"payload"]


def test_protected_files_cover_the_side_files(tmp_path):
    from drill.files import OutputError, output_binary, protected_files

    db = tmp_path / "drill.db"
    db.write_bytes(b"x")
    names = [p.name for p in protected_files(db)]
    assert names == ["drill.db", "drill.db-wal", "drill.db-shm", "drill.db-journal"]
    with pytest.raises(OutputError), output_binary(db, protect=protected_files(db)):
        pass
    assert db.read_bytes() == b"x"


def test_a_read_only_file_is_not_replaced(run, env, tmp_path):
    """A rename needs only the folder writable, so the atomic writer would replace a file its
    owner made read-only; a shell's `>` refuses it, and so does drill."""
    import subprocess
    import sys

    from tests.test_crash_safety import without_file_permission_override

    prefix = without_file_permission_override()
    if prefix is None:
        pytest.skip("cannot make files read-only for root here (no setpriv)")
    kept = tmp_path / "kept.csv"
    kept.write_text("mine\n", encoding="utf-8")
    kept.chmod(0o444)
    for args in (("export", "reviews"), ("backup",)):
        result = subprocess.run(
            [*prefix, sys.executable, "-m", "drill", *args, "-o", str(kept)],
            env={**os.environ, **env},
            capture_output=True,
            text=True,
        )
        assert result.returncode == 1, result.stderr
        assert result.stderr == f"error: {kept}: cannot write: the file is read-only " + (
            "(make it writable, or choose another file name)\n"
        )
        assert kept.read_text(encoding="utf-8") == "mine\n"
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".partial")]
