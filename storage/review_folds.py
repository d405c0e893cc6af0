"""Each child's flag state and flags for the review index, nothing written: the stored
state with the batch's new visits folded in (`records.flag_fold`), or the state folded from
the child's history when the stored one cannot be used (`ChildStates.compute`); and the
histories themselves, read in a few statements for many children (`ChildStates.histories`).

`storage.review_index` decides what to compute and when; `storage.review_rows` writes it.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from datetime import datetime
from uuid import UUID

from records.case import Child
from records.corrections import Addendum, ReviewDecision
from records.flag_fold import ChildFold, fold_from_json, fold_visits, rules_identity
from records.flag_types import decision_of, local_day
from records.flags import FlagRules, VisitOnRecord, flags_of_fold
from records.visit import Visit
from storage.case_notes import notes_by_child
from storage.review_rows import ChildHistory, Computed, Flagged
from storage.transactions import Connection

RELEASE_SLICE = 200
"""Parsed visits freed at a time after a batch (see `let_go`)."""

MARKED = ""
"""`review_children.computed_on` of a child whose pulled records are indexed but whose flags
are not yet recomputed: earlier than any day, so it is stale to every later refresh too."""



_PEOPLE = (
    "SELECT c.id, c.record_json, coalesce(c.allocated_worker, json_extract(k.record_json,"
    " '$.allocated_worker'), '') FROM children AS c LEFT JOIN cases AS k ON k.id = c.case_id"
    " WHERE c.id IN (SELECT value FROM json_each(?))")
"""Each child's record and worker (their own, else their case's: vault schema 25), for the
children of a JSON array of ids."""


class ChildStates:
    def __init__(self, conn: Connection, rules: FlagRules,
                 clock: Callable[[], datetime]) -> None:
        self._conn = conn
        self._rules = rules
        self._clock = clock

    def histories(self, child_ids: Iterable[UUID], parsed: dict[str, Visit] | None = None,
                  leave_out: frozenset[str] = frozenset()) -> list[ChildHistory]:
        """Each child's record, worker and every visit, read in a few statements for all.

        Statements, not rows, are what cost under SQLCipher, so a pull of a page touching a
        hundred children reads their histories together; a visit is parsed once (`parsed`
        holds visits the caller has already parsed, by id). Visits in `leave_out` (pending,
        to be folded in by a later batch) are not read.
        """
        known = parsed or {}
        wanted = json.dumps(sorted({str(c) for c in child_ids}))
        people = self._conn.execute(
            _PEOPLE,
            (wanted,)).fetchall()
        if not people:
            return []
        addenda, reviews = self._corrections(wanted)
        on_records: dict[str, VisitOnRecord] = {}
        by_child: dict[str, list[VisitOnRecord]] = {}
        for child_id, visit_id, record, received, submitted in self._conn.execute(
            "SELECT vc.child_id, r.id, r.record_json, r.central_received_at,"
            " r.central_submitted_at"
            " FROM review_visit_children AS vc JOIN received_records AS r ON r.id = vc.visit_id"
            " WHERE vc.child_id IN (SELECT value FROM json_each(?))", (wanted,),
        ):
            if visit_id in leave_out:
                continue
            on_record = on_records.get(visit_id)
            if on_record is None:
                visit = known.get(visit_id) or Visit.model_validate_json(record)
                on_record = on_records[visit_id] = VisitOnRecord(
                    visit=visit, submitted_at=_submitted_at(visit, received, self._clock()),
                    device_submitted_at=(datetime.fromisoformat(submitted) if submitted
                                         else None),
                    addenda=tuple(sorted(addenda.get(visit_id, []),
                                         key=lambda a: a.written_at)),
                    reviews=tuple(sorted(reviews.get(visit_id, {}).values(),
                                         key=lambda r: r.decided_at)),
                )
            by_child.setdefault(child_id, []).append(on_record)
        notes = notes_by_child(self._conn, (UUID(child_id) for child_id, _, _ in people))
        return [ChildHistory(Child.model_validate_json(record), worker,
                             tuple(by_child.get(child_id, ())), notes.get(UUID(child_id), ()))
                for child_id, record, worker in people]

    # --- internals ----------------------------------------------------------------------

    def _corrections(self, wanted: str) -> tuple[dict[str, list[Addendum]],
                                                 dict[str, dict[UUID, ReviewDecision]]]:
        """The addenda and review decisions on the visits of the children in ``wanted``."""
        addenda: dict[str, list[Addendum]] = {}
        reviews: dict[str, dict[UUID, ReviewDecision]] = {}
        for visit_id, kind, record in self._conn.execute(
            "SELECT l.visit_id, l.kind, r.record_json FROM review_links AS l"
            " JOIN received_records AS r ON r.id = l.record_id WHERE l.visit_id IN"
            " (SELECT visit_id FROM review_visit_children"
            "  WHERE child_id IN (SELECT value FROM json_each(?)))"
            " UNION ALL SELECT d.visit_id, 'review', d.canonical_json"
            " FROM review_decisions AS d WHERE d.visit_id IN"
            " (SELECT visit_id FROM review_visit_children"
            "  WHERE child_id IN (SELECT value FROM json_each(?)))",
            (wanted, wanted),
        ):
            if kind == "addendum":
                addenda.setdefault(visit_id, []).append(Addendum.model_validate_json(record))
            else:
                review = ReviewDecision.model_validate_json(record)
                reviews.setdefault(visit_id, {})[review.id] = review
        return addenda, reviews

    def compute(self, batch: list[UUID], parsed: dict[str, Visit] | None,
                 arrived: dict[str, VisitOnRecord] | None, refold: frozenset[UUID], *,
                 from_state: bool) -> tuple[Computed, list[ChildHistory], str]:
        """The states and flags of these children, nothing written; with the histories read
        (to be let go after the store) and today.

        `arrived` are pending visits being queued now: folded into the stored state of each
        child they name. With `from_state` (the daily refresh) the flags are read from the
        stored states as they are. A child with no usable state (none, other rules, marked,
        in `refold`) has its state folded from its history: every visit linked to it but
        those still pending outside `parsed`; or, with nothing queued before, from an empty
        state and the arrived visits.
        """
        now = self._clock()
        today = local_day(now)
        computed: Computed = []
        folds = self._states(batch) if arrived is not None or from_state else {}
        new_by_child: dict[UUID, list[VisitOnRecord]] = {}
        for record in (arrived or {}).values():
            for observation in record.visit.children:
                new_by_child.setdefault(observation.child_id, []).append(record)
        usable = {c for c in batch if c in folds and c not in refold}
        # A child with no state and nothing queued before (a first sync) starts from an
        # empty state: its history is this batch's visits, already parsed.
        unknown = [c for c in batch if c not in usable and c not in refold]
        fresh = (set(unknown) - self._queued_elsewhere(unknown, parsed or {})
                 if arrived is not None and unknown else set())
        people = self._people([c for c in batch if c in usable or c in fresh])
        notes = notes_by_child(self._conn, batch)
        for child_id in usable | fresh:
            if child_id not in people:
                continue
            child, worker = people[child_id]
            new = new_by_child.get(child_id, [])
            state = folds[child_id] if child_id in usable else ChildFold()
            if new or child_id in fresh:
                fold_visits(state, child, new, today, self._rules)
            computed.append(Flagged(child, worker, state, flags_of_fold(
                state, child, now=now, rules=self._rules, notes=notes.get(child_id, ())),
                {}, changed=bool(new) or child_id in fresh))
        rebuild = [c for c in batch if c not in usable and c not in fresh]
        leave_out = self._pending_elsewhere(rebuild, parsed or {}) if rebuild else frozenset()
        read = self.histories(rebuild, parsed, leave_out) if rebuild else []
        for history in read:
            child = history.child
            state = fold_visits(ChildFold(), child, list(history.visits), today,
                                self._rules)
            computed.append(Flagged(
                child, history.worker, state,
                flags_of_fold(state, child, now=now, rules=self._rules,
                              notes=history.notes),
                {str(r.visit.id): decision_of(r) for r in history.visits}))
        return computed, read, today.isoformat()

    def _states(self, child_ids: list[UUID]) -> dict[UUID, ChildFold]:
        """The stored states of these children folded with these rules and not marked."""
        identity = rules_identity(self._rules)
        found = {}
        for child_id, text in self._conn.execute(
            "SELECT f.child_id, f.fold_json FROM review_child_folds AS f"
            " JOIN review_children AS c ON c.child_id = f.child_id AND c.computed_on != ?"
            " WHERE f.child_id IN (SELECT value FROM json_each(?))",
            (MARKED, json.dumps([str(c) for c in child_ids])),
        ):
            child = UUID(child_id)
            state = fold_from_json(text, child)
            if state.rules == identity:
                found[child] = state
        return found

    def _people(self, child_ids: list[UUID]) -> dict[UUID, tuple[Child, str]]:
        """Each child's record and allocated worker, one statement for all."""
        if not child_ids:
            return {}
        return {UUID(child_id): (Child.model_validate_json(record), worker)
                for child_id, record, worker in self._conn.execute(
            _PEOPLE,
            (json.dumps([str(c) for c in child_ids]),))}

    def _queued_elsewhere(self, child_ids: list[UUID], parsed: dict[str, Visit]) -> set[UUID]:
        """Of these children, those with a visit queued before this batch."""
        return {UUID(child_id) for child_id, visit_id in self._conn.execute(
            "SELECT vc.child_id, vc.visit_id FROM review_visit_children AS vc"
            " JOIN review_visits AS v ON v.visit_id = vc.visit_id"
            " WHERE vc.child_id IN (SELECT value FROM json_each(?))",
            (json.dumps([str(c) for c in child_ids]),)) if visit_id not in parsed}

    def _pending_elsewhere(self, child_ids: list[UUID],
                           parsed: dict[str, Visit]) -> frozenset[str]:
        """Pending visits of these children outside this batch: a later batch folds them."""
        return frozenset(r[0] for r in self._conn.execute(
            "SELECT p.record_id FROM review_visit_children AS vc"
            " CROSS JOIN review_pending AS p ON p.record_id = vc.visit_id"
            " WHERE vc.child_id IN (SELECT value FROM json_each(?)) AND p.kind = 'visit'",
            (json.dumps([str(c) for c in child_ids]),)) if r[0] not in parsed)

    def queued_or_reviewed(self, visit_ids: list[str]
                            ) -> tuple[frozenset[str], frozenset[UUID]]:
        """Of these pending visits, those already queued or with an addendum or decision,
        and the children they name (whose states are folded again from their histories)."""
        wanted = json.dumps(visit_ids)
        found = frozenset(r[0] for r in self._conn.execute(
            "SELECT visit_id FROM review_visits WHERE visit_id IN (SELECT value FROM json_each(?))"
            " UNION SELECT visit_id FROM review_links"
            " WHERE visit_id IN (SELECT value FROM json_each(?))"
            " UNION SELECT visit_id FROM review_decisions"
            " WHERE visit_id IN (SELECT value FROM json_each(?))", (wanted, wanted, wanted)))
        if not found:
            return found, frozenset()
        return found, frozenset(UUID(r[0]) for r in self._conn.execute(
            "SELECT child_id FROM review_visit_children"
            " WHERE visit_id IN (SELECT value FROM json_each(?))", (json.dumps(sorted(found)),)))


