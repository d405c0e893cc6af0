"""The caseload: every child, when they were last and next due a visit, and what to do next."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from uuid import UUID

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QFont, QFontMetrics, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QStyle,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from records.case import Child
from records.contracts import CaseloadRow, ReturnedQuestion
from records.flag_types import today_in_england, weekday_text
from ui.services import InterruptedDraft, VisitListing, VisitServices
from ui.visit.caseload_model import (
    NEXT_DUE_COLUMN,
    CaseloadModel,
    PreparedCaseload,
    prepare_caseload,
    widest_due_text,
)
from ui.visit.returned_question import CaseloadQuestionsBanner
from ui.visit.visit_sync_icon import visit_sync_icon, visit_sync_words
from ui.widgets.accessibility import heading
from ui.widgets.midnight import Midnight
from ui.widgets.theme import colours


class CaseloadScreen(QWidget):
    start_visit = Signal(object)  # child id: start a visit for their household
    show_visits = Signal(object)  # child id: their submitted visits
    show_drafts = Signal()
    recover = Signal(object)  # visit id of an interrupted draft
    open_visit = Signal(object)  # visit id: a submitted visit the team lead returned
    record_information = Signal(object)  # child id: information from another agency

    day_changed = Signal()  # midnight passed while the caseload was shown: read it again

    def __init__(self, clock: Callable[[], date] = today_in_england) -> None:
        """`clock` gives the day "overdue" is judged against, asked each time the caseload
        is read: a laptop left unlocked overnight, or locked and unlocked days later, judges
        by the day it is, not the day the app was started."""
        super().__init__()
        self.clock = clock
        self.model = CaseloadModel(clock())
        Midnight(self).passed.connect(self.day_changed)
        self.recovery = QPushButton(self.tr("Recover the visit you were writing"))
        self.recovery.setVisible(False)
        self.recovery.setMinimumHeight(40)
        self._interrupted: InterruptedDraft | None = None
        self.recovery.clicked.connect(self._recover_clicked)
        self.questions = CaseloadQuestionsBanner()
        self.questions.open_visit.connect(self.open_visit)
        self.filter = QLineEdit()
        self.filter.setPlaceholderText(self.tr("Filter by child, case or plan"))
        self.filter.setAccessibleName(self.tr("Filter caseload"))
        self.filter.textChanged.connect(self._filter_changed)
        self.table = QTableView()
        self.table.setAccessibleName(self.tr("Caseload"))
        self.table.setModel(self.model)  # sorted and filtered by the model itself, in one pass
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(4, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.table.setTabKeyNavigation(False)
        # Nothing here measures 5,000 rows: stretched columns, fixed row heights, no wrapping.
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self._keep_due_column_readable()
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.setWordWrap(False)
        # Row numbers mean nothing to a worker, and asking the model for 5,000 of them made
        # every reload call back into Python thousands of times on the UI thread.
        self.table.verticalHeader().setVisible(False)
        self.table.activated.connect(lambda _: self._emit_for_selected(self.start_visit.emit))
        self.summary = QLabel()
        self.start_button = QPushButton(self.tr("&Start a visit…"))
        self.start_button.setToolTip(self.tr("Ctrl+N, or Enter on a child"))
        self.start_button.clicked.connect(lambda: self._emit_for_selected(self.start_visit.emit))
        self.visits_button = QPushButton(self.tr("&Visits for this child…"))
        self.visits_button.clicked.connect(lambda: self._emit_for_selected(self.show_visits.emit))
        self.drafts_button = QPushButton(self.tr("Your &drafts…"))
        self.drafts_button.clicked.connect(self.show_drafts)
        self.information_button = QPushButton(self.tr("Record information from another "
                                                      "a&gency…"))
        self.information_button.setToolTip(self.tr(
            "Police, school, health or MARAC information about this child (Ctrl+I)"))
        self.information_button.clicked.connect(
            lambda: self._emit_for_selected(self.record_information.emit))
        QShortcut(QKeySequence("Ctrl+N"), self).activated.connect(self.start_button.click)
        QShortcut(QKeySequence("Ctrl+I"), self).activated.connect(self.information_button.click)
        buttons = QHBoxLayout()
        for button in (self.start_button, self.visits_button, self.information_button,
                       self.drafts_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.recovery)
        layout.addWidget(self.questions)
        layout.addWidget(heading(self.tr("Your caseload")))
        layout.addWidget(self.filter)
        layout.addWidget(self.table)
        layout.addLayout(buttons)
        layout.addWidget(self.summary)

    def reader(self, services: VisitServices) -> Callable[[], PreparedCaseload]:
        """The job that reads and prepares the caseload on the vault lane, for `show_rows`."""
        clock, shown, sorted_by = self.clock, self.model.prepared, self.model.sorted_by

        def read() -> PreparedCaseload:
            return prepare_caseload(services.caseload(), clock(), shown, sorted_by)

        return read

    @property
    def today(self) -> date:
        """The day the rows shown were judged against."""
        return self.model.today

    def check_day(self) -> None:
        """`day_changed` if the day turned unseen (a suspend through midnight stops the
        midnight timer): asked when the window is activated."""
        if self.clock() != self.today:
            self.day_changed.emit()

    def show_rows(self, rows: Sequence[CaseloadRow] | PreparedCaseload) -> None:
        """Show the caseload (prepared by `reader` on the lane: then this is a list swap)."""
        chosen = self.selected_child()
        if not self.model.set_rows(rows):
            return  # a reload that changed nothing: the view keeps its place
        lines = self.model.prepared.lines
        overdue = sum(1 for line in lines if line.overdue)
        self.summary.setText(
            (self.tr("1 child; {overdue} overdue a visit.") if len(lines) == 1
             else self.tr("{n} children; {overdue} overdue a visit.")).format(
                n=len(lines), overdue=overdue))
        self._select(chosen)

    def _keep_due_column_readable(self) -> None:
        """The due column is as wide as its longest text in bold, "(overdue)" included,
        whatever the window's width; the other columns share what is left."""
        bold = QFont(self.table.font())
        bold.setBold(True)
        margin = 4 * self.table.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin) + 16
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(NEXT_DUE_COLUMN, QHeaderView.ResizeMode.Fixed)
        header.resizeSection(NEXT_DUE_COLUMN,
                             QFontMetrics(bold).horizontalAdvance(widest_due_text()) + margin)

    def _filter_changed(self, text: str) -> None:
        chosen = self.selected_child()
        self.model.set_filter(text)
        self._select(chosen)

    def _select(self, child_id: UUID | None) -> None:
        """Back on the same child after a reload or a filter, else on the first row."""
        if self.model.rowCount() == 0:
            return
        row = self.model.row_of(child_id) if child_id is not None else None
        self.table.selectRow(0 if row is None else row)

    def show_questions(self, questions: list[ReturnedQuestion]) -> None:
        """The team lead's unanswered questions: a banner above, a marker on each child."""
        self.questions.show_questions(questions)
        self.model.set_questions(questions)

    def offer_recovery(self, interrupted: InterruptedDraft | None) -> None:
        self._interrupted = interrupted
        self.recovery.setVisible(interrupted is not None)
        if interrupted is not None:
            when = interrupted.started_at.astimezone().strftime("%H:%M")
            self.recovery.setText(
                self.tr("Recover the visit you were writing (started {time})").format(time=when))

    def _recover_clicked(self) -> None:
        if self._interrupted is not None:
            self.recovery.setVisible(False)
            self.recover.emit(self._interrupted.visit_id)

    def selected_child(self) -> UUID | None:
        index = self.table.currentIndex()
        if not index.isValid():
            return None
        return self.model.row_at(index.row()).child_id

    def _emit_for_selected(self, emit: Callable[[object], object]) -> None:
        child = self.selected_child()
        if child is not None:
            emit(child)

    def clear(self) -> None:
        self.show_rows([])
        self.show_questions([])
        self.filter.clear()
        self.offer_recovery(None)


