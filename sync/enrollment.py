"""Enrolling this laptop with central once, with a one-time code from an administrator.

The device key was made inside the vault on first use; only its public half is sent. The
laptop keeps central's receipt key, which every later receipt must verify against. A laptop
central revoked may enroll again with a new code: the same device and key (so what it
signed meanwhile still verifies), syncing again from where it stopped.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import UTC, datetime
from functools import partial
from typing import TypeVar

from pydantic import ValidationError

from storage.audit import AuditAction, AuditLog
from storage.device import DeviceIdentity
from storage.transactions import Connection, transaction
from sync.backoff import Backoff, retrying
from sync.errors import AlreadyEnrolled, CentralTrouble, SyncProblem
from sync.lease import KeyLease, request_token
from sync.ledger import Enrollment, SyncLedger
from sync.protocol import EnrollmentRequest, b64decode, b64encode
from sync.transport import CentralClient, require_current_central

log = logging.getLogger("homevisit.sync.enrollment")

T = TypeVar("T")


class EnrolledElsewhere(SyncProblem):
    """A revoked laptop may only come back to the central that holds its worker's records."""

    def __init__(self, server_url: str) -> None:
        super().__init__(
            f"This laptop belongs to central at {server_url}, and may only enroll again "
            "there: visits it has not yet sent must reach that central. Nothing was changed "
            "and nothing was sent. Ask IT for a new code from that central.")


class CodeNotValid(SyncProblem):
    def __init__(self) -> None:
        super().__init__(
            "That is not an enrollment code: it should look like 83ABA-J7SJV-B7XGZ-TW52S. "
            "Nothing was sent or changed; check the code IT gave you and try again.")


# complexity: each refusal (re-enrolled, other server, bad code, wrong key) is its own message
def enroll(conn: Connection, device: DeviceIdentity, client: CentralClient, code: str,
           audit: AuditLog, *, label: str = "", attempts: int = 4,
           sleep: Callable[[float], None] = time.sleep) -> Enrollment:
    """Register this laptop's key with central and keep central's receipt key.

    Each request is retried after network trouble: central answers an enrollment it has
    already made for this same device, key and worker again, so an answer lost on the way
    (or a lost token answer right after) costs nothing but a retry."""

    def again(call: Callable[[], T]) -> T:
        return retrying(call, attempts=attempts, backoff=Backoff(), sleep=sleep)

    ledger = SyncLedger(conn)
    existing = ledger.enrollment()
    if existing is not None and existing.revoked_at is None:
        raise AlreadyEnrolled(existing.server_url)  # a revoked laptop may enroll again
    if existing is not None and client.server_url != existing.server_url:
        # Another central's receipts would verify against its own key, so unsent visits
        # would count as synced, be purged, and never reach the worker's own central.
        raise EnrolledElsewhere(existing.server_url)
    try:
        request = EnrollmentRequest(code=code.strip(), public_key=b64encode(device.public_key),
                                    device_id=device.device_id, label=label)
    except ValidationError:
        raise CodeNotValid() from None
    if not request.code:
        raise CodeNotValid()
    again(partial(require_current_central, client))
    answer = again(partial(client.enroll, request))
    receipt_key = b64decode(answer.receipt_public_key)
    if answer.device_id != device.device_id or receipt_key is None or len(receipt_key) != 32:
        raise CentralTrouble("an enrollment answer for another device or without a key")
    if existing is not None and (receipt_key != existing.receipt_public_key
                                 or answer.username != existing.username):
        raise CentralTrouble("a re-enrollment answer with another receipt key or worker")
    # Before anything is kept: a token grant signed with that receipt key, for this device
    # and a fresh assertion. For a revoked laptop (whose receipt key is the one it kept)
    # only the real central can give it, so nobody else can lift the revoked mark or renew
    # the offline grace period by answering an enrollment.
    enrollment = Enrollment(
        server_url=client.server_url, device_id=answer.device_id, username=answer.username,
        display_name=answer.display_name, role=answer.role, team=answer.team,
        audience=answer.audience, receipt_public_key=receipt_key,
        enrolled_at=datetime.now(UTC), revoked_at=None, pull_cursor=0, last_synced_at=None,
    )
    again(lambda: request_token(client, device, enrollment, datetime.now(UTC)))
    with transaction(conn):
        ledger.save_enrollment(
            server_url=client.server_url, device_id=answer.device_id, username=answer.username,
            display_name=answer.display_name, role=answer.role, team=answer.team,
            audience=answer.audience, receipt_public_key=receipt_key,
        )
        audit.record(AuditAction.ENROLLED, "device", device.device_id)
        KeyLease(conn).note_contact()  # central has just vouched for this laptop, signed
    log.info("enrolled device %s with central", device.device_id)
    kept = ledger.enrollment()
    assert kept is not None
    return kept
