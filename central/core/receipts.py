"""The bytes central signs as an op's receipt, made without the pydantic model.

`receipt_signed_bytes(...)` is `ReceiptBody(...).signed_bytes()` (the same bytes,
tests/central/test_receipt_bytes.py) at a third of the CPU: central signs one for every op
pushed. A laptop checks receipts through `Receipt.verify`, with the model.
"""

from __future__ import annotations

import functools
from datetime import datetime
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
    return orjson.dumps(
        {"device_id": str(device_id), "op_id": str(op_id),
         "received_at": instant_text(received_at), "record_hash": record_hash,
         "result": result}, option=orjson.OPT_SORT_KEYS)


@functools.lru_cache(maxsize=16)
def instant_text(moment: datetime) -> str:
    """`iso_utc`, spelled once for each of the few instants in use (a push's)."""
    return iso_utc(moment)
