"""Photos kept inside the vault, never as files on disk; the original path is not kept."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from uuid import UUID

from storage.audit import AuditAction, AuditLog
from storage.refusals import AttachmentRefused
from storage.transactions import Connection, transaction

DEFAULT_MAX_BYTES = 15 * 1024 * 1024

_SIGNATURES = {
    "image/jpeg": (b"\xff\xd8\xff",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
}


@dataclass(frozen=True)
class Attachment:
    id: UUID
    sha256: str
    media_type: str
    size: int
    visit_id: UUID | None
    added_at: datetime


def media_type_of(content: bytes) -> str | None:
    """The image type the bytes really are (JPEG or PNG), whatever the file was called."""
    for media_type, magics in _SIGNATURES.items():
        if any(content.startswith(m) for m in magics):
            return media_type
    return None


class AttachmentRepository:
    def __init__(self, conn: Connection, audit: AuditLog, *, max_bytes: int = DEFAULT_MAX_BYTES,
                 clock: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        self._conn = conn
        self._audit = audit
        self._max_bytes = max_bytes
        self._clock = clock

    def add(self, content: bytes, *, visit_id: UUID | None = None) -> Attachment:
        """Store a photo's bytes in the vault; refuses non-images and oversize files."""
        if len(content) > self._max_bytes:
            raise AttachmentRefused(
                f"This photo is {len(content) / 1_048_576:.1f} MB; the limit is "
                f"{self._max_bytes / 1_048_576:.0f} MB. Nothing was added; choose a smaller photo."
            )
        media_type = media_type_of(content)
        if media_type is None:
            raise AttachmentRefused(
                "This file is not a JPEG or PNG photo. Nothing was added; choose a photo."
            )
        attachment = Attachment(
            id=uuid.uuid4(), sha256=hashlib.sha256(content).hexdigest(), media_type=media_type,
            size=len(content), visit_id=visit_id, added_at=self._clock().astimezone(UTC),
        )
        with transaction(self._conn):
            self._conn.execute(
                "INSERT INTO attachments (id, sha256, media_type, size, content, visit_id,"
                " added_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (str(attachment.id), attachment.sha256, media_type, attachment.size, content,
                 str(visit_id) if visit_id else None, attachment.added_at.isoformat()),
            )
            self._audit.record(AuditAction.ATTACHMENT_ADDED, "attachment", attachment.id)
        return attachment

    def content(self, attachment_id: UUID) -> bytes | None:
        row = self._conn.execute(
            "SELECT content FROM attachments WHERE id = ?", (str(attachment_id),)
        ).fetchone()
        return bytes(row[0]) if row else None

    def visits_holding(self, sha256: str) -> set[str]:
        """The ids of the visits that hold a photo with this content."""
        rows = self._conn.execute(
            "SELECT DISTINCT visit_id FROM attachments WHERE sha256 = ? AND visit_id IS NOT NULL",
            (sha256,))
        return {str(row[0]) for row in rows}

    def for_visit(self, visit_id: UUID) -> list[Attachment]:
        rows = self._conn.execute(
            "SELECT id, sha256, media_type, size, visit_id, added_at FROM attachments"
            " WHERE visit_id = ? ORDER BY added_at",
            (str(visit_id),),
        )
        return [
            Attachment(UUID(r[0]), r[1], r[2], r[3], UUID(r[4]) if r[4] else None,
                       datetime.fromisoformat(r[5]))
            for r in rows
        ]
