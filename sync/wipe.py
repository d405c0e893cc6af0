"""Erasing a vault when central says the laptop was reported lost.

The order is written down first (`vault.erase-ordered`, synced to disk), then the key slots
go: once `vault.keys` is overwritten and removed, the database is ciphertext nobody can
open, so a crash or a pulled plug part-way through leaves nothing readable. Then the
database and SQLite's -wal and -shm files are removed, and the order last. An erase that
was interrupted is finished the next time the app or a command looks at the vault
(`finish_interrupted_erase`); until then the vault refuses to open and says why.
"""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from storage.vault import Vault, VaultPaths
from sync.errors import SyncProblem

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


class WipeIncomplete(SyncProblem):
    """The erase could not finish: the worker is told what is left and what to do."""

    def __init__(self, directory: Path, keys_gone: bool, error: OSError) -> None:
        done = ("Its keys were destroyed, so nobody can read what is left"
                if keys_gone else "Its keys could not be destroyed")
        super().__init__(
            f"Central reported this laptop lost and ordered its vault erased. {done}, but "
            f"some files could not be removed ({error.strerror or error}). Close Homevisit, "
            f"delete the folder {directory}, and tell IT.", detail=type(error).__name__)


def _write_erase_order(path: Path) -> None:
    with path.open("w", encoding="utf-8") as handle:
        handle.write(f"central ordered this vault erased; erase began {datetime.now(UTC)}\n")
        handle.flush()
        os.fsync(handle.fileno())


def destroy_key_slots(directory: Path) -> None:
    """Write down the erase order, then overwrite and remove `vault.keys` (and any
    half-written copy of it): from here on the database cannot be opened."""
    paths = Vault.paths(directory)
    try:
        if not paths.erase_ordered.exists():
            _write_erase_order(paths.erase_ordered)
            _sync_directory(paths.directory)
        _overwrite_and_remove(paths.key_file)
        for leftover in paths.directory.glob(f".{paths.key_file.name}.*.tmp"):
            _overwrite_and_remove(leftover)  # an interrupted key write's temporary file
    except OSError as error:
        raise WipeIncomplete(directory, keys_gone=False, error=error) from None
    _sync_directory(paths.directory)
    log.warning("vault key slots destroyed on central's instruction")


def erase_vault(directory: Path, close_connections: Callable[[], None]) -> None:
    """Destroy the key slots, close the vault, then remove the database files."""
    paths = Vault.paths(directory)
    destroy_key_slots(directory)
    close_connections()
    _remove_what_is_left(paths)
    log.warning("vault erased on central's instruction")


def _remove_what_is_left(paths: VaultPaths) -> None:
    for path in (paths.database, *paths.database_companions, paths.lock_file):
        try:
            path.unlink(missing_ok=True)
        except OSError as error:
            raise WipeIncomplete(paths.directory, keys_gone=True, error=error) from None
    _sync_directory(paths.directory)
    try:  # last: until it is gone, the next start finishes the erase
        paths.erase_ordered.unlink(missing_ok=True)
    except OSError as error:
        raise WipeIncomplete(paths.directory, keys_gone=True, error=error) from None
    _sync_directory(paths.directory)


def finish_interrupted_erase(directory: Path) -> bool:
    """Finish an erase that a crash, a pulled plug or a locked file interrupted; True if
    there was one. Nothing else may have the vault open (it cannot: its keys are gone)."""
    paths = Vault.paths(directory)
    if not paths.erase_ordered.exists():
        return False
    log.warning("finishing an erase of the vault that central ordered and was interrupted")
    destroy_key_slots(directory)
    _remove_what_is_left(paths)
    log.warning("vault erased on central's instruction (finished after an interruption)")
    return True
