"""Enrollment codes, client assertions and access tokens, as an attacker would try them."""

from __future__ import annotations

import base64
import uuid
from datetime import timedelta

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import select

from central.cli import main as cli_main
from central.core.config import Settings
from central.db.models import AuditEntry, Device, EnrollmentCode
from central.services import admin
from sync.protocol import TokenResponse, WipeOrder
from tests.central.harness import Central, Laptop, raw_public


def _enroll_body(code: str, key: Ed25519PrivateKey | None = None) -> dict[str, str]:
    key = key or Ed25519PrivateKey.generate()
    return {"code": code, "public_key": base64.b64encode(raw_public(key)).decode()}


def test_enrollment_returns_the_device_its_user_and_centrals_receipt_key(
    central: Central,
) -> None:
    central.world()
    laptop = central.enroll("northlead")
    response = central.client.post("/v1/enroll", json=_enroll_body(central.invite("north1")))
    body = response.json()
    assert body["username"] == "north1" and body["role"] == "worker" and body["team"] == "North"
    assert laptop.username == "northlead" and len(laptop.receipt_key) == 32


def test_an_enrollment_code_works_once_is_stored_hashed_and_expires(central: Central) -> None:
    central.world()
    code = central.invite("north1")
    with central.admin() as session:
        stored = session.scalars(select(EnrollmentCode.code_hash)).all()
    assert code not in stored and code.replace("-", "") not in stored
    first = central.client.post("/v1/enroll", json=_enroll_body(code))
    second = central.client.post("/v1/enroll", json=_enroll_body(code))
    assert first.status_code == 200
    assert (second.status_code, second.json()["error"]) == (403, "enrollment_code_used")
    late = central.invite("north1")
    central.clock.advance(timedelta(hours=73).total_seconds())
    expired = central.client.post("/v1/enroll", json=_enroll_body(late))
    assert expired.json()["error"] == "enrollment_code_expired"
    unknown = central.client.post("/v1/enroll", json=_enroll_body("NOT-A-CODE"))
    assert unknown.json()["error"] == "enrollment_code_invalid"


def test_a_bad_public_key_is_refused_and_leaves_the_code_usable(central: Central) -> None:
    central.world()
    code = central.invite("north1")
    bad = central.client.post("/v1/enroll", json={"code": code, "public_key": "AAAA"})
    assert (bad.status_code, bad.json()["error"]) == (422, "invalid_request")  # not 32 bytes
    assert central.client.post("/v1/enroll", json=_enroll_body(code)).status_code == 200


def test_an_access_token_is_short_lived_eddsa_and_bound_to_the_device(central: Central) -> None:
    central.world()
    laptop = central.enroll("north1")
    response = laptop.token_response()
    assert response.status_code == 200
    token = response.json()["access_token"]
    header = jwt.get_unverified_header(token)
    claims = jwt.decode(token, options={"verify_signature": False})
    assert header["alg"] == "EdDSA"
    assert claims["sub"] == str(laptop.device_id)
    assert 0 < claims["exp"] - claims["iat"] <= 600
    assert laptop.pull().status_code == 200
    central.clock.advance(601 + 30)
    expired = laptop.pull()
    assert (expired.status_code, expired.json()["error"]) == (401, "token_expired")


def test_a_replayed_assertion_is_refused(central: Central) -> None:
    central.world()
    laptop = central.enroll("north1")
    assertion = laptop.assertion()
    assert laptop.token_response(assertion).status_code == 200
    replay = laptop.token_response(assertion)
    assert (replay.status_code, replay.json()["error"]) == (401, "assertion_replayed")
    same_jti = laptop.token_response(laptop.assertion(jti="fixed-jti-0001"))
    again = laptop.token_response(laptop.assertion(jti="fixed-jti-0001"))
    assert same_jti.status_code == 200
    assert again.json()["error"] == "assertion_replayed"


@pytest.mark.parametrize(("make", "code"), [
    (lambda lap: lap.assertion(issued=lap.clock() - timedelta(minutes=3)), "assertion_expired"),
    (lambda lap: lap.assertion(lifetime=600), "assertion_too_long_lived"),
    (lambda lap: lap.assertion(issued=lap.clock() + timedelta(minutes=5)), "assertion_from_future"),
    (lambda lap: lap.assertion(audience="someone-else"), "invalid_assertion"),
    (lambda lap: lap.assertion(key=Ed25519PrivateKey.generate()), "invalid_assertion"),
    (lambda lap: lap.assertion(sub=str(uuid.uuid4())), "invalid_assertion"),
    (lambda lap: lap.assertion(jti="short"), "invalid_assertion"),
    (lambda lap: jwt.encode({"iss": str(lap.device_id), "sub": str(lap.device_id)},
                            "secret-key" * 4, algorithm="HS256"), "invalid_assertion"),
    (lambda lap: "not.a.jwt", "invalid_assertion"),
    (lambda lap: Laptop(lap.client, lap.clock, lap.key, uuid.uuid4(), "x", b"",
                        lap.audience).assertion(), "unknown_device"),
])
def test_bad_assertions_get_401_with_a_code(central: Central, make: object, code: str) -> None:
    central.world()
    laptop = central.enroll("north1")
    assert callable(make)
    response = laptop.token_response(make(laptop))
    assert response.status_code == 401
    assert response.json()["error"] == code
    assert response.json()["message"]


