"""At unlock, the real window offers to add IT's recovery key when IT's policy names one the
vault lacks (never one from the worker's own settings file): "Not now" changes nothing and
it is offered again; one confirmation adds it, without the passphrase, and IT's private key
then opens the vault. A vault already wrapped to the policy's key is not asked."""

from __future__ import annotations

import base64
from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from desktop_app.policy import load_policy
from storage.audit import AuditAction
from storage.keyslots import generate_recovery_key_pair
from storage.vault import Vault
from storage.workspace import Workspace
from tests.ui.conftest import PASSPHRASE, Household, unlock
from ui.shell.main_window import MainWindow
from ui.shell.recovery_offer import OBJECT_NAME
from ui.widgets.accessibility import listen
from ui.widgets.background import wait_for_background_work

ADDED = ("IT's recovery key was added: if you forget your passphrase, IT can open this vault. "
         "Your records were not changed.")


def _offer(qtbot: QtBot, window: MainWindow) -> QMessageBox:
    qtbot.waitUntil(lambda: any(box.isVisible() for box in
                                window.findChildren(QMessageBox, OBJECT_NAME)), timeout=15_000)
    return next(box for box in window.findChildren(QMessageBox, OBJECT_NAME)
                if box.isVisible())


def _press(box: QMessageBox, text: str) -> None:
    (button,) = [b for b in box.buttons() if b.text() == text]
    button.click()


def _recovery_key_of(directory: Path) -> bytes | None:
    with Vault.unlock(directory, PASSPHRASE) as vault:
        return vault.recovery_public_key()


def test_the_policys_recovery_key_is_offered_at_unlock_and_added_with_one_confirmation(
        qtbot: QtBot, household: Household, tmp_path: Path,
        make_window: Callable[..., MainWindow]) -> None:
    private, public = generate_recovery_key_pair()
    it_file = tmp_path / "it-policy.toml"
    it_file.write_text(f'recovery_public_key = "{base64.b64encode(public).decode()}"\n')
    effective = load_policy(it_file, tmp_path / "no-user-settings.toml")
    assert _recovery_key_of(household.directory) is None  # made before IT set the key
    window = make_window(household.directory, policy=effective.policy,
                         managed=effective.locked)

    unlock(qtbot, window)
    box = _offer(qtbot, window)
    assert box.text() == "Add your IT department's recovery key to this vault?"
    assert "forget" in box.informativeText() and "not changed" in box.informativeText()
    _press(box, "&Not now")
    window.lock("test")
    wait_for_background_work()
    assert _recovery_key_of(household.directory) is None  # declined: nothing changed

    unlock(qtbot, window)  # offered again at the next unlock
    heard: list[str] = []
    stop = listen(lambda _source, said: heard.append(said))
    try:
        _press(_offer(qtbot, window), "&Add IT's recovery key")
        qtbot.waitUntil(lambda: window.statusBar().currentMessage() == ADDED, timeout=15_000)
    finally:
        stop()
    assert ADDED in heard
    window.lock("test")
    wait_for_background_work()
    assert _recovery_key_of(household.directory) == public

    unlock(qtbot, window)  # the vault has the key now: nothing to ask
    wait_for_background_work()
    QApplication.processEvents()  # the lane's answer (nothing to add) reaches the window
    assert not any(box.isVisible() for box in window.findChildren(QMessageBox, OBJECT_NAME))
    window.lock("test")
    wait_for_background_work()

    with Vault.recover(household.directory, private, "a new passphrase for Ana's worker"
                       ) as vault:  # IT's private key opens it; the records are all there
        workspace = Workspace.over(vault.connection, actor="test")
        assert {c.id for c in workspace.cases.children()} == {household.ana.id,
                                                               household.tomasz.id}
        assert AuditAction.RECOVERY_KEY_SET in {e.action for e in
                                                workspace.audit.entries(limit=100)}


def test_a_recovery_key_from_the_workers_own_settings_is_never_offered_as_its(
        qtbot: QtBot, household: Household, tmp_path: Path,
        make_window: Callable[..., MainWindow]) -> None:
    """Whoever can write the worker's settings file must not get the vault wrapped to a key
    they hold by the app calling it IT's: only a key IT's policy sets is offered."""
    _private, public = generate_recovery_key_pair()
    it_file = tmp_path / "it-policy.toml"
    it_file.write_text("idle_lock_minutes = 5\n")  # IT sets no recovery key
    user_file = tmp_path / "settings.toml"
    user_file.write_text(f'recovery_public_key = "{base64.b64encode(public).decode()}"\n')
    effective = load_policy(it_file, user_file)
    assert effective.policy.recovery_key_bytes == public  # the worker's file names it
    window = make_window(household.directory, policy=effective.policy,
                         managed=effective.locked)

    unlock(qtbot, window)
    wait_for_background_work()
    QApplication.processEvents()  # the lane's answer (nothing to offer) reaches the window
    assert not window.findChildren(QMessageBox, OBJECT_NAME)
    window.lock("test")
    wait_for_background_work()
    assert _recovery_key_of(household.directory) is None
