"""Notes between visits: agency notifications, supervision, a concern considered.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "case_notes",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("note", sa.String(length=40), nullable=False),
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("device_id", sa.Uuid(), nullable=True),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("team_id", sa.Integer(), nullable=True),
        sa.Column("entered_at_central", sa.Boolean(), nullable=False),
        sa.Column("canonical_json", sa.Text(), nullable=False),
        sa.Column("record_hash", sa.String(length=64), nullable=False),
        sa.Column("signature", sa.LargeBinary(), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("flags", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_notes")),
    )
    with op.batch_alter_table("case_notes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_case_notes_case_id"), ["case_id"], unique=False)
        batch_op.create_index("ix_case_notes_team_received", ["team_id", "received_at"],
                              unique=False)
    op.create_table(
        "case_note_children",
        sa.Column("note_id", sa.Uuid(), nullable=False),
        sa.Column("child_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(["note_id"], ["case_notes.id"],
                                name=op.f("fk_case_note_children_note_id_case_notes")),
        sa.PrimaryKeyConstraint("note_id", "child_id", name=op.f("pk_case_note_children")),
    )
    with op.batch_alter_table("case_note_children", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_case_note_children_child_id"), ["child_id"],
                              unique=False)


def downgrade() -> None:
    with op.batch_alter_table("case_note_children", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_note_children_child_id"))
    op.drop_table("case_note_children")
    with op.batch_alter_table("case_notes", schema=None) as batch_op:
        batch_op.drop_index("ix_case_notes_team_received")
        batch_op.drop_index(batch_op.f("ix_case_notes_case_id"))
    op.drop_table("case_notes")
