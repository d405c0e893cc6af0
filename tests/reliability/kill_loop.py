"""Kill a submitting process with SIGKILL at random moments; check nothing was lost or torn.

After each kill the vault must open cleanly, hold every visit whose submit returned, hold
an outbox operation for every submitted visit and no operation without its visit, and pass
SQLCipher's and SQLite's integrity checks and the audit-chain check.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from storage.audit import verify_chain
from storage.vault import Vault
from tests.reliability.submitter import prepare
from tests.vaults import PASSPHRASE

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class KillLoopReport:
    kills: int = 0
    acknowledged: int = 0
    stored: int = 0
    seconds: float = 0.0
    problems: list[str] = field(default_factory=list)


def run_kill_loop(directory: Path, kills: int, *, seed: int = 7,
                  longest_wait: float = 0.6) -> KillLoopReport:
    rng = random.Random(seed)
    prepare(directory)
    report = KillLoopReport()
    acknowledged: set[str] = set()
    started = time.perf_counter()
    for _ in range(kills):
        acknowledged |= _one_kill(directory, rng.uniform(0.0, longest_wait))
        report.kills += 1
        report.problems += _check(directory, acknowledged)
        if report.problems:
            break
    report.seconds = time.perf_counter() - started
    report.acknowledged = len(acknowledged)
    with Vault.unlock(directory, PASSPHRASE) as vault:
        report.stored = vault.connection.execute(
            "SELECT count(*) FROM visits WHERE status = 'submitted'").fetchone()[0]
    return report


def _one_kill(directory: Path, wait_after_ready: float) -> set[str]:
    child = subprocess.Popen(
        [sys.executable, "-m", "tests.reliability.submitter", str(directory)],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert child.stdout is not None
    first = child.stdout.readline().strip()
    if first == "ready":
        time.sleep(wait_after_ready)
    child.send_signal(signal.SIGKILL)
    child.wait()
    lines = child.stdout.read().split()
    child.stdout.close()
    return {line for line in lines if line != "ready"}


def _check(directory: Path, acknowledged: set[str]) -> list[str]:
    with Vault.unlock(directory, PASSPHRASE) as vault:
        conn = vault.connection
        problems = list(vault.check()) + verify_chain(conn)
        submitted = {r[0] for r in conn.execute(
            "SELECT id FROM visits WHERE status = 'submitted'")}
        queued = {r[0] for r in conn.execute(
            "SELECT subject_id FROM outbox WHERE kind = 'visit.submit'")}
    problems += [f"acknowledged visit {v} is missing" for v in acknowledged - submitted]
    problems += [f"visit {v} has no outbox operation" for v in submitted - queued]
    problems += [f"operation for {v} has no visit" for v in queued - submitted]
    return problems
