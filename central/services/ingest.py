"""Receiving pushed operations: verify each record, store it once, sign a receipt.

Every op is all-or-nothing: its record, its change-log row and its result row in
`operations` (UNIQUE(device_id, op_id)) are written together or not at all, and a duplicate
is answered from that row with the original result and receipt. A receipt is signed for each
op, or, when the push asks for it (protocol 8, `receipt: "push"`), once for all its ops: one
Ed25519 signature a push instead of one an op (~12 % of a visit's instructions at ten a
push, docs/benchmarks.md). Before the transaction,
each op's checks that need neither the database nor the device's key (kind, device, hash,
the record's format and canonical form). Then, in one transaction: the device's row, the ops
central already holds of the batch and the few reads of what the records are about; the
signature of each op not yet held (the documented order of refusals is kept: a record whose
signature fails is refused for that, whatever it reads as); each op's verdict in order; and
one statement writing every table and marking the records' children stale. On PostgreSQL
that is three round trips for a batch of visits and notes, whatever its size (BEGIN with the
device, the held ops and the reads; the write; COMMIT; an addendum's or review decision's
bump, and a lost laptop's count, add their own): each costs central ~0.1 ms of CPU in
psycopg and the kernel (docs/benchmarks.md). A rejection is decided before anything is
written, so one bad op never touches the others; a clash with a concurrent request
(IntegrityError, deadlock) rolls the whole batch back and it is applied again from the
start, now seeing the other's rows.

The device's row is updated (last contact) first thing in the transaction, which also lines
up concurrent pushes from one laptop one behind the other: they cannot interleave their ops,
and the held ops are read only once the row is held.

A record is rejected only when it cannot be trusted or read (hash, signature, format,
canonical form, a different record under the same id, a permission it lacks); business
problems (a reassigned case, a late upload, an unknown child) are stored and flagged.
"""

from __future__ import annotations

import functools
import logging
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import orjson
import psycopg
from sqlalchemy import Table, bindparam, insert, select
from sqlalchemy.engine import Dialect
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from central.core.config import Settings
from central.core.keys import ServerKeys
from central.core.receipts import (
    push_receipt_signed_bytes,
    receipt_signed_bytes,
    receipted_op,
)
from central.core.tokens import AccessClaims
from central.db import driver
from central.db.models import (
    AddendumRow,
    Base,
    CaseNoteChild,
    CaseNoteRow,
    ChangeRow,
    OperationRow,
    ReviewRow,
    VisitChild,
    VisitRow,
)
from central.errors import CentralError
from central.services import figures_store, flags, holdings, wipes
from central.services.context import DeviceContext
from central.services.devices import device_in_contact, device_in_contact_reading
from central.services.holdings import HeldVisit, Holdings
from central.services.pull import notes_readable_from
from central.services.record_checks import (
    Checked,
    Prepared,
    Record,
    Rejected,
    check,
    prepare,
)
from records.case_notes import ConcernConsidered, Note
from records.corrections import Addendum, ReviewDecision
from records.visit import Visit
from sync.protocol import (
    Operation,
    OperationResult,
    PushRequest,
    ReceiptForm,
    RecordKind,
    Role,
    StoredResult,
    b64encode,
)

log = logging.getLogger("central.ingest")

_ATTEMPTS = 4
# PostgreSQL's deadlock_detected and serialization_failure: the batch is simply run again.
_RETRYABLE_STATES = {"40P01", "40001"}

@dataclass(frozen=True)
class StoredOp:
    """An op's result as the `operations` table holds it: what every answer is made from."""

    op_id: uuid.UUID
    record_hash: str | None
    result: str
    code: str | None
    message: str | None
    flags: list[str]
    received_at: datetime
    receipt_signature: bytes | None
    """None for an op stored by a push that asked for one receipt for all its ops."""


