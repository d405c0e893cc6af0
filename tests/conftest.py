"""Session-wide test set-up: Qt runs offscreen, and nothing waits on a real screen."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
