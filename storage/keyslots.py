"""The key-slot file ``vault.keys`` beside ``vault.db``, in the manner of LUKS.

The vault's 256-bit data key is never stored in the clear. Each slot holds it wrapped
with AES-256-GCM under a key-encryption key (KEK):

* the passphrase slot: KEK = Argon2id(passphrase, salt, parameters);
* the optional recovery slot: KEK = HKDF-SHA256 over an X25519 exchange between a fresh
  ephemeral key and the organisation's recovery public key, so only IT's private key
  can reopen the vault;
* the optional pending slots: the next data key while ``rotate_data_key`` runs.

The associated data of every wrap binds the file format and version, the vault id, the
slot type and that slot's parameters, so a slot moved between vaults or a tampered
parameter fails to unwrap. The file also carries the unlock throttle state and a
SHA-256 checksum that tells a damaged or naively edited file apart from a wrong
passphrase. The checksum is not a MAC: anyone who can edit the file can recompute it,
which gains them nothing because every slot is still authenticated by AES-GCM.

Only ``cryptography`` primitives are used. Python cannot reliably erase secrets; the
data key travels as a ``bytearray`` that callers zero when done, but ``bytes`` and
``str`` copies made by ``cryptography`` and by the caller's passphrase cannot be erased.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import hashlib
import json
import logging
import os
import sys
import tempfile
import time
import unicodedata
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.argon2 import Argon2id
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from storage.errors import (
    KeyFileDamaged,
    PassphraseDisabled,
    PassphraseTooShort,
    SchemaTooNew,
    UnlockThrottled,
)

if sys.platform == "win32":
    import msvcrt
else:
    import fcntl

logger = logging.getLogger(__name__)

FORMAT = "homevisit-vault-keys"
VERSION = 1
DATA_KEY_BYTES = 32
SALT_BYTES = 16
NONCE_BYTES = 12
X25519_KEY_BYTES = 32

KDF_ALGORITHM = "argon2id"
WRAP_ALGORITHM = "aes-256-gcm"
RECOVERY_ALGORITHM = "x25519-hkdf-sha256"
RECOVERY_HKDF_LABEL = b"homevisit vault recovery slot v1"

MINIMUM_MEMORY_COST_KIB = 65536
MINIMUM_ITERATIONS = 3
LANES = 4
# Upper bounds keep a tampered file from making unlock allocate gigabytes or spin for minutes.
MAXIMUM_MEMORY_COST_KIB = 4 * 1024 * 1024
MAXIMUM_ITERATIONS = 64
# Calibration grows memory first, then time; 256 MiB leaves room on an 8 GiB laptop.
CALIBRATION_MEMORY_CAP_KIB = 256 * 1024

FREE_FAILED_ATTEMPTS = 3
MAXIMUM_UNLOCK_DELAY_SECONDS = 300.0
DEFAULT_FAILED_UNLOCK_LIMIT = 10


@dataclass(frozen=True)
class KdfParams:
    """Argon2id cost parameters; never below 64 MiB, 3 passes, 4 lanes."""

    memory_cost_kib: int = MINIMUM_MEMORY_COST_KIB
    iterations: int = MINIMUM_ITERATIONS
    lanes: int = LANES

    def __post_init__(self) -> None:
        for name in ("memory_cost_kib", "iterations", "lanes"):
            value = getattr(self, name)
            if not isinstance(value, int) or isinstance(value, bool):
                raise ValueError(f"KdfParams.{name} must be an integer")
        if not MINIMUM_MEMORY_COST_KIB <= self.memory_cost_kib <= MAXIMUM_MEMORY_COST_KIB:
            raise ValueError(
                f"Argon2id memory must be between {MINIMUM_MEMORY_COST_KIB} and "
                f"{MAXIMUM_MEMORY_COST_KIB} KiB"
            )
        if not MINIMUM_ITERATIONS <= self.iterations <= MAXIMUM_ITERATIONS:
            raise ValueError(
                f"Argon2id iterations must be between {MINIMUM_ITERATIONS} and {MAXIMUM_ITERATIONS}"
            )
        if self.lanes != LANES:
            raise ValueError(f"Argon2id lanes must be {LANES}")

    def as_json(self) -> dict[str, Any]:
        return {
            "algorithm": KDF_ALGORITHM,
            "memory_cost_kib": self.memory_cost_kib,
            "iterations": self.iterations,
            "lanes": self.lanes,
        }


def _passphrase_bytes(passphrase: str) -> bytes:
    # NFC so the same passphrase typed on macOS (NFD input) and Windows derives the same key.
    return unicodedata.normalize("NFC", passphrase).encode("utf-8")


def check_passphrase_length(passphrase: str, minimum_length: int) -> None:
    if len(unicodedata.normalize("NFC", passphrase)) < minimum_length:
        raise PassphraseTooShort(minimum_length)


def derive_kek(passphrase: str, salt: bytes, kdf: KdfParams) -> bytes:
    """Argon2id(passphrase) -> 32-byte key-encryption key. Deliberately slow."""
    return Argon2id(
        salt=salt,
        length=DATA_KEY_BYTES,
        iterations=kdf.iterations,
        lanes=kdf.lanes,
        memory_cost=kdf.memory_cost_kib,
    ).derive(_passphrase_bytes(passphrase))


def _time_derivation(kdf: KdfParams) -> float:
    started = time.perf_counter()
    derive_kek("calibration", os.urandom(SALT_BYTES), kdf)
    return time.perf_counter() - started


def calibrate_kdf(target_seconds: float = 0.5) -> KdfParams:
    """Parameters for which one derivation takes about ``target_seconds`` here.

    Starts at the minimum and never goes below it; raises memory first (up to
    256 MiB), then the number of passes.
    """
    params = KdfParams()
    elapsed = _time_derivation(params)
    if elapsed >= target_seconds:
        return params
    memory = int(params.memory_cost_kib * target_seconds / elapsed) // 1024 * 1024
    memory = max(MINIMUM_MEMORY_COST_KIB, min(CALIBRATION_MEMORY_CAP_KIB, memory))
    params = KdfParams(memory_cost_kib=memory)
    elapsed = _time_derivation(params)
    if elapsed < 0.9 * target_seconds:
        iterations = round(params.iterations * target_seconds / elapsed)
        iterations = max(MINIMUM_ITERATIONS, min(MAXIMUM_ITERATIONS, iterations))
        params = KdfParams(memory_cost_kib=memory, iterations=iterations)
    logger.info("calibrated Argon2id: %d KiB, %d passes", params.memory_cost_kib, params.iterations)
    return params


@dataclass(frozen=True)
class PassphraseSlot:
    kdf: KdfParams
    salt: bytes
    nonce: bytes
    wrapped_key: bytes


@dataclass(frozen=True)
class RecoverySlot:
    recipient_public_key: bytes
    ephemeral_public_key: bytes
    nonce: bytes
    wrapped_key: bytes


@dataclass(frozen=True)
class PendingKey:
    """The next data key, wrapped both ways, while a rotation is under way."""

    passphrase: PassphraseSlot
    recovery: RecoverySlot | None


@dataclass(frozen=True)
class Throttle:
    failed_attempts: int = 0
    not_before: datetime | None = None
    passphrase_disabled: bool = False


@dataclass(frozen=True)
class KeyFile:
    vault_id: uuid.UUID
    passphrase: PassphraseSlot
    recovery: RecoverySlot | None = None
    pending: PendingKey | None = None
    throttle: Throttle = field(default_factory=Throttle)


def _b64(value: bytes) -> str:
    return base64.b64encode(value).decode("ascii")


def _canonical(value: Any) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode(
        "ascii"
    )


def _aad(vault_id: uuid.UUID, slot_type: str, bound: dict[str, Any]) -> bytes:
    return _canonical(
        {"format": FORMAT, "version": VERSION, "vault_id": str(vault_id), "slot": slot_type} | bound
    )


def _passphrase_aad(vault_id: uuid.UUID, kdf: KdfParams) -> bytes:
    return _aad(vault_id, "passphrase", {"kdf": kdf.as_json()})


def _recovery_aad(vault_id: uuid.UUID, recipient: bytes, ephemeral: bytes) -> bytes:
    return _aad(
        vault_id,
        "recovery",
        {"recipient_public_key": _b64(recipient), "ephemeral_public_key": _b64(ephemeral)},
    )


def _unwrap(kek: bytes, nonce: bytes, wrapped_key: bytes, aad: bytes) -> bytearray | None:
    try:
        plain = AESGCM(kek).decrypt(nonce, wrapped_key, aad)
    except InvalidTag:
        return None
    if len(plain) != DATA_KEY_BYTES:
        return None
    return bytearray(plain)


def wrap_with_kek(
    data_key: bytearray, kek: bytes, salt: bytes, vault_id: uuid.UUID, kdf: KdfParams
) -> PassphraseSlot:
    """Wrap under an already derived KEK (saves a second Argon2id run during rotation)."""
    nonce = os.urandom(NONCE_BYTES)
    wrapped = AESGCM(kek).encrypt(nonce, bytes(data_key), _passphrase_aad(vault_id, kdf))
    return PassphraseSlot(kdf=kdf, salt=salt, nonce=nonce, wrapped_key=wrapped)


def wrap_with_passphrase(
    data_key: bytearray, passphrase: str, vault_id: uuid.UUID, kdf: KdfParams
) -> PassphraseSlot:
    salt = os.urandom(SALT_BYTES)
    return wrap_with_kek(data_key, derive_kek(passphrase, salt, kdf), salt, vault_id, kdf)


def unwrap_with_kek(slot: PassphraseSlot, kek: bytes, vault_id: uuid.UUID) -> bytearray | None:
    return _unwrap(kek, slot.nonce, slot.wrapped_key, _passphrase_aad(vault_id, slot.kdf))


def unwrap_with_passphrase(
    slot: PassphraseSlot, passphrase: str, vault_id: uuid.UUID
) -> bytearray | None:
    """The data key, or ``None`` if the passphrase (or the slot) is wrong."""
    return unwrap_with_kek(slot, derive_kek(passphrase, slot.salt, slot.kdf), vault_id)


def generate_recovery_key_pair() -> tuple[bytes, bytes]:
    """(private, public) raw X25519 keys, for IT tooling and tests."""
    private_key = X25519PrivateKey.generate()
    return private_key.private_bytes_raw(), private_key.public_key().public_bytes_raw()


def validate_recovery_public_key(public_key: bytes) -> None:
    if not isinstance(public_key, bytes) or len(public_key) != X25519_KEY_BYTES:
        raise ValueError("the recovery public key must be 32 raw X25519 bytes")
    X25519PublicKey.from_public_bytes(public_key)


def _recovery_kek(shared_secret: bytes, ephemeral: bytes, recipient: bytes) -> bytes:
    return HKDF(
        algorithm=hashes.SHA256(),
        length=DATA_KEY_BYTES,
        salt=None,
        info=RECOVERY_HKDF_LABEL + ephemeral + recipient,
    ).derive(shared_secret)


def wrap_for_recovery(
    data_key: bytearray, recipient_public_key: bytes, vault_id: uuid.UUID
) -> RecoverySlot:
    validate_recovery_public_key(recipient_public_key)
    ephemeral_private = X25519PrivateKey.generate()
    ephemeral = ephemeral_private.public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )
    shared = ephemeral_private.exchange(X25519PublicKey.from_public_bytes(recipient_public_key))
    kek = _recovery_kek(shared, ephemeral, recipient_public_key)
    nonce = os.urandom(NONCE_BYTES)
    wrapped = AESGCM(kek).encrypt(
        nonce, bytes(data_key), _recovery_aad(vault_id, recipient_public_key, ephemeral)
    )
    return RecoverySlot(
        recipient_public_key=recipient_public_key,
        ephemeral_public_key=ephemeral,
        nonce=nonce,
        wrapped_key=wrapped,
    )


def unwrap_with_recovery_key(
    slot: RecoverySlot, private_key: bytes, vault_id: uuid.UUID
) -> bytearray | None:
    """The data key, or ``None`` if ``private_key`` is not the slot's recipient."""
    try:
        recipient_private = X25519PrivateKey.from_private_bytes(private_key)
    except (ValueError, TypeError):
        return None
    if recipient_private.public_key().public_bytes_raw() != slot.recipient_public_key:
        return None
    try:
        shared = recipient_private.exchange(
            X25519PublicKey.from_public_bytes(slot.ephemeral_public_key)
        )
    except ValueError:
        return None
    kek = _recovery_kek(shared, slot.ephemeral_public_key, slot.recipient_public_key)
    aad = _recovery_aad(vault_id, slot.recipient_public_key, slot.ephemeral_public_key)
    return _unwrap(kek, slot.nonce, slot.wrapped_key, aad)


