"""The caseload as a Qt table model: one row per child, sortable through a proxy."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any
from uuid import UUID

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QBrush, QFont

from storage.caseload import CaseloadRow
from storage.review_decisions import ReturnedQuestion
from ui.theme import colours

Index = QModelIndex | QPersistentModelIndex
SORT_ROLE = Qt.ItemDataRole.UserRole + 1


def _day(value: date | None) -> str:
    return value.strftime("%a %d %b %Y") if value else "—"


def _alone(value: bool | None) -> str:
    return {True: "Yes", False: "NO", None: "—"}[value]


_ALONE_ORDER = {False: 0, None: 1, True: 2}  # "NO" first: the children to worry about
ANSWER_NEEDED = "Answer needed"
QUESTION_COLUMN = 6
_SORT_KEYS: tuple[Callable[[CaseloadRow], Any], ...] = (
    lambda row: row.child_name,
    lambda row: row.case_reference,
    lambda row: row.plan_type.label,
    lambda row: row.last_visit or date.min,
    lambda row: row.next_visit_due or date.max,
    lambda row: _ALONE_ORDER[row.seen_alone_at_last_visit],
)


def _same_rows(shown: list[CaseloadRow], given: list[CaseloadRow]) -> bool:
    """The caseload reuses the row object of every child whose row did not change."""
    return len(shown) == len(given) and all(a is b for a, b in zip(shown, given, strict=True))


class CaseloadProxy(QSortFilterProxyModel):
    """Filters the caseload; sorting is passed to the model, which does it in one pass."""

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        source = self.sourceModel()
        if source is not None:
            source.sort(column, order)


class CaseloadModel(QAbstractTableModel):
    COLUMNS = ("Child", "Case", "Plan", "Last visit", "Next visit due", "Seen alone last time",
               "Team lead's question")

    def __init__(self, today: date) -> None:
        super().__init__()
        self._given: list[CaseloadRow] = []
        self._rows: list[CaseloadRow] = []
        self._today = today
        self._sorted_by = (4, Qt.SortOrder.AscendingOrder)
        self._questions: dict[UUID, list[ReturnedQuestion]] = {}

    def set_rows(self, rows: list[CaseloadRow]) -> bool:
        """Show `rows`; False, and nothing redrawn or re-sorted, when they are the rows shown."""
        if _same_rows(self._given, rows):
            return False
        self.beginResetModel()
        self._given = list(rows)
        self._rows = self._in_order(rows)
        self.endResetModel()
        return True

    def set_questions(self, questions: list[ReturnedQuestion]) -> None:
        """Mark each child on a visit the team lead returned, until an addendum answers it."""
        by_child: dict[UUID, list[ReturnedQuestion]] = {}
        for question in questions:
            for child_id in question.child_ids:
                by_child.setdefault(child_id, []).append(question)
        if by_child == self._questions:
            return
        self.layoutAboutToBeChanged.emit()
        self._questions = by_child
        self._rows = self._in_order(self._rows)
        self.layoutChanged.emit()

    def questions_for(self, child_id: UUID) -> list[ReturnedQuestion]:
        return self._questions.get(child_id, [])

    def _sort_key(self, row: CaseloadRow, column: int) -> Any:
        if column == QUESTION_COLUMN:  # ascending puts the children with a question first
            return 0 if row.child_id in self._questions else 1
        return _SORT_KEYS[column](row)

    def _in_order(self, rows: list[CaseloadRow]) -> list[CaseloadRow]:
        column, order = self._sorted_by
        key = ((lambda row: self._sort_key(row, column)) if column == QUESTION_COLUMN
               else _SORT_KEYS[column])  # the plain key keeps a 5,000-row sort in one pass
        return sorted(rows, key=key, reverse=order is Qt.SortOrder.DescendingOrder)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sorted in Python in one pass: a proxy asking `data()` per comparison stalls the
        window for half a second on a 5,000-child caseload."""
        self.layoutAboutToBeChanged.emit()
        self._sorted_by = (column, order)
        self._rows = self._in_order(self._rows)
        self.layoutChanged.emit()

    def row_at(self, row: int) -> CaseloadRow:
        return self._rows[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation is Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.COLUMNS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        column = index.column()
        asked = self._questions.get(row.child_id)
        if role == Qt.ItemDataRole.DisplayRole:
            return (row.child_name, row.case_reference, row.plan_type.label,
                    _day(row.last_visit), _day(row.next_visit_due),
                    _alone(row.seen_alone_at_last_visit),
                    _answer_needed(asked))[column]
        if role == SORT_ROLE:
            return self._sort_key(row, column)
        if asked and role != Qt.ItemDataRole.FontRole:
            marked = _question_marking(asked, column, role)
            if marked is not None:
                return marked
        if role == Qt.ItemDataRole.ToolTipRole and column == 4 and self._overdue(row):
            return "Overdue: this child's statutory visit is late."
        if role == Qt.ItemDataRole.FontRole and (
                (column == 4 and self._overdue(row)) or (asked and column in (0, 6))):
            font = QFont()
            font.setBold(True)
            return font
        return None

    def _overdue(self, row: CaseloadRow) -> bool:
        return row.next_visit_due is not None and row.next_visit_due < self._today


def _answer_needed(asked: list[ReturnedQuestion] | None) -> str:
    if not asked:
        return ""
    return ANSWER_NEEDED if len(asked) == 1 else f"{ANSWER_NEEDED} ({len(asked)})"


def _question_marking(asked: list[ReturnedQuestion], column: int, role: int) -> Any:
    """The whole row tinted, the marker in red, the question itself on hover."""
    if role == Qt.ItemDataRole.BackgroundRole:
        return QBrush(colours().alert_tint)
    if role == Qt.ItemDataRole.ForegroundRole and column in (0, QUESTION_COLUMN):
        return QBrush(colours().alert)
    if role == Qt.ItemDataRole.ToolTipRole and column in (0, QUESTION_COLUMN):
        return "Your team lead asked: " + " / ".join(q.question for q in asked)
    return None
