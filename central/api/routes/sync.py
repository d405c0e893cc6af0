"""POST /v1/sync/push and GET /v1/sync/pull."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from central.api.deps import CurrentDevice, KeysDep, NowDep, SessionsDep, SettingsDep
from central.api.errors import ERROR_RESPONSES
from central.services import ingest, pull
from sync.protocol import PullResponse, PushRequest, PushResponse

router = APIRouter(prefix="/v1/sync", tags=["sync"], responses=ERROR_RESPONSES)


@router.post("/push", response_model=PushResponse)
def push_operations(request: PushRequest, device: CurrentDevice, sessions: SessionsDep,
                    settings: SettingsDep, keys: KeysDep, now: NowDep) -> PushResponse:
    """Apply a batch of operations, each in its own transaction, each answered once:
    accepted, duplicate (with the original result) or rejected (with a code and reason)."""
    return ingest.push(sessions, device, request, settings, keys, now)


@router.get("/pull", response_model=PullResponse)
def pull_changes(
    device: CurrentDevice, sessions: SessionsDep,
    cursor: Annotated[int, Query(ge=0, le=2**62)] = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
) -> PullResponse:
    """What this device's user may see since `cursor`, and the cursor to send next time."""
    return pull.pull(sessions, device, cursor, limit)
