"""The worker's caseload as one list: each child, their plan, when last and next visited.

`Caseload` rebuilds the list incrementally. One indexed query reads, per child, what a row
depends on: the child's record, their case's record, and which submitted visit is their
latest (a submitted visit never changes, so its id stands for its content). Only children
for whom any of these differ from the last build are parsed and scheduled again; the rest
keep their row object, so a caller can tell "nothing changed" by identity. Autosaving a
draft changes no row, and a reload while it happens costs one query, not 5,000 parses.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from uuid import UUID

from records.case import Case, Child, PlanType
from records.schedule import VisitStandards, WorkingCalendar, next_visit_due
from records.visit import Visit
from storage.transactions import Connection

# What each child's row depends on. The latest submitted visit is found through the
# visit_children_by_child and visits_listing_by_id indexes, without reading any record;
# CROSS JOIN keeps SQLite from walking every submitted visit by date for each child
# (1.5 s instead of 40 ms on 5,000 children).
_DEPENDENCIES = (
    "SELECT c.id, c.record_json, k.record_json,"
    " (SELECT v.id FROM visit_children AS vc CROSS JOIN visits AS v ON v.id = vc.visit_id"
    "  WHERE vc.child_id = c.id AND v.status = 'submitted'"
    "  ORDER BY v.started_at DESC, v.id DESC LIMIT 1)"
    " FROM children AS c LEFT JOIN cases AS k ON k.id = c.case_id"
    " WHERE c.removed_at IS NULL"
    " ORDER BY c.rowid"
)
_CHUNK = 500  # ids per IN (...) list, well under SQLite's bound-parameter limit


@dataclass(frozen=True)
class CaseloadRow:
    child_id: UUID
    case_reference: str
    child_name: str
    plan_type: PlanType
    last_visit: date | None
    next_visit_due: date | None
    seen_alone_at_last_visit: bool | None


_Key = tuple[str, str | None, str | None]  # child record, case record, latest visit id


class Caseload:
    """The caseload of one open vault, rebuilt from what changed since the last build."""

    def __init__(self, conn: Connection, standards: VisitStandards,
                 calendar: WorkingCalendar) -> None:
        self._conn = conn
        self._standards = standards
        self._calendar = calendar
        self._built: dict[str, tuple[_Key, CaseloadRow]] = {}

    def rows(self) -> list[CaseloadRow]:
        """Every child on the caseload, in the order they were added."""
        current = {child_id: (child_json, case_json, visit_id)
                   for child_id, child_json, case_json, visit_id
                   in self._conn.execute(_DEPENDENCIES)}
        changed = {child_id: key for child_id, key in current.items()
                   if (built := self._built.get(child_id)) is None or built[0] != key}
        fresh = self._rows_for(changed)
        self._built = {child_id: (key, fresh[child_id] if child_id in fresh
                                  else self._built[child_id][1])
                       for child_id, key in current.items()}
        return [row for _, row in self._built.values()]

    def _rows_for(self, changed: dict[str, _Key]) -> dict[str, CaseloadRow]:
        visit_ids = {key[2] for key in changed.values() if key[2] is not None}
        visits = {visit_id: Visit.model_validate_json(record_json)
                  for visit_id, record_json in self._select("visits", visit_ids)}
        references: dict[str, str] = {}  # a household's children share one case record
        rows = {}
        for child_id, (child_json, case_json, visit_id) in changed.items():
            reference = ""
            if case_json is not None:
                if case_json not in references:
                    references[case_json] = Case.model_validate_json(case_json).reference
                reference = references[case_json]
            rows[child_id] = self._row(Child.model_validate_json(child_json), reference,
                                       visits[visit_id] if visit_id is not None else None)
        return rows

    def _row(self, child: Child, case_reference: str, latest: Visit | None) -> CaseloadRow:
        last = latest.visit_date if latest else None
        observation = latest.observation_for(child.id) if latest else None
        return CaseloadRow(
            child_id=child.id,
            case_reference=case_reference,
            child_name=child.display_name,
            plan_type=child.plan_type,
            last_visit=last,
            next_visit_due=next_visit_due(child, last, self._standards, self._calendar),
            seen_alone_at_last_visit=observation.seen_alone if observation else None,
        )

    def _select(self, table: str, ids: Iterable[str]) -> Iterator[tuple[str, str]]:
        wanted = sorted(ids)
        for start in range(0, len(wanted), _CHUNK):
            chunk = wanted[start:start + _CHUNK]
            marks = ", ".join("?" * len(chunk))
            yield from self._conn.execute(
                f"SELECT id, record_json FROM {table} WHERE id IN ({marks})",  # noqa: S608
                chunk)


def caseload(conn: Connection, standards: VisitStandards,
             calendar: WorkingCalendar) -> list[CaseloadRow]:
    """Every child on the caseload with their visiting state, soonest due first."""
    rows = Caseload(conn, standards, calendar).rows()
    return sorted(rows, key=lambda r: (r.next_visit_due or date.max, r.child_name))
