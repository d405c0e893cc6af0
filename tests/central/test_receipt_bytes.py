"""The receipt bytes central signs for each pushed op, made without the pydantic model, are
byte for byte what `ReceiptBody.signed_bytes()` gives: a laptop checks receipts with that.
So are a push's one receipt's (`PushReceiptBody`), and the push's answer, which holds them:
what `PushResponse` writes."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta, timezone

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from central.core.keys import ServerKeys
from central.core.receipts import push_receipt_signed_bytes, receipt_signed_bytes, receipted_op
from central.services.ingest import StoredOp, answer_json
from sync.protocol import (
    OperationOutcome,
    OperationResult,
    PushReceipt,
    PushReceiptBody,
    PushResponse,
    Receipt,
    ReceiptBody,
    ReceiptedOp,
    b64encode,
)

KEYS = ServerKeys(receipt=Ed25519PrivateKey.generate(), token=Ed25519PrivateKey.generate())

MOMENTS = [datetime(2026, 3, 29, 0, 59, 59, 999_999, tzinfo=UTC),
           datetime(2026, 10, 25, 1, 30, tzinfo=timezone(timedelta(hours=1))),
           datetime(2027, 1, 1, tzinfo=timezone(timedelta(hours=-9, minutes=-30)))]


@pytest.mark.parametrize("moment", MOMENTS)
@pytest.mark.parametrize(("record_hash", "result"), [
    ("0123456789abcdef" * 4, "accepted"), (None, "rejected"), ("ab" * 32, "rejected")])
def test_the_same_bytes_as_the_model(moment: datetime, record_hash: str | None,
                                     result: str) -> None:
    device_id, op_id = uuid.uuid4(), uuid.uuid4()
    expected = ReceiptBody(device_id=device_id, op_id=op_id, record_hash=record_hash,
                           result=result, received_at=moment).signed_bytes()
    assert receipt_signed_bytes(device_id, op_id, record_hash, result,  # type: ignore[arg-type]
                                moment) == expected


@pytest.mark.parametrize("moment", MOMENTS)
def test_a_push_receipts_bytes_are_the_models(moment: datetime) -> None:
    device_id = uuid.uuid4()
    ops = [(uuid.uuid4(), "0123456789abcdef" * 4, "accepted", moment),
           (uuid.uuid4(), None, "rejected", moment + timedelta(days=3, microseconds=7))]
    expected = PushReceiptBody(device_id=device_id, ops=[
        ReceiptedOp(op_id=op_id, record_hash=record_hash, result=result, received_at=at)
        for op_id, record_hash, result, at in ops]).signed_bytes()
    assert push_receipt_signed_bytes(device_id, [
        receipted_op(*op) for op in ops]) == expected  # type: ignore[arg-type]


def _stored(result: str, code: str | None, message: str | None, flags: list[str],
            record_hash: str | None, moment: datetime, signed: bool = True) -> StoredOp:
    return StoredOp(uuid.uuid4(), record_hash, result, code, message, flags, moment,
                    bytes(range(64)) if signed else None)


def _outcomes(moment: datetime) -> list[tuple[StoredOp, bool]]:
    """Accepted with flags, rejected with a message (not ASCII), answered again as a
    duplicate (received a day before), a refusal with no hash, and one op twice."""
    twice = _stored("accepted", None, None, ["already_received"], "12" * 32, moment)
    return [
        (_stored("accepted", None, None, ["late_upload", "child_unknown"], "ab" * 32, moment),
         False),
        (_stored("rejected", "bad_signature", "The record’s signature — does not verify.",
                 [], "cd" * 32, moment), False),
        (_stored("accepted", None, None, [], "ef" * 32, moment - timedelta(days=1)), True),
        (_stored("rejected", "hash_mismatch", "Bytes changed.", [], None, moment), True),
        (twice, False), (twice, True),
    ]


def _outcome(stored: StoredOp, duplicate: bool, receipt: Receipt | None) -> OperationOutcome:
    return OperationOutcome(
        op_id=stored.op_id,
        result=OperationResult.DUPLICATE if duplicate else OperationResult(stored.result),
        original_result=stored.result, code=stored.code, message=stored.message,
        flags=stored.flags, receipt=receipt)


@pytest.mark.parametrize("moment", MOMENTS)
def test_the_push_answer_is_the_models_json(moment: datetime) -> None:
    """The answer central writes without the models is what `PushResponse` says, byte for
    byte, with a receipt an op and no `receipt` of the push's (a laptop before protocol 8
    refuses one)."""
    device_id = uuid.uuid4()
    outcomes = _outcomes(moment)
    expected = PushResponse(results=[_outcome(stored, duplicate, Receipt(
        device_id=device_id, op_id=stored.op_id, record_hash=stored.record_hash,
        result=stored.result, received_at=stored.received_at,
        signature=b64encode(stored.receipt_signature or b"")))
        for stored, duplicate in outcomes])
    assert answer_json(device_id, outcomes, "op", KEYS) \
        == expected.model_dump_json(exclude={"receipt"}).encode()


@pytest.mark.parametrize("moment", MOMENTS)
def test_the_answer_to_a_push_asking_one_receipt_is_the_models_json(moment: datetime) -> None:
    """Each op once in the push's receipt, in the push's order, with the result and instant
    central holds; each outcome's own receipt null; one signature that verifies."""
    device_id = uuid.uuid4()
    outcomes = _outcomes(moment)
    answer = answer_json(device_id, outcomes, "push", KEYS)
    receipt = PushResponse.model_validate_json(answer).receipt
    assert receipt is not None and receipt.is_signed_by(KEYS.receipt_public)
    once = list({stored.op_id: stored for stored, _ in outcomes}.values())
    expected = PushResponse(
        results=[_outcome(stored, duplicate, None) for stored, duplicate in outcomes],
        receipt=PushReceipt(device_id=device_id, ops=[
            ReceiptedOp(op_id=stored.op_id, record_hash=stored.record_hash,
                        result=stored.result, received_at=stored.received_at)
            for stored in once], signature=receipt.signature))
    assert answer == expected.model_dump_json().encode()
    forged = receipt.model_copy(update={"ops": receipt.ops[::-1]})
    assert not forged.is_signed_by(KEYS.receipt_public)


def test_an_op_kept_under_a_push_receipt_is_given_its_own_when_asked_again() -> None:
    """A laptop before protocol 8 sending again an op stored under a push's receipt gets the
    receipt of its own central would have kept: signed now, the same bytes every time."""
    device_id, moment = uuid.uuid4(), MOMENTS[0]
    stored = _stored("accepted", None, None, [], "ab" * 32, moment, signed=False)
    first, again = (PushResponse.model_validate_json(
        answer_json(device_id, [(stored, True)], "op", KEYS)).results[0].receipt
        for _ in range(2))
    assert first is not None and first == again
    assert first.is_signed_by(KEYS.receipt_public)
    assert first.received_at == moment and first.result == "accepted"
