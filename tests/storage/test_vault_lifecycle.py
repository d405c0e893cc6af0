"""The vault as a worker, IT and an attacker meet it: real files, real SQLCipher, real crashes."""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import os
import signal
import sqlite3
import stat
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlcipher3

from storage import key_file_format, keyslots, migrations, vault_keys
from storage.errors import (
    KeyFileDamaged,
    MigrationFailed,
    NoRecoverySlot,
    PassphraseDisabled,
    PassphraseTooShort,
    SchemaTooNew,
    UnlockThrottled,
    VaultAlreadyExists,
    VaultBusy,
    VaultDamaged,
    VaultError,
    VaultMissing,
    VaultNotWritable,
    WrongPassphrase,
    WrongRecoveryKey,
)
from storage.keyslots import KdfParams
from storage.vault import Vault, check_vault
from tests.storage.conftest import REPOSITORY, FakeClock, RunPython

PASSPHRASE = "kettle on the windowsill"
NEW_PASSPHRASE = "blue door, third on the left"
NOTE = b"Child said: I like my new school"

# Child processes use the same one-table schema as these tests (see the fixture below).
CHILD_PRELUDE = """
import os, sys
from pathlib import Path
from storage import migrations
migrations.default_migrations = lambda: Path(os.environ["TEST_MIGRATIONS"])
"""


def child_script(code: str) -> str:
    return CHILD_PRELUDE + textwrap.dedent(code)


