"""Central's throughput: 10,000 visits pushed by 50 concurrent devices to 4 uvicorn workers
on PostgreSQL, against a bare endpoint that only parses the same JSON (the transport limit).

    .venv/bin/python bench/central.py [--visits 10000] [--devices 50] [--batch 10]

Creates and drops its own PostgreSQL database (HOMEVISIT_BENCH_POSTGRES, default
postgresql://postgres@127.0.0.1:5432). Prints visits/s, p50 and p99 request latency, and the
ratio of central's throughput to the bare endpoint's. Targets on 2 cores: >= 500 visits/s,
p99 <= 500 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import os
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import jwt
import psycopg
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from central.db.engine import make_engine, make_sessionmaker  # noqa: E402
from central.db.migrate import upgrade  # noqa: E402
from central.services import admin, devices  # noqa: E402
from records.canonical import canonical_json, hash_bytes  # noqa: E402
from records.case import Case  # noqa: E402
from sync.protocol import Role  # noqa: E402
from tests.factories import make_child, make_visit  # noqa: E402

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


@contextmanager
def uvicorn(app: str, env: dict[str, str], app_dir: str | None = None,
            factory: bool = False) -> Iterator[str]:
    port = free_port()
    command = [sys.executable, "-m", "uvicorn", app, "--workers", "4", "--host", "127.0.0.1",
               "--port", str(port), "--no-access-log", "--log-level", "warning"]
    if app_dir:
        command += ["--app-dir", app_dir]
    if factory:
        command.append("--factory")
    server = subprocess.Popen(command, env={**os.environ, **env, "PYTHONPATH": str(ROOT)},
                              cwd=ROOT)
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
        yield base
    finally:
        server.terminate()
        server.wait(timeout=30)


def prepare(url: str, device_count: int, visits: int) -> list[dict[str, Any]]:
    """Seed a team and worker, enroll the devices, sign every visit in advance."""
    engine = make_engine(url, pool_size=2)
    upgrade(engine)
    sessions = make_sessionmaker(engine)
    now = datetime.now(UTC)
    with sessions.begin() as session:
        admin.add_team(session, "North")
        worker = admin.add_user(session, "bench", role=Role.WORKER, team="North")
        codes = [devices.new_enrollment_code(session, worker, hours=1, now=now)
                 for _ in range(device_count)]
    engine.dispose()
    case = Case(id=uuid.uuid4(), reference="CP-BENCH")
    child = make_child(case)
    laptops: list[dict[str, Any]] = [
        {"key": Ed25519PrivateKey.generate(), "code": code, "ops": []} for code in codes]
    for n in range(visits):
        laptops[n % device_count]["ops"].append(make_visit(case, [child]))
    return laptops


async def enroll_and_sign(base: str, laptops: list[dict[str, Any]]) -> None:
    async with httpx.AsyncClient(base_url=base, timeout=60) as client:
        for laptop in laptops:
            key: Ed25519PrivateKey = laptop["key"]
            raw = key.public_key().public_bytes(serialization.Encoding.Raw,
                                                serialization.PublicFormat.Raw)
            response = await client.post("/v1/enroll", json={
                "code": laptop["code"], "public_key": base64.b64encode(raw).decode()})
            device_id = response.json()["device_id"]
            laptop["device_id"] = device_id
            signed = []
            for sequence, visit in enumerate(laptop["ops"]):
                data = canonical_json(visit)
                signed.append({"op_id": str(uuid.uuid4()), "sequence": sequence,
                               "kind": "visit.submit", "payload": {
                                   "kind": "visit", "record": data.decode(),
                                   "record_hash": hash_bytes(data),
                                   "signature": base64.b64encode(key.sign(data)).decode(),
                                   "device_id": device_id}})
            laptop["ops"] = signed
            now = int(time.time())
            assertion = jwt.encode({"iss": device_id, "sub": device_id,
                                    "aud": "homevisit-central", "iat": now, "exp": now + 60,
                                    "jti": uuid.uuid4().hex}, key, algorithm="EdDSA")
            token = await client.post("/v1/token", json={"client_assertion": assertion})
            laptop["token"] = token.json()["access_token"]


async def run_load(base: str, laptops: list[dict[str, Any]], batch: int,
                   authorised: bool) -> tuple[float, list[float], int]:
    latencies: list[float] = []
    accepted = 0
    limits = httpx.Limits(max_connections=len(laptops))

    async def device(client: httpx.AsyncClient, laptop: dict[str, Any]) -> None:
        nonlocal accepted
        headers = {"Authorization": f"Bearer {laptop['token']}"} if authorised else {}
        ops = laptop["ops"]
        for start in range(0, len(ops), batch):
            began = time.perf_counter()
            response = await client.post("/v1/sync/push", headers=headers,
                                         json={"operations": ops[start:start + batch]})
            latencies.append(time.perf_counter() - began)
            response.raise_for_status()
            if authorised:
                accepted += sum(r["result"] == "accepted" for r in response.json()["results"])

    async with httpx.AsyncClient(base_url=base, timeout=120, limits=limits) as client:
        began = time.perf_counter()
        await asyncio.gather(*(device(client, laptop) for laptop in laptops))
        elapsed = time.perf_counter() - began
    return elapsed, sorted(latencies), accepted


def percentile(values: list[float], fraction: float) -> float:
    return values[min(len(values) - 1, round(fraction * (len(values) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--visits", type=int, default=10_000)
    parser.add_argument("--devices", type=int, default=50)
    parser.add_argument("--batch", type=int, default=10)
    args = parser.parse_args()
    with database() as url:
        laptops = prepare(url, args.devices, args.visits)
        env = {"HOMEVISIT_CENTRAL_DATABASE_URL": url, "HOMEVISIT_CENTRAL_LOG_LEVEL": "WARNING",
               "HOMEVISIT_CENTRAL_DATABASE_POOL_SIZE": "8"}
        with uvicorn("central.app:app_from_environment", env, factory=True) as base:
            asyncio.run(enroll_and_sign(base, laptops))
            elapsed, latencies, accepted = asyncio.run(
                run_load(base, laptops, args.batch, authorised=True))
        with tempfile.TemporaryDirectory() as folder:
            (Path(folder) / "bare_transport.py").write_text(BARE_APP)
            with uvicorn("bare_transport:app", {}, app_dir=folder) as bare:
                bare_elapsed, bare_latencies, _ = asyncio.run(
                    run_load(bare, laptops, args.batch, authorised=False))
    rate, bare_rate = args.visits / elapsed, args.visits / bare_elapsed
    print(f"central: {args.visits} visits from {args.devices} devices, batches of "
          f"{args.batch}, 4 uvicorn workers, PostgreSQL")
    print(f"  accepted            {accepted}")
    print(f"  visits/s            {rate:.0f}")
    print(f"  p50 latency         {percentile(latencies, 0.50) * 1000:.0f} ms")
    print(f"  p99 latency         {percentile(latencies, 0.99) * 1000:.0f} ms")
    print(f"bare parse-only endpoint: {bare_rate:.0f} visits/s, "
          f"p99 {percentile(bare_latencies, 0.99) * 1000:.0f} ms")
    print(f"ratio central / transport limit: {rate / bare_rate:.2f}")
    met = rate >= 500 and percentile(latencies, 0.99) <= 0.5
    print(f"targets (>= 500 visits/s, p99 <= 500 ms): {'met' if met else 'NOT met'}")


if __name__ == "__main__":
    main()
