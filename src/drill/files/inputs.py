"""Input files drill did not create: only regular files, each kind under a size cap.

Input files are untrusted. A FIFO would block forever and a device such as /dev/zero never
ends, so both are refused before a byte is read (the file is opened non-blocking, then checked
with fstat). Each kind of input has a size cap, checked against the file's size and again while
reading (a file can grow, and /proc files say 0).
"""

from __future__ import annotations

import io
import os
import stat
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from drill.errors import DeckError

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
    name = display or str(path)
    raw, size = _open_regular(path, name, limit)
    with raw:
        # The size the file had when opened, read straight into the bytes returned: a
        # buffered read() gathers chunks and joins them, which takes twice a large deck's
        # memory. What follows (a file that grew, a /proc file that says 0) is read capped.
        data = raw.read(size) if size else b""
        rest = _Capped(raw, limit - len(data), name).readall()
        return data + rest if rest else data


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
