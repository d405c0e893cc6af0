"""What a device may pull. Authorization lives in the query, not in a filter afterwards.

A worker sees the children allocated to them (with their cases) and review decisions on
their own visits; a pull that asks `history=true` also the visits and addenda about a child
allocated to them now, logged for them alone (`admin._history_to`, `ingest._route`). A team
lead also sees the children allocated to their team and their team's visits, addenda and
review decisions. Nobody sees another team's anything.

A note between visits goes to whoever is allocated one of the children it is about, and to
the team lead of that worker's team or of the team whose laptop or case it came from (only to
pulls that ask, `notes=true`: older clients cannot parse the kind; and an agency note that
answers whether it reports an injury or hunger only to pulls that also ask
`answered_notes=true`: older clients refuse those fields).

When a child is reallocated away from someone, a `child_removed` change tells their laptop to
drop it (only to pulls that ask, `removals=true`: older clients cannot parse the kind).

A pull that asks for `times=true` also gets when central received each record, when the
worker's laptop says it submitted each visit and addendum (as central kept it), and, for a
team lead, when each active laptop of the team last made contact: the team lead's laptop
flags late recording and unsynced devices from them.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import NamedTuple

from sqlalchemy import (
    ColumnElement,
    Select,
    Text,
    Uuid,
    and_,
    any_,
    bindparam,
    cast,
    exists,
    not_,
    null,
    or_,
    select,
    update,
)
from sqlalchemy.dialects import postgresql
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import InstrumentedAttribute, Session, sessionmaker

from central.core.tokens import AccessClaims
from central.db.models import (
    AddendumRow,
    Allocation,
    CaseNoteChild,
    CaseNoteRow,
    CaseRow,
    ChangeRow,
    ChildRow,
    Device,
    ReviewRow,
    Team,
    User,
    VisitChild,
    VisitRow,
)
from central.services.changes import highest_position, number_new_changes
from central.services.context import DeviceContext
from central.services.devices import device_in_contact
from central.services.holdings import child_record
from records.canonical import canonical_json
from records.case import Case
from records.case_notes import AgencyNotification, ConcernConsidered, Note
from sync.protocol import (
    ANSWERED_NOTES_PROTOCOL,
    NOTES_PROTOCOL,
    Change,
    ChangeKind,
    ChildRemoved,
    DeviceContact,
    PullResponse,
    RefusedLaptop,
    Role,
    b64encode,
)


def _notes_about(children: Select[uuid.UUID]) -> Select[uuid.UUID]:
    return select(CaseNoteChild.note_id).where(CaseNoteChild.child_id.in_(children))


def notes_readable_from(note: Note) -> int:
    """The oldest sync protocol whose laptops can read this note (`CaseNoteRow.readable_from`)."""
    if isinstance(note, AgencyNotification) and (
            note.reports_injury is not None or note.reports_food_or_weight is not None):
        return ANSWERED_NOTES_PROTOCOL
    if isinstance(note, ConcernConsidered) and note.covered:
        return ANSWERED_NOTES_PROTOCOL
    return NOTES_PROTOCOL


def visible_to(ctx: DeviceContext, *, removals: bool = False, notes: bool = False,
               answered_notes: bool = False, history: bool = False) -> ColumnElement[bool]:
    """The changes this device's user may receive, as one SQL condition.

    With `history`, also the visits and addenda made by others about the children allocated
    to this user (logged for them alone, with no team: `admin._history_to` when a child is
    allocated to them, `ingest._route` as each arrives)."""
    own_children = select(Allocation.child_id).where(
        Allocation.ended_at.is_(None), Allocation.user_id == ctx.user_id
    )
    allowed = [
        and_(ChangeRow.kind == ChangeKind.CHILD.value, ChangeRow.entity_id.in_(own_children)),
        and_(ChangeRow.kind == ChangeKind.REVIEW.value, ChangeRow.owner_user_id == ctx.user_id),
    ]
    notes_seen: list[ColumnElement[bool]] = [
        ChangeRow.entity_id.in_(_notes_about(own_children))]
    # A removal goes to whoever lost the child (and their team lead), unless they see it still.
    lost_by = [ChangeRow.owner_user_id == ctx.user_id]
    still_seen = [ChangeRow.entity_id.in_(own_children)]
    if ctx.role is Role.TEAM_LEAD and ctx.team_id is not None:
        team_members = select(User.id).where(User.team_id == ctx.team_id)
        team_children = select(Allocation.child_id).where(
            Allocation.ended_at.is_(None), Allocation.user_id.in_(team_members)
        )
        allowed += [
            and_(ChangeRow.kind == ChangeKind.CHILD.value, ChangeRow.entity_id.in_(team_children)),
            and_(
                ChangeRow.kind.in_([ChangeKind.VISIT.value, ChangeKind.ADDENDUM.value,
                                    ChangeKind.REVIEW.value]),
                ChangeRow.team_id == ctx.team_id,
            ),
        ]
        lost_by.append(ChangeRow.team_id == ctx.team_id)
        still_seen.append(ChangeRow.entity_id.in_(team_children))
        notes_seen += [ChangeRow.team_id == ctx.team_id,
                       ChangeRow.entity_id.in_(_notes_about(team_children))]
    if notes:
        note_allowed = [ChangeRow.kind == ChangeKind.NOTE.value, or_(*notes_seen)]
        if not answered_notes:
            # NOT EXISTS, by the note's key: a NOT IN over every answered note re-reads them
            # all per row once there are more than fit in PostgreSQL's work_mem.
            note_allowed.append(~exists().where(CaseNoteRow.id == ChangeRow.entity_id,
                                                CaseNoteRow.readable_from > NOTES_PROTOCOL))
        allowed.append(and_(*note_allowed))
    if history:
        # Only while a child the visit names is still theirs: a laptop pulling from an
        # older cursor (new, or offline across a move) is not sent a moved child's history.
        about_own = select(VisitChild.visit_id).where(VisitChild.child_id.in_(own_children))
        allowed.append(and_(
            ChangeRow.owner_user_id == ctx.user_id, ChangeRow.team_id.is_(None),
            or_(and_(ChangeRow.kind == ChangeKind.VISIT.value,
                     ChangeRow.entity_id.in_(about_own)),
                and_(ChangeRow.kind == ChangeKind.ADDENDUM.value,
                     ChangeRow.entity_id.in_(select(AddendumRow.id).where(
                         AddendumRow.visit_id.in_(about_own)))))))
    if removals:
        allowed.append(and_(ChangeRow.kind == ChangeKind.CHILD_REMOVED.value, or_(*lost_by),
                            not_(or_(*still_seen))))
    return or_(*allowed)


def pull(sessions: sessionmaker[Session], token: AccessClaims, cursor: int, limit: int,
         now: datetime, *, removals: bool = False, times: bool = False,
         notes: bool = False, answered_notes: bool = False,
         laptops: bool = False, history: bool = False) -> PullResponse:
    try:
        return _pull(sessions, token, cursor, limit, now, removals=removals, times=times,
                     notes=notes, answered_notes=answered_notes, laptops=laptops,
                     history=history)
    except DBAPIError as error:
        if not error.connection_invalidated:
            raise
        # A pooled connection the database dropped (restart): the pool is fresh now.
        return _pull(sessions, token, cursor, limit, now, removals=removals, times=times,
                     notes=notes, answered_notes=answered_notes, laptops=laptops,
                     history=history)


def _pull(sessions: sessionmaker[Session], token: AccessClaims, cursor: int, limit: int,
          now: datetime, *, removals: bool, times: bool, notes: bool, answered_notes: bool,
          laptops: bool, history: bool) -> PullResponse:
    with sessions.begin() as session:
        ctx = device_in_contact(session, token, now=now)
        if notes:  # a laptop that takes notes: whether it is sent those of protocol 7
            session.execute(update(Device).where(
                Device.id == ctx.device_id,
                Device.reads_answered_notes.is_distinct_from(answered_notes))
                .values(reads_answered_notes=answered_notes))
        number_new_changes(session)
    with sessions.begin() as session:
        # Read the top first: every position up to it is already committed and visible.
        top = highest_position(session)
        # Plain rows, not ORM objects: a page is read once and thrown away.
        rows = [_Listed(*row) for row in session.execute(
            select(ChangeRow.position, ChangeRow.kind, ChangeRow.entity_id)
            .where(ChangeRow.position > cursor, ChangeRow.position <= top,
                   visible_to(ctx, removals=removals, notes=notes,
                              answered_notes=answered_notes, history=history))
            .order_by(ChangeRow.position).limit(limit + 1)
        )]
        has_more = len(rows) > limit
        rows = rows[:limit]
        changes = _render(session, rows, times=times)
        next_cursor = (rows[-1].position or cursor) if has_more else max(cursor, top)
        contacts = _team_contacts(session, ctx) if times else None
        refused = _team_refused_laptops(session, ctx) if laptops else None
    return PullResponse(changes=changes, next_cursor=next_cursor, has_more=has_more,
                        device_contacts=contacts, refused_laptops=refused)


def _team_contacts(session: Session, ctx: DeviceContext) -> list[DeviceContact]:
    """Each active laptop of a team lead's team and when it last reached central."""
    if ctx.role is not Role.TEAM_LEAD or ctx.team_id is None:
        return []
    found = session.execute(
        select(Device.id, User.username, Device.last_contact_at)
        .join(User, User.id == Device.user_id)
        .where(User.team_id == ctx.team_id, Device.status == "active")
        .order_by(User.username, Device.id))
    return [DeviceContact(device_id=device_id, username=username, last_contact_at=contact)
            for device_id, username, contact in found]


