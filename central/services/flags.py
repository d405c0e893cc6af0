"""Why a team lead should look at a record central accepted. Flags never refuse a record.

Codes are stable strings (listed in docs/sync-protocol.md):
  case_unknown, child_unknown, child_not_on_case, child_not_allocated_to_worker,
  late_upload, incomplete_record, visit_not_received, addendum_chain_broken,
  visit_hash_mismatch, already_received.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import and_, select
from sqlalchemy.orm import Session

from central.db.models import AddendumRow, Allocation, CaseRow, ChildRow, VisitRow
from central.services.context import DeviceContext
from records.case import Child, PlanType
from records.corrections import Addendum, ReviewDecision
from records.validation import problems_before_submit
from records.visit import Visit


def child_record(row: ChildRow) -> Child:
    return Child(
        id=row.id, case_id=row.case_id, given_name=row.given_name, family_name=row.family_name,
        date_of_birth=row.date_of_birth, plan_type=PlanType(row.plan_type),
        plan_start_date=row.plan_start_date, placement_start_date=row.placement_start_date,
        long_term_placement=row.long_term_placement, first_language=row.first_language,
    )


def for_visit(session: Session, ctx: DeviceContext, visit: Visit, *, late_after_hours: int,
              now: datetime) -> list[str]:
    found: list[str] = []
    if session.get(CaseRow, visit.case_id) is None:
        found.append("case_unknown")
    child_ids = [o.child_id for o in visit.children]
    rows = session.execute(
        select(ChildRow, Allocation.user_id)
        .outerjoin(Allocation, and_(Allocation.child_id == ChildRow.id,
                                    Allocation.ended_at.is_(None)))
        .where(ChildRow.id.in_(child_ids))
    ).all() if child_ids else []
    known = {child.id: (child, allocated_to) for child, allocated_to in rows}
    if any(child_id not in known for child_id in child_ids):
        found.append("child_unknown")
    if any(child.case_id != visit.case_id for child, _ in known.values()):
        found.append("child_not_on_case")
    if any(allocated_to != ctx.user_id for _, allocated_to in known.values()):
        found.append("child_not_allocated_to_worker")
    finished = visit.ended_at or visit.started_at
    if finished is not None and now - finished > timedelta(hours=late_after_hours):
        found.append("late_upload")
    children = {child.id: child_record(child) for child, _ in known.values()}
    if problems_before_submit(visit, children, now=now):
        found.append("incomplete_record")
    return found


def for_addendum(session: Session, addendum: Addendum) -> list[str]:
    visit_hash = session.scalar(
        select(VisitRow.record_hash).where(VisitRow.id == addendum.visit_id)
    )
    if visit_hash is None:
        return ["visit_not_received"]
    chain = set(session.scalars(
        select(AddendumRow.record_hash).where(AddendumRow.visit_id == addendum.visit_id)
    ))
    forked = session.scalar(select(AddendumRow.id).where(
        AddendumRow.visit_id == addendum.visit_id,
        AddendumRow.previous_hash == addendum.previous_hash,
    ).limit(1))
    if addendum.previous_hash not in chain | {visit_hash} or forked is not None:
        return ["addendum_chain_broken"]
    return []


def for_review(visit: VisitRow | None, review: ReviewDecision) -> list[str]:
    if visit is None:
        return ["visit_not_received"]
    if visit.record_hash != review.visit_hash:
        return ["visit_hash_mismatch"]
    return []
