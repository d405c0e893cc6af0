"""A wipe that cannot finish: the keys (and any half-written copy) go first, and the worker
is told what is left and what to do, never shown a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from storage.vault import Vault
from sync.wipe import WipeIncomplete, erase_vault
from tests.vaults import PASSPHRASE, new_vault


def test_a_database_that_cannot_be_removed_leaves_no_key_and_a_clear_message(
        tmp_path: Path) -> None:
    directory = tmp_path / "vault"
    new_vault(directory, PASSPHRASE).close()
    paths = Vault.paths(directory)
    half_written = directory / f".{paths.key_file.name}.x1y2.tmp"  # an interrupted key write
    half_written.write_bytes(paths.key_file.read_bytes())
    paths.database.unlink()
    paths.database.mkdir()  # something the erase cannot unlink
    (paths.database / "held").write_text("held open elsewhere")

    with pytest.raises(WipeIncomplete) as incomplete:
        erase_vault(directory, lambda: None)

    assert not paths.key_file.exists() and not half_written.exists()
    message = incomplete.value.user_message
    assert "keys were destroyed" in message
    assert f"delete the folder {directory}" in message and "tell IT" in message
