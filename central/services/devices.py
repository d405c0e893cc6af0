"""Enrolling a laptop, swapping its signed assertion for a token, and knowing who calls."""

from __future__ import annotations

import hashlib
import secrets
import uuid
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from central.core.config import Settings
from central.core.keys import ServerKeys, fingerprint, public_key_from_raw
from central.core.tokens import (
    WIPE_SCOPE,
    AccessClaims,
    claimed_device,
    issue_access_token,
    read_access_token,
    verify_assertion,
)
from central.db import driver
from central.db.models import Base, Device, EnrollmentCode, Team, UsedAssertion, User
from central.errors import CentralError
from central.services.audit import audit
from central.services.context import DeviceContext
from sync.protocol import (
    EnrollmentRequest,
    EnrollmentResponse,
    Role,
    TokenGrantBody,
    TokenRequest,
    TokenResponse,
    WipeOrder,
    WipeOrderBody,
    b64decode,
    b64encode,
)

_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I: read aloud over the phone


def normalise_code(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())


def hash_code(code: str) -> str:
    return hashlib.sha256(normalise_code(code).encode()).hexdigest()


def new_enrollment_code(session: Session, user: User, *, hours: int, now: datetime) -> str:
    """A one-time code (100 bits) for one laptop of this user; only its hash is kept."""
    raw = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(20))
    code = "-".join(raw[i : i + 5] for i in range(0, 20, 5))
    session.add(EnrollmentCode(code_hash=hash_code(code), user_id=user.id, created_at=now,
                               expires_at=now + timedelta(hours=hours)))
    audit(session, "cli", "enrollment_code.issued", f"user:{user.username}")
    return code


def _device_refusal(status: str, order: WipeOrder | None = None,
                    wipe_token: str | None = None) -> CentralError:
    """Revoked, or reported lost (`wipe`). A laptop erases only on a signed `order`, which
    the token endpoint gives, with a push-only `wipe_token` (protocol 5) so it can first
    send what central has not got: any other endpoint's refusal sends it there."""
    if status == "wipe":
        extra: dict[str, Any] = ({"wipe_order": order.model_dump(mode="json")}
                                 if order is not None else {})
        if wipe_token is not None:
            extra["wipe_token"] = wipe_token
        return CentralError(
            403, "device_revoked",
            "This laptop was reported lost, so its vault is erased now. Records not yet sent "
            "to central are sent first where they can be. Speak to IT to be given a new "
            "laptop.",
            wipe=True, **extra,
        )
    return CentralError(
        403, "device_revoked",
        "This laptop may no longer sync. Its records stay on it, encrypted, and nothing has been "
        "lost; contact IT to have it let back in.",
    )


def sign_wipe_order(keys: ServerKeys, device_id: uuid.UUID, assertion_id: str) -> WipeOrder:
    """Central's order to erase, for this device and the assertion it answers, signed with
    the receipt key the laptop has kept since it enrolled."""
    body = WipeOrderBody(device_id=device_id, assertion_id=assertion_id)
    return WipeOrder(device_id=device_id, assertion_id=assertion_id,
                     signature=b64encode(keys.sign_receipt(body.signed_bytes())))


_USER_DISABLED = CentralError(
    403, "user_disabled",
    "This account is disabled, so the laptop cannot sync. Records already on the laptop are "
    "kept; contact your team lead or IT.",
)


