"""The one place drill opens files it did not create: inputs to read, outputs to write.

It sits beside errors.py, below io/ and storage/, because both layers open files; it imports
only errors.py, and core/ never imports it (core does no I/O).
"""

from drill.files.inputs import (
    GIB,
    HEAD_BYTES,
    HISTORY_LIMIT,
    KIB,
    MIB,
    PACKAGE_LIMIT,
    TEXT_LIMIT,
    check_input,
    open_input,
    read_head,
    read_input,
    size_text,
)
from drill.files.outputs import (
    DATABASE_SIDE_FILES,
    OutputError,
    output_binary,
    output_path,
    output_text,
    protected_files,
    stream_target,
)

__all__ = [
    "DATABASE_SIDE_FILES",
    "GIB",
    "HEAD_BYTES",
    "HISTORY_LIMIT",
    "KIB",
    "MIB",
    "PACKAGE_LIMIT",
    "TEXT_LIMIT",
    "OutputError",
    "check_input",
    "open_input",
    "output_binary",
    "output_path",
    "output_text",
    "protected_files",
    "read_head",
    "read_input",
    "size_text",
    "stream_target",
]
