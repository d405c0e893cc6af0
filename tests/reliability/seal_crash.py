"""A worker process that dies at a chosen point of a submit's commit and seal.

`seal_crash DIR POINT`: submits `ACKNOWLEDGED` visits with automatic checkpoints off
(printing each id once `submit` returned), saves one more visit as a draft and prints
`last <id>`, then waits for a line on stdin (the parent copies the vault's files as they
are before the last submit). Then it submits that draft and SIGKILLs itself at POINT:

* `before-seal`: the commit is in vault.db-wal (flushed: synchronous=FULL), its count is
  not yet written to vault.commits;
* `before-seal-flush`: the count is written into its slot (in the page cache, which a kill
  does not lose) but not flushed.
"""

from __future__ import annotations

import os
import signal
import sys
import uuid
from pathlib import Path
from typing import NoReturn

from storage import commit_seal
from storage.vault import Vault
from storage.workspace import Workspace
from tests.factories import make_visit
from tests.vaults import PASSPHRASE

ACKNOWLEDGED = 3
POINTS = ("before-seal", "before-seal-flush")


def _die(*_: object) -> NoReturn:
    os.kill(os.getpid(), signal.SIGKILL)
    raise AssertionError("unreachable")


def _arm(point: str) -> None:
    if point == "before-seal":
        commit_seal.CommitSeal.record = _die  # type: ignore[method-assign,assignment]
    elif point == "before-seal-flush":
        commit_seal._flush = _die
    else:
        raise SystemExit(f"unknown point {point!r}: one of {', '.join(POINTS)}")


def main(directory: Path, point: str) -> None:
    with Vault.unlock(directory, PASSPHRASE) as vault:
        vault.connection.execute("PRAGMA wal_autocheckpoint = 0")
        workspace = Workspace.over(vault.connection, actor="crash-test")
        case = workspace.cases.cases()[0]
        children = workspace.cases.children(case.id)
        for _ in range(ACKNOWLEDGED):
            visit = make_visit(case, children).model_copy(update={"id": uuid.uuid4()})
            workspace.visits.submit(visit)
            print(visit.id, flush=True)
        last = make_visit(case, children).model_copy(update={"id": uuid.uuid4()})
        workspace.visits.save_draft(last)
        print("last", last.id, flush=True)
        sys.stdin.readline()
        _arm(point)
        workspace.visits.submit(last)
        print("survived", flush=True)


if __name__ == "__main__":
    main(Path(sys.argv[1]), sys.argv[2])
