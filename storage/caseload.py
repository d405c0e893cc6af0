"""The worker's caseload as one list: each child, their plan, when last seen and next due.

Every date here follows the one "last seen" rule (`records.last_seen`): a no-access visit,
a visit where the child was not seen and a core group meeting never move "last seen",
"next visit due" or "seen alone then".

`Caseload` rebuilds the list incrementally. One indexed query reads, per child, what a row
depends on: the child's record, their case's record, and which submitted visit is their
latest — the laptop's own, and those pulled from central too (a team lead's laptop: the
team's; a worker's: those others made about a child allocated to them), with how many were
pulled (a submitted visit never changes, so its id stands
for its content; the count catches a visit pulled later for a day already read). Only
children for whom any of these differ from the last build are parsed and scheduled again;
the rest keep their row object, so a caller can tell "nothing changed" by identity.
Autosaving a draft changes no row, and a reload while it happens costs one query, not
5,000 parses. A changed child's latest visit is usually one where they were seen; only the
few whose latest was not (or whose last sighting is older than the other kind's latest
visit) have their older visits read.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from datetime import date

from records.case import Case, Child
from records.contracts import CaseloadRow
from records.last_seen import LastSeen, last_seen, later_of
from records.schedule import VisitStandards, WorkingCalendar, next_visit_due
from records.visit import Visit
from storage.sightings import sighting
from storage.transactions import Connection

# What each child's row depends on. The latest submitted visit is found through the
# visit_children_by_child and visits_listing_by_id indexes, without reading any record;
# CROSS JOIN keeps SQLite from walking every submitted visit by date for each child
# (1.5 s instead of 40 ms on 5,000 children). Then the latest visit pulled from central (a
# team lead's laptop: the team's; a worker's: those others made about their children) and
# how many were pulled: a visit pulled later on the same day changes the count when it does
# not change the latest.
_DEPENDENCIES = (
    "SELECT c.id, c.record_json, k.record_json,"
    " (SELECT v.id FROM visit_children AS vc CROSS JOIN visits AS v ON v.id = vc.visit_id"
    "  WHERE vc.child_id = c.id AND v.status = 'submitted'"
    "  ORDER BY v.started_at DESC, v.id DESC LIMIT 1),"
    " (SELECT rv.visit_id FROM review_visit_children AS rc CROSS JOIN review_visits AS rv"
    "  ON rv.visit_id = rc.visit_id WHERE rc.child_id = c.id"
    "  ORDER BY rv.visit_day DESC, rv.visit_id DESC LIMIT 1),"
    " (SELECT count(*) FROM review_visit_children AS n WHERE n.child_id = c.id),"
    " s.day, s.visit_id, s.seen_alone, s.alone_day"  # storage.sightings.sighting
    " FROM children AS c LEFT JOIN cases AS k ON k.id = c.case_id"
    " LEFT JOIN purged_sightings AS s ON s.child_id = c.id"
    " WHERE c.removed_at IS NULL"
    " ORDER BY c.rowid"
)
# The visits pulled on the day of a given pulled visit, for some children: the index keeps
# their day, not their time, so which of a day's visits was the later is the records' to say
# (`records.last_seen`), or a morning visit would stand for an afternoon one.
_PULLED_THAT_DAY = (
    "SELECT json_extract(w.value, '$[0]'), rv.visit_id FROM json_each(?) AS w"
    " CROSS JOIN review_visits AS lv ON lv.visit_id = json_extract(w.value, '$[1]')"
    " CROSS JOIN review_visit_children AS rc ON rc.child_id = json_extract(w.value, '$[0]')"
    " CROSS JOIN review_visits AS rv ON rv.visit_id = rc.visit_id"
    " WHERE rv.visit_day = lv.visit_day"
)
# Every submitted or pulled visit of some children, for those not seen at their latest.
_HISTORIES = (
    "SELECT vc.child_id, v.id, v.record_json FROM visit_children AS vc"
    " JOIN visits AS v ON v.id = vc.visit_id"
    " WHERE v.status = 'submitted' AND vc.child_id IN (SELECT value FROM json_each(?))"
    " UNION ALL SELECT rc.child_id, r.id, r.record_json FROM review_visit_children AS rc"
    " JOIN received_records AS r ON r.id = rc.visit_id"
    " WHERE rc.child_id IN (SELECT value FROM json_each(?))"
)
# Visits' records by id, the laptop's own or pulled. CROSS JOIN: each id looked up by the
# primary key; with `kind = 'visit' AND id IN (...)` SQLite walked every pulled visit through
# the kind index instead (1 s for 500 ids on a team lead's 100,000 visits, against 10 ms).
_RECORDS = (
    "SELECT v.id, v.record_json FROM json_each(?) AS w CROSS JOIN visits AS v ON v.id = w.value"
    " UNION ALL SELECT r.id, r.record_json FROM json_each(?) AS w"
    " CROSS JOIN received_records AS r ON r.id = w.value WHERE r.kind = 'visit'"
)
_CHUNK = 500  # ids per IN (...) list, well under SQLite's bound-parameter limit


_Key = tuple[str, str | None, str | None, str | None, int,
             str | None, str | None, int | None, str | None]
"""Child record, case record, latest own visit id, latest pulled visit id, how many were
pulled, and the sighting kept from visits the purge deleted (`storage.sightings`)."""


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
        current: dict[str, _Key] = {row[0]: row[1:] for row in self._conn.execute(_DEPENDENCIES)}
        changed = {child_id: key for child_id, key in current.items()
                   if (built := self._built.get(child_id)) is None or built[0] != key}
        fresh = self._rows_for(changed)
        self._built = {child_id: (key, fresh[child_id] if child_id in fresh
                                  else self._built[child_id][1])
                       for child_id, key in current.items()}
        return [row for _, row in self._built.values()]

    def _rows_for(self, changed: dict[str, _Key]) -> dict[str, CaseloadRow]:
        children = {child_id: Child.model_validate_json(key[0])
                    for child_id, key in changed.items()}
        histories = self._latest_or_all_visits(changed, children)
        references = _case_references(changed)
        return {child_id: self._row(children[child_id], references.get(key[1], ""),
                                    histories[child_id], sighting(*key[5:]))
                for child_id, key in changed.items()}

    def _latest_or_all_visits(self, changed: dict[str, _Key],
                              children: dict[str, Child]) -> dict[str, list[Visit]]:
        """Each child's latest visits: their latest own one and those pulled on the latest
        day. Every visit of a child for whom an older one could be the last sighting: not
        seen at any of these, or seen only at one older than the other kind's latest (an
        own visit seen on the 1st, pulled ones on the 3rd, seen, and the 5th, not)."""
        own, pulled = self._latest_visits(changed)
        histories = {child_id: own[child_id] + pulled[child_id] for child_id in changed}
        incomplete = [child_id for child_id in changed
                      if not _latest_say_it_all(children[child_id], own[child_id],
                                                pulled[child_id])]
        histories.update(self._histories(incomplete))
        return histories

    def _latest_visits(self, changed: dict[str, _Key],
                       ) -> tuple[dict[str, list[Visit]], dict[str, list[Visit]]]:
        """Each child's latest own visit, and the visits pulled on the day of the latest."""
        own = {child_id: key[2] for child_id, key in changed.items() if key[2]}
        latest_pulled = [[child_id, key[3]] for child_id, key in changed.items() if key[3]]
        that_day: dict[str, list[str]] = {}
        for start in range(0, len(latest_pulled), _CHUNK):
            for child_id, visit_id in self._conn.execute(
                    _PULLED_THAT_DAY, (json.dumps(latest_pulled[start:start + _CHUNK]),)):
                that_day.setdefault(child_id, []).append(visit_id)
        parsed = {visit_id: Visit.model_validate_json(record) for visit_id, record
                  in self._select({*own.values(), *(v for ids in that_day.values()
                                                    for v in ids)})}
        return ({child_id: [parsed[own[child_id]]] if own.get(child_id) in parsed else []
                 for child_id in changed},
                {child_id: [parsed[v] for v in that_day.get(child_id, []) if v in parsed]
                 for child_id in changed})

    def _row(self, child: Child, case_reference: str, visits: list[Visit],
             kept: LastSeen) -> CaseloadRow:
        seen = later_of(kept, last_seen(child.id, visits))
        return CaseloadRow(
            child_id=child.id,
            case_reference=case_reference,
            child_name=child.display_name,
            plan_type=child.plan_type,
            last_seen=seen.day,
            next_visit_due=next_visit_due(child, seen.day, self._standards, self._calendar),
            seen_alone_when_last_seen=seen.seen_alone,
        )

    def _histories(self, child_ids: list[str]) -> dict[str, list[Visit]]:
        return visits_of_children(self._conn, child_ids)

    def _select(self, ids: Iterable[str]) -> Iterator[tuple[str, str]]:
        """Each visit's record, the laptop's own or pulled from central."""
        wanted = sorted(ids)
        for start in range(0, len(wanted), _CHUNK):
            chunk = json.dumps(wanted[start:start + _CHUNK])
            yield from self._conn.execute(_RECORDS, (chunk, chunk))


