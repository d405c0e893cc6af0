"""The change log that pull cursors walk, numbered in commit order.

Rows are written without a position inside the transaction that makes the change. A pull
first numbers every committed, unnumbered row under a lock, so a position is only ever
given after the row is visible: a reader that has seen position P can never later meet a
row numbered below P, however transactions interleave on PostgreSQL.
"""

from __future__ import annotations

import uuid

from sqlalchemy import exists, func, select, text, update
from sqlalchemy.orm import Session

from central.db.models import ChangeRow

_SEQUENCER_LOCK = 7_201_004


def record_change(
    session: Session, kind: str, entity_id: uuid.UUID, *, owner_user_id: int | None = None,
    team_id: int | None = None,
) -> None:
    session.add(ChangeRow(kind=kind, entity_id=entity_id, owner_user_id=owner_user_id,
                          team_id=team_id))


def number_new_changes(session: Session, batch: int = 5000) -> int:
    """Give positions to committed changes that have none; returns how many it numbered."""
    pending = session.scalar(select(exists().where(ChangeRow.position.is_(None))))
    if not pending:
        return 0
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _SEQUENCER_LOCK})
    highest = session.scalar(select(func.coalesce(func.max(ChangeRow.position), 0))) or 0
    ids = session.scalars(
        select(ChangeRow.id).where(ChangeRow.position.is_(None)).order_by(ChangeRow.id)
        .limit(batch)
    ).all()
    if ids:
        session.execute(
            update(ChangeRow),
            [{"id": change_id, "position": highest + n} for n, change_id in enumerate(ids, 1)],
        )
    return len(ids)


def highest_position(session: Session) -> int:
    return session.scalar(select(func.coalesce(func.max(ChangeRow.position), 0))) or 0
