"""Central's throughput and latency: 10,000 visits pushed by 50 concurrent devices to
central as `homevisit-central serve` runs it (one uvicorn worker a core, its log lines at
INFO) on PostgreSQL, against a bare endpoint that only parses the same JSON (the transport
limit: same uvicorn, same FastAPI, same pydantic models, no checks, no database, no logs).

    .venv/bin/python bench/central.py [--visits 10000] [--devices 50] [--batch 10]
                                      [--paced-rate 500]
                                      [--compare-commit REV [--together] [--rounds N]]

Creates and drops its own PostgreSQL database (HOMEVISIT_BENCH_POSTGRES, default
postgresql://postgres@127.0.0.1:5432). Central reaches it as shipped, over the server's
local socket (the unit's environment file says `postgresql:///homevisit`); `--postgres tcp`
over TCP instead, as to a database on another host (`--compare-postgres` for the other side
of a comparison). A tree compared with `--compare`/`--compare-commit` runs as its own
`serve` ran it: before a40d02d, uvicorn's access log on (a second line a request) and a 5 s
keep-alive. With `--together` both centrals are pushed to at the same time, each by its own
fifty laptops from the same load generator, so that both meet whatever the shared machine
does meanwhile; one after the other, the same code's figure moved by a third between rounds
(docs/benchmarks.md). Two measures, each against central and the bare
endpoint in the same run:

- throughput: every device pushes its batches back to back (a closed loop). Latency here is
  fixed by Little's law (50 requests always in flight / requests per second), so it is
  printed but says nothing the rate does not.
- latency at a given load: the devices push at a fixed total rate (--paced-rate visits/s,
  each device one batch every devices*batch/rate seconds, phases spread), and each request's
  latency is counted from when it was due to be sent, so a server that falls behind is
  charged for the wait (no coordinated omission).

Request bodies are encoded before the clock starts (a laptop's outbox holds them ready), so
the load generator's own CPU, on the same cores, stays small. Targets on 2 cores:
>= 500 visits/s, p99 <= 500 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import contextlib
import io
import json
import os
import random
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from statistics import median

import httpx
import jwt
import psycopg
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from checkouts import unpacked  # noqa: E402  (bench/checkouts.py)

from central.db.engine import make_engine, make_sessionmaker  # noqa: E402
from central.db.migrate import upgrade  # noqa: E402
from central.services import admin, devices  # noqa: E402
from records.canonical import canonical_json, hash_bytes  # noqa: E402
from records.case import PlanType  # noqa: E402
from records.visit import (  # noqa: E402
    AdultsAndRisk,
    ChildObservation,
    CommunicationMethod,
    FoodConcern,
    HomeConditions,
    PersonPresent,
    Visit,
    VisitOutcome,
    VisitType,
)
from sync.protocol import Role  # noqa: E402

SERVER = os.environ.get("HOMEVISIT_BENCH_POSTGRES", "postgresql://postgres@127.0.0.1:5432")

BARE_APP = '''
from fastapi import FastAPI
from sync.protocol import PushRequest

app = FastAPI()


@app.post("/v1/sync/push")
def push(request: PushRequest) -> dict[str, int]:
    return {"operations": len(request.operations)}
'''


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def database() -> Iterator[str]:
    name = f"homevisit_bench_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{SERVER}/{name}"
    finally:
        with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


_TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _stat_fields(pid: int) -> list[str] | None:
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return text[text.rindex(")") + 2:].split()  # after "pid (comm) "


def process_tree(root: int) -> list[int]:
    """The root process and all its descendants (Linux /proc; [] elsewhere)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").glob("[0-9]*"):
        fields = _stat_fields(int(entry.name))
        if fields is not None:
            children.setdefault(int(fields[1]), []).append(int(entry.name))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(children.get(pid, []))
    return found


