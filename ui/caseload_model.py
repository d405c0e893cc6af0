"""The caseload as a Qt table model: one row per child, sortable through a proxy."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QFont

from storage.caseload import CaseloadRow

Index = QModelIndex | QPersistentModelIndex
SORT_ROLE = Qt.ItemDataRole.UserRole + 1


def _day(value: date | None) -> str:
    return value.strftime("%a %d %b %Y") if value else "—"


def _alone(value: bool | None) -> str:
    return {True: "Yes", False: "NO", None: "—"}[value]


_ALONE_ORDER = {False: 0, None: 1, True: 2}  # "NO" first: the children to worry about
_SORT_KEYS: tuple[Callable[[CaseloadRow], Any], ...] = (
    lambda row: row.child_name,
    lambda row: row.case_reference,
    lambda row: row.plan_type.label,
    lambda row: row.last_visit or date.min,
    lambda row: row.next_visit_due or date.max,
    lambda row: _ALONE_ORDER[row.seen_alone_at_last_visit],
)


def _sort_key(row: CaseloadRow, column: int) -> Any:
    return _SORT_KEYS[column](row)


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
    COLUMNS = ("Child", "Case", "Plan", "Last visit", "Next visit due", "Seen alone last time")

    def __init__(self, today: date) -> None:
        super().__init__()
        self._given: list[CaseloadRow] = []
        self._rows: list[CaseloadRow] = []
        self._today = today
        self._sorted_by = (4, Qt.SortOrder.AscendingOrder)

    def set_rows(self, rows: list[CaseloadRow]) -> bool:
        """Show `rows`; False, and nothing redrawn or re-sorted, when they are the rows shown."""
        if _same_rows(self._given, rows):
            return False
        self.beginResetModel()
        self._given = list(rows)
        self._rows = self._in_order(rows)
        self.endResetModel()
        return True

    def _in_order(self, rows: list[CaseloadRow]) -> list[CaseloadRow]:
        column, order = self._sorted_by
        return sorted(rows, key=_SORT_KEYS[column],
                      reverse=order is Qt.SortOrder.DescendingOrder)

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
        if role == Qt.ItemDataRole.DisplayRole:
            return (row.child_name, row.case_reference, row.plan_type.label,
                    _day(row.last_visit), _day(row.next_visit_due),
                    _alone(row.seen_alone_at_last_visit))[column]
        if role == SORT_ROLE:
            return _sort_key(row, column)
        if role == Qt.ItemDataRole.ToolTipRole and column == 4 and self._overdue(row):
            return "Overdue: this child's statutory visit is late."
        if role == Qt.ItemDataRole.FontRole and column == 4 and self._overdue(row):
            font = QFont()
            font.setBold(True)
            return font
        return None

    def _overdue(self, row: CaseloadRow) -> bool:
        return row.next_visit_due is not None and row.next_visit_due < self._today
