"""Lists of children (overdue, never visited, not seen alone, injuries), sortable, filterable
by team, and each downloadable as CSV; and the inspectors' child-level CSV."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from central.services import oversight_report
from central.services.audit import audit
from central.services.oversight import ChildSeen
from central.web.access import PageRefused, Viewer, page, refuse_unless_granted, web
from central.web.children import children_for
from records.flag_types import local_day
from records.thresholds import FlagThresholds
from records.wording import counted

router = APIRouter(prefix="/manage", tags=["manage"])


class ListName(StrEnum):
    OVERDUE = "overdue"
    NEVER_VISITED = "never-visited"
    NOT_SEEN_ALONE = "not-seen-alone"
    INJURIES = "injuries"


@dataclass(frozen=True)
class ChildList:
    title: str
    explains: str
    keep: Callable[[ChildSeen], bool]


def lists_for(thresholds: FlagThresholds) -> dict[ListName, ChildList]:
    """The lists, each titled by what it counts: the injuries' window is the policy's
    (`repeat_injury_window_days`), which `records.child_state` counts them within, and the
    visits in a row not seen alone are the policy's red streak (`not_seen_alone_red_streak`),
    as the team lead's dashboard counts them."""
    window = thresholds.repeat_injury_window_days
    alone = thresholds.not_seen_alone_red_streak
    return {
        ListName.OVERDUE: ChildList(
            "Overdue now", "Children whose next visit was due before today, counted from the "
            "last visit where they were seen (or the plan's start when never seen), and "
            "children never seen with no plan or placement start to count from.",
            lambda c: c.overdue),
        ListName.NEVER_VISITED: ChildList(
            "Never visited", "Children with no home visit on record (a core group meeting is "
            "not a visit).", lambda c: c.never_visited),
        ListName.NOT_SEEN_ALONE: ChildList(
            f"Not seen alone at the last {counted(alone, 'visit')}",
            f"Children seen at their last {counted(alone, 'visit')} or more in a row, but not "
            "alone: where the policy turns the flag red (a pattern of visits further apart is "
            "on each child's page and in the red flags).",
            lambda c: c.not_seen_alone_streak >= alone),
        ListName.INJURIES: ChildList(
            f"Injuries in the last {window} days", "Children with an injury recorded at a "
            f"visit in the last {window} days; the CSV's injury_visits counts the days with "
            "one.", lambda c: bool(c.injury_days)),
    }


LIST_COLUMNS = ("child", "case_reference", "plan_type", "team", "worker", "last_seen",
                "seen_alone_then", "days_overdue", "not_seen_alone_visits", "injury_visits",
                "headline", "headline_as_of", "overdue_now")
"""As `oversight_report.CSV_COLUMNS` says them (`headline_as_of` too)."""

SORTS: dict[str, Callable[[ChildSeen], Any]] = {
    "child": lambda c: c.name.casefold(),
    "team": lambda c: (c.team.casefold(), c.name.casefold()),
    "worker": lambda c: (c.worker_name.casefold(), c.name.casefold()),
    "last_seen": lambda c: (c.last_seen or date.min, c.name.casefold()),
    # No start date sorts as the most overdue: nothing says when they must be seen.
    "days_overdue": lambda c: (c.no_start_date, c.days_overdue, c.name.casefold()),
    "injuries": lambda c: (len(c.injury_days), c.name.casefold()),
    "not_seen_alone": lambda c: (c.not_seen_alone_streak, c.name.casefold()),
}


def _chosen(request: Request, viewer: Viewer, team: str,
            now: datetime | None = None) -> list[ChildSeen]:
    if team:
        refuse_unless_granted(request, viewer, team)
        return children_for(request, (team,), now=now)
    return children_for(request, viewer.teams, all_teams=viewer.all_teams, now=now)


def _sorted(children: list[ChildSeen], sort: str, order: str) -> list[ChildSeen]:
    if sort not in SORTS:
        return children  # most serious first, as every_child gives them
    return sorted(children, key=SORTS[sort], reverse=order == "desc")


def _lists(request: Request) -> dict[ListName, ChildList]:
    return lists_for(web(request).settings.flag_thresholds)


def _list_of(request: Request, name: str) -> ChildList:
    lists = _lists(request)
    try:
        return lists[ListName(name)]
    except ValueError:
        raise PageRefused(404, "No such list", "The lists are: " + ", ".join(
            lists[n].title for n in ListName) + ". Choose one from the Lists page.") from None


@router.get("/lists", response_class=HTMLResponse)
def lists_index(request: Request, viewer: Viewer, team: str = "") -> Response:
    children = _chosen(request, viewer, team)
    lists = _lists(request)
    counts = [(n.value, lists[n], sum(1 for c in children if lists[n].keep(c)))
              for n in ListName]
    return page(request, "lists.html", viewer=viewer, counts=counts, team=team,
                children=len(children),
                earlier=[c.flags_for for c in children if c.flags_for is not None])


@router.get("/lists/{name}.csv", response_class=Response)
def list_csv(request: Request, viewer: Viewer, name: str, team: str = "", sort: str = "",
             order: str = "asc") -> Response:
    chosen = _list_of(request, name)
    now = web(request).clock()  # one moment for the figures and the day they are dated by
    rows = _sorted([c for c in _chosen(request, viewer, team, now) if chosen.keep(c)], sort,
                   order)
    _audit_download(request, viewer, f"list:{name}", team, len(rows))
    return _csv(list_csv_text(rows, local_day(now)), f"{name}{'-' + team if team else ''}.csv")


@router.get("/lists/{name}", response_class=HTMLResponse)
def one_list(request: Request, viewer: Viewer, name: str, team: str = "", sort: str = "",
             order: str = "asc") -> Response:
    chosen = _list_of(request, name)
    rows = _sorted([c for c in _chosen(request, viewer, team) if chosen.keep(c)], sort, order)
    return page(request, "list.html", viewer=viewer, name=name, chosen=chosen, rows=rows,
                team=team, sort=sort, order="desc" if order == "desc" else "asc")


def list_csv_text(children: Sequence[ChildSeen], today: date) -> str:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(LIST_COLUMNS)
    cell, yes_no = oversight_report.safe_cell, oversight_report.yes_no
    for c in children:
        writer.writerow([cell(c.name), cell(c.case_reference), c.plan_type.label, cell(c.team),
                         cell(c.worker_name), c.last_seen.isoformat() if c.last_seen else "",
                         yes_no(c.seen_alone_then), c.days_overdue, c.not_seen_alone_streak,
                         len(c.injury_days), cell(c.headline.reason if c.headline else ""),
                         oversight_report.headline_as_of(c, today), yes_no(c.overdue)])
    return out.getvalue()


@router.get("/children.csv", response_class=Response)
def children_csv(request: Request, viewer: Viewer, team: str = "") -> Response:
    """The inspectors' child-level CSV (`oversight_report.CSV_COLUMNS`), as the CLI's."""
    now = web(request).clock()  # one moment for the figures and the day they are dated by
    children = _chosen(request, viewer, team, now)
    _audit_download(request, viewer, "children", team, len(children))
    return _csv(oversight_report.csv_text(children, local_day(now)),
                f"children{'-' + team if team else ''}.csv")


def _audit_download(request: Request, viewer: Viewer, what: str, team: str, rows: int) -> None:
    with web(request).sessions.begin() as db:
        audit(db, f"manager:{viewer.username}", "manage.csv_downloaded", what,
              team=team or "*", rows=rows)


def _csv(text: str, filename: str) -> Response:
    safe = "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in filename)
    return Response(text.encode("utf-8"), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{safe}"'})
