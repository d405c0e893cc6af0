"""Real vaults on real files for tests, with the cheapest KDF the vault accepts."""

from __future__ import annotations

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


@contextmanager
def open_workspace(directory: Path, clock: FixedClock | None = None) -> Iterator[Workspace]:
    vault = Vault.create(directory, PASSPHRASE, kdf=FAST_KDF)
    try:
        yield Workspace.over(vault.connection, actor="J. Okafor", clock=clock or FixedClock())
    finally:
        vault.close()


def add_to_caseload(workspace: Workspace, case: Case, *children: Child) -> None:
    workspace.cases.save_case(case)
    for child in children:
        workspace.cases.save_child(child)
