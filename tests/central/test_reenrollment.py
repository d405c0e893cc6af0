"""A laptop IT revoked comes back with a new code for the same worker, as the same device;
nobody else's code, no other key, and no laptop reported lost can do the same. An
enrollment whose answer was lost is answered again, with the same code or a new one."""

from __future__ import annotations

import base64
import uuid

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import select

from central.db.models import AuditEntry
from central.services import admin
from tests.central.harness import Central, Laptop, raw_public


def _again(central: Central, laptop: Laptop, code: str,
           key: Ed25519PrivateKey | None = None) -> tuple[int, dict[str, object]]:
    response = central.client.post("/v1/enroll", json={
        "code": code, "device_id": str(laptop.device_id),
        "public_key": base64.b64encode(raw_public(key or laptop.key)).decode()})
    return response.status_code, response.json()


def _status(central: Central, device_id: uuid.UUID) -> str:
    with central.admin() as session:
        return {d.device_id: d.status for d in admin.list_devices(session)}[device_id]


def test_a_revoked_laptop_enrolls_again_as_the_same_device(central: Central) -> None:
    central.world()
    laptop = central.enroll("north1")
    with central.admin() as session:
        admin.set_device_status(session, laptop.device_id, "revoked")
    status, body = _again(central, laptop, central.invite("north1"))
    assert status == 200 and body["device_id"] == str(laptop.device_id)
    assert _status(central, laptop.device_id) == "active"


def test_only_the_same_worker_with_the_same_key_and_never_a_lost_laptop(
        central: Central) -> None:
    central.world()
    laptop = central.enroll("north1")
    with central.admin() as session:
        admin.set_device_status(session, laptop.device_id, "revoked")
    someone_else = _again(central, laptop, central.invite("north2"))
    another_key = _again(central, laptop, central.invite("north1"), Ed25519PrivateKey.generate())
    assert someone_else[0] == 409 and someone_else[1]["error"] == "device_id_taken"
    assert another_key[0] == 409 and another_key[1]["error"] == "device_id_taken"
    assert _status(central, laptop.device_id) == "revoked"

    with central.admin() as session:
        admin.set_device_status(session, laptop.device_id, "wipe")
    lost = _again(central, laptop, central.invite("north1"))
    assert lost[0] == 409 and _status(central, laptop.device_id) == "wipe"

    active = central.enroll("north1")  # an active laptop's id cannot take another key
    assert _again(central, active, central.invite("north1"),
                  Ed25519PrivateKey.generate())[0] == 409


def _enroll_twice(central: Central, code: str, again_with: str,
                  key: Ed25519PrivateKey, device_id: uuid.UUID) -> list[tuple[int, object]]:
    answers = []
    for sent in (code, again_with):
        response = central.client.post("/v1/enroll", json={
            "code": sent, "device_id": str(device_id),
            "public_key": base64.b64encode(raw_public(key)).decode()})
        answers.append((response.status_code, response.json()))
    return answers


def test_an_enrollment_whose_answer_was_lost_is_answered_again(central: Central) -> None:
    central.world()
    key, device_id = Ed25519PrivateKey.generate(), uuid.uuid4()
    code = central.invite("north1")
    (first, answer), (again, repeated) = _enroll_twice(central, code, code, key, device_id)
    assert first == again == 200
    assert repeated == answer and answer["device_id"] == str(device_id)  # type: ignore[index]
    # The answer lost again, and IT gave the worker a new code meanwhile: the same answer.
    (_, _), (with_new, by_new_code) = _enroll_twice(central, code, central.invite("north1"),
                                                    key, device_id)
    assert with_new == 200 and by_new_code == answer
    with central.admin() as session:
        devices = [d for d in admin.list_devices(session) if d.device_id == device_id]
        actions = session.scalars(select(AuditEntry.action).where(
            AuditEntry.subject == "user:north1").order_by(AuditEntry.id)).all()
    assert len(devices) == 1 and devices[0].status == "active"
    assert actions.count("device.enrolled") == 1
    assert actions.count("device.enrollment_repeated") == 3


def test_a_repeat_needs_the_same_worker_key_and_id_on_an_active_laptop(
        central: Central) -> None:
    central.world()
    key, device_id = Ed25519PrivateKey.generate(), uuid.uuid4()
    code = central.invite("north1")
    assert _enroll_twice(central, code, code, key, device_id)[0][0] == 200
    other_worker = _enroll_twice(central, code, central.invite("north2"), key, device_id)[1]
    assert other_worker[0] == 409
    other_key = _enroll_twice(central, code, code, Ed25519PrivateKey.generate(), device_id)[1]
    assert other_key[0] == 403  # the code is spent, and not on this key
    other_id = _enroll_twice(central, code, code, key, uuid.uuid4())[1]
    assert other_id[0] == 403
    with central.admin() as session:
        admin.set_device_status(session, device_id, "wipe")
    lost = _enroll_twice(central, code, central.invite("north1"), key, device_id)
    assert lost[0][0] == 403 and lost[1][0] == 409  # a lost laptop is never answered
