"""Editing text in the user's $VISUAL / $EDITOR without ever losing what they typed.

The text is edited in a draft file beside the database (`drafts/`), not in a temporary file
that vanishes: if the editor fails, saves in another encoding, or the answer cannot be stored,
the draft stays and drill says where it is. Opening the same answer again resumes the draft.
Only once the text is safely stored is the draft deleted.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from drill.errors import DrillError


class EditorError(DrillError):
    """The editor could not be run or did not finish; the draft (if any) is kept."""


@dataclass(frozen=True, slots=True)
class Edited:
    """What came back from the editor: the text, and a note when it needed reading kindly."""

    text: str
    changed: bool
    note: str = ""


def editor_command(environ: dict[str, str] | None = None) -> list[str]:
    """The editor to run, as arguments: $VISUAL, else $EDITOR, else a common one.

    A value that cannot be split like a shell would (an unbalanced quote) is an EditorError
    naming the variable.
    """
    env = os.environ if environ is None else environ
    for key in ("VISUAL", "EDITOR"):
        value = env.get(key, "").strip()
        if not value:
            continue
        try:
            parts = shlex.split(value, posix=os.name != "nt")
        except ValueError as exc:
            raise EditorError(
                f"${key} is not a command drill can run ({exc}): {value!r}; "
                f"fix it, e.g. export {key}=nano"
            ) from None
        if parts:
            return parts
    if os.name == "nt":
        return ["notepad"]
    for fallback in ("sensible-editor", "nano", "vim", "vi"):
        if shutil.which(fallback):
            return [fallback]
    raise EditorError("no editor found: set $VISUAL or $EDITOR (e.g. export EDITOR=nano)")


def decode_saved(data: bytes) -> tuple[str, str]:
    """The text of a file an editor saved, and a note when it was not UTF-8.

    Editors save UTF-8 (with or without a BOM), UTF-16 (with a BOM) or a legacy 8-bit
    encoding; the last is read as Windows-1252 (Latin-1 with the printable extras), which
    never fails, so the typed text is never lost to a decoding error.
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "read as UTF-16"
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8-sig"), ""
    except UnicodeDecodeError:
        pass
    if data.count(b"\x00") * 4 >= len(data) > 1:
        for codec in ("utf-16-le", "utf-16-be"):
            try:
                return data.decode(codec), "read as UTF-16"
            except UnicodeDecodeError:
                continue
    try:
        return data.decode("cp1252"), "not UTF-8: read as Windows-1252 (Latin-1)"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "not UTF-8: read as Latin-1"


def edit_draft(draft: Path, start: str) -> Edited:
    """Open `draft` in the editor (written from `start` unless a draft is already there).

    Returns what the editor saved. The draft is left in place; the caller deletes it once
    the text is stored (`discard`). EditorError, with the draft kept, if the editor cannot
    be run or fails.
    """
    command = editor_command()
    resumed = draft.exists()
    if not resumed:
        draft.parent.mkdir(parents=True, exist_ok=True)
        draft.write_text(start, encoding="utf-8")
    before = draft.read_bytes()
    try:
        code = subprocess.call([*command, str(draft)])
    except OSError as exc:
        if not resumed:
            draft.unlink(missing_ok=True)  # nothing was typed yet
        raise EditorError(
            f"cannot run the editor {command[0]!r}: {exc.strerror or exc} "
            "(set $VISUAL or $EDITOR to an editor you have)"
        ) from None
    data = draft.read_bytes() if draft.exists() else b""
    if code != 0:
        raise EditorError(
            f"the editor exited with status {code}; your text is kept in {draft} "
            "(run the same command again to go on editing it)"
        )
    text, note = decode_saved(data)
    changed = resumed or data != before
    if resumed:
        note = (note + "; " if note else "") + f"resumed the unsaved draft {draft}"
    return Edited(text, changed, note)


def discard(draft: Path) -> None:
    """The text is stored: the draft is no longer needed."""
    try:
        draft.unlink(missing_ok=True)
    except OSError as exc:  # pragma: no cover - a read-only folder
        print(f"warning: could not delete the draft {draft}: {exc}", file=sys.stderr)
