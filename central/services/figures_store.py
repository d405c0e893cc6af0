"""Each allocated child's figures, worked out once and kept until something changes them.

`oversight.every_child` works a child out from every visit, addendum, decision and note that
names them by the laptops' rules (`records.flags`, `records.child_state`): milliseconds a
child, minutes for a council. The managers' pages, their CSVs and `report children` read
the figures kept in `child_figures` instead, refreshed first where they are not fresh:

* a push or a note naming a child, or a case import touching the child, bumps the child's
  `generation` and marks it `stale` in the same transaction as the records (`bump`); a
  partial index on the stale rows lets a page find just those;
* a row is worked out for that generation and for the rules in force (`rules_key`), and
  every team's and worker's sums (`figure_sums`) are added up again from the rows, in the
  transaction that writes them;
* the row's flags are also for one day (`computed_for`): sign-off pending, overdue and the
  like move with the date. Pages that show a child's flags (a worker's children, the lists,
  the CSVs, `children`) work their children out again on a new day (`for_today`); the
  Service and Team pages do not need to, since the sums keep nothing that moves with the
  date (`oversight_figures` takes "overdue now" and the window when read). The nightly
  `homevisit-central oversight refresh` works every child out for the new day, and looks
  at every row (`every_row`), not only those a push marked;
* "device not synced" moves by the hour, so it is never kept: it is added when read, from
  the laptops' last contact, by `records.flags.device_not_synced`, and the headline and
  counts are taken again with it by `records.child_state.headline_and_counts`.

A refresh reads each batch of children in one snapshot and writes a row only if its
generation is still the one it read, so a push that lands meanwhile leaves the row stale
for the next read rather than hiding its visit.
"""

from __future__ import annotations

import functools
import hashlib
import json
import uuid
from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta
from importlib.metadata import PackageNotFoundError, version
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    bindparam,
    delete,
    literal,
    or_,
    select,
    text,
    true,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, sessionmaker

from central.db import driver
from central.db.figure_models import ChildFigureAwaiting, ChildFigures, ChildFigureVisit
from central.db.models import Base
from central.services import figure_sums
from central.services import oversight as o
from central.services.holdings import child_record
from records.case import PlanType
from records.child_state import RECENT_DAYS, headline_and_counts
from records.flag_types import Flag, FlagCode, FlagRules, Severity, local_day
from records.flags import device_not_synced

BATCH = 500
"""Children worked out per snapshot when refreshing."""

FIGURES, VISITS, AWAITING = (Base.metadata.tables[model.__tablename__]
                             for model in (ChildFigures, ChildFigureVisit, ChildFigureAwaiting))


def rules_key(rules: FlagRules) -> str:
    """What kept figures were worked out by: the rules' edition (`FlagRules.edition`, the
    same key the laptops' review index keeps) and the installed Homevisit's version (an
    upgrade may change what `records/` says without anyone raising `RULES_VERSION`)."""
    text = json.dumps([rules.edition(), homevisit_version()])
    return hashlib.sha256(text.encode()).hexdigest()[:32]


@functools.cache
def homevisit_version() -> str:
    """The installed package's version ("unknown" when run from a tree not installed)."""
    try:
        return version("homevisit")
    except PackageNotFoundError:
        return "unknown"


# --- a change makes the children of a case stale ----------------------------------------


def bump(session: Session, *, visit_ids: Iterable[uuid.UUID] = (),
         child_ids: Iterable[uuid.UUID] = ()) -> None:
    """The children these visits name, and these children, must be worked out again: one
    statement, in the caller's transaction."""
    kinds = _kinds(visit_ids, child_ids)
    if not kinds:
        return
    connection = driver.driver_connection(session)
    if connection is not None:
        driver.rows(connection, *_through_driver(kinds))
        return
    statement = _bump_statement(session.get_bind().dialect.name, "visits" in kinds,
                                "children" in kinds)
    session.execute(statement, {name: list(ids) for name, ids in kinds.items()})


def bump_through_driver(*, visit_ids: Iterable[uuid.UUID] = (),
                        child_ids: Iterable[uuid.UUID] = (),
                        ) -> tuple[driver.Compiled, dict[str, Any]] | None:
    """PostgreSQL: `bump` as one statement and its parameters (None when there is nothing to
    bump), for a caller that sends it with its own writes (central.services.ingest)."""
    kinds = _kinds(visit_ids, child_ids)
    return _through_driver(kinds) if kinds else None


