"""`make run` / `make run-team-lead`: the demo vaults, enrolled with a real local central that
is gone once the demo ends, by closing or by Ctrl+C."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from desktop_app.demo import (
    DEMO_PASSPHRASE,
    TEAM_LEAD,
    WORKER,
    demo_central,
    ensure_demo_vault,
    ensure_enrolled,
)
from tests.cli_runner import run_cli

ROOT = Path(__file__).resolve().parents[2]


def _env(home: Path, *, inherit: bool = True) -> dict[str, str]:
    own = {"XDG_STATE_HOME": str(home / "state"), "XDG_CONFIG_HOME": str(home / "config"),
           "QT_QPA_PLATFORM": "offscreen",
           "HOMEVISIT_SETTINGS_FILE": str(home / "settings.toml")}
    return {**os.environ, **own} if inherit else own


def _sync(vault: Path, home: Path) -> subprocess.CompletedProcess[str]:
    """`homevisit sync --once` on the demo vault (its real `main`, in this process)."""
    result = run_cli(["sync", "--vault", str(vault), "--once"],
                     stdin=DEMO_PASSPHRASE + "\n", env=_env(home, inherit=False))
    assert "Traceback" not in result.stderr, result.stderr
    return result


def _answers(url: str) -> bool:
    try:
        return httpx.get(f"{url}/v1/health", timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


def _gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    # A zombie still answers kill(0); it has stopped serving, which is what matters here.
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0] == "Z"
    except OSError:
        return True


def test_the_demo_vaults_sync_and_review_through_their_own_central(tmp_path: Path) -> None:
    worker, lead = tmp_path / "demo", tmp_path / "demo-team-lead"
    folder = tmp_path / "demo-central"
    with demo_central(folder) as central:
        assert central.process is not None and _answers(central.url)
        pid = central.process.pid
        ensure_demo_vault(worker)
        assert "J. Okafor (worker)" in ensure_enrolled(worker, central, WORKER)
        pushed = _sync(worker, tmp_path)
        assert pushed.returncode == 0, pushed.stdout + pushed.stderr
        assert re.search(r"^Sent [1-9]\d*, quarantined 0", pushed.stdout, re.M), pushed.stdout
        assert "Everything is synced." in pushed.stdout

        with demo_central(folder) as second:  # make run-team-lead while make run runs
            assert second.process is None and second.url == central.url
            ensure_demo_vault(lead, team_lead=True)
            assert "M. Lead (team lead)" in ensure_enrolled(lead, second, TEAM_LEAD)
            pulled = _sync(lead, tmp_path)
            assert pulled.returncode == 0, pulled.stdout + pulled.stderr
            received = re.search(r"received (\d+)", pulled.stdout)
            assert received and int(received.group(1)) > 0, pulled.stdout
        assert _answers(central.url)  # the second demo left central to its starter
    assert _gone(pid) and not _answers(central.url)

    # The next `make run`: same port, vault already enrolled; Ctrl+C stops app and central.
    demo = subprocess.Popen(
        [sys.executable, "-m", "desktop_app.demo", "--vault", str(worker)], cwd=ROOT,
        env=_env(tmp_path), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        assert demo.stdout is not None
        said: list[str] = []
        for line in demo.stdout:
            said.append(line)
            if line.startswith("Close the window"):
                break
        text = "".join(said)
        assert f"Central: {central.url} (started, process" in text, text
        assert f"Passphrase: {DEMO_PASSPHRASE}" in text
        found = re.search(r"process (\d+)", text)
        assert found is not None
        second_pid = int(found.group(1))
        assert _answers(central.url)
        time.sleep(1)  # the window is up and its signal handler in place
        demo.send_signal(signal.SIGINT)
        rest, _ = demo.communicate(timeout=120)
    finally:
        if demo.poll() is None:
            demo.kill()
            demo.wait(30)
    assert demo.returncode == 0, rest
    assert "Traceback" not in rest and "The demo has stopped." in rest
    assert _gone(second_pid) and not _answers(central.url)


def test_a_demo_killed_outright_takes_its_central_with_it(tmp_path: Path) -> None:
    """SIGKILL leaves no `finally`: the kernel's parent-death signal stops central."""
    if sys.platform != "linux":
        pytest.skip("PR_SET_PDEATHSIG is Linux's")
    script = ("import sys, time\nfrom pathlib import Path\n"
              "from desktop_app.demo import demo_central\n"
              "with demo_central(Path(sys.argv[1])) as central:\n"
              "    print(central.process.pid, central.url, flush=True)\n"
              "    time.sleep(600)\n")
    holder = subprocess.Popen([sys.executable, "-c", script, str(tmp_path / "central")],
                              cwd=ROOT, env=_env(tmp_path), stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None
        pid_text, url = holder.stdout.readline().split()
        assert _answers(url)
        holder.send_signal(signal.SIGKILL)
        holder.wait(30)
        deadline = time.monotonic() + 30
        while not _gone(int(pid_text)) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert _gone(int(pid_text)) and not _answers(url)
    finally:
        if holder.poll() is None:
            holder.kill()
            holder.wait(30)
        if holder.stdout is not None:
            holder.stdout.close()
