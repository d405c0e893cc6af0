"""Rounds of a laptop's sync killed at each step of a push, and of central killed mid-batch.

Each round submits a few visits, starts a real sync process and SIGKILLs it (or central) at
one step. `check_exactly_once` then lets a clean sync finish and checks what a team lead
relies on: every visit reached central, none twice, every receipt verifies, the vault is
intact.
"""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field

from storage.outbox import OperationStatus
from sync.ledger import SyncLedger
from tests.sync.harness import ROOT, CentralProcess, Laptop
from tests.sync.proxy import FaultyProxy

KILL_POINTS = ("before_sending", "central_committed_no_answer", "answered_no_receipt",
               "central_killed_mid_batch")


@dataclass
class Rounds:
    central: CentralProcess
    proxy: FaultyProxy
    laptop: Laptop
    submitted: list[uuid.UUID] = field(default_factory=list)
    kills: dict[str, int] = field(default_factory=lambda: dict.fromkeys(KILL_POINTS, 0))

    def _client(self, step: str) -> subprocess.Popen[str]:
        process = subprocess.Popen(
            [sys.executable, "-m", "tests.sync.paused_client", str(self.laptop.directory), step],
            cwd=ROOT, env=self.laptop.env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            text=True,
        )
        assert process.stdout is not None
        if process.stdout.readline().strip() != "ready":
            _, stderr = process.communicate(timeout=60)
            raise AssertionError(f"the sync process did not start: {stderr}")
        return process

    def _kill(self, process: subprocess.Popen[str]) -> None:
        process.send_signal(signal.SIGKILL)
        self._finish(process)

    def _finish(self, process: subprocess.Popen[str]) -> None:
        _, stderr = process.communicate(timeout=120)
        assert "Traceback" not in stderr, stderr

    def run(self, point: str, visits: int) -> None:
        self.submitted += self.laptop.submit_visits(visits)
        if not self.central.running:
            self.central.start()
        self.proxy.hold_push = False
        self.proxy.push_seen.clear()
        self.proxy.push_held.clear()
        if point in ("before_sending", "answered_no_receipt"):
            step = "sending" if point == "before_sending" else "answered"
            process = self._client(step)
            assert process.stdout is not None
            assert process.stdout.readline().strip() == step
            self._kill(process)
        elif point == "central_committed_no_answer":
            self.proxy.hold_push = True
            process = self._client("none")
            assert self.proxy.push_held.wait(60), "central never answered the push"
            self._kill(process)
            self.proxy.hold_push = False
        elif point == "central_killed_mid_batch":
            process = self._client("none")
            assert self.proxy.push_seen.wait(60), "the laptop never pushed"
            time.sleep(random.uniform(0.0, 0.05))
            self.central.kill()
            self._finish(process)
            self.central.start()
        else:
            raise ValueError(point)
        self.kills[point] += 1

    def check_exactly_once(self) -> None:
        if not self.central.running:
            self.central.start()
        final = self.laptop.sync()
        assert final.returncode == 0, final.stdout + final.stderr
        at_central = self.central.visit_ids()
        assert len(at_central) == len(set(at_central))
        assert sorted(at_central) == sorted(self.submitted), "a visit was lost or invented"
        assert self.central.operation_count(self.laptop.device_id) == len(self.submitted)
        with self.laptop.workspace() as workspace:
            counts = workspace.outbox.counts()
            assert counts[OperationStatus.SYNCED] == len(self.submitted), counts
            ledger = SyncLedger(workspace.outbox._conn)
            enrollment = ledger.enrollment()
            assert enrollment is not None
            for op in workspace.outbox.operations(limit=10**6):
                receipt = ledger.receipt(op.op_id)
                assert receipt is not None and receipt.is_signed_by(enrollment.receipt_public_key)
            assert all(workspace.visits.is_intact(v) for v in self.submitted)
        check = self.laptop.run("vault", "check", "--vault", str(self.laptop.directory))
        assert check.returncode == 0, check.stdout
