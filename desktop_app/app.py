"""The desktop app: the unlock screen first, then policy, vault and screens behind it.

Start-up shows the unlock screen having imported only Qt and the window's shell. The rest
— policy (pydantic), the working calendar (`holidays`), the vault (sqlcipher3,
`cryptography`), the caseload, editor and PDF modules — is loaded by `Startup.prepare` on
the vault lane while the passphrase is typed. The lane runs jobs in order, so an unlock
always finds the policy read and the window told what it says (idle lock, photos, PDF)
before the vault opens. The unlock screen itself needs nothing from policy: the idle lock
only runs while unlocked, and the minimum passphrase length only matters on first run,
which reads the policy on the lane too (the window says it is getting ready meanwhile).

At each unlock the window makes a `desktop_app.unlocked_session.UnlockedSession`, which owns
everything until the lock: the services, sync, a team lead's review screen, the pull watch
and the collector's tuning.
"""

from __future__ import annotations

import importlib
import logging
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from ui.widgets.midnight import england_today

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication

    from desktop_app.policy import Policy
    from desktop_app.services import VaultServices
    from desktop_app.unlocked_session import UnlockedSession
    from records.schedule import WorkingCalendar
    from ui.services import Connected, VisitServices
    from ui.shell.main_window import MainWindow, Unlocked, WindowOptions

log = logging.getLogger(__name__)

FIRST_FRAME_AT_THE_LATEST_MS = 1000
NOT_PREPARED = ("Homevisit could not read its settings to set up this laptop. Nothing was "
                "written. Close Homevisit and start it again; if this happens again, contact IT.")
BEHIND_THE_UNLOCK_SCREEN = (
    "desktop_app.services", "ui.visit.caseload_screen", "ui.visit.visit_editor",
    "ui.widgets.visit_pdf", "desktop_app.review_wiring", "sync.ledger",
    "desktop_app.sync_wiring", "desktop_app.sync_thread", "desktop_app.unlocked_session")


def default_vault_directory() -> Path:
    from platformdirs import user_data_path

    return user_data_path("homevisit") / "vault"


def unlocker(directory: Path, policy: Policy, calendar: WorkingCalendar,
             managed: frozenset[str] = frozenset(), clock: Callable[[], date] = england_today,
             ) -> Callable[[str], Unlocked[VaultServices]]:
    """The work the unlock screen runs on the vault lane: open, read caseload, find crash.
    `managed`: the keys IT's policy sets (only IT's recovery key is offered at unlock);
    `clock`: the day the caseload is judged against, asked at each unlock."""

    def unlock(passphrase: str) -> Unlocked[VaultServices]:
        from desktop_app import session as sessions
        from desktop_app.services import VaultServices
        from ui.shell.main_window import Unlocked
        from ui.visit.caseload_model import prepare_caseload

        services = VaultServices(sessions.unlock(directory, passphrase, policy), policy,
                                 calendar, managed=managed)
        return Unlocked(services, prepare_caseload(services.caseload(), clock()),
                        services.interrupted_draft())

    return unlock


def creator(directory: Path, policy: Policy, calendar: WorkingCalendar,
            managed: frozenset[str] = frozenset()) -> Callable[[str], Unlocked[VaultServices]]:

    def create(passphrase: str) -> Unlocked[VaultServices]:
        from desktop_app import session as sessions
        from desktop_app.services import VaultServices
        from ui.shell.main_window import Unlocked
        from ui.visit.caseload_model import prepare_caseload

        made = sessions.create_vault(
            directory, passphrase, policy,
            recovery_key_managed="recovery_public_key" in managed)
        services = VaultServices(made, policy, calendar, managed=managed)
        return Unlocked(services, prepare_caseload(services.caseload(), england_today()))

    return create