def _kinds(visit_ids: Iterable[uuid.UUID],
           child_ids: Iterable[uuid.UUID]) -> dict[str, set[uuid.UUID]]:
    """Each kind of id given at least once, its ids without repeats."""
    given = {"visits": set(visit_ids), "children": set(child_ids)}
    return {name: ids for name, ids in given.items() if ids}


def _through_driver(kinds: dict[str, set[uuid.UUID]]) -> tuple[driver.Compiled, dict[str, Any]]:
    return (_driver_bump_statement("visits" in kinds, "children" in kinds),
            {name: driver.uuid_array(ids) for name, ids in kinds.items()})


@functools.cache
def _driver_bump_statement(visits: bool, children: bool) -> driver.Compiled:
    """PostgreSQL, through psycopg alone (central.db.driver): each kind of id one uuid[]."""
    return driver.compiled(_bump_statement("postgresql", visits, children, arrays=True))


@functools.cache
def _bump_statement(dialect: str, visits: bool, children: bool, *,
                    arrays: bool = False) -> Any:
    """Built once a dialect and a mix of id kinds, each kind one expanding parameter (or one
    array): a push pays for neither building nor hashing a new statement (~1 ms a request)."""

    ids_in = driver.ids_in if arrays else driver.expanding_in

    chosen: list[ColumnElement[bool]] = []
    if visits:
        chosen.append(o._CHILDREN.c.id.in_(
            select(o._VISIT_CHILDREN.c.child_id)
            .where(ids_in(o._VISIT_CHILDREN.c.visit_id, "visits"))))
    if children:
        chosen.append(ids_in(o._CHILDREN.c.id, "children"))
    rows = (select(o._CHILDREN.c.id, literal(1), true()).where(or_(*chosen))
            .order_by(o._CHILDREN.c.id))  # one order: two pushes never lock rows crosswise
    make = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = make(FIGURES).from_select(["child_id", "generation", "stale"], rows)
    return statement.on_conflict_do_update(
        index_elements=[FIGURES.c.child_id],
        set_={"generation": FIGURES.c.generation + 1, "stale": True})


# --- refreshing what is not fresh --------------------------------------------------------


def _not_fresh(allocated: Select[tuple[uuid.UUID]], today: date | None, key: str, *,
               every_row: bool) -> Select[Any]:
    """The allocated children to work out again: those a change made stale (found by the
    partial index on stale rows), or with `every_row` also those never worked out or under
    other rules; with `today`, also those worked out on another day (their flags)."""
    figures = FIGURES
    stale = [figures.c.computed_generation.is_distinct_from(figures.c.generation)]
    if today is not None:
        stale.append(figures.c.computed_for.is_distinct_from(today))
    # By group: a batch then touches the sums of a team or two, not of every team.
    order = (figures.c.worker_team, figures.c.worker, figures.c.child_id)
    if not every_row:
        # `stale` (a push's mark) has a partial index and statistics the planner can use,
        # which a comparison of two columns has not (it guessed every row, and read them all).
        marked = [figures.c.stale, *stale[1:]]
        return (select(figures.c.child_id).where(or_(*marked), figures.c.child_id.in_(allocated))
                .order_by(*order))
    return (select(o._ALLOCATIONS.c.child_id)
            .outerjoin(figures, figures.c.child_id == o._ALLOCATIONS.c.child_id)
            .where(o._ALLOCATIONS.c.ended_at.is_(None),
                   o._ALLOCATIONS.c.child_id.in_(allocated),
                   or_(figures.c.child_id.is_(None), figures.c.rules_key != key,
                       figures.c.stale.is_(True), *stale))
            .order_by(*order[:2], o._ALLOCATIONS.c.child_id))


