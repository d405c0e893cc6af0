"""The sync wire format, shared by the laptop and central: what goes over HTTP, nothing more.

Pydantic models only; no I/O, no Qt, no import of central. Both sides validate against the
same classes, and central publishes them in its OpenAPI document (docs/sync-protocol.md).

An operation's payload is exactly what the laptop's outbox writes: the record's canonical
JSON text, its SHA-256, the device's Ed25519 signature over those bytes, and the device id.
A receipt is central's Ed25519 signature over the canonical JSON of `ReceiptBody` (one an
op), or of `PushReceiptBody` (one a push, when the push asks for it).
"""

from __future__ import annotations

import base64
import binascii
from enum import StrEnum
from typing import Annotated, Any, Literal
from uuid import UUID

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from records.canonical import canonical_json
from records.contracts import OperationKind
from records.types import UtcDateTime

# What central speaks (GET /v1/health says it). 1: the first. 2: push ops carry the
# laptop's `submitted_at`; a token grant is signed, and so is a lost laptop's wipe order.
# 3: notes between visits (`note.add`, `note` changes to a pull asking `notes=true`). 4: a
# token request may carry `unsent_records`; a refused (revoked) laptop's contact is kept. 5: a
# lost laptop's wipe order comes with a push-only `wipe_token`; it answers the erase with a
# signed wipe receipt (POST /v1/wipe-receipt). 6: the receipt may say `files_left` or
# `keys_left` (sync/wipe_wire.py). 7: an agency note may say if it reports an injury or hunger,
# a decision which concerns it covered (records.case_notes): only to `answered_notes=true`.
# 8: a push may ask for one receipt for all its ops (`receipt: "push"`, `PushReceipt`).
PROTOCOL_VERSION = 8
# The oldest central this laptop syncs with (an older one refuses its fields, 422).
OLDEST_CENTRAL_PROTOCOL = 2
# The oldest central that takes notes; the oldest that takes an agency note's answers. To an
# older one than the latter no note is sent: they wait in the outbox.
NOTES_PROTOCOL, ANSWERED_NOTES_PROTOCOL = 3, 7
# The oldest central that takes a token request's `unsent_records` (not sent to an older one).
UNSENT_COUNT_PROTOCOL = 4
# The oldest central that gives a lost laptop a push-only token and takes its wipe receipt.
WIPE_RECEIPT_PROTOCOL = 5
# The oldest central that signs one receipt a push when asked (an older one signs each op's).
PUSH_RECEIPT_PROTOCOL = 8
# The largest photo central takes by default (its MAX_BLOB_BYTES), in MiB: the laptops'
# policy may not allow larger, so a photo attached is one central will take.
LARGEST_PHOTO_MIB = 20
ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"

_WIRE = ConfigDict(extra="forbid", frozen=True)

Sha256Hex = Annotated[str, Field(pattern=r"^[0-9a-f]{64}$", min_length=64, max_length=64)]
Base64Text = Annotated[str, Field(max_length=4096, pattern=r"^[A-Za-z0-9+/=_-]*$")]
# Exactly 32 bytes in padded base64: 42 characters, one carrying its last 2 bits as zero, "=".
PublicKeyText = Annotated[str, Field(min_length=44, max_length=44,
                                     pattern=r"^[A-Za-z0-9+/_-]{42}[AEIMQUYcgkosw048]=$")]
# Laptops count their operations from 1; 2**53 - 1 is where a JSON number stops being exact.
SEQUENCE_MAX = 2**53 - 1
KindName = Annotated[str, Field(max_length=64, pattern=r"^[a-z][a-z0-9_.-]*$")]
PlainText = Annotated[str, Field(pattern=r"^[^\x00-\x1f\x7f]*$")]


def _date_time_text(value: object) -> object:
    """JSON has no date-time type: it is text (RFC 3339). A number is not one (pydantic
    would read it as seconds since 1970)."""
    if isinstance(value, (int, float)):
        raise ValueError("a date-time is written as RFC 3339 text, e.g. 2026-11-16T16:05:00Z")
    return value


WireDateTime = Annotated[UtcDateTime, BeforeValidator(_date_time_text)]
"""A date-time a laptop sends: RFC 3339 text only, as the OpenAPI schema says."""


