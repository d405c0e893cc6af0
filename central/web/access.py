"""Who is asking: the session cookie, the CSRF check, team scoping and the audit of each view.

Every page under /manage/ except sign-in takes `Viewer`: a live session, its idle clock
restarted, and the view written to the audit log (who, which page, when) before the page is
worked out. A page of a team the manager was not granted is refused (403) and audited too.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse, Response
from fastapi.templating import Jinja2Templates
from sqlalchemy.orm import Session, sessionmaker

from central.core.config import Settings
from central.core.secret_box import SecretBox
from central.managers import SignedIn, csrf_matches, session_for
from central.services.audit import audit
from central.web.settings import ManageSettings
from records.flag_types import day_text, local_day

COOKIE = "homevisit_manage"
COOKIE_PATH = "/manage"
TEMPLATES = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))


def _day(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return day_text(local_day(value))
    return day_text(value)


TEMPLATES.env.filters["day"] = _day


@dataclass(frozen=True)
class Web:
    """What the pages need from the app, kept on `app.state.manage`."""

    sessions: sessionmaker[Session]
    snapshots: sessionmaker[Session]
    """`central.db.engine.snapshot_sessionmaker`: reports read one snapshot."""
    settings: Settings
    manage: ManageSettings
    clock: Callable[[], datetime]
    box: SecretBox
    """Opens the managers' sealed TOTP secrets (`central.core.secret_box`)."""


def web(request: Request) -> Web:
    found: Web = request.app.state.manage
    return found


class NotSignedIn(Exception):
    def __init__(self, expired: bool) -> None:
        super().__init__("not signed in")
        self.expired = expired


class PageRefused(Exception):
    def __init__(self, status: int, title: str, message: str) -> None:
        super().__init__(title)
        self.status = status
        self.title = title
        self.message = message


def _signed_in(request: Request) -> SignedIn:
    context = web(request)
    token = request.cookies.get(COOKIE)
    if not token:
        raise NotSignedIn(expired=False)
    with context.sessions.begin() as db:
        found = session_for(db, token, context.clock(), context.manage.idle)
        if isinstance(found, SignedIn):
            audit(db, f"manager:{found.username}", "manage.page_viewed", request.url.path,
                  query=request.url.query[:300], method=request.method)
            return found
    raise NotSignedIn(expired=True)


Viewer = Annotated[SignedIn, Depends(_signed_in)]


def refuse_unless_granted(request: Request, viewer: SignedIn, team: str) -> None:
    """403, audited, when the team is not one the manager may see (or does not exist: the
    answer must not tell which teams exist)."""
    if viewer.may_see(team):
        return
    context = web(request)
    with context.sessions.begin() as db:
        audit(db, f"manager:{viewer.username}", "manage.refused", request.url.path,
              team=team[:200])
    raise PageRefused(403, "Not one of your teams",
                      "You can see only the teams you were given. Nothing was shown. If you "
                      "need this team, ask an administrator to add it to your account.")


def check_csrf(viewer_token: str, given: str) -> None:
    if not csrf_matches(viewer_token, given):
        raise PageRefused(403, "This form has expired",
                          "The form did not carry this session's security token, so nothing "
                          "was done. Go back, reload the page and try again.")


def no_store(response: Response) -> Response:
    response.headers["Cache-Control"] = "no-store"
    return response


def page(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    """The template with `context`, and `thresholds` (central's flag thresholds): a heading
    that names a threshold says the one the figures under it were counted with."""
    context.setdefault("thresholds", web(request).settings.flag_thresholds)
    response = TEMPLATES.TemplateResponse(request, template, context, status_code=status)
    return response
