"""Storing the review index's computed flags: a child's flag rows, its dashboard line and
the queue rows of its visits, only what changed (split from `storage.review_index`)."""

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
"""`records.last_seen.timeliness_of_each` of one child: shared by its flags and state."""


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


def store_flags(conn: Connection, rules: FlagRules,
                computed: list[tuple[ChildHistory, list[Flag], Timelinesses]],
                today: str) -> None:
    """Replace these children's flags and dashboard facts: a few statements for all.

    Only flag rows that changed are deleted or inserted: a new visit leaves most of a
    child's flags (each visit's sign-off pending, say) as they were.
    """
    ids = json.dumps([str(history.child.id) for history, _, _ in computed])
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
        [_child_row(history, flags, today, rules, each) for history, flags, each in computed],
    )
    _store_visits(conn, ids, computed)


def _store_visits(conn: Connection, ids: str,
                  computed: list[tuple[ChildHistory, list[Flag], Timelinesses]]) -> None:
    """Keep each child's worst flag naming each visit; a visit takes its children's worst.

    Only rows that changed are written.
    """
    held = {(r[0], r[1]): tuple(r[2:]) for r in conn.execute(
        "SELECT child_id, visit_id, rank, since, headline, red_count, amber_count, severity"
        " FROM review_visit_children WHERE child_id IN (SELECT value FROM json_each(?))",
        (ids,))}
    # A visit is awaiting until a decision is on record, and decisions are never taken
    # back: only the visits with one need their stored decision read.
    reviewed = json.dumps([str(r.visit.id) for history, _, _ in computed
                           for r in history.visits if r.reviews])
    decided = dict(conn.execute(
        "SELECT visit_id, decision FROM review_visits"
        " WHERE visit_id IN (SELECT value FROM json_each(?))", (reviewed,)))
    changed: list[tuple[object, ...]] = []
    shared: dict[str, str] = {}
    for history, flags, _ in computed:
        child_id = str(history.child.id)
        naming_visit: dict[UUID, list[Flag]] = {}
        for flag in flags:
            for named in flag.visit_ids:
                naming_visit.setdefault(named, []).append(flag)
        for record in history.visits:
            visit_id = str(record.visit.id)
            naming = sorted(naming_visit.get(record.visit.id, ()), key=lambda f: f.sort_key)
            red = sum(1 for f in naming if f.severity is Severity.RED)
            new = (naming[0].severity.rank if naming else 2,
                   naming[0].since.isoformat() if naming else record.day.isoformat(),
                   naming[0].reason if naming else "", red, len(naming) - red,
                   headline_position(naming[0]) if naming else NO_HEADLINE,
                   decision_of(record))
            stored = held.get((child_id, visit_id))
            if stored is not None and (*stored, decided.get(visit_id, Decision.AWAITING)) \
                    == new:
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


def _child_row(history: ChildHistory, flags: list[Flag], today: str, rules: FlagRules,
               each: Timelinesses) -> tuple[object, ...]:
    """The child's line in `review_children`: what the dashboard counts and lists by name,
    from `records.child_state` (central's list of every child says the same)."""
    child = history.child
    state = child_state(child, history.visits, flags, date.fromisoformat(today), rules, each)
    worst = state.headline
    alone = max((len(f.visit_ids) for f in flags if f.code is FlagCode.NOT_SEEN_ALONE),
                default=0)
    injured = [v.day for v in history.visits
               if any(o.injuries for o in v.visit.children if o.child_id == child.id)]
    seen = state.seen
    return (str(child.id), history.worker, child.plan_type.value,
            worst.severity.rank if worst else 2,
            (worst.since if worst else date.max).isoformat(),
            int(any(f.code is FlagCode.VISIT_OVERDUE and f.severity is Severity.RED
                    for f in flags)),
            alone, max(injured).isoformat() if injured else None, today,
            headline_position(worst) if worst else NO_HEADLINE,
            worst.reason if worst else "",
            seen.day.isoformat() if seen.day else None,
            None if seen.seen_alone is None else int(seen.seen_alone),
            state.seen_recently, state.seen_on_time_recently)


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
