"""The smaller promises: desktop locks reach the app, copied text is concealed and
cleared, the PDF has the body map, first run enforces the policy minimum, 200% text fits."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QGuiApplication
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from desktop_app.app import creator, unlocker
from desktop_app.policy import Policy
from records.schedule import WorkingCalendar
from tests.ui.conftest import Household, unlock
from tests.ui.driving import start_visit_for_selected
from ui.shell.clipboard_guard import clipboard_guard
from ui.shell.main_window import MainWindow, WindowOptions
from ui.shell.session_events import logind_session_path
from ui.widgets.background import wait_for_background_work

ROOT = Path(__file__).resolve().parents[2]
DBUS_PROBE = """
import sys
from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtDBus import QDBusConnection, QDBusMessage
from ui.shell.session_events import LinuxSessionEvents
app = QCoreApplication(sys.argv)
desktop = QDBusConnection.connectToBus(QDBusConnection.BusType.SessionBus, "desktop")
desktop.registerService("org.freedesktop.ScreenSaver")
desktop.registerService("org.freedesktop.login1")
# A private bus stands in for both the session bus and logind's system bus.
events = LinuxSessionEvents(system_bus=QDBusConnection.sessionBus(), session_id="c2")
heard = []
events.lock_requested.connect(heard.append)
print(sorted(events.start()))
for path, interface, name, args in [
    ("/org/freedesktop/ScreenSaver", "org.freedesktop.ScreenSaver", "ActiveChanged", [False]),
    ("/org/freedesktop/ScreenSaver", "org.freedesktop.ScreenSaver", "ActiveChanged", [True]),
    ("/org/freedesktop/login1/session/c2", "org.freedesktop.login1.Session", "Lock", []),
    ("/org/freedesktop/login1", "org.freedesktop.login1.Manager", "PrepareForSleep", [True]),
]:
    message = QDBusMessage.createSignal(path, interface, name)
    message.setArguments(args)
    desktop.send(message)