def refresh(sessions: sessionmaker[Session], snapshots: sessionmaker[Session], *,
            now: datetime, rules: FlagRules, team: str | None = None,
            child_ids: Sequence[uuid.UUID] | None = None, for_today: bool = True,
            every_row: bool = False, at_most_for_today: int | None = None) -> int:
    """Work out again every allocated child (of `team`) whose figures are not fresh; how
    many. An unknown team is `CentralError`, as for `every_child`.

    `for_today` False (the Service and Team pages): a child worked out on an earlier day is
    fresh enough, since the groups' sums keep nothing that moves with the date; True (pages
    that show a child's flags): it is worked out again. Only the rows a change made stale are
    looked for, by index, unless `every_row` (the nightly command) or the groups were not yet
    added up under these rules (after an upgrade): then every allocated child is looked at
    and every group added up again. `at_most_for_today` bounds how many children worked out
    on an earlier day are worked out again (those a change made stale always are)."""
    today, key = local_day(now), rules_key(rules)
    with snapshots.begin() as db:
        allocated = o._allocated(db, team)  # an unknown team is refused first
        everything = every_row or figure_sums.summed_under(db) != key
        if everything:
            allocated, child_ids = o._allocated(db, None), None
        if child_ids is not None:
            allocated = allocated.where(o._ALLOCATIONS.c.child_id.in_(child_ids))
        bounded = for_today and at_most_for_today is not None and not everything
        stale = list(db.scalars(_not_fresh(allocated, today if for_today and not bounded
                                           else None, key, every_row=everything)))
        if team is not None and not everything and child_ids is None:
            # Children who left this team (reallocated): their kept row, still counted in
            # this team's sums, is marked stale; worked out now, they leave those sums, or a
            # manager of this team alone would count them here until the night.
            stale += list(db.scalars(
                select(FIGURES.c.child_id)
                .where(FIGURES.c.stale, FIGURES.c.worker_team == team,
                       FIGURES.c.child_id.not_in(allocated),
                       FIGURES.c.child_id.in_(o._allocated(db, None)))
                .order_by(FIGURES.c.child_id)))
        if bounded:
            marked = set(stale)
            stale += [c for c in db.scalars(
                select(FIGURES.c.child_id)
                .where(FIGURES.c.child_id.in_(allocated),
                       FIGURES.c.computed_for.is_distinct_from(today))
                .order_by(FIGURES.c.child_id).limit(at_most_for_today)) if c not in marked]
    for start in range(0, len(stale), BATCH):
        batch = stale[start:start + BATCH]
        with sessions.begin() as db:  # every row exists before the snapshot reads its generation
            bump_missing(db, batch)
        _refresh_batch(sessions, snapshots, batch, now, rules, today, key,
                       resum=not everything)
    if everything:
        with sessions.begin() as db:
            if db.get_bind().dialect.name == "postgresql":
                # The batches rewrote every kept row: with the statistics of before (an
                # empty table on a new install or after an upgrade), PostgreSQL planned the
                # sums' check for a visit awaiting in two groups as a scan of every
                # allocation for each visit awaiting: minutes at 50,000 children, growing
                # with the square of their number (docs/benchmarks.md).
                db.execute(text(f"ANALYZE {FIGURES.name}, {AWAITING.name}"))
        with sessions.begin() as db:
            # Every group is added up next, in this transaction: a push's mark is done with,
            # unless a push came after the child was worked out (its generation moved on).
            # Cleared first, so a row another run writes meanwhile is summed or keeps its mark.
            db.execute(update(FIGURES).where(
                FIGURES.c.stale.is_(True),
                FIGURES.c.computed_generation == FIGURES.c.generation).values(stale=False))
            figure_sums.resum(db, None)
            figure_sums.mark_summed(db, key)
    return len(stale)


def bump_missing(session: Session, child_ids: Sequence[uuid.UUID]) -> None:
    present = set(session.scalars(select(FIGURES.c.child_id)
                                  .where(FIGURES.c.child_id.in_(child_ids))))
    missing = [c for c in child_ids if c not in present]
    if missing:
        dialect = session.get_bind().dialect.name
        make = postgresql.insert if dialect == "postgresql" else sqlite.insert
        session.execute(make(FIGURES).values([
            {"child_id": c, "generation": 0, "days_overdue": 0, "never_visited": False,
             "red": 0, "amber": 0, "seen_recently": 0, "seen_on_time_recently": 0,
             "payload": ""} for c in missing]).on_conflict_do_nothing())


