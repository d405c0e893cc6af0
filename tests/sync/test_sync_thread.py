"""The app's sync thread against a real central: results arrive as signals on the UI
thread, "Sync now" wakes it at once, and a wipe order destroys the key slots there."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from desktop_app.policy import Policy
from desktop_app.sync_thread import SyncThread, erase_after_wipe_order
from storage.vault import Vault
from sync.engine import SyncReport
from sync.errors import WipeOrdered
from tests.sync.harness import CentralProcess, Laptop
from tests.vaults import PASSPHRASE

# A long interval: anything sooner than an hour can only come from `sync_now`.
POLICY = Policy(sync_interval_minutes=60)


def enrolled(central: CentralProcess, tmp_path: Path) -> Laptop:
    central.admin.world()
    laptop = Laptop.create(tmp_path, "north1")
    assert laptop.enroll(central.url, central.admin.invite("north1")).returncode == 0
    assert laptop.sync().returncode == 0
    return laptop


@pytest.mark.parametrize("central_server", ["sqlite"], indirect=True)  # database-neutral
def test_sync_runs_beside_the_window_and_sync_now_wakes_it(
        central: CentralProcess, tmp_path: Path, qtbot: QtBot) -> None:
    laptop = enrolled(central, tmp_path)
    first = laptop.submit_visits(2)
    with Vault.unlock(laptop.directory, PASSPHRASE) as vault:
        thread = SyncThread(vault, POLICY)
        with qtbot.waitSignal(thread.synced, timeout=60_000) as synced:
            thread.start()
        report: SyncReport = synced.args[0]
        assert report.pushed == 2 and report.everything_synced
        assert sorted(central.visit_ids()) == sorted(first)

        second = laptop.submit_visits(1)  # e.g. the worker submits another visit
        with qtbot.waitSignal(thread.synced, timeout=60_000) as synced:
            thread.sync_now()
        assert synced.args[0].pushed == 1
        assert sorted(central.visit_ids()) == sorted(first + second)

        with qtbot.waitSignal(thread.stopped, timeout=60_000) as stopped:
            thread.stop()
        assert stopped.args[0] is None
        assert thread.wait(10_000)


@pytest.mark.parametrize("central_server", ["sqlite"], indirect=True)  # database-neutral
def test_a_wipe_order_reaches_the_window_with_the_key_slots_already_gone(
        central: CentralProcess, tmp_path: Path, qtbot: QtBot) -> None:
    laptop = enrolled(central, tmp_path)
    unsent = laptop.submit_visits(1)
    central.set_device_status(laptop.device_id, "wipe")
    paths = Vault.paths(laptop.directory)
    vault = Vault.unlock(laptop.directory, PASSPHRASE)
    thread = SyncThread(vault, POLICY)
    told: list[str] = []
    thread.wipe_ordered.connect(told.append)
    with qtbot.waitSignal(thread.stopped, timeout=60_000) as stopped:
        thread.start()
    assert len(told) == 1 and "reported lost" in told[0]
    # Pushed before the erase, and the worker is told so; central has the receipt.
    assert "1 record not yet sent reached central" in told[0]
    assert "Central has been told what was erased" in told[0]
    assert central.visit_ids() == unsent
    assert isinstance(stopped.args[0], WipeOrdered)
    assert not paths.key_file.exists()
    assert thread.wait(10_000)
    erase_after_wipe_order(laptop.directory, vault)
    assert not any(p.exists() for p in (paths.database, *paths.database_companions))
