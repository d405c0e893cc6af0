"""The laptop's own signing key: it signs every submitted record, and lives in the vault."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from storage.transactions import Connection, transaction


@dataclass(frozen=True)
class DeviceIdentity:
    device_id: uuid.UUID
    _private_key: Ed25519PrivateKey

    @classmethod
    def load_or_create(cls, conn: Connection) -> DeviceIdentity:
        """The vault's device key, made on first use and never exported."""
        with transaction(conn):
            row = conn.execute("SELECT device_id, signing_key FROM device").fetchone()
            if row is None:
                key = Ed25519PrivateKey.generate()
                device_id = uuid.uuid4()
                raw = key.private_bytes(
                    serialization.Encoding.Raw,
                    serialization.PrivateFormat.Raw,
                    serialization.NoEncryption(),
                )
                conn.execute(
                    "INSERT INTO device (singleton, device_id, signing_key, created_at) "
                    "VALUES (1, ?, ?, ?)",
                    (str(device_id), raw, datetime.now(UTC).isoformat()),
                )
                return cls(device_id, key)
        return cls(uuid.UUID(row[0]), Ed25519PrivateKey.from_private_bytes(bytes(row[1])))

    def sign(self, message: bytes) -> bytes:
        return self._private_key.sign(message)

    def assertion_key(self) -> Ed25519PrivateKey:
        """The key object, for signing client assertions to central in memory; never stored."""
        return self._private_key

    @property
    def public_key(self) -> bytes:
        return self._private_key.public_key().public_bytes(
            serialization.Encoding.Raw, serialization.PublicFormat.Raw
        )


def signature_is_valid(public_key: bytes, message: bytes, signature: bytes) -> bool:
    try:
        Ed25519PublicKey.from_public_bytes(public_key).verify(signature, message)
    except (InvalidSignature, ValueError):
        return False
    return True
