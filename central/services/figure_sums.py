"""Each team's and each worker's figures, kept as sums of their children's kept figures.

The managers' Service page shows forty teams; adding up 50,000 children's kept rows on each
request cost over a second (docs/benchmarks.md). So each group of children — a team
(`worker` is "") and each worker in it — keeps its sums in `figure_groups`, and its days in
`figure_group_days` (visits where a child was seen, and how many on time; children whose
next visit falls due). They are added up again, from the group's children's kept rows and
nothing else, by `resum`, which `figures_store` calls in the same transaction as it writes
those children: a reader never sees a child's figures without its team's sums, and a push in
one team leaves every other team's sums as they were.

Nothing kept here moves with the date. What does is taken when read
(`oversight_figures.counted`): "overdue now" is the sum of the children falling due before
today, the worst overdue is the earliest next-due day when it is past, and "seen within
timescale" is the sum of the days in the last three months. So a new day needs no child
worked out again for these pages.

A group's sums count a child the way the pages always have: its kept row, while the
allocation it was worked out for is open. "Awaiting sign-off" counts visits, not children:
each group counts its own once, and notes how many it shares with another group of the same
level, so adding groups up counts a shared visit once (`oversight_figures`).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from typing import Any

from sqlalchemy import (
    Select,
    and_,
    bindparam,
    case,
    delete,
    func,
    literal_column,
    or_,
    select,
    text,
    tuple_,
    union_all,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from central.db.figure_models import FigureGroup, FigureGroupDay, FigureState
from central.db.models import Base
from central.services import oversight as o
from records.case import PlanType

GROUPS, DAYS, STATE = (Base.metadata.tables[model.__tablename__]
                       for model in (FigureGroup, FigureGroupDay, FigureState))
FIGURES, VISITS, AWAITING = (Base.metadata.tables[name] for name in (
    "child_figures", "child_figure_visits", "child_figure_awaiting"))

Key = tuple[str, str, str]
"""(worker_team, team, worker): a worker's group, or a team's when `worker` is ""."""

_PLANS = [p.value for p in PlanType]
_ZERO = {name: 0 for name in ("version", "children", *_PLANS, "seen_at_all",
                              "seen_alone_last", "never_visited", "no_start_date", "awaiting",
                              "awaiting_shared")}


def keys_of(worker_team: str | None, team: str | None, worker: str | None) -> tuple[Key, Key]:
    """The team's and the worker's group of a child kept under these names."""
    return (worker_team or "", team or "", ""), (worker_team or "", team or "", worker or "")


def counted_children() -> Select[Any]:
    """Kept rows that count: the allocation they were worked out for is still open."""
    a = o._ALLOCATIONS
    return (select().select_from(FIGURES)
            .join(a, and_(a.c.child_id == FIGURES.c.child_id, a.c.ended_at.is_(None),
                          a.c.user_id == FIGURES.c.user_id)))


def key_columns(worker_level: bool, table: Any = FIGURES) -> list[Any]:
    columns = [func.coalesce(table.c.worker_team, ""), func.coalesce(table.c.team, "")]
    return [*columns, func.coalesce(table.c.worker, "")] if worker_level else columns


def within(keys: Collection[Key], worker_level: bool) -> Any:
    """The kept rows of these groups (a few more at most: they are filtered after)."""
    teams = {k[0] for k in keys}
    chosen: Any = or_(FIGURES.c.worker_team.in_(sorted(t for t in teams if t)),
                      *([FIGURES.c.worker_team.is_(None)] if "" in teams else []))
    if worker_level:
        chosen = and_(chosen, FIGURES.c.worker.in_(sorted({k[2] for k in keys})))
    return chosen


def _key(row: Any, worker_level: bool) -> Key:
    return (row[0], row[1], row[2] if worker_level else "")


def _count_if(condition: Any) -> Any:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


# --- adding a group up again -------------------------------------------------------------


def resum(session: Session, keys: Iterable[Key] | None) -> None:
    """Add these groups up again from their children's kept rows (None: every group), in the
    caller's transaction, after it has written those rows."""
    if keys is None:
        if session.get_bind().dialect.name == "postgresql":  # no group is re-added meanwhile
            session.execute(text("LOCK TABLE figure_groups IN EXCLUSIVE MODE"))
        for worker_level in (False, True):
            known = {tuple(r) for r in session.execute(
                select(GROUPS.c.worker_team, GROUPS.c.team, GROUPS.c.worker)
                .where(GROUPS.c.worker != "" if worker_level else GROUPS.c.worker == ""))}
            _resum_level(session, None, known, worker_level)
        return
    chosen = sorted(set(keys))
    if not chosen:
        return
    _lock(session, chosen)
    for worker_level in (False, True):
        level = [k for k in chosen if bool(k[2]) == worker_level]
        if level:
            _resum_level(session, level, set(level), worker_level)