@dataclass
class _Writes:
    """The batch's rows, inserted once every verdict is known.

    On PostgreSQL one statement writes every table: each table's rows go as one JSON text
    through `INSERT ... SELECT ... FROM json_to_recordset(...)`, the tables joined as
    data-modifying CTEs. It is the same short statement whatever the batch size, so psycopg
    reuses its parsed form and prepares it on the server, the values are written in C
    (orjson), and the batch's writes cost one round trip. Elsewhere SQLAlchemy sends one multi-row
    INSERT ... VALUES a table from a cached template ("insertmanyvalues", which RETURNING
    turns on).
    """

    visits: list[dict[str, Any]] = field(default_factory=list)
    visit_children: list[dict[str, Any]] = field(default_factory=list)
    addenda: list[dict[str, Any]] = field(default_factory=list)
    reviews: list[dict[str, Any]] = field(default_factory=list)
    notes: list[dict[str, Any]] = field(default_factory=list)
    note_children: list[dict[str, Any]] = field(default_factory=list)
    changes: list[dict[str, Any]] = field(default_factory=list)
    operations: list[dict[str, Any]] = field(default_factory=list)

    # complexity: batched inserts per table, one statement on PostgreSQL
    def insert(self, session: Session) -> None:
        """The rows, and the figures' bump for the children they are about
        (`figures_store.bump`): on PostgreSQL in one statement, unless the bump goes through
        visits."""
        bump = {"visit_ids": [r["visit_id"] for r in self.addenda + self.reviews],
                "child_ids": [n["child_id"] for n in self.visit_children + self.note_children]}
        parts = [(Base.metadata.tables[model.__tablename__], rows)
                 for model, rows in ((VisitRow, self.visits), (VisitChild, self.visit_children),
                                     (AddendumRow, self.addenda),
                                     (ReviewRow, self.reviews), (CaseNoteRow, self.notes),
                                     (CaseNoteChild, self.note_children),
                                     (ChangeRow, self.changes),
                                     (OperationRow, self.operations))
                 if rows]
        found = driver.driver_connection(session)
        if found is None:
            connection = session.connection()
            for table, rows in parts:
                connection.execute(insert(table).returning(*table.primary_key.columns), rows)
            figures_store.bump(session, **bump)
            return
        # The bump rides in the insert when it names its children (a visit's, a note's). An
        # addendum's or review decision's children are found through its visit, which may
        # arrive from another laptop while this statement runs: their bump is a statement of
        # its own afterwards, on a snapshot taken then (as `figures_store.bump` always was).
        through_visits = bool(bump["visit_ids"])
        _insert_postgresql(session, found, parts,
                           None if through_visits else figures_store.bump_through_driver(**bump))
        if through_visits:
            figures_store.bump(session, **bump)


def _insert_postgresql(session: Session, connection: psycopg.Connection[Any],
                       parts: list[tuple[Table, list[dict[str, Any]]]],
                       also: tuple[driver.Compiled, dict[str, Any]] | None) -> None:
    """The rows of every table, and `also`, as one statement (`_recordset_insert`)."""
    if not parts and also is None:
        return
    statement = _recordset_insert(
        session.connection().dialect, tuple((table, tuple(rows[0])) for table, rows in parts),
        also[0].sql if also else None)
    parameters: dict[str, Any] = {**also[0].constants, **also[1]} if also else {}
    for t, (_table, rows) in enumerate(parts):
        parameters[f"t{t}"] = orjson.dumps(rows, default=_json_value).decode()
    driver.rows(connection, statement, parameters)


def _json_value(value: object) -> str:
    """What orjson cannot write itself: bytes, as PostgreSQL's hex text for a bytea."""
    if isinstance(value, bytes):
        return "\\x" + value.hex()
    raise TypeError(f"{type(value).__name__} has no JSON form for the push's insert")