def pulled_on_record(visit: Visit, received: str | None, submitted: str | None,
               fallback: datetime) -> VisitOnRecord:
    """A newly pulled visit as the flags read it (no addendum or decision yet)."""
    return VisitOnRecord(visit=visit, submitted_at=_submitted_at(visit, received, fallback),
                         device_submitted_at=(datetime.fromisoformat(submitted) if submitted
                                              else None))


def _submitted_at(visit: Visit, received: str | None, fallback: datetime) -> datetime:
    """When central received the visit (sign-off waits from it; late recording counts to the
    laptop's submission, `central_submitted_at`, when central sent it); a record pulled
    before central said so (schema version 7 and older) has its end stand in for it."""
    if received:
        return datetime.fromisoformat(received)
    return visit.ended_at or visit.started_at or fallback


def let_go(read: list[ChildHistory]) -> None:
    """Free a batch's parsed visits `RELEASE_SLICE` at a time, not all at once.

    Freeing is reference counting in C and holds the GIL throughout: one child's 11,000
    visits let go together held it 30-50 ms, a frozen window while the sync thread indexed
    a pull. Between slices the UI thread gets its turn.
    """
    records = [record for history in read for record in history.visits]
    read.clear()  # the histories go; their visits live on in `records`
    while records:
        del records[-RELEASE_SLICE:]


def let_go_states(computed: Computed) -> None:
    """Free a batch's states and flags `RELEASE_SLICE` at a time, as `let_go` does its
    visits: a child of thousands of visits keeps thousands of open visits and flags."""
    for flagged in computed:
        opened = flagged.state.open
        keys = list(opened)
        while keys:
            for key in keys[-RELEASE_SLICE:]:
                del opened[key]
            del keys[-RELEASE_SLICE:]
        while flagged.flags:
            del flagged.flags[-RELEASE_SLICE:]
    computed.clear()
