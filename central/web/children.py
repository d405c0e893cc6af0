"""The children a page counts, and one child's timeline, by the laptops' rules."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from fastapi import Request

from central.services.figures_store import DAY_BOUND, fresh_children, refresh
from central.services.oversight import ChildSeen, most_serious_first, rules_from
from central.web.access import web
from records.flag_types import Decision, FlagRules, VisitOnRecord, decision_of
from records.last_seen import Timeliness, counts_as_seen, timeliness_of_each
from records.visit import Visit, VisitOutcome, VisitType


def children_for(request: Request, teams: Sequence[str], *, all_teams: bool = False,
                 now: datetime | None = None) -> list[ChildSeen]:
    """Every allocated child of these teams, most serious first, as `every_child` says them,
    from the kept figures (`figures_store`; those not fresh are worked out first, but at
    most `DAY_BOUND` of those only worked out on an earlier day: on a new day before the
    nightly refresh, the rest keep that day's flags, `ChildSeen.flags_for`). `now`: the
    moment a caller also dates its answer by (default: the clock)."""
    context = web(request)
    rules = rules_from(context.settings)
    now = now or context.clock()
    if all_teams:
        return fresh_children(context.sessions, context.snapshots, now=now, rules=rules,
                              day_bound=DAY_BOUND)
    found: list[ChildSeen] = []
    for team in teams:
        found.extend(fresh_children(context.sessions, context.snapshots, now=now, rules=rules,
                                    team=team, day_bound=DAY_BOUND))
    # Each team's children come most serious first; so must the teams' together, or a red
    # child of a team later in the alphabet would sit below an amber one of an earlier team.
    return sorted(found, key=most_serious_first)


def refresh_for(request: Request, teams: Sequence[str] | None) -> None:
    """Work out again the children of these teams (None: all) a change made stale, before a
    page reads their groups' sums (`oversight_figures.counted`). Not those worked out on an
    earlier day: the sums keep nothing that moves with the date."""
    context = web(request)
    rules = rules_from(context.settings)
    for team in (None,) if teams is None else teams:
        refresh(context.sessions, context.snapshots, now=context.clock(), rules=rules,
                team=team, for_today=False)


@dataclass(frozen=True)
class VisitLine:
    """One visit on a child's timeline: what happened, never what was written."""

    visit: Visit
    day: date | None
    kind: str
    outcome: str
    seen: bool
    seen_alone: bool | None
    timeliness: Timeliness | None
    team_lead: str
    """The team lead's latest decision: signed off, escalated, returned, or awaiting."""
    addenda: int


_KINDS = {VisitType.STATUTORY: "Statutory visit", VisitType.ADDITIONAL: "Additional visit",
          VisitType.CORE_GROUP: "Core group meeting"}
_OUTCOMES = {VisitOutcome.COMPLETED: "Completed", VisitOutcome.CHILD_NOT_SEEN: "Child not seen",
             VisitOutcome.NO_ACCESS: "No access"}


_DECISIONS = {Decision.AWAITING: "Awaiting", Decision.SIGNED_OFF: "Signed off",
              Decision.ESCALATED: "Escalated", Decision.RETURNED: "Returned to the worker",
              Decision.ANSWERED: "Answered; awaiting"}
"""What the team lead last decided on a visit (`decision_of`: an escalation is not a
sign-off), in the page's words."""


def timeline(child: ChildSeen, history: Sequence[VisitOnRecord],
             rules: FlagRules) -> list[VisitLine]:
    """The child's visits, newest first, each seen or not, alone or not, on time or late."""
    assert child.child_record is not None
    mine = [r for r in history if r.visit.observation_for(child.child_id) is not None]
    each = timeliness_of_each(child.child_record, [r.visit for r in mine], rules.standards,
                              rules.calendar)
    lines = []
    for record in mine:
        visit = record.visit
        observation = visit.observation_for(child.child_id)
        seen = counts_as_seen(visit, observation)
        lines.append(VisitLine(
            visit=visit, day=visit.visit_date,
            kind=_KINDS.get(visit.visit_type, "Visit") if visit.visit_type else "Visit",
            outcome=_OUTCOMES.get(visit.outcome, "") if visit.outcome else "",
            seen=seen,
            seen_alone=observation.seen_alone if seen and observation is not None else None,
            timeliness=each.get(visit.id), team_lead=_DECISIONS[decision_of(record)],
            addenda=len(record.addenda)))
    return sorted(lines, key=lambda line: line.day or date.min, reverse=True)
