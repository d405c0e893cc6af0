"""Ed25519 keys: devices' public keys, and central's own keys for receipts and tokens."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
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
    key = public_key_from_raw(public_key)
    if key is None:
        return False
    try:
        key.verify(signature, message)
    except InvalidSignature:
        return False
    return True


def fingerprint(public_key: bytes) -> str:
    """Short stable name of a device key, carried in its access tokens."""
    return hashlib.sha256(public_key).hexdigest()[:32]


@dataclass(frozen=True)
class ServerKeys:
    receipt: Ed25519PrivateKey
    token: Ed25519PrivateKey

    @property
    def receipt_public(self) -> bytes:
        return raw_public_bytes(self.receipt.public_key())


def _stored_key(sessions: sessionmaker[Session], purpose: str) -> Ed25519PrivateKey:
    with sessions.begin() as session:
        row = session.get(ServerKey, purpose)
        if row is not None:
            return Ed25519PrivateKey.from_private_bytes(row.private_key)
    fresh = Ed25519PrivateKey.generate()
    try:
        with sessions.begin() as session:
            session.add(ServerKey(purpose=purpose, private_key=raw_private_bytes(fresh)))
    except IntegrityError:
        pass  # another worker made it first: use theirs
    with sessions.begin() as session:
        stored = session.scalars(select(ServerKey).where(ServerKey.purpose == purpose)).one()
        return Ed25519PrivateKey.from_private_bytes(stored.private_key)


def load_server_keys(sessions: sessionmaker[Session], receipt_key_file: Path | None) -> ServerKeys:
    """Central's keys: from the key file when configured, else from (or into) the database."""
    if receipt_key_file is not None:
        loaded = serialization.load_pem_private_key(receipt_key_file.read_bytes(), password=None)
        if not isinstance(loaded, Ed25519PrivateKey):
            raise ValueError(f"{receipt_key_file} does not hold an Ed25519 private key")
        receipt = loaded
    else:
        receipt = _stored_key(sessions, "receipt")
    return ServerKeys(receipt=receipt, token=_stored_key(sessions, "token"))
