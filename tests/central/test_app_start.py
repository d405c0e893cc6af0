"""A uvicorn worker's app (`app_from_environment`) keeps what start-up made out of the
garbage collector's full passes, and still answers."""

from __future__ import annotations

import gc
import logging
import shutil
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from central.app import app_from_environment, create_app
from central.core.config import Settings


def test_a_workers_app_freezes_what_start_up_made(
        sqlite_template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "central.sqlite3"
    shutil.copy(sqlite_template, path)
    monkeypatch.setenv("HOMEVISIT_CENTRAL_DATABASE_URL", f"sqlite:///{path}")
    monkeypatch.setenv("HOMEVISIT_CENTRAL_LOG_LEVEL", "WARNING")
    # The worker's logging set-up is undone afterwards, for the tests that read logs.
    loggers = [logging.getLogger(name) for name in
               ("central", "uvicorn", "uvicorn.error", "uvicorn.access", "sqlalchemy")]
    kept = [(logger.handlers, logger.level, logger.propagate) for logger in loggers]
    gc.unfreeze()
    try:
        app = app_from_environment()
        # Start-up's objects, the app's routes among them, are frozen: tens of thousands.
        assert gc.get_freeze_count() > 20_000
        with TestClient(app) as client:
            assert client.get("/v1/health").status_code == 200
    finally:
        gc.unfreeze()  # the rest of the test run collects as usual
        for logger, (handlers, level, propagate) in zip(loggers, kept, strict=True):
            logger.handlers, logger.level, logger.propagate = handlers, level, propagate


def test_central_starts_and_exports_nothing_whatever_the_environment_says_of_opentelemetry(
        sqlite_template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture) -> None:
    """FastAPI would read these and export to that address, or, with the exporters not
    installed, warn of a failed set-up: central's telemetry is off (`NO_TELEMETRY`)."""
    path = tmp_path / "central.sqlite3"
    shutil.copy(sqlite_template, path)
    monkeypatch.setenv("FASTAPI_OTEL_AUTO_CONFIGURE", "true")
    monkeypatch.setenv("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:9/collector")
    settings = Settings(database_url=f"sqlite:///{path}")
    with TestClient(create_app(settings)) as client:
        assert client.get("/v1/health").status_code == 200
        assert client.get("/openapi.json").status_code == 200
    assert not [r for r in caplog.records if r.name.startswith("fastapi")]
