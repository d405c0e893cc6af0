"""The same Alembic migrations build the same schema on both databases; the CLI drives it."""

from __future__ import annotations

import csv
import io
import json
import os
import socket
import subprocess
import sys
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, select, text
from sqlalchemy.orm import Session

from central.cli import main
from central.db.engine import make_engine
from central.db.migrate import downgrade, upgrade
from central.db.models import (
    AddendumRow,
    Base,
    ChangeRow,
    OperationRow,
    Team,
    VisitChild,
    VisitRow,
)
from central.services import admin
from sync.protocol import Role
from tests.central.harness import WORLD_CSV


def test_migrations_match_the_models_and_go_down_and_up_again(database_url: str) -> None:
    engine = make_engine(database_url)
    try:
        with engine.connect() as connection:
            differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
        assert differences == []
        downgrade(engine, "base")
        assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
        upgrade(engine)
        assert {"visits", "operations", "changes", "devices"} <= set(
            inspect(engine).get_table_names())
        # Every managers' page tallies refused sends: an index reads only those rows.
        [refused] = [index for index in inspect(engine).get_indexes("audit_log")
                     if index["name"] == "ix_audit_log_refused"]
        assert refused["column_names"] == ["actor", "subject"]
    finally:
        engine.dispose()


def test_step_0014_is_not_undone_over_ops_answered_by_a_push_receipt(database_url: str) -> None:
    """An op stored under a push's one receipt keeps no signature of its own, which a central
    before 0014 needs: going back refuses, says why, and leaves the schema and rows as they
    were; with no such op it goes back and up again."""
    engine = make_engine(database_url)
    op = OperationRow(device_id=uuid.uuid4(), op_id=uuid.uuid4(), sequence=1,
                      kind="visit.submit", result="accepted", flags=[],
                      received_at=datetime(2026, 12, 7, 9, tzinfo=UTC), receipt_signature=None)
    try:
        with Session(engine) as session, session.begin():
            session.add(op)
        downgrade(engine, "0014")
        with pytest.raises(RuntimeError,
                           match="Central holds 1 op answered by a push's one receipt"):
            downgrade(engine, "0013")
        with engine.connect() as connection:
            assert connection.scalar(text("SELECT version_num FROM alembic_version")) == "0014"
            assert connection.scalar(text("SELECT count(*) FROM operations")) == 1
            connection.execute(text("DELETE FROM operations"))
            connection.commit()
        downgrade(engine, "0013")
        upgrade(engine)
    finally:
        upgrade(engine)
        engine.dispose()


def test_step_0015_lists_the_children_of_every_visit_already_held(database_url: str) -> None:
    """A visit received before 0015 is found through the children it names after it, each
    child once (a record may name one twice)."""
    engine = make_engine(database_url)
    visit_id, ana, yusuf = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    record = json.dumps({"id": str(visit_id), "children": [
        {"child_id": str(ana)}, {"child_id": str(yusuf)}, {"child_id": str(ana)}]})
    try:
        downgrade(engine, "0014")
        with Session(engine) as session, session.begin():
            session.add(VisitRow(id=visit_id, case_id=uuid.uuid4(), device_id=uuid.uuid4(),
                                 user_id=1, team_id=None, canonical_json=record,
                                 record_hash="ab" * 32, signature=b"s",
                                 received_at=datetime(2026, 12, 7, 9, tzinfo=UTC), flags=[]))
        upgrade(engine)
        with Session(engine) as session:
            named = set(session.execute(select(VisitChild.visit_id, VisitChild.child_id)))
        assert named == {(visit_id, ana), (visit_id, yusuf)}
    finally:
        upgrade(engine)
        with engine.begin() as connection:
            connection.execute(text("DELETE FROM visit_children"))
            connection.execute(text("DELETE FROM visits"))
        engine.dispose()


