"""Sends refused whole are tallied from `audit_log` on every managers' Service and Team page:
a partial index on them (`action = 'request.refused'`), by device and code.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06

Refusals with no good token are no longer written (only logged); rows written before,
actor `unknown`, are left as they are: still counted, still in the audit trail.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.create_index(
            "ix_audit_log_refused",
            ["actor", "subject"],
            unique=False,
            postgresql_where=sa.text("action = 'request.refused'"),
            sqlite_where=sa.text("action = 'request.refused'"),
        )


def downgrade() -> None:
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_log_refused")
