"""Everything a signed-in worker's code needs from an open vault, wired once."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from records.schedule import VisitStandards, WorkingCalendar
from storage.attachments import DEFAULT_MAX_BYTES, AttachmentRepository
from storage.audit import AuditLog
from storage.case_notes import CaseNoteRepository
from storage.cases import CaseRepository
from storage.device import DeviceIdentity
from storage.outbox import Outbox
from storage.transactions import Connection
from storage.visits import VisitRepository


@dataclass(frozen=True)
class Workspace:
    """The repositories over one vault connection (one per thread)."""

    device: DeviceIdentity
    audit: AuditLog
    cases: CaseRepository
    visits: VisitRepository
    attachments: AttachmentRepository
    outbox: Outbox
    notes: CaseNoteRepository

    @classmethod
    def over(
        cls,
        conn: Connection,
        *,
        actor: str,
        standards: VisitStandards | None = None,
        max_attachment_bytes: int = DEFAULT_MAX_BYTES,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> Workspace:
        device = DeviceIdentity.load_or_create(conn)
        audit = AuditLog(conn, actor, clock)
        return cls(
            device=device,
            audit=audit,
            cases=CaseRepository(conn, clock),
            visits=VisitRepository(conn, device, audit, standards=standards,
                                   calendar=WorkingCalendar(), clock=clock),
            attachments=AttachmentRepository(conn, audit, max_bytes=max_attachment_bytes,
                                             clock=clock),
            outbox=Outbox(conn, clock),
            notes=CaseNoteRepository(conn, device, audit, clock=clock),
        )
