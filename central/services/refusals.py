"""Sends central refuses whole, before reading any record in them: a push or photo too large
(413), not JSON (400), or not in the protocol's shape (422). Nothing of them is stored, so no
`operations` row says they happened; each is kept as an audit entry instead (action
`request.refused`, actor the device when its token is good, else `unknown`, subject the
refusal's code), counted by `stats` and `device list`. Ids and codes only, never content."""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from central.db.models import AuditEntry
from central.errors import CentralError
from central.services.audit import audit
from central.services.devices import token_claims

log = logging.getLogger("central.refusals")

ACTION = "request.refused"
UNKNOWN = "unknown"
COUNTED_STATUSES = frozenset({400, 413, 422})


def is_laptop_send(method: str, path: str) -> bool:
    """A laptop sending records or photos: the requests whose refusal leaves a visit stuck."""
    return ((method == "POST" and path == "/v1/sync/push")
            or (method == "PUT" and path.startswith("/v1/blobs/")))


def record_refusal(state: Any, bearer: str | None, status: int, code: str, path: str) -> None:
    """Keep one refused send (`state` is the app's: settings, keys, sessions, clock).
    A failure here is logged, never raised: the laptop already has its answer."""
    device = UNKNOWN
    if bearer:
        try:
            claims = token_claims(bearer, state.settings, state.keys, state.clock())
            device = str(claims.device_id)
        except CentralError:
            pass  # a forged or expired token names no device we can trust
    log.info("request.refused", extra={"code": code, "status": status, "device": device})
    try:
        with state.sessions.begin() as session:
            audit(session, _actor(device), ACTION, code, status=status,
                  path="/v1/blobs/…" if path.startswith("/v1/blobs/") else path)
    except Exception as error:  # the count is best effort; the log line above stays
        log.error("request.refused.not_counted", exc_info=error)


def _actor(device: str) -> str:
    return UNKNOWN if device == UNKNOWN else f"device:{device}"


def refused_sends(session: Session) -> dict[str, Any]:
    """How many sends were refused whole, by code and by device (`unknown` when the token
    named none)."""
    refused = AuditEntry.action == ACTION
    by_code = {code: count for code, count in session.execute(
        select(AuditEntry.subject, func.count()).where(refused)
        .group_by(AuditEntry.subject).order_by(AuditEntry.subject))}
    by_device = {actor.removeprefix("device:"): count for actor, count in session.execute(
        select(AuditEntry.actor, func.count()).where(refused)
        .group_by(AuditEntry.actor).order_by(AuditEntry.actor))}
    return {"sends_refused": sum(by_code.values()), "sends_refused_by_code": by_code,
            "sends_refused_by_device": by_device}
