"""A real central (on a thread of the test process, or in its own process) and real laptops
(vaults + the `homevisit` command, run in-process or as a process) for sync tests."""

from __future__ import annotations

import contextlib
import functools
import io
import os
import signal
import socket
import ssl
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import httpx
import uvicorn
from sqlalchemy import Engine, func, select

from central import cli as central_cli
from central.app import create_app
from central.core.config import Settings
from central.db.engine import make_engine, make_sessionmaker
from central.db.models import OperationRow, VisitRow
from central.services import admin
from desktop_app.cli import sync as sync_commands
from records.case import Case, Child
from records.flags import FlagRules
from storage.review_index import ReviewIndex
from storage.vault import Vault
from storage.workspace import Workspace
from sync import kept_receipt
from tests.central.harness import Central, Clock, World
from tests.cli_runner import run_cli
from tests.factories import make_visit
from tests.vaults import PASSPHRASE, FixedClock, new_vault

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class CentralProcess:
    """`homevisit-central serve` in its own process, on a free loopback port."""

    def __init__(self, database_url: str, workdir: Path, *,
                 tls: tuple[Path, Path, Path] | None = None) -> None:
        """`tls`: (certificate, key, CA that signed it) to serve https as production does."""
        self.database_url = database_url
        self.port = free_port()
        self._tls = tls
        scheme, host = ("https", "localhost") if tls else ("http", "127.0.0.1")
        self.url = f"{scheme}://{host}:{self.port}"
        self._log = workdir / f"central-{self.port}.log"
        self._process: subprocess.Popen[bytes] | None = None
        engine = make_engine(database_url, pool_size=2)
        self.engine = engine
        self.admin = Central(None, engine, make_sessionmaker(engine), Clock(datetime.now(UTC)),
                             engine.dialect.name)

    def start(self) -> None:
        env = {**os.environ, "HOMEVISIT_CENTRAL_LOG_LEVEL": "WARNING"}
        with self._log.open("ab") as log:
            # Its own process group: `serve` runs a worker process a core (on PostgreSQL),
            # and a power cut must take them all (`kill`).
            self._process = subprocess.Popen(
                [sys.executable, "-m", "central.cli", "serve", "--database-url",
                 self.database_url, "--port", str(self.port), *self._tls_arguments()],
                cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        try:
            self._wait_until_healthy()
        except BaseException:
            self.kill()  # never leave a half-started central behind
            raise

    def _wait_until_healthy(self) -> None:
        assert self._process is not None
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise RuntimeError("central exited at start:\n" + self._log.read_text())
            with contextlib.suppress(httpx.HTTPError):
                verify: ssl.SSLContext | bool = (
                    ssl.create_default_context(cafile=str(self._tls[2])) if self._tls else True)
                if httpx.get(self.url + "/v1/health", timeout=2,
                             verify=verify).status_code == 200:
                    return
            time.sleep(0.1)
        raise RuntimeError("central did not start in 60 s:\n" + self._log.read_text())

    def _tls_arguments(self) -> list[str]:
        if self._tls is None:
            return []
        return ["--ssl-certfile", str(self._tls[0]), "--ssl-keyfile", str(self._tls[1])]

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def kill(self) -> None:
        """SIGKILL to every process of central (the supervisor and its workers): no
        goodbye, no flushing — a power cut from central's point of view. Killing the
        supervisor alone would leave its workers serving on the port."""
        if self._process is not None:
            self._kill_group()
            self._process.wait(30)
            self._wait_until_unreachable()
        self._process = None

    def stop(self) -> None:
        if self._process is not None and self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(15)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait(15)
        if self._process is not None:
            self._kill_group()  # any worker its supervisor did not take down with it
            self._wait_until_unreachable()
        self._process = None

    def _kill_group(self) -> None:
        assert self._process is not None
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self._process.pid, signal.SIGKILL)

    def _wait_until_unreachable(self) -> None:
        """Until nothing accepts a connection on central's port."""
        deadline = time.monotonic() + 30
        while self.answers():
            if time.monotonic() > deadline:
                raise RuntimeError(f"something still answers on central's port {self.port}")
            time.sleep(0.05)

    def answers(self) -> bool:
        """Whether anything accepts a connection on central's port."""
        try:
            socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
        except OSError:
            return False
        return True

    def close(self) -> None:
        self.stop()
        self.engine.dispose()

    # --- what central holds ----------------------------------------------------------

    def visit_ids(self) -> list[uuid.UUID]:
        with self.admin.admin() as session:
            return list(session.scalars(select(VisitRow.id)))

    def operation_count(self, device_id: uuid.UUID | None = None) -> int:
        query = select(func.count()).select_from(OperationRow)
        if device_id is not None:
            query = query.where(OperationRow.device_id == device_id)
        with self.admin.admin() as session:
            return int(session.scalar(query) or 0)

    def command(self, *args: str) -> str:
        """`homevisit-central` on this central's database, as IT runs it; its output.

        Its real `main` with that argv, in this process (starting an interpreter costs
        more than the command); tests/central/test_migrations_and_cli.py runs it as a
        process.
        """
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = central_cli.main(["--database-url", self.database_url, *args])
        assert code == 0, err.getvalue()
        return out.getvalue()

    def set_device_status(self, device_id: uuid.UUID, status: str) -> None:
        with self.admin.admin() as session:
            admin.set_device_status(session, device_id, status)


