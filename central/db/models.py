"""Central's tables. Records are stored exactly as received: canonical JSON, hash, signature.

Every id a laptop makes (visit, addendum, review, op) is kept as the laptop made it. The
`operations` table holds each op's result under UNIQUE(device_id, op_id); `changes` is the
log that pull cursors walk; `audit_log` says who did what, never what a record says.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    Uuid,
    text,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# SQLite only auto-increments an INTEGER PRIMARY KEY; PostgreSQL gets a BIGINT identity.
Serial = BigInteger().with_variant(Integer(), "sqlite")


class UtcTimestamp(TypeDecorator[datetime]):
    """An aware UTC instant on both databases (SQLite would hand back naive values)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are refused: say which instant you mean")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


def _now() -> datetime:
    return datetime.now(UTC)


class Organisation(Base):
    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(Serial, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)


class Team(Base):
    __tablename__ = "teams"

    id: Mapped[int] = mapped_column(Serial, primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    name: Mapped[str] = mapped_column(String(200), unique=True)


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Serial, primary_key=True)
    username: Mapped[str] = mapped_column(String(100), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id"), index=True)
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UtcTimestamp, default=_now)


class CaseRow(Base):
    __tablename__ = "cases"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    reference: Mapped[str] = mapped_column(String(100), unique=True)
    family_name: Mapped[str] = mapped_column(String(500), default="")
    address: Mapped[str] = mapped_column(String(500), default="")
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id"))
    updated_at: Mapped[datetime] = mapped_column(UtcTimestamp, default=_now)


class ChildRow(Base):
    __tablename__ = "children"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    case_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("cases.id"), index=True)
    council_reference: Mapped[str | None] = mapped_column(String(100), unique=True)
    given_name: Mapped[str] = mapped_column(String(500))
    family_name: Mapped[str] = mapped_column(String(500), default="")
    date_of_birth: Mapped[date | None] = mapped_column(Date)
    plan_type: Mapped[str] = mapped_column(String(40))
    plan_start_date: Mapped[date | None] = mapped_column(Date)
    placement_start_date: Mapped[date | None] = mapped_column(Date)
    long_term_placement: Mapped[bool] = mapped_column(Boolean, default=False)
    first_language: Mapped[str] = mapped_column(String(500), default="")


