"""When each child was last seen, kept as the visits that say so leave the laptop.

The days-on-device purge (`storage.purge`) deletes receipted visits; "last seen", the
caseload's next due date and "seen alone then" count from the visits on the laptop
(`records.last_seen`). So that a child seen at a visit the purge took is not shown never
seen and overdue, the purge keeps, per child, the latest sighting among the visits it
deletes (vault schema 27): the day and the visit's id, whether the child was seen alone
then, and the last day they were seen alone. Nothing of what was seen, said or done.
The caseload and the editor's next due date take the later of it and the visits held
(`records.last_seen.later_of`); the flags before submitting fold those visits into it
(`records.flag_fold.seen_before`). The row leaves with the child
(`storage.removals.forget_removed_children`).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from uuid import UUID

from records.last_seen import LastSeen, last_seen, later_of
from records.visit import Visit
from storage.transactions import Connection, transaction


def sighting(day: str | None, visit_id: str | None, seen_alone: int | None,
             alone_day: str | None) -> LastSeen:
    """A kept sighting from its columns (day, visit_id, seen_alone, alone_day); none from
    NULLs (no row)."""
    if day is None or visit_id is None:
        return LastSeen()
    return LastSeen(date.fromisoformat(day), UUID(visit_id),
                    None if seen_alone is None else bool(seen_alone),
                    date.fromisoformat(alone_day) if alone_day else None)


def kept_sighting(conn: Connection, child_id: UUID) -> LastSeen:
    """The child's latest sighting among the visits the purge deleted, or none."""
    row = conn.execute("SELECT day, visit_id, seen_alone, alone_day FROM purged_sightings"
                       " WHERE child_id = ?", (str(child_id),)).fetchone()
    return sighting(*row) if row else LastSeen()


def keep_sightings(conn: Connection, visits: Iterable[Visit]) -> None:
    """Before these visits leave the laptop: each child on the caseload, their latest
    sighting among them, kept if later than the one kept before
    (`records.last_seen.later_of`). Joins the caller's transaction."""
    held = {UUID(r[0]) for r in conn.execute(
        "SELECT id FROM children WHERE removed_at IS NULL")}  # not a brother held elsewhere
    theirs: dict[UUID, list[Visit]] = {}
    for visit in visits:
        for observation in visit.children:
            if observation.child_id in held:
                theirs.setdefault(observation.child_id, []).append(visit)
    with transaction(conn):
        for child_id, leaving in theirs.items():
            kept = later_of(kept_sighting(conn, child_id), last_seen(child_id, leaving))
            if kept.day is None or kept.visit_id is None:
                continue  # not seen at any of them: nothing to keep
            conn.execute(
                "INSERT OR REPLACE INTO purged_sightings (child_id, day, visit_id, seen_alone,"
                " alone_day) VALUES (?, ?, ?, ?, ?)",
                (str(child_id), kept.day.isoformat(), str(kept.visit_id),
                 None if kept.seen_alone is None else int(kept.seen_alone),
                 kept.alone_day.isoformat() if kept.alone_day else None))
