"""The dashboard's lists of children (not seen alone, injured lately) as a list model.

A team of 5,000 children can put hundreds or thousands in a list; a model hands the view
only the rows it draws, where a list widget would make an item for every child up front.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt

from records.contracts import ChildAlert

ChildIdRole = Qt.ItemDataRole.UserRole + 2
Index = QModelIndex | QPersistentModelIndex


class ChildAlertModel(QAbstractListModel):
    def __init__(self) -> None:
        super().__init__()
        self.alerts: list[ChildAlert] = []

    def replace(self, alerts: list[ChildAlert]) -> None:
        self.beginResetModel()
        self.alerts = list(alerts)
        self.endResetModel()

    def child_id(self, row: int) -> UUID:
        return self.alerts[row].child_id

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.alerts)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self.alerts):
            return None
        alert = self.alerts[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return f"{alert.name} ({alert.who}): {alert.detail}"
        if role == ChildIdRole:
            return alert.child_id
        return None
