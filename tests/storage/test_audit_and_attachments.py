"""The audit chain shows tampering; photos stay inside the vault, checked and bounded."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from storage.attachments import AttachmentRepository
from storage.audit import AuditAction, verify_chain
from storage.refusals import AttachmentRefused
from storage.workspace import Workspace
from tests.factories import make_case, make_child, make_visit
from tests.vaults import add_to_caseload, open_workspace

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0" + b"\x01" * 64


@pytest.fixture
def workspace(tmp_path: Path) -> Iterator[Workspace]:
    with open_workspace(tmp_path / "vault") as opened:
        yield opened


def _tamper(workspace: Workspace, statement: str) -> None:
    # What malware holding the data key could do: drop the guard, then edit.
    conn = workspace.visits._conn
    conn.execute("DROP TRIGGER audit_entry_is_never_changed")
    conn.execute("DROP TRIGGER audit_entry_is_never_deleted")
    conn.execute(statement)


def _fill(workspace: Workspace) -> None:
    for action in (AuditAction.UNLOCKED, AuditAction.VISIT_VIEWED, AuditAction.EXPORTED,
                   AuditAction.LOCKED):
        workspace.audit.record(action, "vault", "")


def test_a_removed_audit_entry_is_detected(workspace: Workspace) -> None:
    _fill(workspace)
    assert verify_chain(workspace.visits._conn) == []
    _tamper(workspace, "DELETE FROM audit_log WHERE sequence = 2")
    problems = verify_chain(workspace.visits._conn)
    assert any("missing" in p for p in problems)


def test_an_altered_audit_entry_is_detected(workspace: Workspace) -> None:
    _fill(workspace)
    _tamper(workspace, "UPDATE audit_log SET action = 'unlocked' WHERE sequence = 3")
    assert verify_chain(workspace.visits._conn) == ["audit entry 3 has been altered"]


def test_audit_entries_hold_no_record_content(workspace: Workspace) -> None:
    case = make_case()
    ana = make_child(case)
    add_to_caseload(workspace, case, ana)
    visit = make_visit(case, [ana])
    workspace.visits.submit(visit)
    workspace.visits.open_for_viewing(visit.id)
    rows = workspace.visits._conn.execute("SELECT * FROM audit_log").fetchall()
    text = repr(rows)
    for secret in ("Ana", "Nowak", "breakfast", "CP-104233", visit.analysis):
        assert secret not in text


def test_photos_are_stored_in_the_vault_by_what_they_really_are(workspace: Workspace) -> None:
    case = make_case()
    ana = make_child(case)
    add_to_caseload(workspace, case, ana)
    visit = make_visit(case, [ana])
    workspace.visits.save_draft(visit)
    png = workspace.attachments.add(PNG, visit_id=visit.id)
    jpeg = workspace.attachments.add(JPEG, visit_id=visit.id)
    assert (png.media_type, jpeg.media_type) == ("image/png", "image/jpeg")
    assert workspace.attachments.content(png.id) == PNG
    assert [a.id for a in workspace.attachments.for_visit(visit.id)] == [png.id, jpeg.id]


def test_a_file_that_is_not_a_photo_or_too_big_is_refused(workspace: Workspace) -> None:
    with pytest.raises(AttachmentRefused, match="not a JPEG or PNG"):
        workspace.attachments.add(b"MZ\x90\x00 an executable")
    small = AttachmentRepository(workspace.visits._conn, workspace.audit, max_bytes=32)
    with pytest.raises(AttachmentRefused, match="limit"):
        small.add(PNG)
    count = workspace.visits._conn.execute("SELECT count(*) FROM attachments").fetchone()[0]
    assert count == 0