def _not_true_or_false(value: object) -> object:
    if isinstance(value, bool):
        raise ValueError("a number is expected, not true or false")
    return value


WireInteger = Annotated[int, BeforeValidator(_not_true_or_false)]
"""An integer as JSON Schema means it: 3 or 3.0, never `true` (pydantic would read 1)."""


def b64encode(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def b64decode(text: str) -> bytes | None:
    """Standard or URL-safe base64, or None when the text is not base64 at all."""
    try:
        return base64.b64decode(text.replace("-", "+").replace("_", "/"), validate=True)
    except (binascii.Error, ValueError):
        return None


class Role(StrEnum):
    WORKER = "worker"
    TEAM_LEAD = "team_lead"
    ADMIN = "admin"


# --- errors ---------------------------------------------------------------------------


class WipeOrderBody(BaseModel):
    """What central signs to order a vault erased: this device, in answer to this one
    assertion (its `jti`, fresh from the laptop), so an order cannot be replayed or forged
    by anyone who can only intercept the connection."""

    model_config = _WIRE

    order: Literal["erase_vault"] = "erase_vault"
    device_id: UUID
    assertion_id: str

    def signed_bytes(self) -> bytes:
        return canonical_json(self)


class WipeOrder(BaseModel):
    model_config = _WIRE

    device_id: UUID
    assertion_id: str = Field(description="The `jti` of the assertion this order answers.")
    signature: str = Field(description="Central's Ed25519 signature (its receipt key), base64.")

    def is_signed_by(self, receipt_public_key: bytes, device_id: UUID,
                     assertion_id: str) -> bool:
        """True only for central's signature over an order for exactly this device and
        assertion."""
        if self.device_id != device_id or self.assertion_id != assertion_id:
            return False
        body = WipeOrderBody(device_id=self.device_id, assertion_id=self.assertion_id)
        return _signed(receipt_public_key, self.signature, body.signed_bytes())


class ErrorBody(BaseModel):
    """Every 4xx and 5xx answer: a code for programs and a sentence for people."""

    model_config = ConfigDict(extra="allow", frozen=True)

    error: str = Field(description="Machine-readable code, e.g. `device_revoked`.")
    message: str = Field(description="What happened and what to do, for a person to read.")
    wipe: bool | None = Field(
        default=None, description="Present and true when the device was reported lost."
    )
    wipe_order: WipeOrder | None = Field(
        default=None,
        description="With `wipe`, on the token endpoint only: central's signed order, bound "
                    "to the assertion it answers. The laptop erases only on a valid one.")
    wipe_token: str | None = Field(
        default=None,
        description="With `wipe_order` (protocol 5): a short access token good only for "
                    "pushing this laptop's unsent records (`POST /v1/sync/push`, `PUT "
                    "/v1/blobs/...`) before it erases; no pull, no reading.")


# --- enrollment and tokens ------------------------------------------------------------


class EnrollmentRequest(BaseModel):
    model_config = _WIRE

    code: str = Field(min_length=1, max_length=64, description="One-time enrollment code.")
    public_key: PublicKeyText = Field(
        description="The device's raw 32-byte Ed25519 key, base64 (44 characters).")
    device_id: UUID | None = Field(
        default=None, description="The id the laptop already uses for itself, if it has one."
    )
    label: PlainText = Field(default="", max_length=200, description="e.g. the laptop's asset tag.")


class EnrollmentResponse(BaseModel):
    model_config = _WIRE

    device_id: UUID
    username: str
    display_name: str
    role: Role
    team: str | None
    audience: str = Field(description="The `aud` every client assertion must carry.")
    receipt_public_key: str = Field(description="Central's raw Ed25519 receipt key, base64.")


class TokenRequest(BaseModel):
    """A client assertion (RFC 7523 style): a JWT signed with the device key, EdDSA."""

    model_config = _WIRE

    client_assertion_type: Literal["urn:ietf:params:oauth:client-assertion-type:jwt-bearer"] = (
        "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
    )
    client_assertion: str = Field(min_length=1, max_length=4096)
    unsent_records: int | None = Field(
        default=None, ge=0, le=100_000_000,
        description="Records this laptop holds that central has not acknowledged, sent only "
                    "to a central of protocol 4 or later. Central keeps it when it refuses a "
                    "revoked or lost laptop, so IT and the team lead see what waits on it.")


class TokenGrantBody(BaseModel):
    """What central signs when it grants a token: it vouches for this device, in answer to
    this one assertion. The laptop counts nothing else as central vouching (the offline
    grace period, a readmission)."""

    model_config = _WIRE

    grant: Literal["access_token"] = "access_token"
    device_id: UUID
    assertion_id: str

    def signed_bytes(self) -> bytes:
        return canonical_json(self)


class TokenResponse(BaseModel):
    model_config = _WIRE

    access_token: str
    token_type: Literal["Bearer"] = "Bearer"
    expires_in: int = Field(description="Seconds until the token expires.")
    grant_signature: str | None = Field(
        default=None,
        description="Central's Ed25519 signature (its receipt key), base64, over the "
                    "canonical JSON of {grant: access_token, device_id, assertion_id}.")

    def is_granted_by(self, receipt_public_key: bytes, device_id: UUID,
                      assertion_id: str) -> bool:
        """True only when central signed a grant for exactly this device and assertion."""
        body = TokenGrantBody(device_id=device_id, assertion_id=assertion_id)
        return _signed(receipt_public_key, self.grant_signature, body.signed_bytes())


def _signed(receipt_public_key: bytes, signature_b64: str | None, data: bytes) -> bool:
    """Central's receipt key signed `data` (canonical JSON of a body whose fields say what
    it is: a receipt, a wipe order and a token grant have different keys)."""
    signature = b64decode(signature_b64) if signature_b64 is not None else None
    if signature is None:
        return False
    try:
        Ed25519PublicKey.from_public_bytes(receipt_public_key).verify(signature, data)
    except (InvalidSignature, ValueError):
        return False
    return True


# --- push -----------------------------------------------------------------------------


class RecordKind(StrEnum):
    VISIT = "visit"
    ADDENDUM = "addendum"
    REVIEW = "review"
    NOTE = "note"


RECORD_KIND_OF_OPERATION = {
    OperationKind.SUBMIT_VISIT: RecordKind.VISIT,
    OperationKind.ADD_ADDENDUM: RecordKind.ADDENDUM,
    OperationKind.DECIDE_REVIEW: RecordKind.REVIEW,
    OperationKind.ADD_NOTE: RecordKind.NOTE,
}


class OperationPayload(BaseModel):
    """A signed record, as the laptop's outbox holds it."""

    model_config = _WIRE

    kind: KindName = Field(description="`visit`, `addendum`, `review` or `note`.")
    record: str = Field(max_length=2_000_000, description="The record's canonical JSON text.")
    record_hash: str = Field(max_length=64, description="SHA-256 hex of the record's bytes.")
    signature: str = Field(max_length=200, description="Ed25519 over the record bytes, base64.")
    device_id: UUID


class Operation(BaseModel):
    model_config = _WIRE

    op_id: UUID = Field(description="Made on the laptop; the same op is never applied twice.")
    sequence: WireInteger = Field(ge=0, le=SEQUENCE_MAX,
                          description="The laptop's own order of operations.")
    kind: KindName = Field(
        description="`visit.submit`, `addendum.add`, `review.decide` or `note.add`.")
    payload: OperationPayload
    submitted_at: WireDateTime | None = Field(
        default=None,
        description="For a visit or addendum: when the worker submitted it on the laptop. The "
                    "device's claim, outside the signed record; central keeps it only within "
                    "the visit's start and its own receipt time (see docs).")


ReceiptForm = Literal["op", "push"]


class PushRequest(BaseModel):
    model_config = _WIRE

    operations: list[Operation] = Field(min_length=1, max_length=500)
    receipt: ReceiptForm = Field(
        default="op",
        description="`op`: a receipt signed for each op (`OperationOutcome.receipt`). `push` "
                    "(protocol 8): one receipt signed for all the push's ops "
                    "(`PushResponse.receipt`). Sent only to a central that takes it.")


class OperationResult(StrEnum):
    ACCEPTED = "accepted"
    DUPLICATE = "duplicate"
    REJECTED = "rejected"


StoredResult = Literal["accepted", "rejected"]


class ReceiptBody(BaseModel):
    """What central signs: the canonical JSON of these five fields."""

    model_config = _WIRE

    device_id: UUID
    op_id: UUID
    record_hash: str | None
    result: StoredResult
    received_at: UtcDateTime

    def signed_bytes(self) -> bytes:
        return canonical_json(self)


class Receipt(BaseModel):
    model_config = _WIRE

    device_id: UUID
    op_id: UUID
    record_hash: str | None
    result: StoredResult
    received_at: UtcDateTime
    signature: str = Field(description="Central's Ed25519 signature, base64.")

    def body(self) -> ReceiptBody:
        return ReceiptBody(
            device_id=self.device_id, op_id=self.op_id, record_hash=self.record_hash,
            result=self.result, received_at=self.received_at,
        )

    def is_signed_by(self, receipt_public_key: bytes) -> bool:
        """True when central's key signed exactly this receipt."""
        return _signed(receipt_public_key, self.signature, self.body().signed_bytes())


class ReceiptedOp(BaseModel):
    """One op in a push's receipt: what central holds of it (for a duplicate, what it held
    from the first time: its result and when it received it)."""

    model_config = _WIRE

    op_id: UUID
    record_hash: str | None
    result: StoredResult
    received_at: UtcDateTime


class PushReceiptBody(BaseModel):
    """What central signs for a push that asked for one receipt: the canonical JSON of the
    device and each op it answered, once, in the push's order."""

    model_config = _WIRE

    device_id: UUID
    ops: list[ReceiptedOp]

    def signed_bytes(self) -> bytes:
        return canonical_json(self)


class PushReceipt(BaseModel):
    """One signature for every op of a push (protocol 8): each op's entry proves it as an
    op's own `Receipt` does, and a laptop checks one signature a push, not one an op."""

    model_config = _WIRE

    device_id: UUID
    ops: list[ReceiptedOp]
    signature: str = Field(description="Central's Ed25519 signature (its receipt key), base64.")

    def body(self) -> PushReceiptBody:
        return PushReceiptBody(device_id=self.device_id, ops=self.ops)

    def is_signed_by(self, receipt_public_key: bytes) -> bool:
        """True when central's key signed exactly this receipt."""
        return _signed(receipt_public_key, self.signature, self.body().signed_bytes())


class OperationOutcome(BaseModel):
    model_config = _WIRE

    op_id: UUID
    result: OperationResult
    original_result: StoredResult = Field(
        description="For a duplicate, the result the op got the first time; else `result`."
    )
    code: str | None = Field(default=None, description="Why it was rejected, for programs.")
    message: str | None = Field(default=None, description="Why it was rejected, for people.")
    flags: list[str] = Field(
        default_factory=list, description="Accepted, but a team lead should look (see docs)."
    )
    receipt: Receipt | None = Field(
        description="This op's signed receipt; null when the push asked for one receipt for "
                    "all its ops (`PushResponse.receipt`).")


class PushResponse(BaseModel):
    model_config = _WIRE

    results: list[OperationOutcome]
    receipt: PushReceipt | None = Field(
        default=None,
        description="Only to a push that asked for it (`receipt: \"push\"`): one receipt "
                    "for all its ops. Absent otherwise.")


# --- pull -----------------------------------------------------------------------------


class ChangeKind(StrEnum):
    CHILD = "child"
    VISIT = "visit"
    ADDENDUM = "addendum"
    REVIEW = "review"
    CHILD_REMOVED = "child_removed"
    """Only sent to a pull that asks for it (`removals=true`); its record is a `ChildRemoved`."""
    NOTE = "note"
    """Only sent to a pull that asks for it (`notes=true`); its record is a note between
    visits (records.case_notes.CaseNote). Signed by the laptop that made it, or, with no
    `device_id`, by central's receipt key (a note imported at central)."""


class ChildRemoved(BaseModel):
    """The record of a `child_removed` change: drop this child, it is no longer yours to see."""

    model_config = _WIRE

    id: UUID = Field(description="The child to drop from the caseload.")
    case_id: UUID = Field(
        description="Its case: drop the case too when none of its children is left."
    )


class Change(BaseModel):
    model_config = _WIRE

    position: int = Field(description="Where this change sits in central's change log.")
    kind: ChangeKind
    record: str = Field(
        description="Canonical JSON of the Child, Visit, Addendum, Review, ChildRemoved or "
                    "note."
    )
    record_hash: str | None = None
    case: str | None = Field(default=None, description="For a child: canonical JSON of its Case.")
    signature: str | None = Field(default=None, description="The signing device's signature.")
    device_id: UUID | None = Field(
        default=None, description="The device that signed it; null for a note entered at "
                                  "central, which central's receipt key signed.")
    submitted_by: str | None = Field(default=None, description="Username of the author.")
    flags: list[str] = Field(default_factory=list)
    received_at: UtcDateTime | None = Field(
        default=None,
        description="When central received the visit, addendum or review (its receipt time). "
                    "Only sent to a pull that asks for it (`times=true`).")
    submitted_at: UtcDateTime | None = Field(
        default=None,
        description="When the worker's laptop says it submitted the visit or addendum, as "
                    "central kept it (flag `submitted_at_clamped`: replaced by the receipt "
                    "time); null when the laptop did not say. Only sent to a pull that asks "
                    "for it (`times=true`).")


class DeviceContact(BaseModel):
    """When one laptop of the team last reached central (any authenticated request)."""

    model_config = _WIRE

    device_id: UUID
    username: str = Field(description="The worker the laptop is enrolled for.")
    last_contact_at: UtcDateTime | None = Field(description="Null: it never has.")


class RefusedLaptop(BaseModel):
    """A laptop of the team central refuses (revoked, or reported lost), and what it last
    said waits on it: records its worker made that central has not got."""

    model_config = _WIRE

    device_id: UUID
    username: str = Field(description="The worker the laptop is enrolled for.")
    status: Literal["revoked", "lost"]
    last_contact_at: UtcDateTime | None = Field(
        description="Its last contact, refused or not. Null: it never made one.")
    unsent_records: int | None = Field(
        ge=0, description="Records it said it holds unsent at that contact; null: not said.")
    # A lost laptop's wipe outcome: only to a pull asking `wipes=true` (PULL_WIPES_FIELDS).
    wiped_at: UtcDateTime | None = Field(default=None, description=(
        "When its signed wipe receipt says it erased; null: not yet (or not asked)."))
    recovered_records: int | None = Field(default=None, ge=0, description=(
        "Lost: records central got from it after the report, before the erase."))
    lost_records: int | None = Field(default=None, ge=0, description=(
        "What its receipt says was erased unsent; null until a receipt came."))


class PullResponse(BaseModel):
    model_config = _WIRE

    changes: list[Change]
    next_cursor: int = Field(ge=0, description="Pass this back as `cursor` next time.")
    has_more: bool
    device_contacts: list[DeviceContact] | None = Field(
        default=None,
        description="For a team lead, every active laptop of their team and its last contact "
                    "(empty for anyone else). Only sent to a pull that asks for it "
                    "(`times=true`), as of the moment of this answer.")
    refused_laptops: list[RefusedLaptop] | None = Field(
        default=None,
        description="For a team lead, every laptop of their team central refuses, and the "
                    "records waiting on it (empty for anyone else). Only sent to a pull that "
                    "asks for it (`laptops=true`, protocol 4).")


PULL_TIMES_FIELDS: dict[str, Any] = {
    "device_contacts": True, "changes": {"__all__": {"received_at", "submitted_at"}}}
"""What a pull without `times=true` leaves out: a client older than these fields refuses them."""

PULL_WIPES_FIELDS: dict[str, Any] = {"refused_laptops": {"__all__": {
    "wiped_at", "recovered_records", "lost_records"}}}  # unless `wipes=true`: older refuse it


class HealthResponse(BaseModel):
    model_config = _WIRE

    status: Literal["ok"]
    database: Literal["ok"]
    protocol_version: int = Field(description="What central speaks: see PROTOCOL_VERSION.")


class BlobStored(BaseModel):
    model_config = _WIRE

    sha256: Sha256Hex
    size: int
    created: bool


# The wipe receipt (protocol 5), in its own module for length: part of this wire format.
from sync.wipe_wire import WipeReceipt as WipeReceipt  # noqa: E402
from sync.wipe_wire import WipeReceiptAnswer as WipeReceiptAnswer  # noqa: E402
from sync.wipe_wire import WipeReceiptBody as WipeReceiptBody  # noqa: E402
