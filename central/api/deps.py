"""Annotated dependencies: settings, keys, a session factory, the clock, the calling device."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session, sessionmaker

from central.core.config import Settings
from central.core.keys import ServerKeys
from central.services.context import DeviceContext
from central.services.devices import authenticate


def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def _keys(request: Request) -> ServerKeys:
    keys: ServerKeys = request.app.state.keys
    return keys


def _sessions(request: Request) -> sessionmaker[Session]:
    sessions: sessionmaker[Session] = request.app.state.sessions
    return sessions


def _clock(request: Request) -> datetime:
    clock: Callable[[], datetime] = request.app.state.clock
    return clock().astimezone(UTC)


SettingsDep = Annotated[Settings, Depends(_settings)]
KeysDep = Annotated[ServerKeys, Depends(_keys)]
SessionsDep = Annotated[sessionmaker[Session], Depends(_sessions)]
NowDep = Annotated[datetime, Depends(_clock)]

_bearer = HTTPBearer(auto_error=False, description="Access token from POST /v1/token.")


def _current_device(
    sessions: SessionsDep, settings: SettingsDep, keys: KeysDep, now: NowDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> DeviceContext:
    with sessions.begin() as session:
        return authenticate(session, credentials.credentials if credentials else None,
                            settings, keys, now)


CurrentDevice = Annotated[DeviceContext, Depends(_current_device)]
