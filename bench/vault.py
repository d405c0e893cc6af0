"""Encrypted vault against plain SQLite, side by side in one run, on the same schema and work.

Workload: 10,000 visit submits through the real repositories (validate, canonical hash,
Ed25519 signature, visit + outbox + audit in one transaction, synchronous=FULL), then
listing and searching. The plain run uses the same SQLite (SQLCipher's, with no key) on the
same schema with the same pragmas less the cipher. Two more sides show the commit seal's (vault.commits) share of the
gap: the vault with the seal's previous layout (one record replaced atomically: temporary
file, fsync, rename, fsync of the folder), and the vault with its seal detached. Then the
unlock time of a vault holding 5,000 visits: KDF at the calibrated production cost, open,
cipher_integrity_check, migrations.

The production vault runs with SQLCipher's memory security off (docs/security.md, "Memory").
A second process repeats the side-by-side run with it on (every allocation wiped and
mlocked), so the figures show what that protection would cost. It cannot be switched off
inside a process once it was on, hence the separate process.

Run: .venv/bin/python bench/vault.py [VISITS] [--unlock-only]
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import sqlcipher3

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import storage.vault_connection
from records.case import Case, Child
from storage import commit_seal
from storage.files import atomic_write
from storage.keyslots import calibrate_kdf, derive_kek
from storage.migrations import migrate
from storage.vault import Vault
from storage.workspace import Workspace
from tests.factories import make_case, make_child, make_visit
from tests.vaults import FAST_KDF, FixedClock

PASSPHRASE = "benchmark passphrase only"


def _plain_connection(path: Path) -> Any:
    # SQLCipher's own SQLite with no key is plain SQLite (no codec, nothing encrypted): the
    # same SQLite version and build as the vault's, so the ratio is the encryption's and the
    # seal's alone. (Python's sqlite3 is the system's 3.40, too old for the vault's schema:
    # FTS5 contentless_delete, migration 0019.)
    conn = sqlcipher3.connect(str(path), isolation_level=None)
    for pragma in ("journal_mode = WAL", "synchronous = FULL", "foreign_keys = ON",
                   "temp_store = MEMORY"):
        conn.execute(f"PRAGMA {pragma}")
    migrate(conn)
    return conn


class _PreviousSeal(commit_seal.CommitSeal):
    """vault.commits as it was before its two slots: each count replaced atomically."""

    def _write(self, counter: int) -> None:
        atomic_write(self.path, commit_seal.encode_record(
            self._key, self._vault_id, counter, magic=commit_seal.FIRST_LAYOUT_MAGIC))


def _with_previous_seal(vault: Vault) -> None:
    have = commit_seal.counted(vault.connection)
    assert have is not None and have.key is not None
    vault.connection.commit_sealer = _PreviousSeal(
        vault.directory / commit_seal.SEAL_FILE_NAME, vault.vault_id, have.key,
        have.counter, 0)


def _households(count: int) -> list[tuple[Case, list[Child]]]:
    households = []
    for _ in range(count):
        case = make_case()
        households.append((case, [make_child(case), make_child(case, given_name="Tomasz")]))
    return households


def _caseload(workspace: Workspace, households: list[tuple[Case, list[Child]]]) -> None:
    for case, children in households:
        workspace.cases.save_case(case)
        for child in children:
            workspace.cases.save_child(child)


def _submit_batch(workspace: Workspace, visits: list[Any]) -> tuple[float, float]:
    started, cpu = time.perf_counter(), time.process_time()
    for visit in visits:
        workspace.visits.submit(visit)
    return time.perf_counter() - started, time.process_time() - cpu


def _reads(workspace: Workspace,
           households: list[tuple[Case, list[Child]]]) -> dict[str, tuple[float, float]]:
    started, cpu = time.perf_counter(), time.process_time()
    for _, children in households[:100]:
        workspace.visits.summaries(child_id=children[0].id, limit=50)
    workspace.visits.summaries(limit=500)
    listed = (time.perf_counter() - started, time.process_time() - cpu)
    started, cpu = time.perf_counter(), time.process_time()
    for word in ("breakfast", "Tomasz", "CP-104233", "tearful", "school"):
        workspace.visits.search(word, limit=50)
    return {"list": listed,
            "search": (time.perf_counter() - started, time.process_time() - cpu)}


def _side_by_side(root: Path, visits: int, batches: int = 20) -> None:
    root.mkdir(parents=True, exist_ok=True)
    households = _households(200)
    work = [
        make_visit(*households[n % len(households)]).model_copy(update={"id": uuid.uuid4()})
        for n in range(visits)
    ]
    vault = Vault.create(root / "vault", PASSPHRASE, kdf=FAST_KDF)
    plain_conn = _plain_connection(root / "plain.db")
    # The same vault code with the seal's previous layout, and with the seal detached: how
    # much of the gap is the seal rather than the encryption, before and after.
    previous = Vault.create(root / "previous", PASSPHRASE, kdf=FAST_KDF)
    _with_previous_seal(previous)
    unsealed = Vault.create(root / "unsealed", PASSPHRASE, kdf=FAST_KDF)
    unsealed.connection.commit_sealer = None
    sides = {
        "plain": Workspace.over(plain_conn, actor="bench", clock=FixedClock()),
        "encrypted": Workspace.over(vault.connection, actor="bench", clock=FixedClock()),
        "encrypted, previous seal": Workspace.over(previous.connection, actor="bench",
                                                   clock=FixedClock()),
        "encrypted, unsealed": Workspace.over(unsealed.connection, actor="bench",
                                              clock=FixedClock()),
    }
    totals: dict[str, dict[str, tuple[float, float]]] = {
        side: {"submit": (0.0, 0.0)} for side in sides}
    for workspace in sides.values():
        _caseload(workspace, households)
    size = len(work) // batches
    for batch in range(batches):
        chunk = work[batch * size:(batch + 1) * size]
        for side, workspace in sides.items():
            wall, cpu = _submit_batch(workspace, chunk)
            so_far = totals[side]["submit"]
            totals[side]["submit"] = (so_far[0] + wall, so_far[1] + cpu)
    for side, workspace in sides.items():
        totals[side].update(_reads(workspace, households))
        print(f"{side:>24}: " + ", ".join(
            f"{k} {wall:.2f} s wall / {cpu:.2f} s CPU"
            for k, (wall, cpu) in totals[side].items()))
    for key in totals["plain"]:
        encrypted, plain = totals["encrypted"][key], totals["plain"][key]
        print(f"ratio encrypted/plain, {key}: {encrypted[0] / plain[0]:.2f} wall, "
              f"{encrypted[1] / plain[1]:.2f} CPU")
    plain_submit = totals["plain"]["submit"]
    for side, label in (("encrypted, previous seal", "with the previous seal (atomic replace)"),
                        ("encrypted, unsealed", "without its commit seal")):
        other = totals[side]["submit"]
        print(f"ratio encrypted {label}/plain, submit: "
              f"{other[0] / plain_submit[0]:.2f} wall, {other[1] / plain_submit[1]:.2f} CPU")
    for measure, index in (("wall", 0), ("CPU", 1)):
        ratio = (sum(v[index] for v in totals["encrypted"].values())
                 / sum(v[index] for v in totals["plain"].values()))
        print(f"ratio encrypted/plain, total {measure}: {ratio:.2f}  (target <= 1.3)")
    vault.close()
    previous.close()
    unsealed.close()
    plain_conn.close()


def _compare(root: Path, visits: int) -> None:
    print(f"{visits} submits each, in interleaved batches (plain, encrypted, plain, …) so "
          "both sides share the machine's noise; then list and search")
    print(f"-- production settings (cipher_memory_security = OFF); {_load()}")
    _side_by_side(root / "production", visits)
    print("-- the same with cipher_memory_security = ON, in a separate process")
    sys.stdout.flush()
    subprocess.run([sys.executable, __file__, str(visits), "--memory-security-on"],
                   check=True)
    print(f"-- done; {_load()}")


def _load() -> str:
    try:
        return "load average " + Path("/proc/loadavg").read_text().split()[0]
    except OSError:
        return "load average unknown"


def _unlock(root: Path) -> None:
    kdf = calibrate_kdf()
    print(f"calibrated KDF: Argon2id {kdf.memory_cost_kib // 1024} MiB, t={kdf.iterations}, "
          f"p={kdf.lanes}")
    with Vault.create(root / "unlock", PASSPHRASE, kdf=kdf) as vault:
        workspace = Workspace.over(vault.connection, actor="bench", clock=FixedClock())
        households = _households(100)
        _caseload(workspace, households)
        _submit_batch(workspace, [
            make_visit(*households[n % 100]).model_copy(update={"id": uuid.uuid4()})
            for n in range(5_000)
        ])
    size = (root / "unlock" / "vault.db").stat().st_size
    runs = []
    for _ in range(3):
        started = time.perf_counter()
        Vault.unlock(root / "unlock", PASSPHRASE).close()
        runs.append(time.perf_counter() - started)
    started = time.perf_counter()
    derive_kek("x" * 20, b"\0" * 16, kdf)
    kdf_alone = time.perf_counter() - started
    print(f"unlock of a {size / 1e6:.1f} MB vault with 5,000 visits: "
          f"best {min(runs):.2f} s, worst {max(runs):.2f} s  (target <= 1.0 s); "
          f"of which the KDF alone {kdf_alone:.2f} s")


def main() -> int:
    numbers = [a for a in sys.argv[1:] if a.isdigit()]
    visits = int(numbers[0]) if numbers else 10_000
    if "--memory-security-on" in sys.argv:
        storage.vault_connection.MEMORY_SECURITY = True
        with tempfile.TemporaryDirectory() as scratch:
            _side_by_side(Path(scratch), visits)
        return 0
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        if "--unlock-only" not in sys.argv:
            _compare(root, visits)
        _unlock(root)
    return 0


if __name__ == "__main__":
    sys.exit(main())
