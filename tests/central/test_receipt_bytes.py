"""The receipt bytes central signs for each pushed op, made without the pydantic model, are
byte for byte what `ReceiptBody.signed_bytes()` gives: a laptop checks receipts with that."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta, timezone

import pytest

from central.core.receipts import receipt_signed_bytes
from sync.protocol import ReceiptBody

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