def visits_of_children(conn: Connection, child_ids: list[str]) -> dict[str, list[Visit]]:
    """Every submitted visit of these children this laptop holds, its own and those pulled
    from central, by child: what "last seen" counts from (`records.last_seen`)."""
    found: dict[str, list[Visit]] = {}
    for start in range(0, len(child_ids), _CHUNK):
        wanted = json.dumps(child_ids[start:start + _CHUNK])
        for child_id, _, record in conn.execute(_HISTORIES, (wanted, wanted)):
            found.setdefault(child_id, []).append(Visit.model_validate_json(record))
    return found


def _latest_say_it_all(child: Child, own: list[Visit], pulled: list[Visit]) -> bool:
    """Whether the last sighting among the latest visits is the last of all: the child was
    seen at one, on a day no earlier than either kind's latest (every visit not read is of
    an earlier time than its kind's latest read)."""
    if not own and not pulled:
        return True
    seen = last_seen(child.id, own + pulled).day
    if seen is None:
        return False
    return all(v.visit_date is not None and v.visit_date <= seen for v in own + pulled)


def _case_references(changed: dict[str, _Key]) -> dict[str | None, str]:
    """Each case record's reference, parsed once: a household's children share it."""
    return {case_json: Case.model_validate_json(case_json).reference
            for case_json in {key[1] for key in changed.values()} if case_json is not None}


def caseload(conn: Connection, standards: VisitStandards,
             calendar: WorkingCalendar) -> list[CaseloadRow]:
    """Every child on the caseload with their visiting state, soonest due first."""
    rows = Caseload(conn, standards, calendar).rows()
    return sorted(rows, key=lambda r: (r.next_visit_due or date.min, r.child_name))
