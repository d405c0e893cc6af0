"""What the team lead's screens read from the review index: the queue and the dashboard.

Both read stored flags and counts only; nothing here re-runs a flag, so a screen shown just
after a pull costs a few indexed queries whatever the size of the team.
"""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from typing import Any
from uuid import UUID

from records.contracts import (
    ChildAlert,
    ChildToSee,
    Dashboard,
    LaptopWipe,
    QueueRow,
    WorkerLoad,
)
from records.corrections import ReviewDecision
from records.flag_types import Flag, FlagCode, Severity, day_text, local_day
from records.wording import counted
from storage.transactions import Connection

_QUEUE_COLUMNS = (
    "v.visit_id, v.child_names, v.worker, v.worker_name, v.visit_day, v.decision, v.rank,"
    " v.since, v.red_count, v.amber_count, v.headline, r.central_received_at"
    " FROM review_visits AS v LEFT JOIN received_records AS r ON r.id = v.visit_id")


def _queue_row(r: tuple[Any, ...]) -> QueueRow:
    received = datetime.fromisoformat(r[11]) if r[11] else None
    return QueueRow(UUID(r[0]), r[1], r[2], r[3], date.fromisoformat(r[4]), r[5], r[6],
                    date.fromisoformat(r[7]), r[8], r[9], r[10],
                    local_day(received) if received else None)


