"""The review screen's one-child tab: the chronology, the body map of every injury, the
flags, the team lead's oversight notes and the chronology's PDF.

A mixin of `ReviewScreen` (ui/review/review_screen.py), kept apart so the screen reads as its
queue, dashboard and decisions. Every read and write goes through the vault lane.
"""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, cast
from uuid import UUID

from PySide6.QtCore import QCoreApplication, QModelIndex, SignalInstance
from PySide6.QtWidgets import QDialog, QListWidget, QPushButton, QTabWidget, QWidget

from records.case_notes import ConcernConsidered, Supervision
from records.flag_types import Flag, Severity
from records.flags import PATTERN_CODES
from ui.review.chronology import (
    ChronologyView,
    chronology_pdf_source,
    cumulative_marks,
    injury_lines,
)
from ui.review.oversight_notes import ConcernConsideredDialog, SupervisionDialog
from ui.review.review_alerts_model import ChildIdRole
from ui.review_services import Chronology, ReviewNote, ReviewServices
from ui.widgets.accessibility import MessageLabel
from ui.widgets.background import op
from ui.widgets.body_map import BodyMap
from ui.widgets.file_choice import choose_file_to_save

log = logging.getLogger(__name__)


def error_text(error: Exception) -> str:
    text = getattr(error, "user_message", "")
    return text or "That could not be done. Nothing was lost; try again, or ask IT."


def _tr(text: str) -> str:
    return QCoreApplication.translate("ReviewScreen", text)


class ChildReview:
    services: ReviewServices
    today: date
    current: ReviewNote | None
    chronology: Chronology | None
    timeline: ChronologyView
    body_map: BodyMap
    injury_list: QListWidget
    flag_list: QListWidget
    pdf_button: QPushButton
    supervision_button: QPushButton
    considered_button: QPushButton
    tabs: QTabWidget
    message: MessageLabel
    chronology_shown: SignalInstance

    if TYPE_CHECKING:
        def reload(self) -> None: ...

        def _failed(self, error: Exception) -> None: ...

    def _widget(self) -> QWidget:
        return cast(QWidget, self)

    def _open_child_of_note(self) -> None:
        if self.current is not None and self.current.opened.children:
            self.open_child(self.current.opened.children[0].id)

    def _open_child_index(self, index: QModelIndex) -> None:
        self.open_child(index.data(ChildIdRole))

    def open_child(self, child_id: UUID) -> None:
        services = self.services
        op(self._widget(), lambda: services.chronology(child_id)).success(
            self.show_chronology).failure(self._failed).run()

    def show_chronology(self, chronology: Chronology) -> None:
        self.chronology = chronology
        self.timeline.show_chronology(chronology)
        self.body_map.show_marks(cumulative_marks(chronology.injuries), [])
        self.injury_list.clear()
        self.injury_list.addItems(injury_lines(chronology.injuries) or ["No injuries recorded."])
        self.flag_list.clear()
        self.flag_list.addItems([f"{f.severity.value.upper()}: {f.reason}"
                                 for f in chronology.flags] or ["No flags."])
        self.pdf_button.setEnabled(self.services.pdf_allowed)
        self.supervision_button.setEnabled(True)
        self.considered_button.setEnabled(self._pattern() is not None)
        self.tabs.setCurrentIndex(2)
        self.chronology_shown.emit(chronology.child.id)

    def _pattern(self) -> Flag | None:
        """The child's repeated concern that a team lead's decision would settle, if any."""
        flags = self.chronology.flags if self.chronology else []
        return next((f for f in flags if f.code in PATTERN_CODES and f.severity is Severity.RED),
                    None)

    def record_supervision(self) -> None:
        if self.chronology is None:
            return
        self._open_oversight(SupervisionDialog(self._widget(), self.chronology.child, self.today,
                                               self._record_oversight,
                                               self.services.reviewer))

    def record_concern_considered(self) -> None:
        pattern = self._pattern()
        if self.chronology is None or pattern is None:
            return
        covered = self.chronology.concerns.get(pattern.code, ())
        if not covered:  # a decision naming nothing would settle by time alone: never made
            self.message.setText(_tr("None of those concerns is on this laptop yet, so no "
                                     "decision was recorded. Sync, then try again."))
            return
        self._open_oversight(ConcernConsideredDialog(self._widget(), self.chronology.child, pattern,
                                                     covered, self._record_oversight))

    def _open_oversight(self, dialog: QDialog) -> None:
        dialog.setModal(True)
        dialog.open()

    def _record_oversight(self, note: Supervision | ConcernConsidered) -> None:
        def done(chronology: Chronology) -> None:
            self.show_chronology(chronology)
            self.message.setText(_tr("Recorded, signed and queued for central; the flags "
                                         "below are worked out again."))
            self.reload()

        op(self._widget(), lambda: self.services.record_oversight(note)).success(done).failure(
            self._failed).run()

    def export_pdf(self, destination: Path | None = None) -> None:
        chronology = self.chronology
        if chronology is None or not self.services.pdf_allowed:
            return
        target = destination or choose_file_to_save(self._widget(), _tr("Save chronology as PDF"),
                                                    "PDF (*.pdf)", "chronology.pdf")
        if target is None:
            return
        # The words are put together here (their labels are translated through Qt); the
        # layout (Typst), the writing, fsync and audit run on the lane, so the window keeps
        # turning meanwhile.
        from ui.widgets.pdf_file import UNDRAWN_NOTE, UNKNOWN, MadePdf, make_pdf
        from ui.widgets.private_file import write_private

        source = chronology_pdf_source(chronology, printed_by=self.services.reviewer,
                                       printed_at=datetime.now(UTC))
        services, child_id = self.services, chronology.child.id

        def write() -> MadePdf:
            made = make_pdf(source)
            write_private(Path(target), made.data)
            services.record_chronology_export(child_id)
            return made

        def written(made: MadePdf) -> None:
            self.message.setText(_tr("Chronology saved as PDF.") if made.archival else _tr(
                UNDRAWN_NOTE).format(made.undrawn_named or _tr(UNKNOWN)))

        def not_written(error: Exception) -> None:
            log.warning("Chronology PDF not made: %s", type(error).__name__)
            self.message.setText(_tr(
                "The PDF could not be written there. Nothing was lost; choose another "
                "folder.") if isinstance(error, OSError) else error_text(error))

        op(self._widget(), write).success(written).failure(not_written).run()

