"""Pure ASGI middleware: a body size limit, one log line a request, no tracebacks, and a
count of the laptops' sends refused before any record in them was read."""

from __future__ import annotations

import json
import logging
import time
from typing import Any

from anyio import to_thread
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from central.services.refusals import COUNTED_STATUSES, is_laptop_send, record_refusal

log = logging.getLogger("central.http")


class _TooLarge(Exception):
    pass


def _json(status: int, body: dict[str, Any]) -> list[Message]:
    payload = json.dumps(body).encode()
    return [
        {"type": "http.response.start", "status": status,
         "headers": [(b"content-type", b"application/json"),
                     (b"content-length", str(len(payload)).encode())]},
        {"type": "http.response.body", "body": payload},
    ]


class GuardMiddleware:
    """Refuses oversize bodies with 413 and turns any unexpected failure into a calm 500."""

    def __init__(self, app: ASGIApp, *, max_request_bytes: int, max_blob_bytes: int) -> None:
        self.app = app
        self.max_request_bytes = max_request_bytes
        self.max_blob_bytes = max_blob_bytes

    # complexity: an ASGI wrapper: size limit and error answer before and after the response starts
    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope.get("path", "")
        limit = self.max_blob_bytes if path.startswith("/v1/blobs/") else self.max_request_bytes
        started = time.perf_counter()
        status_seen: list[int] = []
        response_started = False
        refused_body = bytearray()  # a counted refusal's JSON body, for its code

        for name, value in scope.get("headers", []):
            if name == b"content-length" and value.isdigit() and int(value) > limit:
                await self._send_too_large(send, limit)
                self._log(scope, 413, started)
                await self._count(scope, 413, "too_large")
                return

        received = 0
        too_large = False

        async def limited_receive() -> Message:
            nonlocal received, too_large
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    too_large = True
                    raise _TooLarge()
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal response_started
            if too_large:
                # The app may have turned our interruption into its own error: answer 413.
                if not response_started:
                    response_started = True
                    await self._send_too_large(send, limit)
                    status_seen.append(413)
                return
            if message["type"] == "http.response.start":
                response_started = True
                status_seen.append(int(message["status"]))
            elif (message["type"] == "http.response.body" and status_seen
                  and status_seen[0] in COUNTED_STATUSES and len(refused_body) < 4096):
                refused_body.extend(message.get("body", b""))
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except _TooLarge:
            if not response_started:
                await self._send_too_large(send, limit)
            status_seen.append(413)
        except Exception as error:
            # The JSON formatter keeps only the exception's type, never its text or traceback.
            log.error("request.failed", exc_info=error, extra={"path": path})
            if not response_started:
                for message in _json(500, {
                    "error": "internal_error",
                    "message": "Central met an unexpected problem. Nothing sent was stored "
                               "partly; sync again later, and tell IT if it persists.",
                }):
                    await send(message)
            status_seen.append(500)
        status = status_seen[0] if status_seen else 0
        self._log(scope, status, started)
        if status in COUNTED_STATUSES:
            code = "too_large" if status == 413 else _code(status, bytes(refused_body))
            await self._count(scope, status, code)

    async def _send_too_large(self, send: Send, limit: int) -> None:
        for message in _json(413, {
            "error": "too_large",
            "message": f"The request is larger than central accepts ({limit} bytes). Nothing "
                       "was stored; send fewer operations at a time.",
        }):
            await send(message)

    @staticmethod
    async def _count(scope: Scope, status: int, code: str) -> None:
        """A laptop's push or photo refused whole (too large, not JSON, not the protocol's
        shape): central stores nothing of it, so it is counted here for `stats`, with the
        device when its token is good. After the answer is sent: the laptop never waits."""
        if not is_laptop_send(scope.get("method", ""), scope.get("path", "")):
            return
        bearer = None
        for name, value in scope.get("headers", []):
            if name == b"authorization" and value[:7].lower() == b"bearer ":
                bearer = value[7:].decode("latin-1").strip()
        state = scope["app"].state
        await to_thread.run_sync(record_refusal, state, bearer, status, code,
                                 scope.get("path", ""))

    @staticmethod
    def _log(scope: Scope, status: int, started: float) -> None:
        """The one line a request (`homevisit-central serve` turns uvicorn's own access log
        off): who asked (the laptop's address, as nginx forwards it), what, the answer's
        status and how long it took."""
        if not log.isEnabledFor(logging.INFO):
            return
        client = scope.get("client")
        log.info("request", extra={
            "client": client[0] if client else None,
            "method": scope.get("method"), "path": scope.get("path"), "status": status,
            "ms": round((time.perf_counter() - started) * 1000, 1),
        })


def _code(status: int, body: bytes) -> str:
    """The refusal's code from its JSON body (`{"error": code, ...}`), else its status."""
    try:
        code = json.loads(body).get("error")
    except (ValueError, AttributeError):
        code = None
    return code if isinstance(code, str) and code else f"http_{status}"
