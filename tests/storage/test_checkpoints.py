"""A run of large writes is copied from the WAL into the vault file once, and the WAL file
is cut back afterwards (storage.transactions.one_checkpoint)."""

from __future__ import annotations

from pathlib import Path

from storage.transactions import one_checkpoint, transaction
from storage.vault import Vault
from storage.vault_connection import WAL_SIZE_LIMIT_BYTES
from tests.vaults import new_vault


def _wal(directory: Path) -> Path:
    return directory / "vault.db-wal"


def _write_pages(vault: Vault, pages: int) -> None:
    """About `pages` pages of new rows, committed in ten transactions."""
    with transaction(vault.connection):
        vault.connection.execute("CREATE TABLE IF NOT EXISTS filler (text TEXT)")
    for _ in range(10):
        with transaction(vault.connection):
            vault.connection.executemany("INSERT INTO filler (text) VALUES (?)",
                                         [("x" * 3500,) for _ in range(pages // 10)])


def _frames_not_copied(vault: Vault) -> int:
    """Frames in the WAL not yet copied into the vault file (a PASSIVE checkpoint's answer,
    which copies them)."""
    _busy, frames, copied = vault.connection.execute(
        "PRAGMA wal_checkpoint(PASSIVE)").fetchone()
    return int(frames) - int(copied)


def test_writes_inside_are_left_in_the_wal_and_copied_once_at_the_end(tmp_path: Path) -> None:
    vault = new_vault(tmp_path / "v")
    try:
        conn = vault.connection
        with one_checkpoint(conn):
            _write_pages(vault, 3000)
            # Committed and readable, but not copied after each commit: SQLite alone would
            # have cut the WAL back to ~1,000 pages after each of the ten.
            assert conn.execute("SELECT count(*) FROM filler").fetchone()[0] == 3000
            assert _wal(tmp_path / "v").stat().st_size // 4096 > 3000
        # The block's end copied every frame into the vault file.
        assert _frames_not_copied(vault) == 0
        assert conn.execute("PRAGMA wal_autocheckpoint").fetchone()[0] == 1000
        # And the WAL file is cut back when it next starts over, not kept at its largest.
        assert conn.execute("PRAGMA journal_size_limit").fetchone()[0] == WAL_SIZE_LIMIT_BYTES
    finally:
        vault.close()


def test_a_failure_inside_still_restores_checkpoints_and_keeps_what_was_committed(
        tmp_path: Path) -> None:
    vault = new_vault(tmp_path / "v")
    try:
        try:
            with one_checkpoint(vault.connection):
                _write_pages(vault, 100)
                raise RuntimeError("the sync was stopped")
        except RuntimeError:
            pass
        assert vault.connection.execute("PRAGMA wal_autocheckpoint").fetchone()[0] == 1000
        assert _frames_not_copied(vault) == 0
        assert vault.connection.execute("SELECT count(*) FROM filler").fetchone()[0] == 100
    finally:
        vault.close()
