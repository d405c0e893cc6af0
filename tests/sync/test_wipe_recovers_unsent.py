"""A laptop reported lost pushes what central has not got before it erases (issue 16).

Real laptop (`homevisit sync`, real SQLCipher vault) against the real central on PostgreSQL:
visits submitted and unsent, the laptop reported lost with `homevisit-central device wipe`,
its next contact → central has the visits (flagged for a team lead), the vault is erased,
the signed wipe receipt is audited and shown to IT. When the push is refused or central
fails mid-push, the vault is erased all the same and the receipt counts what was lost."""

from __future__ import annotations

import contextlib
import io
import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from central import cli as central_cli
from central.db.models import AuditEntry, Device, VisitRow
from storage.vault import Vault
from tests.sync.harness import CentralProcess, Laptop
from tests.sync.test_sync_thread import enrolled
from tests.sync.test_wipe_order_signed import Impostor, behind

pytestmark = pytest.mark.parametrize("central_server", ["postgresql"], indirect=True)


@pytest.fixture
def impostors() -> Iterator[list[Impostor]]:
    made: list[Impostor] = []
    yield made
    for impostor in made:
        impostor.close()


def erased(laptop: Laptop) -> bool:
    paths = Vault.paths(laptop.directory)
    return not any(p.exists() for p in (paths.key_file, paths.database,
                                        *paths.database_companions))


def device_row(central: CentralProcess, laptop: Laptop) -> Device:
    with central.admin.admin() as session:
        device = session.get(Device, laptop.device_id)
        assert device is not None
        session.expunge(device)
        return device


def wiped_entries(central: CentralProcess, laptop: Laptop) -> list[dict[str, Any]]:
    with central.admin.admin() as session:
        return [entry.detail for entry in session.scalars(select(AuditEntry).where(
            AuditEntry.action == "device.wiped",
            AuditEntry.subject == f"device:{laptop.device_id}"))]


def refused_command(central: CentralProcess, *args: str) -> str:
    """`homevisit-central ARGS` expected to refuse: its message."""
    err = io.StringIO()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
        code = central_cli.main(["--database-url", central.database_url, *args])
    assert code == 1
    return " ".join(err.getvalue().split())


def test_unsent_visits_reach_central_before_the_erase_and_the_receipt_is_audited(
        central: CentralProcess, tmp_path: Path) -> None:
    laptop = enrolled(central, tmp_path)
    visits = laptop.submit_visits(3)
    assert "marked lost" in central.command("device", "wipe", str(laptop.device_id))
    before = datetime.now(UTC)

    told = laptop.sync()

    assert told.returncode == 2
    said = " ".join(told.stderr.split())
    assert "reported lost, so its vault has been erased" in said
    assert "3 records not yet sent reached central, which keeps them" in said
    assert "Nothing you had submitted was lost" in said
    assert "Central has been told what was erased" in said
    assert erased(laptop)
    assert sorted(central.visit_ids()) == sorted(visits)
    with central.admin.admin() as session:
        flags = [row.flags for row in session.scalars(select(VisitRow))]
    assert all("received_from_lost_laptop" in found for found in flags)
    device = device_row(central, laptop)
    assert device.wiped_at is not None and device.wipe_recovered == 3
    assert device.wipe_lost == 0 and device.unsent_records is None
    assert device.last_contact_at is not None and device.last_contact_at >= before
    [receipt] = wiped_entries(central, laptop)
    assert (receipt["pushed"], receipt["unsent"], receipt["refused"]) == (3, 0, 0)
    assert receipt["visits"] == 3 and receipt["outbox_high_water"] >= 3
    assert receipt["push_problem"] is None

    listed = central.command("device", "list")
    assert "wiped at " in listed
    assert "3 records recovered before the erase, 0 lost" in listed
    stats = json.loads(central.command("stats", "--json"))
    assert stats["lost_laptops"][str(laptop.device_id)]["recovered_records"] == 3
    assert "lost laptop" in central.command("stats")
    refusal = refused_command(central, "device", "readmit", str(laptop.device_id))
    assert "enroll it anew" in refusal and "vault opens" not in refusal
    assert device_row(central, laptop).status == "wipe"  # nothing changed


@pytest.mark.parametrize(("status", "body"), [
    (401, {"error": "invalid_token", "message": "No."}),  # refused: not worth a retry
    (503, {"error": "database_unavailable", "message": "Down."}),  # retried, still failing
])
def test_a_refused_push_still_erases_and_the_receipt_counts_what_was_lost(
        central: CentralProcess, tmp_path: Path, impostors: list[Impostor], status: int,
        body: dict[str, str]) -> None:
    laptop = enrolled(central, tmp_path)
    laptop.submit_visits(2)
    central.command("device", "wipe", str(laptop.device_id))
    impostors.append(impostor := Impostor(
        lambda path: (status, body) if path.startswith("/v1/sync/push") else None,
        relay_to=central.url))
    behind(laptop, impostor)

    told = laptop.sync()

    assert told.returncode == 2
    said = " ".join(told.stderr.split())
    assert "2 records could not be sent and were erased with the vault" in said
    assert "tell your team lead which visits to record again" in said
    assert "Central has been told what was erased" in said
    assert erased(laptop)
    assert impostor.paths.count("/v1/wipe-receipt") == 1
    assert central.visit_ids() == []
    device = device_row(central, laptop)
    assert device.wiped_at is not None and device.wipe_recovered == 0
    assert device.wipe_lost == 2
    [receipt] = wiped_entries(central, laptop)
    assert receipt["unsent"] == 2 and receipt["pushed"] == 0
    assert receipt["push_problem"]
    assert "0 records recovered before the erase, 2 lost" in central.command("device", "list")


@pytest.mark.expect_log("could not push or count before the erase")
def test_an_unexpected_failure_before_the_erase_never_cancels_it(
        central: CentralProcess, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A locked or damaged vault while pushing: the erase happens all the same."""
    import sqlite3

    from sync.engine import SyncEngine

    def locked(self: SyncEngine, order: object) -> object:
        raise sqlite3.OperationalError("database is locked")

    laptop = enrolled(central, tmp_path)
    laptop.submit_visits(1)
    central.command("device", "wipe", str(laptop.device_id))
    monkeypatch.setattr(SyncEngine, "push_before_erase", locked)

    told = laptop.sync()

    assert told.returncode == 2, told.stdout + told.stderr
    assert erased(laptop)
    assert "Traceback" not in told.stderr
