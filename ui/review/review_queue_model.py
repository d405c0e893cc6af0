"""The review queue as a lazy table model: red first, then the oldest, a page at a time.

Rows come from the stored review index in the order the index keeps them; the first page
is read on the vault lane when the queue is shown and further pages as the view scrolls,
so a team of 100,000 visits costs one page to draw.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal

from records.contracts import QueueRow
from records.flag_types import day_text
from ui.review_services import ReviewServices
from ui.widgets.background import op
from ui.widgets.theme import colours

PAGE = 200
Index = QModelIndex | QPersistentModelIndex

COLUMNS = ("Flag", "Child", "Worker", "Visit", "Waiting", "Status", "Why first")
CHILD_COLUMN, WHY_FIRST_COLUMN = 1, 6
_SEVERITY = {0: "Red", 1: "Amber", 2: "—"}
_STATUS = {"awaiting": "Awaiting sign-off", "returned": "Returned to worker",
           "answered": "Worker answered"}
WIDEST: dict[int, tuple[str, ...]] = {
    0: ("Amber (18 red, 18 amber)",),
    2: ("A. Worker-Name",),
    3: ("30 Sep 2026",),
    4: ("888 days",),
    5: tuple(_STATUS.values()),
}
"""The widest text each short column can show, to size it so none is cut off."""
VisitIdRole = Qt.ItemDataRole.UserRole + 1


WAITING_COLUMN = 4
"""Days the visit has waited for a decision: the one column that moves with the day."""


class ReviewQueueModel(QAbstractTableModel):
    loaded = Signal()  # a page arrived
    failed = Signal(object)

    def __init__(self, services: ReviewServices, today: date) -> None:
        super().__init__()
        self._services = services
        self._today = today
        self.rows: list[QueueRow] = []
        self.total = 0
        self._loading = False

    # --- loading --------------------------------------------------------------------

    @property
    def today(self) -> date:
        """The day "Waiting" is counted to."""
        return self._today

    def set_today(self, today: date) -> None:
        """Count "Waiting" to `today` from now on (the day turned while the queue was shown)."""
        if today == self._today:
            return
        self._today = today
        if self.rows:
            self.dataChanged.emit(self.index(0, WAITING_COLUMN),
                                  self.index(len(self.rows) - 1, WAITING_COLUMN))

    def reload(self) -> None:
        """Read the count and the first page again (after a pull or a decision)."""
        services = self._services

        def work() -> tuple[int, list[QueueRow]]:
            return services.queue_count(), services.queue_page(0, PAGE)

        self._loading = True
        op(self, work).success(self._replaced).failure(self._failed).run()

    def _replaced(self, result: tuple[int, list[QueueRow]]) -> None:
        self._loading = False
        self.beginResetModel()
        self.total, self.rows = result
        self.endResetModel()
        self.loaded.emit()

    def _failed(self, error: Exception) -> None:
        self._loading = False
        self.failed.emit(error)

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: N802, B008
        return not parent.isValid() and not self._loading and len(self.rows) < self.total

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: N802, B008
        if not self.canFetchMore(parent):
            return
        offset, services = len(self.rows), self._services
        self._loading = True
        op(self, lambda: services.queue_page(offset, PAGE)).success(self._appended).failure(
            self._failed).run()

    def _appended(self, page: list[QueueRow]) -> None:
        self._loading = False
        if page:
            self.beginInsertRows(QModelIndex(), len(self.rows), len(self.rows) + len(page) - 1)
            self.rows += page
            self.endInsertRows()
        self.loaded.emit()

    def replace_row(self, row: QueueRow | None, visit_id: Any) -> None:
        """A decision was made: the visit leaves the queue or shows its new state."""
        position = next((i for i, r in enumerate(self.rows) if r.visit_id == visit_id), None)
        if position is None:
            return
        if row is None or row.decision in ("signed_off", "escalated"):
            self.beginRemoveRows(QModelIndex(), position, position)
            del self.rows[position]
            self.total -= 1
            self.endRemoveRows()
            return
        self.rows[position] = row
        self.dataChanged.emit(self.index(position, 0), self.index(position, len(COLUMNS) - 1))

    # --- the table --------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation is Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.tr(COLUMNS[section])
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self.rows):
            return None
        row = self.rows[index.row()]
        if role == VisitIdRole:
            return row.visit_id
        if role == Qt.ItemDataRole.ForegroundRole and index.column() == 0:
            theme = colours()
            return {0: theme.alert, 1: theme.amber}.get(row.rank)
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        return self._text(row, index.column())

    # complexity: one case per column of the queue
    def _text(self, row: QueueRow, column: int) -> str | None:
        match column:
            case 0:
                return _severity_words(row)
            case 1:
                return row.child_names
            case 2:
                return row.worker_name or row.worker
            case 3:
                return day_text(row.visit_day)
            case 4:  # WAITING_COLUMN
                days = (self._today - row.waiting_since).days
                return f"{days} day{'s' if days != 1 else ''}"
            case 5:
                return self.tr(_STATUS.get(row.decision, row.decision))
            case 6:
                return row.headline or self.tr("No flags")
        return None


def _severity_words(row: QueueRow) -> str:
    """"Red (2 red, 1 amber)": the row's worst flag and how many of each."""
    counts = [f"{row.red_count} red"] if row.red_count else []
    counts += [f"{row.amber_count} amber"] if row.amber_count else []
    return _SEVERITY[row.rank] + (f" ({', '.join(counts)})" if counts else "")