class ReviewQueries:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def queue_count(self) -> int:
        """Open visits (awaiting, returned or answered): kept per worker by triggers."""
        row = self._conn.execute("SELECT sum(open_visits) FROM review_worker_counts").fetchone()
        return int(row[0] or 0)

    def red_count(self) -> int:
        row = self._conn.execute(
            "SELECT count(*) FROM review_visits"
            " WHERE decision IN ('awaiting', 'returned', 'answered') AND rank = 0").fetchone()
        return int(row[0])

    def queue_page(self, offset: int, limit: int) -> list[QueueRow]:
        """Open visits: red first, then by how serious the headline is
        (`records.flag_types.HEADLINE_ORDER`), then the oldest fact first (the index gives
        this order)."""
        rows = self._conn.execute(
            f"SELECT {_QUEUE_COLUMNS} WHERE v.decision IN ('awaiting', 'returned', 'answered')"
            " ORDER BY v.rank, v.severity, v.since, v.visit_day, v.visit_id LIMIT ? OFFSET ?",
            (limit, offset))
        return [_queue_row(r) for r in rows]

    def queue_row(self, visit_id: UUID) -> QueueRow | None:
        row = self._conn.execute(f"SELECT {_QUEUE_COLUMNS} WHERE v.visit_id = ?",
                                 (str(visit_id),)).fetchone()
        return None if row is None else _queue_row(row)

    def senders(self, visit_ids: list[UUID]) -> dict[UUID, str]:
        """The username whose laptop pushed each of these pulled visits, as central said."""
        return {UUID(visit_id): str(sender) for visit_id, sender in self._conn.execute(
            "SELECT id, submitted_by FROM received_records WHERE kind = 'visit'"
            " AND id IN (SELECT value FROM json_each(?))",
            (json.dumps([str(v) for v in visit_ids]),)) if sender}

    def record_hash(self, visit_id: UUID) -> str | None:
        """The SHA-256 of the visit's canonical record, as its author's laptop signed it."""
        row = self._conn.execute(
            "SELECT record_hash FROM received_records WHERE id = ? AND kind = 'visit'",
            (str(visit_id),)).fetchone()
        return str(row[0]) if row else None

    def worker_of_child(self, child_id: UUID) -> str:
        row = self._conn.execute("SELECT worker FROM review_children WHERE child_id = ?",
                                 (str(child_id),)).fetchone()
        return str(row[0]) if row else ""

    def last_contact(self, worker: str) -> datetime | None:
        """The latest contact with central of any of this worker's laptops, if central said."""
        row = self._conn.execute(
            "SELECT max(last_contact_at) FROM device_contacts WHERE username = ?",
            (worker,)).fetchone()
        return datetime.fromisoformat(row[0]) if row and row[0] else None

    def flags_of_child(self, child_id: UUID) -> list[Flag]:
        rows = self._conn.execute(
            "SELECT code, severity, reason, source, since, visit_ids FROM review_flags"
            " WHERE child_id = ?", (str(child_id),))
        found = [Flag(FlagCode(r[0]), Severity(r[1]), child_id, r[2], r[3],
                      tuple(UUID(v) for v in json.loads(r[5])), date.fromisoformat(r[4]))
                 for r in rows]
        return sorted(found, key=lambda f: f.sort_key)

    def decisions_on(self, visit_id: UUID) -> list[ReviewDecision]:
        """Every decision on a visit: this laptop's own and those pulled from central."""
        found: dict[UUID, ReviewDecision] = {}
        for (record,) in self._conn.execute(
            "SELECT r.record_json FROM review_links AS l JOIN received_records AS r"
            " ON r.id = l.record_id WHERE l.visit_id = ? AND l.kind = 'review'"
            " UNION ALL SELECT canonical_json FROM review_decisions WHERE visit_id = ?",
            (str(visit_id), str(visit_id)),
        ):
            decision = ReviewDecision.model_validate_json(record)
            found[decision.id] = decision
        return sorted(found.values(), key=lambda d: d.decided_at)

    def _worker_loads(self, names: dict[str, str]) -> list[WorkerLoad]:
        """Each worker's children, awaiting visits, last contact and refused laptops."""
        awaiting = dict(self._conn.execute(
            "SELECT worker, open_visits FROM review_worker_counts"))
        latest = dict(self._conn.execute(
            "SELECT username, max(last_contact_at) FROM device_contacts GROUP BY username"))
        # One read of the refused laptops: how many each worker has, the records waiting on
        # them, and a lost laptop's wipe (whose records its wipe line tells, not "waiting").
        refused: dict[str, tuple[int, int]] = {}
        wipes: dict[str, list[LaptopWipe]] = {}
        for username, status, unsent, wiped_at, recovered, lost in self._conn.execute(
                "SELECT username, status, unsent_records, wiped_at, recovered_records,"
                " lost_records FROM refused_laptops"
                " ORDER BY username, wiped_at IS NULL, wiped_at, device_id"):
            wipe = status == "lost" and recovered is not None
            laptops, waiting = refused.get(username, (0, 0))
            refused[username] = (laptops + 1, waiting + (0 if wipe else int(unsent or 0)))
            if wipe:
                wipes.setdefault(username, []).append(LaptopWipe(
                    datetime.fromisoformat(wiped_at) if wiped_at else None, int(recovered),
                    None if lost is None else int(lost)))
        workers = []
        for r in self._conn.execute(
            "SELECT worker, count(*), sum(plan_type = 'child_protection'),"
            " sum(plan_type = 'child_in_need'), sum(plan_type = 'looked_after'), sum(overdue),"
            " sum(seen_recently), sum(seen_on_time_recently)"
            " FROM review_children GROUP BY worker ORDER BY worker"
        ):
            last = latest.get(r[0])
            workers.append(WorkerLoad(r[0], r[1], r[2], r[3], r[4], r[5],
                                      int(awaiting.get(r[0], 0)),
                                      datetime.fromisoformat(last) if last else None,
                                      int(r[6] or 0), int(r[7] or 0),
                                      refused_laptops=refused.get(r[0], (0, 0))[0],
                                      waiting_on_refused=refused.get(r[0], (0, 0))[1],
                                      laptop_wipes=tuple(wipes.get(r[0], ())),
                                      worker_name=names.get(r[0], "")))
        return workers

    def _worker_names(self) -> dict[str, str]:
        """Each worker's name as their visits give it ("J. Okafor"), by username: one
        indexed row per worker, not a read of every visit."""
        return {worker: name for worker, name in self._conn.execute(
            "SELECT w.worker, (SELECT v.worker_name FROM review_visits AS v"
            " WHERE v.worker = w.worker AND v.worker_name != '' LIMIT 1)"
            " FROM review_worker_counts AS w") if name}

    def dashboard(self, today: date, *, injury_days: int = 90,
                  alone_visits: int = 2) -> Dashboard:
        names = self._worker_names()
        workers = self._worker_loads(names)
        alone = [ChildAlert(UUID(r[0]), r[1], r[2],
                            f"not seen alone at the last {counted(r[3], 'visit')}",
                            names.get(r[2], ""))
                 for r in self._conn.execute(
                     "SELECT rc.child_id, trim(json_extract(c.record_json, '$.given_name')"
                     " || ' ' || coalesce(json_extract(c.record_json, '$.family_name'), '')),"
                     " rc.worker, rc.not_seen_alone_streak"
                     " FROM review_children AS rc JOIN children AS c ON c.id = rc.child_id"
                     " WHERE rc.not_seen_alone_streak >= ? ORDER BY rc.worker, 2",
                     (alone_visits,))]
        since = (today - timedelta(days=injury_days)).isoformat()
        # Newest first, in the date form every flag uses ("4 Dec 2026": `day_text`).
        injured = [ChildAlert(UUID(r[0]), r[1], r[2],
                              f"last injury recorded {day_text(date.fromisoformat(r[3]))}",
                              names.get(r[2], ""))
                   for r in self._conn.execute(
                       "SELECT rc.child_id, trim(json_extract(c.record_json, '$.given_name')"
                     " || ' ' || coalesce(json_extract(c.record_json, '$.family_name'), '')),"
                     " rc.worker, rc.last_injury_day"
                       " FROM review_children AS rc JOIN children AS c ON c.id = rc.child_id"
                       " WHERE rc.last_injury_day >= ? ORDER BY rc.last_injury_day DESC, 2",
                       (since,))]
        red = [ChildToSee(UUID(r[0]), r[1], r[2], r[3],
                          date.fromisoformat(r[4]) if r[4] else None,
                          None if r[5] is None else bool(r[5]), names.get(r[2], ""))
               for r in self._conn.execute(
                   "SELECT rc.child_id, trim(json_extract(c.record_json, '$.given_name')"
                   " || ' ' || coalesce(json_extract(c.record_json, '$.family_name'), '')),"
                   " rc.worker, rc.headline, rc.last_seen_day, rc.seen_alone_when_last_seen"
                   " FROM review_children AS rc JOIN children AS c ON c.id = rc.child_id"
                   " WHERE rc.rank = 0 AND c.removed_at IS NULL"
                   # Flag.sort_key's order: the most serious kind, then the most recent.
                   " ORDER BY rc.severity, rc.since DESC, 2")]
        return Dashboard(workers, alone, injured, red, injury_days, alone_visits)

