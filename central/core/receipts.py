"""The bytes central signs as a receipt, made without the pydantic models.

`receipt_signed_bytes(...)` is `ReceiptBody(...).signed_bytes()`, and
`push_receipt_signed_bytes(...)` is `PushReceiptBody(...).signed_bytes()` (the same bytes,
tests/central/test_receipt_bytes.py), at a fraction of the CPU: central signs one for every
op pushed, or one a push when the push asks for it (protocol 8). A laptop checks receipts
through the models (`Receipt.is_signed_by`, `PushReceipt.is_signed_by`).
"""

from __future__ import annotations

import functools
from datetime import datetime
from typing import Any
from uuid import UUID

import orjson

from records.types import iso_utc
from sync.protocol import StoredResult


def receipt_signed_bytes(device_id: UUID, op_id: UUID, record_hash: str | None,
                         result: StoredResult, received_at: datetime) -> bytes:
    """The canonical JSON of these five fields; `received_at` is spelled once a push (one
    instant for all its ops). Written by orjson with sorted keys: each value is ASCII text
    (two ids, a hash in hex or null, a result, an instant), which it writes exactly as the
    canonical encoder does (`records.canonical.canonical_bytes`), in a fifth of the time."""
    return orjson.dumps({"device_id": str(device_id),
                         **receipted_op(op_id, record_hash, result, received_at)},
                        option=orjson.OPT_SORT_KEYS)


def receipted_op(op_id: UUID, record_hash: str | None, result: StoredResult,
                 received_at: datetime) -> dict[str, Any]:
    """What a receipt says of one op, its fields in the models' order: a push's receipt's
    `ReceiptedOp`, and an op's own `Receipt` after its `device_id`."""
    return {"op_id": str(op_id), "record_hash": record_hash, "result": result,
            "received_at": instant_text(received_at)}


def push_receipt_signed_bytes(device_id: UUID, ops: list[dict[str, Any]]) -> bytes:
    """The canonical JSON of a push's receipt: the device and its ops (`receipted_op`), keys
    sorted at every level by orjson. Every value is ASCII text, as in a receipt of one op."""
    return orjson.dumps({"device_id": str(device_id), "ops": ops}, option=orjson.OPT_SORT_KEYS)


@functools.lru_cache(maxsize=16)
def instant_text(moment: datetime) -> str:
    """`iso_utc`, spelled once for each of the few instants in use (a push's)."""
    return iso_utc(moment)