class CentralThread(CentralProcess):
    """The same central app, served by uvicorn on a thread of the test's own process.

    Starting it costs a fraction of a second instead of the seconds a new `homevisit-central
    serve` process takes. `kill()` stops it at once (listener closed, connections dropped,
    nothing waited for): laptops find central unreachable, as after a power cut, but a
    request already inside a database transaction still finishes, since a thread cannot be
    killed. Tests where the process dying mid-transaction is the point use `CentralProcess`
    (the `central_process` fixture).
    """

    def __init__(self, database_url: str, workdir: Path, *,
                 tls: tuple[Path, Path, Path] | None = None) -> None:
        super().__init__(database_url, workdir, tls=tls)
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._app_engine: Engine | None = None

    def start(self) -> None:
        # As `homevisit-central serve` runs it: the environment's settings, the log level
        # the process gets, uvicorn with proxy headers; no log configuration (pytest's).
        settings = Settings(database_url=self.database_url, log_level="WARNING")
        # Its own engine, as the process has, disposed here even when a kill skips the
        # app's shutdown.
        self._app_engine = make_engine(settings.database_url,
                                       pool_size=settings.database_pool_size)
        config = uvicorn.Config(
            create_app(settings, engine=self._app_engine), host="127.0.0.1", port=self.port,
            log_config=None, log_level="warning", proxy_headers=True, ws="none", lifespan="on",
            ssl_certfile=self._tls[0] if self._tls else None,
            ssl_keyfile=self._tls[1] if self._tls else None,
        )
        server = uvicorn.Server(config)
        thread = threading.Thread(target=server.run, name=f"central-{self.port}", daemon=True)
        self._server, self._thread = server, thread
        thread.start()
        deadline = time.monotonic() + 60
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                self.kill()
                raise RuntimeError(f"central did not start on port {self.port}")
            time.sleep(0.01)

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def kill(self) -> None:
        """Stop serving now: no graceful wait for open connections or requests."""
        if self._server is not None and self._thread is not None:
            self._server.should_exit = True
            self._server.force_exit = True
            self._thread.join(30)
        self._stopped()

    def stop(self) -> None:
        if self._server is not None and self._thread is not None:
            self._server.should_exit = True
            self._thread.join(30)
        self._stopped()

    def _stopped(self) -> None:
        if self._thread is not None and self._thread.is_alive():
            raise RuntimeError(f"central on port {self.port} did not stop in 30 s")
        if self._app_engine is not None:
            self._app_engine.dispose()
        self._server = self._thread = self._app_engine = None


@contextlib.contextmanager
def retries_without_waiting() -> Iterator[list[float]]:
    """The `sync` command's engine retries as many times as asked, but its backoff between
    tries (up to a second each with --attempts 2) is noted instead of slept: the waits
    asked for."""
    waits: list[float] = []
    shipped, shipped_sleep = sync_commands.SyncEngine, kept_receipt.SLEEP
    sync_commands.SyncEngine = functools.partial(  # type: ignore[misc]
        shipped, sleep=waits.append)
    kept_receipt.SLEEP = waits.append  # the wipe receipt's tries likewise
    try:
        yield waits
    finally:
        sync_commands.SyncEngine = shipped  # type: ignore[misc]
        kept_receipt.SLEEP = shipped_sleep


