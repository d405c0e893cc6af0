"""Each group's count of children never seen with no plan or placement start to count a due
date from (`records.child_state.without_start`), which "overdue now" now includes: until
this, such a child was flagged but counted nowhere on the Service, Team and worker pages.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07

The count starts at 0, and `figure_state` forgets the rules the groups were added up under:
the first refresh after this (the nightly `homevisit-central oversight refresh`, or the
first page) adds every group up again from the children's kept figures.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("figure_groups", schema=None) as batch_op:
        batch_op.add_column(sa.Column("no_start_date", sa.Integer(), nullable=False,
                                      server_default=sa.text("0")))
    op.execute(sa.text("UPDATE figure_state SET rules_key = NULL"))


def downgrade() -> None:
    with op.batch_alter_table("figure_groups", schema=None) as batch_op:
        batch_op.drop_column("no_start_date")
    op.execute(sa.text("UPDATE figure_state SET rules_key = NULL"))
