"""`homevisit --vault DIR` opens the window on that vault."""

from __future__ import annotations

import json
import os
import subprocess
import sys
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


GUI_ENTRY = """
import json, sys
import desktop_app.app

def run_app(directory=None):
    # The record models (pydantic) are heavy; records.wording, the plural helper the vault's
    # error messages use, is a few lines with no imports and may come in with them.
    heavy = ("pydantic", "holidays", "sqlcipher3", "cryptography", "httpx", "records.visit",
             "records.case", "records.flags", "desktop_app.policy", "desktop_app.cli.vault",
             "desktop_app.cli.sync")
    loaded = [name for name in sys.modules if name.startswith("records.")]
    heavy += tuple(name for name in loaded if name != "records.wording")
    print(json.dumps([name for name in heavy if name in sys.modules]))
    return 0

desktop_app.app.run_app = run_app
from desktop_app.cli import main
sys.exit(main(["--vault", sys.argv[1]]))
"""


def test_the_app_starts_before_any_command_module_is_imported(tmp_path: Path) -> None:
    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "PYTHONPATH": str(root), "XDG_STATE_HOME": str(tmp_path / "state")}
    done = subprocess.run([sys.executable, "-c", GUI_ENTRY, str(tmp_path / "v")], cwd=root,
                          env=env, capture_output=True, text=True, timeout=60, check=True)
    assert json.loads(done.stdout.strip().splitlines()[-1]) == []
