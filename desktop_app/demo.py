"""`make run` and `make run-team-lead`: the app on a demo vault, syncing with a local central.

Run: python -m desktop_app.demo --vault DIR [--team-lead] [--central DIR]

A newcomer sees the whole loop on one machine. Central (`homevisit-central serve`) runs on
its embedded SQLite in a folder beside the vault (DIR-central unless --central says
otherwise), on a loopback port chosen once and kept there, seeded once with central's own
`demo` organisation and the invented families of J. Okafor's caseload (imported as the
council's CSV, `homevisit-central case import`). The worker's demo vault is enrolled as
J. Okafor, pulls that caseload like any laptop and records the invented visits over it,
then sends them; with --team-lead another vault is enrolled as their team lead, M. Lead,
who pulls the team's children and every visit sent (before or after it enrolled) and
reviews them. So the two commands give the same picture in either order. Enrolling uses the
same code as `homevisit enroll`; sending and pulling the same engine as `homevisit sync`.

Central stops when the app exits, on Ctrl+C and on SIGTERM; on Linux the kernel also stops
it if this process dies without a chance to (PR_SET_PDEATHSIG). A second demo started
while the first runs uses the central already running and leaves it to its starter.
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import FrameType

import httpx

from desktop_app import session as sessions
from desktop_app.demo_data import demo_caseload_csv, make_demo_visits
from desktop_app.hardening import harden_process
from desktop_app.logs import configure_logging
from desktop_app.policy import Policy
from records.wording import counted
from storage.vault import Vault
from storage.workspace import Workspace

DEMO_PASSPHRASE = "demo visit passphrase"
WORKER = "jokafor"
TEAM_LEAD = "mlead"
TEAM = "North"  # central's demo team of J. Okafor and M. Lead
CASELOAD_CHILDREN = 40
DEMO_VISITS = 160
SEEDED = "homevisit-central demo, with the worker's invented caseload\n"
"""What `seeded` in central's folder says once the demo has seeded it (this version)."""
START_SECONDS = 60.0
STOP_SECONDS = 15.0
_PR_SET_PDEATHSIG = 1


class DemoProblem(Exception):
    """The demo could not be set up; the sentence says what to do."""


@dataclass
class DemoCentral:
    """The demo's central: its folder, its port and, when this demo started it, its process."""

    directory: Path
    port: int
    process: subprocess.Popen[bytes] | None = None  # None: another demo started it

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def database_url(self) -> str:
        return database_url(self.directory)

    @property
    def log_file(self) -> Path:
        return self.directory / "central.log"

    def stop(self) -> None:
        """SIGTERM (uvicorn finishes what it is doing), then SIGKILL if it will not go."""
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            return
        process.terminate()
        try:
            process.wait(STOP_SECONDS)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(STOP_SECONDS)


def database_url(directory: Path) -> str:
    return f"sqlite:///{directory / 'central.sqlite3'}"


def central_command(directory: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "central.cli", "--database-url", database_url(directory),
            *args]


def _run_central(directory: Path, *args: str) -> str:
    result = subprocess.run(central_command(directory, *args), capture_output=True, text=True,
                            timeout=120, check=False)
    if result.returncode != 0:
        raise DemoProblem(f"'homevisit-central {' '.join(args)}' failed: "
                          f"{result.stderr.strip() or result.stdout.strip()}")
    return result.stdout


def _saved_port(directory: Path) -> int:
    """The port this demo's central always uses: the enrolled vaults keep its address."""
    saved = directory / "port"
    with contextlib.suppress(OSError, ValueError):
        return int(saved.read_text().strip())
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    saved.write_text(f"{port}\n")
    return port


