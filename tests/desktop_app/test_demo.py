"""`make run` / `make run-team-lead`: the demo vaults, enrolled with a real local central that
is gone once the demo ends, by closing or by Ctrl+C."""

from __future__ import annotations

import contextlib
import io
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import httpx
import pytest

import desktop_app.demo as demo_module
from central import cli as central_cli
from desktop_app import session as sessions
from desktop_app.demo import (
    CASELOAD_CHILDREN,
    DEMO_PASSPHRASE,
    DEMO_VISITS,
    TEAM_LEAD,
    WORKER,
    DemoCentral,
    DemoProblem,
    demo_central,
    ensure_demo_vault,
    ensure_demo_visits,
    ensure_enrolled,
)
from desktop_app.policy import Policy
from desktop_app.review_services import VaultReviewServices
from storage.review_index import NOT_ON_LAPTOP
from tests.cli_runner import run_cli
from tests.sync.harness import CentralThread

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
        said = ensure_demo_visits(worker, central)
        assert re.match(r"160 visits recorded; [1-9]\d* records sent to central$", said), said
        pushed = _sync(worker, tmp_path)
        assert pushed.returncode == 0, pushed.stdout + pushed.stderr
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


@pytest.fixture
def central_in_process(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The demo's central as `make run` drives it, minus the interpreters: each
    `homevisit-central` command (seed, import, invite) by its real `main` in this process,
    and `serve` as the same app by uvicorn on a thread, on the demo's saved port. The first
    test keeps every process (seeding, serving, the app, Ctrl+C); here the order of the
    demos is the point."""
    served: dict[int, CentralThread] = {}

    def run_central(directory: Path, *args: str) -> str:
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = central_cli.main(["--database-url", demo_module.database_url(directory),
                                     *args])
        if code != 0:
            raise DemoProblem(f"'homevisit-central {' '.join(args)}' failed: {err.getvalue()}")
        return out.getvalue()

    def serve(central: DemoCentral) -> None:
        server = CentralThread(central.database_url, central.directory)
        server.port, server.url = central.port, central.url
        server.start()
        served[central.port] = server

    def stop(central: DemoCentral) -> None:
        server = served.pop(central.port, None)
        if server is not None:
            server.close()

    monkeypatch.setattr(demo_module, "_run_central", run_central)
    monkeypatch.setattr(demo_module, "_serve", serve)
    monkeypatch.setattr(DemoCentral, "stop", stop)
    yield
    for server in served.values():
        server.close()


def _team_lead_sees(root: Path, *, lead_first: bool) -> list[tuple[str, int, str]]:
    """`make run` and `make run-team-lead` in this order, as far as the window; what the team
    lead's review queue then shows (child, flag, why first) for every visit."""
    worker, lead = root / "demo", root / "demo-team-lead"
    with demo_central(root / "demo-central") as central:
        def worker_demo() -> None:
            ensure_demo_vault(worker)
            ensure_enrolled(worker, central, WORKER)
            ensure_demo_visits(worker, central)

        def team_lead_demo() -> None:
            ensure_demo_vault(lead, team_lead=True)
            ensure_enrolled(lead, central, TEAM_LEAD)
            pulled = _sync(lead, root)
            assert pulled.returncode == 0, pulled.stdout + pulled.stderr

        for demo in (team_lead_demo, worker_demo) if lead_first else (worker_demo,
                                                                      team_lead_demo):
            demo()
        assert _sync(lead, root).returncode == 0  # the team lead's next sync (or Sync now)
    policy = Policy()
    with sessions.unlock(lead, DEMO_PASSPHRASE, policy) as opened:
        services = VaultReviewServices(opened, policy)
        services.refresh_review()
        rows = services.queue_page(0, 1000)
        assert len(rows) == services.queue_count() == DEMO_VISITS
        assert not [r for r in rows if NOT_ON_LAPTOP in r.child_names]
        assert sum(1 for r in rows if r.rank == 0) >= 10  # red flags reach the team lead
        for row in rows[:20] + rows[-5:]:  # the note opens, with its child and flags
            note = services.review_note(row.visit_id)
            assert note.opened.children and note.opened.case.reference
            assert bool(note.flags) == (row.rank < 2)
        dashboard = services.dashboard()
        okafor = next(w for w in dashboard.workers if w.worker == WORKER)
        assert okafor.children == CASELOAD_CHILDREN + 3  # and central's own three demo children
        assert okafor.awaiting_sign_off == DEMO_VISITS
        assert dashboard.injured_recently
        days = [datetime.strptime(a.detail.removeprefix("last injury recorded "), "%d %b %Y")
                for a in dashboard.injured_recently]
        assert days == sorted(days, reverse=True)  # the newest injuries first
    return sorted((r.child_names, r.rank, r.headline) for r in rows)


def test_the_team_lead_sees_the_workers_children_and_visits_whichever_demo_ran_first(
        tmp_path: Path, central_in_process: None) -> None:
    started = date.today()
    worker_first = _team_lead_sees(tmp_path / "worker-first", lead_first=False)
    lead_first = _team_lead_sees(tmp_path / "lead-first", lead_first=True)
    if date.today() == started:
        assert worker_first == lead_first
    else:  # the demo dates its visits from today: across midnight only the numbers move
        def undated(rows: list[tuple[str, int, str]]) -> list[tuple[str, int, str]]:
            return sorted((child, rank, re.sub(r"\d+", "N", why)) for child, rank, why in rows)

        assert undated(worker_first) == undated(lead_first)


def test_a_demo_killed_outright_takes_its_central_with_it(
        tmp_path: Path, central_in_process: None) -> None:
    """SIGKILL leaves no `finally`: the kernel's parent-death signal stops central."""
    if sys.platform != "linux":
        pytest.skip("PR_SET_PDEATHSIG is Linux's")
    # Seeded beforehand (in this process), so the demo below only starts central's process.
    (tmp_path / "central").mkdir()
    demo_module._seed_once(tmp_path / "central")
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


def test_a_central_seeded_by_the_older_demo_asks_to_start_afresh(tmp_path: Path) -> None:
    """Its worker's families were never central's: say what to delete, start nothing."""
    folder = tmp_path / "demo-central"
    folder.mkdir()
    (folder / "seeded").write_text("homevisit-central demo\n")  # as the older demo wrote it
    with pytest.raises(DemoProblem) as refused, demo_central(folder):
        pass
    assert "older version" in str(refused.value) and str(folder) in str(refused.value)
    assert not (folder / "caseload.csv").exists()
