"""vault.commits: every change the vault acknowledged is counted and sealed outside the
WAL, and an open that finds fewer changes than were sealed refuses, until IT accepts it."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

from storage import commit_seal
from storage.audit import AuditAction, AuditLog, verify_chain
from storage.errors import ChangesMissing
from storage.migrations import migrate
from storage.transactions import transaction
from storage.vault import Vault, check_vault
from tests.vaults import FAST_KDF, PASSPHRASE


def _record(vault: Vault, times: int, conn: object | None = None) -> None:
    log = AuditLog(conn or vault.connection, actor="tester")
    for _ in range(times):
        log.record(AuditAction.VISIT_VIEWED, "visit", "v")


def _sealed(directory: Path) -> int:
    """The count in vault.commits, read with the key in the database."""
    with Vault.unlock(directory, PASSPHRASE) as vault:
        have = commit_seal.counted(vault.connection)
        assert have is not None and have.key is not None
        return commit_seal.decode((directory / "vault.commits").read_bytes(), have.key,
                                  vault.vault_id).counter


def _counter(vault: Vault) -> int:
    have = commit_seal.counted(vault.connection)
    assert have is not None
    return have.counter


def _digests(directory: Path) -> dict[str, str]:
    return {path.name: hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(directory.iterdir()) if path.is_file()}


@pytest.fixture
def vault_dir(tmp_path: Path) -> Path:
    directory = tmp_path / "vault"
    with Vault.create(directory, PASSPHRASE, kdf=FAST_KDF) as vault:
        _record(vault, 2)
    return directory


@pytest.fixture
def rolled_back(vault_dir: Path, tmp_path: Path) -> Path:
    """The database file put back as it was three acknowledged changes ago."""
    old = tmp_path / "vault.db.old"
    shutil.copyfile(vault_dir / "vault.db", old)  # a clean close left no WAL
    with Vault.unlock(vault_dir, PASSPHRASE) as vault:
        _record(vault, 3)
    assert not (vault_dir / "vault.db-wal").exists()
    shutil.copyfile(old, vault_dir / "vault.db")
    return vault_dir


def test_every_changing_transaction_is_counted_and_sealed(vault_dir: Path) -> None:
    assert (vault_dir / "vault.commits").stat().st_mode & 0o777 == 0o600
    with Vault.unlock(vault_dir, PASSPHRASE) as vault:
        start = _counter(vault)
        assert start == 2
        _record(vault, 3)
        with transaction(vault.connection):  # reads only: not a change
            vault.connection.execute("SELECT count(*) FROM audit_log").fetchone()
        with transaction(vault.connection):  # two writes, one commit: one change
            _record(vault, 2)
        background = vault.open_connection()
        try:
            _record(vault, 1, background)
        finally:
            background.close()
        assert _counter(vault) == start + 5
    assert _sealed(vault_dir) == start + 5


def test_a_rolled_back_database_is_refused_with_the_count_missing(rolled_back: Path) -> None:
    before = _digests(rolled_back)
    with pytest.raises(ChangesMissing) as refused:
        Vault.unlock(rolled_back, PASSPHRASE)
    assert refused.value.missing == 3
    assert "missing 3 changes it had saved" in refused.value.user_message
    assert "Nothing has been changed" in refused.value.user_message
    assert "accept-rollback" in refused.value.user_message
    assert [p for p in check_vault(rolled_back, PASSPHRASE) if "missing 3 changes" in p]
    assert _digests(rolled_back) == before


def test_a_database_ahead_of_its_seal_opens_and_the_seal_catches_up(vault_dir: Path) -> None:
    """A kill between a commit and its seal: the database is ahead, which is fine."""
    seal = vault_dir / "vault.commits"
    older = seal.read_bytes()
    with Vault.unlock(vault_dir, PASSPHRASE) as vault:
        _record(vault, 4)
        counted = _counter(vault)
    seal.write_bytes(older)
    with Vault.unlock(vault_dir, PASSPHRASE) as vault:
        assert _counter(vault) == counted
    assert _sealed(vault_dir) == counted
    assert check_vault(vault_dir, PASSPHRASE) == []


def test_a_missing_seal_is_refused_once_changes_were_counted(vault_dir: Path) -> None:
    (vault_dir / "vault.commits").unlink()
    with pytest.raises(ChangesMissing) as refused:
        Vault.unlock(vault_dir, PASSPHRASE)
    assert refused.value.missing is None
    assert "vault.commits" in refused.value.user_message
    assert "is missing" in refused.value.problem
    assert not (vault_dir / "vault.commits").exists()


def _slots(seal: Path, vault_dir: Path) -> list[int | None]:
    """Each slot's count, ``None`` for a slot that does not verify."""
    with Vault.unlock(vault_dir, PASSPHRASE) as vault:
        have = commit_seal.counted(vault.connection)
        assert have is not None and have.key is not None
        key, vault_id = have.key, vault.vault_id
    data = seal.read_bytes()
    counts: list[int | None] = []
    for slot in range(commit_seal.SLOTS):
        one = data[slot * commit_seal.SLOT_BYTES:(slot + 1) * commit_seal.SLOT_BYTES]
        try:
            counts.append(commit_seal.decode(one * commit_seal.SLOTS, key, vault_id).counter)
        except commit_seal.SealUnreadable:
            counts.append(None)
    return counts


