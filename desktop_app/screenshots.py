"""`make screenshots`: the real app on a fresh demo vault, a PNG of each main screen.

Run under a display (the Makefile uses Xvfb): python -m desktop_app.screenshots OUT_DIR
Every family in the pictures is invented by desktop_app.demo_data.
"""

from __future__ import annotations

import sys
import tempfile
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

from desktop_app.app import build_window
from desktop_app.demo import DEMO_PASSPHRASE
from desktop_app.policy import Policy
from records.visit import BodyView


def pump() -> None:
    """Let Qt handle pending events.

    Through a QEventLoop, which is safe on every PySide6 (6.12.0's
    QCoreApplication.processEvents() lost a reference to None a call; we pin 6.11.3).
    """
    from PySide6.QtCore import QEventLoop

    QEventLoop().processEvents(QEventLoop.ProcessEventsFlag.AllEvents)


def _wait(condition: Callable[[], bool], timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the app did not reach the expected screen")
        pump()
        time.sleep(0.01)


def _in_background(work: Callable[[], Any]) -> Any:
    from ui.background import run_in_background

    box: list[Any] = []
    run_in_background(work, box.append, box.append)
    _wait(lambda: bool(box))
    if isinstance(box[0], Exception):
        raise box[0]
    return box[0]


def main() -> int:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots")
    out.mkdir(parents=True, exist_ok=True)
    directory = Path(tempfile.mkdtemp(prefix="homevisit-screens-")) / "vault"
    _worker_vault(directory)
    app, window = build_window(directory, Policy(photos_allowed=True, pdf_allowed=True),
                               hint="Demo vault of invented families.",
                               listen_to_desktop=False)
    window.resize(1280, 860)
    window.show()

    def shoot(name: str) -> None:
        for _ in range(20):
            pump()
            time.sleep(0.02)
        screen = window.screen()
        picture = screen.grabWindow(window.winId()) if screen else window.grab()
        picture.save(str(out / f"{name}.png"))
        print(f"saved {out / name}.png", flush=True)  # noqa: T201 - a command-line tool

    shoot("unlock")
    window.unlock_screen.passphrase.setText(DEMO_PASSPHRASE)
    window.unlock_screen.try_unlock()
    _wait(lambda: window.services is not None)
    shoot("caseload")

    services = window.services
    assert services is not None

    def visit_with_injuries() -> Any:
        for listing in services.visits(drafts=False):
            opened = services.open_visit(listing.visit_id)
            if any(o.injuries for o in opened.visit.children):
                return opened
        raise LookupError("the demo data has no visit with an injury")

    earlier = _in_background(visit_with_injuries)
    child_ids = [c.id for c in earlier.children]
    fresh = _in_background(lambda: services.start_visit(earlier.case.id, child_ids))
    window.show_editor(fresh)
    editor = window.editor
    assert editor is not None
    editor.details.form.rows["purpose"].field.set_value("Statutory visit under the plan.")
    page = editor.child_pages[0]
    editor.tabs.setCurrentWidget(page)
    page.seen.form.rows["seen"].field.set_value(True)
    page.seen.form.rows["seen_alone"].field.set_value(False)
    shoot("visit-editor")
    page.setCurrentIndex(1)  # the body map tab (its panel is built when first shown)
    page.injuries.place(BodyView.FRONT, Decimal("0.780"), Decimal("0.470"))
    shoot("body-map")
    window.show_editor(earlier)
    _wait(lambda: window.editor is not None and window.editor.read_only)
    shoot("submitted-visit")
    window.lock("screenshots done")
    from ui.background import wait_for_background_work

    wait_for_background_work()
    window.close()
    lead = directory.parent / "team-lead"
    make_team_lead_vault(lead, directory)
    review_screens(lead, out)
    app.quit()
    return 0


def _worker_vault(directory: Path) -> None:
    """A worker's vault of invented families made on the laptop itself (no central here)."""
    from desktop_app import session as sessions
    from desktop_app.demo_data import make_demo_data

    with sessions.create_vault(directory, DEMO_PASSPHRASE, Policy()) as opened:
        make_demo_data(opened.workspace, children=40, visits=160)


def make_team_lead_vault(lead: Path, worker: Path) -> None:
    """The demo worker's team lead, holding the worker's submitted visits as a pull stores them.

    The same signed records central passes on, applied by the sync ledger (so the vault's
    triggers index them for review), each received by central three hours after the visit
    ended (the demo worker submitted them all at once), and the worker's laptop last heard
    of 30 hours ago.
    """
    from datetime import UTC, datetime, timedelta

    from desktop_app import session as sessions
    from desktop_app.demo import WORKER
    from records.canonical import canonical_json
    from records.visit import Visit
    from sync.ledger import SyncLedger
    from sync.protocol import Change, ChangeKind, DeviceContact, Role, b64encode

    changes: list[Change] = []
    with sessions.unlock(worker, DEMO_PASSPHRASE, Policy()) as opened:
        cases = opened.workspace.cases
        for case in cases.cases():
            allocated = canonical_json(case.model_copy(update={"allocated_worker": WORKER}))
            for child in cases.children(case.id):
                changes.append(Change(position=len(changes) + 1, kind=ChangeKind.CHILD,
                                      record=canonical_json(child).decode(),
                                      case=allocated.decode()))
        device_id = opened.workspace.device.device_id
        for record, record_hash, signature in opened.vault.connection.execute(
                "SELECT record_json, record_hash, signature FROM visits"
                " WHERE status = 'submitted' ORDER BY submitted_at"):
            ended = Visit.model_validate_json(record).ended_at or datetime.now(UTC)
            changes.append(Change(
                position=len(changes) + 1, kind=ChangeKind.VISIT, record=record,
                record_hash=record_hash, signature=b64encode(signature), device_id=device_id,
                submitted_by=WORKER, received_at=ended + timedelta(hours=3)))
    with sessions.create_vault(lead, DEMO_PASSPHRASE, Policy()) as opened:
        ledger = SyncLedger(opened.vault.connection)
        ledger.save_enrollment(
            server_url="https://central.example.invalid", device_id=opened.workspace.device
            .device_id, username="mlead", display_name="M. Lead", role=Role.TEAM_LEAD,
            team="Team North", audience="homevisit-central", receipt_public_key=b"\0" * 32)
        contact = DeviceContact(device_id=device_id, username=WORKER,
                                last_contact_at=datetime.now(UTC) - timedelta(hours=30))
        ledger.apply_changes(changes, len(changes), [contact])


def review_screens(lead: Path, out: Path) -> None:
    """The team lead's queue (a red-flagged note open), dashboard, chronology, body map."""
    from ui.review_screen import ReviewScreen

    _app, window = build_window(lead, Policy(pdf_allowed=True), listen_to_desktop=False)
    window.resize(1280, 860)
    window.show()
    window.unlock_screen.passphrase.setText(DEMO_PASSPHRASE)
    window.unlock_screen.try_unlock()
    _wait(lambda: isinstance(window.stack.currentWidget(), ReviewScreen))
    screen = window.stack.currentWidget()
    assert isinstance(screen, ReviewScreen)
    _wait(lambda: screen.model.rowCount() > 0 and screen.workers.rowCount() > 0, 120.0)
    shown: list[object] = []
    screen.note_shown.connect(shown.append)
    screen.table.selectRow(0)
    _wait(lambda: bool(shown))

    def shoot(name: str) -> None:
        for _ in range(20):
            pump()
            time.sleep(0.02)
        window.grab().save(str(out / f"{name}.png"))
        print(f"saved {out / name}.png", flush=True)  # noqa: T201 - a command-line tool

    shoot("review-queue")
    screen.tabs.setCurrentIndex(1)
    shoot("review-dashboard")
    if not screen.injured_model.rowCount():
        raise LookupError("the demo data has no child injured in the last 90 days")
    child_id = screen.injured_model.child_id(0)
    opened: list[object] = []
    screen.chronology_shown.connect(opened.append)
    screen.open_child(child_id)
    _wait(lambda: bool(opened))
    shoot("review-chronology")
    for _ in range(10):
        pump()
    screen.body_map.grab().save(str(out / "review-cumulative-body-map.png"))
    print(f"saved {out / 'review-cumulative-body-map.png'}", flush=True)  # noqa: T201
    window.lock("screenshots done")
    from ui.background import wait_for_background_work

    wait_for_background_work()
    window.close()


if __name__ == "__main__":
    sys.exit(main())
