"""The desktop app: policy, the main window, and the vault it unlocks."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

from platformdirs import user_data_path

from desktop_app import session as sessions
from desktop_app.policy import load_policy
from records.schedule import WorkingCalendar
from storage.caseload import caseload


def default_vault_directory() -> Path:
    return user_data_path("homevisit") / "vault"


def run_app(vault_directory: Path | None = None, hint: str = "") -> int:
    from PySide6.QtWidgets import QApplication

    from ui.background import wait_for_background_work
    from ui.main_window import MainWindow, Unlocked

    directory = vault_directory or default_vault_directory()
    effective = load_policy()
    policy = effective.policy
    calendar = WorkingCalendar()
    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationName("Homevisit")
    app.setDesktopFileName("homevisit")

    def unlock(passphrase: str) -> Unlocked:
        opened = sessions.unlock(directory, passphrase, policy)
        rows = caseload(opened.vault.connection, policy.visit_standards, calendar)
        return Unlocked(opened, rows)

    window = MainWindow(unlock, date.today(), hint=hint)
    window.show()
    code = app.exec()
    window.lock()
    wait_for_background_work()
    return int(code)
