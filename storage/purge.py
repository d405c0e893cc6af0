"""Data minimisation: submitted visits leave the laptop once central holds them.

A visit is purged only when it is older than the policy's days on device and central has
receipted it and every addendum to it, so nothing leaves the laptop that central does not
hold. The schema's triggers refuse the delete otherwise, whatever code asks. Receipts and
the audit trail stay: the laptop can still show what it sent and when; so does when each
child was last seen (`storage.sightings`), or their due date would move when their visit
leaves.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from uuid import UUID

from records.visit import Visit
from storage.audit import AuditAction, AuditLog
from storage.removals import (
    forget_orphan_addenda,
    forget_pulled_visits,
    forget_removed_children,
    on_a_workers_laptop,
)
from storage.search import forget_visit
from storage.sightings import keep_sightings
from storage.transactions import Connection, transaction

_PURGEABLE = """
SELECT v.id FROM visits AS v
WHERE v.status = 'submitted' AND v.submitted_at < ?
  AND EXISTS (SELECT 1 FROM sync_receipts AS r WHERE r.subject_id = v.id AND r.result = 'accepted')
  AND NOT EXISTS (SELECT 1 FROM addenda AS a WHERE a.visit_id = v.id
                  AND NOT EXISTS (SELECT 1 FROM sync_receipts AS r
                                  WHERE r.subject_id = a.id AND r.result = 'accepted'))
  AND NOT EXISTS (SELECT 1 FROM outbox AS o WHERE o.status <> 'synced'
                  AND (o.subject_id = v.id
                       OR o.subject_id IN (SELECT id FROM addenda WHERE visit_id = v.id)))
ORDER BY v.submitted_at
LIMIT ?
"""


def purge_receipted_visits(conn: Connection, audit: AuditLog, *, now: datetime,
                           days_on_device: int, batch: int = 200) -> list[UUID]:
    """Remove receipted visits submitted more than `days_on_device` days ago; their ids."""
    cutoff = (now - timedelta(days=days_on_device)).isoformat()
    purged: list[UUID] = []
    while True:
        with transaction(conn):
            ids = [row[0] for row in conn.execute(_PURGEABLE, (cutoff, batch))]
            # When each child was last seen stays (storage.sightings): nothing else of them.
            keep_sightings(conn, [Visit.model_validate_json(row[0]) for row in conn.execute(
                "SELECT record_json FROM visits WHERE id IN (SELECT value FROM json_each(?))",
                (json.dumps(ids),))])
            for visit_id in ids:
                addenda = [r[0] for r in conn.execute(
                    "SELECT id FROM addenda WHERE visit_id = ?", (visit_id,))]
                subjects = [visit_id, *addenda]
                marks = ",".join("?" * len(subjects))
                conn.execute(f"DELETE FROM outbox WHERE subject_id IN ({marks})",  # noqa: S608
                             subjects)
                conn.execute("DELETE FROM addenda WHERE visit_id = ?", (visit_id,))
                conn.execute("DELETE FROM attachments WHERE visit_id = ?", (visit_id,))
                forget_visit(conn, visit_id)
                conn.execute("DELETE FROM visits WHERE id = ?", (visit_id,))
                audit.record(AuditAction.VISIT_PURGED, "visit", visit_id)
            if ids:
                forget_removed_children(conn)
        purged += [UUID(visit_id) for visit_id in ids]
        if len(ids) < batch:
            return purged


_PULLED_PURGEABLE = (
    "SELECT id, record_json FROM received_records WHERE kind = 'visit'"
    " AND coalesce(central_received_at, received_at) < ? ORDER BY rowid LIMIT ?"
)


def purge_pulled_visits(conn: Connection, audit: AuditLog, *, now: datetime,
                        days_on_device: int, batch: int = 200) -> int:
    """On a worker's laptop, the visits others made that came with a child (pulled with
    `history=true`) leave as the worker's own do: once central has held them more than
    `days_on_device` days (it received them then, so nothing is lost), with their addenda.
    When each child was last seen stays (`storage.sightings`), and each purge is audited
    (`pulled_visit`). A team lead's laptop keeps its team's pulled records, as it always
    has. Returns how many visits left."""
    if not on_a_workers_laptop(conn):
        return 0
    cutoff = (now - timedelta(days=days_on_device)).isoformat()
    purged = 0
    while True:
        with transaction(conn):
            rows = conn.execute(_PULLED_PURGEABLE, (cutoff, batch)).fetchall()
            keep_sightings(conn, [Visit.model_validate_json(record) for _, record in rows])
            forget_pulled_visits(conn, [visit_id for visit_id, _ in rows])
            for visit_id, _ in rows:
                audit.record(AuditAction.VISIT_PURGED, "pulled_visit", visit_id)
        purged += len(rows)
        if len(rows) < batch:
            forget_orphan_addenda(conn)
            return purged
