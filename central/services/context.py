"""Who is calling: the enrolled device and the person it belongs to."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sync.protocol import Role


@dataclass(frozen=True)
class DeviceContext:
    device_id: uuid.UUID
    public_key: bytes
    user_id: int
    username: str
    role: Role
    team_id: int | None
    # Reported lost, calling with its push-only token: it may push, and nothing else.
    lost: bool = False

    @property
    def actor(self) -> str:
        return f"device:{self.device_id}"
