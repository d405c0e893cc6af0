"""Erasing a vault when central says the laptop was reported lost.

The key slots go first: once `vault.keys` is overwritten and removed, the database is
ciphertext nobody can open, so a crash or a pulled plug part-way through leaves nothing
readable. Then the database and SQLite's -wal and -shm files are removed.
"""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Callable
from pathlib import Path

from storage.vault import Vault

log = logging.getLogger("homevisit.sync.wipe")


def _overwrite_and_remove(path: Path) -> None:
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        return
    with path.open("r+b") as handle:
        handle.write(os.urandom(max(size, 1)))
        handle.flush()
        os.fsync(handle.fileno())
    path.unlink()


def _sync_directory(directory: Path) -> None:
    with contextlib.suppress(OSError):
        descriptor = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


def destroy_key_slots(directory: Path) -> None:
    """Overwrite and remove `vault.keys`: from here on the database cannot be opened."""
    paths = Vault.paths(directory)
    _overwrite_and_remove(paths.key_file)
    _sync_directory(paths.directory)
    log.warning("vault key slots destroyed on central's instruction")


def erase_vault(directory: Path, close_connections: Callable[[], None]) -> None:
    """Destroy the key slots, close the vault, then remove the database files."""
    paths = Vault.paths(directory)
    destroy_key_slots(directory)
    close_connections()
    for path in (paths.database, *paths.database_companions, paths.lock_file):
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
    _sync_directory(paths.directory)
    log.warning("vault erased on central's instruction")
