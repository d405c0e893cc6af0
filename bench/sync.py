"""Sync over loopback: a worker's 1,000 submitted visits pushed by the real engine, against
a raw HTTP POST of the same bytes; and a team lead's laptop pulling 10,000 visits.

    .venv/bin/python bench/sync.py [--visits 1000] [--pull 10000] [--sqlite]
    .venv/bin/python bench/sync.py --pull-stall-rounds 5   # only the pull's UI stall, 5 times
    .venv/bin/python bench/sync.py --pull-only [--profile pull.prof]   # only the pull

Central is `homevisit-central serve` (one uvicorn worker) in its own process, on a
PostgreSQL database this script creates and drops (HOMEVISIT_BENCH_POSTGRES, default
postgresql://postgres@127.0.0.1:5432), or on an SQLite file with --sqlite. Laptops are real
SQLCipher vaults. The push is timed from the engine's first read of the outbox to the last
receipt stored (tokens, batches of 200, receipt verification, one vault transaction per
receipt); the raw POST sends the same request bodies to a sink that reads them and answers
`{}`, over one kept-alive httpx connection. The pull is timed from the team lead's first
request to the last page applied with its cursor. Targets: push <= 5 s, pull <= 5 s.

Beside the pull, the storage-and-transport limit: the same pages downloaded raw (the same
requests over one kept-alive connection, bytes only, nothing parsed) and the same rows
inserted into a plain table of a fresh vault in one transaction (executemany, no index but
the key); the pull's time over the sum of the two is the ratio (target: <= 2, and the pull
of 10,000 <= 3 s). `--profile FILE` writes a cProfile of the laptop's pull.

Then the UI thread's stall: a QTimer ticking every 10 ms in a Qt event loop on the main
thread while the app's real `SyncThread` (desktop_app/sync_thread.py, its own thread and
vault connection, the app's default batch and page sizes) pushes a fresh laptop's 1,000
visits, and then a fresh team-lead laptop pulls everything central holds; the longest gap
between ticks is printed, beside the longest gap with no sync running (what the machine's
load alone costs). Target: <= 50 ms. `--pull-stall-rounds N` runs only that pull, N times
(central filled with as many visits as the full run leaves there, a fresh team-lead laptop
each round), to compare changes side by side.
"""

from __future__ import annotations

import argparse
import cProfile
import faulthandler
import json
import os
import shutil
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import psycopg
from PySide6.QtCore import QCoreApplication, QEventLoop, Qt, QTimer

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from central.db.engine import make_engine
from central.db.migrate import upgrade
from desktop_app import collector
from desktop_app.policy import Policy
from desktop_app.sync_thread import SyncThread
from storage.outbox import Outbox
from storage.transactions import transaction
from storage.vault import Vault
from storage.workspace import Workspace
from sync.engine import SyncEngine, SyncObserver, SyncReport
from sync.enrollment import enroll
from sync.protocol import Operation, OperationPayload, PushRequest
from sync.transport import CentralClient
from tests.central.harness import Central, Clock
from tests.factories import make_visit
from tests.sync.harness import CentralProcess
from tests.vaults import FAST_KDF, PASSPHRASE, FixedClock

SERVER = os.environ.get("HOMEVISIT_BENCH_POSTGRES",
                                      "postgresql://postgres@127.0.0.1:5432")
BATCH = 200


@contextmanager
def database(use_sqlite: bool, folder: Path) -> Iterator[str]:
    if use_sqlite:
        url = f"sqlite:///{folder / 'central.sqlite3'}"
        engine = make_engine(url)
        upgrade(engine)
        engine.dispose()
        yield url
        return
    name = f"homevisit_bench_sync_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        engine = make_engine(f"{SERVER}/{name}")
        upgrade(engine)
        engine.dispose()
        yield f"{SERVER}/{name}"
    finally:
        with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


class _Sink(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers["Content-Length"]))
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *_: object) -> None:
        pass


