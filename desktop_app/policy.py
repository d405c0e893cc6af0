"""IT policy: one declared schema, layered defaults < user settings < system policy.

A key set in the system policy file is locked: nothing the user sets can change it. A file
that cannot be read or does not fit the schema is reported (file, line, key) and ignored,
so the app runs on the safe defaults, never on weaker values.
"""

from __future__ import annotations

import base64
import binascii
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from platformdirs import user_config_path
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from records.schedule import VisitStandards
from records.thresholds import FlagThresholds

SYSTEM_POLICY_FILE = Path("/etc/homevisit/policy.toml")
USER_SETTINGS_ENV = "HOMEVISIT_SETTINGS_FILE"


class Policy(BaseModel):
    """Every setting IT can fix for a laptop. The defaults are the safe choice."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    server_url: str | None = None
    ca_file: Path | None = None
    idle_lock_minutes: int = Field(default=5, ge=1, le=60)
    failed_unlock_limit: int = Field(default=10, ge=3, le=50)
    recovery_public_key: str | None = Field(
        default=None, description="The organisation's X25519 recovery public key, base64."
    )
    visit_standards: VisitStandards = VisitStandards()
    flag_thresholds: FlagThresholds = FlagThresholds()
    offline_grace_days: int | None = Field(default=None, ge=1, le=90)
    photos_allowed: bool = False
    export_allowed: bool = False
    pdf_allowed: bool = Field(
        default=False, description="May a submitted visit be saved as a PDF (audited)?"
    )
    days_on_device: int = Field(default=90, ge=1, le=3650)
    minimum_passphrase_length: int = Field(default=12, ge=8, le=128)
    sync_interval_minutes: int = Field(default=15, ge=1, le=1440)
    max_photo_megabytes: int = Field(default=15, ge=1, le=100)

    @field_validator("recovery_public_key")
    @classmethod
    def _is_x25519_public_key(cls, value: str | None) -> str | None:
        if value is None:
            return None
        try:
            raw = base64.b64decode(value, validate=True)
        except (binascii.Error, ValueError) as error:
            raise ValueError("is not base64") from error
        if len(raw) != 32:
            raise ValueError("must be a 32-byte X25519 public key in base64")
        return value

    @property
    def recovery_key_bytes(self) -> bytes | None:
        return base64.b64decode(self.recovery_public_key) if self.recovery_public_key else None


@dataclass(frozen=True)
class EffectivePolicy:
    """The policy in force, where each value came from, and any file that was refused."""

    policy: Policy
    sources: dict[str, str] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    def is_locked(self, key: str) -> bool:
        return self.sources.get(key, "").startswith("system policy")


def user_settings_file() -> Path:
    override = os.environ.get(USER_SETTINGS_ENV)
    return Path(override) if override else user_config_path("homevisit") / "settings.toml"


def load_policy(
    system_file: Path = SYSTEM_POLICY_FILE, user_file: Path | None = None
) -> EffectivePolicy:
    """Read the layers; a layer that fails is reported and left out, never half-applied."""
    user_file = user_file or user_settings_file()
    merged: dict[str, Any] = {}
    sources: dict[str, str] = {}
    problems: list[str] = []
    for label, path in (("user settings", user_file), ("system policy", system_file)):
        values = _read_layer(path, problems)
        if values is None:
            continue
        merged.update(values)
        sources.update({key: f"{label} {path}" for key in values})
    try:
        policy = Policy.model_validate(merged)
    except ValidationError as error:  # layers valid alone, so this cannot be reached by input
        problems.append(f"policy layers do not combine: {error.error_count()} problems")
        return EffectivePolicy(Policy(), {}, problems)
    return EffectivePolicy(policy, sources, problems)


def _read_layer(path: Path, problems: list[str]) -> dict[str, Any] | None:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as error:
        problems.append(f"{path}: cannot be read ({error.__class__.__name__}); it was ignored")
        return None
    try:
        values = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        problems.append(f"{path}: {error}; the whole file was ignored and safe defaults used")
        return None
    try:
        Policy.model_validate(values)
    except ValidationError as error:
        for issue in error.errors():
            key = ".".join(str(part) for part in issue["loc"])
            line = _line_of(text, str(issue["loc"][0])) if issue["loc"] else None
            where = f"line {line}, " if line else ""
            problems.append(
                f"{path}: {where}key '{key}': {issue['msg']}; "
                "the whole file was ignored and safe defaults used"
            )
        return None
    return values


def _line_of(text: str, key: str) -> int | None:
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip().startswith((f"{key} ", f"{key}=", f"[{key}]")):
            return number
    return None
