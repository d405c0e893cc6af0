"""Erasing a vault when central says the laptop was reported lost.

The order is written down first (`vault.erase-ordered`, synced to disk), then the key slots
go: once `vault.keys` is overwritten and removed, the database is ciphertext nobody can
open, so a crash or a pulled plug part-way through leaves nothing readable. Then the
database and SQLite's -wal and -shm files are removed, and the order last. An erase that
was interrupted after the keys went is finished the next time the app or a command looks
at the vault (`finish_interrupted_erase`); until then the vault refuses to open and says
why. No file is ever followed through a link.
"""

from __future__ import annotations

import contextlib
import logging
import os
import stat
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from storage.vault import Vault
from storage.vault_folder import VaultPaths
from sync.errors import SyncProblem
from sync.wipe_wire import EraseOutcome

log = logging.getLogger("homevisit.sync.wipe")


# Never through a symbolic link (where the system can refuse one), never waiting on a FIFO
# swapped in, and binary on Windows.
_OPEN_FLAGS = (getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
               | getattr(os, "O_BINARY", 0))


def _write_all(descriptor: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(descriptor, view)
        if written <= 0:
            raise OSError("the file took no more bytes")
        view = view[written:]


def _overwrite_and_remove(path: Path) -> None:
    """Overwrite the vault's own file in place, then remove it. Anything else in its place
    (a symbolic or hard link to a file elsewhere, a FIFO) is only removed: something planted
    in the folder must not aim the overwrite at another file."""
    try:
        found = path.lstat()
    except FileNotFoundError:
        return
    if stat.S_ISREG(found.st_mode) and found.st_nlink == 1:
        descriptor = os.open(path, os.O_WRONLY | _OPEN_FLAGS)
        try:
            opened = os.fstat(descriptor)
            if (opened.st_dev, opened.st_ino) == (found.st_dev, found.st_ino):  # no swap
                _write_all(descriptor, os.urandom(max(found.st_size, 1)))
                os.fsync(descriptor)
        finally:
            os.close(descriptor)
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
        self.keys_gone = keys_gone

    @property
    def outcome(self) -> EraseOutcome:
        """What the wipe receipt says of this erase."""
        return "files_left" if self.keys_gone else "keys_left"


def _write_erase_order(path: Path) -> None:
    """A new file (never through a link planted in its place), synced to disk."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _OPEN_FLAGS, 0o600)
    try:
        _write_all(descriptor, f"central ordered this vault erased; erase began "
                               f"{datetime.now(UTC)}\n".encode())
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def destroy_key_slots(directory: Path) -> None:
    """Write down the erase order, then overwrite and remove `vault.keys` (and any
    half-written copy of it): from here on the database cannot be opened."""
    paths = Vault.paths(directory)
    try:
        if not os.path.lexists(paths.erase_ordered):
            with contextlib.suppress(FileExistsError):  # written meanwhile: it is there
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
    there was one. Nothing else may have the vault open (it cannot: its keys are gone).

    Only a vault whose keys are already gone is erased here: the order's file alone proves
    nothing (anyone who can write to the folder could put it there). With the keys still
    in place the file is removed and nothing else is touched; if central did order the
    erase, its signed order comes again at the laptop's next contact."""
    paths = Vault.paths(directory)
    if not os.path.lexists(paths.erase_ordered):
        return False
    if os.path.lexists(paths.key_file):
        log.warning("an erase order's file was found beside intact keys: removed, and "
                    "nothing erased (central's signed order decides)")
        try:
            paths.erase_ordered.unlink()
        except OSError as error:
            raise WipeIncomplete(paths.directory, keys_gone=False, error=error) from None
        return False
    log.warning("finishing an erase of the vault that central ordered and was interrupted")
    destroy_key_slots(directory)
    _remove_what_is_left(paths)
    log.warning("vault erased on central's instruction (finished after an interruption)")
    return True