def window_options(policy: Policy, managed: frozenset[str] = frozenset()) -> WindowOptions:
    """What the window follows; `managed`: the keys IT set, which the worker cannot change."""
    from ui.shell.main_window import WindowOptions

    return WindowOptions(
        idle_lock_ms=policy.idle_lock_minutes * 60_000,
        photos_allowed=policy.photos_allowed,
        pdf_allowed=policy.pdf_allowed,
        minimum_passphrase_length=policy.minimum_passphrase_length,
        recovery_configured=policy.recovery_public_key is not None,
        server_url=policy.server_url,
        server_url_managed="server_url" in managed,
        high_contrast=policy.high_contrast,
        high_contrast_managed="high_contrast" in managed,
        unsynced_warning_hours=policy.unsynced_warning_hours,
    )


def remember_setting(key: str, value: object) -> None:
    """The worker's own choice from the window, kept as `homevisit policy set` keeps it."""
    from desktop_app.cli.policy import save_user_setting
    from desktop_app.policy import load_policy

    save_user_setting(load_policy(), key, value)


@dataclass(frozen=True)
class Prepared:
    """What the window needs beyond the unlock screen."""

    policy: Policy
    calendar: WorkingCalendar
    options: WindowOptions
    vault_exists: bool
    erased: str | None = None  # an interrupted erase central ordered, finished just now
    managed: frozenset[str] = frozenset()  # the keys IT's policy sets (or locked unreadable)


class Startup:
    """Everything behind the unlock screen, made once (on the vault lane, or on first run)."""

    def __init__(self, directory: Path, policy: Policy | None = None) -> None:
        self.directory = directory
        self._policy = policy
        self._prepared: Prepared | None = None
        self._making = threading.Lock()

    def prepare(self) -> Prepared:
        with self._making:
            if self._prepared is None:
                self._prepared = self._load()
            return self._prepared

    def _load(self) -> Prepared:
        for module in BEHIND_THE_UNLOCK_SCREEN:  # so each screen finds its code loaded
            importlib.import_module(module)
        from desktop_app.failures import UserFacingError
        from desktop_app.policy import load_policy
        from desktop_app.session import (
            ErasureFinished,
            finish_ordered_erase,
            tell_central_of_an_erase,
        )
        from records.schedule import WorkingCalendar
        from storage.vault import Vault

        if self._policy is not None:
            policy, managed = self._policy, frozenset[str]()
        else:
            effective = load_policy()
            policy, managed = effective.policy, effective.locked
        calendar = WorkingCalendar()
        calendar.add_working_days(england_today(), 1)  # loads this year's bank holidays now
        erased = None
        try:
            finish_ordered_erase(self.directory)
        except ErasureFinished as finished:
            erased = finished.user_message
        except UserFacingError:  # still unfinished: the unlock tries again and says why
            log.error("an interrupted erase of the vault could not be finished at start-up")
        tell_central_of_an_erase(self.directory, policy)
        ready = Prepared(policy, calendar, window_options(policy, managed),
                         Vault.exists(self.directory), erased, managed)
        return ready

    def unlock(self, passphrase: str) -> Unlocked[VaultServices]:
        """Carries the policy's options, so they hold even for an unlock queued first."""
        ready = self.prepare()
        opened = unlocker(self.directory, ready.policy, ready.calendar,
                          ready.managed)(passphrase)
        return replace(opened, options=ready.options)

    def create(self, passphrase: str) -> Unlocked[VaultServices]:
        ready = self.prepare()
        made = creator(self.directory, ready.policy, ready.calendar, ready.managed)(passphrase)
        return replace(made, options=ready.options)


def _may_hold_a_vault(directory: Path) -> bool:
    """A first look without importing the vault: an empty or missing folder is a first run.
    Anything else shows the unlock screen, and `Vault.exists` on the lane has the last word."""
    try:
        return any(directory.iterdir())
    except OSError:
        return False


def enroll_from_window(services: VisitServices, server_url: str, code: str,
                       managed: bool) -> Connected:
    from desktop_app.enrollment import enroll_from_window as enroll

    return enroll(services, server_url, code, managed)


def erased_at_unlock(window: MainWindow, startup: Startup, message: str) -> None:
    """Central ordered the vault erased (at the grace-period check, or an interrupted erase
    finished since): first run, with the message."""
    from PySide6.QtWidgets import QMessageBox

    window.offer_first_run(startup.create)
    QMessageBox(QMessageBox.Icon.Warning, window.tr("Homevisit"), message,
                QMessageBox.StandardButton.Ok, window).open()


