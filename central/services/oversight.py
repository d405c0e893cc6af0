"""Every allocated child and whether they have been seen, by the same rules as the laptops.

Central holds every visit, addendum, review decision and note; this works out, for each
child with an open allocation (or those of one team), what the team lead's laptop shows:
`records.child_state.flags_and_state` (the laptops' `child_flags` and `child_state`, the
history folded once for both) for the flags and last seen, next due, days overdue, the
headline and recent timeliness. Nothing is stored here:
`central.services.figures_store` keeps what this says of each child for the pages.

Set-based and streamed: one query per table, each ordered by case, read a few hundred rows
at a time and merged case by case, so the statements stay the same in number whatever the
number of children (about eight) and only one case's visits are parsed in memory at a time.
A child's visits are those that name them (`visit_children`), read under the case the child
is on now, whichever case the visit was filed under: as on the team lead's laptop, a child
named on a visit of another case (flagged `child_not_on_case` when it arrived) is counted as
seen there, and a child who moves to another case keeps their visits.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from pydantic import TypeAdapter
from sqlalchemy import Row, Select, and_, func, select
from sqlalchemy.orm import Session

from central.core.config import Settings
from central.db.models import (
    AddendumRow,
    Allocation,
    Base,
    CaseNoteChild,
    CaseNoteRow,
    CaseRow,
    ChildRow,
    Device,
    ReviewRow,
    Team,
    User,
    VisitChild,
    VisitRow,
)
from central.errors import CentralError
from central.services.holdings import child_record
from records.case import Child, PlanType
from records.case_notes import CaseNote
from records.child_state import flags_and_state, without_start
from records.corrections import Addendum, ReviewDecision
from records.flag_types import Flag, FlagCode, FlagRules, Severity, VisitOnRecord
from records.schedule import WorkingCalendar
from records.visit import Visit

_Row = Row[tuple[Any, ...]]

STREAM_ROWS = 500
"""Rows fetched at a time from each query (a server-side cursor on PostgreSQL)."""

_NOTE = TypeAdapter[CaseNote](CaseNote)

(_VISITS, _VISIT_CHILDREN, _ADDENDA, _REVIEWS, _CASES, _CHILDREN, _ALLOCATIONS, _USERS,
 _TEAMS, _NOTES, _NOTE_CHILDREN, _DEVICES) = (
    Base.metadata.tables[model.__tablename__]
    for model in (VisitRow, VisitChild, AddendumRow, ReviewRow, CaseRow, ChildRow, Allocation,
                  User, Team, CaseNoteRow, CaseNoteChild, Device))


def rules_from(settings: Settings) -> FlagRules:
    """The visiting standards and thresholds central is configured with."""
    return FlagRules(settings.visit_standards, settings.flag_thresholds, WorkingCalendar())


@dataclass(frozen=True)
class ChildSeen:
    """One allocated child as a manager needs to see them."""

    child_id: uuid.UUID
    name: str
    child_reference: str | None
    case_reference: str
    plan_type: PlanType
    team: str
    worker: str
    """The allocated worker's username."""
    worker_name: str
    last_seen: date | None
    """The day of the last visit where the child was actually seen."""
    seen_alone_then: bool | None
    next_due: date | None
    days_overdue: int
    never_visited: bool
    headline: Flag | None
    red: int
    amber: int
    seen_recently: int
    """Visits in the last three months where the child was seen."""
    seen_on_time_recently: int
    """Of those, the visits within the visiting standard."""
    device_last_contact: datetime | None
    """The latest contact with central of any of the worker's active laptops."""
    flags: tuple[Flag, ...]
    """Every flag, most serious first."""
    recent_timeliness: tuple[tuple[date, bool], ...] = ()
    """`records.child_state.ChildState.recent_timeliness`: each recent visit where seen."""
    injury_days: tuple[date, ...] = ()
    awaiting_sign_off: tuple[tuple[uuid.UUID, datetime], ...] = ()
    child_record: Child | None = None
    """The child as the rules take them (plan, dates), for rules asked later about them."""
    flags_for: date | None = field(default=None, compare=False)
    """Kept figures only: the day the flags (and headline, red, amber) were worked out for,
    when a page showed them before the nightly refresh reached this child (everything else
    is worked out for the day read)."""

    @property
    def no_start_date(self) -> bool:
        """Overdue with no due date to count from (`records.child_state.without_start`)."""
        return without_start(self.last_seen, self.next_due)

    @property
    def overdue(self) -> bool:
        """Counted in "overdue now": past the due date, or no date to count from."""
        return self.days_overdue > 0 or self.no_start_date

    @property
    def not_seen_alone_streak(self) -> int:
        """Visits in a row, up to the last, where the child was seen but not alone (the
        `not_seen_alone` flag's visits; 0 without the flag)."""
        return max((len(f.visit_ids) for f in self.flags
                    if f.code is FlagCode.NOT_SEEN_ALONE), default=0)

    @property
    def severity(self) -> Severity | None:
        return self.headline.severity if self.headline else None


