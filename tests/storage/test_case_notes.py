"""Notes between visits in a real vault: recorded and signed in one go, never changed, and
read back with the notes pulled from central, each once."""

from __future__ import annotations

import base64
import json
import sqlite3
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
import sqlcipher3

from records.canonical import canonical_json, hash_bytes
from records.case_notes import Supervision
from records.contracts import OperationKind
from storage import case_notes
from storage.audit import AuditAction, verify_chain
from storage.case_notes import NoteAlreadyRecorded, NoteRefused
from storage.device import signature_is_valid
from storage.workspace import Workspace
from sync.ledger import SyncLedger
from sync.protocol import Change, ChangeKind
from tests.factories import NOW, make_case, make_child, make_notification
from tests.vaults import add_to_caseload, open_workspace

DATABASE_ERRORS = (sqlite3.DatabaseError, sqlcipher3.DatabaseError)


@pytest.fixture
def workspace(tmp_path: Path) -> Iterator[Workspace]:
    with open_workspace(tmp_path / "vault") as opened:
        yield opened


def test_a_note_is_signed_and_queued_with_its_audit_entry_in_one_go(
        workspace: Workspace) -> None:
    case = make_case()
    ana, tomasz = make_child(case), make_child(case, given_name="Tomasz")
    add_to_caseload(workspace, case, ana, tomasz)
    note = make_notification(case, [ana, tomasz])
    stored = workspace.notes.record(note)

    frozen = canonical_json(note)
    assert stored.record_hash == hash_bytes(frozen)
    assert stored.signature is not None
    assert signature_is_valid(workspace.device.public_key, frozen, stored.signature)
    assert workspace.notes.is_intact(note.id)
    (op,) = workspace.outbox.operations()
    assert op.kind is OperationKind.ADD_NOTE and op.subject_id == str(note.id)
    assert op.payload is not None
    assert op.payload["kind"] == "note" and op.payload["record"] == frozen.decode()
    assert base64.b64decode(op.payload["signature"]) == stored.signature
    entries = [e for e in workspace.audit.entries() if e.action is AuditAction.NOTE_RECORDED]
    assert [(e.subject_kind, e.subject_id) for e in entries] == [("case", str(case.id))]
    conn = workspace.outbox._conn
    audit_text = json.dumps(conn.execute("SELECT * FROM audit_log").fetchall())
    assert "Police" not in audit_text and "shouting" not in audit_text
    assert verify_chain(conn) == []
    assert [n.note for n in workspace.notes.notes_for_child(tomasz.id)] == [note]


def test_the_vault_refuses_to_change_a_note_or_delete_it_before_central_has_it(
        workspace: Workspace) -> None:
    case = make_case()
    ana = make_child(case)
    add_to_caseload(workspace, case, ana)
    note = make_notification(case, [ana])
    workspace.notes.record(note)
    conn = workspace.outbox._conn
    with pytest.raises(DATABASE_ERRORS, match="never changed"):
        conn.execute("UPDATE case_notes SET record_json = '{}'")
    with pytest.raises(DATABASE_ERRORS, match="never deleted"):
        conn.execute("DELETE FROM case_notes")
    with pytest.raises(NoteAlreadyRecorded):
        workspace.notes.record(note)
    conn.execute("INSERT INTO sync_receipts (op_id, subject_id, result, receipt_json,"
                  " stored_at) VALUES ('op', ?, 'accepted', '{}', '2026-11-16')",
                  (str(note.id),))
    conn.execute("DELETE FROM case_notes")  # central holds it now: it may leave the laptop
    assert workspace.notes.notes_for_child(ana.id) == []


def test_a_note_dated_after_today_is_refused_and_nothing_is_written(
        workspace: Workspace) -> None:
    case = make_case()
    ana = make_child(case)
    add_to_caseload(workspace, case, ana)
    tomorrow = NOW.date() + timedelta(days=1)
    with pytest.raises(NoteRefused) as refused:
        workspace.notes.record(make_notification(case, [ana], received_on=tomorrow,
                                                 source="   "))
    assert {p.field for p in refused.value.problems} == {"received_on", "source"}
    assert "Nothing was recorded" in refused.value.user_message
    assert workspace.outbox.operations() == []
    assert workspace.notes.notes_for_child(ana.id) == []


