"""What the review index stores for each child and each visit, worked out from a child's
flag state (`records.flag_fold`) and flags: the child's flag rows (`review_flags`),
dashboard line (`review_children`), each visit's headline and decision
(`review_visit_children`, `review_visits`) and the state itself (`review_child_folds`), only
what changed, a few statements for a whole batch (`store_rows`).

`storage.review_index` folds the states and computes the flags; this module writes them.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from records.case import Child
from records.case_notes import Note
from records.child_state import ChildState, child_state_of
from records.flag_fold import ChildFold, fold_to_json
from records.flag_types import NO_HEADLINE, headline_position
from records.flags import Flag, FlagCode, FlagRules, Severity, VisitOnRecord
from storage.transactions import Connection


@dataclass(frozen=True)
class ChildHistory:
    """One child of the team as the review index sees them: record, worker, every visit,
    and every note between visits (pulled, or made on this laptop), oldest first."""

    child: Child
    worker: str
    visits: tuple[VisitOnRecord, ...]
    notes: tuple[Note, ...] = ()


@dataclass(frozen=True)
class Flagged:
    """One child of a batch with its state and the flags just read from it."""

    child: Child
    worker: str
    state: ChildFold
    flags: list[Flag]
    decisions: dict[str, str]
    """Where each visit stands (`decision_of`), for visits whose history was read; the
    others keep their stored decision (a decision arriving makes the history be read)."""
    changed: bool = True
    """The state itself changed (visits folded in): it is written back."""


Computed = list[Flagged]


def store_rows(conn: Connection, computed: Computed, today: str, rules: FlagRules) -> None:
    """Replace these children's flags, dashboard lines, visit rows and states: a few
    statements for all (joins the caller's transaction)."""
    ids = json.dumps([str(c.child.id) for c in computed])
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
        [child_row(c, today, rules) for c in computed],
    )
    store_visit_rows(conn, ids, computed)
    conn.executemany(
        "INSERT INTO review_child_folds (child_id, fold_json) VALUES (?, ?)"
        " ON CONFLICT (child_id) DO UPDATE SET fold_json = excluded.fold_json",
        [(str(c.child.id), fold_to_json(c.state)) for c in computed if c.changed])


def _store_flag_rows(conn: Connection, ids: str, computed: Computed) -> None:
    """Only flag rows that changed are deleted or inserted: a new visit leaves most of a
    child's flags (each visit's sign-off pending, say) as they were."""
    held: dict[tuple[object, ...], list[int]] = {}
    for rowid, *row in conn.execute(
            "SELECT rowid, child_id, code, severity, reason, source, since, visit_ids"
            " FROM review_flags WHERE child_id IN (SELECT value FROM json_each(?))", (ids,)):
        held.setdefault(tuple(row), []).append(rowid)
    added = []
    for c in computed:
        for f in c.flags:
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


def _overdue(flags: list[Flag], state: ChildState) -> int:
    """Counted in "overdue now": past the due date (the red overdue flag), or never seen
    with no date to count from (`records.child_state.without_start`), as central counts."""
    return int(state.no_start_date or any(
        f.code is FlagCode.VISIT_OVERDUE and f.severity is Severity.RED for f in flags))


def _not_seen_alone_streak(flags: list[Flag]) -> int:
    return max((len(f.visit_ids) for f in flags if f.code is FlagCode.NOT_SEEN_ALONE),
               default=0)


def child_row(flagged: Flagged, today: str, rules: FlagRules) -> tuple[object, ...]:
    """The child's line in `review_children`: what the dashboard counts and lists by name,
    from `records.child_state` (central's list of every child says the same)."""
    child, flags = flagged.child, flagged.flags
    state = child_state_of(flagged.state, child, flags, date.fromisoformat(today), rules)
    worst, seen = state.headline, state.seen
    headline = (
        (worst.severity.rank, worst.since.isoformat(), headline_position(worst), worst.reason)
        if worst else (2, date.max.isoformat(), NO_HEADLINE, ""))
    injured = flagged.state.last_injury_day
    return (str(child.id), flagged.worker, child.plan_type.value, headline[0], headline[1],
            _overdue(flags, state), _not_seen_alone_streak(flags),
            injured.isoformat() if injured else None,
            today, headline[2], headline[3],
            seen.day.isoformat() if seen.day else None,
            None if seen.seen_alone is None else int(seen.seen_alone),
            state.seen_recently, state.seen_on_time_recently)


def flags_naming_each_visit(flags: list[Flag]) -> dict[str, list[Flag]]:
    naming: dict[str, list[Flag]] = {}
    for flag in flags:
        for named in flag.visit_ids:
            naming.setdefault(str(named), []).append(flag)
    return naming