def machine_ticks() -> tuple[int, int]:
    """(idle, total) clock ticks of the whole machine so far, from /proc/stat."""
    try:
        fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    except (OSError, ValueError):
        return 0, 0
    return fields[3] + fields[4], sum(fields[:8])  # idle + iowait; without guest time


def cpu_seconds(pids: list[int]) -> dict[int, float]:
    """User + system CPU seconds each live process has used so far."""
    used = {}
    for pid in pids:
        fields = _stat_fields(pid)
        if fields is not None:
            used[pid] = (int(fields[11]) + int(fields[12])) / _TICK
    return used


class CpuMeter:
    """CPU used during a phase by: the uvicorn processes, this database's PostgreSQL backends
    (the ones alive at the end; a backend that exited in between is missed) and this client."""

    def __init__(self, server_pid: int, url: str | None) -> None:
        self.server_pid = server_pid
        self.url = url

    def _postgres_pids(self) -> list[int]:
        if self.url is None:
            return []
        name = self.url.rsplit("/", 1)[1]
        with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as connection:
            rows = connection.execute("SELECT pid FROM pg_stat_activity WHERE datname = %s",
                                      (name,)).fetchall()
        return [row[0] for row in rows]

    def __enter__(self) -> CpuMeter:
        self.server_before = cpu_seconds(process_tree(self.server_pid))
        self.postgres_before = cpu_seconds(self._postgres_pids())
        self.client_before = time.process_time()
        self.machine_before = machine_ticks()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.client = time.process_time() - self.client_before
        idle, total = (a - b for a, b in zip(machine_ticks(), self.machine_before, strict=True))
        self.machine_idle = idle / total if total else 0.0
        after = cpu_seconds(process_tree(self.server_pid))
        used = {pid: v - self.server_before.get(pid, 0.0) for pid, v in after.items()}
        self.server = sum(used.values())
        # Each worker's share (the supervisor, which serves nothing, left out): fifty kept-
        # alive connections spread between the workers once, at the start, and stay there.
        workers = sorted((v for pid, v in used.items() if pid != self.server_pid),
                         reverse=True)
        self.worker_shares = [v / self.server for v in workers] if self.server else []
        after = cpu_seconds(self._postgres_pids())
        self.postgres = sum(v - self.postgres_before.get(pid, 0.0) for pid, v in after.items())


@contextmanager
def uvicorn(app: str, env: dict[str, str], app_dir: str | None = None,
            workers: int = 1) -> Iterator[tuple[str, int]]:
    """The bare endpoint under uvicorn, as central's workers run: no log line a request."""
    port = free_port()
    # Keep-alive of 30 s, not uvicorn's 5: on a shared, busy machine the load generator can
    # take longer than 5 s to reuse a pooled connection, and the server closing it just as a
    # push is sent on it shows up as a ReadError that is about the bench, not the server.
    command = [sys.executable, "-m", "uvicorn", app, "--workers", str(workers), "--host",
               "127.0.0.1", "--port", str(port), "--no-access-log", "--log-level", "warning",
               "--timeout-keep-alive", "30"]
    if app_dir:
        command += ["--app-dir", app_dir]
    with serving(command, port, env, ROOT) as (base, pid):
        yield base, pid


@contextmanager
def central_serving(source: Path, env: dict[str, str],
                    workers: int) -> Iterator[tuple[str, int]]:
    """Central from `source` as `homevisit-central serve` runs it there: its uvicorn
    settings, its JSON log lines at its default level (INFO: a line a request and one for
    a push's stored ops, written to a file here as to journald), `workers` processes."""
    port = free_port()
    command = [sys.executable, "-m", "central.cli", "serve", "--host", "127.0.0.1",
               "--port", str(port), "--workers", str(workers)]
    with serving(command, port, env, source) as (base, pid):
        yield base, pid


