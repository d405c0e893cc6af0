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
from desktop_app.demo import DEMO_PASSPHRASE, ensure_demo_vault
from desktop_app.policy import Policy
from records.visit import BodyView


def pump() -> None:
    """Let Qt handle pending events.

    Through a QEventLoop: PySide6 6.12's QCoreApplication.processEvents() drops a
    reference to None on every call and so crashes the interpreter after a few thousand.
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
    ensure_demo_vault(directory)
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
    page.setCurrentWidget(page.injuries)
    page.injuries.place(BodyView.FRONT, Decimal("0.780"), Decimal("0.470"))
    shoot("body-map")
    window.show_editor(earlier)
    _wait(lambda: window.editor is not None and window.editor.read_only)
    shoot("submitted-visit")
    window.lock("screenshots done")
    from ui.background import wait_for_background_work

    wait_for_background_work()
    window.close()
    app.quit()
    return 0


if __name__ == "__main__":
    sys.exit(main())