def _team_refused_laptops(session: Session, ctx: DeviceContext) -> list[RefusedLaptop]:
    """Each laptop of a team lead's team that central refuses, and what waits on it."""
    if ctx.role is not Role.TEAM_LEAD or ctx.team_id is None:
        return []
    found = session.execute(
        select(Device.id, User.username, Device.status, Device.last_contact_at,
               Device.unsent_records, Device.wiped_at, Device.wipe_recovered,
               Device.wipe_lost)
        .join(User, User.id == Device.user_id)
        .where(User.team_id == ctx.team_id, Device.status != "active")
        .order_by(User.username, Device.id))
    laptops = []
    for device_id, username, status, contact, unsent, wiped_at, recovered, lost in found:
        is_lost = status != "revoked" or wiped_at is not None
        laptops.append(RefusedLaptop(
            device_id=device_id, username=username, status="lost" if is_lost else "revoked",
            last_contact_at=contact, unsent_records=unsent, wiped_at=wiped_at,
            recovered_records=recovered if is_lost else None,
            lost_records=lost if wiped_at is not None else None))
    return laptops


class _Listed(NamedTuple):
    """One row of central's change log, as a page lists it."""

    position: int | None
    kind: str
    entity_id: uuid.UUID


class _Received(NamedTuple):
    """A signed record as a pull sends it: the columns the wire needs, nothing more."""

    record: str
    record_hash: str
    signature: bytes
    device_id: uuid.UUID
    flags: list[str]
    received_at: datetime
    submitted_at: datetime | None
    username: str