@contextmanager
def serving(command: list[str], port: int, env: dict[str, str],
            cwd: Path) -> Iterator[tuple[str, int]]:
    """A server started, waited for, and stopped; what it said on stderr, bar its INFO
    lines, printed after."""
    with tempfile.TemporaryFile() as errors:
        # Its own process group, so that no worker outlives the measure (`finally`).
        server = subprocess.Popen(command, env={"PYTHONPATH": str(ROOT), **os.environ, **env},
                                  cwd=cwd, stderr=errors, start_new_session=True)
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 90
            while True:
                try:
                    httpx.get(f"{base}/openapi.json", timeout=2)
                    break
                except httpx.TransportError:
                    if time.monotonic() > deadline or server.poll() is not None:
                        raise SystemExit("the server did not start") from None
                    time.sleep(0.3)
            yield base, server.pid
        finally:
            server.terminate()
            server.wait(timeout=30)
            with contextlib.suppress(ProcessLookupError):
                os.killpg(server.pid, signal.SIGKILL)
            errors.seek(0)
            said = [line for line in errors.read().decode(errors="replace").splitlines()
                    if '"level": "info"' not in line and '"level":"info"' not in line]
            if said:
                print(f"--- {command[2]} said on stderr:\n" + "\n".join(said)[-3000:],
                      file=sys.stderr)


CASES_HEADER = ("case_reference,family_name,address,team,child_reference,given_name,"
                "child_family_name,date_of_birth,plan_type,plan_start_date,"
                "placement_start_date,long_term_placement,first_language,worker")


@dataclass
class Laptop:
    key: Ed25519PrivateKey
    code: str
    child_id: uuid.UUID
    case_id: uuid.UUID
    device_id: str = ""
    token: str = ""
    bodies: dict[str, list[bytes]] = field(default_factory=dict)
    receipt: str = "op"
    """How central's laptops of its protocol push: "push" (one receipt a push) from 8."""


def prepare(url: str, device_count: int, *, migrated: bool = False) -> list[Laptop]:
    """A team, a worker with one case and child a laptop (imported as a council would), the
    schema first brought up to date by this tree unless already `migrated`."""
    engine = make_engine(url, pool_size=2)
    if not migrated:
        upgrade(engine)
    sessions = make_sessionmaker(engine)
    now = datetime.now(UTC)
    rows = [CASES_HEADER] + [
        f"CP-{n},Family{n},{n} Bench Street,North,C-{n},Child{n},Family{n},2019-05-01,"
        f"child_protection,{(now - timedelta(days=60)).date()},,,English,bench"
        for n in range(device_count)]
    with sessions.begin() as session:
        admin.add_team(session, "North")
        worker = admin.add_user(session, "bench", role=Role.WORKER, team="North")
        admin.import_cases(session, io.StringIO("\n".join(rows) + "\n"), now)
        laptops = []
        for n in range(device_count):
            child = admin.child_by_reference(session, f"C-{n}")
            laptops.append(Laptop(Ed25519PrivateKey.generate(),
                                  devices.new_enrollment_code(session, worker, hours=1, now=now),
                                  child.id, child.case_id))
    engine.dispose()
    return laptops


def bench_visit(laptop: Laptop, started: datetime) -> Visit:
    """A complete statutory visit to one child, as a worker submits it."""
    return Visit(
        id=uuid.uuid4(), case_id=laptop.case_id, worker="Bench Worker",
        visit_type=VisitType.STATUTORY, announced=False, started_at=started,
        ended_at=started + timedelta(minutes=65), location="Family home",
        purpose="Statutory child protection visit.", outcome=VisitOutcome.COMPLETED,
        people_present=(PersonPresent(name="Magda Nowak", relationship="mother"),),
        absent_fathers_or_partners_asked_about=True, language_of_children="English",
        language_of_parents="English",
        children=(ChildObservation(
            child_id=laptop.child_id, plan_type=PlanType.CHILD_PROTECTION, seen=True,
            seen_alone=True, spoken_to_alone=True, bedroom_seen=True,
            sleeping_arrangements="Own bed in shared room with brother; clean bedding.",
            locks_on_outside_of_door=False,
            child_words="I like school because I get breakfast there.",
            communication_methods=(CommunicationMethod.SPOKEN,),
            wishes_and_feelings="Wants to stay at her school.",
            demeanour="Quiet at first, then chatty.",
            clothing_and_hygiene="Clean clothes, suitable for the weather.",
            interaction_with_carers="Looked to mother before answering questions.",
            food_concern=FoodConcern.NONE, injuries_seen=False),),
        home=HomeConditions(description="Warm, tidy; food in the fridge."),
        adults_and_risk=AdultsAndRisk(domestic_abuse_since_last_visit=False,
                                      household_changes=False),
        analysis="No new concerns; plan remains appropriate.",
    )


