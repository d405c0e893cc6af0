"""The format of ``vault.keys``: strict JSON with a checksum, written atomically, locked.

The checksum is SHA-256 over the canonical body. It tells a damaged or naively edited file
apart from a wrong passphrase; it is not a MAC, because every slot is authenticated by its
own AES-GCM wrap (see ``storage.keyslots``).
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import hashlib
import json
import os
import sys
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from storage.errors import KeyFileDamaged, SchemaTooNew
from storage.files import atomic_write
from storage.keyslots import (
    DATA_KEY_BYTES,
    FORMAT,
    KDF_ALGORITHM,
    NONCE_BYTES,
    RECOVERY_ALGORITHM,
    SALT_BYTES,
    VERSION,
    WRAP_ALGORITHM,
    X25519_KEY_BYTES,
    KdfParams,
    KeyFile,
    PassphraseSlot,
    PendingKey,
    RecoverySlot,
    Throttle,
    _b64,
    _canonical,
)

if sys.platform == "win32":
    import msvcrt
else:
    import fcntl

def _passphrase_slot_json(slot: PassphraseSlot) -> dict[str, Any]:
    return {
        "wrap": WRAP_ALGORITHM,
        "kdf": slot.kdf.as_json(),
        "salt": _b64(slot.salt),
        "nonce": _b64(slot.nonce),
        "wrapped_key": _b64(slot.wrapped_key),
    }


def _recovery_slot_json(slot: RecoverySlot | None) -> dict[str, Any] | None:
    if slot is None:
        return None
    return {
        "wrap": WRAP_ALGORITHM,
        "agreement": RECOVERY_ALGORITHM,
        "recipient_public_key": _b64(slot.recipient_public_key),
        "ephemeral_public_key": _b64(slot.ephemeral_public_key),
        "nonce": _b64(slot.nonce),
        "wrapped_key": _b64(slot.wrapped_key),
    }


def _body(key_file: KeyFile) -> dict[str, Any]:
    pending = key_file.pending
    throttle = key_file.throttle
    return {
        "format": FORMAT,
        "version": VERSION,
        "vault_id": str(key_file.vault_id),
        "slots": {
            "passphrase": _passphrase_slot_json(key_file.passphrase),
            "recovery": _recovery_slot_json(key_file.recovery),
            "pending": None
            if pending is None
            else {
                "passphrase": _passphrase_slot_json(pending.passphrase),
                "recovery": _recovery_slot_json(pending.recovery),
            },
        },
        "throttle": {
            "failed_attempts": throttle.failed_attempts,
            "not_before": None
            if throttle.not_before is None
            else throttle.not_before.astimezone(UTC).isoformat(),
            "passphrase_disabled": throttle.passphrase_disabled,
        },
    }


def _checksum(body: dict[str, Any]) -> str:
    return hashlib.sha256(_canonical(body)).hexdigest()


def encode(key_file: KeyFile) -> bytes:
    body = _body(key_file)
    document = body | {"checksum": _checksum(body)}
    return (json.dumps(document, sort_keys=True, indent=2) + "\n").encode("utf-8")


class _Parser:
    """Strict reader: anything unexpected is a damaged key file, never a wrong passphrase."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def damaged(self, reason: str) -> KeyFileDamaged:
        return KeyFileDamaged(self.path, reason)

    def object(self, value: Any, where: str, keys: set[str]) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.damaged(f"{where} is not an object")
        if set(value) != keys:
            raise self.damaged(f"{where} has fields {sorted(value)}, expected {sorted(keys)}")
        return value

    def integer(self, value: Any, where: str) -> int:
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise self.damaged(f"{where} is not a non-negative integer")
        return value

    def boolean(self, value: Any, where: str) -> bool:
        if not isinstance(value, bool):
            raise self.damaged(f"{where} is not true or false")
        return value

    def constant(self, value: Any, where: str, expected: str) -> None:
        if value != expected:
            raise self.damaged(f"{where} is not {expected!r}")

    def blob(self, value: Any, where: str, length: int | None = None) -> bytes:
        if not isinstance(value, str):
            raise self.damaged(f"{where} is not a base64 string")
        try:
            decoded = base64.b64decode(value.encode("ascii"), validate=True)
        except (binascii.Error, UnicodeEncodeError):
            raise self.damaged(f"{where} is not valid base64") from None
        if length is not None and len(decoded) != length:
            raise self.damaged(f"{where} is {len(decoded)} bytes, expected {length}")
        return decoded

    def kdf(self, value: Any, where: str) -> KdfParams:
        raw = self.object(value, where, {"algorithm", "memory_cost_kib", "iterations", "lanes"})
        self.constant(raw["algorithm"], f"{where}.algorithm", KDF_ALGORITHM)
        try:
            return KdfParams(
                memory_cost_kib=self.integer(raw["memory_cost_kib"], f"{where}.memory_cost_kib"),
                iterations=self.integer(raw["iterations"], f"{where}.iterations"),
                lanes=self.integer(raw["lanes"], f"{where}.lanes"),
            )
        except ValueError as exc:
            raise self.damaged(f"{where}: {exc}") from None

    def passphrase_slot(self, value: Any, where: str) -> PassphraseSlot:
        raw = self.object(value, where, {"wrap", "kdf", "salt", "nonce", "wrapped_key"})
        self.constant(raw["wrap"], f"{where}.wrap", WRAP_ALGORITHM)
        return PassphraseSlot(
            kdf=self.kdf(raw["kdf"], f"{where}.kdf"),
            salt=self.blob(raw["salt"], f"{where}.salt", SALT_BYTES),
            nonce=self.blob(raw["nonce"], f"{where}.nonce", NONCE_BYTES),
            wrapped_key=self.blob(raw["wrapped_key"], f"{where}.wrapped_key", DATA_KEY_BYTES + 16),
        )

    def recovery_slot(self, value: Any, where: str) -> RecoverySlot | None:
        if value is None:
            return None
        raw = self.object(
            value,
            where,
            {
                "wrap",
                "agreement",
                "recipient_public_key",
                "ephemeral_public_key",
                "nonce",
                "wrapped_key",
            },
        )
        self.constant(raw["wrap"], f"{where}.wrap", WRAP_ALGORITHM)
        self.constant(raw["agreement"], f"{where}.agreement", RECOVERY_ALGORITHM)
        return RecoverySlot(
            recipient_public_key=self.blob(
                raw["recipient_public_key"], f"{where}.recipient_public_key", X25519_KEY_BYTES
            ),
            ephemeral_public_key=self.blob(
                raw["ephemeral_public_key"], f"{where}.ephemeral_public_key", X25519_KEY_BYTES
            ),
            nonce=self.blob(raw["nonce"], f"{where}.nonce", NONCE_BYTES),
            wrapped_key=self.blob(raw["wrapped_key"], f"{where}.wrapped_key", DATA_KEY_BYTES + 16),
        )

    def throttle(self, value: Any) -> Throttle:
        raw = self.object(
            value, "throttle", {"failed_attempts", "not_before", "passphrase_disabled"}
        )
        not_before: datetime | None = None
        if raw["not_before"] is not None:
            if not isinstance(raw["not_before"], str):
                raise self.damaged("throttle.not_before is not a timestamp")
            try:
                not_before = datetime.fromisoformat(raw["not_before"])
            except ValueError:
                raise self.damaged("throttle.not_before is not a timestamp") from None
            if not_before.tzinfo is None:
                raise self.damaged("throttle.not_before has no time zone")
        return Throttle(
            failed_attempts=self.integer(raw["failed_attempts"], "throttle.failed_attempts"),
            not_before=not_before,
            passphrase_disabled=self.boolean(
                raw["passphrase_disabled"], "throttle.passphrase_disabled"
            ),
        )

    def key_file(self, data: bytes) -> KeyFile:
        try:
            document = json.loads(data.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            raise self.damaged("not valid UTF-8 JSON") from None
        if not isinstance(document, dict):
            raise self.damaged("not a JSON object")
        if document.get("format") != FORMAT:
            raise self.damaged("not a Homevisit key file")
        version = document.get("version")
        if not isinstance(version, int) or isinstance(version, bool) or version < 1:
            raise self.damaged("missing or invalid version")
        if version > VERSION:
            raise SchemaTooNew(version, VERSION, what="key file")
        raw = self.object(
            document, "key file", {"format", "version", "vault_id", "slots", "throttle", "checksum"}
        )
        body = {name: value for name, value in raw.items() if name != "checksum"}
        if raw["checksum"] != _checksum(body):
            raise self.damaged("checksum does not match the contents")
        if not isinstance(raw["vault_id"], str):
            raise self.damaged("vault_id is not a string")
        try:
            vault_id = uuid.UUID(raw["vault_id"])
        except ValueError:
            raise self.damaged("vault_id is not a UUID") from None
        slots = self.object(raw["slots"], "slots", {"passphrase", "recovery", "pending"})
        pending: PendingKey | None = None
        if slots["pending"] is not None:
            raw_pending = self.object(slots["pending"], "slots.pending", {"passphrase", "recovery"})
            pending = PendingKey(
                passphrase=self.passphrase_slot(
                    raw_pending["passphrase"], "slots.pending.passphrase"
                ),
                recovery=self.recovery_slot(raw_pending["recovery"], "slots.pending.recovery"),
            )
        return KeyFile(
            vault_id=vault_id,
            passphrase=self.passphrase_slot(slots["passphrase"], "slots.passphrase"),
            recovery=self.recovery_slot(slots["recovery"], "slots.recovery"),
            pending=pending,
            throttle=self.throttle(raw["throttle"]),
        )


def decode(data: bytes, path: Path) -> KeyFile:
    return _Parser(path).key_file(data)


def read(path: Path) -> KeyFile:
    """Read and verify ``vault.keys``; ``KeyFileDamaged`` for anything malformed.

    ``FileNotFoundError`` and other ``OSError`` propagate to the caller.
    """
    return decode(path.read_bytes(), path)


def write(path: Path, key_file: KeyFile) -> None:
    """Atomically replace ``path``: temp file, fsync, rename, fsync the directory; mode 0600."""
    atomic_write(path, encode(key_file))


@contextlib.contextmanager
def locked(lock_path: Path) -> Iterator[None]:
    """Serialise read-modify-write of the key file across threads and processes.

    Without it a stale writer could put back the slots of a data key that a concurrent
    rotation has just retired, leaving no slot that opens the database.
    """
    descriptor = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        if sys.platform == "win32":
            msvcrt.locking(descriptor, msvcrt.LK_LOCK, 1)
        else:
            fcntl.flock(descriptor, fcntl.LOCK_EX)
        try:
            yield
        finally:
            if sys.platform == "win32":
                msvcrt.locking(descriptor, msvcrt.LK_UNLCK, 1)
            else:
                fcntl.flock(descriptor, fcntl.LOCK_UN)
    finally:
        os.close(descriptor)


