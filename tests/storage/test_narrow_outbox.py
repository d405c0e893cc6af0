"""Schema version 7: an op's status lives in a narrow row, its record beside it until receipted.

The upgrade keeps every op, its status and its place in the order (sequence numbers are
never reused), and keeps the record of every op central has not receipted. Settling an op
as synced drops the outbox's copy in the same transaction as its receipt; the visit itself
stays, signed and verifiable. The schema refuses to drop the copy of an unreceipted op.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
import sqlcipher3

from storage import migrations
from storage.outbox import OperationStatus
from tests.factories import make_case, make_child, make_visit
from tests.storage.conftest import open_raw_database
from tests.vaults import add_to_caseload, open_workspace


def _old_op(conn: sqlite3.Connection, op_id: str, status: str) -> None:
    conn.execute(
        "INSERT INTO outbox (op_id, kind, subject_id, payload, status, created_at, attempts)"
        " VALUES (?, 'visit.submit', ?, ?, ?, '2024-05-01T09:00:00+00:00', 1)",
        (op_id, f"subject-{op_id}", json.dumps({"record": f"record of {op_id}"}), status))


def test_a_version_six_outbox_upgrades_keeping_order_status_and_unreceipted_records(
        tmp_path: Path) -> None:
    conn = open_raw_database(tmp_path / "v6.db")
    try:
        assert migrations.migrate(conn, target=6) == 6
        _old_op(conn, "waiting-op", "waiting")
        _old_op(conn, "synced-op", "synced")
        _old_op(conn, "quarantined-op", "quarantined")
        _old_op(conn, "purged-op", "synced")
        conn.execute("INSERT INTO sync_receipts (op_id, subject_id, result, receipt_json,"
                     " stored_at) VALUES ('synced-op', 'subject-synced-op', 'accepted', '{}',"
                     " 'now')")
        conn.execute("DELETE FROM outbox WHERE op_id = 'purged-op'")

        assert migrations.migrate(conn) == migrations.latest_version() >= 7

        assert conn.execute(
            "SELECT sequence, op_id, status, attempts FROM outbox ORDER BY sequence"
        ).fetchall() == [(1, "waiting-op", "waiting", 1), (2, "synced-op", "synced", 1),
                         (3, "quarantined-op", "quarantined", 1)]
        kept = dict(conn.execute("SELECT sequence, payload FROM outbox_records").fetchall())
        assert sorted(kept) == [1, 3]
        assert json.loads(kept[1]) == {"record": "record of waiting-op"}
        assert "payload" not in {r[1] for r in conn.execute("PRAGMA table_info(outbox)")}
        conn.execute("INSERT INTO outbox (op_id, kind, subject_id, created_at)"
                     " VALUES ('new-op', 'visit.submit', 's', 'now')")
        assert conn.execute(
            "SELECT sequence FROM outbox WHERE op_id = 'new-op'").fetchone() == (5,)
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    finally:
        conn.close()


def test_a_receipt_retires_the_outbox_copy_and_the_visit_stays_verifiable(
        tmp_path: Path) -> None:
    with open_workspace(tmp_path / "vault") as workspace:
        case = make_case()
        add_to_caseload(workspace, case, make_child(case))
        visits = [make_visit(case, workspace.cases.children(case.id)) for _ in range(2)]
        for visit in visits:
            workspace.visits.save_draft(visit)
            workspace.visits.submit(visit)
        receipted, unsent = (workspace.outbox.for_subject(v.id)[0] for v in visits)
        assert receipted.payload is not None and unsent.payload is not None
        conn = workspace.outbox._conn

        with pytest.raises(sqlcipher3.IntegrityError, match="stays until central"):
            conn.execute("DELETE FROM outbox_records WHERE sequence = ?", (unsent.sequence,))
        # Nor through the op itself, whose delete would cascade to its record (version 12).
        with pytest.raises(sqlcipher3.IntegrityError, match="stays until central"):
            conn.execute("DELETE FROM outbox WHERE sequence = ?", (unsent.sequence,))
        assert workspace.outbox.for_subject(visits[1].id)[0].payload == unsent.payload

        conn.execute("BEGIN IMMEDIATE")
        conn.execute(
            "INSERT INTO sync_receipts (op_id, subject_id, result, receipt_json, stored_at)"
            " VALUES (?, ?, 'accepted', '{}', 'now')",
            (str(receipted.op_id), str(visits[0].id)))
        workspace.outbox.settle_many([(receipted.op_id, OperationStatus.SYNCED, None)])
        conn.execute("COMMIT")

        (after,) = workspace.outbox.for_subject(visits[0].id)
        assert after.status is OperationStatus.SYNCED and after.payload is None
        assert workspace.visits.is_intact(visits[0].id)
        (still,) = workspace.outbox.for_subject(visits[1].id)
        assert still.payload == unsent.payload
        assert [op.op_id for op in workspace.outbox.to_send(10)] == [unsent.op_id]
