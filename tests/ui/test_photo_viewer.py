"""A worker looks at the photos of an injury: thumbnails beside the injury, one opened larger
with the keyboard, in a draft and in a submitted (read-only) visit. The photo comes from the
real vault and is decoded in memory: no file is written, the window title names no child,
and nothing reaches the clipboard."""

from __future__ import annotations

import tempfile
from pathlib import Path
from uuid import UUID

import pytest
from PySide6.QtCore import QBuffer, QByteArray, QDir, QIODevice, Qt
from PySide6.QtGui import QColor, QGuiApplication, QImage
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from storage.vault import Vault
from storage.workspace import Workspace
from tests.factories import make_injury, make_observation, make_visit
from tests.ui.a11y import unnamed, unreachable
from tests.ui.conftest import PASSPHRASE, Household, unlock
from tests.ui.test_photos import a_photo, an_injury_in_a_new_visit, choose_in_dialog
from ui.shell.main_window import MainWindow, WindowOptions
from ui.visit.injury_form import InjuryForm
from ui.visit.photo_viewer import PhotoStrip, PhotoViewer
from ui.visit.visit_editor import VisitEditor
from ui.widgets.background import wait_for_background_work
from ui.widgets.form import reveal


def png(width: int, height: int, colour: str) -> bytes:
    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(QColor(colour))
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    assert image.save(buffer, "PNG")
    return bytes(data.data())


def files_holding(content: bytes, folder: Path) -> list[Path]:
    found = []
    for path in folder.rglob("*"):
        try:
            if path.is_file() and content in path.read_bytes():
                found.append(path)
        except OSError:
            continue
    return found


def thumbnails_shown(strip: PhotoStrip) -> bool:
    return strip.count() > 0 and all(
        not strip.item(row).icon().isNull() for row in range(strip.count()))


def open_with_keyboard(qtbot: QtBot, strip: PhotoStrip) -> PhotoViewer:
    reveal(strip)
    strip.setFocus()
    qtbot.keyClick(strip, Qt.Key.Key_Return)
    viewer = strip.viewer
    assert viewer is not None
    qtbot.waitUntil(lambda: viewer.isVisible() and viewer.photo is not None, timeout=10_000)
    return viewer


def nothing_on_the_clipboard() -> bool:
    clipboard = QGuiApplication.clipboard()
    mime = clipboard.mimeData()
    return clipboard.image().isNull() and (mime is None or not mime.hasImage())


def test_an_attached_photo_shows_as_a_thumbnail_and_opens_larger(
    qtbot: QtBot, household: Household, make_window: object, tmp_path: Path,
) -> None:
    photo = a_photo(tmp_path)
    window, editor, injury = an_injury_in_a_new_visit(qtbot, make_window, household,
                                                      photos_allowed=True)
    assert injury.photo_strip is not None and not injury.photo_strip.isVisibleTo(editor)

    choose_in_dialog(photo)
    qtbot.mouseClick(injury.add_photo, Qt.MouseButton.LeftButton)
    strip = injury.photo_strip
    qtbot.waitUntil(lambda: thumbnails_shown(strip), timeout=10_000)
    assert strip.isVisibleTo(editor)
    assert strip.item(0).text() == "Photo 1 of 1"
    assert strip.accessibleName() == "Photos of this injury"

    QGuiApplication.clipboard().clear()
    viewer = open_with_keyboard(qtbot, strip)
    assert viewer.windowTitle() == "Homevisit — photo"
    assert unnamed(viewer) == [] and unreachable(viewer) == []  # a screen reader, the keyboard
    assert unnamed(injury) == [] and unreachable(injury) == []  # the thumbnails among them
    assert "Ana" not in viewer.windowTitle() and "Nowak" not in viewer.windowTitle()
    assert viewer.picture.accessibleName() == "Photo 1 of 1"
    shown = viewer.picture.pixmap()
    assert not shown.isNull()
    assert abs(shown.width() / shown.height() - 40 / 30) < 0.05  # the photo, not a stretch
    original = QImage(str(photo))
    assert shown.toImage().pixelColor(shown.width() // 2, shown.height() // 2) == \
        original.pixelColor(20, 15)
    qtbot.keyClick(viewer, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(viewer.picture, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert nothing_on_the_clipboard()
    qtbot.keyClick(viewer, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not viewer.isVisible())
    qtbot.waitUntil(lambda: QApplication.focusWidget() is strip)  # back where the worker was
    window.lock("test")
    wait_for_background_work()


def submitted_visit_with_two_photos(household: Household) -> tuple[UUID, list[bytes]]:
    photos = [png(60, 30, "#b03a2e"), png(20, 50, "#1f618d")]
    with Vault.unlock(household.directory, PASSPHRASE) as vault:
        workspace = Workspace.over(vault.connection, actor="J. Okafor")
        visit = make_visit(household.case, [household.ana])
        workspace.visits.save_draft(visit)  # a photo belongs to a visit already in the vault
        ids = tuple(workspace.attachments.add(content, visit_id=visit.id).id
                    for content in photos)
        observation = make_observation(household.ana, injuries_seen=True,
                                       injuries=(make_injury(photo_ids=ids),))
        visit = visit.model_copy(update={"children": (observation,)})
        workspace.visits.save_draft(visit)
        workspace.visits.submit(visit)
    return visit.id, photos


def test_a_submitted_visit_shows_its_photos_read_only(
    qtbot: QtBot, household: Household, make_window: object, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    temporary = tmp_path / "temporary files"  # where Python and Qt would put a temp file
    temporary.mkdir()
    monkeypatch.setenv("TMPDIR", str(temporary))
    monkeypatch.setattr(tempfile, "tempdir", str(temporary))
    visit_id, photos = submitted_visit_with_two_photos(household)
    window: MainWindow = make_window(  # type: ignore[operator]
        household.directory, WindowOptions(autosave_ms=200, photos_allowed=False))
    unlock(qtbot, window)
    with qtbot.waitSignal(window.editor_opened, timeout=10_000) as opened:
        window.open_visit(visit_id)
    editor = opened.args[0]
    assert isinstance(editor, VisitEditor) and editor.read_only
    ana = editor.child_pages[0]
    (injury,) = ana.injuries.forms
    assert isinstance(injury, InjuryForm)
    assert not injury.add_photo.isVisibleTo(editor)  # policy: no new photos
    strip = injury.photo_strip
    assert strip is not None
    reveal(strip)
    qtbot.waitUntil(lambda: thumbnails_shown(strip), timeout=10_000)
    assert [strip.item(n).text() for n in range(strip.count())] == \
        ["Photo 1 of 2", "Photo 2 of 2"]

    viewer = open_with_keyboard(qtbot, strip)
    assert viewer.caption.text() == "Photo 1 of 2"
    assert not viewer.previous_button.isEnabled()
    wide = viewer.picture.pixmap()
    assert wide.width() > wide.height()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is viewer.close_button)
    # a focused button takes arrow keys for itself; here they still turn the pages
    qtbot.keyClick(viewer.close_button, Qt.Key.Key_Right)
    qtbot.waitUntil(lambda: viewer.caption.text() == "Photo 2 of 2" and
                    viewer.photo is not None, timeout=10_000)
    tall = viewer.picture.pixmap()
    assert tall.height() > tall.width()
    assert viewer.picture.accessibleName() == "Photo 2 of 2"
    assert not viewer.next_button.isEnabled()
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Left)
    assert viewer.caption.text() == "Photo 1 of 2"
    viewer.reject()
    assert QDir.tempPath() == str(temporary)
    assert [content for content in photos if files_holding(content, temporary)] == []
    assert list(temporary.iterdir()) == []
