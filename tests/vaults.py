"""Real vaults on real files for tests, with the cheapest KDF the vault accepts."""

from __future__ import annotations

import functools
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from records.case import Case, Child
from storage.keyslots import KdfParams
from storage.vault import Vault
from storage.workspace import Workspace
from tests.factories import NOW

PASSPHRASE = "correct horse battery staple"
FAST_KDF = KdfParams()


class FixedClock:
    def __init__(self, now: datetime = NOW) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


_TEMPLATES: list[tempfile.TemporaryDirectory[str]] = []


@functools.cache
def _empty_vault(passphrase: str) -> Path:
    """A new vault with nothing in it yet (no device identity, no records), made once a
    process: making one costs an Argon2id derivation and every migration. Its key is
    remembered for the session (tests/conftest.py), since every copy has its salt."""
    from tests.conftest import kept_for_the_session  # here: processes import this module

    _TEMPLATES.append(tempfile.TemporaryDirectory(prefix="homevisit-empty-vault-"))
    directory = Path(_TEMPLATES[-1].name) / "vault"
    with kept_for_the_session():
        Vault.create(directory, passphrase, kdf=FAST_KDF).close()
    return directory


def new_vault(directory: Path, passphrase: str = PASSPHRASE) -> Vault:
    """A new, empty vault in `directory`, open: a copy of one made once a process, where
    making the vault is not what the test is about (storage's own tests make theirs). Its
    device identity (key pair and id) is made when a workspace first opens it, as in a new
    vault."""
    directory.parent.mkdir(parents=True, exist_ok=True)
    shutil.copytree(_empty_vault(passphrase), directory)
    return Vault.unlock(directory, passphrase)


@contextmanager
def open_workspace(directory: Path, clock: FixedClock | None = None) -> Iterator[Workspace]:
    vault = new_vault(directory)
    try:
        yield Workspace.over(vault.connection, actor="J. Okafor", clock=clock or FixedClock())
    finally:
        vault.close()


def add_to_caseload(workspace: Workspace, case: Case, *children: Child) -> None:
    workspace.cases.save_case(case)
    for child in children:
        workspace.cases.save_child(child)
