"""The checks on a pushed operation that need no database, in the documented order: its
kind, its device, its hash, its signature, the record's format and canonical form.

`central.services.ingest` runs all but the signature's on a whole batch before it opens a
transaction (`prepare`), and the signature's once the device's enrolled key is read
(`check`); a record that fails one is refused with a code and a message the laptop shows its
worker: the first it fails in that order.
"""

from __future__ import annotations

import json
import re
import uuid
from dataclasses import dataclass
from typing import TypeVar

import orjson
from pydantic import BaseModel, ValidationError

from central.core.keys import signature_is_valid
from central.services.context import DeviceContext
from records.canonical import canonical_json, from_canonical_json, hash_bytes
from records.case_notes import AgencyNotification, ConcernConsidered, Note, Supervision
from records.contracts import OperationKind
from records.corrections import Addendum, ReviewDecision
from records.visit import Visit
from sync.protocol import RECORD_KIND_OF_OPERATION, Operation, b64decode

M = TypeVar("M", bound=BaseModel)
Record = Visit | Addendum | ReviewDecision | Note
_NOTE_MODELS: dict[str, type[Note]] = {
    "agency_notification": AgencyNotification, "supervision": Supervision,
    "concern_considered": ConcernConsidered}


class Rejected(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(code)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class Checked:
    """An op after the checks that need no database: its record, or why it is refused."""

    op: Operation
    record_hash: str | None
    record: Record | None = None
    signature: bytes = b""
    rejection: Rejected | None = None


@dataclass(frozen=True)
class Prepared:
    """An op after the checks that need neither the database nor the device's key: a
    refusal before the signature's (`refused`), or the bytes and signature to verify and
    what the record reads as — the record, or why it cannot be read (`unreadable`, which
    counts only once the signature verifies: the documented order).

    The push reads what central holds about every prepared record in the same round trip
    as the device's row, so the records are read before the device's key is known; a
    record whose signature then fails is refused as `bad_signature`, whatever it reads as."""

    op: Operation
    record_hash: str | None
    refused: Rejected | None = None
    data: bytes = b""
    signature: bytes = b""
    record: Record | None = None
    unreadable: Rejected | None = None


_SHA256 = re.compile("[0-9a-f]{64}")


def _is_sha256(text: str) -> bool:
    return _SHA256.fullmatch(text) is not None


def prepare(device_id: uuid.UUID, op: Operation) -> Prepared:
    """The checks before the signature's, in the documented order (kind, device, hash, the
    signature's form), then the record read (format, canonical form); `device_id` is the
    one the access token names."""
    claimed = op.payload.record_hash.lower()
    record_hash = claimed if _is_sha256(claimed) else None
    try:
        data, signature = _checked_bytes(device_id, op)
    except Rejected as rejection:
        return Prepared(op, record_hash, refused=rejection)
    try:
        record = _read_record(op, data)
    except Rejected as rejection:
        return Prepared(op, record_hash, data=data, signature=signature, unreadable=rejection)
    except (RecursionError, MemoryError, ValueError, TypeError):
        # Bytes no reader could take (nested past the parser's depth, say): read before the
        # signature is known, so they must refuse this op alone, never the whole push.
        return Prepared(op, record_hash, data=data, signature=signature, unreadable=Rejected(
            "invalid_record", "The record cannot be read as a record. It is kept on the "
            "laptop; tell IT."))
    return Prepared(op, record_hash, data=data, signature=signature, record=record)


def check(ctx: DeviceContext, prepared: Prepared) -> Checked:
    """The rest of the checks that need no database, the signature's first."""
    op, record_hash = prepared.op, prepared.record_hash
    if prepared.refused is not None:
        return Checked(op, record_hash, rejection=prepared.refused)
    if op.payload.device_id != ctx.device_id:  # the token's device is the row's: never here
        return Checked(op, record_hash, rejection=_wrong_device())
    if not signature_is_valid(ctx.public_key, prepared.data, prepared.signature):
        return Checked(op, record_hash, rejection=_bad_signature())
    if prepared.unreadable is not None or prepared.record is None:
        return Checked(op, record_hash, rejection=prepared.unreadable)
    return Checked(op, record_hash, prepared.record, prepared.signature)


def _wrong_device() -> Rejected:
    return Rejected("wrong_device",
                    "This record was signed for another device than the one sending it.")


def _bad_signature() -> Rejected:
    return Rejected("bad_signature",
                    "The record's signature does not verify with this laptop's enrolled key. It "
                    "is kept on the laptop; tell IT.")


def _checked_bytes(device_id: uuid.UUID, op: Operation) -> tuple[bytes, bytes]:
    """The record's bytes and signature, after the checks on the op's kind, device and
    hash, and on the signature's form."""
    try:
        kind = OperationKind(op.kind)
    except ValueError:
        raise Rejected("unknown_op_kind",
                       "Central does not know this kind of operation; the laptop may be newer "
                       "than central. It is kept on the laptop; tell IT.") from None
    if op.payload.kind != RECORD_KIND_OF_OPERATION[kind]:
        raise Rejected("kind_mismatch",
                       f"A {kind.value} operation must carry a "
                       f"{RECORD_KIND_OF_OPERATION[kind].value} record.")
    if op.payload.device_id != device_id:
        raise _wrong_device()
    data = op.payload.record.encode("utf-8")
    if hash_bytes(data) != op.payload.record_hash.lower():
        raise Rejected("hash_mismatch",
                       "The record's bytes do not match its hash: it changed after it was "
                       "signed. It is kept on the laptop; tell IT.")
    signature = b64decode(op.payload.signature)
    if signature is None:
        raise _bad_signature()
    return data, signature


def _read_record(op: Operation, data: bytes) -> Record:
    """The record in the op, in its model: its format and canonical form checked."""
    kind = OperationKind(op.kind)
    if kind is OperationKind.SUBMIT_VISIT:
        return _parse(Visit, data)
    if kind is OperationKind.ADD_ADDENDUM:
        return _parse(Addendum, data)
    if kind is OperationKind.ADD_NOTE:
        return _parse(_note_model(op.payload.record), data)
    return _parse(ReviewDecision, data)


def _note_model(record: str) -> type[Note]:
    """Which kind of note the record says it is (its `note` field)."""
    try:
        said = json.loads(record).get("note")
    except (ValueError, AttributeError, RecursionError):
        said = None
    model = _NOTE_MODELS.get(said) if isinstance(said, str) else None
    if model is None:
        raise Rejected("invalid_record",
                       "The note does not say which kind of note it is (agency_notification, "
                       "supervision or concern_considered). It is kept on the laptop; tell IT.")
    return model


def _parse(model: type[M], data: bytes) -> M:
    try:
        record = from_canonical_json(model, data)
    except ValidationError as error:
        places = sorted({_place(e["loc"]) for e in error.errors()})
        raise Rejected("invalid_record",
                       f"The {model.__name__} record does not match the record format at: "
                       f"{', '.join(places[:10])}.") from None
    if not is_canonical(record, data):
        raise Rejected("not_canonical",
                       "The record is not in canonical JSON form, so its hash cannot be "
                       "trusted. It is kept on the laptop; tell IT.")
    return record


def is_canonical(record: BaseModel, data: bytes) -> bool:
    """Whether `data` is exactly `canonical_json(record)`, at a quarter of its CPU.

    orjson with sorted keys writes the same bytes as `canonical_json`'s encoder for every
    value a record's JSON dump can hold — objects, arrays, strings, integers, true, false and
    null (tests/central/test_canonical_check.py) — and refuses the rest (an integer beyond 64
    bits, a lone surrogate), which then goes the exact way. A record cannot hold a float (no
    record field is a number in JSON: the same test), which `canonical_json` refuses."""
    plain = record.model_dump(mode="json")
    try:
        quick = orjson.dumps(plain, option=orjson.OPT_SORT_KEYS)
    except orjson.JSONEncodeError:
        try:
            return canonical_json(record) == data
        except (TypeError, ValueError):
            return False
    return quick == data


def _place(location: tuple[int | str, ...]) -> str:
    # Field names only: a key the sender invented could carry anything, so it is not quoted.
    parts = [str(p) if str(p).isascii() and str(p).replace("_", "").isalnum() and len(str(p))
             <= 64 else "?" for p in location]
    return ".".join(parts) or "(record)"
