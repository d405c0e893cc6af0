"""GET /v1/health: is central up, and can it reach its database?"""

from __future__ import annotations

import logging

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from central.api.deps import SessionsDep
from central.api.errors import ERROR_RESPONSES
from sync.protocol import PROTOCOL_VERSION, ErrorBody, HealthResponse

router = APIRouter(prefix="/v1", tags=["health"])
log = logging.getLogger("central.health")


@router.get("/health", response_model=HealthResponse,
            responses={503: {"model": ErrorBody, "description": "The database is unreachable."},
                       404: ERROR_RESPONSES[404]})
def health(sessions: SessionsDep) -> HealthResponse | JSONResponse:
    try:
        with sessions.begin() as session:
            session.execute(text("SELECT 1"))
    except SQLAlchemyError as error:
        log.warning("health.database_unreachable", extra={"exception": type(error).__name__})
        return JSONResponse(status_code=503, content={
            "error": "database_unavailable",
            "message": "Central cannot reach its database. Laptops keep their records until it "
                       "is back.",
        })
    return HealthResponse(status="ok", database="ok", protocol_version=PROTOCOL_VERSION)
