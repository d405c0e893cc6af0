"""A central under test, and simulated laptops that enroll, sign records and sync with it."""

from __future__ import annotations

import base64
import io
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from pydantic import BaseModel
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from central.services import admin, devices
from central.services.holdings import child_record
from records.canonical import canonical_json, hash_bytes
from records.case import Case, Child
from sync.protocol import Role

NOW = datetime(2026, 11, 16, 18, 0, tzinfo=UTC)

WORLD_CSV = """case_reference,family_name,address,team,child_reference,given_name,\
child_family_name,date_of_birth,plan_type,plan_start_date,placement_start_date,\
long_term_placement,first_language,worker
CP-1,Nowak,12 Elm Row,North,N1,Ana,Nowak,2020-03-02,child_protection,2026-09-01,,,English,north1
CP-2,Begum,3 Ash Lane,North,N2,Yusuf,Begum,2018-01-05,child_in_need,2026-09-01,,,English,north2
CP-3,Hughes,9 Oak Way,South,S1,Mia,Hughes,2015-07-07,looked_after,2026-09-01,,,English,south1
"""


class Clock:
    def __init__(self, now: datetime = NOW) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


def raw_public(key: Ed25519PrivateKey) -> bytes:
    return key.public_key().public_bytes(serialization.Encoding.Raw,
                                         serialization.PublicFormat.Raw)


@dataclass
class Laptop:
    """One enrolled laptop: its key, its id, and a way to talk to central."""

    client: Any
    clock: Clock
    key: Ed25519PrivateKey
    device_id: uuid.UUID
    username: str
    receipt_key: bytes
    audience: str
    sequence: int = 0
    cursor: int = 0
    _token: str | None = field(default=None, repr=False)

    def assertion(self, *, jti: str | None = None, lifetime: int = 60,
                  issued: datetime | None = None, audience: str | None = None,
                  key: Ed25519PrivateKey | None = None, **claims: Any) -> str:
        issued = issued or self.clock()
        body = {
            "iss": str(self.device_id), "sub": str(self.device_id),
            "aud": audience or self.audience, "iat": int(issued.timestamp()),
            "exp": int(issued.timestamp()) + lifetime, "jti": jti or uuid.uuid4().hex,
            **claims,
        }
        return jwt.encode(body, key or self.key, algorithm="EdDSA")

    def token_response(self, assertion: str | None = None) -> Any:
        return self.client.post("/v1/token",
                                json={"client_assertion": assertion or self.assertion()})

    def headers(self) -> dict[str, str]:
        if self._token is None:
            response = self.token_response()
            assert response.status_code == 200, response.text
            self._token = response.json()["access_token"]
        return {"Authorization": f"Bearer {self._token}"}

    def forget_token(self) -> None:
        self._token = None

    def op(self, record: BaseModel, kind: str = "visit.submit", *,
           record_kind: str | None = None, data: bytes | None = None,
           signature: bytes | None = None, record_hash: str | None = None,
           device_id: uuid.UUID | None = None) -> dict[str, Any]:
        data = canonical_json(record) if data is None else data
        self.sequence += 1
        return {
            "op_id": str(uuid.uuid4()), "sequence": self.sequence, "kind": kind,
            "payload": {
                "kind": record_kind or kind.split(".")[0],
                "record": data.decode("utf-8"),
                "record_hash": record_hash or hash_bytes(data),
                "signature": base64.b64encode(signature or self.key.sign(data)).decode(),
                "device_id": str(device_id or self.device_id),
            },
        }

    def push(self, *ops: dict[str, Any]) -> Any:
        return self.client.post("/v1/sync/push", json={"operations": list(ops)},
                                headers=self.headers())

    def push_ok(self, *ops: dict[str, Any]) -> list[dict[str, Any]]:
        response = self.push(*ops)
        assert response.status_code == 200, response.text
        results: list[dict[str, Any]] = response.json()["results"]
        return results

    def pull(self, cursor: int = 0, limit: int = 200, *, removals: bool = False,
             history: bool = False) -> Any:
        params: dict[str, Any] = {"cursor": cursor, "limit": limit}
        if removals:
            params["removals"] = "true"
        if history:
            params["history"] = "true"
        return self.client.get("/v1/sync/pull", params=params, headers=self.headers())

    def pull_all(self, cursor: int = 0, *, removals: bool = False,
                 history: bool = False) -> list[dict[str, Any]]:
        changes: list[dict[str, Any]] = []
        while True:
            response = self.pull(cursor, removals=removals, history=history)
            assert response.status_code == 200, response.text
            body = response.json()
            changes += body["changes"]
            cursor = body["next_cursor"]
            self.cursor = cursor
            if not body["has_more"]:
                return changes


@dataclass
class Central:
    client: Any
    engine: Engine
    sessions: sessionmaker[Session]
    clock: Clock
    dialect: str

    @contextmanager
    def admin(self) -> Iterator[Session]:
        with self.sessions.begin() as session:
            yield session

    def invite(self, username: str) -> str:
        with self.admin() as session:
            return devices.new_enrollment_code(session, admin.user_named(session, username),
                                             hours=72, now=self.clock())

    def enroll(self, username: str, *, label: str = "") -> Laptop:
        key = Ed25519PrivateKey.generate()
        response = self.client.post("/v1/enroll", json={
            "code": self.invite(username),
            "public_key": base64.b64encode(raw_public(key)).decode(),
            "label": label,
        })
        assert response.status_code == 200, response.text
        body = response.json()
        return Laptop(self.client, self.clock, key, uuid.UUID(body["device_id"]),
                      body["username"], base64.b64decode(body["receipt_public_key"]),
                      body["audience"])

    def world(self) -> World:
        """Two teams: North (two workers and a lead), South (one worker and a lead)."""
        with self.admin() as session:
            admin.add_team(session, "North")
            admin.add_team(session, "South")
            for name, role, team in (("north1", Role.WORKER, "North"),
                                     ("north2", Role.WORKER, "North"),
                                     ("northlead", Role.TEAM_LEAD, "North"),
                                     ("south1", Role.WORKER, "South"),
                                     ("southlead", Role.TEAM_LEAD, "South")):
                admin.add_user(session, name, role=role, team=team)
            admin.import_cases(session, io.StringIO(WORLD_CSV), self.clock())
            children = {ref: child_record(admin.child_by_reference(session, ref))
                        for ref in ("N1", "N2", "S1")}
        cases = {ref: Case(id=child.case_id, reference=f"CP-{n}")
                 for n, (ref, child) in enumerate(children.items(), start=1)}
        return World(children=children, cases=cases)


@dataclass(frozen=True)
class World:
    children: dict[str, Child]
    cases: dict[str, Case]
