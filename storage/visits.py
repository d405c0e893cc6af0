"""Visits in the vault: drafts saved as the worker types, then submitted as signed facts.

`submit` validates, freezes, hashes and signs the visit and writes it with its outbox
operation in one transaction. After that the visit is never changed: corrections are
addenda, chained by hash to the record before them. Triggers in the schema refuse any
change to a submitted visit, whatever code asks.
"""

from __future__ import annotations

import base64
import json
import uuid
from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID

from records.canonical import canonical_json, hash_bytes
from records.case import Child
from records.contracts import OperationKind, StoredAddendum, StoredVisit, VisitStatus, VisitSummary
from records.corrections import Addendum
from records.last_seen import last_seen, later_of
from records.schedule import VisitStandards, WorkingCalendar, next_visit_due
from records.validation import problems_before_submit, problems_in_addendum
from records.visit import Visit
from storage.audit import AuditAction, AuditLog
from storage.caseload import visits_of_children
from storage.cases import CaseRepository
from storage.device import DeviceIdentity, signature_is_valid
from storage.outbox import Outbox
from storage.refusals import SubmissionRefused, VisitAlreadySubmitted, VisitNotFound
from storage.search import forget_visit, index_visit, ranked_rowids, search_query
from storage.sightings import kept_sighting
from storage.transactions import Connection, transaction

_SUMMARY = (
    "SELECT v.id, v.case_id, v.status, v.started_at, v.updated_at,"
    " (SELECT group_concat(child_id) FROM visit_children WHERE visit_id = v.id)"
    " FROM visits AS v"
)
# One child's visits: their summary columns are all in visits_listing_by_id, so reading them
# there touches none of the visits' own pages (each holds a whole record); SQLite would pick
# the primary key's index, being unique, and read every visit's row: under SQLCipher each
# page read from disk is decrypted and authenticated (100 lists just after an unlock: 39 ms
# CPU, plain SQLite 14; through this index 8 ms).
_CHILD_SUMMARY = _SUMMARY.replace("FROM visits AS v",
                                  "FROM visits AS v INDEXED BY visits_listing_by_id")
_SUMMARY_BY_ROWID = (
    "SELECT v.rowid, v.id, v.case_id, v.status, v.started_at, v.updated_at,"
    " (SELECT group_concat(child_id) FROM visit_children WHERE visit_id = v.id)"
    " FROM visits AS v WHERE v.rowid IN (SELECT value FROM json_each(?))"
)


