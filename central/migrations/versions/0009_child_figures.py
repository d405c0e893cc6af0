"""Each child's oversight figures kept between pushes; TOTP secrets sealed (wider column).

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06

The figures start empty: the first page that needs a child works them out. The TOTP
secrets of existing accounts are sealed by `homevisit-central migrate` right after this
(and at start), since the key may live in a file only central's settings name.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

_TIME = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "child_figures",
        sa.Column("child_id", sa.Uuid(), nullable=False),
        sa.Column("generation", sa.Integer(), nullable=False),
        sa.Column("computed_generation", sa.Integer(), nullable=True),
        sa.Column("computed_for", sa.Date(), nullable=True),
        sa.Column("rules_key", sa.String(length=32), nullable=True),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("worker", sa.String(length=100), nullable=True),
        sa.Column("team", sa.String(length=200), nullable=True),
        sa.Column("worker_team", sa.String(length=200), nullable=True),
        sa.Column("plan_type", sa.String(length=40), nullable=True),
        sa.Column("last_seen", sa.Date(), nullable=True),
        sa.Column("seen_alone_then", sa.Boolean(), nullable=True),
        sa.Column("next_due", sa.Date(), nullable=True),
        sa.Column("days_overdue", sa.Integer(), nullable=False),
        sa.Column("never_visited", sa.Boolean(), nullable=False),
        sa.Column("red", sa.Integer(), nullable=False),
        sa.Column("amber", sa.Integer(), nullable=False),
        sa.Column("seen_recently", sa.Integer(), nullable=False),
        sa.Column("seen_on_time_recently", sa.Integer(), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["child_id"], ["children.id"],
                                name=op.f("fk_child_figures_child_id_children")),
        sa.PrimaryKeyConstraint("child_id", name=op.f("pk_child_figures")),
    )
    op.create_table(
        "child_figure_visits",
        sa.Column("child_id", sa.Uuid(), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("on_time", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["child_id"], ["child_figures.child_id"],
                                name=op.f("fk_child_figure_visits_child_id_child_figures")),
        sa.PrimaryKeyConstraint("child_id", "n", name=op.f("pk_child_figure_visits")),
    )
    op.create_table(
        "child_figure_awaiting",
        sa.Column("child_id", sa.Uuid(), nullable=False),
        sa.Column("visit_id", sa.Uuid(), nullable=False),
        sa.Column("received_at", _TIME, nullable=False),
        sa.ForeignKeyConstraint(["child_id"], ["child_figures.child_id"],
                                name=op.f("fk_child_figure_awaiting_child_id_child_figures")),
        sa.PrimaryKeyConstraint("child_id", "visit_id", name=op.f("pk_child_figure_awaiting")),
    )
    with op.batch_alter_table("manager_accounts", schema=None) as batch_op:
        batch_op.alter_column("totp_secret", existing_type=sa.String(length=64),
                              type_=sa.String(length=200), existing_nullable=False)


def downgrade() -> None:
    # totp_secret stays wide: a sealed secret does not fit 64 characters, and no step here
    # could unseal it without the key.
    op.drop_table("child_figure_awaiting")
    op.drop_table("child_figure_visits")
    op.drop_table("child_figures")
