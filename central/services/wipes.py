"""A laptop reported lost: what central got from it before it erased, and its wipe receipt.

At its next contact the lost laptop is given central's signed wipe order and a push-only
token (`central.services.devices.issue_token`); what it pushes with that token is stored like
any record, flagged `received_from_lost_laptop` for a team lead to confirm, and counted on the
device (`count_recovered`). After erasing, the laptop sends a receipt signed with its device
key (`sync.wipe_wire.WipeReceipt`): central checks it against the key it enrolled, keeps it on
the device and in the audit log (`device.wiped`), and IT reads the outcome in `device list`
and `stats`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from central.db.models import AuditEntry, Device
from central.errors import CentralError
from central.services.audit import audit
from central.services.context import DeviceContext
from records.wording import counted
from sync.protocol import WipeReceipt, WipeReceiptAnswer

LOST_LAPTOP_FLAG = "received_from_lost_laptop"


def count_recovered(session: Session, ctx: DeviceContext,
                    stored: list[tuple[str, list[str]]]) -> None:
    """A lost laptop's push (each fresh op's result and flags): the records central had not
    got before are counted on the device and audited, in the push's own transaction."""
    recovered = sum(1 for result, flags in stored
                    if result == "accepted" and "already_received" not in flags)
    refused = sum(1 for result, _flags in stored if result != "accepted")
    session.execute(update(Device).where(Device.id == ctx.device_id)
                    .values(wipe_recovered=Device.wipe_recovered + recovered))
    audit(session, ctx.actor, "device.pushed_while_lost", ctx.actor, recovered=recovered,
          refused=refused)


def record_receipt(session: Session, receipt: WipeReceipt, now: datetime) -> WipeReceiptAnswer:
    """Keep a laptop's signed account of its erase: once (a receipt sent again is answered
    the same way), and only with the signature of the device key central enrolled."""
    body = receipt.body
    device = session.get(Device, body.device_id, with_for_update=True)
    if device is None:
        raise CentralError(401, "unknown_device", "This laptop is not enrolled with central.")
    if not receipt.is_signed_by(device.public_key):
        raise CentralError(
            401, "invalid_wipe_receipt",
            "The wipe receipt's signature does not verify with this laptop's enrolled key, so "
            "nothing was recorded.")
    if device.wiped_at is not None and device.wipe_receipt is not None:
        return WipeReceiptAnswer(
            recorded_at=datetime.fromisoformat(device.wipe_receipt["received_at"]),
            recovered_records=device.wipe_recovered)
    subject = f"device:{device.id}"
    if device.status != "wipe" and not _was_ordered(session, subject):
        # Signed by the laptop, but central never ordered this erase: kept in the audit log
        # and nothing else, so it cannot mark a laptop wiped (and so deny it the push-only
        # token a later real order would give).
        audit(session, subject, "device.wipe_receipt_unordered", subject,
              order=body.order_assertion_id, status=device.status)
        return WipeReceiptAnswer(recorded_at=now, recovered_records=device.wipe_recovered)
    device.last_contact_at = now
    device.wipe_receipt = {**body.model_dump(mode="json"), "signature": receipt.signature,
                           "received_at": now.isoformat(), "status_then": device.status}
    if body.receipt == "keys_left":  # not erased: the order stands, and is given again
        device.unsent_records = body.unsent_records + body.refused_records
        audit(session, subject, "device.wipe_failed", subject,
              attempted_at=body.erased_at.isoformat(), order=body.order_assertion_id,
              recovered=device.wipe_recovered, pushed=body.pushed_records,
              unsent=body.unsent_records, push_problem=body.push_problem)
        return WipeReceiptAnswer(recorded_at=now, recovered_records=device.wipe_recovered)
    device.wiped_at = min(body.erased_at, now)  # a laptop's clock never puts it after now
    device.wipe_lost = body.unsent_records + body.refused_records
    device.unsent_records = None  # nothing waits on it any more: it was erased
    audit(session, subject, "device.wiped", subject, erase=body.receipt,
          erased_at=body.erased_at.isoformat(), order=body.order_assertion_id,
          recovered=device.wipe_recovered, pushed=body.pushed_records,
          unsent=body.unsent_records, refused=body.refused_records, drafts=body.drafts,
          visits=body.visits, outbox_high_water=body.outbox_high_water,
          push_problem=body.push_problem)
    return WipeReceiptAnswer(recorded_at=now, recovered_records=device.wipe_recovered)


def summary(status: str, wiped_at: datetime | None, recovered: int, lost: int | None,
            receipt: dict[str, Any] | None) -> str:
    """What IT reads about a lost laptop: "" for any other."""
    if status != "wipe" and wiped_at is None:
        return ""
    got = f"{counted(recovered, 'record')} recovered before the erase"
    if wiped_at is None:
        so_far = f"; {counted(recovered, 'record')} recovered so far" if recovered else ""
        why = "no receipt from the laptop"
        if receipt is not None and receipt.get("receipt") == "keys_left":
            why = (f"the laptop could not destroy its keys at {receipt.get('erased_at')}; "
                   "it tries again at its next contact")
        return f"wipe ordered, not yet done ({why}){so_far}"
    drafts = int((receipt or {}).get("drafts") or 0)
    unsubmitted = f", {counted(drafts, 'unsubmitted draft')} erased" if drafts else ""
    left = ("; some files could not be removed, but its keys are gone, so they cannot be "
            "opened" if (receipt or {}).get("receipt") == "files_left" else "")
    return (f"wiped at {wiped_at.isoformat()}, {got}, {lost or 0} lost{unsubmitted}{left}")




def _was_ordered(session: Session, subject: str) -> bool:
    """Whether IT ever reported this laptop lost (a readmit since may have withdrawn the
    order after the laptop had already erased)."""
    return session.scalar(select(AuditEntry.id).where(
        AuditEntry.action == "device.wipe", AuditEntry.subject == subject).limit(1)) is not None