# complexity: one branch per change kind on the wire; a table of handlers would hide the order
def _render(session: Session, rows: Sequence[_Listed], *, times: bool) -> list[Change]:
    ids: dict[str, list[uuid.UUID]] = {kind.value: [] for kind in ChangeKind}
    for row in rows:
        ids[row.kind].append(row.entity_id)
    children = _children(session, ids[ChangeKind.CHILD.value])
    removed = _cases_of(session, ids[ChangeKind.CHILD_REMOVED.value])
    records: dict[uuid.UUID, _Received] = {}
    records.update(_received(session, VisitRow, ids[ChangeKind.VISIT.value]))
    records.update(_received(session, AddendumRow, ids[ChangeKind.ADDENDUM.value]))
    records.update(_received(session, ReviewRow, ids[ChangeKind.REVIEW.value]))
    notes = _notes(session, ids[ChangeKind.NOTE.value])
    changes: list[Change] = []
    for row in rows:
        position = row.position or 0
        if row.kind == ChangeKind.CHILD.value:
            child = children.get(row.entity_id)
            if child is not None:
                changes.append(Change(position=position, kind=ChangeKind.CHILD,
                                      record=child[0], case=child[1]))
            continue
        if row.kind == ChangeKind.CHILD_REMOVED.value:
            case_id = removed.get(row.entity_id)
            if case_id is not None:
                gone = ChildRemoved(id=row.entity_id, case_id=case_id)
                changes.append(Change(position=position, kind=ChangeKind.CHILD_REMOVED,
                                      record=canonical_json(gone).decode()))
            continue
        if row.kind == ChangeKind.NOTE.value:
            found_note = notes.get(row.entity_id)
            if found_note is not None:
                note, author = found_note
                changes.append(Change(
                    position=position, kind=ChangeKind.NOTE, record=note.canonical_json,
                    record_hash=note.record_hash, signature=b64encode(note.signature),
                    device_id=note.device_id, submitted_by=author, flags=list(note.flags),
                    received_at=note.received_at if times else None))
            continue
        received = records.get(row.entity_id)
        if received is None:
            continue
        # Built without validation: every field was validated when central received it, and
        # a page of 1,000 validated again cost more than reading it from the database.
        changes.append(Change.model_construct(
            position=position, kind=ChangeKind(row.kind), record=received.record,
            record_hash=received.record_hash, case=None,
            signature=b64encode(received.signature), device_id=received.device_id,
            submitted_by=received.username, flags=received.flags,
            received_at=received.received_at if times else None,
            submitted_at=received.submitted_at if times else None,
        ))
    return changes


