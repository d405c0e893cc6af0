"""Canonical JSON of a record and its SHA-256: what is signed, synced and compared.

Sorted keys, no insignificant whitespace, UTF-8, timestamps in UTC with a fixed spelling,
decimals as exact strings, no floats. Two records with the same content always give the
same bytes, whatever order their fields were set in; any change of content changes them.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from datetime import date
from typing import Any, TypeVar

from pydantic import BaseModel

RecordT = TypeVar("RecordT", bound=BaseModel)


def _refuse_floats(value: Any) -> None:
    # A loop over what `model_dump(mode="json")` gives (plain dicts, lists and scalars), not
    # a call an item: a pushed visit has ~40 leaves and central checks every record pushed.
    pending = [value]
    while pending:
        item = pending.pop()
        kind = type(item)
        if kind is dict:
            pending.extend(item.values())
        elif kind is list:
            pending.extend(item)
        elif kind is str or kind is int or kind is bool or item is None:
            continue
        elif isinstance(item, float):
            raise TypeError("records hold exact decimals, never floats")
        elif isinstance(item, dict):
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)


# One encoder, made once: `json.dumps` with these options builds a new one on every call, and
# central checks the canonical form of every record pushed (the same text either way).
_CANONICAL = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                              allow_nan=False)


def canonical_json(record: BaseModel) -> bytes:
    """The one byte-for-byte form of a record."""
    plain = record.model_dump(mode="json")
    _refuse_floats(plain)
    return canonical_bytes(plain)


def canonical_bytes(plain: Any) -> bytes:
    """Plain JSON values (objects, arrays, text, integers, true, false, null) in the canonical
    form: what `canonical_json` writes of a record's dump, and central of a receipt's body."""
    return _CANONICAL.encode(plain).encode("utf-8")


def record_hash(record: BaseModel) -> str:
    """SHA-256 of the canonical JSON, as 64 lowercase hex digits."""
    return hashlib.sha256(canonical_json(record)).hexdigest()


def chronology_hash(events: Iterable[tuple[date, str, str, bool]],
                    injuries: Iterable[BaseModel]) -> str:
    """SHA-256 of what a child's chronology lists: each event (day, kind, words, red or not)
    in order, then each injury's canonical record. Two printouts with one hash list the same."""
    digest = hashlib.sha256()
    for day, kind, text, red in events:
        digest.update(json.dumps([day.isoformat(), kind, text, red], ensure_ascii=False,
                                 separators=(",", ":")).encode("utf-8") + b"\n")
    for injury in injuries:
        digest.update(canonical_json(injury) + b"\n")
    return digest.hexdigest()


def hash_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def from_canonical_json(model: type[RecordT], data: bytes) -> RecordT:
    """Read a record back; raises pydantic.ValidationError on anything malformed."""
    return model.model_validate_json(data)
