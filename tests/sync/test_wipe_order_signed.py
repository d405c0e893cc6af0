"""A laptop erases its vault only on central's signed order for this device and the fresh
assertion it just sent. Someone who can intercept the connection (a rogue certificate, a
proxy) and answers "reported lost" — unsigned, signed with another key, or replaying one
of central's genuine orders — erases nothing, and the worker is told why."""

from __future__ import annotations

import json
import threading
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from central.db.models import ServerKey
from central.services.devices import sign_wipe_order
from desktop_app import session as sessions
from desktop_app.key_lease import LeaseNotRenewed
from desktop_app.policy import Policy
from storage.outbox import OperationStatus
from storage.vault import Vault
from sync.ledger import SyncLedger
from sync.protocol import PROTOCOL_VERSION, b64encode
from tests.sync.harness import CentralProcess, Laptop, last_line
from tests.sync.test_offline_grace import last_contact_was
from tests.sync.test_sync_thread import enrolled
from tests.vaults import PASSPHRASE

pytestmark = pytest.mark.parametrize("central_server", ["sqlite"], indirect=True)

LOST = {"error": "device_revoked", "message": "This laptop was reported lost.", "wipe": True}
HEALTHY = {"status": "ok", "database": "ok", "protocol_version": PROTOCOL_VERSION}

Answer = Callable[[str], tuple[int, dict[str, Any]] | None]  # path -> status, body
Rewrite = Callable[[str, bytes], bytes]  # path, central's answer -> the answer given


class Impostor:
    """An HTTP server in central's place, answering as the test says: an answer of None
    relays the request to `relay_to` (the real central) and returns what it says, changed
    by `rewrite` if given. Each request's path and body are kept in `sent`."""

    def __init__(self, answer: Answer, relay_to: str | None = None,
                 rewrite: Rewrite | None = None) -> None:
        impostor = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                sent = self.rfile.read(length)
                impostor.paths.append(self.path)
                impostor.sent.append((self.path, sent))
                answered = answer(self.path)
                if answered is None:
                    assert relay_to is not None
                    relayed = httpx.request(
                        self.command, relay_to + self.path, content=sent, timeout=30,
                        headers={k: v for k, v in self.headers.items()
                                 if k.lower() in ("content-type", "authorization")})
                    status, data = relayed.status_code, relayed.content
                    if rewrite is not None:
                        data = rewrite(self.path, data)
                else:
                    status, data = answered[0], json.dumps(answered[1]).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_PUT = _answer  # noqa: N815

            def log_message(self, *_: object) -> None:
                pass

        self.paths: list[str] = []
        self.sent: list[tuple[str, bytes]] = []
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()


@pytest.fixture
def impostors() -> Iterator[list[Impostor]]:
    made: list[Impostor] = []
    yield made
    for impostor in made:
        impostor.close()


def behind(laptop: Laptop, impostor: Impostor) -> None:
    """The laptop's connection to central now reaches the impostor."""
    with Vault.unlock(laptop.directory, PASSPHRASE) as vault:
        vault.connection.execute("UPDATE sync_state SET server_url = ?", (impostor.url,))


def intact(laptop: Laptop) -> bool:
    paths = Vault.paths(laptop.directory)
    if not (paths.key_file.exists() and paths.database.exists()):
        return False
    with laptop.workspace() as workspace:
        return workspace.outbox.unsent_count() == 2


def central_receipt_key(central: CentralProcess) -> Ed25519PrivateKey:
    with central.admin.admin() as session:
        row = session.get(ServerKey, "receipt")
        assert row is not None
        return Ed25519PrivateKey.from_private_bytes(row.private_key)


def order_signed_by(key: Ed25519PrivateKey, device_id: uuid.UUID,
                    assertion_id: str) -> dict[str, Any]:
    class Keys:  # what `sign_wipe_order` uses of central's keys
        def sign_receipt(self, data: bytes) -> bytes:
            return key.sign(data)

    return sign_wipe_order(Keys(), device_id, assertion_id).model_dump(  # type: ignore[arg-type]
        mode="json")


