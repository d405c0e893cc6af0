"""From the caseload to a visit and back: starting one, choosing one from a list, recording
another agency's information, opening the editor, closing it, saving it as a PDF.

The main window's visit navigation (`MainWindow.visits`), kept apart from its unlocking and
locking. Every read goes to the vault lane with a failure path; a dialog listing children's
names is a modal of the window, which the lock sweep closes (ui/shell/lock_sweep.py).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from ui.widgets.background import op
from ui.widgets.focus import focus_kept, give_focus
from ui.widgets.midnight import england_today

if TYPE_CHECKING:
    from pathlib import Path
    from uuid import UUID

    from ui.services import OpenedVisit, VisitServices
    from ui.shell.main_window import MainWindow
    from ui.visit.visit_editor import VisitEditor

log = logging.getLogger(__name__)
PDF_NOT_WRITTEN = ("The PDF could not be written there. Nothing was lost: the visit is in the "
                   "vault as it was. Choose another folder, or ask IT if it keeps happening.")


class VisitNavigation:
    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self._choosing = False
        """A visit is being started: its household is loading or its children are being
        chosen. Enter pressed again on the caseload meanwhile (the dialog was slow to come
        up) starts nothing more: one chooser, not two stacked."""

    def start_visit(self, child_id: UUID) -> None:
        window = self.window
        services = window.services
        if services is None or self._choosing:
            return
        self._choosing = True

        def failed(error: Exception) -> None:
            self._choosing = False
            window.failed(error)

        op(window, lambda: services.household_of(child_id)).success(
            lambda found: self._choose_children(child_id, *found)).failure(failed).run()

    def _choose_children(self, child_id: UUID, case: Any, children: list[Any]) -> None:
        from ui.visit.caseload_screen import ChildrenChooser

        window = self.window
        try:
            if window.services is None:
                return  # locked while the household was read: no names on a locked window
            chooser = ChildrenChooser(window, children, child_id)
            with focus_kept(window.home_focus()):
                answer = chooser.exec()
        finally:
            self._choosing = False
        if answer != chooser.DialogCode.Accepted or not chooser.chosen():
            return
        services, chosen = window.services, chooser.chosen()
        if services is None:
            return
        op(window, lambda: services.start_visit(case.id, chosen)).success(
            self.show_editor).failure(window.failed).run()

    def record_information(self, child_id: UUID) -> None:
        """Information from another agency about this child's household (agency_note)."""
        window = self.window
        services = window.services
        if services is None:
            return

        def ask(found: tuple[Any, list[Any]]) -> None:
            from ui.visit.agency_note import AgencyNoteDialog

            if window.services is None:
                return
            dialog = AgencyNoteDialog(
                window, window.services, found[0], found[1], child_id, today=england_today(),
                recorded=lambda _: window.statusBar().showMessage(window.tr(
                    "Information from another agency recorded. It goes to central at the next "
                    "sync."), 10_000))
            dialog.open()

        op(window, lambda: services.household_of(child_id)).success(ask).failure(
            window.failed).run()

    def open_visit(self, visit_id: UUID) -> None:
        window = self.window
        services = window.services
        if services is None:
            return
        op(window, lambda: services.open_visit(visit_id)).success(self.show_editor).failure(
            window.failed).run()

    def pick_visit(self, child_id: UUID) -> None:
        self._pick(lambda s: s.visits(drafts=False, child_id=child_id),
                   self.window.tr("visits for this child"))

    def pick_draft(self) -> None:
        self._pick(lambda s: s.visits(drafts=True), self.window.tr("your drafts"))

    def _pick(self, read: Callable[[VisitServices], Any], title: str) -> None:
        window = self.window
        services = window.services
        if services is None:
            return

        def chosen(visits: Any) -> None:
            from ui.visit.caseload_screen import VisitPicker

            if window.services is None:
                return  # locked while the list was read: no visits on a locked window
            picker = VisitPicker(window, title, visits)
            with focus_kept(window.home_focus()):
                answer = picker.exec()
            if answer == picker.DialogCode.Accepted and picker.chosen():
                self.open_visit(picker.chosen())  # type: ignore[arg-type]

        op(window, lambda: read(services)).success(chosen).failure(window.failed).run()

    def show_editor(self, opened: OpenedVisit) -> None:
        from ui.visit.visit_editor import AUTOSAVE_MS, VisitEditor

        window = self.window
        if window.services is None:
            return
        self.close_editor()
        options = window.options
        editor = VisitEditor(window.services, opened, photos_allowed=options.photos_allowed,
                             pdf_allowed=options.pdf_allowed,
                             autosave_ms=options.autosave_ms or AUTOSAVE_MS,
                             export_pdf=self.export_pdf if options.pdf_allowed else None)
        editor.closed.connect(self._editor_closed)
        editor.question_answered.connect(lambda _: window.refresh_questions())
        editor.question_answered.connect(lambda _: window.records_changed.emit())
        editor.submitted.connect(lambda _: window.records_changed.emit())
        window.editor = editor
        window.stack.addWidget(editor)
        window.stack.setCurrentWidget(editor)
        window.activateWindow()
        editor.go_to(0)
        window.editor_opened.emit(editor)

    def _editor_closed(self) -> None:
        window = self.window
        self.close_editor()
        if window.services is not None:
            screen = window.caseload_screen
            window.stack.setCurrentWidget(screen)
            give_focus(screen.table)  # on the child the visit was for
            window.reload_caseload()
            window.refresh_questions()

    def close_editor(self, on_failure: Callable[[Exception], None] | None = None) -> None:
        """Save what the editor holds (`on_failure` hears if it cannot be) and drop it."""
        window = self.window
        editor, window.editor = window.editor, None
        if editor is not None:
            editor.flush(on_failure)
            window.stack.removeWidget(editor)
            editor.hide()
            editor.setParent(None)  # gone from the window at once, not at the next event loop
            editor.deleteLater()

    def export_pdf(self, editor: VisitEditor) -> None:
        """Who prints and the flags are read on the lane; the body maps are drawn here (the
        map is a widget); the pages are laid out and painted, the file written and fsynced,
        and the export audited, on the lane again — the window never waits on either."""
        window = self.window
        services = window.services
        if services is None or not editor.read_only or editor.opened.recorded_by:
            return  # another worker's visit is read here, not printed
        from ui.widgets.file_choice import choose_file_to_save

        with focus_kept(editor):
            destination = choose_file_to_save(window, window.tr("Save the visit as a PDF"),
                                              window.tr("PDF (*.pdf)"), "home-visit.pdf")
        if destination is None:
            return
        opened = editor.opened
        op(editor, lambda: (services.signed_in_name(), services.flags_if_submitted(opened.visit))
           ).success(lambda found: self._write_pdf(editor, services, opened, destination, *found)
                     ).failure(window.failed).run()

    def _write_pdf(self, editor: VisitEditor, services: VisitServices, opened: OpenedVisit,
                   destination: Path, printed_by: str, flags: list[Any]) -> None:
        from ui.widgets.pdf_file import UNDRAWN_NOTE, UNKNOWN, MadePdf, make_pdf
        from ui.widgets.private_file import write_private
        from ui.widgets.visit_pdf import visit_pdf_source

        source = visit_pdf_source(opened, printed_by=printed_by, printed_at=datetime.now(UTC),
                                  flags=flags)
        visit_id = opened.visit.id

        def write() -> MadePdf:
            made = make_pdf(source)
            write_private(destination, made.data)
            services.record_pdf_export(visit_id)
            return made

        def written(made: MadePdf) -> None:
            editor.status.setText(editor.tr("PDF saved.") if made.archival else editor.tr(
                UNDRAWN_NOTE).format(made.undrawn_named or editor.tr(UNKNOWN)))

        def not_written(error: Exception) -> None:
            log.warning("Visit PDF not made: %s", type(error).__name__)
            editor.status.setText(editor.tr(PDF_NOT_WRITTEN) if isinstance(error, OSError)
                                  else getattr(error, "user_message", editor.tr(PDF_NOT_WRITTEN)))

        op(editor, write).success(written).failure(not_written).run()
