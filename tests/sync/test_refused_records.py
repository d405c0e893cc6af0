"""Records central refuses: kept on the laptop, listed with a reason the worker can act on,
counted at central, and sent again once the cause is put right; a photo central will not
take holds back its own visit only.

Central here is the real app on a thread, on an SQLite file of its own, started with a photo
limit (MAX_BLOB_BYTES) smaller than the test's photo, then restarted without it, as IT would
after raising the limit.
"""

from __future__ import annotations

import json
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from central import cli as central_cli
from desktop_app.policy import Policy
from storage.outbox import OperationStatus
from tests.factories import make_visit
from tests.sync.conftest import close_window, unlocked_window, wait_until_synced
from tests.sync.harness import CentralThread, Laptop
from ui.shell.main_window import MainWindow
from ui.widgets.accessibility import listen

SMALL_PHOTO_LIMIT = 4096


@pytest.fixture
def central(tmp_path: Path, sqlite_template: Path,
            monkeypatch: pytest.MonkeyPatch) -> Iterator[CentralThread]:
    path = tmp_path / "central.sqlite3"
    shutil.copy(sqlite_template, path)
    monkeypatch.setenv("HOMEVISIT_CENTRAL_MAX_BLOB_BYTES", str(SMALL_PHOTO_LIMIT))
    server = CentralThread(f"sqlite:///{path}", tmp_path)
    server.start()
    try:
        yield server
    finally:
        server.close()


def _enrolled(central: CentralThread, root: Path) -> Laptop:
    central.admin.world()
    laptop = Laptop.create(root, "north1")
    assert laptop.enroll(central.url, central.admin.invite("north1")).returncode == 0
    assert laptop.sync().returncode == 0
    return laptop


def _submit(laptop: Laptop, photo: bytes | None = None) -> uuid.UUID:
    with laptop.workspace() as workspace:
        case = workspace.cases.cases()[0]
        visit = make_visit(case, workspace.cases.children(case.id))
        workspace.visits.save_draft(visit)
        if photo is not None:
            workspace.attachments.add(photo, visit_id=visit.id)
        workspace.visits.submit(visit)
    return visit.id


