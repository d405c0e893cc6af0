"""Receiving pushed operations: verify each record, store it once, sign a receipt.

Each op is applied in its own transaction under UNIQUE(device_id, op_id); the row in
`operations` holds its result, so a duplicate is answered with the original result and
receipt. A record is rejected only when it cannot be trusted or read (hash, signature,
format, canonical form, a different record under the same id, a permission it lacks);
business problems (a reassigned case, a late upload, an unknown child) are stored and flagged.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import TypeVar

from pydantic import BaseModel, ValidationError
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from central.core.config import Settings
from central.core.keys import ServerKeys, signature_is_valid
from central.db.models import AddendumRow, Device, OperationRow, ReviewRow, VisitRow
from central.errors import CentralError
from central.services import flags
from central.services.changes import record_change
from central.services.context import DeviceContext
from records.canonical import canonical_json, from_canonical_json, hash_bytes
from records.corrections import Addendum, ReviewDecision
from records.visit import Visit
from sync.protocol import (
    RECORD_KIND_OF_OPERATION,
    Operation,
    OperationKind,
    OperationOutcome,
    OperationResult,
    PushRequest,
    PushResponse,
    Receipt,
    ReceiptBody,
    RecordKind,
    Role,
    b64decode,
    b64encode,
)

log = logging.getLogger("central.ingest")

_ATTEMPTS = 4

M = TypeVar("M", bound=BaseModel)


class Rejected(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(code)
        self.code = code
        self.message = message


@dataclass
class Verdict:
    record_id: uuid.UUID | None = None
    flags: list[str] = field(default_factory=list)


def push(sessions: sessionmaker[Session], ctx: DeviceContext, request: PushRequest,
         settings: Settings, keys: ServerKeys, now: datetime) -> PushResponse:
    op_ids = [op.op_id for op in request.operations]
    with sessions.begin() as session:
        known = {
            row.op_id: row
            for row in session.scalars(select(OperationRow).where(
                OperationRow.device_id == ctx.device_id, OperationRow.op_id.in_(op_ids)))
        }
        device = session.get(Device, ctx.device_id)
        if device is not None:
            device.last_contact_at = now
    results: list[OperationOutcome] = []
    for op in request.operations:
        earlier = known.get(op.op_id)
        if earlier is not None:
            results.append(_outcome(ctx, earlier, duplicate=True))
            continue
        stored = _apply_once(sessions, ctx, op, settings, keys, now)
        known[op.op_id] = stored.row
        results.append(_outcome(ctx, stored.row, duplicate=stored.duplicate))
    return PushResponse(results=results)


@dataclass(frozen=True)
class _Stored:
    row: OperationRow
    duplicate: bool


def _apply_once(sessions: sessionmaker[Session], ctx: DeviceContext, op: Operation,
                settings: Settings, keys: ServerKeys, now: datetime) -> _Stored:
    for _ in range(_ATTEMPTS):
        try:
            with sessions.begin() as session:
                earlier = session.scalar(select(OperationRow).where(
                    OperationRow.device_id == ctx.device_id, OperationRow.op_id == op.op_id))
                if earlier is not None:
                    return _Stored(earlier, duplicate=True)
                row = _apply(session, ctx, op, settings, keys, now)
                session.flush()
            log.info("op.stored", extra={"device_id": str(ctx.device_id), "op_id": str(op.op_id),
                                         "kind": op.kind[:64], "result": row.result,
                                         "code": row.code, "flags": row.flags})
            return _Stored(row, duplicate=False)
        except IntegrityError:
            # Another request stored this op (or this record) at the same moment: look again.
            continue
    raise CentralError(409, "busy_retry",
                       "Central was storing the same operation from another request. Nothing "
                       "was lost; sync again.")


def _apply(session: Session, ctx: DeviceContext, op: Operation, settings: Settings,
           keys: ServerKeys, now: datetime) -> OperationRow:
    claimed_hash = op.payload.record_hash.lower()
    record_hash = claimed_hash if _is_sha256(claimed_hash) else None
    try:
        verdict = _judge(session, ctx, op, settings, now)
        result, code, message = "accepted", None, None
    except Rejected as rejection:
        verdict = Verdict()
        result, code, message = "rejected", rejection.code, rejection.message
    body = ReceiptBody(device_id=ctx.device_id, op_id=op.op_id, record_hash=record_hash,
                       result=result, received_at=now)
    row = OperationRow(
        device_id=ctx.device_id, op_id=op.op_id, sequence=op.sequence, kind=op.kind[:64],
        record_id=verdict.record_id, record_hash=record_hash, result=result, code=code,
        message=message, flags=verdict.flags, received_at=now,
        receipt_signature=keys.receipt.sign(body.signed_bytes()),
    )
    session.add(row)
    return row


def _outcome(ctx: DeviceContext, row: OperationRow, *, duplicate: bool) -> OperationOutcome:
    stored = "accepted" if row.result == "accepted" else "rejected"
    receipt = Receipt(device_id=ctx.device_id, op_id=row.op_id, record_hash=row.record_hash,
                      result=stored, received_at=row.received_at,
                      signature=b64encode(row.receipt_signature))
    result = (OperationResult.DUPLICATE if duplicate else OperationResult(stored))
    return OperationOutcome(op_id=row.op_id, result=result, original_result=stored,
                            code=row.code, message=row.message, flags=list(row.flags),
                            receipt=receipt)


def _is_sha256(text: str) -> bool:
    return len(text) == 64 and all(ch in "0123456789abcdef" for ch in text)


def _judge(session: Session, ctx: DeviceContext, op: Operation, settings: Settings,
           now: datetime) -> Verdict:
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
    if op.payload.device_id != ctx.device_id:
        raise Rejected("wrong_device",
                       "This record was signed for another device than the one sending it.")
    data = op.payload.record.encode("utf-8")
    if hash_bytes(data) != op.payload.record_hash.lower():
        raise Rejected("hash_mismatch",
                       "The record's bytes do not match its hash: it changed after it was "
                       "signed. It is kept on the laptop; tell IT.")
    signature = b64decode(op.payload.signature)
    if signature is None or not signature_is_valid(ctx.public_key, data, signature):
        raise Rejected("bad_signature",
                       "The record's signature does not verify with this laptop's enrolled "
                       "key. It is kept on the laptop; tell IT.")
    record_hash = hash_bytes(data)
    if kind is OperationKind.SUBMIT_VISIT:
        visit = _parse(Visit, data)
        return _store_visit(session, ctx, visit, op, record_hash, signature, settings, now)
    if kind is OperationKind.ADD_ADDENDUM:
        addendum = _parse(Addendum, data)
        return _store_addendum(session, ctx, addendum, op, record_hash, signature, now)
    review = _parse(ReviewDecision, data)
    return _store_review(session, ctx, review, op, record_hash, signature, now)


def _parse(model: type[M], data: bytes) -> M:
    try:
        record = from_canonical_json(model, data)
    except ValidationError as error:
        places = sorted({_place(e["loc"]) for e in error.errors()})
        raise Rejected("invalid_record",
                       f"The {model.__name__} record does not match the record format at: "
                       f"{', '.join(places[:10])}.") from None
    if canonical_json(record) != data:
        raise Rejected("not_canonical",
                       "The record is not in canonical JSON form, so its hash cannot be "
                       "trusted. It is kept on the laptop; tell IT.")
    return record


def _place(location: tuple[int | str, ...]) -> str:
    # Field names only: a key the sender invented could carry anything, so it is not quoted.
    parts = [str(p) if str(p).isascii() and str(p).replace("_", "").isalnum() and len(str(p))
             <= 64 else "?" for p in location]
    return ".".join(parts) or "(record)"


def _same_or_conflict(existing_hash: str | None, record_hash: str, what: str) -> Verdict | None:
    if existing_hash is None:
        return None
    if existing_hash == record_hash:
        return Verdict(flags=["already_received"])
    raise Rejected("record_conflict",
                   f"Central already holds a different {what} with this id. Records are never "
                   "overwritten; this one is kept on the laptop. Tell IT.")


def _store_visit(session: Session, ctx: DeviceContext, visit: Visit, op: Operation,
                 record_hash: str, signature: bytes, settings: Settings,
                 now: datetime) -> Verdict:
    existing = session.scalar(select(VisitRow.record_hash).where(VisitRow.id == visit.id))
    same = _same_or_conflict(existing, record_hash, "visit")
    if same is not None:
        same.record_id = visit.id
        return same
    found = flags.for_visit(session, ctx, visit, late_after_hours=settings.late_upload_hours,
                            now=now)
    session.add(VisitRow(id=visit.id, case_id=visit.case_id, device_id=ctx.device_id,
                         user_id=ctx.user_id, team_id=ctx.team_id,
                         canonical_json=op.payload.record, record_hash=record_hash,
                         signature=signature, received_at=now, flags=found))
    record_change(session, RecordKind.VISIT.value, visit.id, owner_user_id=ctx.user_id,
                  team_id=ctx.team_id)
    return Verdict(visit.id, found)


def _store_addendum(session: Session, ctx: DeviceContext, addendum: Addendum, op: Operation,
                    record_hash: str, signature: bytes, now: datetime) -> Verdict:
    existing = session.scalar(select(AddendumRow.record_hash).where(AddendumRow.id == addendum.id))
    same = _same_or_conflict(existing, record_hash, "addendum")
    if same is not None:
        same.record_id = addendum.id
        return same
    found = flags.for_addendum(session, addendum)
    session.add(AddendumRow(id=addendum.id, visit_id=addendum.visit_id,
                            previous_hash=addendum.previous_hash, device_id=ctx.device_id,
                            user_id=ctx.user_id, team_id=ctx.team_id,
                            canonical_json=op.payload.record, record_hash=record_hash,
                            signature=signature, received_at=now, flags=found))
    record_change(session, RecordKind.ADDENDUM.value, addendum.id, owner_user_id=ctx.user_id,
                  team_id=ctx.team_id)
    return Verdict(addendum.id, found)


def _store_review(session: Session, ctx: DeviceContext, review: ReviewDecision, op: Operation,
                  record_hash: str, signature: bytes, now: datetime) -> Verdict:
    if ctx.role is not Role.TEAM_LEAD:
        raise Rejected("not_permitted",
                       "Only a team lead can record a review decision. It is kept on the laptop.")
    existing = session.scalar(select(ReviewRow.record_hash).where(ReviewRow.id == review.id))
    same = _same_or_conflict(existing, record_hash, "review decision")
    if same is not None:
        same.record_id = review.id
        return same
    visit = session.scalar(select(VisitRow).where(VisitRow.id == review.visit_id))
    if visit is not None and visit.team_id != ctx.team_id:
        raise Rejected("not_permitted",
                       "That visit belongs to another team; only its own team lead can review "
                       "it. The decision is kept on the laptop.")
    found = flags.for_review(visit, review)
    session.add(ReviewRow(id=review.id, visit_id=review.visit_id, outcome=review.outcome.value,
                          device_id=ctx.device_id, user_id=ctx.user_id, team_id=ctx.team_id,
                          canonical_json=op.payload.record, record_hash=record_hash,
                          signature=signature, received_at=now, flags=found))
    record_change(session, RecordKind.REVIEW.value, review.id,
                  owner_user_id=visit.user_id if visit is not None else None,
                  team_id=ctx.team_id)
    return Verdict(review.id, found)
