"""Sign in (password and TOTP in one form) and sign out."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from central.managers import (
    Anonymous,
    LoginRefused,
    SignedIn,
    authenticate,
    csrf_matches,
    end_session,
    forget_idle,
    open_session,
    session_for,
)
from central.services.audit import audit
from central.web.access import COOKIE, COOKIE_PATH, Viewer, check_csrf, page, web
from records.wording import counted

router = APIRouter(prefix="/manage", include_in_schema=True, tags=["manage"])


def _set_cookie(response: Response, token: str) -> None:
    # No max_age: a browser session cookie; the server ends it after the idle time anyway.
    response.set_cookie(COOKIE, token, path=COOKIE_PATH, secure=True, httponly=True,
                        samesite="strict")


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, expired: int = 0) -> Response:
    context = web(request)
    now = context.clock()
    token = request.cookies.get(COOKIE)
    with context.sessions.begin() as db:
        forget_idle(db, now, context.manage.idle)
        found = session_for(db, token, now, context.manage.idle) if token else None
        if isinstance(found, SignedIn):
            return RedirectResponse("/manage/service", status_code=303)
        fresh = None
        if not isinstance(found, Anonymous):
            fresh, csrf = open_session(db, None, now)
        else:
            csrf = found.csrf_token
    idle = counted(context.manage.idle_minutes, "minute")
    message = (f"You were signed out after {idle} without use. Sign in again to go on."
               if expired else "")
    response = page(request, "login.html", csrf=csrf, notice=message, error="", username="")
    if fresh is not None:
        _set_cookie(response, fresh)
    return response


@router.post("/login", response_class=HTMLResponse)
def login(request: Request, username: Annotated[str, Form(max_length=100)],
          password: Annotated[str, Form(max_length=1000)],
          code: Annotated[str, Form(max_length=20)],
          csrf: Annotated[str, Form(max_length=200)] = "") -> Response:
    context = web(request)
    now = context.clock()
    token = request.cookies.get(COOKIE)
    with context.sessions.begin() as db:
        found = session_for(db, token, now, context.manage.idle) if token else None
        if not isinstance(found, Anonymous) or not csrf_matches(found.csrf_token, csrf):
            audit(db, "web", "manage.csrf_refused", "/manage/login")
            refused = page(request, "error.html", status=403, viewer=None,
                           title="This sign-in form has expired",
                           message="The form was old or did not come from this site, so "
                                   "nothing was done. Open the sign-in page again.")
            return refused
        try:
            account = authenticate(db, context.box, username, password, code, now=now,
                                   max_failed=context.manage.max_failed_logins,
                                   lockout=context.manage.lockout)
        except LoginRefused as refusal:
            error = refusal.message
        else:
            assert token is not None
            end_session(db, token)  # the anonymous session goes: its token opens nothing now
            fresh, _ = open_session(db, account.id, now)
            response = RedirectResponse("/manage/service", status_code=303)
            _set_cookie(response, fresh)
            return response
    return page(request, "login.html", status=401, csrf=found.csrf_token, notice="",
                error=error, username=username)


@router.post("/logout", response_class=HTMLResponse)
def logout(request: Request, viewer: Viewer,
           csrf: Annotated[str, Form(max_length=200)] = "") -> Response:
    check_csrf(viewer.csrf_token, csrf)
    context = web(request)
    token = request.cookies.get(COOKIE, "")
    with context.sessions.begin() as db:
        end_session(db, token)
        audit(db, f"manager:{viewer.username}", "manage.signed_out", "")
    response = page(request, "signed_out.html", viewer=None)
    response.delete_cookie(COOKIE, path=COOKIE_PATH, secure=True, httponly=True,
                           samesite="strict")
    return response
