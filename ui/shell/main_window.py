"""The main window: first run, the unlock screen, the caseload, and the visit editor.

The window title never names a child or a family. Locking (Ctrl+L, idle, screen lock,
suspend, close) queues an open draft's save first, then closes the unlocked state (the
`UnlockedState` the window was given at unlock: in the app `desktop_app.unlocked_session`,
which stops sync and closes the vault after the save), then closes every dialog and hides
everything. A save that fails at a lock is told to the worker over the unlock screen.

The window is handed what it needs through its constructor (how to unlock, create, enroll,
remember a setting, begin the unlocked state) and tells the rest through signals and the
methods under "what the unlocked state tells the window"; nothing outside sets its
attributes. Visit navigation lives in ui/shell/visit_navigation.py.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QPaintEvent, QPalette
from PySide6.QtWidgets import QLabel, QMainWindow, QStackedWidget, QWidget

from ui.shell.clipboard_guard import clipboard_guard
from ui.shell.idle_lock import IdleWatcher
from ui.shell.lock_sweep import close_dialogs
from ui.shell.sync_status import SyncStatus
from ui.shell.unlock_screen import UnlockScreen
from ui.shell.visit_navigation import VisitNavigation
from ui.shell.window_state import BeginSession, Unlocked, UnlockedState, VaultOnly, WindowOptions
from ui.widgets.background import op
from ui.widgets.focus import focus_kept
from ui.widgets.midnight import england_today
from ui.widgets.theme import colours, follow_desktop_contrast, theme_changed, use_high_contrast

# The unlock screen is on screen before these are imported: they pull in the records,
# the editor and the PDF writer (`desktop_app.app` imports them on the vault lane while
# the passphrase is typed; whatever is still missing is imported where it is first used).
# Dialogs too (message box, file chooser): PySide builds each class and its enums when it
# is first imported, a few milliseconds each that the first frame does not need.
if TYPE_CHECKING:
    from uuid import UUID

    from PySide6.QtWidgets import QDialog

    from records.contracts import ReturnedQuestion
    from ui.services import OpenedVisit, SyncState, VisitServices
    from ui.shell.enroll import EnrollWith
    from ui.shell.first_run import FirstRunScreen
    from ui.shell.session_events import SessionEvents
    from ui.visit.caseload_model import PreparedCaseload
    from ui.visit.caseload_screen import CaseloadScreen
    from ui.visit.visit_editor import VisitEditor

log = logging.getLogger(__name__)
_NOT_SAVED_AT_LOCK = "a draft could not be saved at lock: %s"  # a log line, not shown
NOT_KEPT_AT_LOCK = (
    "The vault is locked, but the last changes could not be saved before it closed. What "
    "was saved before (the time is shown when you open the visit) is safe in the vault. "
    "Unlock and check the visit; if this happens again, contact IT.")


class MainWindow(QMainWindow):
    first_painted = Signal()  # once: start-up work waits for the first frame
    unlocked = Signal(object)  # Unlocked: the caseload is on screen
    locked = Signal()
    editor_opened = Signal(object)
    questions_shown = Signal(object)  # the team lead's unanswered questions, now on screen
    pulled = Signal()  # sync brought something since the window last looked: screens reload
    pulls_wanted = Signal()  # look now whether sync pulled (the window was activated again)
    activated = Signal()  # the window became active again (after a terminal, or a suspend)
    records_changed = Signal()  # something for central was written (a submit): sync now
    sync_now_requested = Signal()  # the worker asked ("Sync now", Ctrl+Shift+S)
    enrolled = Signal()  # the open vault was just connected to central: start syncing

    def __init__(self, unlock: Callable[[str], Unlocked[Any]],
                 today: Callable[[], date] = england_today, hint: str = "", *,
                 create: Callable[[str], Unlocked[Any]] | None = None,
                 options: WindowOptions | None = None,
                 session_events: SessionEvents | None = None,
                 begin_session: BeginSession | None = None,
                 enroll_with: EnrollWith | None = None,
                 remember_setting: Callable[[str, object], None] | None = None) -> None:
        """`unlock` and `create` run off the UI thread: they open the vault and read it.
        `begin_session` makes the unlocked state at each unlock (default: `VaultOnly`);
        `enroll_with` enrolls the open vault (on the lane); `remember_setting` keeps the
        worker's own choices (key, value)."""
        super().__init__()
        self.setWindowTitle(self.tr("Homevisit"))
        self.options = options or WindowOptions()
        self.services: VisitServices | None = None
        self.session: UnlockedState | None = None
        self._begin_session: BeginSession = begin_session or VaultOnly
        self.enroll_with = enroll_with
        self.remember_setting = remember_setting
        self.editor: VisitEditor | None = None
        self.visits = VisitNavigation(self)
        self.unlock_screen = UnlockScreen(unlock, hint)
        self.unlock_screen.unlocked.connect(self._on_unlocked)
        self._caseload_screen: CaseloadScreen | None = None
        self._today = today
        self.stack = QStackedWidget()
        self.stack.addWidget(self.unlock_screen)
        self.first_run: FirstRunScreen | None = None
        self.enrolled_server_url: str | None = None  # the open vault's, if ever enrolled
        self.connect_dialog: QDialog | None = None
        if create is not None:
            self.offer_first_run(create)
        self.setCentralWidget(self.stack)
        lock = QAction(self.tr("&Lock now"), self)
        # setShortcuts, not setShortcut: its overloads load Qt's enum namespace (~40 ms).
        lock.setShortcuts([QKeySequence("Ctrl+L")])
        lock.triggered.connect(lambda: self.lock("shortcut"))
        self.addAction(lock)
        vault_menu = self.menuBar().addMenu(self.tr("Vaul&t"))
        vault_menu.addAction(lock)
        self.sync_now_action = QAction(self.tr("&Sync now"), self)
        self.sync_now_action.setShortcuts([QKeySequence("Ctrl+Shift+S")])
        self.sync_now_action.triggered.connect(self.sync_now_requested)
        self.sync_now_action.setEnabled(False)  # until a sync thread runs for this vault
        self.addAction(self.sync_now_action)
        vault_menu.addAction(self.sync_now_action)
        self.connect_action = QAction(self.tr("&Connect to central…"), self)
        self.connect_action.triggered.connect(self.connect_to_central)
        self.connect_action.setEnabled(False)  # while unlocked and not (or no longer) enrolled
        vault_menu.addAction(self.connect_action)
        self.resend_action = QAction(self.tr("Send &refused records again"), self)
        self.resend_action.triggered.connect(self.resend_refused)
        self.resend_action.setEnabled(False)  # while central has refused none of this vault's
        vault_menu.addAction(self.resend_action)
        self.high_contrast_action = QAction(self.tr("&High contrast"), self)
        self.high_contrast_action.setCheckable(True)
        self.high_contrast_action.toggled.connect(self._high_contrast_chosen)
        self.menuBar().addMenu(self.tr("V&iew")).addAction(self.high_contrast_action)
        self.idle = IdleWatcher(self.options.idle_lock_ms, self)
        self.idle.idle.connect(lambda: self.lock("idle"))
        self.session_events: SessionEvents | None = None
        if session_events is not None:
            self.listen_to(session_events)
        self.clipboard_guard = clipboard_guard()
        self.question_count = QLabel()
        bold = self.question_count.font()
        bold.setBold(True)
        self.question_count.setFont(bold)
        self._colour_question_count()
        theme_changed().connect(self._colour_question_count)
        self.question_count.setVisible(False)
        self.statusBar().addPermanentWidget(self.question_count)
        self.sync_status = SyncStatus()
        self.statusBar().addPermanentWidget(self.sync_status)
        self._follow_options()
        self._painted = False
        # The desktop's own contrast preference is asked once the window is on screen.
        self.first_painted.connect(lambda: QTimer.singleShot(0, follow_desktop_contrast))
        self.resize(1100, 760)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        super().paintEvent(event)
        if not self._painted:
            self._painted = True
            self.first_painted.emit()

    def set_options(self, options: WindowOptions) -> None:
        """Policy read after the window was shown (on the vault lane, before any unlock)."""
        self.options = options
        self.idle.set_timeout(options.idle_lock_ms)
        self._follow_options()

    def _follow_options(self) -> None:
        options = self.options
        use_high_contrast(options.high_contrast)
        action = self.high_contrast_action
        action.blockSignals(True)  # showing the policy is not the worker choosing
        action.setChecked(options.high_contrast)
        action.blockSignals(False)
        action.setEnabled(not options.high_contrast_managed)
        action.setText(self.tr("&High contrast (set by your IT department)")
                       if options.high_contrast_managed else self.tr("&High contrast"))
        self.sync_status.unsent_warning = timedelta(hours=options.unsynced_warning_hours)

    def _high_contrast_chosen(self, on: bool) -> None:
        """The worker's own choice (never offered while IT sets it), kept for next time."""
        if self.options.high_contrast_managed:
            return
        self.options = replace(self.options, high_contrast=on)
        use_high_contrast(on)
        remember = self.remember_setting
        if remember is not None:
            op(self, lambda: remember("high_contrast", on)).failure(self.failed).run()

    def _colour_question_count(self) -> None:
        palette = self.question_count.palette()
        palette.setColor(QPalette.ColorRole.WindowText, colours().alert)
        self.question_count.setPalette(palette)

    def listen_to(self, session_events: SessionEvents) -> None:
        """Lock when the desktop locks or the laptop suspends."""
        self.session_events = session_events
        session_events.lock_requested.connect(self.lock)
        session_events.start()

    def show_getting_ready(self) -> None:
        """First run, while the policy (the passphrase rules) is read on the lane."""
        from PySide6.QtCore import Qt  # not before the first frame: its enums cost ~40 ms

        ready = QLabel(self.tr("Getting Homevisit ready…"))
        ready.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stack.addWidget(ready)
        self.stack.setCurrentWidget(ready)

    def offer_first_run(self, create: Callable[[str], Unlocked[Any]]) -> None:
        """No vault yet: ask for the passphrase that will protect it, under current policy."""
        from ui.shell.first_run import FirstRunScreen

        if self.first_run is not None:
            return
        self.first_run = FirstRunScreen(create, self.options.minimum_passphrase_length,
                                        self.options.recovery_configured,
                                        enroll_with=self.enroll_with,
                                        server_url=self.options.server_url,
                                        server_url_managed=self.options.server_url_managed)
        self.first_run.created.connect(self._on_unlocked)
        self.stack.addWidget(self.first_run)
        self.stack.setCurrentWidget(self.first_run)

    @property
    def caseload_screen(self) -> CaseloadScreen:
        """Made when first needed (at the first unlock), not before the unlock screen shows."""
        if self._caseload_screen is None:
            from ui.visit.caseload_screen import CaseloadScreen

            screen = CaseloadScreen(self._today)
            screen.day_changed.connect(self.reload_caseload)
            self.activated.connect(screen.check_day)
            visits = self.visits
            screen.start_visit.connect(visits.start_visit)
            screen.show_visits.connect(visits.pick_visit)
            screen.show_drafts.connect(visits.pick_draft)
            screen.recover.connect(visits.open_visit)
            screen.open_visit.connect(visits.open_visit)
            screen.record_information.connect(visits.record_information)
            self.stack.addWidget(screen)
            self._caseload_screen = screen
        return self._caseload_screen

    # --- unlocking ---------------------------------------------------------------------

    def _on_unlocked(self, unlocked: Unlocked[Any]) -> None:
        if unlocked.options is not None:
            self.set_options(unlocked.options)
        self.services = unlocked.services
        self.session = self._begin_session(self, unlocked)
        if self.first_run is not None:
            self.stack.removeWidget(self.first_run)
            self.first_run.deleteLater()
            self.first_run = None
        self.caseload_screen.show_rows(unlocked.caseload)
        self.caseload_screen.offer_recovery(unlocked.interrupted)
        self.stack.setCurrentWidget(self.caseload_screen)
        if unlocked.interrupted is not None:
            self.caseload_screen.recovery.setFocus()
        else:
            self.caseload_screen.table.setFocus()
        self.idle.start()
        self.refresh_questions()
        self.unlocked.emit(unlocked)

    def connect_to_central(self) -> None:
        """*Connect to central…*: enroll the open vault with IT's one-time code."""
        from ui.shell.enroll import EnrollDialog

        services, enroll_with = self.services, self.enroll_with
        if services is None or enroll_with is None:
            return
        dialog = EnrollDialog(self, services, enroll_with,
                              self.options.server_url or self.enrolled_server_url,
                              self.options.server_url_managed)
        self.connect_dialog = dialog  # the lock sweep closes it with every other dialog

        def connected() -> None:
            if self.services is services:
                self.connect_action.setEnabled(False)
                self.statusBar().showMessage(dialog.form.message.text(), 15_000)
                self.enrolled.emit()

        dialog.accepted.connect(connected)
        dialog.open()  # not exec(): the window keeps running while the worker types

    # --- the team lead's questions and what sync brings ---------------------------------

    def refresh_questions(self) -> None:
        """Read the unanswered questions (and where the pull stands) and mark them."""
        services = self.services
        if services is None:
            return
        op(self, services.open_questions).success(self._show_questions).failure(
            self.failed).run()

    def _show_questions(self, questions: list[ReturnedQuestion]) -> None:
        if self.services is None:
            return  # locked while the read was queued
        self.caseload_screen.show_questions(questions)
        count = len(questions)
        self.question_count.setText(
            "" if not count else
            self.tr("1 visit returned by your team lead: answer needed") if count == 1
            else self.tr("{n} visits returned by your team lead: answers needed").format(n=count))
        self.question_count.setVisible(bool(questions))
        self.questions_shown.emit(questions)

    def check_for_pulls(self) -> None:
        """If sync (this app's or `homevisit sync`) pulled since we last looked, reload: the
        unlocked state's pull watch reads and answers with `synced`."""
        if self.services is not None:
            self.pulls_wanted.emit()

    def synced(self) -> None:
        """After a pull: the caseload, its question markers and any review screen reload."""
        if self.services is None:
            return
        self.reload_caseload()
        self.refresh_questions()
        self.pulled.emit()

    def reload_caseload(self) -> None:
        """Read the caseload again (after a pull; at midnight, when "overdue" moves on)."""
        services = self.services
        if services is None:
            return
        op(self, self.caseload_screen.reader(services)).success(
            lambda rows: self.show_caseload(services, rows)).failure(self.failed).run()

    def show_caseload(self, read_with: object, rows: PreparedCaseload) -> None:
        """Rows read with `read_with` (the services of the session that asked), unless the
        vault was locked, or locked and opened again, while they were read: a lock leaves
        no child's name behind in the window."""
        if self.services is not read_with:
            return
        self.caseload_screen.show_rows(rows)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        super().changeEvent(event)
        if event.type() == QEvent.Type.ActivationChange and self.isActiveWindow():
            self.check_for_pulls()  # back from a terminal that ran `homevisit sync`
            # Back after a suspend that slept through midnight (the midnight timer runs on
            # the monotonic clock, which a suspend stops): screens whose words move with
            # the day check it (`check_day`).
            self.activated.emit()

    # --- visits (ui/shell/visit_navigation.py) ------------------------------------------

    def failed(self, error: Exception) -> None:
        from PySide6.QtWidgets import QMessageBox

        with focus_kept(self.home_focus()):
            QMessageBox.warning(self, self.tr("Homevisit"), getattr(
                error, "user_message", self.tr("Something unexpected went wrong. Nothing was "
                                               "lost; try again, and contact IT if it "
                                               "recurs.")))

    def home_focus(self) -> QWidget:
        """Where focus goes when what had it is gone: the open visit, else the caseload."""
        if self.editor is not None:
            return self.editor
        if self._caseload_screen is not None and self.services is not None:
            return self._caseload_screen.table
        return self.unlock_screen.passphrase

    def open_visit(self, visit_id: UUID) -> None:
        self.visits.open_visit(visit_id)

    def show_editor(self, opened: OpenedVisit) -> None:
        self.visits.show_editor(opened)

    def close_editor(self) -> None:
        self.visits.close_editor()

    # --- what the unlocked state tells the window --------------------------------------

    def tell(self, text: str) -> None:
        """A calm message over whatever is on screen (the unlock screen, after a lock)."""
        from PySide6.QtWidgets import QMessageBox

        QMessageBox(QMessageBox.Icon.Warning, self.tr("Homevisit"), text,
                    QMessageBox.StandardButton.Ok, self).open()  # not exec(): nothing waits

    def sync_began(self, state: SyncState | None, enrolled_url: str | None) -> None:
        """What the vault says about sync at unlock (None: not enrolled, nothing to start)."""
        self.enrolled_server_url = enrolled_url  # offered again when enrolling after a revoke
        offer_connect = self.enroll_with is not None
        if state is None:
            self.sync_status.show_not_connected()
            self.connect_action.setEnabled(offer_connect)
            return
        self.sync_status.show_state(state)
        self.resend_action.setEnabled(state.quarantined > 0 and not state.revoked)
        if state.revoked:  # central refused this laptop earlier: say so, offer a new code
            self.sync_status.show_revoked()
            self.connect_action.setEnabled(offer_connect)
        else:
            self.sync_status.clear_stopped()
        self.sync_now_action.setEnabled(True)

    def show_sync_state(self, state: SyncState) -> None:
        if self.services is not None:
            self.sync_status.show_state(state)
            self.resend_action.setEnabled(state.quarantined > 0 and not state.revoked)

    def resend_refused(self) -> None:
        """*Send refused records again*, once IT has put central's reason right: the records
        are queued anew on the lane (as `homevisit sync --retry-refused`), then sent now."""
        services = self.services
        if services is not None:
            op(self, services.resend_refused).success(self._refused_queued).failure(
                self.failed).run()

    def _refused_queued(self, count: int) -> None:
        from ui.widgets.accessibility import announce

        if self.services is None:
            return  # locked while it was queued: the next unlock's sync sends them
        text = (self.tr("Central has not refused anything: there is nothing to send again.")
                if count == 0 else
                self.tr("1 record central refused is being sent again. The status bar says "
                        "when it has arrived.") if count == 1 else
                self.tr("{n} records central refused are being sent again. The status bar "
                        "says when they have arrived.").format(n=count))
        self.statusBar().showMessage(text, 15_000)
        announce(self, text)
        self.records_changed.emit()  # the status bar is read again and sync runs now

    def show_sync_problem(self, text: str) -> None:
        """A run's problem ("" once a run succeeds)."""
        if self.services is not None:
            self.sync_status.show_problem(text)

    def sync_readmitted(self) -> None:
        """Central took this laptop back: no new code needed."""
        self.connect_action.setEnabled(False)
        self.sync_status.clear_stopped()

    def sync_ended(self, text: str | None) -> None:
        """Syncing stopped for good this session (revoked...): `text` says why, if news."""
        self.sync_now_action.setEnabled(False)
        self.resend_action.setEnabled(False)  # nothing would send them
        self.connect_action.setEnabled(self.enroll_with is not None)
        if text is not None:
            self.sync_status.show_stopped(text)
            self.tell(text)

    def add_review(self, screen: QWidget) -> Callable[[], None]:
        """A team lead's review screen and its menu; returns what takes them away again."""
        from PySide6.QtGui import QAction, QKeySequence

        self.stack.addWidget(screen)
        menu = self.menuBar().addMenu(self.tr("&Review"))
        show_queue = QAction(self.tr("Review &queue"), self)
        show_queue.setShortcuts([QKeySequence("Ctrl+R")])
        show_queue.triggered.connect(lambda: self.stack.setCurrentWidget(screen))
        show_caseload = QAction(self.tr("My &caseload"), self)
        show_caseload.triggered.connect(
            lambda: self.stack.setCurrentWidget(self.caseload_screen))
        menu.addAction(show_queue)
        menu.addAction(show_caseload)
        self.stack.setCurrentWidget(screen)

        def remove() -> None:
            self.menuBar().removeAction(menu.menuAction())
            self.stack.removeWidget(screen)
            screen.deleteLater()

        return remove

    # --- locking -----------------------------------------------------------------------

    def lock(self, reason: str = "") -> None:
        """Queue any open draft's save, close the unlocked state (the vault closes after the
        save, on the lane), close every dialog, hide everything it showed."""
        self.idle.stop()
        self.visits.close_editor(on_failure=self._not_kept_at_lock)
        session, self.session, self.services = self.session, None, None
        if session is not None:
            log.info("locking (%s)", reason or "asked")
            session.close()
        self.clipboard_guard.clear_on_lock()
        close_dialogs(self)
        self.connect_dialog = None
        self.question_count.setVisible(False)
        self.sync_status.clear()
        self.sync_now_action.setEnabled(False)
        self.connect_action.setEnabled(False)
        self.resend_action.setEnabled(False)
        if self._caseload_screen is not None:
            self._caseload_screen.clear()
        if self.first_run is None:
            self.stack.setCurrentWidget(self.unlock_screen)
            self.unlock_screen.passphrase.setFocus()
        self.locked.emit()

    def _not_kept_at_lock(self, error: Exception) -> None:
        """A draft (or addendum) could not be saved at a lock: the lock goes on, and the
        worker is told over the unlock screen once the lock's sweep has run."""
        log.warning(_NOT_SAVED_AT_LOCK, type(error).__name__)
        QTimer.singleShot(0, lambda: self.tell(self.tr(NOT_KEPT_AT_LOCK)))

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        self.lock("closed")
        super().closeEvent(event)


__all__ = ["MainWindow", "Unlocked", "UnlockedState", "VaultOnly", "WindowOptions"]
