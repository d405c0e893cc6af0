"""Children central has taken off this laptop's caseload (a `child_removed` change).

A reallocated child leaves the caseload and the review index at once. Their record stays
only while a visit on this laptop still names them (schema: `visit_children` refers to
`children`): a visit not yet receipted must still sync, and a receipted one leaves with the
days-on-device purge, which calls `forget_removed_children` again. Nothing recorded is lost;
a child allocated back arrives as an ordinary child change and is on the caseload again.
"""

from __future__ import annotations

import json
from uuid import UUID

from storage.review_index import forget_child_in_review
from storage.transactions import Connection, transaction


def remove_child(conn: Connection, child_id: UUID, now: str) -> None:
    """Take a child off the caseload and the review index; joins the caller's transaction."""
    with transaction(conn):
        conn.execute("UPDATE children SET removed_at = coalesce(removed_at, ?) WHERE id = ?",
                     (now, str(child_id)))
        forget_child_in_review(conn, str(child_id))
        forget_removed_children(conn)


# The visits pulled to a laptop that name no child still on its caseload.
_NO_LONGER_ABOUT_THE_CASELOAD = (
    "SELECT r.id FROM received_records AS r WHERE r.kind = 'visit' AND NOT EXISTS"
    " (SELECT 1 FROM json_each(r.record_json, '$.children') AS o"
    "  JOIN children AS c ON c.id = json_extract(o.value, '$.child_id')"
    "  WHERE c.removed_at IS NULL)"
)


def on_a_workers_laptop(conn: Connection) -> bool:
    """Whether this laptop is enrolled as a worker's (not a team lead's, nor unenrolled)."""
    row = conn.execute("SELECT role FROM sync_state").fetchone()
    return row is not None and row[0] == "worker"


def forget_others_visits(conn: Connection) -> int:
    """On a worker's laptop, the visits others made (pulled with a child allocated to this
    worker, `sync-protocol.md`, `history=true`) that name no child still on the caseload,
    with their addenda: they came with a child and leave with them. A team lead's laptop
    keeps its team's pulled records, as it always has. Joins the caller's transaction;
    returns how many visits left."""
    if not on_a_workers_laptop(conn):
        return 0
    with transaction(conn):
        visit_ids = [r[0] for r in conn.execute(_NO_LONGER_ABOUT_THE_CASELOAD)]
        forget_pulled_visits(conn, visit_ids)
        forget_orphan_addenda(conn)
    return len(visit_ids)


def forget_orphan_addenda(conn: Connection) -> None:
    """On a worker's laptop, addenda pulled for a visit the laptop no longer holds (one added
    at central after the purge took its visit): they leave as their visit did. Joins the
    caller's transaction."""
    if not on_a_workers_laptop(conn):
        return
    with transaction(conn):
        conn.execute(
            "DELETE FROM received_records WHERE kind = 'addendum'"
            " AND json_extract(record_json, '$.visit_id') NOT IN"
            "  (SELECT id FROM received_records WHERE kind = 'visit')"
            " AND json_extract(record_json, '$.visit_id') NOT IN (SELECT id FROM visits)")
        conn.execute("DELETE FROM review_links WHERE record_id NOT IN"
                     " (SELECT id FROM received_records)")
        conn.execute("DELETE FROM review_pending WHERE kind IN ('visit', 'addendum')"
                     " AND record_id NOT IN (SELECT id FROM received_records)")


def forget_pulled_visits(conn: Connection, visit_ids: list[str]) -> None:
    """Delete these pulled visits, their addenda, and their search and review-index rows.
    Joins the caller's transaction."""
    if not visit_ids:
        return
    gone = json.dumps(visit_ids)
    with transaction(conn):
        conn.execute(
            "DELETE FROM received_search WHERE rowid IN (SELECT rowid FROM received_records"
            " WHERE id IN (SELECT value FROM json_each(?1)))", (gone,))
        for table in ("review_visit_children", "review_visits", "review_links"):
            conn.execute(f"DELETE FROM {table} WHERE visit_id IN"  # noqa: S608
                         " (SELECT value FROM json_each(?1))", (gone,))
        conn.execute(
            "DELETE FROM received_records WHERE id IN (SELECT value FROM json_each(?1))"
            " OR (kind = 'addendum' AND json_extract(record_json, '$.visit_id')"
            "     IN (SELECT value FROM json_each(?1)))", (gone,))
        conn.execute("DELETE FROM review_pending WHERE kind IN ('visit', 'addendum')"
                     " AND record_id NOT IN (SELECT id FROM received_records)")


def forget_removed_children(conn: Connection) -> int:
    """Delete removed children no visit here names any more, and cases left with nothing."""
    with transaction(conn):
        gone = conn.execute(
            "DELETE FROM children WHERE removed_at IS NOT NULL AND NOT EXISTS"
            " (SELECT 1 FROM visit_children AS vc WHERE vc.child_id = children.id)"
        ).rowcount
        conn.execute("DELETE FROM purged_sightings WHERE child_id NOT IN"
                     " (SELECT id FROM children WHERE removed_at IS NULL)")
        if gone:
            conn.execute(
                "DELETE FROM cases WHERE NOT EXISTS"
                " (SELECT 1 FROM children AS c WHERE c.case_id = cases.id)"
                " AND NOT EXISTS (SELECT 1 FROM visits AS v WHERE v.case_id = cases.id)")
    return int(gone)
