"""A worker's laptop, central and a team lead's laptop, all real, as they meet in the field.

Central runs as `homevisit-central serve` in its own process on SQLite and on PostgreSQL;
laptops are real vaults driven through the `homevisit` command.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from storage.errors import VaultMissing
from storage.outbox import OperationStatus
from storage.vault import Vault
from sync.ledger import SyncLedger
from sync.protocol import ChangeKind
from tests.sync.harness import CentralProcess, Laptop, last_line
from tests.vaults import PASSPHRASE


def enrolled(central: CentralProcess, root: Path, username: str,
             settings: str = "") -> Laptop:
    laptop = Laptop.create(root, username, settings)
    result = laptop.enroll(central.url, central.admin.invite(username))
    assert result.returncode == 0, result.stderr
    assert f"for {username}" in result.stdout
    return laptop


def test_visits_recorded_offline_reach_the_team_lead_once(central: CentralProcess,
                                                          tmp_path: Path) -> None:
    central.admin.world()
    worker = enrolled(central, tmp_path, "north1")
    first = worker.sync()
    assert first.returncode == 0, first.stderr
    assert "received 1" in first.stdout  # the child allocated to north1, with the case

    central.kill()
    visit_ids = worker.submit_visits(3)
    offline = worker.sync()
    assert offline.returncode != 0
    assert "Synced 0, waiting 3, quarantined 0." in offline.stdout
    message = last_line(offline.stderr)
    assert "could not be reached" in message and "Nothing was lost" in message

    central.start()
    back = worker.sync()
    assert back.returncode == 0, back.stderr
    assert "Sent 3" in back.stdout and "Everything is synced." in back.stdout
    again = worker.sync()
    assert again.returncode == 0 and "Sent 0" in again.stdout
    assert sorted(central.visit_ids()) == sorted(visit_ids)
    assert central.operation_count(worker.device_id) == 3

    lead = enrolled(central, tmp_path, "northlead")
    pulled = lead.sync()
    assert pulled.returncode == 0, pulled.stderr
    with lead.workspace() as workspace:
        ledger = SyncLedger(workspace.outbox._conn)
        received = ledger.received(ChangeKind.VISIT)
    assert sorted(record_id for record_id, _, _ in received) == sorted(visit_ids)
    for _, record, _ in received:
        assert json.loads(record)["worker"] == "J. Okafor"

    with worker.workspace() as workspace:
        counts = workspace.outbox.counts()
        assert counts[OperationStatus.SYNCED] == 3
        assert all(workspace.visits.is_intact(v) for v in visit_ids)
        ledger = SyncLedger(workspace.outbox._conn)
        receipts = [ledger.receipt(op.op_id) for op in workspace.outbox.operations()]
        enrollment = ledger.enrollment()
        assert enrollment is not None
        assert all(r is not None and r.is_signed_by(enrollment.receipt_public_key)
                   for r in receipts)
    check = worker.run("vault", "check", "--vault", str(worker.directory))
    assert check.returncode == 0, check.stdout


def test_a_laptop_reported_lost_erases_its_vault_key_slots_first(central: CentralProcess,
                                                                  tmp_path: Path) -> None:
    central.admin.world()
    worker = enrolled(central, tmp_path, "north1")
    assert worker.sync().returncode == 0
    worker.submit_visits(2)
    central.set_device_status(worker.device_id, "wipe")
    result = worker.sync()
    assert result.returncode != 0
    assert "reported lost" in result.stderr and "has been erased" in result.stderr
    paths = Vault.paths(worker.directory)
    left = [p.name for p in (paths.key_file, paths.database, *paths.database_companions)
            if p.exists()]
    assert left == []
    with pytest.raises(VaultMissing):
        Vault.unlock(worker.directory, PASSPHRASE)


def test_a_revoked_laptop_stops_syncing_and_keeps_every_visit(central: CentralProcess,
                                                               tmp_path: Path) -> None:
    central.admin.world()
    worker = enrolled(central, tmp_path, "north1")
    assert worker.sync().returncode == 0
    visit_ids = worker.submit_visits(2)
    central.set_device_status(worker.device_id, "revoked")
    refused = worker.sync()
    assert refused.returncode != 0
    assert "may no longer sync" in last_line(refused.stderr)
    assert "nothing has been lost" in last_line(refused.stderr)
    again = worker.sync()  # asked again, sending nothing: still refused
    assert again.returncode != 0 and "may no longer sync" in again.stderr
    assert central.visit_ids() == []
    with worker.workspace() as workspace:
        assert all(workspace.visits.is_intact(v) for v in visit_ids)
        assert workspace.outbox.unsent_count() == 2
        enrollment = SyncLedger(workspace.outbox._conn).enrollment()
        assert enrollment is not None and enrollment.revoked_at is not None

    # Another central would receipt the unsent visits against its own key: refused, unsent.
    elsewhere = worker.enroll("https://another-central.example.org", "AAAAA-BBBBB")
    assert elsewhere.returncode != 0
    assert "may only enroll again there" in last_line(elsewhere.stderr)
    # IT gives a new code from the worker's own central: what waited is sent.
    assert worker.enroll(central.url, central.admin.invite("north1")).returncode == 0
    assert worker.sync().returncode == 0
    assert sorted(central.visit_ids()) == sorted(visit_ids)


@pytest.mark.parametrize("central_server", ["sqlite"], indirect=True)  # database-neutral
def test_a_poisoned_record_is_quarantined_and_the_rest_sync(central: CentralProcess,
                                                            tmp_path: Path) -> None:
    central.admin.world()
    worker = enrolled(central, tmp_path, "north1")
    assert worker.sync().returncode == 0
    first, poisoned, last = worker.submit_visits(3)
    with worker.workspace() as workspace:
        conn = workspace.outbox._conn
        (op,) = workspace.outbox.for_subject(poisoned)
        assert op.payload is not None
        payload = {**op.payload, "signature": op.payload["signature"][::-1]}
        conn.execute("UPDATE outbox_records SET payload = ? WHERE sequence = ?",
                     (json.dumps(payload), op.sequence))
    result = worker.sync()
    assert result.returncode == 1, result.stderr
    assert "Synced 2, waiting 0, quarantined 1." in result.stdout
    assert sorted(central.visit_ids()) == sorted([first, last])
    with worker.workspace() as workspace:
        (op,) = workspace.outbox.for_subject(poisoned)
        assert op.status is OperationStatus.QUARANTINED
        assert op.last_error is not None and op.last_error.startswith("bad_signature: ")
        assert workspace.visits.get(poisoned) is not None
    still = worker.sync()  # the quarantined op stays, shown, and never blocks the queue
    assert still.returncode == 1 and "quarantined 1." in still.stdout


@pytest.mark.parametrize("central_server", ["sqlite"], indirect=True)  # database-neutral
def test_photos_reach_central_before_their_visit(central: CentralProcess,
                                                 tmp_path: Path) -> None:
    from sqlalchemy import select

    from central.db.models import Attachment
    from tests.factories import make_visit

    central.admin.world()
    worker = enrolled(central, tmp_path, "north1")
    assert worker.sync().returncode == 0
    photo = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40
    with worker.workspace() as workspace:
        case = workspace.cases.cases()[0]
        visit = make_visit(case, workspace.cases.children(case.id))
        workspace.visits.save_draft(visit)
        stored = workspace.attachments.add(photo, visit_id=visit.id)
        workspace.visits.submit(visit)
    result = worker.sync()
    assert result.returncode == 0, result.stderr
    with central.admin.admin() as session:
        hashes = list(session.scalars(select(Attachment.sha256)))
    assert stored.sha256 in hashes
    assert central.visit_ids() == [visit.id]


@pytest.mark.parametrize("central_server", ["sqlite"], indirect=True)  # database-neutral
def test_receipted_visits_older_than_policy_leave_the_laptop(central: CentralProcess,
                                                             tmp_path: Path) -> None:
    central.admin.world()
    worker = enrolled(central, tmp_path, "north1", settings="days_on_device = 3\n")
    assert worker.sync().returncode == 0
    central.kill()
    kept = worker.submit_visits(2)  # submitted "a week ago" (the test clock)
    assert worker.sync().returncode != 0
    with worker.workspace() as workspace:  # not receipted: nothing may be purged
        assert all(workspace.visits.get(v) is not None for v in kept)
    central.start()
    result = worker.sync()
    assert result.returncode == 0, result.stderr
    assert "removed from this laptop 2" in result.stdout
    with worker.workspace() as workspace:
        assert all(workspace.visits.get(v) is None for v in kept)
        assert SyncLedger(workspace.outbox._conn).receipt_count() == 2
    assert sorted(central.visit_ids()) == sorted(kept)
    check = worker.run("vault", "check", "--vault", str(worker.directory))
    assert check.returncode == 0, check.stdout
