"""Ed25519 keys: devices' public keys, and central's own keys for receipts and tokens."""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from nacl.exceptions import BadSignatureError
from nacl.signing import SigningKey, VerifyKey
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from central.db.models import ServerKey


def raw_public_bytes(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def raw_private_bytes(key: Ed25519PrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )


def public_key_from_raw(raw: bytes) -> Ed25519PublicKey | None:
    if len(raw) != 32:
        return None
    try:
        return Ed25519PublicKey.from_public_bytes(raw)
    except ValueError:
        return None


def signature_is_valid(public_key: bytes, message: bytes, signature: bytes) -> bool:
    """Ed25519 (RFC 8032) through libsodium, which verifies in half the time OpenSSL takes
    here (~50 against ~100 us): one check for every record pushed."""
    if len(public_key) != 32 or len(signature) != 64:
        return False
    try:
        VerifyKey(public_key).verify(message, signature)
    except (BadSignatureError, ValueError, TypeError):
        return False
    return True


def fingerprint(public_key: bytes) -> str:
    """Short stable name of a device key, carried in its access tokens."""
    return hashlib.sha256(public_key).hexdigest()[:32]


@dataclass(frozen=True)
class ServerKeys:
    receipt: Ed25519PrivateKey
    token: Ed25519PrivateKey
    _receipt_signer: SigningKey = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # The same key through libsodium: Ed25519 signatures are deterministic, so the bytes
        # are identical to cryptography's, made in ~19 instead of ~29 us (one a pushed op).
        object.__setattr__(self, "_receipt_signer", SigningKey(raw_private_bytes(self.receipt)))

    @property
    def receipt_public(self) -> bytes:
        return raw_public_bytes(self.receipt.public_key())

    def sign_receipt(self, data: bytes) -> bytes:
        return self._receipt_signer.sign(data).signature

    def sign_entered_note(self, data: bytes) -> bytes:
        """Central's signature over a note entered at central (an imported notification):
        the receipt key, which every enrolled laptop holds and checks it with. A note's
        canonical JSON can never be the bytes of a receipt, a token grant or a wipe order
        (each names what it is in its own keys)."""
        return self._receipt_signer.sign(data).signature


def stored_secret(sessions: sessionmaker[Session], purpose: str,
                  make: Callable[[], bytes]) -> bytes:
    """The bytes kept in `server_keys` under `purpose`, made (once, by whichever worker gets
    there first) when missing."""
    with sessions.begin() as session:
        row = session.get(ServerKey, purpose)
        if row is not None:
            return row.private_key
    try:
        with sessions.begin() as session:
            session.add(ServerKey(purpose=purpose, private_key=make()))
    except IntegrityError:
        pass  # another worker made it first: use theirs
    with sessions.begin() as session:
        return session.scalars(select(ServerKey.private_key)
                               .where(ServerKey.purpose == purpose)).one()


def _stored_key(sessions: sessionmaker[Session], purpose: str) -> Ed25519PrivateKey:
    return Ed25519PrivateKey.from_private_bytes(stored_secret(
        sessions, purpose, lambda: raw_private_bytes(Ed25519PrivateKey.generate())))


class KeyFileRefused(ValueError):
    """A configured key file central will not use; the message says what to do."""


def owner_only_bytes(path: Path) -> bytes:
    """A key file's bytes, refused unless only its owner can read it (like ssh keys)."""
    try:
        mode = path.stat().st_mode
        data = path.read_bytes()
    except OSError as error:
        raise KeyFileRefused(f"{path} cannot be read: {error.strerror}.") from None
    if os.name == "posix" and mode & 0o077:
        raise KeyFileRefused(
            f"{path} can be read by other users (mode {stat.S_IMODE(mode):o}): run "
            f"`chmod 600 {path}`, owned by the user central runs as.")
    return data


def key_from_file(path: Path) -> Ed25519PrivateKey:
    """An Ed25519 private key from a PEM file that only its owner can read (like ssh keys)."""
    pem = owner_only_bytes(path)
    try:
        loaded = serialization.load_pem_private_key(pem, password=None)
    except (ValueError, TypeError):
        loaded = None
    if not isinstance(loaded, Ed25519PrivateKey):
        raise KeyFileRefused(f"{path} does not hold an unencrypted PEM Ed25519 private key "
                             "(openssl genpkey -algorithm ed25519).")
    return loaded


def load_server_keys(sessions: sessionmaker[Session], receipt_key_file: Path | None,
                     token_key_file: Path | None = None) -> ServerKeys:
    """Central's keys: from key files when configured, else from (or into) the database.

    Keys kept in `server_keys` are stored in the clear, so anyone with the database or a
    backup of it can sign receipts and tokens; production should use both key files.
    """
    receipt = (key_from_file(receipt_key_file) if receipt_key_file is not None
               else _stored_key(sessions, "receipt"))
    token = (key_from_file(token_key_file) if token_key_file is not None
             else _stored_key(sessions, "token"))
    return ServerKeys(receipt=receipt, token=token)
