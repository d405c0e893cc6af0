"""Encrypted vault against plain SQLite, side by side in one run, on the same schema and work.

Workload: 10,000 visit submits through the real repositories (validate, canonical hash,
Ed25519 signature, visit + outbox + audit in one transaction, synchronous=FULL), then
listing and searching, 5 passes. The plain run uses the same SQLite (SQLCipher's, with no
key) on the same schema with the same pragmas less the cipher. Two more sides show the commit seal's
(vault.commits) share of the gap: the vault with its seal detached, and the vault with the
seal's two flushes overlapped (NOT shipped: docs/security.md, state S5, says why). Then the
unlock time of a vault holding 5,000 visits: KDF at the calibrated production cost, open,
cipher_integrity_check, migrations.

The production vault runs with SQLCipher's memory security off (docs/security.md, "Memory").
A second process repeats the vault's run with it on (every allocation wiped and mlocked),
so the figures show what that protection would cost. It cannot be switched off inside a
process once it was on, and it applies to the whole library (the plain side opened by it
too), hence the separate process, compared with the plain side of the run before it.

`--compare-commit REV [--rounds N]`: the side-by-side run of this checkout and of REV
(unpacked with `git archive`), each in its own process, alternating for N rounds; each run's
ratios are its own side by side, so before and after are each measured against plain SQLite
under the same load. `--tree PATH` runs the vault code of another checkout.

Run: .venv/bin/python bench/vault.py [VISITS] [--unlock-only]
     .venv/bin/python bench/vault.py 2000 --compare-commit HEAD~3 --rounds 2
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import sqlcipher3

ROOT = Path(__file__).resolve().parents[1]


def _option(name: str) -> str | None:
    return sys.argv[sys.argv.index(name) + 1] if name in sys.argv[:-1] else None


# The vault code measured: this checkout, or another one's (--tree).
sys.path.insert(0, str(Path(_option("--tree") or ROOT).resolve()))

from checkouts import unpacked  # noqa: E402  (bench/checkouts.py)

import storage.vault_connection  # noqa: E402
from records.case import Case, Child  # noqa: E402
from storage import commit_seal  # noqa: E402
from storage.files import atomic_write  # noqa: E402
from storage.keyslots import calibrate_kdf, derive_kek  # noqa: E402
from storage.migrations import migrate  # noqa: E402
from storage.vault import Vault  # noqa: E402
from storage.workspace import Workspace  # noqa: E402
from tests.factories import make_case, make_child, make_visit  # noqa: E402
from tests.vaults import FAST_KDF, FixedClock  # noqa: E402

PASSPHRASE = "benchmark passphrase only"
READ_PASSES = 5


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


_FLUSHER = ThreadPoolExecutor(1, thread_name_prefix="wal-flush")


class _OverlappedSeal(commit_seal.CommitSeal):
    """NOT shipped, measured only: the WAL's flush and the slot's flush at the same time.

    The connection runs synchronous=NORMAL (SQLite writes the WAL at commit, no flush); the
    slot is written after the commit, then the WAL's fsync (on a thread) and the slot's
    fdatasync run together. A kill still cannot leave the seal ahead of the WAL (both
    writes are in the page cache, the WAL's first), but a power cut can (docs/security.md,
    state S5): the vault is then refused though nothing acknowledged is missing.
    """

    def _write(self, counter: int) -> None:
        wal = os.open(self.path.with_name("vault.db-wal"), os.O_RDONLY)
        try:
            seal = os.open(self.path, os.O_WRONLY)
            try:
                os.pwrite(seal, commit_seal.encode_slot(self._key, self._vault_id, counter),
                          self._next_slot * commit_seal.SLOT_BYTES)
                flushing = _FLUSHER.submit(os.fsync, wal)
                os.fdatasync(seal)
                flushing.result()
            finally:
                os.close(seal)
        finally:
            os.close(wal)
        self._next_slot ^= 1


def _overlapped(vault: Vault) -> None:
    have = commit_seal.counted(vault.connection)
    assert have is not None and have.key is not None
    vault.connection.execute("PRAGMA synchronous = NORMAL")
    # Its first write goes to slot 0, as after an open that rewrote the seal whole.
    atomic_write(vault.directory / commit_seal.SEAL_FILE_NAME,
                             commit_seal.encode(have.key, vault.vault_id, have.counter))
    storage.vault_connection.attach_sealer(vault.connection, _OverlappedSeal(
        vault.directory / commit_seal.SEAL_FILE_NAME, vault.vault_id, have.key, have.counter,
        0))


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


def _fresh_lists(openers: dict[str, Any],
                 households: list[tuple[Case, list[Child]]]) -> dict[str, tuple[float, float]]:
    """100 children's lists, each pass on a connection just opened (its page cache empty:
    every page is read again, and in the vault decrypted and authenticated), sides
    alternating."""
    totals = {side: (0.0, 0.0) for side in openers}
    for _ in range(READ_PASSES):
        for side, opener in openers.items():
            conn = opener()
            workspace = Workspace.over(conn, actor="bench", clock=FixedClock())
            started, cpu = time.perf_counter(), time.process_time()
            for _, children in households[:100]:
                workspace.visits.summaries(child_id=children[0].id, limit=50)
            so_far = totals[side]
            totals[side] = (so_far[0] + time.perf_counter() - started,
                            so_far[1] + time.process_time() - cpu)
            conn.close()
    return totals


def _work(visits: int) -> tuple[list[tuple[Case, list[Child]]], list[Any]]:
    households = _households(200)
    return households, [
        make_visit(*households[n % len(households)]).model_copy(update={"id": uuid.uuid4()})
        for n in range(visits)
    ]


def _vault_alone(root: Path, visits: int, batches: int = 20) -> dict[str, tuple[float, float]]:
    """The vault's own figures, with no plain side: run where memory security is on, which
    SQLCipher applies to the whole library, so a plain database opened by it would pay it
    too (Python's own sqlite3 cannot open the vault's schema)."""
    root.mkdir(parents=True, exist_ok=True)
    households, work = _work(visits)
    with Vault.create(root / "vault", PASSPHRASE, kdf=FAST_KDF) as vault:
        workspace = Workspace.over(vault.connection, actor="bench", clock=FixedClock())
        _caseload(workspace, households)
        size = len(work) // batches
        totals = {"submit": (0.0, 0.0)}
        for batch in range(batches):
            wall, cpu = _submit_batch(workspace, work[batch * size:(batch + 1) * size])
            totals["submit"] = (totals["submit"][0] + wall, totals["submit"][1] + cpu)
        for _ in range(READ_PASSES):
            for measure, (wall, cpu) in _reads(workspace, households).items():
                so_far = totals.get(measure, (0.0, 0.0))
                totals[measure] = (so_far[0] + wall, so_far[1] + cpu)
    return totals


def _side_by_side(root: Path, visits: int,
                  batches: int = 20) -> dict[str, dict[str, tuple[float, float]]]:
    root.mkdir(parents=True, exist_ok=True)
    households, work = _work(visits)
    vault = Vault.create(root / "vault", PASSPHRASE, kdf=FAST_KDF)
    plain_conn = _plain_connection(root / "plain.db")
    # The same vault code with its seal detached, and with the seal's flushes overlapped:
    # how much of the gap is the seal rather than the encryption.
    overlapped = Vault.create(root / "overlapped", PASSPHRASE, kdf=FAST_KDF)
    _overlapped(overlapped)
    unsealed = Vault.create(root / "unsealed", PASSPHRASE, kdf=FAST_KDF)
    storage.vault_connection.attach_sealer(unsealed.connection, None)
    sides = {
        "plain": Workspace.over(plain_conn, actor="bench", clock=FixedClock()),
        "encrypted": Workspace.over(vault.connection, actor="bench", clock=FixedClock()),
        "encrypted, overlapped": Workspace.over(overlapped.connection, actor="bench",
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
    # Reads are tens of milliseconds a pass: several passes, the sides alternating.
    for _ in range(READ_PASSES):
        for side, workspace in sides.items():
            for measure, (wall, cpu) in _reads(workspace, households).items():
                so_far = totals[side].get(measure, (0.0, 0.0))
                totals[side][measure] = (so_far[0] + wall, so_far[1] + cpu)
    fresh = _fresh_lists({"plain": lambda: _plain_connection(root / "plain.db"),
                          "encrypted": vault.open_connection}, households)
    for side, measured in fresh.items():
        totals[side]["fresh list"] = measured
    for side in sides:
        print(f"{side:>24}: " + ", ".join(
            f"{k} {wall:.2f} s wall / {cpu:.2f} s CPU"
            for k, (wall, cpu) in totals[side].items()))
    for key in totals["plain"]:
        encrypted, plain = totals["encrypted"][key], totals["plain"][key]
        print(f"ratio encrypted/plain, {key}: {encrypted[0] / plain[0]:.2f} wall, "
              f"{encrypted[1] / plain[1]:.2f} CPU")
    plain_submit = totals["plain"]["submit"]
    for side, label in (("encrypted, overlapped", "with its flushes overlapped (not shipped)"),
                        ("encrypted, unsealed", "without its commit seal")):
        other = totals[side]["submit"]
        print(f"ratio encrypted {label}/plain, submit: "
              f"{other[0] / plain_submit[0]:.2f} wall, {other[1] / plain_submit[1]:.2f} CPU")
    for measure, index in (("wall", 0), ("CPU", 1)):
        ratio = (sum(v[index] for v in totals["encrypted"].values())
                 / sum(v[index] for v in totals["plain"].values()))
        print(f"ratio encrypted/plain, total {measure}: {ratio:.2f}  (target <= 1.3)")
    vault.close()
    overlapped.close()
    unsealed.close()
    plain_conn.close()
    return totals


def _compare(root: Path, visits: int) -> None:
    print(f"{visits} submits each, in interleaved batches (plain, encrypted, plain, …) so "
          "both sides share the machine's noise; then list and search")
    print(f"-- production settings (cipher_memory_security = OFF); {_load()}")
    plain = _side_by_side(root / "production", visits)["plain"]
    print("-- the vault with cipher_memory_security = ON, in a separate process, against the "
          "plain side above (run just before it, not interleaved)")
    sys.stdout.flush()
    answer = subprocess.run([sys.executable, __file__, str(visits), "--memory-security-on"],
                            check=True, capture_output=True, text=True).stdout
    print(answer, end="")
    measured = json.loads(answer.splitlines()[-1].removeprefix("TOTALS "))
    for key, (wall, cpu) in measured.items():
        print(f"ratio encrypted with memory security/plain, {key}: {wall / plain[key][0]:.2f} "
              f"wall, {cpu / plain[key][1]:.2f} CPU")
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


def _compare_commit(revision: str, visits: int, rounds: int) -> None:
    """This checkout and `revision`, each side by side with plain SQLite in its own process,
    alternating (the order swapped each round) so that both meet the same load."""
    with unpacked(revision) as before:
        runs = [("after: this checkout", []), (f"before: {before.name}", ["--tree", str(before)])]
        for number in range(rounds):
            for label, extra in runs if number % 2 == 0 else runs[::-1]:
                print(f"=== round {number + 1} of {rounds}, {label}", flush=True)
                subprocess.run([sys.executable, __file__, str(visits), "--side-by-side-only",
                                *extra], check=True)


def main() -> int:
    words = [a for a in sys.argv[1:] if a not in ("--tree", "--compare-commit", "--rounds")
             and _option("--tree") != a and _option("--compare-commit") != a
             and _option("--rounds") != a]
    numbers = [a for a in words if a.isdigit()]
    visits = int(numbers[0]) if numbers else 10_000
    if "--memory-security-on" in sys.argv:
        storage.vault_connection.MEMORY_SECURITY = True
        with tempfile.TemporaryDirectory() as scratch:
            print(f"-- {visits} submits; {_load()}", flush=True)
            print("TOTALS " + json.dumps(_vault_alone(Path(scratch), visits)))
        return 0
    if "--side-by-side-only" in sys.argv:
        with tempfile.TemporaryDirectory() as scratch:
            print(f"-- {visits} submits each side; {_load()}", flush=True)
            _side_by_side(Path(scratch), visits)
            print(f"-- {_load()}", flush=True)
        return 0
    revision = _option("--compare-commit")
    if revision is not None:
        _compare_commit(revision, visits, int(_option("--rounds") or 1))
        return 0
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        if "--unlock-only" not in sys.argv:
            _compare(root, visits)
        _unlock(root)
    return 0


if __name__ == "__main__":
    sys.exit(main())
