"""POST /v1/sync/push and GET /v1/sync/pull.

Both are `async def` routes that make one hop to the thread pool for their database work
and serialise the answer to JSON bytes there; a plain `def` route would cost a hop for the
route and one more for FastAPI to validate the answer it was just handed. `response_model`
still documents the answer in the OpenAPI.

The push is answered by `_PushRoute`: a well-formed push with a good token is parsed straight
from its bytes in the worker thread, and anything else goes through FastAPI's own handler,
so every refusal is the one it always was.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.routing import APIRoute
from pydantic import ValidationError

from central.api.deps import KeysDep, NowDep, SessionsDep, SettingsDep, TokenDep, bearer_scheme
from central.api.errors import ERROR_RESPONSES
from central.errors import CentralError
from central.services import ingest, pull
from central.services.devices import token_claims
from sync.protocol import (
    PULL_TIMES_FIELDS,
    PULL_WIPES_FIELDS,
    PullResponse,
    PushRequest,
    PushResponse,
)

router = APIRouter(prefix="/v1/sync", tags=["sync"], responses=ERROR_RESPONSES)


def _json(answer: PullResponse, exclude: dict[str, Any] | None = None) -> Response:
    return _answer(answer.model_dump_json(exclude=exclude).encode())


def _answer(body: bytes) -> Response:
    return Response(body, media_type="application/json")


Handler = Callable[[Request], Coroutine[Any, Any, Response]]


class _PushRoute(APIRoute):
    """The push, without FastAPI's work on every request where none of it can change the
    answer: a JSON body (`Content-Type: application/json`) and a good token are parsed with
    `PushRequest.model_validate_json` in the worker thread, where the batch is applied (not
    `json.loads` and a validation of the objects on the event loop, then the dependencies
    solved one by one). Everything else — no body, another content type, a missing or bad
    token, a body that is not JSON or not a push — is handed, body already read, to FastAPI's
    handler for the same route (`documented`), which answers exactly as it always has: 400
    for a body that is not JSON, then 401 for the token, then 422 for the push's shape. Both
    read the body with the same rules or stricter (pydantic's JSON reader refuses what
    `json.loads` lets through, such as a byte-order mark), so what the quick way accepts
    FastAPI's accepts too, as the same request. The route's signature still documents the
    body and the token in the OpenAPI."""

    def get_route_handler(self) -> Handler:
        documented = super().get_route_handler()

        async def handler(request: Request) -> Response:
            if request.headers.get("content-type") != "application/json":
                return await documented(request)
            body = await request.body()
            credentials = await bearer_scheme(request)
            state = request.app.state
            clock: Callable[[], datetime] = state.clock
            now = clock().astimezone(UTC)
            try:
                token = token_claims(credentials.credentials if credentials else None,
                                     state.settings, state.keys, now)
            except CentralError:
                return await documented(request)

            def apply() -> Response | None:
                try:
                    parsed = PushRequest.model_validate_json(body)
                except ValidationError:
                    return None  # answered by `documented`, which says where
                return _answer(ingest.push(state.sessions, token, parsed, state.settings,
                                           state.keys, now))

            answer = await run_in_threadpool(apply)
            return answer if answer is not None else await documented(request)

        return handler


async def push_operations(request: PushRequest, token: TokenDep, sessions: SessionsDep,
                          settings: SettingsDep, keys: KeysDep, now: NowDep) -> Response:
    """Apply a batch of operations, each all-or-nothing, each answered once: accepted,
    duplicate (with the original result) or rejected (with a code and reason)."""

    def apply() -> Response:
        return _answer(ingest.push(sessions, token, request, settings, keys, now))

    return await run_in_threadpool(apply)


router.add_api_route("/push", push_operations, methods=["POST"], response_model=PushResponse,
                     route_class_override=_PushRoute)


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
    answered_notes: Annotated[bool, Query(
        description="With `notes=true`, also send agency notes that say whether they report "
                    "an injury or hunger, food or weight (`reports_injury`, "
                    "`reports_food_or_weight`, protocol 7). Off by default, because a client "
                    "written before these fields refuses them.")] = False,
    laptops: Annotated[bool, Query(
        description="Also send, to a team lead, the team's laptops central refuses (revoked "
                    "or reported lost) and the records each said wait on it "
                    "(`refused_laptops`). Off by default, because a client written before "
                    "this field refuses it.")] = False,
    history: Annotated[bool, Query(
        description="Also send the visits and addenda others made about the children "
                    "allocated to this user: those made before a child was allocated to them, "
                    "and those still arriving (a family visit by a brother's worker, the "
                    "earlier worker's late upload). Off by default, because a worker's client "
                    "written before this stores no visit it did not make.")] = False,
    wipes: Annotated[bool, Query(
        description="Also send, with `laptops=true`, what became of each lost laptop's wipe "
                    "order (`wiped_at`, `recovered_records`, `lost_records`). Off by default, "
                    "because a client written before these fields refuses them.")] = False,
) -> Response:
    """What this device's user may see since `cursor`, and the cursor to send next time."""

    def read() -> Response:
        answer = pull.pull(sessions, token, cursor, limit, now, removals=removals, times=times,
                           notes=notes, answered_notes=answered_notes, laptops=laptops,
                           history=history)
        exclude = {} if times else dict(PULL_TIMES_FIELDS)
        if not laptops:
            exclude["refused_laptops"] = True
        elif not wipes:
            exclude.update(PULL_WIPES_FIELDS)
        return _json(answer, exclude or None)

    return await run_in_threadpool(read)
