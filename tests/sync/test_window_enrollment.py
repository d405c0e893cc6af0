"""Enrolling from the real window with a real central: on the first-run screen (wrong,
expired and good codes, no central, an untrusted certificate, IT's managed address), later
from *Vault › Connect to central…*, and again with a new code after IT revoked the laptop,
which keeps its visits readable and sends what was recorded meanwhile."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

import desktop_app.policy as policy_module
import desktop_app.policy_sources as sources_module
from central.services import admin, devices
from desktop_app.enrollment import ServerAddressManaged, enroll_from_window
from desktop_app.policy import Policy
from storage.vault import Vault
from storage.workspace import Workspace
from sync.ledger import SyncLedger
from tests.sync.conftest import open_window, unlock_window, unlocked_window, wait_until_synced
from tests.sync.harness import CentralProcess, Laptop, free_port
from tests.sync.test_enrollment_and_tls import tls_central
from tests.ui.driving import submit_a_visit
from tests.vaults import PASSPHRASE
from ui.shell.enroll import EnrollDialog
from ui.shell.first_run import FirstRunScreen
from ui.shell.main_window import MainWindow

__all__ = ["tls_central"]

POLICY = Policy(sync_interval_minutes=60, minimum_passphrase_length=12)
WAIT_MS = 60_000


def _first_run(qtbot: QtBot, directory: Path, windows: list[MainWindow],
               policy: Policy | None = POLICY) -> tuple[MainWindow, FirstRunScreen]:
    window = open_window(qtbot, directory, policy, windows)
    # Without a policy given, it is read on the vault lane first (the passphrase rules).
    qtbot.waitUntil(lambda: window.first_run is not None, timeout=WAIT_MS)
    screen = window.first_run
    assert screen is not None and screen.enroll_form is not None
    qtbot.keyClicks(screen.passphrase, PASSPHRASE)
    qtbot.keyClicks(screen.confirm, PASSPHRASE)
    return window, screen


def _try(qtbot: QtBot, screen: FirstRunScreen, server: str, code: str) -> str:
    """Type the address and code, press the button, and read what the screen says."""
    form = screen.enroll_form
    assert form is not None
    if not form.managed:
        form.server.clear()
        qtbot.keyClicks(form.server, server)
    form.code.clear()
    qtbot.keyClicks(form.code, code)
    qtbot.mouseClick(screen.button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: screen.go_on.isVisible() and not form.busy, timeout=WAIT_MS)
    return form.message.text()


def _expired_code(central: CentralProcess, username: str) -> str:
    with central.admin.admin() as session:
        return devices.new_enrollment_code(session, admin.user_named(session, username),
                                           hours=1, now=datetime.now(UTC) - timedelta(hours=2))


@pytest.mark.parametrize("central_server", ["sqlite"], indirect=True)  # database-neutral
def test_first_run_explains_each_failed_code_then_enrolls_and_syncs(
        central: CentralProcess, tmp_path: Path, qtbot: QtBot,
        windows: list[MainWindow]) -> None:
    central.admin.world()
    directory = tmp_path / "vault"
    window, screen = _first_run(qtbot, directory, windows)

    wrong = _try(qtbot, screen, central.url, "AAAAA-BBBBB-CCCCC-DDDDD")
    assert "enrollment code is not known" in wrong and "Nothing on this laptop" in wrong
    assert Vault.exists(directory)  # the vault is made and kept whatever central says
    assert window.first_run is screen and screen.button.text() == "Try connecting again"

    expired = _try(qtbot, screen, central.url, _expired_code(central, "north1"))
    assert "has expired" in expired and "Ask IT for a new one" in expired

    nobody = _try(qtbot, screen, f"http://127.0.0.1:{free_port()}", "AAAAA-BBBBB")
    assert "could not be reached" in nobody and "Nothing was lost" in nobody

    plain = _try(qtbot, screen, "http://central.example.org", "AAAAA-BBBBB")
    assert "only ever sent over https" in plain

    form = screen.enroll_form
    assert form is not None
    form.server.clear()
    qtbot.keyClicks(form.server, central.url)
    form.code.clear()
    qtbot.keyClicks(form.code, central.admin.invite("north1"))
    with qtbot.waitSignal(window.unlocked, timeout=WAIT_MS):
        qtbot.keyClick(form.code, Qt.Key.Key_Return)
    wait_until_synced(qtbot, window, timeout=WAIT_MS)
    assert window.sync_now_action.isEnabled() and not window.connect_action.isEnabled()
    table = window.caseload_screen.table  # north1's children came with the first pull
    qtbot.waitUntil(lambda: table.model().rowCount() > 0, timeout=WAIT_MS)


def test_an_untrusted_certificate_is_explained(tls_central: CentralProcess, tmp_path: Path,
                                               qtbot: QtBot, windows: list[MainWindow]) -> None:
    tls_central.admin.world()
    window, screen = _first_run(qtbot, tmp_path / "vault", windows)
    said = _try(qtbot, screen, tls_central.url, tls_central.admin.invite("north1"))
    assert "could not prove who it is" in said and "Nothing was lost" in said
    with qtbot.waitSignal(window.unlocked, timeout=WAIT_MS):  # go on without: a vault to use
        qtbot.mouseClick(screen.go_on, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(window.connect_action.isEnabled, timeout=WAIT_MS)  # to try again later
    assert not window.sync_now_action.isEnabled()


@pytest.mark.parametrize("central_server", ["sqlite"], indirect=True)  # database-neutral
def test_the_address_it_sets_is_shown_and_cannot_be_changed(
        central: CentralProcess, tmp_path: Path, qtbot: QtBot, windows: list[MainWindow],
        monkeypatch: pytest.MonkeyPatch) -> None:
    central.admin.world()
    system = tmp_path / "policy.toml"
    system.write_text(f'server_url = "{central.url}"\nminimum_passphrase_length = 12\n'
                      "sync_interval_minutes = 60\n")
    for module in (policy_module, sources_module):
        monkeypatch.setattr(module, "SYSTEM_POLICY_FILE", system, raising=False)
    monkeypatch.setenv("HOMEVISIT_SETTINGS_FILE", str(tmp_path / "settings.toml"))
    window, screen = _first_run(qtbot, tmp_path / "vault", windows, policy=None)
    form = screen.enroll_form
    assert form is not None and form.managed and form.server.isReadOnly()
    assert form.server.text() == central.url
    qtbot.keyClicks(form.code, central.admin.invite("north1"))
    with qtbot.waitSignal(window.unlocked, timeout=WAIT_MS):
        qtbot.mouseClick(screen.button, Qt.MouseButton.LeftButton)
    wait_until_synced(qtbot, window, timeout=WAIT_MS)
    # Enrolling from the window holds IT's address too, not only the read-only field.
    with pytest.raises(ServerAddressManaged):
        enroll_from_window(window.services, "https://elsewhere.example.org", "AAAAA-BBBBB",
                           window.options.server_url_managed)


def _connect(qtbot: QtBot, window: MainWindow, code: str, server: str | None = None) -> None:
    qtbot.waitUntil(window.connect_action.isEnabled, timeout=WAIT_MS)
    window.connect_action.trigger()
    dialog = window.connect_dialog
    assert isinstance(dialog, EnrollDialog) and dialog.isVisible()
    if server is not None:
        dialog.form.server.clear()
        qtbot.keyClicks(dialog.form.server, server)
    qtbot.keyClicks(dialog.form.code, code)
    with qtbot.waitSignal(window.enrolled, timeout=WAIT_MS):
        qtbot.mouseClick(dialog.connect_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()


def _submit_a_visit(qtbot: QtBot, window: MainWindow) -> object:
    table = window.caseload_screen.table  # the caseload came with the first pull
    qtbot.waitUntil(lambda: table.model().rowCount() > 0, timeout=WAIT_MS)
    table.selectRow(0)
    window.activateWindow()  # the shortcut is the window's: back from the dialog
    qtbot.waitUntil(window.isActiveWindow, timeout=10_000)
    editor = submit_a_visit(qtbot, window)
    visit_id = editor.visit.id
    editor.close_editor()
    qtbot.waitUntil(lambda: window.editor is None, timeout=10_000)
    return visit_id


@pytest.mark.parametrize("central_server", ["sqlite"], indirect=True)  # database-neutral
def test_connect_later_then_revoked_keeps_the_visits_and_a_new_code_sends_them(
        central: CentralProcess, tmp_path: Path, qtbot: QtBot,
        windows: list[MainWindow]) -> None:
    central.admin.world()
    laptop = Laptop.create(tmp_path, "north1")  # made without enrolling
    window = unlocked_window(qtbot, laptop.directory, POLICY, windows)
    status = window.sync_status
    qtbot.waitUntil(lambda: status.text() == "Not connected to central", timeout=WAIT_MS)
    assert "Connect to central" in status.toolTip() and not window.sync_now_action.isEnabled()

    _connect(qtbot, window, central.admin.invite("north1"), server=central.url)
    wait_until_synced(qtbot, window, timeout=WAIT_MS)
    first = _submit_a_visit(qtbot, window)  # the submit wakes the sync thread
    qtbot.waitUntil(lambda: first in central.visit_ids(), timeout=WAIT_MS)
    wait_until_synced(qtbot, window, timeout=WAIT_MS)

    central.set_device_status(laptop.device_id, "revoked")  # IT: `device revoke`
    window.sync_now_action.trigger()
    qtbot.waitUntil(lambda: status.stopped, timeout=WAIT_MS)
    assert status.text() == "Syncing stopped: your visits are kept on this laptop"
    assert "nothing has been lost" in status.toolTip()
    assert window.connect_action.isEnabled() and not window.sync_now_action.isEnabled()
    told = QApplication.activeModalWidget()  # the window says so too; the worker reads it
    assert isinstance(told, QMessageBox) and "nothing has been lost" in told.text()
    qtbot.keyClick(told, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not told.isVisible(), timeout=10_000)
    while_revoked = _submit_a_visit(qtbot, window)  # still readable and writable
    assert while_revoked not in central.visit_ids()
    with laptop.workspace() as workspace:  # the data is all there, encrypted
        assert {first, while_revoked} <= {s.id for s in workspace.visits.summaries()}

    window.lock("lunch")  # unlocked again later: it says so at once, without trying central
    unlock_window(qtbot, window, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: status.stopped and window.connect_action.isEnabled(),
                    timeout=WAIT_MS)
    assert "Connect to central" in status.toolTip()
    assert QApplication.activeModalWidget() is None

    _connect(qtbot, window, central.admin.invite("north1"))  # IT gave a new code
    qtbot.waitUntil(lambda: {first, while_revoked} <= set(central.visit_ids()),
                    timeout=WAIT_MS)
    wait_until_synced(qtbot, window, timeout=WAIT_MS)
    with Vault.unlock(laptop.directory, PASSPHRASE) as vault:
        Workspace.over(vault.connection, actor="check")
        enrollment = SyncLedger(vault.connection).enrollment()
        assert enrollment is not None and enrollment.revoked_at is None
        assert enrollment.device_id == laptop.device_id  # the same laptop, syncing again
