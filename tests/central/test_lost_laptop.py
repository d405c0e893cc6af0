"""A laptop reported lost (protocol 5): central's order comes with a push-only token, good for
pushing records and photos and nothing else; what it pushes is kept, flagged and counted; the
signed wipe receipt is checked against the device key, kept once and audited."""

from __future__ import annotations

import base64
import hashlib
import json
import uuid
from datetime import timedelta
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import select

from central.db.models import AuditEntry, Device, VisitRow
from central.services import admin
from sync.protocol import PROTOCOL_VERSION, WipeOrder, WipeReceipt, WipeReceiptBody
from sync.wipe_wire import ERASE_OUTCOME_PROTOCOL
from tests.central.harness import Central, Laptop
from tests.factories import make_visit


def _reported_lost(central: Central) -> tuple[Laptop, str, dict[str, str], Any]:
    """A worker's laptop, reported lost after it synced once: its push-only token, the
    headers of the ordinary token it held from before, and one of its visits."""
    world = central.world()
    visit = make_visit(world.cases["N1"], [world.children["N1"]])
    laptop = central.enroll("north1")
    held = laptop.headers()
    with central.admin() as session:
        admin.set_device_status(session, laptop.device_id, "wipe")
    answer = laptop.token_response(laptop.assertion(jti="j" * 32))
    assert answer.status_code == 403
    body = answer.json()
    assert WipeOrder.model_validate(body["wipe_order"]).is_signed_by(
        laptop.receipt_key, laptop.device_id, "j" * 32)
    return laptop, body["wipe_token"], held, visit


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _receipt(laptop: Laptop, key: Ed25519PrivateKey | None = None,
             **changes: Any) -> dict[str, Any]:
    body = WipeReceiptBody(
        device_id=laptop.device_id, order_assertion_id="j" * 32,
        erased_at=laptop.clock(), pushed_records=1, unsent_records=2, refused_records=1,
        drafts=1, visits=4, outbox_high_water=9, **changes)
    signature = (key or laptop.key).sign(body.signed_bytes())
    return WipeReceipt(body=body, signature=base64.b64encode(signature).decode()).model_dump(
        mode="json")


def test_the_push_only_token_pushes_flagged_records_and_photos_and_reads_nothing(
    central: Central,
) -> None:
    laptop, wipe_token, held, visit = _reported_lost(central)
    lost_headers = _bearer(wipe_token)
    photo = b"a photo"
    stored = central.client.put(f"/v1/blobs/{hashlib.sha256(photo).hexdigest()}",
                                content=photo, headers=lost_headers)
    assert stored.status_code == 200, stored.text
    read = central.client.get(f"/v1/blobs/{hashlib.sha256(photo).hexdigest()}",
                              headers=lost_headers)
    assert read.status_code == 403 and read.json()["wipe"] is True
    pulled = central.client.get("/v1/sync/pull", headers=lost_headers)
    assert pulled.status_code == 403 and pulled.json()["wipe"] is True
    old = central.client.get("/v1/sync/pull", headers=held)  # the token from before
    assert old.status_code == 403 and "wipe_token" not in old.json()
    assert central.client.post("/v1/sync/push", json={"operations": [
        laptop.op(visit)]}, headers=held).status_code == 403
    pushed = central.client.post("/v1/sync/push", json={"operations": [
        laptop.op(visit)]}, headers=lost_headers)
    assert pushed.status_code == 200, pushed.text
    [result] = pushed.json()["results"]
    assert result["result"] == "accepted" and "received_from_lost_laptop" in result["flags"]
    with central.admin() as session:
        device = session.get(Device, laptop.device_id)
        assert device is not None and device.wipe_recovered == 1 and device.status == "wipe"
        [row] = session.scalars(select(VisitRow)).all()
        assert "received_from_lost_laptop" in row.flags
        actions = session.scalars(select(AuditEntry.action)).all()
    assert "device.pushed_while_lost" in actions


def test_the_push_only_token_is_for_a_lost_laptop_not_yet_erased(central: Central) -> None:
    laptop, wipe_token, _held, visit = _reported_lost(central)
    with central.admin() as session:  # IT readmits it: the narrow token is no token at all
        admin.set_device_status(session, laptop.device_id, "active")
    refused = central.client.post("/v1/sync/push", json={"operations": [laptop.op(visit)]},
                                  headers=_bearer(wipe_token))
    assert (refused.status_code, refused.json()["error"]) == (401, "invalid_token")
    with central.admin() as session:
        admin.set_device_status(session, laptop.device_id, "wipe")
    assert central.client.post("/v1/wipe-receipt", json=_receipt(laptop)).status_code == 200
    after = central.client.post("/v1/sync/push", json={"operations": [laptop.op(visit)]},
                                headers=_bearer(wipe_token))
    assert after.status_code == 403  # erased: nothing more is taken from it
    again = laptop.token_response().json()
    assert again["wipe"] is True and "wipe_token" not in again