@functools.cache
def _recordset_insert(dialect: Dialect, tables: tuple[tuple[Table, tuple[str, ...]], ...],
                      also: str | None = None) -> str:
    """PostgreSQL: one statement inserting into these tables' columns, each table's rows one
    JSON array of objects (parameters t0, t1, ...) read by `json_to_recordset` as the
    columns' own types; with `also`, a statement of its own run as part of it (the figures'
    bump, whose parameters are named otherwise).

    One JSON text a table, written by orjson in C, costs central a small part of what
    psycopg's array dumpers cost, array by array and value by value in Python (at batches of
    ten, 14 % of a push's CPU in one process: docs/benchmarks.md); PostgreSQL reads it with
    each column type's own input (a bytea from its hex text, `_json_value`).

    The parts run on one snapshot, taken when the statement starts: `also` does not see the
    rows inserted beside it, nor any committed while it runs. The bump given here names its
    children and reads only the children table; a bump through visits
    (an addendum's, a review decision's) runs as a statement of its own (`_Writes.insert`)."""
    quote = dialect.identifier_preparer.quote
    inserts = []
    for t, (table, columns) in enumerate(tables):
        names = ", ".join(quote(name) for name in columns)
        typed = ", ".join(f"{quote(name)} {table.c[name].type.compile(dialect=dialect)}"
                          for name in columns)
        # Names from central's own table metadata, never from a request; values are bound.
        inserts.append(f"INSERT INTO {table.name} ({names}) "  # noqa: S608
                       f"SELECT {names} FROM json_to_recordset(%(t{t})s::json) AS r({typed})")
    if also is not None:
        inserts.insert(0, also)
    *first, last = inserts
    return (f"WITH {', '.join(f'w{n} AS ({part})' for n, part in enumerate(first))} {last}"
            if first else last)


# complexity: the retried transaction around a batch, with its serialisation retries
def push(sessions: sessionmaker[Session], token: AccessClaims, request: PushRequest,
         settings: Settings, keys: ServerKeys, now: datetime) -> bytes:
    """Apply a push; its answer (`PushResponse`) as JSON bytes."""
    # Before the transaction, once: the checks that need neither the database nor the
    # device's key, and what the records will ask of central's holdings.
    prepared: dict[uuid.UUID, Prepared] = {}
    for op in request.operations:
        if op.op_id not in prepared:
            prepared[op.op_id] = prepare(token.device_id, op)
    want = holdings.wanted(p.record for p in prepared.values() if p.record is not None)
    checked: dict[uuid.UUID, Checked] = {}
    for _ in range(_ATTEMPTS):
        try:
            with sessions.begin() as session:
                # First: the device is checked and its row held, so this device's pushes
                # queue here, one behind the other, until this one commits; then what
                # central already holds of these ops (answered as duplicates, not checked)
                # and of what their records are about.
                ctx, known, held = _device_stored_ops_and_holdings(
                    session, token, list(prepared), want, now)
                for op_id, item in prepared.items():
                    if op_id not in checked and op_id not in known:
                        checked[op_id] = check(ctx, item)
                fresh = _apply_batch(session, ctx, known, held, [
                    c for op_id, c in checked.items() if op_id not in known], settings,
                    keys if request.receipt == "op" else None, now)
                if ctx.lost:
                    wipes.count_recovered(session, ctx, [
                        (known[op_id].result, known[op_id].flags) for op_id in fresh])
            break
        except DBAPIError as error:
            if not _worth_another_go(error):
                raise
    else:
        raise CentralError(409, "busy_retry",
                           "Central was storing the same records from another request. Nothing "
                           "was lost; sync again.")
    # ctx is bound: the loop above either broke after setting it or raised.
    _log_stored(ctx.device_id, [(checked[op_id].op, known[op_id])
                                for op_id in prepared if op_id in fresh])  # in the push's order
    answered: set[uuid.UUID] = set()
    outcomes: list[tuple[StoredOp, bool]] = []
    for op in request.operations:
        first_answer = op.op_id in fresh and op.op_id not in answered
        answered.add(op.op_id)
        outcomes.append((known[op.op_id], not first_answer))
    return answer_json(ctx.device_id, outcomes, request.receipt, keys)


_OPS_A_LINE = 100
"""At most this many ops a `push.stored` line (~12 KB): a push may carry 500, and journald
splits a line longer than 48 KB into entries no JSON reader can parse."""