def _lock(session: Session, keys: list[Key]) -> None:
    """Every group row exists and is ours until commit, taken in one order: a refresh that
    writes the same group after us adds it up from what we wrote."""
    dialect = session.get_bind().dialect.name
    make = postgresql.insert if dialect == "postgresql" else sqlite.insert
    session.execute(make(GROUPS).values([
        {"worker_team": k[0], "team": k[1], "worker": k[2], **_ZERO} for k in keys])
        .on_conflict_do_nothing())
    session.execute(select(GROUPS.c.worker_team)
                    .where(tuple_(GROUPS.c.worker_team, GROUPS.c.team, GROUPS.c.worker)
                           .in_(keys))
                    .order_by(GROUPS.c.worker_team, GROUPS.c.team, GROUPS.c.worker)
                    .with_for_update())


# complexity: a level's sums from four statements, each a column family of the row
def _resum_level(session: Session, keys: list[Key] | None, known: set[Key],
                 worker_level: bool) -> None:
    f = FIGURES.c
    by = key_columns(worker_level)
    base = counted_children()
    if keys is not None:
        base = base.where(within(keys, worker_level))
    sums: dict[Key, dict[str, Any]] = {}
    for row in session.execute(base.add_columns(
            *by, func.count(), *(_count_if(f.plan_type == p) for p in _PLANS),
            _count_if(f.last_seen.is_not(None)), _count_if(f.seen_alone_then.is_(True)),
            _count_if(f.never_visited.is_(True)),
            # records.child_state.without_start, on the kept row.
            _count_if(and_(f.last_seen.is_(None), f.next_due.is_(None)))).group_by(*by)):
        values = list(row[len(by):])
        sums[_key(row, worker_level)] = dict(zip(
            ["children", *_PLANS, "seen_at_all", "seen_alone_last", "never_visited",
             "no_start_date"],
            values, strict=True)) | {"awaiting": 0, "awaiting_shared": 0,
                                     "oldest_awaiting": None, "earliest_due": None,
                                     "earliest_due_child": None}
    ranked = base.add_columns(*by, f.child_id, f.next_due, func.row_number().over(
        partition_by=by, order_by=(f.next_due, f.child_id)).label("rank")).where(
        f.next_due.is_not(None)).subquery()
    for row in session.execute(select(*list(ranked.c)[:len(by) + 2])
                               .where(ranked.c.rank == 1)):
        if (key := _key(row, worker_level)) in sums:
            sums[key] |= {"earliest_due_child": row[len(by)], "earliest_due": row[len(by) + 1]}
    a = AWAITING.c
    shared = case((_elsewhere(worker_level), a.visit_id))
    for row in session.execute(base.join(AWAITING, a.child_id == f.child_id).add_columns(
            *by, func.count(a.visit_id.distinct()), func.min(a.received_at),
            func.count(shared.distinct())).group_by(*by)):
        if (key := _key(row, worker_level)) in sums:
            sums[key] |= {"awaiting": row[len(by)], "oldest_awaiting": row[len(by) + 1],
                          "awaiting_shared": row[len(by) + 2]}
    days: dict[tuple[Key, Any], list[int]] = {}
    v = VISITS.c
    seen = base.join(VISITS, v.child_id == f.child_id).add_columns(
        *by, v.day, func.count(), _count_if(v.on_time.is_(True)), literal_column("0"),
    ).group_by(*by, v.day)
    due = base.where(f.next_due.is_not(None)).add_columns(
        *by, f.next_due, literal_column("0"), literal_column("0"), func.count(),
    ).group_by(*by, f.next_due)
    for row in session.execute(union_all(seen, due)):
        counts = days.setdefault((_key(row, worker_level), row[len(by)]), [0, 0, 0])
        for n, value in enumerate(row[len(by) + 1:]):
            counts[n] += value
    _write(session, keys, known, worker_level, sums, days)