def test_a_wipe_receipt_is_checked_kept_once_audited_and_shown(central: Central) -> None:
    laptop, _token, _held, _visit = _reported_lost(central)
    forged = central.client.post("/v1/wipe-receipt",
                                 json=_receipt(laptop, Ed25519PrivateKey.generate()))
    assert (forged.status_code, forged.json()["error"]) == (401, "invalid_wipe_receipt")
    tampered = _receipt(laptop)
    tampered["body"]["unsent_records"] = 0
    assert central.client.post("/v1/wipe-receipt", json=tampered).status_code == 401
    with central.admin() as session:
        device = session.get(Device, laptop.device_id)
        assert device is not None and device.wiped_at is None
    central.clock.advance(60)
    first = central.client.post("/v1/wipe-receipt", json=_receipt(laptop))
    assert first.status_code == 200, first.text
    central.clock.advance(60)
    again = central.client.post("/v1/wipe-receipt", json=_receipt(laptop))
    assert again.json() == first.json()  # the same receipt again: recorded once
    with central.admin() as session:
        device = session.get(Device, laptop.device_id)
        assert device is not None
        assert device.wipe_lost == 3 and device.wiped_at is not None
        assert device.last_contact_at is not None
        assert device.last_contact_at > device.wiped_at - timedelta(seconds=1)
        wiped = session.scalars(select(AuditEntry).where(
            AuditEntry.action == "device.wiped")).all()
        [line] = [line for line in admin.list_devices(session)
                  if line.device_id == laptop.device_id]
    assert len(wiped) == 1
    assert wiped[0].detail["unsent"] == 2 and wiped[0].detail["outbox_high_water"] == 9
    assert "recovered before the erase, 3 lost, 1 unsubmitted draft erased" in line.wipe
    unknown = _receipt(laptop)
    unknown["body"]["device_id"] = str(uuid.uuid4())
    assert central.client.post("/v1/wipe-receipt", json=unknown).status_code == 401


def test_a_receipt_saying_the_keys_could_not_be_destroyed_leaves_the_order_standing(
        central: Central) -> None:
    laptop, _token, _held, _visit = _reported_lost(central)
    failed = central.client.post("/v1/wipe-receipt", json=_receipt(laptop, receipt="keys_left"))
    assert failed.status_code == 200, failed.text
    with central.admin() as session:
        device = session.get(Device, laptop.device_id)
        assert device is not None
        assert device.wiped_at is None and device.status == "wipe"  # still to be erased
        assert device.unsent_records == 3  # still on the laptop, readable or not
        [line] = [line for line in admin.list_devices(session)
                  if line.device_id == laptop.device_id]
        audited = session.scalars(select(AuditEntry.action).where(
            AuditEntry.action.in_(("device.wipe_failed", "device.wiped")))).all()
    assert audited == ["device.wipe_failed"]
    assert "wipe ordered, not yet done (the laptop could not destroy its keys at" in line.wipe
    central.clock.advance(60)  # its next contact erases: that receipt is recorded
    done = central.client.post("/v1/wipe-receipt", json=_receipt(laptop))
    assert done.status_code == 200, done.text
    with central.admin() as session:
        device = session.get(Device, laptop.device_id)
        assert device is not None and device.wiped_at is not None
        assert device.unsent_records is None and device.wipe_lost == 3


def test_a_receipt_for_an_erase_central_never_ordered_marks_nothing(central: Central) -> None:
    """A laptop signing its own receipt cannot mark itself wiped, which would deny it the
    push-only token a real order later gives."""
    central.world()
    laptop = central.enroll("north1")
    answer = central.client.post("/v1/wipe-receipt", json=_receipt(laptop))
    assert answer.status_code == 200, answer.text
    with central.admin() as session:
        device = session.get(Device, laptop.device_id)
        assert device is not None and device.wiped_at is None and device.status == "active"
        assert session.scalars(select(AuditEntry).where(
            AuditEntry.action == "device.wipe_receipt_unordered")).all()
        admin.set_device_status(session, laptop.device_id, "wipe")
    refused = laptop.token_response(laptop.assertion(jti="k" * 32))
    assert refused.status_code == 403 and "wipe_token" in refused.json()


def test_a_receipt_from_a_laptop_of_protocol_5_is_still_recorded(central: Central) -> None:
    """Protocol 6 widened `receipt` (`files_left`, `keys_left`); a laptop from before sends
    the body it always did, and central records it as before."""
    laptop, _token, _held, _visit = _reported_lost(central)
    body = {"receipt": "vault_erased", "device_id": str(laptop.device_id),
            "order_assertion_id": "j" * 32,
            "erased_at": laptop.clock().strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
            "pushed_records": 0, "unsent_records": 2, "refused_records": 0, "drafts": 1,
            "visits": 3, "outbox_high_water": 5, "push_problem": None}
    # Signed as that laptop signed: canonical JSON, sorted keys, compact, UTF-8.
    signed = json.dumps(body, sort_keys=True, separators=(",", ":"),
                        ensure_ascii=False).encode()
    assert signed == WipeReceiptBody.model_validate(body).signed_bytes()
    sent = {"body": body, "signature": base64.b64encode(laptop.key.sign(signed)).decode()}
    answer = central.client.post("/v1/wipe-receipt", json=sent)
    assert answer.status_code == 200, answer.text
    with central.admin() as session:
        device = session.get(Device, laptop.device_id)
        assert device is not None and device.wiped_at is not None
        assert device.wipe_receipt is not None
        assert device.wipe_receipt["receipt"] == "vault_erased"
    health = central.client.get("/v1/health").json()
    assert health["protocol_version"] == PROTOCOL_VERSION >= ERASE_OUTCOME_PROTOCOL
