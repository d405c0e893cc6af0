"""What central already holds that a pushed batch's checks and flags depend on.

Read in a handful of queries for the whole batch (instead of several round trips per op),
then kept up to date in memory as the batch's own records are accepted, so a visit and its
addendum pushed in the same batch see each other exactly as they would one op at a time.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from central.db.models import AddendumRow, Allocation, CaseRow, ChildRow, ReviewRow, VisitRow
from records.case import Child, PlanType
from records.corrections import Addendum, ReviewDecision
from records.visit import Visit


def child_record(row: ChildRow) -> Child:
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


@dataclass
class Holdings:
    visits: dict[uuid.UUID, HeldVisit] = field(default_factory=dict)
    addenda: dict[uuid.UUID, str] = field(default_factory=dict)
    reviews: dict[uuid.UUID, str] = field(default_factory=dict)
    # Per visit: the hashes of its addenda, and the hashes some addendum already chains from.
    addendum_hashes: dict[uuid.UUID, set[str]] = field(default_factory=dict)
    chained_from: dict[uuid.UUID, set[str]] = field(default_factory=dict)
    cases: set[uuid.UUID] = field(default_factory=set)
    children: dict[uuid.UUID, HeldChild] = field(default_factory=dict)

    def hold_visit(self, visit_id: uuid.UUID, held: HeldVisit) -> None:
        self.visits[visit_id] = held

    def hold_addendum(self, addendum_id: uuid.UUID, visit_id: uuid.UUID, previous_hash: str,
                      record_hash: str) -> None:
        self.addenda[addendum_id] = record_hash
        self.addendum_hashes.setdefault(visit_id, set()).add(record_hash)
        self.chained_from.setdefault(visit_id, set()).add(previous_hash)

    def hold_review(self, review_id: uuid.UUID, record_hash: str) -> None:
        self.reviews[review_id] = record_hash


def load(session: Session, records: Iterable[Visit | Addendum | ReviewDecision]) -> Holdings:
    """Everything the checks on these records will ask about, in at most five queries."""
    visit_ids: set[uuid.UUID] = set()
    addendum_ids: set[uuid.UUID] = set()
    chained_visits: set[uuid.UUID] = set()
    review_ids: set[uuid.UUID] = set()
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
        else:
            review_ids.add(record.id)
            visit_ids.add(record.visit_id)
    held = Holdings()
    if visit_ids:
        for visit_id, record_hash, team_id, user_id in session.execute(
            select(VisitRow.id, VisitRow.record_hash, VisitRow.team_id, VisitRow.user_id)
            .where(VisitRow.id.in_(visit_ids))
        ):
            held.hold_visit(visit_id, HeldVisit(record_hash, team_id, user_id))
    if addendum_ids:
        for addendum_id, visit_id, previous_hash, record_hash in session.execute(
            select(AddendumRow.id, AddendumRow.visit_id, AddendumRow.previous_hash,
                   AddendumRow.record_hash)
            .where(or_(AddendumRow.id.in_(addendum_ids),
                       AddendumRow.visit_id.in_(chained_visits)))
        ):
            if visit_id in chained_visits:
                held.hold_addendum(addendum_id, visit_id, previous_hash, record_hash)
            else:
                held.addenda[addendum_id] = record_hash
    if review_ids:
        for review_id, record_hash in session.execute(
            select(ReviewRow.id, ReviewRow.record_hash).where(ReviewRow.id.in_(review_ids))
        ):
            held.hold_review(review_id, record_hash)
    if case_ids:
        held.cases.update(session.scalars(select(CaseRow.id).where(CaseRow.id.in_(case_ids))))
    if child_ids:
        for child, allocated_to in session.execute(
            select(ChildRow, Allocation.user_id)
            .outerjoin(Allocation, and_(Allocation.child_id == ChildRow.id,
                                        Allocation.ended_at.is_(None)))
            .where(ChildRow.id.in_(child_ids))
        ):
            held.children[child.id] = HeldChild(child_record(child), allocated_to)
    return held
