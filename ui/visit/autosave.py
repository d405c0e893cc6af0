"""The editor's saving: every few seconds while the draft changes, and once more at a lock
or close — the visit's draft, and the addendum being written in its dialog.

A mixin of `VisitEditor` (ui/visit/visit_editor.py). Saves go to the vault lane, which runs
jobs in order, so what a lock queues here is written before the vault closes. A save that
fails at a lock is handed to the lock's own report (`flush(on_failure=...)`): the worker is
told, and what was saved before stays in the vault.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from pydantic import ValidationError
from PySide6.QtCore import QCoreApplication, QTimer, SignalInstance

from records.problems import Problem
from records.visit import Visit
from ui.services import VisitServices
from ui.visit.problem_navigation import problems_from
from ui.widgets.accessibility import MessageLabel
from ui.widgets.background import op

if TYPE_CHECKING:
    from ui.visit.addenda import AddendaPanel

log = logging.getLogger(__name__)
_NOT_READ = "a draft could not be read back at a lock or close"  # log lines, not shown
_NOT_SAVED = "a draft could not be saved at close: %s"
UNEXPECTED = ("Something unexpected went wrong. Nothing was lost: the visit is still in the "
              "vault as a draft. Try again; if it keeps happening, contact IT.")


class Autosave:
    """Saving the draft on the lane; `dirty` while the widgets hold unsaved changes."""

    services: VisitServices
    visit: Visit
    read_only: bool
    dirty: bool
    _saving: bool
    status: MessageLabel
    saved: SignalInstance
    autosave: QTimer
    flags_timer: QTimer
    addenda: AddendaPanel

    if TYPE_CHECKING:  # the editor's own (a stub here would hide QWidget.tr at run time)
        def current_visit(self) -> Visit: ...

        def show_problems(self, problems: list[Problem], *, focus: bool = True) -> None: ...

    def _changed(self) -> None:
        if not self.read_only:
            self.dirty = True
            self.flags_timer.start()

    def _autosave(self) -> None:
        if self.dirty and not self._saving:
            self.save_now()

    def save_now(self, then: Callable[[], None] | None = None) -> None:
        """Queue the draft for saving (before anything queued after it)."""
        if self.read_only:
            if then:
                then()
            return
        try:
            visit = self.current_visit()
        except ValidationError as error:
            self.show_problems(problems_from(error), focus=False)
            return
        self.dirty = False
        self._saving = True
        services = self.services

        def saved(at: datetime) -> None:
            self._saving = False
            self.status.set_quietly(_tr("Draft saved at {time}").format(
                time=at.astimezone().strftime("%H:%M:%S")))
            self.saved.emit()
            if then:
                then()

        def failed(error: Exception) -> None:
            self._saving = False
            self.dirty = True
            self.status.setText(getattr(error, "user_message", _tr(UNEXPECTED)))

        op(self.status, lambda: services.save_draft(visit)).success(saved).failure(failed).run()

    def flush(self, on_failure: Callable[[Exception], None] | None = None) -> None:
        """Before a lock or close: queue whatever has changed (the draft, an addendum being
        written); it is written before the vault closes because the lane runs jobs in order.
        `on_failure` hears of anything that could not be kept (a save the vault refused, or
        answers the record cannot hold), so the worker is told; the lock goes on."""
        self.autosave.stop()
        self.addenda.closing = True  # an open addendum dialog is kept below, not cancelled
        services = self.services
        if self.dirty and not self.read_only:
            self.dirty = False
            try:
                visit = self.current_visit()
            except ValidationError as error:
                log.warning(_NOT_READ)
                if on_failure is not None:
                    on_failure(error)
            else:
                op(None, lambda: services.save_draft(visit)).failure(
                    on_failure or _logged).run()
        unfinished = self.addenda.unfinished()
        if unfinished is not None:
            visit_id, (reason, text) = self.visit.id, unfinished
            op(None, lambda: services.save_addendum_draft(visit_id, reason, text)).failure(
                on_failure or _logged).run()


def _tr(text: str) -> str:
    return QCoreApplication.translate("VisitEditor", text)


def _logged(error: Exception) -> None:
    log.warning(_NOT_SAVED, type(error).__name__)
