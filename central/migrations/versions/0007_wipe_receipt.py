"""A lost laptop's push before its erase is counted, and its signed wipe receipt is kept.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("devices", schema=None) as batch_op:
        batch_op.add_column(sa.Column("wipe_recovered", sa.Integer(), nullable=False,
                                      server_default="0"))
        batch_op.add_column(sa.Column("wiped_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("wipe_lost", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("wipe_receipt", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("devices", schema=None) as batch_op:
        batch_op.drop_column("wipe_receipt")
        batch_op.drop_column("wipe_lost")
        batch_op.drop_column("wiped_at")
        batch_op.drop_column("wipe_recovered")
