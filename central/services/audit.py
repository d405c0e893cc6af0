"""The audit log: who did what to which thing. Ids and codes only, never record content."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from central.db.models import AuditEntry


def audit(session: Session, actor: str, action: str, subject: str = "", **detail: Any) -> None:
    session.add(AuditEntry(actor=actor, action=action, subject=subject, detail=detail))
