"""Four uvicorn workers on PostgreSQL, fifty clients pushing overlapping, duplicate-heavy
batches at once: every op is stored exactly once and always answered with one receipt."""

from __future__ import annotations

import base64
import os
import random
import socket
import subprocess
import sys
import time
import uuid
from collections import defaultdict
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from typing import Any

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import func, select

from central.db.engine import make_engine, make_sessionmaker
from central.db.models import ChangeRow, OperationRow, VisitRow
from records.canonical import canonical_json, hash_bytes
from sync.protocol import Receipt
from tests.central.conftest import empty_tables
from tests.central.harness import Central, Clock, raw_public
from tests.factories import make_visit

DEVICES = 10
OPS_PER_DEVICE = 40
CLIENTS = 50
BATCHES_PER_CLIENT = 5
BATCH_SIZE = 20


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture
def live_central(postgres_url: str) -> Iterator[tuple[str, str]]:
    empty_tables(postgres_url)
    port = _free_port()
    env = {**os.environ, "HOMEVISIT_CENTRAL_DATABASE_URL": postgres_url,
           "HOMEVISIT_CENTRAL_DATABASE_POOL_SIZE": "4", "HOMEVISIT_CENTRAL_LOG_LEVEL": "WARNING"}
    server = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "central.app:app_from_environment", "--factory",
         "--workers", "4", "--host", "127.0.0.1", "--port", str(port), "--no-access-log"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{base}/v1/health", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert server.poll() is None, server.stderr.read() if server.stderr else ""
            assert time.monotonic() < deadline, "uvicorn did not start within 60 s"
            time.sleep(0.3)
        yield base, postgres_url
    finally:
        server.terminate()
        _, err = server.communicate(timeout=30)
    assert b"Traceback" not in err


def _token(client: httpx.Client, device_id: str, key: Ed25519PrivateKey) -> str:
    now = int(time.time())
    assertion = jwt.encode({"iss": device_id, "sub": device_id, "aud": "homevisit-central",
                            "iat": now, "exp": now + 60, "jti": uuid.uuid4().hex}, key,
                           algorithm="EdDSA")
    response = client.post("/v1/token", json={"client_assertion": assertion})
    assert response.status_code == 200, response.text
    token: str = response.json()["access_token"]
    return token


def test_fifty_clients_four_workers_every_op_stored_exactly_once(
    live_central: tuple[str, str],
) -> None:
    base, url = live_central
    engine = make_engine(url, pool_size=2)
    central = Central(httpx.Client(base_url=base), engine, make_sessionmaker(engine),
                      Clock(datetime.now(UTC)), "postgresql")
    world = central.world()
    devices: list[dict[str, Any]] = []
    for n in range(DEVICES):
        key = Ed25519PrivateKey.generate()
        enrolled = central.client.post("/v1/enroll", json={
            "code": central.invite("north1"),
            "public_key": base64.b64encode(raw_public(key)).decode()}).json()
        device_id = enrolled["device_id"]
        ops = []
        for sequence in range(OPS_PER_DEVICE):
            data = canonical_json(make_visit(world.cases["N1"], [world.children["N1"]]))
            ops.append({"op_id": str(uuid.uuid4()), "sequence": sequence, "kind": "visit.submit",
                        "payload": {"kind": "visit", "record": data.decode(),
                                    "record_hash": hash_bytes(data),
                                    "signature": base64.b64encode(key.sign(data)).decode(),
                                    "device_id": device_id}})
        devices.append({"id": device_id, "key": key, "ops": ops, "n": n,
                        "receipt_key": base64.b64decode(enrolled["receipt_public_key"])})

    def client_run(index: int) -> list[dict[str, Any]]:
        device = devices[index % DEVICES]
        chooser = random.Random(index)
        seen: list[dict[str, Any]] = []
        with httpx.Client(base_url=base, timeout=60) as client:
            headers = {"Authorization": f"Bearer {_token(client, device['id'], device['key'])}"}
            batches = [chooser.sample(device["ops"], BATCH_SIZE - 4)
                       for _ in range(BATCHES_PER_CLIENT)]
            batches.append(device["ops"][index // DEVICES::CLIENTS // DEVICES])
            for batch in batches:
                batch = batch + batch[:4]  # duplicates inside the batch as well
                response = client.post("/v1/sync/push", json={"operations": batch},
                                       headers=headers)
                assert response.status_code == 200, response.text
                seen += response.json()["results"]
        return seen

    with ThreadPoolExecutor(CLIENTS) as pool:
        answers = [r for results in pool.map(client_run, range(CLIENTS)) for r in results]

    receipts: dict[str, set[str]] = defaultdict(set)
    for answer in answers:
        assert answer["original_result"] == "accepted", answer
        receipts[answer["op_id"]].add(answer["receipt"]["signature"])
        assert Receipt.model_validate(answer["receipt"]).is_signed_by(devices[0]["receipt_key"])
    all_ops = {op["op_id"] for device in devices for op in device["ops"]}
    assert set(receipts) == all_ops
    assert all(len(signatures) == 1 for signatures in receipts.values())
    assert sum(a["result"] == "accepted" for a in answers) == len(all_ops)
    with central.admin() as session:
        assert session.scalar(select(func.count()).select_from(OperationRow)) == len(all_ops)
        assert session.scalar(select(func.count()).select_from(VisitRow)) == len(all_ops)
        assert session.scalar(select(func.count()).select_from(ChangeRow).where(
            ChangeRow.kind == "visit")) == len(all_ops)
    engine.dispose()
    central.client.close()
    assert len(answers) > 5 * len(all_ops), "the run must be duplicate-heavy"
