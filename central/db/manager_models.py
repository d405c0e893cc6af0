"""Tables of the managers' web view (/manage/): accounts, the teams each may see, sessions.

Page views and "show record" go to the shared `audit_log` (who, what, when; never what a
record says). A password is kept only as its Argon2id hash, a TOTP secret only sealed
(`central.core.secret_box`), a session only as the SHA-256 of its cookie, so a copy of the
database opens no session.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from central.db.models import Base, Serial, UtcTimestamp, _now


class ManagerAccount(Base):
    """A manager or administrator who signs in to /manage/ with a password and TOTP."""

    __tablename__ = "manager_accounts"

    id: Mapped[int] = mapped_column(Serial, primary_key=True)
    username: Mapped[str] = mapped_column(String(100), unique=True)
    display_name: Mapped[str] = mapped_column(String(200), default="")
    role: Mapped[str] = mapped_column(String(20), default="manager")  # manager|administrator
    all_teams: Mapped[bool] = mapped_column(Boolean, default=False)
    password_hash: Mapped[str] = mapped_column(String(200))
    totp_secret: Mapped[str] = mapped_column(String(200))
    """Sealed with `central.core.secret_box` (AES-256-GCM), never in the clear."""
    last_totp_step: Mapped[int] = mapped_column(Integer, default=0)
    """The last 30-second TOTP step accepted: a code is never accepted twice."""
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UtcTimestamp)
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UtcTimestamp, default=_now)


class ManagerTeam(Base):
    """A team a manager may see (unless the account sees all teams)."""

    __tablename__ = "manager_teams"

    account_id: Mapped[int] = mapped_column(ForeignKey("manager_accounts.id"),
                                            primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"), primary_key=True)


class ManagerSession(Base):
    """A browser's session: anonymous (the sign-in form's CSRF token) until signed in."""

    __tablename__ = "manager_sessions"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    account_id: Mapped[int | None] = mapped_column(ForeignKey("manager_accounts.id"),
                                                   index=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UtcTimestamp, default=_now)
    last_seen_at: Mapped[datetime] = mapped_column(UtcTimestamp, default=_now, index=True)
