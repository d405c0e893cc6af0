"""What central already holds that a pushed batch's checks and flags depend on.

Read in a handful of queries for the whole batch (instead of several round trips per op),
then kept up to date in memory as the batch's own records are accepted, so a visit and its
addendum pushed in the same batch see each other exactly as they would one op at a time.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Protocol

from sqlalchemy import ColumnElement, Select, and_, or_, select
from sqlalchemy.orm import Session

from central.db import driver
from central.db.models import (
    AddendumRow,
    Allocation,
    Base,
    CaseNoteRow,
    CaseRow,
    ChildRow,
    ReviewRow,
    User,
    VisitChild,
    VisitRow,
)
from records.case import Child, PlanType
from records.case_notes import Note
from records.corrections import Addendum, ReviewDecision
from records.visit import Visit


class ChildColumns(Protocol):
    """A `children` row: the ORM object, or a Core row of the table's columns."""

    id: uuid.UUID
    case_id: uuid.UUID
    given_name: str
    family_name: str
    date_of_birth: date | None
    plan_type: str
    plan_start_date: date | None
    placement_start_date: date | None
    long_term_placement: bool
    first_language: str


def child_record(row: ChildColumns) -> Child:
    return Child(
        id=row.id, case_id=row.case_id, given_name=row.given_name, family_name=row.family_name,
        date_of_birth=row.date_of_birth, plan_type=PlanType(row.plan_type),
        plan_start_date=row.plan_start_date, placement_start_date=row.placement_start_date,
        long_term_placement=row.long_term_placement, first_language=row.first_language,
    )


@dataclass(frozen=True)
class HeldVisit:
    record_hash: str
    team_id: int | None
    user_id: int


@dataclass(frozen=True)
class HeldChild:
    child: Child
    allocated_to: int | None
    team_id: int | None = None
    """The team of the worker the child is allocated to now."""


@dataclass
class Holdings:
    visits: dict[uuid.UUID, HeldVisit] = field(default_factory=dict)
    addenda: dict[uuid.UUID, str] = field(default_factory=dict)
    reviews: dict[uuid.UUID, str] = field(default_factory=dict)
    notes: dict[uuid.UUID, str] = field(default_factory=dict)
    # Per visit: the hashes of its addenda, and the hashes some addendum already chains from.
    addendum_hashes: dict[uuid.UUID, set[str]] = field(default_factory=dict)
    chained_from: dict[uuid.UUID, set[str]] = field(default_factory=dict)
    cases: set[uuid.UUID] = field(default_factory=set)
    children: dict[uuid.UUID, HeldChild] = field(default_factory=dict)
    teams_of_visits: dict[uuid.UUID, set[int]] = field(default_factory=dict)
    """For visits an addendum or decision of the batch is about (and the batch's own
    visits): the teams a child they name is allocated to now (`read_allocations_of_visits`).
    Each is sent what is recorded about the visit, and a team lead of one may decide on it."""
    workers_of_visits: dict[uuid.UUID, set[int]] = field(default_factory=dict)
    """For the same visits: the workers a child they name is allocated to now. Each is sent
    the visit and its addenda (`pull.visible_to`'s history), so their laptop counts when the
    child was last seen and joins up their injuries and patterns."""

    def hold_visit(self, visit_id: uuid.UUID, held: HeldVisit) -> None:
        self.visits[visit_id] = held

    def hold_addendum(self, addendum_id: uuid.UUID, visit_id: uuid.UUID, previous_hash: str,
                      record_hash: str) -> None:
        self.addenda[addendum_id] = record_hash
        self.addendum_hashes.setdefault(visit_id, set()).add(record_hash)
        self.chained_from.setdefault(visit_id, set()).add(previous_hash)

    def hold_review(self, review_id: uuid.UUID, record_hash: str) -> None:
        self.reviews[review_id] = record_hash


