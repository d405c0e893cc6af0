"""A worker records information from another agency from the caseload, by keyboard: Ctrl+I
on a child, what is missing is marked at its field, and Save records a signed note with its
outbox operation."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from records.case_notes import AgencyKind
from records.contracts import OperationKind
from storage.vault import Vault
from storage.workspace import Workspace
from tests.ui.a11y import unnamed, unreachable
from tests.ui.conftest import PASSPHRASE, Household, unlock
from tests.ui.driving import choose, when_dialog_opens, write
from ui.visit.agency_note import AgencyNoteDialog
from ui.widgets.background import wait_for_background_work

SUMMARY = "Police called at 02:10; mother's partner arrested. Ana awake, not hurt."


def test_a_police_notification_is_recorded_from_the_caseload_by_keyboard(
        qtbot: QtBot, household: Household, make_window: Any) -> None:
    window = make_window(household.directory)
    unlock(qtbot, window)
    screen = window.caseload_screen
    qtbot.waitUntil(lambda: screen.model.rowCount() == 2, timeout=15_000)
    screen.filter.setText("Ana")
    screen.table.selectRow(0)
    screen.table.setFocus()
    seen: dict[str, Any] = {}

    def fill(dialog: QDialog) -> None:
        assert isinstance(dialog, AgencyNoteDialog)
        seen["unnamed"], seen["unreachable"] = unnamed(dialog), unreachable(dialog)
        seen["ticked"] = [box.text() for _, box in dialog.child_boxes if box.isChecked()]
        qtbot.keyClick(dialog.form.rows["source"].field.focusProxy(), Qt.Key.Key_Return)
        seen["problems"] = {name for name, spot in dialog.form.spots.items() if spot.showing}
        seen["open_after_first_try"] = dialog.isVisible()
        write(qtbot, dialog.form, "source", "West Midlands Police, PC Shah")
        choose(dialog.form, "kind", AgencyKind.POLICE_DOMESTIC_ABUSE)
        write(qtbot, dialog.form, "summary", SUMMARY)
        for name, key in (("reports_injury", Qt.Key.Key_N),
                          ("reports_food_or_weight", Qt.Key.Key_Y)):
            asked = dialog.form.rows[name].field.focusProxy()
            asked.setFocus()
            qtbot.keyClick(asked, key)
        qtbot.keyClick(dialog.form.rows["source"].field.focusProxy(), Qt.Key.Key_Return)

    when_dialog_opens(fill)
    qtbot.keyClick(screen.table, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: "recorded" in window.statusBar().currentMessage(), timeout=15_000)
    assert seen["unnamed"] == [] and seen["unreachable"] == []
    assert seen["ticked"] == [household.ana.display_name]
    assert seen["problems"] == {"source", "kind", "summary", "reports_injury",
                                "reports_food_or_weight"} and seen["open_after_first_try"]

    window.lock("checking the vault")
    wait_for_background_work()
    with Vault.unlock(household.directory, PASSPHRASE) as vault:
        workspace = Workspace.over(vault.connection, actor="test")
        (stored,) = workspace.notes.notes_for_child(household.ana.id)
        assert stored.made_here and stored.note.summary == SUMMARY
        assert (stored.note.reports_injury, stored.note.reports_food_or_weight) == (False, True)
        assert stored.note.child_ids == (household.ana.id,)
        assert workspace.notes.notes_for_child(household.tomasz.id) == []
        assert [op.kind for op in workspace.outbox.operations()] == [OperationKind.ADD_NOTE]