# complexity: each refusal of an enrollment code is its own documented answer
def enroll(session: Session, request: EnrollmentRequest, settings: Settings, keys: ServerKeys,
           now: datetime) -> EnrollmentResponse:
    raw_key = b64decode(request.public_key)
    if raw_key is None or public_key_from_raw(raw_key) is None:
        raise CentralError(
            422, "invalid_public_key",
            "The device key must be a raw 32-byte Ed25519 public key in base64. Nothing was "
            "stored; the app should make its key again and retry.",
        )
    code = session.scalar(
        select(EnrollmentCode).where(EnrollmentCode.code_hash == hash_code(request.code))
        .with_for_update()
    )
    if code is None:
        raise CentralError(
            403, "enrollment_code_invalid",
            "That enrollment code is not known. Check it was typed as given, or ask IT for a "
            "new one.",
        )
    user = session.get(User, code.user_id)
    assert user is not None
    if user.disabled:
        raise _USER_DISABLED
    repeated = _already_enrolled(session, request, user, raw_key)
    if repeated is not None and code.used_at is not None and code.device_id == repeated.id:
        # The answer to this very enrollment was lost on the way: answer it again.
        audit(session, f"device:{repeated.id}", "device.enrollment_repeated",
              f"user:{user.username}")
        return _enrolled_answer(session, repeated.id, user, settings, keys)
    if code.used_at is not None:
        raise CentralError(
            403, "enrollment_code_used",
            "That enrollment code has already been used. Ask IT for a new one.",
        )
    if code.expires_at <= now:
        raise CentralError(
            403, "enrollment_code_expired",
            "That enrollment code has expired. Ask IT for a new one.",
        )
    device_id = request.device_id or (repeated.id if repeated is not None else uuid.uuid4())
    action = _place_device(session, request, user, raw_key, device_id, repeated, now)
    updated = session.execute(
        update(EnrollmentCode)
        .where(EnrollmentCode.id == code.id, EnrollmentCode.used_at.is_(None))
        .values(used_at=now, device_id=device_id)
    )
    if getattr(updated, "rowcount", 0) != 1:
        raise CentralError(403, "enrollment_code_used",
                           "That enrollment code has already been used. Ask IT for a new one.")
    audit(session, f"device:{device_id}", action, f"user:{user.username}")
    return _enrolled_answer(session, device_id, user, settings, keys)


def _place_device(session: Session, request: EnrollmentRequest, user: User, raw_key: bytes,
                  device_id: uuid.UUID, repeated: Device | None, now: datetime) -> str:
    """Make (or take back) the device row this enrollment is for; the audit action."""
    known = session.get(Device, device_id)
    if repeated is not None:
        # Enrolled already, its answer lost; a new code for the same laptop is used up on it.
        return "device.enrollment_repeated"
    if known is not None and _revoked_and_asking_again(known, user, raw_key):
        # IT revoked this laptop and has now given its worker a new code: the same device
        # (same key, so the records it signed while revoked still verify) syncs again.
        known.status, known.enrolled_at, known.last_contact_at = "active", now, now
        if request.label:
            known.label = request.label
        return "device.reenrolled"
    if known is not None:
        raise CentralError(409, "device_id_taken",
                           "Another laptop is already enrolled with that device id. Make a new "
                           "device id and try again; the code has not been used up.")
    if session.scalar(select(Device.id).where(Device.public_key == raw_key)) is not None:
        raise CentralError(409, "device_key_taken",
                           "That device key is already enrolled. Make a new key and try again; "
                           "the code has not been used up.")
    session.add(Device(id=device_id, user_id=user.id, public_key=raw_key,
                       label=request.label, status="active", enrolled_at=now,
                       last_contact_at=now))
    return "device.enrolled"


def _enrolled_answer(session: Session, device_id: uuid.UUID, user: User, settings: Settings,
                     keys: ServerKeys) -> EnrollmentResponse:
    team = session.get(Team, user.team_id) if user.team_id is not None else None
    return EnrollmentResponse(
        device_id=device_id, username=user.username, display_name=user.display_name,
        role=Role(user.role), team=team.name if team else None, audience=settings.audience,
        receipt_public_key=b64encode(keys.receipt_public),
    )


def _already_enrolled(session: Session, request: EnrollmentRequest, user: User,
                      raw_key: bytes) -> Device | None:
    """An active laptop of this same person with this same key (and device id, when the
    laptop names one): a retry of an enrollment whose answer never reached the laptop.
    Only the laptop holding the private half of the key can use what it is answered."""
    device = session.scalar(select(Device).where(Device.public_key == raw_key))
    if (device is None or device.status != "active" or device.user_id != user.id
            or (request.device_id is not None and request.device_id != device.id)):
        return None
    return device


def _revoked_and_asking_again(device: Device, user: User, raw_key: bytes) -> bool:
    """A revoked (not lost) laptop of the same person, with the same device key."""
    return (device.status == "revoked" and device.user_id == user.id
            and device.public_key == raw_key)


