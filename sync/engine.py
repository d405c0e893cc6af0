"""The sync engine: push the outbox, pull central's changes, purge what central holds.

At least once, never twice: an op is marked `sent` before it goes, and is retired only
when central's signed receipt for it verifies against the key stored at enrollment (one
receipt for the whole push from a central of protocol 8, one an op from an older one); the
receipt and the op's new status are written in one vault transaction. An op that is sent
again after a crash is answered by central as a duplicate with the original result. An op
central rejects is quarantined with central's reason; later ops go on without it.

Pull applies a page of changes and the cursor after it in one transaction, so a crash
between pages repeats at most one page, and changes are upserts.

One engine works over one vault connection in one thread. It imports nothing from Qt.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import NoReturn, TypeVar

from pydantic import TypeAdapter, ValidationError

from records.canonical import hash_bytes
from records.case_notes import CaseNote, Note
from records.contracts import OperationKind
from storage.attachments import AttachmentRepository
from storage.audit import AuditLog
from storage.device import DeviceIdentity, signature_is_valid
from storage.outbox import Operation as QueuedOperation
from storage.outbox import OperationStatus, Outbox
from storage.purge import purge_pulled_visits, purge_receipted_visits
from storage.transactions import Connection, transaction
from sync.backoff import Backoff, retrying
from sync.errors import (
    CentralRefused,
    CentralTrouble,
    DeviceRevoked,
    NotEnrolled,
    ReceiptNotTrusted,
    SyncProblem,
    WipeClaimed,
    WipeNotProven,
    WipeOrdered,
)
from sync.lease import KeyLease, request_token, unsent_count_for
from sync.ledger import Enrollment, SyncLedger
from sync.lost import WipeReport, take_inventory
from sync.protocol import (
    ANSWERED_NOTES_PROTOCOL,
    PUSH_RECEIPT_PROTOCOL,
    WIPE_RECEIPT_PROTOCOL,
    Change,
    ChangeKind,
    Operation,
    OperationOutcome,
    OperationPayload,
    PullResponse,
    PushReceipt,
    PushRequest,
    PushResponse,
    Receipt,
    ReceiptedOp,
    ReceiptForm,
    b64decode,
)
from sync.transport import CentralClient, require_current_central

log = logging.getLogger("homevisit.sync")

T = TypeVar("T")

_TOKEN_MARGIN_SECONDS = 30
_TOKEN_CODES = {"missing_token", "invalid_token", "token_expired"}
_WHOLE_BATCH_REFUSED = {413, 422}
_SUBMITTED_KINDS = {OperationKind.SUBMIT_VISIT, OperationKind.ADD_ADDENDUM}


class SyncObserver:
    """Hears each step of a push; the app's sync thread turns these into Qt signals."""

    def sending(self, op_ids: list[uuid.UUID]) -> None:
        """The ops are marked sent and about to go."""

    def answered(self, op_ids: list[uuid.UUID]) -> None:
        """Central's answer arrived; no receipt is stored yet."""

    def settled(self, op_ids: list[uuid.UUID]) -> None:
        """Receipts stored and ops retired or quarantined."""


@dataclass
class SyncReport:
    """What one run did and what is left; `everything_synced` is the one the worker trusts."""

    pushed: int = 0
    quarantined: int = 0
    pulled: int = 0
    purged: int = 0
    blobs_uploaded: int = 0
    waiting: int = 0
    synced_total: int = 0
    quarantined_total: int = 0

    @property
    def everything_synced(self) -> bool:
        return self.waiting == 0 and self.quarantined_total == 0