_VISITS, _ADDENDA, _REVIEWS, _CASES, _CHILDREN, _ALLOCATIONS, _NOTES, _USERS = (
    Base.metadata.tables[model.__tablename__]
    for model in (VisitRow, AddendumRow, ReviewRow, CaseRow, ChildRow, Allocation, CaseNoteRow,
                  User))


def _reads(ids_in: Callable[[ColumnElement[Any], str], ColumnElement[bool]],
           ) -> dict[str, Select[Any]]:
    """The batch's reads, each with its lists of ids as one parameter: an expanding IN for
    SQLAlchemy, `= ANY(uuid[])` for psycopg."""
    return {
        "visits": select(_VISITS.c.id, _VISITS.c.record_hash, _VISITS.c.team_id,
                         _VISITS.c.user_id).where(ids_in(_VISITS.c.id, "ids")),
        "addenda": select(_ADDENDA.c.id, _ADDENDA.c.visit_id, _ADDENDA.c.previous_hash,
                          _ADDENDA.c.record_hash).where(or_(ids_in(_ADDENDA.c.id, "ids"),
                                                            ids_in(_ADDENDA.c.visit_id,
                                                                   "visit_ids"))),
        "reviews": select(_REVIEWS.c.id, _REVIEWS.c.record_hash).where(
            ids_in(_REVIEWS.c.id, "ids")),
        "notes": select(_NOTES.c.id, _NOTES.c.record_hash).where(ids_in(_NOTES.c.id, "ids")),
        "cases": select(_CASES.c.id).where(ids_in(_CASES.c.id, "ids")),
        "children": select(*_CHILDREN.c, _ALLOCATIONS.c.user_id.label("allocated_to"),
                           _USERS.c.team_id.label("allocated_team"))
        .outerjoin(_ALLOCATIONS, and_(_ALLOCATIONS.c.child_id == _CHILDREN.c.id,
                                      _ALLOCATIONS.c.ended_at.is_(None)))
        .outerjoin(_USERS, _USERS.c.id == _ALLOCATIONS.c.user_id)
        .where(ids_in(_CHILDREN.c.id, "ids")),
    }


# Built once, on the tables (not the ORM classes): a push pays neither the ORM's statement
# handling nor building and hashing new statements; on PostgreSQL not even SQLAlchemy's
# execution (central.db.driver).
_READS = _reads(driver.expanding_in)
_DRIVER_READS = {name: driver.compiled(statement)
                 for name, statement in _reads(driver.ids_in).items()}


@dataclass(frozen=True)
class Wanted:
    """The reads the checks on a batch's records will need: each read's lists of ids by
    parameter name, and the visits whose addenda are read for their chain."""

    reads: dict[str, dict[str, set[uuid.UUID]]]
    chained_visits: set[uuid.UUID]


# complexity: one pass sorts ids by kind, then one guarded query per kind: the six-query promise
def wanted(records: Iterable[Visit | Addendum | ReviewDecision | Note]) -> Wanted:
    """What the checks on these records will ask about, as at most six reads."""
    visit_ids: set[uuid.UUID] = set()
    addendum_ids: set[uuid.UUID] = set()
    chained_visits: set[uuid.UUID] = set()
    review_ids: set[uuid.UUID] = set()
    note_ids: set[uuid.UUID] = set()
    case_ids: set[uuid.UUID] = set()
    child_ids: set[uuid.UUID] = set()
    for record in records:
        if isinstance(record, Visit):
            visit_ids.add(record.id)
            case_ids.add(record.case_id)
            child_ids.update(o.child_id for o in record.children)
        elif isinstance(record, Addendum):
            addendum_ids.add(record.id)
            chained_visits.add(record.visit_id)
            visit_ids.add(record.visit_id)
        elif isinstance(record, ReviewDecision):
            review_ids.add(record.id)
            visit_ids.add(record.visit_id)
        else:
            note_ids.add(record.id)
            case_ids.add(record.case_id)
            child_ids.update(record.child_ids)
    reads: dict[str, dict[str, set[uuid.UUID]]] = {}
    if visit_ids:
        reads["visits"] = {"ids": visit_ids}
    if addendum_ids:
        reads["addenda"] = {"ids": addendum_ids, "visit_ids": chained_visits}
    if review_ids:
        reads["reviews"] = {"ids": review_ids}
    if note_ids:
        reads["notes"] = {"ids": note_ids}
    if case_ids:
        reads["cases"] = {"ids": case_ids}
    if child_ids:
        reads["children"] = {"ids": child_ids}
    return Wanted(reads, chained_visits)