class VisitRepository:
    def __init__(
        self,
        conn: Connection,
        device: DeviceIdentity,
        audit: AuditLog,
        *,
        standards: VisitStandards | None = None,
        calendar: WorkingCalendar | None = None,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._conn = conn
        self._device = device
        self._audit = audit
        self._cases = CaseRepository(conn, clock)
        self._outbox = Outbox(conn, clock)
        self._standards = standards or VisitStandards()
        self._calendar = calendar or WorkingCalendar()
        self._clock = clock

    # --- drafts -----------------------------------------------------------------------

    def save_draft(self, visit: Visit) -> None:
        """Create or overwrite the draft; cheap enough to call every few seconds."""
        with transaction(self._conn):
            status = self._status(visit.id)
            if status is VisitStatus.SUBMITTED:
                raise VisitAlreadySubmitted()
            self._write(visit, VisitStatus.DRAFT, record_json=visit.model_dump_json())
            if status is None:
                self._audit.record(AuditAction.VISIT_CREATED, "visit", visit.id)

    def discard_draft(self, visit_id: UUID) -> None:
        with transaction(self._conn):
            if self._status(visit_id) is not VisitStatus.DRAFT:
                raise VisitNotFound()
            forget_visit(self._conn, str(visit_id))
            self._conn.execute("DELETE FROM visits WHERE id = ?", (str(visit_id),))
            self._audit.record(AuditAction.DRAFT_DISCARDED, "visit", visit_id)

    # --- submission -------------------------------------------------------------------

    def submit(self, visit: Visit) -> StoredVisit:
        """Validate, freeze, hash, sign; store with its outbox operation, all or nothing."""
        with transaction(self._conn):
            if self._status(visit.id) is VisitStatus.SUBMITTED:
                raise VisitAlreadySubmitted()
            children = {c.id: c for c in self._cases.children(visit.case_id)}
            problems = problems_before_submit(visit, children, now=self._clock())
            if problems:
                raise SubmissionRefused(problems)
            if visit.next_visit_due is None:
                visit = visit.model_copy(update={"next_visit_due": self._next_due(visit, children)})
            frozen = canonical_json(visit)
            record_hash = hash_bytes(frozen)
            signature = self._device.sign(frozen)
            submitted_at = self._clock().astimezone(UTC)
            self._write(visit, VisitStatus.SUBMITTED, record_json=frozen.decode(),
                        record_hash=record_hash, signature=signature, submitted_at=submitted_at)
            self._outbox.enqueue(
                OperationKind.SUBMIT_VISIT, visit.id,
                self._signed_payload("visit", frozen, record_hash, signature),
            )
            self._audit.record(AuditAction.VISIT_SUBMITTED, "visit", visit.id)
        stored = self.get(visit.id)
        assert stored is not None
        return stored

    def add_addendum(self, visit_id: UUID, *, reason: str, text: str, author: str,
                     answers_review_id: UUID | None = None) -> StoredAddendum:
        """Add a reasoned correction chained to the visit's last record; the visit is kept."""
        problems = problems_in_addendum(reason, text)
        if problems:
            raise SubmissionRefused(problems)
        with transaction(self._conn):
            if self._status(visit_id) is not VisitStatus.SUBMITTED:
                raise VisitNotFound(submitted_only=True)
            last = self._conn.execute(
                "SELECT coalesce(max(sequence), 0),"
                " (SELECT record_hash FROM addenda WHERE visit_id = ?1"
                "  ORDER BY sequence DESC LIMIT 1),"
                " (SELECT record_hash FROM visits WHERE id = ?1)"
                " FROM addenda WHERE visit_id = ?1",
                (str(visit_id),),
            ).fetchone()
            sequence = last[0] + 1
            addendum = Addendum(
                id=uuid.uuid4(), visit_id=visit_id, previous_hash=last[1] or last[2],
                reason=reason, text=text, author=author, written_at=self._clock(),
                answers_review_id=answers_review_id,
            )
            frozen = canonical_json(addendum)
            record_hash = hash_bytes(frozen)
            signature = self._device.sign(frozen)
            self._conn.execute(
                "INSERT INTO addenda (id, visit_id, sequence, canonical_json, record_hash,"
                " previous_hash, signature, written_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (str(addendum.id), str(visit_id), sequence, frozen.decode(), record_hash,
                 addendum.previous_hash, signature, addendum.written_at.isoformat()),
            )
            self._outbox.enqueue(
                OperationKind.ADD_ADDENDUM, addendum.id,
                self._signed_payload("addendum", frozen, record_hash, signature),
            )
            self._audit.record(AuditAction.ADDENDUM_ADDED, "visit", visit_id)
        return StoredAddendum(addendum, sequence, record_hash, signature)

    def next_visit_due(self, visit: Visit) -> date | None:
        """The date submitting this visit would record as the next visit due (for display)."""
        children = {c.id: c for c in self._cases.children(visit.case_id)}
        return visit.next_visit_due or self._next_due(visit, children)

    # --- reading ----------------------------------------------------------------------

    def notifications_followed_up(self, child_id: UUID, *, besides: UUID | None = None
                                  ) -> set[UUID]:
        """Agency notifications a submitted visit recorded as discussed with this child
        (`ChildObservation.notifications_followed_up`), other than at visit `besides`."""
        found: set[UUID] = set()
        for (record,) in self._conn.execute(
            "SELECT v.record_json FROM visit_children AS vc JOIN visits AS v"
            " ON v.id = vc.visit_id WHERE vc.child_id = ? AND v.status = 'submitted'"
            " AND v.id != ? AND v.record_json LIKE '%notifications_followed_up%'",
                (str(child_id), str(besides))):
            observation = Visit.model_validate_json(record).observation_for(child_id)
            if observation is not None:
                found |= set(observation.notifications_followed_up)
        return found


    def held(self, visit_ids: Iterable[UUID]) -> set[UUID]:
        """Which of these visits this laptop holds as its own (a draft or submitted)."""
        return {UUID(r[0]) for r in self._conn.execute(
            "SELECT id FROM visits WHERE id IN (SELECT value FROM json_each(?))",
            (json.dumps([str(v) for v in visit_ids]),))}

    def get(self, visit_id: UUID) -> StoredVisit | None:
        row = self._conn.execute(
            "SELECT record_json, status, created_at, updated_at, record_hash, signature,"
            " submitted_at FROM visits WHERE id = ?",
            (str(visit_id),),
        ).fetchone()
        if row is None:
            return None
        return StoredVisit(
            visit=Visit.model_validate_json(row[0]),
            status=VisitStatus(row[1]),
            created_at=datetime.fromisoformat(row[2]),
            updated_at=datetime.fromisoformat(row[3]),
            record_hash=row[4],
            signature=bytes(row[5]) if row[5] is not None else None,
            submitted_at=datetime.fromisoformat(row[6]) if row[6] else None,
        )

    def open_for_viewing(self, visit_id: UUID) -> StoredVisit:
        """Read a visit for a person to look at, and say so in the audit log."""
        stored = self.get(visit_id)
        if stored is None:
            raise VisitNotFound()
        self._audit.record(AuditAction.VISIT_VIEWED, "visit", visit_id)
        return stored

    def addenda(self, visit_id: UUID) -> list[StoredAddendum]:
        rows = self._conn.execute(
            "SELECT canonical_json, sequence, record_hash, signature FROM addenda"
            " WHERE visit_id = ? ORDER BY sequence",
            (str(visit_id),),
        )
        return [
            StoredAddendum(Addendum.model_validate_json(r[0]), r[1], r[2], bytes(r[3]))
            for r in rows
        ]

    def is_intact(self, visit_id: UUID) -> bool:
        """True when the stored visit and its addenda still match their hashes and signatures."""
        row = self._conn.execute(
            "SELECT record_json, record_hash, signature FROM visits"
            " WHERE id = ? AND status = 'submitted'",
            (str(visit_id),),
        ).fetchone()
        if row is None:
            return False
        frozen = row[0].encode()
        key = self._device.public_key
        ok = hash_bytes(frozen) == row[1] and signature_is_valid(key, frozen, bytes(row[2]))
        previous = row[1]
        for addendum in self.addenda(visit_id):
            body = canonical_json(addendum.addendum)
            ok = ok and addendum.addendum.previous_hash == previous
            ok = ok and hash_bytes(body) == addendum.record_hash
            ok = ok and signature_is_valid(key, body, addendum.signature)
            previous = addendum.record_hash
        return ok

    def summaries(self, *, status: VisitStatus | None = None, child_id: UUID | None = None,
                  limit: int = 200, offset: int = 0) -> list[VisitSummary]:
        """Visits newest first, optionally only drafts or submitted, or one child's."""
        where: list[str] = []
        params: list[Any] = []
        if status is not None:
            where.append("v.status = ?")
            params.append(status.value)
        if child_id is not None:
            where.append("v.id IN (SELECT visit_id FROM visit_children WHERE child_id = ?)")
            params.append(str(child_id))
        query = (_SUMMARY if child_id is None else _CHILD_SUMMARY) + (
            " WHERE " + " AND ".join(where) if where else "")
        query += " ORDER BY coalesce(v.started_at, v.updated_at) DESC LIMIT ? OFFSET ?"
        return [_summary(r) for r in self._conn.execute(query, (*params, limit, offset))]

    def search(self, text: str, limit: int = 50) -> list[VisitSummary]:
        """Visits whose children, case reference or note contain every word typed."""
        match = search_query(text)
        if match is None:
            return []
        rowids = ranked_rowids(self._conn, "visit_search", match, limit)
        found = {r[0]: _summary(r[1:]) for r in self._conn.execute(
            _SUMMARY_BY_ROWID, (json.dumps(rowids),))}
        return [found[rowid] for rowid in rowids if rowid in found]

    # --- internals --------------------------------------------------------------------

    def _status(self, visit_id: UUID) -> VisitStatus | None:
        row = self._conn.execute(
            "SELECT status FROM visits WHERE id = ?", (str(visit_id),)
        ).fetchone()
        return VisitStatus(row[0]) if row else None

    def _write(self, visit: Visit, status: VisitStatus, *, record_json: str,
               record_hash: str | None = None, signature: bytes | None = None,
               submitted_at: datetime | None = None) -> None:
        """Store the visit as a draft or, in the same one row write, as submitted.

        A submitted visit's children cannot be added (a trigger), so they go in first, the
        foreign key to the visit checked at commit; the row is then written once with its
        final status: writing it as a draft and updating it moved every status index entry
        twice, two more pages for SQLCipher to encrypt and the WAL to flush at each submit.
        """
        now = self._clock().astimezone(UTC).isoformat()
        started = visit.started_at.isoformat() if visit.started_at else None
        visit_id = str(visit.id)
        if status is VisitStatus.SUBMITTED:
            assert submitted_at is not None
        self._conn.execute("PRAGMA defer_foreign_keys = ON")  # reset by the commit
        self._conn.execute("DELETE FROM visit_children WHERE visit_id = ?", (visit_id,))
        self._conn.executemany(
            "INSERT OR IGNORE INTO visit_children (visit_id, child_id)"
            " SELECT ?, id FROM children WHERE id = ?",
            [(visit_id, str(c.child_id)) for c in visit.children],
        )
        self._conn.execute(
            "INSERT INTO visits (id, case_id, status, record_json, started_at, created_at,"
            " updated_at, record_hash, signature, submitted_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (id) DO UPDATE SET case_id = excluded.case_id,"
            " status = excluded.status, record_json = excluded.record_json,"
            " started_at = excluded.started_at, updated_at = excluded.updated_at,"
            " record_hash = excluded.record_hash, signature = excluded.signature,"
            " submitted_at = excluded.submitted_at",
            (visit_id, str(visit.case_id), status.value, record_json, started, now, now,
             record_hash, signature, submitted_at.isoformat() if submitted_at else None),
        )
        index_visit(self._conn, visit)

    def _next_due(self, visit: Visit, children: dict[UUID, Child]) -> date | None:
        """The soonest next visit due among the visit's children, each counted from when they
        were last seen (this visit, if they were seen at it: `records.last_seen`): at a
        visit made here or pulled from central (someone else's, of a child allocated here
        from them), or one the purge took (`storage.sightings`)."""
        dues = []
        held = visits_of_children(self._conn, [str(o.child_id) for o in visit.children])
        for observation in visit.children:
            child = children.get(observation.child_id)
            if child is None:
                continue
            earlier = [v for v in held.get(str(child.id), []) if v.id != visit.id]
            seen = later_of(kept_sighting(self._conn, child.id),
                            last_seen(child.id, [*earlier, visit]))
            dues.append(next_visit_due(child, seen.day, self._standards, self._calendar))
        known = [d for d in dues if d is not None]
        return min(known) if known else None

    def _signed_payload(self, kind: str, frozen: bytes, record_hash: str,
                        signature: bytes) -> dict[str, Any]:
        return {
            "kind": kind,
            "record": frozen.decode(),
            "record_hash": record_hash,
            "signature": base64.b64encode(signature).decode(),
            "device_id": str(self._device.device_id),
        }


def _summary(row: Any) -> VisitSummary:
    return VisitSummary(
        id=UUID(row[0]),
        case_id=UUID(row[1]),
        status=VisitStatus(row[2]),
        started_at=datetime.fromisoformat(row[3]) if row[3] else None,
        updated_at=datetime.fromisoformat(row[4]),
        child_ids=tuple(UUID(c) for c in row[5].split(",")) if row[5] else (),
    )
