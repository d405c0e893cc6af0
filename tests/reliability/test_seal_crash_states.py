"""Every state a crash can leave vault.db-wal and vault.commits in, and what an open does.

A submit commits (SQLite writes and flushes the WAL: synchronous=FULL), then writes its count
into the older slot of vault.commits and flushes that, and only then returns: the order that
makes every state below either open with nothing acknowledged missing, or refuse. A real
process (tests/reliability/seal_crash.py) is killed at each point between those steps; the
states a power cut adds (a flush that did not finish, a slot half written) are made from the
files the process left, copied before and after its last submit.

| state | how | vault.db-wal | vault.commits | open |
|---|---|---|---|---|
| S1 | killed or power cut before the WAL was flushed | without it | previous | opens, a draft |
| S2 | killed between commit and seal | with it | previous | opens, seal catches up |
| S3 | killed after the slot write, before its flush | with it | new count | opens |
| S4 | power cut during the slot write | with it | newest slot torn | opens, seal made whole |
| S5 | (the seal flushed before the WAL: never, in this order) | without it | new count | refused |
| S6 | acknowledged, then the WAL cut back by one commit | without it | new count | refused |
| S7 | S2, then the WAL deleted | none | previous | refused |

S5 and S6 are the same files: an open cannot tell a commit that never became durable from an
acknowledged one that was lost, which is why the seal is never written before the WAL's
flush has returned (docs/security.md, "Rollback and a lost WAL").
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from storage import commit_seal
from storage.errors import ChangesMissing
from storage.vault import Vault, check_vault
from tests.reliability.seal_crash import ACKNOWLEDGED
from tests.reliability.submitter import prepare
from tests.vaults import PASSPHRASE

ROOT = Path(__file__).resolve().parents[2]
FILES = ("vault.db", "vault.db-wal", "vault.commits")


@dataclass(frozen=True)
class Killed:
    directory: Path
    before: Path  # the vault's files as they were before the last submit
    acknowledged: set[str]
    last: str


def _kill_at(tmp_path: Path, point: str) -> Killed:
    directory, before = tmp_path / "vault", tmp_path / "before"
    prepare(directory)
    child = subprocess.Popen(
        [sys.executable, "-m", "tests.reliability.seal_crash", str(directory), point],
        cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
        text=True, env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert child.stdin is not None and child.stdout is not None
    acknowledged: set[str] = set()
    last = ""
    for line in child.stdout:
        words = line.split()
        if words[0] == "last":
            last = words[1]
            break
        acknowledged.add(words[0])
    before.mkdir()
    for name in FILES:
        shutil.copy2(directory / name, before / name)
    child.stdin.write("go\n")
    child.stdin.flush()
    assert child.stdout.read() == ""  # it never said "survived"
    assert child.wait() == -signal.SIGKILL
    child.stdin.close()
    child.stdout.close()
    assert len(acknowledged) == ACKNOWLEDGED and last
    assert _digest(directory / "vault.db") == _digest(before / "vault.db")  # all in the WAL
    return Killed(directory, before, acknowledged, last)


@pytest.fixture
def before_seal(tmp_path: Path) -> Killed:
    return _kill_at(tmp_path, "before-seal")


@pytest.fixture
def before_seal_flush(tmp_path: Path) -> Killed:
    return _kill_at(tmp_path, "before-seal-flush")


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _use_wal_from_before(killed: Killed) -> None:
    """vault.db-wal as it was before the last submit: its commit not there (a flush that
    did not finish, or the WAL cut back by one commit). The shared-memory index is not
    kept across a power cut either."""
    shutil.copy2(killed.before / "vault.db-wal", killed.directory / "vault.db-wal")
    (killed.directory / "vault.db-shm").unlink(missing_ok=True)


def _statuses(directory: Path) -> dict[str, str]:
    with Vault.unlock(directory, PASSPHRASE) as vault:
        return dict(vault.connection.execute("SELECT id, status FROM visits").fetchall())


def _sealed_and_counted(directory: Path) -> tuple[int, int]:
    with Vault.unlock(directory, PASSPHRASE) as vault:
        have = commit_seal.counted(vault.connection)
        assert have is not None and have.key is not None
        sealed = commit_seal.decode((directory / "vault.commits").read_bytes(), have.key,
                                    vault.vault_id)
        return sealed.counter, have.counter


def _opens_with_everything_acknowledged(killed: Killed) -> dict[str, str]:
    statuses = _statuses(killed.directory)
    assert all(statuses.get(visit) == "submitted" for visit in killed.acknowledged)
    sealed, counted = _sealed_and_counted(killed.directory)
    assert sealed == counted  # the open brought the seal up to the database
    assert check_vault(killed.directory, PASSPHRASE) == []
    return statuses


def _refused_as_found(killed: Killed, missing: int | None) -> ChangesMissing:
    found = {name: _digest(killed.directory / name) for name in FILES}
    with pytest.raises(ChangesMissing) as refused:
        Vault.unlock(killed.directory, PASSPHRASE)
    if missing is not None:
        assert refused.value.missing == missing
    assert "Nothing has been changed" in refused.value.user_message
    assert {name: _digest(killed.directory / name) for name in FILES} == found
    return refused.value


def test_s1_the_last_commit_never_flushed_opens_with_its_visit_still_a_draft(
        before_seal: Killed) -> None:
    _use_wal_from_before(before_seal)
    shutil.copy2(before_seal.before / "vault.commits", before_seal.directory / "vault.commits")
    assert _opens_with_everything_acknowledged(before_seal)[before_seal.last] == "draft"


def test_s2_killed_between_commit_and_seal_opens_and_the_seal_catches_up(
        before_seal: Killed) -> None:
    assert _digest(before_seal.directory / "vault.commits") == _digest(
        before_seal.before / "vault.commits")  # the seal was never written
    statuses = _opens_with_everything_acknowledged(before_seal)
    assert statuses[before_seal.last] == "submitted"  # committed, never acknowledged


def test_s3_killed_before_the_slot_was_flushed_opens(before_seal_flush: Killed) -> None:
    seal = before_seal_flush.directory / "vault.commits"
    assert _digest(seal) != _digest(before_seal_flush.before / "vault.commits")  # written
    statuses = _opens_with_everything_acknowledged(before_seal_flush)
    assert statuses[before_seal_flush.last] == "submitted"
    kept = seal.read_bytes()
    assert kept[:commit_seal.SLOT_BYTES] != kept[commit_seal.SLOT_BYTES:]  # nothing to mend


def test_s4_a_slot_torn_by_a_power_cut_opens_and_the_seal_is_made_whole(
        before_seal_flush: Killed) -> None:
    seal = before_seal_flush.directory / "vault.commits"
    data = bytearray(seal.read_bytes())
    written = next(slot for slot in range(commit_seal.SLOTS)
                   if data[slot * commit_seal.SLOT_BYTES:(slot + 1) * commit_seal.SLOT_BYTES]
                   != (before_seal_flush.before / "vault.commits").read_bytes()[
                       slot * commit_seal.SLOT_BYTES:(slot + 1) * commit_seal.SLOT_BYTES])
    end = written * commit_seal.SLOT_BYTES + commit_seal.RECORD_BYTES
    data[end - 16:end] = bytes(16)  # the tail of the record never reached the disk
    seal.write_bytes(bytes(data))
    statuses = _opens_with_everything_acknowledged(before_seal_flush)
    assert statuses[before_seal_flush.last] == "submitted"
    # Made whole: rewritten with the count in both slots (a seal not torn is left as it is).
    whole = seal.read_bytes()
    assert whole[:commit_seal.SLOT_BYTES] == whole[commit_seal.SLOT_BYTES:]


def test_s5_s6_a_seal_ahead_of_the_wal_by_one_commit_is_refused(
        before_seal_flush: Killed) -> None:
    """The files a seal flushed before its commit would leave after a power cut (S5), and
    the files of an acknowledged commit whose WAL lost it (S6): the same, so refused."""
    _use_wal_from_before(before_seal_flush)
    refusal = _refused_as_found(before_seal_flush, missing=1)
    assert "missing 1 change" in refusal.user_message


def test_s7_the_wal_deleted_after_a_kill_between_commit_and_seal_is_refused(
        before_seal: Killed) -> None:
    """The unsealed last commit leaves no gap: every commit before it is sealed."""
    (before_seal.directory / "vault.db-wal").unlink()
    (before_seal.directory / "vault.db-shm").unlink(missing_ok=True)
    with pytest.raises(ChangesMissing) as refused:
        Vault.unlock(before_seal.directory, PASSPHRASE)
    assert refused.value.missing is not None and refused.value.missing >= ACKNOWLEDGED
