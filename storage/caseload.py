"""The worker's caseload as one list: each child, their plan, when last and next visited."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID

from records.case import Case, Child, PlanType
from records.schedule import VisitStandards, WorkingCalendar, next_visit_due
from records.visit import Visit
from storage.transactions import Connection


@dataclass(frozen=True)
class CaseloadRow:
    child_id: UUID
    case_reference: str
    child_name: str
    plan_type: PlanType
    last_visit: date | None
    next_visit_due: date | None
    seen_alone_at_last_visit: bool | None


def caseload(conn: Connection, standards: VisitStandards,
             calendar: WorkingCalendar) -> list[CaseloadRow]:
    """Every child on the caseload with their visiting state, in one pass over the vault."""
    cases = {
        UUID(r[0]): Case.model_validate_json(r[1])
        for r in conn.execute("SELECT id, record_json FROM cases")
    }
    latest: dict[UUID, Visit] = {}
    for row in conn.execute(
        "SELECT vc.child_id, v.record_json FROM visit_children AS vc"
        " JOIN visits AS v ON v.id = vc.visit_id"
        " WHERE v.status = 'submitted' AND v.started_at = ("
        "  SELECT max(v2.started_at) FROM visits AS v2"
        "  JOIN visit_children AS vc2 ON vc2.visit_id = v2.id"
        "  WHERE vc2.child_id = vc.child_id AND v2.status = 'submitted')"
    ):
        latest[UUID(row[0])] = Visit.model_validate_json(row[1])
    rows = []
    for (record_json,) in conn.execute("SELECT record_json FROM children"):
        child = Child.model_validate_json(record_json)
        visit = latest.get(child.id)
        last = visit.visit_date if visit else None
        observation = visit.observation_for(child.id) if visit else None
        rows.append(CaseloadRow(
            child_id=child.id,
            case_reference=cases[child.case_id].reference if child.case_id in cases else "",
            child_name=child.display_name,
            plan_type=child.plan_type,
            last_visit=last,
            next_visit_due=next_visit_due(child, last, standards, calendar),
            seen_alone_at_last_visit=observation.seen_alone if observation else None,
        ))
    return sorted(rows, key=lambda r: (r.next_visit_due or date.max, r.child_name))
