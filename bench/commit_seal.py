"""What sealing each commit in vault.commits costs a submit, side by side in one run.

Two vaults with the production settings take the same visit submits in interleaved batches
(sealed, unsealed, sealed, …) so both share the machine's noise. The sealed vault is the
vault as shipped: each submit's transaction also raises the commit counter, and after the
commit the older of the two slots in `vault.commits` is overwritten in place and flushed
(one fdatasync). The unsealed one has its connection's sealer taken away, which is exactly
the vault before the seal existed. Also shown: the seal write alone. (bench/vault.py also
runs the seal's previous layout, an atomic replace per commit, side by side.)

Run: .venv/bin/python bench/commit_seal.py [SUBMITS]
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from storage import commit_seal
from storage.files import atomic_write
from storage.vault import Vault
from storage.workspace import Workspace
from tests.factories import make_case, make_child, make_visit
from tests.vaults import FAST_KDF, FixedClock

PASSPHRASE = "benchmark passphrase only"


def _workspace(directory: Path, sealed: bool) -> tuple[Vault, Workspace, list[Any]]:
    vault = Vault.create(directory, PASSPHRASE, kdf=FAST_KDF)
    if not sealed:
        vault.connection.commit_sealer = None
    workspace = Workspace.over(vault.connection, actor="bench", clock=FixedClock())
    case = make_case()
    children = [make_child(case), make_child(case, given_name="Tomasz")]
    workspace.cases.save_case(case)
    for child in children:
        workspace.cases.save_child(child)
    return vault, workspace, [case, children]


def main() -> int:
    numbers = [a for a in sys.argv[1:] if a.isdigit()]
    submits = int(numbers[0]) if numbers else 1_000
    batches = 10
    with open("/proc/loadavg") as load:
        print(f"load average before: {load.read().split()[0]}")
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        sides = {name: _workspace(root / name, name == "sealed")
                 for name in ("sealed", "unsealed")}
        per_submit: dict[str, list[float]] = {name: [] for name in sides}
        size = submits // batches
        for _ in range(batches):
            for name, (_, workspace, (case, children)) in sides.items():
                for _ in range(size):
                    visit = make_visit(case, children).model_copy(update={"id": uuid.uuid4()})
                    started = time.perf_counter()
                    workspace.visits.submit(visit)
                    per_submit[name].append(time.perf_counter() - started)
        counted = commit_seal.counted(sides["sealed"][0].connection)
        assert counted is not None and counted.counter >= submits
        seal_path = root / "seal-alone"
        key, vault_id = os.urandom(32), uuid.uuid4()
        atomic_write(seal_path, commit_seal.encode(key, vault_id, 0))
        sealer = commit_seal.CommitSeal(seal_path, vault_id, key, 0, 0)
        seal_alone = []
        for counter in range(1, 201):
            started = time.perf_counter()
            sealer.record(counter)
            seal_alone.append(time.perf_counter() - started)
        for vault, _, _ in sides.values():
            vault.close()
    print(f"{submits} submits on each side, in {batches} interleaved batches "
          "(synchronous=FULL, production pragmas)")
    for name, times in per_submit.items():
        print(f"{name:>9}: median {statistics.median(times) * 1000:.2f} ms, "
              f"mean {statistics.fmean(times) * 1000:.2f} ms, "
              f"total {sum(times):.2f} s")
    sealed, unsealed = per_submit["sealed"], per_submit["unsealed"]
    median_ratio = statistics.median(sealed) / statistics.median(unsealed)
    print(f"ratio sealed/unsealed: median {median_ratio:.2f}, "
          f"total {sum(sealed) / sum(unsealed):.2f}")
    print(f"the seal write alone (one slot overwritten, 1 fdatasync): median "
          f"{statistics.median(seal_alone) * 1000:.2f} ms")
    with open("/proc/loadavg") as load:
        print(f"load average after: {load.read().split()[0]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
