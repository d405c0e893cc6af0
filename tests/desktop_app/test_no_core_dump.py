"""A crashed Homevisit leaves no core file: the real `homevisit` process, holding the
passphrase it has just read, is killed with SIGSEGV after its core limit was raised to
unlimited (as a user's shell or a crash tool might), and nothing is written."""

from __future__ import annotations

import os
import resource
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.cli_runner import run_cli

ROOT = Path(__file__).resolve().parents[2]
PASSPHRASE = "a long enough passphrase"


def unlimited_cores() -> None:
    resource.setrlimit(resource.RLIMIT_CORE, (resource.RLIM_INFINITY, resource.RLIM_INFINITY))


def crash(command: list[str], cwd: Path, env: dict[str, str], ready: str) -> int:
    """Start `command` in `cwd`, give it the passphrase, wait until its limits file says
    `ready`, then SIGSEGV it; its exit status."""
    child = subprocess.Popen(command, cwd=cwd, env=env, stdin=subprocess.PIPE,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                             preexec_fn=unlimited_cores)
    assert child.stdin is not None
    child.stdin.write(f"{PASSPHRASE}\n".encode())
    child.stdin.flush()
    limits = Path(f"/proc/{child.pid}/limits")
    deadline = time.monotonic() + 60
    while ready not in " ".join(limits.read_text().split()) and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(1.0)  # the passphrase line read and held, the second prompt waited on
    child.send_signal(signal.SIGSEGV)
    status = child.wait(timeout=60)
    child.stdin.close()
    return status


def test_a_crashed_homevisit_leaves_no_core(tmp_path: Path) -> None:
    env = {**os.environ, "XDG_STATE_HOME": str(tmp_path / "state"),
           "XDG_CONFIG_HOME": str(tmp_path / "config"), "QT_QPA_PLATFORM": "offscreen"}
    vault = tmp_path / "vault"
    made = run_cli(["vault", "create", "--vault", str(vault)],
                   stdin=f"{PASSPHRASE}\n{PASSPHRASE}\n", env=env)
    assert made.returncode == 0, made.stderr

    # This machine writes cores: a plain Python crashed the same way leaves one.
    control = tmp_path / "control"
    control.mkdir()
    status = crash([sys.executable, "-c", "import sys; sys.stdin.readline(); input()"],
                   control, env, "Max core file size unlimited")
    assert status == -signal.SIGSEGV
    assert any(p.name.startswith("core") for p in control.iterdir()), \
        "this machine must write core files for the test to show anything"

    crashed = tmp_path / "crashed"
    crashed.mkdir()
    homevisit = [sys.executable, "-m", "desktop_app.cli", "vault", "change-passphrase",
                 "--vault", str(vault)]
    status = crash(homevisit, crashed, {**env, "PYTHONPATH": str(ROOT)},
                   "Max core file size 0 0 bytes")
    assert status == -signal.SIGSEGV
    assert [p.name for p in crashed.iterdir()] == []