def build_window(directory: Path, policy: Policy | None = None, *, hint: str = "",
                 listen_to_desktop: bool = True) -> tuple[QApplication, MainWindow]:
    """The application and its main window on a vault directory (made on first run).

    Without `policy`, the IT policy and user settings are read on the vault lane."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from ui.shell.main_window import MainWindow, WindowOptions
    from ui.widgets.background import op

    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv)
    if existing is None:
        from ui.shell.translation import install_translator

        install_translator(app)
    app.setApplicationName("Homevisit")
    app.setDesktopFileName("homevisit")
    startup = Startup(directory, policy)
    first_run = not _may_hold_a_vault(directory)
    if policy is not None:
        options = window_options(policy)
    elif first_run:  # the policy is read on the lane; no passphrase is asked for until then
        options = WindowOptions()
    else:  # the first frame already in high contrast when that is asked for
        from desktop_app.policy_sources import peek_yes_no

        high_contrast, managed = peek_yes_no("high_contrast")
        options = WindowOptions(high_contrast=high_contrast, high_contrast_managed=managed)

    def wiped() -> None:  # central ordered the vault erased: first run, once it is gone
        window.offer_first_run(startup.create)

    def begin(window: MainWindow, unlocked: Unlocked[VaultServices]) -> UnlockedSession:
        from desktop_app.unlocked_session import UnlockedSession  # loaded on the lane by now

        return UnlockedSession(window, unlocked.services, on_wiped=wiped)

    window = MainWindow(startup.unlock, england_today, hint=hint, options=options,
                        begin_session=begin,
                        enroll_with=enroll_from_window, remember_setting=remember_setting)
    if first_run and policy is not None:
        window.offer_first_run(startup.create)
    elif first_run:
        window.show_getting_ready()
    window.unlock_screen.vault_erased.connect(
        lambda message: erased_at_unlock(window, startup, message))

    def prepared(ready: Prepared) -> None:
        window.set_options(ready.options)
        if ready.erased is not None:
            erased_at_unlock(window, startup, ready.erased)
        elif not ready.vault_exists:
            window.offer_first_run(startup.create)
        if listen_to_desktop:
            from ui.shell.session_events import session_events_for_platform

            window.listen_to(session_events_for_platform())

    def not_prepared(error: Exception) -> None:  # the unlock will try again and say so
        log.error("start-up could not load the app: %s", type(error).__name__)
        if first_run:  # no unlock to try again: say so where the passphrase would be asked
            window.tell(window.tr(NOT_PREPARED))

    started = False

    def start_preparing() -> None:
        nonlocal started
        if not started:
            started = True
            op(window, startup.prepare).success(prepared).failure(not_prepared).run()

    # After the first frame, so the lane's imports do not compete with it for the GIL (or,
    # on a loaded machine, for the CPU); at the latest after a second, for a hidden window.
    # On first run at once: nothing else is on screen until the policy is read.
    if first_run and policy is None:
        start_preparing()
    window.first_painted.connect(lambda: QTimer.singleShot(0, start_preparing))
    QTimer.singleShot(FIRST_FRAME_AT_THE_LATEST_MS, start_preparing)
    return app, window


def run_app(vault_directory: Path | None = None, hint: str = "",
            policy: Policy | None = None,
            on_shown: Callable[[float], None] | None = None) -> int:
    from desktop_app.display import missing_display

    if (no_screen := missing_display()) is not None:
        print(f"homevisit: {no_screen}", file=sys.stderr)  # noqa: T201
        return 2
    from PySide6.QtCore import QTimer

    from ui.widgets.background import wait_for_background_work

    directory = vault_directory or default_vault_directory()
    app, window = build_window(directory, policy, hint=hint)
    window.show()
    if on_shown is not None:
        QTimer.singleShot(0, lambda: on_shown(time.time()))
    code = app.exec()
    window.lock("quit")
    wait_for_background_work()
    if "desktop_app.sync_wiring" in sys.modules:
        from desktop_app.sync_wiring import finish_sync

        finish_sync()
    return int(code)
