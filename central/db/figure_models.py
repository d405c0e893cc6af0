"""Each allocated child's oversight figures, kept so the managers' pages need not recompute
every child on every request (`central.services.figures_store`).

A row is worked out by `central.services.oversight.compute_children` (the laptops' rules in
`records/`) for one day (`computed_for`), one set of rules (`rules_key`) and one `generation`
of the child's records. A push, a note or an import naming the child's case bumps
`generation` in its own transaction; a row is fresh only while `computed_generation` equals
it, `computed_for` is today and `rules_key` is the rules in force. The two side tables hold
what the pages add up across children in SQL: each recent visit where the child was seen
(for the weekly trend) and each visit waiting for sign-off (counted once per visit).
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    Uuid,
    text,
    true,
)
from sqlalchemy.orm import Mapped, mapped_column

from central.db.models import Base, UtcTimestamp


class ChildFigures(Base):
    __tablename__ = "child_figures"
    __table_args__ = (
        # A page finds the few children a push made stale without reading every row.
        Index("ix_child_figures_stale", "child_id", postgresql_where=text("stale"),
              sqlite_where=text("stale")),
        # A group's sums are added up again from its children alone.
        Index("ix_child_figures_worker_team", "worker_team", "worker"),
    )

    child_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("children.id"), primary_key=True)
    generation: Mapped[int] = mapped_column(Integer, default=0)
    computed_generation: Mapped[int | None] = mapped_column(Integer)
    computed_for: Mapped[date | None] = mapped_column(Date)
    rules_key: Mapped[str | None] = mapped_column(String(32))
    stale: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    """Set by a push (`bump`) with `generation`, cleared when worked out for it: what a page
    looks for, by a partial index (the planner cannot estimate two columns compared). Its
    default is true in the database too: a row a central without this column inserts
    (during an upgrade) is stale until worked out."""
    user_id: Mapped[int | None] = mapped_column(Integer)
    """The worker the child was allocated to when worked out (an allocation bumps the row);
    the pages count a row only while that allocation is open."""
    worker: Mapped[str | None] = mapped_column(String(100))
    team: Mapped[str | None] = mapped_column(String(200))
    """The team the child is counted under: the worker's, else the case's."""
    worker_team: Mapped[str | None] = mapped_column(String(200))
    """The worker's own team: what a manager granted that team sees."""
    plan_type: Mapped[str | None] = mapped_column(String(40))
    last_seen: Mapped[date | None] = mapped_column(Date)
    seen_alone_then: Mapped[bool | None] = mapped_column(Boolean)
    next_due: Mapped[date | None] = mapped_column(Date)
    days_overdue: Mapped[int] = mapped_column(Integer, default=0)
    never_visited: Mapped[bool] = mapped_column(Boolean, default=False)
    red: Mapped[int] = mapped_column(Integer, default=0)
    amber: Mapped[int] = mapped_column(Integer, default=0)
    """Without "device not synced", which moves with the clock and is added when read."""
    seen_recently: Mapped[int] = mapped_column(Integer, default=0)
    seen_on_time_recently: Mapped[int] = mapped_column(Integer, default=0)
    payload: Mapped[str] = mapped_column(Text, default="")
    """The rest of the child's `ChildSeen` as JSON: flags, injuries, sign-off, timeliness."""


class ChildFigureVisit(Base):
    """A recent visit where the child was seen, and whether it was on time."""

    __tablename__ = "child_figure_visits"

    child_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("child_figures.child_id"),
                                                primary_key=True)
    n: Mapped[int] = mapped_column(Integer, primary_key=True)
    day: Mapped[date] = mapped_column(Date)
    on_time: Mapped[bool] = mapped_column(Boolean)


class ChildFigureAwaiting(Base):
    """A visit naming the child that no team lead has decided on yet."""

    __tablename__ = "child_figure_awaiting"
    __table_args__ = (Index("ix_child_figure_awaiting_visit_id", "visit_id"),)

    child_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("child_figures.child_id"),
                                                primary_key=True)
    visit_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    received_at: Mapped[datetime] = mapped_column(UtcTimestamp)


class FigureGroup(Base):
    """The kept sums of one group of children: a team's (`worker` is "") or one worker's,
    added up from the children's kept rows in the transaction that writes them
    (`central.services.figure_sums`). Nothing here moves with the date: what does ("overdue
    now", the three-month window) is taken from `FigureGroupDay` when read."""

    __tablename__ = "figure_groups"

    worker_team: Mapped[str] = mapped_column(String(200), primary_key=True)
    """The worker's own team ("" when the worker has none): what a manager is granted."""
    team: Mapped[str] = mapped_column(String(200), primary_key=True)
    """The team the children are counted under (the worker's, else the case's; "" for none)."""
    worker: Mapped[str] = mapped_column(String(100), primary_key=True)
    """The worker's username, or "" for the whole team."""
    version: Mapped[int] = mapped_column(Integer, default=0)
    """Raised each time the sums are written."""
    children: Mapped[int] = mapped_column(Integer, default=0)
    child_protection: Mapped[int] = mapped_column(Integer, default=0)
    child_in_need: Mapped[int] = mapped_column(Integer, default=0)
    looked_after: Mapped[int] = mapped_column(Integer, default=0)
    seen_at_all: Mapped[int] = mapped_column(Integer, default=0)
    seen_alone_last: Mapped[int] = mapped_column(Integer, default=0)
    never_visited: Mapped[int] = mapped_column(Integer, default=0)
    no_start_date: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    """Children never seen with nothing to count a due date from
    (`records.child_state.without_start`): counted in "overdue now"."""
    awaiting: Mapped[int] = mapped_column(Integer, default=0)
    """Visits (not children) with no team lead's decision yet."""
    awaiting_shared: Mapped[int] = mapped_column(Integer, default=0)
    """Of those, visits also awaiting in another group of the same level (a sibling counted
    elsewhere): adding groups up then counts visits once in SQL instead."""
    oldest_awaiting: Mapped[datetime | None] = mapped_column(UtcTimestamp)
    earliest_due: Mapped[date | None] = mapped_column(Date)
    """The earliest next-due day of the group's children: the worst overdue when past."""
    earliest_due_child: Mapped[uuid.UUID | None] = mapped_column(Uuid)


class FigureGroupDay(Base):
    """One day of a group: visits that day where a child was seen (and how many on time),
    and children whose next visit falls due that day."""

    __tablename__ = "figure_group_days"
    __table_args__ = (Index("ix_figure_group_days_worker_day", "worker", "day"),)

    worker_team: Mapped[str] = mapped_column(String(200), primary_key=True)
    team: Mapped[str] = mapped_column(String(200), primary_key=True)
    worker: Mapped[str] = mapped_column(String(100), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    seen: Mapped[int] = mapped_column(Integer, default=0)
    on_time: Mapped[int] = mapped_column(Integer, default=0)
    due: Mapped[int] = mapped_column(Integer, default=0)


class FigureState(Base):
    """One row: the rules every group's sums were last added up under, after every allocated
    child was worked out for them. Until it names the rules in force, a page works out
    every child that is not fresh, not only those a push made stale."""

    __tablename__ = "figure_state"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    rules_key: Mapped[str | None] = mapped_column(String(32))


__all__ = ["ChildFigureAwaiting", "ChildFigureVisit", "ChildFigures", "FigureGroup",
           "FigureGroupDay", "FigureState"]