def read_allocations_of_visits(session: Session, held: Holdings,
                               visit_ids: set[uuid.UUID]) -> None:
    """The workers a child each of these visits names is allocated to now, and their teams,
    into `held`: a child who moved takes what is recorded about their visits, and the
    decisions on them, with them. Read only for a batch with addenda or decisions (fewer
    than visits), so not with the batch's reads."""
    if not visit_ids:
        return
    for visit_id, worker_id, team_id in session.execute(
            select(VisitChild.visit_id, _ALLOCATIONS.c.user_id, User.team_id).distinct()
            .join(_ALLOCATIONS, and_(_ALLOCATIONS.c.child_id == VisitChild.child_id,
                                     _ALLOCATIONS.c.ended_at.is_(None)))
            .join(User, User.id == _ALLOCATIONS.c.user_id)
            .where(VisitChild.visit_id.in_(list(visit_ids)))):
        held.workers_of_visits.setdefault(visit_id, set()).add(worker_id)
        if team_id is not None:
            held.teams_of_visits.setdefault(visit_id, set()).add(team_id)


def driver_reads(want: Wanted) -> list[tuple[driver.Compiled, dict[str, Any]]]:
    """PostgreSQL: the reads as statements for `driver.several`, in the order of
    `want.reads`, for a caller that sends them with its own (central.services.ingest)."""
    return [(_DRIVER_READS[name], {key: driver.uuid_array(value) for key, value in ids.items()})
            for name, ids in want.reads.items()]


def read(session: Session, want: Wanted) -> Holdings:
    """What central holds of what `want` names, in at most six queries (on PostgreSQL sent
    together, in one round trip)."""
    return from_rows(want, _read(session, want.reads))


def from_rows(want: Wanted, found: dict[str, list[Any]]) -> Holdings:
    """What central holds, from the rows of `want`'s reads (each read's rows by its name)."""
    held = Holdings()
    for visit_id, record_hash, team_id, user_id in found.get("visits", ()):
        held.hold_visit(visit_id, HeldVisit(record_hash, team_id, user_id))
    for addendum_id, visit_id, previous_hash, record_hash in found.get("addenda", ()):
        if visit_id in want.chained_visits:
            held.hold_addendum(addendum_id, visit_id, previous_hash, record_hash)
        else:
            held.addenda[addendum_id] = record_hash
    for review_id, record_hash in found.get("reviews", ()):
        held.hold_review(review_id, record_hash)
    for note_id, record_hash in found.get("notes", ()):
        held.notes[note_id] = record_hash
    held.cases.update(case_id for (case_id,) in found.get("cases", ()))
    for row in found.get("children", ()):
        held.children[row.id] = HeldChild(child_record(row), row.allocated_to,
                                          row.allocated_team)
    return held


def _read(session: Session, wanted: dict[str, dict[str, set[uuid.UUID]]],
          ) -> dict[str, list[Any]]:
    """Each named read's rows, its sets of ids given as lists: on PostgreSQL all of them in
    one round trip (`driver.several`)."""
    if not wanted:
        return {}
    connection = driver.driver_connection(session)
    if connection is not None:
        results = driver.several(connection, driver_reads(Wanted(wanted, set())))
        return dict(zip(wanted, results, strict=True))
    return {name: list(session.execute(_READS[name],
                                       {key: list(value) for key, value in ids.items()}))
            for name, ids in wanted.items()}
