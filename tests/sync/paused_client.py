"""A laptop's sync in its own process that stops dead at one step of a push, to be killed.

`python -m tests.sync.paused_client VAULT STEP` runs one sync; at STEP (`sending`: ops
marked sent, nothing sent yet; `answered`: central's answer read, no receipt stored) it
prints the step's name and waits for the SIGKILL the test sends. With STEP `none` it just
syncs (the test kills it from outside, e.g. while central holds its answer).
"""

from __future__ import annotations

import sys
import threading
import uuid
from pathlib import Path

from storage.vault import Vault
from storage.workspace import Workspace
from sync.engine import SyncEngine, SyncObserver
from sync.errors import SyncProblem
from sync.ledger import SyncLedger
from sync.transport import CentralClient
from tests.vaults import PASSPHRASE


class StopAt(SyncObserver):
    def __init__(self, step: str) -> None:
        self.step = step

    def _maybe_stop(self, step: str) -> None:
        if step == self.step:
            print(step, flush=True)
            threading.Event().wait()

    def sending(self, op_ids: list[uuid.UUID]) -> None:
        self._maybe_stop("sending")

    def answered(self, op_ids: list[uuid.UUID]) -> None:
        self._maybe_stop("answered")


def main(directory: Path, step: str) -> int:
    with Vault.unlock(directory, PASSPHRASE) as vault:
        workspace = Workspace.over(vault.connection, actor="fault-test")
        enrollment = SyncLedger(vault.connection).enrollment()
        assert enrollment is not None
        with CentralClient(enrollment.server_url, timeout_seconds=60) as client:
            engine = SyncEngine(vault.connection, workspace.device, client,
                                audit=workspace.audit, observer=StopAt(step), attempts=1,
                                batch_size=50)
            print("ready", flush=True)
            try:
                engine.run_once()
            except SyncProblem as problem:
                print(f"problem {type(problem).__name__}", flush=True)
                return 1
    print("done", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]), sys.argv[2]))