@dataclass
class Laptop:
    """A worker's vault in a folder, driven through the real `homevisit` command."""

    directory: Path
    home: Path
    settings: str = ""
    device_id: uuid.UUID = field(default_factory=uuid.uuid4)

    @classmethod
    def create(cls, root: Path, name: str, settings: str = "") -> Laptop:
        """A new laptop: a copy of an empty vault made once a process (tests/vaults.py's
        `new_vault`), given its own device identity (key pair and id) when first opened."""
        directory = root / name / "vault"
        with new_vault(directory) as vault:
            device_id = Workspace.over(vault.connection, actor=name).device.device_id
        return cls(directory, root / name, settings, device_id)

    def _settings_env(self) -> dict[str, str]:
        settings = self.home / "settings.toml"
        settings.write_text(self.settings)
        return {"XDG_STATE_HOME": str(self.home / "state"),
                "XDG_CONFIG_HOME": str(self.home / "config"),
                "HOMEVISIT_SETTINGS_FILE": str(settings)}

    def env(self) -> dict[str, str]:
        """The environment of a `homevisit` process on this laptop."""
        return {**os.environ, **self._settings_env()}

    def command(self, *args: str) -> list[str]:
        return [sys.executable, "-m", "desktop_app.cli", *args]

    def run(self, *args: str, stdin: str = PASSPHRASE + "\n",
            timeout: float = 120) -> subprocess.CompletedProcess[str]:
        """`homevisit ARGS`, its real `main` run in this process (tests/cli_runner.py)."""
        del timeout  # kept for callers; an in-process run has no timeout of its own
        with retries_without_waiting():
            result = run_cli(args, stdin=stdin, env=self._settings_env())
        assert "Traceback" not in result.stderr, result.stderr
        return result

    def run_process(self, *args: str, stdin: str = PASSPHRASE + "\n",
                    timeout: float = 120) -> subprocess.CompletedProcess[str]:
        """`homevisit ARGS` in its own process: where its exit as a process is the point."""
        result = subprocess.run(self.command(*args), input=stdin, env=self.env(), cwd=ROOT,
                                capture_output=True, text=True, timeout=timeout, check=False)
        assert "Traceback" not in result.stderr, result.stderr
        return result

    def enroll(self, server_url: str, code: str) -> subprocess.CompletedProcess[str]:
        return self.run("enroll", "--vault", str(self.directory), "--server", server_url,
                        stdin=f"{PASSPHRASE}\n{code}\n")

    def sync(self, *extra: str) -> subprocess.CompletedProcess[str]:
        return self.run("sync", "--vault", str(self.directory), "--once", "--attempts", "2",
                        "--timeout", "10", *extra)

    @contextlib.contextmanager
    def workspace(self, clock: FixedClock | None = None) -> Iterator[Workspace]:
        with Vault.unlock(self.directory, PASSPHRASE) as vault:
            yield Workspace.over(vault.connection, actor="J. Okafor",
                                 clock=clock or FixedClock())

    @contextlib.contextmanager
    def indexed(self, clock: FixedClock) -> Iterator[tuple[Workspace, ReviewIndex]]:
        """The laptop's workspace and its review index, brought up to date with what was
        pulled (as the sync thread does before the window reads)."""
        with self.workspace(clock) as workspace:
            index = ReviewIndex(workspace.outbox._conn, FlagRules(), clock)
            index.refresh()
            yield workspace, index

    def submit_visits(self, count: int) -> list[uuid.UUID]:
        """Submit `count` visits for the first child the laptop has pulled from central."""
        with self.workspace() as workspace:
            case = workspace.cases.cases()[0]
            children = workspace.cases.children(case.id)
            return [_submit(workspace, case, children) for _ in range(count)]


def _submit(workspace: Workspace, case: Case, children: list[Child]) -> uuid.UUID:
    visit = make_visit(case, children)
    workspace.visits.save_draft(visit)
    workspace.visits.submit(visit)
    return visit.id


def world_of(central: CentralProcess) -> World:
    return central.admin.world()


def last_line(text: str) -> str:
    return text.strip().splitlines()[-1]
