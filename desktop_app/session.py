"""Opening a worker's vault: unlock, check the offline grace period, audit the unlock, and
wire the repositories once."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from desktop_app.failures import UserFacingError
from desktop_app.key_lease import require_lease
from desktop_app.policy import Policy
from storage.audit import AuditAction
from storage.vault import Vault
from storage.workspace import Workspace
from sync.kept_receipt import KEPT_RECEIPT_NAME, send_kept_receipt
from sync.wipe import WipeIncomplete, finish_interrupted_erase

ACTOR = "worker"


@dataclass
class Session:
    vault: Vault
    workspace: Workspace

    def close(self) -> None:
        self.vault.close()

    def __enter__(self) -> Session:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


class ErasureFinished(UserFacingError):
    """An erase interrupted after the key slots went (central's order) is done now."""

    vault_erased = True  # the window goes back to first run

    def __init__(self) -> None:
        super().__init__(
            "This vault could not be opened: its keys had been destroyed by an erase that "
            "did not finish (Homevisit erases a vault when central reports the laptop lost). "
            "The erase has now been finished, and nothing of the vault is left on this "
            "laptop. If you did not expect this, tell IT.")


def finish_ordered_erase(directory: Path) -> None:
    """Before anything opens the vault: finish an erase central ordered that a crash, a
    pulled plug or a locked file interrupted (`ErasureFinished`, or what is left to do)."""
    if _finish_interrupted_erase(directory):
        raise ErasureFinished()


def tell_central_of_an_erase(directory: Path, policy: Policy) -> threading.Thread | None:
    """A wipe receipt kept since this folder's vault was erased (central was not reached
    then) goes now, on a thread of its own so no window waits on the network; it is deleted
    once central has it (`sync.kept_receipt`). None: there is none."""
    if not os.path.lexists(directory / KEPT_RECEIPT_NAME):
        return None
    sender = threading.Thread(target=send_kept_receipt, args=(directory,),
                              kwargs={"ca_file": policy.ca_file}, daemon=True,
                              name="wipe-receipt")
    sender.start()
    return sender


def _finish_interrupted_erase(directory: Path) -> bool:
    """`sync.wipe.finish_interrupted_erase`, with what is left said to the worker."""
    try:
        return finish_interrupted_erase(directory)
    except WipeIncomplete as incomplete:
        raise UserFacingError(incomplete.user_message) from None


def _workspace(vault: Vault, policy: Policy) -> Workspace:
    return Workspace.over(
        vault.connection,
        actor=ACTOR,
        standards=policy.visit_standards,
        max_attachment_bytes=policy.max_photo_megabytes * 1024 * 1024,
    )


class RecoveryKeyUnavailable(UserFacingError):
    """IT's policy sets the recovery key, but it could not be read or used."""

    def __init__(self) -> None:
        super().__init__(
            "The vault was not created: IT's policy is meant to give this laptop the "
            "organisation's recovery key, but the policy could not be read or its recovery "
            "key is not valid ('homevisit policy show' says why). Without it a forgotten "
            "passphrase would lose every record. Nothing was created; ask IT to correct the "
            "policy, then try again.")


def create_vault(directory: Path, passphrase: str, policy: Policy, *,
                 recovery_key_managed: bool = False) -> Session:
    """Make a vault, wrapped to the policy's recovery key. `recovery_key_managed`: IT's
    policy sets that key (or could not be read), so a vault without one is refused."""
    if recovery_key_managed and policy.recovery_public_key is None:
        raise RecoveryKeyUnavailable()
    _finish_interrupted_erase(directory)  # first run after an erase that could not finish
    vault = Vault.create(
        directory,
        passphrase,
        recovery_public_key=policy.recovery_key_bytes,
        minimum_passphrase_length=policy.minimum_passphrase_length,
    )
    session = Session(vault, _workspace(vault, policy))
    session.workspace.audit.record(AuditAction.VAULT_CREATED)
    return session


def _now() -> datetime:
    return datetime.now(UTC)


def unlock(directory: Path, passphrase: str, policy: Policy, *,
           clock: Callable[[], datetime] = _now) -> Session:
    """Open the vault; failed tries before this one are written to its audit log now.

    Past the policy's offline grace period, central must vouch for the laptop before the
    session is handed out (`desktop_app.key_lease`); if it does not, the vault is closed
    again and `desktop_app.key_lease.LeaseNotRenewed` says why."""
    finish_ordered_erase(directory)
    vault = Vault.unlock(directory, passphrase, failed_unlock_limit=policy.failed_unlock_limit)
    try:
        session = Session(vault, _workspace(vault, policy))
        for _ in range(vault.failed_attempts_before_unlock):
            session.workspace.audit.record(AuditAction.UNLOCK_FAILED)
        require_lease(vault, session.workspace, policy, clock)
    except BaseException:
        vault.close()  # idempotent: after a wipe order it is already closed
        raise
    session.workspace.audit.record(AuditAction.UNLOCKED)
    return session


def recover(directory: Path, recovery_private_key: bytes, new_passphrase: str,
            policy: Policy) -> Session:
    finish_ordered_erase(directory)
    vault = Vault.recover(
        directory, recovery_private_key, new_passphrase,
        minimum_passphrase_length=policy.minimum_passphrase_length,
    )
    session = Session(vault, _workspace(vault, policy))
    session.workspace.audit.record(AuditAction.RECOVERED)
    return session