def test_notes_made_here_and_pulled_from_central_are_read_together_each_once(
        workspace: Workspace) -> None:
    case = make_case()
    ana, tomasz = make_child(case), make_child(case, given_name="Tomasz")
    add_to_caseload(workspace, case, ana, tomasz)
    mine = make_notification(case, [ana])
    workspace.notes.record(mine)
    supervision = Supervision(id=make_notification(case, [ana]).id, case_id=case.id,
                              child_ids=(ana.id, tomasz.id), supervised_on=date(2026, 11, 10),
                              supervisor="M. Lead", summary="Discussed the police call-outs.",
                              entered_by="M. Lead", entered_at=NOW - timedelta(days=6))
    police = make_notification(case, [tomasz], entered_at=NOW - timedelta(days=1))
    pulled = [Change(position=n, kind=ChangeKind.NOTE, record=canonical_json(r).decode(),
                     record_hash=hash_bytes(canonical_json(r)), submitted_by=author)
              for n, (r, author) in enumerate(
                  [(supervision, "northlead"), (police, "central"), (mine, "north1")], 1)]
    SyncLedger(workspace.outbox._conn).apply_changes(pulled, 3)

    by_child = workspace.notes.notes_for_children([ana.id, tomasz.id])
    assert [n.note.id for n in by_child[ana.id]] == [supervision.id, mine.id]
    assert [n.note.id for n in by_child[tomasz.id]] == [supervision.id, police.id]
    made_here = {n.note.id: n.made_here for notes in by_child.values() for n in notes}
    assert made_here == {supervision.id: False, mine.id: True, police.id: False}
    assert [n.submitted_by for n in by_child[tomasz.id]] == ["northlead", "central"]


def test_a_childs_notes_are_found_through_the_child_not_by_reading_every_note(
        workspace: Workspace) -> None:
    """`note_children` is kept by the vault's triggers as notes are made, pulled (one made
    here pulled back, and a page pulled twice) and removed, and the reads go through it (the
    plan reads no note by walking)."""
    case = make_case()
    ana, tomasz = make_child(case), make_child(case, given_name="Tomasz")
    add_to_caseload(workspace, case, ana, tomasz)
    conn = workspace.outbox._conn
    mine = make_notification(case, [ana])
    workspace.notes.record(mine)
    police = make_notification(case, [tomasz])
    pulled = [Change(position=n, kind=ChangeKind.NOTE, record=canonical_json(note).decode(),
                     record_hash=hash_bytes(canonical_json(note)), submitted_by="central")
              for n, note in enumerate([police, mine], 1)]
    ledger = SyncLedger(conn)
    ledger.apply_changes(pulled, 2)
    ledger.apply_changes([c.model_copy(update={"position": c.position + 2}) for c in pulled], 4)

    def index() -> list[tuple[str, str]]:
        return sorted(conn.execute("SELECT child_id, note_id FROM note_children").fetchall())

    assert index() == sorted([(str(ana.id), str(mine.id)), (str(tomasz.id), str(police.id))])
    assert [n.note for n in workspace.notes.notes_for_child(tomasz.id)] == [police]
    stored = workspace.notes.get(police.id)
    assert stored is not None and stored.note == police and not stored.made_here
    assert workspace.notes.get(make_notification(case, [ana]).id) is None

    plan = " ".join(row[-1] for row in conn.execute(
        "EXPLAIN QUERY PLAN " + case_notes._CHILDREN_NOTES, ('["x"]',)))
    # Each child's entries by the index's key, then each note by its id: no walk of notes.
    assert plan.count("SEARCH c USING PRIMARY KEY (child_id=?)") == 2, plan
    assert "SEARCH n USING INDEX sqlite_autoindex_received_records_1 (id=?)" in plan, plan
    assert "SCAN n" not in plan and "received_records_by_kind" not in plan, plan

    conn.execute("DELETE FROM received_records WHERE id IN (?, ?)", (str(police.id),
                                                                     str(mine.id)))
    assert index() == [(str(ana.id), str(mine.id))]  # still made here
    assert workspace.notes.notes_for_child(tomasz.id) == []
