"""The ASGI app: `create_app()` for tests and the CLI, `app_from_environment()` for uvicorn."""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime

from anyio import to_thread
from fastapi import FastAPI
from fastapi.telemetry import TelemetryConfig
from sqlalchemy import Engine

from central import web
from central.api.errors import install_error_handlers
from central.api.middleware import GuardMiddleware
from central.api.routes import blobs, devices, health, sync
from central.core.config import Settings
from central.core.keys import load_server_keys
from central.core.logging import configure_logging
from central.core.supervisor import end_with_supervisor
from central.db.engine import make_engine, make_sessionmaker

DESCRIPTION = """Central: where Homevisit laptops sync signed visit records, and where a
council's integration team can read them. See docs/sync-protocol.md."""


NO_TELEMETRY: TelemetryConfig = {"tracing": False, "metrics": False, "logs": False,
                                 "auto_configure": False}
"""FastAPI's OpenTelemetry off: central's JSON log lines are its account of what happened, and
nothing about a request (its path, its device) leaves central to a collector nobody set up.
Left on, FastAPI asks for the global providers on every request, and
`FASTAPI_OTEL_AUTO_CONFIGURE=true` in the environment would export (or, with the exporters
not installed, warn of a failed set-up at every start)."""


def create_app(settings: Settings | None = None, *, engine: Engine | None = None,
               clock: Callable[[], datetime] = lambda: datetime.now(UTC)) -> FastAPI:
    """The app over an already migrated database (run `homevisit-central migrate` first)."""
    settings = settings or Settings()
    engine = engine or make_engine(settings.database_url, pool_size=settings.database_pool_size)
    sessions = make_sessionmaker(engine)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        # Sync routes and dependencies run in this pool: size it for the work, not anyio's 40.
        to_thread.current_default_thread_limiter().total_tokens = settings.worker_threads
        yield
        engine.dispose()

    app = FastAPI(title="Homevisit central", version="1", description=DESCRIPTION,
                  lifespan=lifespan, telemetry=NO_TELEMETRY)
    app.state.settings = settings
    app.state.sessions = sessions
    app.state.clock = clock
    app.state.keys = load_server_keys(sessions, settings.receipt_key_file,
                                      settings.token_key_file)
    install_error_handlers(app)
    for module in (devices, sync, blobs, health):
        app.include_router(module.router)
    web.install(app, sessions=sessions, settings=settings, clock=clock)
    app.add_middleware(GuardMiddleware, max_request_bytes=settings.max_request_bytes,
                       max_blob_bytes=settings.max_blob_bytes)
    return app


def app_from_environment() -> FastAPI:
    """For `uvicorn --factory central.app:app_from_environment` in each worker process."""
    end_with_supervisor()
    settings = Settings()
    configure_logging(settings.log_level)
    app = create_app(settings)
    # What start-up made (~165,000 objects: FastAPI's routes, SQLAlchemy's tables, pydantic's
    # validators, central's modules) lives as long as the worker. Frozen, the collector's full
    # passes, which a push's allocations set off every few hundred requests, no longer walk it
    # each time: the collector's CPU over 12,000 pushed visits went from 0.9 to 0.37 s
    # (docs/benchmarks.md). Start-up's own garbage is collected first, not kept for good.
    gc.collect()
    gc.freeze()
    return app