@pytest.fixture(autouse=True)
def test_schema(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A one-table schema, so these tests do not depend on the real migrations' content."""
    directory = tmp_path_factory.mktemp("migrations")
    (directory / "0001_notes.sql").write_text(
        "CREATE TABLE notes (id INTEGER PRIMARY KEY, body BLOB NOT NULL);\n", encoding="utf-8"
    )
    monkeypatch.setattr(migrations, "default_migrations", lambda: directory)
    monkeypatch.setenv("TEST_MIGRATIONS", str(directory))
    return directory


@pytest.fixture
def directory(tmp_path: Path) -> Path:
    return tmp_path / "vault"


@pytest.fixture
def made(directory: Path, fast_kdf: KdfParams, recovery_key_pair: tuple[bytes, bytes]) -> Path:
    """A closed vault with a recovery slot and a few hundred pages of notes."""
    with Vault.create(
        directory, PASSPHRASE, kdf=fast_kdf, recovery_public_key=recovery_key_pair[1]
    ) as vault:
        add_notes(vault.connection, 300)
    return directory


def add_notes(conn: sqlite3.Connection, count: int, size: int = 3000) -> None:
    conn.execute("BEGIN IMMEDIATE")
    conn.execute("INSERT INTO notes (body) VALUES (?)", (NOTE,))
    conn.executemany(
        "INSERT INTO notes (body) VALUES (?)", [(os.urandom(size),) for _ in range(count - 1)]
    )
    conn.execute("COMMIT")


def notes_digest(conn: sqlite3.Connection) -> str:
    digest = hashlib.sha256()
    for (body,) in conn.execute("SELECT body FROM notes ORDER BY id"):
        digest.update(body)
    return digest.hexdigest()


def file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def snapshot(directory: Path) -> dict[str, str]:
    return {path.name: file_digest(path) for path in sorted(directory.iterdir())}


def data_key(directory: Path, passphrase: str = PASSPHRASE) -> bytearray:
    key_file = key_file_format.read(directory / "vault.keys")
    key = keyslots.unwrap_with_passphrase(key_file.passphrase, passphrase, key_file.vault_id)
    assert key is not None
    return key


def opens_with(database: Path, key: bytearray) -> bool:
    conn = sqlcipher3.connect(str(database))
    try:
        conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
        conn.execute("PRAGMA cipher_log_level = NONE")
        conn.execute("SELECT count(*) FROM sqlite_schema").fetchone()
        return True
    except sqlcipher3.DatabaseError:
        return False
    finally:
        conn.close()


def throttle_of(directory: Path) -> keyslots.Throttle:
    return key_file_format.read(directory / "vault.keys").throttle


def flip_byte(path: Path, offset: int) -> None:
    with path.open("r+b") as stream:
        stream.seek(offset)
        byte = stream.read(1)[0]
        stream.seek(offset)
        stream.write(bytes([byte ^ 0x01]))


# --- create and unlock ---


def test_create_then_unlock_round_trip(made: Path) -> None:
    paths = Vault.paths(made)
    assert paths.database == made / "vault.db" and paths.key_file == made / "vault.keys"
    assert stat.S_IMODE(made.stat().st_mode) == 0o700
    assert stat.S_IMODE(paths.key_file.stat().st_mode) == 0o600
    assert stat.S_IMODE(paths.database.stat().st_mode) == 0o600
    with Vault.unlock(made, PASSPHRASE) as vault:
        assert vault.failed_attempts_before_unlock == 0
        assert vault.schema_version == 1
        assert vault.connection.execute("SELECT body FROM notes WHERE id = 1").fetchone()[0] == NOTE
        assert vault.connection.execute("SELECT count(*) FROM notes").fetchone()[0] == 300
        assert vault.check() == []
    assert check_vault(made, PASSPHRASE) == []


def test_every_connection_has_the_vault_settings(made: Path) -> None:
    with Vault.unlock(made, PASSPHRASE) as vault:
        background = vault.open_connection()
        try:
            for conn in (vault.connection, background):
                assert conn.isolation_level is None
                assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
                assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2
                assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
                assert conn.execute("PRAGMA temp_store").fetchone()[0] == 2
                assert conn.execute("PRAGMA busy_timeout").fetchone()[0] == 5000
                # Off by decision (docs/security.md, "Memory"): its cost was 3x per submit.
                assert conn.execute("PRAGMA cipher_memory_security").fetchone()[0] == "0"
        finally:
            background.close()


def test_background_thread_gets_its_own_connection(made: Path) -> None:
    with Vault.unlock(made, PASSPHRASE) as vault:
        errors: list[BaseException] = []

        def sync_thread() -> None:
            try:
                conn = vault.open_connection()
                try:
                    add_notes(conn, 5)
                finally:
                    conn.close()
            except BaseException as exc:
                errors.append(exc)

        thread = threading.Thread(target=sync_thread)
        thread.start()
        thread.join(timeout=30)
        assert errors == []
        assert vault.connection.execute("SELECT count(*) FROM notes").fetchone()[0] == 305


def test_create_refuses_an_existing_vault_and_leaves_it_alone(
    made: Path, fast_kdf: KdfParams
) -> None:
    before = snapshot(made)
    with pytest.raises(VaultAlreadyExists):
        Vault.create(made, PASSPHRASE, kdf=fast_kdf)
    assert snapshot(made) == before


def test_create_refuses_a_leftover_key_file(directory: Path, fast_kdf: KdfParams) -> None:
    directory.mkdir()
    (directory / "vault.keys").write_text("{}")
    with pytest.raises(VaultAlreadyExists):
        Vault.create(directory, PASSPHRASE, kdf=fast_kdf)
    assert sorted(p.name for p in directory.iterdir()) == ["vault.keys"]


def test_short_passphrase_creates_nothing(directory: Path, fast_kdf: KdfParams) -> None:
    with pytest.raises(PassphraseTooShort):
        Vault.create(directory, "short", kdf=fast_kdf)
    assert not directory.exists()


def test_unlock_where_there_is_no_vault(directory: Path) -> None:
    with pytest.raises(VaultMissing) as missing:
        Vault.unlock(directory, PASSPHRASE)
    assert str(directory) in missing.value.user_message


def test_plain_sqlite_cannot_read_the_vault(made: Path) -> None:
    database = made / "vault.db"
    assert not database.read_bytes().startswith(b"SQLite format 3")
    conn = sqlite3.connect(database)
    try:
        with pytest.raises(sqlite3.DatabaseError, match="not a database"):
            conn.execute("SELECT * FROM sqlite_schema").fetchall()
    finally:
        conn.close()
    assert NOTE not in database.read_bytes()


def test_secrets_never_reach_the_key_file_or_the_log(
    directory: Path,
    fast_kdf: KdfParams,
    recovery_key_pair: tuple[bytes, bytes],
    caplog: pytest.LogCaptureFixture,
    clock: FakeClock,
) -> None:
    caplog.set_level(logging.DEBUG)
    private, public = recovery_key_pair
    with Vault.create(directory, PASSPHRASE, kdf=fast_kdf, recovery_public_key=public) as vault:
        add_notes(vault.connection, 3)
    with pytest.raises(WrongPassphrase):
        Vault.unlock(directory, "a wrong passphrase guess")
    with Vault.unlock(directory, PASSPHRASE) as vault:
        first_key = data_key(directory)
        vault.rotate_data_key(PASSPHRASE)
        vault.change_passphrase(PASSPHRASE, NEW_PASSPHRASE)
    Vault.recover(directory, private, PASSPHRASE, kdf=fast_kdf).close()
    key = data_key(directory)
    content = (directory / "vault.keys").read_bytes()
    for secret_key in (first_key, key):
        for encoding in (
            bytes(secret_key),
            secret_key.hex().encode(),
            base64.b64encode(secret_key),
        ):
            assert encoding not in content
            assert encoding.decode("latin-1") not in caplog.text
    for secret in (PASSPHRASE, NEW_PASSPHRASE, "a wrong passphrase guess"):
        assert secret.encode() not in content
        assert secret not in caplog.text
    assert base64.b64encode(private) not in content and private not in content
    assert NOTE.decode() not in caplog.text


# --- wrong passphrases and the throttle ---


def test_wrong_passphrase_fails_closed_and_is_counted(made: Path, clock: FakeClock) -> None:
    database_before = file_digest(made / "vault.db")
    with pytest.raises(WrongPassphrase) as wrong:
        Vault.unlock(made, "not the passphrase at all")
    assert wrong.value.attempts_left == 9
    assert "9 more tries" in wrong.value.user_message
    assert throttle_of(made).failed_attempts == 1
    assert file_digest(made / "vault.db") == database_before
    assert sorted(p.name for p in made.iterdir()) == ["vault.db", "vault.keys", "vault.lock"]
    with Vault.unlock(made, PASSPHRASE) as vault:
        assert vault.failed_attempts_before_unlock == 1
    assert throttle_of(made) == keyslots.Throttle()


def test_throttle_delay_grows_and_binds_every_new_attempt(made: Path, clock: FakeClock) -> None:
    for _ in range(2):
        with pytest.raises(WrongPassphrase):
            Vault.unlock(made, "wrong wrong wrong")
    for expected_wait in (1, 2, 4, 8):
        with pytest.raises(WrongPassphrase):
            Vault.unlock(made, "wrong wrong wrong")
        # A fresh call (as a fresh instance or program would) is held back, even with the
        # right passphrase, and no KDF runs while it waits.
        with pytest.raises(UnlockThrottled) as throttled:
            Vault.unlock(made, PASSPHRASE)
        assert throttled.value.wait_seconds == pytest.approx(expected_wait)
        said = "wait 1 second " if expected_wait == 1 else f"wait {expected_wait} seconds"
        assert said in throttled.value.user_message
        clock.advance(expected_wait)
    assert throttle_of(made).failed_attempts == 6
    with Vault.unlock(made, PASSPHRASE) as vault:
        assert vault.failed_attempts_before_unlock == 6
    assert throttle_of(made).failed_attempts == 0


def test_throttle_persists_across_processes(
    made: Path, clock: FakeClock, run_python: RunPython
) -> None:
    for attempt in range(1, 9):
        with pytest.raises(WrongPassphrase):
            Vault.unlock(made, "wrong wrong wrong")
        clock.advance(keyslots.unlock_delay_seconds(attempt) if attempt < 8 else 0)
    result = run_python(
        child_script(
            """
        from storage.vault import Vault
        from storage.errors import UnlockThrottled
        try:
            Vault.unlock(Path(sys.argv[1]), sys.argv[2]).close()
            print("opened")
        except UnlockThrottled as throttled:
            print("throttled", throttled.wait_seconds)
        """
        ),
        str(made),
        PASSPHRASE,
    )
    assert result.returncode == 0, result.stderr
    verdict, wait = result.stdout.split()
    assert verdict == "throttled"
    assert 30 < float(wait) <= 300


def test_limit_disables_the_passphrase_wipes_nothing_and_recovery_reenables(
    made: Path, clock: FakeClock, recovery_key_pair: tuple[bytes, bytes], fast_kdf: KdfParams
) -> None:
    before = snapshot(made)
    for attempt in range(1, 4):
        clock.advance(600)
        if attempt < 3:
            with pytest.raises(WrongPassphrase) as wrong:
                Vault.unlock(made, "wrong wrong wrong", failed_unlock_limit=3)
            assert wrong.value.attempts_left == 3 - attempt
        else:
            with pytest.raises(PassphraseDisabled) as disabled:
                Vault.unlock(made, "wrong wrong wrong", failed_unlock_limit=3)
            assert "Nothing has been deleted" in disabled.value.user_message
    assert throttle_of(made).passphrase_disabled
    clock.advance(3600)
    with pytest.raises(PassphraseDisabled):
        Vault.unlock(made, PASSPHRASE, failed_unlock_limit=3)
    with pytest.raises(PassphraseDisabled):
        Vault.unlock(made, PASSPHRASE)  # a later, looser policy does not re-enable it
    after = snapshot(made)
    assert after["vault.db"] == before["vault.db"]

    with Vault.recover(made, recovery_key_pair[0], NEW_PASSPHRASE, kdf=fast_kdf) as vault:
        assert vault.failed_attempts_before_unlock == 3
        assert vault.connection.execute("SELECT count(*) FROM notes").fetchone()[0] == 300
    assert throttle_of(made) == keyslots.Throttle()
    with Vault.unlock(made, NEW_PASSPHRASE, failed_unlock_limit=3) as vault:
        assert vault.failed_attempts_before_unlock == 0
    with pytest.raises(WrongPassphrase):
        Vault.unlock(made, PASSPHRASE)


# --- recovery ---


def test_recovery_with_the_wrong_private_key(made: Path, fast_kdf: KdfParams) -> None:
    before = snapshot(made)
    other_private, _ = keyslots.generate_recovery_key_pair()
    for wrong_key in (other_private, b"not a key"):
        with pytest.raises(WrongRecoveryKey):
            Vault.recover(made, wrong_key, NEW_PASSPHRASE, kdf=fast_kdf)
    assert snapshot(made) == before


def test_recovery_without_a_recovery_slot(directory: Path, fast_kdf: KdfParams) -> None:
    Vault.create(directory, PASSPHRASE, kdf=fast_kdf).close()
    private, _ = keyslots.generate_recovery_key_pair()
    with pytest.raises(NoRecoverySlot):
        Vault.recover(directory, private, NEW_PASSPHRASE, kdf=fast_kdf)


def test_set_recovery_key_rewrites_only_the_recovery_slot(
    directory: Path, fast_kdf: KdfParams
) -> None:
    private, public = keyslots.generate_recovery_key_pair()
    with Vault.create(directory, PASSPHRASE, kdf=fast_kdf) as vault:
        add_notes(vault.connection, 10)
    database_before = file_digest(directory / "vault.db")
    passphrase_slot = key_file_format.read(directory / "vault.keys").passphrase
    with Vault.unlock(directory, PASSPHRASE) as vault:
        vault.set_recovery_key(public)
        assert file_digest(directory / "vault.db") == database_before
    assert key_file_format.read(directory / "vault.keys").passphrase == passphrase_slot
    Vault.recover(directory, private, NEW_PASSPHRASE, kdf=fast_kdf).close()
    with Vault.unlock(directory, NEW_PASSPHRASE) as vault:
        vault.set_recovery_key(None)
    with pytest.raises(NoRecoverySlot):
        Vault.recover(directory, private, PASSPHRASE, kdf=fast_kdf)


# --- changing the passphrase ---


def test_change_passphrase_leaves_the_database_byte_identical(made: Path) -> None:
    database = made / "vault.db"
    before = file_digest(database)
    with Vault.unlock(made, PASSPHRASE) as vault:
        vault.change_passphrase(PASSPHRASE, NEW_PASSPHRASE)
        assert file_digest(database) == before
    assert file_digest(database) == before
    with pytest.raises(WrongPassphrase):
        Vault.unlock(made, PASSPHRASE)
    with Vault.unlock(made, NEW_PASSPHRASE) as vault:
        assert vault.connection.execute("SELECT count(*) FROM notes").fetchone()[0] == 300


def test_change_passphrase_needs_the_old_one_and_a_long_new_one(made: Path) -> None:
    with Vault.unlock(made, PASSPHRASE) as vault:
        key_file_before = file_digest(made / "vault.keys")
        with pytest.raises(WrongPassphrase) as wrong:
            vault.change_passphrase("not the old one", NEW_PASSPHRASE)
        assert wrong.value.attempts_left is None
        with pytest.raises(PassphraseTooShort):
            vault.change_passphrase(PASSPHRASE, "short")
        assert file_digest(made / "vault.keys") == key_file_before


# --- a damaged or tampered key file ---


def _assert_key_file_damage_reported(made: Path) -> None:
    database_before = file_digest(made / "vault.db")
    with pytest.raises(KeyFileDamaged) as damaged:
        Vault.unlock(made, PASSPHRASE)
    message = damaged.value.user_message
    assert "vault.keys" in message and "Do not delete anything" in message and "IT" in message
    assert file_digest(made / "vault.db") == database_before


def test_flipped_byte_in_the_key_file_is_reported_as_damage(made: Path) -> None:
    key_file = made / "vault.keys"
    text = key_file.read_bytes()
    flip_byte(key_file, text.index(b'"wrapped_key"') + 20)
    _assert_key_file_damage_reported(made)


def test_truncated_key_file_is_reported_as_damage(made: Path) -> None:
    key_file = made / "vault.keys"
    key_file.write_bytes(key_file.read_bytes()[:200])
    _assert_key_file_damage_reported(made)


def test_missing_key_file_is_reported_as_damage(made: Path) -> None:
    (made / "vault.keys").unlink()
    _assert_key_file_damage_reported(made)


def _resign(path: Path, edit: Any) -> None:
    document = json.loads(path.read_text(encoding="utf-8"))
    edit(document)
    body = {name: value for name, value in document.items() if name != "checksum"}
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":")).encode()
    document["checksum"] = hashlib.sha256(canonical).hexdigest()
    path.write_text(json.dumps(document), encoding="utf-8")


