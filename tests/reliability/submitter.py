"""A worker process that submits visits until it is killed.

It prints each visit's id on its own line only after `submit` has returned, so every line
the parent reads is a submit that the vault promised to keep.

With a count (`submitter DIR N`) it submits N visits with automatic checkpoints off, so
they all stay in vault.db-wal, prints "done" and waits to be killed.
"""

from __future__ import annotations

import sys
import time
import uuid
from pathlib import Path

from storage.vault import Vault
from storage.workspace import Workspace
from tests.factories import make_case, make_child, make_visit
from tests.vaults import FAST_KDF, PASSPHRASE


def main(directory: Path, count: int | None = None) -> None:
    with Vault.unlock(directory, PASSPHRASE) as vault:
        if count is not None:
            vault.connection.execute("PRAGMA wal_autocheckpoint = 0")
        workspace = Workspace.over(vault.connection, actor="crash-test")
        case = workspace.cases.cases()[0]
        children = workspace.cases.children(case.id)
        print("ready", flush=True)
        submitted = 0
        while count is None or submitted < count:
            visit = make_visit(case, children).model_copy(update={"id": uuid.uuid4()})
            workspace.visits.save_draft(visit)
            workspace.visits.submit(visit)
            submitted += 1
            print(visit.id, flush=True)
        print("done", flush=True)
        while True:
            time.sleep(60)


def prepare(directory: Path) -> None:
    """A vault with one household, made before the first kill."""
    with Vault.create(directory, PASSPHRASE, kdf=FAST_KDF) as vault:
        workspace = Workspace.over(vault.connection, actor="crash-test")
        case = make_case()
        workspace.cases.save_case(case)
        workspace.cases.save_child(make_child(case))
        workspace.cases.save_child(make_child(case, given_name="Tomasz"))


if __name__ == "__main__":
    main(Path(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else None)
