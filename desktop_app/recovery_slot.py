"""The vault's recovery slot following IT's policy: one definition for the CLI
(`homevisit vault add-recovery-key` / `rotate-recovery-key`) and the app's offer at unlock.

Only a key IT's policy sets counts: one from the worker's own settings file is never IT's.
The vault is open (its data key in memory), so the slot is wrapped to the policy's recovery
public key without the passphrase being asked again; the records are not touched. Each
change is a line in the vault's audit trail.
"""

from __future__ import annotations

from desktop_app.policy import Policy
from desktop_app.session import Session
from storage.audit import AuditAction
from ui.services import RecoveryChange


def change_wanted(opened: Session, policy: Policy, *,
                  managed: bool) -> RecoveryChange | None:
    """None when IT does not set the recovery key (`managed`: `recovery_public_key` is among
    the keys IT's policy sets), the policy names no usable one, or the vault's slot is its
    key. A key from the worker's own settings file is never offered as IT's: anyone who
    can write that file could otherwise have the vault wrapped to a key they hold."""
    wanted = policy.recovery_key_bytes
    if not managed or wanted is None:
        return None
    current = opened.vault.recovery_public_key()
    if current == wanted:
        return None
    return "add" if current is None else "replace"


def wrap_to_policy_key(opened: Session, policy: Policy) -> None:
    """Wrap the open vault's data key to the policy's recovery key (replacing any other
    recovery slot: the old key no longer opens it), and record it in the audit trail."""
    wanted = policy.recovery_key_bytes
    if wanted is None:
        raise ValueError("the policy names no recovery key")
    opened.vault.set_recovery_key(wanted)
    opened.workspace.audit.record(AuditAction.RECOVERY_KEY_SET)
