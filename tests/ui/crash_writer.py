"""A real app process that writes part of a visit, says when the draft is saved, and waits
to be killed. Run: python -m tests.ui.crash_writer VAULT_DIR"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtTest import QTest

from desktop_app.app import build_window
from desktop_app.policy import Policy
from tests.ui.conftest import PASSPHRASE
from ui.shell.main_window import Unlocked
from ui.visit.visit_editor import VisitEditor
from ui.widgets.background import op

WORDS = "Half-way through writing when the laptop died"


def main() -> int:
    app, window = build_window(Path(sys.argv[1]), Policy(), listen_to_desktop=False)
    window.show()

    def on_editor(editor: VisitEditor) -> None:
        editor.saved.connect(lambda: print("SAVED", flush=True))
        purpose = editor.details.form.rows["purpose"].field
        purpose.setFocus()
        QTest.keyClicks(purpose.focusProxy(), WORDS)

    def unlocked(done: Unlocked) -> None:
        case_id = None
        rows = done.caseload.rows
        services = done.services

        def start() -> object:
            nonlocal case_id
            case, children = services.household_of(rows[0].child_id)
            return services.start_visit(case.id, [c.id for c in children])

        op(window, start).success(window.show_editor).failure(
            lambda e: print("FAILED", e, flush=True)).run()

    window.editor_opened.connect(on_editor)
    window.unlock_screen.unlocked.connect(unlocked)
    window.unlock_screen.passphrase.setText(PASSPHRASE)
    QTimer.singleShot(0, window.unlock_screen.try_unlock)
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
