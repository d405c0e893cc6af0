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

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from central.db.models import Base, UtcTimestamp


class ChildFigures(Base):
    __tablename__ = "child_figures"

    child_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("children.id"), primary_key=True)
    generation: Mapped[int] = mapped_column(Integer, default=0)
    computed_generation: Mapped[int | None] = mapped_column(Integer)
    computed_for: Mapped[date | None] = mapped_column(Date)
    rules_key: Mapped[str | None] = mapped_column(String(32))
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

    child_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("child_figures.child_id"),
                                                primary_key=True)
    visit_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    received_at: Mapped[datetime] = mapped_column(UtcTimestamp)


__all__ = ["ChildFigureAwaiting", "ChildFigureVisit", "ChildFigures"]