def every_child(session: Session, *, now: datetime, rules: FlagRules,
                team: str | None = None, child_id: uuid.UUID | None = None,
                child_ids: Sequence[uuid.UUID] | None = None, with_device: bool = True,
                histories: dict[uuid.UUID, list[VisitOnRecord]] | None = None,
                notes_of: dict[uuid.UUID, list[CaseNote]] | None = None) -> list[ChildSeen]:
    """Each child with an open allocation (to a worker of `team`, if given), the most
    serious first: red before amber before none, then by `HEADLINE_ORDER`, then by name.

    Run it in one snapshot (`central.db.engine.snapshot_sessionmaker`): its queries must
    agree with each other. An unknown team is a `CentralError` that lists the known ones.
    With `child_id` (or `child_ids`), only that child (those children) if allocated;
    `histories` and `notes_of`, when given, receive each listed child's visits on record and
    notes (a child's own page shows them). Without `with_device`, "device not synced" is
    left out (`figures_store` keeps the rest and adds it when read).
    """
    allocated = _allocated(session, team)
    if child_id is not None:
        allocated = allocated.where(_ALLOCATIONS.c.child_id == child_id)
    if child_ids is not None:
        allocated = allocated.where(_ALLOCATIONS.c.child_id.in_(child_ids))
    contacts = _contacts(session, allocated) if with_device else {}
    children = _stream(session, _children_query(allocated))
    named = _visits_naming(allocated)
    visits = _Merge(_stream(session, select(
        named.c.case_id, _VISITS.c.id, _VISITS.c.canonical_json, _VISITS.c.received_at,
        _VISITS.c.submitted_at).join(_VISITS, _VISITS.c.id == named.c.visit_id)
        .order_by(named.c.case_id)))
    addenda = _Merge(_stream(session, _on_visits(_ADDENDA, named)))
    reviews = _Merge(_stream(session, _on_visits(_REVIEWS, named)))
    notes = _Merge(_stream(session, select(
        _CHILDREN.c.case_id, _NOTE_CHILDREN.c.child_id, _NOTES.c.id, _NOTES.c.canonical_json)
        .join(_NOTES, _NOTES.c.id == _NOTE_CHILDREN.c.note_id)
        .join(_CHILDREN, _CHILDREN.c.id == _NOTE_CHILDREN.c.child_id)
        .where(_NOTE_CHILDREN.c.child_id.in_(allocated))
        .order_by(_CHILDREN.c.case_id)))
    found: list[ChildSeen] = []
    for case_id, people in _by_case(children):
        history = _histories(visits.take(case_id), addenda.take(case_id),
                             reviews.take(case_id))
        noted = _notes(notes.take(case_id))
        for row in people:
            child = child_record(row)
            contact = contacts.get(row.worker_id)
            # The history folded once for both (records.flag_fold).
            flags, state = flags_and_state(child, history, now=now, rules=rules,
                                           device_last_contact=contact,
                                           notes=noted.get(child.id, ()))
            if histories is not None:
                histories[child.id] = history
            if notes_of is not None:
                notes_of[child.id] = noted.get(child.id, [])
            found.append(ChildSeen(
                child_id=child.id, name=child.display_name,
                child_reference=row.council_reference, case_reference=row.case_reference,
                plan_type=child.plan_type, team=row.team_name or row.case_team_name or "",
                worker=row.worker, worker_name=row.worker_name or row.worker,
                last_seen=state.seen.day, seen_alone_then=state.seen.seen_alone,
                next_due=state.next_due, days_overdue=state.days_overdue,
                never_visited=state.never_visited, headline=state.headline, red=state.red,
                amber=state.amber, seen_recently=state.seen_recently,
                seen_on_time_recently=state.seen_on_time_recently,
                device_last_contact=contact, flags=tuple(flags),
                recent_timeliness=state.recent_timeliness, injury_days=state.injury_days,
                awaiting_sign_off=state.awaiting_sign_off, child_record=child))
    for stream in (visits, addenda, reviews, notes):
        stream.finish()
    return sorted(found, key=most_serious_first)


