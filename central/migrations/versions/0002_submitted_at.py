"""When the laptop says each visit and addendum was submitted (the late-recording flag).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

_TABLES = ("visits", "addenda")


def upgrade() -> None:
    # Nullable, no default: rows received before this are left without it, and say so.
    for table in _TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("submitted_at", sa.DateTime(timezone=True),
                                          nullable=True))


def downgrade() -> None:
    for table in _TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("submitted_at")