def test_step_0016_sends_each_worker_the_visits_others_made_about_their_children(
        database_url: str) -> None:
    """Before 0016 a worker's laptop was never sent a visit it did not make. north1's family
    visit named N1 (theirs) and N2 (north2's), and has an addendum; north2's own visit named
    N2. After 0016 north2 is sent north1's visit, then its addendum; nobody their own."""
    engine = make_engine(database_url)
    at = datetime(2026, 12, 7, 9, tzinfo=UTC)
    try:
        downgrade(engine, "0015")
        with Session(engine) as session, session.begin():
            for name, team in (("north1", "North"), ("north2", "North"), ("south1", "South")):
                if team not in {t.name for t in session.scalars(select(Team))}:
                    admin.add_team(session, team)
                admin.add_user(session, name, role=Role.WORKER, team=team)
            admin.import_cases(session, io.StringIO(WORLD_CSV), at)
            n1, n2 = (admin.child_by_reference(session, ref) for ref in ("N1", "N2"))
            north1, north2 = (admin.user_named(session, name).id for name in ("north1", "north2"))
            family, own = uuid.uuid4(), uuid.uuid4()
            for visit_id, user_id, children in ((family, north1, (n1, n2)), (own, north2, (n2,))):
                session.add(VisitRow(id=visit_id, case_id=n1.case_id, device_id=uuid.uuid4(),
                                     user_id=user_id, team_id=None, canonical_json="{}",
                                     record_hash="ab" * 32, signature=b"s", received_at=at,
                                     flags=[]))
                session.flush()
                session.add_all(VisitChild(visit_id=visit_id, child_id=c.id) for c in children)
            added = uuid.uuid4()
            session.add(AddendumRow(id=added, visit_id=family, device_id=uuid.uuid4(),
                                    user_id=north1, team_id=None, canonical_json="{}",
                                    previous_hash="ab" * 32, record_hash="cd" * 32,
                                    signature=b"s", received_at=at, flags=[]))
        upgrade(engine)
        with Session(engine) as session:
            logged = list(session.execute(
                select(ChangeRow.kind, ChangeRow.entity_id, ChangeRow.owner_user_id)
                .where(ChangeRow.team_id.is_(None), ChangeRow.owner_user_id.is_not(None),
                       ChangeRow.kind.in_(("visit", "addendum"))).order_by(ChangeRow.id)))
        assert logged == [("visit", family, north2), ("addendum", added, north2)]
    finally:
        upgrade(engine)
        engine.dispose()


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list[str], str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out.splitlines(), captured.err


def test_an_administrator_sets_up_central_from_the_cli(
    tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    db = ["--database-url", f"sqlite:///{tmp_path / 'central.sqlite3'}"]
    assert _run(capsys, "migrate", *db)[0] == 0
    assert _run(capsys, "team", "add", "North", *db)[0] == 0
    assert _run(capsys, "user", "add", "jo", "--role", "worker", "--team", "North", *db)[0] == 0
    assert _run(capsys, "user", "add", "max", "--role", "team_lead", "--team", "North", *db)[0] == 0
    code, _, err = _run(capsys, "user", "add", "jo", "--role", "worker", "--team", "North", *db)
    assert code == 1 and "already exists" in err
    _, lines, _ = _run(capsys, "user", "list", *db)
    assert [line.split("\t")[0] for line in lines] == ["jo", "max"]
    _, lines, _ = _run(capsys, "user", "list", "--role", "team_lead", *db)
    assert [line.split("\t")[0] for line in lines] == ["max"]
    cases = tmp_path / "cases.csv"
    with cases.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["case_reference", "family_name", "team", "child_reference",
                         "given_name", "plan_type", "date_of_birth", "worker"])
        writer.writerow(["CP-1", "Nowak", "North", "C-1", "Ana", "child_protection",
                         "2020-03-02", "jo"])
        writer.writerow(["CP-1", "Nowak", "North", "C-2", "Tom", "child_in_need", "", ""])
    code, lines, _ = _run(capsys, "case", "import", str(cases), *db)
    assert code == 0 and lines == ["Imported 1 case, 2 children (1 allocated)."]
    assert _run(capsys, "assign", "C-2", "jo", *db)[0] == 0
    code, lines, _ = _run(capsys, "invite", "jo", *db)
    assert code == 0 and len(lines[-1].replace("-", "")) == 20
    code, lines, _ = _run(capsys, "stats", "--json", *db)
    figures = json.loads(lines[-1])
    assert figures["visits"] == 0 and figures["devices"] == 0 and "last_contact" in figures
    code, _, err = _run(capsys, "device", "revoke", "not-a-device", *db)
    assert code == 1 and "not a device id" in err
    code, _, err = _run(capsys, "device", "wipe", "00000000-0000-4000-8000-000000000000", *db)
    assert code == 1 and "no device" in err


