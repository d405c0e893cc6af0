"""Operations waiting to reach central, written in the same transaction as their record.

An op's row in `outbox` is narrow (ids, kind, status, attempts), so the two status changes of
every sync touch few pages; the signed record it carries sits in `outbox_records` and is
deleted in the transaction that stores the op's receipt (`settle_many`). The record itself
stays in its own table (visits, addenda, review decisions, notes), signed and verifiable.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from records.contracts import OperationKind
from storage.transactions import Connection, transaction


class OperationStatus(StrEnum):
    WAITING = "waiting"
    SENT = "sent"
    SYNCED = "synced"
    QUARANTINED = "quarantined"


@dataclass(frozen=True)
class Operation:
    sequence: int
    op_id: uuid.UUID
    kind: OperationKind
    subject_id: str
    payload: dict[str, Any] | None
    """The signed record as it goes on the wire; None once central's receipt is stored."""
    status: OperationStatus
    created_at: datetime
    attempts: int
    last_error: str | None


class Outbox:
    def __init__(self, conn: Connection,
                 clock: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        self._conn = conn
        self._clock = clock

    def enqueue(self, kind: OperationKind, subject_id: uuid.UUID,
                payload: dict[str, Any]) -> uuid.UUID:
        """Add an operation; joins the caller's transaction so record and op land together."""
        op_id = uuid.uuid4()
        with transaction(self._conn):
            cursor = self._conn.execute(
                "INSERT INTO outbox (op_id, kind, subject_id, status, created_at)"
                " VALUES (?, ?, ?, 'waiting', ?)",
                (str(op_id), kind.value, str(subject_id),
                 self._clock().astimezone(UTC).isoformat()),
            )
            self._conn.execute(
                "INSERT INTO outbox_records (sequence, payload) VALUES (?, ?)",
                (cursor.lastrowid, json.dumps(payload, sort_keys=True, separators=(",", ":"))),
            )
        return op_id

    def operations(self, status: OperationStatus | None = None,
                   limit: int = 500) -> list[Operation]:
        """Operations in the order they were made, optionally of one status."""
        query = _SELECT
        params: tuple[Any, ...] = ()
        if status is not None:
            query += " WHERE o.status = ?"
            params = (status.value,)
        rows = self._conn.execute(query + " ORDER BY o.sequence LIMIT ?", (*params, limit))
        return [_operation(r) for r in rows]

    def unsent_count(self) -> int:
        row = self._conn.execute(
            "SELECT count(*) FROM outbox WHERE status IN ('waiting', 'sent')"
        ).fetchone()
        count: int = row[0]
        return count

    def for_subject(self, subject_id: uuid.UUID) -> list[Operation]:
        return [op for op in self.operations() if op.subject_id == str(subject_id)]

    def submission_status(self, subject_ids: list[uuid.UUID]
                          ) -> dict[uuid.UUID, tuple[OperationStatus, str | None]]:
        """Where each record's submit op stands (status, central's reason if refused), for
        records listed together: one statement, not one per record."""
        if not subject_ids:
            return {}
        rows = self._conn.execute(
            "SELECT subject_id, status, last_error FROM outbox WHERE kind = ?"
            " AND subject_id IN (SELECT value FROM json_each(?))",
            (OperationKind.SUBMIT_VISIT.value, json.dumps([str(s) for s in subject_ids])),
        )
        return {uuid.UUID(subject): (OperationStatus(status), error)
                for subject, status, error in rows}

    def to_send(self, limit: int, *,
                held_back: frozenset[OperationKind] = frozenset()) -> list[Operation]:
        """The oldest operations central has not yet receipted; quarantined ones are skipped,
        and so are the kinds `held_back` (ones this central cannot take yet: they wait)."""
        rows = self._conn.execute(
            _SELECT + " WHERE o.status IN ('waiting', 'sent') AND o.kind NOT IN"  # noqa: S608
            " (SELECT value FROM json_each(?)) ORDER BY o.sequence LIMIT ?",
            (json.dumps(sorted(k.value for k in held_back)), limit),
        )
        return [_operation(r) for r in rows]

    def mark_sent(self, op_ids: list[uuid.UUID]) -> None:
        """Record that these are on their way: from now on central may already hold them."""
        with transaction(self._conn):
            self._conn.executemany(
                "UPDATE outbox SET status = 'sent', attempts = attempts + 1"
                " WHERE op_id = ? AND status IN ('waiting', 'sent')",
                [(str(op_id),) for op_id in op_ids],
            )

    def settle(self, op_id: uuid.UUID, status: OperationStatus,
               reason: str | None = None) -> None:
        """Mark an op synced or quarantined; joins the caller's transaction (with its receipt)."""
        if status not in (OperationStatus.SYNCED, OperationStatus.QUARANTINED):
            raise ValueError("an operation settles as synced or quarantined")
        self.settle_many([(op_id, status, reason)])

    def settle_many(self, settled: list[tuple[uuid.UUID, OperationStatus, str | None]]) -> None:
        """`settle` for a batch; joins the caller's transaction (the one storing the receipts).

        A synced op's copy of its record goes here: central holds it and has receipted it.
        """
        if any(s not in (OperationStatus.SYNCED, OperationStatus.QUARANTINED)
               for _, s, _ in settled):
            raise ValueError("an operation settles as synced or quarantined")
        with transaction(self._conn):
            self._conn.executemany(
                "UPDATE outbox SET status = ?, last_error = ? WHERE op_id = ?",
                [(status.value, reason, str(op_id)) for op_id, status, reason in settled],
            )
            synced = [str(op_id) for op_id, status, _ in settled
                      if status is OperationStatus.SYNCED]
            if synced:
                self._conn.execute(
                    "DELETE FROM outbox_records WHERE sequence IN (SELECT sequence FROM outbox"
                    " WHERE op_id IN (SELECT value FROM json_each(?)) AND status = 'synced')",
                    (json.dumps(synced),),
                )

    def requeue_refused(self) -> int:
        """Send every quarantined op again (the cause has been put right), each under a new
        op id: central answers an op id it refused with the same refusal, while the record
        itself, unchanged and still signed, is stored once however often it arrives."""
        with transaction(self._conn):
            rows = self._conn.execute(
                "SELECT sequence FROM outbox WHERE status = 'quarantined'").fetchall()
            self._conn.executemany(
                "UPDATE outbox SET status = 'waiting', op_id = ?, last_error = NULL,"
                " attempts = 0 WHERE sequence = ?",
                [(str(uuid.uuid4()), row[0]) for row in rows])
        return len(rows)

    def note_failure(self, op_ids: list[uuid.UUID], reason: str) -> None:
        """Why the last attempt did not finish (network, server); the ops stay queued."""
        with transaction(self._conn):
            self._conn.executemany(
                "UPDATE outbox SET last_error = ? WHERE op_id = ? AND status = 'sent'",
                [(reason, str(op_id)) for op_id in op_ids],
            )

    def counts(self) -> dict[OperationStatus, int]:
        """How many operations are in each state (every state present, zero or not)."""
        found = dict(self._conn.execute("SELECT status, count(*) FROM outbox GROUP BY status"))
        return {status: int(found.get(status.value, 0)) for status in OperationStatus}

    def oldest_unsent(self) -> datetime | None:
        row = self._conn.execute(
            "SELECT min(created_at) FROM outbox WHERE status IN ('waiting', 'sent')"
        ).fetchone()
        return datetime.fromisoformat(row[0]) if row and row[0] else None


_SELECT = (
    "SELECT o.sequence, o.op_id, o.kind, o.subject_id, r.payload, o.status, o.created_at,"
    " o.attempts, o.last_error FROM outbox AS o LEFT JOIN outbox_records AS r"
    " ON r.sequence = o.sequence"
)


def _operation(row: Any) -> Operation:
    return Operation(row[0], uuid.UUID(row[1]), OperationKind(row[2]), row[3],
                     json.loads(row[4]) if row[4] is not None else None,
                     OperationStatus(row[5]), datetime.fromisoformat(row[6]), row[7], row[8])