def test_an_oversized_photo_holds_back_its_visit_alone_until_central_takes_it(
        central: CentralThread, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    laptop = _enrolled(central, tmp_path)
    before = _submit(laptop)
    big_photo = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 64  # 16 KiB: over central's 4 KiB
    held = _submit(laptop, big_photo)
    after = [_submit(laptop), _submit(laptop)]

    result = laptop.sync()
    assert result.returncode == 1, result.stderr
    assert "Synced 3, waiting 0, quarantined 1." in result.stdout
    assert "homevisit sync --status" in result.stdout
    assert sorted(central.visit_ids()) == sorted([before, *after])

    status = laptop.run("sync", "--vault", str(laptop.directory), "--status")
    assert status.returncode == 1
    assert f"Not accepted: the visit {held} submitted " in status.stdout
    assert "[photo_too_large]" in status.stdout
    assert "Why: A photo in this visit is larger than central accepts." in status.stdout
    assert "What to do: Ask IT to raise central's photo limit (MAX_BLOB_BYTES" in status.stdout
    assert "homevisit sync --retry-refused" in status.stdout

    later = _submit(laptop)  # the refused visit stays aside: it does not stop later ones
    again = laptop.sync()
    assert again.returncode == 1 and "quarantined 1." in again.stdout
    assert later in central.visit_ids() and held not in central.visit_ids()

    # IT raises the limit: central restarted without the small one.
    central.stop()
    monkeypatch.delenv("HOMEVISIT_CENTRAL_MAX_BLOB_BYTES")
    central.start()
    resent = laptop.run("sync", "--vault", str(laptop.directory), "--once", "--attempts", "2",
                        "--retry-refused")
    assert resent.returncode == 0, resent.stdout + resent.stderr
    assert "1 record central did not accept will be sent again." in resent.stdout
    assert "Everything is synced." in resent.stdout
    assert held in central.visit_ids()
    with laptop.workspace() as workspace:
        assert all(op.status is OperationStatus.SYNCED
                   for op in workspace.outbox.operations(limit=100))
    status = laptop.run("sync", "--vault", str(laptop.directory), "--status")
    assert status.returncode == 0 and "Not accepted" not in status.stdout


def _tamper(laptop: Laptop, visit: uuid.UUID) -> dict[str, object]:
    """Spoil the visit's queued signature (a record central cannot trust); returns the good
    payload, to put back as an update of the laptop would."""
    with laptop.workspace() as workspace:
        (op,) = workspace.outbox.for_subject(visit)
        good = dict(op.payload or {})
        workspace.outbox._conn.execute(
            "UPDATE outbox_records SET payload = ? WHERE sequence = ?",
            (json.dumps({**good, "signature": good["signature"][::-1]}), op.sequence))
    return good


def _put_right(laptop: Laptop, visit: uuid.UUID, good: dict[str, object]) -> None:
    with laptop.workspace() as workspace:
        (op,) = workspace.outbox.for_subject(visit)
        workspace.outbox._conn.execute(
            "UPDATE outbox_records SET payload = ? WHERE sequence = ?",
            (json.dumps(good), op.sequence))


def test_the_window_sends_refused_records_again_from_the_vault_menu(
        central: CentralThread, tmp_path: Path, qtbot: QtBot,
        windows: list[MainWindow]) -> None:
    laptop = _enrolled(central, tmp_path)
    visit = _submit(laptop)
    good = _tamper(laptop, visit)
    assert laptop.sync().returncode == 1  # central refused it: kept aside on the laptop
    _put_right(laptop, visit, good)

    window = unlocked_window(qtbot, laptop.directory, Policy(sync_interval_minutes=60),
                             windows)
    status = window.sync_status
    qtbot.waitUntil(lambda: status.text().startswith(
        "1 refused by central: tell IT, then Vault › Send refused records again"),
        timeout=30_000)
    action = window.resend_action
    assert action.isEnabled() and action.text() == "Send &refused records again"
    assert action in window.menuBar().actions()[0].menu().actions()
    assert visit not in central.visit_ids()

    heard: list[str] = []
    stop = listen(lambda _source, said: heard.append(said))
    try:
        action.trigger()
        wait_until_synced(qtbot, window)
    finally:
        stop()
    said = ("1 record central refused is being sent again. The status bar says when it has "
            "arrived.")
    assert said in heard
    assert central.visit_ids() == [visit]
    assert not action.isEnabled()  # nothing refused is left
    close_window(window)
    assert not action.isEnabled()


def test_a_record_central_rejects_is_explained_counted_at_central_and_sent_again(
        central: CentralThread, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    laptop = _enrolled(central, tmp_path)
    visit = _submit(laptop)
    with laptop.workspace() as workspace:  # a record central cannot trust
        conn = workspace.outbox._conn
        (op,) = workspace.outbox.for_subject(visit)
        good = dict(op.payload or {})
        conn.execute("UPDATE outbox_records SET payload = ? WHERE sequence = ?",
                     (json.dumps({**good, "signature": good["signature"][::-1]}), op.sequence))
    assert laptop.sync().returncode == 1

    status = laptop.run("sync", "--vault", str(laptop.directory), "--status")
    assert "[bad_signature]" in status.stdout
    assert "Why: Central could not check this laptop's signature" in status.stdout

    capsys.readouterr()
    assert central_cli.main(["stats", "--json", "--database-url", central.database_url]) == 0
    figures = json.loads(capsys.readouterr().out)
    assert figures["ops_rejected"] == 1
    assert figures["ops_rejected_by_code"] == {"bad_signature": 1}
    assert figures["ops_rejected_by_device"] == {str(laptop.device_id): 1}

    with laptop.workspace() as workspace:  # put right (as an update of the laptop would)
        conn = workspace.outbox._conn
        conn.execute("UPDATE outbox_records SET payload = ? WHERE sequence = ?",
                     (json.dumps(good), op.sequence))
    resent = laptop.run("sync", "--vault", str(laptop.directory), "--once", "--retry-refused")
    assert resent.returncode == 0, resent.stdout + resent.stderr
    assert central.visit_ids() == [visit]
