"""A laptop reported lost: push what central has not got, erase, then say so, signed.

Central's signed wipe order (protocol 5) comes with a push-only token. The sync engine first
pushes every record in the outbox with it (`SyncEngine.push_before_erase`), with the same
retries as any push; then the caller erases the vault (`sync.wipe`), whatever the push
managed; then `send_wipe_receipt` sends central a receipt signed with the device key, still
in memory though its vault is gone: when the key slots were destroyed and what went with
them (records not sent, records central had refused, drafts, visits, the outbox's high-water
mark), and how far the erase got (`vault_erased`, or after `WipeIncomplete` `files_left` /
`keys_left`). Central not reached, the receipt is kept beside where the vault was and sent
at the next start or sync (`sync.kept_receipt`). The worker reads what happened to their
unsent visits and whether central was told (`erased_message`).

The policy: a lost laptop gets one contact. The push gets the engine's tries in that contact
and no more; what it could not send is erased with the vault, and the receipt counts it. A
lost laptop may be in anyone's hands, and every further contact it were allowed before
erasing would be another chance to read it; central learns exactly what the erase cost. A
central older than protocol 5 gives no token: nothing can be pushed, and no receipt sent.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path

from records.wording import counted
from storage.outbox import OperationStatus, Outbox
from storage.transactions import Connection
from sync.backoff import Backoff
from sync.errors import WipeOrdered
from sync.kept_receipt import RECEIPT_ATTEMPTS, deliver, keep
from sync.protocol import (
    WIPE_RECEIPT_PROTOCOL,
    WipeReceipt,
    WipeReceiptBody,
    b64encode,
)
from sync.wipe_wire import ERASE_OUTCOME_PROTOCOL, EraseOutcome

log = logging.getLogger("homevisit.sync.lost")


@dataclass(frozen=True)
class WipeReport:
    """What the vault held when the erase began, after the push before it."""

    server_url: str
    pushed: int  # records central receipted after the order
    unsent: int  # records central has not acknowledged: erased, lost
    refused: int  # records central had refused, kept until now: erased
    drafts: int
    visits: int
    outbox_high_water: int
    push_problem: str | None  # why the push stopped short (a short reason), or None
    sign: Callable[[bytes], bytes]  # the device key, held in memory past the erase
    # What central said it speaks (at least WIPE_RECEIPT_PROTOCOL: it gave the push token).
    central_protocol: int = WIPE_RECEIPT_PROTOCOL


def take_inventory(conn: Connection, server_url: str, pushed: int, push_problem: str | None,
                   sign: Callable[[bytes], bytes], *,
                   central_protocol: int = WIPE_RECEIPT_PROTOCOL) -> WipeReport:
    """Counts only: nothing of any record leaves in a receipt."""
    counts = Outbox(conn).counts()
    drafts, visits = conn.execute(
        "SELECT count(*) FILTER (WHERE status = 'draft'), count(*) FROM visits").fetchone()
    high_water = conn.execute(
        "SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'outbox'), 0),"
        " coalesce((SELECT max(sequence) FROM outbox), 0))").fetchone()[0]
    return WipeReport(
        server_url=server_url, pushed=pushed,
        unsent=counts[OperationStatus.WAITING] + counts[OperationStatus.SENT],
        refused=counts[OperationStatus.QUARANTINED], drafts=int(drafts), visits=int(visits),
        outbox_high_water=int(high_water),
        push_problem=None if push_problem is None else push_problem[:200], sign=sign,
        central_protocol=central_protocol)


class Told(StrEnum):
    """What became of the wipe receipt."""

    SENT = "sent"  # central recorded it
    KEPT = "kept"  # central was not reached: kept beside where the vault was, sent later
    NOT_SENT = "not_sent"  # no receipt (an older central), refused, or it could not be kept


def signed_receipt(order: WipeOrdered, erased_at: datetime,
                   erase: EraseOutcome = "vault_erased") -> WipeReceipt | None:
    """The receipt, signed with the device key in memory; None for a central too old for it
    (no push-only token: protocol 5), or for an erase that did not finish told to a central
    that does not take that (`files_left`, `keys_left`: protocol 6; an older one would refuse
    it, 422)."""
    report = order.report
    if report is None or order.wipe_token is None or order.device_id is None:
        return None
    if erase != "vault_erased" and report.central_protocol < ERASE_OUTCOME_PROTOCOL:
        log.error("sync: central (protocol %d) cannot take a receipt saying %s; not sent",
                  report.central_protocol, erase)
        return None
    body = WipeReceiptBody(
        receipt=erase, device_id=order.device_id,
        order_assertion_id=order.assertion_id or "unknown!",
        erased_at=erased_at.astimezone(UTC), pushed_records=report.pushed,
        unsent_records=report.unsent, refused_records=report.refused, drafts=report.drafts,
        visits=report.visits, outbox_high_water=report.outbox_high_water,
        push_problem=report.push_problem)
    return WipeReceipt(body=body, signature=b64encode(report.sign(body.signed_bytes())))


def send_wipe_receipt(order: WipeOrdered, erased_at: datetime, *,
                      erase: EraseOutcome = "vault_erased", keep_in: Path | None = None,
                      ca_file: Path | None = None, timeout_seconds: float = 30.0,
                      backoff: Backoff | None = None,
                      sleep: Callable[[float], None] | None = None,
                      attempts: int = RECEIPT_ATTEMPTS) -> Told:
    """Tell central what the erase did (`erase`: all of it, the keys but not every file, or
    not even the keys), signed with the device key. Only to a central that gave a push-only
    token (protocol 5): an older one does not know the receipt. Central not reached: the
    receipt is kept in `keep_in` (the vault's folder) for the next start or sync to send
    (`sync.kept_receipt`). Never raises: the erase is done whatever central hears."""
    receipt = signed_receipt(order, erased_at, erase)
    if receipt is None or order.report is None:
        return Told.NOT_SENT
    server_url = order.report.server_url
    sent = deliver(server_url, receipt, ca_file=ca_file, timeout_seconds=timeout_seconds,
                   backoff=backoff, sleep=sleep, attempts=attempts)
    if sent:
        return Told.SENT
    if sent is None and keep_in is not None and keep(keep_in, server_url, receipt):
        return Told.KEPT
    return Told.NOT_SENT


def erased_message(order: WipeOrdered, *, told: Told) -> str:
    """What the worker reads once the vault is erased: what became of unsent visits."""
    report = order.report
    said = ["This laptop was reported lost, so its vault has been erased."]
    if report is None or order.wipe_token is None:
        said.append("Central could not take this laptop's unsent records first (it is older "
                    "than this laptop), so any records not yet sent were erased with it: "
                    "tell your team lead which visits to record again.")
    else:
        if report.pushed:
            said.append(f"Before the erase, {counted(report.pushed, 'record')} not yet sent "
                        "reached central, which keeps them.")
        lost = report.unsent + report.refused
        if lost:
            said.append(f"{counted(lost, 'record')} could not be sent and "
                        f"{'was' if lost == 1 else 'were'} erased with the vault: tell your "
                        "team lead which visits to record again.")
        else:
            said.append("Nothing you had submitted was lost: central has every record.")
        if report.drafts:
            said.append(f"{counted(report.drafts, 'unsubmitted draft')} "
                        f"{'was' if report.drafts == 1 else 'were'} erased.")
        said.append({
            Told.SENT: "Central has been told what was erased.",
            Told.KEPT: "Central could not be reached to be told what was erased; Homevisit "
                       "will tell it the next time it starts or syncs with network.",
        }.get(told, "Central could not be told what was erased; tell IT."))
    said.append("Speak to IT to be given a new laptop.")
    return " ".join(said)
