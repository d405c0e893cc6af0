"""Every error leaves as `{"error": code, "message": sentence}`; none carries what was sent."""

from __future__ import annotations

import logging
import re
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from central.errors import CentralError
from sync.protocol import ErrorBody

log = logging.getLogger("central.api")

ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorBody, "description": description}
    for status, description in (
        (400, "Malformed request (e.g. not JSON)."),
        (401, "Missing, invalid, expired or replayed credentials."),
        (403, "Device revoked or lost (`wipe`), user disabled, or not permitted."),
        (404, "Not found."),
        (409, "Conflict: retry later."),
        (413, "Body too large."),
        (422, "Well-formed but invalid request."),
    )
}


def error_response(status: int, code: str, message: str, **extra: Any) -> JSONResponse:
    return JSONResponse({"error": code, "message": message, **extra}, status_code=status)


def _validation_details(error: RequestValidationError) -> list[dict[str, str]]:
    # Locations and pydantic's wording only: never the input, which may be a child's record.
    return [
        {"location": ".".join(str(part) for part in item.get("loc", ())),
         "problem": str(item.get("msg", ""))}
        for item in error.errors()[:20]
    ]


async def _central_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, CentralError)
    log.info("request.refused", extra={"code": exc.code, "status": exc.status})
    return JSONResponse(exc.body(), status_code=exc.status)


async def _validation_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    if any(item.get("type") == "json_invalid" for item in exc.errors()):
        return error_response(400, "malformed_json",
                              "The request body is not valid JSON. Nothing was stored; the app "
                              "should send it again.")
    return error_response(422, "invalid_request",
                          "The request does not match the API's format. Nothing was stored; "
                          "see 'details' for where.", details=_validation_details(exc))


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    phrase = HTTPStatus(exc.status_code).phrase
    code = phrase.lower().replace(" ", "_").replace("-", "_")
    answer = error_response(exc.status_code, code, f"{phrase}. Check the address and method.")
    answer.headers.update(exc.headers or {})
    if exc.status_code == 405:
        answer.headers["Allow"] = ", ".join(_methods_at(request))
    return answer


def _methods_at(request: Request) -> list[str]:
    """Every method central serves at this path, as its OpenAPI document says (RFC 9110: a
    405 lists them all; the router names only the first route it met, and a blob's GET and
    PUT are two routes)."""
    path = request.url.path
    return sorted(method.upper()
                  for template, operations in request.app.openapi()["paths"].items()
                  if re.fullmatch(re.sub(r"\\{[^/]+?\\}", "[^/]+", re.escape(template)), path)
                  for method in operations)


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(CentralError, _central_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
