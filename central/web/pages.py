"""The managers' pages: Service, Team, Worker, Child (and its audited "show record")."""

from __future__ import annotations

import uuid
from dataclasses import replace
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import select

from central.db.models import User
from central.services import oversight_figures as counted
from central.services.audit import audit
from central.services.oversight import ChildSeen, every_child, rules_from
from central.web.access import PageRefused, Viewer, check_csrf, page, refuse_unless_granted, web
from central.web.charts import trend_svg
from central.web.children import VisitLine, children_for, refresh_for, timeline
from records.case_notes import AgencyNotification, CaseNote
from records.flag_types import VisitOnRecord, local_day
from records.visit import Visit

router = APIRouter(prefix="/manage", tags=["manage"])


@router.get("/", response_class=HTMLResponse)
def home(viewer: Viewer) -> Response:
    return RedirectResponse("/manage/service", status_code=303)


@router.get("/service", response_class=HTMLResponse)
def service(request: Request, viewer: Viewer) -> Response:
    context = web(request)
    now = context.clock()
    granted = None if viewer.all_teams else viewer.teams
    refresh_for(request, granted)
    with context.snapshots.begin() as db:
        laptops = counted.laptops_by_team(db, now, context.settings.flag_thresholds)
        by_team = counted.counted(db, granted, "team", local_day(now))
        everyone = (counted.counted(db, granted, "all", local_day(now)).get("")
                    or counted.nobody(""))
        trend = counted.weekly_trend(db, granted, local_day(now))
    teams = [replace(by_team.get(team) or counted.nobody(team),
                     laptops=laptops.get(team, counted.Laptops())) for team in viewer.teams]
    total = replace(everyone, name="All your teams", laptops=counted.Laptops(
        sum(t.laptops.not_synced for t in teams), sum(t.laptops.revoked for t in teams),
        sum(t.laptops.refused for t in teams)))
    return page(request, "service.html", viewer=viewer, teams=teams, total=total,
                trend=trend, chart=trend_svg(trend, "Seen within timescale, week by week"))


@router.get("/teams/{team}", response_class=HTMLResponse)
def team_page(request: Request, viewer: Viewer, team: str) -> Response:
    refuse_unless_granted(request, viewer, team)
    context = web(request)
    now = context.clock()
    refresh_for(request, (team,))
    with context.snapshots.begin() as db:
        laptops = counted.laptops_by_worker(db, team, now, context.settings.flag_thresholds)
        by_worker = counted.counted(db, (team,), "worker", local_day(now))
        total = (counted.counted(db, (team,), "all", local_day(now)).get("")
                 or counted.nobody(team))
        trend = counted.weekly_trend(db, (team,), local_day(now))
        names = dict(db.execute(select(User.username, User.display_name)
                                .where(User.username.in_(list(by_worker)))).all())
    workers = [(replace(f, laptops=laptops.get(worker, counted.Laptops())),
                names.get(worker) or worker)
               for worker, f in sorted(by_worker.items(),
                                       key=lambda pair: (names.get(pair[0]) or pair[0]).casefold())]
    return page(request, "team.html", viewer=viewer, team=team,
                total=replace(total, name=team), workers=workers,
                thresholds=context.settings.flag_thresholds,
                chart=trend_svg(trend, f"{team}: seen within timescale, week by week"),
                trend=trend)


@router.get("/teams/{team}/workers/{worker}", response_class=HTMLResponse)
def worker_page(request: Request, viewer: Viewer, team: str, worker: str) -> Response:
    refuse_unless_granted(request, viewer, team)
    children = [c for c in children_for(request, (team,)) if c.worker == worker]
    if not children:
        raise PageRefused(404, "No children allocated",
                          f"No child in {team} is allocated to a worker called {worker!r}. "
                          "Go back to the team's page to choose a worker.")
    context = web(request)
    with context.snapshots.begin() as db:
        total = (counted.counted(db, (team,), "worker", local_day(context.clock())).get(worker)
                 or counted.nobody(worker))  # reallocated since the figures were kept
    return page(request, "worker.html", viewer=viewer, team=team, worker=worker,
                worker_name=children[0].worker_name, total=total, children=children,
                thresholds=context.settings.flag_thresholds)


def _one_child(request: Request, viewer: Viewer, child_id: uuid.UUID,
               ) -> tuple[ChildSeen, list[VisitLine], list[AgencyNotification]]:
    context = web(request)
    histories: dict[uuid.UUID, list[VisitOnRecord]] = {}
    notes: dict[uuid.UUID, list[CaseNote]] = {}
    with context.snapshots.begin() as db:
        found = every_child(db, now=context.clock(), rules=rules_from(context.settings),
                            child_id=child_id, histories=histories, notes_of=notes)
    if not found:
        raise PageRefused(404, "No such child", "No allocated child has this address. Go "
                          "back to a list or a worker's page to choose a child.")
    child = found[0]
    refuse_unless_granted(request, viewer, child.team)
    lines = timeline(child, histories[child.child_id], rules_from(context.settings))
    agency = sorted((n for n in notes[child.child_id] if isinstance(n, AgencyNotification)),
                    key=lambda n: n.received_on, reverse=True)
    return child, lines, agency


@router.get("/children/{child_id}", response_class=HTMLResponse)
def child_page(request: Request, viewer: Viewer, child_id: uuid.UUID) -> Response:
    child, lines, agency = _one_child(request, viewer, child_id)
    return page(request, "child.html", viewer=viewer, child=child, lines=lines, agency=agency)


@router.post("/children/{child_id}/visits/{visit_id}", response_class=HTMLResponse)
def show_record(request: Request, viewer: Viewer, child_id: uuid.UUID, visit_id: uuid.UUID,
                csrf: Annotated[str, Form(max_length=200)] = "") -> Response:
    """The visit's own words, on a deliberate click: audited as `manage.record_shown`."""
    check_csrf(viewer.csrf_token, csrf)
    child, lines, _ = _one_child(request, viewer, child_id)
    line = next((v for v in lines if v.visit.id == visit_id), None)
    if line is None:
        raise PageRefused(404, "No such visit", "This child has no visit with this address.")
    context = web(request)
    with context.sessions.begin() as db:
        audit(db, f"manager:{viewer.username}", "manage.record_shown", f"visit:{visit_id}",
              child=str(child_id))
    visit: Visit = line.visit
    return page(request, "record.html", viewer=viewer, child=child, line=line, visit=visit,
                seen=visit.observation_for(child.child_id))
