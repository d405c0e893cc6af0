"""Without a screen the app says so in one line and exits 2, instead of Qt aborting with a
misleading "xcb-cursor0 is needed"; self-test names the same cause."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from desktop_app.display import NO_DISPLAY, missing_display


def _without_display() -> dict[str, str]:
    return {k: v for k, v in os.environ.items()
            if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}


def test_the_window_without_a_display_is_one_clear_line(tmp_path: Path) -> None:
    run = subprocess.run([sys.executable, "-m", "desktop_app.cli", "--vault",
                          str(tmp_path / "vault")], env=_without_display(),
                         capture_output=True, text=True, timeout=120, check=False)
    assert run.returncode == 2
    assert run.stderr.strip() == f"homevisit: {NO_DISPLAY}"
    assert not (tmp_path / "vault").exists()  # nothing was made


def test_self_test_names_the_missing_display() -> None:
    run = subprocess.run([sys.executable, "-m", "desktop_app.cli", "self-test"],
                         env=_without_display(), capture_output=True, text=True, timeout=300,
                         check=False)
    assert run.returncode != 0
    assert "FAIL  Qt platform" in run.stdout and "needs a screen" in run.stdout
    assert "Traceback" not in run.stderr


def test_offscreen_or_a_display_is_enough() -> None:
    assert missing_display({"QT_QPA_PLATFORM": "offscreen"}, "linux") is None
    assert missing_display({"DISPLAY": ":99"}, "linux") is None
    assert missing_display({"WAYLAND_DISPLAY": "wayland-0"}, "linux") is None
    assert missing_display({}, "linux") == NO_DISPLAY
    assert missing_display({}, "win32") is None
