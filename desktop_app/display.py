"""Whether there is a screen to open a window on, asked before Qt is (Qt aborts the whole
process, blaming a missing library, when no window system answers)."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping

NO_DISPLAY = (
    "Homevisit needs a screen, and none was found: DISPLAY and WAYLAND_DISPLAY are not set. "
    "Nothing was changed. Start it from a desktop session, or on a machine without one "
    "under a virtual display: xvfb-run -a make run (apt-get install xvfb)."
)


def missing_display(environ: Mapping[str, str] | None = None,
                    platform: str | None = None) -> str | None:
    """The sentence to show when Linux has no display for Qt to open; None when it has one
    (or Qt was told to draw elsewhere, e.g. QT_QPA_PLATFORM=offscreen)."""
    env = os.environ if environ is None else environ
    if not (platform or sys.platform).startswith("linux"):
        return None
    chosen = env.get("QT_QPA_PLATFORM", "")
    if chosen and not chosen.startswith(("xcb", "wayland")):
        return None
    if env.get("DISPLAY") or env.get("WAYLAND_DISPLAY"):
        return None
    return NO_DISPLAY
