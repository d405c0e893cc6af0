"""The main window: first run, the unlock screen, the caseload, and the visit editor.

The window title never names a child or a family. Locking (Ctrl+L, idle, screen lock,
suspend, close) saves an open draft first, then closes the vault, then hides everything.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QPaintEvent, QPalette
from PySide6.QtWidgets import QLabel, QMainWindow, QStackedWidget, QWidget

from ui.shell.clipboard_guard import clipboard_guard
from ui.shell.idle_lock import IdleWatcher
from ui.shell.lock_sweep import close_dialogs
from ui.shell.sync_status import SyncStatus
from ui.shell.unlock_screen import UnlockScreen
from ui.widgets.background import run_in_background
from ui.widgets.focus import focus_kept, give_focus
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
    from ui.services import InterruptedDraft, OpenedVisit, VisitServices
    from ui.shell.enroll import EnrollWith
    from ui.shell.first_run import FirstRunScreen
    from ui.shell.session_events import SessionEvents
    from ui.visit.caseload_model import PreparedCaseload
    from ui.visit.caseload_screen import CaseloadScreen
    from ui.visit.visit_editor import VisitEditor

log = logging.getLogger(__name__)

# How often an unlocked window looks for a pull made by sync (one indexed read on the lane).
PULL_CHECK_MS = 30_000


@dataclass(frozen=True)
class Unlocked:
    """What the background unlock hands to the window: the vault's services and caseload."""

    services: VisitServices
    caseload: PreparedCaseload  # read and prepared on the vault lane by the unlock
    interrupted: InterruptedDraft | None = None
    options: WindowOptions | None = None  # the policy, when it was read with the unlock


@dataclass(frozen=True)
class WindowOptions:
    """What policy decides about the window."""

    idle_lock_ms: int = 5 * 60_000
    photos_allowed: bool = False
    pdf_allowed: bool = False
    autosave_ms: int | None = None  # None: the editor's own interval
    minimum_passphrase_length: int = 12
    recovery_configured: bool = False
    server_url: str | None = None  # central's address from policy, if it sets one
    server_url_managed: bool = False  # IT set it: shown, not editable
    high_contrast: bool = False  # policy (the user's, or IT's); the desktop's own counts too
    high_contrast_managed: bool = False  # IT set it: the worker cannot change it
    unsynced_warning_hours: int = 24


