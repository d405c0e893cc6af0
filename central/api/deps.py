"""Annotated dependencies: settings, keys, a session factory, the clock, the calling device.

The ones that only read app state are `async def`: FastAPI runs a plain `def` dependency in
the thread pool, and every hop there costs a GIL hand-over that, under load, is paid in
latency by every request the worker holds.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Annotated

from fastapi import Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session, sessionmaker

from central.core.config import Settings
from central.core.keys import ServerKeys
from central.core.tokens import AccessClaims
from central.services.context import DeviceContext
from central.services.devices import authenticate, token_claims


async def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


async def _keys(request: Request) -> ServerKeys:
    keys: ServerKeys = request.app.state.keys
    return keys


async def _sessions(request: Request) -> sessionmaker[Session]:
    sessions: sessionmaker[Session] = request.app.state.sessions
    return sessions


async def _clock(request: Request) -> datetime:
    clock: Callable[[], datetime] = request.app.state.clock
    return clock().astimezone(UTC)


SettingsDep = Annotated[Settings, Depends(_settings)]
KeysDep = Annotated[ServerKeys, Depends(_keys)]
SessionsDep = Annotated[sessionmaker[Session], Depends(_sessions)]
NowDep = Annotated[datetime, Depends(_clock)]

bearer_scheme = HTTPBearer(auto_error=False, description="Access token from POST /v1/token.")


async def _current_device(
    sessions: SessionsDep, settings: SettingsDep, keys: KeysDep, now: NowDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer_scheme)],
) -> DeviceContext:
    # Before the body is checked, as always: no token means 401 whatever was sent.
    return await run_in_threadpool(device_for, credentials, sessions, settings, keys, now)


CurrentDevice = Annotated[DeviceContext, Depends(_current_device)]


async def _pushing_device(
    sessions: SessionsDep, settings: SettingsDep, keys: KeysDep, now: NowDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer_scheme)],
) -> DeviceContext:
    return await run_in_threadpool(device_for, credentials, sessions, settings, keys, now,
                                   True)


PushingDevice = Annotated[DeviceContext, Depends(_pushing_device)]
"""A device sending records or photos: also a lost one, with its push-only token."""


async def _token(
    settings: SettingsDep, keys: KeysDep, now: NowDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer_scheme)],
) -> AccessClaims:
    # Checked on the event loop before the body, so a missing or bad token is 401 whatever
    # was sent; the device itself is checked by the route, inside its own transaction.
    return token_claims(credentials.credentials if credentials else None, settings, keys, now)


TokenDep = Annotated[AccessClaims, Depends(_token)]

def device_for(bearer: HTTPAuthorizationCredentials | None, sessions: sessionmaker[Session],
               settings: Settings, keys: ServerKeys, now: datetime,
               lost_may_push: bool = False) -> DeviceContext:
    """The device behind a bearer token, checked in the database (so revoking is immediate)."""
    with sessions.begin() as session:
        return authenticate(session, bearer.credentials if bearer else None, settings, keys,
                            now, lost_may_push=lost_may_push)