def issue_token(session: Session, request: TokenRequest, settings: Settings, keys: ServerKeys,
                now: datetime) -> TokenResponse | CentralError:
    """A token for an active device. A revoked or lost one is refused, but the refusal is
    returned, not raised, so the caller commits first what the contact leaves behind: its
    time, the records the laptop says wait on it, and an audit entry."""
    device_id = claimed_device(request.client_assertion)
    device = session.get(Device, device_id)
    key = public_key_from_raw(device.public_key) if device is not None else None
    if device is None or key is None:
        raise CentralError(401, "unknown_device",
                           "This laptop is not enrolled with central. Ask IT for an enrollment "
                           "code; records on the laptop are kept.")
    verified = verify_assertion(
        request.client_assertion, key, audience=settings.audience,
        max_seconds=settings.assertion_max_seconds, skew_seconds=settings.clock_skew_seconds,
        now=now,
    )
    if device.status != "active":
        device.last_contact_at = now
        device.unsent_records = request.unsent_records
        audit(session, f"device:{device_id}", "device.contact_refused", f"device:{device_id}",
              status=device.status, unsent_records=request.unsent_records)
        if device.status != "wipe":
            return _device_refusal(device.status)
        wipe_token = None
        if device.wiped_at is None:  # not erased yet: it may push what it holds, once
            _spend_assertion(session, device_id, verified.jti, verified.expires_at, settings,
                             now)
            wipe_token = issue_access_token(
                keys.token, device_id=device_id, key_fingerprint=fingerprint(device.public_key),
                audience=settings.audience, lifetime_seconds=settings.access_token_seconds,
                now=now, scope=WIPE_SCOPE)
        return _device_refusal(device.status, sign_wipe_order(keys, device_id, verified.jti),
                               wipe_token)
    user = session.get(User, device.user_id)
    if user is None or user.disabled:
        raise _USER_DISABLED
    _spend_assertion(session, device_id, verified.jti, verified.expires_at, settings, now)
    device.last_contact_at = now
    device.unsent_records = None  # it may sync now: what it holds is sent, not waiting
    token = issue_access_token(
        keys.token, device_id=device_id, key_fingerprint=fingerprint(device.public_key),
        audience=settings.audience, lifetime_seconds=settings.access_token_seconds, now=now,
    )
    grant = TokenGrantBody(device_id=device_id, assertion_id=verified.jti)
    return TokenResponse(access_token=token, expires_in=settings.access_token_seconds,
                         grant_signature=b64encode(keys.sign_receipt(grant.signed_bytes())))


def _spend_assertion(session: Session, device_id: uuid.UUID, jti: str, expires_at: datetime,
                     settings: Settings, now: datetime) -> None:
    """Each assertion is good once: its jti is kept until it would have expired anyway."""
    session.execute(delete(UsedAssertion).where(
        UsedAssertion.device_id == device_id,
        UsedAssertion.expires_at < now - timedelta(seconds=settings.clock_skew_seconds),
    ))
    try:
        with session.begin_nested():
            session.add(UsedAssertion(device_id=device_id, jti=jti, expires_at=expires_at))
    except IntegrityError:
        raise CentralError(401, "assertion_replayed",
                           "This client assertion was already used. Each one is good once: "
                           "make a new one and try again.") from None


def token_claims(bearer: str | None, settings: Settings, keys: ServerKeys,
                 now: datetime) -> AccessClaims:
    """What a bearer token says, refused (401) if missing, forged or expired. No database."""
    if not bearer:
        raise CentralError(401, "missing_token",
                           "Send an access token from /v1/token as 'Authorization: Bearer ...'.")
    return read_access_token(bearer, keys.token.public_key(), audience=settings.audience,
                             skew_seconds=settings.clock_skew_seconds, now=now)


def authenticate(session: Session, bearer: str | None, settings: Settings,
                 keys: ServerKeys, now: datetime, *, lost_may_push: bool = False
                 ) -> DeviceContext:
    """The device behind an access token, refused if revoked, lost, re-keyed or disabled
    (a lost one's push-only token passes only where `lost_may_push`)."""
    return device_in_contact(session, token_claims(bearer, settings, keys, now), now=None,
                             lost_may_push=lost_may_push)


_DEVICES = Base.metadata.tables[Device.__tablename__]
_USERS = Base.metadata.tables[User.__tablename__]
_CALLER = (_DEVICES.c.id, _DEVICES.c.status, _DEVICES.c.public_key, _DEVICES.c.wiped_at,
           _USERS.c.id.label("user_id"),
           _USERS.c.username, _USERS.c.role, _USERS.c.team_id, _USERS.c.disabled)
# Built once: Core statements on the tables (not the ORM classes) with bound parameters, so a
# push pays neither the ORM's statement handling nor building and hashing a new statement.
_READ_CALLER = (select(*_CALLER).join(_USERS, _USERS.c.id == _DEVICES.c.user_id)
                .where(_DEVICES.c.id == bindparam("device_id")))
