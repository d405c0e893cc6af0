"""The vault's side of sync: the enrollment, receipts, the pull cursor and what was pulled.

Every method that writes joins the caller's transaction when there is one, so the engine
can store a receipt and retire its op, or apply a page of changes and move the cursor,
in one vault transaction.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from records.case import Case, Child
from storage.cases import CaseRepository
from storage.removals import forget_others_visits, remove_child
from storage.search import index_pulled_visits
from storage.transactions import Connection, transaction
from sync.protocol import (
    Change,
    ChangeKind,
    ChildRemoved,
    DeviceContact,
    PushReceipt,
    Receipt,
    ReceiptedOp,
    RefusedLaptop,
    Role,
)


@dataclass(frozen=True)
class Enrollment:
    server_url: str
    device_id: UUID
    username: str
    display_name: str
    role: Role
    team: str | None
    audience: str
    receipt_public_key: bytes
    enrolled_at: datetime
    revoked_at: datetime | None
    pull_cursor: int
    last_synced_at: datetime | None


_ENROLLMENT = (
    "SELECT server_url, device_id, username, display_name, role, team, audience,"
    " receipt_public_key, enrolled_at, revoked_at, pull_cursor, last_synced_at FROM sync_state"
)


@dataclass(frozen=True)
class OpReceipt:
    """An op's receipt as the vault keeps it: its own, or its entry in its push's receipt."""

    entry: Receipt | ReceiptedOp
    push: PushReceipt | None = None

    def is_signed_by(self, receipt_public_key: bytes) -> bool:
        """True when central's key signed this op's receipt, or the push's receipt that
        lists exactly this entry."""
        if isinstance(self.entry, Receipt):
            return self.entry.is_signed_by(receipt_public_key)
        return (self.push is not None and self.entry in self.push.ops
                and self.push.is_signed_by(receipt_public_key))


# Changes to the caseload itself; the rest are signed records kept in `received_records`.
_CASELOAD_CHANGES = frozenset({ChangeKind.CHILD, ChangeKind.CHILD_REMOVED})


class SyncLedger:
    def __init__(self, conn: Connection,
                 clock: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        self._conn = conn
        self._clock = clock
        self._cases = CaseRepository(conn, clock)

    def _now(self) -> str:
        return self._clock().astimezone(UTC).isoformat()

    # --- enrollment -------------------------------------------------------------------

    def enrollment(self) -> Enrollment | None:
        row = self._conn.execute(_ENROLLMENT).fetchone()
        if row is None:
            return None
        return Enrollment(
            server_url=row[0], device_id=UUID(row[1]), username=row[2], display_name=row[3],
            role=Role(row[4]), team=row[5], audience=row[6], receipt_public_key=bytes(row[7]),
            enrolled_at=datetime.fromisoformat(row[8]),
            revoked_at=datetime.fromisoformat(row[9]) if row[9] else None,
            pull_cursor=int(row[10]),
            last_synced_at=datetime.fromisoformat(row[11]) if row[11] else None,
        )

    def save_enrollment(self, *, server_url: str, device_id: UUID, username: str,
                        display_name: str, role: Role, team: str | None, audience: str,
                        receipt_public_key: bytes) -> None:
        with transaction(self._conn):
            self._conn.execute(
                "INSERT INTO sync_state (singleton, server_url, device_id, username,"
                " display_name, role, team, audience, receipt_public_key, enrolled_at)"
                " VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                # Enrolled again after a revoke: the cursor holds only for the same central.
                " ON CONFLICT (singleton) DO UPDATE SET server_url = excluded.server_url,"
                " device_id = excluded.device_id, username = excluded.username,"
                " display_name = excluded.display_name, role = excluded.role,"
                " team = excluded.team, audience = excluded.audience,"
                " receipt_public_key = excluded.receipt_public_key,"
                " enrolled_at = excluded.enrolled_at, revoked_at = NULL,"
                " pull_cursor = CASE WHEN sync_state.server_url = excluded.server_url"
                " THEN sync_state.pull_cursor ELSE 0 END,"
                " reread_until = CASE WHEN sync_state.server_url = excluded.server_url"
                " THEN sync_state.reread_until END",
                (server_url, str(device_id), username, display_name, role.value, team,
                 audience, receipt_public_key, self._now()),
            )

    def mark_revoked(self) -> None:
        with transaction(self._conn):
            self._conn.execute(
                "UPDATE sync_state SET revoked_at = coalesce(revoked_at, ?)", (self._now(),)
            )

    def clear_revoked(self) -> bool:
        """Central has vouched for this laptop again (IT readmitted it); True if it had been
        revoked."""
        with transaction(self._conn):
            return bool(self._conn.execute(
                "UPDATE sync_state SET revoked_at = NULL WHERE revoked_at IS NOT NULL"
            ).rowcount)

    def mark_synced(self) -> None:
        with transaction(self._conn):
            self._conn.execute("UPDATE sync_state SET last_synced_at = ?", (self._now(),))

    # --- receipts ---------------------------------------------------------------------

    def store_receipt(self, receipt: Receipt, subject_id: str, flags: list[str]) -> None:
        """Keep central's signed receipt; a second copy of the same receipt is a no-op."""
        self.store_receipts([(receipt, subject_id, flags)])

    def store_receipts(self, receipts: list[tuple[Receipt | ReceiptedOp, str, list[str]]],
                       push: PushReceipt | None = None) -> None:
        """Keep a batch of receipts: (receipt, the op's subject id, central's flags); each
        an op's own, or, with `push`, each op's entry in it, the push's receipt kept once."""
        now = self._now()
        with transaction(self._conn):
            push_id = None if push is None else self._conn.execute(
                "INSERT INTO sync_push_receipts (receipt_json, stored_at) VALUES (?, ?)",
                (push.model_dump_json(), now)).lastrowid
            self._conn.executemany(
                "INSERT INTO sync_receipts (op_id, subject_id, result, receipt_json, flags,"
                " stored_at, push_receipt_id) VALUES (?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (op_id) DO NOTHING",
                [(str(r.op_id), subject, r.result, r.model_dump_json(), json.dumps(flags), now,
                  push_id) for r, subject, flags in receipts],
            )

    def receipt(self, op_id: UUID) -> OpReceipt | None:
        row = self._conn.execute(
            "SELECT r.receipt_json, p.receipt_json FROM sync_receipts AS r"
            " LEFT JOIN sync_push_receipts AS p ON p.id = r.push_receipt_id WHERE r.op_id = ?",
            (str(op_id),),
        ).fetchone()
        if row is None:
            return None
        if row[1] is None:
            return OpReceipt(Receipt.model_validate_json(row[0]))
        return OpReceipt(ReceiptedOp.model_validate_json(row[0]),
                           PushReceipt.model_validate_json(row[1]))

    def receipt_count(self) -> int:
        row = self._conn.execute("SELECT count(*) FROM sync_receipts").fetchone()
        return int(row[0])

    # --- attachments ------------------------------------------------------------------

    def blobs_not_uploaded(self, visit_ids: list[str]) -> list[tuple[UUID, str]]:
        """(attachment id, sha256) of these visits' photos central does not hold yet."""
        if not visit_ids:
            return []
        rows = self._conn.execute(
            "SELECT a.id, a.sha256 FROM attachments AS a"
            " WHERE a.visit_id IN (SELECT value FROM json_each(?))"
            " AND NOT EXISTS (SELECT 1 FROM uploaded_blobs AS u WHERE u.sha256 = a.sha256)"
            " ORDER BY a.added_at",
            (json.dumps(visit_ids),),
        )
        seen: set[str] = set()
        found: list[tuple[UUID, str]] = []
        for attachment_id, sha256 in rows:
            if sha256 not in seen:
                seen.add(sha256)
                found.append((UUID(attachment_id), sha256))
        return found

    def note_blob_uploaded(self, sha256: str) -> None:
        with transaction(self._conn):
            self._conn.execute(
                "INSERT OR IGNORE INTO uploaded_blobs (sha256, uploaded_at) VALUES (?, ?)",
                (sha256, self._now()),
            )

    # --- pull -------------------------------------------------------------------------

    def apply_changes(self, changes: list[Change], next_cursor: int,
                      contacts: list[DeviceContact] | None = None,
                      refused: list[RefusedLaptop] | None = None) -> int:
        """Upsert a page of central's changes and move the cursor past them, all at once;
        returns how many were stored (`_not_read_before`).

        `contacts` and `refused`, when central sent them, replace what is known of the
        team's laptops (those that sync, and those central refuses).
        """
        now = self._now()
        with transaction(self._conn):
            changes = self._not_read_before(changes, next_cursor)
            # The id is read from the record by SQLite's JSON reader in the insert itself: no
            # Python parse of each record just for its id (the review index parses visits
            # once).
            signed = [_received_row(c, now) for c in changes
                      if c.kind not in _CASELOAD_CHANGES]
            for change in changes:
                self._apply_caseload(change, now)
            self._conn.executemany(
                "INSERT INTO received_records (id, kind, record_json, record_hash, signature,"
                " device_id, submitted_by, flags, position, received_at, central_received_at,"
                " central_submitted_at) VALUES (json_extract(?2, '$.id'), ?1, ?2, ?3, ?4, ?5,"
                " ?6, ?7, ?8, ?9, ?10, ?11)"
                " ON CONFLICT (id) DO UPDATE SET flags = excluded.flags,"
                " position = excluded.position, central_received_at ="
                " coalesce(excluded.central_received_at, received_records.central_received_at),"
                " central_submitted_at = coalesce(excluded.central_submitted_at,"
                " received_records.central_submitted_at)",
                signed,
            )
            index_pulled_visits(self._conn, [c.position for c in changes
                                             if c.kind is ChangeKind.VISIT])
            if any(c.kind is ChangeKind.CHILD_REMOVED for c in changes):
                # After the page's records are in: one of them may be about the child.
                forget_others_visits(self._conn)
            self._replace_laptops(contacts, refused, now)
            self._conn.execute("UPDATE sync_state SET pull_cursor = ?", (next_cursor,))
        return len(changes)

    def _not_read_before(self, changes: list[Change], next_cursor: int) -> list[Change]:
        """The changes of a page to store: up to `reread_until` (vault schemas 22 and 28: the
        cursor before this laptop read central's changes again) only the notes, the children
        and the removals, in order (`_READ_AGAIN`), the rest having been stored when first
        read; the whole page after it. Reading past it ends that."""
        row = self._conn.execute("SELECT reread_until FROM sync_state").fetchone()
        until = row[0] if row else None
        if until is None:
            return changes
        if next_cursor >= until:
            self._conn.execute("UPDATE sync_state SET reread_until = NULL")
        return [c for c in changes if c.position > until or c.kind in _READ_AGAIN]

    def _replace_laptops(self, contacts: list[DeviceContact] | None,
                         refused: list[RefusedLaptop] | None, now: str) -> None:
        """What central said of the team's laptops, each list when it sent it."""
        if contacts is not None:
            self._conn.execute("DELETE FROM device_contacts")
            self._conn.executemany(
                "INSERT INTO device_contacts (device_id, username, last_contact_at,"
                " stored_at) VALUES (?, ?, ?, ?)",
                [(str(c.device_id), c.username,
                  c.last_contact_at.isoformat() if c.last_contact_at else None, now)
                 for c in contacts])
        if refused is not None:
            self._conn.execute("DELETE FROM refused_laptops")
            self._conn.executemany(
                "INSERT INTO refused_laptops (device_id, username, status, last_contact_at,"
                " unsent_records, stored_at, wiped_at, recovered_records, lost_records)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [(str(r.device_id), r.username, r.status,
                  r.last_contact_at.isoformat() if r.last_contact_at else None,
                  r.unsent_records, now, r.wiped_at.isoformat() if r.wiped_at else None,
                  r.recovered_records, r.lost_records)
                 for r in refused])

    def _apply_caseload(self, change: Change, now: str) -> None:
        """A child added to (or changed on) the caseload, or taken off it."""
        if change.kind is ChangeKind.CHILD:
            case = Case.model_validate_json(change.case) if change.case is not None else None
            if case is not None:
                self._cases.save_case(case)
            # The case comes with each child naming that child's worker: brothers and
            # sisters may have different ones, and the case keeps only the last.
            self._cases.save_child(Child.model_validate_json(change.record),
                                   case.allocated_worker if case is not None else None)
        elif change.kind is ChangeKind.CHILD_REMOVED:
            remove_child(self._conn, ChildRemoved.model_validate_json(change.record).id, now)

    def everything_received(self) -> list[dict[str, Any]]:
        """Every visit, addendum and review decision pulled from central and still held
        (notes are read with the laptop's own: `storage.case_notes`), oldest pulled first:
        its kind, record as signed, hash, who sent it and when central received it."""
        return [{"kind": kind, "record": json.loads(record), "record_hash": record_hash,
                 "received_from": submitted_by, "central_received_at": received_at}
                for kind, record, record_hash, submitted_by, received_at in self._conn.execute(
                    "SELECT kind, record_json, record_hash, submitted_by, central_received_at"
                    " FROM received_records WHERE kind IN ('visit', 'addendum', 'review')"
                    " ORDER BY rowid")]

    def device_contacts(self) -> dict[str, datetime | None]:
        """Each worker's latest laptop contact with central, as central last said."""
        return {username: datetime.fromisoformat(latest) if latest else None
                for username, latest in self._conn.execute(
                    "SELECT username, max(last_contact_at) FROM device_contacts"
                    " GROUP BY username")}

    def received(self, kind: ChangeKind) -> list[tuple[UUID, str, list[str]]]:
        """Pulled records of one kind, in central's order: (id, canonical JSON, flags)."""
        rows = self._conn.execute(
            "SELECT id, record_json, flags FROM received_records WHERE kind = ?"
            " ORDER BY position", (kind.value,),
        )
        return [(UUID(r[0]), r[1], json.loads(r[2])) for r in rows]


_READ_AGAIN = frozenset({ChangeKind.NOTE, ChangeKind.CHILD, ChangeKind.CHILD_REMOVED})
"""What a page read again stores (`SyncLedger._not_read_before`): notes central kept from
an older laptop (schema 22), and each child with their own allocated worker (schema 28);
a child central no longer allocates to this laptop is not sent, and a removal follows any
earlier copy, so nothing settled comes back."""


def _received_row(change: Change, now: str) -> tuple[object, ...]:
    """One signed record of a pulled page, as a `received_records` row without its id.

    The id is not parsed here: the insert reads it from the record (`json_extract`).
    """
    return (change.kind.value, change.record, change.record_hash or "", change.signature,
            str(change.device_id) if change.device_id else None, change.submitted_by,
            json.dumps(change.flags), change.position, now,
            change.received_at.isoformat() if change.received_at else None,
            change.submitted_at.isoformat() if change.submitted_at else None)