QTimer.singleShot(500, app.quit)
app.exec()
print(heard)
"""


def test_screen_lock_and_suspend_signals_on_dbus_ask_for_a_lock() -> None:
    done = subprocess.run(["dbus-run-session", "--", sys.executable, "-c", DBUS_PROBE],
                          cwd=ROOT, capture_output=True, text=True, timeout=60, check=True,
                          env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT),
                               "QT_QPA_PLATFORM": "offscreen"})
    lines = done.stdout.strip().splitlines()
    assert lines[0] == "['screensaver', 'session lock', 'suspend']"
    assert lines[1] == "['screen locked', 'session locked', 'suspend']"


def test_logind_session_paths_are_escaped_as_logind_does() -> None:
    assert logind_session_path("c2") == "/org/freedesktop/login1/session/c2"
    assert logind_session_path("2") == "/org/freedesktop/login1/session/_32"


def test_copied_text_is_concealed_then_cleared(qtbot: QtBot) -> None:
    guard = clipboard_guard()
    guard._clear.setInterval(300)
    clipboard = QGuiApplication.clipboard()
    clipboard.setText("Ana said: I'm hungry at night")
    qtbot.waitUntil(lambda: clipboard.mimeData().hasFormat("x-kde-passwordManagerHint"))
    assert bytes(clipboard.mimeData().data("x-kde-passwordManagerHint").data()) == b"secret"
    assert clipboard.text() == "Ana said: I'm hungry at night"
    qtbot.waitUntil(lambda: clipboard.text() == "", timeout=3_000)
    guard._clear.setInterval(30_000)


def test_a_submitted_visit_prints_to_pdf_with_its_body_map(
    qtbot: QtBot, household: Household, make_window: object, tmp_path: Path,
    monkeypatch: object,
) -> None:
    from tests.ui.driving import answer, fill_whole_visit
    from ui.widgets import file_choice
    from ui.widgets.form import reveal

    window = make_window(household.directory,  # type: ignore[operator]
                         WindowOptions(pdf_allowed=True, autosave_ms=60_000))
    unlock(qtbot, window)
    editor = start_visit_for_selected(qtbot, window)
    fill_whole_visit(qtbot, editor)
    ana = editor.child_pages[0]
    answer(qtbot, ana.essentials.form, "injuries_seen", True)
    reveal(ana.injuries.map)
    qtbot.keyClick(ana.injuries.map, Qt.Key.Key_Return)
    editor.submit()
    qtbot.waitUntil(lambda: editor.problem_list.count() > 0)
    assert any("injury 1" in editor.problem_list.item(i).text()
               for i in range(editor.problem_list.count()))
    ana.injuries.remove_button.click()
    answer(qtbot, ana.essentials.form, "injuries_seen", False)
    editor.submit()
    qtbot.waitUntil(lambda: editor.read_only, timeout=10_000)
    assert editor.pdf_button.isVisible()
    destination = tmp_path / "conference.pdf"
    monkeypatch.setattr(file_choice, "choose_file_to_save", lambda *_: destination)
    qtbot.mouseClick(editor.pdf_button, Qt.MouseButton.LeftButton)
    # Written on the vault lane, not the UI thread: the status says when it is there.
    qtbot.waitUntil(lambda: editor.status.text() == "PDF saved.", timeout=15_000)
    assert destination.read_bytes().startswith(b"%PDF")
    assert not list(tmp_path.glob(".*.part"))
    wait_for_background_work()
    entries = window.services.workspace.audit.entries(limit=5)  # type: ignore[union-attr]
    assert entries[0].action.value == "exported"


def test_first_run_enforces_the_minimum_and_creates_the_vault(
    qtbot: QtBot, tmp_path: Path
) -> None:
    policy = Policy(minimum_passphrase_length=16)
    directory = tmp_path / "new"
    window = MainWindow(unlocker(directory, policy, WorkingCalendar()), date.today,
                        create=creator(directory, policy, WorkingCalendar()),
                        options=WindowOptions(minimum_passphrase_length=16))
    qtbot.addWidget(window)
    window.show()
    screen = window.first_run
    assert screen is not None and window.stack.currentWidget() is screen
    qtbot.keyClicks(screen.passphrase, "too short")
    assert not screen.button.isEnabled()
    assert "more characters needed" in screen.verdict.text()
    screen.passphrase.clear()
    qtbot.keyClicks(screen.passphrase, "walnut ferry lantern")
    qtbot.keyClicks(screen.confirm, "walnut ferry lanterm")
    assert not screen.button.isEnabled()
    screen.confirm.clear()
    qtbot.keyClicks(screen.confirm, "walnut ferry lantern")
    assert screen.button.isEnabled()
    with qtbot.waitSignal(screen.created, timeout=20_000):
        qtbot.keyClick(screen.confirm, Qt.Key.Key_Return)
    assert window.stack.currentWidget() is window.caseload_screen
    assert (directory / "vault.db").exists() or any(directory.iterdir())
    window.lock("done")
    wait_for_background_work()


def test_the_editor_is_usable_at_twice_the_text_size(
    qtbot: QtBot, household: Household, make_window: object
) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    normal = app.font()
    big = QFont(normal)
    big.setPointSizeF(normal.pointSizeF() * 2)
    app.setFont(big)
    try:
        window = make_window(household.directory)  # type: ignore[operator]
        unlock(qtbot, window)
        editor = start_visit_for_selected(qtbot, window)
        hint = window.minimumSizeHint()
        assert hint.width() <= 1366 and hint.height() <= 768, hint  # pages scroll, not clip
        question = editor.child_pages[0].essentials.form.rows["seen_alone"].question
        assert question.fontInfo().pointSizeF() >= normal.pointSizeF() * 2
    finally:
        app.setFont(normal)
