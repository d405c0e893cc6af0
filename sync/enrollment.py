"""Enrolling this laptop with central once, with a one-time code from an administrator.

The device key was made inside the vault on first use; only its public half is sent. The
laptop keeps central's receipt key, which every later receipt must verify against. A laptop
central revoked may enroll again with a new code: the same device and key (so what it
signed meanwhile still verifies), syncing again from where it stopped.
"""

from __future__ import annotations

import logging

from pydantic import ValidationError

from storage.audit import AuditAction, AuditLog
from storage.device import DeviceIdentity
from storage.transactions import Connection, transaction
from sync.errors import AlreadyEnrolled, CentralTrouble, SyncProblem
from sync.ledger import Enrollment, SyncLedger
from sync.protocol import EnrollmentRequest, b64decode, b64encode
from sync.transport import CentralClient

log = logging.getLogger("homevisit.sync.enrollment")


class CodeNotValid(SyncProblem):
    def __init__(self) -> None:
        super().__init__(
            "That is not an enrollment code: it should look like 83ABA-J7SJV-B7XGZ-TW52S. "
            "Nothing was sent or changed; check the code IT gave you and try again.")


def enroll(conn: Connection, device: DeviceIdentity, client: CentralClient, code: str,
           audit: AuditLog, *, label: str = "") -> Enrollment:
    """Register this laptop's key with central and keep central's receipt key."""
    ledger = SyncLedger(conn)
    existing = ledger.enrollment()
    if existing is not None and existing.revoked_at is None:
        raise AlreadyEnrolled(existing.server_url)  # a revoked laptop may enroll again
    try:
        request = EnrollmentRequest(code=code.strip(), public_key=b64encode(device.public_key),
                                    device_id=device.device_id, label=label)
    except ValidationError:
        raise CodeNotValid() from None
    if not request.code:
        raise CodeNotValid()
    answer = client.enroll(request)
    receipt_key = b64decode(answer.receipt_public_key)
    if answer.device_id != device.device_id or receipt_key is None or len(receipt_key) != 32:
        raise CentralTrouble("an enrollment answer for another device or without a key")
    with transaction(conn):
        ledger.save_enrollment(
            server_url=client.server_url, device_id=answer.device_id, username=answer.username,
            display_name=answer.display_name, role=answer.role, team=answer.team,
            audience=answer.audience, receipt_public_key=receipt_key,
        )
        audit.record(AuditAction.ENROLLED, "device", device.device_id)
    log.info("enrolled device %s with central", device.device_id)
    enrollment = ledger.enrollment()
    assert enrollment is not None
    return enrollment
