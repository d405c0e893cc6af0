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
import ctypes
import json
import logging
import os
import sys
import time
import unicodedata
import uuid
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.argon2 import Argon2id
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from storage.errors import (
    PassphraseDisabled,
    PassphraseTooShort,
    UnlockThrottled,
)

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


def pin(secret: bytearray) -> bool:
    """Lock the memory holding a key into RAM so it is never written to swap.

    Best effort, and says whether it worked: ``mlock`` can be refused (a low
    ``RLIMIT_MEMLOCK``), and on Windows the key stays pageable; encrypted swap is the
    backstop (docs/it-deployment.md). The page stays locked until the process ends, so
    zeroing the key on lock (``zero``) leaves nothing behind in it.
    """
    if not secret or sys.platform == "win32":
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        view = (ctypes.c_char * len(secret)).from_buffer(secret)
        address = ctypes.addressof(view)
        del view
        return int(libc.mlock(ctypes.c_void_p(address), ctypes.c_size_t(len(secret)))) == 0
    except (OSError, AttributeError):
        return False


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


def with_throttle(key_file: KeyFile, throttle: Throttle) -> KeyFile:
    return replace(key_file, throttle=throttle)
