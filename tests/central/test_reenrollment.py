"""A laptop IT revoked comes back with a new code for the same worker, as the same device;
nobody else's code, no other key, and no laptop reported lost can do the same."""

from __future__ import annotations

import base64
import uuid

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

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

    active = central.enroll("north1")  # an active laptop cannot be enrolled twice either
    assert _again(central, active, central.invite("north1"))[0] == 409
