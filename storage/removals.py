"""Children central has taken off this laptop's caseload (a `child_removed` change).

A reallocated child leaves the caseload and the review index at once. Their record stays
only while a visit on this laptop still names them (schema: `visit_children` refers to
`children`): a visit not yet receipted must still sync, and a receipted one leaves with the
days-on-device purge, which calls `forget_removed_children` again. Nothing recorded is lost;
a child allocated back arrives as an ordinary child change and is on the caseload again.
"""

from __future__ import annotations

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


def forget_removed_children(conn: Connection) -> int:
    """Delete removed children no visit here names any more, and cases left with nothing."""
    with transaction(conn):
        gone = conn.execute(
            "DELETE FROM children WHERE removed_at IS NOT NULL AND NOT EXISTS"
            " (SELECT 1 FROM visit_children AS vc WHERE vc.child_id = children.id)"
        ).rowcount
        if gone:
            conn.execute(
                "DELETE FROM cases WHERE NOT EXISTS"
                " (SELECT 1 FROM children AS c WHERE c.case_id = cases.id)"
                " AND NOT EXISTS (SELECT 1 FROM visits AS v WHERE v.case_id = cases.id)")
    return int(gone)
