"""Client assertions in, access tokens out: EdDSA JWTs through PyJWT, never by hand."""

from __future__ import annotations

import functools
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import jwt
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from central.core.keys import raw_public_bytes
from central.errors import CentralError
from records.wording import counted

ALGORITHM = "EdDSA"

# exp and iat are checked below against central's own clock (injectable in tests), so
# PyJWT's own time checks are switched off where it decodes.


def _instant(value: object) -> datetime | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    try:
        return datetime.fromtimestamp(value, UTC)
    except (OverflowError, OSError, ValueError):
        return None


@dataclass(frozen=True)
class VerifiedAssertion:
    device_id: uuid.UUID
    jti: str
    expires_at: datetime


# The one narrower scope a token may carry: a lost laptop's last push before it erases.
WIPE_SCOPE = "wipe_push"


@dataclass(frozen=True)
class AccessClaims:
    device_id: uuid.UUID
    key_fingerprint: str
    scope: str | None = None  # None: everything the device's user may do


def _refused(code: str, message: str) -> CentralError:
    return CentralError(401, code, message)


def claimed_device(assertion: str) -> uuid.UUID:
    """The device an assertion says it comes from; only used to find the key to check it."""
    try:
        header = jwt.get_unverified_header(assertion)
        claims = jwt.decode(assertion, options={"verify_signature": False})
    except jwt.PyJWTError:
        raise _refused(
            "invalid_assertion",
            "The client assertion is not a readable JWT. Nothing was changed; the app should "
            "make a new assertion and try again.",
        ) from None
    if header.get("alg") != ALGORITHM:
        raise _refused(
            "invalid_assertion",
            "Client assertions must be signed with EdDSA (Ed25519) by the device key.",
        )
    issuer = claims.get("iss")
    try:
        return uuid.UUID(str(issuer))
    except ValueError:
        raise _refused(
            "invalid_assertion", "The assertion's issuer (iss) must be the device id."
        ) from None


# complexity: every claim of the assertion checked and refused on its own
def verify_assertion(
    assertion: str, key: Ed25519PublicKey, *, audience: str, max_seconds: int,
    skew_seconds: int, now: datetime,
) -> VerifiedAssertion:
    """Signature, audience, iss = sub, a short life and a jti; replay is checked by the caller."""
    try:
        claims = jwt.decode(
            assertion, key, algorithms=[ALGORITHM], audience=audience,
            options={"require": ["iss", "sub", "aud", "exp", "iat", "jti"], "verify_exp": False,
                     "verify_iat": False, "verify_nbf": False},
        )
    except jwt.InvalidAudienceError:
        raise _refused(
            "invalid_assertion", f"The assertion's audience (aud) must be {audience!r}."
        ) from None
    except jwt.PyJWTError:
        raise _refused(
            "invalid_assertion",
            "The client assertion's signature or claims are not valid for this device. Nothing "
            "was changed; if this persists the laptop may need enrolling again.",
        ) from None
    issued, expires = _instant(claims["iat"]), _instant(claims["exp"])
    if issued is None or expires is None:
        raise _refused("invalid_assertion", "The assertion's iat and exp must be numbers.")
    if expires + timedelta(seconds=skew_seconds) <= now:
        raise _refused(
            "assertion_expired",
            "The client assertion has expired. Nothing was lost; check the laptop's clock and "
            "sync again.",
        )
    if claims["iss"] != claims["sub"]:
        raise _refused("invalid_assertion", "The assertion's iss and sub must both be the device.")
    if issued - now > timedelta(seconds=skew_seconds):
        raise _refused(
            "assertion_from_future",
            "The assertion was issued in the future: the laptop's clock is wrong. Correct it and "
            "sync again; nothing was lost.",
        )
    lifetime = expires - issued
    if lifetime > timedelta(seconds=max_seconds) or expires - now > timedelta(
        seconds=max_seconds + skew_seconds
    ):
        raise _refused(
            "assertion_too_long_lived",
            f"A client assertion may live at most {counted(max_seconds, 'second')}. Make a fresh "
            "one.",
        )
    jti = str(claims["jti"])
    if not 8 <= len(jti) <= 200 or not jti.isascii() or not jti.isprintable():
        raise _refused("invalid_assertion",
                       "The assertion's jti must be 8 to 200 printable ASCII characters.")
    return VerifiedAssertion(uuid.UUID(claims["sub"]), jti, expires)


def issue_access_token(
    key: Ed25519PrivateKey, *, device_id: uuid.UUID, key_fingerprint: str, audience: str,
    lifetime_seconds: int, now: datetime, scope: str | None = None,
) -> str:
    claims: dict[str, object] = {
        "iss": audience,
        "aud": audience,
        "sub": str(device_id),
        "iat": int(now.timestamp()),
        "exp": int(now.timestamp()) + lifetime_seconds,
        "jti": uuid.uuid4().hex,
        "cnf": {"kid": key_fingerprint},
    }
    if scope is not None:
        claims["scope"] = scope
    return jwt.encode(claims, key, algorithm=ALGORITHM)


def read_access_token(
    token: str, key: Ed25519PublicKey, *, audience: str, skew_seconds: int, now: datetime
) -> AccessClaims:
    claims, expires = _verified_access_token(token, raw_public_bytes(key), audience)
    if expires is None or expires + timedelta(seconds=skew_seconds) <= now:
        raise _refused(
            "token_expired", "The access token has expired. Get a new one from /v1/token."
        )
    return claims


@functools.lru_cache(maxsize=4096)
def _verified_access_token(token: str, public_key: bytes,
                           audience: str) -> tuple[AccessClaims, datetime | None]:
    """Signature and claims of a token, checked once: a laptop sends the same token with every
    request for up to 10 minutes. Expiry is checked by the caller at each use; a refusal
    raises, so it is never remembered; the device's status is checked in the database."""
    try:
        claims = jwt.decode(
            token, Ed25519PublicKey.from_public_bytes(public_key), algorithms=[ALGORITHM],
            audience=audience, issuer=audience,
            options={"require": ["sub", "exp", "iat", "aud", "iss"], "verify_exp": False,
                     "verify_iat": False, "verify_nbf": False},
        )
        scope = claims.get("scope")
        found = AccessClaims(uuid.UUID(str(claims["sub"])), str(claims["cnf"]["kid"]),
                             None if scope is None else str(scope))
        expires = _instant(claims["exp"])
    except (jwt.PyJWTError, KeyError, TypeError, ValueError):
        raise _refused(
            "invalid_token", "The access token is not valid here. Get a new one from /v1/token."
        ) from None
    return found, expires
