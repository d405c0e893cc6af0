"""Every device that sends a file's bytes is recorded, so each uploader and their lead may read it.

Before this, only the first uploader's user and team were kept on the attachment; existing
attachments get that first uploader as their one recorded uploader.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "blob_uploaders",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("device_id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=True),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["sha256"], ["attachments.sha256"],
                                name=op.f("fk_blob_uploaders_sha256_attachments")),
        sa.PrimaryKeyConstraint("sha256", "device_id", name=op.f("pk_blob_uploaders")),
    )
    with op.batch_alter_table("blob_uploaders", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_blob_uploaders_user_id"), ["user_id"])
        batch_op.create_index(batch_op.f("ix_blob_uploaders_team_id"), ["team_id"])
    op.execute(
        "INSERT INTO blob_uploaders (sha256, device_id, user_id, team_id, received_at) "
        "SELECT sha256, device_id, user_id, team_id, received_at FROM attachments"
    )


def downgrade() -> None:
    with op.batch_alter_table("blob_uploaders", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_blob_uploaders_team_id"))
        batch_op.drop_index(batch_op.f("ix_blob_uploaders_user_id"))
    op.drop_table("blob_uploaders")
