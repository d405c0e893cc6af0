"""Visits acknowledged, the process killed, then vault.db-wal lost or damaged: the vault must
refuse to open and say what is missing, never open with the visits silently gone.

The submitting process runs with automatic checkpoints off, so every acknowledged visit is
in vault.db-wal only when it is killed (as after a crash or a pulled plug between
checkpoints).
"""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from storage.errors import ChangesMissing, VaultError
from storage.vault import Vault, check_vault
from tests.reliability.submitter import prepare
from tests.vaults import PASSPHRASE

ROOT = Path(__file__).resolve().parents[2]
VISITS = 30


def _submit_then_kill(directory: Path, count: int) -> set[str]:
    """Submit ``count`` visits in a real process, then SIGKILL it before any clean close."""
    child = subprocess.Popen(
        [sys.executable, "-m", "tests.reliability.submitter", str(directory), str(count)],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert child.stdout is not None
    acknowledged: set[str] = set()
    for line in child.stdout:
        word = line.strip()
        if word == "done":
            break
        if word != "ready":
            acknowledged.add(word)
    child.send_signal(signal.SIGKILL)
    child.wait()
    child.stdout.close()
    assert len(acknowledged) == count
    return acknowledged


def _submitted(directory: Path) -> set[str]:
    with Vault.unlock(directory, PASSPHRASE) as vault:
        return {row[0] for row in vault.connection.execute(
            "SELECT id FROM visits WHERE status = 'submitted'")}


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def killed(tmp_path: Path) -> tuple[Path, set[str]]:
    directory = tmp_path / "vault"
    prepare(directory)
    acknowledged = _submit_then_kill(directory, VISITS)
    wal = directory / "vault.db-wal"
    assert wal.stat().st_size > 0, "the visits were checkpointed; nothing here is tested"
    return directory, acknowledged


def _refused(directory: Path) -> ChangesMissing:
    with pytest.raises(ChangesMissing) as refused:
        Vault.unlock(directory, PASSPHRASE)
    return refused.value


def test_deleted_wal_is_refused_and_putting_it_back_restores_every_visit(
    killed: tuple[Path, set[str]],
) -> None:
    directory, acknowledged = killed
    wal = directory / "vault.db-wal"
    kept_aside = directory.parent / "vault.db-wal.backup"
    wal.rename(kept_aside)
    database_before = _digest(directory / "vault.db")

    refusal = _refused(directory)
    assert refusal.missing is not None and refusal.missing >= VISITS
    assert f"missing {refusal.missing} changes" in refusal.user_message
    assert "Nothing has been changed" in refusal.user_message
    assert "vault.db-wal" in refusal.user_message
    problems = check_vault(directory, PASSPHRASE)
    assert [p for p in problems if "missing" in p and "vault.db-wal" in p]
    assert _digest(directory / "vault.db") == database_before

    os.replace(kept_aside, wal)  # what the message asks for
    assert _submitted(directory) >= acknowledged
    assert check_vault(directory, PASSPHRASE) == []


def _truncate_half(wal: Path) -> None:
    os.truncate(wal, wal.stat().st_size // 2)


def _flip_middle_byte(wal: Path) -> None:
    with wal.open("r+b") as stream:
        stream.seek(wal.stat().st_size // 2)
        byte = stream.read(1)[0]
        stream.seek(-1, os.SEEK_CUR)
        stream.write(bytes([byte ^ 0x01]))


def _emptied(wal: Path) -> None:
    os.truncate(wal, 0)


@pytest.mark.parametrize("damage", [_truncate_half, _flip_middle_byte, _emptied],
                         ids=["cut-in-half", "one-byte-flipped", "emptied"])
def test_damaged_wal_is_refused_never_silently_short(
    killed: tuple[Path, set[str]], damage: Callable[[Path], None],
) -> None:
    directory, _ = killed
    wal = directory / "vault.db-wal"
    damage(wal)
    damaged = wal.read_bytes()
    with pytest.raises(VaultError) as refused:
        Vault.unlock(directory, PASSPHRASE)
    assert isinstance(refused.value, ChangesMissing), refused.value
    assert "Nothing has been changed" in refused.value.user_message
    assert check_vault(directory, PASSPHRASE) != []
    # Kept exactly as found, for IT: the refusal did not fold the WAL into the database
    # (an emptied WAL, which holds nothing, may be removed).
    assert (wal.read_bytes() if wal.exists() else b"") == damaged