def most_serious_first(child: ChildSeen) -> tuple[tuple[int, int, int], str, str]:
    """The order of every list of children: the headline's severity (red before amber, then
    the domain's order of flags), then the name; children with no flag last."""
    key = child.headline.sort_key if child.headline else (2, 0, 0)
    return key, child.name.casefold(), str(child.child_id)


# --- the queries -----------------------------------------------------------------------


def _allocated(session: Session, team: str | None) -> Select[tuple[uuid.UUID]]:
    """The children to list, as a subquery: open allocations, to a worker of the team."""
    query = select(_ALLOCATIONS.c.child_id).where(_ALLOCATIONS.c.ended_at.is_(None))
    if team is None:
        return query
    team_id = session.scalar(select(_TEAMS.c.id).where(_TEAMS.c.name == team))
    if team_id is None:
        known = list(session.scalars(select(_TEAMS.c.name).order_by(_TEAMS.c.name)))
        listed = ", ".join(known) if known else "none yet (homevisit-central team add NAME)"
        raise CentralError(404, "team_not_found",
                           f"There is no team called {team!r}. Known teams: {listed}.")
    return query.join(_USERS, _USERS.c.id == _ALLOCATIONS.c.user_id).where(
        _USERS.c.team_id == team_id)


def _contacts(session: Session, allocated: Select[tuple[uuid.UUID]]) -> dict[int, datetime]:
    """Each allocated worker's latest contact with central from an active laptop."""
    workers = (select(_ALLOCATIONS.c.user_id)
               .where(_ALLOCATIONS.c.ended_at.is_(None),
                      _ALLOCATIONS.c.child_id.in_(allocated)))
    found = session.execute(
        select(_DEVICES.c.user_id, func.max(_DEVICES.c.last_contact_at))
        .where(_DEVICES.c.status == "active", _DEVICES.c.user_id.in_(workers))
        .group_by(_DEVICES.c.user_id))
    return {user_id: contact for user_id, contact in found if contact is not None}


def _children_query(allocated: Select[tuple[uuid.UUID]]) -> Select[Any]:
    case_team = _TEAMS.alias("case_team")
    return (
        select(*_CHILDREN.c, _CASES.c.reference.label("case_reference"),
               _USERS.c.id.label("worker_id"), _USERS.c.username.label("worker"),
               _USERS.c.display_name.label("worker_name"), _TEAMS.c.name.label("team_name"),
               case_team.c.name.label("case_team_name"))
        .join(_CASES, _CASES.c.id == _CHILDREN.c.case_id)
        .join(_ALLOCATIONS, and_(_ALLOCATIONS.c.child_id == _CHILDREN.c.id,
                                 _ALLOCATIONS.c.ended_at.is_(None)))
        .join(_USERS, _USERS.c.id == _ALLOCATIONS.c.user_id)
        .outerjoin(_TEAMS, _TEAMS.c.id == _USERS.c.team_id)
        .outerjoin(case_team, case_team.c.id == _CASES.c.team_id)
        .where(_CHILDREN.c.id.in_(allocated))
        .order_by(_CHILDREN.c.case_id)
    )


