"""The receipt bytes central signs for each pushed op, made without the pydantic model, are
byte for byte what `ReceiptBody.signed_bytes()` gives: a laptop checks receipts with that.
So is the push's answer, which holds them: what `PushResponse` writes."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta, timezone

import pytest

from central.core.receipts import receipt_signed_bytes
from central.services.ingest import StoredOp, answer_json
from sync.protocol import (
    OperationOutcome,
    OperationResult,
    PushResponse,
    Receipt,
    ReceiptBody,
    b64encode,
)

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


def _stored(result: str, code: str | None, message: str | None, flags: list[str],
            record_hash: str | None, moment: datetime) -> StoredOp:
    return StoredOp(uuid.uuid4(), record_hash, result, code, message, flags, moment,
                    bytes(range(64)))


@pytest.mark.parametrize("moment", MOMENTS)
def test_the_push_answer_is_the_models_json(moment: datetime) -> None:
    """The answer central writes without the models is what `PushResponse` says, byte for
    byte: accepted with flags, rejected with a message (not ASCII), answered again as a
    duplicate, and a refusal with no hash."""
    device_id = uuid.uuid4()
    outcomes = [
        (_stored("accepted", None, None, ["late_upload", "child_unknown"], "ab" * 32, moment),
         False),
        (_stored("rejected", "bad_signature", "The record’s signature — does not verify.",
                 [], "cd" * 32, moment), False),
        (_stored("accepted", None, None, [], "ef" * 32, moment), True),
        (_stored("rejected", "hash_mismatch", "Bytes changed.", [], None, moment), True),
    ]
    expected = PushResponse(results=[OperationOutcome(
        op_id=stored.op_id,
        result=OperationResult.DUPLICATE if duplicate else OperationResult(stored.result),
        original_result=stored.result, code=stored.code, message=stored.message,
        flags=stored.flags,
        receipt=Receipt(device_id=device_id, op_id=stored.op_id, record_hash=stored.record_hash,
                        result=stored.result, received_at=stored.received_at,
                        signature=b64encode(stored.receipt_signature)))
        for stored, duplicate in outcomes])
    assert answer_json(device_id, outcomes) == expected.model_dump_json().encode()
