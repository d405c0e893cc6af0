"""The desktop app: policy, the main window, and the vault it unlocks, wired once."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from platformdirs import user_data_path

from desktop_app import session as sessions
from desktop_app.policy import Policy, load_policy
from desktop_app.services import VaultServices
from records.schedule import WorkingCalendar
from storage.vault import Vault

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication

    from ui.main_window import MainWindow, Unlocked


def default_vault_directory() -> Path:
    return user_data_path("homevisit") / "vault"


def unlocker(directory: Path, policy: Policy,
             calendar: WorkingCalendar) -> Callable[[str], Unlocked]:
    """The work the unlock screen runs on the vault lane: open, read caseload, find crash."""
    from ui.main_window import Unlocked

    def unlock(passphrase: str) -> Unlocked:
        services = VaultServices(sessions.unlock(directory, passphrase, policy), policy, calendar)
        return Unlocked(services, services.caseload(), services.interrupted_draft())

    return unlock


def creator(directory: Path, policy: Policy,
            calendar: WorkingCalendar) -> Callable[[str], Unlocked]:
    from ui.main_window import Unlocked

    def create(passphrase: str) -> Unlocked:
        services = VaultServices(sessions.create_vault(directory, passphrase, policy), policy,
                                 calendar)
        return Unlocked(services, services.caseload())

    return create


def build_window(directory: Path, policy: Policy, *, hint: str = "",
                 listen_to_desktop: bool = True) -> tuple[QApplication, MainWindow]:
    """The application and its main window on a vault directory (made on first run)."""
    from PySide6.QtWidgets import QApplication

    from ui.main_window import MainWindow, WindowOptions
    from ui.session_events import session_events_for_platform

    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv)
    app.setApplicationName("Homevisit")
    app.setDesktopFileName("homevisit")
    calendar = WorkingCalendar()
    options = WindowOptions(
        idle_lock_ms=policy.idle_lock_minutes * 60_000,
        photos_allowed=policy.photos_allowed,
        pdf_allowed=policy.pdf_allowed,
        minimum_passphrase_length=policy.minimum_passphrase_length,
        recovery_configured=policy.recovery_public_key is not None,
    )
    first_run = not Vault.exists(directory)
    window = MainWindow(
        unlocker(directory, policy, calendar), date.today(), hint=hint,
        create=creator(directory, policy, calendar) if first_run else None,
        options=options,
        session_events=session_events_for_platform() if listen_to_desktop else None,
    )
    return app, window


def run_app(vault_directory: Path | None = None, hint: str = "",
            policy: Policy | None = None,
            on_shown: Callable[[float], None] | None = None) -> int:
    from PySide6.QtCore import QTimer

    from ui.background import wait_for_background_work

    directory = vault_directory or default_vault_directory()
    app, window = build_window(directory, policy or load_policy().policy, hint=hint)
    window.show()
    if on_shown is not None:
        QTimer.singleShot(0, lambda: on_shown(time.time()))
    code = app.exec()
    window.lock("quit")
    wait_for_background_work()
    return int(code)