def _log_stored(device_id: uuid.UUID, stored: list[tuple[Operation, StoredOp]]) -> None:
    """One line a push (a line each 100 ops of a larger one) for the ops it stored, not
    those answered as duplicates: each op's id, kind, result, code and flags. At WARNING when
    any was refused: a worker's record is then stuck on their laptop until IT acts. Not a
    line an op: each line is a write to the journal, and at ten ops a push the lines an op
    cost ~5 % of its CPU (docs/benchmarks.md)."""
    for start in range(0, len(stored), _OPS_A_LINE):
        part = stored[start:start + _OPS_A_LINE]
        refused = sum(s.result != "accepted" for _, s in part)
        level = logging.WARNING if refused else logging.INFO
        if log.isEnabledFor(level):
            log.log(level, "push.stored", extra={
                "device_id": str(device_id), "accepted": len(part) - refused,
                "refused": refused,
                "ops": [{"op_id": str(s.op_id), "kind": op.kind[:64], "result": s.result,
                         "code": s.code, "flags": s.flags} for op, s in part]})


def _worth_another_go(error: DBAPIError) -> bool:
    if isinstance(error, IntegrityError):
        return True  # another request stored one of these records first: look again
    if error.connection_invalidated:
        return True  # a pooled connection the database dropped (restart): nothing was stored
    return getattr(error.orig, "sqlstate", None) in _RETRYABLE_STATES


def _apply_batch(session: Session, ctx: DeviceContext, known: dict[uuid.UUID, StoredOp],
                 held: Holdings, fresh: list[Checked], settings: Settings,
                 signer: ServerKeys | None, now: datetime) -> set[uuid.UUID]:
    """Each fresh op's verdict, written, and added to `known` (and `held`, so a later op of
    the batch sees it); the ids of the fresh ops. With a `signer`, each op's receipt is
    signed and kept; without, the push is answered with one receipt for all its ops."""
    writes = _Writes()
    # Where an addendum or decision goes, and who may decide: the workers and teams its
    # visit's children are allocated to now, as well as the team that pushed it.
    holdings.read_allocations_of_visits(session, held, {
        item.record.visit_id for item in fresh
        if isinstance(item.record, Addendum | ReviewDecision)})
    for item in fresh:
        stored = _judge(held, writes, ctx, item, settings, signer, now)
        known[stored.op_id] = stored
    # The children these records are about are worked out again when next read.
    writes.insert(session)
    return {c.op.op_id for c in fresh}


_OPERATIONS = Base.metadata.tables[OperationRow.__tablename__]
_STORED_OPS = select(_OPERATIONS.c.op_id, _OPERATIONS.c.record_hash, _OPERATIONS.c.result,
                     _OPERATIONS.c.code, _OPERATIONS.c.message, _OPERATIONS.c.flags,
                     _OPERATIONS.c.received_at, _OPERATIONS.c.receipt_signature)
# Built once, on the table, with the op ids as one expanding parameter; on PostgreSQL as one
# array, run through psycopg alone (central.db.driver).
_READ_STORED_OPS = _STORED_OPS.where(_OPERATIONS.c.device_id == bindparam("device_id"),
                                     driver.expanding_in(_OPERATIONS.c.op_id, "op_ids"))
_DRIVER_READ_STORED_OPS = driver.compiled(_STORED_OPS.where(
    _OPERATIONS.c.device_id == bindparam("device_id"),
    driver.ids_in(_OPERATIONS.c.op_id, "op_ids")))


def _device_stored_ops_and_holdings(session: Session, token: AccessClaims,
                                    op_ids: list[uuid.UUID], want: holdings.Wanted,
                                    now: datetime,
                                    ) -> tuple[DeviceContext, dict[uuid.UUID, StoredOp], Holdings]:
    """The pushing device, checked and its row held; what central already holds of these
    ops; and what it holds that their records are about. On PostgreSQL in one round trip,
    the reads made once the device's row is held, and the transaction's BEGIN sent with
    them (the session's first use)."""
    connection = driver.driver_connection(session, begin_with_first=True)
    if connection is None:
        ctx = device_in_contact(session, token, now=now, lost_may_push=True)
        return ctx, _stored_ops(session, ctx.device_id, op_ids), holdings.read(session, want)
    ctx, (rows, *read) = device_in_contact_reading(
        session, token, now=now, lost_may_push=True,
        reads=[(_DRIVER_READ_STORED_OPS, {"device_id": token.device_id,
                                          "op_ids": driver.uuid_array(set(op_ids))}),
               *holdings.driver_reads(want)])
    driver.in_transaction(connection)  # what follows writes: never outside the transaction
    # The instant as the SQLAlchemy column type gives it back: in UTC.
    known = {row.op_id: _stored_op(row, row.received_at.astimezone(UTC)) for row in rows}
    return ctx, known, holdings.from_rows(want, dict(zip(want.reads, read, strict=True)))


