"""Output files (`-o FILE`, backups): never the database, through symlinks, atomic when regular.

An output never replaces the database or its -wal/-shm files (compared by file identity, so a
symlink or hard link to the database is caught too). A symlink is written through to its
target, which stays a symlink's target. A regular file is replaced atomically: the new content
goes to a temporary file beside the target, is flushed to disk, and renamed over it, so a failed
write leaves the old file. Special files (pipes, terminals, /dev/null, /dev/stdout) are written
directly: they cannot be renamed over, and must not be.
"""

from __future__ import annotations

import io
import os
import re
import stat
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import IO, BinaryIO

from drill.errors import DrillError

# Beside the database: what SQLite keeps next to it, which an output must never replace.
DATABASE_SIDE_FILES = ("", "-wal", "-shm", "-journal")


class OutputError(DrillError):
    """An output file that cannot, or must not, be written."""


_FD_PATH = re.compile(r"^/(?:dev/fd|proc/self/fd|proc/thread-self/fd)/(\d+)$")
_STD_PATHS = {"/dev/stdout": 1, "/dev/stderr": 2}


def protected_files(database: Path | None) -> list[Path]:
    """The database and the files SQLite keeps beside it: never an output."""
    if database is None:
        return []
    return [database.with_name(database.name + suffix) for suffix in DATABASE_SIDE_FILES]


def _same_file(a: str, b: Path) -> bool:
    if os.path.realpath(b) == a:
        return True
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def _refuse_protected(shown: str, real: str, protect: Iterable[Path]) -> None:
    for path in protect:
        if _same_file(real, path):
            raise OutputError(
                f"{shown}: is drill's database ({path.name}); an output must not overwrite it "
                "(choose another file name)"
            )


def stream_target(path: str) -> int | None:
    """The file descriptor a /dev/stdout, /dev/fd/N or /proc/self/fd/N path names."""
    absolute = os.path.abspath(path)
    if absolute in _STD_PATHS:
        return _STD_PATHS[absolute]
    match = _FD_PATH.match(absolute)
    return int(match.group(1)) if match else None


@contextmanager
def output_text(path: Path | str, *, protect: Iterable[Path] = ()) -> Iterator[IO[str]]:
    """A UTF-8 text stream that writes `path` safely (see the module docstring)."""
    with output_binary(path, protect=protect) as raw:
        text = io.TextIOWrapper(raw, encoding="utf-8", newline="", write_through=False)
        try:
            yield text
            text.flush()
        finally:
            text.detach()


@contextmanager
def output_binary(path: Path | str, *, protect: Iterable[Path] = ()) -> Iterator[IO[bytes]]:
    """A binary stream that writes `path` safely (see the module docstring).

    The file is complete only when the block ends without an exception; on one, a regular
    file keeps its old content.
    """
    shown = str(path)
    fd = stream_target(shown)
    if fd is not None:
        # /dev/stdout and friends are this process's own streams: write to them (opening
        # them anew would truncate a file the shell opened for appending), after what
        # Python has buffered for them.
        for buffered in (sys.stdout, sys.stderr):
            with suppress(Exception):
                buffered.flush()
        stream = os.fdopen(os.dup(fd), "wb")
        with stream:
            yield stream
        return
    real, existing = _resolve_output(shown, protect)
    if existing is not None and not stat.S_ISREG(existing.st_mode):
        flags = os.O_WRONLY | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
        try:
            special = os.fdopen(os.open(real, flags), "wb")
        except OSError as exc:
            raise OutputError(f"{shown}: cannot write: {exc.strerror or exc}") from None
        with special:
            yield special
        return
    tmp, handle = _temporary_beside(real, shown, existing)
    try:
        with handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, real)
    except BaseException:
        with suppress(OSError):
            os.unlink(tmp)
        raise


@contextmanager
def output_path(path: Path | str, *, protect: Iterable[Path] = ()) -> Iterator[Path]:
    """A path to write the new content of `path` to, for libraries that write by name.

    Used for SQLite backups: the library writes the yielded path, which becomes `path` when
    the block ends without an exception. A special file (a pipe, /dev/stdout) gets the bytes
    copied into it afterwards.
    """
    shown = str(path)
    fd = stream_target(shown)
    real: str | None = None
    existing: os.stat_result | None = None
    if fd is None:
        real, existing = _resolve_output(shown, protect)
    if fd is not None or (existing is not None and not stat.S_ISREG(existing.st_mode)):
        # Loaded here: drill.files is on every command's path (storage opens the database
        # through it), and only this rare case needs them.
        import shutil
        import tempfile

        with tempfile.TemporaryDirectory(prefix="drill-out-") as folder:
            staged = Path(folder) / "output"
            yield staged
            with staged.open("rb") as source, output_binary(path, protect=protect) as out:
                shutil.copyfileobj(source, out)
        return
    assert real is not None
    tmp, handle = _temporary_beside(real, shown, existing)
    handle.close()
    try:
        yield Path(tmp)
        with open(tmp, "rb+") as written:
            os.fsync(written.fileno())
        os.replace(tmp, real)
    except BaseException:
        with suppress(OSError):
            os.unlink(tmp)
        raise


def _resolve_output(shown: str, protect: Iterable[Path]) -> tuple[str, os.stat_result | None]:
    """The real file `shown` names (through symlinks) and its stat, or None if it is new."""
    if shown == "":
        raise OutputError("no output file named (an empty path)")
    real = os.path.realpath(os.path.expanduser(shown))
    _refuse_protected(shown, real, protect)
    try:
        existing: os.stat_result | None = os.stat(real)
    except FileNotFoundError:
        existing = None
    except OSError as exc:
        raise OutputError(f"{shown}: cannot write: {exc.strerror or exc}") from None
    if existing is not None and stat.S_ISDIR(existing.st_mode):
        raise OutputError(f"{shown}: is a directory (name a file to write)")
    if existing is None and not os.path.isdir(os.path.dirname(real)):
        raise OutputError(f"{shown}: no such folder: {os.path.dirname(real)}")
    if existing is not None and stat.S_ISREG(existing.st_mode) and not os.access(real, os.W_OK):
        # The rename would replace it all the same (it needs only the folder writable); a
        # file made read-only is one its owner wants kept, as `>` in a shell keeps it.
        raise OutputError(
            f"{shown}: cannot write: the file is read-only (make it writable, or choose "
            "another file name)"
        )
    return real, existing


def _temporary_beside(
    real: str, shown: str, existing: os.stat_result | None
) -> tuple[str, BinaryIO]:
    """A new file beside `real` (same folder, so the rename is atomic), mode as the old one."""
    folder, name = os.path.split(real)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
    flags |= getattr(os, "O_BINARY", 0)
    # The old file's permissions, else the usual ones (0666 less the umask).
    mode = stat.S_IMODE(existing.st_mode) if existing is not None else 0o666
    for _ in range(100):
        # os.urandom is what secrets.token_hex draws from; secrets itself (hmac, hashlib)
        # would cost every command's start-up a few milliseconds.
        tmp = os.path.join(folder, f".{name}.{os.urandom(4).hex()}.partial")
        try:
            fd = os.open(tmp, flags, mode)
        except FileExistsError:
            continue
        except OSError as exc:
            raise OutputError(f"{shown}: cannot write: {exc.strerror or exc}") from None
        if existing is not None:
            with suppress(OSError, AttributeError):
                os.fchmod(fd, mode)  # the umask would have narrowed it
        return tmp, os.fdopen(fd, "wb")
    raise OutputError(f"{shown}: cannot create a temporary file beside it")  # pragma: no cover
