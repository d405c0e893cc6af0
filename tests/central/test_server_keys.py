"""Central's own signing keys from files an IT admin controls: owner-only, or refused."""

from __future__ import annotations

import warnings
from pathlib import Path

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from central.app import create_app
from central.core.config import Settings
from central.core.keys import KeyFileRefused, raw_public_bytes
from central.db.engine import make_engine, make_sessionmaker
from tests.central.harness import Central, Clock

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient


def _key_file(folder: Path, name: str, mode: int = 0o600) -> tuple[Path, Ed25519PrivateKey]:
    key = Ed25519PrivateKey.generate()
    path = folder / name
    path.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                       serialization.PrivateFormat.PKCS8,
                                       serialization.NoEncryption()))
    path.chmod(mode)
    return path, key


def test_receipts_and_tokens_are_signed_with_the_configured_key_files(
    settings: Settings, tmp_path: Path,
) -> None:
    receipt_file, receipt_key = _key_file(tmp_path, "receipt.pem")
    token_file, token_key = _key_file(tmp_path, "token.pem")
    configured = settings.model_copy(update={"receipt_key_file": receipt_file,
                                             "token_key_file": token_file})
    engine = make_engine(configured.database_url, pool_size=2)
    clock = Clock()
    with TestClient(create_app(configured, engine=engine, clock=clock)) as client:
        central = Central(client, engine, make_sessionmaker(engine), clock, engine.dialect.name)
        central.world()
        laptop = central.enroll("north1")
        token = laptop.headers()["Authorization"].removeprefix("Bearer ")
    engine.dispose()
    assert laptop.receipt_key == raw_public_bytes(receipt_key.public_key())
    claims = jwt.decode(token, token_key.public_key(), algorithms=["EdDSA"],
                        audience=configured.audience, options={"verify_exp": False})
    assert claims["sub"] == str(laptop.device_id)


@pytest.mark.parametrize("mode", [0o640, 0o644, 0o604])
def test_a_key_file_other_users_can_read_is_refused_with_what_to_do(
    settings: Settings, tmp_path: Path, mode: int,
) -> None:
    key_file, _ = _key_file(tmp_path, "receipt.pem", mode)
    configured = settings.model_copy(update={"receipt_key_file": key_file})
    engine = make_engine(configured.database_url, pool_size=1)
    with pytest.raises(KeyFileRefused, match="chmod 600"):
        create_app(configured, engine=engine)
    engine.dispose()


def test_a_key_file_that_is_not_an_ed25519_key_is_refused(
    settings: Settings, tmp_path: Path,
) -> None:
    key_file = tmp_path / "receipt.pem"
    key_file.write_text("not a key")
    key_file.chmod(0o600)
    engine = make_engine(settings.database_url, pool_size=1)
    with pytest.raises(KeyFileRefused, match="Ed25519"):
        create_app(settings.model_copy(update={"token_key_file": key_file}), engine=engine)
    engine.dispose()
