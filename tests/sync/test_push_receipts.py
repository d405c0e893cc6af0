"""Which receipt proves a pushed op depends on what central speaks (protocol 8). A central
that signs one receipt a push is asked for it, and the laptop keeps it once; an older one is
sent no such field (it would refuse it) and signs each op's. A push's receipt that does not
verify, or that leaves an op out, proves nothing for what it does not vouch for: those ops
stay in the outbox and go again, and the worker is told."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from storage.outbox import OperationStatus
from sync.ledger import KeptReceipt, SyncLedger
from sync.protocol import PushReceipt, PushReceiptBody, Receipt, b64encode
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


def _kept(laptop: Laptop) -> tuple[int, list[KeptReceipt | None], bytes]:
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


@pytest.mark.parametrize("tampering", ["changed", "left_out"])
def test_a_push_receipt_settles_only_what_it_vouches_for(
        central: CentralProcess, tmp_path: Path, impostors: list[Impostor],  # noqa: F811
        tampering: str) -> None:
    """Changed after central signed it: no op is settled. Signed by central's own key but
    leaving the last op out: the others are settled, that one goes again."""
    laptop = enrolled(central, tmp_path)
    laptop.submit_visits(3)
    key = central_receipt_key(central)

    def rewrite(path: str, data: bytes) -> bytes:
        if path != PUSH:
            return data
        answer = json.loads(data)
        receipt = PushReceipt.model_validate(answer["receipt"])
        if tampering == "changed":
            answer["receipt"]["ops"][0]["received_at"] = "2026-01-01T00:00:00.000000Z"
        else:
            body = PushReceiptBody(device_id=receipt.device_id, ops=receipt.ops[:-1])
            answer["receipt"] = {**json.loads(body.model_dump_json()),
                                 "signature": b64encode(key.sign(body.signed_bytes()))}
        return json.dumps(answer).encode()

    impostors.append(impostor := Impostor(lambda _path: None, central.url, rewrite))
    behind(laptop, impostor)
    refused = laptop.sync()
    assert refused.returncode != 0
    assert "Central's answer could not be verified" in refused.stdout + refused.stderr
    assert _synced(laptop) == (0 if tampering == "changed" else 2)
    assert len(central.visit_ids()) == 3

    impostors.append(honest := Impostor(lambda _path: None, relay_to=central.url))
    behind(laptop, honest)
    assert laptop.sync().returncode == 0
    [again] = _pushes(honest)
    assert len(again["operations"]) == (3 if tampering == "changed" else 1)
    pushes, receipts, public = _kept(laptop)
    assert _synced(laptop) == 3 and len(central.visit_ids()) == 3
    assert all(r is not None and r.is_signed_by(public) for r in receipts)
    assert pushes == (1 if tampering == "changed" else 2)
