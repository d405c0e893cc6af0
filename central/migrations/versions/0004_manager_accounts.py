"""Managers' web view: accounts (Argon2id + TOTP), the teams each may see, sessions.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

_SERIAL = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "manager_accounts",
        sa.Column("id", _SERIAL, autoincrement=True, nullable=False),
        sa.Column("username", sa.String(length=100), nullable=False),
        sa.Column("display_name", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("all_teams", sa.Boolean(), nullable=False),
        sa.Column("password_hash", sa.String(length=200), nullable=False),
        sa.Column("totp_secret", sa.String(length=64), nullable=False),
        sa.Column("last_totp_step", sa.Integer(), nullable=False),
        sa.Column("failed_logins", sa.Integer(), nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("disabled", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_manager_accounts")),
        sa.UniqueConstraint("username", name=op.f("uq_manager_accounts_username")),
    )
    op.create_table(
        "manager_teams",
        sa.Column("account_id", _SERIAL, nullable=False),
        sa.Column("team_id", _SERIAL, nullable=False),
        sa.ForeignKeyConstraint(["account_id"], ["manager_accounts.id"],
                                name=op.f("fk_manager_teams_account_id_manager_accounts")),
        sa.ForeignKeyConstraint(["team_id"], ["teams.id"],
                                name=op.f("fk_manager_teams_team_id_teams")),
        sa.PrimaryKeyConstraint("account_id", "team_id", name=op.f("pk_manager_teams")),
    )
    op.create_table(
        "manager_sessions",
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("account_id", _SERIAL, nullable=True),
        sa.Column("csrf_token", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["account_id"], ["manager_accounts.id"],
                                name=op.f("fk_manager_sessions_account_id_manager_accounts")),
        sa.PrimaryKeyConstraint("token_hash", name=op.f("pk_manager_sessions")),
    )
    with op.batch_alter_table("manager_sessions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_manager_sessions_account_id"), ["account_id"])
        batch_op.create_index(batch_op.f("ix_manager_sessions_last_seen_at"),
                              ["last_seen_at"])


def downgrade() -> None:
    with op.batch_alter_table("manager_sessions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_manager_sessions_last_seen_at"))
        batch_op.drop_index(batch_op.f("ix_manager_sessions_account_id"))
    op.drop_table("manager_sessions")
    op.drop_table("manager_teams")
    op.drop_table("manager_accounts")
