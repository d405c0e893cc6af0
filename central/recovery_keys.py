"""The organisation's vault recovery key pair, made by IT once.

The formats are the ones the laptop reads: the private key as an unencrypted PKCS#8 PEM
X25519 key (what `homevisit vault recover --recovery-key FILE` loads), the public key as
the base64 of its 32 raw bytes (what the policy key `recovery_public_key` holds and
`storage.keyslots.wrap_for_recovery` wraps every new vault's data key to).
"""

from __future__ import annotations

import base64
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey


@dataclass(frozen=True)
class RecoveryKeyPair:
    private_key_file: Path
    public_key_file: Path
    public_key_base64: str


class RecoveryKeyExists(Exception):
    def __init__(self, path: Path) -> None:
        super().__init__(f"{path} already exists; a recovery key is never overwritten "
                         "(vaults wrapped to it would become unrecoverable). Choose another "
                         "file name.")


def make_recovery_key_pair(private_key_file: Path) -> RecoveryKeyPair:
    """Write the private key (mode 0600, never overwriting) and the public key beside it."""
    public_key_file = private_key_file.with_name(private_key_file.name + ".pub")
    for path in (private_key_file, public_key_file):
        if path.exists():
            raise RecoveryKeyExists(path)
    private_key = X25519PrivateKey.generate()
    pem = private_key.private_bytes(serialization.Encoding.PEM,
                                    serialization.PrivateFormat.PKCS8,
                                    serialization.NoEncryption())
    raw_public = private_key.public_key().public_bytes(serialization.Encoding.Raw,
                                                       serialization.PublicFormat.Raw)
    public_b64 = base64.b64encode(raw_public).decode("ascii")
    private_key_file.parent.mkdir(parents=True, exist_ok=True)
    # O_EXCL: created here and now, 0600 from the first byte, never someone else's file.
    descriptor = os.open(private_key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as stream:
        stream.write(pem)
        stream.flush()
        os.fsync(stream.fileno())
    public_key_file.write_text(f"{public_b64}\n", encoding="ascii")
    return RecoveryKeyPair(private_key_file, public_key_file, public_b64)
