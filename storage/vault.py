"""The encrypted vault on the laptop: create, unlock, recover, rotate, check, close.

A vault is a folder (``storage.vault_folder``) holding ``vault.db``, SQLCipher 4 opened with a
random 256-bit raw data key, never with a passphrase (``storage.vault_connection``);
``vault.keys``, the data key wrapped in key slots (``storage.vault_keys``,
``storage.keyslots``); and ``vault.commits``, the sealed count of changes the vault has
acknowledged (``storage.commit_seal``). ``Vault`` ties them together.

Every error that leaves ``create``/``unlock``/``recover`` is a ``storage.errors.VaultError``
with a message a worker can act on; a wrong passphrase never deletes anything.
"""

from __future__ import annotations

import hmac
import logging
import os
import uuid
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from types import TracebackType

from storage import commit_seal, key_file_format, keyslots, migrations, vault_keys
from storage.audit import AuditAction, AuditLog
from storage.errors import (
    ChangesMissing,
    MigrationFailed,
    VaultAlreadyExists,
    VaultDamaged,
)
from storage.keyslots import KdfParams, KeyFile, Throttle
from storage.vault_connection import (
    APPLICATION_ID,
    Connection,
    KeyDoesNotOpenError,
    attach_sealer,
    cipher_problems,
    close_keeping_wal,
    close_quietly,
    connect,
    database_problems,
    translated,
)
from storage.vault_folder import (
    VaultPaths,
    make_private_directory,
    remove_created,
    require_vault,
)
from storage.vault_keys import Opened

logger = logging.getLogger(__name__)


def check_vault(
    directory: Path,
    passphrase: str,
    *,
    failed_unlock_limit: int = keyslots.DEFAULT_FAILED_UNLOCK_LIMIT,
) -> list[str]:
    """Unlock ``directory`` read-only-in-spirit and list its problems (empty = healthy).

    For ``homevisit vault check``. Does not migrate. A wrong passphrase still counts
    towards the throttle, as it does for ``Vault.unlock``.
    """
    paths = Vault.paths(directory)
    with translated(paths, "check"):
        require_vault(paths)
        try:
            opened = vault_keys.unlock_with_passphrase(paths, passphrase, failed_unlock_limit)
        except VaultDamaged as exc:
            return exc.problems
        conn = opened.connection
        assert conn is not None
        try:
            problems = database_problems(conn)
            if problems:
                # Damaged pages: the schema version and the sealed count may be on them.
                return problems
            found = migrations.schema_version(conn)
            known = migrations.latest_version()
            if found > known:
                problems.append(f"schema version {found} is newer than this Homevisit ({known})")
            missing = commit_seal.missing_changes(
                conn, paths.commit_seal, paths.database, opened.vault_id)
            if missing is not None:
                problems.append(missing.problem)
            return problems
        finally:
            # A check changes nothing: not even the checkpoint a last close would run.
            close_keeping_wal(conn, paths.database, opened.key)
            keyslots.zero(opened.key)


def _refused_unless_accepted(
    conn: Connection,
    paths: VaultPaths,
    vault_id: uuid.UUID,
    accept_missing: Callable[[ChangesMissing], bool] | None,
) -> ChangesMissing | None:
    """Raise what the seal says is missing unless ``accept_missing`` accepts it; the accepted
    loss, or ``None`` when nothing is missing."""
    missing = commit_seal.missing_changes(conn, paths.commit_seal, paths.database, vault_id)
    if missing is not None:
        logger.error("vault refused: %s", missing.problem)
        if accept_missing is None or not accept_missing(missing):
            raise missing
    return missing


