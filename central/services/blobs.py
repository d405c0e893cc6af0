"""Attachments addressed by the SHA-256 of their bytes: stored once, read by who may see them."""

from __future__ import annotations

import hashlib
from datetime import datetime

from sqlalchemy import exists, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from central.db.models import Attachment, BlobUploader
from central.errors import CentralError
from central.services.audit import audit
from central.services.context import DeviceContext
from sync.protocol import BlobStored, Role


def _check_name(sha256: str) -> str:
    name = sha256.lower()
    if len(name) != 64 or any(ch not in "0123456789abcdef" for ch in name):
        raise CentralError(422, "invalid_blob_name",
                           "A blob is named by the SHA-256 of its bytes: 64 hex digits.")
    return name


def put_blob(session: Session, ctx: DeviceContext, sha256: str, content: bytes,
             now: datetime) -> BlobStored:
    """Store the bytes once and record this device as one of their uploaders.

    `created` says whether this device had not sent these bytes before, never whether
    another device had: a device learns nothing about files it may not read.
    """
    name = _check_name(sha256)
    if hashlib.sha256(content).hexdigest() != name:
        raise CentralError(422, "hash_mismatch",
                           "The bytes sent do not match the SHA-256 in the address. Nothing was "
                           "stored; the app should send the file again.")
    if session.get(Attachment, name) is None:
        try:
            with session.begin_nested():
                session.add(Attachment(sha256=name, size=len(content), content=content,
                                       device_id=ctx.device_id, user_id=ctx.user_id,
                                       team_id=ctx.team_id, received_at=now))
        except IntegrityError:  # the same file arrived from another request at the same moment
            pass
    if session.get(BlobUploader, (name, ctx.device_id)) is not None:
        return BlobStored(sha256=name, size=len(content), created=False)
    try:
        with session.begin_nested():
            session.add(BlobUploader(sha256=name, device_id=ctx.device_id, user_id=ctx.user_id,
                                     team_id=ctx.team_id, received_at=now))
    except IntegrityError:  # this device sent the same file twice at the same moment
        return BlobStored(sha256=name, size=len(content), created=False)
    audit(session, ctx.actor, "blob.stored", f"blob:{name}", size=len(content))
    return BlobStored(sha256=name, size=len(content), created=True)


def get_blob(session: Session, ctx: DeviceContext, sha256: str) -> bytes:
    """The bytes, to any device whose user uploaded them or leads the team of one who did."""
    name = _check_name(sha256)
    readers = [BlobUploader.user_id == ctx.user_id]
    if ctx.role is Role.TEAM_LEAD and ctx.team_id is not None:
        readers.append(BlobUploader.team_id == ctx.team_id)
    may_read = exists().where(BlobUploader.sha256 == Attachment.sha256, or_(*readers))
    content = session.scalar(
        select(Attachment.content).where(Attachment.sha256 == name, may_read)
    )
    if content is None:
        raise CentralError(404, "blob_not_found",
                           "No file with that SHA-256 is stored that this device may read.")
    audit(session, ctx.actor, "blob.read", f"blob:{name}")
    return content