def _refresh_batch(sessions: sessionmaker[Session], snapshots: sessionmaker[Session],
                   batch: list[uuid.UUID], now: datetime, rules: FlagRules, today: date,
                   key: str, *, resum: bool = True) -> None:
    """Work these children out and write them, with their groups' sums unless `resum` is
    False (a refresh of every row, which adds every group up once at its end: a child worked
    out again for a new day changes nothing the sums keep, and other rules change them all).
    Without `resum`, a push's mark on a child stays until that end: a page refreshes only
    marked children, so until every group is added up (or, if the run stops first, until a
    page works them out again) their groups' sums are put right by the page, not left old
    for the whole run and, stopped part-way, until the next night."""
    with snapshots.begin() as db:
        generations = dict(db.execute(select(FIGURES.c.child_id, FIGURES.c.generation)
                                      .where(FIGURES.c.child_id.in_(batch))).all())
        found = o.every_child(db, now=now, rules=rules, child_ids=batch, with_device=False)
        placed = {row.child_id: row for row in db.execute(
            select(o._ALLOCATIONS.c.child_id, o._ALLOCATIONS.c.user_id,
                   o._TEAMS.c.name.label("worker_team"))
            .join(o._USERS, o._USERS.c.id == o._ALLOCATIONS.c.user_id)
            .outerjoin(o._TEAMS, o._TEAMS.c.id == o._USERS.c.team_id)
            .where(o._ALLOCATIONS.c.ended_at.is_(None), o._ALLOCATIONS.c.child_id.in_(batch)))}
    rows: list[dict[str, Any]] = []
    seen_rows: list[dict[str, Any]] = []
    waiting: list[dict[str, Any]] = []
    for child in found:
        rows.append({
            "b_child": child.child_id, "b_generation": generations[child.child_id],
            "computed_generation": generations[child.child_id], "computed_for": today,
            "rules_key": key, "stale": False, "plan_type": child.plan_type.value,
            "user_id": placed[child.child_id].user_id, "worker": child.worker,
            "team": child.team, "worker_team": placed[child.child_id].worker_team,
            "last_seen": child.last_seen, "seen_alone_then": child.seen_alone_then,
            "next_due": child.next_due, "days_overdue": child.days_overdue,
            "never_visited": child.never_visited, "red": child.red, "amber": child.amber,
            "seen_recently": child.seen_recently,
            "seen_on_time_recently": child.seen_on_time_recently,
            "payload": _payload(child)})
        seen_rows.extend({"child_id": child.child_id, "n": n, "day": day, "on_time": on_time}
                         for n, (day, on_time) in enumerate(child.recent_timeliness))
        waiting.extend({"child_id": child.child_id, "visit_id": visit_id, "received_at": at}
                       for visit_id, at in child.awaiting_sign_off)
    if not rows:
        return
    with sessions.begin() as db:
        # Lock the children's rows (in one order, as a push's bump does) and keep only those
        # whose generation is still the snapshot's: a push since, or a later refresh that saw
        # it, has the newer figures, and an older snapshot must not overwrite any of them,
        # the per-visit and awaiting rows included.
        now_at = {row.child_id: row for row in db.execute(
            select(FIGURES.c.child_id, FIGURES.c.generation, FIGURES.c.user_id,
                   FIGURES.c.worker_team, FIGURES.c.team, FIGURES.c.worker, FIGURES.c.stale)
            .where(FIGURES.c.child_id.in_([r["b_child"] for r in rows]))
            .order_by(FIGURES.c.child_id).with_for_update())}
        rows = sorted((r for r in rows if (was := now_at.get(r["b_child"])) is not None
                       and was.generation == r["b_generation"]),
                      key=lambda r: str(r["b_child"]))
        if not resum:
            for r in rows:
                r["stale"] = bool(now_at[r["b_child"]].stale)
        if not rows:
            return
        groups = {k for r in rows for k in figure_sums.keys_of(
            r["worker_team"], r["team"], r["worker"])}
        groups.update(k for r in rows if (was := now_at[r["b_child"]]).user_id is not None
                      for k in figure_sums.keys_of(was.worker_team, was.team, was.worker))
        ids = [r["b_child"] for r in rows]
        kept = set(ids)
        db.execute(update(FIGURES).where(FIGURES.c.child_id == bindparam("b_child"),
                                         FIGURES.c.generation == bindparam("b_generation"))
                   .values({name: bindparam(name) for name in rows[0] if name[:2] != "b_"}),
                   rows, execution_options={"synchronize_session": False})
        db.execute(delete(VISITS).where(VISITS.c.child_id.in_(ids)))
        db.execute(delete(AWAITING).where(AWAITING.c.child_id.in_(ids)))
        seen_rows = [r for r in seen_rows if r["child_id"] in kept]
        waiting = [r for r in waiting if r["child_id"] in kept]
        if seen_rows:
            db.execute(VISITS.insert(), seen_rows)
        if waiting:
            db.execute(AWAITING.insert(), waiting)
        if resum:
            figure_sums.resum(db, groups)  # the groups they left and joined, with them


# --- reading them back as `ChildSeen` -----------------------------------------------------


