"""Central checks record signatures with libsodium; the laptop signs with cryptography
(OpenSSL). Both are Ed25519 (RFC 8032): what one signs the other must accept, and nothing
else."""

from __future__ import annotations

import os

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import given, settings
from hypothesis import strategies as st

from central.core.keys import ServerKeys, raw_public_bytes, signature_is_valid


@settings(max_examples=60, deadline=None)
@given(message=st.binary(max_size=4096), flip=st.integers(min_value=0, max_value=8 * 64 - 1))
def test_a_laptop_signature_verifies_and_any_changed_bit_does_not(message: bytes,
                                                                  flip: int) -> None:
    key = Ed25519PrivateKey.generate()
    public = raw_public_bytes(key.public_key())
    signature = key.sign(message)
    assert signature_is_valid(public, message, signature)
    bent = bytearray(signature)
    bent[flip // 8] ^= 1 << (flip % 8)
    assert not signature_is_valid(public, message, bytes(bent))
    assert not signature_is_valid(public, message + b"x", signature)
    other = raw_public_bytes(Ed25519PrivateKey.generate().public_key())
    assert not signature_is_valid(other, message, signature)


def test_malformed_keys_and_signatures_are_refused_not_raised() -> None:
    key = Ed25519PrivateKey.generate()
    public = raw_public_bytes(key.public_key())
    signature = key.sign(b"record")
    assert not signature_is_valid(public[:31], b"record", signature)
    assert not signature_is_valid(public, b"record", signature[:63])
    assert not signature_is_valid(public, b"record", b"")
    assert not signature_is_valid(bytes(32), b"record", signature)  # a small-order point
    assert not signature_is_valid(os.urandom(32), b"record", os.urandom(64))


def test_receipts_signed_through_libsodium_are_the_bytes_cryptography_makes() -> None:
    receipt, token = Ed25519PrivateKey.generate(), Ed25519PrivateKey.generate()
    keys = ServerKeys(receipt=receipt, token=token)
    for body in (b"", b"receipt body", os.urandom(300)):
        signature = keys.sign_receipt(body)
        assert signature == receipt.sign(body)
        receipt.public_key().verify(signature, body)
