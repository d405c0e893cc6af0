"""Writing a file outside the database so that a crash leaves the old file or the new one.

Temp file in the same directory, write, flush, fsync, `os.replace`, then fsync the
directory so the rename itself survives a power cut. Owner-only permissions from the start.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO


@contextlib.contextmanager
def atomic_writer(target: Path, mode: int = 0o600) -> Iterator[IO[bytes]]:
    """Yield a binary file; on success it replaces `target` whole, on failure it vanishes."""
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp",
                                         dir=target.parent)
    try:
        os.chmod(temporary, mode)  # os.fchmod is POSIX-only before Python 3.13
        with os.fdopen(handle, "wb") as stream:
            yield stream
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise
    fsync_directory(target.parent)


def atomic_write(target: Path, data: bytes, mode: int = 0o600) -> None:
    with atomic_writer(target, mode) as stream:
        stream.write(data)


def fsync_directory(directory: Path) -> None:
    if os.name != "posix":
        return
    descriptor = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
