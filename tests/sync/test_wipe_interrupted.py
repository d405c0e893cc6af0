"""An erase central ordered, interrupted by a killed process after the keys were destroyed:
nothing can be read in between, the vault says why it will not open (not "use the recovery
key"), and the next unlock or start of the app finishes the erase and says so."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from desktop_app import session as sessions
from desktop_app.app import build_window
from desktop_app.failures import UserFacingError
from desktop_app.policy import Policy
from storage.errors import VaultErasureUnfinished
from storage.vault import Vault
from tests.ui.conftest import PASSPHRASE, make_household_vault
from ui.shell.main_window import MainWindow

ROOT = Path(__file__).resolve().parents[2]

# Erases the vault, and stops for good between the keys and the database: the test kills
# it there, as a crash or a pulled plug would.
ERASE_AND_HANG = """
import sys, time
from pathlib import Path
from sync.wipe import erase_vault

def hang() -> None:
    print("keys destroyed", flush=True)
    time.sleep(120)

erase_vault(Path(sys.argv[1]), hang)
"""


def killed_mid_erase(directory: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    with subprocess.Popen([sys.executable, "-c", ERASE_AND_HANG, str(directory)],
                          cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True) as child:
        try:
            assert child.stdout is not None
            assert child.stdout.readline().strip() == "keys destroyed"
        finally:
            child.send_signal(signal.SIGKILL)
            child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL


@pytest.fixture
def half_erased(tmp_path: Path) -> Path:
    directory = tmp_path / "vault"
    make_household_vault(directory)
    killed_mid_erase(directory)
    paths = Vault.paths(directory)
    assert not paths.key_file.exists()
    assert paths.database.exists() and paths.erase_ordered.exists()
    return directory


def vault_files(directory: Path) -> list[str]:
    return sorted(path.name for path in directory.iterdir())


def test_a_half_erased_vault_refuses_to_open_and_says_why(half_erased: Path) -> None:
    with pytest.raises(VaultErasureUnfinished) as refused:
        Vault.unlock(half_erased, PASSPHRASE)
    message = refused.value.user_message
    assert "erase that did not finish" in message and "nobody can read" in message
    assert "recovery key" not in message
    assert Vault.paths(half_erased).database.exists()  # storage alone does not erase


def test_the_next_unlock_finishes_the_erase_and_says_so(half_erased: Path) -> None:
    with pytest.raises(sessions.ErasureFinished) as finished:
        sessions.unlock(half_erased, PASSPHRASE, Policy())
    assert "has now been finished" in finished.value.user_message
    assert "tell IT" in finished.value.user_message
    assert finished.value.vault_erased
    assert vault_files(half_erased) == []
    assert not Vault.exists(half_erased)
    with sessions.create_vault(half_erased, PASSPHRASE, Policy()):  # first run works again
        pass


def test_an_erase_that_still_cannot_finish_says_what_is_left(half_erased: Path) -> None:
    paths = Vault.paths(half_erased)
    paths.database.unlink()
    paths.database.mkdir()  # something the erase cannot unlink
    (paths.database / "held").write_text("held open elsewhere")
    with pytest.raises(UserFacingError) as refused:
        sessions.unlock(half_erased, PASSPHRASE, Policy())
    assert not isinstance(refused.value, sessions.ErasureFinished)
    assert f"delete the folder {half_erased}" in refused.value.user_message
    assert paths.erase_ordered.exists()  # tried again at the next start


def test_a_recovery_attempt_finishes_the_erase_too(half_erased: Path) -> None:
    with pytest.raises(sessions.ErasureFinished):
        sessions.recover(half_erased, b"\x00" * 32, "a new passphrase long enough", Policy())
    assert vault_files(half_erased) == []


def test_starting_the_app_finishes_the_erase_and_turns_to_first_run(
        half_erased: Path, qtbot: QtBot, windows: list[MainWindow],
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("HOMEVISIT_SETTINGS_FILE", str(tmp_path / "settings.toml"))
    _app, window = build_window(half_erased, listen_to_desktop=False)
    windows.append(window)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.first_run is not None, timeout=30_000)
    assert window.stack.currentWidget() is window.first_run
    assert vault_files(half_erased) == []
    boxes = [w for w in QApplication.topLevelWidgets()
             if isinstance(w, QMessageBox) and w.isVisible()]
    assert any("has now been finished" in box.text() for box in boxes)
    for box in boxes:
        box.close()


def test_first_run_over_an_erase_that_could_not_finish_finishes_it_and_creates(
        half_erased: Path) -> None:
    with sessions.create_vault(half_erased, PASSPHRASE, Policy()) as made:
        assert made.workspace.cases.cases() == []
    assert not Vault.paths(half_erased).erase_ordered.exists()


# --- an order's file planted by someone who can write to the folder ----------------------


def test_an_order_file_beside_intact_keys_erases_nothing(tmp_path: Path) -> None:
    directory = tmp_path / "vault"
    make_household_vault(directory)
    paths = Vault.paths(directory)
    paths.erase_ordered.write_text("")  # planted: no erase ever began
    before = vault_files(directory)
    with sessions.unlock(directory, PASSPHRASE, Policy()) as opened:
        assert len(opened.workspace.cases.cases()) == 1
    assert not paths.erase_ordered.exists()
    assert vault_files(directory) == sorted(set(before) - {paths.erase_ordered.name})


def test_links_in_the_folder_are_removed_never_followed(tmp_path: Path) -> None:
    directory = tmp_path / "vault"
    make_household_vault(directory)
    paths = Vault.paths(directory)
    victim = tmp_path / "someone-elses-file.txt"
    victim.write_text("must survive")
    paths.key_file.unlink()  # keys gone, as after an interrupted erase
    leftover = directory / f".{paths.key_file.name}.x1y2.tmp"
    leftover.symlink_to(victim)
    paths.erase_ordered.symlink_to(victim)
    with pytest.raises(sessions.ErasureFinished):
        sessions.unlock(directory, PASSPHRASE, Policy())
    assert victim.read_text() == "must survive"
    assert vault_files(directory) == []


def test_an_order_written_through_a_planted_link_is_refused(tmp_path: Path) -> None:
    from sync.wipe import destroy_key_slots

    directory = tmp_path / "vault"
    make_household_vault(directory)
    paths = Vault.paths(directory)
    target = tmp_path / "not-there-yet.txt"
    paths.erase_ordered.symlink_to(target)  # dangling: a write through it would create it
    destroy_key_slots(directory)  # the order exists (as a link): keys go, nothing written
    assert not target.exists() and not paths.key_file.exists()


def test_a_hard_link_in_place_of_the_keys_is_removed_not_overwritten(tmp_path: Path) -> None:
    from sync.wipe import destroy_key_slots

    directory = tmp_path / "vault"
    make_household_vault(directory)
    paths = Vault.paths(directory)
    victim = tmp_path / "someone-elses-file.txt"
    victim.write_text("must survive")
    paths.key_file.unlink()
    paths.key_file.hardlink_to(victim)
    destroy_key_slots(directory)
    assert victim.read_text() == "must survive" and not paths.key_file.exists()