# sync.protocol's PUSH_RECEIPT_PROTOCOL, which an older tree measured by bench/push_cpu.py
# (whose modules this file then imports) does not have.
PUSH_RECEIPT_PROTOCOL = 8


def sign_batches(laptop: Laptop, phase: str, visits: int, batch: int) -> None:
    """The laptop's outbox for one phase: signed ops, already encoded as push bodies."""
    started = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=3)
    ops = []
    for sequence in range(visits):
        data = canonical_json(bench_visit(laptop, started))
        ops.append({"op_id": str(uuid.uuid4()), "sequence": sequence, "kind": "visit.submit",
                    "payload": {"kind": "visit", "record": data.decode(),
                                "record_hash": hash_bytes(data),
                                "signature": base64.b64encode(laptop.key.sign(data)).decode(),
                                "device_id": laptop.device_id}})
    asked = {} if laptop.receipt == "op" else {"receipt": laptop.receipt}
    laptop.bodies[phase] = [json.dumps({"operations": ops[i:i + batch], **asked}).encode()
                            for i in range(0, len(ops), batch)]


async def enroll(base: str, laptops: list[Laptop],
                 transport: httpx.AsyncBaseTransport | None = None) -> None:
    """Each laptop enrolled and given an access token (over HTTP, or `transport`), and told
    to push as a laptop of central's protocol does (one receipt a push from 8)."""
    async with httpx.AsyncClient(base_url=base, timeout=60, transport=transport) as client:
        health = await client.get("/v1/health")
        health.raise_for_status()
        receipt = "push" if health.json()["protocol_version"] >= PUSH_RECEIPT_PROTOCOL else "op"
        for laptop in laptops:
            laptop.receipt = receipt
            raw = laptop.key.public_key().public_bytes(serialization.Encoding.Raw,
                                                       serialization.PublicFormat.Raw)
            response = await client.post("/v1/enroll", json={
                "code": laptop.code, "public_key": base64.b64encode(raw).decode()})
            response.raise_for_status()
            laptop.device_id = response.json()["device_id"]
            now = int(time.time())
            assertion = jwt.encode({"iss": laptop.device_id, "sub": laptop.device_id,
                                    "aud": "homevisit-central", "iat": now, "exp": now + 60,
                                    "jti": uuid.uuid4().hex}, laptop.key, algorithm="EdDSA")
            token = await client.post("/v1/token", json={"client_assertion": assertion})
            token.raise_for_status()
            laptop.token = token.json()["access_token"]


@dataclass
class Run:
    visits: int
    elapsed: float
    latencies: list[float]
    accepted: int
    cpu: CpuMeter | None = None

    @property
    def rate(self) -> float:
        return self.visits / self.elapsed

    def percentile(self, fraction: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]

    def cpu_line(self) -> str:
        if self.cpu is None:
            return ""
        per = 1000 / self.visits
        return (f"  CPU ms/visit: server {self.cpu.server * per:.2f}, PostgreSQL "
                f"{self.cpu.postgres * per:.2f}, client {self.cpu.client * per:.2f}; "
                f"machine idle {self.cpu.machine_idle:.0%}; workers' shares "
                f"{' / '.join(f'{share:.0%}' for share in self.cpu.worker_shares)}")


