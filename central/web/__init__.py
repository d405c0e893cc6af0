"""The managers' web view under /manage/: server-rendered HTML and CSS, SVG charts, no
script. `install(app, ...)` is the one hook in central's app factory."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from sqlalchemy.orm import Session, sessionmaker
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from central.core.config import Settings
from central.core.secret_box import earlier_box, load_secret_box
from central.db.engine import snapshot_sessionmaker
from central.managers import reseal_under_file_key, seal_plain_secrets
from central.web import lists, pages, signin
from central.web.access import NotSignedIn, PageRefused, Web, page
from central.web.settings import ManageSettings

HEADERS = [
    (b"cache-control", b"no-store"),
    # No script at all, no framing, no form posting anywhere but here.
    (b"content-security-policy", b"default-src 'none'; style-src 'self'; img-src 'self'; "
     b"form-action 'self'; frame-ancestors 'none'; base-uri 'none'"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"strict-transport-security", b"max-age=31536000"),
]


class ManageHeaders:
    """Security headers on every answer under /manage/ (pages, CSVs, redirects, errors)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not str(scope.get("path", "")).startswith("/manage"):
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                kept = [(k, v) for k, v in message.get("headers", [])
                        if k.lower() not in {name for name, _ in HEADERS}]
                message = {**message, "headers": kept + HEADERS}
            await send(message)

        await self.app(scope, receive, with_headers)


async def _not_signed_in(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, NotSignedIn)
    return RedirectResponse("/manage/login" + ("?expired=1" if exc.expired else ""),
                            status_code=303)


async def _refused(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, PageRefused)
    return page(request, "error.html", status=exc.status, viewer=None, title=exc.title,
                message=exc.message)


def install(app: FastAPI, *, sessions: sessionmaker[Session], settings: Settings,
            clock: Callable[[], datetime], manage: ManageSettings | None = None) -> None:
    engine = sessions.kw["bind"]
    box = load_secret_box(sessions, settings.manager_secrets_key_file)
    with sessions.begin() as db:
        seal_plain_secrets(db, box)  # accounts made before secrets were sealed
        # sealed with the database's key before IT named a key file
        reseal_under_file_key(db, box, earlier_box(sessions, settings.manager_secrets_key_file))
    app.state.manage = Web(sessions=sessions, snapshots=snapshot_sessionmaker(engine),
                           settings=settings, manage=manage or ManageSettings(), clock=clock,
                           box=box)
    for module in (signin, pages, lists):
        app.include_router(module.router)
    app.mount("/manage/static", StaticFiles(directory=Path(__file__).parent / "static"),
              name="manage-static")
    app.add_exception_handler(NotSignedIn, _not_signed_in)
    app.add_exception_handler(PageRefused, _refused)
    app.add_middleware(ManageHeaders)