def zero(secret: bytearray) -> None:
    """Overwrite a key in place (other copies Python made cannot be reached)."""
    for index in range(len(secret)):
        secret[index] = 0


# --- throttle ------------------------------------------------------------------------------


def utcnow() -> datetime:
    return datetime.now(UTC)


def unlock_delay_seconds(failed_attempts: int) -> float:
    """No wait for the first three failures, then 1, 2, 4 … seconds, at most five minutes."""
    if failed_attempts < FREE_FAILED_ATTEMPTS:
        return 0.0
    exponent = min(failed_attempts - FREE_FAILED_ATTEMPTS, 16)
    return min(float(2**exponent), MAXIMUM_UNLOCK_DELAY_SECONDS)


def check_throttle(throttle: Throttle, failed_unlock_limit: int, now: datetime) -> None:
    """Raise if a passphrase may not be tried now."""
    if throttle.passphrase_disabled or throttle.failed_attempts >= failed_unlock_limit:
        raise PassphraseDisabled()
    if throttle.not_before is not None and now < throttle.not_before:
        # Capped so a clock set back does not lock the worker out for hours.
        wait = min((throttle.not_before - now).total_seconds(), MAXIMUM_UNLOCK_DELAY_SECONDS)
        raise UnlockThrottled(wait)


