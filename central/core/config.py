"""Central's settings: declared once, read from the environment (HOMEVISIT_CENTRAL_*)."""

from __future__ import annotations

from pathlib import Path

from platformdirs import user_data_dir
from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from records.schedule import VisitStandards
from records.thresholds import FlagThresholds
from sync.protocol import LARGEST_PHOTO_MIB


def default_database_url() -> str:
    """An SQLite file in the user's data directory: `serve` runs with nothing else installed."""
    folder = Path(user_data_dir("homevisit-central", appauthor=False))
    return f"sqlite:///{folder / 'central.sqlite3'}"


class Settings(BaseSettings):
    # `__` reaches inside the nested rules: HOMEVISIT_CENTRAL_VISIT_STANDARDS__CHILD_PROTECTION_
    # WORKING_DAYS=15 (or the whole of one as JSON: HOMEVISIT_CENTRAL_VISIT_STANDARDS='{...}').
    model_config = SettingsConfigDict(env_prefix="HOMEVISIT_CENTRAL_", extra="ignore",
                                      env_nested_delimiter="__")

    database_url: str = Field(default_factory=default_database_url)
    audience: str = Field(
        default="homevisit-central", description="The `aud` of client assertions and tokens."
    )
    access_token_seconds: int = Field(default=600, ge=30, le=600)
    assertion_max_seconds: int = Field(default=60, ge=5, le=60)
    clock_skew_seconds: int = Field(default=30, ge=0, le=120)
    enrollment_code_hours: int = Field(default=72, ge=1, le=24 * 30)
    max_request_bytes: int = Field(default=16 * 1024 * 1024, ge=1024)
    max_blob_bytes: int = Field(
        default=LARGEST_PHOTO_MIB * 1024 * 1024, ge=1024,
        description="Largest photo accepted. The laptops' policy allows photos up to "
                    "LARGEST_PHOTO_MIB: keep this at least that, and nginx's "
                    "client_max_body_size above it.")
    late_upload_hours: int = Field(default=48, ge=1)
    receipt_key_file: Path | None = Field(
        default=None,
        description="PEM Ed25519 key (openssl genpkey -algorithm ed25519), mode 0600, that "
                    "signs receipts; else a key kept in the database in the clear.",
    )
    token_key_file: Path | None = Field(
        default=None,
        description="PEM Ed25519 key, mode 0600, that signs access tokens; else in the DB.",
    )
    manager_secrets_key_file: Path | None = Field(
        default=None,
        description="32 random bytes in base64 (openssl rand -base64 32), mode 0600, that seal "
                    "managers' TOTP secrets in the database; else a key kept in the database.",
    )
    database_pool_size: int = Field(default=10, ge=1, le=200)
    worker_threads: int = Field(
        default=8, ge=1, le=200,
        description="Requests a process works on at once (its thread pool). More threads only "
                    "fight over the GIL: they help while waiting on the database, not on CPU.",
    )
    log_level: str = "INFO"
    visit_standards: VisitStandards = Field(
        default_factory=VisitStandards,
        description="How often children must be visited, as in the laptops' policy "
                    "(`visit_standards`): central's list of every child counts due dates "
                    "with them. Set them to the same values as the laptops.",
    )
    flag_thresholds: FlagThresholds = Field(
        default_factory=FlagThresholds,
        description="When a flag is raised and turns red, as in the laptops' policy "
                    "(`flag_thresholds`); the same values as the laptops.",
    )