class Allocation(Base):
    """Which worker a child is allocated to; at most one open allocation a child."""

    __tablename__ = "allocations"
    __table_args__ = (
        Index(
            "uq_allocations_open_child", "child_id", unique=True,
            postgresql_where=text("ended_at IS NULL"), sqlite_where=text("ended_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(Serial, primary_key=True)
    child_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("children.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    allocated_at: Mapped[datetime] = mapped_column(UtcTimestamp, default=_now)
    ended_at: Mapped[datetime | None] = mapped_column(UtcTimestamp)


class Device(Base):
    __tablename__ = "devices"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    public_key: Mapped[bytes] = mapped_column(LargeBinary(32), unique=True)
    label: Mapped[str] = mapped_column(String(200), default="")
    status: Mapped[str] = mapped_column(String(20), default="active")  # active|revoked|wipe
    enrolled_at: Mapped[datetime] = mapped_column(UtcTimestamp, default=_now)
    last_contact_at: Mapped[datetime | None] = mapped_column(UtcTimestamp)
    # Records the laptop said it had not sent when central last refused it (revoked or
    # reported lost); None when it never said, or central has since let it sync.
    unsent_records: Mapped[int | None] = mapped_column(Integer)
    # Reported lost (status `wipe`): records accepted from it since, through its push-only
    # token, before it erased; and, once its signed wipe receipt came, when it says it erased,
    # how many records it says were lost with the vault, and the receipt itself (migration 7).
    wipe_recovered: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    wiped_at: Mapped[datetime | None] = mapped_column(UtcTimestamp)
    wipe_lost: Mapped[int | None] = mapped_column(Integer)
    wipe_receipt: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # Whether its latest pull asked for the notes of protocol 7 (`answered_notes=true`): False
    # for a laptop older than 7, which is not sent them (migration 0012); None: no pull yet.
    reads_answered_notes: Mapped[bool | None] = mapped_column(Boolean)


class EnrollmentCode(Base):
    """A one-time code, stored only as its SHA-256."""

    __tablename__ = "enrollment_codes"

    id: Mapped[int] = mapped_column(Serial, primary_key=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UtcTimestamp, default=_now)
    expires_at: Mapped[datetime] = mapped_column(UtcTimestamp)
    used_at: Mapped[datetime | None] = mapped_column(UtcTimestamp)
    device_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)


class UsedAssertion(Base):
    """Client-assertion ids already spent: a replayed assertion finds its jti here."""

    __tablename__ = "used_assertions"

    device_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    jti: Mapped[str] = mapped_column(String(200), primary_key=True)
    expires_at: Mapped[datetime] = mapped_column(UtcTimestamp, index=True)


class _Received:
    """Columns every signed record from a laptop carries, as received and verified."""

    device_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    user_id: Mapped[int] = mapped_column(Integer)
    team_id: Mapped[int | None] = mapped_column(Integer)
    canonical_json: Mapped[str] = mapped_column(Text)
    record_hash: Mapped[str] = mapped_column(String(64))
    signature: Mapped[bytes] = mapped_column(LargeBinary)
    received_at: Mapped[datetime] = mapped_column(UtcTimestamp)
    flags: Mapped[list[str]] = mapped_column(JSON, default=list)


class VisitRow(_Received, Base):
    __tablename__ = "visits"
    __table_args__ = (Index("ix_visits_team_received", "team_id", "received_at"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    case_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    # When the laptop says the worker submitted it (not signed; see flags.submission_time).
    # NULL: pushed by a laptop that did not say, or before central kept it.
    submitted_at: Mapped[datetime | None] = mapped_column(UtcTimestamp)


class VisitChild(Base):
    """Which children a visit names (its record's `children`): a child's visits are read
    through this table, whichever case the visit was filed under and whichever case the child
    is on now, as the team lead's laptop reads them (`review_visit_children`)."""

    __tablename__ = "visit_children"

    visit_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("visits.id"), primary_key=True)
    child_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, index=True)


class AddendumRow(_Received, Base):
    __tablename__ = "addenda"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    visit_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    previous_hash: Mapped[str] = mapped_column(String(64))
    submitted_at: Mapped[datetime | None] = mapped_column(UtcTimestamp)  # as on VisitRow


class ReviewRow(_Received, Base):
    __tablename__ = "review_decisions"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    visit_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    outcome: Mapped[str] = mapped_column(String(20))


class CaseNoteRow(Base):
    """A note between visits (records.case_notes): pushed by a laptop (`note.add`) and
    signed by its device key, or imported at central (`homevisit-central notification
    import`) and signed by central's receipt key, with no device or user."""

    __tablename__ = "case_notes"
    __table_args__ = (Index("ix_case_notes_team_received", "team_id", "received_at"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    note: Mapped[str] = mapped_column(String(40))  # agency_notification | supervision | ...
    case_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    device_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)  # NULL: entered at central
    user_id: Mapped[int | None] = mapped_column(Integer)
    team_id: Mapped[int | None] = mapped_column(Integer)
    entered_at_central: Mapped[bool] = mapped_column(Boolean, default=False)
    canonical_json: Mapped[str] = mapped_column(Text)
    record_hash: Mapped[str] = mapped_column(String(64))
    signature: Mapped[bytes] = mapped_column(LargeBinary)
    received_at: Mapped[datetime] = mapped_column(UtcTimestamp)
    flags: Mapped[list[str]] = mapped_column(JSON, default=list)
    # The oldest sync protocol whose laptops can read the note (`notes_readable_from`): 3,
    # or 7 for an agency note that answers whether it reports an injury or hunger, or a
    # decision that names the concerns it covered.
    readable_from: Mapped[int] = mapped_column(Integer, server_default=text("3"))


class CaseNoteChild(Base):
    """Which children a note is about: who may pull it is decided through this table."""

    __tablename__ = "case_note_children"

    note_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("case_notes.id"), primary_key=True)
    child_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, index=True)


class Attachment(Base):
    """A photo or file, addressed by the SHA-256 of its bytes."""

    __tablename__ = "attachments"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(BigInteger)
    content: Mapped[bytes] = mapped_column(LargeBinary)
    device_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    user_id: Mapped[int] = mapped_column(Integer)
    team_id: Mapped[int | None] = mapped_column(Integer)
    received_at: Mapped[datetime] = mapped_column(UtcTimestamp, default=_now)


class BlobUploader(Base):
    """One device that sent a file's bytes: it, its user and that user's team lead may read it.

    The same photo sent from two laptops is stored once but has two uploaders; the
    attachment's own user and team are only the first of them.
    """

    __tablename__ = "blob_uploaders"

    sha256: Mapped[str] = mapped_column(ForeignKey("attachments.sha256"), primary_key=True)
    device_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    user_id: Mapped[int] = mapped_column(Integer, index=True)
    team_id: Mapped[int | None] = mapped_column(Integer, index=True)
    received_at: Mapped[datetime] = mapped_column(UtcTimestamp, default=_now)


class OperationRow(Base):
    """Each op's result, once: a duplicate is answered from here."""

    __tablename__ = "operations"
    __table_args__ = (UniqueConstraint("device_id", "op_id", name="uq_operations_device_op"),)

    id: Mapped[int] = mapped_column(Serial, primary_key=True)
    device_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    op_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    sequence: Mapped[int] = mapped_column(BigInteger)
    kind: Mapped[str] = mapped_column(String(64))
    record_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    record_hash: Mapped[str | None] = mapped_column(String(64))
    result: Mapped[str] = mapped_column(String(20))  # accepted | rejected
    code: Mapped[str | None] = mapped_column(String(64))
    message: Mapped[str | None] = mapped_column(Text)
    flags: Mapped[list[str]] = mapped_column(JSON, default=list)
    received_at: Mapped[datetime] = mapped_column(UtcTimestamp)
    receipt_signature: Mapped[bytes | None] = mapped_column(LargeBinary)
    """None for an op answered by a push's one receipt (sync protocol 8)."""


class ChangeRow(Base):
    """The log pull cursors walk. `position` is given in commit order (see services.changes)."""

    __tablename__ = "changes"

    id: Mapped[int] = mapped_column(Serial, primary_key=True)
    position: Mapped[int | None] = mapped_column(BigInteger, unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    entity_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    owner_user_id: Mapped[int | None] = mapped_column(Integer, index=True)
    team_id: Mapped[int | None] = mapped_column(Integer, index=True)
    created_at: Mapped[datetime] = mapped_column(UtcTimestamp, default=_now)


Index("ix_changes_unpositioned", ChangeRow.id, postgresql_where=text("position IS NULL"),
      sqlite_where=text("position IS NULL"))
# The few refused ops, read for `stats`, `device list` and each managers' Service or Team
# page (central.services.refusals), without reading every op ever received.
Index("ix_operations_rejected", OperationRow.device_id,
      postgresql_where=text("result = 'rejected'"), sqlite_where=text("result = 'rejected'"))


class AuditEntry(Base):
    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Serial, primary_key=True)
    at: Mapped[datetime] = mapped_column(UtcTimestamp, default=_now)
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(64))
    subject: Mapped[str] = mapped_column(String(200), default="")
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


# Sends refused whole, tallied by device and code on every managers' Service and Team page
# (central.services.refusals) without reading the whole audit log.
Index("ix_audit_log_refused", AuditEntry.actor, AuditEntry.subject,
      postgresql_where=text("action = 'request.refused'"),
      sqlite_where=text("action = 'request.refused'"))

class ServerKey(Base):
    """Central's own Ed25519 keys (`receipt`, `token`), unless a key file is configured."""

    __tablename__ = "server_keys"

    purpose: Mapped[str] = mapped_column(String(20), primary_key=True)
    private_key: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UtcTimestamp, default=_now)


# The managers' web view keeps its tables in their own module; importing it here puts them in
# `Base.metadata` for Alembic and the tests.
from central.db import figure_models as _figure_models  # noqa: E402, F401
from central.db import manager_models as _manager_models  # noqa: E402, F401