def _newest_slot(seal: Path) -> int:
    """The slot with the higher count (counts are in the clear, only authenticated)."""
    data = seal.read_bytes()
    at = len(commit_seal.MAGIC) + 16
    counts = [int.from_bytes(data[slot * commit_seal.SLOT_BYTES + at:][:8], "big")
              for slot in range(commit_seal.SLOTS)]
    return counts.index(max(counts))


def _flip_count(seal: Path, slot: int) -> None:
    data = bytearray(seal.read_bytes())
    data[slot * commit_seal.SLOT_BYTES + len(commit_seal.MAGIC) + 16 + 7] ^= 0x01
    seal.write_bytes(bytes(data))


def test_a_commit_overwrites_the_older_slot_in_place(vault_dir: Path) -> None:
    """One write a commit, in the file itself: no temporary file and rename (which cost a
    second fsync and a journal commit); the other slot keeps the previous count."""
    seal = vault_dir / "vault.commits"
    inode = seal.stat().st_ino
    with Vault.unlock(vault_dir, PASSPHRASE) as vault:
        _record(vault, 1)
        assert _slots(seal, vault_dir) == [3, 2]
        _record(vault, 1)
        assert _slots(seal, vault_dir) == [3, 4]
    assert seal.stat().st_ino == inode
    assert seal.stat().st_size == commit_seal.SEAL_BYTES


def test_a_slot_cut_short_by_a_crash_opens_and_the_seal_is_made_whole(vault_dir: Path) -> None:
    """A crash while writing the newest count damages that slot only; the database already
    holds that count, so it is above the slot that verifies, and the vault opens."""
    seal = vault_dir / "vault.commits"
    assert _slots(seal, vault_dir) == [1, 2]
    _flip_count(seal, _newest_slot(seal))
    with Vault.unlock(vault_dir, PASSPHRASE) as vault:
        assert _counter(vault) == 2
    assert _slots(seal, vault_dir) == [2, 2]
    assert check_vault(vault_dir, PASSPHRASE) == []


def test_a_torn_slot_does_not_hide_a_rolled_back_database(rolled_back: Path) -> None:
    seal = rolled_back / "vault.commits"
    _flip_count(seal, _newest_slot(seal))
    with pytest.raises(ChangesMissing) as refused:
        Vault.unlock(rolled_back, PASSPHRASE)
    assert refused.value.missing == 2  # the older slot's count: at least that is missing