def _among(session: Session, column: InstrumentedAttribute[uuid.UUID],
           ids: Sequence[uuid.UUID]) -> ColumnElement[bool]:
    """`column IN ids`; on PostgreSQL as one array parameter (`= ANY`), since a page's
    1,000 ids as 1,000 placeholders cost the driver ~50 ms a query to parse."""
    if session.get_bind().dialect.name == "postgresql":
        return column == any_(bindparam("ids", list(ids), type_=postgresql.ARRAY(Uuid),
                                         unique=True))
    return column.in_(ids)


def _received(session: Session, model: type[VisitRow | AddendumRow | ReviewRow],
              wanted: list[uuid.UUID]) -> dict[uuid.UUID, _Received]:
    """Signed records by id, with the username of whoever sent them; the flags read as
    text and parsed here (the driver's JSON loader cost ~50 µs a row)."""
    if not wanted:
        return {}
    submitted = getattr(model, "submitted_at", None)  # a review has no laptop time
    found = session.execute(
        select(model.id, model.canonical_json, model.record_hash, model.signature,
               model.device_id, cast(model.flags, Text), model.received_at,
               submitted if submitted is not None else null(), User.username)
        .join(User, User.id == model.user_id)
        .where(_among(session, model.id, wanted))
    )
    return {record_id: _Received(record, record_hash, signature, device_id,
                                 json.loads(flags) if flags else [], received_at,
                                 submitted_at, username)
            for (record_id, record, record_hash, signature, device_id, flags, received_at,
                 submitted_at, username) in found}


ENTERED_AT_CENTRAL = "central"
"""`submitted_by` of a note entered at central (imported), which no user's laptop sent."""


def _notes(session: Session,
           wanted: list[uuid.UUID]) -> dict[uuid.UUID, tuple[CaseNoteRow, str]]:
    """Notes by id, with the username of whoever sent them (`central` for an import)."""
    if not wanted:
        return {}
    found = session.execute(
        select(CaseNoteRow, User.username).outerjoin(User, User.id == CaseNoteRow.user_id)
        .where(CaseNoteRow.id.in_(set(wanted))))
    return {note.id: (note, username or ENTERED_AT_CENTRAL) for note, username in found}


def _cases_of(session: Session, child_ids: list[uuid.UUID]) -> dict[uuid.UUID, uuid.UUID]:
    if not child_ids:
        return {}
    return {child_id: case_id for child_id, case_id in session.execute(
        select(ChildRow.id, ChildRow.case_id).where(ChildRow.id.in_(set(child_ids))))}


def _children(session: Session, child_ids: list[uuid.UUID]) -> dict[uuid.UUID, tuple[str, str]]:
    """Canonical JSON of each child and of its case, with who the case is allocated to."""
    if not child_ids:
        return {}
    found = session.execute(
        select(ChildRow, CaseRow, User.username, Team.name)
        .join(CaseRow, CaseRow.id == ChildRow.case_id)
        .outerjoin(Allocation, and_(Allocation.child_id == ChildRow.id,
                                    Allocation.ended_at.is_(None)))
        .outerjoin(User, User.id == Allocation.user_id)
        .outerjoin(Team, Team.id == CaseRow.team_id)
        .where(ChildRow.id.in_(set(child_ids)))
    ).all()
    rendered: dict[uuid.UUID, tuple[str, str]] = {}
    for child, case, username, team_name in found:
        case_record = Case(id=case.id, reference=case.reference, family_name=case.family_name,
                           address=case.address, allocated_worker=username or "",
                           team=team_name or "")
        rendered[child.id] = (canonical_json(child_record(child)).decode(),
                              canonical_json(case_record).decode())
    return rendered
