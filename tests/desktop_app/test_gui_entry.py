"""`homevisit --vault DIR` opens the window on that vault."""

from __future__ import annotations

from pathlib import Path

import pytest

import desktop_app.app
from desktop_app.cli import main


def test_vault_option_opens_the_app_on_that_directory(monkeypatch: pytest.MonkeyPatch,
                                                      tmp_path: Path) -> None:
    opened: list[Path | None] = []

    def run_app(directory: Path | None = None) -> int:
        opened.append(directory)
        return 0

    monkeypatch.setattr(desktop_app.app, "run_app", run_app)
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    assert main(["--vault", str(tmp_path / "v")]) == 0
    assert opened == [tmp_path / "v"]
