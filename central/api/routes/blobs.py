"""PUT/GET /v1/blobs/{sha256}: attachments addressed by their content."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request, Response
from fastapi.concurrency import run_in_threadpool

from central.api.deps import CurrentDevice, NowDep, PushingDevice, SessionsDep
from central.api.errors import ERROR_RESPONSES
from central.services import blobs
from sync.protocol import BlobStored

router = APIRouter(prefix="/v1/blobs", tags=["blobs"], responses=ERROR_RESPONSES)

Sha256Path = Annotated[str, Path(pattern=r"^[0-9a-fA-F]{64}$", description="SHA-256, hex.")]


@router.put(
    "/{sha256}", response_model=BlobStored,
    openapi_extra={"requestBody": {"required": True, "content": {
        "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}}},
)
async def put_blob(sha256: Sha256Path, request: Request, device: PushingDevice,
                   sessions: SessionsDep, now: NowDep) -> BlobStored:
    """Store a file whose SHA-256 is `sha256`; sending it again is harmless. A lost laptop's
    push-only token may send its photos too, before it erases; it may read none."""
    content = await request.body()

    def store() -> BlobStored:
        with sessions.begin() as session:
            return blobs.put_blob(session, device, sha256, content, now)

    return await run_in_threadpool(store)


@router.get("/{sha256}", response_class=Response,
            responses={200: {"content": {"application/octet-stream": {}}}})
def get_blob(sha256: Sha256Path, device: CurrentDevice, sessions: SessionsDep) -> Response:
    """A stored file, if this device's user may see it."""
    with sessions.begin() as session:
        content = blobs.get_blob(session, device, sha256)
    return Response(content, media_type="application/octet-stream")