def _payload(child: o.ChildSeen) -> str:
    return json.dumps({
        "flags": [[f.code.value, f.severity.value, f.reason, f.source,
                   [str(v) for v in f.visit_ids], f.since.isoformat(), f.for_worker]
                  for f in child.flags],
        "timeliness": [[d.isoformat(), t] for d, t in child.recent_timeliness],
        "injuries": [d.isoformat() for d in child.injury_days],
        "awaiting": [[str(v), at.isoformat()] for v, at in child.awaiting_sign_off],
    }, separators=(",", ":"))


def _flags(child_id: uuid.UUID, kept: list[list[Any]]) -> list[Flag]:
    return [Flag(FlagCode(code), Severity(severity), child_id, reason, source,
                 tuple(uuid.UUID(v) for v in visits), date.fromisoformat(since), worker)
            for code, severity, reason, source, visits, since, worker in kept]


_KEPT = [FIGURES.c[name] for name in (
    "last_seen", "seen_alone_then", "next_due", "never_visited", "computed_for", "payload")]

DAY_BOUND = 100
"""Children a page works out again because their flags are from an earlier day (a new day
before the nightly refresh reached them): 13-33 ms each at 40 visits (docs/benchmarks.md),
so a few seconds at most; the rest are shown with that day's flags, and said so, until a
later page or the refresh works them out."""


def fresh_children(sessions: sessionmaker[Session], snapshots: sessionmaker[Session], *,
                   now: datetime, rules: FlagRules, team: str | None = None,
                   child_ids: Sequence[uuid.UUID] | None = None,
                   day_bound: int | None = None) -> list[o.ChildSeen]:
    """What `every_child` says of each allocated child (of `team`), most serious first,
    from the kept figures (refreshed first where not fresh). With `day_bound`, at most that
    many children worked out on an earlier day are worked out again first; the others keep
    that day's flags (`ChildSeen.flags_for`), every other figure being for today."""
    refresh(sessions, snapshots, now=now, rules=rules, team=team, child_ids=child_ids,
            at_most_for_today=day_bound)
    with snapshots.begin() as db:
        allocated = o._allocated(db, team)
        if child_ids is not None:
            allocated = allocated.where(o._ALLOCATIONS.c.child_id.in_(child_ids))
        contacts = o._contacts(db, allocated)
        query = (o._children_query(allocated).add_columns(*_KEPT)
                 .join(FIGURES, FIGURES.c.child_id == o._CHILDREN.c.id))
        found = [_child_seen(row, contacts.get(row.worker_id), now, rules)
                 for row in db.execute(query)]
    return sorted(found, key=o.most_serious_first)


def _child_seen(row: Any, contact: datetime | None, now: datetime,
                rules: FlagRules) -> o.ChildSeen:
    """The kept row as `every_child` says it today: what moves with the date (days overdue,
    the three-month window, injuries in their window) is taken again for today from what
    is kept, as `records.child_state` takes it, so a row kept on an earlier day differs only
    in its flags."""
    child = child_record(row)
    today = local_day(now)
    kept = json.loads(row.payload) if row.payload else {}
    flags = _flags(child.id, kept.get("flags", []))
    if contact is not None:
        flags = sorted(flags + device_not_synced(child, contact, now, rules.thresholds),
                       key=lambda f: f.sort_key)
    headline, red, amber = headline_and_counts(flags)
    start = today - timedelta(days=RECENT_DAYS)
    recent = tuple((day, t) for d, t in kept.get("timeliness", [])
                   if (day := date.fromisoformat(d)) >= start)
    window = today - timedelta(days=rules.thresholds.repeat_injury_window_days)
    return o.ChildSeen(
        child_id=child.id, name=child.display_name, child_reference=row.council_reference,
        case_reference=row.case_reference, plan_type=PlanType(row.plan_type),
        team=row.team_name or row.case_team_name or "", worker=row.worker,
        worker_name=row.worker_name or row.worker, last_seen=row.last_seen,
        seen_alone_then=row.seen_alone_then, next_due=row.next_due,
        days_overdue=max((today - row.next_due).days, 0) if row.next_due else 0,
        never_visited=row.never_visited, headline=headline, red=red, amber=amber,
        seen_recently=len(recent), seen_on_time_recently=sum(1 for _, t in recent if t),
        device_last_contact=contact, flags=tuple(flags), recent_timeliness=recent,
        injury_days=tuple(day for d in kept.get("injuries", [])
                          if window <= (day := date.fromisoformat(d)) <= today),
        awaiting_sign_off=tuple((uuid.UUID(v), datetime.fromisoformat(at))
                                for v, at in kept.get("awaiting", [])),
        child_record=child,
        flags_for=row.computed_for if row.computed_for != today else None)