class ChildrenChooser(QDialog):
    """Which of the household's children this visit is for: all of them unless unticked."""

    def __init__(self, parent: QWidget, children: list[Child], chosen: UUID) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Homevisit — start a visit"))
        layout = QVBoxLayout(self)
        note = QLabel(self.tr("Which children is this visit for? Every child in the household "
                              "is included unless you untick them: each needs their own "
                              "record."))
        note.setWordWrap(True)
        layout.addWidget(note)
        self.boxes: list[tuple[Child, QCheckBox]] = []
        for child in children:
            box = QCheckBox(child.display_name)
            box.setChecked(True)
            layout.addWidget(box)
            self.boxes.append((child, box))
            if child.id == chosen:
                box.setFocus()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def chosen(self) -> list[UUID]:
        return [child.id for child, box in self.boxes if box.isChecked()]


class VisitPicker(QDialog):
    """A list of visits (drafts or submitted) to open with Enter or a double-click."""

    def __init__(self, parent: QWidget, title: str, visits: list[VisitListing]) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Homevisit — {title}").format(title=title))
        self.visits = visits
        self.list = QListWidget()
        self.list.setAccessibleName(title)
        for visit in visits:
            when = (visit.started_at or visit.updated_at).astimezone()
            item = QListWidgetItem(f"{weekday_text(when.date())} {when:%H:%M} · "
                                   f"{visit.case_reference} · "
                                   f"{visit.children}")
            if visit.recorded_by:
                item.setText(self.tr("Recorded by {who} · ").format(who=visit.recorded_by)
                             + item.text())
            if visit.answer_needed:
                item.setText(self.tr("ANSWER NEEDED: returned by your team lead · ")
                             + item.text())
                item.setForeground(QBrush(colours().alert))
            if visit.sync_status is not None:  # where it stands with central
                said, why = visit_sync_words(visit.sync_status, visit.sync_reason)
                item.setIcon(visit_sync_icon(visit.sync_status))
                item.setToolTip(why)
                item.setData(Qt.ItemDataRole.AccessibleTextRole, f"{item.text()} · {said}")
            self.list.addItem(item)
        if not visits:
            self.list.addItem(self.tr("None."))
        self.list.setCurrentRow(0)
        self.list.itemActivated.connect(lambda _: self.accept())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Open
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.list)
        layout.addWidget(buttons)
        self.resize(600, 400)

    def chosen(self) -> UUID | None:
        row = self.list.currentRow()
        return self.visits[row].visit_id if 0 <= row < len(self.visits) else None
