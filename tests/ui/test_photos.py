"""A worker attaches a photo of an injury from a file, where policy allows: the photo goes
into the vault; where it came from is remembered nowhere (vault, logs, Qt's dialog history)."""

from __future__ import annotations

import logging
from pathlib import Path
from uuid import UUID

import pytest
from PySide6.QtCore import QPoint, QSettings, Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QDialog, QFileDialog
from pytestqt.qtbot import QtBot

from desktop_app import session as sessions
from desktop_app.policy import Policy
from records.visit import BodyView
from tests.ui.conftest import PASSPHRASE, Household, unlock
from tests.ui.driving import answer, start_visit_for_selected, when_dialog_opens
from ui.shell.main_window import MainWindow, WindowOptions
from ui.visit.injury_form import InjuryForm
from ui.visit.visit_editor import VisitEditor
from ui.widgets.background import wait_for_background_work
from ui.widgets.form import reveal


def place_injury(qtbot: QtBot, editor: VisitEditor) -> InjuryForm:
    ana = editor.child_pages[0]
    answer(qtbot, ana.essentials.form, "injuries_seen", True)
    body = ana.injuries.map
    reveal(body)
    front = body.view_rect(BodyView.FRONT)
    spot = front.topLeft() + QPoint(int(front.width() * 0.8), int(front.height() * 0.48))
    qtbot.mouseClick(body, Qt.MouseButton.LeftButton, pos=spot.toPoint())
    (form,) = ana.injuries.forms
    return form


def an_injury_in_a_new_visit(
        qtbot: QtBot, make_window: object, household: Household, *,
        photos_allowed: bool) -> tuple[MainWindow, VisitEditor, InjuryForm]:
    """Unlock a window where policy allows photos or not, start a visit and place an injury
    on Ana's body map: (the window, the editor, the injury's form)."""
    window: MainWindow = make_window(  # type: ignore[operator]
        household.directory, WindowOptions(autosave_ms=200, photos_allowed=photos_allowed))
    unlock(qtbot, window)
    editor = start_visit_for_selected(qtbot, window)
    return window, editor, place_injury(qtbot, editor)


def a_photo(tmp_path: Path) -> Path:
    folder = tmp_path / "Ana Nowak bruises"  # a folder name that itself names a child
    folder.mkdir()
    path = folder / "ana-left-arm.png"
    image = QImage(40, 30, QImage.Format.Format_RGB32)
    image.fill(QColor("#8a5a9e"))
    assert image.save(str(path), "PNG")
    return path


def choose_in_dialog(path: Path) -> None:
    def choose(dialog: QDialog) -> None:
        assert isinstance(dialog, QFileDialog)
        dialog.selectFile(str(path))
        dialog.accept()

    when_dialog_opens(choose)


def test_a_photo_is_stored_in_the_vault_and_its_path_is_forgotten(
    qtbot: QtBot, household: Household, make_window: object, tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    photo = a_photo(tmp_path)
    window, editor, injury = an_injury_in_a_new_visit(qtbot, make_window, household,
                                                      photos_allowed=True)
    assert injury.add_photo.isVisibleTo(editor)

    choose_in_dialog(photo)
    qtbot.mouseClick(injury.add_photo, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(injury.data.get("photo_ids")), timeout=10_000)
    assert injury.photos.text() == "Photos attached: 1"
    (photo_id,) = injury.data["photo_ids"]
    with qtbot.waitSignal(editor.saved, timeout=10_000):
        editor.save_now()
    visit_id = editor.visit.id
    window.lock("test")
    wait_for_background_work()

    with sessions.unlock(household.directory, PASSPHRASE, Policy()) as opened:
        assert opened.workspace.attachments.content(UUID(str(photo_id))) == photo.read_bytes()
        draft = opened.workspace.visits.get(visit_id)
        assert draft is not None
        (stored,) = draft.visit.children[0].injuries
        assert [str(p) for p in stored.photo_ids] == [str(photo_id)]
        conn = opened.vault.connection
        tables = [name for (name,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'")]
        for table in tables:
            for row in conn.execute(f'SELECT * FROM "{table}"'):
                for value in row:
                    text = value.decode("utf-8", "replace") if isinstance(value, bytes) \
                        else str(value)
                    assert "ana-left-arm" not in text and "Ana Nowak bruises" not in text, table
    assert not any("ana-left-arm" in r.getMessage() or "bruises" in r.getMessage()
                   for r in caplog.records)
    history = QSettings(QSettings.Scope.UserScope, "QtProject")
    assert [k for k in history.allKeys() if "bruises" in str(history.value(k))] == []


def test_policy_forbidding_photos_offers_no_way_to_attach_one(
    qtbot: QtBot, household: Household, make_window: object
) -> None:
    _window, editor, injury = an_injury_in_a_new_visit(qtbot, make_window, household,
                                                       photos_allowed=False)
    assert not injury.add_photo.isVisibleTo(editor)
    assert editor.child_pages[0].injuries.context.add_photo is None
