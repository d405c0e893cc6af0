"""Refused ops are read on every managers' Service and Team page: a partial index on them.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("operations", schema=None) as batch_op:
        batch_op.create_index(
            "ix_operations_rejected",
            ["device_id"],
            unique=False,
            postgresql_where=sa.text("result = 'rejected'"),
            sqlite_where=sa.text("result = 'rejected'"),
        )


def downgrade() -> None:
    with op.batch_alter_table("operations", schema=None) as batch_op:
        batch_op.drop_index("ix_operations_rejected")
