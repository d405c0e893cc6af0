"""A team lead's sync thread indexes what it pulled before the window hears of it: when
`synced` arrives, the visits are in the review queue with their flags, nothing pending."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from desktop_app.policy import Policy
from desktop_app.sync_thread import SyncThread
from storage.review_queries import ReviewQueries
from storage.vault import Vault
from tests.sync.harness import CentralProcess, Laptop
from tests.vaults import PASSPHRASE


@pytest.mark.parametrize("central_server", ["sqlite"], indirect=True)  # database-neutral
def test_the_team_leads_sync_thread_indexes_the_pulled_visits(
        central: CentralProcess, tmp_path: Path, qtbot: QtBot) -> None:
    central.admin.world()
    worker = Laptop.create(tmp_path, "north1")
    assert worker.enroll(central.url, central.admin.invite("north1")).returncode == 0
    assert worker.sync().returncode == 0
    sent = worker.submit_visits(3)
    assert worker.sync().returncode == 0
    lead = Laptop.create(tmp_path, "northlead")
    assert lead.enroll(central.url, central.admin.invite("northlead")).returncode == 0
    with Vault.unlock(lead.directory, PASSPHRASE) as vault:
        thread = SyncThread(vault, Policy(sync_interval_minutes=60))
        with qtbot.waitSignal(thread.synced, timeout=60_000) as synced:
            thread.start()
        assert synced.args[0].pulled >= 3
        conn = vault.connection
        assert conn.execute("SELECT count(*) FROM review_pending").fetchone()[0] == 0
        queue = ReviewQueries(conn).queue_page(0, 10)
        assert sorted(row.visit_id for row in queue) == sorted(sent)
        assert ReviewQueries(conn).queue_count() == 3
        with qtbot.waitSignal(thread.stopped, timeout=60_000):
            thread.stop()
        assert thread.wait(10_000)