def _stored_ops(session: Session, device_id: uuid.UUID,
                op_ids: list[uuid.UUID]) -> dict[uuid.UUID, StoredOp]:
    """SQLite: what central already holds of these ops."""
    rows = session.execute(_READ_STORED_OPS, {"device_id": device_id, "op_ids": op_ids})
    return {row.op_id: _stored_op(row, row.received_at) for row in rows}


def _stored_op(row: Any, received_at: datetime) -> StoredOp:
    """An `operations` row as read by `_STORED_OPS`, its instant as the caller gives it."""
    return StoredOp(row.op_id, row.record_hash, row.result, row.code, row.message,
                    list(row.flags), received_at, row.receipt_signature)


def answer_json(device_id: uuid.UUID, outcomes: Sequence[tuple[StoredOp, bool]],
                form: ReceiptForm, keys: ServerKeys) -> bytes:
    """The push's answer, `PushResponse` as JSON, from each op's stored result and whether
    it is answered as a duplicate: the bytes `PushResponse(...).model_dump_json()` gives
    (tests/central/test_receipt_bytes.py), written by orjson from plain values at a fraction
    of the models' CPU (one outcome an op pushed).

    `form` "op": each outcome carries its op's receipt, the one kept when it was stored (one
    stored under a push's receipt is signed now: Ed25519 signs the same bytes the same way
    every time), and the answer has no `receipt` (a laptop older than protocol 8 refuses
    one). "push": each outcome's receipt is null, and one receipt lists each op once, in
    the push's order, as central holds it."""
    if form == "op":
        return orjson.dumps({"results": [
            _outcome(stored, duplicate, _op_receipt(device_id, stored, keys))
            for stored, duplicate in outcomes]})
    ops = [receipted_op(stored.op_id, stored.record_hash, _stored_result(stored),
                        stored.received_at)
           for stored in {stored.op_id: stored for stored, _ in outcomes}.values()]
    signature = keys.sign_receipt(push_receipt_signed_bytes(device_id, ops))
    return orjson.dumps({
        "results": [_outcome(stored, duplicate, None) for stored, duplicate in outcomes],
        "receipt": {"device_id": device_id, "ops": ops, "signature": b64encode(signature)}})


def _stored_result(stored: StoredOp) -> StoredResult:
    return "accepted" if stored.result == "accepted" else "rejected"


def _op_receipt(device_id: uuid.UUID, stored: StoredOp, keys: ServerKeys) -> dict[str, Any]:
    """One `Receipt`, its fields in the model's order."""
    result = _stored_result(stored)
    signature = stored.receipt_signature
    if signature is None:
        signature = keys.sign_receipt(receipt_signed_bytes(
            device_id, stored.op_id, stored.record_hash, result, stored.received_at))
    return {"device_id": device_id,
            **receipted_op(stored.op_id, stored.record_hash, result, stored.received_at),
            "signature": b64encode(signature)}


def _outcome(stored: StoredOp, duplicate: bool,
             receipt: dict[str, Any] | None) -> dict[str, Any]:
    """One `OperationOutcome`, its fields in the model's order."""
    result = _stored_result(stored)
    return {
        "op_id": stored.op_id,
        "result": OperationResult.DUPLICATE.value if duplicate else result,
        "original_result": result, "code": stored.code, "message": stored.message,
        "flags": stored.flags, "receipt": receipt,
    }


@dataclass
class _Verdict:
    record_id: uuid.UUID | None = None
    flags: list[str] = field(default_factory=list)