def test_case_import_help_describes_the_csv_and_its_example_imports(
    tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    """An administrator reading `case import --help` can write the file: every column, an
    example line that imports as shown, and what a bad row does (stops all, names its line)."""
    with pytest.raises(SystemExit) as done:
        main(["case", "import", "--help"])
    assert done.value.code == 0
    shown = capsys.readouterr().out
    for column in ("case_reference", "family_name", "address", "team", "child_reference",
                   "given_name", "child_family_name", "date_of_birth", "plan_type",
                   "plan_start_date", "placement_start_date", "long_term_placement",
                   "first_language", "worker"):
        assert f"\n  {column} " in shown, column
    assert "nothing from the file is imported" in shown and "line 1" in shown
    example = shown.split("For example:\n\n")[1].split("\n\n")[0]
    header, row = (line.strip() for line in example.splitlines())
    assert header.startswith("case_reference,") and row.startswith("CP-")
    db = ["--database-url", f"sqlite:///{tmp_path / 'central.sqlite3'}"]
    assert _run(capsys, "migrate", *db)[0] == 0
    assert _run(capsys, "team", "add", "North", *db)[0] == 0
    assert _run(capsys, "user", "add", "jokafor", "--role", "worker", "--team", "North",
                *db)[0] == 0
    cases = tmp_path / "cases.csv"
    cases.write_text(f"{header}\n{row}\n", encoding="utf-8")
    code, lines, err = _run(capsys, "case", "import", str(cases), *db)
    assert (code, lines, err) == (0, ["Imported 1 case, 1 child (1 allocated)."], "")
    # An unknown worker on the third line: named with its line, and nothing is imported.
    cases.write_text(f"{header}\n{row.replace('CP-104233', 'CP-2')}\n"
                     f"{row.replace('jokafor', 'nobody').replace('C-1', 'C-9')}\n",
                     encoding="utf-8")
    code, _, err = _run(capsys, "case", "import", str(cases), *db)
    assert code == 1 and "Line 3 of the CSV cannot be read" in err and "nobody" in err
    engine = make_engine(db[1])
    try:
        with engine.connect() as connection:
            assert connection.execute(text("SELECT reference FROM cases")).all() == [
                ("CP-104233",)]
    finally:
        engine.dispose()


def test_the_demo_seeds_an_organisation(tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    db = ["--database-url", f"sqlite:///{tmp_path / 'demo.sqlite3'}"]
    assert _run(capsys, "demo", *db)[0] == 0
    _, lines, _ = _run(capsys, "user", "list", "--role", "worker", *db)
    assert len(lines) == 3
    code, _, err = _run(capsys, "demo", *db)
    assert code == 1 and "empty database" in err


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def test_serve_runs_on_an_sqlite_file_with_nothing_else(tmp_path: Path) -> None:
    port = _free_port()
    env = {**os.environ, "HOMEVISIT_CENTRAL_DATABASE_URL": f"sqlite:///{tmp_path / 'c.db'}"}
    server = subprocess.Popen(
        [sys.executable, "-m", "central.cli", "serve", "--port", str(port)], env=env,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                response = httpx.get(f"http://127.0.0.1:{port}/v1/health", timeout=2)
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline, "central did not start within 30 s"
                assert server.poll() is None, server.stderr.read() if server.stderr else ""
                time.sleep(0.2)
        assert response.json()["database"] == "ok"
    finally:
        server.terminate()
        _, err = server.communicate(timeout=20)
    for line in err.decode().splitlines():
        json.loads(line)  # every log line is JSON: no tracebacks, no stray text


def _help(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
          *command: str) -> str:
    """`homevisit-central COMMAND --help` as a terminal 80 columns wide shows it (its real
    parser, in this process: the help's words are the point, not the interpreter)."""
    monkeypatch.setenv("COLUMNS", "80")
    with pytest.raises(SystemExit) as exited:
        main([*command, "--help"])
    assert exited.value.code == 0
    captured = capsys.readouterr()
    assert captured.err == ""
    return captured.out


def test_wipe_help_names_the_cost_and_readmit_after_a_wipe_says_enroll_anew(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
) -> None:
    import uuid
    from datetime import UTC, datetime

    from central.db.engine import make_sessionmaker
    from central.db.models import Device
    from central.services import admin
    from sync.protocol import Role

    said = " ".join(_help(capsys, monkeypatch, "device").split())
    assert "first pushes every record it has not sent" in said
    assert "erases its vault whether or not the push got through" in said
    assert "signed wipe receipt" in said
    wipe_help = " ".join(_help(capsys, monkeypatch, "device", "wipe").split())
    assert "no pull, no reading" in wipe_help and "drafts never submitted" in wipe_help
    url = f"sqlite:///{tmp_path / 'central.sqlite3'}"
    engine = make_engine(url)
    upgrade(engine)
    device_id = uuid.uuid4()
    with make_sessionmaker(engine).begin() as session:
        admin.add_team(session, "North")
        user = admin.add_user(session, "jo", role=Role.WORKER, team="North")
        session.add(Device(id=device_id, user_id=user.id, public_key=os.urandom(32),
                           status="active", enrolled_at=datetime.now(UTC)))
    engine.dispose()
    db = ["--database-url", url]
    assert _run(capsys, "device", "revoke", str(device_id), *db)[0] == 0
    _, lines, _ = _run(capsys, "device", "readmit", str(device_id), *db)
    assert "syncs again" in lines[-1]
    assert _run(capsys, "device", "wipe", str(device_id), *db)[0] == 0
    _, lines, _ = _run(capsys, "device", "readmit", str(device_id), *db)
    # No receipt yet: the order is withdrawn, and what happens if it already erased is said.
    assert "must be enrolled anew" in lines[-1] and "vault opens" not in lines[-1]
    assert "no wipe receipt has come from it" in lines[-1]


def test_serve_runs_one_worker_a_core_up_to_four_on_postgresql_and_one_on_sqlite(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """`serve` with no `--workers`: one process a core this process may use (a push is CPU
    under one process's lock; docs/deployment.md), at most four (PostgreSQL's connections),
    one on SQLite (one writer at a time)."""
    from central.cli import workers_per_machine

    monkeypatch.setattr(os, "sched_getaffinity", lambda _pid: {0, 1, 2}, raising=False)
    assert workers_per_machine("postgresql+psycopg://central@db/central") == 3
    assert workers_per_machine("sqlite:///central.db") == 1
    # At most four: each holds up to 20 connections, within PostgreSQL's default 100.
    monkeypatch.setattr(os, "sched_getaffinity", lambda _pid: set(range(64)), raising=False)
    assert workers_per_machine("postgresql+psycopg://central@db/central") == 4
    monkeypatch.delattr(os, "sched_getaffinity", raising=False)
    monkeypatch.setattr(os, "cpu_count", lambda: None)
    assert workers_per_machine("postgresql+psycopg://central@db/central") == 1


def test_serve_leaves_request_lines_to_central_and_outlasts_nginxs_idle_connections(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`serve` turns uvicorn's access log off (central's own `request` line says the same, and
    who asked), and keeps an idle connection open longer than nginx keeps its idle upstream
    ones (`keepalive_timeout`, 60 s unless our configuration sets it): else nginx could send
    a laptop's push on a connection central was closing."""
    import re

    import uvicorn

    given: dict[str, Any] = {}
    monkeypatch.setattr(uvicorn, "run", lambda *_args, **kwargs: given.update(kwargs))
    # `serve` hands its database to the workers through the environment: undone after.
    url = f"sqlite:///{tmp_path / 'central.sqlite3'}"
    monkeypatch.setenv("HOMEVISIT_CENTRAL_DATABASE_URL", url)
    assert main(["serve", "--database-url", url]) == 0
    assert given["access_log"] is False
    nginx = (Path(__file__).parents[2] / "packaging" / "central"
             / "homevisit-central.nginx.conf").read_text()
    upstream = re.search(r"upstream homevisit_central \{(.*?)\}", nginx, re.DOTALL)
    assert upstream is not None
    assert "keepalive_timeout" not in upstream[1], "compare serve's keep-alive with it"
    assert given["timeout_keep_alive"] > 60  # nginx's default for upstream connections


def _children_of(pid: int) -> set[int]:
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue  # gone meanwhile
            if int(fields[1]) == pid:
                found.add(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_serves_workers_end_when_its_supervisor_is_killed_outright(tmp_path: Path) -> None:
    """Run by hand (no systemd to take the control group), a supervisor SIGKILLed left its
    workers holding the port; now they shut down on their own, and the port is free."""
    port = _free_port()
    env = {**os.environ, "HOMEVISIT_CENTRAL_DATABASE_URL": f"sqlite:///{tmp_path / 'c.db'}"}
    server = subprocess.Popen(
        [sys.executable, "-m", "central.cli", "serve", "--port", str(port), "--workers", "2"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    workers: set[int] = set()
    try:
        deadline = time.monotonic() + 60
        while len(workers) < 2 or not _answers(port):
            assert time.monotonic() < deadline, "serve did not start two workers within 60 s"
            assert server.poll() is None, "serve stopped while starting"
            workers = {p for p in _children_of(server.pid) if _alive(p)}
            time.sleep(0.2)
        server.kill()
        server.wait(timeout=10)
        deadline = time.monotonic() + 20
        while any(_alive(p) for p in workers):
            assert time.monotonic() < deadline, "a worker outlived its supervisor by 20 s"
            time.sleep(0.1)
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", port))  # nothing holds the port any more
    finally:
        server.kill()
        for pid in workers:
            if _alive(pid):
                os.kill(pid, 9)


def _answers(port: int) -> bool:
    try:
        return httpx.get(f"http://127.0.0.1:{port}/v1/health", timeout=2).status_code == 200
    except httpx.TransportError:
        return False