async def load(base: str, laptops: list[Laptop], phase: str, *, authorised: bool,
               interval: float | None) -> Run:
    """Every laptop pushes its batches: back to back, or one every `interval` seconds."""
    latencies: list[float] = []
    accepted = 0

    async def laptop_pushes(client: httpx.AsyncClient, laptop: Laptop, began: float) -> None:
        nonlocal accepted
        headers = {"Content-Type": "application/json"}
        if authorised:
            headers["Authorization"] = f"Bearer {laptop.token}"
        due = began + (random.uniform(0, interval) if interval else 0.0)
        for body in laptop.bodies[phase]:
            if interval:
                await asyncio.sleep(max(0.0, due - time.perf_counter()))
            sent = due if interval else time.perf_counter()
            response = await client.post("/v1/sync/push", headers=headers, content=body)
            latencies.append(time.perf_counter() - sent)
            response.raise_for_status()
            if authorised:
                accepted += sum(r["result"] == "accepted" for r in response.json()["results"])
            if interval:
                due += interval

    # One client (and connection) a laptop, as in the field, made before the clock starts:
    # one shared pool of 50 connections costs the load generator a scan of all of them on
    # every request (httpcore). Plain HTTP here, so they share one unused TLS context rather
    # than each loading the CA bundle.
    tls = ssl.create_default_context()
    async with contextlib.AsyncExitStack() as stack:
        clients = [await stack.enter_async_context(
                       httpx.AsyncClient(base_url=base, timeout=120, verify=tls))
                   for _ in laptops]
        # Each connection opened on its own, as laptops come online at different moments:
        # opened all at once when the clock starts, most would land on whichever worker
        # woke first and stay there (each worker's share of the CPU is printed), and the
        # run would measure that spread more than central (docs/benchmarks.md).
        for client in clients:
            await client.get("/v1/sync/no-such-path")
            await asyncio.sleep(0.02)
        began = time.perf_counter()
        await asyncio.gather(*(laptop_pushes(client, laptop, began)
                               for client, laptop in zip(clients, laptops, strict=True)))
        elapsed = time.perf_counter() - began
    visits = sum(body.count(b'"op_id"') for laptop in laptops for body in laptop.bodies[phase])
    return Run(visits, elapsed, latencies, accepted)


def measured(base: str, pid: int, url: str | None, laptops: list[Laptop], phase: str, *,
             authorised: bool, interval: float | None) -> Run:
    """One phase against a server; against central, PostgreSQL first writes out what the
    phases before left in its buffers, so that no side pays for the one before it."""
    if url is not None:
        with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as connection:
            connection.execute("CHECKPOINT")
    with CpuMeter(pid, url) as meter:
        run = asyncio.run(load(base, laptops, phase, authorised=authorised,
                               interval=interval))
    run.cpu = meter
    return run


def ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f} ms"


def over(url: str, via: str) -> str:
    """The database's URL for central: over the server's local socket (`socket`, as shipped)
    or as given (`tcp`)."""
    if via == "tcp":
        return url
    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as connection:
        [folders] = connection.execute("SHOW unix_socket_directories").fetchall()
    parsed = make_url(url)
    folder = str(folders[0]).split(",")[0].strip()
    socket_file = Path(folder) / f".s.PGSQL.{parsed.port or 5432}"
    if not socket_file.exists():
        raise SystemExit(f"PostgreSQL's local socket {socket_file} is not on this machine: "
                         "run with --postgres tcp")
    return parsed.set(host=None, query={**parsed.query, "host": folder}).render_as_string(
        hide_password=False)