class SyncEngine:
    def __init__(
        self,
        conn: Connection,
        device: DeviceIdentity,
        client: CentralClient,
        *,
        audit: AuditLog,
        days_on_device: int | None = None,
        batch_size: int = 200,
        pull_limit: int = 500,
        attempts: int = 4,
        backoff: Backoff | None = None,
        observer: SyncObserver | None = None,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._conn = conn
        self._device = device
        self._client = client
        self._audit = audit
        self._days_on_device = days_on_device
        self._batch_size = batch_size
        self._pull_limit = pull_limit
        self._attempts = max(1, attempts)
        self._backoff = backoff or Backoff()
        self._observer = observer or SyncObserver()
        self._clock = clock
        self._sleep = sleep
        self._outbox = Outbox(conn, clock)
        self._ledger = SyncLedger(conn, clock)
        self._attachments = AttachmentRepository(conn, audit, clock=clock)
        self._token: str | None = None
        self._token_expires = datetime.min.replace(tzinfo=UTC)
        self._central_version: int | None = None
        self._wipe_token: str | None = None  # a lost laptop's push-only token, while pushing

    # --- the whole run ----------------------------------------------------------------

    def run_once(self) -> SyncReport:
        """Push everything, pull everything, purge what may go; raise if central refuses."""
        enrollment = self._enrollment()
        report = SyncReport()
        try:
            self._exchange(enrollment, report)
        except DeviceRevoked:
            self._ledger.mark_revoked()
            raise
        except WipeOrdered as order:
            try:
                order.report = self.push_before_erase(order)
            except Exception as error:  # nothing may stand between the order and the erase
                # A locked or damaged vault, say: the erase still happens; without a report
                # no receipt can be signed, and central keeps "wipe ordered, not yet done".
                log.error("sync: could not push or count before the erase (%s)",
                          type(error).__name__)
                order.report = None
            raise  # the caller erases, then sends the receipt (sync.lost)
        if self._days_on_device is not None:
            report.purged = len(purge_receipted_visits(
                self._conn, self._audit, now=self._clock(), days_on_device=self._days_on_device))
            purge_pulled_visits(self._conn, self._audit, now=self._clock(),
                                days_on_device=self._days_on_device)
        counts = self._outbox.counts()
        report.waiting = counts[OperationStatus.WAITING] + counts[OperationStatus.SENT]
        report.synced_total = counts[OperationStatus.SYNCED]
        report.quarantined_total = counts[OperationStatus.QUARANTINED]
        if report.waiting == 0:
            self._ledger.mark_synced()
        log.info("sync: pushed %d, quarantined %d, pulled %d, purged %d, %d waiting",
                 report.pushed, report.quarantined, report.pulled, report.purged, report.waiting)
        return report

    def _exchange(self, enrollment: Enrollment, report: SyncReport) -> None:
        """Push, then pull, with central checked first. A "reported lost" from anything but
        the token endpoint is only a claim, checked there."""
        try:
            self._check_central_version()
            if enrollment.revoked_at is not None:
                # Revoked earlier: ask central before sending anything (never on a token
                # held from before). Still revoked, it says so again; reported lost since,
                # it orders the erase; readmitted by IT, it grants a token, which clears the
                # mark, and the run goes on.
                self._token = None
                self._access_token(enrollment)
            self._push_all(enrollment, report)
            self._pull_all(enrollment, report)
        except WipeClaimed:
            self._confirm_wipe(enrollment)

    def _check_central_version(self) -> None:
        """Once per engine: an older central than this laptop needs is sent nothing (it
        would refuse the ops, and they would be set aside)."""
        if self._central_version is None:
            # Retried like every other request: one reset on a bad link must not end the run.
            self._central_version = self._retrying(partial(require_current_central,
                                                           self._client))

    def _confirm_wipe(self, enrollment: Enrollment) -> NoReturn:
        """A push or pull was told the laptop was reported lost: only the token endpoint
        carries central's signed order, so ask it with a fresh assertion."""
        self._token = None
        self._access_token(enrollment)  # a signed order, or still revoked, is raised here
        raise WipeNotProven()  # central vouched for the laptop: the claim was not central's

    def push_before_erase(self, order: WipeOrdered) -> WipeReport:
        """Reported lost: push every unsent record with the order's push-only token (the
        usual batches, photos and retries; no pull), and count what is left for the erase
        and its receipt. Any problem ends the push, never the erase (sync.lost)."""
        enrollment = self._enrollment()
        pushed = SyncReport()
        problem: str | None = None
        if order.wipe_token is None:
            problem = "central gave no push-only token (older than protocol 5)"
        else:
            self._wipe_token = order.wipe_token
            try:
                # What central speaks also decides what the receipt may say (sync.lost).
                self._check_central_version()
                # Only a central of protocol 5 or later gives the token: hold nothing back.
                self._central_version = max(self._central_version or 0, WIPE_RECEIPT_PROTOCOL)
                self._push_all(enrollment, pushed)
            except SyncProblem as stopped:
                problem = f"{type(stopped).__name__}: {stopped}"
                log.error("sync: the push before the erase stopped short (%s)", problem)
            finally:
                self._wipe_token = None
        log.warning("sync: reported lost; %d records pushed before the erase", pushed.pushed)
        return take_inventory(self._conn, enrollment.server_url, pushed.pushed, problem,
                              self._device.sign,
                              central_protocol=self._central_version or WIPE_RECEIPT_PROTOCOL)

    def _enrollment(self) -> Enrollment:
        enrollment = self._ledger.enrollment()
        if enrollment is None:
            raise NotEnrolled()
        return enrollment

    # --- tokens and retries -------------------------------------------------------------

    def _access_token(self, enrollment: Enrollment) -> str:
        if self._wipe_token is not None:
            return self._wipe_token  # reported lost: never a new token, only this one
        now = self._clock()
        if self._token is not None and now < self._token_expires:
            return self._token
        answer = request_token(self._client, self._device, enrollment, now,
                               unsent_count_for(self._conn, self._central_version or 0))
        KeyLease(self._conn, self._clock).note_contact()  # central vouched: the lease renews
        self._token = answer.access_token
        lifetime = max(0, answer.expires_in - _TOKEN_MARGIN_SECONDS)
        self._token_expires = now + timedelta(seconds=lifetime)
        return self._token

    def _with_retries(self, enrollment: Enrollment, call: Callable[[str], T]) -> T:
        """Call with a fresh enough token; retry network trouble and 5xx with backoff."""
        renewed = False

        def with_token() -> T:
            nonlocal renewed
            while True:
                try:
                    return call(self._access_token(enrollment))
                except CentralRefused as refusal:
                    if (refusal.code in _TOKEN_CODES and not renewed
                            and self._wipe_token is None):
                        self._token, renewed = None, True
                        continue
                    raise

        return self._retrying(with_token)

    def _retrying(self, call: Callable[[], T]) -> T:
        return retrying(call, attempts=self._attempts, backoff=self._backoff, sleep=self._sleep)

    # --- push -------------------------------------------------------------------------

    def _held_back(self) -> frozenset[OperationKind]:
        """Kinds this central cannot take yet: they wait in the outbox for an upgrade."""
        if (self._central_version or 0) < ANSWERED_NOTES_PROTOCOL:
            # A central of 3 to 6 takes notes, but refuses an agency note's answers: this
            # laptop writes them, so every note waits (supervision and decisions too, to keep
            # the notes in the order they were made).
            return frozenset({OperationKind.ADD_NOTE})
        return frozenset()

    # complexity: the push loop: quarantine, whole-batch refusal, one-at-a-time search, each tested
    def _push_all(self, enrollment: Enrollment, report: SyncReport) -> None:
        batch_size = self._batch_size
        held_back = self._held_back()
        while True:
            queued = self._outbox.to_send(batch_size, held_back=held_back)
            if not queued:
                return
            wire = self._wire_operations(queued, report)
            if not wire:
                continue
            refused = self._upload_attachments(enrollment, queued, report)
            if refused:  # those visits wait alone in quarantine; the rest go on
                wire = [op for op in wire if op.op_id not in refused]
                queued = [op for op in queued if op.op_id not in refused]
                if not wire:
                    continue
            op_ids = [op.op_id for op in wire]
            self._outbox.mark_sent(op_ids)
            self._observer.sending(op_ids)
            # One receipt for the whole push from a central that signs one: one signature
            # for central to make and this laptop to check, not one an op.
            request = PushRequest(operations=wire, receipt=(
                "push" if (self._central_version or 0) >= PUSH_RECEIPT_PROTOCOL else "op"))
            try:
                response = self._with_retries(enrollment, partial(self._client.push,
                                                                  request=request))
            except CentralRefused as refusal:
                if refusal.status not in _WHOLE_BATCH_REFUSED:
                    raise
                if request.receipt == "push" and self._central_went_back(refusal):
                    held_back = self._held_back()
                    continue  # the same ops again, as this older central takes them
                if len(wire) > 1:  # find the op central cannot take by sending one at a time
                    batch_size = 1
                    continue
                self._quarantine(wire[0].op_id, f"{refusal.code}: {refusal.user_message}")
                report.quarantined += 1
                continue
            except SyncProblem as problem:
                self._outbox.note_failure(op_ids, str(problem))
                raise
            self._observer.answered(op_ids)
            self._settle(enrollment, queued, response, request.receipt, report)
            self._observer.settled(op_ids)
            batch_size = self._batch_size

    def _central_went_back(self, refusal: CentralRefused) -> bool:
        """A push asking for one receipt was refused whole as malformed: a central put back
        to a version before 8 since this engine asked refuses the field. Ask again; True
        when it now speaks an older protocol (the push then goes as that one takes it)."""
        if refusal.status != 422:
            return False
        said = self._central_version or 0
        self._central_version = None
        self._check_central_version()
        return (self._central_version or 0) < said

    def _wire_operations(self, queued: list[QueuedOperation],
                         report: SyncReport) -> list[Operation]:
        wire: list[Operation] = []
        for op in queued:
            try:
                # The outbox op is made in the submit's transaction, on the same clock: its
                # time is when the worker submitted (central may clamp it; not signed).
                submitted_at = op.created_at if op.kind in _SUBMITTED_KINDS else None
                wire.append(Operation(op_id=op.op_id, sequence=op.sequence, kind=op.kind.value,
                                      payload=OperationPayload.model_validate(op.payload),
                                      submitted_at=submitted_at))
            except ValidationError:
                self._quarantine(op.op_id, "not_sendable: this record could not be put into "
                                 "the form central takes")
                report.quarantined += 1
        return wire

    def _quarantine(self, op_id: uuid.UUID, reason: str) -> None:
        log.warning("sync: op %s quarantined (%s)", op_id, reason.split(":")[0])
        self._outbox.settle(op_id, OperationStatus.QUARANTINED, reason)

    def _upload_attachments(self, enrollment: Enrollment, queued: list[QueuedOperation],
                            report: SyncReport) -> set[uuid.UUID]:
        """Photos go first, by content address, so no record reaches central before them.
        A photo central refuses (larger than it takes) quarantines its visit's op alone:
        returned, so the visits behind it still go."""
        refused: set[uuid.UUID] = set()
        for attachment_id, sha256 in self._ledger.blobs_not_uploaded(
                [op.subject_id for op in queued]):
            content = self._attachments.content(attachment_id)
            if content is None:
                continue
            try:
                self._with_retries(enrollment, partial(
                    self._client.put_blob, sha256=sha256, content=content))
            except CentralRefused as refusal:
                if refusal.status not in _WHOLE_BATCH_REFUSED:
                    raise
                code = "photo_too_large" if refusal.status == 413 else "photo_refused"
                reason = (f"{code}: a photo of {len(content) / 1_048_576:.1f} MB "
                          f"({refusal.code}: {refusal.user_message})")
                holding = self._attachments.visits_holding(sha256)
                for op in queued:
                    if op.subject_id in holding and op.op_id not in refused:
                        self._quarantine(op.op_id, reason)
                        report.quarantined += 1
                        refused.add(op.op_id)
                continue
            self._ledger.note_blob_uploaded(sha256)
            report.blobs_uploaded += 1
        return refused

    # complexity: receipts checked one by one; proof, duplicate, untrusted settle differently
    def _settle(self, enrollment: Enrollment, queued: list[QueuedOperation],
                response: PushResponse, asked: ReceiptForm, report: SyncReport) -> None:
        by_id = {op.op_id: op for op in queued}
        settled = untrusted = 0
        push = response.receipt if asked == "push" else None
        entries = None if push is None else _entries(push, enrollment)
        receipts: list[tuple[OperationOutcome, QueuedOperation, Receipt | ReceiptedOp]] = []
        for outcome in response.results:
            op = by_id.get(outcome.op_id)
            if op is None:
                continue
            proof = _proof(outcome, op, enrollment, entries)
            if proof is not None:
                receipts.append((outcome, op, proof))
            else:
                untrusted += 1
        # One vault transaction for the batch: each receipt lands with its op's new status.
        with transaction(self._conn):
            self._ledger.store_receipts(
                [(proof, op.subject_id, outcome.flags) for outcome, op, proof in receipts],
                push if entries and receipts else None)
            self._outbox.settle_many(
                [(op.op_id, OperationStatus.SYNCED, None) if outcome.original_result == "accepted"
                 else (op.op_id, OperationStatus.QUARANTINED,
                       f"{outcome.code or 'rejected'}: {outcome.message or ''}".strip())
                 for outcome, op, _ in receipts])
        for outcome, op, _ in receipts:
            if outcome.original_result == "accepted":
                report.pushed += 1
            else:
                log.warning("sync: op %s quarantined by central (%s)", op.op_id, outcome.code)
                report.quarantined += 1
        settled = len(receipts)
        if untrusted:
            raise ReceiptNotTrusted()
        if settled == 0:
            raise CentralTrouble("an answer that did not cover the visits sent")

    # --- pull -------------------------------------------------------------------------

    def _pull_all(self, enrollment: Enrollment, report: SyncReport) -> None:
        """Apply pages in order, each with its cursor; fetch the next while storing this one.

        Central prepares page n+1 (and the laptop reads and parses it) while the vault writes
        page n, so the two costs overlap instead of adding up. The fetching thread only makes
        the request: tokens, retries and every vault write stay on this thread. A page fetched
        but not applied (a crash, an error) is fetched again next time: the cursor has not moved.
        """
        cursor = enrollment.pull_cursor
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="homevisit-pull") as fetcher:
            page = self._pull_page(enrollment, cursor)
            while True:
                if page.has_more and page.next_cursor <= cursor:
                    raise CentralTrouble("a pull answer that did not move forward")
                upcoming = (self._prefetch(fetcher, enrollment, page.next_cursor)
                            if page.has_more else None)
                changes = [change for change in page.changes
                           if _is_whole(change, enrollment.receipt_public_key)]
                if len(changes) < len(page.changes):
                    log.warning("sync: %d pulled records did not match their hash and were "
                                "left out", len(page.changes) - len(changes))
                report.pulled += self._ledger.apply_changes(
                    changes, page.next_cursor, page.device_contacts, page.refused_laptops)
                if not page.has_more:
                    return
                cursor = page.next_cursor
                page = self._prefetched(upcoming, enrollment, cursor)

    def _pull_page(self, enrollment: Enrollment, cursor: int) -> PullResponse:
        return self._with_retries(enrollment, partial(
            self._client.pull, cursor=cursor, limit=self._pull_limit))

    def _prefetch(self, fetcher: ThreadPoolExecutor, enrollment: Enrollment,
                  cursor: int) -> Future[PullResponse] | None:
        try:
            token = self._access_token(enrollment)
        except SyncProblem:
            return None  # fetched with retries once this page is stored
        return fetcher.submit(self._client.pull, token, cursor, self._pull_limit)

    def _prefetched(self, upcoming: Future[PullResponse] | None, enrollment: Enrollment,
                    cursor: int) -> PullResponse:
        if upcoming is not None:
            try:
                return upcoming.result()
            except SyncProblem:
                pass  # renew the token, back off and retry, on this thread
        return self._pull_page(enrollment, cursor)