def _judge(held: Holdings, writes: _Writes, ctx: DeviceContext, item: Checked,
           settings: Settings, signer: ServerKeys | None, now: datetime) -> StoredOp:
    """One op's verdict against what central holds, its rows queued, its receipt signed by
    `signer` (none: the push's one receipt is signed when it is answered)."""
    result: StoredResult
    try:
        if item.rejection is not None:
            raise item.rejection
        assert item.record is not None and item.record_hash is not None
        verdict = _store(held, writes, ctx, item.record, item.op, item.record_hash,
                         item.signature, settings, now)
        result, code, message = "accepted", None, None
    except Rejected as rejection:
        verdict = _Verdict()
        result, code, message = "rejected", rejection.code, rejection.message
    op = item.op
    signature = None if signer is None else signer.sign_receipt(
        receipt_signed_bytes(ctx.device_id, op.op_id, item.record_hash, result, now))
    stored = StoredOp(op.op_id, item.record_hash, result, code, message, verdict.flags, now,
                      signature)
    writes.operations.append({
        "device_id": ctx.device_id, "op_id": op.op_id, "sequence": op.sequence,
        "kind": op.kind[:64], "record_id": verdict.record_id, "record_hash": item.record_hash,
        "result": result, "code": code, "message": message, "flags": verdict.flags,
        "received_at": now, "receipt_signature": stored.receipt_signature,
    })
    return stored


# complexity: one branch per record kind and its idempotent duplicate
def _store(held: Holdings, writes: _Writes, ctx: DeviceContext, record: Record, op: Operation,
           record_hash: str, signature: bytes, settings: Settings, now: datetime) -> _Verdict:
    received = {"device_id": ctx.device_id, "user_id": ctx.user_id, "team_id": ctx.team_id,
                "canonical_json": op.payload.record, "record_hash": record_hash,
                "signature": signature, "received_at": now}
    # From a laptop reported lost: kept like any other, marked for a team lead to confirm.
    lost = [wipes.LOST_LAPTOP_FLAG] if ctx.lost else []
    if isinstance(record, Visit):
        same = _same_or_conflict(held.visits.get(record.id), record_hash, "visit")
        if same is not None:
            return _Verdict(record.id, same)
        found = flags.for_visit(held, ctx, record, late_after_hours=settings.late_upload_hours,
                                now=now)
        submitted_at, clamped = flags.submission_time(
            op.submitted_at, record.ended_at or record.started_at, now)
        found += clamped + lost
        writes.visits.append({**received, "id": record.id, "case_id": record.case_id,
                              "flags": found, "submitted_at": submitted_at})
        named = dict.fromkeys(o.child_id for o in record.children)
        writes.visit_children.extend({"visit_id": record.id, "child_id": child_id}
                                     for child_id in named)
        held.hold_visit(record.id, HeldVisit(record_hash, ctx.team_id, ctx.user_id))
        allocated = [child for child_id in named
                     if (child := held.children.get(child_id)) is not None]
        held.teams_of_visits[record.id] = {
            child.team_id for child in allocated if child.team_id is not None}
        held.workers_of_visits[record.id] = {
            child.allocated_to for child in allocated if child.allocated_to is not None}
        _route(writes, RecordKind.VISIT, record.id, ctx, held, record.id, now)
        return _Verdict(record.id, found)
    if isinstance(record, Addendum):
        same = _same_or_conflict(held.addenda.get(record.id), record_hash, "addendum")
        if same is not None:
            return _Verdict(record.id, same)
        found = flags.for_addendum(held, record)
        submitted_at, clamped = flags.submission_time(op.submitted_at, record.written_at, now)
        found += clamped + lost
        writes.addenda.append({**received, "id": record.id, "visit_id": record.visit_id,
                               "previous_hash": record.previous_hash, "flags": found,
                               "submitted_at": submitted_at})
        held.hold_addendum(record.id, record.visit_id, record.previous_hash, record_hash)
        _route(writes, RecordKind.ADDENDUM, record.id, ctx, held, record.visit_id, now)
        return _Verdict(record.id, found)
    if not isinstance(record, ReviewDecision):
        return _store_note(held, writes, ctx, record, received, record_hash, now, lost)
    if ctx.role is not Role.TEAM_LEAD:
        raise Rejected("not_permitted",
                       "Only a team lead can record a review decision. It is kept on the laptop.")
    same = _same_or_conflict(held.reviews.get(record.id), record_hash, "review decision")
    if same is not None:
        return _Verdict(record.id, same)
    visit = held.visits.get(record.visit_id)
    now_with = held.teams_of_visits.get(record.visit_id, set())
    if visit is not None and visit.team_id != ctx.team_id and ctx.team_id not in now_with:
        raise Rejected("not_permitted",
                       "That visit belongs to another team, and none of its children is "
                       "allocated to yours: only their team lead can review it. The decision "
                       "is kept on the laptop.")
    found = flags.for_review(held, record) + lost
    writes.reviews.append({**received, "id": record.id, "visit_id": record.visit_id,
                           "outcome": record.outcome.value, "flags": found})
    held.hold_review(record.id, record_hash)
    for team_id in _teams(ctx.team_id, now_with):
        _change(writes, RecordKind.REVIEW, record.id, visit.user_id if visit else None,
                team_id, now)
    return _Verdict(record.id, found)