def record_failure(throttle: Throttle, failed_unlock_limit: int, now: datetime) -> Throttle:
    failed = throttle.failed_attempts + 1
    delay = unlock_delay_seconds(failed)
    return Throttle(
        failed_attempts=failed,
        not_before=now + timedelta(seconds=delay) if delay else None,
        passphrase_disabled=throttle.passphrase_disabled or failed >= failed_unlock_limit,
    )


# --- file format ---------------------------------------------------------------------------


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


def encode_key_file(key_file: KeyFile) -> bytes:
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


def decode_key_file(data: bytes, path: Path) -> KeyFile:
    return _Parser(path).key_file(data)


def read_key_file(path: Path) -> KeyFile:
    """Read and verify ``vault.keys``; ``KeyFileDamaged`` for anything malformed.

    ``FileNotFoundError`` and other ``OSError`` propagate to the caller.
    """
    return decode_key_file(path.read_bytes(), path)


def _fsync_directory(directory: Path) -> None:
    if sys.platform == "win32":
        return  # Windows cannot open a directory; NTFS journals the rename itself.
    descriptor = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def write_key_file(path: Path, key_file: KeyFile) -> None:
    """Atomically replace ``path``: temp file, fsync, rename, fsync the directory; mode 0600."""
    data = encode_key_file(key_file)
    descriptor, temporary = tempfile.mkstemp(
        prefix=f".{path.name}.", suffix=".tmp", dir=path.parent
    )
    try:
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, 0o600)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    _fsync_directory(path.parent)


@contextlib.contextmanager
def key_file_lock(lock_path: Path) -> Iterator[None]:
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


def with_throttle(key_file: KeyFile, throttle: Throttle) -> KeyFile:
    return replace(key_file, throttle=throttle)
