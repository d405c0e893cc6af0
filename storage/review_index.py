"""The review index: the visits pulled from central and their children's flags (on a team
lead's laptop the team's visits, for review; on a worker's those made about the children
allocated to them, which the caseload and the flags before submitting count).

Pulling stores central's records in `received_records`; a trigger marks each one pending
in the same transaction (schema version 6). `ReviewIndex.refresh` then indexes the pending
records and folds the pending visits into each child's stored flag state
(`records.flag_fold`, `review_child_folds`, schema version 20): one pass per child per
batch, the child's state read once, the batch's visits folded in, the flags read from the
state and written with the state, so a pulled visit costs itself, not the child's history.
A child without a state, with other rules, whose record changed or whose visits got an
addendum or a review decision has its state folded again from its history. Flags that
depend on the date alone (overdue, sign-off pending) are read from the states once a day:
a child whose flags were computed on an earlier day is recomputed at the next refresh, a
chunk of children per transaction.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from uuid import UUID

from records.case import Child
from records.flag_fold import rules_identity
from records.flag_types import Decision, local_day
from records.flags import FlagRules, VisitOnRecord
from records.visit import Visit
from storage.case_notes import parse_note
from storage.review_folds import (
    MARKED,
    RELEASE_SLICE,
    ChildStates,
    let_go,
    let_go_states,
    pulled_on_record,
)
from storage.review_rows import (
    ChildHistory,
    Computed,
    flags_naming_each_visit,
    store_rows,
    visit_row,
    worst_child_row,
)
from storage.transactions import Connection, transaction

log = logging.getLogger(__name__)

DAILY_CHUNK = 50
"""Children recomputed per transaction by the daily refresh: ~0.2 s of CPU (a few seconds on
a loaded machine), so a note opened meanwhile waits for one chunk at most."""

BATCH = 250
"""Children whose histories are read and flags stored together (bounds the memory a first
sync's whole team would take)."""

PENDING_CHUNK = 500
"""Pulled records indexed per transaction: a pull of 10,000 is read, parsed, written and let
go a few hundred at a time, so neither the vault nor the memory is held by all of them."""


@dataclass(frozen=True)
class RefreshReport:
    records_indexed: int
    children_recomputed: int


class ReviewIndex:
    def __init__(self, conn: Connection, rules: FlagRules,
                 clock: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        self._conn = conn
        self._rules = rules
        self._clock = clock
        self._states = ChildStates(conn, rules, clock)

    # --- keeping it current -------------------------------------------------------------

    def pending_count(self) -> int:
        return int(self._conn.execute("SELECT count(*) FROM review_pending").fetchone()[0])

    def refresh(self, *, daily: bool = True) -> RefreshReport:
        """Index what the last pulls brought and recompute the children it touched.

        In short transactions, in order: pending visits are linked to their children (one
        statement, SQLite's JSON reader, nothing queued yet); the other pending records a
        chunk at a time, each chunk marking the children it touches in the same
        transaction; then the pending visits a batch of children at a time, each visit
        queued in the same transaction as every one of its children's flags (a visit never
        shows in the queue without them), each child's state read, the batch's visits folded
        in and its flags read from it once per batch; then any children still marked. A
        crash part-way leaves the rest pending or marked, and the next refresh carries on
        from there.

        With `daily`, children whose flags were computed before today have them read from
        their states again, in chunks, because overdue and sign-off pending move with the
        date alone.
        """
        indexed = recomputed = 0
        self._mark_all_if_the_rules_changed()
        self._link_pending_visits()
        while chunk := self._index_pending():
            indexed += chunk
        while True:
            queued, children = self._queue_batch()
            if not queued:
                break
            indexed, recomputed = indexed + queued, recomputed + children
        while batch := self._recompute_marked():
            recomputed += batch
        while daily and (chunk := self.refresh_stale()):
            recomputed += chunk
        return RefreshReport(indexed, recomputed)

    def refresh_stale(self) -> int:
        """Recompute one chunk of children whose flags were computed before today.

        One short transaction, so a screen can read between chunks; returns how many.
        """
        stale = [UUID(r[0]) for r in self._conn.execute(
            "SELECT child_id FROM review_children WHERE computed_on < ? LIMIT ?",
            (self._today().isoformat(), DAILY_CHUNK))]
        if stale:
            with transaction(self._conn):
                self._recompute(stale, from_state=True)
                # A child no longer on this laptop has no history to recompute: never again.
                self._conn.execute(
                    "UPDATE review_children SET computed_on = ? WHERE computed_on < ?"
                    " AND child_id IN (SELECT value FROM json_each(?))",
                    (self._today().isoformat(), self._today().isoformat(),
                     json.dumps([str(c) for c in stale])))
        return len(stale)

    def recompute(self, child_ids: Iterable[UUID]) -> None:
        """Re-run the flags of these children now (joins the caller's transaction)."""
        with transaction(self._conn):
            self._recompute(child_ids)

    def children_of_visit(self, visit_id: UUID) -> list[UUID]:
        rows = self._conn.execute(
            "SELECT child_id FROM review_visit_children WHERE visit_id = ?", (str(visit_id),))
        return [UUID(r[0]) for r in rows]

    # --- reading a child's whole history ------------------------------------------------

    def history(self, child_id: UUID) -> ChildHistory | None:
        found = self.histories([child_id])
        return found[0] if found else None

    def histories(self, child_ids: Iterable[UUID],
                  parsed: dict[str, Visit] | None = None) -> list[ChildHistory]:
        """Each child's record, worker, every visit and every note (`ChildStates.histories`)."""
        return self._states.histories(child_ids, parsed)

    def _today(self) -> date:
        return local_day(self._clock())

    def _link_pending_visits(self) -> None:
        """Link every pending visit to the children it names, in one statement.

        The visits are not queued yet (`_queue_batch` does that with their flags); the
        links tell it which pending visits each child has. Read by SQLite's JSON reader:
        no visit is parsed here. A pending record no longer held is let go.
        """
        with transaction(self._conn):
            self._conn.execute(
                "INSERT OR IGNORE INTO review_visit_children (child_id, visit_id)"
                " SELECT json_extract(o.value, '$.child_id'), p.record_id"
                " FROM review_pending AS p JOIN received_records AS r ON r.id = p.record_id,"
                " json_each(r.record_json, '$.children') AS o WHERE p.kind = 'visit'")
            self._conn.execute(
                "DELETE FROM review_pending WHERE kind = 'visit' AND NOT EXISTS"
                " (SELECT 1 FROM received_records WHERE id = review_pending.record_id)")

    def _index_pending(self) -> int:
        """Index one chunk of pending records other than visits in its own transaction;
        returns how many.

        The children they touch are marked (`MARKED`) for `_recompute_marked`, and the chunk
        leaves `review_pending`, in the same transaction. A child's record that arrives (or
        changes) renames the visits already queued under it (visits still pending are named
        when they are queued, after every pulled child was stored).
        """
        with transaction(self._conn):
            rows = self._conn.execute(
                "SELECT p.record_id, p.kind, r.record_json FROM review_pending AS p"
                " LEFT JOIN received_records AS r ON r.id = p.record_id"
                " WHERE p.kind != 'visit' ORDER BY p.record_id LIMIT ?", (PENDING_CHUNK,)
            ).fetchall()
            if not rows:
                return 0
            arrived: set[UUID] = {UUID(r[0]) for r in rows if r[1] == "child"}
            touched = arrived | _children_of_notes(rows)
            self._rename_visits_of(arrived)
            touched |= self._index_links(rows)
            self._mark(touched)
            self._conn.execute(
                "DELETE FROM review_pending WHERE record_id IN (SELECT value FROM json_each(?))",
                (json.dumps([r[0] for r in rows]),))
        return len(rows)

    def _mark(self, touched: set[UUID]) -> None:
        # A child not yet in review_children is picked up by `_recompute_marked` as it is.
        self._conn.execute(
            "UPDATE review_children SET computed_on = ?"
            " WHERE child_id IN (SELECT value FROM json_each(?))",
            (MARKED, json.dumps(sorted(str(c) for c in touched))))

    def _index_links(self, rows: list[tuple[str, str, str | None]]) -> set[UUID]:
        """Link each pulled addendum and review to its visit; the children of those visits."""
        links = [(record_id, kind, str(json.loads(record)["visit_id"]))
                 for record_id, kind, record in rows
                 if kind in ("addendum", "review") and record is not None]
        if not links:
            return set()
        self._conn.executemany(
            "INSERT OR IGNORE INTO review_links (record_id, kind, visit_id) VALUES (?, ?, ?)",
            links)
        return {UUID(r[0]) for r in self._conn.execute(
            "SELECT child_id FROM review_visit_children"
            " WHERE visit_id IN (SELECT value FROM json_each(?))",
            (json.dumps([visit_id for _, _, visit_id in links]),))}

    def _queue_batch(self) -> tuple[int, int]:
        """Queue the pending visits of a batch of children, with their flags, in one
        transaction; returns (visits queued, children recomputed).

        The batch is up to `BATCH` children with pending visits, and every other child those
        visits name, so each visit is queued with all of its children's flags. One pass per
        child: its state is read once, the batch's visits naming it folded in oldest first,
        its flags read from the state and written with it once, whatever number of its
        visits arrived (`review_folds.ChildStates.compute`); each pending visit is parsed
        once, and queued with its final row.
        """
        with transaction(self._conn):
            # CROSS JOIN: read from the few pending rows, not from every visit's links.
            first = [r[0] for r in self._conn.execute(
                "SELECT DISTINCT vc.child_id FROM review_pending AS p"
                " CROSS JOIN review_visit_children AS vc ON vc.visit_id = p.record_id"
                " WHERE p.kind = 'visit' LIMIT ?", (BATCH,))]
            rows = self._conn.execute(
                "SELECT r.id, r.record_json, r.record_hash, r.submitted_by,"
                " r.central_received_at, r.central_submitted_at"
                " FROM received_records AS r WHERE r.id IN (SELECT p.record_id"
                "  FROM review_pending AS p JOIN review_visit_children AS vc"
                "  ON vc.visit_id = p.record_id WHERE p.kind = 'visit'"
                "  AND vc.child_id IN (SELECT value FROM json_each(?)))",
                (json.dumps(first),)).fetchall() if first else self._conn.execute(
                # Visits naming no child at all: queued as they are.
                "SELECT r.id, r.record_json, r.record_hash, r.submitted_by,"
                " r.central_received_at, r.central_submitted_at FROM review_pending AS p"
                " JOIN received_records AS r ON r.id = p.record_id"
                " WHERE p.kind = 'visit' LIMIT ?", (BATCH,)).fetchall()
            if not rows:
                return 0, 0
            pulled = _pulled_visits(rows)
            parsed = {visit_id: visit for visit_id, (visit, _, _) in pulled.items()}
            # A visit queued before (sent again) or already reviewed cannot be folded in as
            # new: its children's states are folded again from their histories.
            settled, refold = self._states.queued_or_reviewed(list(parsed))
            # A settled visit's links may hold a worst flag from before (a child recomputed
            # between the link and this batch): cleared, so its row is written with the flags.
            if settled:
                self._conn.execute(
                    "UPDATE review_visit_children SET rank = 2, since = '', headline = '',"
                    " red_count = 0, amber_count = 0, severity = 99"
                    " WHERE visit_id IN (SELECT value FROM json_each(?))"
                    " AND (rank, since, headline, red_count, amber_count, severity)"
                    " != (2, '', '', 0, 0, 99)", (json.dumps(sorted(settled)),))
            arrived = {row[0]: pulled_on_record(parsed[row[0]], row[4], row[5], self._clock())
                       for row in rows if row[0] not in settled}
            children = {o.child_id for visit, _, _ in pulled.values()
                        for o in visit.children} | {UUID(c) for c in first}
            computed, read, today = self._compute(sorted(children), parsed, arrived, refold,
                                                  from_state=False)
            # Each new visit is queued with its final row (the flags are known): one write.
            self._index_visits(list(pulled.values()), computed, settled)
            self._store(computed, today)
            let_go(read)
            let_go_states(computed)
            self._conn.execute(
                "DELETE FROM review_pending WHERE record_id IN (SELECT value FROM json_each(?))",
                (json.dumps(list(parsed)),))
        pulled.clear()
        arrived.clear()
        _let_go_parsed(parsed)
        return len(rows), len(children)

    def _mark_all_if_the_rules_changed(self) -> None:
        """Under another edition of the rules than the stored flags were worked out by (an
        upgrade that changed a rule, IT changing a threshold), mark every child, so no
        screen shows the old rule's flags until tomorrow's refresh; `_recompute_marked`
        then works them out again, a batch at a time. A vault with no edition stored yet
        was indexed by an older version: the same."""
        edition = rules_identity(self._rules)
        row = self._conn.execute("SELECT edition FROM review_rules_edition").fetchone()
        if row is not None and row[0] == edition:
            return
        with transaction(self._conn):
            self._conn.execute("UPDATE review_children SET computed_on = ?", (MARKED,))
            self._conn.execute(
                "INSERT INTO review_rules_edition (singleton, edition) VALUES (1, ?)"
                " ON CONFLICT (singleton) DO UPDATE SET edition = excluded.edition",
                (edition,))
        log.info("review index: rules edition %s, every child marked to be worked out again",
                 edition)

    def _recompute_marked(self) -> int:
        """Recompute one batch of marked children in its own transaction; returns how many.

        Children stored before this laptop was a team lead's (or before schema version 6)
        have no row in review_children yet and count as marked.
        """
        marked = [UUID(r[0]) for r in self._conn.execute(
            "SELECT child_id FROM review_children WHERE computed_on = ?"
            " UNION SELECT id FROM children WHERE removed_at IS NULL"
            " AND id NOT IN (SELECT child_id FROM review_children) LIMIT ?", (MARKED, BATCH))]
        if marked:
            with transaction(self._conn):
                self._recompute(marked)
                # A child no longer on this laptop has no history to recompute: done.
                self._conn.execute(
                    "UPDATE review_children SET computed_on = ? WHERE computed_on = ?"
                    " AND child_id IN (SELECT value FROM json_each(?))",
                    (self._today().isoformat(), MARKED, json.dumps([str(c) for c in marked])))
        return len(marked)

    def _index_visits(self, visits: list[tuple[Visit, str, str]], computed: Computed,
                      settled: frozenset[str]) -> None:
        """A queue row and child links for each newly pulled visit, in three statements,
        written with their final rows from `computed` (a `settled` visit keeps its queue
        row; `store_visit_rows` brings it up to date)."""
        if not visits:
            return
        # Each id turned to text once: 100,000 visits' children are named several times.
        children_of = [[str(o.child_id) for o in visit.children] for visit, _, _ in visits]
        names = self._names_of({child_id for named in children_of for child_id in named})
        naming = {str(c.child.id): flags_naming_each_visit(c.flags) for c in computed}
        fallback = self._clock()
        queued, links = [], []
        for (visit, record_hash, submitted_by), named in zip(visits, children_of, strict=True):
            visit_id, day = str(visit.id), _visit_day(visit, fallback).isoformat()
            shown = _shown_names(named, names)
            rows = [(child_id, _CLEARED if child_id not in naming or visit_id in settled
                     else visit_row(day, Decision.AWAITING,
                                    naming[child_id].get(visit_id, [])))
                    for child_id in named]
            links += [(child_id, visit_id, *row[:6]) for child_id, row in rows]
            known = [row for child_id, row in rows if child_id in naming]
            queued.append((visit_id, str(visit.case_id), submitted_by, visit.worker, day,
                           record_hash, shown, *_queue_row(day, [row for _, row in rows], known)))
        self._conn.executemany(
            "INSERT INTO review_visits (visit_id, case_id, worker, worker_name, visit_day,"
            " record_hash, child_names, rank, since, headline, red_count, amber_count,"
            " severity) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (visit_id) DO NOTHING", queued)
        self._conn.executemany(
            "INSERT INTO review_visit_children (child_id, visit_id, rank, since, headline,"
            " red_count, amber_count, severity) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (child_id, visit_id) DO UPDATE SET rank = excluded.rank,"
            " since = excluded.since, headline = excluded.headline,"
            " red_count = excluded.red_count, amber_count = excluded.amber_count,"
            " severity = excluded.severity", links)

    def _names_of(self, child_ids: Iterable[str]) -> dict[str, str]:
        """The names of these children as this laptop holds them (absent: not held)."""
        return {r[0]: Child.model_validate_json(r[1]).display_name for r in self._conn.execute(
            "SELECT id, record_json FROM children WHERE id IN (SELECT value FROM json_each(?))",
            (json.dumps(sorted(set(child_ids))),))}

    def _rename_visits_of(self, arrived: set[UUID]) -> None:
        """Queue rows of visits indexed before these children's records arrived (or changed).

        A visit can reach this laptop before its child does (the child allocated to the team
        after the visit was sent, or its record corrected at central later): its row named
        "a child not on this laptop", or the old name, until now. Each visit's children are
        read in the visit's own order from its record, without parsing the whole visit.
        """
        if not arrived:
            return
        order: dict[str, list[str]] = {}
        shown: dict[str, str] = {}
        for visit_id, child_names, child_id in self._conn.execute(
            "SELECT v.visit_id, v.child_names, json_extract(o.value, '$.child_id')"
            " FROM review_visits AS v JOIN received_records AS r ON r.id = v.visit_id,"
            " json_each(r.record_json, '$.children') AS o"
            " WHERE v.visit_id IN (SELECT visit_id FROM review_visit_children"
            "  WHERE child_id IN (SELECT value FROM json_each(?)))"
            " ORDER BY v.visit_id, o.key",
            (json.dumps(sorted(str(c) for c in arrived)),),
        ):
            order.setdefault(visit_id, []).append(child_id)
            shown[visit_id] = child_names
        names = self._names_of(c for children in order.values() for c in children)
        renamed = [(now, visit_id) for visit_id, children in order.items()
                   if (now := _shown_names(children, names)) != shown[visit_id]]
        self._conn.executemany(
            "UPDATE review_visits SET child_names = ? WHERE visit_id = ?", renamed)

    def _recompute(self, child_ids: Iterable[UUID], *, from_state: bool = False) -> None:
        """Flags of these children, stored with their states, `BATCH` at a time (see
        `_compute`)."""
        ordered = sorted(set(child_ids))
        for start in range(0, len(ordered), BATCH):  # a first sync brings the whole team
            computed, read, today = self._compute(ordered[start:start + BATCH], None, None,
                                                  frozenset(), from_state=from_state)
            if computed:
                self._store(computed, today)
            let_go_states(computed)
            let_go(read)

    def _compute(self, batch: list[UUID], parsed: dict[str, Visit] | None,
                 arrived: dict[str, VisitOnRecord] | None, refold: frozenset[UUID], *,
                 from_state: bool) -> tuple[Computed, list[ChildHistory], str]:
        """`ChildStates.compute`: the batch's states and flags, nothing written."""
        return self._states.compute(batch, parsed, arrived, refold, from_state=from_state)

    def _store(self, computed: Computed, today: str) -> None:
        """Write the batch's flags, dashboard lines and visit rows (`review_rows`)."""
        store_rows(self._conn, computed, today, self._rules)


def _pulled_visits(rows: list[tuple[str, str, str, str | None, str | None, str | None]]
                   ) -> dict[str, tuple[Visit, str, str]]:
    """The batch's pending visits, each parsed once, by id, with their hash and who
    submitted them."""
    return {visit_id: (Visit.model_validate_json(record), record_hash, submitted_by or "")
            for visit_id, record, record_hash, submitted_by, _, _ in rows}


def _children_of_notes(rows: list[tuple[str, str, str | None]]) -> set[UUID]:
    """A note names its children itself: they are recomputed, like a visit's."""
    return {child_id for _, kind, record in rows if kind == "note" and record is not None
            for child_id in parse_note(record).child_ids}


NOT_ON_LAPTOP = "a child not on this laptop"
"""How the queue names a child whose record central has not (yet) sent this laptop."""


def _shown_names(child_ids: list[str], names: dict[str, str]) -> str:
    """A visit's children as its queue row names them, in the visit's order."""
    return ", ".join(names.get(child_id, NOT_ON_LAPTOP) for child_id in child_ids)


def _let_go_parsed(parsed: dict[str, Visit]) -> None:
    """Free a batch's newly parsed visits `RELEASE_SLICE` at a time (see `review_folds.let_go`)."""
    keys = list(parsed)
    while keys:
        for key in keys[-RELEASE_SLICE:]:
            del parsed[key]
        del keys[-RELEASE_SLICE:]


def forget_child_in_review(conn: Connection, child_id: str) -> None:
    """A child reallocated away from this team: out of the queue and the flags (schema 7).

    Visits that named only this child leave the queue; the pulled records themselves stay.
    """
    visit_ids = [r[0] for r in conn.execute(
        "SELECT visit_id FROM review_visit_children WHERE child_id = ?", (child_id,))]
    for table in ("review_visit_children", "review_flags", "review_children",
                  "review_child_folds"):
        conn.execute(f"DELETE FROM {table} WHERE child_id = ?", (child_id,))  # noqa: S608
    conn.execute("DELETE FROM review_pending WHERE record_id = ?", (child_id,))
    conn.execute(
        "DELETE FROM review_visits WHERE visit_id IN (SELECT value FROM json_each(?))"
        " AND NOT EXISTS (SELECT 1 FROM review_visit_children AS vc"
        "                 WHERE vc.visit_id = review_visits.visit_id)",
        (json.dumps(visit_ids),))


_CLEARED: tuple[object, ...] = (2, "", "", 0, 0, 99, Decision.AWAITING)
"""A link's row before its child's flags are known (a child not on this laptop)."""


def _queue_row(day: str, rows: list[tuple[object, ...]],
               known: list[tuple[object, ...]]) -> tuple[object, ...]:
    """rank, since, headline, red, amber, severity of a new queue row: its one child's row,
    the worst of its children's (`review_rows._store_shared_visits`), or, with no child's
    flags known, the row of a visit with no flag."""
    if not known:
        return (2, day, "", 0, 0, 99)
    if len(rows) == 1:
        return rows[0][:6]
    worst = worst_child_row(rows)
    return (*worst[:3], sum(int(str(r[3])) for r in rows), sum(int(str(r[4])) for r in rows),
            worst[5])


def _visit_day(visit: Visit, fallback: datetime) -> date:
    return visit.visit_date or local_day(visit.ended_at or visit.started_at or fallback)