def _store_note(held: Holdings, writes: _Writes, ctx: DeviceContext, note: Note,
                received: dict[str, Any], record_hash: str, now: datetime,
                lost: list[str]) -> _Verdict:
    """A note is stored and flagged whatever it says; only a concern considered needs a team
    lead, as it settles a flag the way a review decision does."""
    if isinstance(note, ConcernConsidered) and ctx.role is not Role.TEAM_LEAD:
        raise Rejected("not_permitted",
                       "Only a team lead can record that a concern was considered. It is kept "
                       "on the laptop.")
    same = _same_or_conflict(held.notes.get(note.id), record_hash, "note")
    if same is not None:
        return _Verdict(note.id, same)
    found = flags.for_note(held, ctx, note) + lost
    writes.notes.append({**received, "id": note.id, "note": note.note,
                         "case_id": note.case_id, "entered_at_central": False,
                         "flags": found, "readable_from": notes_readable_from(note)})
    writes.note_children.extend({"note_id": note.id, "child_id": child_id}
                                for child_id in dict.fromkeys(note.child_ids))
    held.notes[note.id] = record_hash
    _change(writes, RecordKind.NOTE, note.id, ctx.user_id, ctx.team_id, now)
    return _Verdict(note.id, found)


def _same_or_conflict(existing: HeldVisit | str | None, record_hash: str,
                      what: str) -> list[str] | None:
    """None for a new record; the flags for the same record again; refused if different."""
    if existing is None:
        return None
    held_hash = existing.record_hash if isinstance(existing, HeldVisit) else existing
    if held_hash == record_hash:
        return ["already_received"]
    raise Rejected("record_conflict",
                   f"Central already holds a different {what} with this id. Records are never "
                   "overwritten; this one is kept on the laptop. Tell IT.")


def _route(writes: _Writes, kind: RecordKind, record_id: uuid.UUID, ctx: DeviceContext,
           held: Holdings, visit_id: uuid.UUID, now: datetime) -> None:
    """A visit or addendum for the pushing team and each team a child of the visit is
    allocated to (`_teams`), and for each worker a child of it is allocated to, other than
    the one who pushed it (no team: `pull.visible_to`'s history for that worker alone; so
    never a change with no team for the one who pushed it, which would come back to them)."""
    for team_id in _teams(ctx.team_id, held.teams_of_visits.get(visit_id, ())):
        if team_id is not None:
            _change(writes, kind, record_id, ctx.user_id, team_id, now)
    for worker_id in sorted(held.workers_of_visits.get(visit_id, set()) - {ctx.user_id}):
        _change(writes, kind, record_id, worker_id, None, now)


def _teams(own: int | None, others: Iterable[int]) -> list[int | None]:
    """The team that pushed a record first, then each other team a child it is about is
    allocated to now, once each: every one of them is sent it (a child who moved team keeps
    reaching the new team's lead with what the old one records, and a family visit reaches
    the lead of each child it names)."""
    return [own, *sorted(set(others) - {own})]


def _change(writes: _Writes, kind: RecordKind, entity_id: uuid.UUID, owner_user_id: int | None,
            team_id: int | None, now: datetime) -> None:
    writes.changes.append({"kind": kind.value, "entity_id": entity_id,
                           "owner_user_id": owner_user_id, "team_id": team_id,
                           "created_at": now})