def central_ready(stack: contextlib.ExitStack, source: Path, extra_env: dict[str, str],
                  args: argparse.Namespace, workers: int, via: str,
                  ) -> tuple[str, int, str, list[Laptop]]:
    """Central from `source` (a checkout) serving on a fresh database, reached `via` the
    socket or TCP, its laptops enrolled and their pushes signed (both phases), until `stack`
    closes: its address, server process, database and laptops."""
    url = stack.enter_context(database())
    env = {"HOMEVISIT_CENTRAL_DATABASE_URL": over(url, via), "PYTHONPATH": str(source),
           **extra_env}
    # The schema as `source` has it (another tree may be a migration behind this one).
    subprocess.run([sys.executable, "-m", "central.cli", "migrate"], cwd=source, check=True,
                   env={**os.environ, **env})
    laptops = prepare(url, args.devices, migrated=True)
    base, pid = stack.enter_context(central_serving(source, env, workers))
    asyncio.run(enroll(base, laptops))
    for laptop in laptops:
        for phase in ("throughput", "paced"):
            sign_batches(laptop, phase, args.visits // args.devices, args.batch)
    return base, pid, url, laptops


def measure_central(source: Path, extra_env: dict[str, str], args: argparse.Namespace,
                    interval: float, workers: int, via: str) -> tuple[Run, Run, list[Laptop]]:
    """Central from `source` on its own: throughput, then paced."""
    with contextlib.ExitStack() as stack:
        base, pid, url, laptops = central_ready(stack, source, extra_env, args, workers, via)
        central = measured(base, pid, url, laptops, "throughput", authorised=True,
                           interval=None)
        paced = measured(base, pid, url, laptops, "paced", authorised=True, interval=interval)
    return central, paced, laptops


Side = tuple[str, str, int, str, list[Laptop]]
"""A central being measured: its label, address, server process, database and laptops."""


def measure_together(sources: list[tuple[str, Path, dict[str, str], int, str]],
                     args: argparse.Namespace, interval: float,
                     ) -> dict[str, tuple[Run, Run, list[Laptop]]]:
    """Both centrals at once, each on its own database with its own laptops, pushed by the
    same load generator at the same time: whatever the shared machine does meanwhile, both
    sides meet it (one after the other, a side's figure moved by a third between rounds).
    Each side's CPU is counted until its own last push is answered."""
    with contextlib.ExitStack() as stack:
        sides: list[Side] = [
            (label, *central_ready(stack, source, extra, args, workers, via))
            for label, source, extra, workers, via in sources]
        loop, paced = (asyncio.run(_pushed_together(sides, phase, every))
                       for phase, every in (("throughput", None), ("paced", interval)))
        return {label: (loop[label], paced[label], laptops)
                for label, _, _, _, laptops in sides}


async def _pushed_together(sides: list[Side], phase: str,
                           interval: float | None) -> dict[str, Run]:
    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as connection:
        connection.execute("CHECKPOINT")

    async def one(label: str, base: str, pid: int, url: str,
                  laptops: list[Laptop]) -> tuple[str, Run]:
        with CpuMeter(pid, url) as meter:
            run = await load(base, laptops, phase, authorised=True, interval=interval)
        run.cpu = meter
        return label, run

    return dict(await asyncio.gather(*(one(*side) for side in sides)))


def report(label: str, run: Run) -> None:
    print(f"  {label:<14} {run.rate:6.0f} visits/s  p50 {ms(run.percentile(0.5))}"
          f"  p99 {ms(run.percentile(0.99))}")
    if run.cpu is not None:
        print(f"  {'':<14}{run.cpu_line()}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--visits", type=int, default=10_000)
    parser.add_argument("--devices", type=int, default=50)
    parser.add_argument("--batch", type=int, default=10)
    parser.add_argument("--paced-rate", type=float, default=500.0,
                        help="visits/s offered in the latency measure")
    parser.add_argument("--compare", type=Path, default=None, metavar="CHECKOUT",
                        help="also measure central from another checkout (e.g. `git worktree "
                             "add /tmp/before <commit>`), in the same run, for a before/after")
    parser.add_argument("--compare-commit", default=None, metavar="REV",
                        help="also measure central as it was at a commit of this repository "
                             "(e.g. HEAD~1), unpacked with `git archive` into a temporary folder")
    parser.add_argument("--compare-env", action="append", default=[], metavar="NAME=VALUE",
                        help="environment of the compared central (default: this checkout), "
                             "e.g. UVICORN_LOOP=asyncio UVICORN_HTTP=h11")
    # As shipped: `homevisit-central serve` runs one worker a core (imported here, not at
    # the top: bench/push_cpu.py loads this file's helpers over older trees too).
    from central.cli import workers_per_machine
    shipped = workers_per_machine()
    parser.add_argument("--workers", type=int, default=shipped,
                        help=f"uvicorn worker processes of central (as shipped: one a core, "
                             f"here {shipped})")
    parser.add_argument("--compare-workers", type=int, default=None, metavar="N",
                        help="the compared central with N worker processes (default: this "
                             "checkout, if nothing else is compared)")
    parser.add_argument("--postgres", choices=("socket", "tcp"), default="socket",
                        help="how central reaches PostgreSQL: its local socket (as shipped) "
                             "or TCP (as to another host)")
    parser.add_argument("--compare-postgres", choices=("socket", "tcp"), default=None,
                        help="how the compared central reaches PostgreSQL (default: as "
                             "--postgres)")
    parser.add_argument("--together", action="store_true",
                        help="with a compared central: push to both at the same time, each "
                             "with its own laptops, so that both meet the same machine")
    parser.add_argument("--rounds", type=int, default=1,
                        help="with --compare/--compare-env: rounds, each in the other order")
    args = parser.parse_args()
    with contextlib.ExitStack() as stack:
        if args.compare_commit is not None:
            args.compare = stack.enter_context(unpacked(args.compare_commit))
        rounds(args)


def rounds(args: argparse.Namespace) -> None:
    interval = args.devices * args.batch / args.paced_rate
    sources: list[tuple[str, Path, dict[str, str], int, str]] = [
        ("central", ROOT, {}, args.workers, args.postgres)]
    if (args.compare is not None or args.compare_env or args.compare_workers
            or args.compare_postgres):
        compare_env = dict(item.split("=", 1) for item in args.compare_env)
        source = args.compare.resolve() if args.compare is not None else ROOT
        label = (f"central@{source.name}" if args.compare else
                 "central@env" if args.compare_env else
                 f"central@{args.compare_workers}w" if args.compare_workers else
                 f"central@{args.compare_postgres}")
        sources.append((label, source, compare_env, args.compare_workers or args.workers,
                        args.compare_postgres or args.postgres))
    per_round: list[dict[str, tuple[Run, Run, list[Laptop]]]] = []
    for round_number in range(args.rounds):
        if args.rounds > 1:
            print(f"=== round {round_number + 1} of {args.rounds}")
        per_round.append(one_round(sources[::-1] if round_number % 2 else sources, args,
                                   interval))
    if args.rounds > 1:
        summary(per_round)


def summary(per_round: list[dict[str, tuple[Run, Run, list[Laptop]]]]) -> None:
    """Each side's workers' CPU a visit over the rounds: the median, then every round's."""
    print(f"=== over {len(per_round)} rounds, workers' CPU a visit, ms (target <= 0.40): "
          "median [each round]")
    medians: dict[str, list[float]] = {}
    for label in per_round[0]:
        line = []
        for phase, runs in (("closed loop", [r[label][0] for r in per_round]),
                            ("paced", [r[label][1] for r in per_round])):
            figures = [cpu_a_visit(run) for run in runs]
            medians.setdefault(label, []).append(median(figures))
            line.append(f"{phase} {median(figures):.3f} "
                        f"[{', '.join(f'{f:.3f}' for f in figures)}]")
        print(f"  {label:<16} {'; '.join(line)}")
    if len(medians) == 2:
        (_, now), (other, then) = medians.items()
        print(f"  ratio of medians, central / {other}: closed loop {now[0] / then[0]:.2f}, "
              f"paced {now[1] / then[1]:.2f}")


def cpu_a_visit(run: Run) -> float:
    """The server's CPU a visit in ms (NaN where it was not measured)."""
    return run.cpu.server * 1000 / run.visits if run.cpu is not None else float("nan")


def one_round(sources: list[tuple[str, Path, dict[str, str], int, str]],
              args: argparse.Namespace, interval: float,
              ) -> dict[str, tuple[Run, Run, list[Laptop]]]:
    print(f"load average at start: {os.getloadavg()[0]:.1f} {os.getloadavg()[1]:.1f} "
          f"{os.getloadavg()[2]:.1f} on {os.cpu_count()} cores")
    if args.together and len(sources) == 2:
        results = measure_together(sources, args, interval)
    else:
        results = {label: measure_central(source, extra, args, interval, workers, via)
                   for label, source, extra, workers, via in sources}
    laptops = results["central"][2]
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "bare_transport.py").write_text(BARE_APP)
        with uvicorn("bare_transport:app", {}, app_dir=folder,
                     workers=args.workers) as (bare_base, bare_pid):
            bare = measured(bare_base, bare_pid, None, laptops, "throughput", authorised=False,
                            interval=None)
            bare_paced = measured(bare_base, bare_pid, None, laptops, "paced",
                                  authorised=False, interval=interval)
    central, central_paced, _ = results["central"]
    print(f"load average at end: {os.getloadavg()[0]:.1f} {os.getloadavg()[1]:.1f} "
          f"{os.getloadavg()[2]:.1f}")
    print(f"central: {central.visits} visits from {args.devices} devices, batches of "
          f"{args.batch}, {' / '.join(str(w) for _, _, _, w, _ in sources)} uvicorn workers, "
          f"PostgreSQL over {' / '.join(via for *_, via in sources)} (measured "
          f"{'together' if args.together else 'in this order'}: {', '.join(results)}; "
          "then bare)")
    for label, (throughput, paced, _) in results.items():
        print(f"  {label}: accepted {throughput.accepted + paced.accepted} of "
              f"{throughput.visits + paced.visits}")
    print("closed loop (each device pushes back to back):")
    for label, (throughput, _, _) in results.items():
        report(label, throughput)
    report("bare", bare)
    for label, (throughput, _, _) in results.items():
        print(f"  ratio {label} / transport limit: {throughput.rate / bare.rate:.2f}")
    print(f"paced at {args.paced_rate:.0f} visits/s offered (latency from when each push "
          "was due):")
    for label, (_, paced, _) in results.items():
        report(label, paced)
    report("bare", bare_paced)
    side_by_side(results)
    met = central.rate >= 500 and central_paced.percentile(0.99) <= 0.5
    print(f"targets (>= 500 visits/s closed loop, p99 <= 500 ms at {args.paced_rate:.0f} "
          f"visits/s): {'met' if met else 'NOT met'}")
    return results

def side_by_side(results: dict[str, tuple[Run, Run, list[Laptop]]]) -> None:
    """The workers' CPU a visit of this central against the compared one, and the ratio."""
    if len(results) < 2:
        return
    (_, (now_loop, now_paced, _)), (other, (then_loop, then_paced, _)) = (
        ("central", results["central"]),
        next((label, run) for label, run in results.items() if label != "central"))
    print(f"workers' CPU a visit, central against {other} (target <= 0.40 ms):")
    for phase, now, then in (("closed loop", now_loop, then_loop),
                             ("paced", now_paced, then_paced)):
        if now.cpu is None or then.cpu is None:
            continue
        after, before = cpu_a_visit(now), cpu_a_visit(then)
        print(f"  {phase:<12} {after:.3f} ms against {before:.3f} ms: ratio {after / before:.2f}")


if __name__ == "__main__":
    main()
