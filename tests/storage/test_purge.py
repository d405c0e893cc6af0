"""Data minimisation: a submitted visit leaves the laptop only once central has receipted it
and every addendum to it — enforced by the schema itself, not just by the purge code."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from uuid import UUID

import pytest
import sqlcipher3

from storage.purge import purge_receipted_visits
from storage.workspace import Workspace
from tests.factories import NOW, make_case, make_child, make_visit
from tests.vaults import add_to_caseload, open_workspace


def _receipt(workspace: Workspace, subject: UUID, result: str = "accepted") -> None:
    conn = workspace.outbox._conn
    (op,) = workspace.outbox.for_subject(subject)
    conn.execute(
        "INSERT INTO sync_receipts (op_id, subject_id, result, receipt_json, stored_at)"
        " VALUES (?, ?, ?, ?, ?)", (str(op.op_id), str(subject), result, json.dumps({}), "now"))
    conn.execute("UPDATE outbox SET status = 'synced' WHERE op_id = ?", (str(op.op_id),))


def _submitted(workspace: Workspace) -> UUID:
    case = workspace.cases.cases()[0]
    visit = make_visit(case, workspace.cases.children(case.id))
    workspace.visits.save_draft(visit)
    workspace.visits.submit(visit)
    return visit.id


def test_only_receipted_old_visits_leave_and_the_schema_refuses_the_rest(tmp_path: Path) -> None:
    with open_workspace(tmp_path / "vault") as workspace:
        case = make_case()
        add_to_caseload(workspace, case, make_child(case))
        receipted, unsent, rejected, corrected = (_submitted(workspace) for _ in range(4))
        _receipt(workspace, receipted)
        _receipt(workspace, rejected, result="rejected")
        _receipt(workspace, corrected)
        workspace.visits.add_addendum(corrected, reason="Wrong room recorded",
                                      text="Bedroom was the back room.", author="J. Okafor")
        conn = workspace.outbox._conn
        with pytest.raises(sqlcipher3.IntegrityError, match="never deleted"):
            conn.execute("DELETE FROM visits WHERE id = ?", (str(unsent),))

        too_soon = purge_receipted_visits(conn, workspace.audit, now=NOW + timedelta(days=2),
                                          days_on_device=3)
        assert too_soon == []
        purged = purge_receipted_visits(conn, workspace.audit, now=NOW + timedelta(days=4),
                                        days_on_device=3)
        assert purged == [receipted]
        assert workspace.visits.get(receipted) is None
        assert workspace.outbox.for_subject(receipted) == []
        for kept in (unsent, rejected, corrected):
            assert workspace.visits.get(kept) is not None and workspace.visits.is_intact(kept)
        assert conn.execute("SELECT count(*) FROM sync_receipts").fetchone()[0] == 3
        assert any(e.action.value == "visit_purged" for e in workspace.audit.entries())