def refused_without_erasing(laptop: Laptop, impostor: Impostor) -> None:
    behind(laptop, impostor)
    told = laptop.sync()
    assert told.returncode != 0
    assert "did not carry central's signature, so nothing was erased" in last_line(told.stderr)
    assert "Tell IT" in last_line(told.stderr)
    assert intact(laptop)
    assert not Vault.paths(laptop.directory).erase_ordered.exists()


def test_an_unsigned_order_erases_nothing(central: CentralProcess, tmp_path: Path,
                                          impostors: list[Impostor]) -> None:
    laptop = enrolled(central, tmp_path)
    laptop.submit_visits(2)
    impostors.append(impostor := Impostor(lambda _path: (403, LOST)))  # health included
    refused_without_erasing(laptop, impostor)
    assert "/v1/token" in impostor.paths


def test_an_order_signed_with_another_key_erases_nothing(
        central: CentralProcess, tmp_path: Path, impostors: list[Impostor]) -> None:
    laptop = enrolled(central, tmp_path)
    laptop.submit_visits(2)
    forger = Ed25519PrivateKey.generate()

    def answer(_path: str) -> tuple[int, dict[str, Any]]:
        # The impostor cannot know the assertion's id without reading it; give it every
        # advantage: a well-formed order for this device, signed with its own key.
        return 403, {**LOST, "wipe_order": order_signed_by(forger, laptop.device_id, "x" * 32)}

    impostors.append(impostor := Impostor(answer))
    refused_without_erasing(laptop, impostor)


def test_a_genuine_order_replayed_for_another_assertion_erases_nothing(
        central: CentralProcess, tmp_path: Path, impostors: list[Impostor]) -> None:
    laptop = enrolled(central, tmp_path)
    laptop.submit_visits(2)
    # Central's own signature, as a recorded answer to an earlier assertion would carry.
    genuine = order_signed_by(central_receipt_key(central), laptop.device_id, "f" * 32)
    impostors.append(impostor := Impostor(lambda _path: (403, {**LOST, "wipe_order": genuine})))
    refused_without_erasing(laptop, impostor)


def test_a_lost_claim_on_a_push_is_checked_with_central_first(
        central: CentralProcess, tmp_path: Path, impostors: list[Impostor]) -> None:
    laptop = enrolled(central, tmp_path)
    laptop.submit_visits(2)

    def answer(path: str) -> tuple[int, dict[str, Any]] | None:
        if path in ("/v1/health", "/v1/token"):
            return None  # relayed to central: its own answers, signed grants included
        return 403, LOST

    impostors.append(impostor := Impostor(answer, relay_to=central.url))
    refused_without_erasing(laptop, impostor)
    assert impostor.paths.count("/v1/token") == 2  # once to sync, once to check the claim


def test_a_token_central_did_not_sign_is_not_used(
        central: CentralProcess, tmp_path: Path, impostors: list[Impostor]) -> None:
    laptop = enrolled(central, tmp_path)
    laptop.submit_visits(2)

    def answer(path: str) -> tuple[int, dict[str, Any]]:
        if path == "/v1/health":
            return 200, HEALTHY
        if path == "/v1/token":
            return 200, {"access_token": "a-token", "token_type": "Bearer", "expires_in": 900}
        return 200, {"results": []}

    impostors.append(impostor := Impostor(answer))
    behind(laptop, impostor)
    told = laptop.sync()
    assert told.returncode != 0
    assert "did not carry central's signature, so nothing was sent" in last_line(told.stderr)
    assert set(impostor.paths) == {"/v1/health", "/v1/token"}  # no push, no pull
    assert intact(laptop)


def test_a_token_central_did_not_sign_neither_renews_the_lease_nor_readmits(
        central: CentralProcess, tmp_path: Path, impostors: list[Impostor]) -> None:
    laptop = enrolled(central, tmp_path)
    laptop.submit_visits(2)
    last_contact_was(laptop, datetime.now(UTC) - timedelta(days=8))
    central.set_device_status(laptop.device_id, "revoked")
    assert laptop.sync().returncode != 0  # revoked now, on the laptop too
    impostors.append(impostor := Impostor(lambda path: (200, HEALTHY) if path == "/v1/health"
                     else (200, {"access_token": "a-token", "expires_in": 900})))
    behind(laptop, impostor)
    with pytest.raises(LeaseNotRenewed) as refused:
        sessions.unlock(laptop.directory, PASSPHRASE, Policy(offline_grace_days=7))
    assert "did not carry central's signature" in refused.value.user_message
    assert "Tell IT" in refused.value.user_message
    with Vault.unlock(laptop.directory, PASSPHRASE) as vault:
        enrollment = SyncLedger(vault.connection).enrollment()
        assert enrollment is not None and enrollment.revoked_at is not None  # not readmitted