def raw_post_seconds(bodies: list[bytes]) -> float:
    sink = ThreadingHTTPServer(("127.0.0.1", 0), _Sink)
    threading.Thread(target=sink.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{sink.server_address[1]}/v1/sync/push"
    try:
        with httpx.Client() as client:
            started = time.perf_counter()
            for body in bodies:
                client.post(url, content=body, headers={"Content-Type": "application/json"})
            return time.perf_counter() - started
    finally:
        sink.shutdown()


def laptop(folder: Path, central: CentralProcess, username: str) -> tuple[Vault, Workspace]:
    vault = Vault.create(folder / username, PASSPHRASE, kdf=FAST_KDF)
    workspace = Workspace.over(vault.connection, actor=username, clock=FixedClock())
    with CentralClient(central.url) as client:
        enroll(vault.connection, workspace.device, client, central.admin.invite(username),
               workspace.audit)
    return vault, workspace


class Stopwatch(SyncObserver):
    """Time spent waiting for central's answers, apart from the laptop's own work."""

    def __init__(self) -> None:
        self.waiting = 0.0
        self._sent = 0.0

    def sending(self, op_ids: list[uuid.UUID]) -> None:
        self._sent = time.perf_counter()

    def answered(self, op_ids: list[uuid.UUID]) -> None:
        self.waiting += time.perf_counter() - self._sent


def engine_for(vault: Vault, workspace: Workspace, client: CentralClient,
               observer: SyncObserver | None = None) -> SyncEngine:
    return SyncEngine(vault.connection, workspace.device, client, audit=workspace.audit,
                      batch_size=BATCH, pull_limit=1000, observer=observer)


def push_bodies(outbox: Outbox) -> list[bytes]:
    """The request bodies the engine sends, built the same way, for the raw POST."""
    queued = outbox.operations(limit=10**6)
    wire = [Operation(op_id=op.op_id, sequence=op.sequence, kind=op.kind.value,
                      payload=OperationPayload.model_validate(op.payload)) for op in queued]
    return [PushRequest(operations=wire[i:i + BATCH]).model_dump_json().encode()
            for i in range(0, len(wire), BATCH)]


def fill_central(central: CentralProcess, count: int) -> None:
    """More visits at central from another (simulated) laptop, for the team lead to pull."""
    with httpx.Client(base_url=central.url, timeout=120) as http:
        simulated = Central(http, central.engine, central.admin.sessions,
                            Clock(datetime.now(UTC)), central.engine.dialect.name)
        device = simulated.enroll("north2")
        world_case, world_child = central_world[0], central_world[1]
        for start in range(0, count, 500):
            ops = [device.op(make_visit(world_case, [world_child]))
                   for _ in range(min(500, count - start))]
            device.push_ok(*ops)


central_world: list[object] = []

TICK_MS = 10


def central_cpu_seconds(central: CentralProcess) -> float:
    """User + system CPU of central's process so far (Linux /proc), for the pull's split."""
    process = getattr(central, "_process", None)
    try:
        fields = Path(f"/proc/{process.pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (AttributeError, OSError):
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class Ticks:
    """A 10 ms QTimer on the main thread; the gaps between its ticks are the UI's stalls."""

    dump: Any = None
    """With `--stall-dump FILE`: an open file that gets every thread's stack whenever the
    main thread has not ticked for 50 ms (faulthandler's watchdog runs without the GIL)."""

    def __init__(self) -> None:
        self.gaps: list[float] = []
        self._last = time.perf_counter()
        self._timer = QTimer()
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(TICK_MS)
        self._timer.timeout.connect(self._tick)

    def _tick(self) -> None:
        now = time.perf_counter()
        self.gaps.append(now - self._last)
        self._last = now
        if Ticks.dump is not None:
            faulthandler.dump_traceback_later(0.05, file=Ticks.dump)

    def start(self) -> None:
        self._last = time.perf_counter()
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()
        if Ticks.dump is not None:
            faulthandler.cancel_dump_traceback_later()

    def longest_ms(self) -> float:
        return max(self.gaps, default=0.0) * 1000

    def share_over_ms(self, limit: float) -> float:
        return sum(1 for gap in self.gaps if gap * 1000 > limit) / max(1, len(self.gaps))


def idle_gaps(seconds: float) -> Ticks:
    """The same timer with nothing else running in this process: the load's own share."""
    ticks = Ticks()
    loop = QEventLoop()
    QTimer.singleShot(int(seconds * 1000), loop.quit)
    ticks.start()
    loop.exec()
    ticks.stop()
    return ticks


def sync_in_app_thread(vault: Vault) -> tuple[SyncReport, float, Ticks]:
    """One run of the app's SyncThread while the main thread's event loop ticks, with the
    collector tuned as an unlocked session tunes it (desktop_app/collector.py)."""
    collector.hold_for_session()
    try:
        return _sync_in_app_thread(vault)
    finally:
        collector.release_after_session()


def _sync_in_app_thread(vault: Vault) -> tuple[SyncReport, float, Ticks]:
    thread = SyncThread(vault, Policy(sync_interval_minutes=60))
    reports: list[SyncReport] = []
    loop = QEventLoop()
    ticks = Ticks()

    def synced(report: SyncReport) -> None:
        reports.append(report)
        thread.stop()

    thread.synced.connect(synced)
    thread.run_started.connect(collector.pause_during_sync)
    thread.run_finished.connect(collector.resume_after_sync)
    thread.problem.connect(lambda problem: (print(f"sync problem: {problem}"), thread.stop()))
    thread.stopped.connect(lambda _ended: loop.quit())
    ticks.start()
    started = time.perf_counter()
    thread.start()
    loop.exec()
    seconds = time.perf_counter() - started
    ticks.stop()
    thread.wait(30_000)
    assert reports, "the sync thread ended without a report"
    return reports[0], seconds, ticks


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--visits", type=int, default=1000)
    parser.add_argument("--pull", type=int, default=10_000)
    parser.add_argument("--sqlite", action="store_true")
    parser.add_argument("--pull-only", action="store_true",
                        help="only the team lead's pull and its storage-and-transport limit")
    parser.add_argument("--profile", metavar="FILE", help="cProfile the laptop's pull")
    parser.add_argument("--pull-stall-rounds", type=int, default=0, metavar="N",
                        help="only the UI stall during a team lead's pull, N rounds")
    parser.add_argument("--stall-dump", metavar="FILE", type=Path,
                        help="write every thread's stack to FILE whenever the UI thread "
                             "misses 50 ms (where a stall comes from)")
    args = parser.parse_args()
    if args.stall_dump is not None:
        Ticks.dump = args.stall_dump.open("w")
    folder = Path(tempfile.mkdtemp(prefix="homevisit-bench-sync-"))
    try:
        with database(args.sqlite, folder) as url:
            central = CentralProcess(url, folder)
            central.start()
            try:
                if args.pull_only:
                    world = central.admin.world()
                    central_world.extend([world.cases["N2"], world.children["N2"]])
                    started = time.perf_counter()
                    fill_central(central, args.pull)
                    print(f"(central filled with {args.pull} visits in "
                          f"{time.perf_counter() - started:.1f} s)")
                    team_lead_pull(central, folder, args.pull, args.profile)
                elif args.pull_stall_rounds:
                    pull_stalls(central, folder, args.pull + args.visits,
                                args.pull_stall_rounds)
                else:
                    run(central, folder, args.visits, args.pull)
            finally:
                central.close()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def run(central: CentralProcess, folder: Path, visits: int, pull: int) -> None:
    world = central.admin.world()
    central_world.extend([world.cases["N2"], world.children["N2"]])
    vault, workspace = laptop(folder, central, "north1")
    with CentralClient(central.url) as client:
        engine_for(vault, workspace, client).run_once()  # the caseload, before the clock
        case = workspace.cases.cases()[0]
        children = workspace.cases.children(case.id)
        for _ in range(visits):
            visit = make_visit(case, children)
            workspace.visits.save_draft(visit)
            workspace.visits.submit(visit)
        bodies = push_bodies(workspace.outbox)
        stopwatch = Stopwatch()
        started = time.perf_counter()
        report = engine_for(vault, workspace, client, stopwatch).run_once()
        push_seconds = time.perf_counter() - started
    assert report.pushed == visits and report.everything_synced, report
    raw_seconds = raw_post_seconds(bodies)
    vault.close()
    megabytes = sum(len(b) for b in bodies) / 1e6
    print(f"push: {visits} visits ({megabytes:.1f} MB in {len(bodies)} requests) in "
          f"{push_seconds:.2f} s; raw POST of the same bytes {raw_seconds:.3f} s; "
          f"ratio {push_seconds / raw_seconds:.0f}")
    print(f"      of which waiting for central's answers {stopwatch.waiting:.2f} s, "
          f"the laptop's own work (vault reads, receipts verified and stored) "
          f"{push_seconds - stopwatch.waiting:.2f} s")

    started = time.perf_counter()
    fill_central(central, pull - visits)
    print(f"(central filled with {pull - visits} more visits in "
          f"{time.perf_counter() - started:.1f} s)")
    pull_seconds = team_lead_pull(central, folder, pull, None)
    print(f"targets: push <= 5 s {'met' if push_seconds <= 5 else 'NOT met'}, "
          f"pull <= 5 s {'met' if pull_seconds <= 5 else 'NOT met'}")
    ui_stall(central, folder, visits)


def team_lead_pull(central: CentralProcess, folder: Path, pull: int,
                   profile: str | None) -> float:
    """A fresh team lead's laptop pulls everything central holds, beside the limit."""
    lead_vault, lead = laptop(folder, central, "northlead")
    load = Path("/proc/loadavg").read_text().split()[:3]
    with CentralClient(central.url) as client:
        engine = engine_for(lead_vault, lead, client)
        # Central numbers pushed changes at the next pull of anyone; the fill's 10,000 all
        # at once would land on this pull's first pages alone. A one-row pull (not stored)
        # numbers them first, as the workers' own pulls would have.
        client.pull(engine._access_token(engine._enrollment()), 0, 1)
        profiler = cProfile.Profile() if profile else None
        started, cpu_started = time.perf_counter(), time.process_time()
        central_started = central_cpu_seconds(central)
        if profiler is not None:
            profiler.enable()
        pulled = engine.run_once()
        pull_seconds = time.perf_counter() - started
        if profiler is not None:
            profiler.disable()
            profiler.dump_stats(profile)
        pull_cpu = time.process_time() - cpu_started
        central_cpu = central_cpu_seconds(central) - central_started
        token = engine._access_token(engine._enrollment())  # the same token
    lead_vault.close()
    download, pages = raw_pull_seconds(central.url, token)
    insert = plain_insert_seconds(folder / "plain", pages)
    limit = download + insert
    print(f"pull: team lead received {pulled.pulled} changes ({pull} visits) in "
          f"{pull_seconds:.2f} s; CPU: the laptop (all its threads) {pull_cpu:.2f} s, "
          f"central's process {central_cpu:.2f} s (its database server not counted)")
    print(f"      limit: the same {len(pages)} pages downloaded raw {download:.2f} s + the "
          f"same rows into a plain table in one transaction {insert:.2f} s = {limit:.2f} s; "
          f"ratio pull / limit {pull_seconds / limit:.1f} (target <= 2: "
          f"{'met' if pull_seconds <= 2 * limit else 'NOT met'}; pull <= 3 s: "
          f"{'met' if pull_seconds <= 3 else 'NOT met'}); load {' '.join(load)}")
    return pull_seconds


def raw_pull_seconds(url: str, token: str) -> tuple[float, list[bytes]]:
    """The pull's requests, bytes only: the cursors are found first, then the same GETs
    are timed back to back over one kept-alive connection."""
    params = {"limit": 1000, "times": "true", "removals": "true", "notes": "true",
              "laptops": "true"}
    headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}
    cursors, cursor = [], 0
    with httpx.Client(base_url=url, timeout=120) as http:
        while True:
            cursors.append(cursor)
            page = http.get("/v1/sync/pull", params={**params, "cursor": cursor},
                            headers=headers).json()
            if not page["has_more"]:
                break
            cursor = page["next_cursor"]
        started = time.perf_counter()
        bodies = [http.get("/v1/sync/pull", params={**params, "cursor": c},
                           headers=headers).content for c in cursors]
        return time.perf_counter() - started, bodies


def plain_insert_seconds(folder: Path, pages: list[bytes]) -> float:
    """The pulled rows, as `received_records` keeps them, into a plain table of a fresh
    vault (same SQLCipher, same pragmas and commit seal) in one transaction."""
    rows = [(change["position"], change["kind"], change["record"], change["record_hash"],
             change["signature"], change["device_id"], change["submitted_by"],
             json.dumps(change["flags"]), change["received_at"], change["submitted_at"])
            for body in pages for change in json.loads(body)["changes"]]
    with Vault.create(folder, PASSPHRASE, kdf=FAST_KDF) as vault:
        conn = vault.connection
        conn.execute("CREATE TABLE plain (position INTEGER PRIMARY KEY, kind TEXT,"
                     " record_json TEXT, record_hash TEXT, signature TEXT, device_id TEXT,"
                     " submitted_by TEXT, flags TEXT, received_at TEXT, submitted_at TEXT)")
        started = time.perf_counter()
        with transaction(conn):
            conn.executemany("INSERT INTO plain VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
        return time.perf_counter() - started


def ui_stall(central: CentralProcess, folder: Path, visits: int) -> None:
    _application = QCoreApplication.instance() or QCoreApplication([])
    idle = idle_gaps(3.0)
    print(f"UI thread, no sync running: longest gap between {TICK_MS} ms ticks "
          f"{idle.longest_ms():.0f} ms")
    (folder / "stall").mkdir()
    worker_vault, worker = laptop(folder / "stall", central, "north1")
    with CentralClient(central.url) as client:
        engine_for(worker_vault, worker, client).run_once()  # the caseload
    case = worker.cases.cases()[0]
    children = worker.cases.children(case.id)
    for _ in range(visits):
        visit = make_visit(case, children)
        worker.visits.save_draft(visit)
        worker.visits.submit(visit)
    pushed, push_seconds, push_ticks = sync_in_app_thread(worker_vault)
    worker_vault.close()
    assert pushed.pushed == visits and pushed.everything_synced, pushed
    print(f"UI thread while SyncThread pushes {pushed.pushed} visits ({push_seconds:.1f} s): "
          f"longest gap {push_ticks.longest_ms():.0f} ms, "
          f"{push_ticks.share_over_ms(50) * 100:.1f}% of gaps over 50 ms")
    lead_vault, _lead = laptop(folder / "stall", central, "northlead")
    pulled, pull_seconds, pull_ticks = sync_in_app_thread(lead_vault)
    lead_vault.close()
    print(f"UI thread while SyncThread pulls {pulled.pulled} changes ({pull_seconds:.1f} s): "
          f"longest gap {pull_ticks.longest_ms():.0f} ms, "
          f"{pull_ticks.share_over_ms(50) * 100:.1f}% of gaps over 50 ms")
    worst = max(push_ticks.longest_ms(), pull_ticks.longest_ms())
    print(f"target: UI stall <= 50 ms {'met' if worst <= 50 else 'NOT met'}")


def pull_stalls(central: CentralProcess, folder: Path, visits: int, rounds: int) -> None:
    """The UI thread's longest gap while fresh team-lead laptops pull `visits`, `rounds` times."""
    world = central.admin.world()
    central_world.extend([world.cases["N2"], world.children["N2"]])
    fill_central(central, visits)
    _application = QCoreApplication.instance() or QCoreApplication([])
    longest, floor = [], []
    for n in range(rounds):
        load = os.getloadavg()[0]
        (folder / f"lead{n}").mkdir()
        lead_vault, _lead = laptop(folder / f"lead{n}", central, "northlead")
        pulled, seconds, ticks = sync_in_app_thread(lead_vault)
        lead_vault.close()
        # Side by side: the same timer as long again with no sync, the machine's own share.
        idle = idle_gaps(seconds)
        longest.append(ticks.longest_ms())
        floor.append(idle.longest_ms())
        print(f"load {load:.1f}: UI thread while SyncThread pulls {pulled.pulled} changes "
              f"({seconds:.1f} s): longest gap {ticks.longest_ms():.0f} ms, "
              f"{ticks.share_over_ms(50) * 100:.1f}% of gaps over 50 ms; with no sync, "
              f"straight after: longest gap {idle.longest_ms():.0f} ms")
    print(f"longest gaps: {', '.join(f'{ms:.0f}' for ms in longest)} ms (with no sync: "
          f"{', '.join(f'{ms:.0f}' for ms in floor)} ms); target <= 50 ms "
          f"{'met' if max(longest) <= 50 else 'NOT met'}")


if __name__ == "__main__":
    main()
