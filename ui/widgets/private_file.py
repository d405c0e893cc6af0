"""Writing an output file (a visit or chronology PDF) that only its owner can read, in one step.

Qt-free, so the file step can be tested and read on its own; ui/ does not reach into storage/,
whose own atomic writer does the same for the vault's files.
"""

from __future__ import annotations

import os
from pathlib import Path


def write_private(destination: Path, data: bytes) -> None:
    """Write `data` beside `destination` with mode 0600, fsync it, move it into place in one
    step and fsync the folder, so a crash leaves either the old file or the whole new one."""
    partial = destination.with_name(f".{destination.name}.part")
    try:
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(partial, 0o600)
        os.replace(partial, destination)
    finally:
        partial.unlink(missing_ok=True)
    folder = os.open(destination.parent, os.O_RDONLY)
    try:
        os.fsync(folder)
    finally:
        os.close(folder)
