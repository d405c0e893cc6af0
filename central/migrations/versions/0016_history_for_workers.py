"""The visits others made about each worker's children, logged for that worker.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-07

From this version a worker's laptop is sent, when a child is allocated to them, every visit
naming the child that someone else made and its addenda, and each such visit or addendum as
it arrives (`admin._history_to`, `ingest._route`; pulled with `history=true`). A child
allocated before it, from another worker, or named on a family visit by a brother's or
sister's worker, would stay on the new version's laptops as never seen: so the same changes
are logged now for every child allocated today, visits first, then addenda, each for the
worker once (a change for one worker alone: no team). None of these changes existed before.
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

_BATCH = 1000


def upgrade() -> None:
    bind = op.get_bind()
    changes = sa.table("changes", sa.column("kind", sa.String()),
                       sa.column("entity_id", sa.Uuid()),
                       sa.column("owner_user_id", sa.Integer()),
                       sa.column("team_id", sa.Integer()),
                       sa.column("created_at", sa.DateTime(timezone=True)))
    now = datetime.now(UTC)
    for kind, table, about in (("visit", "visits", "id"), ("addendum", "addenda", "visit_id")):
        # Names from this file, never from data.
        found = bind.execute(sa.text(
            f"SELECT r.id, a.user_id FROM {table} AS r"  # noqa: S608
            f" JOIN visit_children AS vc ON vc.visit_id = r.{about}"
            " JOIN allocations AS a ON a.child_id = vc.child_id AND a.ended_at IS NULL"
            " WHERE r.user_id <> a.user_id"
            " GROUP BY r.id, a.user_id ORDER BY min(r.received_at), r.id, a.user_id")
            .columns(sa.column("id", sa.Uuid()), sa.column("user_id", sa.Integer())),
            execution_options={"yield_per": _BATCH})
        rows: list[dict[str, object]] = []
        for record_id, worker_id in found:
            rows.append({"kind": kind, "entity_id": record_id, "owner_user_id": worker_id,
                         "team_id": None, "created_at": now})
            if len(rows) >= _BATCH:
                bind.execute(sa.insert(changes), rows)
                rows = []
        if rows:
            bind.execute(sa.insert(changes), rows)


def downgrade() -> None:
    op.execute(sa.text("DELETE FROM changes WHERE kind IN ('visit', 'addendum')"
                       " AND owner_user_id IS NOT NULL AND team_id IS NULL"))