_TOUCH = update(_DEVICES).values(
    last_contact_at=bindparam("now", type_=_DEVICES.c.last_contact_at.type))
_TOUCH_AND_READ_CALLER = (_TOUCH.where(_USERS.c.id == _DEVICES.c.user_id,
                                       _DEVICES.c.id == bindparam("device_id"))
                          .returning(*_CALLER))  # PostgreSQL: one round trip
_TOUCH_ONLY = _TOUCH.where(_DEVICES.c.id == bindparam("device_id"))
# PostgreSQL: the same two through psycopg alone (central.db.driver), on every push and pull.
_DRIVER_READ_CALLER = driver.compiled(_READ_CALLER)
_DRIVER_TOUCH_AND_READ_CALLER = driver.compiled(_TOUCH_AND_READ_CALLER)


def _caller(session: Session, device_id: uuid.UUID, now: datetime | None,
            reads: Sequence[tuple[driver.Compiled, dict[str, Any]]] = (),
            ) -> tuple[Any, list[list[Any]]]:
    """The device's row and its user's, its last contact set first when `now` is given; and
    the rows of `reads`, run next in the same round trip (PostgreSQL only)."""
    connection = driver.driver_connection(session)
    if connection is not None:
        device = ((_DRIVER_READ_CALLER, {"device_id": device_id}) if now is None else
                  (_DRIVER_TOUCH_AND_READ_CALLER, {"device_id": device_id, "now": now}))
        if reads:
            found, *read = driver.several(connection, [device, *reads])
        else:
            found, read = driver.rows(connection, *device), []
        return (found[0] if found else None), read
    if reads:
        raise ValueError("reads through central.db.driver need PostgreSQL")
    parameters = {"device_id": device_id, "now": now}
    if now is not None:  # SQLite: RETURNING may only name the updated table's own columns
        session.execute(_TOUCH_ONLY, parameters)
    return session.execute(_READ_CALLER, parameters).one_or_none(), []


# complexity: each device state that refuses a token (revoked, lost, wiped, key, user)
def device_in_contact(session: Session, claims: AccessClaims, *, now: datetime | None,
                      lost_may_push: bool = False) -> DeviceContext:
    """The device a token names, checked against its status now (`device_in_contact_reading`
    with no other reads)."""
    return device_in_contact_reading(session, claims, now=now, lost_may_push=lost_may_push)[0]


def device_in_contact_reading(session: Session, claims: AccessClaims, *, now: datetime | None,
                              lost_may_push: bool = False,
                              reads: Sequence[tuple[driver.Compiled, dict[str, Any]]] = (),
                              ) -> tuple[DeviceContext, list[list[Any]]]:
    """The device a token names, checked against its status now (so revoking is immediate).

    A push-only token (`WIPE_SCOPE`, given with a lost laptop's wipe order) is good only
    where `lost_may_push` (pushing records and photos), only while the device is reported
    lost and not yet erased; every other token of a lost device is refused.

    With `now`, its last contact is set in the same statement, which also holds the device's
    row until the caller's transaction ends: one laptop's pushes queue one behind the other.
    A refusal raises, and the caller's rollback undoes the contact.

    On PostgreSQL, `reads` (statements through `central.db.driver`) are run after the device's
    statement in the same round trip, so they already see what an earlier push from this
    laptop committed; their rows are returned beside the device. Elsewhere `reads` must be
    empty.
    """
    row, read = _caller(session, claims.device_id, now, reads)
    if row is None:
        raise CentralError(401, "unknown_device", "This laptop is not enrolled with central.")
    lost = claims.scope == WIPE_SCOPE
    if lost and not (lost_may_push and row.status == "wipe" and row.wiped_at is None):
        raise (_device_refusal(row.status) if row.status != "active" else CentralError(
            401, "invalid_token", "This token only let a lost laptop push before erasing. Get "
                                  "a new one from /v1/token."))
    if row.status != "active" and not lost:
        raise _device_refusal(row.status)
    if fingerprint(row.public_key) != claims.key_fingerprint:
        raise CentralError(401, "invalid_token",
                           "The access token was made for another device key. Get a new one.")
    if row.disabled:
        raise _USER_DISABLED
    return DeviceContext(device_id=row.id, public_key=row.public_key, user_id=row.user_id,
                         username=row.username, role=Role(row.role), team_id=row.team_id,
                         lost=lost), read
