"""Each submitted visit in a child's list of visits says where it stands with central — not
yet sent, sent, synced, not accepted (with central's reason) — as an icon, a tooltip and
words a screen reader reads; a draft says nothing of the kind."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from desktop_app import session as sessions
from desktop_app.policy import Policy
from desktop_app.services import VaultServices
from storage.outbox import OperationStatus
from storage.transactions import transaction
from storage.workspace import Workspace
from sync.ledger import SyncLedger
from sync.protocol import Receipt
from tests.factories import NOW, make_case, make_child, make_visit
from tests.vaults import PASSPHRASE, FixedClock, add_to_caseload, new_vault
from ui.visit.caseload_screen import VisitPicker


def test_a_childs_visits_show_how_far_each_has_got(tmp_path: Path, qtbot: QtBot) -> None:
    directory = tmp_path / "vault"
    case = make_case()
    child = make_child(case)
    with new_vault(directory, PASSPHRASE) as vault:
        conn = vault.connection
        workspace = Workspace.over(conn, actor="J. Okafor", clock=FixedClock())
        add_to_caseload(workspace, case, child)
        visits = []
        for _ in range(4):
            visit = make_visit(case, [child])
            workspace.visits.save_draft(visit)
            workspace.visits.submit(visit)
            visits.append(visit.id)
        workspace.visits.save_draft(make_visit(case, [child]))  # a draft: never listed here
        outbox = workspace.outbox
        ops = {op.subject_id: op.op_id for op in outbox.operations()}
        outbox.mark_sent([ops[str(visits[1])], ops[str(visits[2])], ops[str(visits[3])]])
        for visit_id, status, result, reason in (
                (visits[2], OperationStatus.SYNCED, "accepted", None),
                (visits[3], OperationStatus.QUARANTINED, "rejected",
                 "the record's signature does not verify")):
            op_id = ops[str(visit_id)]
            with transaction(conn):  # as the engine does: receipt and status at once
                SyncLedger(conn).store_receipt(Receipt(
                    device_id=workspace.device.device_id, op_id=op_id, record_hash=None,
                    result=result, received_at=NOW, signature="c2lnbmVk"), str(visit_id), [])
                outbox.settle(op_id, status, reason)

    with sessions.unlock(directory, PASSPHRASE, Policy()) as opened:
        listed = VaultServices(opened, Policy()).visits(drafts=False, child_id=child.id)
    assert {v.visit_id: v.sync_status for v in listed} == {
        visits[0]: "waiting", visits[1]: "sent", visits[2]: "synced",
        visits[3]: "quarantined"}

    parent = QWidget()
    qtbot.addWidget(parent)
    picker = VisitPicker(parent, "visits for this child", listed)
    qtbot.addWidget(picker)
    said = {}
    for row, visit in enumerate(listed):
        item = picker.list.item(row)
        assert not item.icon().isNull()
        said[visit.visit_id] = (item.data(Qt.ItemDataRole.AccessibleTextRole), item.toolTip())
    assert said[visits[0]][0].endswith("· Not yet sent")
    assert said[visits[1]][0].endswith("· Sent, not yet confirmed")
    assert said[visits[2]][0].endswith("· Synced") and "receipt is stored" in said[visits[2]][1]
    refused_name, refused_tip = said[visits[3]]
    assert refused_name.endswith("· Not accepted by central")
    assert "signature does not verify" in refused_tip and "nothing was lost" in refused_tip

    with sessions.unlock(directory, PASSPHRASE, Policy()) as opened:
        drafts = VaultServices(opened, Policy()).visits(drafts=True)
    assert len(drafts) == 1 and drafts[0].sync_status is None
