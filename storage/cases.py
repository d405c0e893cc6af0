"""The worker's caseload: cases and the children in them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from uuid import UUID

from records.case import Case, Child
from records.visit import ENGLAND
from storage.transactions import Connection, transaction


class CaseRepository:
    def __init__(self, conn: Connection,
                 clock: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        self._conn = conn
        self._clock = clock

    def save_case(self, case: Case) -> None:
        with transaction(self._conn):
            self._conn.execute(
                "INSERT INTO cases (id, record_json, updated_at) VALUES (?, ?, ?)"
                " ON CONFLICT (id) DO UPDATE SET record_json = excluded.record_json,"
                " updated_at = excluded.updated_at",
                (str(case.id), case.model_dump_json(), self._now()),
            )

    def save_child(self, child: Child, allocated_worker: str | None = None) -> None:
        """`allocated_worker`: the child's own, as central allocates child by child (None:
        the case's, as a child made on this laptop has)."""
        with transaction(self._conn):
            self._conn.execute(
                "INSERT INTO children (id, case_id, record_json, updated_at, allocated_worker)"
                " VALUES (?, ?, ?, ?, ?)"
                " ON CONFLICT (id) DO UPDATE SET case_id = excluded.case_id,"
                " record_json = excluded.record_json, updated_at = excluded.updated_at,"
                " allocated_worker = excluded.allocated_worker, removed_at = NULL",
                (str(child.id), str(child.case_id), child.model_dump_json(), self._now(),
                 allocated_worker),
            )

    def case(self, case_id: UUID) -> Case | None:
        row = self._conn.execute(
            "SELECT record_json FROM cases WHERE id = ?", (str(case_id),)
        ).fetchone()
        return Case.model_validate_json(row[0]) if row else None

    def cases(self) -> list[Case]:
        rows = self._conn.execute("SELECT record_json FROM cases ORDER BY id")
        return [Case.model_validate_json(r[0]) for r in rows]

    def child(self, child_id: UUID) -> Child | None:
        row = self._conn.execute(
            "SELECT record_json FROM children WHERE id = ?", (str(child_id),)
        ).fetchone()
        return Child.model_validate_json(row[0]) if row else None

    def children(self, case_id: UUID | None = None, *,
                 on_caseload_only: bool = False) -> list[Child]:
        """A case's children (or all); a child central took off the caseload is kept while a
        visit here names them, and left out with `on_caseload_only`."""
        where = ["removed_at IS NULL"] if on_caseload_only else []
        params: tuple[str, ...] = ()
        if case_id is not None:
            where.append("case_id = ?")
            params = (str(case_id),)
        query = "SELECT record_json FROM children"
        rows = self._conn.execute(
            query + (" WHERE " + " AND ".join(where) if where else ""), params)
        found = [Child.model_validate_json(r[0]) for r in rows]
        return sorted(found, key=lambda c: (c.family_name, c.given_name, str(c.id)))

    def last_visited(self, child_id: UUID) -> date | None:
        """The day of the child's last submitted visit, if any (English local date)."""
        row = self._conn.execute(
            "SELECT max(v.started_at) FROM visits AS v"
            " JOIN visit_children AS vc ON vc.visit_id = v.id"
            " WHERE vc.child_id = ? AND v.status = 'submitted'",
            (str(child_id),),
        ).fetchone()
        return datetime.fromisoformat(row[0]).astimezone(ENGLAND).date() if row and row[0] else None

    def _now(self) -> str:
        return self._clock().astimezone(UTC).isoformat()