class MainWindow(QMainWindow):
    first_painted = Signal()  # once: start-up work waits for the first frame
    unlocked = Signal()  # the caseload is on screen
    locked = Signal()
    editor_opened = Signal(object)
    questions_shown = Signal(object)  # the team lead's unanswered questions, now on screen
    pulled = Signal()  # sync brought something since the window last looked: screens reload
    locking = Signal()  # a lock is starting: the vault is still open until the lane closes it
    records_changed = Signal()  # something for central was written (a submit): sync now
    sync_now_requested = Signal()  # the worker asked ("Sync now", Ctrl+Shift+S)
    enrolled = Signal()  # the open vault was just connected to central: start syncing

    def __init__(self, unlock: Callable[[str], Unlocked], today: date, hint: str = "", *,
                 create: Callable[[str], Unlocked] | None = None,
                 options: WindowOptions | None = None,
                 session_events: SessionEvents | None = None) -> None:
        """`unlock` and `create` run off the UI thread: they open the vault and read it."""
        super().__init__()
        self.setWindowTitle(self.tr("Homevisit"))
        self.options = options or WindowOptions()
        self.services: VisitServices | None = None
        self.editor: VisitEditor | None = None
        self.unlock_screen = UnlockScreen(unlock, hint)
        self.unlock_screen.unlocked.connect(self._on_unlocked)
        self._caseload_screen: CaseloadScreen | None = None
        self._today = today
        self.stack = QStackedWidget()
        self.stack.addWidget(self.unlock_screen)
        self.first_run: FirstRunScreen | None = None
        # How this window enrolls a vault (`desktop_app` gives it); runs on the vault lane.
        self.enroll_with: EnrollWith | None = None
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
        self.high_contrast_action = QAction(self.tr("&High contrast"), self)
        self.high_contrast_action.setCheckable(True)
        self.high_contrast_action.toggled.connect(self._high_contrast_chosen)
        self.menuBar().addMenu(self.tr("V&iew")).addAction(self.high_contrast_action)
        # Where the worker's own choices are kept (`desktop_app` gives it): key, value.
        self.remember_setting: Callable[[str, object], None] | None = None
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
        self._pull_position: int | None = None
        self.pull_watch = QTimer(self)
        self.pull_watch.setInterval(PULL_CHECK_MS)
        self.pull_watch.timeout.connect(self.check_for_pulls)
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
            run_in_background(lambda: remember("high_contrast", on), on_failure=self._failed,
                              owner=self)

    def _colour_question_count(self) -> None:
        palette = self.question_count.palette()
        palette.setColor(QPalette.ColorRole.WindowText, colours().alert)
        self.question_count.setPalette(palette)

    def listen_to(self, session_events: SessionEvents) -> None:
        """Lock when the desktop locks or the laptop suspends."""
        self.session_events = session_events
        session_events.lock_requested.connect(self.lock)
        session_events.start()

    def offer_first_run(self, create: Callable[[str], Unlocked]) -> None:
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
            screen.start_visit.connect(self.start_visit)
            screen.show_visits.connect(self._pick_visit)
            screen.show_drafts.connect(self._pick_draft)
            screen.recover.connect(self.open_visit)
            screen.open_visit.connect(self.open_visit)
            screen.record_information.connect(self.record_information)
            self.stack.addWidget(screen)
            self._caseload_screen = screen
        return self._caseload_screen

    # --- unlocking ---------------------------------------------------------------------

    def _on_unlocked(self, unlocked: Unlocked) -> None:
        if unlocked.options is not None:
            self.set_options(unlocked.options)
        self.services = unlocked.services
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
        self.pull_watch.start()
        self.unlocked.emit()

    def connect_to_central(self) -> None:
        """*Connect to central…*: enroll the open vault with IT's one-time code."""
        from ui.shell.enroll import EnrollDialog

        services, enroll_with = self.services, self.enroll_with
        if services is None or enroll_with is None:
            return
        dialog = EnrollDialog(self, services, enroll_with,
                              self.options.server_url or self.enrolled_server_url,
                              self.options.server_url_managed)
        self.connect_dialog = dialog

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
        run_in_background(lambda: (services.open_questions(), services.pull_position()),
                          lambda found: self._show_questions(*found), self._failed, owner=self)

    def _show_questions(self, questions: list[ReturnedQuestion], position: int | None) -> None:
        if self.services is None:
            return  # locked while the read was queued
        self._pull_position = position
        self.caseload_screen.show_questions(questions)
        count = len(questions)
        self.question_count.setText(
            "" if not count else
            self.tr("1 visit returned by your team lead: answer needed") if count == 1
            else self.tr("{n} visits returned by your team lead: answers needed").format(n=count))
        self.question_count.setVisible(bool(questions))
        self.questions_shown.emit(questions)

    def check_for_pulls(self) -> None:
        """If sync (this app's or `homevisit sync`) pulled since we last looked, reload."""
        services = self.services
        if services is None:
            return
        run_in_background(services.pull_position, self._pull_checked, lambda _: None,
                          owner=self)

    def _pull_checked(self, position: int | None) -> None:
        if self.services is None or position == self._pull_position:
            return
        self.synced()

    def synced(self) -> None:
        """After a pull: the caseload, its question markers and any review screen reload."""
        services = self.services
        if services is None:
            return
        run_in_background(self.caseload_screen.reader(services), self.caseload_screen.show_rows,
                          self._failed, owner=self)
        self.refresh_questions()
        self.pulled.emit()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        super().changeEvent(event)
        if event.type() == QEvent.Type.ActivationChange and self.isActiveWindow():
            self.check_for_pulls()  # back from a terminal that ran `homevisit sync`

    # --- visits ------------------------------------------------------------------------

    def _failed(self, error: Exception) -> None:
        from PySide6.QtWidgets import QMessageBox

        with focus_kept(self._home_focus()):
            QMessageBox.warning(self, self.tr("Homevisit"), getattr(
                error, "user_message", self.tr("Something unexpected went wrong. Nothing was "
                                               "lost; try again, and contact IT if it "
                                               "recurs.")))

    def _home_focus(self) -> QWidget:
        """Where focus goes when what had it is gone: the open visit, else the caseload."""
        if self.editor is not None:
            return self.editor
        if self._caseload_screen is not None and self.services is not None:
            return self._caseload_screen.table
        return self.unlock_screen.passphrase

    def start_visit(self, child_id: UUID) -> None:
        services = self.services
        if services is None:
            return
        run_in_background(lambda: services.household_of(child_id),
                          lambda found: self._choose_children(child_id, *found), self._failed,
                          owner=self)

    def _choose_children(self, child_id: UUID, case: Any, children: list[Any]) -> None:
        from ui.visit.caseload_screen import ChildrenChooser

        chooser = ChildrenChooser(self, children, child_id)
        with focus_kept(self._home_focus()):
            answer = chooser.exec()
        if answer != chooser.DialogCode.Accepted or not chooser.chosen():
            return
        services, chosen = self.services, chooser.chosen()
        if services is None:
            return
        run_in_background(lambda: services.start_visit(case.id, chosen), self.show_editor,
                          self._failed, owner=self)

    def record_information(self, child_id: UUID) -> None:
        """Information from another agency about this child's household (agency_note)."""
        services = self.services
        if services is None:
            return

        def ask(found: tuple[Any, list[Any]]) -> None:
            from ui.visit.agency_note import AgencyNoteDialog

            if self.services is None:
                return
            dialog = AgencyNoteDialog(
                self, self.services, found[0], found[1], child_id, today=date.today(),
                recorded=lambda _: self.statusBar().showMessage(self.tr(
                    "Information from another agency recorded. It goes to central at the next "
                    "sync."), 10_000))
            dialog.open()

        run_in_background(lambda: services.household_of(child_id), ask, self._failed,
                          owner=self)

    def open_visit(self, visit_id: UUID) -> None:
        services = self.services
        if services is None:
            return
        run_in_background(lambda: services.open_visit(visit_id), self.show_editor,
                          self._failed, owner=self)

    def _pick_visit(self, child_id: UUID) -> None:
        self._pick(lambda s: s.visits(drafts=False, child_id=child_id),
                   self.tr("visits for this child"))

    def _pick_draft(self) -> None:
        self._pick(lambda s: s.visits(drafts=True), self.tr("your drafts"))

    def _pick(self, read: Callable[[VisitServices], Any], title: str) -> None:
        services = self.services
        if services is None:
            return

        def chosen(visits: Any) -> None:
            from ui.visit.caseload_screen import VisitPicker

            picker = VisitPicker(self, title, visits)
            with focus_kept(self._home_focus()):
                answer = picker.exec()
            if answer == picker.DialogCode.Accepted and picker.chosen():
                self.open_visit(picker.chosen())  # type: ignore[arg-type]

        run_in_background(lambda: read(services), chosen, self._failed, owner=self)

    def show_editor(self, opened: OpenedVisit) -> None:
        from ui.visit.visit_editor import AUTOSAVE_MS, VisitEditor

        if self.services is None:
            return
        self.close_editor()
        editor = VisitEditor(self.services, opened, photos_allowed=self.options.photos_allowed,
                             pdf_allowed=self.options.pdf_allowed,
                             autosave_ms=self.options.autosave_ms or AUTOSAVE_MS,
                             export_pdf=self.export_pdf if self.options.pdf_allowed else None)
        editor.closed.connect(self._editor_closed)
        editor.question_answered.connect(lambda _: self.refresh_questions())
        editor.question_answered.connect(lambda _: self.records_changed.emit())
        editor.submitted.connect(lambda _: self.records_changed.emit())
        self.editor = editor
        self.stack.addWidget(editor)
        self.stack.setCurrentWidget(editor)
        self.activateWindow()
        editor.go_to(0)
        self.editor_opened.emit(editor)

    def _editor_closed(self) -> None:
        self.close_editor()
        services = self.services
        if services is not None:
            self.stack.setCurrentWidget(self.caseload_screen)
            give_focus(self.caseload_screen.table)  # on the child the visit was for
            run_in_background(self.caseload_screen.reader(services),
                              self.caseload_screen.show_rows, self._failed, owner=self)
            self.refresh_questions()

    def close_editor(self) -> None:
        editor, self.editor = self.editor, None
        if editor is not None:
            editor.flush()
            self.stack.removeWidget(editor)
            editor.hide()
            editor.setParent(None)  # gone from the window at once, not at the next event loop
            editor.deleteLater()

    def export_pdf(self, editor: VisitEditor) -> None:
        services = self.services
        if services is None or not editor.read_only:
            return
        from ui.widgets.file_choice import choose_file_to_save

        with focus_kept(editor):
            destination = choose_file_to_save(self, self.tr("Save the visit as a PDF"),
                                              self.tr("PDF (*.pdf)"), "home-visit.pdf")
        if destination is None:
            return
        from ui.widgets.visit_pdf import write_visit_pdf

        opened = editor.opened
        try:
            write_visit_pdf(opened, destination, printed_by=services.signed_in_name(),
                            printed_at=datetime.now(UTC),
                            flags=services.flags_if_submitted(opened.visit))
        except OSError:
            self._failed(Exception())
            return
        visit_id = editor.opened.visit.id
        run_in_background(lambda: services.record_pdf_export(visit_id), owner=self)
        editor.status.setText(self.tr("PDF saved."))

    # --- locking -----------------------------------------------------------------------

    def lock(self, reason: str = "") -> None:
        """Save any open draft, close the vault, hide everything it showed."""
        self.idle.stop()
        self.pull_watch.stop()
        self.close_editor()
        if self.services is not None:
            self.locking.emit()  # sync stops (joined on the lane) before the vault closes
        services, self.services = self.services, None
        if services is not None:
            log.info("locking (%s)", reason or "asked")
            run_in_background(services.lock, owner=None)
        self.clipboard_guard.clear_on_lock()
        close_dialogs(self)
        self.question_count.setVisible(False)
        self.sync_status.clear()
        self.sync_now_action.setEnabled(False)
        self.connect_action.setEnabled(False)
        if self.connect_dialog is not None:  # it holds the closed session: gone with it
            self.connect_dialog.reject()
            self.connect_dialog = None
        self._pull_position = None
        if self._caseload_screen is not None:
            self._caseload_screen.clear()
        if self.first_run is None:
            self.stack.setCurrentWidget(self.unlock_screen)
            self.unlock_screen.passphrase.setFocus()
        self.locked.emit()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        self.lock("closed")
        super().closeEvent(event)
