"""The one place drill opens files it did not create: input files to read, output files to write.

Input files are untrusted. Only regular files are read: a FIFO would block forever and a
device such as /dev/zero never ends, so both are refused before a byte is read (the file is
opened non-blocking, then checked with fstat). Each kind of input has a size cap, checked
against the file's size and again while reading (a file can grow, and /proc files say 0).

Output files (`-o FILE`, backups) never replace the database or its -wal/-shm files (compared
by file identity, so a symlink or hard link to the database is caught too). A symlink is
written through to its target, which stays a symlink's target. A regular file is replaced
atomically: the new content goes to a temporary file beside the target, is flushed to disk,
and renamed over it, so a failed write leaves the old file. Special files (pipes, terminals,
/dev/null, /dev/stdout) are written directly: they cannot be renamed over, and must not be.

This module sits beside errors.py, below io/ and storage/, because both layers open files.
"""

from __future__ import annotations

import io
import os
import re
import secrets
import shutil
import stat
import sys
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import IO, BinaryIO

from drill.errors import DeckError, DrillError

KIB = 1024
MIB = 1024 * KIB
GIB = 1024 * MIB
# What drill reads from one file of each kind (docs/limits.md). A deck of a thousand long
# questions is about 5 MB; review history is about 100 bytes a review.
TEXT_LIMIT = 64 * MIB
HISTORY_LIMIT = 1 * GIB
PACKAGE_LIMIT = 2 * GIB
# Formats sniff their kind from this many leading bytes.
HEAD_BYTES = 8192
# Beside the database: what SQLite keeps next to it, which an output must never replace.
DATABASE_SIDE_FILES = ("", "-wal", "-shm", "-journal")


class OutputError(DrillError):
    """An output file that cannot, or must not, be written."""


def size_text(size: int) -> str:
    """A byte count for people: 512 bytes, 64 MiB, 1.5 GiB."""
    for unit, scale in (("GiB", GIB), ("MiB", MIB), ("KiB", KIB)):
        if size >= scale:
            value = size / scale
            return f"{value:.0f} {unit}" if value == int(value) else f"{value:.1f} {unit}"
    return f"{size} byte{'' if size == 1 else 's'}"


# -- input -------------------------------------------------------------------------------------


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def _input_problem(name: str, message: str, hint: str = "") -> DeckError:
    return DeckError.at(name, 0, message, hint)


def _too_large(name: str, limit: int) -> DeckError:
    return _input_problem(
        name,
        f"larger than the {size_text(limit)} drill reads from a file of this kind",
        "split it into smaller files (see docs/limits.md)",
    )


class _Capped(io.RawIOBase):
    """A file that raises DeckError once more than `limit` bytes have been read from it."""

    def __init__(self, raw: BinaryIO, limit: int, name: str) -> None:
        self._raw = raw
        self._left = limit
        self._limit = limit
        self._name = name

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        view = memoryview(buffer)
        count = self._raw.readinto(view[: self._left + 1]) or 0  # type: ignore[attr-defined]
        if count > self._left:
            raise _too_large(self._name, self._limit)
        self._left -= count
        return count

    def close(self) -> None:
        self._raw.close()
        super().close()


def _open_regular(path: Path | str, name: str, limit: int) -> tuple[BinaryIO, int]:
    """Open `path` for reading if it is a regular file within `limit`; (handle, size)."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    flags |= getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
    if str(path) == "":
        raise _input_problem("''", "no file named (an empty path)")
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise _input_problem(name, "no such file") from None
    except IsADirectoryError:
        raise _input_problem(name, "is a directory, not a file") from None
    except OSError as exc:
        raise _input_problem(name, f"cannot read: {exc.strerror or exc}") from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise _input_problem(name, "is a directory, not a file")
        if not stat.S_ISREG(info.st_mode):
            raise _input_problem(
                name,
                f"is {_kind(info.st_mode)}, not a regular file",
                "save what it holds to a file and read that",
            )
        if info.st_size > limit:
            raise _too_large(name, limit)
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        handle = os.fdopen(fd, "rb", buffering=0)
    except BaseException:
        os.close(fd)
        raise
    return handle, info.st_size


@contextmanager
def open_input(
    path: Path | str, *, limit: int, display: str | None = None, seekable: bool = False
) -> Iterator[BinaryIO]:
    """A binary reader of the regular file `path`, at most `limit` bytes.

    DeckError (`FILE: message`) for a missing file, a directory, a FIFO or device, a file
    larger than `limit`, or one that grows past it while being read. `seekable` gives the
    file itself (for zip archives), capped by its size when opened.
    """
    name = display or str(path)
    raw, _ = _open_regular(path, name, limit)
    if seekable:
        with raw:
            yield raw
        return
    with io.BufferedReader(_Capped(raw, limit, name), buffer_size=1 << 16) as reader:
        yield reader


def read_input(path: Path | str, *, limit: int, display: str | None = None) -> bytes:
    """The bytes of the regular file `path` (see `open_input`)."""
    with open_input(path, limit=limit, display=display) as handle:
        return handle.read()


def read_head(path: Path | str, size: int = HEAD_BYTES, *, display: str | None = None) -> bytes:
    """The first `size` bytes of the regular file `path`, to tell its format."""
    name = display or str(path)
    raw, _ = _open_regular(path, name, sys.maxsize)
    with raw:
        return raw.read(size) or b""


def check_input(path: Path | str, *, limit: int, display: str | None = None) -> int:
    """Check that `path` is a regular file within `limit` without reading it; its size.

    For files another library opens by name (SQLite opens a backup being restored).
    """
    raw, size = _open_regular(path, display or str(path), limit)
    raw.close()
    return size


# -- output ------------------------------------------------------------------------------------

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
        tmp = os.path.join(folder, f".{name}.{secrets.token_hex(4)}.partial")
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
