"""Encrypted vault against plain SQLite, side by side in one run, on the same schema and work.

Workload: 10,000 visit submits through the real repositories (validate, canonical hash,
Ed25519 signature, visit + outbox + audit in one transaction, synchronous=FULL), then
listing and searching. The plain run uses Python's sqlite3 on the same schema with the same
pragmas less the cipher. Then the unlock time of a vault holding 5,000 visits: KDF at the
calibrated production cost, open, cipher_integrity_check, migrations.

Run: .venv/bin/python bench/vault.py [VISITS]
"""

from __future__ import annotations

import sqlite3
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from records.case import Case, Child
from storage.keyslots import calibrate_kdf
from storage.migrations import migrate
from storage.vault import Vault
from storage.workspace import Workspace
from tests.factories import make_case, make_child, make_visit
from tests.vaults import FAST_KDF, FixedClock

PASSPHRASE = "benchmark passphrase only"


def _plain_connection(path: Path) -> Any:
    conn = sqlite3.connect(path, isolation_level=None)
    for pragma in ("journal_mode = WAL", "synchronous = FULL", "foreign_keys = ON",
                   "temp_store = MEMORY"):
        conn.execute(f"PRAGMA {pragma}")
    migrate(conn)
    return conn


def _households(count: int) -> list[tuple[Case, list[Child]]]:
    households = []
    for _ in range(count):
        case = make_case()
        households.append((case, [make_child(case), make_child(case, given_name="Tomasz")]))
    return households


def _workload(workspace: Workspace, visits: int) -> dict[str, float]:
    households = _households(200)
    for case, children in households:
        workspace.cases.save_case(case)
        for child in children:
            workspace.cases.save_child(child)
    timings: dict[str, float] = {}
    started = time.perf_counter()
    for number in range(visits):
        case, children = households[number % len(households)]
        visit = make_visit(case, children).model_copy(update={"id": uuid.uuid4()})
        workspace.visits.submit(visit)
    timings["submit"] = time.perf_counter() - started
    started = time.perf_counter()
    for _, children in households[:100]:
        workspace.visits.summaries(child_id=children[0].id, limit=50)
    workspace.visits.summaries(limit=500)
    timings["list"] = time.perf_counter() - started
    started = time.perf_counter()
    for word in ("breakfast", "Tomasz", "CP-104233", "tearful", "school"):
        workspace.visits.search(word, limit=50)
    timings["search"] = time.perf_counter() - started
    return timings


def _measure(label: str, run: Callable[[], dict[str, float]]) -> dict[str, float]:
    timings = run()
    print(f"{label:>10}: " + ", ".join(f"{k} {v:.2f} s" for k, v in timings.items()))
    return timings


def main() -> int:
    visits = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        print(f"{visits} submits, then list and search; same schema and pragmas")

        def encrypted() -> dict[str, float]:
            with Vault.create(root / "vault", PASSPHRASE, kdf=FAST_KDF) as vault:
                return _workload(Workspace.over(vault.connection, actor="bench",
                                                clock=FixedClock()), visits)

        def plain() -> dict[str, float]:
            conn = _plain_connection(root / "plain.db")
            try:
                return _workload(Workspace.over(conn, actor="bench", clock=FixedClock()),
                                 visits)
            finally:
                conn.close()

        plain_t = _measure("plain", plain)
        encrypted_t = _measure("encrypted", encrypted)
        for key in plain_t:
            print(f"ratio encrypted/plain, {key}: {encrypted_t[key] / plain_t[key]:.2f}")
        total = sum(encrypted_t.values()) / sum(plain_t.values())
        print(f"ratio encrypted/plain, total: {total:.2f}  (target <= 1.3)")

        kdf = calibrate_kdf()
        print(f"calibrated KDF: Argon2id {kdf.memory_cost_kib // 1024} MiB, t={kdf.iterations}, "
              f"p={kdf.lanes}")
        with Vault.create(root / "unlock", PASSPHRASE, kdf=kdf) as vault:
            workspace = Workspace.over(vault.connection, actor="bench", clock=FixedClock())
            households = _households(100)
            for case, children in households:
                workspace.cases.save_case(case)
                for child in children:
                    workspace.cases.save_child(child)
            with vault.connection:
                pass
            for number in range(5_000):
                case, children = households[number % len(households)]
                workspace.visits.submit(
                    make_visit(case, children).model_copy(update={"id": uuid.uuid4()}))
        size = (root / "unlock" / "vault.db").stat().st_size
        runs = []
        for _ in range(3):
            started = time.perf_counter()
            Vault.unlock(root / "unlock", PASSPHRASE).close()
            runs.append(time.perf_counter() - started)
        print(f"unlock of a {size / 1e6:.1f} MB vault with 5,000 visits: "
              f"best {min(runs):.2f} s, worst {max(runs):.2f} s  (target <= 1.0 s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