def _entries(push: PushReceipt, enrollment: Enrollment) -> dict[uuid.UUID, ReceiptedOp]:
    """The push's one receipt, checked once: each op's entry in it then stands for that op's
    receipt. One for another device, one that does not verify, or one naming an op twice
    (central lists each once) proves nothing."""
    entries = {entry.op_id: entry for entry in push.ops}
    if (len(entries) != len(push.ops) or push.device_id != enrollment.device_id
            or not push.is_signed_by(enrollment.receipt_public_key)):
        return {}
    return entries


def _proof(outcome: OperationOutcome, op: QueuedOperation, enrollment: Enrollment,
           entries: dict[uuid.UUID, ReceiptedOp] | None) -> Receipt | ReceiptedOp | None:
    """What proves central holds this op as the outcome says: its entry in the push's
    receipt (`entries`, already checked), or, from a central that signed none, the op's own
    receipt. None when neither does."""
    receipt = outcome.receipt if entries is None else entries.get(op.op_id)
    if receipt is None:
        return None
    says_this_op = (
        receipt.op_id == op.op_id
        and receipt.result == outcome.original_result
        and (receipt.result == "rejected"
             or (op.payload is not None and receipt.record_hash == op.payload.get("record_hash"))))
    if not says_this_op:
        return None
    if isinstance(receipt, Receipt) and not (
            receipt.device_id == enrollment.device_id
            and receipt.is_signed_by(enrollment.receipt_public_key)):
        return None
    return receipt


def _is_whole(change: Change, receipt_public_key: bytes) -> bool:
    if change.kind in (ChangeKind.CHILD, ChangeKind.CHILD_REMOVED):
        return True  # caseload changes are not signed records: central's TLS vouches
    data = change.record.encode("utf-8")
    if change.record_hash != hash_bytes(data):
        return False
    if change.kind is ChangeKind.NOTE and change.device_id is None:
        # Entered at central (an imported notification): central's own key must have signed
        # it, and it must be a note (the key signs receipts too, which are not).
        signature = b64decode(change.signature or "")
        if signature is None or not signature_is_valid(receipt_public_key, data, signature):
            return False
        try:
            _NOTE.validate_json(data)
        except ValidationError:
            return False
    return True


_NOTE: TypeAdapter[Note] = TypeAdapter(CaseNote)