def _healthy(url: str) -> bool:
    try:
        return httpx.get(f"{url}/v1/health", timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


def _die_with_parent() -> None:
    """In the child before exec: the kernel sends SIGTERM if the demo dies (Linux only)."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


def _serve(central: DemoCentral) -> None:
    env = {**os.environ, "HOMEVISIT_CENTRAL_LOG_LEVEL": "WARNING"}
    with central.log_file.open("ab") as log:
        # Its own session: Ctrl+C reaches the app, which stops central after its last sync.
        central.process = subprocess.Popen(
            central_command(central.directory, "serve", "--port", str(central.port)),
            env=env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            start_new_session=True,
            preexec_fn=_die_with_parent if sys.platform == "linux" else None,
        )
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if central.process.poll() is not None:
            central.process = None
            raise DemoProblem(
                f"Central could not start on port {central.port} (its log: {central.log_file})."
                " If another program uses that port, stop it, or delete "
                f"{central.directory} and the demo vaults to start the demo afresh.")
        if _healthy(central.url):
            return
        time.sleep(0.2)
    raise DemoProblem(f"Central did not answer within {START_SECONDS:.0f} s; its log is "
                      f"{central.log_file}.")


@contextlib.contextmanager
def demo_central(directory: Path) -> Iterator[DemoCentral]:
    """Central on the demo's port, seeded once; stopped on leaving if this demo started it."""
    directory.mkdir(parents=True, exist_ok=True)
    central = DemoCentral(directory, _saved_port(directory))
    if _healthy(central.url):
        yield central  # another demo (make run / make run-team-lead) runs it
        return
    try:
        _seed_once(directory)
        _serve(central)
        yield central
    finally:
        central.stop()


def _seed_once(directory: Path) -> None:
    """Central's demo organisation and the worker's invented families, once per folder."""
    seeded = directory / "seeded"
    if seeded.exists():
        if seeded.read_text() != SEEDED:
            raise DemoProblem(
                f"The demo's central in {directory} was made by an older version, whose "
                "worker's families central never knew (so a team lead could not see them). "
                f"Delete {directory} and the demo vaults beside it to start the demo afresh.")
        return
    if not (directory / "demo-organisation").exists():
        _run_central(directory, "demo")
        (directory / "demo-organisation").write_text("homevisit-central demo\n")
    families = directory / "caseload.csv"
    families.write_text(demo_caseload_csv(children=CASELOAD_CHILDREN, worker=WORKER,
                                          team=TEAM), encoding="utf-8")
    _run_central(directory, "case", "import", str(families))
    seeded.write_text(SEEDED)


def invite(central: DemoCentral, username: str) -> str:
    """A one-time enrollment code, as IT would print it (`homevisit-central invite`)."""
    return _run_central(central.directory, "invite", username, "--hours", "1").strip() \
        .splitlines()[-1]


def ensure_demo_vault(directory: Path, *, team_lead: bool = False) -> None:
    """The demo vault, made once and empty: its caseload comes from central when enrolled."""
    if Vault.exists(directory):
        return
    whose = "the team lead's" if team_lead else "the worker's"
    print(f"Making {whose} demo vault in {directory} …", flush=True)
    sessions.create_vault(directory, DEMO_PASSPHRASE, Policy()).close()


def ensure_demo_visits(directory: Path, central: DemoCentral) -> str:
    """The worker's invented visits, made once over the caseload pulled from central, sent.

    Pull first (the families are central's), record the visits, then send them, so a team
    lead sees them whether they enrolled before or after. A demo stopped part-way carries
    on at the next run: visits are made while the vault has none, and sync sends the rest.
    """
    from sync.engine import SyncEngine
    from sync.errors import SyncProblem
    from sync.ledger import SyncLedger
    from sync.transport import CentralClient

    policy = Policy()
    with sessions.unlock(directory, DEMO_PASSPHRASE, policy) as opened:
        conn = opened.vault.connection
        enrollment = SyncLedger(conn).enrollment()
        assert enrollment is not None  # ensure_enrolled ran first
        clock = _DemoClock()
        workspace = Workspace.over(conn, actor=sessions.ACTOR, clock=clock,
                                   standards=policy.visit_standards)
        try:
            with CentralClient(central.url, timeout_seconds=30) as client:
                engine = SyncEngine(conn, workspace.device, client, audit=workspace.audit,
                                    days_on_device=policy.days_on_device)
                engine.run_once()  # the caseload central allocated to the worker
                made = ""
                if not conn.execute("SELECT 1 FROM visits LIMIT 1").fetchone():
                    print("Recording the worker's invented visits …", flush=True)
                    summary = make_demo_visits(workspace, visits=DEMO_VISITS,
                                               worker=enrollment.display_name,
                                               submitting_at=clock.set)
                    made = f"{counted(summary.submitted, 'visit')} recorded; "
                report = engine.run_once()
        except SyncProblem as problem:
            raise DemoProblem(problem.user_message) from None
    unsent = f", {report.waiting} not yet sent" if report.waiting else ""
    return f"{made}{counted(report.synced_total, 'record')} sent to central{unsent}"


class _DemoClock:
    """The worker's demo clock: each invented visit is submitted on its own day."""

    def __init__(self) -> None:
        self._now: datetime | None = None

    def set(self, moment: datetime) -> None:
        """Stand still at `moment`; a moment not in the past lets the clock run again."""
        self._now = moment if moment < datetime.now(UTC) else None

    def __call__(self) -> datetime:
        return self._now or datetime.now(UTC)


def ensure_enrolled(directory: Path, central: DemoCentral, username: str) -> str:
    """Enroll the vault with the demo's central (once); a line saying where it stands."""
    from desktop_app.enrollment import enroll_session
    from sync.errors import SyncProblem
    from sync.ledger import SyncLedger

    policy = Policy()
    with sessions.unlock(directory, DEMO_PASSPHRASE, policy) as opened:
        enrollment = SyncLedger(opened.vault.connection).enrollment()
        if enrollment is None:
            try:
                enrollment = enroll_session(opened, central.url, invite(central, username),
                                            policy, label="demo laptop")
            except SyncProblem as problem:
                raise DemoProblem(problem.user_message) from None
        elif enrollment.server_url != central.url:
            raise DemoProblem(
                f"The demo vault {directory} is enrolled with {enrollment.server_url}, not "
                f"with this demo's central at {central.url}. Delete {directory} and "
                f"{central.directory} to start the demo afresh.")
    role = enrollment.role.value.replace("_", " ")
    return f"{directory} is enrolled as {enrollment.display_name} ({role})"


def _exit_on_term(_signal: int, _frame: FrameType | None) -> None:
    raise SystemExit(128 + signal.SIGTERM)  # so `finally` stops central


def _quit_on_interrupt(_shown_at: float) -> None:
    """Once the window shows: Ctrl+C and SIGTERM quit the app as closing it would."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    assert app is not None
    for number in (signal.SIGINT, signal.SIGTERM):
        signal.signal(number, lambda *_: app.quit())
    # Qt's loop runs no Python; a timer lets Python's signal handlers run within 200 ms.
    wake = QTimer(app)
    wake.timeout.connect(lambda: None)
    wake.start(200)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--vault", type=Path, required=True)
    parser.add_argument("--team-lead", action="store_true",
                        help="the team lead's vault (enrolled as M. Lead), to review")
    parser.add_argument("--central", type=Path, default=None,
                        help="central's folder (default: beside the vault, VAULT-central)")
    arguments = parser.parse_args()
    harden_process()
    vault: Path = arguments.vault
    central_folder: Path = arguments.central or vault.parent / f"{vault.name}-central"
    configure_logging()
    signal.signal(signal.SIGTERM, _exit_on_term)
    try:
        with demo_central(central_folder) as central:
            started = "started" if central.process is not None else "already running"
            ensure_demo_vault(vault, team_lead=arguments.team_lead)
            enrolled = ensure_enrolled(vault, central, TEAM_LEAD if arguments.team_lead
                                       else WORKER)
            if not arguments.team_lead:
                print(f"Sync: {ensure_demo_visits(vault, central)}", flush=True)
            pid = f", process {central.process.pid}" if central.process is not None else ""
            print(f"Central: {central.url} ({started}{pid}; its data and log in "
                  f"{central.directory})", flush=True)
            print(f"Vault: {enrolled}", flush=True)
            print(f"Passphrase: {DEMO_PASSPHRASE}", flush=True)
            if arguments.team_lead:
                print("The team's children and the visits J. Okafor's demo (make run) has "
                      "sent are in this review queue; new ones arrive at each sync (Vault > "
                      "Sync now, Ctrl+Shift+S).", flush=True)
            else:
                print("Submitted visits sync to central; make run-team-lead, in another "
                      "terminal, opens the team lead's side.", flush=True)
            print("Close the window or press Ctrl+C to stop"
                  + (" (central stops with it)." if central.process else "."), flush=True)
            from desktop_app.app import run_app

            return run_app(vault, hint=f"Demo vault: the passphrase is “{DEMO_PASSPHRASE}”.",
                           on_shown=_quit_on_interrupt)
    except DemoProblem as problem:
        print(f"homevisit demo: {problem}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    finally:
        print("The demo has stopped.", flush=True)


if __name__ == "__main__":
    sys.exit(main())
