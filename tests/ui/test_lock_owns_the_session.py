"""A lock ends everything the unlock began: every dialog, opened from any screen, closes;
the addendum being written is kept as a draft and offered back; a draft that cannot be
saved is told to the worker, and the lock still happens. Real vault, real widgets, the
unlocked session as the app makes it (tests/ui/conftest.py `make_window`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QPlainTextEdit
from pytestqt.qtbot import QtBot

from desktop_app.unlocked_session import UnlockedSession
from storage.vault import Vault
from tests.review.team import enroll_as_team_lead
from tests.ui.conftest import PASSPHRASE, Household, make_household_vault, unlock
from tests.ui.driving import start_visit_for_selected, submit_a_visit, when_dialog_opens
from ui.review.review_screen import ReviewScreen
from ui.shell.main_window import NOT_KEPT_AT_LOCK, MainWindow, WindowOptions
from ui.visit.addenda import AddendumDialog
from ui.visit.visit_editor import VisitEditor
from ui.widgets.background import wait_for_background_work

ADDENDUM = "Mum rang after the visit: Ana's bruise was from the climbing frame at school."


def standing(window: MainWindow) -> list[Any]:
    """Every window still on screen besides the main one."""
    return [w for w in QApplication.topLevelWidgets() if w is not window and w.isVisible()]


def lock_when_a_dialog_opens(window: MainWindow, seen: list[QDialog],
                             before: Any = None) -> None:
    def act(dialog: QDialog) -> None:
        seen.append(dialog)
        if before is not None:
            before(dialog)
        window.lock("idle")

    when_dialog_opens(act)


def open_visit(qtbot: QtBot, window: MainWindow, visit_id: UUID) -> VisitEditor:
    with qtbot.waitSignal(window.editor_opened, timeout=15_000) as opened:
        window.open_visit(visit_id)
    editor = opened.args[0]
    assert isinstance(editor, VisitEditor)
    return editor


def test_lock_closes_a_dialog_from_the_caseload_the_editor_and_the_addendum_keeping_the_addendum(
    qtbot: QtBot, household: Household, make_window: Any
) -> None:
    window: MainWindow = make_window(
        household.directory, WindowOptions(autosave_ms=60_000, pdf_allowed=True))
    unlock(qtbot, window)
    assert isinstance(window.session, UnlockedSession)

    # The caseload: another agency's information, a dialog naming the household.
    window.visits.record_information(household.ana.id)
    qtbot.waitUntil(lambda: any(isinstance(w, QDialog) for w in standing(window)),
                    timeout=15_000)
    window.lock("shortcut")
    assert standing(window) == [] and window.session is None

    # The editor: the file chooser for its PDF, a modal over a submitted visit.
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    unlock(qtbot, window)
    editor = submit_a_visit(qtbot, window)
    visit_id = editor.visit.id
    seen: list[QDialog] = []
    lock_when_a_dialog_opens(window, seen)
    with qtbot.waitSignal(window.locked, timeout=15_000):
        qtbot.mouseClick(editor.pdf_button, Qt.MouseButton.LeftButton)
    assert len(seen) == 1 and standing(window) == []

    # The addendum: what is written in it when the vault locks is kept, not dropped.
    unlock(qtbot, window)
    editor = open_visit(qtbot, window, visit_id)
    assert "kept" not in editor.addenda.message.text()

    def write(dialog: QDialog) -> None:
        assert isinstance(dialog, AddendumDialog)
        text = dialog.form.rows["text"].field.focusProxy()
        assert isinstance(text, QPlainTextEdit)
        qtbot.keyClicks(text, ADDENDUM)

    seen.clear()
    lock_when_a_dialog_opens(window, seen, write)
    with qtbot.waitSignal(window.locked, timeout=15_000):
        qtbot.mouseClick(editor.addenda.add_button, Qt.MouseButton.LeftButton)
    assert len(seen) == 1 and standing(window) == []
    wait_for_background_work()

    unlock(qtbot, window)
    editor = open_visit(qtbot, window, visit_id)
    assert "you were writing when the vault locked" in editor.addenda.message.text()
    offered: list[str] = []

    def read_and_cancel(dialog: QDialog) -> None:
        assert isinstance(dialog, AddendumDialog)
        offered.append(dialog.form.collect()["text"])
        dialog.reject()

    when_dialog_opens(read_and_cancel)
    qtbot.mouseClick(editor.addenda.add_button, Qt.MouseButton.LeftButton)
    assert offered == [ADDENDUM]  # cancelled as it was: still kept
    wait_for_background_work()
    assert kept_addenda(household) == [ADDENDUM]

    def empty_and_cancel(dialog: QDialog) -> None:
        assert isinstance(dialog, AddendumDialog)
        for name in ("reason", "text"):
            dialog.form.rows[name].field.set_value("")
        dialog.reject()

    when_dialog_opens(empty_and_cancel)
    qtbot.mouseClick(editor.addenda.add_button, Qt.MouseButton.LeftButton)
    wait_for_background_work()
    assert kept_addenda(household) == []  # emptied and cancelled: the worker dropped it
    assert editor.addenda.message.text() == ""


def kept_addenda(household: Household) -> list[str]:
    with Vault.unlock(household.directory, PASSPHRASE) as vault:
        return [row[0] for row in vault.connection.execute("SELECT text FROM addendum_drafts")]


def test_lock_closes_a_dialog_opened_from_the_review_screen(
    qtbot: QtBot, tmp_path: Path, make_window: Any
) -> None:
    household = make_household_vault(tmp_path / "lead")
    with Vault.unlock(household.directory, PASSPHRASE) as vault:
        enroll_as_team_lead(vault.connection)
    window: MainWindow = make_window(household.directory)
    unlock(qtbot, window)
    qtbot.waitUntil(lambda: isinstance(window.stack.currentWidget(), ReviewScreen),
                    timeout=15_000)
    screen = window.stack.currentWidget()
    assert isinstance(screen, ReviewScreen)
    with qtbot.waitSignal(screen.chronology_shown, timeout=15_000):
        screen.open_child(household.ana.id)
    screen.supervision_button.click()  # a record of supervision: names the child
    qtbot.waitUntil(lambda: any(isinstance(w, QDialog) for w in standing(window)),
                    timeout=15_000)
    window.lock("idle")
    QCoreApplication.processEvents()
    assert standing(window) == []
    assert all(not isinstance(window.stack.widget(i), ReviewScreen)
               for i in range(window.stack.count()))


@pytest.mark.expect_log(r"^a draft could not be (read back|saved) at (a )?lock")
def test_a_draft_that_cannot_be_saved_at_lock_is_told_and_the_lock_happens(
    qtbot: QtBot, household: Household, make_window: Any
) -> None:
    window: MainWindow = make_window(household.directory, WindowOptions(autosave_ms=60_000))
    unlock(qtbot, window)
    editor = start_visit_for_selected(qtbot, window)
    purpose = editor.details.form.rows["purpose"].field.focusProxy()
    assert isinstance(purpose, QPlainTextEdit)
    editor.tabs.setCurrentWidget(editor._details)
    purpose.setFocus()
    qtbot.keyClicks(purpose, "Planned visit")
    purpose.insertPlainText(" " + "x" * 20_000)  # pasted: more than a record can hold
    assert editor.dirty

    window.lock("idle")
    assert window.services is None and window.editor is None  # locked all the same
    qtbot.waitUntil(lambda: any(isinstance(w, QMessageBox) for w in standing(window)),
                    timeout=15_000)
    told = [w for w in standing(window) if isinstance(w, QMessageBox)]
    assert told[0].text() == NOT_KEPT_AT_LOCK
    told[0].accept()
    wait_for_background_work()
    # What was on disk before is still there: the draft as it was started.
    with Vault.unlock(household.directory, PASSPHRASE) as vault:
        drafts = vault.connection.execute(
            "SELECT count(*) FROM visits WHERE status = 'draft'").fetchone()[0]
    assert drafts == 1


def test_closing_a_draft_that_cannot_be_saved_keeps_it_open_and_says_why(
    qtbot: QtBot, household: Household, make_window: Any
) -> None:
    window: MainWindow = make_window(household.directory, WindowOptions(autosave_ms=60_000))
    unlock(qtbot, window)
    editor = start_visit_for_selected(qtbot, window)
    editor.tabs.setCurrentWidget(editor._details)
    purpose = editor.details.form.rows["purpose"].field.focusProxy()
    assert isinstance(purpose, QPlainTextEdit)
    purpose.setFocus()
    purpose.insertPlainText("x" * 20_001)  # pasted: more than a record can hold
    qtbot.mouseClick(editor.close_button, Qt.MouseButton.LeftButton)
    assert window.editor is editor and editor.isVisible()  # not closed, nothing dropped
    assert editor.status.text().startswith("Not closed")
    assert editor.problems_showing
    purpose.clear()
    qtbot.keyClicks(purpose, "Planned visit")
    qtbot.mouseClick(editor.close_button, Qt.MouseButton.LeftButton)
    assert window.editor is None
