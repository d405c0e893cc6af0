"""Which laptops can read each note: `case_notes.readable_from`, the oldest sync protocol
that parses it (3; 7 for an agency note that says whether it reports an injury or hunger,
or a team lead's decision that names the concerns it covered).

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07

A pull that does not ask `answered_notes=true` (a laptop older than protocol 7) is not sent
the notes it could not read; `devices.reads_answered_notes` keeps whether each laptop's
latest pull asked, so `device list` can name the laptops to upgrade. Every note stored
before this was readable from protocol 3: central refused those fields until now.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("case_notes", schema=None) as batch_op:
        batch_op.add_column(sa.Column("readable_from", sa.Integer(), nullable=False,
                                      server_default=sa.text("3")))
    with op.batch_alter_table("devices", schema=None) as batch_op:
        batch_op.add_column(sa.Column("reads_answered_notes", sa.Boolean(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("devices", schema=None) as batch_op:
        batch_op.drop_column("reads_answered_notes")
    with op.batch_alter_table("case_notes", schema=None) as batch_op:
        batch_op.drop_column("readable_from")