def test_central_s_own_order_erases_the_vault(central: CentralProcess, tmp_path: Path) -> None:
    laptop = enrolled(central, tmp_path)
    laptop.submit_visits(2)
    central.set_device_status(laptop.device_id, "wipe")
    erased = laptop.sync()
    assert "reported lost" in erased.stderr
    paths = Vault.paths(laptop.directory)
    assert not paths.key_file.exists() and not paths.database.exists()


def test_an_older_central_is_sent_nothing_and_nothing_is_set_aside(
        central: CentralProcess, tmp_path: Path, impostors: list[Impostor]) -> None:
    laptop = enrolled(central, tmp_path)
    laptop.submit_visits(2)
    older = {**HEALTHY, "protocol_version": 1}
    impostors.append(impostor := Impostor(
        lambda path: (200, older) if path == "/v1/health" else (500, {})))
    behind(laptop, impostor)
    told = laptop.sync()
    assert told.returncode != 0
    assert "runs an older version than this laptop" in last_line(told.stderr)
    assert "central must be upgraded before the laptops" in last_line(told.stderr)
    assert impostor.paths == ["/v1/health"] * len(impostor.paths)  # nothing else asked
    with laptop.workspace() as workspace:
        assert workspace.outbox.unsent_count() == 2
        assert workspace.outbox.counts()[OperationStatus.QUARANTINED] == 0


def test_an_enrollment_answer_without_a_signed_grant_does_not_readmit(
        central: CentralProcess, tmp_path: Path, impostors: list[Impostor]) -> None:
    laptop = enrolled(central, tmp_path)
    central.set_device_status(laptop.device_id, "revoked")
    assert laptop.sync().returncode != 0  # revoked now, on the laptop too
    with Vault.unlock(laptop.directory, PASSPHRASE) as vault:
        kept = SyncLedger(vault.connection).enrollment()
    assert kept is not None and kept.revoked_at is not None

    def answer(path: str) -> tuple[int, dict[str, Any]]:
        if path == "/v1/health":
            return 200, HEALTHY
        if path == "/v1/enroll":  # all of it public: central's receipt key, the worker
            return 200, {"device_id": str(laptop.device_id), "username": kept.username,
                         "display_name": kept.display_name, "role": kept.role.value,
                         "team": kept.team, "audience": "elsewhere",
                         "receipt_public_key": b64encode(kept.receipt_public_key)}
        return 200, {"access_token": "a-token", "expires_in": 900}

    impostors.append(impostor := Impostor(answer))
    behind(laptop, impostor)
    told = laptop.enroll(impostor.url, "AAAAA-BBBBB-CCCCC-DDDDD")
    assert told.returncode != 0
    assert "did not carry central's signature" in last_line(told.stderr)
    with Vault.unlock(laptop.directory, PASSPHRASE) as vault:
        after = SyncLedger(vault.connection).enrollment()
    assert after is not None and after.revoked_at is not None  # still revoked
    assert after.audience == kept.audience  # nothing of the answer kept


def test_past_the_grace_period_an_older_central_is_named(
        central: CentralProcess, tmp_path: Path, impostors: list[Impostor]) -> None:
    laptop = enrolled(central, tmp_path)
    last_contact_was(laptop, datetime.now(UTC) - timedelta(days=8))
    impostors.append(impostor := Impostor(
        lambda path: (200, {**HEALTHY, "protocol_version": 1}) if path == "/v1/health"
        else (500, {})))
    behind(laptop, impostor)
    with pytest.raises(LeaseNotRenewed) as refused:
        sessions.unlock(laptop.directory, PASSPHRASE, Policy(offline_grace_days=7))
    assert "central must be upgraded before the laptops" in refused.value.user_message
    assert impostor.paths == ["/v1/health"]
