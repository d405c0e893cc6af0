"""Where Homevisit's log goes, and what may reach it: events and ids, never record content."""

from __future__ import annotations

import logging
import os
from logging.handlers import RotatingFileHandler
from pathlib import Path

from platformdirs import user_log_path

LOG_LEVEL_ENV = "HOMEVISIT_LOG_LEVEL"


def log_file() -> Path:
    return user_log_path("homevisit", ensure_exists=True) / "homevisit.log"


def configure_logging() -> Path:
    """Send Homevisit's loggers to a rotating file in the user's log folder."""
    path = log_file()
    handler = RotatingFileHandler(path, maxBytes=2_000_000, backupCount=3, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    for old in [h for h in root.handlers if isinstance(h, RotatingFileHandler)]:
        root.removeHandler(old)
        old.close()  # a second call in one process (tests, policy commands) leaks no file
    root.addHandler(handler)
    root.setLevel(os.environ.get(LOG_LEVEL_ENV, "INFO").upper())
    os.chmod(path, 0o600)
    return path