def test_revoked_lost_and_disabled_get_403_and_only_lost_is_told_to_wipe(
    central: Central,
) -> None:
    central.world()
    revoked, lost, disabled = (central.enroll(n) for n in ("north1", "north2", "south1"))
    holding_token = revoked.headers()
    with central.admin() as session:
        admin.set_device_status(session, revoked.device_id, "revoked")
        admin.set_device_status(session, lost.device_id, "wipe")
        admin.set_user_disabled(session, "south1", True)
    answers = {name: laptop.token_response().json()
               for name, laptop in (("revoked", revoked), ("lost", lost), ("disabled", disabled))}
    assert answers["revoked"]["error"] == "device_revoked" and "wipe" not in answers["revoked"]
    assert answers["lost"] == {**answers["lost"], "error": "device_revoked", "wipe": True}
    assert answers["disabled"]["error"] == "user_disabled"
    with_old_token = central.client.get("/v1/sync/pull", headers=holding_token)
    assert (with_old_token.status_code, with_old_token.json()["error"]) == (403,
                                                                            "device_revoked")


def test_a_lost_laptop_s_token_refusal_carries_central_s_order_for_that_assertion(
    central: Central,
) -> None:
    central.world()
    lost = central.enroll("north1")
    holding_token = lost.headers()
    with central.admin() as session:
        admin.set_device_status(session, lost.device_id, "wipe")
    answer = lost.token_response(lost.assertion(jti="a" * 32)).json()
    order = WipeOrder.model_validate(answer["wipe_order"])
    assert order.is_signed_by(lost.receipt_key, lost.device_id, "a" * 32)
    assert not order.is_signed_by(lost.receipt_key, lost.device_id, "b" * 32)  # no replay
    assert not order.is_signed_by(lost.receipt_key, uuid.uuid4(), "a" * 32)
    assert not order.is_signed_by(raw_public(Ed25519PrivateKey.generate()), lost.device_id,
                                  "a" * 32)
    # Other endpoints say "lost" without an order: the laptop asks the token endpoint.
    pulled = central.client.get("/v1/sync/pull", headers=holding_token).json()
    assert pulled["wipe"] is True and "wipe_order" not in pulled


def test_a_token_grant_is_signed_for_that_device_and_assertion(central: Central) -> None:
    central.world()
    laptop = central.enroll("north1")
    granted = TokenResponse.model_validate(
        laptop.token_response(laptop.assertion(jti="c" * 32)).json())
    assert granted.is_granted_by(laptop.receipt_key, laptop.device_id, "c" * 32)
    assert not granted.is_granted_by(laptop.receipt_key, laptop.device_id, "d" * 32)
    assert not granted.is_granted_by(laptop.receipt_key, uuid.uuid4(), "c" * 32)
    unsigned = granted.model_copy(update={"grant_signature": None})
    assert not unsigned.is_granted_by(laptop.receipt_key, laptop.device_id, "c" * 32)


def test_a_revoked_laptop_s_contact_is_audited_and_shows_what_waits_on_it(
    central: Central, settings: Settings, capsys: pytest.CaptureFixture[str],
) -> None:
    central.world()
    revoked, older = central.enroll("north1"), central.enroll("north2")
    enrolled_at = central.clock()
    with central.admin() as session:
        admin.set_device_status(session, revoked.device_id, "revoked")
        admin.set_device_status(session, older.device_id, "revoked")
    central.clock.advance(3600)
    refused = central.client.post("/v1/token", json={
        "client_assertion": revoked.assertion(), "unsent_records": 12})
    assert (refused.status_code, refused.json()["error"]) == (403, "device_revoked")
    # A laptop from before protocol 4 does not send the count: its contact is still kept.
    assert older.token_response().status_code == 403
    with central.admin() as session:
        kept = {d.id: (d.last_contact_at, d.unsent_records)
                for d in session.scalars(select(Device))}
        audited = session.execute(
            select(AuditEntry.subject, AuditEntry.detail)
            .where(AuditEntry.action == "device.contact_refused")).all()
        figures = admin.stats(session)
    assert kept[revoked.device_id] == (central.clock(), 12)
    assert kept[older.device_id] == (central.clock(), None)
    assert central.clock() > enrolled_at
    assert sorted(audited) == sorted([
        (f"device:{revoked.device_id}", {"status": "revoked", "unsent_records": 12}),
        (f"device:{older.device_id}", {"status": "revoked", "unsent_records": None})])
    assert figures["waiting_on_refused_laptops"] == {str(revoked.device_id): 12}
    assert figures["last_contact"][str(revoked.device_id)] == central.clock().isoformat()

    assert cli_main(["device", "list", "--database-url", settings.database_url]) == 0
    listed = {line.split("\t")[1]: line.split("\t")[2]
              for line in capsys.readouterr().out.splitlines()}
    assert listed == {"north1": "revoked (12 records waiting on a revoked laptop)",
                      "north2": "revoked"}

    # Let back in: the next grant means it syncs, so nothing is shown as waiting.
    with central.admin() as session:
        admin.set_device_status(session, revoked.device_id, "active")
    assert revoked.token_response().status_code == 200
    with central.admin() as session:
        assert admin.stats(session)["waiting_on_refused_laptops"] == {}
