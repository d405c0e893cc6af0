"""Settings of the managers' web view (HOMEVISIT_CENTRAL_MANAGE_*)."""

from __future__ import annotations

from datetime import timedelta

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class ManageSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="HOMEVISIT_CENTRAL_MANAGE_", extra="ignore")

    idle_minutes: int = Field(
        default=15, ge=1, le=480,
        description="A session ends after this many minutes without a page being asked for.")
    max_failed_logins: int = Field(
        default=5, ge=1, le=50,
        description="Failed sign-ins in a row that lock an account.")
    lockout_minutes: int = Field(
        default=15, ge=1, le=24 * 60, description="How long a locked account stays locked.")

    @property
    def idle(self) -> timedelta:
        return timedelta(minutes=self.idle_minutes)

    @property
    def lockout(self) -> timedelta:
        return timedelta(minutes=self.lockout_minutes)
