"""What can stop a sync, each with a sentence for the worker: what happened, that nothing
was lost, and what to do. `transient` says whether trying again later may work by itself."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from uuid import UUID

    from sync.lost import WipeReport
    from sync.protocol import WipeOrder

KEPT = "Nothing was lost: every visit stays on this laptop, encrypted"


class SyncProblem(Exception):
    transient = False

    def __init__(self, user_message: str, detail: str = "") -> None:
        super().__init__(detail or user_message)
        self.user_message = user_message


class CentralUnreachable(SyncProblem):
    """No answer at all: no network, central down, a reset or a stall past the timeout."""

    transient = True

    def __init__(self, server_url: str, detail: str) -> None:
        super().__init__(
            f"Central at {server_url} could not be reached ({detail}). {KEPT}, and will be "
            "sent when central can be reached; check the network connection and try again.",
            detail,
        )
        self.server_url = server_url


class CentralNotTrusted(CentralUnreachable):
    """TLS failed: central's certificate does not chain to the trust store or pinned CA."""

    def __init__(self, server_url: str) -> None:
        super().__init__(server_url, "its certificate is not trusted")


class CentralTrouble(SyncProblem):
    """Central answered, but with a server error or an answer that could not be read."""

    transient = True

    def __init__(self, detail: str) -> None:
        super().__init__(
            f"Central had a problem and could not finish ({detail}). {KEPT}, and the sync "
            "will be tried again; if it keeps happening, tell IT.",
            detail,
        )


class CentralRefused(SyncProblem):
    """Central refused the request for a reason trying again will not change."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message or f"Central refused the request ({code}). {KEPT}.",
                         f"{status} {code}")
        self.status = status
        self.code = code


class DeviceRevoked(CentralRefused):
    def __init__(self, message: str) -> None:
        super().__init__(403, "device_revoked", message or (
            f"This laptop may no longer sync. {KEPT}; contact IT to have it let back in."))


class WipeOrdered(CentralRefused):
    """The laptop was reported lost: its vault must be erased now. Raised only once
    central's signed order for this device and a fresh assertion has been checked
    (`sync.lease.request_token`). `wipe_token` (protocol 5) lets it push what central has
    not got first; `report` is what the push left, once it has been tried (`sync.lost`)."""

    def __init__(self, message: str, *, device_id: UUID | None = None,
                 assertion_id: str | None = None, wipe_token: str | None = None) -> None:
        super().__init__(403, "device_revoked", message)
        self.device_id = device_id
        self.assertion_id = assertion_id
        self.wipe_token = wipe_token
        self.report: WipeReport | None = None


class WipeClaimed(CentralRefused):
    """An answer saying the laptop was reported lost, not yet proven to come from central:
    the laptop asks for a token, whose refusal carries central's signed order."""

    def __init__(self, message: str, order: WipeOrder | None,
                 wipe_token: str | None = None) -> None:
        super().__init__(403, "device_revoked", message)
        self.order = order
        self.wipe_token = wipe_token


class WipeNotProven(SyncProblem):
    """Told to erase, without central's valid signature: nothing is erased."""

    transient = True  # central itself never answers so; an interception may pass

    def __init__(self) -> None:
        super().__init__(
            "An answer said this laptop was reported lost, but it did not carry central's "
            f"signature, so nothing was erased. {KEPT}. Tell IT: the connection to central "
            "may be intercepted.", "wipe order not signed by central")


class GrantNotProven(SyncProblem):
    """A token came without central's valid signature: it is not used, and the laptop does
    not count it as central vouching for it."""

    transient = True

    def __init__(self) -> None:
        super().__init__(
            "The answer to this laptop's request did not carry central's signature, so "
            f"nothing was sent. {KEPT}. Tell IT: the connection to central may be "
            "intercepted.", "token grant not signed by central")


class CentralTooOld(SyncProblem):
    """Central speaks an older protocol than this laptop: nothing is sent until IT
    upgrades it (central first, then the laptops)."""

    transient = True  # an upgrade of central fixes it, without the worker doing anything

    def __init__(self, server_url: str, version: int, needed: int) -> None:
        super().__init__(
            f"Central at {server_url} runs an older version than this laptop (protocol "
            f"{version}; this laptop needs {needed}), so nothing was sent. {KEPT}, and will "
            "be sent once central is upgraded. Tell IT: central must be upgraded before the "
            "laptops.", f"central protocol {version} < {needed}")


class NotEnrolled(SyncProblem):
    def __init__(self) -> None:
        super().__init__(
            "This laptop is not enrolled with central yet, so nothing was sent. " + KEPT
            + "; enroll it with the one-time code from IT (homevisit enroll).")


class AlreadyEnrolled(SyncProblem):
    def __init__(self, server_url: str) -> None:
        super().__init__(
            f"This vault is already enrolled with central at {server_url}, so nothing was "
            "changed. Run 'homevisit sync' to send and receive visits.")


class ServerAddressRefused(SyncProblem):
    def __init__(self, server_url: str, why: str) -> None:
        super().__init__(
            f"'{server_url}' cannot be used as central's address: {why}. Nothing was sent; "
            "check the address IT gave you.")


class ReceiptNotTrusted(SyncProblem):
    """An answer whose receipt does not verify against central's key: not proof of anything."""

    transient = True

    def __init__(self) -> None:
        super().__init__(
            f"Central's answer could not be verified, so no visit was marked as sent. {KEPT} "
            "and will be sent again; if it keeps happening, tell IT.")