class Vault:
    """An unlocked vault. Use ``create``, ``unlock`` or ``recover``; close when done.

    Connections are in autocommit mode (``isolation_level=None``): the sqlite module
    never begins a transaction on its own, so repositories write with an explicit
    ``BEGIN IMMEDIATE`` … ``COMMIT`` (``ROLLBACK`` on error). ``connection`` belongs to
    the thread that unlocked the vault (the UI thread); a background thread calls
    ``open_connection()`` and closes that connection itself.

    The KDF makes ``create``, ``unlock``, ``recover``, ``change_passphrase`` and
    ``rotate_data_key`` take about half a second or more: never call them on the UI thread.

    The data key is held in a ``bytearray`` that ``close()`` overwrites. Python cannot
    promise there are no other copies (the hex string handed to ``PRAGMA key``, buffers
    inside ``cryptography``), so this narrows exposure rather than guaranteeing it.
    """

    def __init__(self, paths: VaultPaths, opened: Opened,
                 sealer: commit_seal.CommitSeal | None) -> None:
        self._paths = paths
        self._key = opened.key
        keyslots.pin(self._key)
        self._vault_id = opened.vault_id
        self._connection: Connection | None = opened.connection
        self._sealer = sealer
        attach_sealer(self._connection, self._sealer)
        self.failed_attempts_before_unlock: int = opened.failed_attempts_before_unlock

    # --- layout and lifecycle -----------------------------------------------------------

    @staticmethod
    def paths(directory: Path) -> VaultPaths:
        return VaultPaths.of(directory)

    @staticmethod
    def exists(directory: Path) -> bool:
        """Whether any part of a vault is in ``directory`` (so ``create`` would refuse)."""
        return VaultPaths.of(directory).any_exist()

    @classmethod
    def create(
        cls,
        directory: Path,
        passphrase: str,
        *,
        recovery_public_key: bytes | None = None,
        kdf: KdfParams | None = None,
        minimum_passphrase_length: int = 12,
    ) -> Vault:
        """Make a new vault; on any failure remove everything this call created."""
        keyslots.check_passphrase_length(passphrase, minimum_passphrase_length)
        if recovery_public_key is not None:
            keyslots.validate_recovery_public_key(recovery_public_key)
        paths = cls.paths(directory)
        if cls.exists(directory):
            raise VaultAlreadyExists(paths.directory)
        created_files: list[Path] = []
        created_directories: list[Path] = []
        key = bytearray(os.urandom(keyslots.DATA_KEY_BYTES))
        try:
            with translated(paths, "create"):
                created_directories.extend(make_private_directory(paths.directory))
                if not paths.lock_file.exists():
                    created_files.append(paths.lock_file)
                with key_file_format.locked(paths.lock_file):
                    if cls.exists(directory):
                        raise VaultAlreadyExists(paths.directory)
                    vault_id = uuid.uuid4()
                    key_file = KeyFile(
                        vault_id=vault_id,
                        passphrase=keyslots.wrap_with_passphrase(
                            key, passphrase, vault_id, kdf or keyslots.calibrate_kdf()
                        ),
                        recovery=None
                        if recovery_public_key is None
                        else keyslots.wrap_for_recovery(key, recovery_public_key, vault_id),
                    )
                    # Key file first: a database must never exist without a way to open it.
                    created_files.append(paths.key_file)
                    key_file_format.write(paths.key_file, key_file)
                    descriptor = os.open(
                        paths.database, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600
                    )
                    os.close(descriptor)
                    created_files.extend((paths.database, *paths.database_companions))
                    vault = cls._finish_creating(paths, Opened(key, vault_id, None, 0))
        except BaseException:
            keyslots.zero(key)
            remove_created(created_files, created_directories)
            raise
        logger.info("created vault %s", vault_id)
        return vault

    @classmethod
    def _finish_creating(cls, paths: VaultPaths, opened: Opened) -> Vault:
        conn = connect(paths.database, opened.key)
        try:
            conn.execute(f"PRAGMA application_id = {APPLICATION_ID:d}")
            migrations.migrate(conn)
            sealer = commit_seal.start(conn, paths.commit_seal, opened.vault_id)
        except BaseException:
            close_quietly(conn)
            raise
        return cls(paths, replace(opened, connection=conn), sealer)

    @classmethod
    def unlock(
        cls,
        directory: Path,
        passphrase: str,
        *,
        failed_unlock_limit: int = keyslots.DEFAULT_FAILED_UNLOCK_LIMIT,
    ) -> Vault:
        """Open with the passphrase; verify every page; bring the schema up to date."""
        paths = cls.paths(directory)
        with translated(paths, "unlock"):
            require_vault(paths)
            opened = vault_keys.unlock_with_passphrase(paths, passphrase, failed_unlock_limit)
            vault = cls._finish_opening(paths, opened)
        if vault.failed_attempts_before_unlock:
            logger.warning(
                "vault unlocked after %d failed attempts", vault.failed_attempts_before_unlock
            )
        logger.info("unlocked vault %s", vault.vault_id)
        return vault

    @classmethod
    def recover(
        cls,
        directory: Path,
        recovery_private_key: bytes,
        new_passphrase: str,
        *,
        kdf: KdfParams | None = None,
        minimum_passphrase_length: int = 12,
    ) -> Vault:
        """Open with IT's recovery key and set a new passphrase; the data is untouched.

        Also clears the failed-unlock count and re-enables the passphrase slot. With no
        ``kdf`` the previous passphrase slot's parameters are kept.
        """
        keyslots.check_passphrase_length(new_passphrase, minimum_passphrase_length)
        paths = cls.paths(directory)
        with translated(paths, "recover"):
            require_vault(paths)
            opened = vault_keys.unlock_with_recovery(
                paths, recovery_private_key, new_passphrase, kdf)
            vault = cls._finish_opening(paths, opened)
        logger.warning("vault %s opened with the recovery key; passphrase replaced", vault.vault_id)
        return vault

    @classmethod
    def _finish_opening(
        cls,
        paths: VaultPaths,
        opened: Opened,
        accept_missing: Callable[[ChangesMissing], bool] | None = None,
        actor: str = "",
    ) -> Vault:
        """Verify every page and the commit seal, then migrate and seal.

        Changes missing (``storage.commit_seal``) are refused before anything is written,
        unless ``accept_missing`` is given and says yes: then the loss is written to the
        audit log first, and the seal is made to match the database as it is.
        """
        conn = opened.connection
        assert conn is not None
        try:
            problems = cipher_problems(conn)
            if problems:
                logger.error("vault failed cipher_integrity_check: %d problems", len(problems))
                raise VaultDamaged(paths.database, problems)
            missing = _refused_unless_accepted(conn, paths, opened.vault_id, accept_missing)
            try:
                migrations.migrate(conn)
            except ValueError as exc:  # a misnamed or missing migration file in this build
                raise MigrationFailed(migrations.schema_version(conn), str(exc)) from exc
            if missing is not None:
                AuditLog(conn, actor).record(
                    AuditAction.LOSS_ACCEPTED, "vault",
                    "unknown" if missing.missing is None else str(missing.missing))
                logger.warning("vault %s: loss of saved changes accepted (%s)",
                               opened.vault_id, missing.problem)
            sealer = commit_seal.start(conn, paths.commit_seal, opened.vault_id)
        except ChangesMissing:
            close_keeping_wal(conn, paths.database, opened.key)
            keyslots.zero(opened.key)
            raise
        except BaseException:
            close_quietly(conn)
            keyslots.zero(opened.key)
            raise
        return cls(paths, opened, sealer)

    @classmethod
    def accept_missing_changes(
        cls,
        directory: Path,
        passphrase: str,
        confirm: Callable[[ChangesMissing], bool],
        *,
        actor: str,
        failed_unlock_limit: int = keyslots.DEFAULT_FAILED_UNLOCK_LIMIT,
    ) -> Vault:
        """Open a vault that ``unlock`` refuses for missing changes, if ``confirm`` agrees.

        For ``homevisit vault accept-rollback``: ``confirm`` is shown what is missing and
        returns whether IT accepts the loss; if not, ``ChangesMissing`` is raised as by
        ``unlock`` and nothing is changed. If so, the audit log records how many changes
        were accepted as lost before ``vault.commits`` is rewritten to match. ``confirm``
        is not called when nothing is missing.
        """
        paths = cls.paths(directory)
        with translated(paths, "accept missing changes"):
            require_vault(paths)
            opened = vault_keys.unlock_with_passphrase(paths, passphrase, failed_unlock_limit)
            return cls._finish_opening(paths, opened, confirm, actor)

    def close(self) -> None:
        """Close the UI connection and overwrite the in-memory data key. Idempotent."""
        close_quietly(self._connection)
        self._connection = None
        keyslots.zero(self._key)

    def __enter__(self) -> Vault:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    # --- connections ----------------------------------------------------------------------

    @property
    def directory(self) -> Path:
        return self._paths.directory

    @property
    def vault_id(self) -> uuid.UUID:
        return self._vault_id

    @property
    def is_open(self) -> bool:
        return self._connection is not None

    @property
    def connection(self) -> Connection:
        """The connection of the thread that opened the vault (autocommit)."""
        if self._connection is None:
            raise RuntimeError("the vault is closed")
        return self._connection

    @property
    def schema_version(self) -> int:
        return migrations.schema_version(self.connection)

    def open_connection(self) -> Connection:
        """Another connection with the same key and settings, for a background thread.

        The caller closes it, from the thread that uses it.
        """
        self._require_open()
        with translated(self._paths, "open connection"):
            try:
                conn = connect(self._paths.database, self._key)
            except KeyDoesNotOpenError:
                raise VaultDamaged(
                    self._paths.database, ["page 1 no longer decrypts with the vault's key"]
                ) from None
        attach_sealer(conn, self._sealer)
        return conn

    def check(self) -> list[str]:
        """Run ``cipher_integrity_check`` and ``integrity_check``; empty list = healthy."""
        return database_problems(self.connection)

    # --- key slots --------------------------------------------------------------------------

    def _require_open(self) -> None:
        if self._connection is None:
            raise RuntimeError("the vault is closed")

    def change_passphrase(
        self,
        old_passphrase: str,
        new_passphrase: str,
        *,
        kdf: KdfParams | None = None,
        minimum_passphrase_length: int = 12,
    ) -> None:
        """Rewrap the data key under a new passphrase; ``vault.db`` is not touched."""
        self._require_open()
        keyslots.check_passphrase_length(new_passphrase, minimum_passphrase_length)
        with (
            translated(self._paths, "change passphrase"),
            key_file_format.locked(self._paths.lock_file),
        ):
            key_file = vault_keys.read_for_change(self._paths, self._vault_id)
            vault_keys.verify_passphrase(key_file, old_passphrase, self._key)
            slot = keyslots.wrap_with_passphrase(
                self._key, new_passphrase, self._vault_id, kdf or key_file.passphrase.kdf
            )
            key_file_format.write(
                self._paths.key_file, replace(key_file, passphrase=slot, throttle=Throttle())
            )
        logger.info("vault %s: passphrase changed", self._vault_id)

    def recovery_public_key(self) -> bytes | None:
        """The recovery public key this vault's recovery slot is wrapped to; None: no slot."""
        self._require_open()
        with translated(self._paths, "read the key slots"):
            slot = key_file_format.read(self._paths.key_file).recovery
        return None if slot is None else slot.recipient_public_key

    def set_recovery_key(self, public_key: bytes | None) -> None:
        """Wrap the data key to IT's recovery public key, or remove the recovery slot."""
        self._require_open()
        if public_key is not None:
            keyslots.validate_recovery_public_key(public_key)
        with (
            translated(self._paths, "set recovery key"),
            key_file_format.locked(self._paths.lock_file),
        ):
            key_file = vault_keys.read_for_change(self._paths, self._vault_id)
            recovery = (
                None
                if public_key is None
                else keyslots.wrap_for_recovery(self._key, public_key, self._vault_id)
            )
            key_file_format.write(self._paths.key_file, replace(key_file, recovery=recovery))
        logger.info(
            "vault %s: recovery slot %s", self._vault_id, "set" if public_key else "removed"
        )

    def rotate_data_key(self, passphrase: str) -> None:
        """Re-encrypt the whole database under a new random data key, crash-safe
        (``storage.vault_keys.rotate_data_key``: an interrupted rotation is finished or
        undone by the next ``unlock``).

        Every other connection (``open_connection``) must be closed first, else
        ``VaultBusy``. Needs free disk space about the size of the database.
        """
        self._require_open()
        with translated(self._paths, "rotate data key"):
            new_key = vault_keys.rotate_data_key(
                self._paths, self.connection, self._key, self._vault_id, passphrase, self._adopt)
            self._use_key(new_key)
        logger.info("vault %s: data key rotated", self._vault_id)

    def _adopt(self, key: bytearray | None, conn: Connection | None) -> None:
        """After a failed rekey: the connection is gone (``None``), or reopened with ``key``."""
        self._connection = conn
        attach_sealer(conn, self._sealer)
        if key is None:
            return
        if hmac.compare_digest(key, self._key):
            keyslots.zero(key)
        else:
            self._use_key(key)

    def _use_key(self, key: bytearray) -> None:
        old_key, self._key = self._key, key
        keyslots.pin(self._key)
        keyslots.zero(old_key)
