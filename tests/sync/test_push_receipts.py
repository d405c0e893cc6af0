"""Which receipt proves a pushed op depends on what central speaks (protocol 8). A central
that signs one receipt a push is asked for it, and the laptop keeps it once; an older one is
sent no such field (it would refuse it) and signs each op's. A push's receipt that does not
verify, or that leaves an op out, proves nothing for what it does not vouch for: those ops
stay in the outbox and go again, and the worker is told."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

import pytest
import sqlcipher3

from storage.outbox import OperationStatus
from sync.ledger import OpReceipt, SyncLedger
from sync.protocol import PushReceipt, PushReceiptBody, Receipt, ReceiptedOp, b64encode
from tests.sync.harness import CentralProcess, Laptop
from tests.sync.test_sync_thread import enrolled
from tests.sync.test_wipe_order_signed import (  # noqa: F401
    HEALTHY,
    Impostor,
    behind,
    central_receipt_key,
    impostors,
)

pytestmark = pytest.mark.parametrize("central_server", ["sqlite"], indirect=True)

PUSH = "/v1/sync/push"


def _pushes(impostor: Impostor) -> list[dict[str, Any]]:
    return [json.loads(body) for path, body in impostor.sent if path == PUSH]


def _kept(laptop: Laptop) -> tuple[int, list[OpReceipt | None], bytes]:
    """The push receipts the vault keeps, each op's receipt, and central's receipt key."""
    with laptop.workspace() as workspace:
        conn = workspace.outbox._conn
        ledger = SyncLedger(conn)
        enrollment = ledger.enrollment()
        assert enrollment is not None
        pushes = conn.execute("SELECT count(*) FROM sync_push_receipts").fetchone()[0]
        return (pushes, [ledger.receipt(op.op_id) for op in workspace.outbox.operations()],
                enrollment.receipt_public_key)


def _synced(laptop: Laptop) -> int:
    with laptop.workspace() as workspace:
        return workspace.outbox.counts().get(OperationStatus.SYNCED, 0)


def test_a_central_of_8_is_asked_for_one_receipt_a_push_and_it_is_kept_once(
        central: CentralProcess, tmp_path: Path, impostors: list[Impostor]) -> None:  # noqa: F811
    laptop = enrolled(central, tmp_path)
    laptop.submit_visits(3)
    impostors.append(impostor := Impostor(lambda _path: None, relay_to=central.url))
    behind(laptop, impostor)
    assert laptop.sync().returncode == 0
    [push] = _pushes(impostor)
    assert push["receipt"] == "push" and len(push["operations"]) == 3
    pushes, receipts, key = _kept(laptop)
    assert pushes == 1 and len(receipts) == 3 and _synced(laptop) == 3
    assert all(r is not None and r.push is not None and r.is_signed_by(key) for r in receipts)
    check = laptop.run("vault", "check", "--vault", str(laptop.directory))
    assert check.returncode == 0, check.stdout
    with laptop.workspace() as workspace:
        for change in ("UPDATE sync_push_receipts SET stored_at = 'now'",
                       "DELETE FROM sync_push_receipts"):
            with pytest.raises(sqlcipher3.IntegrityError, match="a receipt is never"):
                workspace.outbox._conn.execute(change)


def test_a_central_put_back_to_7_while_syncing_is_asked_again_and_sent_the_older_form(
        central: CentralProcess, tmp_path: Path, impostors: list[Impostor]) -> None:  # noqa: F811
    """An engine asks central's protocol once. Put back to 7 after that, central refuses a
    push that asks for one receipt (422, a field it does not know) as it would refuse a
    malformed one: the laptop asks again and sends the same visits as 7 takes them, none set
    aside."""
    laptop = enrolled(central, tmp_path)
    laptop.submit_visits(2)
    healths = 0

    def put_back(path: str) -> tuple[int, dict[str, Any]] | None:
        nonlocal healths
        if path == "/v1/health":
            healths += 1
            return (200, {**HEALTHY, "protocol_version": 8 if healths == 1 else 7})
        if path == PUSH and "receipt" in json.loads(impostor.sent[-1][1]):
            return 422, {"error": "invalid_request", "message": "Extra inputs are not permitted."}
        return None

    impostors.append(impostor := Impostor(put_back, relay_to=central.url))
    behind(laptop, impostor)
    synced = laptop.sync()
    assert synced.returncode == 0, synced.stdout + synced.stderr
    assert ["receipt" in push for push in _pushes(impostor)] == [True, False]
    assert healths == 2
    pushes, receipts, key = _kept(laptop)
    assert pushes == 0 and _synced(laptop) == 2 and len(central.visit_ids()) == 2
    assert all(r is not None and r.push is None and r.is_signed_by(key) for r in receipts)


def test_a_central_of_7_is_sent_no_such_field_and_each_op_keeps_its_own_receipt(
        central: CentralProcess, tmp_path: Path, impostors: list[Impostor]) -> None:  # noqa: F811
    laptop = enrolled(central, tmp_path)
    laptop.submit_visits(2)

    def as_protocol_7(path: str) -> tuple[int, dict[str, Any]] | None:
        return (200, {**HEALTHY, "protocol_version": 7}) if path == "/v1/health" else None

    impostors.append(impostor := Impostor(as_protocol_7, relay_to=central.url))
    behind(laptop, impostor)
    assert laptop.sync().returncode == 0
    [push] = _pushes(impostor)
    assert "receipt" not in push
    pushes, receipts, key = _kept(laptop)
    assert pushes == 0 and _synced(laptop) == 2
    assert all(r is not None and r.push is None and isinstance(r.entry, Receipt)
               and r.is_signed_by(key) for r in receipts)


# What a push's receipt is made to say, and how many of three ops it then settles: changed
# after central signed it; signed by central's own key (as a faulty central would) but leaving
# the last op out, for another laptop, saying the first was refused when its outcome says
# accepted, or naming the first op twice.
TAMPERING = {"changed": 0, "left_out": 2, "another_device": 0, "says_rejected": 2, "twice": 0}


@pytest.mark.parametrize("tampering", TAMPERING)
def test_a_push_receipt_settles_only_what_it_vouches_for(
        central: CentralProcess, tmp_path: Path, impostors: list[Impostor],  # noqa: F811
        tampering: str) -> None:
    """Whatever a push's receipt does not vouch for stays in the outbox and goes again; the
    worker is told central's answer could not be verified."""
    laptop = enrolled(central, tmp_path)
    laptop.submit_visits(3)
    key = central_receipt_key(central)

    def signed(device_id: uuid.UUID, ops: list[ReceiptedOp]) -> dict[str, Any]:
        body = PushReceiptBody(device_id=device_id, ops=ops)
        return {**json.loads(body.model_dump_json()),
                "signature": b64encode(key.sign(body.signed_bytes()))}

    def rewrite(path: str, data: bytes) -> bytes:
        if path != PUSH:
            return data
        answer = json.loads(data)
        receipt = PushReceipt.model_validate(answer["receipt"])
        device, ops = receipt.device_id, list(receipt.ops)
        if tampering == "changed":
            answer["receipt"]["ops"][0]["received_at"] = "2026-01-01T00:00:00.000000Z"
            return json.dumps(answer).encode()
        if tampering == "left_out":
            ops = ops[:-1]
        elif tampering == "another_device":
            device = uuid.uuid4()
        elif tampering == "says_rejected":
            ops[0] = ops[0].model_copy(update={"result": "rejected"})
        else:
            ops.append(ops[0])
        answer["receipt"] = signed(device, ops)
        return json.dumps(answer).encode()

    impostors.append(impostor := Impostor(lambda _path: None, central.url, rewrite))
    behind(laptop, impostor)
    refused = laptop.sync()
    assert refused.returncode != 0
    assert "Central's answer could not be verified" in refused.stdout + refused.stderr
    assert _synced(laptop) == TAMPERING[tampering]
    assert len(central.visit_ids()) == 3

    impostors.append(honest := Impostor(lambda _path: None, relay_to=central.url))
    behind(laptop, honest)
    assert laptop.sync().returncode == 0
    [again] = _pushes(honest)
    assert len(again["operations"]) == 3 - TAMPERING[tampering]
    pushes, receipts, public = _kept(laptop)
    assert _synced(laptop) == 3 and len(central.visit_ids()) == 3
    assert all(r is not None and r.is_signed_by(public) for r in receipts)
    assert pushes == (2 if TAMPERING[tampering] else 1)
