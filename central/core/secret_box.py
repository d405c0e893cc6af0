"""Secrets central must read back (managers' TOTP seeds), sealed at rest with AES-256-GCM.

The key is kept the way central keeps its signing keys (`central.core.keys`): in a key file
only central's user can read (`manager_secrets_key_file`: 32 random bytes, base64, e.g.
`openssl rand -base64 32`), else in `server_keys` (purpose `secrets`), where a copy of the
database alone no longer shows the seeds in a column but a copy with `server_keys` still
opens them: production uses the key file, kept out of the database's backups. A secret
sealed with the database's key before IT named a key file (a package upgrade that kept an
edited env file) is opened with that key once and sealed again under the file's
(`earlier_box`, used by `migrate` and at start).

A sealed value is `v1:` and base64 of a fresh 96-bit nonce and the ciphertext with its tag;
the row it belongs to is bound in as associated data, so a sealed seed copied onto another
account does not open. The cipher is `cryptography`'s AESGCM: nothing hand-made.
"""

from __future__ import annotations

import base64
import binascii
import os
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy.orm import Session, sessionmaker

from central.core.keys import KeyFileRefused, owner_only_bytes, stored_secret
from central.db.models import ServerKey

PREFIX = "v1:"
_NONCE = 12


class SecretUnreadable(ValueError):
    """A sealed secret that this key does not open (another key, or altered)."""


class SecretBox:
    def __init__(self, key: bytes) -> None:
        if len(key) != 32:
            raise KeyFileRefused("The secrets key must be 32 bytes (openssl rand -base64 32).")
        self._aead = AESGCM(key)

    def seal(self, secret: str, bound_to: str) -> str:
        nonce = os.urandom(_NONCE)
        sealed = self._aead.encrypt(nonce, secret.encode(), bound_to.encode())
        return PREFIX + base64.b64encode(nonce + sealed).decode("ascii")

    def open(self, sealed: str, bound_to: str) -> str:
        if not is_sealed(sealed):
            raise SecretUnreadable("the secret is not sealed")
        try:
            raw = base64.b64decode(sealed[len(PREFIX):], validate=True)
            return self._aead.decrypt(raw[:_NONCE], raw[_NONCE:], bound_to.encode()).decode()
        except (InvalidTag, binascii.Error, ValueError):
            raise SecretUnreadable("the secret does not open with this key") from None


def is_sealed(value: str) -> bool:
    return value.startswith(PREFIX)


def key_from_text_file(path: Path) -> bytes:
    """32 bytes, base64, from a file only its owner can read."""
    text = owner_only_bytes(path).strip()
    try:
        key = base64.b64decode(text, validate=True)
    except binascii.Error:
        key = b""
    if len(key) != 32:
        raise KeyFileRefused(f"{path} does not hold 32 bytes in base64: make one with "
                             f"`openssl rand -base64 32 > {path}` and `chmod 600 {path}`.")
    return key


def load_secret_box(sessions: sessionmaker[Session], key_file: Path | None) -> SecretBox:
    if key_file is not None:
        return SecretBox(key_from_text_file(key_file))
    return SecretBox(stored_secret(sessions, "secrets", lambda: AESGCM.generate_key(256)))


def earlier_box(sessions: sessionmaker[Session], key_file: Path | None) -> SecretBox | None:
    """With a key file configured, the key central kept in `server_keys` before it (None
    when there is no key file, or never was a stored key): secrets it sealed are moved
    under the file's key. Never makes a stored key."""
    if key_file is None:
        return None
    with sessions.begin() as session:
        row = session.get(ServerKey, "secrets")
        return SecretBox(row.private_key) if row is not None else None
