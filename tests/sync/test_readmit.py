"""A revoked laptop keeps asking central, sending nothing: IT can let it back in
(`homevisit-central device readmit`), and then it syncs what waited and opens past its grace
period; reported lost after the revoke, it is erased at its next contact, not never."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from desktop_app import session as sessions
from desktop_app.key_lease import LeaseNotRenewed
from desktop_app.policy import Policy
from storage.vault import Vault
from sync.lease import unsent_count_for
from sync.ledger import SyncLedger
from sync.protocol import UNSENT_COUNT_PROTOCOL, TokenRequest
from tests.sync.conftest import unlocked_window, wait_until_synced
from tests.sync.harness import CentralProcess, Laptop, last_line
from tests.sync.test_offline_grace import last_contact_was, unsent_and_visits
from tests.sync.test_sync_thread import enrolled
from tests.vaults import PASSPHRASE
from ui.shell.main_window import MainWindow

pytestmark = pytest.mark.parametrize("central_server", ["sqlite"], indirect=True)


def revoked_with_unsent_work(central: CentralProcess, tmp_path: Path) -> tuple[Laptop, list]:
    laptop = enrolled(central, tmp_path)
    waiting = laptop.submit_visits(2)
    central.command("device", "revoke", str(laptop.device_id))
    refused = laptop.sync()
    assert refused.returncode != 0 and "may no longer sync" in last_line(refused.stderr)
    assert revoked_at(laptop) is not None
    return laptop, waiting


def revoked_at(laptop: Laptop) -> datetime | None:
    with Vault.unlock(laptop.directory, PASSPHRASE) as vault:
        enrollment = SyncLedger(vault.connection).enrollment()
        assert enrollment is not None
        return enrollment.revoked_at


def test_a_readmitted_laptop_syncs_what_waited(central: CentralProcess,
                                               tmp_path: Path) -> None:
    laptop, waiting = revoked_with_unsent_work(central, tmp_path)
    still = laptop.sync()  # asks central again, and sends nothing while refused
    assert still.returncode != 0 and "may no longer sync" in last_line(still.stderr)
    assert central.visit_ids() == []

    said = central.command("device", "readmit", str(laptop.device_id))
    assert "readmitted" in said
    synced = laptop.sync()
    assert synced.returncode == 0, synced.stderr
    assert sorted(central.visit_ids()) == sorted(waiting)
    assert revoked_at(laptop) is None
    audit = central.command("device", "list")
    assert f"{laptop.device_id}\tnorth1\tactive" in audit


def test_revoked_past_its_grace_period_it_opens_once_readmitted(central: CentralProcess,
                                                                tmp_path: Path) -> None:
    laptop, _waiting = revoked_with_unsent_work(central, tmp_path)
    before = unsent_and_visits(laptop)
    last_contact_was(laptop, datetime.now(UTC) - timedelta(days=8))
    grace = Policy(offline_grace_days=7)
    with pytest.raises(LeaseNotRenewed) as refused:
        sessions.unlock(laptop.directory, PASSPHRASE, grace)
    assert "back in at central" in refused.value.user_message
    assert "recovery key" not in refused.value.user_message

    central.command("device", "readmit", str(laptop.device_id))
    with sessions.unlock(laptop.directory, PASSPHRASE, grace):
        pass  # central vouched: the lease renewed
    assert revoked_at(laptop) is None
    assert unsent_and_visits(laptop) == before


def test_reported_lost_after_the_revoke_it_is_erased_at_its_next_sync(
        central: CentralProcess, tmp_path: Path) -> None:
    laptop, _waiting = revoked_with_unsent_work(central, tmp_path)
    central.command("device", "wipe", str(laptop.device_id))
    erased = laptop.sync()
    assert "reported lost" in erased.stderr + erased.stdout
    paths = Vault.paths(laptop.directory)
    assert not paths.key_file.exists() and not paths.database.exists()


def test_the_window_of_a_revoked_laptop_erases_it_when_it_is_reported_lost(
        central: CentralProcess, tmp_path: Path, qtbot: QtBot,
        windows: list[MainWindow]) -> None:
    laptop, _waiting = revoked_with_unsent_work(central, tmp_path)
    central.command("device", "wipe", str(laptop.device_id))
    window = unlocked_window(qtbot, laptop.directory, Policy(sync_interval_minutes=60),
                             windows)
    qtbot.waitUntil(lambda: window.first_run is not None
                    and window.stack.currentWidget() is window.first_run, timeout=60_000)
    paths = Vault.paths(laptop.directory)
    qtbot.waitUntil(lambda: not paths.database.exists(), timeout=30_000)
    assert not paths.key_file.exists()
    told = QApplication.activeModalWidget()
    assert isinstance(told, QMessageBox) and "reported lost" in told.text()
    told.close()


def test_the_window_of_a_revoked_laptop_syncs_again_once_readmitted(
        central: CentralProcess, tmp_path: Path, qtbot: QtBot,
        windows: list[MainWindow]) -> None:
    laptop, waiting = revoked_with_unsent_work(central, tmp_path)
    window = unlocked_window(qtbot, laptop.directory, Policy(sync_interval_minutes=60),
                             windows)
    status = window.sync_status
    qtbot.waitUntil(lambda: status.stopped, timeout=30_000)  # said at unlock, from the vault
    assert "back in at central" in status.toolTip()
    qtbot.waitUntil(lambda: not window.sync_now_action.isEnabled(), timeout=30_000)  # asked
    assert status.stopped and "back in at central" in status.toolTip()
    assert window.connect_action.isEnabled()
    assert QApplication.activeModalWidget() is None  # told in the status bar, not a box

    central.command("device", "readmit", str(laptop.device_id))
    window.lock("test")
    qtbot.waitUntil(lambda: window.services is None, timeout=30_000)
    window.unlock_screen.passphrase.setText(PASSPHRASE)
    with qtbot.waitSignal(window.unlocked, timeout=60_000):
        window.unlock_screen.try_unlock()
    wait_until_synced(qtbot, window)
    assert sorted(central.visit_ids()) == sorted(waiting)
    assert not window.connect_action.isEnabled() and not status.stopped


def test_central_shows_what_waits_on_a_revoked_laptop_at_each_contact(
        central: CentralProcess, tmp_path: Path) -> None:
    laptop, waiting = revoked_with_unsent_work(central, tmp_path)
    listed = central.command("device", "list")
    assert (f"{laptop.device_id}\tnorth1\trevoked ({len(waiting)} records waiting on a "
            "revoked laptop)\t") in listed
    laptop.submit_visits(1)
    before = unsent_and_visits(laptop)
    last_contact_was(laptop, datetime.now(UTC) - timedelta(days=8))
    with pytest.raises(LeaseNotRenewed):  # unlocking past its grace period asks central too
        sessions.unlock(laptop.directory, PASSPHRASE, Policy(offline_grace_days=7))
    assert unsent_and_visits(laptop) == before
    assert (f"revoked ({len(waiting) + 1} records waiting on a revoked laptop)"
            in central.command("device", "list"))
    assert central.command("stats").count("records waiting on refused laptop") == 1


def test_an_older_central_is_not_sent_the_count_it_would_refuse(
        central: CentralProcess, tmp_path: Path) -> None:
    laptop, waiting = revoked_with_unsent_work(central, tmp_path)
    with Vault.unlock(laptop.directory, PASSPHRASE) as vault:
        assert unsent_count_for(vault.connection, UNSENT_COUNT_PROTOCOL) == len(waiting)
        assert unsent_count_for(vault.connection, UNSENT_COUNT_PROTOCOL - 1) is None
    # What the laptop sends when the count is not known: no field for an older central
    # (which refuses fields it does not know) to refuse.
    body = json.loads(TokenRequest(client_assertion="x").model_dump_json(exclude_none=True))
    assert "unsent_records" not in body