def _elsewhere(worker_level: bool) -> Any:
    """The visit awaits sign-off for a counted child of another group of the same level."""
    other, other_awaiting = FIGURES.alias("other"), AWAITING.alias("other_awaiting")
    a = o._ALLOCATIONS.alias("other_allocation")
    mine, theirs = key_columns(worker_level), key_columns(worker_level, other)
    return (select(other_awaiting.c.visit_id)
            .join(other, other.c.child_id == other_awaiting.c.child_id)
            .join(a, and_(a.c.child_id == other.c.child_id, a.c.ended_at.is_(None),
                          a.c.user_id == other.c.user_id))
            .where(other_awaiting.c.visit_id == AWAITING.c.visit_id,
                   or_(*(t != m for t, m in zip(theirs, mine, strict=True))))
            .exists())


def _write(session: Session, keys: list[Key] | None, known: set[Key], worker_level: bool,
           sums: dict[Key, dict[str, Any]], days: dict[tuple[Key, Any], list[int]]) -> None:
    chosen = known | set(sums) if keys is None else set(keys)
    g, d = GROUPS.c, DAYS.c
    level = (d.worker != "") if worker_level else (d.worker == "")
    if keys is None:
        session.execute(delete(DAYS).where(level))
    else:
        session.execute(delete(DAYS).where(tuple_(d.worker_team, d.team, d.worker).in_(keys)))
    gone = sorted(chosen - set(sums))
    if gone:
        session.execute(delete(GROUPS).where(tuple_(g.worker_team, g.team, g.worker).in_(gone)))
    present = [k for k in sorted(sums) if k in chosen]
    if keys is None:
        missing = [k for k in present if k not in known]
        if missing:
            session.execute(GROUPS.insert(), [
                {"worker_team": k[0], "team": k[1], "worker": k[2], **_ZERO} for k in missing])
    if present:
        session.execute(
            update(GROUPS).where(g.worker_team == bindparam("k_wt"),
                                 g.team == bindparam("k_team"),
                                 g.worker == bindparam("k_worker"))
            .values(version=g.version + 1,
                    **{name: bindparam(name) for name in sums[present[0]]}),
            [{"k_wt": k[0], "k_team": k[1], "k_worker": k[2], **sums[k]} for k in present],
            execution_options={"synchronize_session": False})
    rows = [{"worker_team": k[0], "team": k[1], "worker": k[2], "day": day, "seen": n[0],
             "on_time": n[1], "due": n[2]} for (k, day), n in sorted(days.items())
            if k in chosen]
    if rows:
        session.execute(DAYS.insert(), rows)


# --- whether every group was added up under the rules in force ---------------------------


def summed_under(session: Session) -> str | None:
    """The rules key every group was last added up under, after a refresh of every child."""
    return session.scalar(select(STATE.c.rules_key).where(STATE.c.id == 1))


def mark_summed(session: Session, key: str) -> None:
    if session.execute(update(STATE).where(STATE.c.id == 1)
                       .values(rules_key=key)).rowcount == 0:  # type: ignore[attr-defined]
        session.execute(STATE.insert().values(id=1, rules_key=key))