def visit_row(day: str, decision: str, naming: list[Flag]) -> tuple[object, ...]:
    """rank, since, headline, red count, amber count, severity, decision: from the worst
    flag naming the visit (by the flags' own order), or none."""
    naming = sorted(naming, key=lambda f: f.sort_key)
    red = sum(1 for f in naming if f.severity is Severity.RED)
    if not naming:
        return (2, day, "", 0, 0, NO_HEADLINE, decision)
    worst = naming[0]
    return (worst.severity.rank, worst.since.isoformat(), worst.reason, red,
            len(naming) - red, headline_position(worst), decision)


def store_visit_rows(conn: Connection, ids: str, computed: Computed) -> None:
    """Keep each child's worst flag naming each visit; a visit takes its children's worst.

    Every queued visit of these children is looked at (a streak's sentence names visits
    long past); only rows that changed are written. A visit still pending (linked, not yet
    queued) is left until it is queued with its flags.
    """
    by_child: dict[str, list[tuple[object, ...]]] = {}
    for row in conn.execute(
        "SELECT vc.child_id, vc.visit_id, vc.rank, vc.since, vc.headline, vc.red_count,"
        " vc.amber_count, vc.severity, v.decision, v.visit_day"
        " FROM review_visit_children AS vc JOIN review_visits AS v ON v.visit_id = vc.visit_id"
        " WHERE vc.child_id IN (SELECT value FROM json_each(?))", (ids,),
    ):
        by_child.setdefault(row[0], []).append(row)
    changed: list[tuple[object, ...]] = []
    for flagged in computed:
        child_id = str(flagged.child.id)
        naming = flags_naming_each_visit(flagged.flags)
        for _, visit_id, *held, stored, day in by_child.get(child_id, []):
            visit_id = str(visit_id)
            decision = flagged.decisions.get(visit_id, str(stored))
            new = visit_row(str(day), decision, naming.get(visit_id, []))
            if (*held, stored) != new:
                changed.append((*new, child_id, visit_id))
    # A visit to several children takes the worst of their rows: counted for changed ones.
    shared = {visit_id: 0 for *_, visit_id in changed}
    shared.update(conn.execute(
        "SELECT visit_id, count(*) FROM review_visit_children"
        " WHERE visit_id IN (SELECT value FROM json_each(?)) GROUP BY visit_id",
        (json.dumps(list(shared)),)) if changed else [])
    several = {str(row[8]): row[6] for row in changed if int(shared[str(row[8])]) > 1}
    conn.executemany(
        "UPDATE review_visit_children SET rank = ?, since = ?, headline = ?, red_count = ?,"
        " amber_count = ?, severity = ? WHERE child_id = ? AND visit_id = ?",
        [(*row[:6], row[7], row[8]) for row in changed])
    conn.executemany(
        "UPDATE review_visits SET rank = ?, since = ?, headline = ?, red_count = ?,"
        " amber_count = ?, severity = ?, decision = ? WHERE visit_id = ?",
        [(*row[:7], row[8]) for row in changed if row[8] not in several])
    _store_shared_visits(conn, several)


def worst_child_row(rows: Sequence[Sequence[object]]) -> Sequence[object]:
    """Of a shared visit's children's rows (rank, since, headline, red, amber, severity, ...):
    the most serious headline — red first, then the ranking, then the most recent, as
    `records.flag_types.Flag.sort_key` orders one child's flags. A row with no date yet (its
    child's flags not known) comes after every dated one of its rank."""
    def key(row: Sequence[object]) -> tuple[int, int, int]:
        since = str(row[1])
        return (int(str(row[0])), int(str(row[5])),
                -date.fromisoformat(since).toordinal() if since else 0)
    return min(rows, key=key)


def _store_shared_visits(conn: Connection, shared: dict[str, object]) -> None:
    """A visit to several children takes the worst of its children's rows, and their counts."""
    for shared_id, decision in shared.items():
        rows = conn.execute(
            "SELECT rank, since, headline, red_count, amber_count, severity"
            " FROM review_visit_children WHERE visit_id = ?", (shared_id,)).fetchall()
        worst = worst_child_row(rows)
        conn.execute(
            "UPDATE review_visits SET rank = ?, since = ?, headline = ?, red_count = ?,"
            " amber_count = ?, severity = ?, decision = ? WHERE visit_id = ?",
            (worst[0], worst[1], worst[2], sum(r[3] for r in rows),
             sum(r[4] for r in rows), worst[5], decision, shared_id))
