"""What the review index stores for each child and each visit, worked out from a child's
history, flags and timeliness: the child's flag rows (`review_flags`), dashboard line
(`review_children`) and each visit's headline and decision (`review_visit_children`,
`review_visits`), only what changed, a few statements for a whole batch (`store_rows`).

`storage.review_index` reads the histories and computes the flags; this module writes them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from uuid import UUID

from records.case import Child
from records.case_notes import Note
from records.child_state import child_state
from records.corrections import ReviewOutcome
from records.flag_types import NO_HEADLINE, headline_position
from records.flags import Flag, FlagCode, FlagRules, Severity, VisitOnRecord
from records.last_seen import Timeliness
from storage.transactions import Connection

Timelinesses = dict[UUID, Timeliness]
"""`records.last_seen.timeliness_of_each` of one child: shared by its flags and its
dashboard line (`records.child_state`), so it is computed once."""


class Decision:
    """Where a visit stands with the team lead (stored in `review_visits.decision`)."""

    AWAITING = "awaiting"
    RETURNED = "returned"
    ANSWERED = "answered"
    SIGNED_OFF = "signed_off"
    ESCALATED = "escalated"


@dataclass(frozen=True)
class ChildHistory:
    """One child of the team as the review index sees them: record, worker, every visit,
    and every note between visits (pulled, or made on this laptop), oldest first."""

    child: Child
    worker: str
    visits: tuple[VisitOnRecord, ...]
    notes: tuple[Note, ...] = ()


Computed = list[tuple[ChildHistory, list[Flag], Timelinesses]]
"""A batch of children with the flags and the timeliness just worked out for each."""


def store_rows(conn: Connection, computed: Computed, today: str, rules: FlagRules) -> None:
    """Replace these children's flags, dashboard lines and visit rows: a few statements for
    all (joins the caller's transaction)."""
    ids = json.dumps([str(history.child.id) for history, _, _ in computed])
    _store_flag_rows(conn, ids, computed)
    conn.executemany(
        "INSERT INTO review_children (child_id, worker, plan_type, rank, since, overdue,"
        " not_seen_alone_streak, last_injury_day, computed_on, severity, headline,"
        " last_seen_day, seen_alone_when_last_seen, seen_recently, seen_on_time_recently)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        " ON CONFLICT (child_id) DO UPDATE SET"
        " worker = excluded.worker, plan_type = excluded.plan_type, rank = excluded.rank,"
        " since = excluded.since, overdue = excluded.overdue,"
        " not_seen_alone_streak = excluded.not_seen_alone_streak,"
        " last_injury_day = excluded.last_injury_day, computed_on = excluded.computed_on,"
        " severity = excluded.severity, headline = excluded.headline,"
        " last_seen_day = excluded.last_seen_day,"
        " seen_alone_when_last_seen = excluded.seen_alone_when_last_seen,"
        " seen_recently = excluded.seen_recently,"
        " seen_on_time_recently = excluded.seen_on_time_recently",
        [child_row(history, flags, today, rules, each) for history, flags, each in computed],
    )
    store_visit_rows(conn, ids, computed)


def _store_flag_rows(conn: Connection, ids: str, computed: Computed) -> None:
    """Only flag rows that changed are deleted or inserted: a new visit leaves most of a
    child's flags (each visit's sign-off pending, say) as they were."""
    held: dict[tuple[object, ...], list[int]] = {}
    for rowid, *row in conn.execute(
            "SELECT rowid, child_id, code, severity, reason, source, since, visit_ids"
            " FROM review_flags WHERE child_id IN (SELECT value FROM json_each(?))", (ids,)):
        held.setdefault(tuple(row), []).append(rowid)
    added = []
    for _, flags, _ in computed:
        for f in flags:
            row = (str(f.child_id), f.code.value, f.severity.value, f.reason, f.source,
                   f.since.isoformat(), json.dumps([str(v) for v in f.visit_ids]))
            if held.get(row):
                held[row].pop()
            else:
                added.append(row)
    conn.executemany("DELETE FROM review_flags WHERE rowid = ?",
                     [(rowid,) for rowids in held.values() for rowid in rowids])
    conn.executemany(
        "INSERT INTO review_flags (child_id, code, severity, reason, source, since,"
        " visit_ids) VALUES (?, ?, ?, ?, ?, ?, ?)", added)


def decision_of(record: VisitOnRecord) -> str:
    """Where a visit stands: the latest decision, and whether a return has been answered."""
    if not record.reviews:
        return Decision.AWAITING
    latest = max(record.reviews, key=lambda r: r.decided_at)
    if latest.outcome is ReviewOutcome.SIGNED_OFF:
        return Decision.SIGNED_OFF
    if latest.outcome is ReviewOutcome.ESCALATED:
        return Decision.ESCALATED
    if any(a.answers_review_id == latest.id for a in record.addenda):
        return Decision.ANSWERED
    return Decision.RETURNED


def _last_injury_day(history: ChildHistory) -> str | None:
    child_id = history.child.id
    injured = [v.day for v in history.visits
               if any(o.injuries for o in v.visit.children if o.child_id == child_id)]
    return max(injured).isoformat() if injured else None


def _red_overdue(flags: list[Flag]) -> int:
    return int(any(f.code is FlagCode.VISIT_OVERDUE and f.severity is Severity.RED
                   for f in flags))


def _not_seen_alone_streak(flags: list[Flag]) -> int:
    return max((len(f.visit_ids) for f in flags if f.code is FlagCode.NOT_SEEN_ALONE),
               default=0)


def child_row(history: ChildHistory, flags: list[Flag], today: str, rules: FlagRules,
              each: Timelinesses | None = None) -> tuple[object, ...]:
    """The child's line in `review_children`: what the dashboard counts and lists by name,
    from `records.child_state` (central's list of every child says the same). `each` is
    the child's timeliness when the caller has it (the flags used it too)."""
    child = history.child
    state = child_state(child, history.visits, flags, date.fromisoformat(today), rules, each)
    worst, seen = state.headline, state.seen
    headline = (
        (worst.severity.rank, worst.since.isoformat(), headline_position(worst), worst.reason)
        if worst else (2, date.max.isoformat(), NO_HEADLINE, ""))
    return (str(child.id), history.worker, child.plan_type.value, headline[0], headline[1],
            _red_overdue(flags), _not_seen_alone_streak(flags), _last_injury_day(history),
            today, headline[2], headline[3],
            seen.day.isoformat() if seen.day else None,
            None if seen.seen_alone is None else int(seen.seen_alone),
            state.seen_recently, state.seen_on_time_recently)


def _flags_naming_each_visit(flags: list[Flag]) -> dict[UUID, list[Flag]]:
    naming: dict[UUID, list[Flag]] = {}
    for flag in flags:
        for named in flag.visit_ids:
            naming.setdefault(named, []).append(flag)
    return naming


def _visit_row(record: VisitOnRecord, naming: list[Flag]) -> tuple[object, ...]:
    """rank, since, headline, red count, amber count, severity, decision: from the worst
    flag naming the visit (by the flags' own order), or none."""
    naming = sorted(naming, key=lambda f: f.sort_key)
    red = sum(1 for f in naming if f.severity is Severity.RED)
    if not naming:
        return (2, record.day.isoformat(), "", 0, 0, NO_HEADLINE, decision_of(record))
    worst = naming[0]
    return (worst.severity.rank, worst.since.isoformat(), worst.reason, red,
            len(naming) - red, headline_position(worst), decision_of(record))


def _held_visit_rows(conn: Connection, ids: str,
                     computed: Computed) -> dict[tuple[str, str], tuple[object, ...]]:
    """The stored row of each (child, visit) in the batch, as `_visit_row` makes it."""
    # A visit is awaiting until a decision is on record, and decisions are never taken
    # back: only the visits with one need their stored decision read.
    reviewed = json.dumps([str(r.visit.id) for history, _, _ in computed
                           for r in history.visits if r.reviews])
    decided = dict(conn.execute(
        "SELECT visit_id, decision FROM review_visits"
        " WHERE visit_id IN (SELECT value FROM json_each(?))", (reviewed,)))
    return {(r[0], r[1]): (*r[2:], decided.get(r[1], Decision.AWAITING)) for r in conn.execute(
        "SELECT child_id, visit_id, rank, since, headline, red_count, amber_count, severity"
        " FROM review_visit_children WHERE child_id IN (SELECT value FROM json_each(?))",
        (ids,))}


def store_visit_rows(conn: Connection, ids: str, computed: Computed) -> None:
    """Keep each child's worst flag naming each visit; a visit takes its children's worst.

    Only rows that changed are written.
    """
    held = _held_visit_rows(conn, ids, computed)
    changed: list[tuple[object, ...]] = []
    shared: dict[str, object] = {}
    for history, flags, _ in computed:
        child_id = str(history.child.id)
        naming = _flags_naming_each_visit(flags)
        for record in history.visits:
            visit_id = str(record.visit.id)
            new = _visit_row(record, naming.get(record.visit.id, []))
            if held.get((child_id, visit_id)) == new:
                continue
            changed.append((*new, child_id, visit_id))
            if len(record.visit.children) > 1:
                shared[visit_id] = new[6]
    conn.executemany(
        "UPDATE review_visit_children SET rank = ?, since = ?, headline = ?, red_count = ?,"
        " amber_count = ?, severity = ? WHERE child_id = ? AND visit_id = ?",
        [(*row[:6], row[7], row[8]) for row in changed])
    conn.executemany(
        "UPDATE review_visits SET rank = ?, since = ?, headline = ?, red_count = ?,"
        " amber_count = ?, severity = ?, decision = ? WHERE visit_id = ?",
        [(*row[:7], row[8]) for row in changed if row[8] not in shared])
    _store_shared_visits(conn, shared)


def _store_shared_visits(conn: Connection, shared: dict[str, object]) -> None:
    """A visit to several children takes the worst of its children's rows, and their counts."""
    for shared_id, decision in shared.items():
        rows = conn.execute(
            "SELECT rank, since, headline, red_count, amber_count, severity"
            " FROM review_visit_children WHERE visit_id = ?", (shared_id,)).fetchall()
        # The most serious of its children's headlines (red first, then the ranking).
        worst = min(rows, key=lambda r: (r[0], r[5], r[1]))
        conn.execute(
            "UPDATE review_visits SET rank = ?, since = ?, headline = ?, red_count = ?,"
            " amber_count = ?, severity = ?, decision = ? WHERE visit_id = ?",
            (worst[0], worst[1], worst[2], sum(r[3] for r in rows),
             sum(r[4] for r in rows), worst[5], decision, shared_id))
