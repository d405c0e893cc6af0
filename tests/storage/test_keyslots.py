"""The key-slot file: wrapping, throttle arithmetic and the on-disk format."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import stat
import sys
import threading
import time
import unicodedata
import uuid
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from storage import key_file_format, keyslots
from storage.errors import (
    KeyFileDamaged,
    PassphraseDisabled,
    PassphraseTooShort,
    SchemaTooNew,
    UnlockThrottled,
)
from storage.keyslots import KdfParams, KeyFile, PendingKey, Throttle

# The KDF's own tests: every derivation runs Argon2id (see tests/conftest.py).
DERIVE_EVERY_TIME = True

PASSPHRASE = "plum orchard lantern seventy"
VAULT_ID = uuid.UUID("0f5a8f0e-4b0f-4d36-9c53-4d0c8e6f1a21")


@pytest.fixture(scope="module")
def data_key() -> bytearray:
    return bytearray(os.urandom(32))


@pytest.fixture(scope="module")
def passphrase_slot(data_key: bytearray) -> keyslots.PassphraseSlot:
    return keyslots.wrap_with_passphrase(data_key, PASSPHRASE, VAULT_ID, KdfParams())


@pytest.fixture(scope="module")
def sample_key_file(
    data_key: bytearray,
    passphrase_slot: keyslots.PassphraseSlot,
) -> KeyFile:
    _, public = keyslots.generate_recovery_key_pair()
    return KeyFile(
        vault_id=VAULT_ID,
        passphrase=passphrase_slot,
        recovery=keyslots.wrap_for_recovery(data_key, public, VAULT_ID),
        throttle=Throttle(
            failed_attempts=4,
            not_before=datetime(2025, 3, 1, 9, 30, tzinfo=UTC),
            passphrase_disabled=False,
        ),
    )


def _document(key_file: KeyFile) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(key_file_format.encode(key_file))
    return document


def _with_checksum(document: dict[str, Any]) -> bytes:
    """Re-sign an edited document the way a careful attacker would."""
    body = {name: value for name, value in document.items() if name != "checksum"}
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":")).encode()
    document["checksum"] = hashlib.sha256(canonical).hexdigest()
    return json.dumps(document).encode()


# --- KDF parameters --------------------------------------------------------------------


@pytest.mark.parametrize(
    "arguments",
    [
        {"memory_cost_kib": 65535},
        {"iterations": 2},
        {"lanes": 1},
        {"lanes": 8},
        {"memory_cost_kib": 8 * 1024 * 1024},
        {"iterations": True},
    ],
)
def test_kdf_parameters_below_the_floor_are_refused(arguments: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        KdfParams(**arguments)


def test_kdf_minimum_is_the_design_floor() -> None:
    assert KdfParams() == KdfParams(memory_cost_kib=65536, iterations=3, lanes=4)


def test_calibration_never_goes_below_the_minimum() -> None:
    assert keyslots.calibrate_kdf(target_seconds=0.0001) == KdfParams()


def test_calibration_raises_cost_towards_the_target() -> None:
    params = keyslots.calibrate_kdf(target_seconds=0.5)
    assert params.memory_cost_kib >= 65536 and params.iterations >= 3 and params.lanes == 4
    started = time.perf_counter()
    keyslots.derive_kek("x", os.urandom(16), params)
    assert time.perf_counter() - started >= 0.3


# --- wrapping ---


def test_passphrase_slot_round_trip(
    data_key: bytearray, passphrase_slot: keyslots.PassphraseSlot
) -> None:
    assert keyslots.unwrap_with_passphrase(passphrase_slot, PASSPHRASE, VAULT_ID) == data_key
    assert keyslots.unwrap_with_passphrase(passphrase_slot, PASSPHRASE + "!", VAULT_ID) is None


def test_passphrase_slot_is_bound_to_its_vault_and_parameters(
    passphrase_slot: keyslots.PassphraseSlot,
) -> None:
    other_vault = uuid.uuid4()
    assert keyslots.unwrap_with_passphrase(passphrase_slot, PASSPHRASE, other_vault) is None
    kek = keyslots.derive_kek(PASSPHRASE, passphrase_slot.salt, passphrase_slot.kdf)
    # Same KEK, but the slot claims different parameters: the AAD no longer matches.
    tampered = replace(passphrase_slot, kdf=KdfParams(iterations=4))
    assert keyslots.unwrap_with_kek(tampered, kek, VAULT_ID) is None
    assert keyslots.unwrap_with_kek(passphrase_slot, kek, VAULT_ID) is not None


def test_passphrase_is_normalised_so_any_keyboard_opens_the_slot(data_key: bytearray) -> None:
    composed = "café crème brûlée soufflé"
    slot = keyslots.wrap_with_passphrase(data_key, composed, VAULT_ID, KdfParams())
    decomposed = unicodedata.normalize("NFD", composed)
    assert decomposed != composed
    assert keyslots.unwrap_with_passphrase(slot, decomposed, VAULT_ID) == data_key


def test_recovery_slot_round_trip_and_wrong_key(data_key: bytearray) -> None:
    private, public = keyslots.generate_recovery_key_pair()
    other_private, _ = keyslots.generate_recovery_key_pair()
    slot = keyslots.wrap_for_recovery(data_key, public, VAULT_ID)
    assert slot.recipient_public_key == public
    assert keyslots.unwrap_with_recovery_key(slot, private, VAULT_ID) == data_key
    assert keyslots.unwrap_with_recovery_key(slot, other_private, VAULT_ID) is None
    assert keyslots.unwrap_with_recovery_key(slot, b"short", VAULT_ID) is None
    assert keyslots.unwrap_with_recovery_key(slot, private, uuid.uuid4()) is None


def test_recovery_slot_uses_a_fresh_ephemeral_key_each_time(data_key: bytearray) -> None:
    _, public = keyslots.generate_recovery_key_pair()
    first = keyslots.wrap_for_recovery(data_key, public, VAULT_ID)
    second = keyslots.wrap_for_recovery(data_key, public, VAULT_ID)
    assert first.ephemeral_public_key != second.ephemeral_public_key
    assert first.wrapped_key != second.wrapped_key


@pytest.mark.parametrize("public_key", [b"", b"\x01" * 31, b"\x01" * 33])
def test_recovery_public_key_must_be_32_raw_bytes(public_key: bytes) -> None:
    with pytest.raises(ValueError):
        keyslots.validate_recovery_public_key(public_key)


def test_short_passphrase_is_refused() -> None:
    with pytest.raises(PassphraseTooShort) as refused:
        keyslots.check_passphrase_length("too short", 12)
    assert "12" in refused.value.user_message
    keyslots.check_passphrase_length("twelve chars", 12)


def test_zero_overwrites_in_place() -> None:
    secret = bytearray(b"\xff" * 32)
    view = secret
    keyslots.zero(secret)
    assert view == bytearray(32)


# --- throttle ---


def test_unlock_delay_grows_after_the_third_failure_and_is_capped() -> None:
    delays = [keyslots.unlock_delay_seconds(n) for n in range(0, 13)]
    assert delays[:3] == [0, 0, 0]
    assert delays[3:9] == [1, 2, 4, 8, 16, 32]
    assert keyslots.unlock_delay_seconds(12) == 300
    assert keyslots.unlock_delay_seconds(1000) == 300


def test_failures_count_up_to_the_limit_then_disable_the_passphrase() -> None:
    now = datetime(2025, 1, 6, 9, 0, tzinfo=UTC)
    throttle = Throttle()
    for attempt in range(1, 10):
        throttle = keyslots.record_failure(throttle, 10, now)
        assert throttle.failed_attempts == attempt
        assert not throttle.passphrase_disabled
    throttle = keyslots.record_failure(throttle, 10, now)
    assert throttle.passphrase_disabled
    with pytest.raises(PassphraseDisabled):
        keyslots.check_throttle(throttle, 10, now + timedelta(days=365))


def test_a_lowered_policy_limit_disables_at_once() -> None:
    with pytest.raises(PassphraseDisabled):
        keyslots.check_throttle(Throttle(failed_attempts=5), 5, keyslots.utcnow())


def test_throttle_reports_the_wait_and_caps_a_clock_set_back() -> None:
    now = datetime(2025, 1, 6, 9, 0, tzinfo=UTC)
    throttle = keyslots.record_failure(Throttle(failed_attempts=4), 10, now)
    with pytest.raises(UnlockThrottled) as throttled:
        keyslots.check_throttle(throttle, 10, now)
    assert throttled.value.wait_seconds == pytest.approx(4)
    keyslots.check_throttle(throttle, 10, now + timedelta(seconds=4))
    with pytest.raises(UnlockThrottled) as set_back:
        keyslots.check_throttle(throttle, 10, now - timedelta(days=2))
    assert set_back.value.wait_seconds == 300


# --- file format ---


def test_key_file_round_trip(tmp_path: Path, sample_key_file: KeyFile) -> None:
    path = tmp_path / "vault.keys"
    key_file_format.write(path, sample_key_file)
    assert key_file_format.read(path) == sample_key_file
    with_pending = replace(
        sample_key_file,
        pending=PendingKey(passphrase=sample_key_file.passphrase, recovery=None),
        recovery=None,
    )
    key_file_format.write(path, with_pending)
    assert key_file_format.read(path) == with_pending


def test_key_file_layout(tmp_path: Path, sample_key_file: KeyFile) -> None:
    path = tmp_path / "vault.keys"
    key_file_format.write(path, sample_key_file)
    document = json.loads(path.read_text(encoding="utf-8"))
    assert document["format"] == "homevisit-vault-keys"
    assert document["version"] == 1
    assert uuid.UUID(document["vault_id"]) == VAULT_ID
    assert set(document["slots"]) == {"passphrase", "recovery", "pending"}
    assert document["slots"]["passphrase"]["kdf"] == {
        "algorithm": "argon2id",
        "memory_cost_kib": 65536,
        "iterations": 3,
        "lanes": 4,
    }
    assert document["throttle"] == {
        "failed_attempts": 4,
        "not_before": "2025-03-01T09:30:00+00:00",
        "passphrase_disabled": False,
    }
    assert len(document["checksum"]) == 64


def test_key_file_is_private_and_written_without_leftovers(
    tmp_path: Path, sample_key_file: KeyFile
) -> None:
    path = tmp_path / "vault.keys"
    key_file_format.write(path, sample_key_file)
    key_file_format.write(path, sample_key_file)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["vault.keys"]


def test_failed_write_keeps_the_previous_file(
    tmp_path: Path, sample_key_file: KeyFile, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "vault.keys"
    key_file_format.write(path, sample_key_file)
    before = path.read_bytes()

    def disk_full(*_: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(keyslots.os, "replace", disk_full)
    with pytest.raises(OSError):
        key_file_format.write(path, replace(sample_key_file, throttle=Throttle()))
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["vault.keys"]


def test_flipped_byte_anywhere_is_damage_not_a_wrong_passphrase(
    tmp_path: Path, sample_key_file: KeyFile
) -> None:
    good = key_file_format.encode(sample_key_file)
    path = tmp_path / "vault.keys"
    for offset in range(0, len(good), 7):
        flipped = bytearray(good)
        flipped[offset] ^= 0x01
        with pytest.raises((KeyFileDamaged, SchemaTooNew)):
            key_file_format.decode(bytes(flipped), path)


@pytest.mark.parametrize("length", [0, 1, 10, 100, 500, -2])
def test_truncated_file_is_damage(tmp_path: Path, sample_key_file: KeyFile, length: int) -> None:
    good = key_file_format.encode(sample_key_file)
    with pytest.raises(KeyFileDamaged) as damaged:
        key_file_format.decode(good[:length], tmp_path / "vault.keys")
    assert "vault.keys" in damaged.value.user_message


def _edit(document: dict[str, Any], path: tuple[str, ...], value: Any) -> None:
    target = document
    for name in path[:-1]:
        target = target[name]
    if value is _DELETE:
        del target[path[-1]]
    else:
        target[path[-1]] = value


_DELETE = object()


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("vault_id",), "not-a-uuid"),
        (("vault_id",), 7),
        (("slots", "passphrase", "salt"), "!!!not base64!!!"),
        (("slots", "passphrase", "salt"), base64.b64encode(b"short").decode()),
        (("slots", "passphrase", "nonce"), None),
        (("slots", "passphrase", "kdf", "lanes"), 1),
        (("slots", "passphrase", "kdf", "memory_cost_kib"), 1024),
        (("slots", "passphrase", "kdf", "iterations"), "3"),
        (("slots", "passphrase", "kdf", "algorithm"), "pbkdf2"),
        (("slots", "passphrase", "wrap"), "aes-128-cbc"),
        (("slots", "passphrase", "wrapped_key"), _DELETE),
        (("slots", "recovery", "recipient_public_key"), 42),
        (("slots", "pending"), "yes"),
        (("slots", "extra"), {}),
        (("throttle", "failed_attempts"), -1),
        (("throttle", "failed_attempts"), True),
        (("throttle", "not_before"), "2025-03-01T09:30:00"),
        (("throttle", "not_before"), "yesterday"),
        (("throttle", "passphrase_disabled"), "no"),
        (("throttle",), _DELETE),
        (("format",), "luks"),
        (("version",), 0),
        (("version",), "1"),
    ],
)
def test_edited_file_with_recomputed_checksum_is_still_damage(
    tmp_path: Path, sample_key_file: KeyFile, path: tuple[str, ...], value: Any
) -> None:
    document = _document(sample_key_file)
    _edit(document, path, value)
    with pytest.raises(KeyFileDamaged) as damaged:
        key_file_format.decode(_with_checksum(document), tmp_path / "vault.keys")
    # The reason (logged) names the field's place: the object it is in, or itself.
    if len(path) > 1:
        assert damaged.value.reason.startswith(".".join(path[:-1])), damaged.value.reason
    elif path[0] == "vault_id":
        assert damaged.value.reason.startswith("vault_id"), damaged.value.reason


@pytest.mark.parametrize("content", [b"", b"[]", b"null", b"\xff\xfe", b"{}", b'{"format":'])
def test_malformed_json_is_damage(tmp_path: Path, content: bytes) -> None:
    with pytest.raises(KeyFileDamaged):
        key_file_format.decode(content, tmp_path / "vault.keys")


def test_newer_format_version_is_reported_as_too_new(
    tmp_path: Path, sample_key_file: KeyFile
) -> None:
    document = _document(sample_key_file)
    document["version"] = 2
    with pytest.raises(SchemaTooNew) as too_new:
        key_file_format.decode(_with_checksum(document), tmp_path / "vault.keys")
    assert "newer version of Homevisit" in too_new.value.user_message


@settings(max_examples=200, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(edits=st.lists(st.tuples(st.integers(min_value=0), st.integers(0, 255)), min_size=1))
def test_any_corruption_is_damage_or_changes_nothing(
    tmp_path: Path, sample_key_file: KeyFile, edits: list[tuple[int, int]]
) -> None:
    good = key_file_format.encode(sample_key_file)
    corrupted = bytearray(good)
    for position, byte in edits:
        corrupted[position % len(corrupted)] = byte
    try:
        decoded = key_file_format.decode(bytes(corrupted), tmp_path / "vault.keys")
    except (KeyFileDamaged, SchemaTooNew):
        return
    # Only an edit to insignificant JSON whitespace may survive, and it changes nothing.
    assert decoded == sample_key_file


def test_lock_excludes_a_second_holder(tmp_path: Path) -> None:
    lock = tmp_path / "vault.lock"
    acquired = threading.Event()

    def second_holder() -> None:
        with key_file_format.locked(lock):
            acquired.set()

    with key_file_format.locked(lock):
        thread = threading.Thread(target=second_holder)
        thread.start()
        assert not acquired.wait(0.3)
    thread.join(timeout=5)
    assert acquired.is_set()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc/self/status")
def test_a_pinned_key_is_locked_into_ram() -> None:
    def locked_kib() -> int:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmLck:"):
                return int(line.split()[1])
        raise AssertionError("no VmLck line")

    key = bytearray(os.urandom(keyslots.DATA_KEY_BYTES))
    assert keyslots.pin(key)
    assert locked_kib() > 0
    keyslots.zero(key)
    assert key == bytearray(keyslots.DATA_KEY_BYTES)