def test_edited_kdf_parameter_with_recomputed_checksum_fails_closed(
    made: Path, clock: FakeClock
) -> None:
    def raise_iterations(document: dict[str, Any]) -> None:
        document["slots"]["passphrase"]["kdf"]["iterations"] = 4

    _resign(made / "vault.keys", raise_iterations)
    with pytest.raises(WrongPassphrase):
        Vault.unlock(made, PASSPHRASE)

    def weaken_below_floor(document: dict[str, Any]) -> None:
        document["slots"]["passphrase"]["kdf"]["memory_cost_kib"] = 8

    _resign(made / "vault.keys", weaken_below_floor)
    _assert_key_file_damage_reported(made)


def test_slot_from_another_vault_does_not_open_this_one(
    made: Path, tmp_path: Path, fast_kdf: KdfParams, clock: FakeClock
) -> None:
    other = tmp_path / "other"
    Vault.create(other, PASSPHRASE, kdf=fast_kdf).close()
    foreign_slot = json.loads((other / "vault.keys").read_text())["slots"]["passphrase"]

    def transplant(document: dict[str, Any]) -> None:
        document["slots"]["passphrase"] = foreign_slot

    _resign(made / "vault.keys", transplant)
    with pytest.raises(WrongPassphrase):
        Vault.unlock(made, PASSPHRASE)


