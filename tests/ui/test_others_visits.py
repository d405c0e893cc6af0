"""A child allocated to this worker from another arrives with the visits the other worker
made (pulled from central): the child's list of visits holds them, marked with who recorded
them, and each opens to read, read-only, with its addenda, and nothing to add or print."""

from __future__ import annotations

import base64
import uuid
from datetime import timedelta
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from records.canonical import canonical_json, hash_bytes
from records.corrections import Addendum
from records.flags import FlagRules
from storage.audit import AuditAction
from storage.review_index import ReviewIndex
from storage.vault import Vault
from storage.workspace import Workspace
from sync.protocol import Change, ChangeKind
from tests.factories import NOW, make_observation, make_visit
from tests.review.team import WorkerDevice, enroll_as_worker, pull
from tests.ui.conftest import PASSPHRASE, Household, unlock
from tests.ui.driving import when_dialog_opens
from ui.shell.main_window import WindowOptions
from ui.visit.caseload_screen import VisitPicker
from ui.visit.visit_editor import VisitEditor
from ui.widgets.background import wait_for_background_work

EARLIER_WORKER = "M. Adeyemi"


def test_a_worker_reads_the_visit_another_worker_made_about_their_child(
        qtbot: QtBot, household: Household, make_window: Any) -> None:
    earlier = make_visit(household.case, [household.ana], worker=EARLIER_WORKER,
                         children=(make_observation(household.ana),))
    device = WorkerDevice.make("north9")
    note = Addendum(id=uuid.uuid4(), visit_id=earlier.id,
                    previous_hash=hash_bytes(canonical_json(earlier)),
                    reason="Left out", text="Ana's grandmother was there too.",
                    author=EARLIER_WORKER, written_at=NOW)
    frozen = canonical_json(note)
    # And one north2 made on their old laptop, sent back with Ana.
    theirs_before = make_visit(household.case, [household.ana], worker="P. Nowak",
                               started_at=NOW - timedelta(days=40),
                               ended_at=NOW - timedelta(days=40, hours=-1),
                               children=(make_observation(household.ana),))
    with Vault.unlock(household.directory, PASSPHRASE) as vault:
        conn = vault.connection
        enroll_as_worker(conn, "north2")
        pull(conn, [WorkerDevice.make("north2").change(theirs_before, 3)])
        pull(conn, [device.change(earlier, 1),
                    Change(position=2, kind=ChangeKind.ADDENDUM, record=frozen.decode(),
                           record_hash=hash_bytes(frozen),
                           signature=base64.b64encode(device.key.sign(frozen)).decode(),
                           device_id=device.device_id, submitted_by=device.username)])
        ReviewIndex(conn, FlagRules()).refresh(daily=False)  # as the sync thread does

    with Vault.unlock(household.directory, PASSPHRASE) as vault:  # and one of their own
        workspace = Workspace.over(vault.connection, actor="P. Nowak")
        own = make_visit(household.case, [household.ana], worker="P. Nowak",
                         started_at=NOW - timedelta(days=20),
                         ended_at=NOW - timedelta(days=20, hours=-1),
                         children=(make_observation(household.ana),))
        workspace.visits.save_draft(own)
        workspace.visits.submit(own)

    window = make_window(household.directory, WindowOptions(autosave_ms=200, pdf_allowed=True))
    unlock(qtbot, window)
    listed: list[str] = []

    def open_from_the_list(prefix: str) -> VisitEditor:
        def choose(dialog: QDialog) -> None:
            assert isinstance(dialog, VisitPicker)
            listed[:] = [dialog.list.item(row).text() for row in range(dialog.list.count())]
            dialog.list.setFocus()
            for row, text in enumerate(listed):
                if text.startswith(prefix):
                    dialog.list.setCurrentRow(row)
            qtbot.keyClick(dialog.list, Qt.Key.Key_Return)

        when_dialog_opens(choose)
        screen = window.caseload_screen
        screen.filter.setText("Ana")
        screen.table.selectRow(0)
        screen.table.setFocus()
        with qtbot.waitSignal(window.editor_opened, timeout=15_000) as opened:
            qtbot.keyClick(screen.table, Qt.Key.Key_V, Qt.KeyboardModifier.AltModifier)
        editor = opened.args[0]
        assert isinstance(editor, VisitEditor) and editor.read_only
        return editor

    theirs = f"Recorded by {EARLIER_WORKER} · "
    editor = open_from_the_list(theirs)
    assert len(listed) == 3 and listed[0].startswith(theirs)  # the newest first
    assert not listed[1].startswith("Recorded by")  # the worker's own, on this laptop
    assert listed[2].startswith("Recorded by you, on another laptop · ")
    assert editor.opened.recorded_by == EARLIER_WORKER
    assert f"Recorded by {EARLIER_WORKER}" in editor.status.text()
    assert "grandmother was there too" in editor.addenda.text.toPlainText()
    assert editor.addenda.isVisibleTo(editor)
    assert not editor.addenda.add_button.isVisibleTo(editor)
    assert not editor.pdf_button.isVisibleTo(editor)
    assert not editor.submit_button.isVisibleTo(editor)
    qtbot.mouseClick(editor.close_button, Qt.MouseButton.LeftButton)
    mine = open_from_the_list(listed[1])
    assert mine.opened.recorded_by == "" and mine.visit.id == own.id
    assert mine.pdf_button.isVisibleTo(mine) and mine.addenda.add_button.isVisibleTo(mine)
    qtbot.mouseClick(mine.close_button, Qt.MouseButton.LeftButton)
    before = open_from_the_list("Recorded by you")
    assert before.visit.id == theirs_before.id
    assert before.status.text().startswith("Recorded by you on another laptop")
    assert not before.addenda.add_button.isVisibleTo(before)
    window.lock("checking the vault")
    wait_for_background_work()
    with Vault.unlock(household.directory, PASSPHRASE) as vault:
        audit = Workspace.over(vault.connection, actor="test").audit
        viewed = {e.subject_id for e in audit.entries() if e.action is AuditAction.VISIT_VIEWED}
    assert str(earlier.id) in viewed  # opening it is audited, as any visit viewed is
