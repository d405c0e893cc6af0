"""Sends central refuses whole, before reading any record in them: a push or photo too large
(413), not JSON (400), or not in the protocol's shape (422). Nothing of them is stored, so no
`operations` row says they happened; each from a laptop whose token is good is kept as an
audit entry instead (action `request.refused`, actor the device, subject the refusal's
code), counted by `stats` and `device list`. Ids and codes only, never content. A refusal
with no good token is only logged (INFO): anyone can send one, so they must not grow a
table every managers' page reads (the partial index `ix_audit_log_refused` keeps that read
to the refusals alone).

`refusals_by_device` is the one definition of what each laptop had refused, records and
whole sends together: `stats`, `device list` and the managers' pages all read it."""

from __future__ import annotations

import logging
import uuid
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from central.db.models import AuditEntry, OperationRow
from central.errors import CentralError
from central.services.audit import audit
from central.services.devices import token_claims
from records.wording import counted

log = logging.getLogger("central.refusals")

ACTION = "request.refused"
UNKNOWN = "unknown"
COUNTED_STATUSES = frozenset({400, 413, 422})


def is_laptop_send(method: str, path: str) -> bool:
    """A laptop sending records or photos: the requests whose refusal leaves a visit stuck."""
    return ((method == "POST" and path == "/v1/sync/push")
            or (method == "PUT" and path.startswith("/v1/blobs/")))


def record_refusal(state: Any, bearer: str | None, status: int, code: str, path: str) -> None:
    """Keep one refused send (`state` is the app's: settings, keys, sessions, clock): an
    audit row when its token names a device, else only the log line. A failure here is
    logged, never raised: the laptop already has its answer."""
    device = UNKNOWN
    if bearer:
        try:
            claims = token_claims(bearer, state.settings, state.keys, state.clock())
            device = str(claims.device_id)
        except CentralError:
            pass  # a forged or expired token names no device we can trust
    log.info("request.refused", extra={"code": code, "status": status, "device": device})
    if device == UNKNOWN:
        return  # no laptop we know of: the log line is its only trace, never a row
    try:
        with state.sessions.begin() as session:
            audit(session, f"device:{device}", ACTION, code, status=status,
                  path="/v1/blobs/…" if path.startswith("/v1/blobs/") else path)
    except Exception as error:  # the count is best effort; the log line above stays
        log.error("request.refused.not_counted", exc_info=error)


@dataclass(frozen=True)
class DeviceRefusals:
    """What central refused from one laptop (its device id, or `unknown` for sends whose
    token named none)."""

    records: int = 0
    """Records (operations) refused, each refusal counted: `ops_rejected_by_device`."""
    outstanding: int = 0
    """Of those, the records central has not accepted since (re-sent once put right): still
    held on the laptop. A record refused twice counts once here."""
    sends: int = 0
    """Pushes and photos refused whole: `sends_refused_by_device`."""
    codes: Counter[str] = field(default_factory=Counter)
    """Every refusal's reason (records and sends), for the commonest."""

    @property
    def commonest(self) -> str:
        """The reason most refusals gave (the first by name on a tie), or ""."""
        ranked = sorted(self.codes.items(), key=lambda pair: (-pair[1], pair[0]))
        return ranked[0][0] if ranked else ""

    @property
    def summary(self) -> str:
        """"2 records refused (1 not yet accepted), 1 send refused; commonest: bad_signature",
        or "" when central refused nothing from this laptop."""
        parts = []
        if self.records:
            parts.append(f"{counted(self.records, 'record')} refused "
                         f"({self.outstanding} not yet accepted)")
        if self.sends:
            parts.append(f"{counted(self.sends, 'send')} refused whole")
        return f"{', '.join(parts)}; commonest: {self.commonest}" if parts else ""




def refusals_by_device(session: Session) -> dict[str, DeviceRefusals]:
    """Each laptop that central refused something from, by device id (see DeviceRefusals).
    Refusals are few: the rows are read once and tallied here, the same on both databases."""
    # A refused record names no record id (it was never stored); the laptop sends it again
    # unchanged (same hash) under a new op id once the cause is put right.
    rejected = session.execute(
        select(OperationRow.device_id, OperationRow.record_hash, OperationRow.op_id,
               OperationRow.code).where(OperationRow.result == "rejected")).all()
    hashes = {record for _, record, _, _ in rejected if record is not None}
    accepted: set[tuple[uuid.UUID, str | None]] = set()
    if hashes:
        accepted = {(device, record) for device, record in session.execute(
            select(OperationRow.device_id, OperationRow.record_hash).where(
                OperationRow.device_id.in_({device for device, _, _, _ in rejected}),
                OperationRow.result == "accepted", OperationRow.record_hash.in_(hashes)))}
    tally: dict[str, dict[str, Any]] = {}

    def of(device: str) -> dict[str, Any]:
        return tally.setdefault(device, {"records": 0, "held": set(), "sends": 0,
                                         "codes": Counter()})

    for device, record, op_id, code in rejected:
        mine = of(str(device))
        mine["records"] += 1
        mine["codes"][code or "rejected"] += 1
        if record is None or (device, record) not in accepted:
            mine["held"].add(record or op_id)
    for actor, code, count in session.execute(
            select(AuditEntry.actor, AuditEntry.subject, func.count())
            .where(AuditEntry.action == ACTION).group_by(AuditEntry.actor, AuditEntry.subject)):
        mine = of(actor.removeprefix("device:"))
        mine["sends"] += count
        mine["codes"][code] += count
    return {device: DeviceRefusals(t["records"], len(t["held"]), t["sends"], t["codes"])
            for device, t in sorted(tally.items())}


def refused_by_device(by_device: dict[str, DeviceRefusals]) -> dict[str, Any]:
    """`stats`' per-device figures, from `refusals_by_device`: each refusal of a record, the
    records not yet accepted since, and the sends refused whole."""
    return {
        "ops_rejected_by_device": {k: d.records for k, d in by_device.items() if d.records},
        "ops_refused_not_yet_accepted_by_device": {
            k: d.outstanding for k, d in by_device.items() if d.outstanding},
        "sends_refused_by_device": {k: d.sends for k, d in by_device.items() if d.sends},
    }


def refused_sends(session: Session) -> dict[str, Any]:
    """How many sends were refused whole, and by code (by device: `refused_by_device`)."""
    by_code = {code: count for code, count in session.execute(
        select(AuditEntry.subject, func.count()).where(AuditEntry.action == ACTION)
        .group_by(AuditEntry.subject).order_by(AuditEntry.subject))}
    return {"sends_refused": sum(by_code.values()), "sends_refused_by_code": by_code}