# --- a damaged database ---


def _page_offsets(database: Path) -> dict[str, int]:
    size = database.stat().st_size
    pages = size // 4096
    assert pages > 50
    return {
        "salt in the header": 5,
        "first page": 100,
        "middle page": (pages // 2) * 4096 + 1000,
        "last page": size - 4096 + 17,
        "last page's HMAC": size - 3,
    }


@pytest.mark.parametrize(
    "where", ["salt in the header", "first page", "middle page", "last page", "last page's HMAC"]
)
def test_flipped_byte_in_the_database_is_damage_and_never_opens(made: Path, where: str) -> None:
    database = made / "vault.db"
    flip_byte(database, _page_offsets(database)[where])
    damaged_bytes = file_digest(database)
    with pytest.raises(VaultDamaged) as damaged:
        Vault.unlock(made, PASSPHRASE)
    assert damaged.value.problems
    assert "left untouched" in damaged.value.user_message
    assert file_digest(database) == damaged_bytes
    assert throttle_of(made).failed_attempts == 0  # damage is not a wrong passphrase
    assert check_vault(made, PASSPHRASE) != []
    assert file_digest(database) == damaged_bytes


def test_check_finds_damage_that_appears_while_the_vault_is_open(made: Path) -> None:
    database = made / "vault.db"
    with Vault.unlock(made, PASSPHRASE) as vault:
        assert vault.check() == []
        flip_byte(database, _page_offsets(database)["middle page"])
        problems = vault.check()
    assert any("HMAC" in problem for problem in problems)


def test_missing_database_beside_a_key_file_is_damage(made: Path) -> None:
    (made / "vault.db").unlink()
    with pytest.raises(VaultDamaged):
        Vault.unlock(made, PASSPHRASE)
    assert (made / "vault.keys").exists()


# --- schema versions ---


def test_vault_from_a_newer_homevisit_is_refused_untouched(made: Path) -> None:
    with Vault.unlock(made, PASSPHRASE) as vault:
        vault.connection.execute("PRAGMA user_version = 40")
    before = file_digest(made / "vault.db")
    with pytest.raises(SchemaTooNew):
        Vault.unlock(made, PASSPHRASE)
    assert file_digest(made / "vault.db") == before


def test_failed_migration_at_unlock_keeps_the_old_version(made: Path, test_schema: Path) -> None:
    broken = test_schema / "0002_broken.sql"
    broken.write_text("ALTER TABLE notes ADD COLUMN seen INTEGER;\nSELECT nonsense(;\n")
    with pytest.raises(MigrationFailed) as failed:
        Vault.unlock(made, PASSPHRASE)
    assert "Nothing was lost" in failed.value.user_message
    broken.write_text("ALTER TABLE notes ADD COLUMN seen INTEGER;\n")
    with Vault.unlock(made, PASSPHRASE) as vault:
        assert vault.schema_version == 2
        assert vault.connection.execute("SELECT count(seen) FROM notes").fetchone()[0] == 0


# --- rotating the data key ---


def test_rotate_data_key_reencrypts_everything(
    made: Path, recovery_key_pair: tuple[bytes, bytes], fast_kdf: KdfParams
) -> None:
    old_key = data_key(made)
    with Vault.unlock(made, PASSPHRASE) as vault:
        digest = notes_digest(vault.connection)
        vault.rotate_data_key(PASSPHRASE)
        assert vault.connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert notes_digest(vault.connection) == digest
        add_notes(vault.connection, 2)
        background = vault.open_connection()
        assert background.execute("SELECT count(*) FROM notes").fetchone()[0] == 302
        background.close()
    new_key = data_key(made)
    assert new_key != old_key
    assert not opens_with(made / "vault.db", old_key)
    assert opens_with(made / "vault.db", new_key)
    assert key_file_format.read(made / "vault.keys").pending is None
    with Vault.recover(made, recovery_key_pair[0], NEW_PASSPHRASE, kdf=fast_kdf) as vault:
        assert vault.check() == []


def test_rotate_needs_the_passphrase(made: Path) -> None:
    with Vault.unlock(made, PASSPHRASE) as vault:
        before = snapshot(made)
        with pytest.raises(WrongPassphrase):
            vault.rotate_data_key("not the passphrase")
    assert snapshot(made)["vault.keys"] == before["vault.keys"]


def test_rotate_refuses_while_another_connection_is_open(made: Path) -> None:
    old_key = data_key(made)
    with Vault.unlock(made, PASSPHRASE) as vault:
        background = vault.open_connection()
        try:
            with pytest.raises(VaultBusy):
                vault.rotate_data_key(PASSPHRASE)
        finally:
            background.close()
        assert vault.connection.execute("SELECT count(*) FROM notes").fetchone()[0] == 300
    assert key_file_format.read(made / "vault.keys").pending is None
    assert opens_with(made / "vault.db", old_key)


def test_failed_rekey_keeps_the_old_key_and_the_vault_usable(
    made: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    old_key = data_key(made)

    def disk_full(conn: sqlite3.Connection, key: bytearray) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(vault_keys, "rekey_database", disk_full)
    with Vault.unlock(made, PASSPHRASE) as vault:
        with pytest.raises(VaultNotWritable):
            vault.rotate_data_key(PASSPHRASE)
        add_notes(vault.connection, 1)
        assert vault.check() == []
    assert key_file_format.read(made / "vault.keys").pending is None
    assert data_key(made) == old_key
    with Vault.unlock(made, PASSPHRASE) as vault:
        assert vault.connection.execute("SELECT count(*) FROM notes").fetchone()[0] == 301


ROTATE_THEN_CRASH = (
    CHILD_PRELUDE
    + """
import storage.vault_keys as vault_keys
from storage.vault import Vault
rekey = vault_keys.rekey_database

def crash_before_rekey(conn, key):
    os._exit(17)

def crash_before_promote(conn, key):
    rekey(conn, key)
    os._exit(17)

def announce_then_rekey(conn, key):
    print("rekeying", flush=True)
    rekey(conn, key)

vault_keys.rekey_database = {
    "before-rekey": crash_before_rekey,
    "before-promote": crash_before_promote,
    "during-rekey": announce_then_rekey,
}[sys.argv[2]]
vault = Vault.unlock(Path(sys.argv[1]), sys.argv[3])
vault.rotate_data_key(sys.argv[3])
print("finished", flush=True)
"""
)


def _assert_intact(directory: Path, digest: str, count: int = 300) -> None:
    with Vault.unlock(directory, PASSPHRASE) as vault:
        assert vault.check() == []
        assert vault.connection.execute("SELECT count(*) FROM notes").fetchone()[0] == count
        assert notes_digest(vault.connection) == digest
    key_file = key_file_format.read(directory / "vault.keys")
    assert key_file.pending is None
    assert opens_with(directory / "vault.db", data_key(directory))


def _digest(directory: Path) -> str:
    with Vault.unlock(directory, PASSPHRASE) as vault:
        return notes_digest(vault.connection)


def test_crash_after_pending_slot_before_rekey(made: Path, run_python: RunPython) -> None:
    digest = _digest(made)
    old_key = data_key(made)
    result = run_python(ROTATE_THEN_CRASH, str(made), "before-rekey", PASSPHRASE)
    assert result.returncode == 17, result.stderr
    assert key_file_format.read(made / "vault.keys").pending is not None
    assert opens_with(made / "vault.db", old_key)
    _assert_intact(made, digest)
    assert data_key(made) == old_key


def test_crash_after_rekey_before_promotion(
    made: Path, run_python: RunPython, recovery_key_pair: tuple[bytes, bytes], fast_kdf: KdfParams
) -> None:
    digest = _digest(made)
    old_key = data_key(made)
    result = run_python(ROTATE_THEN_CRASH, str(made), "before-promote", PASSPHRASE)
    assert result.returncode == 17, result.stderr
    assert key_file_format.read(made / "vault.keys").pending is not None
    assert not opens_with(made / "vault.db", old_key)
    _assert_intact(made, digest)
    assert data_key(made) != old_key
    Vault.recover(made, recovery_key_pair[0], PASSPHRASE, kdf=fast_kdf).close()


def test_crash_before_promotion_is_finished_by_recovery_too(
    made: Path, run_python: RunPython, recovery_key_pair: tuple[bytes, bytes], fast_kdf: KdfParams
) -> None:
    digest = _digest(made)
    result = run_python(ROTATE_THEN_CRASH, str(made), "before-promote", PASSPHRASE)
    assert result.returncode == 17, result.stderr
    with Vault.recover(made, recovery_key_pair[0], PASSPHRASE, kdf=fast_kdf) as vault:
        assert notes_digest(vault.connection) == digest
    _assert_intact(made, digest)


def test_kill_during_rekey_loses_nothing(directory: Path, fast_kdf: KdfParams) -> None:
    """SIGKILL a real process at several points inside PRAGMA rekey of a ~10 MB vault."""
    with Vault.create(directory, PASSPHRASE, kdf=fast_kdf) as vault:
        add_notes(vault.connection, 2500, size=4000)
        digest = notes_digest(vault.connection)
    environment = dict(os.environ, PYTHONPATH=str(REPOSITORY))
    killed_mid_rekey = 0
    for delay in (0.02, 0.08, 0.16):
        process = subprocess.Popen(
            [
                sys.executable,
                "-c",
                textwrap.dedent(ROTATE_THEN_CRASH),
                str(directory),
                "during-rekey",
                PASSPHRASE,
            ],
            stdout=subprocess.PIPE,
            env=environment,
            text=True,
        )
        assert process.stdout is not None
        assert process.stdout.readline().strip() == "rekeying"
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=60)
        process.stdout.close()
        # A hot rollback journal left behind proves the kill landed inside the rekey.
        if (directory / "vault.db-journal").exists():
            killed_mid_rekey += 1
        _assert_intact(directory, digest, count=2500)
        assert not (directory / "vault.db-journal").exists()
    assert killed_mid_rekey >= 1, "no kill landed inside PRAGMA rekey"


# --- failures while creating ---


def test_create_where_a_file_blocks_the_path(tmp_path: Path, fast_kdf: KdfParams) -> None:
    blocker = tmp_path / "blocker"
    blocker.write_text("not a directory")
    with pytest.raises(VaultNotWritable) as refused:
        Vault.create(blocker / "vault", PASSPHRASE, kdf=fast_kdf)
    assert "Nothing already saved was lost" in refused.value.user_message
    assert sorted(p.name for p in tmp_path.iterdir()) == ["blocker"]


def test_create_in_a_read_only_directory(tmp_path: Path) -> None:
    """A real process that may not write to the directory; as root, without the capabilities
    (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH) that let root ignore directory permissions."""
    read_only = tmp_path / "read-only"
    read_only.mkdir(mode=0o500)
    drop_root_override = (
        ["setpriv", "--bounding-set=-dac_override,-dac_read_search"] if os.geteuid() == 0 else []
    )
    script = child_script(
        """
        from storage.errors import VaultNotWritable
        from storage.keyslots import KdfParams
        from storage.vault import Vault
        try:
            Vault.create(Path(sys.argv[1]), "kettle on the windowsill", kdf=KdfParams())
            print("created")
        except VaultNotWritable as refused:
            print("not writable:", refused.user_message)
        """
    )
    try:
        result = subprocess.run(
            [*drop_root_override, sys.executable, "-c", script, str(read_only / "vault")],
            cwd=REPOSITORY,
            env=dict(os.environ, PYTHONPATH=str(REPOSITORY)),
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert result.returncode == 0, result.stderr
        assert result.stdout.startswith("not writable:"), result.stdout
        assert "Nothing already saved was lost" in result.stdout
        assert list(read_only.iterdir()) == []
    finally:
        read_only.chmod(0o700)


def test_create_on_a_full_disk_leaves_nothing(tmp_path: Path, run_python: RunPython) -> None:
    """A real process whose file-size limit lets vault.keys through but not the database."""
    target = tmp_path / "parent" / "vault"
    result = run_python(
        child_script(
            """
        import resource, signal
        from storage.errors import VaultNotWritable
        from storage.keyslots import KdfParams
        from storage.vault import Vault
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (3000, 3000))
        try:
            Vault.create(Path(sys.argv[1]), "kettle on the windowsill", kdf=KdfParams())
            print("created")
        except VaultNotWritable:
            print("not writable")
            """
        ),
        str(target),
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "not writable"
    assert not (tmp_path / "parent").exists()


def test_create_when_the_key_file_cannot_be_written(
    directory: Path, fast_kdf: KdfParams, monkeypatch: pytest.MonkeyPatch
) -> None:
    def disk_full(*_: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(keyslots.os, "replace", disk_full)
    with pytest.raises(VaultNotWritable):
        Vault.create(directory, PASSPHRASE, kdf=fast_kdf)
    assert not directory.exists()


def test_create_that_fails_in_a_migration_removes_what_it_made(
    tmp_path: Path, fast_kdf: KdfParams, test_schema: Path
) -> None:
    (test_schema / "0002_broken.sql").write_text("CREATE TABLE broken (;\n")
    existing = tmp_path / "existing"
    existing.mkdir()
    with pytest.raises(MigrationFailed):
        Vault.create(existing, PASSPHRASE, kdf=fast_kdf)
    assert list(existing.iterdir()) == []


# --- closing ---


def test_close_zeroes_the_key_and_closes_the_connection(made: Path) -> None:
    vault = Vault.unlock(made, PASSPHRASE)
    key = vault._key
    conn = vault.connection
    vault.close()
    assert key == bytearray(32)
    assert not vault.is_open
    with pytest.raises(RuntimeError):
        _ = vault.connection
    with pytest.raises(sqlcipher3.ProgrammingError):
        conn.execute("SELECT 1")
    vault.close()


# --- what the worker reads ---


def _every_error(directory: Path) -> Iterator[VaultError]:
    yield VaultMissing(directory)
    yield VaultAlreadyExists(directory)
    yield WrongPassphrase(3)
    yield WrongPassphrase(None)
    yield UnlockThrottled(4.2)
    yield PassphraseDisabled()
    yield KeyFileDamaged(directory / "vault.keys", "checksum does not match")
    yield VaultDamaged(directory / "vault.db", ["HMAC verification failed for page 7"])
    yield NoRecoverySlot()
    yield WrongRecoveryKey()
    yield SchemaTooNew(9, 2)
    yield MigrationFailed(3, "syntax error")
    yield VaultNotWritable(directory, "No space left on device")
    yield VaultBusy("another connection")
    yield PassphraseTooShort(12)


def test_every_error_says_what_happened_and_what_to_do(tmp_path: Path) -> None:
    for error in _every_error(tmp_path):
        message = error.user_message
        sentences = [s for s in message.replace("e.g.", "eg").split(". ") if s]
        assert 1 <= len(sentences) <= 2, message
        assert message.endswith("."), message
        assert "Traceback" not in message and "sqlite" not in message.lower(), message