def _visits_naming(allocated: Select[tuple[uuid.UUID]]) -> Any:
    """Each visit that names one of these children, once for each case those it names are on
    now (`visit_children`): a child's visits are those that name them, whichever case the
    visit was filed under, as on the team lead's laptop (`review_visit_children`)."""
    return (select(_CHILDREN.c.case_id, _VISIT_CHILDREN.c.visit_id)
            .join(_CHILDREN, _CHILDREN.c.id == _VISIT_CHILDREN.c.child_id)
            .where(_VISIT_CHILDREN.c.child_id.in_(allocated))
            .distinct().subquery("named"))


def _on_visits(table: Any, named: Any) -> Select[Any]:
    """Addenda or review decisions on those visits, by the case they are read under."""
    return (select(named.c.case_id, table.c.visit_id, table.c.canonical_json)
            .join(named, named.c.visit_id == table.c.visit_id)
            .order_by(named.c.case_id))


def _stream(session: Session, query: Select[Any]) -> Iterator[_Row]:
    return iter(session.execute(query, execution_options={"yield_per": STREAM_ROWS}))


# --- merging the streams case by case ----------------------------------------------------


def _by_case(rows: Iterator[_Row]) -> Iterator[tuple[uuid.UUID, list[_Row]]]:
    """The children stream, one case at a time (it is ordered by case)."""
    group: list[_Row] = []
    for row in rows:
        if group and row.case_id != group[0].case_id:
            yield group[0].case_id, group
            group = []
        group.append(row)
    if group:
        yield group[0].case_id, group


class _Merge:
    """Another stream ordered by case in the same order as the children's.

    Every case it names is a case of a listed child, and the database orders them alike,
    so `take` only ever compares for equality: rows for the case asked for are at its head,
    or the head is a later case. `finish` checks that nothing was left behind.
    """

    def __init__(self, rows: Iterator[_Row]) -> None:
        self._rows = rows
        self._head: _Row | None = next(rows, None)

    def take(self, case_id: uuid.UUID) -> list[_Row]:
        taken: list[_Row] = []
        while self._head is not None and self._head[0] == case_id:
            taken.append(self._head)
            self._head = next(self._rows, None)
        return taken

    def finish(self) -> None:
        if self._head is not None:
            # Would mean the database ordered two streams differently: never silently drop.
            raise RuntimeError("central's records of a case were read out of order")


def _histories(visits: list[_Row], addenda: list[_Row],
               reviews: list[_Row]) -> list[VisitOnRecord]:
    """One case's visits with their addenda and decisions; each visit parsed once."""
    added: dict[uuid.UUID, list[Addendum]] = {}
    for row in addenda:
        added.setdefault(row.visit_id, []).append(
            Addendum.model_validate_json(row.canonical_json))
    decided: dict[uuid.UUID, list[ReviewDecision]] = {}
    for row in reviews:
        decided.setdefault(row.visit_id, []).append(
            ReviewDecision.model_validate_json(row.canonical_json))
    return [VisitOnRecord(
        visit=Visit.model_validate_json(row.canonical_json),
        # Sign-off waits from central's receipt; late recording counts to the laptop's claim.
        submitted_at=row.received_at, device_submitted_at=row.submitted_at,
        addenda=tuple(sorted(added.get(row.id, ()), key=lambda a: a.written_at)),
        reviews=tuple(sorted(decided.get(row.id, ()), key=lambda r: r.decided_at)))
        for row in visits]


def _notes(rows: Sequence[_Row]) -> dict[uuid.UUID, list[CaseNote]]:
    parsed: dict[uuid.UUID, CaseNote] = {}
    by_child: dict[uuid.UUID, list[CaseNote]] = {}
    for row in rows:
        note = parsed.get(row.id)
        if note is None:
            note = parsed[row.id] = _NOTE.validate_json(row.canonical_json)
        by_child.setdefault(row.child_id, []).append(note)
    return by_child
