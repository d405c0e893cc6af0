"""A visit pulled from central, opened to read: on a team lead's laptop from the review queue,
on a worker's from a child's list of visits (one another worker made about a child now
allocated to them). Read from the review index, which holds each pulled visit with its
addenda; opening one is audited as any visit viewed is."""

from __future__ import annotations

from uuid import UUID

from records.case import Case
from records.contracts import StoredAddendum
from records.flags import VisitOnRecord
from storage.audit import AuditAction, AuditLog
from storage.cases import CaseRepository
from storage.refusals import ChildNotOnLaptop
from storage.review_index import ReviewIndex
from storage.review_queries import ReviewQueries
from ui.services import OpenedVisit

NOT_ON_THIS_LAPTOP = "a case not on this laptop"


def pulled_record(index: ReviewIndex, visit_id: UUID) -> VisitOnRecord | None:
    """The pulled visit as the history of any of its children on this laptop holds it (with
    its addenda and decisions); None when no child it names is here."""
    children = index.children_of_visit(visit_id)
    for history in index.histories(children):
        for record in history.visits:
            if record.visit.id == visit_id:
                return record
    return None


def open_pulled_visit(index: ReviewIndex, queries: ReviewQueries, cases: CaseRepository,
                      audit: AuditLog, visit_id: UUID) -> OpenedVisit:
    """The pulled visit to read, read-only; raises `ChildNotOnLaptop` when no child it names
    is on this laptop."""
    record = pulled_record(index, visit_id)
    if record is None:
        raise ChildNotOnLaptop()
    visit = record.visit
    # A child who moved team and case brings visits filed under a case this laptop was
    # never sent: opened under a stand-in that says so, not refused.
    case = cases.case(visit.case_id) or Case(id=visit.case_id, reference=NOT_ON_THIS_LAPTOP)
    kids = [c for o in visit.children if (c := cases.child(o.child_id)) is not None]
    addenda = [StoredAddendum(a, n, "", b"") for n, a in enumerate(record.addenda, 1)]
    audit.record(AuditAction.VISIT_VIEWED, "visit", visit_id)
    # The worker's laptop's submission time where central kept it, else central's receipt.
    return OpenedVisit(visit, case, kids, True, addenda=addenda,
                       submitted_at=record.recorded_at,
                       record_hash=queries.record_hash(visit_id))
