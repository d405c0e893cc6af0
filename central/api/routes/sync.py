"""POST /v1/sync/push and GET /v1/sync/pull.

Both are `async def` routes that make one hop to the thread pool for their database work
and serialise the answer to JSON bytes there; a plain `def` route would cost a hop for the
route and one more for FastAPI to validate the answer it was just handed. `response_model`
still documents the answer in the OpenAPI.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Response
from fastapi.concurrency import run_in_threadpool

from central.api.deps import KeysDep, NowDep, SessionsDep, SettingsDep, TokenDep
from central.api.errors import ERROR_RESPONSES
from central.services import ingest, pull
from sync.protocol import (
    PULL_TIMES_FIELDS,
    PULL_WIPES_FIELDS,
    PullResponse,
    PushRequest,
    PushResponse,
)

router = APIRouter(prefix="/v1/sync", tags=["sync"], responses=ERROR_RESPONSES)


def _json(answer: PushResponse | PullResponse,
          exclude: dict[str, Any] | None = None) -> Response:
    return Response(answer.model_dump_json(exclude=exclude).encode(),
                    media_type="application/json")


@router.post("/push", response_model=PushResponse)
async def push_operations(request: PushRequest, token: TokenDep, sessions: SessionsDep,
                          settings: SettingsDep, keys: KeysDep, now: NowDep) -> Response:
    """Apply a batch of operations, each all-or-nothing, each answered once: accepted,
    duplicate (with the original result) or rejected (with a code and reason)."""

    def apply() -> Response:
        return _json(ingest.push(sessions, token, request, settings, keys, now))

    return await run_in_threadpool(apply)


@router.get("/pull", response_model=PullResponse)
async def pull_changes(
    token: TokenDep, sessions: SessionsDep, now: NowDep,
    cursor: Annotated[int, Query(ge=0, le=2**62)] = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
    removals: Annotated[bool, Query(
        description="Also send `child_removed` changes: a child reallocated away from this "
                    "user (or their team), to drop from the laptop. Off by default, because "
                    "a client written before this kind existed cannot parse it.")] = False,
    times: Annotated[bool, Query(
        description="Also send when central received each record (`received_at`) and, to a "
                    "team lead, each team laptop's last contact (`device_contacts`). Off by "
                    "default, because a client written before these fields refuses them.")]
        = False,
    notes: Annotated[bool, Query(
        description="Also send `note` changes: notes between visits (agency information, "
                    "supervision, a concern considered) about this user's children, or their "
                    "team's. Off by default, because a client written before this kind "
                    "existed cannot parse it.")] = False,
    laptops: Annotated[bool, Query(
        description="Also send, to a team lead, the team's laptops central refuses (revoked "
                    "or reported lost) and the records each said wait on it "
                    "(`refused_laptops`). Off by default, because a client written before "
                    "this field refuses it.")] = False,
    wipes: Annotated[bool, Query(
        description="Also send, with `laptops=true`, what became of each lost laptop's wipe "
                    "order (`wiped_at`, `recovered_records`, `lost_records`). Off by default, "
                    "because a client written before these fields refuses them.")] = False,
) -> Response:
    """What this device's user may see since `cursor`, and the cursor to send next time."""

    def read() -> Response:
        answer = pull.pull(sessions, token, cursor, limit, now, removals=removals, times=times,
                           notes=notes, laptops=laptops)
        exclude = {} if times else dict(PULL_TIMES_FIELDS)
        if not laptops:
            exclude["refused_laptops"] = True
        elif not wipes:
            exclude.update(PULL_WIPES_FIELDS)
        return _json(answer, exclude or None)

    return await run_in_threadpool(read)
