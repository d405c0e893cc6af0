"""IT policy: one declared schema, layered built-in defaults < user settings < IT policy.

IT's layer comes from the operating system's own place for it (see `policy_sources`): a
TOML file on Linux, `HKLM\\Software\\Policies\\Homevisit` on Windows, managed preferences
on macOS. Every key IT sets is locked: nothing the user sets can change it, and it shows as
managed. A key IT set that does not fit the schema is reported (where, line, key) and
locked at its safe default; an IT layer that cannot be read at all, or that names a key the
schema does not know (a misspelling: which key IT meant to lock is unknown), locks every key
at its default. So a broken policy never leaves the laptop weaker than the defaults.
"""

from __future__ import annotations

import base64
import binascii
import difflib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from desktop_app.policy_sources import (
    SYSTEM_POLICY_FILE,
    USER_SETTINGS_ENV,
    LayerRead,
    PolicySource,
    TomlPolicyFile,
    this_systems_source,
    user_settings_file,
)
from records.schedule import VisitStandards
from records.thresholds import FlagThresholds
from sync.protocol import LARGEST_PHOTO_MIB

BUILT_IN = "built-in default"


class Policy(BaseModel):
    """Every setting IT can fix for a laptop. The defaults are the safe choice."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    server_url: str | None = Field(
        default=None, description="Central's address, https://…; unset: the laptop never syncs."
    )
    ca_file: Path | None = Field(
        default=None, description="PEM file of the CA that central's certificate must chain to."
    )
    idle_lock_minutes: int = Field(
        default=5, ge=1, le=60, description="Minutes without input before the app locks."
    )
    failed_unlock_limit: int = Field(
        default=10, ge=3, le=50,
        description="Wrong passphrases before only the recovery key opens the vault.",
    )
    recovery_public_key: str | None = Field(
        default=None, description="The organisation's X25519 recovery public key, base64."
    )
    visit_standards: VisitStandards = Field(
        default=VisitStandards(), description="How often each kind of plan needs a visit."
    )
    flag_thresholds: FlagThresholds = Field(
        default=FlagThresholds(), description="When a visit record raises a team-lead flag."
    )
    offline_grace_days: int | None = Field(
        default=None, ge=1, le=90,
        description="Days an enrolled laptop may go without reaching central; past them, "
                    "unlocking needs central first. Unset: no limit.",
    )
    unsynced_warning_hours: int = Field(
        default=24, ge=1, le=720,
        description="Hours unsent work may wait before the status bar warns the worker.",
    )
    high_contrast: bool = Field(
        default=False,
        description="Show the app in high contrast (white on black)? Set by IT, workers "
                    "cannot change it; left unset, each worker chooses.",
    )
    photos_allowed: bool = Field(default=False, description="May photos be attached to visits?")
    export_allowed: bool = Field(
        default=False, description="May a worker export records (subject access requests)?"
    )
    pdf_allowed: bool = Field(
        default=False, description="May a submitted visit be saved as a PDF (audited)?"
    )
    days_on_device: int = Field(
        default=90, ge=1, le=3650,
        description="Days a visit stays on the laptop once central has receipted it "
                    "(signed off or not: central holds it from then on). When each child was "
                    "last seen stays after it, and nothing else of the visit, so their due "
                    "date does not move.",
    )
    minimum_passphrase_length: int = Field(
        default=12, ge=8, le=128, description="Shortest passphrase a worker may choose."
    )
    sync_interval_minutes: int = Field(
        default=15, ge=1, le=1440, description="Minutes between automatic syncs."
    )
    max_photo_megabytes: int = Field(
        default=15, ge=1, le=LARGEST_PHOTO_MIB,
        description="Largest photo that may be attached, in MiB; at most central's limit "
                    f"({LARGEST_PHOTO_MIB}), so every photo attached can reach central.",
    )

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


POLICY_KEYS: tuple[str, ...] = tuple(Policy.model_fields)


class ManagedByIT(Exception):
    """The user tried to change a key that IT's policy sets."""

    def __init__(self, key: str, source: str) -> None:
        super().__init__(key)
        self.key = key
        self.user_message = (
            f"'{key}' is managed by your organisation's IT ({source}) and cannot be changed "
            "on this laptop. Nothing was changed."
        )


