"""The team lead's dashboard says what became of a lost laptop's wipe (issue 16).

Real laptops (`homevisit sync`, real SQLCipher vaults) against the in-process central on
PostgreSQL: a worker's laptop with unsent visits is reported lost (`homevisit-central device
wipe`); the team lead's pull then carries the outcome (`wipes=true`) into their vault, and
the dashboard's last-sync cell reads "wipe ordered, not yet done" until the laptop has
erased and sent its receipt, then "wiped at …, N records recovered before the erase, M lost".
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from desktop_app.policy import Policy
from desktop_app.review_services import VaultReviewServices
from desktop_app.session import Session
from records.contracts import WorkerLoad
from storage.review_queries import ReviewQueries
from storage.vault import Vault
from storage.workspace import Workspace
from tests.sync.harness import CentralProcess, Laptop
from tests.sync.test_end_to_end import enrolled
from tests.sync.test_wipe_recovers_unsent import device_row, erased
from tests.vaults import PASSPHRASE
from ui.review.review_screen import ReviewScreen

pytestmark = pytest.mark.parametrize("central_server", ["postgresql"], indirect=True)


def north1(lead: Laptop) -> WorkerLoad:
    with lead.workspace() as workspace:
        dashboard = ReviewQueries(workspace.outbox._conn).dashboard(date.today())
    (load,) = [w for w in dashboard.workers if w.worker == "north1"]
    return load


def last_sync_cell(lead: Laptop) -> str:
    """north1's last-sync cell on the real review screen over the lead's own vault."""
    with Vault.unlock(lead.directory, PASSPHRASE) as vault:
        workspace = Workspace.over(vault.connection, actor="northlead")
        services = VaultReviewServices(Session(vault, workspace), Policy())
        screen = ReviewScreen(services, date.today())
        try:
            dashboard = services.dashboard()
            screen.show_dashboard(dashboard)
            # The row names the worker as the team lead knows them (their name once a visit
            # of theirs has arrived), not by username.
            (shown,) = [w.who for w in dashboard.workers if w.worker == "north1"]
            for row in range(screen.workers.rowCount()):
                name, cell = screen.workers.item(row, 0), screen.workers.item(row, 8)
                if name is not None and cell is not None and name.text() == shown:
                    return cell.text()
        finally:
            screen.deleteLater()
    raise AssertionError("north1 is not on the dashboard")


def test_the_team_lead_sees_the_wipe_ordered_then_done_with_what_it_cost(
        central: CentralProcess, tmp_path: Path, qapp: QApplication) -> None:
    central.admin.world()
    worker = enrolled(central, tmp_path, "north1")
    assert worker.sync().returncode == 0
    worker.submit_visits(1)
    assert worker.sync().returncode == 0  # one visit central has, so the lead indexes it
    worker.submit_visits(3)  # three it has not
    lead = enrolled(central, tmp_path, "northlead")
    assert lead.sync().returncode == 0
    assert north1(lead).laptop_wipes == ()

    assert "marked lost" in central.command("device", "wipe", str(worker.device_id))
    assert lead.sync().returncode == 0
    (ordered,) = north1(lead).laptop_wipes
    assert ordered.wiped_at is None and ordered.lost is None
    assert "laptop reported lost: wipe ordered, not yet done" in last_sync_cell(lead)
    assert "wiped at" not in last_sync_cell(lead)
    assert "revoked" not in last_sync_cell(lead)  # lost is said once, as lost

    assert worker.sync().returncode == 2
    assert erased(worker)
    assert lead.sync().returncode == 0

    (done,) = north1(lead).laptop_wipes
    device = device_row(central, worker)
    assert done.wiped_at == device.wiped_at
    assert (done.recovered, done.lost) == (3, 0)
    cell = last_sync_cell(lead)
    assert ", 3 records recovered before the erase, 0 lost" in cell
    assert "; laptop wiped at " in cell
    assert "not yet done" not in cell and "revoked" not in cell
