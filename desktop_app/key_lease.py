"""The offline grace period at unlock: past it, central must vouch for this laptop before any
record is read (`sync.lease`; docs/security.md says what this does and does not stop).

`require_lease` runs right after the passphrase has opened the vault and before anything
about a child is read, in the GUI (on the vault lane) and in every headless command alike,
because both unlock through `desktop_app.session.unlock`. If central cannot be reached, or
will not vouch, the caller closes the vault again and shows the sentence; nothing in the
vault is changed, except on central's order to wipe, which is carried out as at sync.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from desktop_app.failures import UserFacingError
from desktop_app.policy import Policy
from records.wording import counted
from storage.vault import Vault
from storage.workspace import Workspace
from sync.engine import SyncEngine
from sync.errors import (
    KEPT,
    CentralRefused,
    CentralTooOld,
    DeviceRevoked,
    GrantNotProven,
    SyncProblem,
    WipeNotProven,
    WipeOrdered,
)
from sync.lease import KeyLease, Lease, LeaseState
from sync.ledger import SyncLedger
from sync.lost import erased_message, send_wipe_receipt
from sync.transport import CentralClient
from sync.wipe import WipeIncomplete, erase_vault

log = logging.getLogger("homevisit.lease")

LEASE_TIMEOUT_SECONDS = 15.0  # the worker is waiting at the unlock screen
LOCKED_AGAIN = f"{KEPT}, and the vault has been locked again."


class LeaseNotRenewed(UserFacingError):
    """The grace period is over and central did not vouch for this laptop just now."""

    def __init__(self, user_message: str, *, vault_erased: bool = False) -> None:
        super().__init__(user_message)
        self.vault_erased = vault_erased


def _when(moment: datetime) -> str:
    return moment.astimezone().strftime("%d %b %Y %H:%M")


def _why(state: LeaseState, lease: Lease, grace: timedelta) -> str:
    if state is LeaseState.CLOCK_SET_BACK:
        return (f"This laptop's clock reads earlier than a time Homevisit has already seen "
                f"({_when(lease.latest_seen_at)}), so the offline grace period cannot be "
                "counted and central must be reached before the visits are shown.")
    return (f"This laptop has not been in contact with central since "
            f"{_when(lease.last_contact_at)}, more than the {counted(grace.days, 'day')} your "
            "organisation allows offline, so central must be reached before the visits are "
            "shown.")


# complexity: one except per answer central can give; each leaves the vault differently
def require_lease(vault: Vault, workspace: Workspace, policy: Policy,
                  clock: Callable[[], datetime]) -> None:
    """Return when the vault may be shown; raise `LeaseNotRenewed` (vault left open for the
    caller to close, unless erased) when it may not."""
    lease = KeyLease(vault.connection, clock)
    grace = timedelta(days=policy.offline_grace_days or 36_500)
    checked = lease.check(grace)  # also moves the latest time seen forward
    if checked is None or policy.offline_grace_days is None:
        return  # not enrolled (nothing to vouch), or no grace period set
    state, current = checked
    if state is LeaseState.FRESH:
        return
    why = _why(state, current, grace)
    ledger = SyncLedger(vault.connection)
    enrollment = ledger.enrollment()
    assert enrollment is not None  # a lease exists only for an enrolled vault
    log.info("offline grace period over (%s): asking central", state.value)
    try:
        with CentralClient(enrollment.server_url, ca_file=policy.ca_file,
                           timeout_seconds=LEASE_TIMEOUT_SECONDS) as client:
            try:
                lease.renew(client, workspace.device, enrollment)
            except WipeOrdered as wipe:  # what central has not got goes first
                wipe.report = SyncEngine(vault.connection, workspace.device, client,
                                         audit=workspace.audit).push_before_erase(wipe)
                raise
    except WipeOrdered as wipe:
        log.warning("central ordered this vault erased at the lease check")
        try:
            erase_vault(vault.directory, vault.close)
        except WipeIncomplete as incomplete:  # central still hears how far it got
            send_wipe_receipt(wipe, datetime.now(UTC), erase=incomplete.outcome,
                              keep_in=vault.directory, ca_file=policy.ca_file,
                              timeout_seconds=LEASE_TIMEOUT_SECONDS)
            raise LeaseNotRenewed(incomplete.user_message) from None
        told = send_wipe_receipt(wipe, datetime.now(UTC), keep_in=vault.directory,
                                 ca_file=policy.ca_file, timeout_seconds=LEASE_TIMEOUT_SECONDS)
        raise LeaseNotRenewed(erased_message(wipe, told=told),
                              vault_erased=True) from None
    except DeviceRevoked:
        ledger.mark_revoked()
        raise LeaseNotRenewed(
            f"{why} Central says this laptop may no longer be used, so it cannot vouch for "
            f"it. {LOCKED_AGAIN} Contact IT: they can let this laptop back in at central, "
            "and then it opens with your passphrase.") from None
    except (WipeNotProven, GrantNotProven, CentralTooOld) as told:  # not "unreachable"
        raise LeaseNotRenewed(f"{why} {told.user_message} {LOCKED_AGAIN}") from None
    except CentralRefused as refusal:
        raise LeaseNotRenewed(
            f"{why} Central refused ({refusal.user_message}). {LOCKED_AGAIN} Check the "
            "laptop's date and time, then contact IT if it happens again.") from None
    except SyncProblem as problem:
        raise LeaseNotRenewed(
            f"{why} Central could not be reached ({problem}). {LOCKED_AGAIN} Connect to "
            "the network (or the VPN) and unlock again; if you cannot, call IT.") from None
    log.info("central vouched for this laptop: offline grace period renewed")