def test_a_seal_in_the_first_layout_is_honoured_then_rewritten(vault_dir: Path) -> None:
    """vault.commits from before the two slots (one record replaced atomically)."""
    seal = vault_dir / "vault.commits"
    with Vault.unlock(vault_dir, PASSPHRASE) as vault:
        have = commit_seal.counted(vault.connection)
        assert have is not None and have.key is not None
        key, vault_id = have.key, vault.vault_id
    first = commit_seal.FIRST_LAYOUT_MAGIC
    seal.write_bytes(commit_seal.encode_record(key, vault_id, 3, magic=first))
    with pytest.raises(ChangesMissing) as refused:
        Vault.unlock(vault_dir, PASSPHRASE)
    assert refused.value.missing == 1
    seal.write_bytes(commit_seal.encode_record(key, vault_id, 2, magic=first))
    Vault.unlock(vault_dir, PASSPHRASE).close()
    assert _slots(seal, vault_dir) == [2, 2]


@pytest.mark.parametrize("how", ["older-slot-flipped", "both-slots-flipped",
                                 "from-another-vault", "cut-short"])
def test_an_altered_seal_is_refused(vault_dir: Path, tmp_path: Path, how: str) -> None:
    seal = vault_dir / "vault.commits"
    if how.endswith("flipped"):
        newest = _newest_slot(seal)
        _flip_count(seal, newest ^ 1)
        if how == "both-slots-flipped":
            _flip_count(seal, newest)
    elif how == "cut-short":
        seal.write_bytes(seal.read_bytes()[:-1])
    else:
        other = tmp_path / "other"
        with Vault.create(other, PASSPHRASE, kdf=FAST_KDF) as vault:
            _record(vault, 9)
        shutil.copyfile(other / "vault.commits", seal)
    with pytest.raises(ChangesMissing) as refused:
        Vault.unlock(vault_dir, PASSPHRASE)
    assert refused.value.missing is None
    assert "vault.commits" in refused.value.problem


def test_accepting_the_loss_is_asked_audited_and_then_the_vault_opens(rolled_back: Path) -> None:
    before = _digests(rolled_back)
    with pytest.raises(ChangesMissing):
        Vault.accept_missing_changes(rolled_back, PASSPHRASE, lambda missing: False,
                                     actor="worker")
    assert _digests(rolled_back) == before

    shown: list[int | None] = []

    def accept(missing: ChangesMissing) -> bool:
        shown.append(missing.missing)
        return True

    with Vault.accept_missing_changes(rolled_back, PASSPHRASE, accept, actor="worker") as vault:
        entries = AuditLog(vault.connection, "worker").entries(limit=1)
        assert (entries[0].action, entries[0].subject_id, entries[0].actor) == (
            AuditAction.LOSS_ACCEPTED, "3", "worker")
        assert verify_chain(vault.connection) == []
    assert shown == [3]
    assert check_vault(rolled_back, PASSPHRASE) == []
    with Vault.unlock(rolled_back, PASSPHRASE) as vault:
        _record(vault, 1)
    assert Vault.accept_missing_changes(rolled_back, PASSPHRASE, accept,
                                        actor="worker").close() is None
    assert shown == [3], "nothing missing: nothing to confirm"


def test_a_vault_from_before_the_seal_is_sealed_at_its_first_open(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch
                                                                  ) -> None:
    directory = tmp_path / "vault"
    monkeypatch.setattr("storage.vault.migrations.migrate",
                        lambda conn: migrate(conn, target=14))
    with Vault.create(directory, PASSPHRASE, kdf=FAST_KDF) as vault:
        _record(vault, 2)
        assert vault.schema_version == 14
    assert not (directory / "vault.commits").exists()
    monkeypatch.undo()
    with Vault.unlock(directory, PASSPHRASE) as vault:
        assert _counter(vault) == 0
        _record(vault, 2)
    assert _sealed(directory) == 2
