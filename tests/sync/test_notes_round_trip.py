"""Issue 13 end to end: facts between visits reach those who must join them up.

A real central process (SQLite and PostgreSQL), a worker's laptop, the team lead's laptop and
another team's lead, synced through the real `homevisit sync`; a police notification
imported by IT through the real `homevisit-central notification import`.
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select

from central.db.models import CaseNoteRow
from records.canonical import hash_bytes
from records.case_notes import AgencyKind, Supervision
from storage.vault import Vault
from sync.ledger import SyncLedger
from sync.protocol import ChangeKind, PushReceiptBody, b64encode
from tests.factories import make_notification
from tests.sync.harness import CentralProcess
from tests.sync.test_end_to_end import enrolled
from tests.sync.test_wipe_order_signed import (
    HEALTHY,
    Impostor,
    behind,
    central_receipt_key,
    impostors,
)
from tests.vaults import PASSPHRASE, FixedClock

__all__ = ["impostors"]

NOW = datetime(2026, 11, 16, 18, 0, tzinfo=UTC)
POLICE_CSV = (
    "case_reference,child_ids,source,kind,received_on,summary,child_seen_on,entered_by\n"
    "CP-1,N1,West Midlands Police,police_domestic_abuse,2026-11-15,"
    "\"Called to the flat at 02:10; mother's partner arrested; Ana awake, not injured.\","
    "2026-11-15,MASH (R. Khan)\n")


def test_a_workers_note_and_a_police_notification_reach_the_worker_and_team_lead(
        central: CentralProcess, tmp_path: Path) -> None:
    central.admin.world()
    worker = enrolled(central, tmp_path, "north1")
    assert worker.sync().returncode == 0
    with worker.workspace(FixedClock(NOW)) as workspace:
        case = workspace.cases.cases()[0]
        (ana,) = workspace.cases.children(case.id)
        school = make_notification(case, [ana], kind=AgencyKind.SCHOOL_CONCERN,
                                   source="Elm Row Primary, DSL Mrs Price",
                                   summary="Ana came in hungry three days running.",
                                   reports_food_or_weight=True)
        workspace.notes.record(school)
    sent = worker.sync()
    assert sent.returncode == 0, sent.stderr
    assert "Sent 1" in sent.stdout and "Everything is synced." in sent.stdout

    police_file = tmp_path / "police.csv"
    police_file.write_text(POLICE_CSV, encoding="utf-8")
    said = central.command("notification", "import", str(police_file))
    assert "Imported 1 notification from" in said

    received = worker.sync()
    assert received.returncode == 0, received.stderr
    with worker.workspace(FixedClock(NOW)) as workspace:
        notes = workspace.notes.notes_for_child(ana.id)
        assert [(n.note.kind, n.made_here) for n in notes] == [  # type: ignore[union-attr]
            (AgencyKind.SCHOOL_CONCERN, True), (AgencyKind.POLICE_DOMESTIC_ABUSE, False)]
        assert notes[1].submitted_by == "central" and notes[1].note.entered_by == "MASH (R. Khan)"

    lead = enrolled(central, tmp_path, "northlead")
    pulled = lead.sync()
    assert pulled.returncode == 0, pulled.stderr
    clock = FixedClock(NOW)
    with lead.indexed(clock) as (workspace, index):
        history = index.history(ana.id)
        assert history is not None
        assert {n.id for n in history.notes} == {n.note.id for n in notes}
        # The team lead records supervision; it reaches the worker's laptop.
        supervision = Supervision(id=make_notification(case, [ana]).id, case_id=case.id,
                                  child_ids=(ana.id,), supervised_on=NOW.date(),
                                  supervisor="R. Lead", summary="Police call-out discussed.",
                                  entered_by="R. Lead", entered_at=NOW)
        workspace.notes.record(supervision)
    assert "Sent 1" in lead.sync().stdout
    assert worker.sync().returncode == 0
    with worker.workspace(FixedClock(NOW)) as workspace:
        assert supervision.id in {n.note.id for n in workspace.notes.notes_for_child(ana.id)}

    other_team = enrolled(central, tmp_path, "southlead")
    assert other_team.sync().returncode == 0
    with other_team.workspace() as workspace:
        assert SyncLedger(workspace.outbox._conn).received(ChangeKind.NOTE) == []


def test_notes_wait_on_the_laptop_for_a_central_that_does_not_take_them_yet(
        central: CentralProcess, tmp_path: Path, impostors: list[Impostor]) -> None:
    central.admin.world()
    worker = enrolled(central, tmp_path, "north1")
    assert worker.sync().returncode == 0
    (visit_id,) = worker.submit_visits(1)
    with worker.workspace(FixedClock(NOW)) as workspace:
        case = workspace.cases.cases()[0]
        note = make_notification(case, workspace.cases.children(case.id))
        workspace.notes.record(note)
    # A central of 6 takes notes, but not an agency note's answers, which this laptop writes.
    protocol_6 = {**HEALTHY, "protocol_version": 6}
    impostors.append(older := Impostor(
        lambda path: (200, protocol_6) if path == "/v1/health" else None, relay_to=central.url))
    behind(worker, older)
    first = worker.sync()
    assert first.returncode == 1, first.stderr  # not everything synced: the note waits
    assert "Sent 1" in first.stdout and "waiting 1, quarantined 0" in first.stdout
    assert central.visit_ids() == [visit_id]
    with central.admin.admin() as session:
        assert session.scalars(select(CaseNoteRow.id)).all() == []  # never sent
    pulls = [p for p in older.paths if p.startswith("/v1/sync/pull")]
    assert pulls and all("notes=true" in p for p in pulls)  # asked; an older one ignores it

    with Vault.unlock(worker.directory, PASSPHRASE) as vault:  # central is upgraded
        vault.connection.execute("UPDATE sync_state SET server_url = ?", (central.url,))
    upgraded = worker.sync()
    assert upgraded.returncode == 0, upgraded.stderr
    assert "Sent 1" in upgraded.stdout and "Everything is synced." in upgraded.stdout
    with central.admin.admin() as session:
        assert session.scalars(select(CaseNoteRow.id)).all() == [note.id]


def test_bytes_central_signed_that_are_not_a_note_are_not_taken_for_one(
        central: CentralProcess, tmp_path: Path, impostors: list[Impostor]) -> None:
    """Central's receipt key signs notes entered at central, and receipts. Whoever can answer
    in central's place and has a receipt to hand cannot pass it off as an entered note: the
    laptop keeps only a signed note, and the rest of the page is applied."""
    central.admin.world()
    worker = enrolled(central, tmp_path, "north1")
    assert worker.sync().returncode == 0
    police_file = tmp_path / "police.csv"
    police_file.write_text(POLICE_CSV, encoding="utf-8")
    assert "Imported 1 notification from" in central.command(
        "notification", "import", str(police_file))
    key = central_receipt_key(central)
    receipt = PushReceiptBody(device_id=uuid.uuid4(), ops=[]).signed_bytes()

    def receipt_for_the_note(path: str, data: bytes) -> bytes:
        if not path.startswith("/v1/sync/pull"):
            return data
        page = json.loads(data)
        for change in page["changes"]:
            if change["kind"] == "note":
                change.update(record=receipt.decode(), record_hash=hash_bytes(receipt),
                              signature=b64encode(key.sign(receipt)))
        return json.dumps(page).encode()

    impostors.append(impostor := Impostor(lambda _path: None, central.url, receipt_for_the_note))
    behind(worker, impostor)
    pulled = worker.sync()
    assert pulled.returncode == 0, pulled.stderr
    with worker.workspace() as workspace:
        ledger = SyncLedger(workspace.outbox._conn)
        assert ledger.received(ChangeKind.NOTE) == []
        assert ledger.received(ChangeKind.VISIT) == []
        enrollment = ledger.enrollment()
        assert enrollment is not None and enrollment.pull_cursor > 0
