"""Kept sums per team and per worker, and per group and day, so the managers' Service and
Team pages read a few rows a team instead of every child; a `stale` mark set by a push, and
indexes for the stale children, the children of a team and the visits awaiting sign-off.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06

The sums start empty and `figure_state` without rules: the first refresh after this (the
nightly `homevisit-central oversight refresh`, or the first page) adds every group up from
the children's kept figures, without working any child out again.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

_TIME = sa.DateTime(timezone=True)
_KEY = ("worker_team", "team", "worker")


def _key_columns() -> list[sa.Column[str]]:
    return [sa.Column("worker_team", sa.String(length=200), nullable=False),
            sa.Column("team", sa.String(length=200), nullable=False),
            sa.Column("worker", sa.String(length=100), nullable=False)]


def upgrade() -> None:
    counts = ("version", "children", "child_protection", "child_in_need", "looked_after",
              "seen_at_all", "seen_alone_last", "never_visited", "awaiting", "awaiting_shared")
    op.create_table(
        "figure_groups", *_key_columns(),
        *(sa.Column(name, sa.Integer(), nullable=False) for name in counts),
        sa.Column("oldest_awaiting", _TIME, nullable=True),
        sa.Column("earliest_due", sa.Date(), nullable=True),
        sa.Column("earliest_due_child", sa.Uuid(), nullable=True),
        sa.PrimaryKeyConstraint(*_KEY, name=op.f("pk_figure_groups")),
    )
    op.create_table(
        "figure_group_days", *_key_columns(),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("seen", sa.Integer(), nullable=False),
        sa.Column("on_time", sa.Integer(), nullable=False),
        sa.Column("due", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint(*_KEY, "day", name=op.f("pk_figure_group_days")),
    )
    with op.batch_alter_table("figure_group_days", schema=None) as batch_op:
        batch_op.create_index("ix_figure_group_days_worker_day", ["worker", "day"],
                              unique=False)
    op.create_table(
        "figure_state",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("rules_key", sa.String(length=32), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_figure_state")),
    )
    with op.batch_alter_table("child_figures", schema=None) as batch_op:
        batch_op.add_column(sa.Column("stale", sa.Boolean(), nullable=False,
                                      server_default=sa.true()))
    op.execute("UPDATE child_figures SET stale = (computed_generation IS NULL "
               "OR computed_generation <> generation)")
    with op.batch_alter_table("child_figures", schema=None) as batch_op:
        batch_op.create_index("ix_child_figures_stale", ["child_id"], unique=False,
                              postgresql_where=sa.text("stale"), sqlite_where=sa.text("stale"))
        batch_op.create_index("ix_child_figures_worker_team", ["worker_team", "worker"],
                              unique=False)
    with op.batch_alter_table("child_figure_awaiting", schema=None) as batch_op:
        batch_op.create_index("ix_child_figure_awaiting_visit_id", ["visit_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("child_figure_awaiting", schema=None) as batch_op:
        batch_op.drop_index("ix_child_figure_awaiting_visit_id")
    with op.batch_alter_table("child_figures", schema=None) as batch_op:
        batch_op.drop_index("ix_child_figures_worker_team")
        batch_op.drop_index("ix_child_figures_stale")
        batch_op.drop_column("stale")
    op.drop_table("figure_state")
    with op.batch_alter_table("figure_group_days", schema=None) as batch_op:
        batch_op.drop_index("ix_figure_group_days_worker_day")
    op.drop_table("figure_group_days")
    op.drop_table("figure_groups")
