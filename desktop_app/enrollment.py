"""Enrolling an open vault with central: one way, for `homevisit enroll`, the app and the demo.

Which address is used is decided here once: the one IT's policy fixes, else the one typed,
else the policy's default. Every refusal becomes a `SyncProblem` whose sentence says what
happened, that nothing on the laptop was lost or changed, and what to do, so the command
line and the window can show it as it is.
"""

from __future__ import annotations

import platform
from typing import TYPE_CHECKING

from desktop_app.policy import Policy
from desktop_app.session import Session
from sync.enrollment import enroll as enroll_device
from sync.errors import (
    KEPT,
    CentralNotTrusted,
    CentralRefused,
    CentralUnreachable,
    SyncProblem,
)
from sync.ledger import Enrollment
from sync.transport import DEFAULT_TIMEOUT_SECONDS, CentralClient, checked_server_url

if TYPE_CHECKING:
    from ui.services import Connected, VisitServices

# A laptop that cannot reach central should say so soon: the worker is waiting for it.
ENROLL_TIMEOUT_SECONDS = 15.0


class NoServerAddress(SyncProblem):
    def __init__(self) -> None:
        super().__init__(
            "No address for central was given and policy sets none, so nothing was sent. "
            "Type the address IT gave you (https://…) and try again.")


class ServerAddressManaged(SyncProblem):
    def __init__(self, managed: str) -> None:
        super().__init__(
            f"IT's policy fixes central's address as {managed}, so this laptop cannot enroll "
            "with another. Nothing was changed.")


class EnrollmentRefused(SyncProblem):
    """Central answered and said no (wrong, used or expired code; account disabled)."""

    def __init__(self, refusal: CentralRefused) -> None:
        super().__init__(f"{refusal.user_message} Nothing on this laptop was changed, and "
                         "your visits are kept.", str(refusal))
        self.code = refusal.code


class EnrollmentUnreachable(SyncProblem):
    transient = True

    def __init__(self, server_url: str, detail: str) -> None:
        super().__init__(
            f"Central at {server_url} could not be reached ({detail}), so this laptop is not "
            f"connected yet. {KEPT}. Check the network connection and the address, then try "
            "again.", detail)


class EnrollmentNotTrusted(SyncProblem):
    def __init__(self, server_url: str) -> None:
        super().__init__(
            f"Central at {server_url} could not prove who it is (its certificate is not "
            f"trusted), so nothing was sent to it. {KEPT}. Tell IT: the address may be wrong, "
            "or this laptop may need the organisation's certificate in its policy.")


def central_address(typed: str | None, policy: Policy, *, managed: bool) -> str:
    """The address to enroll with: IT's when managed, else the one typed, else policy's."""
    typed = (typed or "").strip() or None
    if managed and policy.server_url is not None:
        if typed is not None and typed.rstrip("/") != policy.server_url.rstrip("/"):
            raise ServerAddressManaged(policy.server_url)
        return checked_server_url(policy.server_url)
    address = typed or policy.server_url
    if address is None:
        raise NoServerAddress()
    return checked_server_url(address)


def enroll_session(session: Session, server_url: str, code: str, policy: Policy, *,
                   label: str = "",
                   timeout_seconds: float = DEFAULT_TIMEOUT_SECONDS) -> Enrollment:
    """Register this vault's device key with central using a one-time code."""
    workspace = session.workspace
    try:
        with CentralClient(server_url, ca_file=policy.ca_file,
                           timeout_seconds=timeout_seconds) as client:
            return enroll_device(session.vault.connection, workspace.device, client, code,
                                 workspace.audit, label=label)
    except CentralNotTrusted as problem:
        raise EnrollmentNotTrusted(problem.server_url) from None
    except CentralUnreachable as problem:
        raise EnrollmentUnreachable(problem.server_url, str(problem)) from None
    except CentralRefused as refusal:
        raise EnrollmentRefused(refusal) from None



def enroll_from_window(services: VisitServices, server_url: str, code: str,
                       managed: bool) -> Connected:
    """The window's enrolling (`ui.shell.enroll.EnrollWith`), on the vault lane of an open vault."""
    return services.enroll(server_url, code, managed=managed)


def enroll_open_vault(session: Session, policy: Policy, server_url: str, code: str,
                      managed: bool) -> Connected:
    """`VaultServices.enroll`: `managed`, IT set the address (the policy read at start-up).
    The window shows it read-only; this holds it here too, whatever reaches the lane."""
    from ui.services import Connected

    address = central_address(server_url, policy, managed=managed)
    enrollment = enroll_session(session, address, code, policy,
                                label=platform.node(), timeout_seconds=ENROLL_TIMEOUT_SECONDS)
    return Connected(enrollment.server_url, enrollment.display_name)
