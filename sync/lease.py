"""The key lease behind policy `offline_grace_days`: how long an enrolled vault may be opened
without central having vouched for this laptop.

Central vouches by giving the device a fresh access token for a client assertion signed
with the device key (`request_token`, the one way this laptop asks for a token): it does
so only for an enrolled device that is neither revoked nor reported lost. The vault keeps
the laptop's time of that answer and the latest time its clock has shown (`key_lease`,
migration 9). The lease has run out when more than the grace period has passed since the
contact, or when the clock now reads earlier than a time the vault has already seen (set
back to make an old contact look recent). See docs/security.md for what this does and does
not protect against.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum

import jwt

from storage.device import DeviceIdentity
from storage.outbox import Outbox
from storage.transactions import Connection, transaction
from sync.errors import GrantNotProven, WipeClaimed, WipeNotProven, WipeOrdered
from sync.ledger import Enrollment, SyncLedger
from sync.protocol import UNSENT_COUNT_PROTOCOL, TokenRequest, TokenResponse
from sync.transport import CentralClient, require_current_central

log = logging.getLogger("homevisit.sync.lease")

ASSERTION_SECONDS = 60
# A clock may be corrected backwards a little (NTP) without the lease counting as tampered.
CLOCK_TOLERANCE = timedelta(minutes=10)


def request_token(client: CentralClient, device: DeviceIdentity, enrollment: Enrollment,
                  now: datetime, unsent_records: int | None = None) -> TokenResponse:
    """Ask central for an access token with a fresh single-use assertion (EdDSA, 60 s).

    Both answers that matter are proven by central's signature (its receipt key) over this
    device and this assertion: a token only with a signed grant (else `GrantNotProven`, and
    the token is not used: nothing vouches, nothing is sent), and a refusal saying the
    laptop was reported lost is `WipeOrdered` only with a signed order (else
    `WipeNotProven`, and nothing may be erased).

    `unsent_records` (only to a central of `UNSENT_COUNT_PROTOCOL` or later) lets central,
    should it refuse a revoked laptop, show IT and the team lead what waits on it."""
    issued = int(now.timestamp())
    assertion_id = uuid.uuid4().hex
    assertion = jwt.encode(
        {"iss": str(enrollment.device_id), "sub": str(enrollment.device_id),
         "aud": enrollment.audience, "iat": issued, "exp": issued + ASSERTION_SECONDS,
         "jti": assertion_id},
        device.assertion_key(), algorithm="EdDSA",
    )
    try:
        granted = client.token(TokenRequest(client_assertion=assertion,
                                            unsent_records=unsent_records))
    except WipeClaimed as claim:
        order = claim.order
        if order is not None and order.is_signed_by(enrollment.receipt_public_key,
                                                    enrollment.device_id, assertion_id):
            raise WipeOrdered(claim.user_message, device_id=enrollment.device_id,
                              assertion_id=assertion_id, wipe_token=claim.wipe_token) from None
        log.error("told to erase the vault without central's signature: nothing erased")
        raise WipeNotProven() from None
    if not granted.is_granted_by(enrollment.receipt_public_key, enrollment.device_id,
                                 assertion_id):
        log.error("a token came without central's signature: not used")
        raise GrantNotProven()
    return granted


def unsent_count_for(conn: Connection, central_version: int) -> int | None:
    """The records this vault has not had acknowledged, for a central that takes the count;
    None (not sent) for an older one, which would refuse the field."""
    if central_version < UNSENT_COUNT_PROTOCOL:
        return None
    return Outbox(conn).unsent_count()


class LeaseState(StrEnum):
    FRESH = "fresh"
    EXPIRED = "expired"  # longer than the grace period since central last vouched
    CLOCK_SET_BACK = "clock_set_back"  # earlier than a time this vault has already seen


@dataclass(frozen=True)
class Lease:
    last_contact_at: datetime
    latest_seen_at: datetime

    def state(self, now: datetime, grace: timedelta) -> LeaseState:
        if now < self.latest_seen_at - CLOCK_TOLERANCE:
            return LeaseState.CLOCK_SET_BACK
        if now - self.last_contact_at > grace:
            return LeaseState.EXPIRED
        return LeaseState.FRESH

    def expires_at(self, grace: timedelta) -> datetime:
        return self.last_contact_at + grace


class KeyLease:
    """The lease as the vault keeps it; every write joins the caller's transaction."""

    def __init__(self, conn: Connection,
                 clock: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        self._conn = conn
        self._clock = clock

    def current(self) -> Lease | None:
        """None when the vault is not enrolled: there is no central to vouch for it."""
        row = self._conn.execute(
            "SELECT last_contact_at, latest_seen_at FROM key_lease").fetchone()
        if row is not None:
            return Lease(datetime.fromisoformat(row[0]), datetime.fromisoformat(row[1]))
        # Enrolled since version 9 and not yet synced: the enrollment was the last contact.
        enrolled = self._conn.execute(
            "SELECT max(enrolled_at, coalesce(last_synced_at, enrolled_at)) FROM sync_state"
        ).fetchone()
        if enrolled is None:
            return None
        at = datetime.fromisoformat(enrolled[0])
        return Lease(at, at)

    def note_contact(self) -> None:
        """Central has just vouched for this laptop (it issued a token): the lease starts
        again from now, and a laptop central had revoked is readmitted, as IT has let it
        back in (`homevisit-central device readmit`)."""
        now = self._clock().astimezone(UTC).isoformat()
        with transaction(self._conn):
            self._conn.execute(
                "INSERT INTO key_lease (singleton, last_contact_at, latest_seen_at)"
                " VALUES (1, ?, ?) ON CONFLICT (singleton) DO UPDATE SET"
                " last_contact_at = excluded.last_contact_at,"
                " latest_seen_at = excluded.latest_seen_at",
                (now, now),
            )
            readmitted = SyncLedger(self._conn).clear_revoked()
        if readmitted:
            log.warning("central readmitted this laptop: it syncs again")

    def check(self, grace: timedelta) -> tuple[LeaseState, Lease] | None:
        """The lease's state now (None: not enrolled), moving the latest time seen forward
        first, so that even a refused try makes setting the clock back later useless."""
        lease = self.current()
        if lease is None:
            return None
        now = self._clock().astimezone(UTC)
        state = lease.state(now, grace)
        if now > lease.latest_seen_at:
            with transaction(self._conn):
                self._conn.execute(
                    "INSERT INTO key_lease (singleton, last_contact_at, latest_seen_at)"
                    " VALUES (1, ?, ?) ON CONFLICT (singleton) DO UPDATE SET"
                    " latest_seen_at = excluded.latest_seen_at",
                    (lease.last_contact_at.isoformat(), now.isoformat()),
                )
        return state, lease

    def renew(self, client: CentralClient, device: DeviceIdentity,
              enrollment: Enrollment) -> None:
        """Ask central now; raises its answer (unreachable, too old, revoked, wipe…) as a
        `sync.errors.SyncProblem`, and renews the lease only when it vouched (signed)."""
        version = require_current_central(client)
        request_token(client, device, enrollment, self._clock(),
                      unsent_count_for(self._conn, version))
        self.note_contact()