@dataclass(frozen=True)
class EffectivePolicy:
    """The policy in force, where each value came from, which keys IT locked, and why any
    part of a layer was refused."""

    policy: Policy
    sources: dict[str, str] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    locked: frozenset[str] = frozenset()

    def is_locked(self, key: str) -> bool:
        return key in self.locked

    def source_of(self, key: str) -> str:
        return self.sources.get(key, BUILT_IN)

    def check_user_may_set(self, key: str) -> None:
        if key not in POLICY_KEYS:
            raise KeyError(key)
        if self.is_locked(key):
            raise ManagedByIT(key, self.source_of(key))


def policy_sources() -> PolicySource:
    """IT's layer on this operating system."""
    return this_systems_source()


# complexity: the layering of IT and user policy with its locks and refusals
def load_policy(
    system: PolicySource | Path | None = None, user_file: Path | None = None
) -> EffectivePolicy:
    """Combine the layers. A key IT set wins and is locked, even when its value was refused."""
    if system is None:
        system = policy_sources()
    elif isinstance(system, Path):
        system = TomlPolicyFile(system, "IT policy")
    user = TomlPolicyFile(user_file or user_settings_file(), "user settings")
    it_layer = system.read(validate_values)
    problems = list(it_layer.problems)
    unknown = [key for key, reason in it_layer.refused.items() if NOT_A_KEY in reason]
    if it_layer.unreadable or unknown:
        # Which keys IT meant to lock is unknown, so every key is locked at its default.
        why = "could not be read" if it_layer.unreadable else "names a key Homevisit does not know"
        if unknown:
            problems.append(f"{system.description} names a key Homevisit does not know, so "
                            "every key is locked at its safe default until it is corrected")
        origin = f"{BUILT_IN}, locked because {system.description} {why}"
        return EffectivePolicy(Policy(), dict.fromkeys(POLICY_KEYS, origin), problems,
                               frozenset(POLICY_KEYS))
    user_layer = user.read(validate_values)
    problems += user_layer.problems
    merged: dict[str, Any] = {}
    sources: dict[str, str] = {}
    for key, value in user_layer.values.items():
        merged[key] = value
        sources[key] = f"user settings {user.description}"
    locked = set(it_layer.values) | (set(it_layer.refused) & set(POLICY_KEYS))
    for key in locked:
        merged.pop(key, None)
        sources[key] = f"{BUILT_IN}, locked because {system.description} sets it wrongly"
    for key, value in it_layer.values.items():
        merged[key] = value
        sources[key] = f"IT policy {system.description}"
    try:
        policy = Policy.model_validate(merged)
    except ValidationError as error:  # each value was valid alone; no key depends on another
        problems.append(f"policy layers do not combine ({error.error_count()} problems); "
                        "safe defaults used")
        return EffectivePolicy(Policy(), {}, problems, frozenset(POLICY_KEYS))
    return EffectivePolicy(policy, sources, problems, frozenset(locked))


def validate_values(values: Mapping[str, Any]) -> dict[str, str]:
    """The keys of `values` that do not fit the schema, each with the reason."""
    try:
        Policy.model_validate(dict(values))
    except ValidationError as error:
        refused: dict[str, str] = {}
        for issue in error.errors():
            loc = issue["loc"]
            key = str(loc[0]) if loc else "?"
            detail = ".".join(str(part) for part in loc)
            reason = (_unknown_key(loc) if issue["type"] == "extra_forbidden"
                      else issue["msg"])
            refused.setdefault(key, f"key '{detail}': {reason}")
        return refused
    return {}


NOT_A_KEY = "is not a policy key"


def _unknown_key(loc: tuple[int | str, ...]) -> str:
    """'is not a policy key', with the known key nearest to it when one is close."""
    known: list[str] = list(POLICY_KEYS)
    if len(loc) > 1 and str(loc[0]) in POLICY_KEYS:
        group = Policy.model_fields[str(loc[0])].annotation
        known = list(getattr(group, "model_fields", {}))
    nearest = difflib.get_close_matches(str(loc[-1]), known, n=1, cutoff=0.6)
    return f"{NOT_A_KEY} (did you mean '{nearest[0]}'?)" if nearest else NOT_A_KEY


__all__ = [
    "BUILT_IN",
    "POLICY_KEYS",
    "SYSTEM_POLICY_FILE",
    "USER_SETTINGS_ENV",
    "EffectivePolicy",
    "LayerRead",
    "ManagedByIT",
    "Policy",
    "load_policy",
    "policy_sources",
    "user_settings_file",
    "validate_values",
]
