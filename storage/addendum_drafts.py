"""The addendum being written when the vault locked: kept per visit until it is added.

Not a record (nothing is signed or queued for central), so it lives beside the visits in
its own table (schema 17) and goes when an addendum is stored for that visit.
"""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import UUID

from records.contracts import AddendumDraft
from storage.transactions import Connection, transaction


def save_addendum_draft(conn: Connection, visit_id: UUID, reason: str, text: str) -> None:
    with transaction(conn):
        conn.execute(
            "INSERT INTO addendum_drafts (visit_id, reason, text, saved_at) "
            "VALUES (?, ?, ?, ?) ON CONFLICT (visit_id) DO UPDATE SET reason = excluded.reason, "
            "text = excluded.text, saved_at = excluded.saved_at",
            (str(visit_id), reason, text, datetime.now(UTC).isoformat()))


def addendum_draft(conn: Connection, visit_id: UUID) -> AddendumDraft | None:
    row = conn.execute("SELECT reason, text, saved_at FROM addendum_drafts WHERE visit_id = ?",
                       (str(visit_id),)).fetchone()
    if row is None:
        return None
    return AddendumDraft(visit_id, row[0], row[1], datetime.fromisoformat(row[2]))


def discard_addendum_draft(conn: Connection, visit_id: UUID) -> None:
    with transaction(conn):
        conn.execute("DELETE FROM addendum_drafts WHERE visit_id = ?", (str(visit_id),))
