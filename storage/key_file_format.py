"""The format of ``vault.keys``: strict JSON with a checksum, written atomically, locked.

Read through pydantic models in strict mode that forbid extra fields: a missing, unknown or
mistyped field, a blob of the wrong length, or KDF parameters this app would never write is
a damaged file (``KeyFileDamaged``), never a wrong passphrase.

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
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PlainValidator,
    ValidationError,
    model_validator,
)

from storage.errors import KeyFileDamaged, SchemaTooNew
from storage.files import atomic_write
from storage.keyslots import (
    DATA_KEY_BYTES,
    FORMAT,
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


def _base64(length: int) -> PlainValidator:
    def decoded(value: Any) -> bytes:
        if not isinstance(value, str):
            raise ValueError("is not a base64 string")
        try:
            raw = base64.b64decode(value.encode("ascii"), validate=True)
        except (binascii.Error, UnicodeEncodeError):
            raise ValueError("is not valid base64") from None
        if len(raw) != length:
            raise ValueError(f"is {len(raw)} bytes, expected {length}")
        return raw

    return PlainValidator(decoded)


def _timestamp(value: Any) -> datetime | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError("is not a timestamp")
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise ValueError("is not a timestamp") from None
    if moment.tzinfo is None:
        raise ValueError("has no time zone")
    return moment


def _vault_id(value: Any) -> uuid.UUID:
    if not isinstance(value, str):
        raise ValueError("is not a string")
    try:
        return uuid.UUID(value)
    except ValueError:
        raise ValueError("is not a UUID") from None


_Count = Annotated[int, Field(ge=0)]
_WrappedKey = Annotated[bytes, _base64(DATA_KEY_BYTES + 16)]
_Nonce = Annotated[bytes, _base64(NONCE_BYTES)]
_PublicKey = Annotated[bytes, _base64(X25519_KEY_BYTES)]


class _Strict(BaseModel):
    """Exactly these fields, of exactly these JSON types: anything else is damage.

    The ``Literal`` constants spell ``storage.keyslots``' (``FORMAT``, ``WRAP_ALGORITHM`` …),
    which ``encode`` writes: a change to one there fails every round trip in the tests.
    """

    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)


class _KdfJson(_Strict):
    algorithm: Literal["argon2id"]
    memory_cost_kib: _Count
    iterations: _Count
    lanes: _Count

    @model_validator(mode="after")
    def _within_bounds(self) -> _KdfJson:
        self.params()  # parameters this app would never write (below the floor) are damage
        return self

    def params(self) -> KdfParams:
        return KdfParams(memory_cost_kib=self.memory_cost_kib, iterations=self.iterations,
                         lanes=self.lanes)


class _PassphraseSlotJson(_Strict):
    wrap: Literal["aes-256-gcm"]
    kdf: _KdfJson
    salt: Annotated[bytes, _base64(SALT_BYTES)]
    nonce: _Nonce
    wrapped_key: _WrappedKey

    def slot(self) -> PassphraseSlot:
        return PassphraseSlot(kdf=self.kdf.params(), salt=self.salt, nonce=self.nonce,
                              wrapped_key=self.wrapped_key)


class _RecoverySlotJson(_Strict):
    wrap: Literal["aes-256-gcm"]
    agreement: Literal["x25519-hkdf-sha256"]
    recipient_public_key: _PublicKey
    ephemeral_public_key: _PublicKey
    nonce: _Nonce
    wrapped_key: _WrappedKey

    def slot(self) -> RecoverySlot:
        return RecoverySlot(recipient_public_key=self.recipient_public_key,
                            ephemeral_public_key=self.ephemeral_public_key,
                            nonce=self.nonce, wrapped_key=self.wrapped_key)


class _PendingJson(_Strict):
    passphrase: _PassphraseSlotJson
    recovery: _RecoverySlotJson | None


class _SlotsJson(_Strict):
    passphrase: _PassphraseSlotJson
    recovery: _RecoverySlotJson | None
    pending: _PendingJson | None


class _ThrottleJson(_Strict):
    failed_attempts: _Count
    not_before: Annotated[datetime | None, PlainValidator(_timestamp)]
    passphrase_disabled: bool


class _KeyFileJson(_Strict):
    format: Literal["homevisit-vault-keys"]
    version: Literal[1]
    vault_id: Annotated[uuid.UUID, PlainValidator(_vault_id)]
    slots: _SlotsJson
    throttle: _ThrottleJson
    checksum: str

    def key_file(self) -> KeyFile:
        pending = self.slots.pending
        return KeyFile(
            vault_id=self.vault_id,
            passphrase=self.slots.passphrase.slot(),
            recovery=None if self.slots.recovery is None else self.slots.recovery.slot(),
            pending=None if pending is None else PendingKey(
                passphrase=pending.passphrase.slot(),
                recovery=None if pending.recovery is None else pending.recovery.slot(),
            ),
            throttle=Throttle(
                failed_attempts=self.throttle.failed_attempts,
                not_before=self.throttle.not_before,
                passphrase_disabled=self.throttle.passphrase_disabled,
            ),
        )


def _first_problem(error: ValidationError) -> str:
    """One line naming where the file is wrong, e.g. ``slots.passphrase.salt: is 5 bytes``."""
    problem = error.errors(include_url=False, include_input=False)[0]
    where = ".".join(str(part) for part in problem["loc"]) or "key file"
    message = str(problem["msg"]).removeprefix("Value error, ")
    return f"{where}: {message}"


def _homevisit_document(data: bytes, path: Path) -> dict[str, Any]:
    """The JSON object in ``data`` if it says it is a key file of a version this app reads."""
    try:
        document = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise KeyFileDamaged(path, "not valid UTF-8 JSON") from None
    if not isinstance(document, dict):
        raise KeyFileDamaged(path, "not a JSON object")
    if document.get("format") != FORMAT:
        raise KeyFileDamaged(path, "not a Homevisit key file")
    version = document.get("version")
    if type(version) is not int or version < 1:  # a bool is not a version
        raise KeyFileDamaged(path, "missing or invalid version")
    if version > VERSION:
        raise SchemaTooNew(version, VERSION, what="key file")
    return document


def decode(data: bytes, path: Path) -> KeyFile:
    """Strict reader: anything unexpected is a damaged key file, never a wrong passphrase."""
    document = _homevisit_document(data, path)
    body = {name: value for name, value in document.items() if name != "checksum"}
    if document.get("checksum") != _checksum(body):
        raise KeyFileDamaged(path, "checksum does not match the contents")
    try:
        return _KeyFileJson.model_validate(document).key_file()
    except ValidationError as error:
        raise KeyFileDamaged(path, _first_problem(error)) from None


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


