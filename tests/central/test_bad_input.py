"""Bad input gets a 4xx with a code and a sentence; never a 5xx; nothing is partly stored."""

from __future__ import annotations

import base64
import hashlib
import logging
from collections.abc import Iterator
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import func, select

from central.cli import main as cli_main
from central.core.config import Settings
from central.db.models import Attachment, OperationRow, VisitRow
from central.services import admin
from tests.central.harness import Central, raw_public
from tests.factories import make_visit


def _stored(central: Central) -> tuple[int, int]:
    with central.admin() as session:
        return (session.scalar(select(func.count()).select_from(VisitRow)) or 0,
                session.scalar(select(func.count()).select_from(OperationRow)) or 0)


def _assert_error(response: Any, status: int, code: str) -> None:
    assert response.status_code == status, response.text
    body = response.json()
    assert body["error"] == code
    assert isinstance(body["message"], str) and body["message"].endswith(".")


def test_malformed_wrong_typed_and_unknown_requests_get_coded_4xx(central: Central) -> None:
    central.world()
    laptop = central.enroll("north1")
    auth = {**laptop.headers(), "content-type": "application/json"}
    post = central.client.post
    _assert_error(post("/v1/sync/push", content=b'{"operations": [', headers=auth), 400,
                  "malformed_json")
    _assert_error(post("/v1/sync/push", json={"operations": "all of them"}, headers=auth), 422,
                  "invalid_request")
    _assert_error(post("/v1/sync/push", json={"operations": []}, headers=auth), 422,
                  "invalid_request")
    _assert_error(post("/v1/sync/push", json={"operations": [{"op_id": 7}]}, headers=auth), 422,
                  "invalid_request")
    _assert_error(post("/v1/token", json={"client_assertion": 12}), 422, "invalid_request")
    _assert_error(post("/v1/enroll", content=b"\xff\xfe", headers=auth), 400, "malformed_json")
    _assert_error(central.client.get("/v1/sync/pull?cursor=-1", headers=auth), 422,
                  "invalid_request")
    _assert_error(central.client.get("/v1/sync/pull?limit=abc", headers=auth), 422,
                  "invalid_request")
    _assert_error(central.client.get("/v1/nowhere"), 404, "not_found")
    _assert_error(central.client.delete("/v1/sync/push"), 405, "method_not_allowed")
    _assert_error(post("/v1/sync/push", json={"operations": []}), 401, "missing_token")
    _assert_error(post("/v1/sync/push", json={"operations": []},
                       headers={"Authorization": "Bearer nonsense"}), 401, "invalid_token")
    assert _stored(central) == (0, 0)


def test_a_validation_error_names_places_never_the_values_sent(central: Central) -> None:
    central.world()
    laptop = central.enroll("north1")
    secret = "Ana-said-SECRET-WORDS"
    response = central.client.post("/v1/sync/push", headers=laptop.headers(), json={
        "operations": [{"op_id": secret, "sequence": 1, "kind": "visit.submit",
                        "payload": {"record": secret}}]})
    assert response.status_code == 422
    assert secret not in response.text
    assert any("op_id" in d["location"] for d in response.json()["details"])


def _chunks(data: bytes, size: int = 65536) -> Iterator[bytes]:
    for start in range(0, len(data), size):
        yield data[start:start + size]


