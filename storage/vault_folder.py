"""The vault's folder: which files make a vault, and making or cleaning up the folder.

A vault is a directory holding ``vault.db`` (SQLCipher 4, see ``storage.vault_connection``),
``vault.keys`` (the data key wrapped in key slots, see ``storage.keyslots``),
``vault.commits`` (the sealed count of changes the vault has acknowledged, see
``storage.commit_seal``) and ``vault.lock`` (an empty file used only to serialise changes
to ``vault.keys``).
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path

from storage import commit_seal
from storage.errors import KeyFileMissing, VaultDamaged, VaultErasureUnfinished, VaultMissing

logger = logging.getLogger(__name__)

DATABASE_NAME = "vault.db"
KEY_FILE_NAME = "vault.keys"
LOCK_FILE_NAME = "vault.lock"
# Written before an ordered erase destroys the key slots, removed when the erase is done:
# while it exists the vault is half-erased and nobody can open it (`sync.wipe`).
ERASE_ORDERED_NAME = "vault.erase-ordered"


@dataclass(frozen=True)
class VaultPaths:
    directory: Path
    database: Path
    key_file: Path
    lock_file: Path
    erase_ordered: Path

    @classmethod
    def of(cls, directory: Path) -> VaultPaths:
        directory = Path(directory)
        return cls(
            directory=directory,
            database=directory / DATABASE_NAME,
            key_file=directory / KEY_FILE_NAME,
            lock_file=directory / LOCK_FILE_NAME,
            erase_ordered=directory / ERASE_ORDERED_NAME,
        )

    @property
    def commit_seal(self) -> Path:
        return self.directory / commit_seal.SEAL_FILE_NAME

    @property
    def database_companions(self) -> tuple[Path, ...]:
        """Files kept beside the database: SQLite's (WAL, shared memory, rollback journal)
        and the seal of its acknowledged changes (``vault.commits``)."""
        return (
            *(self.database.with_name(self.database.name + suffix)
              for suffix in ("-wal", "-shm", "-journal")),
            self.commit_seal,
        )

    def any_exist(self) -> bool:
        """Whether any part of a vault is here (so creating one would refuse)."""
        candidates = (self.database, self.key_file, *self.database_companions,
                      self.erase_ordered)
        return any(path.exists() for path in candidates)


def require_vault(paths: VaultPaths) -> None:
    """Refuse, saying what is missing, unless both the database and its key file are here."""
    database_exists = paths.database.exists()
    key_file_exists = paths.key_file.exists()
    if os.path.lexists(paths.erase_ordered) and not key_file_exists:
        raise VaultErasureUnfinished(paths.directory)
    if not database_exists and not key_file_exists:
        raise VaultMissing(paths.directory)
    if not key_file_exists:
        raise KeyFileMissing(paths.key_file)
    if not database_exists:
        raise VaultDamaged(paths.database, ["the database file is missing"])


def make_private_directory(directory: Path) -> list[Path]:
    """Create ``directory`` (0700) and missing parents; return what was created, outermost first."""
    missing: list[Path] = []
    candidate = directory
    while not candidate.exists() and candidate != candidate.parent:
        missing.append(candidate)
        candidate = candidate.parent
    created: list[Path] = []
    for path in reversed(missing):
        path.mkdir(mode=0o700)
        created.append(path)
    os.chmod(directory, 0o700)
    return created


def remove_created(files: list[Path], directories: list[Path]) -> None:
    """Undo a failed create: remove what it made, innermost directory last."""
    for path in files:
        try:
            path.unlink(missing_ok=True)
        except OSError:
            logger.warning("could not remove %s after a failed create", path.name)
    for directory in reversed(directories):
        try:
            directory.rmdir()
        except OSError:
            logger.warning("could not remove a directory after a failed create")