def test_oversize_bodies_get_413_whether_announced_or_streamed(central: Central) -> None:
    world = central.world()
    laptop = central.enroll("north1")
    limit = central.client.app.state.settings.max_request_bytes  # type: ignore[attr-defined]
    op = laptop.op(make_visit(world.cases["N1"], [world.children["N1"]]))
    op["payload"]["record"] += " " * 200
    huge = b'{"operations": [' + b",".join([b"{}"] * (limit // 2 + 10)) + b"]}"
    headers = {**laptop.headers(), "content-type": "application/json"}
    _assert_error(central.client.post("/v1/sync/push", content=huge, headers=headers), 413,
                  "too_large")
    _assert_error(central.client.post("/v1/sync/push", content=_chunks(huge), headers=headers),
                  413, "too_large")
    blob_limit = central.client.app.state.settings.max_blob_bytes  # type: ignore[attr-defined]
    photo = b"x" * (blob_limit + 1)
    _assert_error(central.client.put(f"/v1/blobs/{hashlib.sha256(photo).hexdigest()}",
                                     content=photo, headers=laptop.headers()), 413, "too_large")
    assert _stored(central) == (0, 0)


def test_sends_refused_whole_are_counted_by_code_and_device(
    central: Central, settings: Settings, capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Nothing of a 413, 400 or 422 push is stored, so no operation row tells IT a visit is
    stuck behind it: stats counts each from a laptop whose token is good, by code and device."""
    central.world()
    laptop = central.enroll("north1")
    limit = central.client.app.state.settings.max_request_bytes  # type: ignore[attr-defined]
    huge = b'{"operations": [' + b",".join([b"{}"] * (limit // 2 + 10)) + b"]}"
    json_headers = {**laptop.headers(), "content-type": "application/json"}
    post = central.client.post
    assert post("/v1/sync/push", content=huge, headers=json_headers).status_code == 413
    assert post("/v1/sync/push", content=_chunks(huge), headers=json_headers).status_code == 413
    assert post("/v1/sync/push", content=b'{"operations": [',
                headers=json_headers).status_code == 400
    assert post("/v1/sync/push", json={"operations": "all"},
                headers=json_headers).status_code == 422
    photo = b"x" * (central.client.app.state.settings.max_blob_bytes + 1)  # type: ignore[attr-defined]
    assert central.client.put(f"/v1/blobs/{hashlib.sha256(photo).hexdigest()}", content=photo,
                              headers=laptop.headers()).status_code == 413
    # Announced too large, with a token that is no token or none: refused before it is read,
    # and only logged: anyone could send these, so they add no row to the audit log.
    with caplog.at_level(logging.INFO, logger="central.refusals"):
        for _ in range(3):
            assert post("/v1/sync/push", content=huge, headers={
                "Authorization": "Bearer nonsense",
                "content-type": "application/json"}).status_code == 413
        assert post("/v1/sync/push", content=huge,
                    headers={"content-type": "application/json"}).status_code == 413
    assert [r.__dict__["device"] for r in caplog.records
            if r.getMessage() == "request.refused"][-4:] == ["unknown"] * 4
    # Not a laptop sending records: an enrolment typo is not a stuck visit.
    assert post("/v1/token", json={"client_assertion": 12}).status_code == 422
    with central.admin() as session:
        figures = admin.stats(session)
    device = str(laptop.device_id)
    assert figures["sends_refused"] == 5
    assert figures["sends_refused_by_code"] == {"invalid_request": 1, "malformed_json": 1,
                                                "too_large": 3}
    assert figures["sends_refused_by_device"] == {device: 5}
    assert figures["ops_rejected"] == 0 and _stored(central) == (0, 0)

    assert cli_main(["stats", "--database-url", settings.database_url]) == 0
    shown = capsys.readouterr().out.splitlines()
    assert "sends_refused: 5" in shown
    assert "sends refused whole for too_large: 3" in shown
    assert f"sends refused whole from {device}: 5" in shown


def test_blobs_are_content_addressed_and_a_wrong_hash_stores_nothing(central: Central) -> None:
    central.world()
    laptop = central.enroll("north1")
    photo = b"\x89PNG pretend photo"
    name = hashlib.sha256(photo).hexdigest()
    _assert_error(central.client.put(f"/v1/blobs/{'0' * 64}", content=photo,
                                     headers=laptop.headers()), 422, "hash_mismatch")
    _assert_error(central.client.put("/v1/blobs/short", content=photo,
                                     headers=laptop.headers()), 422, "invalid_request")
    first = central.client.put(f"/v1/blobs/{name}", content=photo, headers=laptop.headers())
    again = central.client.put(f"/v1/blobs/{name}", content=photo, headers=laptop.headers())
    assert (first.json()["created"], again.json()["created"]) == (True, False)
    fetched = central.client.get(f"/v1/blobs/{name}", headers=laptop.headers())
    assert fetched.content == photo
    with central.admin() as session:
        assert session.scalar(select(func.count()).select_from(Attachment)) == 1


def test_a_method_not_allowed_names_the_methods_that_are(central: Central) -> None:
    refused = central.client.request("TRACE", "/v1/token")
    _assert_error(refused, 405, "method_not_allowed")
    assert refused.headers["allow"] == "POST"
    both = central.client.delete("/v1/blobs/" + "0" * 64)  # GET and PUT are two routes
    assert both.headers["allow"] == "GET, PUT"


def test_a_submission_time_must_be_date_time_text_not_a_number(central: Central) -> None:
    world = central.world()
    laptop = central.enroll("north1")
    visit = make_visit(world.cases["N1"], [world.children["N1"]])
    for number in (1_795_000_000, 1_795_000_000.5):
        op = {**laptop.op(visit), "submitted_at": number}
        refused = laptop.push(op)
        _assert_error(refused, 422, "invalid_request")
        assert refused.json()["details"][0]["location"].endswith("submitted_at")
    assert _stored(central) == (0, 0)
    text = {**laptop.op(visit), "submitted_at": "2026-11-16T16:05:00Z"}
    assert laptop.push_ok(text)[0]["result"] == "accepted"


def test_an_enrollment_key_is_exactly_32_bytes_in_the_schema_and_the_check(
        central: Central) -> None:
    central.world()
    schema = central.client.get("/openapi.json").json()
    key_schema = schema["components"]["schemas"]["EnrollmentRequest"]["properties"]["public_key"]
    assert key_schema["minLength"] == key_schema["maxLength"] == 44
    code = central.invite("north1")
    for wrong in (base64.b64encode(bytes(31)), base64.b64encode(bytes(33)), b"AAAA",
                  base64.b64encode(bytes(32)).rstrip(b"=")):
        _assert_error(central.client.post("/v1/enroll", json={
            "code": code, "public_key": wrong.decode()}), 422, "invalid_request")
    assert central.client.post("/v1/enroll", json={
        "code": code, "public_key": base64.b64encode(raw_public(
            Ed25519PrivateKey.generate())).decode()}).status_code == 200
